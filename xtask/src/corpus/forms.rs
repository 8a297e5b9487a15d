//! Form lists as `corpus parse` compares them: erlkit's, read off the syntax tree.
//!
//! A form is what `epp_dodger` reports per top-level form: a function's
//! name/arity, an attribute's (or preprocessor directive's) name, or an error,
//! each with the line of its name token (the first token of the form for
//! anything else), the line `epp_dodger` gives too.

use std::fmt;

use syntax::{SyntaxKind, SyntaxNode, SyntaxToken};

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

/// Line numbers of byte offsets in one text.
pub(crate) struct LineIndex {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line of a byte offset (lines end at `\n`, as `erl_scan` counts them).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let line = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    /// The 1-based line and 1-based column (in characters) of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line(offset);
        let start = self.starts[line as usize - 1];
        let end = offset.min(text.len());
        let column = text
            .get(start..end)
            .map_or(end - start, |s| s.chars().count())
            + 1;
        (line, u32::try_from(column).unwrap_or(u32::MAX))
    }
}

/// The forms of a parsed file, in order.
pub(crate) fn our_forms(root: &SyntaxNode, lines: &LineIndex) -> Vec<Form> {
    root.children().map(|node| form_of(&node, lines)).collect()
}

fn form_of(node: &SyntaxNode, lines: &LineIndex) -> Form {
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
                        unquote_atom(t.text())
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
                        format!("?{}", unquote_atom(t.text()))
                    }
                    Some(t) => format!("?{}", t.text()),
                    None => "?".to_owned(),
                },
            }
        }
        SyntaxKind::ATOM => first_token(node).map_or_else(String::new, |t| unquote_atom(t.text())),
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

/// The name of an atom as `atom_to_list/1` gives it: quotes removed, escapes decoded.
pub(crate) fn unquote_atom(text: &str) -> String {
    let Some(inner) = text
        .strip_prefix('\'')
        .map(|t| t.strip_suffix('\'').unwrap_or(t))
    else {
        return text.to_owned();
    };
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
                char::from_u32(value).unwrap_or('\u{fffd}')
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
                    .unwrap_or('\u{fffd}')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_are_unquoted_like_atom_to_list() {
        assert_eq!(unquote_atom("foo"), "foo");
        assert_eq!(unquote_atom("'foo bar'"), "foo bar");
        assert_eq!(unquote_atom("'+'"), "+");
        assert_eq!(unquote_atom(r"'it\'s'"), "it's");
        assert_eq!(unquote_atom(r"'a\\b'"), r"a\b");
        assert_eq!(unquote_atom(r"'\n\t\s\d\e'"), "\n\t \u{7f}\u{1b}");
        assert_eq!(unquote_atom(r"'\101\x42\x{43}\^a'"), "ABC\u{1}");
        assert_eq!(unquote_atom(r"'\1234'"), "S4");
        assert_eq!(unquote_atom("'caf\u{e9}'"), "caf\u{e9}");
    }

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

    #[test]
    fn lines_and_columns_are_one_based() {
        let text = "ab\ncd\u{e9}f\n";
        let lines = LineIndex::new(text);
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 1);
        assert_eq!(lines.line(3), 2);
        assert_eq!(lines.line_col(text, 8), (2, 5));
        assert_eq!(lines.line(text.len()), 3);
    }
}
