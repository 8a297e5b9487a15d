//! Attributes: `-module`, `-export`, `-record`, `-type`, `-spec`, ... and any other `-name(...)`.
//!
//! Each known attribute is parsed into its own node; one that does not have
//! the expected shape (say `-export(?EXPORTS).`) falls back to a wild attribute,
//! which accepts any expressions, so only truly broken input is an error.

use super::{
    exprs::{self, EXPR_RECOVERY},
    forms::{expect_form_end, skip_to_form_end},
    preprocessor, types,
};
use crate::{
    SyntaxKind::{self, *},
    parser::Parser,
};

/// Parses a form that starts with `-`.
pub(super) fn attribute(p: &mut Parser<'_>) {
    let m = p.start();
    let name_kind = p.nth(1);
    if name_kind != ATOM && !name_kind.is_keyword() {
        p.bump(MINUS);
        p.error_at_token("expected an attribute name");
        skip_to_form_end(p);
        m.complete(p, ERROR);
        return;
    }
    let name = unquote(p.nth_text(1));
    let start = p.position();
    let checkpoint = p.checkpoint();
    let kind = match name {
        "module" => module(p),
        "behaviour" | "behavior" => behaviour(p),
        "export" => fa_list_attribute(p, EXPORT_ATTRIBUTE),
        "export_type" => fa_list_attribute(p, EXPORT_TYPE_ATTRIBUTE),
        "optional_callbacks" => fa_list_attribute(p, OPTIONAL_CALLBACKS_ATTRIBUTE),
        "import" => import(p),
        "record" => record(p),
        "type" | "opaque" | "nominal" => type_decl(p),
        "spec" => spec(p, SPEC_ATTRIBUTE),
        "callback" => spec(p, CALLBACK_ATTRIBUTE),
        _ => match preprocessor::directive(p, name) {
            Some(kind) => kind,
            None => wild(p),
        },
    };
    let kind = if kind != WILD_ATTRIBUTE && p.has_error_since(checkpoint) {
        p.rollback(checkpoint);
        wild(p)
    } else {
        kind
    };
    m.complete(p, kind);
    if name == "feature" {
        apply_feature(p, start);
    }
}

/// `-feature(maybe_expr, enable).` makes `maybe` and `else` keywords from here on.
fn apply_feature(p: &mut Parser<'_>, start: usize) {
    let texts: Vec<&str> = (start..p.position()).map(|i| p.text_at(i)).collect();
    if texts.contains(&"maybe_expr") {
        if texts.contains(&"enable") {
            p.maybe_enabled = true;
        } else if texts.contains(&"disable") {
            p.maybe_enabled = false;
        }
    }
}

/// The text of an atom, without quotes when it was quoted.
fn unquote(text: &str) -> &str {
    text.strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or(text)
}

/// `-` and the attribute's name.
pub(super) fn attr_name(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(MINUS);
    p.bump_any();
    m.complete(p, ATTR_NAME);
}

/// `-name(Name).` for attributes whose only argument is a name.
pub(super) fn name_attribute(p: &mut Parser<'_>, kind: SyntaxKind) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    exprs::expect_name(p, "a name");
    p.expect(R_PAREN);
    expect_form_end(p);
    kind
}

fn module(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    exprs::expect_name(p, "a module name");
    if p.eat(COMMA) {
        exprs::expect_expr(p);
    }
    p.expect(R_PAREN);
    expect_form_end(p);
    MODULE_ATTRIBUTE
}

fn behaviour(p: &mut Parser<'_>) -> SyntaxKind {
    name_attribute(p, BEHAVIOUR_ATTRIBUTE)
}

fn fa_list_attribute(p: &mut Parser<'_>, kind: SyntaxKind) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    fa_list(p);
    p.expect(R_PAREN);
    expect_form_end(p);
    kind
}

fn import(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    exprs::expect_name(p, "a module name");
    p.expect(COMMA);
    fa_list(p);
    p.expect(R_PAREN);
    expect_form_end(p);
    IMPORT_ATTRIBUTE
}

/// `[f/1, g/2]`
fn fa_list(p: &mut Parser<'_>) {
    let m = p.start();
    p.expect(L_BRACK);
    exprs::comma_separated(p, R_BRACK, |p| {
        let fa = p.start();
        exprs::expect_name(p, "a function name");
        if p.expect(SLASH) && exprs::primary(p).is_none() {
            p.err_and_bump("expected an arity", EXPR_RECOVERY);
        }
        fa.complete(p, FA);
    });
    p.expect(R_BRACK);
    m.complete(p, FA_LIST);
}

/// `-record(name, {field = Default :: Type, ...}).`
fn record(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    exprs::expect_name(p, "a record name");
    p.expect(COMMA);
    let fields = p.start();
    p.expect(L_CURLY);
    exprs::comma_separated(p, R_CURLY, |p| {
        let field = p.start();
        exprs::expect_name(p, "a field name");
        if p.eat(EQ) {
            exprs::expect_expr(p);
        }
        if p.eat(COLON2) {
            types::expect_type(p);
        }
        field.complete(p, RECORD_FIELD_DECL);
    });
    p.expect(R_CURLY);
    fields.complete(p, RECORD_DECL_FIELDS);
    p.expect(R_PAREN);
    expect_form_end(p);
    RECORD_DECL
}

/// `-type name(A, B) :: Type.` (also `-opaque`, `-nominal`, and the parenthesised form).
fn type_decl(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    let parenthesised = p.eat(L_PAREN);
    exprs::expect_name(p, "a type name");
    let params = p.start();
    p.expect(L_PAREN);
    exprs::comma_separated(p, R_PAREN, |p| {
        types::expect_type(p);
    });
    p.expect(R_PAREN);
    params.complete(p, TYPE_PARAMS);
    p.expect(COLON2);
    types::expect_type(p);
    if parenthesised {
        p.expect(R_PAREN);
    }
    expect_form_end(p);
    TYPE_DECL
}

/// `-spec name(Args) -> Ret when Constraints; ... .` (and `-callback`).
fn spec(p: &mut Parser<'_>, kind: SyntaxKind) -> SyntaxKind {
    attr_name(p);
    let parenthesised = p.eat(L_PAREN);
    let name = p.start();
    exprs::expect_name(p, "a function name");
    if p.eat(COLON) {
        exprs::expect_name(p, "a function name");
    }
    if p.eat(SLASH) {
        p.expect(INTEGER);
        p.expect(COLON2);
    }
    name.complete(p, SPEC_NAME);
    loop {
        sig_clause(p);
        if !p.eat(SEMICOLON) {
            break;
        }
    }
    if parenthesised {
        p.expect(R_PAREN);
    }
    expect_form_end(p);
    kind
}

/// `(Args) -> Ret when Constraints`
fn sig_clause(p: &mut Parser<'_>) {
    let m = p.start();
    types::type_arg_list(p, TYPE_ARGS);
    if p.expect(ARROW) {
        types::expect_type(p);
    }
    if p.at(WHEN_KW) {
        let guard = p.start();
        p.bump(WHEN_KW);
        loop {
            types::expect_type(p);
            if !p.eat(COMMA) {
                break;
            }
        }
        guard.complete(p, TYPE_GUARD);
    }
    m.complete(p, SIG_CLAUSE);
}

/// Any attribute: `-name(Expr, ...)`, `-name Expr.` or `-name.`
pub(super) fn wild(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    if p.at(L_PAREN) {
        exprs::arg_list(p);
    } else if !p.at_form_end() && !p.at_eof() {
        exprs::expect_expr(p);
    }
    expect_form_end(p);
    WILD_ATTRIBUTE
}
