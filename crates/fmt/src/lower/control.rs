//! Expressions made of clauses: `case`, `if`, `receive`, `try`, `maybe` and `fun`.

use syntax::{FlatNodeView, FlatTokenView, SyntaxKind::*};

use super::Unsupported;
use super::clause::{catch_clause, clause_body, clauses_of, cr_clause, fun_clause, if_clause};
use super::cx::{Cx, Lowered, Required, children_before, find_child, node, span, token};
use super::expr::{delimited, expr, expr_children, exprs};
use crate::node::{FunKind, Kind, Node};

/// `case E of Clauses end`.
pub(super) fn case<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, CASE_KW, END_KW)?;
    token(syntax, OF_KW)?;
    let subject = children_before(syntax, OF_KW);
    let subject = expr(cx, subject.first().required("the expression of a `case`")?)?;
    let clauses = clauses_of(cx, syntax, CR_CLAUSE, cr_clause)?;
    Ok(node(meta, Kind::Case(cx.alloc(subject), clauses)))
}

/// `if Clauses end`.
pub(super) fn if_expr<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, IF_KW, END_KW)?;
    let clauses = clauses_of(cx, syntax, IF_CLAUSE, if_clause)?;
    Ok(node(meta, Kind::If(clauses)))
}

/// `receive Clauses after T -> Body end`.
pub(super) fn receive<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, RECEIVE_KW, END_KW)?;
    let receive_kw = token(syntax, RECEIVE_KW)?;
    let end_kw = token(syntax, END_KW)?;
    let clauses = clauses_of(cx, syntax, CR_CLAUSE, cr_clause)?;
    let after = find_child(syntax, RECEIVE_AFTER);
    // With `after`, the clauses end just before it (erlfmt's `range_upto_anno`).
    let clauses_end = match &after {
        Some(after) => cx.before(&token(after, AFTER_KW)?),
        None => cx.end(&end_kw),
    };
    let clauses = (!clauses.is_empty()).then(|| {
        cx.alloc(node(
            span(cx.start(&receive_kw), clauses_end),
            Kind::Clauses(clauses),
        ))
    });
    let after = after
        .map(|after| after_clause(cx, &after, &end_kw))
        .transpose()?;
    Ok(node(
        meta,
        Kind::Receive(clauses, after.map(|node| cx.alloc(node))),
    ))
}

/// `after T -> Body` (up to the `end` of the `receive`).
fn after_clause<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    end_kw: &FlatTokenView<'_>,
) -> Lowered<Node<'a>> {
    let after_kw = token(syntax, AFTER_KW)?;
    let timeout = syntax.first_child().required("the timeout of `after`")?;
    let timeout = expr(cx, &timeout)?;
    let body = clause_body(cx, syntax)?;
    Ok(node(
        span(cx.start(&after_kw), cx.end(end_kw)),
        Kind::AfterClause(cx.alloc(timeout), body),
    ))
}

/// The keywords of a `try` that erlfmt's ranges stop at.
struct TryKeywords<'g> {
    try_kw: FlatTokenView<'g>,
    of_kw: Option<FlatTokenView<'g>>,
    catch_kw: Option<FlatTokenView<'g>>,
    after_kw: Option<FlatTokenView<'g>>,
    end_kw: FlatTokenView<'g>,
}

impl<'g> TryKeywords<'g> {
    /// Where erlfmt's `try_catch` starts: `catch`, or `after` without `catch`.
    fn handlers(&self) -> Lowered<&FlatTokenView<'_>> {
        self.catch_kw
            .as_ref()
            .or(self.after_kw.as_ref())
            .required("`catch` or `after` in `try`")
    }
}

