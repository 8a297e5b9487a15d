//! The lowering context: positions of tokens, texts, and the lookups every lowering step uses.

use std::borrow::Borrow;
use std::cell::{Cell, RefCell};

use bumpalo::Bump;
use syntax::{FlatNodeView, FlatTokenView, LineIndex, SyntaxKind};

use super::Unsupported;
use crate::node::{Kind, Loc, Meta, Node};

/// The result of lowering one piece of syntax.
pub(super) type Lowered<T> = Result<T, Unsupported>;

/// Where erlfmt's grammar stands: expressions and patterns, or types (whose
/// shapes differ for records, binaries, `fun` and `...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Expr,
    Type,
}

/// Where the nodes of a form go: the arena, and a stack on which each list of
/// children is gathered while its elements are lowered (which gather their own
/// lists above it), to be copied into the arena at its final size.
pub(super) struct Arena<'a> {
    bump: &'a Bump,
    stack: RefCell<Vec<Node<'a>>>,
}

impl<'a> Arena<'a> {
    pub(super) fn new(bump: &'a Bump) -> Arena<'a> {
        Arena {
            bump,
            stack: RefCell::new(Vec::new()),
        }
    }
}

/// What lowering needs of the file: its text and where its lines start, and
/// the arena its nodes go to.
#[derive(Clone, Copy)]
pub(super) struct Cx<'i, 'a> {
    index: &'i LineIndex<'a>,
    arena: &'i Arena<'a>,
    /// The line of the last position asked for: lowering asks in nearly the
    /// order of the text, so the next one is mostly on it or the next line.
    near_line: &'i Cell<usize>,
    text: &'a str,
    mode: Mode,
    /// What to add to the offsets of the tree being lowered to get offsets in
    /// `text`: not zero for a piece of the file parsed again on its own.
    shift: isize,
    /// How many expressions deep the lowering is.
    depth: u32,
}

/// How deep expressions may nest: deeper forms are kept as written, so that
/// lowering and every recursive walk of its nodes (the layout rules, dropping
/// the nodes) stays far from the end of a thread's stack.
const MAX_DEPTH: u32 = 200;

impl<'i, 'a> Cx<'i, 'a> {
    pub(super) fn new(
        index: &'i LineIndex<'a>,
        arena: &'i Arena<'a>,
        near_line: &'i Cell<usize>,
        text: &'a str,
    ) -> Cx<'i, 'a> {
        Cx {
            index,
            arena,
            near_line,
            text,
            mode: Mode::Expr,
            shift: 0,
            depth: 0,
        }
    }

    /// The context one expression deeper, or an error past [`MAX_DEPTH`].
    pub(super) fn nested(self) -> Lowered<Cx<'i, 'a>> {
        if self.depth >= MAX_DEPTH {
            return Err(Unsupported::new("expressions nested too deep"));
        }
        Ok(Cx {
            depth: self.depth + 1,
            ..self
        })
    }

    /// A context for a tree whose offset `at` is offset `file_offset` of the file.
    pub(super) fn shifted(self, at: usize, file_offset: usize) -> Lowered<Cx<'i, 'a>> {
        let signed = |n: usize| isize::try_from(n).map_err(|_| Unsupported::new("a huge offset"));
        Ok(Cx {
            shift: signed(file_offset)? - signed(at)?,
            ..self
        })
    }

    /// The offset in the file of `offset` in the tree being lowered.
    fn file_offset(&self, offset: syntax::TextSize) -> Lowered<usize> {
        usize::try_from(usize::from(offset) as isize + self.shift)
            .map_err(|_| Unsupported::new("a token outside the text"))
    }

    /// The same context in erlfmt's type grammar.
    pub(super) fn in_types(self) -> Cx<'i, 'a> {
        Cx {
            mode: Mode::Type,
            ..self
        }
    }

    /// Whether this is erlfmt's type grammar.
    pub(super) fn is_type(self) -> bool {
        self.mode == Mode::Type
    }

    /// The position of `offset` of the tree being lowered. Only the made-up text
    /// around a piece read again lies outside the file, and no position there is
    /// asked for; it would be the file's start.
    fn loc_at(&self, offset: syntax::TextSize) -> Loc {
        let mut near = self.near_line.get();
        let at = self
            .index
            .line_column_near(self.file_offset(offset).unwrap_or(0), &mut near);
        self.near_line.set(near);
        Loc::new(at.line, at.column)
    }

    /// Where `token` starts.
    pub(super) fn start(&self, token: &FlatTokenView<'_>) -> Loc {
        self.loc_at(token.text_range().start())
    }

    /// The position just after `token`.
    pub(super) fn end(&self, token: &FlatTokenView<'_>) -> Loc {
        self.loc_at(token.text_range().end())
    }

