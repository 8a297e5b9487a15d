//! Turns the parser's events and the lexer's tokens into a rowan green tree.
//!
//! Trivia (whitespace, comments) is attached as early as possible: before a node
//! starts it goes to the enclosing node, so comments between forms are children
//! of the file and comments between clauses are children of the function.

use rowan::{GreenNode, GreenNodeBuilder, TextRange, TextSize};

use crate::{
    SyntaxError,
    SyntaxKind::{self, *},
    lexer::Token,
    parser::Event,
};

struct Builder<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Index of the next raw token.
    next: usize,
    /// Byte offset of the next raw token.
    offset: u32,
    inner: GreenNodeBuilder<'static>,
    errors: Vec<SyntaxError>,
}

impl Builder<'_> {
    fn eat_trivia(&mut self) {
        while let Some(token) = self.tokens.get(self.next) {
            if !token.kind.is_trivia() {
                break;
            }
            self.raw_token(token.kind);
        }
    }

    fn raw_token(&mut self, kind: SyntaxKind) {
        let token = self.tokens[self.next];
        let start = self.offset as usize;
        let end = start + token.len as usize;
        self.inner.token(kind.into(), &self.text[start..end]);
        self.offset += token.len;
        self.next += 1;
    }

    fn current_range(&self) -> TextRange {
        // An error points at the next non-trivia token, or at the end of the text.
        let mut offset = self.offset;
        for token in &self.tokens[self.next..] {
            if !token.kind.is_trivia() {
                return TextRange::at(TextSize::from(offset), TextSize::from(token.len));
            }
            offset += token.len;
        }
        TextRange::empty(TextSize::from(self.text.len() as u32))
    }
}

/// Builds the tree. `events` must describe exactly one root node.
pub(crate) fn build_tree(
    text: &str,
    tokens: &[Token],
    mut events: Vec<Event>,
    messages: Vec<String>,
) -> (GreenNode, Vec<SyntaxError>) {
    let mut b = Builder {
        text,
        tokens,
        next: 0,
        offset: 0,
        inner: GreenNodeBuilder::new(),
        errors: Vec::new(),
    };
    let mut depth = 0usize;
    let mut forward_parents = Vec::new();
    for i in 0..events.len() {
        match std::mem::replace(&mut events[i], Event::Tombstone) {
            Event::Start {
                kind,
                forward_parent,
            } => {
                if kind == TOMBSTONE {
                    continue;
                }
                // Collect the chain of nodes that `precede` put in front of this one.
                forward_parents.push(kind);
                let mut idx = i;
                let mut fp = forward_parent;
                while let Some(delta) = fp {
                    idx += delta.get() as usize;
                    fp = match std::mem::replace(&mut events[idx], Event::Tombstone) {
                        Event::Start {
                            kind,
                            forward_parent,
                        } => {
                            forward_parents.push(kind);
                            forward_parent
                        }
                        _ => unreachable!("forward_parent points at a Start"),
                    };
                }
                for kind in forward_parents.drain(..).rev() {
                    if depth > 0 {
                        b.eat_trivia();
                    }
                    depth += 1;
                    b.inner.start_node(kind.into());
                }
            }
            Event::Finish => {
                depth -= 1;
                if depth == 0 {
                    // The root keeps the trailing trivia.
                    b.eat_trivia();
                }
                b.inner.finish_node();
            }
            Event::Token { kind } => {
                b.eat_trivia();
                b.raw_token(kind);
            }
            Event::Error { message } => {
                let range = b.current_range();
                let message = messages.get(message as usize).cloned().unwrap_or_default();
                b.errors.push(SyntaxError::new(message, range));
            }
            Event::Tombstone => {}
        }
    }
    debug_assert_eq!(b.next, tokens.len(), "every token ends up in the tree");
    (b.inner.finish(), b.errors)
}
