//! Atomic nodes: atoms, variables and literals, with their text as written.

use syntax::{FlatNodeView, FlatTokenView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{Cx, Lowered, Required, node, span, tokens};
use super::macros;
use crate::node::{Kind, Loc, Node, Sigil};

/// An atom, its text as written (quotes included).
pub(super) fn atom<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    cx.atomic_leaf(syntax, ATOM, Kind::Atom)
}

/// A variable.
pub(super) fn var<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    cx.atomic_leaf(syntax, VAR, Kind::Var)
}

/// An atom or a variable (erlfmt's `atom_or_var`).
pub(super) fn atom_or_var<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    match syntax.kind() {
        ATOM => atom(cx, syntax),
        VAR => var(cx, syntax),
        other => Err(Unsupported::new(format!(
            "{other:?} where erlfmt takes an atom or a variable"
        ))),
    }
}

/// An atom, a variable or a macro without arguments (erlfmt's `atom_or_var_or_macro`).
pub(super) fn atom_or_var_or_macro<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
) -> Lowered<Node<'a>> {
    match syntax.kind() {
        MACRO_CALL => macros::macro_call_none(cx, syntax),
        _ => atom_or_var(cx, syntax),
    }
}

/// An integer, float, character, string or sigil, its text as written.
pub(super) fn literal<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let leaf = cx.first_leaf(syntax)?.required("a literal")?;
    let kind = match leaf.kind {
        INTEGER => Kind::Integer,
        FLOAT => Kind::Float,
        CHAR => Kind::Char,
        STRING => Kind::String,
        SIGIL_STRING => {
            let token = tokens(syntax).next().required("a literal")?;
            return sigil(cx, &token);
        }
        other => return Err(Unsupported::new(format!("{other:?} as a literal"))),
    };
    Ok(node(leaf.meta, kind(leaf.text)))
}

/// `~b"..."x`: erlfmt's `{sigil, Anno, Prefix, String, Suffix}`.
fn sigil<'a>(cx: Cx<'_, 'a>, token: &FlatTokenView<'_>) -> Lowered<Node<'a>> {
    let text = cx.text(token)?;
    let after_tilde = text.strip_prefix('~').required("the `~` of a sigil")?;
    let name_len = after_tilde
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .required("the string of a sigil")?;
    let (prefix, rest) = after_tilde.split_at(name_len);
    let string_len = rest.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let (string, suffix) = rest.split_at(string_len.len());
    let start = cx.start(token);
    let string_start = Loc::new(start.line, start.col.saturating_add(chars(prefix)) + 1);
    let string_end = string_end(string_start, string);
    Ok(node(
        cx.token_meta(token),
        Kind::Sigil(cx.alloc(Sigil {
            prefix,
            string,
            string_meta: span(string_start, string_end),
            suffix,
        })),
    ))
}

/// Where a text that starts at `start` ends.
fn string_end(start: Loc, text: &str) -> Loc {
    match text.rsplit_once('\n') {
        Some((before, last)) => Loc::new(
            start
                .line
                .saturating_add(count(before.matches('\n').count()) + 1),
            chars(last).saturating_add(1),
        ),
        None => Loc::new(start.line, start.col.saturating_add(chars(text))),
    }
}

/// How many characters `text` has (columns count characters).
fn chars(text: &str) -> u32 {
    count(text.chars().count())
}

/// `n`, or at most `u32::MAX - 1` (so that one more still fits).
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).min(u32::MAX - 1)
}
