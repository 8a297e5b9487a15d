//! The formatter's own safety net: a formatted form must have the tokens of the
//! original, up to the rewrites erlfmt makes on purpose.
//!
//! Layout only moves whitespace and comments, so comparing the other tokens
//! catches any rule that would drop, add or reorder code. The rewrites that are
//! allowed: a string written over several lines becomes adjacent strings with
//! `\n` escapes (adjacent strings are compared as one); `$ ` becomes `$\s`; an
//! atom may gain or lose quotes (`'maybe'`); the lines of a triple-quoted string
//! are re-indented; the parentheses around a whole attribute value (`-spec(...)`)
//! go, and so do parentheses right inside others (`((X))`).
//!
//! The original's tokens come from the parse, the formatted text's from the
//! lexer: the keywords `maybe` and `else` count as the atoms they are to a lexer.

use std::borrow::Cow;

use syntax::{LexOptions, SyntaxKind, Token, ast::atom_value, tokenize};

/// Whether `formatted` has the same tokens as `original`, up to erlfmt's rewrites.
pub fn same_tokens(original: &str, formatted: &str, options: &LexOptions) -> bool {
    let (tokens, _) = tokenize(original, options);
    same_tokens_as(original, &tokens, formatted, options)
}

/// Whether `formatted` has the tokens of `original`, lexed (or parsed) as
/// `original_tokens`, up to erlfmt's rewrites.
pub fn same_tokens_as(
    original: &str,
    original_tokens: &[Token],
    formatted: &str,
    options: &LexOptions,
) -> bool {
    let (tokens, _) = tokenize(formatted, options);
    // Most forms keep their tokens exactly; the others mostly compare as they
    // stream, normalized; the rewrites of parentheses need the whole form. Each
    // step is taken only when the one before finds a difference: the rewrites
    // treat both sides alike, so what is equal before them stays equal.
    same_significant(original, original_tokens, formatted, &tokens)
        || same_streams(
            normalized(token_texts(original, original_tokens)),
            normalized(token_texts(formatted, &tokens)),
        )
        || normalized_tokens(token_texts(original, original_tokens))
            == normalized_tokens(token_texts(formatted, &tokens))
}

/// Whether two texts, lexed as the tokens given, have the same tokens, trivia
/// aside, as written. Nearly every form is checked here, so it works on bytes
/// and offsets rather than on the `&str` of each token.
fn same_significant(
    left: &str,
    left_tokens: &[Token],
    right: &str,
    right_tokens: &[Token],
) -> bool {
    let mut left = significant(left.as_bytes(), left_tokens);
    let mut right = significant(right.as_bytes(), right_tokens);
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some((left_kind, left_bytes)), Some((right_kind, right_bytes)))
                if left_kind == right_kind && same_bytes(left_bytes, right_bytes) => {}
            _ => return false,
        }
    }
}

/// The kind and bytes of each token of `text` that is not trivia.
fn significant<'t>(
    text: &'t [u8],
    tokens: &'t [Token],
) -> impl Iterator<Item = (SyntaxKind, &'t [u8])> {
    let mut offset = 0usize;
    tokens.iter().filter_map(move |token| {
        let start = offset;
        offset += token.len as usize;
        if token.kind.is_trivia() {
            return None;
        }
        Some((token.kind, text.get(start..offset).unwrap_or_default()))
    })
}

/// Byte slices compared inline: most tokens are a few bytes long, shorter than
/// what a call to `memcmp` is worth.
#[inline]
fn same_bytes(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).all(|(l, r)| l == r)
}

/// Whether two streams of normalized tokens are the same.
fn same_streams<'a, 'b>(
    mut left: impl Iterator<Item = (SyntaxKind, Cow<'a, str>)>,
    mut right: impl Iterator<Item = (SyntaxKind, Cow<'b, str>)>,
) -> bool {
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some((left_kind, left_text)), Some((right_kind, right_text)))
                if left_kind == right_kind && left_text == right_text => {}
            _ => return false,
        }
    }
}

