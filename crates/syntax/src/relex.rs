//! Lexing an edited text again: only the tokens around the edit.
//!
//! The lexer keeps no state between tokens except at offset 0 (an escript's
//! shebang, a byte order mark), and a token's extent depends on at most
//! [`LOOKAHEAD`](crate::reparse::LOOKAHEAD) bytes past its end. So the tokens
//! that end that far before an edit stay, and once the new text's tokens meet
//! a boundary of the old ones past the edit, the rest are the old ones. Only a
//! window around the edit is lexed, grown until it holds such a boundary.

use crate::{FileKind, LexOptions, TextEdit, Token, lexer::tokenize, reparse::LOOKAHEAD};

/// The tokens of `new_text`, given the tokens of `old_text`: always equal to
/// `tokenize(new_text, options).0`, but lexing only around what changed.
pub fn relex(
    old_text: &str,
    old_tokens: &[Token],
    new_text: &str,
    options: &LexOptions,
) -> Vec<Token> {
    let covered: usize = old_tokens.iter().map(|token| token.len as usize).sum();
    if covered != old_text.len() {
        return tokenize(new_text, options).0;
    }
    let edit = TextEdit::between(old_text, new_text);
    let start = u32::from(edit.delete.start()) as usize;
    let old_end = u32::from(edit.delete.end()) as usize;
    let new_end = start + edit.insert.len();
    let lookahead = LOOKAHEAD as usize;

    // The old tokens that end at least LOOKAHEAD bytes before the edit stay.
    let mut kept = 0;
    let mut from = 0;
    while let Some(token) = old_tokens.get(kept) {
        if from + token.len as usize + lookahead > start {
            break;
        }
        from += token.len as usize;
        kept += 1;
    }
    // A byte order mark is white space only at the very start: a window must
    // not start at one.
    while kept > 0 && new_text[from..].starts_with('\u{FEFF}') {
        kept -= 1;
        from -= old_tokens[kept].len as usize;
    }
    // A shebang exists only at the very start of an escript.
    let window_options = LexOptions {
        file_kind: if from > 0 && options.file_kind == FileKind::Escript {
            FileKind::Module
        } else {
            options.file_kind
        },
        ..*options
    };
    let mut window = new_end - from + 2 * lookahead + 256;
    loop {
        let mut window_end = (from + window).min(new_text.len());
        while !new_text.is_char_boundary(window_end) {
            window_end -= 1;
        }
        let at_end = window_end == new_text.len();
        let (tokens, _) = tokenize(&new_text[from..window_end], &window_options);
        // Walk the window's tokens and the old ones after the kept ones
        // together, to a boundary both have past the edit.
        let (mut new_at, mut old_at, mut old_index) = (from, from, kept);
        for (index, token) in tokens.iter().enumerate() {
            new_at += token.len as usize;
            if !at_end && new_at + lookahead > window_end {
                // Past here the window's end may have cut a token short.
                break;
            }
            if new_at < new_end {
                continue;
            }
            let old_target = new_at - new_end + old_end;
            while old_at < old_target && old_index < old_tokens.len() {
                old_at += old_tokens[old_index].len as usize;
                old_index += 1;
            }
            // The old tokens from offset 0 were read by the rules of the
            // start of a file, which no longer apply to them.
            if old_at == old_target && old_target > 0 {
                let mut out = Vec::with_capacity(kept + index + 1 + old_tokens.len() - old_index);
                out.extend_from_slice(&old_tokens[..kept]);
                out.extend_from_slice(&tokens[..=index]);
                out.extend_from_slice(&old_tokens[old_index..]);
                return out;
            }
        }
        if at_end {
            let mut out = Vec::with_capacity(kept + tokens.len());
            out.extend_from_slice(&old_tokens[..kept]);
            out.extend_from_slice(&tokens);
            return out;
        }
        window *= 4;
    }
}
