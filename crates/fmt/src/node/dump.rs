//! A compact s-expression dump of erlfmt's nodes, the same as `xtask/erlang/erlfmt_nodes_oracle.erl` prints.
//!
//! A node prints as `(tag L:C-L:C flags fields...)`: the tag erlfmt gives it,
//! where it starts and ends, ` p` when written in parentheses, ` m` for a macro
//! record and ` d` for a form ended by a dot, then its fields in erlfmt's order.
//! Atomic nodes print their text in double quotes (`\`, `"`, newlines, carriage
//! returns and tabs escaped), lists print as `[a b]`, and the atoms erlfmt puts
//! in place of missing parts (`empty`, `none`, `default`, `no_parens`) as words.
//! Comments attached to nodes are not shown.

use std::fmt::Write;

use syntax::{FlatNodeView, ParseOptions};

use super::{FunKind, Kind, Meta, Node, Sigil};
use crate::SourceKind;

/// Parses `text` and dumps each top-level form as erlfmt's nodes, one line per
/// form: `L:C dump` (`L:C` where the form's first token starts), or
/// `L:C unsupported: reason` for a form that cannot be lowered or that overlaps
/// a syntax error (as the formatter keeps such forms as they are).
pub fn debug_lowered_forms(text: &str, kind: SourceKind) -> String {
    let options = ParseOptions {
        release: kind.release,
        file_kind: kind.file_kind,
    };
    let index = syntax::LineIndex::new(text);
    let parse = syntax::parse_flat(text, &options);
    let mut out = String::new();
    let mut bump = bumpalo::Bump::new();
    for form in parse.tree.root(text).children() {
        let Some(start) = first_token_start(&form) else {
            continue;
        };
        let at = index.line_column(start);
        let has_error = parse
            .errors
            .iter()
            .any(|error| form.text_range().contains_range(error.range()));
        let line = if has_error {
            "unsupported: a syntax error".to_owned()
        } else {
            match crate::lower::lower_form(&form, &index, text, &bump) {
                Ok(node) => dump(&node),
                Err(unsupported) => format!("unsupported: {}", unsupported.reason),
            }
        };
        bump.reset();
        let _ = writeln!(out, "{}:{} {line}", at.line, at.column);
    }
    out
}

/// The offset of the first token of `form` that is not white space or a comment.
fn first_token_start(form: &FlatNodeView<'_>) -> Option<usize> {
    form.tokens()
        .find(|token| !token.kind().is_trivia())
        .map(|token| usize::from(token.text_range().start()))
}

/// The dump of one node.
pub fn dump(node: &Node<'_>) -> String {
    let mut out = String::new();
    Dumper { out: &mut out }.node(node);
    out
}

struct Dumper<'o> {
    out: &'o mut String,
}

