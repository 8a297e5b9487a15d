//! Containers (lists, tuples, maps, records, binaries, arguments) and comprehensions.

use crate::algebra::{
    Doc, concat, lines, nest, nest_if_break, next_break_fits, next_break_fits_disabled, soft_break,
    text,
};
use crate::node::{Kind, Meta, Node};

use super::comments::{combine_comments, comments, comments_to_algebra};
use super::strings::is_multiline_string;
use super::{
    INDENT, break_2, do_expr_to_algebra, expr_to_algebra, flex_break_2, fold_doc, group,
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
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        meta,
        values,
        left,
        right,
        BreakKind::Break,
        LastFits::LastNormal,
    )
}

pub(super) fn flex_container<'a>(
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        meta,
        values,
        left,
        right,
        BreakKind::FlexBreak,
        LastFits::LastFits,
    )
}

pub(super) fn call<'a>(
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    container_common(
        meta,
        values,
        left,
        right,
        BreakKind::Break,
        LastFits::LastFits,
    )
}

fn container_common<'a>(
    meta: &Meta<'a>,
    values: &[Node<'a>],
    left: Doc<'a>,
    right: Doc<'a>,
    break_kind: BreakKind,
    last_fits: LastFits,
) -> Doc<'a> {
    if values.is_empty() {
        return concat([left, right]);
    }
    let last_fits_fun = last_fits_fun(last_fits, values);
    let break_behaviour = break_behaviour(meta, values, break_kind);
    let values_vd = map_inner_values(last_fits_fun, values);
    let doc = join_inner_values(break_fun(break_behaviour), values_vd);
    let surrounded = surround_container(break_behaviour, left, doc, right);
    if last_fits_fun {
        next_break_fits_disabled(surrounded)
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
        Kind::Bin(values) => match values.as_slice() {
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
    break_behaviour: BreakBehaviour,
    left: Doc<'a>,
    doc: Doc<'a>,
    right: Doc<'a>,
) -> Doc<'a> {
    match break_behaviour {
        BreakBehaviour::NoBreak => concat([left, doc, right]),
        BreakBehaviour::FlexBreak => {
            group(concat([nest_if_break(concat([left, doc]), INDENT), right]))
        }
        BreakBehaviour::Break { outer, inner } => {
            let inner_doc = group(concat([maybe_force_breaks(inner), doc]));
            surround(
                left,
                "",
                concat([maybe_force_breaks(outer), inner_doc]),
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
fn break_fun<'a>(break_behaviour: BreakBehaviour) -> fn(Doc<'a>, Doc<'a>) -> Doc<'a> {
    if break_behaviour == BreakBehaviour::FlexBreak {
        flex_break_2
    } else {
        break_2
    }
}

/// Each value with its document; comments that end a container are one document.
fn map_inner_values<'n, 'a>(
    last_fits: bool,
    values: &'n [Node<'a>],
) -> Vec<(&'n Node<'a>, Doc<'a>)> {
    // erlfmt's `[{comment, _, _} = FirstComment | _] = Comments` takes the rest of
    // the values as comments: standalone comments only ever end a container.
    let trailing_comments = values
        .iter()
        .rposition(|value| !matches!(value.kind, Kind::Comment(_)))
        .map_or(0, |at| at + 1);
    let mut values_vd = Vec::with_capacity(trailing_comments + 1);
    for (at, value) in values[..trailing_comments].iter().enumerate() {
        let value_d = expr_to_algebra(value);
        if at + 1 == values.len() && last_fits {
            values_vd.push((value, next_break_fits(value_d)));
        } else {
            values_vd.push((value, value_d));
        }
    }
    if let Some(first_comment) = values.get(trailing_comments) {
        let comments = values[trailing_comments..]
            .iter()
            .filter_map(|value| match &value.kind {
                Kind::Comment(comment) => Some(comment),
                _ => None,
            });
        values_vd.push((first_comment, comments_to_algebra(comments)));
    }
    values_vd
}

/// join_inner_values combines pairs of values and their document representation into one document.
/// It preserves empty lines and adds commas between documents.
fn join_inner_values<'a>(
    break_fun: fn(Doc<'a>, Doc<'a>) -> Doc<'a>,
    values_vd: Vec<(&Node<'a>, Doc<'a>)>,
) -> Doc<'a> {
    let mut values_vd = values_vd.into_iter().rev();
    let Some((mut next, mut acc)) = values_vd.next() else {
        return Doc::default();
    };
    for (value, value_d) in values_vd {
        acc = if has_empty_line_between(&value.meta, &next.meta) {
            concat([value_d, text(","), lines(2), acc])
        } else {
            break_fun(concat([value_d, text(",")]), acc)
        };
        next = value;
    }
    acc
}

pub(super) fn cons_to_algebra<'a>(head: &Node<'a>, tail: &Node<'a>) -> Doc<'a> {
    let head_d = expr_to_algebra(head);
    let tail_d = concat([
        text("| "),
        maybe_wrap_in_parens(&tail.meta, do_expr_to_algebra(&tail.meta, &tail.kind)),
    ]);
    break_2(head_d, combine_comments(&tail.meta, tail_d))
}

pub(super) fn bin_element_to_algebra<'a>(
    expr: &Node<'a>,
    size: Option<&Node<'a>>,
    types: Option<&[Node<'a>]>,
) -> Doc<'a> {
    let mut docs = vec![expr_to_algebra(expr)];
    if let Some(size) = size {
        docs.push(bin_size_to_algebra(size));
    }
    if let Some(types) = types {
        docs.push(bin_types_to_algebra(types));
    }
    concat(docs)
}

fn bin_size_to_algebra<'a>(expr: &Node<'a>) -> Doc<'a> {
    concat([text(":"), expr_to_algebra(expr)])
}

fn bin_types_to_algebra<'a>(types: &[Node<'a>]) -> Doc<'a> {
    let types_d = types.iter().map(expr_to_algebra).collect();
    concat([
        text("/"),
        fold_doc(types_d, |doc, acc| concat([doc, text("-"), acc])),
    ])
}

pub(super) fn record_access_to_algebra<'a>(
    meta: &Meta<'a>,
    name: &Node<'a>,
    key: &Node<'a>,
) -> Doc<'a> {
    concat([
        record_name_to_algebra(meta, name),
        text("."),
        expr_to_algebra(key),
    ])
}

/// Differentiate between #?FOO{} and ?FOO{}
pub(super) fn record_name_to_algebra<'a>(meta: &Meta<'a>, name: &Node<'a>) -> Doc<'a> {
    if meta.macro_record {
        expr_to_algebra(name)
    } else {
        concat([text("#"), expr_to_algebra(name)])
    }
}

pub(super) fn comprehension_to_algebra<'a>(
    expr: &Node<'a>,
    lc_exprs: &[Node<'a>],
    left: &'static str,
    right: &'static str,
) -> Doc<'a> {
    let expr_d = expr_to_algebra(expr);
    let lc_exprs_d = lc_exprs.iter().map(expr_to_algebra).collect();
    let lc_expr_d = fold_doc(lc_exprs_d, |d, acc| break_2(concat([d, text(",")]), acc));
    let post_break = maybe_force_breaks(has_any_break_between(lc_exprs));
    let pre_break = concat([
        maybe_force_breaks(
            lc_exprs
                .first()
                .is_some_and(|lc_expr| has_break_between(&expr.meta, &lc_expr.meta)),
        ),
        soft_break(),
    ]);
    let indent_expr = nest_if_break(concat([soft_break(), expr_d]), INDENT);
    let ident_lcs = nest(group(concat([post_break, lc_expr_d])), INDENT);
    group(concat([
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
