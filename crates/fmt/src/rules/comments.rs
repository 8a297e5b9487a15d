//! Comments around nodes: erlfmt's `combine_*comments*` and `comments_to_algebra`.

use crate::algebra::{Doc, line, lines, text};
use crate::node::{Comment, Meta};

use super::Layout;
use super::{fold_doc, maybe_force_breaks};

pub(super) fn combine_comments_no_force<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    doc: Doc<'a>,
) -> Doc<'a> {
    let (pre, post) = comments(meta);
    combine_post_comments(d, post, meta, combine_pre_comments(d, pre, meta, doc))
}

pub(super) fn combine_comments<'a>(d: Layout<'a>, meta: &Meta<'a>, doc: Doc<'a>) -> Doc<'a> {
    let (pre, post) = comments(meta);
    if pre.is_empty() && post.is_empty() {
        // The common case, `concat([empty(), doc])`, made without allocating.
        return d.after_empty(doc);
    }
    let combined_d = combine_post_comments(d, post, meta, combine_pre_comments(d, pre, meta, doc));
    d.concat(&[
        maybe_force_breaks(!pre.is_empty() || !post.is_empty()),
        combined_d,
    ])
}

pub(super) fn combine_comments_with_dot<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    doc: Doc<'a>,
) -> Doc<'a> {
    let (pre, pre_dot, post) = comments_with_pre_dot(meta);
    let pre_dot_doc = combine_pre_dot_comments(d, pre_dot, doc);
    combine_post_comments(
        d,
        post,
        meta,
        combine_pre_comments(d, pre, meta, pre_dot_doc),
    )
}

fn combine_pre_dot_comments<'a>(d: Layout<'a>, comments: &[Comment<'a>], doc: Doc<'a>) -> Doc<'a> {
    if comments.is_empty() {
        return d.concat(&[doc, text(".")]);
    }
    d.concat(&[
        doc,
        line(),
        comments_to_algebra(d, comments),
        line(),
        text("."),
    ])
}

fn combine_pre_comments<'a>(
    d: Layout<'a>,
    comments: &[Comment<'a>],
    meta: &Meta<'a>,
    doc: Doc<'a>,
) -> Doc<'a> {
    let Some(last) = comments.last() else {
        return doc;
    };
    if last.end.line.saturating_add(1) < meta.inner_line() {
        d.concat(&[comments_to_algebra(d, comments), lines(2), doc])
    } else {
        d.concat(&[comments_to_algebra(d, comments), line(), doc])
    }
}

fn combine_post_comments<'a>(
    d: Layout<'a>,
    comments: &[Comment<'a>],
    meta: &Meta<'a>,
    doc: Doc<'a>,
) -> Doc<'a> {
    let Some(first) = comments.first() else {
        return doc;
    };
    if meta.inner_end_line().saturating_add(1) < first.loc.line {
        d.concat(&[doc, lines(2), comments_to_algebra(d, comments)])
    } else {
        d.concat(&[doc, line(), comments_to_algebra(d, comments)])
    }
}

/// Comment blocks, a blank line between two.
pub(super) fn comments_to_algebra<'n, 'a: 'n>(
    d: Layout<'a>,
    comments: impl IntoIterator<Item = &'n Comment<'a>, IntoIter: DoubleEndedIterator>,
) -> Doc<'a> {
    let comments_d = comments
        .into_iter()
        .map(|comment| comment_to_algebra(d, comment));
    fold_doc(d, comments_d, |d, c, acc| d.concat(&[c, lines(2), acc]))
}

fn comment_to_algebra<'a>(d: Layout<'a>, comment: &Comment<'a>) -> Doc<'a> {
    let lines_d = comment.lines.iter().map(|line| text(line));
    fold_doc(d, lines_d, |d, left, right| {
        d.concat(&[left, line(), right])
    })
}

fn comments_with_pre_dot<'n, 'a>(
    meta: &'n Meta<'a>,
) -> (&'n [Comment<'a>], &'n [Comment<'a>], &'n [Comment<'a>]) {
    (
        meta.pre_comments(),
        meta.pre_dot_comments(),
        meta.post_comments(),
    )
}

/// The comments before and after a node (erlfmt also asserts that there are no
/// comments before a dot).
pub(super) fn comments<'n, 'a>(meta: &'n Meta<'a>) -> (&'n [Comment<'a>], &'n [Comment<'a>]) {
    (meta.pre_comments(), meta.post_comments())
}

pub(super) fn has_comments(meta: &Meta<'_>) -> bool {
    meta.has_comments()
}
