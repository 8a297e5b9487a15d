//! Containers (lists, tuples, maps, records, binaries, arguments) and comprehensions.

use crate::algebra::{Doc, lines, soft_break, text};
use crate::node::{Kind, Meta, Node};

use super::Layout;
use super::comments::{combine_comments, comments, comments_to_algebra};
use super::strings::is_multiline_string;
use super::{
    INDENT, break_2, do_expr_to_algebra, expr_to_algebra, flex_break_2, fold_doc,
    has_break_between, has_empty_line_between, has_inner_break, maybe_force_breaks,
    maybe_wrap_in_parens, surround,
};

/// The break between the elements: `break` or `flex_break`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BreakKind {
    Break,
    FlexBreak,
}

/// Whether the last element may hug the brackets (`last_fits`) or not (`last_normal`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum LastFits {
    LastNormal,
    LastFits,
}

/// erlfmt's `break_behaviour()`: `flex_break | no_break | #break{}`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum BreakBehaviour {
    FlexBreak,
    NoBreak,
    Break { outer: bool, inner: bool },
}

pub(super) fn container<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        d,
        meta,
        values,
        left,
        right,
        BreakKind::Break,
        LastFits::LastNormal,
    )
}

pub(super) fn flex_container<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        d,
        meta,
        values,
        left,
        right,
        BreakKind::FlexBreak,
        LastFits::LastFits,
    )
}

pub(super) fn call<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        d,
        meta,
        values,
        left,
        right,
        BreakKind::Break,
        LastFits::LastFits,
    )
}

fn container_common<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
    break_kind: BreakKind,
    last_fits: LastFits,
) -> Doc<'a> {
    if values.is_empty() {
        return d.concat(&[left, right]);
    }
    let last_fits_fun = last_fits_fun(last_fits, values);
    let break_behaviour = break_behaviour(meta, values, break_kind);
    let values_vd = map_inner_values(d, last_fits_fun, values);
    let doc = join_inner_values(d, break_fun(break_behaviour), values_vd);
    let surrounded = surround_container(d, break_behaviour, left, doc, right);
    if last_fits_fun {
        d.next_break_fits_disabled(surrounded)
    } else {
        surrounded
    }
}

fn break_behaviour(meta: &Meta<'_>, values: &[Node<'_>], break_kind: BreakKind) -> BreakBehaviour {
    let has_opening_line_break = has_opening_line_break(meta, values);
    let has_trailing_comments = has_trailing_comments(values);
    let force_outer = has_opening_line_break || has_trailing_comments;
    if break_kind == BreakKind::FlexBreak && !force_outer {
        match values {
            [
                Node {
                    kind: Kind::BinElement { expr, .. },
                    ..
                },
            ] if matches!(expr.kind, Kind::String(_)) => {
                if matches!(expr.kind, Kind::String(string) if is_multiline_string(string)) {
                    BreakBehaviour::Break {
                        outer: false,
                        inner: false,
                    }
                } else {
                    BreakBehaviour::NoBreak
                }
            }
            [sole_element] => {
                if is_container(sole_element) {
                    BreakBehaviour::NoBreak
                } else {
                    BreakBehaviour::Break {
                        outer: false,
                        inner: false,
                    }
                }
            }
            [first, ..] => {
                if is_tag(first) {
                    BreakBehaviour::FlexBreak
                } else {
                    BreakBehaviour::Break {
                        outer: false,
                        inner: false,
                    }
                }
            }
            [] => BreakBehaviour::FlexBreak,
        }
    } else {
        let has_inner_breaks = has_any_break_between(values);
        let force_inner = has_inner_breaks || has_trailing_comments;
        BreakBehaviour::Break {
            outer: force_outer,
            inner: force_inner,
        }
    }
}

/// Allow inlining binary literals and argless macros.
fn is_tag(expr: &Node<'_>) -> bool {
    match &expr.kind {
        Kind::Bin(values) => match values {
            [] => true,
            [single] => match &single.kind {
                Kind::BinElement { expr, .. } => match expr.kind {
                    Kind::String(string) => !is_multiline_string(string),
                    _ => false,
                },
                _ => false,
            },
            _ => false,
        },
        Kind::MacroCall(_, None) => true,
        Kind::MacroCall(_, Some(args)) => args.is_empty(),
        Kind::BinElement { expr, .. } => is_tag(expr),
        Kind::Atom(_) | Kind::String(_) | Kind::Var(_) | Kind::Integer(_) | Kind::Float(_) => true,
        _ => false,
    }
}

