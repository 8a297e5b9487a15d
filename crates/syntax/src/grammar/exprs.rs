//! Expressions, patterns and guards (one grammar, as in `erl_parse`), clauses and macros.
//!
//! Binary operators are parsed by precedence climbing with OTP's table:
//! `=` `!` `?=` (100, right), `orelse` (150, right), `andalso` (160, right),
//! comparisons (200), `++` `--` (300, right), additive (400, left),
//! multiplicative (500, left), prefix operators (600), then `#` records and
//! maps, `:` remote calls and `(...)` calls bind tightest.

use super::types;
use crate::{
    SyntaxKind::{self, *},
    parser::{CompletedMarker, Marker, Parser},
};

/// Tokens at which a failed expression stops instead of being skipped.
pub(super) const EXPR_RECOVERY: &[SyntaxKind] = &[
    R_PAREN,
    R_BRACK,
    R_CURLY,
    R_DOUBLE_ANGLE,
    COMMA,
    SEMICOLON,
    ARROW,
    END_KW,
    WHEN_KW,
    OF_KW,
    AFTER_KW,
    CATCH_KW,
    PIPE2,
    PIPE,
    FAT_ARROW,
    COLON_EQ,
];

/// Limits on what an expression may contain in a given position.
#[derive(Clone, Copy, Default)]
pub(super) struct Restrictions {
    /// `:` is not a remote call here (bit syntax sizes, catch patterns).
    pub(super) no_remote: bool,
}

const NONE: Restrictions = Restrictions { no_remote: false };
const NO_REMOTE: Restrictions = Restrictions { no_remote: true };

/// Parses an expression; `None` (and nothing consumed) if none starts here.
pub(super) fn expr(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    expr_bp(p, 0, NONE)
}

/// Parses an expression or reports that one was expected.
pub(super) fn expect_expr(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let e = expr(p);
    if e.is_none() {
        p.err_and_bump("expected an expression", EXPR_RECOVERY);
    }
    e
}

/// `Expr, Expr, ...`, each a child of the enclosing node (a body has no node of its own).
pub(super) fn exprs(p: &mut Parser<'_>) {
    expect_expr(p);
    while p.eat(COMMA) {
        expect_expr(p);
    }
}

fn infix_binding_power(kind: SyntaxKind) -> Option<(u16, u16)> {
    let bp = match kind {
        EQ | BANG | QUESTION_EQ => (100, 100),
        ORELSE_KW => (150, 150),
        ANDALSO_KW => (160, 160),
        EQ2 | SLASH_EQ | EQ_LT | L_ANGLE | GT_EQ | R_ANGLE | EQ_COLON_EQ | EQ_SLASH_EQ => {
            (200, 201)
        }
        PLUS2 | MINUS2 => (300, 300),
        PLUS | MINUS | BOR_KW | BXOR_KW | BSL_KW | BSR_KW | OR_KW | XOR_KW => (400, 401),
        SLASH | STAR | DIV_KW | REM_KW | BAND_KW | AND_KW => (500, 501),
        _ => return None,
    };
    Some(bp)
}

const PREFIX_BP: u16 = 600;

fn expr_bp(p: &mut Parser<'_>, min_bp: u16, r: Restrictions) -> Option<CompletedMarker> {
    let mut lhs = unary(p, r)?;
    while let Some((left, right)) = infix_binding_power(p.current()) {
        if left < min_bp {
            break;
        }
        let m = lhs.precede(p);
        p.bump_any();
        if expr_bp(p, right, r).is_none() {
            p.err_and_bump("expected an expression", EXPR_RECOVERY);
        }
        lhs = m.complete(p, BINARY_EXPR);
    }
    Some(lhs)
}

fn unary(p: &mut Parser<'_>, r: Restrictions) -> Option<CompletedMarker> {
    match p.current() {
        MINUS | PLUS | BNOT_KW | NOT_KW => {
            let m = p.start();
            p.bump_any();
            if expr_bp(p, PREFIX_BP, r).is_none() {
                p.err_and_bump("expected an expression", EXPR_RECOVERY);
            }
            Some(m.complete(p, UNARY_EXPR))
        }
        CATCH_KW => {
            let m = p.start();
            p.bump(CATCH_KW);
            if expr_bp(p, 0, r).is_none() {
                p.err_and_bump("expected an expression", EXPR_RECOVERY);
            }
            Some(m.complete(p, CATCH_EXPR))
        }
        _ => postfix(p, r),
    }
}

