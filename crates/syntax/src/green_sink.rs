//! Builds rowan green nodes bottom-up for the parser, sharing what repeats.

use rowan::{GreenNode, GreenToken, NodeOrToken};

use crate::SyntaxKind::{self, *};

/// Builds green nodes bottom-up, sharing the tokens whose text is fixed (punctuation,
/// keywords) and common short whitespace. rowan's `GreenNodeBuilder` instead looks
/// every token and small node up in a hash table, which profiles showed to be the
/// largest single cost of parsing; sharing by kind gets most of the memory back
/// without it.
pub(crate) struct GreenSink {
    /// The children of the nodes being built, innermost last.
    pub(crate) children: Vec<NodeOrToken<GreenNode, GreenToken>>,
    fixed_tokens: Vec<Option<GreenToken>>,
    whitespace: Vec<GreenToken>,
    /// Recently seen leaf nodes, indexed by `leaf_slot`.
    leaves: Vec<Option<GreenNode>>,
    /// How many slots `leaves` gets: a power of two, fewer for small files.
    leaf_slots: usize,
    /// `spaces[n]` is `n` spaces.
    spaces: Vec<Option<GreenToken>>,
    /// `blank_line_indents[n]` is two newlines followed by `n` spaces.
    blank_line_indents: Vec<Option<GreenToken>>,
    /// `indents[n]` is a newline followed by `n` spaces.
    indents: Vec<Option<GreenToken>>,
}

/// Leaf tokens longer than this are not shared (long strings rarely repeat).
const SHARED_LEAF_LEN: usize = 40;
/// The largest number of slots of the leaf cache (a power of two).
const LEAF_CACHE_SLOTS: usize = 4096;

fn leaf_slot(kind: SyntaxKind, text: &str) -> usize {
    // FNV-1a over the kind and the text.
    let mut hash: u32 = 0x811c_9dc5 ^ kind as u32;
    for &byte in text.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash as usize
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
    /// A sink for a text of `text_len` bytes (which sizes its caches).
    pub(crate) fn new(text_len: usize) -> GreenSink {
        // About one atom or variable every 16 bytes; a slot for each, up to the limit.
        let leaf_slots = (text_len / 16)
            .clamp(64, LEAF_CACHE_SLOTS)
            .next_power_of_two();
        GreenSink {
            children: Vec::new(),
            fixed_tokens: Vec::new(),
            whitespace: Vec::new(),
            leaves: Vec::new(),
            leaf_slots,
            spaces: Vec::new(),
            blank_line_indents: Vec::new(),
            indents: Vec::new(),
        }
    }

    /// Wraps the children from index `first` on into a node of `kind`.
    pub(crate) fn node_from(&mut self, kind: SyntaxKind, first: usize) {
        let node = GreenNode::new(kind.into(), self.children.drain(first..));
        self.children.push(node.into());
    }

    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &str) {
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
    pub(crate) fn leaf(&mut self, kind: SyntaxKind, token_kind: SyntaxKind, text: &str) {
        if text.len() > SHARED_LEAF_LEN {
            let token = GreenToken::new(token_kind.into(), text);
            let node = GreenNode::new(kind.into(), [NodeOrToken::Token(token)]);
            self.children.push(node.into());
            return;
        }
        if self.leaves.is_empty() {
            self.leaves.resize(self.leaf_slots, None);
        }
        let slot = leaf_slot(kind, text) & (self.leaves.len() - 1);
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

    /// A shared token for short whitespace. Spaces, and one or two newlines followed by
    /// spaces (an indented line), are looked up by their width; anything else in a
    /// short list.
    fn whitespace_token(&mut self, text: &str) -> GreenToken {
        let bytes = text.as_bytes();
        let (table, rest) = match bytes {
            [b'\n', b'\n', rest @ ..] => (&mut self.blank_line_indents, rest),
            [b'\n', rest @ ..] => (&mut self.indents, rest),
            rest => (&mut self.spaces, rest),
        };
        if rest.iter().all(|&b| b == b' ') {
            let width = rest.len();
            if table.len() <= width {
                table.resize(width + 1, None);
            }
            return table[width]
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

    /// The root: the one node left.
    pub(crate) fn finish(mut self) -> GreenNode {
        match self.children.pop() {
            Some(NodeOrToken::Node(node)) if self.children.is_empty() => node,
            _ => unreachable!("the parser leaves exactly one root node"),
        }
    }
}
