//! The parser's machinery: a cursor over the tokens that builds the green tree as it goes.
//!
//! Grammar functions (in `grammar/`) call `start`, `bump`, `expect` and
//! `Marker::complete`. Tokens and finished nodes go straight into a flat list of
//! children; completing a marker wraps the children since its start into a node,
//! and `CompletedMarker::precede` starts a node around one already finished.
//! Trivia is pushed just before the next token, and a node never starts with
//! trivia: what lies between two nodes belongs to their parent (comments between
//! forms are children of the file). Everything since a checkpoint can be rolled
//! back, which gives cheap speculation.

use std::cell::Cell;

use rowan::{TextRange, TextSize};

use crate::{
    SyntaxError,
    SyntaxKind::{self, *},
    lexer::Token,
    tree_sink::{ParsedTree, SinkCheckpoint, TreeShape, TreeSink},
};

/// A non-trivia token as the parser sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Input {
    pub(crate) kind: SyntaxKind,
    /// The kind where the `maybe_expr` feature is on: `MAYBE_KW` and `ELSE_KW` for the
    /// atoms `maybe` and `else`, else the same as `kind`.
    pub(crate) keyword_kind: SyntaxKind,
    /// The token's text is needed for attribute names.
    pub(crate) start: u32,
    pub(crate) len: u32,
    /// Trivia comes right after this token (or it is the last token).
    pub(crate) trivia_after: bool,
    /// This token is the first on its line, in column 0.
    pub(crate) at_line_start: bool,
}

/// A syntax error as the parser records it.
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    pub(crate) message: String,
    pub(crate) range: TextRange,
    /// The error is about the next token (else something is missing before it).
    pub(crate) at_token: bool,
}

/// A saved position, for speculative parsing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checkpoint {
    pos: usize,
    raw: usize,
    offset: u32,
    sink: SinkCheckpoint,
    errors: usize,
    maybe_enabled: bool,
}

/// What parsing a text gave.
pub(crate) struct ParserOutput {
    pub(crate) tree: ParsedTree,
    pub(crate) errors: Vec<ParseError>,
    /// Whether an error was recorded before the first node below the root started.
    pub(crate) error_before_first_node: bool,
}

pub(crate) struct Parser<'t> {
    text: &'t str,
    /// Every token, trivia included.
    tokens: &'t [Token],
    /// The non-trivia tokens.
    inputs: &'t [Input],
    /// The next non-trivia token.
    pos: usize,
    /// The next raw token (trivia not yet in the tree comes before `pos`'s token).
    raw: usize,
    /// The byte offset of `raw`.
    offset: u32,
    /// Tokens at and after `limit` are invisible: the parser sees the end of the file there.
    limit: usize,
    sink: TreeSink,
    errors: Vec<ParseError>,
    /// How many errors there were when the first node below the root started.
    errors_before_first_node: Option<usize>,
    /// The byte offset where the form being parsed starts.
    form_start: u32,
    /// Whether the first marker (the root's) was started.
    root_started: bool,
    /// Whether `maybe`/`else` are keywords here (the `maybe_expr` feature).
    pub(crate) maybe_enabled: bool,
    steps: Cell<u32>,
}

/// How many look-aheads without consuming a token count as an endless loop.
const STEP_LIMIT: u32 = 100_000;

