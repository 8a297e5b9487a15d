//! The typed AST: typed views over `SyntaxNode`s, generated from `erlang.ungram`.
//!
//! Every node type (`ast::FunDecl`, `ast::Expr`, ...) wraps a `SyntaxNode` and
//! finds its parts on demand; nothing is copied out of the tree. The types and
//! most accessors are generated (`crate::generated::nodes`); accessors the
//! grammar cannot place live in `node_ext`.

mod node_ext;

pub use node_ext::{atom_value, string_value};
#[cfg(test)]
mod tests;

use std::marker::PhantomData;

use crate::{SyntaxKind, SyntaxNode};

pub use crate::generated::nodes::*;

/// A typed view of a syntax node of one kind (or one of several kinds, for enums).
pub trait AstNode {
    /// Whether a node of `kind` can be viewed as `Self`.
    fn can_cast(kind: SyntaxKind) -> bool
    where
        Self: Sized;

    /// Views `syntax` as `Self`, if its kind fits.
    fn cast(syntax: SyntaxNode) -> Option<Self>
    where
        Self: Sized;

    /// The underlying syntax node.
    fn syntax(&self) -> &SyntaxNode;
}

/// The direct children of a node that cast to `N`, in order.
#[derive(Debug, Clone)]
pub struct AstChildren<N> {
    inner: rowan::SyntaxNodeChildren<crate::ErlangLanguage>,
    ph: PhantomData<N>,
}

impl<N> AstChildren<N> {
    fn new(parent: &SyntaxNode) -> Self {
        AstChildren {
            inner: parent.children(),
            ph: PhantomData,
        }
    }
}

impl<N: AstNode> Iterator for AstChildren<N> {
    type Item = N;

    fn next(&mut self) -> Option<N> {
        self.inner.find_map(N::cast)
    }
}

/// The lookups generated and hand-written accessors are made of.
pub mod support {
    use super::{AstChildren, AstNode};
    use crate::{SyntaxKind, SyntaxNode, SyntaxToken};

    /// The first direct child that casts to `N`.
    pub fn child<N: AstNode>(parent: &SyntaxNode) -> Option<N> {
        parent.children().find_map(N::cast)
    }

    /// All direct children that cast to `N`.
    pub fn children<N: AstNode>(parent: &SyntaxNode) -> AstChildren<N> {
        AstChildren::new(parent)
    }

    /// The first direct child token of `kind`.
    pub fn token(parent: &SyntaxNode, kind: SyntaxKind) -> Option<SyntaxToken> {
        parent
            .children_with_tokens()
            .filter_map(|it| it.into_token())
            .find(|it| it.kind() == kind)
    }

    /// The first direct child token whose kind is one of `kinds`.
    pub fn token_in(parent: &SyntaxNode, kinds: &[SyntaxKind]) -> Option<SyntaxToken> {
        parent
            .children_with_tokens()
            .filter_map(|it| it.into_token())
            .find(|it| kinds.contains(&it.kind()))
    }

    /// The first direct child that casts to `N` and comes after the first direct token of
    /// `kind` (`None` when there is no such token).
    pub fn child_after_token<N: AstNode>(parent: &SyntaxNode, kind: SyntaxKind) -> Option<N> {
        parent
            .children_with_tokens()
            .skip_while(|it| it.as_token().is_none_or(|t| t.kind() != kind))
            .skip(1)
            .find_map(|it| it.into_node().and_then(N::cast))
    }

    /// The first direct child that casts to `N` and comes before the first direct token of
    /// `kind` (`None` when there is no such token).
    pub fn child_before_token<N: AstNode>(parent: &SyntaxNode, kind: SyntaxKind) -> Option<N> {
        parent
            .children_with_tokens()
            .take_while(|it| it.as_token().is_none_or(|t| t.kind() != kind))
            .find_map(|it| it.into_node().and_then(N::cast))
            .filter(|_| token(parent, kind).is_some())
    }
}
