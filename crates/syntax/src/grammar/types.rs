//! Types, as written in `-type`, `-spec`, `-callback` and record field declarations.
//!
//! Precedence, loosest first: `::` (annotated type, right), `|` (union, right),
//! `..` (range), additive, multiplicative, prefix operators, then primaries.

use super::exprs::{self, EXPR_RECOVERY};
use crate::{
    SyntaxKind::{self, *},
    parser::{CompletedMarker, Parser},
};

/// Parses a type; `None` (nothing consumed) if none starts here.
pub(super) fn type_(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    type_bp(p, 0)
}

/// Parses a type or reports that one was expected.
pub(super) fn expect_type(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let t = type_(p);
    if t.is_none() {
        p.err_and_bump("expected a type", EXPR_RECOVERY);
    }
    t
}

fn infix(kind: SyntaxKind) -> Option<(u16, u16, SyntaxKind)> {
    let bp = match kind {
        COLON2 => (10, 10, ANN_TYPE),
        PIPE => (20, 20, BINARY_EXPR),
        DOT2 => (30, 31, BINARY_EXPR),
        PLUS | MINUS | BOR_KW | BXOR_KW | BSL_KW | BSR_KW | OR_KW | XOR_KW => {
            (400, 401, BINARY_EXPR)
        }
        STAR | SLASH | DIV_KW | REM_KW | BAND_KW | AND_KW => (500, 501, BINARY_EXPR),
        _ => return None,
    };
    Some(bp)
}

const PREFIX_BP: u16 = 600;

fn type_bp(p: &mut Parser<'_>, min_bp: u16) -> Option<CompletedMarker> {
    let mut lhs = match p.current() {
        MINUS | PLUS | BNOT_KW | NOT_KW => {
            let m = p.start();
            p.bump_any();
            if type_bp(p, PREFIX_BP).is_none() {
                p.err_and_bump("expected a type", EXPR_RECOVERY);
            }
            m.complete(p, UNARY_EXPR)
        }
        _ => postfix(p)?,
    };
    while let Some((left, right, kind)) = infix(p.current()) {
        if left < min_bp {
            break;
        }
        let m = lhs.precede(p);
        p.bump_any();
        if type_bp(p, right).is_none() {
            p.err_and_bump("expected a type", EXPR_RECOVERY);
        }
        lhs = m.complete(p, kind);
    }
    Some(lhs)
}

/// A primary type followed by `(Args)` (a type call) or `:name(Args)` (a remote type).
fn postfix(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let callable = matches!(p.current(), ATOM | QUESTION | VAR);
    let mut lhs = primary(p)?;
    if !callable {
        return Some(lhs);
    }
    if p.at(COLON) {
        let m = lhs.precede(p);
        p.bump(COLON);
        if exprs::name(p).is_none() {
            p.err_and_bump("expected a type name", EXPR_RECOVERY);
        }
        lhs = m.complete(p, REMOTE);
    }
    if p.at(L_PAREN) {
        let m = lhs.precede(p);
        type_arg_list(p, ARG_LIST);
        lhs = m.complete(p, CALL);
    }
    Some(lhs)
}

/// `(Type, ...)` as a node of `kind` (`ARG_LIST` or `TYPE_ARGS`).
pub(super) fn type_arg_list(p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
    let m = p.start();
    p.expect(L_PAREN);
    exprs::comma_separated(p, R_PAREN, |p| {
        expect_type(p);
    });
    p.expect(R_PAREN);
    m.complete(p, kind)
}

fn primary(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let cm = match p.current() {
        ATOM => exprs::atom(p),
        VAR => exprs::var(p),
        INTEGER | FLOAT | CHAR | STRING | SIGIL_STRING => exprs::literal(p),
        QUESTION => exprs::macro_call(p),
        L_PAREN => {
            let m = p.start();
            p.bump(L_PAREN);
            expect_type(p);
            p.expect(R_PAREN);
            m.complete(p, PAREN_EXPR)
        }
        L_CURLY => {
            let m = p.start();
            p.bump(L_CURLY);
            exprs::comma_separated(p, R_CURLY, |p| {
                expect_type(p);
            });
            p.expect(R_CURLY);
            m.complete(p, TUPLE)
        }
        L_BRACK => list(p),
        L_DOUBLE_ANGLE => binary(p),
        POUND => pound(p),
        FUN_KW => fun_type(p),
        _ => return None,
    };
    Some(cm)
}

/// `[]`, `[T]`, `[T, ...]`
fn list(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_BRACK);
    if !p.at(R_BRACK) {
        expect_type(p);
        if p.eat(COMMA) {
            p.expect(DOT3);
        }
    }
    p.expect(R_BRACK);
    m.complete(p, LIST)
}

/// `<<>>`, `<<_:M>>`, `<<_:_*N>>`, `<<_:M, _:_*N>>`
fn binary(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_DOUBLE_ANGLE);
    exprs::comma_separated(p, R_DOUBLE_ANGLE, |p| {
        let element = p.start();
        if primary(p).is_none() {
            p.err_and_bump("expected '_'", EXPR_RECOVERY);
        }
        if p.eat(COLON) && type_bp(p, 400).is_none() {
            p.err_and_bump("expected a size", EXPR_RECOVERY);
        }
        element.complete(p, BIN_ELEMENT);
    });
    p.expect(R_DOUBLE_ANGLE);
    m.complete(p, BINARY)
}

/// `#{K => V, K := V}` or `#rec{field :: T}`
fn pound(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(POUND);
    if p.at(L_CURLY) {
        p.bump(L_CURLY);
        exprs::comma_separated(p, R_CURLY, |p| {
            let field = p.start();
            expect_type(p);
            if p.at(FAT_ARROW) || p.at(COLON_EQ) {
                p.bump_any();
                expect_type(p);
            } else {
                p.error("expected '=>' or ':='");
            }
            field.complete(p, MAP_FIELD);
        });
        p.expect(R_CURLY);
        return m.complete(p, MAP_EXPR);
    }
    exprs::expect_name(p, "a record name");
    if p.at(L_CURLY) {
        exprs::record_fields(p, true);
    } else {
        p.error("expected '{'");
    }
    m.complete(p, RECORD_EXPR)
}

/// `fun()`, `fun((...) -> T)`, `fun((A, B) -> T)`
fn fun_type(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(FUN_KW);
    p.expect(L_PAREN);
    if !p.at(R_PAREN) {
        let sig = p.start();
        if p.at(L_PAREN) && p.nth_at(1, DOT3) {
            p.bump(L_PAREN);
            p.bump(DOT3);
            p.expect(R_PAREN);
        } else {
            type_arg_list(p, TYPE_ARGS);
        }
        if p.expect(ARROW) {
            expect_type(p);
        }
        sig.complete(p, FUN_TYPE_SIG);
    }
    p.expect(R_PAREN);
    m.complete(p, FUN_TYPE)
}
