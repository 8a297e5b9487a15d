//! Where the parser puts what it reads: a rowan green tree, or a flat tree.

use rowan::{GreenNode, NodeOrToken};

use crate::{
    SyntaxKind,
    flat_tree::{FlatCheckpoint, FlatSink, FlatTree},
    green_sink::GreenSink,
};

/// Which tree a parse builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TreeShape {
    Green,
    Flat,
}

/// The tree a parse built.
pub(crate) enum ParsedTree {
    Green(GreenNode),
    Flat(FlatTree),
}

/// The parser's output, either tree behind one interface: the children of the
/// nodes being built are on a stack, and completing a node wraps the top of it.
pub(crate) enum TreeSink {
    Green(GreenSink),
    Flat(FlatSink),
}

/// What [`TreeSink::rollback`] goes back to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SinkCheckpoint {
    Green(usize),
    Flat(FlatCheckpoint),
}

impl TreeSink {
    /// A sink building a tree of `shape` for a text of `text_len` bytes.
    pub(crate) fn new(shape: TreeShape, text_len: usize) -> TreeSink {
        match shape {
            TreeShape::Green => {
                let mut sink = GreenSink::new(text_len);
                sink.children.reserve(64);
                TreeSink::Green(sink)
            }
            TreeShape::Flat => TreeSink::Flat(FlatSink::new(text_len)),
        }
    }

    /// How many children are on the stack.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self {
            TreeSink::Green(sink) => sink.children.len(),
            TreeSink::Flat(sink) => sink.len(),
        }
    }

    /// Whether the child at `index` of the stack is a trivia token.
    #[inline]
    pub(crate) fn is_trivia_at(&self, index: usize) -> bool {
        match self {
            TreeSink::Green(sink) => match &sink.children[index] {
                NodeOrToken::Token(token) => {
                    SyntaxKind::from_u16(token.kind().0).is_some_and(SyntaxKind::is_trivia)
                }
                NodeOrToken::Node(_) => false,
            },
            TreeSink::Flat(sink) => sink.is_trivia_at(index),
        }
    }

    pub(crate) fn checkpoint(&self) -> SinkCheckpoint {
        match self {
            TreeSink::Green(sink) => SinkCheckpoint::Green(sink.children.len()),
            TreeSink::Flat(sink) => SinkCheckpoint::Flat(sink.checkpoint()),
        }
    }

    pub(crate) fn rollback(&mut self, checkpoint: SinkCheckpoint) {
        match (self, checkpoint) {
            (TreeSink::Green(sink), SinkCheckpoint::Green(len)) => sink.children.truncate(len),
            (TreeSink::Flat(sink), SinkCheckpoint::Flat(checkpoint)) => sink.rollback(checkpoint),
            _ => unreachable!("a checkpoint of the same sink"),
        }
    }

    /// A token, `text` at `start`.
    #[inline]
    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &str, start: u32) {
        match self {
            TreeSink::Green(sink) => sink.token(kind, text),
            TreeSink::Flat(sink) => sink.token(kind, start, text.len() as u32),
        }
    }

    /// A node of `kind` around one token of `token_kind`, `text` at `start`.
    #[inline]
    pub(crate) fn leaf(
        &mut self,
        kind: SyntaxKind,
        token_kind: SyntaxKind,
        text: &str,
        start: u32,
    ) {
        match self {
            TreeSink::Green(sink) => sink.leaf(kind, token_kind, text),
            TreeSink::Flat(sink) => sink.leaf(kind, token_kind, start, text.len() as u32),
        }
    }

    /// Wraps the children from index `first` of the stack on into a node of `kind`,
    /// which ends at `end`.
    #[inline]
    pub(crate) fn node_from(&mut self, kind: SyntaxKind, first: usize, end: u32) {
        match self {
            TreeSink::Green(sink) => sink.node_from(kind, first),
            TreeSink::Flat(sink) => sink.node_from(kind, first, end),
        }
    }

    /// The root: the one node left.
    pub(crate) fn finish(self) -> ParsedTree {
        match self {
            TreeSink::Green(sink) => ParsedTree::Green(sink.finish()),
            TreeSink::Flat(sink) => ParsedTree::Flat(sink.finish()),
        }
    }
}
