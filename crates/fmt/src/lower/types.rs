//! Types and the attributes made of them: `fun(...)` types, `-type`, `-opaque`, `-spec`, `-callback`.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::clause::{guard_and_of, guard_or};
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, children, children_after, find_child,
    find_token, last_token_of, node, span, token,
};
use super::expr::{arg_list, expr, is_expr};
use super::literal::atom_or_var_or_macro;
use crate::node::{FunKind, Kind, Node};

/// `fun()`, `fun((...) -> T)`, `fun((A, B) -> T)`.
pub(super) fn fun_type<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if !cx.is_type() {
        return Err(Unsupported::new("a `fun` type outside a type"));
    }
    let fun_kw = token(syntax, FUN_KW)?;
    let close = last_token_of(syntax, R_PAREN)?;
    let meta = span(cx.start(&fun_kw), cx.end(&close));
    let Some(signature) = find_child(syntax, FUN_TYPE_SIG) else {
        return Ok(node(meta, Kind::Fun(FunKind::AnyType)));
    };
    let args = match find_token(&signature, DOT3) {
        Some(dots) => {
            let open = token(&signature, L_PAREN)?;
            let close = token(&signature, R_PAREN)?;
            node(
                span(cx.start(&open), cx.end(&close)),
                Kind::Args(cx.slice([node(cx.token_meta(&dots), Kind::Ellipsis)])),
            )
        }
        None => type_args(cx, &child_of_kind(&signature, TYPE_ARGS)?)?,
    };
    let result = children_after(&signature, ARROW);
    let result = expr(cx, result.first().required("the result of a `fun` type")?)?;
    Ok(node(
        meta,
        Kind::Fun(FunKind::Type {
            meta: cx.alloc(between(&args, &result)),
            args: cx.alloc(args),
            result: cx.alloc(result),
        }),
    ))
}

/// `(A, B)` of a type: `{args, Anno, Types}`.
fn type_args<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let (types, meta) = arg_list(cx.in_types(), syntax)?;
    Ok(node(meta, Kind::Args(types)))
}

/// The value of `-type t(A) :: T.`: `{op, Anno, '::', {call, Anno, t, [A]}, T}`.
pub(super) fn type_declaration<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let name = syntax
        .children()
        .find(|child| child.kind() != ATTR_NAME)
        .required("the name of a type")?;
    if name.kind() != ATOM {
        return Err(Unsupported::new("a type named other than by an atom"));
    }
    let name = expr(cx, &name)?;
    let (params, params_meta) = arg_list(cx, &child_of_kind(syntax, TYPE_PARAMS)?)?;
    let head = node(
        span(name.meta.loc, params_meta.end),
        Kind::Call(cx.alloc(name), params),
    );
    let op = token(syntax, COLON2)?;
    let body = children_after(syntax, COLON2);
    let body = expr(cx.in_types(), body.first().required("the body of a type")?)?;
    Ok(node(
        between(&head, &body),
        Kind::BinaryOp(cx.text(&op)?, cx.alloc(head), cx.alloc(body)),
    ))
}

/// The value of `-spec` and `-callback`: `{spec, Anno, Name, Clauses}`.
pub(super) fn spec<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let cx = cx.in_types();
    let name = spec_name(cx, &child_of_kind(syntax, SPEC_NAME)?)?;
    let clauses = cx.collect(
        syntax
            .children()
            .filter(|child| child.kind() == SIG_CLAUSE)
            .map(|clause| spec_clause(cx, &clause)),
    )?;
    let last = clauses.last().required("a clause of a spec")?;
    Ok(node(
        between(&name, last),
        Kind::Spec(cx.alloc(name), clauses),
    ))
}

/// `f` or `m:f` (erlfmt's `spec_fun`); the old `f/1` form is not in its grammar.
fn spec_name<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if find_token(syntax, SLASH).is_some() {
        return Err(Unsupported::new("a spec name with an arity"));
    }
    match children(syntax).as_slice() {
        [name] => atom_or_var_or_macro(cx, name),
        [module, name] => {
            token(syntax, COLON)?;
            let module = atom_or_var_or_macro(cx, module)?;
            let name = atom_or_var_or_macro(cx, name)?;
            Ok(node(
                between(&module, &name),
                Kind::Remote(cx.alloc(module), cx.alloc(name)),
            ))
        }
        _ => Err(Unsupported::new("a spec name of an unknown shape")),
    }
}

/// `(Args) -> Result when Guards`: `{spec_clause, Anno, Args, Result, Guards}`.
fn spec_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    token(syntax, ARROW)?;
    let head = type_args(cx, &child_of_kind(syntax, TYPE_ARGS)?)?;
    let result = syntax
        .children()
        .find(|child| is_expr(child.kind()))
        .required("the result of a spec clause")?;
    let result = expr(cx, &result)?;
    let guards = match find_child(syntax, TYPE_GUARD) {
        Some(guard) => {
            token(&guard, WHEN_KW)?;
            let tests = super::expr::exprs(cx, guard.children())?;
            Some(cx.alloc(guard_or(cx.slice([guard_and_of(tests)?]))?))
        }
        None => None,
    };
    let end = guards
        .as_ref()
        .map_or(result.meta.end, |guards| guards.meta.end);
    Ok(node(
        span(head.meta.loc, end),
        Kind::SpecClause {
            head: cx.alloc(head),
            body: cx.alloc(result),
            guards,
        },
    ))
}
