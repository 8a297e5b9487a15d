//! A module's text after preprocessing: the tokens of its forms written out
//! again (macros expanded, included forms in place, inactive branches gone) and
//! parsed, with a map from every token of that text back to its [`Origin`].

use syntax::{FileKind, OtpRelease, Parse, ParseOptions, SyntaxKind, TextRange, TextSize};

use crate::preprocessor::{Origin, PpForm, Preprocessed};

/// The expanded text of a module, its parse, and where each token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedModule {
    text: String,
    /// The start of each token in `text`, increasing.
    starts: Vec<TextSize>,
    origins: Vec<Origin>,
    parse: Parse,
    /// What else the preprocessor found (its `forms` are empty: they are
    /// the text).
    preprocessed: Preprocessed,
}

impl ExpandedModule {
    /// Writes `forms` out, one per line, and parses the result; keeps the rest
    /// of what the preprocessor found.
    pub fn new(
        forms: &[PpForm],
        release: OtpRelease,
        preprocessed: Preprocessed,
    ) -> ExpandedModule {
        let mut text = String::new();
        let mut starts = Vec::new();
        let mut origins = Vec::new();
        for form in forms {
            let last = form.tokens.len().saturating_sub(1);
            for (index, token) in form.tokens.iter().enumerate() {
                starts.push(TextSize::of(text.as_str()));
                origins.push(token.origin);
                text.push_str(&token.text);
                // A `.` inside a form (`R#rec.field`) must not be followed by
                // white space, or it would end the form.
                let inner_dot = token.kind == SyntaxKind::DOT && index != last;
                if index != last && !inner_dot {
                    text.push(' ');
                }
            }
            text.push('\n');
        }
        let parse = syntax::parse(
            &text,
            &ParseOptions {
                release,
                file_kind: FileKind::Module,
            },
        );
        ExpandedModule {
            text,
            starts,
            origins,
            parse,
            preprocessed,
        }
    }

    /// The preprocessor's diagnostics, includes, macro definitions and calls.
    pub fn preprocessed(&self) -> &Preprocessed {
        &self.preprocessed
    }

    /// The expanded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parse of the expanded text.
    pub fn parse(&self) -> &Parse {
        &self.parse
    }

    /// Each token of the expanded text with where it came from, in order.
    pub fn tokens(&self) -> impl Iterator<Item = (&str, Origin)> + '_ {
        self.tokens_with_offsets()
            .map(|(_, text, origin)| (text, origin))
    }

    /// Each token of the expanded text with its offset there and where it
    /// came from, in order.
    pub fn tokens_with_offsets(&self) -> impl Iterator<Item = (TextSize, &str, Origin)> + '_ {
        self.starts.iter().enumerate().map(|(index, &start)| {
            let end = self
                .starts
                .get(index + 1)
                .copied()
                .unwrap_or(TextSize::of(self.text.as_str()));
            let text = self.text[TextRange::new(start, end)].trim_end();
            (start, text, self.origins[index])
        })
    }

    /// Where the token at `offset` of the expanded text came from.
    pub fn origin_at(&self, offset: TextSize) -> Option<Origin> {
        let index = self.starts.partition_point(|&start| start <= offset);
        index.checked_sub(1).map(|i| self.origins[i])
    }

    /// Where the text at `range` of the expanded text came from: the origin
    /// of its first token, widened to its last when both are in one file.
    pub fn origin_of(&self, range: TextRange) -> Option<Origin> {
        let first = self.origin_at(range.start())?;
        let end = range
            .end()
            .checked_sub(TextSize::from(1))
            .unwrap_or(range.start());
        let last = self.origin_at(end.max(range.start()))?;
        let mut origin = first;
        if last.file == first.file
            && last.range.end() >= first.range.start()
            && !(first.from_macro && last.from_macro && first.range == last.range)
        {
            origin.range = first.range.cover(last.range);
        }
        Some(origin)
    }
}
