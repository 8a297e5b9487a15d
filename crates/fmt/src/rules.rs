//! erlfmt's layout rules (its `erlfmt_format` module) on erlfmt's nodes: each node
//! becomes a document of `crate::algebra`.
//!
//! A port of `erlfmt_format.erl` (erlfmt 1.8.0), function by function, with
//! erlfmt's function names so that the two read side by side. Where erlfmt has
//! one name for functions of several arities, the other arities get the arity as
//! a suffix (`block_to_algebra/2` is `block_to_algebra_2`). The calls of
//! `erlfmt_algebra` map to `crate::algebra` as follows: `string` is [`text`],
//! `concat/2,3` is [`Docs::concat`] of the documents (the n-ary `concat` folds
//! from the right and merges trailing texts, as erlfmt's nested `concat/2` does),
//! `break/2` is [`break_2`], `line/2` is [`line_2`], `space/2` is [`space`],
//! `nest/3` with `break` is [`Docs::nest_if_break`], and `next_break_fits/2` with
//! `disabled` is [`Docs::next_break_fits_disabled`]. The documents are built with
//! the same nesting as erlfmt's, empty documents included: which text follows a
//! group decides whether it fits, so the shapes are part of the layout.
//!
//! The documents are made in an arena: each function takes the arena's handle
//! `d` ([`Layout`], which dereferences to [`Docs`]) first, and `'a` is the
//! arena's lifetime; the nodes live at least as long (a node is covariant in its
//! lifetime).
//!
//! erlfmt rewrites a few nodes on the way (operator chains, export lists, one-clause
//! specs); here the input is not changed, nodes are copied into the arena where
//! erlfmt builds new ones, and the rest is done with parameters.

mod attributes;
mod clauses;
mod comments;
mod containers;
mod operators;
mod strings;
#[cfg(test)]
mod tests;

use crate::algebra::{self, Bump, Doc, Docs, empty, force_breaks, line, space_break, text};
use crate::node::{Kind, Loc, Meta, Node, Sigil};

use self::comments::{combine_comments, combine_comments_with_dot};

/// erlfmt's `?INDENT`.
const INDENT: u32 = 4;

/// The rules' handle on their arena: it makes the documents (it dereferences
/// to [`Docs`]) and holds the few nodes and annotations that erlfmt's rewrites
/// make on the way. A copyable handle: pass it by value.
#[derive(Clone, Copy)]
struct Layout<'a> {
    docs: Docs<'a>,
    bump: &'a Bump,
}

impl<'a> Layout<'a> {
    fn new(bump: &'a Bump) -> Layout<'a> {
        Layout {
            docs: Docs::new(bump),
            bump,
        }
    }

    /// The arena, for the nodes and annotations made on the way.
    fn bump(self) -> &'a Bump {
        self.bump
    }
}

impl<'a> std::ops::Deref for Layout<'a> {
    type Target = Docs<'a>;

    fn deref(&self) -> &Docs<'a> {
        &self.docs
    }
}

/// The document of one top-level node, comments included (erlfmt's `to_algebra/1`),
/// made in `bump`.
pub fn form_to_algebra<'a>(bump: &'a Bump, node: &Node<'a>) -> Doc<'a> {
    to_algebra(Layout::new(bump), node)
}

fn to_algebra<'a>(d: Layout<'a>, node: &Node<'a>) -> Doc<'a> {
    let meta = &node.meta;
    match &node.kind {
        Kind::Shebang(string) => combine_comments(d, meta, text(string)),
        Kind::Function(clauses) => {
            let doc = clauses::clauses_to_algebra(d, clauses);
            combine_comments_with_dot(d, meta, doc)
        }
        Kind::Attribute { name, values } => {
            attributes::attribute_form_to_algebra(d, meta, name, values.as_deref())
        }
        kind => {
            let doc = do_expr_to_algebra(d, meta, kind);
            if meta.dot {
                combine_comments_with_dot(d, meta, doc)
            } else {
                combine_comments(d, meta, doc)
            }
        }
    }
}

fn expr_to_algebra<'a>(d: Layout<'a>, node: &Node<'a>) -> Doc<'a> {
    expr_meta_to_algebra(d, &node.meta, &node.kind)
}

/// [`expr_to_algebra`] of a node whose annotation is `meta` (erlfmt rewrites
/// annotations in places; the node itself is not copied).
fn expr_meta_to_algebra<'a>(d: Layout<'a>, meta: &Meta<'a>, kind: &Kind<'a>) -> Doc<'a> {
    let doc = do_expr_to_algebra(d, meta, kind);
    combine_comments(d, meta, maybe_wrap_in_parens(d, meta, doc))
}

