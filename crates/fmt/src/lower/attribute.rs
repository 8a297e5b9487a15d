//! Attributes and preprocessor directives: `{attribute, Anno, Name, Values}`.

use syntax::{NodeView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{
    Cx, Lowered, Required, between, child_of_kind, each, find_child, find_token, node, span, token,
    tokens, without_parens,
};
use super::expr::{arg_list, delimited, expr, two_children};
use super::{define, record, types};
use crate::node::{Kind, Node};

/// An attribute or directive form, from `-` to the dot.
pub(super) fn attribute<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Node<'a>> {
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
            name: Box::new(name),
            values,
        },
    ))
}

/// The values of an attribute; `None` when it has no parentheses (`-endif.`).
fn values<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>, name: &str) -> Lowered<Option<Vec<Node<'a>>>> {
    let values = match syntax.kind() {
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
        TYPE_DECL => vec![types::type_declaration(cx, syntax)?],
        SPEC_ATTRIBUTE | CALLBACK_ATTRIBUTE => vec![types::spec(cx, syntax)?],
        PP_DEFINE => define::values(cx, syntax)?,
        PP_ELSE | PP_ENDIF => return empty_parens(syntax),
        WILD_ATTRIBUTE => return wild(cx, syntax, name),
        other => return Err(Unsupported::new(format!("{other:?} as an attribute"))),
    };
    Ok(Some(values))
}

/// `-else.` (no values) or `-else().` (no values, in parentheses).
fn empty_parens<'a>(syntax: &NodeView<'_>) -> Lowered<Option<Vec<Node<'a>>>> {
    match find_token(syntax, L_PAREN) {
        Some(_) => {
            token(syntax, R_PAREN)?;
            Ok(Some(Vec::new()))
        }
        None => Ok(None),
    }
}

/// `(A)` or `(A, B, ...)` written right after the attribute's name.
fn parenthesized<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Vec<Node<'a>>> {
    token(syntax, L_PAREN)?;
    token(syntax, R_PAREN)?;
    let parts: Vec<NodeView<'_>> = syntax
        .children()
        .filter(|child| child.kind() != ATTR_NAME)
        .collect();
    let values = each(&parts, |part| value(cx, part))?;
    Ok(single_without_parens(values))
}

/// erlfmt's `attr_val -> expr`: a single value loses its parentheses.
fn single_without_parens(mut values: Vec<Node<'_>>) -> Vec<Node<'_>> {
    if let [only] = values.as_mut_slice() {
        only.meta.parens = false;
    }
    values
}

/// One value of an attribute: an expression or a list of `name/arity`.
fn value<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Node<'a>> {
    match syntax.kind() {
        FA_LIST => fa_list(cx, syntax),
        _ => expr(cx, syntax),
    }
}

/// `[f/1, g/2]`: a list of `{op, Anno, '/', Name, Arity}`.
fn fa_list<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_BRACK, R_BRACK)?;
    let fas = each(syntax.children(), |fa| name_arity(cx, fa))?;
    Ok(node(meta, Kind::List(fas)))
}

fn name_arity<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Node<'a>> {
    let slash = token(syntax, SLASH)?;
    let [name, arity] = two_children(syntax, "sides of `/`")?;
    let name = expr(cx, &name)?;
    let arity = expr(cx, &arity)?;
    Ok(node(
        between(&name, &arity),
        Kind::BinaryOp(cx.text(&slash)?, Box::new(name), Box::new(arity)),
    ))
}

/// `-record(Name, {Fields}).`
fn record_declaration<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>) -> Lowered<Vec<Node<'a>>> {
    token(syntax, L_PAREN)?;
    token(syntax, R_PAREN)?;
    token(syntax, COMMA)?;
    let name = syntax
        .children()
        .find(|child| !matches!(child.kind(), ATTR_NAME | RECORD_DECL_FIELDS))
        .required("the name of a record")?;
    let fields = child_of_kind(syntax, RECORD_DECL_FIELDS)?;
    Ok(vec![
        expr(cx, &name)?,
        record::declaration_fields(cx, &fields)?,
    ])
}

/// Any other attribute: `-name(Values).`, `-name Value.` or `-name.`
fn wild<'a>(cx: Cx<'_, 'a>, syntax: &NodeView<'_>, name: &str) -> Lowered<Option<Vec<Node<'a>>>> {
    if matches!(name, "spec" | "callback" | "define") {
        return Err(Unsupported::new(format!(
            "a `-{name}` attribute erlfmt's grammar lacks"
        )));
    }
    let values = if let Some(args) = find_child(syntax, ARG_LIST) {
        single_without_parens(arg_list(cx, &args)?.0)
    } else {
        match syntax.children().find(|child| child.kind() != ATTR_NAME) {
            Some(value) => vec![without_parens(expr(cx, &value)?)],
            None => return Ok(None),
        }
    };
    if name == "record" && values.len() == 2 {
        return Ok(Some(record_values(values)?));
    }
    Ok(Some(values))
}

/// erlfmt's `build_attribute` for `-record(Name, Tuple)`: the tuple's elements become fields.
fn record_values(mut values: Vec<Node<'_>>) -> Lowered<Vec<Node<'_>>> {
    let tuple = values.pop().required("the fields of a record")?;
    let Kind::Tuple(elements) = tuple.kind else {
        return Err(Unsupported::new("a bad record declaration"));
    };
    let fields = elements
        .into_iter()
        .map(record::field_of_expr)
        .collect::<Lowered<Vec<_>>>()?;
    values.push(node(tuple.meta, Kind::Tuple(fields)));
    Ok(values)
}
