//! Clauses: their heads, guards and bodies, in functions, `case`, `if`, `try`, `fun` and macros.

use syntax::{FlatNodeView, SyntaxKind, SyntaxKind::*};

use super::Unsupported;
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, children, each, find_child, node, span, token,
};
use super::expr::{arg_list, expr, exprs};
use super::literal::atom_or_var;
use super::macros;
use crate::node::{Kind, Loc, Node};

/// `when A, B; C`: `{guard_or, Anno, [{guard_and, Anno, Tests}]}`.
pub(super) fn guard<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let alternatives = each(cx, syntax.children(), |clause| guard_and(cx, clause))?;
    guard_or(alternatives)
}

/// A `guard_or` node around `alternatives`, spanning them.
pub(super) fn guard_or<'a>(alternatives: &'a [Node<'a>]) -> Lowered<Node<'a>> {
    let first = alternatives.first().required("a guard")?;
    let last = alternatives.last().required("a guard")?;
    Ok(node(between(first, last), Kind::GuardOr(alternatives)))
}

/// A `guard_and` node around `tests`, spanning them.
pub(super) fn guard_and_of<'a>(tests: &'a [Node<'a>]) -> Lowered<Node<'a>> {
    let first = tests.first().required("a guard test")?;
    let last = tests.last().required("a guard test")?;
    Ok(node(between(first, last), Kind::GuardAnd(tests)))
}

fn guard_and<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != GUARD_CLAUSE {
        return Err(Unsupported::new(format!("{:?} in a guard", syntax.kind())));
    }
    guard_and_of(exprs(cx, syntax.children())?)
}

/// The guard of a clause, if it has one.
fn clause_guard<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Option<&'a Node<'a>>> {
    match find_child(syntax, GUARD) {
        Some(guard_node) => {
            token(&guard_node, WHEN_KW)?;
            Ok(Some(cx.alloc(guard(cx, &guard_node)?)))
        }
        None => Ok(None),
    }
}

/// The expressions after `->`.
pub(super) fn clause_body<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
) -> Lowered<&'a [Node<'a>]> {
    let body = child_of_kind(syntax, CLAUSE_BODY)?;
    token(&body, ARROW)?;
    let body = exprs(cx, body.children())?;
    if body.is_empty() {
        return Err(Unsupported::new("a clause without a body"));
    }
    Ok(body)
}

/// A clause node from its head (or where it starts), guard and body.
fn clause<'a>(
    cx: Cx<'_, 'a>,
    start: Loc,
    head: Option<Node<'a>>,
    guards: Option<&'a Node<'a>>,
    body: &'a [Node<'a>],
) -> Lowered<Node<'a>> {
    let end = body.last().required("a clause body")?.meta.end;
    Ok(node(
        span(start, end),
        Kind::Clause {
            head: head.map(|node| cx.alloc(node)),
            guards,
            body,
        },
    ))
}

/// A clause of a function declaration: `name(Args) when G -> Body`.
pub(super) fn function_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != FUN_CLAUSE {
        return Err(Unsupported::new(format!(
            "{:?} in a function",
            syntax.kind()
        )));
    }
    let name = syntax
        .first_child()
        .required("the name of a function clause")?;
    if name.kind() == MACRO_CALL && syntax.children().count() == 1 {
        // `?CLAUSES;`: erlfmt's `function_clause -> macro_call_expr`.
        return macros::macro_call(cx, &name);
    }
    let head = if name.kind() == MACRO_CALL {
        macro_head(cx, &name, syntax)?
    } else {
        let name = atom_or_var(cx, &name)?;
        let (args, args_meta) = arg_list(cx, &child_of_kind(syntax, ARG_LIST)?)?;
        node(
            span(name.meta.loc, args_meta.end),
            Kind::Call(cx.alloc(name), args),
        )
    };
    let guards = clause_guard(cx, syntax)?;
    let body = clause_body(cx, syntax)?;
    clause(cx, head.meta.loc, Some(head), guards, body)
}

/// `?NAME(Args) -> ...`: `{call, Anno, {macro_call, NameAnno, Name, none}, Args}`.
fn macro_head<'a>(
    cx: Cx<'_, 'a>,
    name: &FlatNodeView<'_>,
    syntax: &FlatNodeView<'_>,
) -> Lowered<Node<'a>> {
    if find_child(syntax, ARG_LIST).is_some() {
        return Err(Unsupported::new("a macro name followed by arguments"));
    }
    let call = macros::macro_call(cx, name)?;
    let Kind::MacroCall(macro_name, Some(args)) = call.kind else {
        return Err(Unsupported::new(
            "a function clause named by a macro without arguments",
        ));
    };
    let question = token(name, QUESTION)?;
    let callee = node(
        span(cx.start(&question), macro_name.meta.end),
        Kind::MacroCall(macro_name, None),
    );
    Ok(node(call.meta, Kind::Call(cx.alloc(callee), args)))
}