fn do_expr_to_algebra<'a>(d: Layout<'a>, meta: &Meta<'a>, kind: &Kind<'a>) -> Doc<'a> {
    use self::clauses::*;
    use self::containers::*;
    use self::operators::*;
    use self::strings::*;
    match kind {
        Kind::String(value) => string_to_algebra(d, value),
        Kind::Char("$ ") => text("$\\s"),
        Kind::Atom(value) if atom_value(value) == "maybe" => text("'maybe'"),
        Kind::Atom(value) if atom_value(value) == "else" => text("'else'"),
        Kind::Atom(value)
        | Kind::Var(value)
        | Kind::Integer(value)
        | Kind::Float(value)
        | Kind::Char(value) => text(value),
        Kind::Concat(values) => concat_to_algebra(d, values),
        Kind::UnaryOp(op, expr) => unary_op_to_algebra(d, op, expr),
        Kind::BinaryOp(op, left, right) => {
            binary_op_to_algebra(d, BinOp::Op(op), meta, left, right)
        }
        Kind::Tuple(values) => flex_container(d, meta, values, text("{"), text("}")),
        Kind::List(values) => container(d, meta, values, text("["), text("]")),
        Kind::Cons(head, tail) => cons_to_algebra(d, head, tail),
        Kind::Bin(values) => flex_container(d, meta, values, text("<<"), text(">>")),
        Kind::BinElement { expr, size, types } => {
            bin_element_to_algebra(d, expr, size.as_deref(), types.as_deref())
        }
        Kind::Map(None, values) => container(d, meta, values, text("#{"), text("}")),
        Kind::Map(Some(expr), values) => d.concat(&[
            wrap_if_integer(d, expr_to_algebra(d, expr), expr),
            container(d, &opening_meta(meta, expr), values, text("#{"), text("}")),
        ]),
        Kind::MapFieldAssoc(key, value) => field_to_algebra(d, "=>", key, value),
        Kind::MapFieldExact(key, value) => field_to_algebra(d, ":=", key, value),
        Kind::Record {
            base: None,
            name,
            fields,
        } => d.concat(&[
            record_name_to_algebra(d, meta, name),
            container(d, meta, fields, text("{"), text("}")),
        ]),
        Kind::Record {
            base: Some(expr),
            name,
            fields,
        } => d.concat(&[
            wrap_if_integer(d, expr_to_algebra(d, expr), expr),
            record_name_to_algebra(d, meta, name),
            container(d, &opening_meta(meta, expr), fields, text("{"), text("}")),
        ]),
        Kind::RecordField(key, Some(value)) => field_to_algebra(d, "=", key, value),
        Kind::RecordIndex(name, key) => record_access_to_algebra(d, meta, name, key),
        Kind::RecordField(name, None) => expr_to_algebra(d, name),
        Kind::RecordAccess { expr, name, field } => d.concat(&[
            wrap_if_integer(d, expr_to_algebra(d, expr), expr),
            record_access_to_algebra(d, meta, name, field),
        ]),
        Kind::RecordName(name) => record_name_to_algebra(d, meta, name),
        Kind::ListComprehension(expr, lc_exprs) => {
            comprehension_to_algebra(d, expr, lc_exprs, "[", "]")
        }
        Kind::MapComprehension(expr, lc_exprs) => {
            comprehension_to_algebra(d, expr, lc_exprs, "#{", "}")
        }
        Kind::BinaryComprehension(expr, lc_exprs) => {
            comprehension_to_algebra(d, expr, lc_exprs, "<<", ">>")
        }
        Kind::Generate(op, left, right) => field_to_algebra(d, op, left, right),
        Kind::Call(name, args) => d.concat(&[
            expr_to_algebra(d, name),
            call(d, &opening_meta(meta, name), args, text("("), text(")")),
        ]),
        Kind::MacroCall(name, None) => d.concat(&[text("?"), expr_to_algebra(d, name)]),
        Kind::MacroCall(name, Some(args)) => d.concat(&[
            text("?"),
            expr_to_algebra(d, name),
            call(d, meta, args, text("("), text(")")),
        ]),
        Kind::MacroString(name) => d.concat(&[text("??"), expr_to_algebra(d, name)]),
        Kind::Remote(left, right) => d.concat(&[
            expr_to_algebra(d, left),
            text(":"),
            expr_to_algebra(d, right),
        ]),
        Kind::Block(exprs) => surround_block(
            d,
            text("begin"),
            (!exprs.is_empty()).then(|| block_to_algebra_2(d, meta, exprs)),
            text("end"),
        ),
        Kind::Fun(fun) => fun_to_algebra(d, fun),
        Kind::Args(values) => container(d, meta, values, text("("), text(")")),
        Kind::Case(expr, clauses) => {
            let prefix = surround(
                d,
                text("case"),
                " ",
                expr_to_algebra(d, expr),
                " ",
                text("of"),
            );
            surround_block(
                d,
                prefix,
                (!clauses.is_empty()).then(|| clauses_to_algebra(d, clauses)),
                text("end"),
            )
        }
        Kind::Maybe(maybe_expressions, else_clause) => {
            let right = match else_clause {
                None => text("end"),
                Some(else_clause) => line_2(d, expr_to_algebra(d, else_clause), text("end")),
            };
            surround_block(
                d,
                text("maybe"),
                (!maybe_expressions.is_empty())
                    .then(|| maybe_expressions_to_algebra(d, maybe_expressions)),
                right,
            )
        }
        Kind::ElseClause(clauses) => d.concat(&[
            force_breaks(),
            d.group(d.concat(&[
                text("else"),
                d.nest(d.concat(&[line(), clauses_to_algebra(d, clauses)]), INDENT),
            ])),
        ]),
        Kind::Receive(clauses, after) => {
            let right = match after {
                None => text("end"),
                Some(after) => line_2(d, expr_to_algebra(d, after), text("end")),
            };
            surround_block(
                d,
                text("receive"),
                clauses
                    .as_deref()
                    .map(|clauses| expr_to_algebra(d, clauses)),
                right,
            )
        }
        Kind::AfterClause(expr, body) => receive_after_to_algebra(d, expr, body),
        Kind::Try {
            body,
            of,
            catch,
            after,
        } => try_to_algebra(d, body, of.as_deref(), catch.as_deref(), after),
        Kind::CatchPattern(exprs) => {
            let exprs_d = exprs.iter().map(|expr| expr_to_algebra(d, expr));
            fold_doc(d, exprs_d, |d, doc, acc| d.concat(&[doc, text(":"), acc]))
        }
        Kind::If(clauses) => surround_block(
            d,
            text("if"),
            (!clauses.is_empty()).then(|| clauses_to_algebra(d, clauses)),
            text("end"),
        ),
        Kind::Spec(name, spec_clauses) => {
            if let [single_clause] = spec_clauses
                && let Some(doc) = single_clause_spec_to_algebra(d, name, single_clause)
            {
                doc
            } else {
                d.group(d.nest(
                    line_2(
                        d,
                        expr_to_algebra(d, name),
                        clauses_to_algebra(d, spec_clauses),
                    ),
                    INDENT,
                ))
            }
        }
        Kind::Ellipsis => text("..."),
        Kind::BinSize(left, right) => d.concat(&[
            expr_to_algebra(d, left),
            text("*"),
            expr_to_algebra(d, right),
        ]),
        Kind::Clause { .. } | Kind::SpecClause { .. } => clause_to_algebra(d, meta, kind),
        Kind::GuardOr(guards) => guards_to_algebra(d, guards, ";"),
        Kind::GuardAnd(guards) => guards_to_algebra(d, guards, ","),
        Kind::FaGroup(grouped_exports) => attributes::fa_group_to_algebra(d, grouped_exports),
        Kind::Exprs(exprs) | Kind::Body(exprs) => block_to_algebra(d, exprs),
        Kind::Clauses(clauses) => clauses_to_algebra(d, clauses),
        Kind::Sigil(Sigil {
            prefix,
            string,
            string_meta: _,
            suffix,
        }) => sigil_to_algebra(d, prefix, string, suffix),
        // Not in erlfmt's `do_expr_to_algebra`: standalone comments are laid out
        // by the containers, the rest are top-level forms.
        Kind::Comment(comment) => comments::comments_to_algebra(d, [comment]),
        Kind::Empty => empty(),
        Kind::Function(clauses) => clauses_to_algebra(d, clauses),
        Kind::Attribute { name, values } => {
            attributes::attribute_form_to_algebra(d, meta, name, values.as_deref())
        }
        Kind::Shebang(string) => text(string),
    }
}

