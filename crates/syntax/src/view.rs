//! Borrowed views of the green tree that know where they are: read-only walks
//! without rowan's cursors, which allocate (and reference-count) a node for every
//! node and token they visit.
//!
//! A [`NodeView`] is a green node and its offset in the text; its children are
//! found by adding up the lengths of the ones before. Views are `Copy`, cost
//! nothing to make, and have no parent: a walk that needs to go up keeps the path
//! itself. The formatter lowers every form through them.

use rowan::{Children, GreenNodeData, GreenTokenData, Language, NodeOrToken};

use crate::{ErlangLanguage, SyntaxKind, SyntaxNode, TextRange, TextSize};

/// A node of the tree, seen through its green node.
#[derive(Clone, Copy, Debug)]
pub struct NodeView<'g> {
    green: &'g GreenNodeData,
    offset: TextSize,
}

/// A token of the tree, seen through its green token.
#[derive(Clone, Copy, Debug)]
pub struct TokenView<'g> {
    green: &'g GreenTokenData,
    offset: TextSize,
}

/// A node or a token.
pub type ElementView<'g> = NodeOrToken<NodeView<'g>, TokenView<'g>>;

impl<'g> NodeView<'g> {
    /// The view of `green`, which starts at `offset` of the text.
    pub fn new(green: &'g GreenNodeData, offset: TextSize) -> NodeView<'g> {
        NodeView { green, offset }
    }

    /// The view of the same node as `node`.
    pub fn of(node: &'g SyntaxNode) -> NodeView<'g> {
        NodeView::new(node.green(), node.text_range().start())
    }

    pub fn kind(&self) -> SyntaxKind {
        ErlangLanguage::kind_from_raw(self.green.kind())
    }

    pub fn text_range(&self) -> TextRange {
        TextRange::at(self.offset, self.green.text_len())
    }

    /// The green node itself.
    pub fn green(&self) -> &'g GreenNodeData {
        self.green
    }

    /// The text of the node, trivia included.
    pub fn text(&self) -> String {
        self.green.to_string()
    }

    /// The child nodes and tokens, in order.
    pub fn children_with_tokens(&self) -> impl Iterator<Item = ElementView<'g>> + use<'g> {
        let mut offset = self.offset;
        self.green.children().map(move |child| {
            let at = offset;
            offset += child.text_len();
            match child {
                NodeOrToken::Node(green) => NodeOrToken::Node(NodeView::new(green, at)),
                NodeOrToken::Token(green) => NodeOrToken::Token(TokenView { green, offset: at }),
            }
        })
    }

    /// The child nodes, in order.
    pub fn children(&self) -> impl Iterator<Item = NodeView<'g>> + use<'g> {
        self.children_with_tokens()
            .filter_map(NodeOrToken::into_node)
    }

    /// The first child node.
    pub fn first_child(&self) -> Option<NodeView<'g>> {
        self.children().next()
    }

    /// The node itself and everything under it, in the order of the text (each
    /// node before its children).
    pub fn descendants_with_tokens(&self) -> impl Iterator<Item = ElementView<'g>> + use<'g> {
        // The children still to visit of each node on the path down, and where
        // the next one starts.
        let mut stack: Vec<(Children<'g>, TextSize)> = Vec::new();
        let mut root = Some(*self);
        std::iter::from_fn(move || {
            if let Some(root) = root.take() {
                stack.push((root.green.children(), root.offset));
                return Some(NodeOrToken::Node(root));
            }
            loop {
                let (children, offset) = stack.last_mut()?;
                let Some(child) = children.next() else {
                    stack.pop();
                    continue;
                };
                let at = *offset;
                *offset += child.text_len();
                return Some(match child {
                    NodeOrToken::Node(green) => {
                        stack.push((green.children(), at));
                        NodeOrToken::Node(NodeView::new(green, at))
                    }
                    NodeOrToken::Token(green) => {
                        NodeOrToken::Token(TokenView { green, offset: at })
                    }
                });
            }
        })
    }

    /// Every token under the node, in the order of the text.
    pub fn tokens(&self) -> impl Iterator<Item = TokenView<'g>> + Clone + use<'g> {
        // Tokens cover the text one after the other: each starts where the
        // previous one ended.
        let mut stack: Vec<Children<'g>> = vec![self.green.children()];
        let mut offset = self.offset;
        std::iter::from_fn(move || {
            loop {
                match stack.last_mut()?.next() {
                    None => {
                        stack.pop();
                    }
                    Some(NodeOrToken::Node(green)) => stack.push(green.children()),
                    Some(NodeOrToken::Token(green)) => {
                        let at = offset;
                        offset += green.text_len();
                        return Some(TokenView { green, offset: at });
                    }
                }
            }
        })
    }
}

impl<'g> TokenView<'g> {
    pub fn kind(&self) -> SyntaxKind {
        ErlangLanguage::kind_from_raw(self.green.kind())
    }

