//! Unary and binary operators, `=`-like fields (`=>`, `:=`, `<-`) and unions in types.

use crate::algebra::{Doc, text};
use crate::node::{Kind, Meta, Node};

use super::Layout;
use super::comments::combine_comments;
use super::containers::is_next_break_fits;
use super::{
    INDENT, break_2, do_expr_to_algebra, expr_meta_to_algebra, expr_to_algebra, fold_doc,
    has_break_between, is_multiline, maybe_force_breaks, maybe_wrap_in_parens, space,
    with_next_break_fits,
};

/// A binary operator: `Op`, or erlfmt's `{clause_op, Op}` for the operator at the
/// top of a clause head (`X = Y ->`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum BinOp<'a> {
    Op(&'a str),
    ClauseOp(&'a str),
}

/// An operand once `rewrite_assoc` has run: a node of the input, maybe with the
/// annotation that erlfmt gives it, or an operation that `rewrite_assoc` built.
enum Operand<'n, 'a> {
    Node(Meta<'a>, &'n Kind<'a>),
    Op(Box<OpNode<'n, 'a>>),
}

/// `{op, Meta, Op, Left, Right}` built by `rewrite_assoc` (the operator is that
/// of the chain being rewritten).
struct OpNode<'n, 'a> {
    meta: Meta<'a>,
    left: Operand<'n, 'a>,
    right: Operand<'n, 'a>,
}

impl<'n, 'a> Operand<'n, 'a> {
    fn node(node: &'n Node<'a>) -> Operand<'n, 'a> {
        Operand::Node(node.meta, &node.kind)
    }

    fn meta(&self) -> &Meta<'a> {
        match self {
            Operand::Node(meta, _) => meta,
            Operand::Op(op) => &op.meta,
        }
    }
}

/// A borrowed [`Operand`].
#[derive(Clone, Copy)]
enum OperandRef<'x, 'a> {
    Node(&'x Meta<'a>, &'x Kind<'a>),
    Op(&'x OpNode<'x, 'a>),
}

impl<'x, 'a> OperandRef<'x, 'a> {
    fn node(node: &'x Node<'a>) -> OperandRef<'x, 'a> {
        OperandRef::Node(&node.meta, &node.kind)
    }

    fn of(operand: &'x Operand<'_, 'a>) -> OperandRef<'x, 'a> {
        match operand {
            Operand::Node(meta, kind) => OperandRef::Node(meta, kind),
            Operand::Op(op) => OperandRef::Op(op),
        }
    }

    fn meta(self) -> &'x Meta<'a> {
        match self {
            OperandRef::Node(meta, _) => meta,
            OperandRef::Op(op) => &op.meta,
        }
    }

    /// The node's kind; `None` for a built operation.
    fn kind(self) -> Option<&'x Kind<'a>> {
        match self {
            OperandRef::Node(_, kind) => Some(kind),
            OperandRef::Op(_) => None,
        }
    }
}

pub(super) fn unary_op_to_algebra<'a>(d: Layout<'a>, op: &'a str, expr: &Node<'a>) -> Doc<'a> {
    let op_d = text(op);
    let expr_d = expr_to_algebra(d, expr);
    let needs_space = unary_needs_space(expr, op);
    if needs_space {
        space(d, op_d, expr_d)
    } else {
        d.concat(&[op_d, expr_d])
    }
}

fn unary_needs_space(expr: &Node<'_>, op: &str) -> bool {
    match op {
        "not" | "bnot" | "catch" => true,
        _ => matches!(expr.kind, Kind::UnaryOp(..)) && !expr.meta.parens,
    }
}

/// `field_to_algebra/3`.
pub(super) fn field_to_algebra<'a>(
    d: Layout<'a>,
    op: &'a str,
    left: &Node<'a>,
    right: &Node<'a>,
) -> Doc<'a> {
    let left_d = expr_to_algebra(d, left);
    let right_d = expr_to_algebra(d, right);
    field_to_algebra_6(
        d,
        text(op),
        OperandRef::node(left),
        OperandRef::node(right),
        left_d,
        right_d,
        INDENT,
    )
}

pub(super) fn binary_op_to_algebra<'a>(
    d: Layout<'a>,
    op: BinOp<'a>,
    meta0: &Meta<'a>,
    left0: &Node<'a>,
    right0: &Node<'a>,
) -> Doc<'a> {
    match op {
        // .. is special - non-assoc, no spaces around and never breaks
        BinOp::Op("..") => d.concat(&[
            expr_to_algebra(d, left0),
            text(".."),
            expr_to_algebra(d, right0),
        ]),
        // special-case the foo/N syntax in attributes, division with a literal atom
        // doesn't make sense in normal code, so it's safe to apply it everywhere
        BinOp::Op("/")
            if matches!(left0.kind, Kind::Atom(_)) && matches!(right0.kind, Kind::Integer(_)) =>
        {
            d.concat(&[
                expr_to_algebra(d, left0),
                text("/"),
                expr_to_algebra(d, right0),
            ])
        }
        // | does not increase indentation and breaks as a whole
        BinOp::Op("|") => union_to_algebra(d, meta0, left0, right0),
        _ => {
            // don't print parens and comments twice - expr_to_algebra took care of it already
            let meta = delete_annos(d, meta0, true);
            // erlfmt goes on with `Meta`, not with the annotation `rewrite_assoc` returns.
            let OpNode { left, right, .. } =
                rewrite_assoc(d, op, meta, Operand::node(left0), Operand::node(right0));
            binary_op_to_algebra_5(
                d,
                op,
                &meta,
                OperandRef::of(&left),
                OperandRef::of(&right),
                INDENT,
            )
        }
    }
}

