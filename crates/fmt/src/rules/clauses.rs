//! Clauses, guards, bodies and the blocks made of them (`fun`, `case`, `receive`, `try`, specs).

use crate::algebra::{Doc, break_with, empty, force_breaks, line, lines, space_break, text};
use crate::node::{FunKind, Kind, Meta, Node};

use super::Layout;
use super::comments::{
    combine_comments, combine_comments_no_force, comments_to_algebra, has_comments,
};
use super::containers::{call, has_any_break_between, is_next_break_fits};
use super::operators::{BinOp, binary_op_to_algebra};
use super::{
    INDENT, break_2, do_expr_to_algebra, expr_to_algebra, fold_doc, has_break_between,
    has_break_between_first, has_empty_line_between, has_inner_break, line_2, maybe_force_breaks,
    maybe_wrap_in_parens, space, surround, with_next_break_fits,
};

/// A clause head: a node, or the call `{call, AMeta, Name, Args}` that
/// `single_clause_spec_to_algebra` builds from a spec's name and the arguments
/// of its clause.
#[derive(Clone, Copy)]
enum Head<'n, 'a> {
    Node(&'n Node<'a>),
    SpecCall {
        meta: &'n Meta<'a>,
        name: &'n Node<'a>,
        args: &'n [Node<'a>],
    },
}

impl<'a> Head<'_, 'a> {
    fn meta(&self) -> &Meta<'a> {
        match self {
            Head::Node(node) => &node.meta,
            Head::SpecCall { meta, .. } => meta,
        }
    }
}

/// erlfmt's `surround_block/4`; `doc` is `Mapper(Clauses)`, `None` when there
/// are no clauses (`[]` or `empty`).
pub(super) fn surround_block<'a>(
    d: Layout<'a>,
    left: Doc<'a>,
    doc: Option<Doc<'a>>,
    right: Doc<'a>,
) -> Doc<'a> {
    match doc {
        None => line_2(d, left, right),
        Some(doc) => d.concat(&[
            force_breaks(),
            d.group(line_2(
                d,
                d.concat(&[left, d.nest(d.concat(&[line(), doc]), INDENT)]),
                right,
            )),
        ]),
    }
}

pub(super) fn block_to_algebra<'a>(d: Layout<'a>, exprs: &[Node<'a>]) -> Doc<'a> {
    match exprs {
        [expr] => expr_to_algebra(d, expr),
        _ => d.concat(&[force_breaks(), block_to_algebra_each(d, exprs)]),
    }
}

pub(super) fn block_to_algebra_2<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    exprs: &[Node<'a>],
) -> Doc<'a> {
    match exprs {
        [expr] => d.concat(&[
            maybe_force_breaks(has_inner_break(meta, &expr.meta)),
            expr_to_algebra(d, expr),
        ]),
        _ => d.concat(&[force_breaks(), block_to_algebra_each(d, exprs)]),
    }
}