/// A primary expression followed by calls, remotes, record and map operations.
fn postfix(p: &mut Parser<'_>, r: Restrictions) -> Option<CompletedMarker> {
    let stringish = matches!(p.current(), STRING | QUESTION);
    let mut lhs = primary(p)?;
    if stringish && matches!(p.current(), STRING | QUESTION) {
        lhs = string_concat(p, lhs);
    }
    loop {
        lhs = match p.current() {
            L_PAREN => {
                let m = lhs.precede(p);
                arg_list(p);
                m.complete(p, CALL)
            }
            COLON if !r.no_remote => {
                let m = lhs.precede(p);
                p.bump(COLON);
                if primary(p).is_none() {
                    p.err_and_bump("expected a function name", EXPR_RECOVERY);
                }
                m.complete(p, REMOTE)
            }
            POUND => pound(p, Some(lhs)),
            _ => break,
        };
    }
    Some(lhs)
}

/// Adjacent strings and macros: `"a" "b"`, `?MODULE_STRING ":" ?LINE_STRING`.
fn string_concat(p: &mut Parser<'_>, first: CompletedMarker) -> CompletedMarker {
    let m = first.precede(p);
    loop {
        match p.current() {
            STRING => {
                literal(p);
            }
            QUESTION => {
                macro_call(p);
            }
            _ => break,
        }
    }
    m.complete(p, STRING_CONCAT)
}

/// Expressions that bind tightest: literals, variables, brackets and keyword blocks.
pub(super) fn primary(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let cm = match p.current() {
        ATOM => atom(p),
        VAR => var(p),
        INTEGER | FLOAT | CHAR | STRING | SIGIL_STRING => literal(p),
        QUESTION => macro_call(p),
        QUESTION2 => macro_string(p),
        L_PAREN => {
            let m = p.start();
            p.bump(L_PAREN);
            expect_expr(p);
            p.expect(R_PAREN);
            m.complete(p, PAREN_EXPR)
        }
        L_CURLY => tuple(p),
        L_BRACK => list(p),
        L_DOUBLE_ANGLE => binary(p),
        POUND => pound(p, None),
        BEGIN_KW => {
            let m = p.start();
            p.bump(BEGIN_KW);
            exprs(p);
            p.expect(END_KW);
            m.complete(p, BLOCK_EXPR)
        }
        CASE_KW => case_expr(p),
        IF_KW => if_expr(p),
        RECEIVE_KW => receive_expr(p),
        TRY_KW => try_expr(p),
        MAYBE_KW => maybe_expr(p),
        FUN_KW => fun_expr(p),
        _ => return None,
    };
    Some(cm)
}

/// An `ATOM` node.
pub(super) fn atom(p: &mut Parser<'_>) -> CompletedMarker {
    p.leaf(ATOM)
}

/// A `VAR` node.
pub(super) fn var(p: &mut Parser<'_>) -> CompletedMarker {
    p.leaf(VAR)
}

/// A `LITERAL` node: integer, float, char, string or sigil.
pub(super) fn literal(p: &mut Parser<'_>) -> CompletedMarker {
    p.leaf(LITERAL)
}

/// A name: an atom, a variable or a macro.
pub(super) fn name(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    match p.current() {
        ATOM => Some(atom(p)),
        VAR => Some(var(p)),
        QUESTION => Some(macro_call(p)),
        _ => None,
    }
}

/// A name or an error saying one was expected.
pub(super) fn expect_name(p: &mut Parser<'_>, what: &str) -> Option<CompletedMarker> {
    let n = name(p);
    if n.is_none() {
        p.err_and_bump(&format!("expected {what}"), EXPR_RECOVERY);
    }
    n
}

/// `?NAME` or `?NAME(Args)`.
pub(super) fn macro_call(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(QUESTION);
    match p.current() {
        ATOM => {
            atom(p);
        }
        VAR => {
            var(p);
        }
        k if k.is_keyword() => {
            // `?if` is not a macro, but keep the token in the tree.
            let n = p.start();
            p.error_at_token("expected a macro name");
            p.bump_any();
            n.complete(p, ERROR);
        }
        _ => p.error("expected a macro name"),
    }
    if p.at(L_PAREN) {
        macro_args(p);
    }
    m.complete(p, MACRO_CALL)
}