/// erlfmt's `surround/5`.
fn surround<'a>(
    d: Layout<'a>,
    left: Doc<'a>,
    left_space: &'static str,
    doc: Doc<'a>,
    right_space: &'static str,
    right: Doc<'a>,
) -> Doc<'a> {
    d.group(break_3(
        d,
        d.concat(&[
            left,
            d.nest_if_break(d.concat(&[algebra::break_with(left_space), doc]), INDENT),
        ]),
        right_space,
        right,
    ))
}

/// Workaround for misparse if record/map base is a raw integer
/// e.g. 2#{} is illigal, because it tries to scan the Base#Int syntax
fn wrap_if_integer<'a>(d: Layout<'a>, doc: Doc<'a>, expr: &Node<'a>) -> Doc<'a> {
    match expr.kind {
        Kind::Integer(_) if !expr.meta.parens => d.concat(&[text("("), doc, text(")")]),
        _ => doc,
    }
}

fn maybe_wrap_in_parens<'a>(d: Layout<'a>, meta: &Meta<'a>, doc: Doc<'a>) -> Doc<'a> {
    if meta.parens {
        d.concat(&[text("("), doc, text(")")])
    } else {
        doc
    }
}

fn maybe_force_breaks<'a>(force: bool) -> Doc<'a> {
    if force { force_breaks() } else { empty() }
}