/// standalone comments are always trailing other expressions
fn block_to_algebra_each<'a>(d: Layout<'a>, exprs: &[Node<'a>]) -> Doc<'a> {
    let Some((last, exprs)) = exprs.split_last() else {
        return empty();
    };
    let mut rest_d = expr_to_algebra(d, last);
    let mut next = last;
    for expr in exprs.iter().rev() {
        let expr_d = expr_to_algebra(d, expr);
        rest_d = if has_empty_line_between(&expr.meta, &next.meta) {
            d.concat(&[expr_d, text(","), lines(2), rest_d])
        } else {
            d.concat(&[expr_d, text(","), line(), rest_d])
        };
        next = expr;
    }
    rest_d
}

pub(super) fn fun_to_algebra<'a>(d: Layout<'a>, fun: &FunKind<'a>) -> Doc<'a> {
    match fun {
        FunKind::Function { name, arity } => d.concat(&[
            text("fun "),
            expr_to_algebra(d, name),
            text("/"),
            expr_to_algebra(d, arity),
        ]),
        FunKind::RemoteFunction {
            module,
            name,
            arity,
        } => d.concat(&[
            text("fun "),
            expr_to_algebra(d, module),
            text(":"),
            expr_to_algebra(d, name),
            text("/"),
            expr_to_algebra(d, arity),
        ]),
        FunKind::Clauses(clauses) => match clauses {
            [clause] if !clause.meta.pre_comments().is_empty() => {
                // A deliberate difference: erlfmt prints comments before the only
                // clause right after `fun` (`fun% comment`), and its next run moves
                // them above the `fun`. They go above the `fun` at once.
                let bare = d.bump().alloc(*clause);
                let pre = bare.meta.take_pre_comments(d.bump());
                d.concat(&[
                    force_breaks(),
                    comments_to_algebra(d, pre),
                    line(),
                    fun_to_algebra(d, &FunKind::Clauses(std::slice::from_ref(bare))),
                ])
            }
            [clause] => {
                let clause_d = d.concat(&[
                    maybe_force_breaks(clause_has_break(clause)),
                    clause_expr_to_algebra(d, clause),
                ]);
                match &clause.kind {
                    Kind::Clause {
                        head: Some(head), ..
                    } if matches!(head.kind, Kind::Args(_)) => {
                        d.group(break_2(d, d.concat(&[text("fun"), clause_d]), text("end")))
                    }
                    _ => d.group(break_2(d, space(d, text("fun"), clause_d), text("end"))),
                }
            }
            _ => surround_block(
                d,
                text("fun"),
                (!clauses.is_empty()).then(|| clauses_to_algebra(d, clauses)),
                text("end"),
            ),
        },
        FunKind::AnyType => text("fun()"),
        FunKind::Type { meta, args, result } => {
            let args_d = expr_to_algebra(d, args);
            let doc0 = with_next_break_fits(
                d,
                is_next_break_fits(&result.meta, &result.kind),
                expr_to_algebra(d, result),
                |result_d| {
                    d.concat(&[
                        args_d,
                        d.group(d.nest_if_break(break_2(d, text(" ->"), result_d), INDENT)),
                    ])
                },
            );
            let doc = combine_comments(d, meta, doc0);
            surround(d, text("fun("), "", doc, "", text(")"))
        }
    }
}

pub(super) fn clauses_to_algebra<'a>(d: Layout<'a>, clauses: &[Node<'a>]) -> Doc<'a> {
    let Some(clause) = clauses.first() else {
        return empty();
    };
    let clauses_d = fold_clauses_to_algebra(d, clauses);
    let has_break = clause_has_break(clause);
    d.group(d.concat(&[maybe_force_breaks(has_break), clauses_d]))
}

fn fold_clauses_to_algebra<'a>(d: Layout<'a>, clauses: &[Node<'a>]) -> Doc<'a> {
    let Some((last, clauses)) = clauses.split_last() else {
        return empty();
    };
    let mut acc = clause_expr_to_algebra(d, last);
    for clause in clauses.iter().rev() {
        let clause_d = clause_expr_to_algebra(d, clause);
        acc = line_2(d, d.concat(&[clause_d, text(";")]), acc);
    }
    acc
}

fn clause_has_break(clause: &Node<'_>) -> bool {
    match &clause.kind {
        Kind::Clause {
            head: None,
            guards: Some(guards),
            body,
        } => has_break_between_first(&guards.meta, body),
        Kind::Clause {
            head: Some(head),
            body,
            ..
        } => has_break_between_first(&head.meta, body),
        Kind::SpecClause { head, body, .. } => has_break_between(&head.meta, &body.meta),
        _ => false,
    }
}

fn clause_expr_to_algebra<'a>(d: Layout<'a>, clause: &Node<'a>) -> Doc<'a> {
    let meta = &clause.meta;
    match &clause.kind {
        Kind::MacroCall(..) => {
            let expr_d = do_expr_to_algebra(d, meta, &clause.kind);
            combine_comments_no_force(d, meta, expr_d)
        }
        kind => {
            let clause_d = clause_to_algebra(d, meta, kind);
            combine_comments_no_force(d, meta, clause_d)
        }
    }
}

/// The layout of a `clause` or a `spec_clause` (anything else is laid out as an
/// expression: erlfmt has no layout for it).
pub(super) fn clause_to_algebra<'a>(d: Layout<'a>, meta: &Meta<'a>, kind: &Kind<'a>) -> Doc<'a> {
    match kind {
        Kind::Clause {
            head,
            guards: None,
            body,
        } => {
            let head_d = match head {
                Some(head) => clause_head_to_algebra(d, Head::Node(head)),
                None => empty(),
            };
            let body_d = block_to_algebra(d, body);
            space(d, head_d, d.nest(break_2(d, text("->"), body_d), INDENT))
        }
        Kind::SpecClause { head, body, guards } => {
            spec_clause_to_algebra(d, Head::Node(head), body, guards.as_deref())
        }
        Kind::Clause {
            head: None,
            guards: Some(guards),
            body,
        } => {
            let guards_d = expr_to_algebra(d, guards);
            let body_d = block_to_algebra(d, body);
            space(d, guards_d, d.nest(break_2(d, text("->"), body_d), INDENT))
        }
        Kind::Clause {
            head: Some(head),
            guards: Some(guards),
            body,
        } => {
            let head_d = clause_head_to_algebra(d, Head::Node(head));
            let guards_d = expr_to_algebra(d, guards);
            let body_d = block_to_algebra_2(d, meta, body);
            let maybe_force_head_guards =
                maybe_force_breaks(has_break_between(&head.meta, &guards.meta));
            let maybe_force_guards_body =
                maybe_force_breaks(has_break_between_first(&guards.meta, body));
            let guards_arrow_d = d.group(d.concat(&[
                maybe_force_head_guards,
                nested(d, guards_d),
                break_with(" "),
                text("->"),
            ]));
            d.concat(&[
                space(d, head_d, text("when")),
                d.group(d.concat(&[guards_arrow_d, maybe_force_guards_body, nested(d, body_d)])),
            ])
        }
        _ => do_expr_to_algebra(d, meta, kind),
    }
}

/// `clause_to_algebra/1` of a `spec_clause` (its annotation is not used).
fn spec_clause_to_algebra<'a>(
    d: Layout<'a>,
    head: Head<'_, 'a>,
    body: &Node<'a>,
    guards: Option<&Node<'a>>,
) -> Doc<'a> {
    match guards {
        None => {
            let head_d = clause_head_to_algebra(d, head);
            let body_d = expr_to_algebra(d, body);
            let maybe_force = maybe_force_breaks(has_break_between(head.meta(), &body.meta));
            space(
                d,
                head_d,
                d.group(d.nest(
                    d.concat(&[maybe_force, text("->"), break_with(" "), body_d]),
                    INDENT,
                )),
            )
        }
        Some(guards) => {
            let head_d = clause_head_to_algebra(d, head);
            let guards_d = spec_clause_gaurds_to_algebra(d, guards);
            let body_d = expr_to_algebra(d, body);
            let maybe_force_head_body =
                maybe_force_breaks(has_break_between(head.meta(), &body.meta));
            let maybe_force_body_guards =
                maybe_force_breaks(has_break_between(&body.meta, &guards.meta));
            let body_when_d = d.group(d.concat(&[
                maybe_force_head_body,
                nested(d, body_d),
                break_with(" "),
                text("when"),
            ]));
            d.concat(&[
                space(d, head_d, text("->")),
                d.group(d.concat(&[body_when_d, maybe_force_body_guards, nested(d, guards_d)])),
            ])
        }
    }
}

