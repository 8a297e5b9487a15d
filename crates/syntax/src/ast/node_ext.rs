//! Hand-written accessors for the parts of nodes that the generated code cannot place.
//!
//! `cargo xtask codegen` finds a labeled child by its position among children of
//! overlapping types, or by the token written right before it. Where neither works
//! (an optional child followed by another child of an overlapping type), the
//! accessor is written here, as are the accessors of single-token alternatives.

use crate::{
    SyntaxKind::*,
    SyntaxToken,
    ast::{self, AstNode, support},
};

impl ast::AttrName {
    /// The token after `-`: an atom, or a keyword such as `if` or `else`.
    pub fn name_token(&self) -> Option<SyntaxToken> {
        self.syntax()
            .children_with_tokens()
            .filter_map(|it| it.into_token())
            .find(|t| t.kind() != MINUS && !t.kind().is_trivia())
    }

    /// The attribute's name, unquoted: `module`, `define`, `if`.
    pub fn name(&self) -> Option<String> {
        self.name_token().map(|t| atom_value(t.text()))
    }
}

impl ast::Atom {
    /// The `ATOM` token.
    pub fn token(&self) -> Option<SyntaxToken> {
        support::token(self.syntax(), ATOM)
    }

    /// The atom's value: quotes removed and escapes decoded (`'a\nb'` is "a", newline, "b").
    pub fn value(&self) -> Option<String> {
        self.token().map(|t| atom_value(t.text()))
    }
}

impl ast::Var {
    /// The `VAR` token.
    pub fn token(&self) -> Option<SyntaxToken> {
        support::token(self.syntax(), VAR)
    }
}

impl ast::Literal {
    /// The literal's token: integer, float, char, string or sigil.
    pub fn token(&self) -> Option<SyntaxToken> {
        self.syntax()
            .children_with_tokens()
            .filter_map(|it| it.into_token())
            .find(|t| matches!(t.kind(), INTEGER | FLOAT | CHAR | STRING | SIGIL_STRING))
    }
}

impl ast::Name {
    /// The name's text as written, for atoms unquoted; `None` for a macro.
    pub fn text(&self) -> Option<String> {
        match self {
            ast::Name::Atom(atom) => atom.value(),
            ast::Name::Var(var) => var.token().map(|t| t.text().to_string()),
            ast::Name::MacroCall(_) => None,
        }
    }
}

impl ast::FunDecl {
    /// The name in the first clause.
    pub fn name(&self) -> Option<ast::Name> {
        self.fun_clauses().next()?.name()
    }

    /// The number of arguments of the first clause.
    pub fn arity(&self) -> Option<usize> {
        Some(self.fun_clauses().next()?.arg_list()?.exprs().count())
    }
}

impl ast::RecordExpr {
    /// The record being updated in `Base#rec{...}`.
    pub fn base(&self) -> Option<ast::Expr> {
        support::child_before_token(self.syntax(), POUND)
    }
}

impl ast::SpecName {
    /// `m` in `-spec m:f(...)`.
    pub fn module(&self) -> Option<ast::Name> {
        support::child_before_token(self.syntax(), COLON)
    }

    /// The function's name.
    pub fn name(&self) -> Option<ast::Name> {
        support::child_after_token(self.syntax(), COLON).or_else(|| support::child(self.syntax()))
    }
}

impl ast::FunRef {
    /// `m` in `fun m:f/1`.
    pub fn module(&self) -> Option<ast::Expr> {
        support::child_before_token(self.syntax(), COLON)
    }

    /// `f` in `fun f/1` and `fun m:f/1`.
    pub fn fun(&self) -> Option<ast::Expr> {
        if support::token(self.syntax(), COLON).is_some() {
            support::child_after_token(self.syntax(), COLON)
        } else {
            support::child(self.syntax())
        }
    }
}