/// `next_break_fits(Fun(next_break_fits(Doc, enabled)), disabled)` when `fits`.
fn with_next_break_fits<'a>(
    d: Layout<'a>,
    fits: bool,
    doc: Doc<'a>,
    fun: impl FnOnce(Doc<'a>) -> Doc<'a>,
) -> Doc<'a> {
    if fits {
        d.next_break_fits_disabled(fun(d.next_break_fits(doc)))
    } else {
        fun(doc)
    }
}

// erlfmt_algebra's combinators of two documents.

/// `break(A, B)`.
fn break_2<'a>(d: Layout<'a>, left: Doc<'a>, right: Doc<'a>) -> Doc<'a> {
    d.concat(&[left, space_break(), right])
}

/// `break(A, S, B)`.
fn break_3<'a>(d: Layout<'a>, left: Doc<'a>, string: &'static str, right: Doc<'a>) -> Doc<'a> {
    d.concat(&[left, algebra::break_with(string), right])
}

/// `flex_break(A, B)`.
fn flex_break_2<'a>(d: Layout<'a>, left: Doc<'a>, right: Doc<'a>) -> Doc<'a> {
    d.concat(&[left, algebra::flex_break(" "), right])
}

/// `line(A, B)`.
fn line_2<'a>(d: Layout<'a>, left: Doc<'a>, right: Doc<'a>) -> Doc<'a> {
    d.concat(&[left, line(), right])
}

/// `space(A, B)`.
fn space<'a>(d: Layout<'a>, left: Doc<'a>, right: Doc<'a>) -> Doc<'a> {
    d.concat(&[left, text(" "), right])
}

/// `fold_doc(Fun, Docs)`: folds from the right, the last document being the first
/// accumulator. The documents are made as they are folded, from the last: the
/// rules make them without side effects, so the order does not matter, and no
/// list of them is gathered first.
fn fold_doc<'a, I>(
    d: Layout<'a>,
    docs: I,
    fun: impl Fn(Layout<'a>, Doc<'a>, Doc<'a>) -> Doc<'a>,
) -> Doc<'a>
where
    I: IntoIterator<Item = Doc<'a>>,
    I::IntoIter: DoubleEndedIterator,
{
    let mut docs = docs.into_iter().rev();
    let Some(mut acc) = docs.next() else {
        return empty();
    };
    for doc in docs {
        acc = fun(d, doc, acc);
    }
    acc
}

// Locations (erlfmt_scan's accessors and erlfmt_format's predicates).

fn has_break_between(left: &Meta<'_>, right: &Meta<'_>) -> bool {
    left.end_line() < right.line()
}

/// `has_break_between(Left, [Right | _])`; false when there is no right.
fn has_break_between_first(left: &Meta<'_>, right: &[Node<'_>]) -> bool {
    right
        .first()
        .is_some_and(|right| has_break_between(left, &right.meta))
}

fn has_empty_line_between(left: &Meta<'_>, right: &Meta<'_>) -> bool {
    left.end_line().saturating_add(1) < right.line()
}

fn has_inner_break(outer: &Meta<'_>, inner: &Meta<'_>) -> bool {
    outer.inner_line() < inner.line()
}

fn is_multiline(meta: &Meta<'_>) -> bool {
    meta.inner_line() != meta.inner_end_line()
}

/// The value of an atom written `text`: without its quotes if it is quoted.
fn atom_value(text: &str) -> &str {
    match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(unquoted) => unquoted,
        None => text,
    }
}

/// The annotation a container after `before` (a callee, a map or record being
/// updated) is laid out with: erlfmt's, except that the container starts where
/// `before` ends.
///
/// A deliberate difference: erlfmt takes the line where `before` starts, so once
/// a callee such as `(fun ... end)` spans lines, the next run sees an "opening
/// line break" that is not there and breaks the arguments, and a second run
/// changes the output. Where `before` is on one line, as in the input erlfmt's
/// output agrees with, the two are the same.
fn opening_meta<'a>(meta: &Meta<'a>, before: &Node<'a>) -> Meta<'a> {
    let opening = Loc::new(before.meta.inner_end_line().max(meta.inner_line()), 1);
    Meta::new(opening, meta.end)
}