/// The `Nested` fun of `clause_to_algebra/1`.
fn nested<'a>(d: Layout<'a>, doc: Doc<'a>) -> Doc<'a> {
    d.nest(d.concat(&[break_with(" "), doc]), INDENT)
}

fn clause_head_to_algebra<'a>(d: Layout<'a>, head: Head<'_, 'a>) -> Doc<'a> {
    match head {
        Head::Node(Node {
            meta,
            kind: Kind::BinaryOp(op, left, right),
        }) => {
            // expr_to_algebra({op, Meta, {clause_op, Op}, Left, Right})
            let doc = binary_op_to_algebra(d, BinOp::ClauseOp(op), meta, left, right);
            combine_comments(d, meta, maybe_wrap_in_parens(d, meta, doc))
        }
        Head::Node(head) => expr_to_algebra(d, head),
        Head::SpecCall { meta, name, args } => {
            // expr_to_algebra({call, AMeta, Name, Args})
            let doc = d.concat(&[
                expr_to_algebra(d, name),
                call(d, meta, args, text("("), text(")")),
            ]);
            combine_comments(d, meta, maybe_wrap_in_parens(d, meta, doc))
        }
    }
}

pub(super) fn maybe_expressions_to_algebra<'a>(d: Layout<'a>, expressions: &[Node<'a>]) -> Doc<'a> {
    let Some((last, expressions)) = expressions.split_last() else {
        return empty();
    };
    let mut rest_d = expr_to_algebra(d, last);
    let mut next = last;
    for expression in expressions.iter().rev() {
        let expr_d = expr_to_algebra(d, expression);
        rest_d = if has_empty_line_between(&expression.meta, &next.meta) {
            d.concat(&[expr_d, text(","), lines(2), rest_d])
        } else {
            line_2(d, d.concat(&[expr_d, text(",")]), rest_d)
        };
        next = expression;
    }
    rest_d
}

fn spec_clause_gaurds_to_algebra<'a>(d: Layout<'a>, expr: &Node<'a>) -> Doc<'a> {
    let meta = &expr.meta;
    let doc = match &expr.kind {
        Kind::GuardOr(guards) => spec_guards_to_algebra(d, guards, ";"),
        Kind::GuardAnd(guards) => spec_guards_to_algebra(d, guards, ","),
        other => do_expr_to_algebra(d, meta, other),
    };
    combine_comments(d, meta, maybe_wrap_in_parens(d, meta, doc))
}

fn spec_guards_to_algebra<'a>(
    d: Layout<'a>,
    guards: &[Node<'a>],
    separator: &'static str,
) -> Doc<'a> {
    guards_to_algebra_3(d, guards, separator, spec_clause_gaurds_to_algebra)
}

