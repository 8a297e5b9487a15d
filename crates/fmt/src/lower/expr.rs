//! Expressions, patterns and types: the nodes of erlfmt's `expr`, `pat_expr` and `type` rules.

use syntax::{FlatNodeView, SyntaxKind, SyntaxKind::*};

use super::cx::{
    Cx, Lowered, Required, between, children, children_after, children_before, each, node,
    only_child, span, token, tokens,
};
use super::literal::{atom_or_var_or_macro, var};
use super::{Unsupported, binary, control, literal, macros, operators, record, types};
use crate::node::{FunKind, Kind, Meta, Node};

/// The erlfmt node of an expression, pattern or type.
pub(super) fn expr<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let cx = cx.nested()?;
    match syntax.kind() {
        ATOM => literal::atom(cx, syntax),
        VAR => literal::var(cx, syntax),
        LITERAL => literal::literal(cx, syntax),
        STRING_CONCAT => macros::concat(cx, syntax),
        MACRO_CALL => macros::macro_call(cx, syntax),
        MACRO_STRING => macros::macro_string(cx, syntax),
        BINARY_EXPR | UNARY_EXPR | CATCH_EXPR | ANN_TYPE | MAP_FIELD => {
            operators::chain(cx, syntax)
        }
        PAREN_EXPR => paren(cx, syntax),
        TUPLE => tuple(cx, syntax),
        LIST => list(cx, syntax),
        LIST_COMPREHENSION | BINARY_COMPREHENSION | MAP_COMPREHENSION => {
            binary::comprehension(cx, syntax)
        }
        BINARY => binary::binary(cx, syntax),
        MAP_EXPR => map(cx, syntax),
        RECORD_EXPR => record::record(cx, syntax),
        RECORD_FIELD_ACCESS => record::access(cx, syntax),
        RECORD_INDEX => record::index(cx, syntax),
        CALL => call(cx, syntax),
        REMOTE => remote(cx, syntax),
        BLOCK_EXPR => block(cx, syntax),
        CASE_EXPR => control::case(cx, syntax),
        IF_EXPR => control::if_expr(cx, syntax),
        RECEIVE_EXPR => control::receive(cx, syntax),
        TRY_EXPR => control::try_expr(cx, syntax),
        MAYBE_EXPR => control::maybe(cx, syntax),
        FUN_EXPR => control::fun(cx, syntax),
        FUN_REF => fun_ref(cx, syntax),
        FUN_TYPE => types::fun_type(cx, syntax),
        other => Err(Unsupported::new(format!("{other:?} as an expression"))),
    }
}

/// Lowers each expression of `nodes`.
pub(super) fn exprs<'a, 'g, N: std::borrow::Borrow<FlatNodeView<'g>>>(
    cx: Cx<'_, 'a>,
    nodes: impl IntoIterator<Item = N>,
) -> Lowered<&'a mut [Node<'a>]> {
    each(cx, nodes, |syntax| expr(cx, syntax))
}

/// The expression children of `syntax`.
pub(super) fn expr_children<'g>(
    syntax: &FlatNodeView<'g>,
) -> impl Iterator<Item = FlatNodeView<'g>> + use<'g> {
    syntax.children().filter(|child| is_expr(child.kind()))
}

/// Whether `kind` is one of the grammar's `Expr` alternatives.
pub(super) fn is_expr(kind: SyntaxKind) -> bool {
    <syntax::ast::Expr as syntax::ast::AstNode>::can_cast(kind)
}

/// The two child nodes of `syntax`.
pub(super) fn two_children<'g>(
    syntax: &FlatNodeView<'g>,
    what: &str,
) -> Lowered<[FlatNodeView<'g>; 2]> {
    let mut children = syntax.children();
    match (children.next(), children.next(), children.next()) {
        (Some(first), Some(second), None) => Ok([first, second]),
        _ => Err(Unsupported::new(format!("not two {what}"))),
    }
}

