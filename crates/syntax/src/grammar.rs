//! The Erlang grammar: from the lexer's tokens to a tree.
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
    SyntaxKind::{ATOM, ELSE_KW, MAYBE_KW},
    lexer::{self, LexOptions, Token},
    parser::{Input, Parser},
    tree_sink::{ParsedTree, TreeShape},
};

/// Parses a whole file.
pub(crate) fn parse_source(text: &str, options: &ParseOptions) -> (GreenNode, Vec<SyntaxError>) {
    let (green, errors, _) = parse_source_with_tokens(text, options);
    (green, errors)
}

/// [`parse_source`], also giving the lexer's tokens of the whole text.
pub(crate) fn parse_source_with_tokens(
    text: &str,
    options: &ParseOptions,
) -> (GreenNode, Vec<SyntaxError>, Vec<Token>) {
    let (tree, errors, tokens) = parse_source_as(text, options, TreeShape::Green);
    match tree {
        ParsedTree::Green(green) => (green, errors, tokens),
        ParsedTree::Flat(_) => unreachable!("a green tree was asked for"),
    }
}

/// A whole file parsed into a tree of `shape`, with the lexer's tokens.
pub(crate) fn parse_source_as(
    text: &str,
    options: &ParseOptions,
    shape: TreeShape,
) -> (ParsedTree, Vec<SyntaxError>, Vec<Token>) {
    let lex_options = LexOptions {
        release: options.release,
        file_kind: options.file_kind,
    };
    let (tokens, lex_errors) = lexer::tokenize(text, &lex_options);
    let lex_errors = lex_errors
        .into_iter()
        .map(|e| SyntaxError::new(e.message, e.range))
        .collect();
    let maybe_enabled = options.release.maybe_expr_by_default();
    let region = Region {
        at_line_start: true,
        maybe_enabled,
        next_token: None,
    };
    let parse = parse_forms(text, &tokens, lex_errors, options, region, shape);
    (parse.tree, parse.errors, tokens)
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
            let keyword_kind = if token.kind == ATOM {
                match bytes.get(start..start + token.len as usize) {
                    Some(b"maybe") => MAYBE_KW,
                    Some(b"else") => ELSE_KW,
                    _ => ATOM,
                }
            } else {
                token.kind
            };
            inputs.push(Input {
                kind: token.kind,
                keyword_kind,
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

/// What [`parse_forms`] gives back.
/// Where a text given to [`parse_forms`] sits in its file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Region {
    /// Whether the first token starts a line of the whole file.
    pub(crate) at_line_start: bool,
    /// The `maybe_expr` state that holds where the text starts.
    pub(crate) maybe_enabled: bool,
    /// The range of the first non-trivia token after the text in the file, relative
    /// to the start of the text (`None` at the end of the file): an error pointing at
    /// the next token past the end of the text points there.
    pub(crate) next_token: Option<rowan::TextRange>,
}

pub(crate) struct FormsParse {
    /// A `SOURCE_FILE` node whose children are the forms and the trivia between them.
    pub(crate) tree: ParsedTree,
    /// The errors, relative to the text, sorted.
    pub(crate) errors: Vec<SyntaxError>,
    /// The `maybe_expr` state after the last form.
    pub(crate) maybe_enabled: bool,
    /// Whether an error comes before the first node starts: in the whole file it would sit
    /// before the trivia in front of the text, so its position is not known here.
    pub(crate) error_before_first_node: bool,
}

/// Parses `text`, a run of whole forms cut out of a file at form boundaries, exactly as
/// [`parse_source`] parses those forms inside the file. For incremental reparsing
/// (`crate::reparse`), which checks the result against `parse_source` in property
/// tests: keep the two in step.
///
/// `tokens` and `lex_errors` are those of `text` (lexed on its own); `region` says
/// where `text` sits in the file; `shape` is the tree to build.
pub(crate) fn parse_forms(
    text: &str,
    tokens: &[Token],
    lex_errors: Vec<SyntaxError>,
    options: &ParseOptions,
    region: Region,
    shape: TreeShape,
) -> FormsParse {
    let Region {
        at_line_start,
        maybe_enabled,
        next_token,
    } = region;
    let mut inputs = parser_inputs(text, tokens);
    if let Some(first) = inputs.first_mut()
        && first.start == 0
    {
        first.at_line_start = at_line_start;
    }
    let mut p = Parser::new(text, tokens, &inputs, maybe_enabled, shape);
    forms::source_file(&mut p, options.file_kind == FileKind::Terms);
    let maybe_enabled = p.maybe_enabled;
    let output = p.finish();
    let end_of_text = rowan::TextRange::empty((text.len() as u32).into());
    let mut errors: Vec<SyntaxError> = output
        .errors
        .into_iter()
        .map(|error| match next_token {
            Some(next) if error.at_token && error.range == end_of_text => {
                SyntaxError::new(error.message, next)
            }
            _ => error.into_syntax_error(),
        })
        .collect();
    let tree = output.tree;
    let error_before_first_node = output.error_before_first_node;
    errors.extend(lex_errors);
    errors.sort_by_key(|e| (e.range().start(), e.range().end()));
    FormsParse {
        tree,
        errors,
        maybe_enabled,
        error_before_first_node,
    }
}