pub(super) fn guards_to_algebra<'a>(
    d: Layout<'a>,
    guards: &[Node<'a>],
    separator: &'static str,
) -> Doc<'a> {
    guards_to_algebra_3(d, guards, separator, expr_to_algebra)
}

fn guards_to_algebra_3<'a>(
    d: Layout<'a>,
    guards: &[Node<'a>],
    separator: &'static str,
    guard_to_algebra: fn(Layout<'a>, &Node<'a>) -> Doc<'a>,
) -> Doc<'a> {
    let guards_d = guards.iter().map(|guard| guard_to_algebra(d, guard));
    let doc = fold_doc(d, guards_d, |d, guard_d, acc| {
        break_2(d, d.concat(&[guard_d, text(separator)]), acc)
    });
    d.group(d.concat(&[maybe_force_breaks(has_any_break_between(guards)), doc]))
}

/// Because the spec syntax is different from regular function syntax,
/// in the general case we have to indent them differently, but with just
/// one clause we can indent them like functions, which seems more natural.
///
/// `None` when the clause is not a `spec_clause` with arguments (erlfmt fails).
pub(super) fn single_clause_spec_to_algebra<'a>(
    d: Layout<'a>,
    name: &Node<'a>,
    clause: &Node<'a>,
) -> Option<Doc<'a>> {
    let Kind::SpecClause { head, body, guards } = &clause.kind else {
        return None;
    };
    let Kind::Args(args) = &head.kind else {
        return None;
    };
    let head = Head::SpecCall {
        meta: &head.meta,
        name,
        args,
    };
    // clauses_to_algebra([{spec_clause, CMeta, {call, AMeta, Name, Args}, Body, Guards}])
    let clause_d = combine_comments_no_force(
        d,
        &clause.meta,
        spec_clause_to_algebra(d, head, body, guards.as_deref()),
    );
    let has_break = has_break_between(head.meta(), &body.meta);
    Some(d.group(d.concat(&[maybe_force_breaks(has_break), clause_d])))
}

pub(super) fn receive_after_to_algebra<'a>(
    d: Layout<'a>,
    expr: &Node<'a>,
    body: &[Node<'a>],
) -> Doc<'a> {
    let expr_d = expr_to_algebra(d, expr);
    let body_d = block_to_algebra(d, body);
    let nest_ = |list: Vec<Doc<'a>>| {
        d.group(d.nest_if_break(d.concat(&[space_break(), d.concat(&list)]), INDENT))
    };
    if !has_comments(&expr.meta) {
        let maybe_force_breaks_ = maybe_force_breaks(has_break_between_first(&expr.meta, body));
        d.concat(&[
            text("after"),
            text(" "),
            expr_d,
            text(" ->"),
            nest_(vec![maybe_force_breaks_, body_d]),
        ])
    } else {
        d.concat(&[
            text("after"),
            nest_(vec![expr_d, text(" ->"), nest_(vec![body_d])]),
        ])
    }
}

pub(super) fn try_to_algebra<'a>(
    d: Layout<'a>,
    body: &Node<'a>,
    of_clauses: Option<&Node<'a>>,
    catch_clauses: Option<&Node<'a>>,
    after: &[Node<'a>],
) -> Doc<'a> {
    let mut clauses = vec![try_of_block(d, body, of_clauses)];
    if let Some(catch_clauses) = catch_clauses {
        clauses.push(try_catch_to_algebra(d, catch_clauses));
    }
    if !after.is_empty() {
        clauses.push(try_after_to_algebra(d, after));
    }
    clauses.push(text("end"));
    d.concat(&[force_breaks(), d.group(fold_doc(d, clauses, line_2))])
}

fn try_catch_to_algebra<'a>(d: Layout<'a>, clauses: &Node<'a>) -> Doc<'a> {
    d.group(d.nest(
        line_2(d, text("catch"), expr_to_algebra(d, clauses)),
        INDENT,
    ))
}

fn try_after_to_algebra<'a>(d: Layout<'a>, exprs: &[Node<'a>]) -> Doc<'a> {
    let exprs_d = block_to_algebra(d, exprs);
    d.group(d.nest(line_2(d, text("after"), exprs_d), INDENT))
}

fn try_of_block<'a>(d: Layout<'a>, body: &Node<'a>, of_clauses: Option<&Node<'a>>) -> Doc<'a> {
    let body_d = expr_to_algebra(d, body);
    match of_clauses {
        None => d.group(d.nest(line_2(d, text("try"), body_d), INDENT)),
        Some(of_clauses) => d.concat(&[
            surround(d, text("try"), " ", body_d, " ", text("of")),
            d.nest(d.concat(&[line(), expr_to_algebra(d, of_clauses)]), INDENT),
        ]),
    }
}
