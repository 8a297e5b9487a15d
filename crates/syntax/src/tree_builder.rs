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
    /// Recently seen leaf nodes, indexed by `leaf_slot`.
    leaves: Vec<Option<GreenNode>>,
    /// `indents[n]` is a newline followed by `n` spaces.
    indents: Vec<Option<GreenToken>>,
}

/// Leaf tokens longer than this are not shared (long strings rarely repeat).
const SHARED_LEAF_LEN: usize = 40;
/// The number of slots of the leaf cache (a power of two).
const LEAF_CACHE_SLOTS: usize = 4096;

fn leaf_slot(kind: SyntaxKind, text: &str) -> usize {
    // FNV-1a over the kind and the text.
    let mut hash: u32 = 0x811c_9dc5 ^ kind as u32;
    for &byte in text.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    (hash as usize) & (LEAF_CACHE_SLOTS - 1)
}

fn leaf_matches(node: &GreenNode, kind: SyntaxKind, token_kind: SyntaxKind, text: &str) -> bool {
    node.kind() == kind.into()
        && node
            .children()
            .next()
            .and_then(|c| c.into_token())
            .is_some_and(|t| t.kind() == token_kind.into() && t.text() == text)
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
            self.whitespace_token(text)
        } else {
            GreenToken::new(kind.into(), text)
        };
        self.children.push(token.into());
    }

    /// A wrapper node around one token (`ATOM`, `VAR`, `LITERAL`). Short ones are shared
    /// through a small direct-mapped cache: most atoms and variables repeat within a
    /// file, and a hit saves two allocations (and two frees) for one hash.
    fn leaf(&mut self, kind: SyntaxKind, token_kind: SyntaxKind, text: &str) {
        if text.len() > SHARED_LEAF_LEN {
            let token = GreenToken::new(token_kind.into(), text);
            let node = GreenNode::new(kind.into(), [NodeOrToken::Token(token)]);
            self.children.push(node.into());
            return;
        }
        if self.leaves.is_empty() {
            self.leaves.resize(LEAF_CACHE_SLOTS, None);
        }
        let slot = leaf_slot(kind, text);
        let node = match &self.leaves[slot] {
            Some(node) if leaf_matches(node, kind, token_kind, text) => node.clone(),
            _ => {
                let token = GreenToken::new(token_kind.into(), text);
                let node = GreenNode::new(kind.into(), [NodeOrToken::Token(token)]);
                self.leaves[slot] = Some(node.clone());
                node
            }
        };
        self.children.push(node.into());
    }

    /// A shared token for short whitespace. A newline followed by spaces (an indented
    /// line) is looked up by its length, anything else in a short list.
    fn whitespace_token(&mut self, text: &str) -> GreenToken {
        let bytes = text.as_bytes();
        let slot = if bytes.first() == Some(&b'\n') && bytes[1..].iter().all(|&b| b == b' ') {
            Some(bytes.len() - 1)
        } else {
            None
        };
        if let Some(slot) = slot {
            if self.indents.len() <= slot {
                self.indents.resize(slot + 1, None);
            }
            return self.indents[slot]
                .get_or_insert_with(|| GreenToken::new(WHITESPACE.into(), text))
                .clone();
        }
        if let Some(t) = self.whitespace.iter().find(|t| t.text() == text) {
            return t.clone();
        }
        let t = GreenToken::new(WHITESPACE.into(), text);
        if self.whitespace.len() < SHARED_WHITESPACE_COUNT {
            self.whitespace.push(t.clone());
        }
        t
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

    /// A node of `kind` around the next token.
    fn leaf(&mut self, kind: SyntaxKind) {
        let token = self.tokens[self.next];
        let start = self.offset as usize;
        let end = start + token.len as usize;
        self.inner.leaf(kind, token.kind, &self.text[start..end]);
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
                leaf,
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
                            ..
                        } => {
                            forward_parents.push(kind);
                            forward_parent
                        }
                        _ => unreachable!("forward_parent points at a Start"),
                    };
                }
                // A leaf is the innermost node: its own kind was pushed first.
                let leaf_kind = if leaf {
                    forward_parents.first().copied()
                } else {
                    None
                };
                let outer = usize::from(leaf_kind.is_some());
                // An empty node (error recovery) takes no trivia in front of it: what
                // follows belongs to whatever comes next, maybe the next form.
                let empty = !leaf && matches!(events.get(i + 1), Some(Event::Finish));
                for kind in forward_parents.drain(outer..).rev() {
                    if depth > 0 && !empty {
                        b.eat_trivia();
                    }
                    depth += 1;
                    b.inner.start_node(kind);
                }
                forward_parents.clear();
                if let Some(kind) = leaf_kind {
                    b.eat_trivia();
                    b.leaf(kind);
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
