//! Macros: `?NAME`, `?NAME(Args)`, `??Arg`, and strings glued to macros.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{Cx, Lowered, Required, between, children, find_child, node, span, token};
use super::expr::{expr, two_children};
use super::literal::atom_or_var;
use super::reparse::Reparsed;
use crate::node::{Kind, Node};

/// `?NAME` or `?NAME(Args)`: `{macro_call, Anno, Name, none | Args}`.
pub(super) fn macro_call<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let question = token(syntax, QUESTION)?;
    let name = macro_name(cx, syntax)?;
    let Some(args) = find_child(syntax, MACRO_ARGS) else {
        return Ok(node(
            span(cx.start(&question), name.meta.end),
            Kind::MacroCall(cx.alloc(name), None),
        ));
    };
    let close = token(&args, R_PAREN)?;
    let values = macro_args(cx, &args)?;
    Ok(node(
        span(cx.start(&question), cx.end(&close)),
        Kind::MacroCall(cx.alloc(name), Some(values)),
    ))
}

/// `?NAME` without arguments (erlfmt's `macro_call_none`).
pub(super) fn macro_call_none<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != MACRO_CALL || find_child(syntax, MACRO_ARGS).is_some() {
        return Err(Unsupported::new(
            "a macro with arguments where erlfmt takes one without",
        ));
    }
    macro_call(cx, syntax)
}

/// Whether `syntax` is a macro call with arguments.
pub(super) fn has_args(syntax: &FlatNodeView<'_>) -> bool {
    syntax.kind() == MACRO_CALL && find_child(syntax, MACRO_ARGS).is_some()
}

/// The name after `?`: an atom or a variable.
fn macro_name<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let name = syntax
        .children()
        .find(|child| child.kind() != MACRO_ARGS)
        .required("the name of a macro")?;
    atom_or_var(cx, &name)
}

/// The arguments of a macro call (erlfmt's `macro_exprs`).
fn macro_args<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<&'a mut [Node<'a>]> {
    let args = children(syntax);
    if let [only] = args.as_slice()
        && only.children().next().is_none()
        && super::cx::find_token(syntax, COMMA).is_none()
    {
        return Ok(&mut []);
    }
    cx.collect(args.iter().map(|arg| macro_arg(cx, arg)))
}

/// One macro argument: an expression, also `A | B` (erlfmt's `macro_expr`).
fn macro_arg<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != MACRO_ARG {
        return Err(Unsupported::new(format!(
            "{:?} as a macro argument",
            syntax.kind()
        )));
    }
    if find_child(syntax, MACRO_TOKENS).is_some() {
        return guarded_arg(cx, syntax)
            .or_else(|_| cons_arg(cx, syntax))
            .map_err(|_| Unsupported::new("a macro argument that is not an expression"));
    }
    let value = super::cx::only_child(syntax, "macro argument")?;
    let pipe = super::cx::find_token(&value, PIPE).filter(|_| value.kind() == BINARY_EXPR);
    match pipe {
        Some(pipe) if !cx.is_type() => {
            let [left, right] = two_children(&value, "sides of `|`")?;
            let left = expr(cx, &left)?;
            let right = expr(cx, &right)?;
            Ok(node(
                between(&left, &right),
                Kind::BinaryOp(cx.text(&pipe)?, cx.alloc(left), cx.alloc(right)),
            ))
        }
        _ => expr(cx, &value),
    }
}

/// `X when A; B` (erlfmt's `macro_expr -> expr 'when' macro_expr_guard`): the
/// guard is a `guard_or` of single expressions.
fn guarded_arg<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::with_guard(cx, syntax)?;
    let (pattern, guard) = reparsed.guarded()?;
    let when_kw = token(&guard, WHEN_KW)?;
    let cx = reparsed.cx;
    let value = expr(cx, &pattern)?;
    let tests = cx.collect(
        children(&guard)
            .iter()
            .map(|alternative| expr(cx, &super::cx::only_child(alternative, "guard test")?)),
    )?;
    let first = tests.first().required("a guard")?;
    let guard = node(
        between(first, tests.last().required("a guard")?),
        Kind::GuardOr(tests),
    );
    Ok(node(
        between(&value, &guard),
        Kind::BinaryOp(cx.text(&when_kw)?, cx.alloc(value), cx.alloc(guard)),
    ))
}

/// `H | T` (erlfmt's `macro_expr -> expr '|' expr`), read as the list `[H | T]`.
fn cons_arg<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let reparsed = Reparsed::new(cx, syntax, "f() -> [", "].")?;
    let clause = reparsed.only_clause()?;
    let body = super::cx::child_of_kind(&clause, CLAUSE_BODY)?;
    let list = super::cx::only_child(&body, "list")?;
    let pipe = token(&list, PIPE)?;
    let [head, tail] = two_children(&list, "sides of `|`")?;
    reparsed.covers(&head, &tail)?;
    let cx = reparsed.cx;
    let head = expr(cx, &head)?;
    let tail = expr(cx, &tail)?;
    Ok(node(
        between(&head, &tail),
        Kind::BinaryOp(cx.text(&pipe)?, cx.alloc(head), cx.alloc(tail)),
    ))
}

/// `??Arg`: `{macro_string, Anno, Name}`.
pub(super) fn macro_string<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let question = token(syntax, QUESTION2)?;
    let name = atom_or_var(cx, &super::cx::only_child(syntax, "the name of `??`")?)?;
    Ok(node(
        span(cx.start(&question), name.meta.end),
        Kind::MacroString(cx.alloc(name)),
    ))
}

/// Adjacent strings, variables and macros: `{concat, Anno, Values}`.
pub(super) fn concat<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let parts = children(syntax);
    let (first, rest) = parts.split_first().required("the parts of a string")?;
    if has_args(first) {
        return Err(Unsupported::new("a string after a macro with arguments"));
    }
    if first.kind() == VAR && rest.iter().any(has_args) {
        return Err(Unsupported::new("a macro with arguments after a variable"));
    }
    let values = cx.collect(parts.iter().map(|part| concat_part(cx, part)))?;
    let meta = between(&values[0], values.last().required("a string")?);
    Ok(node(meta, Kind::Concat(values)))
}

fn concat_part<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let is_string = syntax.kind() == LITERAL && super::cx::find_token(syntax, STRING).is_some();
    if is_string || matches!(syntax.kind(), VAR | MACRO_CALL | MACRO_STRING) {
        expr(cx, syntax)
    } else {
        Err(Unsupported::new(format!(
            "{:?} in adjacent strings",
            syntax.kind()
        )))
    }
}
