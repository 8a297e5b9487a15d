//! Binaries and comprehensions: `<<...>>`, `[... || ...]`, `<<... || ...>>`, `#{... || ...}`.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, children, children_before, each, find_child,
    find_token, node, span, token, tokens, without_parens,
};
use super::expr::{delimited, expr, is_expr_max, map_field, two_children};
use super::macros::macro_call_none;
use crate::node::{Kind, Node};

/// `<<...>>`: `{bin, Anno, Elements}`.
pub(super) fn binary<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_DOUBLE_ANGLE, R_DOUBLE_ANGLE)?;
    let elements = each(cx, syntax.children(), |element| bin_element(cx, element))?;
    Ok(node(meta, Kind::Bin(elements)))
}

/// `Value:Size/Types`: `{bin_element, Anno, Value, Size, Types}`.
fn bin_element<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != BIN_ELEMENT {
        return Err(Unsupported::new(format!("{:?} in a binary", syntax.kind())));
    }
    let parts = children_before(syntax, SLASH);
    let (value, size) = match parts.as_slice() {
        [value] => (value, None),
        [value, size] => (value, Some(size)),
        _ => return Err(Unsupported::new("a binary element of an unknown shape")),
    };
    let value = bit_value(cx, value)?;
    let size = size.map(|size| bit_size(cx, size)).transpose()?;
    let types: Option<&'a [Node<'a>]> = match find_child(syntax, BIN_TYPE_SPECS) {
        Some(specs) => Some(each(cx, specs.children(), |spec| bit_type(cx, spec))?),
        None => None,
    };
    let last_end = match (&size, &types) {
        (_, Some(types)) => Some(types.last().required("a type specifier")?.meta.end),
        (Some(size), None) => Some(size.meta.end),
        (None, None) => None,
    };
    let meta = match last_end {
        Some(end) => span(value.meta.loc, end),
        None => without_parens(value).meta,
    };
    Ok(node(
        meta,
        Kind::BinElement {
            expr: cx.alloc(value),
            size: size.map(|node| cx.alloc(node)),
            types,
        },
    ))
}

/// The value of a binary element: `prefix_op expr_max` or `expr_max`.
fn bit_value<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let operand_ok = match syntax.kind() {
        UNARY_EXPR => syntax.children().all(|operand| is_expr_max(operand.kind())),
        kind => is_expr_max(kind),
    };
    if !operand_ok {
        return Err(Unsupported::new(
            "a binary element value that needs parentheses",
        ));
    }
    expr(cx, syntax)
}

/// The size of a binary element; in types `_:_*8` is `{bin_size, Anno, Left, Right}`.
fn bit_size<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let is_product = syntax.kind() == BINARY_EXPR && find_token(syntax, STAR).is_some();
    if cx.is_type() && is_product {
        let [left, right] = two_children(syntax, "factors of a binary size")?;
        let left = expr(cx, &left)?;
        let right = expr(cx, &right)?;
        return Ok(node(
            between(&left, &right),
            Kind::BinSize(cx.alloc(left), cx.alloc(right)),
        ));
    }
    if !is_expr_max(syntax.kind()) {
        return Err(Unsupported::new("a binary size that needs parentheses"));
    }
    expr(cx, syntax)
}

/// A type specifier: `integer`, `unit:8`, `?MACRO`.
fn bit_type<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let parts = children(syntax);
    match parts.as_slice() {
        [name] if name.kind() == ATOM => expr(cx, name),
        [name] if name.kind() == MACRO_CALL => macro_call_none(cx, name),
        [name, unit] if name.kind() == ATOM && find_token(unit, INTEGER).is_some() => {
            token(syntax, COLON)?;
            let name = expr(cx, name)?;
            let unit = expr(cx, unit)?;
            Ok(node(
                between(&name, &unit),
                Kind::Remote(cx.alloc(name), cx.alloc(unit)),
            ))
        }
        _ => Err(Unsupported::new("a type specifier of an unknown shape")),
    }
}

/// `[E || Q]`, `<<E || Q>>` or `#{K => V || Q}`.
pub(super) fn comprehension<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if cx.is_type() {
        return Err(Unsupported::new("a comprehension in a type"));
    }
    let template = children_before(syntax, PIPE2);
    let template = template
        .first()
        .required("the template of a comprehension")?;
    let qualifiers = child_of_kind(syntax, LC_EXPRS)?;
    let qualifiers = each(cx, qualifiers.children(), |q| qualifier(cx, q))?;
    let kind = syntax.kind();
    let meta = match kind {
        LIST_COMPREHENSION => delimited(cx, syntax, L_BRACK, R_BRACK)?,
        BINARY_COMPREHENSION => delimited(cx, syntax, L_DOUBLE_ANGLE, R_DOUBLE_ANGLE)?,
        _ => delimited(cx, syntax, POUND, R_CURLY)?,
    };
    let kind = match kind {
        LIST_COMPREHENSION => Kind::ListComprehension(cx.alloc(expr(cx, template)?), qualifiers),
        BINARY_COMPREHENSION if is_expr_max(template.kind()) => {
            Kind::BinaryComprehension(cx.alloc(expr(cx, template)?), qualifiers)
        }
        BINARY_COMPREHENSION => {
            return Err(Unsupported::new(
                "a binary comprehension template that needs parentheses",
            ));
        }
        _ => Kind::MapComprehension(cx.alloc(map_field(cx, template)?), qualifiers),
    };
    Ok(node(meta, kind))
}

/// A generator, a zip of generators, or a filter.
fn qualifier<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    match syntax.kind() {
        GENERATOR => generator(cx, syntax),
        ZIP_GENERATOR => zip(cx, &children(syntax), syntax),
        _ => expr(cx, syntax),
    }
}

/// `Pattern <- Source`: `{generate, Anno, Op, Pattern, Source}`.
fn generator<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let op = tokens(syntax).next().required("the arrow of a generator")?;
    let [pattern, source] = two_children(syntax, "sides of a generator")?;
    if matches!(op.kind(), L_DOUBLE_ARROW | L_DOUBLE_ARROW_STRICT) && pattern.kind() != BINARY {
        return Err(Unsupported::new(
            "a `<=` generator whose pattern is not a binary",
        ));
    }
    let pattern = expr(cx, &pattern)?;
    let source = expr(cx, &source)?;
    Ok(node(
        between(&pattern, &source),
        Kind::Generate(cx.text(&op)?, cx.alloc(pattern), cx.alloc(source)),
    ))
}

/// `G1 && G2 && G3`: `{op, Anno, '&&', G1, {op, Anno, '&&', G2, G3}}`.
fn zip<'a>(
    cx: Cx<'_, 'a>,
    generators: &[FlatNodeView<'_>],
    syntax: &FlatNodeView<'_>,
) -> Lowered<Node<'a>> {
    let op = token(syntax, AMP2)?;
    match generators {
        [last] => generator(cx, last),
        [first, rest @ ..] => {
            let first = generator(cx, first)?;
            let rest = zip(cx, rest, syntax)?;
            Ok(node(
                between(&first, &rest),
                Kind::BinaryOp(cx.text(&op)?, cx.alloc(first), cx.alloc(rest)),
            ))
        }
        [] => Err(Unsupported::new("an empty zip of generators")),
    }
}