/// `??Arg`: the text of a macro argument as a string.
fn macro_string(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(QUESTION2);
    if name(p).is_none() {
        p.error("expected a macro argument name");
    }
    m.complete(p, MACRO_STRING)
}

/// `(Arg, ...)` of a macro call. An argument that is not an expression is kept as tokens.
fn macro_args(p: &mut Parser<'_>) {
    let m = p.start();
    p.bump(L_PAREN);
    if !p.at(R_PAREN) {
        loop {
            macro_arg(p);
            if !p.eat(COMMA) {
                break;
            }
        }
    }
    p.expect(R_PAREN);
    m.complete(p, MACRO_ARGS);
}

fn macro_arg(p: &mut Parser<'_>) {
    let m = p.start();
    let checkpoint = p.checkpoint();
    let parsed = expr(p).is_some() && !p.has_error_since(checkpoint) && p.at_any(&[COMMA, R_PAREN]);
    if !parsed {
        p.rollback(checkpoint);
        macro_tokens(p, &[COMMA, R_PAREN]);
    }
    m.complete(p, MACRO_ARG);
}

/// Consumes balanced tokens up to one of `stops` at depth 0 (or the end) as `MACRO_TOKENS`.
/// Brackets and `begin`/`case`/`if`/`receive`/`try`/`maybe`/`fun(` ... `end` nest, as in `epp`.
pub(super) fn macro_tokens(p: &mut Parser<'_>, stops: &[SyntaxKind]) {
    let m = p.start();
    let mut depth = 0u32;
    while !p.at_eof() {
        let kind = p.current();
        if depth == 0 && stops.contains(&kind) {
            break;
        }
        match kind {
            L_PAREN | L_BRACK | L_CURLY | L_DOUBLE_ANGLE | BEGIN_KW | CASE_KW | IF_KW
            | RECEIVE_KW | TRY_KW | MAYBE_KW => depth += 1,
            FUN_KW if p.nth_at(1, L_PAREN) => depth += 1,
            R_PAREN | R_BRACK | R_CURLY | R_DOUBLE_ANGLE | END_KW => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
        p.bump_any();
    }
    m.complete(p, MACRO_TOKENS);
}

/// `(Expr, ...)`
pub(super) fn arg_list(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_PAREN);
    comma_separated(p, R_PAREN, |p| {
        expect_expr(p);
    });
    p.expect(R_PAREN);
    m.complete(p, ARG_LIST)
}

/// Items separated by commas, up to `close` (not consumed).
pub(super) fn comma_separated(
    p: &mut Parser<'_>,
    close: SyntaxKind,
    mut item: impl FnMut(&mut Parser<'_>),
) {
    if p.at(close) {
        return;
    }
    loop {
        let before = p.position();
        item(p);
        if !p.eat(COMMA) {
            break;
        }
        if p.position() == before + 1 && p.at(close) {
            break;
        }
    }
}

fn tuple(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_CURLY);
    comma_separated(p, R_CURLY, |p| {
        expect_expr(p);
    });
    p.expect(R_CURLY);
    m.complete(p, TUPLE)
}

/// `[]`, `[A, B | T]` or `[E || Qualifiers]`.
fn list(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_BRACK);
    if p.eat(R_BRACK) {
        return m.complete(p, LIST);
    }
    expect_expr(p);
    if p.eat(PIPE2) {
        lc_exprs(p);
        p.expect(R_BRACK);
        return m.complete(p, LIST_COMPREHENSION);
    }
    while p.eat(COMMA) {
        expect_expr(p);
    }
    if p.eat(PIPE) {
        expect_expr(p);
    }
    p.expect(R_BRACK);
    m.complete(p, LIST)
}

/// The qualifiers of a comprehension: generators and filters.
pub(super) fn lc_exprs(p: &mut Parser<'_>) {
    let m = p.start();
    loop {
        lc_expr(p);
        if !p.eat(COMMA) {
            break;
        }
    }
    m.complete(p, LC_EXPRS);
}

fn lc_expr(p: &mut Parser<'_>) {
    let Some(first) = generator_or_filter(p) else {
        p.err_and_bump("expected a generator or a filter", EXPR_RECOVERY);
        return;
    };
    if first.kind() == GENERATOR && p.at(AMP2) {
        let zip = first.precede(p);
        while p.eat(AMP2) {
            if generator_or_filter(p).is_none_or(|g| g.kind() != GENERATOR) {
                p.error("expected a generator after '&&'");
            }
        }
        zip.complete(p, ZIP_GENERATOR);
    }
}