fn is_container(expr: &Node<'_>) -> bool {
    matches!(
        expr.kind,
        Kind::Tuple(_)
            | Kind::Bin(_)
            | Kind::List(_)
            | Kind::Map(..)
            | Kind::Record { .. }
            | Kind::Call(..)
            | Kind::MacroCall(..)
            | Kind::ListComprehension(..)
            | Kind::BinaryComprehension(..)
    )
}

fn surround_container<'a>(
    d: Layout<'a>,
    break_behaviour: BreakBehaviour,
    left: Doc<'a>,
    doc: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    match break_behaviour {
        BreakBehaviour::NoBreak => d.concat(&[left, doc, right]),
        BreakBehaviour::FlexBreak => {
            d.group(d.concat(&[d.nest_if_break(d.concat(&[left, doc]), INDENT), right]))
        }
        BreakBehaviour::Break { outer, inner } => {
            let inner_doc = d.group(d.concat(&[maybe_force_breaks(inner), doc]));
            surround(
                d,
                left,
                "",
                d.concat(&[maybe_force_breaks(outer), inner_doc]),
                "",
                right,
            )
        }
    }
}

/// Whether the last value gets `next_break_fits` (erlfmt's `last_fits_fun/2`
/// returns `next_break_fits/2` or the identity).
fn last_fits_fun(last_fits: LastFits, values: &[Node<'_>]) -> bool {
    match (last_fits, values.last()) {
        (LastFits::LastFits, Some(last)) => is_next_break_fits(&last.meta, &last.kind),
        _ => false,
    }
}

fn has_trailing_comments(values: &[Node<'_>]) -> bool {
    match values.last() {
        None => false,
        Some(Node {
            kind: Kind::Comment(_),
            ..
        }) => true,
        Some(last_value) => !comments(&last_value.meta).1.is_empty(),
    }
}

fn has_opening_line_break(meta: &Meta<'_>, values: &[Node<'_>]) -> bool {
    match values.first() {
        None => false,
        Some(head_value) => has_inner_break(meta, &head_value.meta),
    }
}

pub(super) fn has_any_break_between(values: &[Node<'_>]) -> bool {
    values
        .windows(2)
        .any(|pair| has_break_between(&pair[0].meta, &pair[1].meta))
        || match values.last() {
            Some(Node {
                kind: Kind::Cons(head, tail),
                ..
            }) => has_break_between(&head.meta, &tail.meta),
            _ => false,
        }
}

/// `break/2` or `flex_break/2`.
fn break_fun<'a>(break_behaviour: BreakBehaviour) -> fn(Layout<'a>, Doc<'a>, Doc<'a>) -> Doc<'a> {
    if break_behaviour == BreakBehaviour::FlexBreak {
        flex_break_2
    } else {
        break_2
    }
}

/// Each value with its document; comments that end a container are one document.
///
/// The documents are made as they are taken, from the last (`join_inner_values`
/// folds from the right): no list of them is gathered.
fn map_inner_values<'n, 'a>(
    d: Layout<'a>,
    last_fits: bool,
    values: &'n [Node<'a>],
) -> impl DoubleEndedIterator<Item = (&'n Node<'a>, Doc<'a>)> {
    // erlfmt's `[{comment, _, _} = FirstComment | _] = Comments` takes the rest of
    // the values as comments: standalone comments only ever end a container.
    let trailing_comments = values
        .iter()
        .rposition(|value| !matches!(value.kind, Kind::Comment(_)))
        .map_or(0, |at| at + 1);
    let (exprs, comments) = values.split_at(trailing_comments);
    let exprs_vd = exprs.iter().enumerate().map(move |(at, value)| {
        let value_d = expr_to_algebra(d, value);
        if at + 1 == values.len() && last_fits {
            (value, d.next_break_fits(value_d))
        } else {
            (value, value_d)
        }
    });
    let comments_vd = comments.first().map(|first_comment| {
        let comments = comments.iter().filter_map(|value| match &value.kind {
            Kind::Comment(comment) => Some(comment),
            _ => None,
        });
        (first_comment, comments_to_algebra(d, comments))
    });
    exprs_vd.chain(comments_vd)
}

/// join_inner_values combines pairs of values and their document representation into one document.
/// It preserves empty lines and adds commas between documents.
fn join_inner_values<'n, 'a: 'n>(
    d: Layout<'a>,
    break_fun: fn(Layout<'a>, Doc<'a>, Doc<'a>) -> Doc<'a>,
    values_vd: impl DoubleEndedIterator<Item = (&'n Node<'a>, Doc<'a>)>,
) -> Doc<'a> {
    let mut values_vd = values_vd.rev();
    let Some((mut next, mut acc)) = values_vd.next() else {
        return Doc::default();
    };
    for (value, value_d) in values_vd {
        acc = if has_empty_line_between(&value.meta, &next.meta) {
            d.concat(&[value_d, text(","), lines(2), acc])
        } else {
            break_fun(d, d.concat(&[value_d, text(",")]), acc)
        };
        next = value;
    }
    acc
}