    /// erlfmt's `range_upto_anno`: the column before `token` starts.
    pub(super) fn before(&self, token: &FlatTokenView<'_>) -> Loc {
        let start = self.start(token);
        Loc::new(start.line, start.col.saturating_sub(1))
    }

    /// The text of `token` as written in the file.
    pub(super) fn text(&self, token: &FlatTokenView<'_>) -> Lowered<&'a str> {
        self.text_in(token.text_range(), token.text())
    }

    /// The text at `range` of the tree as written in the file, which must be `expected`.
    fn text_in(&self, range: syntax::TextRange, expected: &str) -> Lowered<&'a str> {
        let (start, end) = (
            self.file_offset(range.start())?,
            self.file_offset(range.end())?,
        );
        let text = self
            .text
            .get(start..end)
            .ok_or_else(|| Unsupported::new("a token outside the text"))?;
        if text != expected {
            return Err(Unsupported::new("a token whose text is not the file's"));
        }
        Ok(text)
    }

    /// The annotation of a single token.
    pub(super) fn token_meta(&self, token: &FlatTokenView<'_>) -> Meta<'a> {
        Meta::new(self.start(token), self.end(token))
    }

    /// `value` (a node, or an annotation) in the arena.
    pub(super) fn alloc<T: Copy>(&self, value: T) -> &'a T {
        self.arena.bump.alloc(value)
    }

    /// `nodes` in the arena.
    pub(super) fn slice<const N: usize>(&self, nodes: [Node<'a>; N]) -> &'a mut [Node<'a>] {
        self.arena.bump.alloc_slice_copy(&nodes)
    }

    /// The nodes in the arena, or the first error. Each node is gathered on the
    /// arena's stack as it comes (lowering it may gather lists of its own above
    /// it, and leaves the stack as it found it, as this does).
    pub(super) fn collect(
        &self,
        nodes: impl IntoIterator<Item = Lowered<Node<'a>>>,
    ) -> Lowered<&'a mut [Node<'a>]> {
        let stack = &self.arena.stack;
        let start = stack.borrow().len();
        for node in nodes {
            match node {
                Ok(node) => stack.borrow_mut().push(node),
                Err(error) => {
                    stack.borrow_mut().truncate(start);
                    return Err(error);
                }
            }
        }
        let mut stack = stack.borrow_mut();
        let nodes = self.arena.bump.alloc_slice_copy(&stack[start..]);
        stack.truncate(start);
        Ok(nodes)
    }

    /// An atomic node (`atom`, `var`, `integer`, ...) made of one token.
    pub(super) fn atomic(
        &self,
        token: &FlatTokenView<'_>,
        kind: fn(&'a str) -> Kind<'a>,
    ) -> Lowered<Node<'a>> {
        Ok(Node::new(self.token_meta(token), kind(self.text(token)?)))
    }
}

/// A token read from the green tree: its kind, where it is and its text.
pub(super) struct Leaf<'a> {
    pub(super) kind: SyntaxKind,
    pub(super) meta: Meta<'a>,
    pub(super) text: &'a str,
}

impl<'a> Cx<'_, 'a> {
    /// The first non-trivia token directly under `node`, if any: atoms, variables
    /// and literals, the most common nodes, need only this token.
    pub(super) fn first_leaf(&self, node: &FlatNodeView<'_>) -> Lowered<Option<Leaf<'a>>> {
        for child in node.children_with_tokens() {
            if let syntax::NodeOrToken::Token(token) = child
                && !token.kind().is_trivia()
            {
                let range = token.text_range();
                let text = self.text_in(range, token.text())?;
                return Ok(Some(Leaf {
                    kind: token.kind(),
                    meta: Meta::new(self.loc_at(range.start()), self.loc_at(range.end())),
                    text,
                }));
            }
        }
        Ok(None)
    }

    /// An atomic node made of the first non-trivia token directly under `node`,
    /// which must be of `kind`.
    pub(super) fn atomic_leaf(
        &self,
        node: &FlatNodeView<'_>,
        kind: SyntaxKind,
        make: fn(&'a str) -> Kind<'a>,
    ) -> Lowered<Node<'a>> {
        match self.first_leaf(node)? {
            Some(leaf) if leaf.kind == kind => Ok(Node::new(leaf.meta, make(leaf.text))),
            // Not the first token: look further, as `token` does.
            _ => self.atomic(&token(node, kind)?, make),
        }
    }
}

/// An annotation from `start` to `end`.
pub(super) fn span<'a>(start: Loc, end: Loc) -> Meta<'a> {
    Meta::new(start, end)
}

/// erlfmt's `range_anno` of two nodes: from the start of `first` to the end of `last`.
pub(super) fn between<'a>(first: &Node<'_>, last: &Node<'_>) -> Meta<'a> {
    span(first.meta.loc, last.meta.end)
}

/// A node built from its annotation and shape.
pub(super) fn node<'a>(meta: Meta<'a>, kind: Kind<'a>) -> Node<'a> {
    Node::new(meta, kind)
}

/// `None` as a "missing child" error.
pub(super) trait Required<T> {
    fn required(self, what: &str) -> Lowered<T>;
}

impl<T> Required<T> for Option<T> {
    fn required(self, what: &str) -> Lowered<T> {
        self.ok_or_else(|| Unsupported::new(format!("missing {what}")))
    }
}

/// The error for a missing token or node of `kind` (made only when needed: the
/// message is formatted).
fn missing(kind: SyntaxKind) -> Unsupported {
    Unsupported::new(format!("missing {kind:?}"))
}

/// The non-trivia tokens directly under `node`.
pub(super) fn tokens<'g>(
    node: &FlatNodeView<'g>,
) -> impl DoubleEndedIterator<Item = FlatTokenView<'g>> + use<'g> {
    node.children_with_tokens()
        .filter_map(|it| it.into_token())
        .filter(|token| !token.kind().is_trivia())
}

