//! Turns the parser's events and the lexer's tokens into a rowan green tree.
//!
//! Trivia (whitespace, comments) is attached as early as possible: before a node
//! starts it goes to the enclosing node, so comments between forms are children
//! of the file and comments between clauses are children of the function.

use rowan::{GreenNode, GreenToken, NodeOrToken, TextRange, TextSize};

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
    inner: GreenSink,
    errors: Vec<SyntaxError>,
}

/// Builds green nodes bottom-up, sharing the tokens whose text is fixed (punctuation,
/// keywords) and common short whitespace. rowan's `GreenNodeBuilder` instead looks
/// every token and small node up in a hash table, which profiles showed to be the
/// largest single cost of parsing; sharing by kind gets most of the memory back
/// without it.
#[derive(Default)]
struct GreenSink {
    children: Vec<NodeOrToken<GreenNode, GreenToken>>,
    parents: Vec<(SyntaxKind, usize)>,
    fixed_tokens: Vec<Option<GreenToken>>,
    whitespace: Vec<GreenToken>,
}

/// Whitespace texts up to this length are shared.
const SHARED_WHITESPACE_LEN: usize = 24;
/// At most this many distinct whitespace texts are shared per file.
const SHARED_WHITESPACE_COUNT: usize = 48;

impl GreenSink {
    fn start_node(&mut self, kind: SyntaxKind) {
        self.parents.push((kind, self.children.len()));
    }

    fn finish_node(&mut self) {
        let Some((kind, first)) = self.parents.pop() else {
            unreachable!("the parser finishes only nodes it started")
        };
        let node = GreenNode::new(kind.into(), self.children.drain(first..));
        self.children.push(node.into());
    }

    fn token(&mut self, kind: SyntaxKind, text: &str) {
        let token = if kind.is_punct() || kind.is_keyword() {
            let index = kind as usize;
            if self.fixed_tokens.len() <= index {
                self.fixed_tokens.resize(index + 1, None);
            }
            self.fixed_tokens[index]
                .get_or_insert_with(|| GreenToken::new(kind.into(), text))
                .clone()
        } else if kind == WHITESPACE && text.len() <= SHARED_WHITESPACE_LEN {
            match self.whitespace.iter().find(|t| t.text() == text) {
                Some(t) => t.clone(),
                None => {
                    let t = GreenToken::new(kind.into(), text);
                    if self.whitespace.len() < SHARED_WHITESPACE_COUNT {
                        self.whitespace.push(t.clone());
                    }
                    t
                }
            }
        } else {
            GreenToken::new(kind.into(), text)
        };
        self.children.push(token.into());
    }

    fn finish(mut self) -> GreenNode {
        match self.children.pop() {
            Some(NodeOrToken::Node(node)) if self.children.is_empty() => node,
            _ => unreachable!("the events describe exactly one root node"),
        }
    }
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
        self.inner.token(kind, &self.text[start..end]);
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
        inner: GreenSink::default(),
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
                    b.inner.start_node(kind);
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
            Event::Error { message, at_token } => {
                let range = if at_token {
                    b.current_range()
                } else {
                    TextRange::empty(TextSize::from(b.offset))
                };
                let message = messages.get(message as usize).cloned().unwrap_or_default();
                b.errors.push(SyntaxError::new(message, range));
            }
            Event::Tombstone => {}
        }
    }
    debug_assert_eq!(b.next, tokens.len(), "every token ends up in the tree");
    (b.inner.finish(), b.errors)
}