pub(super) fn cons_to_algebra<'a>(d: Layout<'a>, head: &Node<'a>, tail: &Node<'a>) -> Doc<'a> {
    let head_d = expr_to_algebra(d, head);
    let tail_d = d.concat(&[
        text("| "),
        maybe_wrap_in_parens(d, &tail.meta, do_expr_to_algebra(d, &tail.meta, &tail.kind)),
    ]);
    break_2(d, head_d, combine_comments(d, &tail.meta, tail_d))
}

pub(super) fn bin_element_to_algebra<'a>(
    d: Layout<'a>,
    expr: &Node<'a>,
    size: Option<&Node<'a>>,
    types: Option<&[Node<'a>]>,
) -> Doc<'a> {
    let mut docs = vec![expr_to_algebra(d, expr)];
    if let Some(size) = size {
        docs.push(bin_size_to_algebra(d, size));
    }
    if let Some(types) = types {
        docs.push(bin_types_to_algebra(d, types));
    }
    d.concat(&docs)
}

fn bin_size_to_algebra<'a>(d: Layout<'a>, expr: &Node<'a>) -> Doc<'a> {
    d.concat(&[text(":"), expr_to_algebra(d, expr)])
}

fn bin_types_to_algebra<'a>(d: Layout<'a>, types: &[Node<'a>]) -> Doc<'a> {
    let types_d = types.iter().map(|expr| expr_to_algebra(d, expr));
    d.concat(&[
        text("/"),
        fold_doc(d, types_d, |d, doc, acc| d.concat(&[doc, text("-"), acc])),
    ])
}

pub(super) fn record_access_to_algebra<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    name: &Node<'a>,
    key: &Node<'a>,
) -> Doc<'a> {
    d.concat(&[
        record_name_to_algebra(d, meta, name),
        text("."),
        expr_to_algebra(d, key),
    ])
}

/// Differentiate between #?FOO{} and ?FOO{}
pub(super) fn record_name_to_algebra<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    name: &Node<'a>,
) -> Doc<'a> {
    if meta.macro_record {
        expr_to_algebra(d, name)
    } else {
        d.concat(&[text("#"), expr_to_algebra(d, name)])
    }
}

pub(super) fn comprehension_to_algebra<'a>(
    d: Layout<'a>,
    expr: &Node<'a>,
    lc_exprs: &[Node<'a>],
    left: &'static str,
    right: &'static str,
) -> Doc<'a> {
    let expr_d = expr_to_algebra(d, expr);
    let lc_exprs_d = lc_exprs.iter().map(|expr| expr_to_algebra(d, expr));
    let lc_expr_d = fold_doc(d, lc_exprs_d, |d, doc, acc| {
        break_2(d, d.concat(&[doc, text(",")]), acc)
    });
    let post_break = maybe_force_breaks(has_any_break_between(lc_exprs));
    let pre_break = d.concat(&[
        maybe_force_breaks(
            lc_exprs
                .first()
                .is_some_and(|lc_expr| has_break_between(&expr.meta, &lc_expr.meta)),
        ),
        soft_break(),
    ]);
    let indent_expr = d.nest_if_break(d.concat(&[soft_break(), expr_d]), INDENT);
    let ident_lcs = d.nest(d.group(d.concat(&[post_break, lc_expr_d])), INDENT);
    d.group(d.concat(&[
        text(left),
        indent_expr,
        pre_break,
        text(" || "),
        ident_lcs,
        soft_break(),
        text(right),
    ]))
}

pub(super) fn is_next_break_fits(meta: &Meta<'_>, kind: &Kind<'_>) -> bool {
    match kind {
        Kind::Tuple(values) | Kind::Bin(values) => {
            let break_behaviour = break_behaviour(meta, values, BreakKind::FlexBreak);
            matches!(break_behaviour, BreakBehaviour::Break { .. })
                && has_no_comments_or_parens(meta)
        }
        Kind::Map(..)
        | Kind::List(_)
        | Kind::Record { .. }
        | Kind::Block(_)
        | Kind::Fun(_)
        | Kind::ListComprehension(..)
        | Kind::BinaryComprehension(..) => has_no_comments_or_parens(meta),
        _ => false,
    }
}

pub(super) fn has_no_comments_or_parens(meta: &Meta<'_>) -> bool {
    let (pre, post) = comments(meta);
    pre.is_empty() && post.is_empty() && !meta.parens
}
