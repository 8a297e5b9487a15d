//! From a function form's syntax tree to a [`Body`]: every expression and
//! pattern into its arena, with its range beside it.
//!
//! Children are found by the tokens between them (the operator of a binary
//! expression, the `:` of a remote call, the `#` of a record), not by their
//! position among children of overlapping kinds, so a tree with a missing
//! part still lowers the parts it has.
//!
//! The walk goes through views of the green tree ([`NodeView`]), not rowan's
//! cursors: a cursor is an allocation for every node and token it visits, and
//! every function of every module is lowered. A child is found as the typed
//! AST finds it: the first child of its kind.

use smallvec::SmallVec;
use smol_str::SmolStr;
use syntax::SyntaxKind::{self, *};
use syntax::ast::{self, AstNode};
use syntax::{NodeOrToken, NodeView, TextRange, TextSize};

use super::{
    BinSegment, BinTypeSpec, BinaryOp, Body, Callee, CatchClause, Clause, CrClause, Expr, ExprId,
    FieldName, Generator, GeneratorKind, GeneratorPat, Guards, IfClause, Literal, MapField, MapOp,
    MapPatField, Pat, PatId, Qualifier, ReceiveAfter, RecordField, SymbolicMacro, UnaryOp,
};

/// A node of the form being lowered.
type View<'g> = NodeView<'g>;

/// Lowers a function form; ranges are made relative to `base`.
pub(super) fn lower_decl(
    decl: &ast::FunDecl,
    base: TextSize,
) -> (Body, Vec<TextRange>, Vec<TextRange>) {
    let decl = NodeView::of(decl.syntax());
    // About an expression and a pattern every dozen bytes of expanded text:
    // the arenas rarely grow.
    let guess = usize::from(decl.text_range().len()) / 12 + 4;
    let mut ctx = Ctx {
        body: Body::default(),
        expr_ranges: Vec::with_capacity(guess),
        pat_ranges: Vec::with_capacity(guess),
        base,
    };
    ctx.body.exprs.reserve(guess);
    ctx.body.pats.reserve(guess);
    let clauses = children(decl, FUN_CLAUSE)
        .map(|clause| ctx.clause(clause))
        .collect();
    ctx.body.clauses = clauses;
    (ctx.body, ctx.expr_ranges, ctx.pat_ranges)
}

struct Ctx {
    body: Body,
    expr_ranges: Vec<TextRange>,
    pat_ranges: Vec<TextRange>,
    base: TextSize,
}

fn is_expr(kind: SyntaxKind) -> bool {
    ast::Expr::can_cast(kind)
}

/// The first direct child node of `kind`.
fn child(node: View<'_>, kind: SyntaxKind) -> Option<View<'_>> {
    node.children().find(|child| child.kind() == kind)
}

/// The direct child nodes of `kind`.
fn children(node: View<'_>, kind: SyntaxKind) -> impl Iterator<Item = View<'_>> {
    node.children().filter(move |child| child.kind() == kind)
}

/// The first direct child node that is an expression.
fn expr_child(node: View<'_>) -> Option<View<'_>> {
    node.children().find(|child| is_expr(child.kind()))
}

/// The direct child nodes that are expressions.
fn expr_children(node: View<'_>) -> impl Iterator<Item = View<'_>> {
    node.children().filter(|child| is_expr(child.kind()))
}

/// The first direct child node that is a name: an atom, a variable or a macro.
fn name_child(node: View<'_>) -> Option<View<'_>> {
    node.children()
        .find(|child| matches!(child.kind(), ATOM | VAR | MACRO_CALL))
}

/// The text of the first direct token of `kind`.
fn token_text(node: View<'_>, kind: SyntaxKind) -> Option<&str> {
    node.children_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .find(|token| token.kind() == kind)
        .map(|token| token.text())
}

/// The kind of the first direct token of `node` that is not trivia.
fn first_token_kind(node: View<'_>) -> Option<SyntaxKind> {
    node.children_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .map(|token| token.kind())
        .find(|kind| !kind.is_trivia())
}

fn has_token(node: View<'_>, kind: SyntaxKind) -> bool {
    node.children_with_tokens()
        .any(|element| element.into_token().is_some_and(|t| t.kind() == kind))
}

/// Child nodes: nearly always one or two here, kept inline.
type Nodes<'g> = SmallVec<[View<'g>; 2]>;

/// The direct child nodes of `node` before and after its first direct token
/// of one of `kinds` (all of them before when there is none).
fn split_at<'g>(node: View<'g>, kinds: &[SyntaxKind]) -> (Nodes<'g>, Nodes<'g>) {
    let mut before = Nodes::new();
    let mut after = Nodes::new();
    let mut split = false;
    for element in node.children_with_tokens() {
        match element {
            NodeOrToken::Token(token) if !split && kinds.contains(&token.kind()) => split = true,
            NodeOrToken::Token(_) => {}
            NodeOrToken::Node(child) if split => after.push(child),
            NodeOrToken::Node(child) => before.push(child),
        }
    }
    (before, after)
}

fn first_expr<'g>(nodes: &[View<'g>]) -> Option<View<'g>> {
    nodes.iter().copied().find(|node| is_expr(node.kind()))
}

