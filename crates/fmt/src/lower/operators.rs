//! Operator expressions grouped by erlfmt's precedences, which are not Erlang's.
//!
//! erlfmt's grammar makes `=>`, `:=` and `?=` operators that bind tighter than
//! any other but `|` and `..` (`K := V + 1` is `(K := V) + 1`, `-1 => a` is
//! `-(1 => a)`), and in types its prefix operators bind looser than `|` and
//! `..` (`-1..1` is `-(1..1)`). So the operators and operands of a chain (the
//! nested operator nodes written without parentheses) are flattened in source
//! order and grouped again as yecc resolves erlfmt's precedence declarations.

use syntax::{FlatNodeView, FlatTokenView, SyntaxKind, SyntaxKind::*};

use super::Unsupported;
use super::cx::{Cx, Lowered, Required, between, node, only_child, span, tokens};
use super::expr::{expr, two_children};
use crate::node::{Kind, Node};

/// How an operator groups with its neighbours of the same precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assoc {
    Left,
    Right,
    None,
}

/// One piece of a flattened chain.
enum Piece<'a, 'g> {
    Operand(Node<'a>),
    Prefix(FlatTokenView<'g>),
    /// An infix operator and whether it stands in a type.
    Infix(FlatTokenView<'g>, bool),
}

/// Lowers the operator expression `syntax` (a binary or unary operation, a
/// `catch`, `Name :: Type` or a map field) with erlfmt's grouping.
pub(super) fn chain<'a>(cx: Cx<'_, 'a>, syntax: &FlatNodeView<'_>) -> Lowered<Node<'a>> {
    let mut pieces = Vec::new();
    flatten(cx, syntax, &mut pieces)?;
    let mut parser = Parser {
        cx,
        pieces: pieces.into_iter().peekable(),
    };
    let grouped = parser.expression(0)?;
    if parser.pieces.next().is_some() {
        return Err(Unsupported::new("operators erlfmt's grammar cannot group"));
    }
    Ok(grouped)
}

fn flatten<'a, 'g>(
    cx: Cx<'_, 'a>,
    syntax: &FlatNodeView<'g>,
    out: &mut Vec<Piece<'a, 'g>>,
) -> Lowered<()> {
    let cx = cx.nested()?;
    let operator = || tokens(syntax).next().required("an operator");
    match syntax.kind() {
        BINARY_EXPR | MAP_FIELD => {
            let [left, right] = two_children(syntax, "operands")?;
            flatten(cx, &left, out)?;
            out.push(Piece::Infix(operator()?, cx.is_type()));
            flatten(cx, &right, out)
        }
        ANN_TYPE => {
            let [name, ty] = two_children(syntax, "sides of `::`")?;
            flatten(cx, &name, out)?;
            out.push(Piece::Infix(operator()?, true));
            flatten(cx.in_types(), &ty, out)
        }
        UNARY_EXPR | CATCH_EXPR => {
            if syntax.kind() == CATCH_EXPR && cx.is_type() {
                return Err(Unsupported::new("`catch` in a type"));
            }
            out.push(Piece::Prefix(operator()?));
            flatten(cx, &only_child(syntax, "operand")?, out)
        }
        _ => {
            out.push(Piece::Operand(expr(cx, syntax)?));
            Ok(())
        }
    }
}

/// The precedence and associativity of an infix operator in erlfmt's grammar;
/// `in_type` tells which of its grammars (expressions or types) reads it.
fn infix(op: SyntaxKind, in_type: bool) -> Option<(u32, Assoc)> {
    let both = match op {
        COLON2 => Some((40, Assoc::Right)),
        PLUS | MINUS | BOR_KW | BXOR_KW | BSL_KW | BSR_KW | OR_KW | XOR_KW => {
            Some((400, Assoc::Left))
        }
        SLASH | STAR | DIV_KW | REM_KW | BAND_KW | AND_KW => Some((500, Assoc::Left)),
        FAT_ARROW | COLON_EQ => Some((800, Assoc::None)),
        _ => None,
    };
    let only_types = match op {
        PIPE => Some((900, Assoc::Right)),
        DOT2 => Some((1000, Assoc::None)),
        _ => None,
    };
    let only_exprs = match op {
        EQ | BANG => Some((100, Assoc::Right)),
        ORELSE_KW => Some((150, Assoc::Right)),
        ANDALSO_KW => Some((160, Assoc::Right)),
        EQ2 | SLASH_EQ | EQ_LT | L_ANGLE | GT_EQ | R_ANGLE | EQ_COLON_EQ | EQ_SLASH_EQ => {
            Some((200, Assoc::None))
        }
        PLUS2 | MINUS2 => Some((300, Assoc::Right)),
        QUESTION_EQ => Some((800, Assoc::None)),
        _ => None,
    };
    both.or(if in_type { only_types } else { only_exprs })
}

/// The precedence of a prefix operator: `catch` takes everything after it.
fn prefix(op: SyntaxKind) -> u32 {
    if op == CATCH_KW { 10 } else { 600 }
}

/// Precedence climbing over the pieces, as yecc resolves shift/reduce conflicts.
struct Parser<'c, 'a, 'g, I: Iterator<Item = Piece<'a, 'g>>> {
    cx: Cx<'c, 'a>,
    pieces: std::iter::Peekable<I>,
}

