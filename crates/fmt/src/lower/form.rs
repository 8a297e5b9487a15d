//! Top-level forms: functions, attributes, and forms made of expressions.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::clause::function_clause;
use super::cx::{Cx, Lowered, Required, first_token, node, only_child, span, token};
use super::expr::expr;
use super::{attribute, macros};
use crate::node::{Kind, Node};

/// The erlfmt node of a form.
pub(super) fn lower<'a>(cx: Cx<'_, 'a>, form: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    match form.kind() {
        FUN_DECL => function(cx, form),
        MACRO_FORM => macro_form(cx, form),
        TERM_FORM => term_form(cx, form),
        // The grammar's other `Form` alternatives are the attributes.
        kind if <syntax::ast::Form as syntax::ast::AstNode>::can_cast(kind) => {
            attribute::attribute(cx, form)
        }
        other => Err(Unsupported::new(format!("{other:?} as a form"))),
    }
}

/// Whether `form` holds an `ERROR` node or token.
pub(super) fn has_error(form: &FlatNodeView<'_>) -> bool {
    form.descendants_with_tokens().any(|element| match element {
        syntax::NodeOrToken::Node(node) => node.kind() == ERROR,
        syntax::NodeOrToken::Token(token) => token.kind() == ERROR,
    })
}

/// `name(...) -> ...; name(...) -> ... .`: `{function, Anno, Clauses}`.
fn function<'a>(cx: Cx<'_, 'a>, form: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let dot = token(form, DOT)?;
    let clauses = cx.collect(form.children().map(|clause| function_clause(cx, &clause)))?;
    let first = clauses.first().required("a function clause")?;
    Ok(node(
        span(first.meta.loc, cx.end(&dot)),
        Kind::Function(clauses),
    ))
}

/// `?MACRO(...).`: erlfmt reads it as a function whose only clause is the macro call.
fn macro_form<'a>(cx: Cx<'_, 'a>, form: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let dot = token(form, DOT)?;
    let call = only_child(form, "macro call")?;
    let call = match call.kind() {
        MACRO_CALL => macros::macro_call(cx, &call)?,
        MACRO_STRING => macros::macro_string(cx, &call)?,
        other => return Err(Unsupported::new(format!("{other:?} as a macro form"))),
    };
    Ok(node(
        span(call.meta.loc, cx.end(&dot)),
        Kind::Function(cx.slice([call])),
    ))
}

/// An expression ended by a dot (term files): `{exprs, Anno, [Expr]}` with `dot`.
fn term_form<'a>(cx: Cx<'_, 'a>, form: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let value = only_child(form, "expression")?;
    if matches!(value.kind(), MACRO_CALL | MACRO_STRING) {
        return macro_form(cx, form);
    }
    let dot = token(form, DOT)?;
    let first = first_token(form).required("a token")?;
    if reads_as_attribute(form) {
        return Err(Unsupported::new(
            "an expression that erlfmt reads as an attribute",
        ));
    }
    let mut meta = span(cx.start(&first), cx.end(&dot));
    meta.dot = true;
    Ok(node(meta, Kind::Exprs(cx.slice([expr(cx, &value)?]))))
}

/// Whether `form` reads as an attribute in erlfmt's grammar (`-name ...`),
/// which it tries before expressions.
fn reads_as_attribute(form: &FlatNodeView<'_>) -> bool {
    let mut tokens = form.tokens().filter(|token| !token.kind().is_trivia());
    let (first, second) = (tokens.next(), tokens.next());
    first.is_some_and(|token| token.kind() == MINUS)
        && second.is_some_and(|token| matches!(token.kind(), ATOM | IF_KW | ELSE_KW))
}
