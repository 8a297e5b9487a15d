//! The lexer's tokens of the file being formatted, read in the order of the text:
//! the run of tokens that covers each form, without walking the form's subtree.

use syntax::{TextRange, Token};

/// A position in the tokens of a file, moving forwards only.
pub(super) struct TokenCursor<'t> {
    tokens: &'t [Token],
    /// The next token not yet passed, and where it starts.
    next: usize,
    offset: usize,
}

impl<'t> TokenCursor<'t> {
    /// A cursor at the start of `tokens`, which cover the text one after the other.
    pub(super) fn new(tokens: &'t [Token]) -> TokenCursor<'t> {
        TokenCursor {
            tokens,
            next: 0,
            offset: 0,
        }
    }

    /// The tokens that cover exactly `range`, and where the first one starts;
    /// `None` if `range` starts before the last range asked for, or does not
    /// start and end between tokens.
    pub(super) fn covering(&mut self, range: TextRange) -> Option<(&'t [Token], usize)> {
        let start = usize::from(range.start());
        let first = self.advance_to(start)?;
        let last = self.advance_to(usize::from(range.end()))?;
        Some((&self.tokens[first..last], start))
    }

    /// Passes the tokens before `offset`; the index of the token there, if one
    /// starts there.
    fn advance_to(&mut self, offset: usize) -> Option<usize> {
        while self.offset < offset
            && let Some(token) = self.tokens.get(self.next)
        {
            self.offset += token.len as usize;
            self.next += 1;
        }
        (self.offset == offset).then_some(self.next)
    }
}

#[cfg(test)]
mod tests {
    use super::TokenCursor;
    use syntax::{LexOptions, TextRange, TextSize, tokenize};

    fn range(start: u32, end: u32) -> TextRange {
        TextRange::new(TextSize::new(start), TextSize::new(end))
    }

    #[test]
    fn runs_of_tokens_cover_ranges_in_order() {
        let text = "a() -> 1.\nb() -> 2.\n";
        let (tokens, _) = tokenize(text, &LexOptions::default());
        let mut cursor = TokenCursor::new(&tokens);
        let kinds = |run: Option<(&[syntax::Token], usize)>| {
            run.map(|(tokens, start)| (tokens.len(), start))
        };
        // `a() -> 1.` is a ( ) ws -> ws 1 . : 8 tokens.
        assert_eq!(kinds(cursor.covering(range(0, 9))), Some((8, 0)));
        // Not between tokens: 15 is inside `->`.
        assert_eq!(kinds(cursor.covering(range(15, 19))), None);
        assert_eq!(kinds(cursor.covering(range(0, 9))), None);
        let mut cursor = TokenCursor::new(&tokens);
        assert_eq!(kinds(cursor.covering(range(10, 19))), Some((8, 10)));
    }
}
