//! Erlang terms read from a term file (`rebar.config`, `.app.src`, `sys.config`)
//! without an Erlang VM: literals only, as `file:consult/1` would read them. An
//! expression that would need evaluating (a call, a variable, a `fun`) is an
//! error that points at it, never run.

use std::fmt;

use syntax::{
    FileKind, OtpRelease, ParseOptions, SyntaxKind, SyntaxNode, TextRange, ast::atom_value,
};

/// An Erlang term.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Atom(String),
    Integer(i128),
    Float(f64),
    /// A string literal (a list of characters), adjacent strings joined.
    String(String),
    /// `<<"...">>` of string segments only.
    Binary(String),
    List(Vec<Term>),
    /// `[A, B | Tail]` where the tail is not a list.
    ImproperList(Vec<Term>, Box<Term>),
    Tuple(Vec<Term>),
    Map(Vec<(Term, Term)>),
}

/// The term as Erlang source text (atoms quoted where they must be), for
/// instance to hand a `{d, M, V}` value to the preprocessor.
impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn quoted(f: &mut fmt::Formatter<'_>, text: &str, quote: char) -> fmt::Result {
            write!(f, "{quote}")?;
            for c in text.chars() {
                match c {
                    '\\' => write!(f, "\\\\")?,
                    '\n' => write!(f, "\\n")?,
                    '\t' => write!(f, "\\t")?,
                    c if c == quote => write!(f, "\\{c}")?,
                    c if (c as u32) < 0x20 => write!(f, "\\x{{{:x}}}", c as u32)?,
                    c => write!(f, "{c}")?,
                }
            }
            write!(f, "{quote}")
        }
        fn sequence(f: &mut fmt::Formatter<'_>, items: &[Term]) -> fmt::Result {
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    write!(f, ",")?;
                }
                write!(f, "{item}")?;
            }
            Ok(())
        }
        match self {
            Term::Atom(name) => {
                let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
                if plain {
                    write!(f, "{name}")
                } else {
                    quoted(f, name, '\'')
                }
            }
            Term::Integer(n) => write!(f, "{n}"),
            Term::Float(x) => write!(f, "{x:?}"),
            Term::String(text) => quoted(f, text, '"'),
            Term::Binary(text) => {
                write!(f, "<<")?;
                quoted(f, text, '"')?;
                write!(f, ">>")
            }
            Term::List(items) => {
                write!(f, "[")?;
                sequence(f, items)?;
                write!(f, "]")
            }
            Term::ImproperList(items, tail) => {
                write!(f, "[")?;
                sequence(f, items)?;
                write!(f, "|{tail}]")
            }
            Term::Tuple(items) => {
                write!(f, "{{")?;
                sequence(f, items)?;
                write!(f, "}}")
            }
            Term::Map(pairs) => {
                write!(f, "#{{")?;
                for (index, (key, value)) in pairs.iter().enumerate() {
                    if index > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{key}=>{value}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// A term file that could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct TermError {
    pub message: String,
    pub range: TextRange,
}

impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at byte {})",
            self.message,
            u32::from(self.range.start())
        )
    }
}

impl Term {
    /// The atom's name, if this is an atom.
    pub fn as_atom(&self) -> Option<&str> {
        match self {
            Term::Atom(name) => Some(name),
            _ => None,
        }
    }

    /// The text of a string, a binary or an atom (rebar3 accepts any of them
    /// where it wants a name or a path).
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Term::String(text) | Term::Binary(text) | Term::Atom(text) => Some(text),
            _ => None,
        }
    }

    /// The elements of a proper list.
    pub fn as_list(&self) -> Option<&[Term]> {
        match self {
            Term::List(elements) => Some(elements),
            Term::String(text) if text.is_empty() => Some(&[]),
            _ => None,
        }
    }

    /// The elements of a tuple.
    pub fn as_tuple(&self) -> Option<&[Term]> {
        match self {
            Term::Tuple(elements) => Some(elements),
            _ => None,
        }
    }
}

/// Reads every term of a term file, in order. A syntax error, or a form that is
/// not a literal term, is an error: like `file:consult/1`, all or nothing.
pub fn read_terms(text: &str) -> Result<Vec<Term>, TermError> {
    let options = ParseOptions {
        release: OtpRelease::LATEST,
        file_kind: FileKind::Terms,
    };
    let parse = syntax::parse(text, &options);
    if let Some(error) = parse.errors().first() {
        return Err(TermError {
            message: format!("syntax error: {}", error.message()),
            range: error.range(),
        });
    }
    parse
        .syntax_node()
        .children()
        .filter(|form| form.kind() == SyntaxKind::TERM_FORM)
        .map(|form| match form.children().next() {
            Some(expr) => term(&expr),
            None => Err(error(&form, "an empty form")),
        })
        .collect()
}