/// `try Body of Clauses catch Clauses after Exprs end`.
pub(super) fn try_expr<'a, 'g>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'g>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, TRY_KW, END_KW)?;
    let of = find_child(syntax, TRY_OF);
    let catch = find_child(syntax, TRY_CATCH);
    let after = find_child(syntax, TRY_AFTER);
    let keyword =
        |part: &Option<FlatNodeView<'g>>, kind| part.as_ref().map(|p| token(p, kind)).transpose();
    let keywords = TryKeywords {
        try_kw: token(syntax, TRY_KW)?,
        of_kw: keyword(&of, OF_KW)?,
        catch_kw: keyword(&catch, CATCH_KW)?,
        after_kw: keyword(&after, AFTER_KW)?,
        end_kw: token(syntax, END_KW)?,
    };
    let body = try_body(cx, syntax, &keywords)?;
    let of = of.map(|of| of_clauses(cx, &of, &keywords)).transpose()?;
    let catch = catch
        .map(|catch| catch_clauses(cx, &catch, &keywords))
        .transpose()?;
    let after = match &after {
        Some(after) => exprs(cx, after.children())?,
        None => &mut [],
    };
    Ok(node(
        meta,
        Kind::Try {
            body: cx.alloc(body),
            of: of.map(|node| cx.alloc(node)),
            catch: catch.map(|node| cx.alloc(node)),
            after,
        },
    ))
}

/// `{body, Anno, Exprs}`: from `try` up to just before `of`, `catch` or `after`.
fn try_body<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    keywords: &TryKeywords,
) -> Lowered<Node<'a>> {
    let next = match &keywords.of_kw {
        Some(of_kw) => of_kw,
        None => keywords.handlers()?,
    };
    Ok(node(
        span(cx.start(&keywords.try_kw), cx.before(next)),
        Kind::Body(exprs(cx, expr_children(syntax))?),
    ))
}

/// The clauses after `of`: from `of` up to just before `catch` or `after`.
fn of_clauses<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    keywords: &TryKeywords,
) -> Lowered<Node<'a>> {
    let of_kw = keywords.of_kw.as_ref().required("`of`")?;
    Ok(node(
        span(cx.start(of_kw), cx.before(keywords.handlers()?)),
        Kind::Clauses(clauses_of(cx, syntax, CR_CLAUSE, cr_clause)?),
    ))
}

/// The clauses after `catch`: from `catch` to the end of `after`, or of `end`.
fn catch_clauses<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    keywords: &TryKeywords,
) -> Lowered<Node<'a>> {
    let catch_kw = keywords.catch_kw.as_ref().required("`catch`")?;
    let until = keywords.after_kw.as_ref().unwrap_or(&keywords.end_kw);
    Ok(node(
        span(cx.start(catch_kw), cx.end(until)),
        Kind::Clauses(clauses_of(cx, syntax, CATCH_CLAUSE, catch_clause)?),
    ))
}

/// `maybe Exprs else Clauses end`.
pub(super) fn maybe<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, MAYBE_KW, END_KW)?;
    let end_kw = token(syntax, END_KW)?;
    let body = exprs(cx, expr_children(syntax))?;
    let otherwise = match find_child(syntax, MAYBE_ELSE) {
        Some(otherwise) => {
            let else_kw = token(&otherwise, ELSE_KW)?;
            let clauses = clauses_of(cx, &otherwise, CR_CLAUSE, cr_clause)?;
            Some(cx.alloc(node(
                span(cx.start(&else_kw), cx.end(&end_kw)),
                Kind::ElseClause(clauses),
            )))
        }
        None => None,
    };
    Ok(node(meta, Kind::Maybe(body, otherwise)))
}

/// `fun Clauses end`.
pub(super) fn fun<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if cx.is_type() {
        return Err(Unsupported::new("a `fun` expression in a type"));
    }
    let meta = delimited(cx, syntax, FUN_KW, END_KW)?;
    let clauses = clauses_of(cx, syntax, FUN_CLAUSE, fun_clause)?;
    Ok(node(meta, Kind::Fun(FunKind::Clauses(clauses))))
}
