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

use std::borrow::Cow;

use syntax::{LexOptions, SyntaxKind, ast::atom_value, tokenize};

/// Whether `formatted` has the same tokens as `original`, up to erlfmt's rewrites.
pub fn same_tokens(original: &str, formatted: &str, options: &LexOptions) -> bool {
    normalized_tokens(original, options) == normalized_tokens(formatted, options)
}

/// The significant tokens of `text`, each as its kind and a normal form of its text.
fn normalized_tokens<'t>(text: &'t str, options: &LexOptions) -> Vec<(SyntaxKind, Cow<'t, str>)> {
    let (tokens, _) = tokenize(text, options);
    let mut out: Vec<(SyntaxKind, Cow<'t, str>)> = Vec::with_capacity(tokens.len());
    let mut offset = 0usize;
    for token in tokens {
        let token_text = &text[offset..offset + token.len as usize];
        offset += token.len as usize;
        match token.kind {
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::SHEBANG => {}
            SyntaxKind::STRING => {
                let content = string_content(token_text);
                match out.last_mut() {
                    Some((SyntaxKind::STRING, previous)) => previous.to_mut().push_str(&content),
                    _ => out.push((SyntaxKind::STRING, content)),
                }
            }
            SyntaxKind::CHAR if token_text == "$ " => out.push((token.kind, Cow::Borrowed("$\\s"))),
            SyntaxKind::ATOM if token_text.starts_with('\'') => {
                out.push((token.kind, Cow::Owned(atom_value(token_text))));
            }
            kind => out.push((kind, Cow::Borrowed(token_text))),
        }
    }
    strip_attribute_parens(&mut out);
    collapse_double_parens(&mut out);
    out
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

    #[test]
    fn code_changes_are_caught() {
        assert!(!same("f() -> (a + b) * c.", "f() -> a + b * c."));
        assert!(!same("f() -> [a, b].", "f() -> [a]."));
        assert!(!same("-spec(f() -> ok).", "-spec f() -> ok)."));
        assert!(!same("-f(a) -> (b).", "-f a -> (b)."));
        assert!(!same("f() -> ((a) - b).", "f() -> (a - b)."));
    }
}