fn paren<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    token(syntax, R_PAREN)?;
    let mut inner = expr(cx, &only_child(syntax, "expression in parentheses")?)?;
    inner.meta.parens = true;
    Ok(inner)
}

/// From the first token of `open` to the last of `close` directly under `syntax`.
pub(super) fn delimited<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    open: SyntaxKind,
    close: SyntaxKind,
) -> Lowered<Meta<'a>> {
    let first = token(syntax, open)?;
    let last = super::cx::last_token_of(syntax, close)?;
    Ok(span(cx.start(&first), cx.end(&last)))
}

fn tuple<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_CURLY, R_CURLY)?;
    Ok(node(meta, Kind::Tuple(exprs(cx, syntax.children())?)))
}

fn list<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_BRACK, R_BRACK)?;
    let elements = children_before(syntax, PIPE);
    let tail = children_after(syntax, PIPE);
    // The last element before `|` is the head of a `cons` with the tail.
    let (elements, cons) = match tail.first() {
        Some(tail) => {
            let (head, elements) = elements.split_last().required("the head before `|`")?;
            (elements, Some((head, tail)))
        }
        None => (elements.as_slice(), None),
    };
    let cons = cons.map(|(head, tail)| {
        let head = expr(cx, head)?;
        let tail = expr(cx, tail)?;
        Ok(node(
            between(&head, &tail),
            Kind::Cons(cx.alloc(head), cx.alloc(tail)),
        ))
    });
    let ellipsis = super::cx::find_token(syntax, DOT3).map(|dots| {
        if !cx.is_type() {
            return Err(Unsupported::new("`...` outside a type"));
        }
        Ok(node(cx.token_meta(&dots), Kind::Ellipsis))
    });
    let elements = cx.collect(
        elements
            .iter()
            .map(|element| expr(cx, element))
            .chain(cons)
            .chain(ellipsis),
    )?;
    Ok(node(meta, Kind::List(elements)))
}

fn map<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let pound = token(syntax, POUND)?;
    let close = token(syntax, R_CURLY)?;
    let base = match children_before(syntax, POUND).as_slice() {
        [] => None,
        [base] if is_expr_max(base.kind()) || base.kind() == MAP_EXPR => {
            Some(cx.alloc(expr(cx, base)?))
        }
        _ => return Err(Unsupported::new("a map whose base needs parentheses")),
    };
    let start = base.as_ref().map_or(cx.start(&pound), |base| base.meta.loc);
    let fields = each(cx, children_after(syntax, POUND), |field| {
        map_field(cx, field)
    })?;
    Ok(node(span(start, cx.end(&close)), Kind::Map(base, fields)))
}

/// `K => V` or `K := V`, as erlfmt's operator precedences group it with its neighbours.
pub(super) fn map_field<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != MAP_FIELD {
        return Err(Unsupported::new(format!("{:?} in a map", syntax.kind())));
    }
    operators::chain(cx, syntax)
}

/// Whether erlfmt's `expr_max` covers `kind`: what needs no parentheses
/// before `#`, `:` or an argument list, and as a binary element's value or size.
pub(super) fn is_expr_max(kind: SyntaxKind) -> bool {
    !matches!(
        kind,
        BINARY_EXPR
            | UNARY_EXPR
            | CATCH_EXPR
            | MAP_EXPR
            | MAP_FIELD
            | RECORD_EXPR
            | RECORD_FIELD_ACCESS
            | RECORD_INDEX
            | CALL
            | REMOTE
            | ANN_TYPE
            | FUN_TYPE
    )
}

/// Whether erlfmt's `expr_max_remote` (what can be called) covers `kind`.
fn is_callable(kind: SyntaxKind) -> bool {
    is_expr_max(kind) || kind == REMOTE
}

fn call<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let callee = syntax.first_child().required("the called function")?;
    if !is_callable(callee.kind()) {
        return Err(Unsupported::new(format!("a call of {:?}", callee.kind())));
    }
    let callee = expr(cx, &callee)?;
    let (args, args_meta) = arg_list(cx, &super::cx::child_of_kind(syntax, ARG_LIST)?)?;
    Ok(node(
        span(callee.meta.loc, args_meta.end),
        Kind::Call(cx.alloc(callee), args),
    ))
}