fn error(node: &SyntaxNode, what: &str) -> TermError {
    TermError {
        message: format!("{what} is not a literal term"),
        range: node.text_range(),
    }
}

/// The non-trivia tokens directly under `node`, as kind and text.
fn tokens(node: &SyntaxNode) -> impl Iterator<Item = (SyntaxKind, String)> {
    node.children_with_tokens()
        .filter_map(|it| it.into_token())
        .filter(|token| !token.kind().is_trivia())
        .map(|token| (token.kind(), token.text().to_owned()))
}

fn term(node: &SyntaxNode) -> Result<Term, TermError> {
    use SyntaxKind::*;
    match node.kind() {
        ATOM => match tokens(node).next() {
            Some((_, text)) => Ok(Term::Atom(atom_value(&text))),
            None => Err(error(node, "an atom without a name")),
        },
        LITERAL => literal(node, false),
        UNARY_EXPR => {
            let operator = tokens(node).next().map(|(kind, _)| kind);
            match (operator, node.children().next()) {
                (Some(MINUS), Some(operand)) if operand.kind() == LITERAL => {
                    literal(&operand, true)
                }
                (Some(PLUS), Some(operand)) if operand.kind() == LITERAL => {
                    literal(&operand, false)
                }
                _ => Err(error(node, "an operator expression")),
            }
        }
        STRING_CONCAT => {
            let mut joined = String::new();
            for part in node.children() {
                match term(&part)? {
                    Term::String(text) => joined.push_str(&text),
                    _ => return Err(error(&part, "a non-string in a string concatenation")),
                }
            }
            Ok(Term::String(joined))
        }
        LIST => {
            let mut elements = Vec::new();
            let mut tail = None;
            let mut after_pipe = false;
            for child in node.children_with_tokens() {
                match child {
                    syntax::NodeOrToken::Token(token) if token.kind() == PIPE => after_pipe = true,
                    syntax::NodeOrToken::Token(_) => {}
                    syntax::NodeOrToken::Node(child) if after_pipe => tail = Some(term(&child)?),
                    syntax::NodeOrToken::Node(child) => elements.push(term(&child)?),
                }
            }
            Ok(match tail {
                None => Term::List(elements),
                Some(Term::List(rest)) => {
                    elements.extend(rest);
                    Term::List(elements)
                }
                Some(tail) => Term::ImproperList(elements, Box::new(tail)),
            })
        }
        TUPLE => node
            .children()
            .map(|child| term(&child))
            .collect::<Result<_, _>>()
            .map(Term::Tuple),
        MAP_EXPR => {
            if node.children().any(|child| child.kind() != MAP_FIELD) {
                return Err(error(node, "a map update"));
            }
            node.children()
                .map(|field| {
                    let mut parts = field.children();
                    let is_assoc = tokens(&field).any(|(kind, _)| kind == FAT_ARROW);
                    match (parts.next(), parts.next(), is_assoc) {
                        (Some(key), Some(value), true) => Ok((term(&key)?, term(&value)?)),
                        _ => Err(error(&field, "a map field other than `K => V`")),
                    }
                })
                .collect::<Result<_, _>>()
                .map(Term::Map)
        }
        BINARY => {
            let mut bytes = String::new();
            for element in node.children() {
                let mut parts = element.children();
                match (parts.next(), parts.next()) {
                    (Some(value), None) => match term(&value)? {
                        Term::String(text) => bytes.push_str(&text),
                        _ => return Err(error(&element, "a binary segment other than a string")),
                    },
                    _ => return Err(error(&element, "a binary segment with a size or type")),
                }
            }
            Ok(Term::Binary(bytes))
        }
        PAREN_EXPR => match node.children().next() {
            Some(inner) => term(&inner),
            None => Err(error(node, "empty parentheses")),
        },
        VAR => Err(error(node, "a variable")),
        MACRO_CALL => Err(error(node, "a macro")),
        CALL => Err(error(node, "a call")),
        FUN_EXPR | FUN_REF => Err(error(node, "a fun")),
        _ => Err(error(node, "an expression")),
    }
}

