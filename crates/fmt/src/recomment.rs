//! Attaches comments to erlfmt's nodes as erlfmt's `erlfmt_recomment` does.
//!
//! A comment block goes to the innermost node that contains its lines: before
//! the node (`pre_comments`) when it ends on or before the node's first line,
//! after it (`post_comments`) when it comes after the node's last line. Inside
//! a node, the comments go down to its children in order. So a comment at the
//! end of a line moves above the expression that starts on that line, which is
//! erlfmt's documented behaviour for trailing comments.
//!
//! The nodes are shared references into an arena, so a node that takes comments
//! is changed in a copy, and so is each node and list on the way down to it; the
//! comments themselves are slices of the chunk's list, split as they go.

use bumpalo::Bump;

use crate::node::{Comment, FunKind, Kind, Meta, Node, joined};

/// Comments still to attach, in order.
type Comments<'a> = &'a [Comment<'a>];

/// Attaches `comments` (in order) to the top-level node `node` and its children;
/// what changes is copied into `bump`.
pub fn recomment<'a>(bump: &'a Bump, node: &mut Node<'a>, mut comments: Comments<'a>) {
    if comments.is_empty() {
        return;
    }
    let (pre, inner, post) = split_comments(&node.meta, &mut comments);
    match &mut node.kind {
        Kind::Function(clauses) | Kind::Exprs(clauses) => {
            let rest = insert_expr_list(bump, clauses, inner);
            node.meta.put_pre_comments(bump, pre);
            node.meta.put_post_comments(bump, post);
            node.meta.put_pre_dot_comments(bump, rest);
        }
        Kind::Attribute {
            name,
            values: Some(values),
        } if is_type_attribute(name) => {
            let rest = insert_expr_list(bump, values, inner);
            node.meta.put_pre_comments(bump, pre);
            node.meta.put_post_comments(bump, post);
            node.meta.put_pre_dot_comments(bump, rest);
        }
        Kind::Attribute { values, .. } => {
            match values {
                Some(values) => insert_expr_container(bump, values, inner),
                // erlfmt's insert_expr_container has no clause for `no_parens`; a
                // comment on the line of `-endif.` ends up before the attribute.
                None => node.meta.put_pre_comments(bump, inner),
            }
            node.meta.put_pre_comments(bump, pre);
            node.meta.put_post_comments(bump, post);
        }
        _ => {
            let rest = insert_expr(bump, node, inner);
            node.meta.put_pre_comments(bump, pre);
            node.meta.put_post_comments(bump, joined(bump, rest, post));
        }
    }
}

fn is_type_attribute(name: &Node<'_>) -> bool {
    matches!(
        name.kind,
        Kind::Atom("spec" | "callback" | "type" | "opaque")
    )
}

/// Splits off the comments before the node's first line, those up to its last
/// line, and the rest.
fn split_comments<'a>(
    meta: &Meta<'_>,
    comments: &mut Comments<'a>,
) -> (Comments<'a>, Comments<'a>, Comments<'a>) {
    let pre = take_comments(meta.loc.line, comments);
    let inner = take_comments(meta.end.line, comments);
    (pre, inner, std::mem::take(comments))
}

/// Takes the leading comments that end on or before `line`.
fn take_comments<'a>(line: u32, comments: &mut Comments<'a>) -> Comments<'a> {
    let count = comments
        .iter()
        .take_while(|comment| comment.end.line <= line)
        .count();
    let (taken, rest) = comments.split_at(count);
    *comments = rest;
    taken
}

/// erlfmt's insert_expr: the node takes its pre-comments and inner comments, and
/// the comments after it are returned.
fn insert_expr<'a>(
    bump: &'a Bump,
    node: &mut Node<'a>,
    mut comments: Comments<'a>,
) -> Comments<'a> {
    if comments.is_empty() {
        return comments;
    }
    let (pre, inner, rest) = split_comments(&node.meta, &mut comments);
    let left = insert_nested(bump, node, inner);
    // erlfmt asserts that nothing is left here; keep anything left after the node.
    node.meta.put_post_comments(bump, left);
    node.meta.put_pre_comments(bump, pre);
    rest
}