/// `Meta` without `pre_comments` and `post_comments`, and without `parens` too
/// when `parens` is set (erlfmt_scan's `delete_annos/2`).
fn delete_annos<'a>(d: Layout<'a>, meta: &Meta<'a>, parens: bool) -> Meta<'a> {
    let mut meta = meta.without_comments(d.bump());
    meta.parens = meta.parens && !parens;
    meta
}

/// Turns `A op (B op C)` into `(A op B) op C`, moving the comments of `B op C`
/// to `B` and to the whole.
fn rewrite_assoc<'n, 'a>(
    d: Layout<'a>,
    op: BinOp<'a>,
    mut meta_abc0: Meta<'a>,
    mut a: Operand<'n, 'a>,
    mut bc: Operand<'n, 'a>,
) -> OpNode<'n, 'a> {
    // erlfmt ends with the call `rewrite_assoc(Op, .., AB, C)`; this loops instead.
    loop {
        if let BinOp::Op(op_text) = op
            && op_text != "="
            && op_text != "::"
            && let Operand::Node(meta_bc0, kind) = &bc
            && let Kind::BinaryOp(bc_op, b0, c) = *kind
            && *bc_op == op_text
            && !meta_bc0.parens
        {
            let pre = meta_bc0.pre_comments();
            let post = meta_bc0.post_comments();
            let meta_bc = delete_annos(d, meta_bc0, false);
            let mut b_meta = b0.meta;
            b_meta.put_pre_comments(d.bump(), pre);
            let b = Operand::Node(b_meta, &b0.kind);
            let ab_meta = update_meta_location(meta_bc, a.meta(), b.meta());
            let ab = Operand::Op(Box::new(rewrite_assoc(d, op, ab_meta, a, b)));
            let mut meta_abc = meta_abc0;
            meta_abc.put_post_comments(d.bump(), post);
            let c = Operand::node(c);
            meta_abc0 = update_meta_location(meta_abc, ab.meta(), c.meta());
            a = ab;
            bc = c;
            continue;
        }
        return OpNode {
            meta: meta_abc0,
            left: a,
            right: bc,
        };
    }
}

fn update_meta_location<'a>(mut meta: Meta<'a>, first: &Meta<'a>, last: &Meta<'a>) -> Meta<'a> {
    meta.loc = first.loc;
    meta.end = last.end;
    meta
}

/// `{op, Meta, Op, Left, Right}` when `expr` is an operation of `parent_op`.
fn same_op_parts<'x, 'a>(
    parent_op: BinOp<'a>,
    expr: OperandRef<'x, 'a>,
) -> Option<(&'x Meta<'a>, OperandRef<'x, 'a>, OperandRef<'x, 'a>)> {
    match expr {
        OperandRef::Op(op) => Some((
            &op.meta,
            OperandRef::of(&op.left),
            OperandRef::of(&op.right),
        )),
        OperandRef::Node(meta, Kind::BinaryOp(op, left, right)) if parent_op == BinOp::Op(op) => {
            Some((meta, OperandRef::node(left), OperandRef::node(right)))
        }
        OperandRef::Node(..) => None,
    }
}

fn binary_operand_to_algebra<'a>(
    d: Layout<'a>,
    parent_op: BinOp<'a>,
    expr: OperandRef<'_, 'a>,
    indent: u32,
) -> Doc<'a> {
    // Same operator, no parens, means correct side and no repeated nesting
    match same_op_parts(parent_op, expr) {
        Some((meta, left, right)) => {
            let indent = if meta.parens { INDENT } else { indent };
            binary_op_to_algebra_5(d, parent_op, meta, left, right, indent)
        }
        None => match expr {
            OperandRef::Node(meta, kind) => expr_meta_to_algebra(d, meta, kind),
            OperandRef::Op(op) => binary_op_to_algebra_5(
                d,
                parent_op,
                &op.meta,
                OperandRef::of(&op.left),
                OperandRef::of(&op.right),
                indent,
            ),
        },
    }
}