/// A `LITERAL` node: a number, a character or a string (negated when `negative`).
fn literal(node: &SyntaxNode, negative: bool) -> Result<Term, TermError> {
    use SyntaxKind::*;
    let Some((kind, text)) = tokens(node).next() else {
        return Err(error(node, "an empty literal"));
    };
    let sign: i128 = if negative { -1 } else { 1 };
    match kind {
        INTEGER => integer(&text)
            .map(|value| Term::Integer(sign * value))
            .ok_or_else(|| error(node, "an integer too large or malformed")),
        FLOAT => text
            .replace('_', "")
            .parse::<f64>()
            .map(|value| Term::Float(if negative { -value } else { value }))
            .map_err(|_| error(node, "a malformed float")),
        CHAR => char_value(&text)
            .map(|c| Term::Integer(sign * i128::from(u32::from(c))))
            .ok_or_else(|| error(node, "a malformed character")),
        STRING if !negative => {
            let inner = text.strip_prefix('"').unwrap_or(&text);
            let inner = inner.strip_suffix('"').unwrap_or(inner);
            // Strings and quoted atoms share their escapes.
            Ok(Term::String(atom_value(&format!("'{inner}'"))))
        }
        _ => Err(error(node, "this literal")),
    }
}

/// `123`, `1_000` or `16#FF`.
fn integer(text: &str) -> Option<i128> {
    let digits = text.replace('_', "");
    match digits.split_once('#') {
        Some((base, value)) => i128::from_str_radix(value, base.parse().ok()?).ok(),
        None => digits.parse().ok(),
    }
}

/// `$a`, `$\n`, `$\x{41}`: the character.
fn char_value(text: &str) -> Option<char> {
    let body = text.strip_prefix('$')?;
    // A quote inside quotes decodes like any other character.
    let decoded = atom_value(&format!("'{body}'"));
    let mut chars = decoded.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::read_terms;

    fn check(text: &str, expected: Expect) {
        let actual = match read_terms(text) {
            Ok(terms) => format!("{terms:?}"),
            Err(error) => format!("error: {error}"),
        };
        expected.assert_eq(&actual);
    }

    #[test]
    fn terms_print_as_erlang_that_reads_back_the_same() {
        let text = r#"{'Quoted', plain, "a \"s\"\n", <<"b">>, [1, -2, 3.5 | t], #{k => []}}."#;
        let terms = read_terms(text).unwrap();
        let printed = terms[0].to_string();
        assert_eq!(
            printed,
            r#"{'Quoted',plain,"a \"s\"\n",<<"b">>,[1,-2,3.5|t],#{k=>[]}}"#
        );
        assert_eq!(read_terms(&format!("{printed}.")).unwrap(), terms);
    }

    #[test]
    fn literals_are_read() {
        check(
            r#"{a, [-1, 16#FF, 1.5e3, $a, "x" "y", <<"bin">>, #{k => v}, [h | t], 'Q', 1_000]}."#,
            expect![[
                r#"[Tuple([Atom("a"), List([Integer(-1), Integer(255), Float(1500.0), Integer(97), String("xy"), Binary("bin"), Map([(Atom("k"), Atom("v"))]), ImproperList([Atom("h")], Atom("t")), Atom("Q"), Integer(1000)])])]"#
            ]],
        );
        check(
            "%% a comment\n{deps, []}.\n{erl_opts, [debug_info, {d, 'TEST', \"a\\tb\"}]}.\n",
            expect![[
                r#"[Tuple([Atom("deps"), List([])]), Tuple([Atom("erl_opts"), List([Atom("debug_info"), Tuple([Atom("d"), Atom("TEST"), String("a\tb")])])])]"#
            ]],
        );
        check(
            "[a | [b, c]].",
            expect![[r#"[List([Atom("a"), Atom("b"), Atom("c")])]"#]],
        );
    }

    #[test]
    fn anything_to_evaluate_is_an_error_never_run() {
        check(
            "{b, fun() -> ok end}.",
            expect!["error: a fun is not a literal term (at byte 4)"],
        );
        check(
            "{c, os:cmd(\"rm -rf /\")}.",
            expect!["error: a call is not a literal term (at byte 4)"],
        );
        check(
            "{d, X}.",
            expect!["error: a variable is not a literal term (at byte 4)"],
        );
        check(
            "{e, 1 + 2}.",
            expect!["error: an expression is not a literal term (at byte 4)"],
        );
        check(
            "{f, ",
            expect!["error: syntax error: expected an expression (at byte 3)"],
        );
    }
}