/// The kind and text of each token of `text`, lexed as `tokens`.
fn token_texts<'t>(
    text: &'t str,
    tokens: &[Token],
) -> impl Iterator<Item = (SyntaxKind, &'t str)> + Clone {
    let mut offset = 0usize;
    tokens.iter().map(move |token| {
        let token_text = text.get(offset..offset + token.len as usize).unwrap_or("");
        offset += token.len as usize;
        (token.kind, token_text)
    })
}

/// The significant tokens, each as its kind and a normal form of its text, with
/// the rewrites of parentheses.
fn normalized_tokens<'t>(
    tokens: impl Iterator<Item = (SyntaxKind, &'t str)>,
) -> Vec<(SyntaxKind, Cow<'t, str>)> {
    let mut out: Vec<(SyntaxKind, Cow<'t, str>)> = normalized(tokens).collect();
    strip_attribute_parens(&mut out);
    collapse_double_parens(&mut out);
    out
}

/// The significant tokens, each as its kind and a normal form of its text;
/// adjacent strings become one.
fn normalized<'t>(
    tokens: impl Iterator<Item = (SyntaxKind, &'t str)>,
) -> impl Iterator<Item = (SyntaxKind, Cow<'t, str>)> {
    let mut tokens = tokens
        .filter(|(kind, _)| {
            !matches!(
                kind,
                SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::SHEBANG
            )
        })
        .peekable();
    std::iter::from_fn(move || {
        let (kind, text) = tokens.next()?;
        Some(match kind {
            SyntaxKind::STRING => {
                let mut content = string_content(text);
                while let Some((_, next)) = tokens.next_if(|(kind, _)| *kind == SyntaxKind::STRING)
                {
                    content.to_mut().push_str(&string_content(next));
                }
                (SyntaxKind::STRING, content)
            }
            SyntaxKind::CHAR if text == "$ " => (kind, Cow::Borrowed("$\\s")),
            SyntaxKind::ATOM if text.starts_with('\'') => (kind, Cow::Owned(atom_value(text))),
            // The parse reads the atoms `maybe` and `else` as keywords where the
            // file enables the `maybe_expr` feature; a lexer alone cannot know.
            SyntaxKind::MAYBE_KW | SyntaxKind::ELSE_KW => (SyntaxKind::ATOM, Cow::Borrowed(text)),
            kind => (kind, Cow::Borrowed(text)),
        })
    })
}

/// `((X))` becomes `(X)`: erlfmt keeps one pair of parentheses around an
/// expression written in several.
fn collapse_double_parens(tokens: &mut Vec<(SyntaxKind, Cow<'_, str>)>) {
    // Only a `(` right after another can be redundant: most forms have none,
    // and need no pairing of parentheses.
    let has_double_open = tokens
        .windows(2)
        .any(|pair| pair[0].0 == SyntaxKind::L_PAREN && pair[1].0 == SyntaxKind::L_PAREN);
    if !has_double_open {
        return;
    }
    let mut closing_of = vec![usize::MAX; tokens.len()];
    let mut open = Vec::new();
    for (at, (kind, _)) in tokens.iter().enumerate() {
        match kind {
            SyntaxKind::L_PAREN => open.push(at),
            SyntaxKind::R_PAREN => {
                if let Some(start) = open.pop() {
                    closing_of[start] = at;
                }
            }
            _ => {}
        }
    }
    let mut redundant = vec![false; tokens.len()];
    for start in 0..tokens.len().saturating_sub(1) {
        let end = closing_of[start];
        let inner_end = closing_of[start + 1];
        if end != usize::MAX && inner_end != usize::MAX && inner_end + 1 == end {
            redundant[start] = true;
            redundant[end] = true;
        }
    }
    let mut at = 0;
    tokens.retain(|_| {
        at += 1;
        !redundant[at - 1]
    });
}

/// The text between the quotes of a string, with line breaks written as `\n` and,
/// in a triple-quoted string, without the indentation of its lines.
fn string_content(text: &str) -> Cow<'_, str> {
    if text.starts_with("\"\"\"") {
        return Cow::Owned(
            text.lines()
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    let inner = text
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(text);
    if inner.contains('\n') {
        Cow::Owned(inner.replace('\n', "\\n"))
    } else {
        Cow::Borrowed(inner)
    }
}

/// `- name ( ... ) .` loses the parentheses around the value when they enclose
/// all of it.
fn strip_attribute_parens(tokens: &mut Vec<(SyntaxKind, Cow<'_, str>)>) {
    let n = tokens.len();
    let is = |at: usize, kind: SyntaxKind| tokens.get(at).is_some_and(|(k, _)| *k == kind);
    if n < 5
        || !is(0, SyntaxKind::MINUS)
        || !is(2, SyntaxKind::L_PAREN)
        || !is(n - 2, SyntaxKind::R_PAREN)
        || !is(n - 1, SyntaxKind::DOT)
    {
        return;
    }
    // The parenthesis after the name must close right before the dot.
    let mut depth = 0i32;
    for (at, (kind, _)) in tokens.iter().enumerate().take(n - 1).skip(2) {
        match kind {
            SyntaxKind::L_PAREN => depth += 1,
            SyntaxKind::R_PAREN => {
                depth -= 1;
                if depth == 0 && at != n - 2 {
                    return;
                }
            }
            _ => {}
        }
    }
    tokens.remove(n - 2);
    tokens.remove(2);
}

#[cfg(test)]
mod tests {
    use super::same_tokens;

    fn same(original: &str, formatted: &str) -> bool {
        same_tokens(original, formatted, &Default::default())
    }

    #[test]
    fn layout_and_comments_do_not_count() {
        assert!(same("f(X)->X+1.", "f(X) ->\n    % c\n    X + 1.\n"));
    }

    #[test]
    fn erlfmt_rewrites_are_allowed() {
        assert!(same(
            "f() -> \"a\nb\".",
            "f() ->\n    \"a\\n\"\n    \"b\".\n"
        ));
        assert!(same("f() -> $ .", "f() -> $\\s."));
        assert!(same("f() -> maybe.", "f() -> 'maybe'."));
        assert!(same("-spec(f() -> ok).", "-spec f() -> ok."));
        assert!(same("f() -> (((a) - b)).", "f() -> ((a) - b)."));
    }

    /// `same_tokens_as` with the original's tokens from a parse of `original`,
    /// with the syntax of OTP 25 (where `maybe` is a keyword only once enabled).
    fn same_as_parsed(original: &str, formatted: &str) -> bool {
        let (release, file_kind) = (syntax::OtpRelease(25), syntax::FileKind::Module);
        let parse = syntax::parse_flat(original, &syntax::ParseOptions { release, file_kind });
        let tokens: Vec<syntax::Token> = parse
            .tree
            .root(original)
            .tokens()
            .map(|token| syntax::Token {
                kind: token.kind(),
                len: token.text().len() as u32,
            })
            .collect();
        super::same_tokens_as(
            original,
            &tokens,
            formatted,
            &syntax::LexOptions { release, file_kind },
        )
    }

    #[test]
    fn tokens_of_a_parse_compare_as_lexed_ones() {
        let enabled = "-feature(maybe_expr, enable).\nf() -> maybe ok ?= a() else _ -> b end.";
        assert!(same_as_parsed(enabled, enabled));
        assert!(same_as_parsed("f(X)->X+1.", "f(X) ->\n    X + 1.\n"));
        assert!(!same_as_parsed("f(X)->X+1.", "f(X) ->\n    X - 1.\n"));
    }

    #[test]
    fn code_changes_are_caught() {
        assert!(!same("f() -> (a + b) * c.", "f() -> a + b * c."));
        assert!(!same("f() -> [a, b].", "f() -> [a]."));
        assert!(!same("-spec(f() -> ok).", "-spec f() -> ok)."));
        assert!(!same("-f(a) -> (b).", "-f a -> (b)."));
        assert!(!same("f() -> ((a) - b).", "f() -> (a - b)."));
    }
}