/// `Pattern when G -> Body` in `case`, `receive`, `try ... of` and `maybe ... else`.
pub(super) fn cr_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != CR_CLAUSE {
        return Err(Unsupported::new(format!("{:?} as a clause", syntax.kind())));
    }
    let pattern = syntax.first_child().required("the pattern of a clause")?;
    let pattern = expr(cx, &pattern)?;
    let guards = clause_guard(cx, syntax)?;
    let body = clause_body(cx, syntax)?;
    clause(cx, pattern.meta.loc, Some(pattern), guards, body)
}

/// The clauses of `syntax` of `kind`.
pub(super) fn clauses_of<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    kind: SyntaxKind,
    lower: fn(Cx<'_, 'a>, &FlatNodeView<'_>) -> Lowered<Node<'a>>,
) -> Lowered<&'a mut [Node<'a>]> {
    cx.collect(
        syntax
            .children()
            .filter(|child| child.kind() == kind)
            .map(|child| lower(cx, &child)),
    )
}

/// `Guard -> Body` in `if`.
pub(super) fn if_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let guards = guard(cx, &child_of_kind(syntax, GUARD)?)?;
    let body = clause_body(cx, syntax)?;
    clause(cx, guards.meta.loc, None, Some(cx.alloc(guards)), body)
}

/// `Class:Reason:Stack when G -> Body`.
pub(super) fn catch_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let pattern = catch_pattern(cx, &child_of_kind(syntax, CATCH_PATTERN)?)?;
    let guards = clause_guard(cx, syntax)?;
    let body = clause_body(cx, syntax)?;
    clause(cx, pattern.meta.loc, Some(pattern), guards, body)
}

/// `Reason`, or `Class:Reason` and `Class:Reason:Stack` as `{'catch', Anno, Parts}`.
fn catch_pattern<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let colons = super::cx::tokens(syntax)
        .filter(|token| token.kind() == COLON)
        .count();
    match (children(syntax).as_slice(), colons) {
        ([reason], 0) => expr(cx, reason),
        ([class, reason], 1) => catch_parts(cx, class, reason, None),
        ([class, reason, stack], 2) if stack.kind() == VAR => {
            catch_parts(cx, class, reason, Some(stack))
        }
        _ => Err(Unsupported::new("a catch pattern erlfmt's grammar lacks")),
    }
}

fn catch_parts<'a>(
    cx: Cx<'_, 'a>,
    class: &FlatNodeView<'_>,
    reason: &FlatNodeView<'_>,
    stack: Option<&FlatNodeView<'_>>,
) -> Lowered<Node<'a>> {
    let class = atom_or_var(cx, class)?;
    let reason = expr(cx, reason)?;
    let parts: &'a [Node<'a>] = match stack {
        Some(stack) => cx.slice([class, reason, expr(cx, stack)?]),
        None => cx.slice([class, reason]),
    };
    let meta = between(&parts[0], parts.last().required("a catch pattern")?);
    Ok(node(meta, Kind::CatchPattern(parts)))
}

/// `(Args) when G -> Body` or, in a named fun, `Name(Args) when G -> Body`.
pub(super) fn fun_clause<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let (args, args_meta) = arg_list(cx, &child_of_kind(syntax, ARG_LIST)?)?;
    let name: Vec<FlatNodeView<'_>> = syntax
        .children()
        .take_while(|child| child.kind() != ARG_LIST)
        .collect();
    let head = match name.as_slice() {
        [] => node(args_meta, Kind::Args(args)),
        [name] if name.kind() == VAR => {
            let name = expr(cx, name)?;
            node(
                span(name.meta.loc, args_meta.end),
                Kind::Call(cx.alloc(name), args),
            )
        }
        _ => {
            return Err(Unsupported::new(
                "a fun clause named other than by a variable",
            ));
        }
    };
    let guards = clause_guard(cx, syntax)?;
    let body = clause_body(cx, syntax)?;
    clause(cx, head.meta.loc, Some(head), guards, body)
}