fn generator_or_filter(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    let mut pattern = expr(p)?;
    if p.at(COLON_EQ) {
        // A map generator: `K := V <- Map`.
        let field = pattern.precede(p);
        p.bump(COLON_EQ);
        expect_expr(p);
        pattern = field.complete(p, MAP_FIELD);
        if !is_generator_arrow(p.current()) {
            p.error("expected '<-' after a map generator pattern");
            return Some(pattern);
        }
    }
    if is_generator_arrow(p.current()) {
        let g = pattern.precede(p);
        p.bump_any();
        expect_expr(p);
        return Some(g.complete(p, GENERATOR));
    }
    Some(pattern)
}

fn is_generator_arrow(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        L_ARROW | L_ARROW_STRICT | L_DOUBLE_ARROW | L_DOUBLE_ARROW_STRICT
    )
}

/// `<<>>`, `<<E:Size/Type, ...>>` or `<<E || Qualifiers>>`.
fn binary(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(L_DOUBLE_ANGLE);
    if p.eat(R_DOUBLE_ANGLE) {
        return m.complete(p, BINARY);
    }
    let first = bin_value(p);
    if p.eat(PIPE2) {
        if first.is_none() {
            p.error("expected an expression");
        }
        lc_exprs(p);
        p.expect(R_DOUBLE_ANGLE);
        return m.complete(p, BINARY_COMPREHENSION);
    }
    match first {
        Some(value) => {
            let element = value.precede(p);
            bin_element_rest(p, element);
        }
        None => p.err_and_bump("expected a binary element", EXPR_RECOVERY),
    }
    while p.eat(COMMA) {
        bin_element(p);
    }
    p.expect(R_DOUBLE_ANGLE);
    m.complete(p, BINARY)
}

/// The value of a binary element: a prefix operator and a primary, without remote calls.
fn bin_value(p: &mut Parser<'_>) -> Option<CompletedMarker> {
    match p.current() {
        MINUS | PLUS | BNOT_KW | NOT_KW => {
            let m = p.start();
            p.bump_any();
            if postfix(p, NO_REMOTE).is_none() {
                p.err_and_bump("expected an expression", EXPR_RECOVERY);
            }
            Some(m.complete(p, UNARY_EXPR))
        }
        _ => postfix(p, NO_REMOTE),
    }
}

fn bin_element(p: &mut Parser<'_>) {
    let m = p.start();
    if bin_value(p).is_none() {
        p.err_and_bump("expected a binary element", EXPR_RECOVERY);
    }
    bin_element_rest(p, m);
}

fn bin_element_rest(p: &mut Parser<'_>, m: Marker) {
    if p.eat(COLON) && postfix(p, NO_REMOTE).is_none() {
        p.err_and_bump("expected a size", EXPR_RECOVERY);
    }
    if p.eat(SLASH) {
        bin_type_specs(p);
    }
    m.complete(p, BIN_ELEMENT);
}

/// `integer-little-signed-unit:8`
fn bin_type_specs(p: &mut Parser<'_>) {
    let m = p.start();
    loop {
        let spec = p.start();
        expect_name(p, "a type specifier");
        if p.eat(COLON) && primary(p).is_none() {
            p.err_and_bump("expected a unit size", EXPR_RECOVERY);
        }
        spec.complete(p, BIN_TYPE_SPEC);
        if !p.eat(MINUS) {
            break;
        }
    }
    m.complete(p, BIN_TYPE_SPECS);
}

/// After `#`: a map `#{...}`, a record `#r{...}`, a field `#r.f`, with or without a base.
fn pound(p: &mut Parser<'_>, base: Option<CompletedMarker>) -> CompletedMarker {
    let m = match base {
        Some(base) => base.precede(p),
        None => p.start(),
    };
    p.bump(POUND);
    if p.at(L_CURLY) {
        let is_comprehension = map_fields(p, base.is_none());
        let kind = if is_comprehension {
            MAP_COMPREHENSION
        } else {
            MAP_EXPR
        };
        return m.complete(p, kind);
    }
    expect_name(p, "a record name");
    if p.at(L_CURLY) {
        record_fields(p, false);
        return m.complete(p, RECORD_EXPR);
    }
    if p.at(DOT) && !p.at_form_end() {
        p.bump(DOT);
        expect_name(p, "a field name");
        let kind = if base.is_some() {
            RECORD_FIELD_ACCESS
        } else {
            RECORD_INDEX
        };
        return m.complete(p, kind);
    }
    p.error("expected '{' or '.' after the record name");
    m.complete(p, RECORD_EXPR)
}