    pub fn text_range(&self) -> TextRange {
        TextRange::at(self.offset, self.green.text_len())
    }

    /// The text of the token, borrowed from the tree.
    pub fn text(&self) -> &'g str {
        self.green.text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ParseOptions, SyntaxElement, parse};

    /// An element as `KIND@range`, with the text of a token.
    fn describe(kind: SyntaxKind, range: TextRange, token_text: Option<&str>) -> String {
        match token_text {
            Some(text) => format!("{kind:?}@{range:?} {text:?}"),
            None => format!("{kind:?}@{range:?}"),
        }
    }

    /// Every element, through rowan's cursors and through views: the two walks
    /// must agree.
    fn walks(text: &str) -> (Vec<String>, Vec<String>) {
        let parse = parse(text, &ParseOptions::default());
        let root = parse.syntax_node();
        let cursor = root
            .descendants_with_tokens()
            .map(|element| match element {
                SyntaxElement::Node(node) => describe(node.kind(), node.text_range(), None),
                SyntaxElement::Token(token) => {
                    describe(token.kind(), token.text_range(), Some(token.text()))
                }
            })
            .collect();
        let view = NodeView::of(&root)
            .descendants_with_tokens()
            .map(|element| match element {
                NodeOrToken::Node(node) => describe(node.kind(), node.text_range(), None),
                NodeOrToken::Token(token) => {
                    describe(token.kind(), token.text_range(), Some(token.text()))
                }
            })
            .collect();
        (cursor, view)
    }

    #[test]
    fn views_walk_the_tree_as_cursors_do() {
        let text =
            "-module(m).\n%% c\nf(X) when X > 1 -> [Y || Y <- X];\nf(_) -> #{a => <<1:8>>}.\n";
        let (cursor, view) = walks(text);
        assert!(cursor.len() > 40, "{cursor:?}");
        assert_eq!(cursor, view);
        let parse = parse(text, &ParseOptions::default());
        let root = parse.syntax_node();
        let tokens = |view: NodeView<'_>| {
            view.tokens()
                .map(|token| (token.kind(), token.text_range(), token.text().to_owned()))
                .collect::<Vec<_>>()
        };
        let expected: Vec<_> = root
            .descendants_with_tokens()
            .filter_map(SyntaxElement::into_token)
            .map(|token| (token.kind(), token.text_range(), token.text().to_owned()))
            .collect();
        assert_eq!(tokens(NodeView::of(&root)), expected);
        for form in root.children() {
            let in_form: Vec<_> = expected
                .iter()
                .filter(|(_, range, _)| form.text_range().contains_range(*range))
                .cloned()
                .collect();
            assert_eq!(tokens(NodeView::of(&form)), in_form);
        }
    }

    #[test]
    fn a_subtree_starts_at_its_own_offset() {
        let parse = parse("-module(m).\nf() -> ok.\n", &ParseOptions::default());
        let root = parse.syntax_node();
        let form = root.children().nth(1).unwrap();
        let view = NodeView::of(&form);
        assert_eq!(view.text_range(), form.text_range());
        assert_eq!(view.text(), "f() -> ok.");
        let first = view.tokens().next().unwrap();
        assert_eq!((first.text(), first.text_range().start()), ("f", 12.into()));
        assert_eq!(
            view.first_child().map(|child| child.kind()),
            form.first_child().map(|c| c.kind())
        );
    }
}
