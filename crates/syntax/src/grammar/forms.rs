//! Forms: the file, function declarations, whole-form macros and error recovery.

use super::{attributes, exprs};
use rowan::TextSize;

use crate::{
    SyntaxKind::*,
    parser::{CompletedMarker, Parser},
};

/// Parses the whole file: each form separately, bounded by the `.` that ends it.
pub(super) fn source_file(p: &mut Parser<'_>, terms: bool) {
    let root = p.start();
    while !p.at_end_of_input() {
        let start = p.position();
        let end = form_end(p, start);
        p.set_limit(end);
        p.begin_form();
        let checkpoint = p.checkpoint();
        form(p, terms);
        if let Some(error) = p.first_error_since(checkpoint)
            && let Some(split) = resync_point(p, start, end, error)
        {
            // The form is broken and a later line, before the error, starts a
            // new form: stop the broken form there so it cannot swallow the
            // next one. (The line before the error: the rest, read as the next
            // form, then has no such line before its error, so no form is read
            // more than twice.)
            p.rollback(checkpoint);
            p.set_limit(split);
            form(p, terms);
        }
        if !p.at_eof() {
            let m = p.start();
            p.error_at_token("unexpected tokens after the end of the form");
            while !p.at_eof() {
                p.bump_any();
            }
            m.complete(p, ERROR);
        }
        p.clear_limit();
    }
    root.complete(p, SOURCE_FILE);
}

/// The index just past the `.` that ends the form starting at `start` (or the end of input).
fn form_end(p: &Parser<'_>, start: usize) -> usize {
    let inputs = p.inputs();
    inputs[start..]
        .iter()
        .position(|t| t.kind == DOT && t.trivia_after)
        .map_or(inputs.len(), |i| start + i + 1)
}

/// The last token after `start`, before `end` and not after the text offset `error`, that
/// begins a line the way a form begins: `-name` or `name(` in column 0.
fn resync_point(p: &Parser<'_>, start: usize, end: usize, error: TextSize) -> Option<usize> {
    let inputs = p.inputs();
    let before_error = start + inputs[start..end].partition_point(|t| t.start <= u32::from(error));
    (start + 1..before_error.max(start + 1)).rev().find(|&i| {
        let t = &inputs[i];
        if !t.at_line_start {
            return false;
        }
        let next = inputs.get(i + 1).map(|n| n.kind);
        match t.kind {
            MINUS => next.is_some_and(|k| k == ATOM || k.is_keyword()),
            ATOM => next == Some(L_PAREN),
            _ => false,
        }
    })
}

fn form(p: &mut Parser<'_>, terms: bool) {
    if terms {
        term_form(p);
        return;
    }
    match p.current() {
        MINUS => attributes::attribute(p),
        ATOM => fun_decl(p, None),
        QUESTION => macro_form_or_fun_decl(p),
        _ => {
            let m = p.start();
            p.error_at_token("expected a function or an attribute");
            skip_to_form_end(p);
            m.complete(p, ERROR);
        }
    }
}

/// One term of a term file, ended by `.`.
fn term_form(p: &mut Parser<'_>) {
    let m = p.start();
    if exprs::expr(p).is_none() {
        p.err_and_bump("expected a term", &[]);
    }
    expect_form_end(p);
    m.complete(p, TERM_FORM);
}

/// `?wr_record(state).` is a whole form; `?NAME(X) -> ...` is a function.
fn macro_form_or_fun_decl(p: &mut Parser<'_>) {
    let call = exprs::macro_call(p);
    if p.at_form_end() {
        let m = call.precede(p);
        p.bump(DOT);
        m.complete(p, MACRO_FORM);
        return;
    }
    fun_decl(p, Some(call));
}

/// `name(Args) when Guard -> Body; name(...) -> ... .`
fn fun_decl(p: &mut Parser<'_>, first_name: Option<CompletedMarker>) {
    let first_clause = match first_name {
        Some(name) => {
            let m = name.precede(p);
            exprs::clause_after_name(p, m, name.kind() == MACRO_CALL)
        }
        None => fun_clause(p),
    };
    let decl = first_clause.precede(p);
    while p.eat(SEMICOLON) {
        fun_clause(p);
    }
    expect_form_end(p);
    decl.complete(p, FUN_DECL);
}

/// One clause of a function declaration, starting at its name.
fn fun_clause(p: &mut Parser<'_>) -> CompletedMarker {
    let m = p.start();
    let name_is_macro = p.at(QUESTION);
    match p.current() {
        ATOM => {
            exprs::atom(p);
        }
        QUESTION => {
            exprs::macro_call(p);
        }
        _ => p.err_and_bump("expected a function name", &[L_PAREN]),
    }
    exprs::clause_after_name(p, m, name_is_macro)
}

/// Consumes the `.` that ends a form, or reports it missing and skips to it.
pub(super) fn expect_form_end(p: &mut Parser<'_>) {
    if p.at_form_end() {
        p.bump(DOT);
        return;
    }
    if p.at_eof() {
        p.error("expected '.' at the end of the form");
        return;
    }
    let m = p.start();
    p.error_at_token("expected '.' at the end of the form");
    skip_to_form_end(p);
    m.complete(p, ERROR);
}

/// Consumes every token up to and including the `.` that ends the form.
pub(super) fn skip_to_form_end(p: &mut Parser<'_>) {
    while !p.at_eof() {
        let end = p.at_form_end();
        p.bump_any();
        if end {
            break;
        }
    }
}