impl Dumper<'_> {
    fn node(&mut self, node: &Node<'_>) {
        let meta = &node.meta;
        match &node.kind {
            Kind::Atom(text) => self.atomic("atom", meta, text),
            Kind::Var(text) => self.atomic("var", meta, text),
            Kind::Integer(text) => self.atomic("integer", meta, text),
            Kind::Float(text) => self.atomic("float", meta, text),
            Kind::Char(text) => self.atomic("char", meta, text),
            Kind::String(text) => self.atomic("string", meta, text),
            Kind::Sigil(Sigil {
                prefix,
                string,
                string_meta,
                suffix,
            }) => {
                self.open("sigil", meta);
                self.text(prefix);
                self.atomic_field("string", string_meta, string);
                self.text(suffix);
                self.close();
            }
            Kind::Empty => self.out.push_str("empty"),
            Kind::Comment(_) => self.out.push_str("(comment)"),
            kind => {
                let (tag, fields) = shape(kind, meta);
                self.tuple(tag, meta, &fields);
            }
        }
    }

    fn field(&mut self, field: &Field<'_, '_>) {
        match field {
            Field::Node(node) => self.node(node),
            Field::Nodes(nodes) => {
                self.out.push('[');
                for (at, node) in nodes.iter().enumerate() {
                    if at > 0 {
                        self.out.push(' ');
                    }
                    self.node(node);
                }
                self.out.push(']');
            }
            Field::Word(word) => self.out.push_str(word),
            Field::Tuple(tag, meta, fields) => self.tuple(tag, meta, fields),
        }
    }

    /// `(tag L:C-L:C flags fields...)`.
    fn tuple(&mut self, tag: &str, meta: &Meta<'_>, fields: &[Field<'_, '_>]) {
        self.open(tag, meta);
        for field in fields {
            self.out.push(' ');
            self.field(field);
        }
        self.close();
    }

    fn open(&mut self, tag: &str, meta: &Meta<'_>) {
        let _ = write!(
            self.out,
            "({tag} {}:{}-{}:{}",
            meta.loc.line, meta.loc.col, meta.end.line, meta.end.col
        );
        for (flag, letter) in [
            (meta.parens, " p"),
            (meta.macro_record, " m"),
            (meta.dot, " d"),
        ] {
            if flag {
                self.out.push_str(letter);
            }
        }
    }

    fn close(&mut self) {
        self.out.push(')');
    }

    fn atomic(&mut self, tag: &str, meta: &Meta<'_>, text: &str) {
        self.open(tag, meta);
        self.text(text);
        self.close();
    }

    fn atomic_field(&mut self, tag: &str, meta: &Meta<'_>, text: &str) {
        self.out.push(' ');
        self.atomic(tag, meta, text);
    }

    fn text(&mut self, text: &str) {
        self.out.push_str(" \"");
        for c in text.chars() {
            match c {
                '\\' => self.out.push_str("\\\\"),
                '"' => self.out.push_str("\\\""),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

/// A field of a node as erlfmt's tuple holds it.
enum Field<'n, 'a> {
    Node(&'n Node<'a>),
    Nodes(&'n [Node<'a>]),
    /// An atom standing for a missing part, or an operator.
    Word(&'n str),
    /// A nested tuple with an annotation of its own, or sharing its parent's
    /// (`{'fun', A, {clauses, A, ...}}`, without the parent's flags).
    Tuple(&'static str, Meta<'a>, Vec<Field<'n, 'a>>),
}

fn optional<'n, 'a>(node: &'n Option<&'a Node<'a>>, missing: &'static str) -> Field<'n, 'a> {
    match node {
        Some(node) => Field::Node(node),
        None => Field::Word(missing),
    }
}

/// erlfmt's tag and fields for a node that is not atomic.
fn shape<'n, 'a>(kind: &'n Kind<'a>, meta: &Meta<'_>) -> (&'static str, Vec<Field<'n, 'a>>) {
    use Field::{Node as N, Nodes, Word};
    match kind {
        Kind::Concat(values) => ("concat", vec![Nodes(values)]),
        Kind::UnaryOp(op, operand) => ("op", vec![Word(op), N(operand)]),
        Kind::BinaryOp(op, left, right) => ("op", vec![Word(op), N(left), N(right)]),
        Kind::Tuple(values) => ("tuple", vec![Nodes(values)]),
        Kind::List(values) => ("list", vec![Nodes(values)]),
        Kind::Cons(head, tail) => ("cons", vec![N(head), N(tail)]),
        Kind::Bin(elements) => ("bin", vec![Nodes(elements)]),
        Kind::BinElement { expr, size, types } => (
            "bin_element",
            vec![
                N(expr),
                optional(size, "default"),
                types.map_or(Word("default"), Nodes),
            ],
        ),
        Kind::BinSize(left, right) => ("bin_size", vec![N(left), N(right)]),
        Kind::Map(None, fields) => ("map", vec![Nodes(fields)]),
        Kind::Map(Some(base), fields) => ("map", vec![N(base), Nodes(fields)]),
        Kind::MapFieldAssoc(key, value) => ("map_field_assoc", vec![N(key), N(value)]),
        Kind::MapFieldExact(key, value) => ("map_field_exact", vec![N(key), N(value)]),
        Kind::Record {
            base: None,
            name,
            fields,
        } => ("record", vec![N(name), Nodes(fields)]),
        Kind::Record {
            base: Some(base),
            name,
            fields,
        } => ("record", vec![N(base), N(name), Nodes(fields)]),
        Kind::RecordField(name, None) => ("record_field", vec![N(name)]),
        Kind::RecordField(name, Some(value)) => ("record_field", vec![N(name), N(value)]),
        Kind::RecordIndex(name, field) => ("record_index", vec![N(name), N(field)]),
        Kind::RecordAccess { expr, name, field } => {
            ("record_field", vec![N(expr), N(name), N(field)])
        }
        Kind::RecordName(name) => ("record_name", vec![N(name)]),
        Kind::ListComprehension(template, qualifiers) => {
            ("lc", vec![N(template), Nodes(qualifiers)])
        }
        Kind::BinaryComprehension(template, qualifiers) => {
            ("bc", vec![N(template), Nodes(qualifiers)])
        }
        Kind::MapComprehension(template, qualifiers) => {
            ("mc", vec![N(template), Nodes(qualifiers)])
        }
        Kind::Generate(op, pattern, source) => ("generate", vec![Word(op), N(pattern), N(source)]),
        Kind::Call(name, args) => ("call", vec![N(name), Nodes(args)]),
        Kind::MacroCall(name, None) => ("macro_call", vec![N(name), Word("none")]),
        Kind::MacroCall(name, Some(args)) => ("macro_call", vec![N(name), Nodes(args)]),
        Kind::MacroString(name) => ("macro_string", vec![N(name)]),
        Kind::Remote(module, name) => ("remote", vec![N(module), N(name)]),
        Kind::Block(exprs) => ("block", vec![Nodes(exprs)]),
        Kind::Fun(fun) => ("fun", vec![fun_field(fun, Meta::new(meta.loc, meta.end))]),
        Kind::Args(values) => ("args", vec![Nodes(values)]),
        Kind::Case(expr, clauses) => ("case", vec![N(expr), Nodes(clauses)]),
        Kind::Maybe(exprs, None) => ("maybe", vec![Nodes(exprs)]),
        Kind::Maybe(exprs, Some(otherwise)) => ("maybe", vec![Nodes(exprs), N(otherwise)]),
        Kind::ElseClause(clauses) => ("else_clause", vec![Nodes(clauses)]),
        Kind::Receive(clauses, None) => ("receive", vec![optional(clauses, "empty")]),
        Kind::Receive(clauses, Some(after)) => {
            ("receive", vec![optional(clauses, "empty"), N(after)])
        }
        Kind::AfterClause(expr, body) => ("after_clause", vec![N(expr), Nodes(body)]),
        Kind::Try {
            body,
            of,
            catch,
            after,
        } => (
            "try",
            vec![
                N(body),
                optional(of, "none"),
                optional(catch, "none"),
                Nodes(after),
            ],
        ),
        Kind::Body(exprs) => ("body", vec![Nodes(exprs)]),
        Kind::Clauses(clauses) => ("clauses", vec![Nodes(clauses)]),
        Kind::CatchPattern(parts) => ("catch", vec![Nodes(parts)]),
        Kind::If(clauses) => ("if", vec![Nodes(clauses)]),
        Kind::Spec(name, clauses) => ("spec", vec![N(name), Nodes(clauses)]),
        Kind::Ellipsis => ("...", Vec::new()),
        Kind::Clause { head, guards, body } => (
            "clause",
            vec![
                optional(head, "empty"),
                optional(guards, "empty"),
                Nodes(body),
            ],
        ),
        Kind::SpecClause { head, body, guards } => (
            "spec_clause",
            vec![N(head), N(body), optional(guards, "empty")],
        ),
        Kind::GuardOr(guards) => ("guard_or", vec![Nodes(guards)]),
        Kind::GuardAnd(tests) => ("guard_and", vec![Nodes(tests)]),
        Kind::FaGroup(values) => ("fa_group", vec![Nodes(values)]),
        Kind::Exprs(exprs) => ("exprs", vec![Nodes(exprs)]),
        Kind::Function(clauses) => ("function", vec![Nodes(clauses)]),
        Kind::Attribute { name, values } => (
            "attribute",
            vec![N(name), values.map_or(Word("no_parens"), Nodes)],
        ),
        Kind::Shebang(text) => ("shebang", vec![Word(text)]),
        // Atomic kinds, `Empty` and `Comment` are printed by `Dumper::node`.
        _ => ("?", Vec::new()),
    }
}

/// What a `fun` holds: `{function, A, ...}`, `{clauses, A, ...}`, `type` or `{type, ...}`.
/// `fun_meta` is the annotation of the `fun`, which the inner tuple shares.
fn fun_field<'n, 'a>(fun: &'n FunKind<'a>, fun_meta: Meta<'a>) -> Field<'n, 'a> {
    use Field::{Node as N, Nodes, Tuple, Word};
    match fun {
        FunKind::Function { name, arity } => Tuple("function", fun_meta, vec![N(name), N(arity)]),
        FunKind::RemoteFunction {
            module,
            name,
            arity,
        } => Tuple("function", fun_meta, vec![N(module), N(name), N(arity)]),
        FunKind::Clauses(clauses) => Tuple("clauses", fun_meta, vec![Nodes(clauses)]),
        FunKind::AnyType => Word("type"),
        FunKind::Type { meta, args, result } => Tuple("type", **meta, vec![N(args), N(result)]),
    }
}