impl<'t> Parser<'t> {
    pub(crate) fn new(
        text: &'t str,
        tokens: &'t [Token],
        inputs: &'t [Input],
        maybe_enabled: bool,
        shape: TreeShape,
    ) -> Parser<'t> {
        let sink = TreeSink::new(shape, text.len());
        Parser {
            text,
            tokens,
            inputs,
            pos: 0,
            raw: 0,
            offset: 0,
            limit: inputs.len(),
            sink,
            errors: Vec::new(),
            errors_before_first_node: None,
            root_started: false,
            form_start: 0,
            maybe_enabled,
            steps: Cell::new(0),
        }
    }

    /// The tree and the errors. The grammar must have completed exactly one root node
    /// (from a marker started before anything else) after consuming every token.
    pub(crate) fn finish(self) -> ParserOutput {
        let error_before_first_node =
            self.errors_before_first_node.unwrap_or(self.errors.len()) > 0;
        ParserOutput {
            tree: self.sink.finish(),
            errors: self.errors,
            error_before_first_node,
        }
    }

    /// The kind of the current token, `EOF` at the end.
    #[inline]
    pub(crate) fn current(&self) -> SyntaxKind {
        self.nth(0)
    }

    /// The kind of the token `n` ahead.
    #[inline]
    pub(crate) fn nth(&self, n: usize) -> SyntaxKind {
        if cfg!(debug_assertions) {
            // A grammar rule that looks ahead without ever consuming would loop forever.
            let steps = self.steps.get();
            assert!(steps <= STEP_LIMIT, "the parser seems stuck");
            self.steps.set(steps + 1);
        }
        match self.visible(self.pos + n) {
            Some(t) if self.maybe_enabled => t.keyword_kind,
            Some(t) => t.kind,
            None => EOF,
        }
    }

    #[inline]
    fn visible(&self, index: usize) -> Option<&'t Input> {
        if index < self.limit {
            self.inputs.get(index)
        } else {
            None
        }
    }

    fn token_text(&self, t: &Input) -> &'t str {
        &self.text[t.start as usize..(t.start + t.len) as usize]
    }

    /// The text of the token `n` ahead ("" at the end).
    pub(crate) fn nth_text(&self, n: usize) -> &'t str {
        self.visible(self.pos + n)
            .map_or("", |t| self.token_text(t))
    }

    /// Whether the current token is `kind`.
    #[inline]
    pub(crate) fn at(&self, kind: SyntaxKind) -> bool {
        self.current() == kind
    }

    /// Whether the token `n` ahead is `kind`.
    pub(crate) fn nth_at(&self, n: usize, kind: SyntaxKind) -> bool {
        self.nth(n) == kind
    }

    /// Whether the current token is one of `kinds`.
    pub(crate) fn at_any(&self, kinds: &[SyntaxKind]) -> bool {
        kinds.contains(&self.current())
    }

    /// Whether the current token is a `.` that ends a form (followed by whitespace,
    /// a comment or the end of the file).
    #[inline]
    pub(crate) fn at_form_end(&self) -> bool {
        self.visible(self.pos)
            .is_some_and(|t| t.kind == DOT && t.trivia_after)
    }

    /// Whether the parser is past the last token.
    pub(crate) fn at_eof(&self) -> bool {
        self.pos >= self.limit
    }

    /// Whether every token of the file has been consumed (ignores the limit).
    pub(crate) fn at_end_of_input(&self) -> bool {
        self.pos >= self.inputs.len()
    }

    /// Marks the current token as the start of a form.
    pub(crate) fn begin_form(&mut self) {
        self.form_start = self.inputs.get(self.pos).map_or(self.offset, |t| t.start);
    }

    /// Makes the tokens from index `limit` on invisible until `clear_limit`.
    pub(crate) fn set_limit(&mut self, limit: usize) {
        self.limit = limit.min(self.inputs.len());
    }

    /// The index at which tokens stop being visible.
    pub(crate) fn limit(&self) -> usize {
        self.limit
    }

    /// Makes every token visible again.
    pub(crate) fn clear_limit(&mut self) {
        self.limit = self.inputs.len();
    }

    /// All tokens, for scanning ahead without consuming.
    pub(crate) fn inputs(&self) -> &'t [Input] {
        self.inputs
    }

    /// The text of the token at absolute index `index`.
    pub(crate) fn text_at(&self, index: usize) -> &'t str {
        self.inputs.get(index).map_or("", |t| self.token_text(t))
    }

    /// Starts a node; complete the returned marker (or drop it: its children then
    /// belong to the parent).
    pub(crate) fn start(&mut self) -> Marker {
        let first = self.sink.len();
        if !self.root_started {
            self.root_started = true;
        } else if self.errors_before_first_node.is_none() {
            self.errors_before_first_node = Some(self.errors.len());
        }
        Marker { first }
    }

    /// Pushes the trivia in front of the next token.
    #[inline]
    fn push_trivia(&mut self) {
        while let Some(token) = self.tokens.get(self.raw) {
            if !token.kind.is_trivia() {
                break;
            }
            self.push_raw(token.kind);
        }
    }

    #[inline]
    fn push_raw(&mut self, kind: SyntaxKind) {
        let token = self.tokens[self.raw];
        let start = self.offset as usize;
        let end = start + token.len as usize;
        self.sink.token(kind, &self.text[start..end], self.offset);
        self.offset += token.len;
        self.raw += 1;
    }

    /// Consumes the current token wrapped in a node of `kind`.
    pub(crate) fn leaf(&mut self, kind: SyntaxKind) -> CompletedMarker {
        debug_assert!(!self.at_eof(), "a leaf needs a token");
        self.push_trivia();
        let token = self.tokens[self.raw];
        let start = self.offset as usize;
        let end = start + token.len as usize;
        self.sink
            .leaf(kind, token.kind, &self.text[start..end], self.offset);
        self.offset += token.len;
        self.raw += 1;
        self.pos += 1;
        if cfg!(debug_assertions) {
            self.steps.set(0);
        }
        CompletedMarker {
            index: self.sink.len() - 1,
            kind,
        }
    }

    /// Consumes the current token if it is `kind`.
    #[inline]
    pub(crate) fn eat(&mut self, kind: SyntaxKind) -> bool {
        if !self.at(kind) {
            return false;
        }
        self.do_bump(kind);
        true
    }

    /// Consumes the current token, which must be `kind`.
    pub(crate) fn bump(&mut self, kind: SyntaxKind) {
        assert!(self.eat(kind), "bump({kind:?}) at {:?}", self.current());
    }

    /// Consumes the current token whatever it is.
    pub(crate) fn bump_any(&mut self) {
        let kind = self.current();
        if kind != EOF {
            self.do_bump(kind);
        }
    }

    /// Consumes the current token, giving it `kind` (which differs from the lexer's
    /// for contextual keywords such as `maybe`).
    #[inline]
    fn do_bump(&mut self, kind: SyntaxKind) {
        self.push_trivia();
        self.push_raw(kind);
        self.pos += 1;
        if cfg!(debug_assertions) {
            self.steps.set(0);
        }
    }

    /// Consumes `kind` or records an error saying it was expected.
    pub(crate) fn expect(&mut self, kind: SyntaxKind) -> bool {
        if self.eat(kind) {
            return true;
        }
        self.error(format!("expected {}", describe(kind)));
        false
    }

    /// Records that something is missing just after the previous token (but never
    /// before the start of the current form, so that each form owns its errors).
    pub(crate) fn error(&mut self, message: impl Into<String>) {
        let range = TextRange::empty(TextSize::from(self.offset.max(self.form_start)));
        self.errors.push(ParseError {
            message: message.into(),
            range,
            at_token: false,
        });
    }

    /// Records an error about the current token.
    pub(crate) fn error_at_token(&mut self, message: impl Into<String>) {
        let range = match self.inputs.get(self.pos) {
            Some(t) => TextRange::at(TextSize::from(t.start), TextSize::from(t.len)),
            None => TextRange::empty(TextSize::from(self.text.len() as u32)),
        };
        self.errors.push(ParseError {
            message: message.into(),
            range,
            at_token: true,
        });
    }

    /// Records an error and wraps the current token in an `ERROR` node, unless the token
    /// is one of `recovery` (or the end of a form), which are left for an outer rule.
    pub(crate) fn err_and_bump(&mut self, message: &str, recovery: &[SyntaxKind]) {
        if self.at_eof() || self.at_form_end() || self.at_any(recovery) {
            self.error(message);
            return;
        }
        let m = self.start();
        self.error_at_token(message);
        self.bump_any();
        m.complete(self, ERROR);
    }

    /// Saves the position, for `rollback`.
    pub(crate) fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.pos,
            raw: self.raw,
            offset: self.offset,
            sink: self.sink.checkpoint(),
            errors: self.errors.len(),
            maybe_enabled: self.maybe_enabled,
        }
    }

    /// Goes back to `checkpoint`, forgetting everything parsed since.
    pub(crate) fn rollback(&mut self, checkpoint: Checkpoint) {
        self.pos = checkpoint.pos;
        self.raw = checkpoint.raw;
        self.offset = checkpoint.offset;
        self.sink.rollback(checkpoint.sink);
        self.errors.truncate(checkpoint.errors);
        self.maybe_enabled = checkpoint.maybe_enabled;
    }

    /// Whether any error was recorded since `checkpoint`.
    pub(crate) fn has_error_since(&self, checkpoint: Checkpoint) -> bool {
        self.errors.len() > checkpoint.errors
    }

    /// Where the first error recorded since `checkpoint` is, if there is one.
    pub(crate) fn first_error_since(&self, checkpoint: Checkpoint) -> Option<TextSize> {
        self.errors[checkpoint.errors..]
            .iter()
            .map(|error| error.range.start())
            .min()
    }

    /// The number of tokens consumed so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }
}