/// Each expression takes its comments in turn; returns the comments after the last.
/// The list is copied into `bump` when there are comments to take.
fn insert_expr_list<'a>(
    bump: &'a Bump,
    nodes: &mut &'a [Node<'a>],
    mut comments: Comments<'a>,
) -> Comments<'a> {
    if comments.is_empty() {
        return comments;
    }
    let copy = bump.alloc_slice_copy(nodes);
    for node in copy.iter_mut() {
        if comments.is_empty() {
            break;
        }
        comments = insert_expr(bump, node, comments);
    }
    *nodes = copy;
    comments
}

/// Like [`insert_expr_list`], but the comments after the last element become its
/// post-comments, and the comments of an empty container become its elements.
fn insert_expr_container<'a>(
    bump: &'a Bump,
    nodes: &mut &'a [Node<'a>],
    mut comments: Comments<'a>,
) {
    if comments.is_empty() {
        return;
    }
    if nodes.is_empty() {
        *nodes = bump.alloc_slice_fill_iter(comments.iter().map(|&comment| {
            let meta = Meta::new(comment.loc, comment.end);
            Node::new(meta, Kind::Comment(comment))
        }));
        return;
    }
    let copy = bump.alloc_slice_copy(nodes);
    let last = copy.len() - 1;
    for (at, node) in copy.iter_mut().enumerate() {
        comments = insert_expr(bump, node, comments);
        if at == last {
            node.meta.put_post_comments(bump, comments);
            break;
        }
        if comments.is_empty() {
            break;
        }
    }
    *nodes = copy;
}

/// [`insert_expr`] on a child node, which is copied into `bump` when there are
/// comments to take.
fn insert_boxed<'a>(
    bump: &'a Bump,
    node: &mut &'a Node<'a>,
    comments: Comments<'a>,
) -> Comments<'a> {
    if comments.is_empty() {
        return comments;
    }
    let copy = bump.alloc(**node);
    let rest = insert_expr(bump, copy, comments);
    *node = copy;
    rest
}