/// `{K => V, K := V}`; returns whether it was a comprehension `{K => V || Qs}`.
fn map_fields(p: &mut Parser<'_>, allow_comprehension: bool) -> bool {
    p.bump(L_CURLY);
    let mut comprehension = false;
    if !p.at(R_CURLY) {
        map_field(p);
        if allow_comprehension && p.eat(PIPE2) {
            lc_exprs(p);
            comprehension = true;
        } else {
            while p.eat(COMMA) {
                map_field(p);
            }
        }
    }
    p.expect(R_CURLY);
    comprehension
}

fn map_field(p: &mut Parser<'_>) {
    let m = p.start();
    expect_expr(p);
    if p.at(FAT_ARROW) || p.at(COLON_EQ) {
        p.bump_any();
        expect_expr(p);
    } else {
        p.error("expected '=>' or ':='");
    }
    m.complete(p, MAP_FIELD);
}

/// `{f = V, g = W}` of a record expression, or `{f = V :: T}` of a record type.
pub(super) fn record_fields(p: &mut Parser<'_>, in_type: bool) {
    p.bump(L_CURLY);
    comma_separated(p, R_CURLY, |p| {
        let m = p.start();
        expect_name(p, "a field name");
        if p.eat(EQ) {
            expect_expr(p);
        }
        if in_type && p.eat(COLON2) {
            types::expect_type(p);
        }
        m.complete(p, RECORD_FIELD);
    });
    p.expect(R_CURLY);
}

/// `when G1, G2; G3` (or, in an `if`, the same without `when`).
pub(super) fn guard(p: &mut Parser<'_>, with_when: bool) {
    let m = p.start();
    if with_when {
        p.bump(WHEN_KW);
    }
    loop {
        let clause = p.start();
        expect_expr(p);
        while p.eat(COMMA) {
            expect_expr(p);
        }
        clause.complete(p, GUARD_CLAUSE);
        if !p.eat(SEMICOLON) {
            break;
        }
    }
    m.complete(p, GUARD);
}

fn opt_guard(p: &mut Parser<'_>) {
    if p.at(WHEN_KW) {
        guard(p, true);
    }
}

/// `-> Body`
pub(super) fn clause_body(p: &mut Parser<'_>) {
    let m = p.start();
    if p.expect(ARROW) {
        exprs(p);
    }
    m.complete(p, CLAUSE_BODY);
}

/// The rest of a function clause after its name: `(Args) when Guard -> Body`.
/// A macro name may carry the arguments itself: `?NAME(X) -> ...`.
pub(super) fn clause_after_name(
    p: &mut Parser<'_>,
    m: Marker,
    name_is_macro: bool,
) -> CompletedMarker {
    if name_is_macro && !p.at_any(&[L_PAREN, WHEN_KW, ARROW]) {
        // A whole clause written as a macro: `?wr_record(a); ?wr_record(b).`
        return m.complete(p, FUN_CLAUSE);
    }
    if p.at(L_PAREN) {
        arg_list(p);
    } else if !name_is_macro {
        p.error("expected '('");
    }
    opt_guard(p);
    clause_body(p);
    m.complete(p, FUN_CLAUSE)
}

/// Clauses separated by `;`.
fn clauses(p: &mut Parser<'_>, mut clause: impl FnMut(&mut Parser<'_>)) {
    loop {
        clause(p);
        if !p.eat(SEMICOLON) {
            break;
        }
    }
}

/// `Pattern when Guard -> Body`
fn cr_clause(p: &mut Parser<'_>) {
    let m = p.start();
    let pattern = expect_expr(p);
    if is_macro_clause(p, pattern) {
        m.complete(p, CR_CLAUSE);
        return;
    }
    opt_guard(p);
    clause_body(p);
    m.complete(p, CR_CLAUSE);
}