/// An atom's value from its token's text, copied only when quoted.
fn atom_text(text: &str) -> SmolStr {
    if text.starts_with('\'') {
        SmolStr::new(ast::atom_value(text))
    } else {
        SmolStr::new(text)
    }
}

/// The value of an atom node; `None` when it has no atom token.
fn atom_value(node: View<'_>) -> Option<SmolStr> {
    token_text(node, ATOM).map(atom_text)
}

/// The value of an atom node (through parentheses); `None` for anything else.
fn atom_name(node: Option<View<'_>>) -> Option<SmolStr> {
    let node = node?;
    match node.kind() {
        ATOM => atom_value(node),
        PAREN_EXPR => atom_name(node.first_child()),
        _ => None,
    }
}

/// A name's text as written, for atoms unquoted; `None` for a macro.
fn name_text(name: View<'_>) -> Option<SmolStr> {
    match name.kind() {
        ATOM => atom_value(name),
        VAR => token_text(name, VAR).map(SmolStr::new),
        _ => None,
    }
}
fn binary_op(kind: SyntaxKind) -> Option<BinaryOp> {
    Some(match kind {
        BANG => BinaryOp::Send,
        ORELSE_KW => BinaryOp::OrElse,
        ANDALSO_KW => BinaryOp::AndAlso,
        EQ2 => BinaryOp::Eq,
        SLASH_EQ => BinaryOp::Ne,
        EQ_LT => BinaryOp::Le,
        L_ANGLE => BinaryOp::Lt,
        GT_EQ => BinaryOp::Ge,
        R_ANGLE => BinaryOp::Gt,
        EQ_COLON_EQ => BinaryOp::ExactEq,
        EQ_SLASH_EQ => BinaryOp::ExactNe,
        PLUS2 => BinaryOp::Append,
        MINUS2 => BinaryOp::Subtract,
        PLUS => BinaryOp::Add,
        MINUS => BinaryOp::Sub,
        BOR_KW => BinaryOp::Bor,
        BXOR_KW => BinaryOp::Bxor,
        BSL_KW => BinaryOp::Bsl,
        BSR_KW => BinaryOp::Bsr,
        OR_KW => BinaryOp::Or,
        XOR_KW => BinaryOp::Xor,
        SLASH => BinaryOp::Divide,
        STAR => BinaryOp::Mul,
        DIV_KW => BinaryOp::Div,
        REM_KW => BinaryOp::Rem,
        BAND_KW => BinaryOp::Band,
        AND_KW => BinaryOp::And,
        _ => return None,
    })
}

fn unary_op(kind: SyntaxKind) -> Option<UnaryOp> {
    Some(match kind {
        PLUS => UnaryOp::Plus,
        MINUS => UnaryOp::Minus,
        BNOT_KW => UnaryOp::Bnot,
        NOT_KW => UnaryOp::Not,
        _ => return None,
    })
}

fn literal(node: View<'_>) -> Option<Literal> {
    let token = node
        .children_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .find(|t| matches!(t.kind(), INTEGER | FLOAT | CHAR | STRING | SIGIL_STRING))?;
    let text = token.text();
    Some(match token.kind() {
        INTEGER => Literal::Integer(SmolStr::new(text)),
        FLOAT => Literal::Float(SmolStr::new(text)),
        CHAR => Literal::Char(SmolStr::new(text)),
        _ => Literal::String(ast::string_value(text)),
    })
}