/// erlfmt's insert_nested: distributes the comments inside `node` to its children;
/// returns what is left after the last child.
fn insert_nested<'a>(bump: &'a Bump, node: &mut Node<'a>, comments: Comments<'a>) -> Comments<'a> {
    if comments.is_empty() {
        return comments;
    }
    let meta = &mut node.meta;
    match &mut node.kind {
        Kind::Atom(_)
        | Kind::Var(_)
        | Kind::Integer(_)
        | Kind::Float(_)
        | Kind::Char(_)
        | Kind::String(_)
        | Kind::RecordIndex(..)
        | Kind::MacroString(_)
        | Kind::MacroCall(_, None)
        | Kind::RecordField(_, None)
        | Kind::Fun(FunKind::Function { .. } | FunKind::RemoteFunction { .. } | FunKind::AnyType) =>
        {
            meta.put_pre_comments(bump, comments);
            &[]
        }
        Kind::Concat(values)
        | Kind::GuardOr(values)
        | Kind::GuardAnd(values)
        | Kind::CatchPattern(values) => insert_expr_list(bump, values, comments),
        Kind::UnaryOp(_, expr) => insert_boxed(bump, expr, comments),
        Kind::BinaryOp(_, left, right)
        | Kind::Cons(left, right)
        | Kind::MapFieldAssoc(left, right)
        | Kind::MapFieldExact(left, right)
        | Kind::RecordField(left, Some(right))
        | Kind::Generate(_, left, right)
        | Kind::Remote(left, right) => {
            let comments = insert_boxed(bump, left, comments);
            insert_boxed(bump, right, comments)
        }
        Kind::SpecClause { head, body, guards } => {
            let comments = insert_boxed(bump, head, comments);
            let comments = insert_boxed(bump, body, comments);
            match guards {
                Some(guards) => insert_boxed(bump, guards, comments),
                None => comments,
            }
        }
        Kind::Clause { head, guards, body } => {
            let mut comments = comments;
            if let Some(head) = head {
                comments = insert_boxed(bump, head, comments);
            }
            if let Some(guards) = guards {
                comments = insert_boxed(bump, guards, comments);
            }
            insert_expr_list(bump, body, comments)
        }
        Kind::Tuple(values)
        | Kind::List(values)
        | Kind::Bin(values)
        | Kind::Block(values)
        | Kind::Record {
            base: None,
            fields: values,
            ..
        }
        | Kind::Map(None, values)
        | Kind::MacroCall(_, Some(values))
        | Kind::ElseClause(values)
        | Kind::If(values)
        | Kind::Spec(_, values)
        | Kind::Fun(FunKind::Clauses(values))
        | Kind::Args(values)
        | Kind::Clauses(values)
        | Kind::Body(values) => {
            insert_expr_container(bump, values, comments);
            &[]
        }
        Kind::Map(Some(base), values)
        | Kind::Record {
            base: Some(base),
            fields: values,
            ..
        }
        | Kind::Call(base, values)
        | Kind::Case(base, values)
        | Kind::ListComprehension(base, values)
        | Kind::BinaryComprehension(base, values)
        | Kind::MapComprehension(base, values)
        | Kind::AfterClause(base, values) => {
            let comments = insert_boxed(bump, base, comments);
            insert_expr_container(bump, values, comments);
            &[]
        }
        Kind::RecordAccess { expr, .. } | Kind::BinElement { expr, .. } => {
            let comments = insert_boxed(bump, expr, comments);
            meta.put_pre_comments(bump, comments);
            &[]
        }
        Kind::Maybe(exprs, None) => {
            insert_expr_container(bump, exprs, comments);
            &[]
        }
        Kind::Maybe(exprs, Some(else_clause)) => {
            let comments = insert_expr_list(bump, exprs, comments);
            if !comments.is_empty() {
                let copy = bump.alloc(**else_clause);
                let left = insert_nested(bump, copy, comments);
                copy.meta.put_post_comments(bump, left);
                *else_clause = copy;
            }
            &[]
        }
        Kind::Receive(clauses, after) => {
            let mut comments = comments;
            if let Some(clauses) = clauses {
                comments = insert_boxed(bump, clauses, comments);
            }
            if let Some(after) = after {
                comments = insert_boxed(bump, after, comments);
            }
            meta.put_post_comments(bump, comments);
            &[]
        }
        Kind::Try {
            body,
            of,
            catch,
            after,
        } => {
            let mut comments = insert_boxed(bump, body, comments);
            if let Some(of) = of {
                comments = insert_boxed(bump, of, comments);
            }
            if let Some(catch) = catch {
                comments = insert_boxed(bump, catch, comments);
            }
            if after.is_empty() {
                meta.put_post_comments(bump, comments);
            } else {
                insert_expr_container(bump, after, comments);
            }
            &[]
        }
        Kind::Fun(FunKind::Type { args, result, .. }) => {
            let comments = insert_boxed(bump, args, comments);
            insert_boxed(bump, result, comments)
        }
        Kind::BinSize(left, right) => {
            let comments = insert_boxed(bump, left, comments);
            insert_boxed(bump, right, comments)
        }
        Kind::RecordName(name) => insert_boxed(bump, name, comments),
        Kind::Sigil(_)
        | Kind::Ellipsis
        | Kind::FaGroup(_)
        | Kind::Comment(_)
        | Kind::Empty
        | Kind::Shebang(_) => comments,
        Kind::Function(clauses) | Kind::Exprs(clauses) => insert_expr_list(bump, clauses, comments),
        Kind::Attribute { values, .. } => match values {
            Some(values) => {
                insert_expr_container(bump, values, comments);
                &[]
            }
            None => comments,
        },
    }
}
