//! Records: `#r{...}`, `X#r{...}`, `X#r.f`, `#r.f`, and the fields of `-record` declarations.

use syntax::{FlatNodeView, SyntaxKind::*};

use super::Unsupported;
use super::cx::{
    Cx, Lowered, Required, between, children, children_after, children_before, each, find_token,
    node, span, token,
};
use super::expr::{delimited, expr, is_expr_max};
use super::literal::atom_or_var_or_macro;
use crate::node::{Kind, Node};

/// `#r{...}` or `Base#r{...}`.
pub(super) fn record<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let pound = token(syntax, POUND)?;
    let close = token(syntax, R_CURLY)?;
    let base = single_before_pound(cx, syntax)?;
    if base.is_some() && cx.is_type() {
        return Err(Unsupported::new("a record update in a type"));
    }
    let after = children_after(syntax, POUND);
    let (name, fields) = after.split_first().required("the name of a record")?;
    let name = atom_or_var_or_macro(cx, name)?;
    let fields = each(cx, fields, |field| record_field(cx, field))?;
    let start = base.as_ref().map_or(cx.start(&pound), |base| base.meta.loc);
    Ok(node(
        span(start, cx.end(&close)),
        Kind::Record {
            base: base.map(|node| cx.alloc(node)),
            name: cx.alloc(name),
            fields,
        },
    ))
}

/// The expression before `#`, if any.
fn single_before_pound<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Option<Node<'a>>> {
    match children_before(syntax, POUND).as_slice() {
        [] => Ok(None),
        [base]
            if is_expr_max(base.kind())
                || matches!(
                    base.kind(),
                    RECORD_EXPR | RECORD_FIELD_ACCESS | RECORD_INDEX
                ) =>
        {
            Ok(Some(expr(cx, base)?))
        }
        _ => Err(Unsupported::new("a record whose base needs parentheses")),
    }
}

/// A field of a record expression: `f = V`, or in types `f :: T` (an operator) and `f`.
fn record_field<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != RECORD_FIELD {
        return Err(Unsupported::new(format!("{:?} in a record", syntax.kind())));
    }
    let has_value = find_token(syntax, EQ).is_some();
    let type_op = find_token(syntax, COLON2);
    let parts = children(syntax);
    match (&parts.as_slice(), has_value, type_op, cx.is_type()) {
        ([name, value], true, None, false) => {
            let name = atom_or_var_or_macro(cx, name)?;
            let value = expr(cx, value)?;
            Ok(node(
                between(&name, &value),
                Kind::RecordField(cx.alloc(name), Some(cx.alloc(value))),
            ))
        }
        ([name, ty], false, Some(op), true) => {
            let name = expr(cx, name)?;
            let ty = expr(cx, ty)?;
            Ok(node(
                between(&name, &ty),
                Kind::BinaryOp(cx.text(&op)?, cx.alloc(name), cx.alloc(ty)),
            ))
        }
        ([name], false, None, true) => expr(cx, name),
        _ => Err(Unsupported::new("a record field erlfmt's grammar lacks")),
    }
}

/// `Base#r.f`: `{record_field, Anno, Base, Name, Field}`.
pub(super) fn access<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if cx.is_type() {
        return Err(Unsupported::new("a record field access in a type"));
    }
    let base = single_before_pound(cx, syntax)?.required("the record of a field access")?;
    let (name, field) = name_and_field(cx, syntax)?;
    Ok(node(
        between(&base, &field),
        Kind::RecordAccess {
            expr: cx.alloc(base),
            name: cx.alloc(name),
            field: cx.alloc(field),
        },
    ))
}

/// `#r.f`: `{record_index, Anno, Name, Field}`.
pub(super) fn index<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if cx.is_type() {
        return Err(Unsupported::new("a record index in a type"));
    }
    let pound = token(syntax, POUND)?;
    let (name, field) = name_and_field(cx, syntax)?;
    Ok(node(
        span(cx.start(&pound), field.meta.end),
        Kind::RecordIndex(cx.alloc(name), cx.alloc(field)),
    ))
}

/// The record name and the field name of `#r.f`.
fn name_and_field<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<(Node<'a>, Node<'a>)> {
    token(syntax, DOT)?;
    match children_after(syntax, POUND).as_slice() {
        [name, field] => Ok((
            atom_or_var_or_macro(cx, name)?,
            atom_or_var_or_macro(cx, field)?,
        )),
        _ => Err(Unsupported::new("a record field of an unknown shape")),
    }
}

/// The `{...}` of `-record(r, {...})`: a tuple of fields as erlfmt's `record_fields` builds them.
pub(super) fn declaration_fields<'a>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'_>,
) -> Lowered<Node<'a>> {
    let meta = delimited(cx, syntax, L_CURLY, R_CURLY)?;
    let fields = each(cx, syntax.children(), |field| declared_field(cx, field))?;
    Ok(node(meta, Kind::Tuple(fields)))
}

/// `a`, `a = 1`, `a :: t`, `a = 1 :: t`.
fn declared_field<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    if syntax.kind() != RECORD_FIELD_DECL {
        return Err(Unsupported::new(format!(
            "{:?} in a record declaration",
            syntax.kind()
        )));
    }
    let before_type = children_before(syntax, COLON2);
    let field = match before_type.as_slice() {
        [name] => bare_field(cx, expr(cx, name)?)?,
        [name, value] => {
            token(syntax, EQ)?;
            let name = expr(cx, name)?;
            let value = expr(cx, value)?;
            node(
                between(&name, &value),
                Kind::RecordField(cx.alloc(name), Some(cx.alloc(value))),
            )
        }
        _ => return Err(Unsupported::new("a record field of an unknown shape")),
    };
    let Some(op) = find_token(syntax, COLON2) else {
        return Ok(field);
    };
    let ty = children_after(syntax, COLON2);
    let ty = expr(
        cx.in_types(),
        ty.first().required("the type of a record field")?,
    )?;
    Ok(node(
        between(&field, &ty),
        Kind::BinaryOp(cx.text(&op)?, cx.alloc(field), cx.alloc(ty)),
    ))
}

/// A field without a value, `{record_field, Anno, Name}`: erlfmt takes atoms and macros.
pub(super) fn bare_field<'a>(cx: Cx<'_, 'a>, name: Node<'a>) -> Lowered<Node<'a>> {
    match name.kind {
        Kind::Atom(_) | Kind::MacroCall(..) => {
            Ok(node(name.meta, Kind::RecordField(cx.alloc(name), None)))
        }
        _ => Err(Unsupported::new("a bad record field")),
    }
}

/// erlfmt's `record_fields` on one element of a `-record` tuple parsed as an expression.
pub(super) fn field_of_expr<'a>(cx: Cx<'_, 'a>, value: Node<'a>) -> Lowered<Node<'a>> {
    match value.kind {
        Kind::BinaryOp("=", name, default) => {
            Ok(node(value.meta, Kind::RecordField(name, Some(default))))
        }
        Kind::BinaryOp("::", field, ty) => {
            let field = field_of_expr(cx, *field)?;
            Ok(node(value.meta, Kind::BinaryOp("::", cx.alloc(field), ty)))
        }
        kind => bare_field(cx, node(value.meta, kind)),
    }
}