/// The expressions of an `ARG_LIST` (or `TYPE_ARGS`, `TYPE_PARAMS`, `MACRO_PARAMS`)
/// and the annotation of the whole list, parentheses included.
pub(super) fn arg_list<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
) -> Lowered<(&'a mut [Node<'a>], Meta<'a>)> {
    let meta = delimited(cx, syntax, L_PAREN, R_PAREN)?;
    Ok((exprs(cx, syntax.children())?, meta))
}

/// `m:f`, and `a:b:c` as `a:(b:c)` (erlfmt's `expr_max ':' expr_max_remote`).
fn remote<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let mut parts = Vec::new();
    remote_parts(syntax, &mut parts)?;
    let parts: &'a [Node<'a>] = cx.collect(parts.iter().map(|part| expr(cx, part)))?;
    let (&function, modules) = parts
        .split_last()
        .required("the function of a remote name")?;
    let mut function = function;
    let mut type_args = None;
    if cx.is_type()
        && let Kind::MacroCall(name, Some(args)) = function.kind
    {
        // `m:?T(A)` in a type is a call of `m:?T` (erlfmt's `type` rule for
        // remote types), not a remote name whose function is `?T(A)`.
        let name_end = name.meta.end;
        type_args = Some((args, function.meta.end));
        function = node(
            span(function.meta.loc, name_end),
            Kind::MacroCall(name, None),
        );
    }
    for module in modules.iter().rev() {
        function = node(
            between(module, &function),
            Kind::Remote(module, cx.alloc(function)),
        );
    }
    match type_args {
        Some((args, end)) => Ok(node(
            span(function.meta.loc, end),
            Kind::Call(cx.alloc(function), args),
        )),
        None => Ok(function),
    }
}

/// The parts of a remote name: `a`, `b` and `c` of `a:b:c` however it nests.
fn remote_parts<'g>(syntax: &FlatNodeView<'g>, parts: &mut Vec<FlatNodeView<'g>>) -> Lowered<()> {
    if syntax.kind() != REMOTE {
        if !is_expr_max(syntax.kind()) {
            return Err(Unsupported::new(format!(
                "{:?} in a remote name",
                syntax.kind()
            )));
        }
        parts.push(*syntax);
        return Ok(());
    }
    let [module, function] = two_children(syntax, "sides of a remote name")?;
    remote_parts(&module, parts)?;
    remote_parts(&function, parts)
}

fn block<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, BEGIN_KW, END_KW)?;
    Ok(node(meta, Kind::Block(exprs(cx, syntax.children())?)))
}

/// `fun name/1`, `fun m:name/1`.
fn fun_ref<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let fun = token(syntax, FUN_KW)?;
    let parts = children(syntax);
    let arity = parts.last().required("the arity")?;
    let arity = match arity.kind() {
        LITERAL if tokens(arity).any(|t| t.kind() == INTEGER) => expr(cx, arity)?,
        VAR => var(cx, arity)?,
        MACRO_CALL => macros::macro_call_none(cx, arity)?,
        other => return Err(Unsupported::new(format!("{other:?} as an arity"))),
    };
    let meta = span(cx.start(&fun), arity.meta.end);
    let what = match parts.as_slice() {
        [name, _] => FunKind::Function {
            name: cx.alloc(atom_or_var_or_macro(cx, name)?),
            arity: cx.alloc(arity),
        },
        [module, name, _] => FunKind::RemoteFunction {
            module: cx.alloc(atom_or_var_or_macro(cx, module)?),
            name: cx.alloc(atom_or_var_or_macro(cx, name)?),
            arity: cx.alloc(arity),
        },
        _ => return Err(Unsupported::new("a `fun` reference of an unknown shape")),
    };
    Ok(node(meta, Kind::Fun(what)))
}
