//! Attributes (`-define`, `-export`, `-spec`, `-record`, ...) and export lists' name/arity groups.

use crate::algebra::{Doc, empty, force_breaks, line, space_break, text};
use crate::node::{Kind, Meta, Node};

use super::Layout;
use super::clauses::block_to_algebra_2;
use super::comments::combine_comments_with_dot;
use super::containers::{call, container, has_no_comments_or_parens, is_next_break_fits};
use super::{
    atom_value, expr_to_algebra, fold_doc, has_break_between, space, surround, with_next_break_fits,
};

/// erlfmt's `to_algebra/1` of `{attribute, Meta, Name, Values}`; `values` is
/// `None` for `no_parens`.
pub(super) fn attribute_form_to_algebra<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    name: &Node<'a>,
    values: Option<&[Node<'a>]>,
) -> Doc<'a> {
    let Some(values) = values else {
        let doc = d.concat(&[text("-"), attribute_to_algebra(d, name)]);
        return combine_comments_with_dot(d, meta, doc);
    };
    let raw_name = match name.kind {
        Kind::Atom(name) => atom_value(name),
        _ => "",
    };
    match (raw_name, values) {
        (
            "define",
            [
                define,
                Node {
                    kind: Kind::Empty, ..
                },
            ],
        ) => {
            let doc = d.concat(&[text("-define("), expr_to_algebra(d, define), text(",)")]);
            combine_comments_with_dot(d, meta, doc)
        }
        ("define", [define, body @ ..]) => {
            let head_d = d.concat(&[text("-define("), expr_to_algebra(d, define), text(",")]);
            let next_break_fits =
                matches!(body, [value] if is_next_break_fits(&value.meta, &value.kind));
            with_next_break_fits(
                d,
                next_break_fits,
                block_to_algebra_2(d, meta, body),
                |body_d| {
                    let doc = surround(d, head_d, " ", body_d, "", text(")"));
                    combine_comments_with_dot(d, meta, doc)
                },
            )
        }
        (
            "export" | "export_type",
            [
                Node {
                    meta: anno,
                    kind: Kind::List(exports),
                },
            ],
        ) => {
            let grouped_exports = Node::new(*anno, Kind::List(fa_groups(d, exports)));
            let doc = call(
                d,
                meta,
                std::slice::from_ref(&grouped_exports),
                d.concat(&[text("-"), expr_to_algebra(d, name), text("(")]),
                text(")"),
            );
            combine_comments_with_dot(d, meta, doc)
        }
        (
            "import",
            [
                import_name,
                Node {
                    meta: anno,
                    kind: Kind::List(imports),
                },
            ],
        ) => {
            let grouped_imports = Node::new(*anno, Kind::List(fa_groups(d, imports)));
            let values = [*import_name, grouped_imports];
            let doc = call(d, meta, &values, text("-import("), text(")"));
            combine_comments_with_dot(d, meta, doc)
        }
        ("type" | "opaque" | "spec" | "callback" | "nominal", [value]) => {
            let value_d = d.next_break_fits(expr_to_algebra(d, value));
            let doc = d.concat(&[text("-"), expr_to_algebra(d, name), text(" "), value_d]);
            combine_comments_with_dot(d, meta, doc)
        }
        (
            "record",
            [
                record_name,
                tuple @ Node {
                    meta: tuple_meta,
                    kind: Kind::Tuple(values),
                },
            ],
        ) => {
            let head_d = d.concat(&[text("-record("), expr_to_algebra(d, record_name), text(",")]);
            let doc = if has_no_comments_or_parens(tuple_meta) {
                space(
                    d,
                    head_d,
                    container(d, tuple_meta, values, text("{"), text("})")),
                )
            } else {
                surround(d, head_d, "", expr_to_algebra(d, tuple), "", text(")"))
            };
            combine_comments_with_dot(d, meta, doc)
        }
        ("doc" | "moduledoc", [value]) => {
            let value_d = expr_to_algebra(d, value);
            let doc = d.concat(&[text("-"), expr_to_algebra(d, name), text(" "), value_d]);
            combine_comments_with_dot(d, meta, doc)
        }
        _ => {
            let doc = d.concat(&[
                text("-"),
                attribute_to_algebra(d, name),
                call(d, meta, values, text("("), text(")")),
            ]);
            combine_comments_with_dot(d, meta, doc)
        }
    }
}

fn attribute_to_algebra<'a>(d: Layout<'a>, name: &Node<'a>) -> Doc<'a> {
    match name.kind {
        Kind::Atom(text_) if atom_value(text_) == "else" => text(text_),
        _ => expr_to_algebra(d, name),
    }
}

/// fa_group_to_algebra, see fa_groups/1 that creates function/arity groups.
pub(super) fn fa_group_to_algebra<'a>(d: Layout<'a>, values: &[Node<'a>]) -> Doc<'a> {
    let values_d = values.iter().map(|expr| expr_to_algebra(d, expr));
    let (maybe_force_breaks, break_type) = match values {
        [value1, value2, ..] if has_break_between(&value1.meta, &value2.meta) => {
            (force_breaks(), line())
        }
        _ => (empty(), space_break()),
    };
    let folder = |d: Layout<'a>, value, acc| d.concat(&[value, text(","), break_type, acc]);
    d.concat(&[maybe_force_breaks, d.group(fold_doc(d, values_d, folder))])
}

/// fa_groups groups together function/arity for functions with the same name
/// for example: -export([a/1, a/2, b/1]) => -export([{fa_group, _, [a/1, a/2]}, b/1])
fn fa_groups<'a>(d: Layout<'a>, exports: &[Node<'a>]) -> &'a [Node<'a>] {
    let mut grouped = bumpalo::collections::Vec::with_capacity_in(exports.len(), d.bump());
    let mut at = 0;
    while let Some(head0) = exports.get(at) {
        at += 1;
        let Some(head_function) = fa_function(head0) else {
            grouped.push(*head0);
            continue;
        };
        let group_len = exports[at..]
            .iter()
            .take_while(|export| fa_function(export) == Some(head_function))
            .count();
        let group = &exports[at..at + group_len];
        at += group_len;
        let Some(last) = group.last() else {
            grouped.push(*head0);
            continue;
        };
        let mut head = *head0;
        head.meta = head.meta.without_comments(d.bump());
        // erlfmt_scan:range_anno(Meta0, lists:last(Group))
        let mut meta = head0.meta;
        meta.end = last.meta.end;
        let mut values = bumpalo::collections::Vec::with_capacity_in(group.len() + 1, d.bump());
        values.push(head);
        values.extend_from_slice(group);
        grouped.push(Node::new(meta, Kind::FaGroup(values.into_bump_slice())));
    }
    grouped.into_bump_slice()
}

/// The function name of `name/Arity`.
fn fa_function<'a>(export: &Node<'a>) -> Option<&'a str> {
    match &export.kind {
        Kind::BinaryOp("/", name, _) => match name.kind {
            Kind::Atom(name) => Some(atom_value(name)),
            _ => None,
        },
        _ => None,
    }
}
