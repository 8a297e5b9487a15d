//! Builds erlfmt's nodes (`crate::node`) from one top-level form of the lossless tree.
//!
//! Each form becomes exactly the node `erlfmt_parse` builds for the same tokens,
//! with the same locations: a node starts where the first symbol of its grammar
//! rule starts and ends where the last one ends, so an operand written in
//! parentheses counts from its inner expression, as in erlfmt. Whatever erlfmt's
//! grammar cannot read (or this port does not know) is refused with
//! [`Unsupported`], and the caller keeps the form as it is written, as erlfmt does.

mod attribute;
mod binary;
mod clause;
mod control;
mod cx;
mod define;
mod expr;
mod form;
mod literal;
mod macros;
mod operators;
mod record;
mod reparse;
mod types;

use bumpalo::Bump;
use syntax::{FlatNodeView, LineIndex};

use crate::node::Node;

/// Why a form could not be turned into erlfmt's nodes (it is then kept verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub reason: String,
}

impl Unsupported {
    pub(crate) fn new(reason: impl Into<String>) -> Unsupported {
        Unsupported {
            reason: reason.into(),
        }
    }
}

/// The erlfmt node for `form`, a child node of `SOURCE_FILE`; `text` is the whole file.
/// Its children are put in `bump`.
///
/// Forms holding an `ERROR` node or token are refused. Lexical errors inside
/// otherwise well-formed tokens (a bad escape in a string) leave no trace in the
/// tree: callers refuse forms that overlap the parse's errors.
pub fn lower_form<'a>(
    form: &FlatNodeView<'_>,
    index: &LineIndex<'a>,
    text: &'a str,
    bump: &'a Bump,
) -> Result<Node<'a>, Unsupported> {
    if form::has_error(form) {
        return Err(Unsupported::new("a syntax error"));
    }
    lower_form_without_errors(form, index, text, bump)
}

/// [`lower_form`] for a form known to hold no `ERROR` node or token.
pub(crate) fn lower_form_without_errors<'a>(
    form: &FlatNodeView<'_>,
    index: &LineIndex<'a>,
    text: &'a str,
    bump: &'a Bump,
) -> Result<Node<'a>, Unsupported> {
    let near_line = std::cell::Cell::new(0);
    let arena = cx::Arena::new(bump);
    form::lower(cx::Cx::new(index, &arena, &near_line, text), form)
}

#[cfg(test)]
mod tests;