impl<'a, 'g, I: Iterator<Item = Piece<'a, 'g>>> Parser<'_, 'a, 'g, I> {
    /// An expression whose operators all bind at least as tight as `min`.
    fn expression(&mut self, min: u32) -> Lowered<Node<'a>> {
        let mut left = self.operand()?;
        while let Some(Piece::Infix(op, in_type)) = self.pieces.peek() {
            let (precedence, assoc) = infix(op.kind(), *in_type).ok_or_else(|| {
                Unsupported::new(format!(
                    "the operator `{}` where erlfmt's grammar lacks it",
                    op.text()
                ))
            })?;
            if precedence < min {
                break;
            }
            let Some(Piece::Infix(op, _)) = self.pieces.next() else {
                break;
            };
            let right_min = if assoc == Assoc::Right {
                precedence
            } else {
                precedence + 1
            };
            let right = self.expression(right_min)?;
            left = self.infix_node(&op, left, right)?;
            if assoc == Assoc::None && self.next_precedence() == Some(precedence) {
                return Err(Unsupported::new(format!(
                    "`{}` next to an operator of the same precedence",
                    op.text()
                )));
            }
        }
        Ok(left)
    }

    fn next_precedence(&mut self) -> Option<u32> {
        match self.pieces.peek() {
            Some(Piece::Infix(op, in_type)) => infix(op.kind(), *in_type).map(|(p, _)| p),
            _ => None,
        }
    }

    /// An operand, or a prefix operator and its operand.
    fn operand(&mut self) -> Lowered<Node<'a>> {
        match self.pieces.next() {
            Some(Piece::Operand(operand)) => Ok(operand),
            Some(Piece::Prefix(op)) => {
                let operand = self.expression(prefix(op.kind()) + 1)?;
                Ok(node(
                    span(self.cx.start(&op), operand.meta.end),
                    Kind::UnaryOp(self.cx.text(&op)?, self.cx.alloc(operand)),
                ))
            }
            _ => Err(Unsupported::new("an operator without an operand")),
        }
    }

    fn infix_node(
        &self,
        op: &FlatTokenView<'_>,
        left: Node<'a>,
        right: Node<'a>,
    ) -> Lowered<Node<'a>> {
        let meta = between(&left, &right);
        let (left, right) = (self.cx.alloc(left), self.cx.alloc(right));
        let kind = match op.kind() {
            FAT_ARROW => Kind::MapFieldAssoc(left, right),
            COLON_EQ => Kind::MapFieldExact(left, right),
            _ => Kind::BinaryOp(self.cx.text(op)?, left, right),
        };
        Ok(node(meta, kind))
    }
}
