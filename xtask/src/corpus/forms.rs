//! Form lists as `corpus parse` compares them: erlkit's, read off the syntax tree.
//!
//! A form is what `epp_dodger` reports per top-level form: a function's
//! name/arity, an attribute's (or preprocessor directive's) name, or an error,
//! each with the line of its name token (the first token of the form for
//! anything else), the line `epp_dodger` gives too.

use std::fmt;

use syntax::ast::atom_value;
use syntax::{LineIndex, SyntaxKind, SyntaxNode, SyntaxToken};

/// What one top-level form is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FormKind {
    /// A function definition: the name of its first clause and its arity.
    Function { name: String, arity: usize },
    /// An attribute or preprocessor directive, by name (`module`, `define`, `if`).
    Attribute { name: String },
    /// A whole form written as a macro call: `?wr_record(state).`
    MacroForm { name: String },
    /// A form the parser could not make sense of.
    Error,
    /// Anything else, by kind.
    Other { kind: String },
}

/// One top-level form and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Form {
    pub(crate) kind: FormKind,
    pub(crate) line: u32,
}

impl fmt::Display for FormKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormKind::Function { name, arity } => write!(f, "function {name}/{arity}"),
            FormKind::Attribute { name } => write!(f, "attribute -{name}"),
            FormKind::MacroForm { name } => write!(f, "macro form {name}"),
            FormKind::Error => write!(f, "error"),
            FormKind::Other { kind } => write!(f, "{kind}"),
        }
    }
}

/// The forms of a parsed file, in order.
pub(crate) fn our_forms(root: &SyntaxNode, lines: &LineIndex<'_>) -> Vec<Form> {
    root.children().map(|node| form_of(&node, lines)).collect()
}

fn form_of(node: &SyntaxNode, lines: &LineIndex<'_>) -> Form {
    let line_of = |token: Option<SyntaxToken>| {
        let token = token.or_else(|| first_token(node));
        token.map_or(0, |t| lines.line(usize::from(t.text_range().start())))
    };
    match node.kind() {
        SyntaxKind::FUN_DECL => {
            let clause = node.children().find(|n| n.kind() == SyntaxKind::FUN_CLAUSE);
            let name = clause.as_ref().and_then(|clause| {
                clause.children().next().filter(|n| {
                    matches!(
                        n.kind(),
                        SyntaxKind::ATOM | SyntaxKind::VAR | SyntaxKind::MACRO_CALL
                    )
                })
            });
            let arg_list = clause
                .as_ref()
                .and_then(|c| c.children().find(|n| n.kind() == SyntaxKind::ARG_LIST));
            let arity = match (&arg_list, &name) {
                (Some(args), _) => args
                    .children()
                    .filter(|n| n.kind() != SyntaxKind::ERROR)
                    .count(),
                // `?F(X) -> X.`: the parser cannot know whether `(X)` belongs to the
                // macro; like `epp_dodger` (and `epp` for a macro without parameters)
                // the parenthesised list is the function's arguments.
                (None, Some(call)) if call.kind() == SyntaxKind::MACRO_CALL => call
                    .children()
                    .find(|n| n.kind() == SyntaxKind::MACRO_ARGS)
                    .map_or(0, |args| {
                        args.children()
                            .filter(|n| n.kind() == SyntaxKind::MACRO_ARG)
                            .count()
                    }),
                (None, _) => 0,
            };
            Form {
                kind: FormKind::Function {
                    name: name
                        .as_ref()
                        .map_or_else(|| "<no name>".to_owned(), name_text),
                    arity,
                },
                line: line_of(clause.as_ref().and_then(first_token)),
            }
        }
        SyntaxKind::ERROR => Form {
            kind: FormKind::Error,
            line: line_of(None),
        },
        SyntaxKind::MACRO_FORM => {
            let call = node.children().find(|n| n.kind() == SyntaxKind::MACRO_CALL);
            Form {
                kind: FormKind::MacroForm {
                    name: call.as_ref().map_or_else(|| "?".to_owned(), name_text),
                },
                line: line_of(None),
            }
        }
        kind => match node
            .children()
            .next()
            .filter(|n| n.kind() == SyntaxKind::ATTR_NAME)
        {
            Some(attr_name) => {
                // `-` then the name: an atom, or a keyword such as `if` or `else`.
                let name_token = significant_tokens(&attr_name).nth(1);
                let name = name_token.as_ref().map_or_else(String::new, |t| {
                    if t.kind() == SyntaxKind::ATOM {
                        atom_value(t.text())
                    } else {
                        t.text().to_owned()
                    }
                });
                Form {
                    kind: FormKind::Attribute { name },
                    line: line_of(name_token),
                }
            }
            None => Form {
                kind: FormKind::Other {
                    kind: format!("{kind:?}"),
                },
                line: line_of(None),
            },
        },
    }
}

/// The text of a name node: an unquoted atom, a variable, or `?` and a macro's name.
fn name_text(node: &SyntaxNode) -> String {
    match node.kind() {
        SyntaxKind::MACRO_CALL => {
            let inner = node
                .children()
                .find(|n| matches!(n.kind(), SyntaxKind::ATOM | SyntaxKind::VAR))
                .map(|n| name_text(&n));
            match inner {
                Some(inner) => format!("?{inner}"),
                // A name token directly under the call.
                None => match significant_tokens(node).nth(1) {
                    Some(t) if t.kind() == SyntaxKind::ATOM => {
                        format!("?{}", atom_value(t.text()))
                    }
                    Some(t) => format!("?{}", t.text()),
                    None => "?".to_owned(),
                },
            }
        }
        SyntaxKind::ATOM => first_token(node).map_or_else(String::new, |t| atom_value(t.text())),
        _ => first_token(node).map_or_else(String::new, |t| t.text().to_owned()),
    }
}

fn is_trivia(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::SHEBANG
    )
}

/// The tokens of a node that are not whitespace or comments, in order.
fn significant_tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> + use<> {
    node.descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .filter(|token| !is_trivia(token.kind()))
}

fn first_token(node: &SyntaxNode) -> Option<SyntaxToken> {
    significant_tokens(node).next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_read_off_the_tree() {
        let text = "%% c\n-module(m).\n-if(true).\n'f x'(A, B) -> ok;\n'f x'(_, _) -> no.\n\
                    -else.\n?F(X) -> X.\n-endif.\n?wr(r).\n";
        let parse = syntax::parse(text, &syntax::ParseOptions::default());
        let forms: Vec<String> = our_forms(&parse.syntax_node(), &LineIndex::new(text))
            .iter()
            .map(|f| format!("{}: {}", f.line, f.kind))
            .collect();
        assert_eq!(
            forms,
            [
                "2: attribute -module",
                "3: attribute -if",
                "4: function f x/2",
                "6: attribute -else",
                "7: function ?F/1",
                "8: attribute -endif",
                "9: macro form ?wr",
            ]
        );
    }
}