impl ast::CatchPattern {
    fn parts(&self) -> Vec<Option<ast::Expr>> {
        // Expressions separated by `:`; a missing one stays `None`.
        let mut parts = vec![None];
        for it in self.syntax().children_with_tokens() {
            match it {
                rowan::NodeOrToken::Token(t) if t.kind() == COLON => parts.push(None),
                rowan::NodeOrToken::Node(n) => {
                    if let Some(last) = parts.last_mut() {
                        *last = last.take().or_else(|| ast::Expr::cast(n));
                    }
                }
                rowan::NodeOrToken::Token(_) => {}
            }
        }
        parts
    }

    /// `Class` in `Class:Reason:Stack`.
    pub fn class(&self) -> Option<ast::Expr> {
        let parts = self.parts();
        if parts.len() >= 2 {
            parts.into_iter().next().flatten()
        } else {
            None
        }
    }

    /// `Reason` in `Class:Reason:Stack`, or the whole pattern when there is no class.
    pub fn reason(&self) -> Option<ast::Expr> {
        let parts = self.parts();
        let index = usize::from(parts.len() >= 2);
        parts.into_iter().nth(index).flatten()
    }

    /// `Stack` in `Class:Reason:Stack`.
    pub fn stack(&self) -> Option<ast::Expr> {
        self.parts().into_iter().nth(2).flatten()
    }
}

impl ast::Form {
    /// The attribute name of an attribute or directive form (`None` for functions).
    pub fn attr_name(&self) -> Option<ast::AttrName> {
        support::child(self.syntax())
    }
}

/// The value of an atom token's text, as `atom_to_list/1` gives it: quotes
/// removed and escapes decoded as `erl_scan` does.
///
/// Escapes: `\b \d \e \f \n \r \s \t \v`, octal `\O`, `\OO`, `\OOO`,
/// `\xHH`, `\x{H...}` and `\^X` (X's code modulo 32); any other character
/// after `\` stands for itself (`\'`, `\\`). The lexer reports malformed
/// escapes as syntax errors; their value here is U+FFFD (a `\x` escape without
/// digits, or whose code point is not a Unicode scalar value), never dropped,
/// so that a name keeps a trace of them. An escape cut off by the end of an
/// unterminated atom keeps its last character (`\` alone gives `\`, `\^`
/// gives `^`). An unquoted atom is its own value.
pub fn atom_value(text: &str) -> String {
    let Some(inner) = text.strip_prefix('\'') else {
        return text.to_owned();
    };
    unescape(inner.strip_suffix('\'').unwrap_or(inner))
}

/// The characters of a string literal (`"..."`, quotes and escapes read as
/// [`atom_value`] reads them). Text that is not a plain quoted string (a sigil,
/// a triple-quoted string) is returned without its outer quotes only.
pub fn string_value(text: &str) -> String {
    match text.strip_prefix('"') {
        Some(inner) if !inner.starts_with("\"\"") => {
            unescape(inner.strip_suffix('"').unwrap_or(inner))
        }
        _ => text.trim_matches('"').to_owned(),
    }
}

/// The characters that `inner`, the text between a literal's quotes, stands for.
fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escaped) = chars.next() else {
            out.push('\\');
            break;
        };
        let decoded = match escaped {
            'b' => '\u{8}',
            'd' => '\u{7f}',
            'e' => '\u{1b}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            's' => ' ',
            't' => '\t',
            'v' => '\u{b}',
            '0'..='7' => {
                let mut value = escaped.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(digit) => {
                            value = value * 8 + digit;
                            chars.next();
                        }
                        None => break,
                    }
                }
                // At most 0o777: always a scalar value.
                char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            'x' => {
                let mut digits = String::new();
                if chars.peek() == Some(&'{') {
                    chars.next();
                    for d in chars.by_ref() {
                        if d == '}' {
                            break;
                        }
                        digits.push(d);
                    }
                } else {
                    for _ in 0..2 {
                        match chars.peek() {
                            Some(d) if d.is_ascii_hexdigit() => {
                                digits.push(*d);
                                chars.next();
                            }
                            _ => break,
                        }
                    }
                }
                u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            '^' => match chars.next() {
                Some(control) => char::from_u32(u32::from(control) & 0x1f).unwrap_or(control),
                None => '^',
            },
            other => other,
        };
        out.push(decoded);
    }
    out
}