/// `?LINE` and `?FILE`, which the expanded text keeps.
fn symbolic_macro(call: View<'_>) -> Option<SymbolicMacro> {
    if child(call, MACRO_ARGS).is_some() {
        return None;
    }
    match name_text(name_child(call)?)?.as_str() {
        "LINE" => Some(SymbolicMacro::Line),
        "FILE" => Some(SymbolicMacro::File),
        _ => None,
    }
}

/// The adjacent strings of a concatenation as one, if all of them are strings.
fn concatenated_string(concat: View<'_>) -> Option<String> {
    let mut text = String::new();
    for child in concat.children() {
        if child.kind() != LITERAL {
            return None;
        }
        match literal(child)? {
            Literal::String(part) => text.push_str(&part),
            _ => return None,
        }
    }
    Some(text)
}

/// The parts of a catch pattern `Class:Reason:Stack`, split at its `:`s; a
/// missing one stays `None`.
fn catch_parts(pattern: View<'_>) -> SmallVec<[Option<View<'_>>; 3]> {
    let mut parts: SmallVec<[Option<View<'_>>; 3]> = SmallVec::new();
    parts.push(None);
    for element in pattern.children_with_tokens() {
        match element {
            NodeOrToken::Token(token) if token.kind() == COLON => parts.push(None),
            NodeOrToken::Token(_) => {}
            NodeOrToken::Node(node) => {
                if let Some(last) = parts.last_mut()
                    && last.is_none()
                    && is_expr(node.kind())
                {
                    *last = Some(node);
                }
            }
        }
    }
    parts
}

fn generator_kind(op: SyntaxKind) -> (GeneratorKind, bool) {
    match op {
        L_DOUBLE_ARROW => (GeneratorKind::Binary, false),
        L_DOUBLE_ARROW_STRICT => (GeneratorKind::Binary, true),
        L_ARROW_STRICT => (GeneratorKind::List, true),
        _ => (GeneratorKind::List, false),
    }
}

impl Ctx {
    fn range(&self, node: View<'_>) -> TextRange {
        let range = node.text_range();
        range
            .checked_sub(self.base)
            .unwrap_or_else(|| TextRange::empty(TextSize::from(0)))
    }

    fn alloc_expr(&mut self, expr: Expr, range: TextRange) -> ExprId {
        let id = ExprId(self.body.exprs.len() as u32);
        self.body.exprs.push(expr);
        self.expr_ranges.push(range);
        id
    }

    fn alloc_pat(&mut self, pat: Pat, range: TextRange) -> PatId {
        let id = PatId(self.body.pats.len() as u32);
        self.body.pats.push(pat);
        self.pat_ranges.push(range);
        id
    }

    fn missing_expr(&mut self, parent: View<'_>) -> ExprId {
        let range = self.range(parent);
        self.alloc_expr(Expr::Missing, range)
    }

    fn missing_pat(&mut self, parent: View<'_>) -> PatId {
        let range = self.range(parent);
        self.alloc_pat(Pat::Missing, range)
    }

    /// The expression `node`, or `Missing` with the range of `parent`.
    fn expr_opt(&mut self, node: Option<View<'_>>, parent: View<'_>) -> ExprId {
        match node {
            Some(node) => self.expr(node),
            None => self.missing_expr(parent),
        }
    }

    fn pat_opt(&mut self, node: Option<View<'_>>, parent: View<'_>) -> PatId {
        match node {
            Some(node) => self.pat(node),
            None => self.missing_pat(parent),
        }
    }

    /// The expressions among the direct children of `node`.
    fn exprs(&mut self, node: View<'_>) -> Vec<ExprId> {
        expr_children(node).map(|node| self.expr(node)).collect()
    }

    /// A fun clause or a function clause.
    fn clause(&mut self, clause: View<'_>) -> Clause {
        let pats = child(clause, ARG_LIST)
            .map(|args| expr_children(args).map(|arg| self.pat(arg)).collect())
            .unwrap_or_default();
        Clause {
            pats,
            guards: self.guards(clause),
            body: self.clause_body(clause),
        }
    }

    /// The guard of `clause`.
    fn guards(&mut self, clause: View<'_>) -> Guards {
        let Some(guard) = child(clause, GUARD) else {
            return Guards::default();
        };
        Guards(
            children(guard, GUARD_CLAUSE)
                .map(|clause| self.exprs(clause))
                .collect(),
        )
    }

    /// The body of `clause`.
    fn clause_body(&mut self, clause: View<'_>) -> Vec<ExprId> {
        child(clause, CLAUSE_BODY)
            .map(|body| self.exprs(body))
            .unwrap_or_default()
    }

    fn cr_clause(&mut self, clause: View<'_>) -> CrClause {
        let pat = self.pat_opt(expr_child(clause), clause);
        CrClause {
            pat,
            guards: self.guards(clause),
            body: self.clause_body(clause),
        }
    }

    /// The `case`-like clauses among the direct children of `node`.
    fn cr_clauses(&mut self, node: View<'_>) -> Vec<CrClause> {
        children(node, CR_CLAUSE)
            .map(|clause| self.cr_clause(clause))
            .collect()
    }

    fn catch_clause(&mut self, clause: View<'_>) -> CatchClause {
        let (class, reason, stack) = match child(clause, CATCH_PATTERN) {
            Some(pattern) => {
                let parts = catch_parts(pattern);
                let has_class = parts.len() >= 2;
                let class = if has_class { parts[0] } else { None };
                let class = class.map(|class| self.pat(class));
                let reason = parts.get(usize::from(has_class)).copied().flatten();
                let reason = self.pat_opt(reason, pattern);
                let stack = parts.get(2).copied().flatten();
                let stack = stack.map(|stack| self.pat(stack));
                (class, reason, stack)
            }
            None => (None, self.missing_pat(clause), None),
        };
        CatchClause {
            class,
            reason,
            stack,
            guards: self.guards(clause),
            body: self.clause_body(clause),
        }
    }

    fn macro_args(&mut self, call: View<'_>) -> Option<Vec<ExprId>> {
        let args = child(call, MACRO_ARGS)?;
        Some(
            children(args, MACRO_ARG)
                .map(|arg| self.expr_opt(expr_child(arg), arg))
                .collect(),
        )
    }

    fn record_fields<T>(
        &mut self,
        node: View<'_>,
        mut value: impl FnMut(&mut Ctx, Option<View<'_>>, View<'_>) -> T,
    ) -> Vec<RecordField<T>> {
        children(node, RECORD_FIELD)
            .map(|field| {
                let (before, after) = split_at(field, &[EQ]);
                let name = match before.first() {
                    Some(&name) if name.kind() == ATOM => {
                        atom_name(Some(name)).map_or(FieldName::Missing, FieldName::Name)
                    }
                    Some(name) if name.kind() == VAR && name.text() == "_" => FieldName::Wildcard,
                    _ => FieldName::Missing,
                };
                let value = value(self, first_expr(&after), field);
                RecordField { name, value }
            })
            .collect()
    }

    /// `#name` and what follows the `#` of a record expression: the name and
    /// the nodes after it.
    fn record_name(after_pound: &[View<'_>]) -> Option<SmolStr> {
        after_pound
            .first()
            .filter(|node| node.kind() != RECORD_FIELD)
            .and_then(|&node| atom_name(Some(node)))
    }

    fn bin_types(element: View<'_>) -> Vec<BinTypeSpec> {
        let Some(specs) = child(element, BIN_TYPE_SPECS) else {
            return Vec::new();
        };
        children(specs, BIN_TYPE_SPEC)
            .map(|spec| BinTypeSpec {
                name: atom_name(name_child(spec)),
                value: spec
                    .tokens()
                    .find(|token| token.kind() == INTEGER)
                    .map(|token| SmolStr::new(token.text())),
            })
            .collect()
    }

    fn bin_segments<T>(
        &mut self,
        binary: View<'_>,
        mut value: impl FnMut(&mut Ctx, Option<View<'_>>, View<'_>) -> T,
    ) -> Vec<BinSegment<T>> {
        children(binary, BIN_ELEMENT)
            .map(|element| {
                let (before, after) = split_at(element, &[COLON]);
                let value = value(self, first_expr(&before), element);
                let size = if has_token(element, COLON) {
                    let size = first_expr(&after);
                    Some(self.expr_opt(size, element))
                } else {
                    None
                };
                BinSegment {
                    value,
                    size,
                    types: Self::bin_types(element),
                }
            })
            .collect()
    }

    fn map_op(field: View<'_>) -> MapOp {
        if has_token(field, COLON_EQ) {
            MapOp::Exact
        } else {
            MapOp::Assoc
        }
    }

    fn map_field(&mut self, field: View<'_>) -> MapField {
        let (before, after) = split_at(field, &[FAT_ARROW, COLON_EQ]);
        let key = self.expr_opt(first_expr(&before), field);
        let value = self.expr_opt(first_expr(&after), field);
        MapField {
            key,
            op: Self::map_op(field),
            value,
        }
    }

    /// The qualifiers of the comprehension `node`.
    fn qualifiers(&mut self, node: View<'_>) -> Vec<Qualifier> {
        let Some(exprs) = child(node, LC_EXPRS) else {
            return Vec::new();
        };
        exprs
            .children()
            .filter_map(|qualifier| match qualifier.kind() {
                GENERATOR => Some(Qualifier::Generator(self.generator(qualifier))),
                ZIP_GENERATOR => Some(Qualifier::Zip(
                    children(qualifier, GENERATOR)
                        .map(|generator| self.generator(generator))
                        .collect(),
                )),
                kind if is_expr(kind) => Some(Qualifier::Filter(self.expr(qualifier))),
                _ => None,
            })
            .collect()
    }

    fn generator(&mut self, generator: View<'_>) -> Generator {
        let kinds = [
            L_ARROW,
            L_ARROW_STRICT,
            L_DOUBLE_ARROW,
            L_DOUBLE_ARROW_STRICT,
        ];
        let op = generator
            .children_with_tokens()
            .filter_map(NodeOrToken::into_token)
            .map(|token| token.kind())
            .find(|kind| kinds.contains(kind))
            .unwrap_or(L_ARROW);
        let (mut kind, strict) = generator_kind(op);
        let (before, after) = split_at(generator, &kinds);
        let pat = match before.first() {
            Some(&node) if node.kind() == MAP_FIELD => {
                kind = GeneratorKind::Map;
                let (key, value) = split_at(node, &[FAT_ARROW, COLON_EQ]);
                let key = self.pat_opt(first_expr(&key), node);
                let value = self.pat_opt(first_expr(&value), node);
                GeneratorPat::MapEntry { key, value }
            }
            _ => GeneratorPat::Pat(self.pat_opt(first_expr(&before), generator)),
        };
        let source = self.expr_opt(first_expr(&after), generator);
        Generator {
            kind,
            strict,
            pat,
            source,
        }
    }

    fn fun_clauses(&mut self, fun: View<'_>) -> (Option<PatId>, Vec<Clause>) {
        let mut name = None;
        let mut clauses = Vec::new();
        for (index, clause) in children(fun, FUN_CLAUSE).enumerate() {
            if index == 0
                && let Some(var) = name_child(clause).filter(|name| name.kind() == VAR)
                && let Some(text) = token_text(var, VAR)
            {
                let range = self.range(var);
                name = Some(self.alloc_pat(Pat::Var(SmolStr::new(text)), range));
            }
            clauses.push(self.clause(clause));
        }
        (name, clauses)
    }

    /// `(Name, Args)` of a macro call: its name and its arguments lowered.
    fn macro_call(&mut self, call: View<'_>) -> (Option<SmolStr>, Option<Vec<ExprId>>) {
        let name = name_child(call).and_then(name_text);
        (name, self.macro_args(call))
    }

    fn expr(&mut self, node: View<'_>) -> ExprId {
        let range = self.range(node);
        let expr = match node.kind() {
            PAREN_EXPR => return self.expr_opt(expr_child(node), node),
            VAR => match token_text(node, VAR) {
                Some(text) => Expr::Var(SmolStr::new(text)),
                None => Expr::Missing,
            },
            ATOM => atom_value(node).map_or(Expr::Missing, Expr::Atom),
            LITERAL => literal(node).map_or(Expr::Missing, Expr::Literal),
            STRING_CONCAT => match concatenated_string(node) {
                Some(text) => Expr::Literal(Literal::String(text)),
                None => Expr::StringConcat(self.exprs(node)),
            },
            MACRO_CALL => match symbolic_macro(node) {
                Some(symbolic) => Expr::Symbolic(symbolic),
                None => {
                    let (name, args) = self.macro_call(node);
                    Expr::MacroCall { name, args }
                }
            },
            MACRO_STRING => Expr::MacroString(name_child(node).and_then(name_text)),
            BINARY_EXPR => self.binary_expr(node),
            UNARY_EXPR => {
                let op = first_token_kind(node).and_then(unary_op);
                let operand = self.expr_opt(expr_child(node), node);
                match op {
                    Some(op) => Expr::UnaryOp { op, expr: operand },
                    None => Expr::Missing,
                }
            }
            CATCH_EXPR => Expr::Catch(self.expr_opt(expr_child(node), node)),
            TUPLE => Expr::Tuple(self.exprs(node)),
            LIST => {
                let (before, after) = split_at(node, &[PIPE]);
                let elems = before
                    .iter()
                    .filter(|elem| is_expr(elem.kind()))
                    .map(|&elem| self.expr(elem))
                    .collect();
                let tail = if has_token(node, PIPE) {
                    Some(self.expr_opt(first_expr(&after), node))
                } else {
                    None
                };
                Expr::List { elems, tail }
            }
            LIST_COMPREHENSION => {
                let expr = self.expr_opt(expr_child(node), node);
                Expr::ListComprehension {
                    expr,
                    qualifiers: self.qualifiers(node),
                }
            }
            BINARY => Expr::Binary(
                self.bin_segments(node, |ctx, value, parent| ctx.expr_opt(value, parent)),
            ),
            BINARY_COMPREHENSION => {
                let expr = self.expr_opt(expr_child(node), node);
                Expr::BinaryComprehension {
                    expr,
                    qualifiers: self.qualifiers(node),
                }
            }
            MAP_EXPR => {
                let (before, _) = split_at(node, &[POUND]);
                let base = first_expr(&before).map(|base| self.expr(base));
                let fields = children(node, MAP_FIELD)
                    .map(|field| self.map_field(field))
                    .collect();
                match base {
                    Some(base) => Expr::MapUpdate { base, fields },
                    None => Expr::Map(fields),
                }
            }
            MAP_COMPREHENSION => {
                let (key, value) = match child(node, MAP_FIELD) {
                    Some(field) => {
                        let field = self.map_field(field);
                        (field.key, field.value)
                    }
                    None => (self.missing_expr(node), self.missing_expr(node)),
                };
                Expr::MapComprehension {
                    key,
                    value,
                    qualifiers: self.qualifiers(node),
                }
            }
            RECORD_EXPR => {
                let (before, after) = split_at(node, &[POUND]);
                let base = first_expr(&before).map(|base| self.expr(base));
                let name = Self::record_name(&after);
                let fields =
                    self.record_fields(node, |ctx, value, parent| ctx.expr_opt(value, parent));
                match base {
                    Some(base) => Expr::RecordUpdate { base, name, fields },
                    None => Expr::Record { name, fields },
                }
            }
            RECORD_FIELD_ACCESS => {
                let (before, after) = split_at(node, &[POUND]);
                let base = self.expr_opt(first_expr(&before), node);
                let (name, field) = record_name_and_field(&after);
                Expr::RecordField { base, name, field }
            }
            RECORD_INDEX => {
                let (_, after) = split_at(node, &[POUND]);
                let (name, field) = record_name_and_field(&after);
                Expr::RecordIndex { name, field }
            }
            CALL => {
                let callee_node = node
                    .children()
                    .find(|child| child.kind() != ARG_LIST)
                    .filter(|callee| is_expr(callee.kind()));
                let callee = match callee_node.map(strip_parens) {
                    Some(remote) if remote.kind() == REMOTE => {
                        let (module, function) = self.remote_parts(remote);
                        Callee::Remote { module, function }
                    }
                    _ => Callee::Local(self.expr_opt(callee_node, node)),
                };
                let args = child(node, ARG_LIST)
                    .map(|args| self.exprs(args))
                    .unwrap_or_default();
                Expr::Call { callee, args }
            }
            REMOTE => {
                let (module, function) = self.remote_parts(node);
                Expr::Remote { module, function }
            }
            BLOCK_EXPR => Expr::Block(self.exprs(node)),
            CASE_EXPR => {
                let expr = self.expr_opt(expr_child(node), node);
                Expr::Case {
                    expr,
                    clauses: self.cr_clauses(node),
                }
            }
            IF_EXPR => Expr::If(
                children(node, IF_CLAUSE)
                    .map(|clause| IfClause {
                        guards: self.guards(clause),
                        body: self.clause_body(clause),
                    })
                    .collect(),
            ),
            RECEIVE_EXPR => {
                let clauses = self.cr_clauses(node);
                let after = child(node, RECEIVE_AFTER).map(|after| {
                    let timeout = self.expr_opt(expr_child(after), after);
                    ReceiveAfter {
                        timeout,
                        body: self.clause_body(after),
                    }
                });
                Expr::Receive { clauses, after }
            }
            TRY_EXPR => {
                let exprs = self.exprs(node);
                let of_clauses = child(node, TRY_OF)
                    .map(|of| self.cr_clauses(of))
                    .unwrap_or_default();
                let catch_clauses = child(node, TRY_CATCH)
                    .map(|catch| {
                        children(catch, CATCH_CLAUSE)
                            .map(|clause| self.catch_clause(clause))
                            .collect()
                    })
                    .unwrap_or_default();
                let after = child(node, TRY_AFTER)
                    .map(|after| self.exprs(after))
                    .unwrap_or_default();
                Expr::Try {
                    exprs,
                    of_clauses,
                    catch_clauses,
                    after,
                }
            }
            MAYBE_EXPR => {
                let exprs = self.exprs(node);
                let else_clauses = child(node, MAYBE_ELSE).map(|else_| self.cr_clauses(else_));
                Expr::Maybe {
                    exprs,
                    else_clauses,
                }
            }
            FUN_EXPR => {
                let (name, clauses) = self.fun_clauses(node);
                Expr::Fun { name, clauses }
            }
            FUN_REF => {
                let (before_colon, after_colon) = split_at(node, &[COLON]);
                let has_colon = has_token(node, COLON);
                let module = if has_colon {
                    first_expr(&before_colon).map(|module| self.expr(module))
                } else {
                    None
                };
                let function = if has_colon {
                    first_expr(&after_colon)
                } else {
                    expr_child(node)
                };
                let function = self.expr_opt(function, node);
                let (_, after) = split_at(node, &[SLASH]);
                let arity = self.expr_opt(first_expr(&after), node);
                Expr::FunRef {
                    module,
                    function,
                    arity,
                }
            }
            // Types are no expressions.
            _ => Expr::Missing,
        };
        self.alloc_expr(expr, range)
    }

    fn binary_expr(&mut self, node: View<'_>) -> Expr {
        let kind = first_token_kind(node);
        let (before, after) = match kind {
            Some(kind) => split_at(node, &[kind]),
            None => (node.children().collect(), Nodes::new()),
        };
        match kind {
            Some(EQ | QUESTION_EQ) => {
                let pat = self.pat_opt(first_expr(&before), node);
                let expr = self.expr_opt(first_expr(&after), node);
                if kind == Some(EQ) {
                    Expr::Match { pat, expr }
                } else {
                    Expr::MaybeMatch { pat, expr }
                }
            }
            Some(kind) => match binary_op(kind) {
                Some(op) => {
                    let lhs = self.expr_opt(first_expr(&before), node);
                    let rhs = self.expr_opt(first_expr(&after), node);
                    Expr::BinaryOp { op, lhs, rhs }
                }
                // `|` and `..` belong to types.
                None => Expr::Missing,
            },
            None => Expr::Missing,
        }
    }

    fn remote_parts(&mut self, remote: View<'_>) -> (ExprId, ExprId) {
        let (before, after) = split_at(remote, &[COLON]);
        let module = self.expr_opt(first_expr(&before), remote);
        let function = self.expr_opt(first_expr(&after), remote);
        (module, function)
    }

    fn pat(&mut self, node: View<'_>) -> PatId {
        let range = self.range(node);
        let pat = match node.kind() {
            PAREN_EXPR => return self.pat_opt(expr_child(node), node),
            VAR => match token_text(node, VAR) {
                Some("_") => Pat::Wildcard,
                Some(text) => Pat::Var(SmolStr::new(text)),
                None => Pat::Missing,
            },
            ATOM => atom_value(node).map_or(Pat::Missing, Pat::Atom),
            LITERAL => literal(node).map_or(Pat::Missing, Pat::Literal),
            STRING_CONCAT => match concatenated_string(node) {
                Some(text) => Pat::Literal(Literal::String(text)),
                None => Pat::StringConcat(expr_children(node).map(|part| self.pat(part)).collect()),
            },
            MACRO_CALL => match symbolic_macro(node) {
                Some(symbolic) => Pat::Symbolic(symbolic),
                None => {
                    let (name, args) = self.macro_call(node);
                    Pat::MacroCall { name, args }
                }
            },
            BINARY_EXPR => {
                let kind = first_token_kind(node);
                let (before, after) = match kind {
                    Some(kind) => split_at(node, &[kind]),
                    None => (Nodes::new(), Nodes::new()),
                };
                match kind {
                    Some(EQ) => {
                        let lhs = self.pat_opt(first_expr(&before), node);
                        let rhs = self.pat_opt(first_expr(&after), node);
                        Pat::Match { lhs, rhs }
                    }
                    Some(kind) => match binary_op(kind) {
                        Some(op) => {
                            let lhs = self.pat_opt(first_expr(&before), node);
                            let rhs = self.pat_opt(first_expr(&after), node);
                            Pat::BinaryOp { op, lhs, rhs }
                        }
                        None => Pat::Expr(self.expr(node)),
                    },
                    None => Pat::Expr(self.expr(node)),
                }
            }
            UNARY_EXPR => match first_token_kind(node).and_then(unary_op) {
                Some(op) => Pat::UnaryOp {
                    op,
                    pat: self.pat_opt(expr_child(node), node),
                },
                None => Pat::Expr(self.expr(node)),
            },
            TUPLE => Pat::Tuple(expr_children(node).map(|elem| self.pat(elem)).collect()),
            LIST => {
                let (before, after) = split_at(node, &[PIPE]);
                let elems = before
                    .iter()
                    .filter(|elem| is_expr(elem.kind()))
                    .map(|&elem| self.pat(elem))
                    .collect();
                let tail = if has_token(node, PIPE) {
                    Some(self.pat_opt(first_expr(&after), node))
                } else {
                    None
                };
                Pat::List { elems, tail }
            }
            BINARY => Pat::Binary(
                self.bin_segments(node, |ctx, value, parent| ctx.pat_opt(value, parent)),
            ),
            MAP_EXPR if !has_base(node) => Pat::Map(
                children(node, MAP_FIELD)
                    .map(|field| {
                        let (before, after) = split_at(field, &[FAT_ARROW, COLON_EQ]);
                        let key = self.expr_opt(first_expr(&before), field);
                        let value = self.pat_opt(first_expr(&after), field);
                        MapPatField {
                            key,
                            op: Self::map_op(field),
                            value,
                        }
                    })
                    .collect(),
            ),
            RECORD_EXPR if !has_base(node) => {
                let (_, after) = split_at(node, &[POUND]);
                let name = Self::record_name(&after);
                let fields =
                    self.record_fields(node, |ctx, value, parent| ctx.pat_opt(value, parent));
                Pat::Record { name, fields }
            }
            RECORD_INDEX => {
                let (_, after) = split_at(node, &[POUND]);
                let (name, field) = record_name_and_field(&after);
                Pat::RecordIndex { name, field }
            }
            _ => Pat::Expr(self.expr(node)),
        };
        self.alloc_pat(pat, range)
    }
}

/// Whether a map or record expression has an expression before its `#`.
fn has_base(node: View<'_>) -> bool {
    first_expr(&split_at(node, &[POUND]).0).is_some()
}

/// The expression inside any parentheses around `expr`.
fn strip_parens(expr: View<'_>) -> View<'_> {
    match expr.kind() {
        PAREN_EXPR => match expr_child(expr) {
            Some(inner) => strip_parens(inner),
            None => expr,
        },
        _ => expr,
    }
}

/// `name.field` after the `#` of `#name.field` or `Base#name.field`.
fn record_name_and_field(after_pound: &[View<'_>]) -> (Option<SmolStr>, Option<SmolStr>) {
    (
        atom_name(after_pound.first().copied()),
        atom_name(after_pound.get(1).copied()),
    )
}
