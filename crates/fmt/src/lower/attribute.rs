//! Attributes and preprocessor directives: `{attribute, Anno, Name, Values}`.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, each, find_child, find_token, node, span, token,
    tokens, without_parens,
};
use super::expr::{arg_list, delimited, expr, two_children};
use super::{define, record, types};
use crate::node::{Kind, Node};

/// An attribute or directive form, from `-` to the dot.
pub(super) fn attribute<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let attr_name = child_of_kind(syntax, ATTR_NAME)?;
    let minus = token(&attr_name, MINUS)?;
    let name_token = tokens(&attr_name)
        .find(|token| token.kind() != MINUS)
        .required("the name of an attribute")?;
    let name = cx.atomic(&name_token, Kind::Atom)?;
    let dot = token(syntax, DOT)?;
    let values = values(cx, syntax, &syntax::ast::atom_value(name_token.text()))?;
    Ok(node(
        span(cx.start(&minus), cx.end(&dot)),
        Kind::Attribute {
            name: cx.alloc(name),
            values,
        },
    ))
}

/// The values of an attribute; `None` when it has no parentheses (`-endif.`).
fn values<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    name: &str,
) -> Lowered<Option<&'a [Node<'a>]>> {
    let values: &'a [Node<'a>] = match syntax.kind() {
        MODULE_ATTRIBUTE
        | BEHAVIOUR_ATTRIBUTE
        | IMPORT_ATTRIBUTE
        | EXPORT_ATTRIBUTE
        | EXPORT_TYPE_ATTRIBUTE
        | OPTIONAL_CALLBACKS_ATTRIBUTE
        | PP_UNDEF
        | PP_INCLUDE
        | PP_INCLUDE_LIB
        | PP_IFDEF
        | PP_IFNDEF
        | PP_IF
        | PP_ELIF
        | PP_ERROR
        | PP_WARNING => parenthesized(cx, syntax)?,
        RECORD_DECL => record_declaration(cx, syntax)?,
        TYPE_DECL => cx.slice([types::type_declaration(cx, syntax)?]),
        SPEC_ATTRIBUTE | CALLBACK_ATTRIBUTE => cx.slice([types::spec(cx, syntax)?]),
        PP_DEFINE => define::values(cx, syntax)?,
        PP_ELSE | PP_ENDIF => return empty_parens(syntax),
        WILD_ATTRIBUTE => return wild(cx, syntax, name),
        other => return Err(Unsupported::new(format!("{other:?} as an attribute"))),
    };
    Ok(Some(values))
}

/// `-else.` (no values) or `-else().` (no values, in parentheses).
fn empty_parens<'a>(syntax: &FlatNodeView<'_>) -> Lowered<Option<&'a [Node<'a>]>> {
    match find_token(syntax, L_PAREN) {
        Some(_) => {
            token(syntax, R_PAREN)?;
            Ok(Some(&[]))
        }
        None => Ok(None),
    }
}

/// `(A)` or `(A, B, ...)` written right after the attribute's name.
fn parenthesized<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<&'a [Node<'a>]> {
    token(syntax, L_PAREN)?;
    token(syntax, R_PAREN)?;
    let parts: Vec<FlatNodeView<'_>> = syntax
        .children()
        .filter(|child| child.kind() != ATTR_NAME)
        .collect();
    let values = each(cx, &parts, |part| value(cx, part))?;
    Ok(single_without_parens(values))
}

/// erlfmt's `attr_val -> expr`: a single value loses its parentheses.
fn single_without_parens<'a>(values: &'a mut [Node<'a>]) -> &'a [Node<'a>] {
    if let [only] = values {
        only.meta.parens = false;
    }
    values
}

/// One value of an attribute: an expression or a list of `name/arity`.
fn value<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    match syntax.kind() {
        FA_LIST => fa_list(cx, syntax),
        _ => expr(cx, syntax),
    }
}

/// `[f/1, g/2]`: a list of `{op, Anno, '/', Name, Arity}`.
fn fa_list<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_BRACK, R_BRACK)?;
    let fas = each(cx, syntax.children(), |fa| name_arity(cx, fa))?;
    Ok(node(meta, Kind::List(fas)))
}

fn name_arity<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let slash = token(syntax, SLASH)?;
    let [name, arity] = two_children(syntax, "sides of `/`")?;
    let name = expr(cx, &name)?;
    let arity = expr(cx, &arity)?;
    Ok(node(
        between(&name, &arity),
        Kind::BinaryOp(cx.text(&slash)?, cx.alloc(name), cx.alloc(arity)),
    ))
}

/// `-record(Name, {Fields}).`
fn record_declaration<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<&'a [Node<'a>]> {
    token(syntax, L_PAREN)?;
    token(syntax, R_PAREN)?;
    token(syntax, COMMA)?;
    let name = syntax
        .children()
        .find(|child| !matches!(child.kind(), ATTR_NAME | RECORD_DECL_FIELDS))
        .required("the name of a record")?;
    let fields = child_of_kind(syntax, RECORD_DECL_FIELDS)?;
    Ok(cx.slice([expr(cx, &name)?, record::declaration_fields(cx, &fields)?]))
}

/// Any other attribute: `-name(Values).`, `-name Value.` or `-name.`
fn wild<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
    name: &str,
) -> Lowered<Option<&'a [Node<'a>]>> {
    if matches!(name, "spec" | "callback" | "define") {
        return Err(Unsupported::new(format!(
            "a `-{name}` attribute erlfmt's grammar lacks"
        )));
    }
    let values: &'a [Node<'a>] = if let Some(args) = find_child(syntax, ARG_LIST) {
        single_without_parens(arg_list(cx, &args)?.0)
    } else {
        match syntax.children().find(|child| child.kind() != ATTR_NAME) {
            Some(value) => cx.slice([without_parens(expr(cx, &value)?)]),
            None => return Ok(None),
        }
    };
    if let [record_name, tuple] = values
        && name == "record"
    {
        return Ok(Some(record_values(cx, *record_name, *tuple)?));
    }
    Ok(Some(values))
}

/// erlfmt's `build_attribute` for `-record(Name, Tuple)`: the tuple's elements become fields.
fn record_values<'a>(cx: Cx<'_, 'a>, name: Node<'a>, tuple: Node<'a>) -> Lowered<&'a [Node<'a>]> {
    let Kind::Tuple(elements) = tuple.kind else {
        return Err(Unsupported::new("a bad record declaration"));
    };
    let fields = cx.collect(
        elements
            .iter()
            .map(|&element| record::field_of_expr(cx, element)),
    )?;
    Ok(cx.slice([name, node(tuple.meta, Kind::Tuple(fields))]))
}