/// The first token of `kind` directly under `node`.
pub(super) fn token<'g>(node: &FlatNodeView<'g>, kind: SyntaxKind) -> Lowered<FlatTokenView<'g>> {
    find_token(node, kind).ok_or_else(|| missing(kind))
}

/// The first token of `kind` directly under `node`, if any.
pub(super) fn find_token<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Option<FlatTokenView<'g>> {
    tokens(node).find(|token| token.kind() == kind)
}

/// The last token of `kind` directly under `node`.
pub(super) fn last_token_of<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Lowered<FlatTokenView<'g>> {
    tokens(node)
        .rev()
        .find(|token| token.kind() == kind)
        .ok_or_else(|| missing(kind))
}

/// The first non-trivia token anywhere in `node`.
pub(super) fn first_token<'g>(node: &FlatNodeView<'g>) -> Option<FlatTokenView<'g>> {
    node.tokens().find(|token| !token.kind().is_trivia())
}

/// The child nodes of `node`.
pub(super) fn children<'g>(node: &FlatNodeView<'g>) -> Vec<FlatNodeView<'g>> {
    node.children().collect()
}

/// The child nodes of `node` that come before its first token of `kind` (all of
/// them when there is no such token).
pub(super) fn children_before<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Vec<FlatNodeView<'g>> {
    node.children_with_tokens()
        .take_while(|it| it.as_token().is_none_or(|token| token.kind() != kind))
        .filter_map(|it| it.into_node())
        .collect()
}

/// The child nodes of `node` that come after its first token of `kind` (none when
/// there is no such token).
pub(super) fn children_after<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Vec<FlatNodeView<'g>> {
    node.children_with_tokens()
        .skip_while(|it| it.as_token().is_none_or(|token| token.kind() != kind))
        .filter_map(|it| it.into_node())
        .collect()
}

/// The only child node of `node`, or an error.
pub(super) fn only_child<'g>(node: &FlatNodeView<'g>, what: &str) -> Lowered<FlatNodeView<'g>> {
    let mut nodes = node.children();
    match (nodes.next(), nodes.next()) {
        (Some(child), None) => Ok(child),
        (None, _) => Err(Unsupported::new(format!("missing {what}"))),
        (Some(_), Some(_)) => Err(Unsupported::new(format!("more than one {what}"))),
    }
}

/// The child node of `node` of `kind`.
pub(super) fn child_of_kind<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Lowered<FlatNodeView<'g>> {
    find_child(node, kind).ok_or_else(|| missing(kind))
}

/// The child node of `node` of `kind`, if any.
pub(super) fn find_child<'g>(
    node: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Option<FlatNodeView<'g>> {
    node.children().find(|child| child.kind() == kind)
}

/// Lowers each of `nodes`, into the arena.
pub(super) fn each<'a, 'g, N: Borrow<FlatNodeView<'g>>>(
    cx: Cx<'_, 'a>,
    nodes: impl IntoIterator<Item = N>,
    lower: impl Fn(&FlatNodeView<'g>) -> Lowered<Node<'a>>,
) -> Lowered<&'a mut [Node<'a>]> {
    cx.collect(nodes.into_iter().map(|node| lower(node.borrow())))
}

/// `node` without the parentheses it was written in (erlfmt's `delete_parens`).
pub(super) fn without_parens(mut node: Node<'_>) -> Node<'_> {
    node.meta.parens = false;
    node
}