/// erlfmt recurses on the left operand while it is an operation of the same
/// operator (a chain that `rewrite_assoc` made left-nested); this walks down that
/// spine first and builds the documents back up, so long chains take no stack.
fn binary_op_to_algebra_5<'a>(
    d: Layout<'a>,
    op: BinOp<'a>,
    meta: &Meta<'a>,
    left: OperandRef<'_, 'a>,
    right: OperandRef<'_, 'a>,
    indent: u32,
) -> Doc<'a> {
    let mut spine = vec![(meta, left, right, indent)];
    let (mut operand, mut operand_indent) = (left, indent);
    while let Some((meta, left, right)) = same_op_parts(op, operand) {
        operand_indent = if meta.parens { INDENT } else { operand_indent };
        spine.push((meta, left, right, operand_indent));
        operand = left;
    }
    let mut left_d = binary_operand_to_algebra(d, op, operand, operand_indent);
    for (meta, left, right, indent) in spine.into_iter().rev() {
        let right_d = binary_operand_to_algebra(d, op, right, 0);
        let doc = binary_op_doc(d, op, left, right, left_d, right_d, indent);
        left_d = combine_comments(d, meta, maybe_wrap_in_parens(d, meta, doc));
    }
    left_d
}

/// The rest of erlfmt's `binary_op_to_algebra/5`, once the operands are documents
/// (but for the parentheses and comments of the operation, which the caller adds).
fn binary_op_doc<'a>(
    d: Layout<'a>,
    op: BinOp<'a>,
    left: OperandRef<'_, 'a>,
    right: OperandRef<'_, 'a>,
    left_d: Doc<'a>,
    right_d: Doc<'a>,
    indent: u32,
) -> Doc<'a> {
    match op {
        BinOp::Op("::") => field_to_algebra_6(d, text("::"), left, right, left_d, right_d, indent),
        BinOp::Op("=") => field_to_algebra_6(d, text("="), left, right, left_d, right_d, indent),
        // when a pattern is in a clause and it breaks we want to prevent issue #211
        BinOp::ClauseOp("=") => {
            field_to_algebra_6(d, text("="), left, right, left_d, right_d, indent + INDENT)
        }
        BinOp::ClauseOp(clause_op) => {
            let op_d = text(clause_op);
            breakable_binary_op_to_algebra(d, op_d, left, right, left_d, right_d, indent + INDENT)
        }
        BinOp::Op(op) => {
            let op_d = text(op);
            breakable_binary_op_to_algebra(d, op_d, left, right, left_d, right_d, indent)
        }
    }
}

fn field_to_algebra_6<'a>(
    d: Layout<'a>,
    op_d: Doc<'a>,
    left: OperandRef<'_, 'a>,
    right: OperandRef<'_, 'a>,
    left_d: Doc<'a>,
    right_d: Doc<'a>,
    indent: u32,
) -> Doc<'a> {
    let right_fits = right
        .kind()
        .is_some_and(|kind| is_call(kind) || is_next_break_fits(right.meta(), kind));
    if right_fits && !has_break_between(left.meta(), right.meta()) {
        with_next_break_fits(d, true, right_d, |r| {
            d.concat(&[d.group(left_d), text(" "), op_d, text(" "), d.group(r)])
        })
    } else {
        breakable_binary_op_to_algebra(d, op_d, left, right, left_d, right_d, indent)
    }
}

fn is_call(kind: &Kind<'_>) -> bool {
    matches!(kind, Kind::Call(..) | Kind::MacroCall(..))
}

fn breakable_binary_op_to_algebra<'a>(
    d: Layout<'a>,
    op_d: Doc<'a>,
    left: OperandRef<'_, 'a>,
    right: OperandRef<'_, 'a>,
    left_d: Doc<'a>,
    right_d: Doc<'a>,
    indent: u32,
) -> Doc<'a> {
    let has_break = has_break_between(left.meta(), right.meta());
    let right_op_d = d.nest_if_break(
        break_2(d, d.concat(&[text(" "), op_d]), d.group(right_d)),
        indent,
    );
    d.concat(&[
        d.group(left_d),
        d.group(d.concat(&[maybe_force_breaks(has_break), right_op_d])),
    ])
}

fn union_to_algebra<'a>(
    d: Layout<'a>,
    meta: &Meta<'a>,
    left: &Node<'a>,
    right: &Node<'a>,
) -> Doc<'a> {
    let doc = break_2(d, expr_to_algebra(d, left), fold_unions(d, right));
    d.group(d.concat(&[maybe_force_breaks(is_multiline(meta)), doc]))
}

/// The alternatives after the first, each with its `| ` (erlfmt recurses on the
/// right operand; this loops).
fn fold_unions<'a>(d: Layout<'a>, mut expr: &Node<'a>) -> Doc<'a> {
    let mut docs = Vec::new();
    while let Kind::BinaryOp("|", left, right) = &expr.kind {
        let left_d = expr_to_algebra(d, left);
        let left_pipe_d = d.concat(&[text("| "), left_d]);
        docs.push(combine_comments(d, &expr.meta, left_pipe_d));
        expr = right;
    }
    let expr_d = do_expr_to_algebra(d, &expr.meta, &expr.kind);
    let expr_pipe_d = d.concat(&[text("| "), maybe_wrap_in_parens(d, &expr.meta, expr_d)]);
    docs.push(combine_comments(d, &expr.meta, expr_pipe_d));
    fold_doc(d, docs, break_2)
}