/// A whole clause written as a macro, as in `case X of ?CLAUSES end`: a macro call
/// followed directly by `;` or `end`.
fn is_macro_clause(p: &Parser<'_>, pattern: Option<CompletedMarker>) -> bool {
    pattern.is_some_and(|cm| cm.kind() == MACRO_CALL) && p.at_any(&[SEMICOLON, END_KW, AFTER_KW])
}

fn case_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(CASE_KW);
    expect_expr(p);
    p.expect(OF_KW);
    clauses(p, cr_clause);
    p.expect(END_KW);
    m.complete(p, CASE_EXPR)
}

fn if_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(IF_KW);
    clauses(p, |p| {
        let clause = p.start();
        guard(p, false);
        clause_body(p);
        clause.complete(p, IF_CLAUSE);
    });
    p.expect(END_KW);
    m.complete(p, IF_EXPR)
}

fn receive_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(RECEIVE_KW);
    if !p.at(AFTER_KW) && !p.at(END_KW) {
        clauses(p, cr_clause);
    }
    if p.at(AFTER_KW) {
        let after = p.start();
        p.bump(AFTER_KW);
        expect_expr(p);
        clause_body(p);
        after.complete(p, RECEIVE_AFTER);
    }
    p.expect(END_KW);
    m.complete(p, RECEIVE_EXPR)
}

fn try_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(TRY_KW);
    exprs(p);
    if p.at(OF_KW) {
        let of = p.start();
        p.bump(OF_KW);
        clauses(p, cr_clause);
        of.complete(p, TRY_OF);
    }
    let mut handled = false;
    if p.at(CATCH_KW) {
        handled = true;
        let catch = p.start();
        p.bump(CATCH_KW);
        clauses(p, catch_clause);
        catch.complete(p, TRY_CATCH);
    }
    if p.at(AFTER_KW) {
        handled = true;
        let after = p.start();
        p.bump(AFTER_KW);
        exprs(p);
        after.complete(p, TRY_AFTER);
    }
    if !handled {
        p.error("expected 'catch' or 'after'");
    }
    p.expect(END_KW);
    m.complete(p, TRY_EXPR)
}

/// `Class:Reason:Stack when Guard -> Body`
fn catch_clause(p: &mut Parser<'_>) {
    let m = p.start();
    let pattern = p.start();
    if expr_bp(p, 0, NO_REMOTE).is_none() {
        p.err_and_bump("expected a pattern", EXPR_RECOVERY);
    }
    if p.eat(COLON) {
        if expr_bp(p, 0, NO_REMOTE).is_none() {
            p.err_and_bump("expected a pattern", EXPR_RECOVERY);
        }
        if p.eat(COLON) && expr_bp(p, 0, NO_REMOTE).is_none() {
            p.err_and_bump("expected a stacktrace variable", EXPR_RECOVERY);
        }
    }
    pattern.complete(p, CATCH_PATTERN);
    opt_guard(p);
    clause_body(p);
    m.complete(p, CATCH_CLAUSE);
}

fn maybe_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(MAYBE_KW);
    exprs(p);
    if p.at(ELSE_KW) {
        let else_ = p.start();
        p.bump(ELSE_KW);
        clauses(p, cr_clause);
        else_.complete(p, MAYBE_ELSE);
    }
    p.expect(END_KW);
    m.complete(p, MAYBE_EXPR)
}

/// `fun (X) -> ... end`, `fun Name(X) -> ... end`, `fun f/1`, `fun m:f/1`, `fun M:F/A`.
fn fun_expr(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    p.bump(FUN_KW);
    let anonymous = p.at(L_PAREN);
    let named = p.at(VAR) && p.nth_at(1, L_PAREN);
    if anonymous || named {
        clauses(p, |p| {
            let clause = p.start();
            if p.at(VAR) {
                var(p);
            }
            if p.at(L_PAREN) {
                arg_list(p);
            } else {
                p.error("expected '('");
            }
            opt_guard(p);
            clause_body(p);
            clause.complete(p, FUN_CLAUSE);
        });
        p.expect(END_KW);
        return m.complete(p, FUN_EXPR);
    }
    if primary(p).is_none() {
        p.err_and_bump("expected a function name", EXPR_RECOVERY);
    }
    if p.eat(COLON) && primary(p).is_none() {
        p.err_and_bump("expected a function name", EXPR_RECOVERY);
    }
    if p.expect(SLASH) && primary(p).is_none() {
        p.err_and_bump("expected an arity", EXPR_RECOVERY);
    }
    m.complete(p, FUN_REF)
}
