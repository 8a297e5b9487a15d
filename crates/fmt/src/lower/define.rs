//! `-define(Name, Body).`: erlfmt reads the body as expressions, else as a type.

use syntax::{FlatNodeView, FlatTokenView, SyntaxKind::*};

use super::Unsupported;
use super::clause;
use super::clause::{guard_and_of, guard_or};
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, find_child, node, span, token, tokens,
};
use super::expr::{arg_list, expr, expr_children, exprs};
use super::literal::atom_or_var;
use super::reparse::Reparsed;
use crate::node::{Kind, Meta, Node};

/// The values of a `-define`: the macro's name (a call when it has parameters) and its body.
pub(super) fn values<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<&'a [Node<'a>]> {
    token(syntax, L_PAREN)?;
    token(syntax, COMMA)?;
    token(syntax, R_PAREN)?;
    let name = macro_name(cx, syntax)?;
    let body = body(cx, &child_of_kind(syntax, MACRO_BODY)?)?;
    Ok(cx.slice([name, body]))
}

/// `NAME` or `NAME(A, B)`.
fn macro_name<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let name = syntax
        .children()
        .find(|child| !matches!(child.kind(), ATTR_NAME | MACRO_PARAMS | MACRO_BODY))
        .required("the name of a macro")?;
    let name = atom_or_var(cx, &name)?;
    let Some(params) = find_child(syntax, MACRO_PARAMS) else {
        return Ok(name);
    };
    let (params, params_meta) = arg_list(cx, &params)?;
    Ok(node(
        span(name.meta.loc, params_meta.end),
        Kind::Call(cx.alloc(name), params),
    ))
}

/// The body: `empty`, one expression (or type), or several as a guard.
fn body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let values: Vec<_> = expr_children(syntax).collect();
    if let Some(raw) = find_child(syntax, MACRO_TOKENS) {
        if !values.is_empty() {
            return Err(Unsupported::new("a macro body that is not an expression"));
        }
        return raw_body(cx, &raw);
    }
    match values.as_slice() {
        [] => Ok(node(Meta::default(), Kind::Empty)),
        [only] => expr(cx, only).or_else(|error| expr(cx.in_types(), only).map_err(|_| error)),
        several => guard_or(cx.slice([guard_and_of(exprs(cx, several)?)?])),
    }
}

/// The bodies the tree keeps as tokens that erlfmt still reads: `#name` and `()`.
fn raw_body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let body: Vec<FlatTokenView<'_>> = tokens(syntax).collect();
    match body.as_slice() {
        [pound, name] if pound.kind() == POUND && name.kind() == ATOM => {
            let name = cx.atomic(name, Kind::Atom)?;
            Ok(node(
                span(cx.start(pound), name.meta.end),
                Kind::RecordName(cx.alloc(name)),
            ))
        }
        [open, close] if open.kind() == L_PAREN && close.kind() == R_PAREN => {
            Ok(node(span(cx.start(open), cx.end(close)), Kind::Args(&[])))
        }
        _ => guarded_body(cx, syntax)
            .or_else(|_| guard_body(cx, syntax))
            .or_else(|_| type_body(cx, syntax))
            .or_else(|_| clause_body(cx, syntax))
            .map_err(|_| Unsupported::new("a macro body that is not an expression")),
    }
}

/// A type that is not an expression (`0..?MAX | infinity`): erlfmt's `define_type`,
/// read again as the body of a `-type`.
fn type_body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::new(cx, syntax, "-type t() :: ", ".")?;
    if reparsed.form()?.kind() != TYPE_DECL {
        return Err(Unsupported::new("not a type"));
    }
    let ty = super::cx::children_after(&reparsed.form()?, COLON2);
    let ty = ty.first().required("a type")?;
    reparsed.covers(ty, ty)?;
    expr(reparsed.cx.in_types(), ty)
}

/// A function clause (`name(X) -> X`): erlfmt's `define_clause`, read again as a function.
fn clause_body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::new(cx, syntax, "", ".")?;
    if reparsed.form()?.kind() != FUN_DECL {
        return Err(Unsupported::new("not a function clause"));
    }
    let clause = reparsed.only_clause()?;
    reparsed.covers(&clause, &clause)?;
    clause::function_clause(reparsed.cx, &clause)
}

/// `A; B, C` (erlfmt's `macro_def_expr_body -> guard`): a guard, read again as
/// the guard of a function clause.
fn guard_body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::new(cx, syntax, "f() when ", " -> ok.")?;
    let clause = reparsed.only_clause()?;
    let guard = child_of_kind(&clause, GUARD)?;
    let first_test = guard.first_child().required("a guard")?;
    reparsed.covers(&first_test, &guard)?;
    clause::guard(reparsed.cx, &guard)
}

/// `X when A; B` (erlfmt's `macro_def_expr_body -> expr 'when' guard`): the
/// operator `when` between an expression and a guard, read again as a `case` clause.
fn guarded_body<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::with_guard(cx, syntax)?;
    let (pattern, guard) = reparsed.guarded()?;
    let when_kw = token(&guard, WHEN_KW)?;
    let cx = reparsed.cx;
    let value = expr(cx, &pattern)?;
    let guard = clause::guard(cx, &guard)?;
    Ok(node(
        between(&value, &guard),
        Kind::BinaryOp(cx.text(&when_kw)?, cx.alloc(value), cx.alloc(guard)),
    ))
}