impl ParseError {
    pub(crate) fn into_syntax_error(self) -> SyntaxError {
        SyntaxError::new(self.message, self.range)
    }
}

/// How a token kind is named in an error message.
pub(crate) fn describe(kind: SyntaxKind) -> String {
    match kind.text() {
        Some(text) => format!("'{text}'"),
        None => match kind {
            ATOM => "an atom".to_string(),
            VAR => "a variable".to_string(),
            INTEGER => "an integer".to_string(),
            STRING => "a string".to_string(),
            EOF => "end of file".to_string(),
            _ => format!("{kind:?}").to_lowercase(),
        },
    }
}

/// An open node: where its children start.
pub(crate) struct Marker {
    first: usize,
}

impl Marker {
    /// Closes the node as `kind`. Trivia at its start stays outside, in the parent; the
    /// root (a marker at the very start) takes in all trivia, before and after.
    pub(crate) fn complete(self, p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
        let mut first = self.first;
        if first == 0 && kind == SOURCE_FILE {
            while p.raw < p.tokens.len() {
                p.push_raw(p.tokens[p.raw].kind);
            }
        } else {
            while first < p.sink.len() && p.sink.is_trivia_at(first) {
                first += 1;
            }
        }
        p.sink.node_from(kind, first, p.offset);
        CompletedMarker { index: first, kind }
    }
}

/// A finished node, which can still be wrapped by a new parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompletedMarker {
    /// Where the node sits among the children being built.
    index: usize,
    kind: SyntaxKind,
}

impl CompletedMarker {
    /// Starts a node that will contain this one.
    pub(crate) fn precede(self, _p: &mut Parser<'_>) -> Marker {
        Marker { first: self.index }
    }

    /// The node's kind.
    pub(crate) fn kind(&self) -> SyntaxKind {
        self.kind
    }
}
