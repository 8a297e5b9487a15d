//! Preprocessor directives, kept in the tree and not evaluated: `-define`, `-ifdef`, ...

use super::{
    attributes::{attr_name, name_attribute},
    exprs,
    forms::expect_form_end,
};
use crate::{
    SyntaxKind::{self, *},
    parser::Parser,
};

/// Parses the directive named `name`, or returns `None` if `name` is not a directive.
pub(super) fn directive(p: &mut Parser<'_>, name: &str) -> Option<SyntaxKind> {
    let kind = match name {
        "define" => define(p),
        "undef" => name_attribute(p, PP_UNDEF),
        "ifdef" => name_attribute(p, PP_IFDEF),
        "ifndef" => name_attribute(p, PP_IFNDEF),
        "include" => expr_directive(p, PP_INCLUDE),
        "include_lib" => expr_directive(p, PP_INCLUDE_LIB),
        "if" => expr_directive(p, PP_IF),
        "elif" => expr_directive(p, PP_ELIF),
        "error" => expr_directive(p, PP_ERROR),
        "warning" => expr_directive(p, PP_WARNING),
        "else" => bare_directive(p, PP_ELSE),
        "endif" => bare_directive(p, PP_ENDIF),
        _ => return None,
    };
    Some(kind)
}

/// `-name(Expr).`
fn expr_directive(p: &mut Parser<'_>, kind: SyntaxKind) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    exprs::expect_expr(p);
    p.expect(R_PAREN);
    expect_form_end(p);
    kind
}

/// `-else.` or `-endif.` (also with empty parentheses).
fn bare_directive(p: &mut Parser<'_>, kind: SyntaxKind) -> SyntaxKind {
    attr_name(p);
    if p.eat(L_PAREN) {
        p.expect(R_PAREN);
    }
    expect_form_end(p);
    kind
}

/// `-define(NAME, Body).` or `-define(NAME(A, B), Body).`
///
/// The body runs up to the `)` before the `.` that ends the form. A body that is
/// one or more expressions keeps its structure; anything else (`fun P/2`, half a
/// clause, a type) is kept as a token group without error, as `epp` allows.
fn define(p: &mut Parser<'_>) -> SyntaxKind {
    attr_name(p);
    p.expect(L_PAREN);
    match p.current() {
        ATOM => {
            exprs::atom(p);
        }
        VAR => {
            exprs::var(p);
        }
        _ => p.err_and_bump("expected a macro name", &[COMMA, R_PAREN]),
    }
    if p.at(L_PAREN) {
        let params = p.start();
        p.bump(L_PAREN);
        exprs::comma_separated(p, R_PAREN, |p| {
            if p.at(VAR) {
                exprs::var(p);
            } else {
                p.err_and_bump("expected a variable", &[COMMA, R_PAREN]);
            }
        });
        p.expect(R_PAREN);
        params.complete(p, MACRO_PARAMS);
    }
    if p.eat(COMMA) {
        macro_body(p);
    }
    p.expect(R_PAREN);
    expect_form_end(p);
    PP_DEFINE
}

fn macro_body(p: &mut Parser<'_>) {
    let limit = p.limit();
    let inputs = p.inputs();
    // The form's last token is its `.`; the body ends at the `)` before it.
    let body_end =
        if limit >= 2 && inputs[limit - 1].kind == DOT && inputs[limit - 2].kind == R_PAREN {
            (limit - 2).max(p.position())
        } else {
            limit
        };
    p.set_limit(body_end);
    let m = p.start();
    let checkpoint = p.checkpoint();
    let is_exprs = !p.at_eof() && {
        let mut ok = exprs::expr(p).is_some();
        while ok && p.eat(COMMA) {
            ok = exprs::expr(p).is_some();
        }
        ok && p.at_eof() && !p.has_error_since(checkpoint)
    };
    if !is_exprs {
        p.rollback(checkpoint);
        if !p.at_eof() {
            let tokens = p.start();
            while !p.at_eof() {
                p.bump_any();
            }
            tokens.complete(p, MACRO_TOKENS);
        }
    }
    m.complete(p, MACRO_BODY);
    p.set_limit(limit);
}
