//! The parser's machinery: a cursor over non-trivia tokens that records events.
//!
//! Grammar functions (in `grammar/`) call `start`, `bump`, `expect` and
//! `Marker::complete`; the events are turned into a tree by `tree_builder`.
//! Any prefix of the events can be rolled back, which gives cheap speculation.

use std::cell::Cell;

use crate::SyntaxKind::{self, *};

/// What the parser produced, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// Start a node. `forward_parent` points at a later `Start` that becomes this node's parent
    /// (set by `CompletedMarker::precede`).
    Start {
        kind: SyntaxKind,
        forward_parent: Option<std::num::NonZeroU32>,
        /// The node holds exactly the next token and ends after it (`ATOM`, `VAR`,
        /// `LITERAL`): no `Token` and `Finish` events follow. A third of all nodes are
        /// such wrappers, so this saves many events.
        leaf: bool,
    },
    /// Finish the innermost open node.
    Finish,
    /// Consume the next non-trivia token, giving it `kind` (may differ from the lexer's for
    /// contextual keywords such as `maybe`).
    Token { kind: SyntaxKind },
    /// A syntax error; the message is `messages[message]`. It points at the next token
    /// when `at_token`, else just after the previous one (something is missing there).
    Error { message: u32, at_token: bool },
    /// A `Start` that was abandoned.
    Tombstone,
}

// Events are the parser's main allocation: keep them at 8 bytes.
const _: () = assert!(std::mem::size_of::<Event>() <= 8);

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

/// A saved position, for speculative parsing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checkpoint {
    pos: usize,
    events: usize,
    messages: usize,
    maybe_enabled: bool,
}

pub(crate) struct Parser<'t> {
    text: &'t str,
    inputs: &'t [Input],
    pos: usize,
    /// Tokens at and after `limit` are invisible: the parser sees the end of the file there.
    limit: usize,
    events: Vec<Event>,
    /// The texts of `Event::Error`s, kept apart so that events stay small.
    messages: Vec<String>,
    /// Whether `maybe`/`else` are keywords here (the `maybe_expr` feature).
    pub(crate) maybe_enabled: bool,
    steps: Cell<u32>,
}

/// How many look-aheads without consuming a token count as an endless loop.
const STEP_LIMIT: u32 = 100_000;

impl<'t> Parser<'t> {
    pub(crate) fn new(text: &'t str, inputs: &'t [Input], maybe_enabled: bool) -> Parser<'t> {
        Parser {
            text,
            inputs,
            pos: 0,
            limit: inputs.len(),
            events: Vec::with_capacity(inputs.len() * 3),
            messages: Vec::new(),
            maybe_enabled,
            steps: Cell::new(0),
        }
    }

    pub(crate) fn finish(self) -> (Vec<Event>, Vec<String>) {
        (self.events, self.messages)
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

    /// Starts a node; complete or abandon the returned marker.
    pub(crate) fn start(&mut self) -> Marker {
        let pos = self.events.len() as u32;
        self.events.push(Event::Start {
            kind: TOMBSTONE,
            forward_parent: None,
            leaf: false,
        });
        Marker::new(pos)
    }

    /// Consumes the current token wrapped in a node of `kind`.
    pub(crate) fn leaf(&mut self, kind: SyntaxKind) -> CompletedMarker {
        debug_assert!(!self.at_eof(), "a leaf needs a token");
        let pos = self.events.len() as u32;
        self.events.push(Event::Start {
            kind,
            forward_parent: None,
            leaf: true,
        });
        self.pos += 1;
        if cfg!(debug_assertions) {
            self.steps.set(0);
        }
        CompletedMarker { pos, kind }
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

    #[inline]
    fn do_bump(&mut self, kind: SyntaxKind) {
        self.pos += 1;
        if cfg!(debug_assertions) {
            self.steps.set(0);
        }
        self.events.push(Event::Token { kind });
    }

    /// Consumes `kind` or records an error saying it was expected.
    pub(crate) fn expect(&mut self, kind: SyntaxKind) -> bool {
        if self.eat(kind) {
            return true;
        }
        self.error(format!("expected {}", describe(kind)));
        false
    }

    /// Records that something is missing just after the previous token.
    pub(crate) fn error(&mut self, message: impl Into<String>) {
        self.push_error(message.into(), false);
    }

    /// Records an error about the current token.
    pub(crate) fn error_at_token(&mut self, message: impl Into<String>) {
        self.push_error(message.into(), true);
    }

    fn push_error(&mut self, message: String, at_token: bool) {
        let index = self.messages.len() as u32;
        self.messages.push(message);
        self.events.push(Event::Error {
            message: index,
            at_token,
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
            events: self.events.len(),
            messages: self.messages.len(),
            maybe_enabled: self.maybe_enabled,
        }
    }

    /// Goes back to `checkpoint`, forgetting everything parsed since.
    pub(crate) fn rollback(&mut self, checkpoint: Checkpoint) {
        self.pos = checkpoint.pos;
        self.events.truncate(checkpoint.events);
        self.messages.truncate(checkpoint.messages);
        self.maybe_enabled = checkpoint.maybe_enabled;
    }

    /// Whether any error was recorded since `checkpoint`.
    pub(crate) fn has_error_since(&self, checkpoint: Checkpoint) -> bool {
        self.events[checkpoint.events..]
            .iter()
            .any(|e| matches!(e, Event::Error { .. }))
    }

    /// The number of tokens consumed so far.
    pub(crate) fn position(&self) -> usize {
        self.pos
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

/// An open node; must be completed or abandoned.
pub(crate) struct Marker {
    pos: u32,
}

impl Marker {
    fn new(pos: u32) -> Marker {
        Marker { pos }
    }

    /// Closes the node as `kind`.
    pub(crate) fn complete(self, p: &mut Parser<'_>, kind: SyntaxKind) -> CompletedMarker {
        match &mut p.events[self.pos as usize] {
            Event::Start { kind: slot, .. } => *slot = kind,
            _ => unreachable!("a marker always points at a Start"),
        }
        p.events.push(Event::Finish);
        CompletedMarker {
            pos: self.pos,
            kind,
        }
    }
}

/// A finished node, which can still be wrapped by a new parent.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CompletedMarker {
    pos: u32,
    kind: SyntaxKind,
}

impl CompletedMarker {
    /// Starts a node that will contain this one.
    pub(crate) fn precede(self, p: &mut Parser<'_>) -> Marker {
        let new = p.start();
        match &mut p.events[self.pos as usize] {
            Event::Start { forward_parent, .. } => {
                *forward_parent = std::num::NonZeroU32::new(new.pos - self.pos)
            }
            _ => unreachable!("a completed marker always points at a Start"),
        }
        new
    }

    /// The node's kind.
    pub(crate) fn kind(&self) -> SyntaxKind {
        self.kind
    }
}
