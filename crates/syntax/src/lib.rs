//! Lossless Erlang syntax trees: lexer, parser (markers, built straight into a rowan tree), typed AST.
//!
//! `parse` never fails: it returns a tree that holds every byte of the input
//! and a list of syntax errors. Knows nothing of files, projects or salsa.

pub mod ast;
mod encoding;
mod flat_tree;
mod generated;
mod grammar;
mod green_sink;
mod lexer;
mod line_index;
mod parser;
mod release;
mod relex;
mod reparse;
mod syntax_error;
mod syntax_kind;
#[cfg(test)]
mod tests;
mod tree_sink;
mod view;

pub use crate::{
    encoding::{
        DecodeError, EncodeError, SourceEncoding, declared_encoding, decode_source, encode_source,
    },
    flat_tree::{FlatElementView, FlatNodeView, FlatTokenView, FlatTree, flat_tree_difference},
    generated::kinds::SyntaxKind,
    lexer::{LexError, LexOptions, Token, tokenize},
    line_index::{LineColumn, LineIndex},
    release::{FileKind, OtpRelease, ParseOptions},
    relex::relex,
    reparse::TextEdit,
    syntax_error::SyntaxError,
    syntax_kind::ErlangLanguage,
    view::{ElementView, NodeView, TokenView},
};
pub use rowan::{GreenNode, GreenNodeData, NodeOrToken, TextRange, TextSize};

use tree_sink::TreeShape;

/// A node of the concrete syntax tree.
pub type SyntaxNode = rowan::SyntaxNode<ErlangLanguage>;
/// A token of the concrete syntax tree.
pub type SyntaxToken = rowan::SyntaxToken<ErlangLanguage>;
/// A node or a token.
pub type SyntaxElement = rowan::NodeOrToken<SyntaxNode, SyntaxToken>;

/// The result of parsing one file: a lossless green tree and the syntax errors found.
#[derive(Debug, Clone, Eq)]
pub struct Parse {
    green: rowan::GreenNode,
    errors: Vec<SyntaxError>,
}

/// Equal trees and errors. A reparse shares the nodes it did not touch with the tree
/// it started from, and those are not walked again.
impl PartialEq for Parse {
    fn eq(&self, other: &Parse) -> bool {
        self.errors == other.errors && green_eq(&self.green, &other.green)
    }
}

/// Whether two green trees are equal, without walking a subtree the two share.
fn green_eq(a: &rowan::GreenNodeData, b: &rowan::GreenNodeData) -> bool {
    if std::ptr::eq(a, b) {
        return true;
    }
    if a.kind() != b.kind()
        || a.text_len() != b.text_len()
        || a.children().len() != b.children().len()
    {
        return false;
    }
    a.children().zip(b.children()).all(|pair| match pair {
        (NodeOrToken::Node(a), NodeOrToken::Node(b)) => green_eq(a, b),
        (NodeOrToken::Token(a), NodeOrToken::Token(b)) => a == b,
        _ => false,
    })
}

impl Parse {
    /// The root of the tree (a `SOURCE_FILE` node).
    pub fn syntax_node(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed root.
    pub fn source_file(&self) -> ast::SourceFile {
        use ast::AstNode;
        ast::SourceFile::cast(self.syntax_node()).expect("the root is always a SOURCE_FILE")
    }

    /// The immutable green tree, cheap to clone and share between threads.
    pub fn green(&self) -> &rowan::GreenNode {
        &self.green
    }

    /// Syntax errors, sorted by position.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Whether the file has no syntax errors.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// An indented dump of the tree followed by the errors, for tests and `--dump-tree`.
    pub fn debug_dump(&self) -> String {
        let mut out = format!("{:#?}", self.syntax_node());
        if out.ends_with('\n') {
            out.pop();
        }
        out.push('\n');
        for error in &self.errors {
            out.push_str(&format!("error {:?}: {}\n", error.range(), error.message()));
        }
        out
    }
}

/// Parses `text` as the kind of file and for the OTP release given in `options`.
pub fn parse(text: &str, options: &ParseOptions) -> Parse {
    let (green, errors) = grammar::parse_source(text, options);
    Parse { green, errors }
}

/// [`parse`], also giving the lexer's tokens of the whole text (which cover it
/// one after the other, trivia included). Their kinds are the lexer's: where a
/// file enables the `maybe_expr` feature, the tree has `MAYBE_KW` and `ELSE_KW`
/// for what the lexer reads as the atoms `maybe` and `else`.
pub fn parse_with_tokens(text: &str, options: &ParseOptions) -> (Parse, Vec<Token>) {
    let (green, errors, tokens) = grammar::parse_source_with_tokens(text, options);
    (Parse { green, errors }, tokens)
}

/// A file parsed into a [`FlatTree`]: the same tree as [`parse`] gives, in flat
/// arrays, for one pass over a file (such as formatting it); with the errors and
/// the lexer's tokens, as [`parse_with_tokens`] gives them.
pub fn parse_flat(text: &str, options: &ParseOptions) -> FlatParse {
    let (tree, errors, tokens) = grammar::parse_source_as(text, options, TreeShape::Flat);
    let tree_sink::ParsedTree::Flat(tree) = tree else {
        unreachable!("a flat tree was asked for")
    };
    FlatParse {
        tree,
        errors,
        tokens,
    }
}

/// What [`parse_flat`] gives.
#[derive(Debug, Clone)]
pub struct FlatParse {
    pub tree: FlatTree,
    /// Syntax errors, sorted by position.
    pub errors: Vec<SyntaxError>,
    /// The lexer's tokens, covering the text one after the other.
    pub tokens: Vec<Token>,
}
