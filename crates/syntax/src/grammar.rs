//! The Erlang grammar: from the lexer's tokens to parser events to a tree.
//!
//! The file is first cut into forms at each `.` that ends a form, and each form
//! is parsed on its own, so an error never spreads past its form. A broken form
//! is cut again at the first line that starts like a new function or attribute.

mod attributes;
mod exprs;
mod forms;
mod preprocessor;
mod types;

use rowan::GreenNode;

use crate::{
    FileKind, ParseOptions, SyntaxError,
    lexer::{self, LexOptions, Token},
    parser::{Input, Parser},
    tree_builder,
};

/// Parses a whole file.
pub(crate) fn parse_source(text: &str, options: &ParseOptions) -> (GreenNode, Vec<SyntaxError>) {
    let lex_options = LexOptions {
        release: options.release,
        file_kind: options.file_kind,
    };
    let (tokens, lex_errors) = lexer::tokenize(text, &lex_options);
    let inputs = parser_inputs(text, &tokens);
    let mut p = Parser::new(text, &inputs, options.release.maybe_expr_by_default());
    forms::source_file(&mut p, options.file_kind == FileKind::Terms);
    let (events, messages) = p.finish();
    let (green, mut errors) = tree_builder::build_tree(text, &tokens, events, messages);
    errors.extend(
        lex_errors
            .into_iter()
            .map(|e| SyntaxError::new(e.message, e.range)),
    );
    errors.sort_by_key(|e| (e.range().start(), e.range().end()));
    (green, errors)
}

/// The non-trivia tokens with what the parser needs to know about their surroundings.
fn parser_inputs(text: &str, tokens: &[Token]) -> Vec<Input> {
    let bytes = text.as_bytes();
    let mut inputs: Vec<Input> = Vec::with_capacity(tokens.len());
    let mut offset = 0u32;
    let mut prev_was_trivia = false;
    for token in tokens {
        if token.kind.is_trivia() {
            if let Some(last) = inputs.last_mut()
                && !prev_was_trivia
            {
                last.trivia_after = true;
            }
            prev_was_trivia = true;
        } else {
            let start = offset as usize;
            inputs.push(Input {
                kind: token.kind,
                start: offset,
                len: token.len,
                trivia_after: false,
                at_line_start: start == 0 || bytes[start - 1] == b'\n',
            });
            prev_was_trivia = false;
        }
        offset += token.len;
    }
    if let Some(last) = inputs.last_mut() {
        last.trivia_after = true;
    }
    inputs
}
