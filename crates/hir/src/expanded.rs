//! A module's text after preprocessing: the tokens of its forms written out
//! again (macros expanded, included forms in place, inactive branches gone) and
//! parsed, with a map from every token of that text back to its [`Origin`].

use std::sync::Arc;

use syntax::{FileKind, OtpRelease, Parse, ParseOptions, SyntaxKind, TextRange, TextSize};

use std::ops::Range;

use base_db::FileId;

use crate::background_drop::DropInBackground;
use crate::preprocessor::incremental::{moved, shifted};
use crate::preprocessor::{
    FormsPatch, Include, MacroCall, MacroDefSite, MacroDefinition, MainForm, Origin, PpDiagnostic,
    PpForm, Preprocessed,
};

/// The expanded text of a module, its parse, and where each token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandedModule {
    text: Arc<str>,
    /// The start of each token in `text`, increasing.
    starts: Vec<TextSize>,
    origins: Vec<Origin>,
    /// The index of each form's first token, and then the number of tokens.
    form_starts: Vec<u32>,
    /// Freed on a thread of its own (see [`DropInBackground`]).
    parse: DropInBackground<Parse>,
    /// What else the preprocessor found (its `forms` are empty: they are
    /// the text).
    preprocessed: Preprocessed,
}

/// Writes forms out as text, one per line, noting where each token went.
#[derive(Default)]
struct FormWriter {
    text: String,
    starts: Vec<TextSize>,
    origins: Vec<Origin>,
    form_starts: Vec<u32>,
}

impl FormWriter {
    fn write(&mut self, forms: &[PpForm]) {
        // Sized once: the text of a large module is megabytes.
        let tokens: usize = forms.iter().map(|form| form.tokens.len()).sum();
        let text: usize = forms
            .iter()
            .flat_map(|form| &form.tokens)
            .map(|token| token.text.len() + 1)
            .sum();
        self.text.reserve(text);
        self.starts.reserve(tokens);
        self.origins.reserve(tokens);
        self.form_starts.reserve(forms.len() + 1);
        for form in forms {
            self.form_starts.push(self.starts.len() as u32);
            let last = form.tokens.len().saturating_sub(1);
            for (index, token) in form.tokens.iter().enumerate() {
                self.starts.push(TextSize::of(self.text.as_str()));
                self.origins.push(token.origin);
                self.text.push_str(&token.text);
                // A `.` inside a form (`R#rec.field`) must not be followed by
                // white space, or it would end the form.
                let inner_dot = token.kind == SyntaxKind::DOT && index != last;
                let tight = form
                    .tokens
                    .get(index + 1)
                    .is_some_and(|next| hugs(token.kind, next.kind));
                if index != last && !inner_dot && !tight {
                    self.text.push(' ');
                }
            }
            self.text.push('\n');
        }
    }
}

/// Whether `next` is written right after `token`, without a space: around
/// brackets and commas, which lex alone whatever touches them. Fewer spaces
/// make the text quicker to lex and its tree smaller. Not after a character
/// literal (`$\\x` then `{`) or an error token, which could read on.
fn hugs(token: SyntaxKind, next: SyntaxKind) -> bool {
    let alone = |kind| {
        matches!(
            kind,
            SyntaxKind::L_PAREN
                | SyntaxKind::R_PAREN
                | SyntaxKind::L_BRACK
                | SyntaxKind::R_BRACK
                | SyntaxKind::L_CURLY
                | SyntaxKind::R_CURLY
                | SyntaxKind::COMMA
        )
    };
    let reads_on = |kind| matches!(kind, SyntaxKind::CHAR | SyntaxKind::ERROR);
    (alone(token) || alone(next)) && !reads_on(token) && !reads_on(next)
}

impl ExpandedModule {
    /// Writes `forms` out, one per line, and parses the result; keeps the rest
    /// of what the preprocessor found.
    pub fn new(
        forms: &[PpForm],
        release: OtpRelease,
        preprocessed: Preprocessed,
    ) -> ExpandedModule {
        ExpandedModule::with_parser(forms, preprocessed, |text| {
            syntax::parse(
                text,
                &ParseOptions {
                    release,
                    file_kind: FileKind::Module,
                },
            )
        })
    }

    /// [`ExpandedModule::new`] with the text parsed by `parse` (a module's, for
    /// `release`), which may start from an earlier parse.
    pub fn with_parser(
        forms: &[PpForm],
        preprocessed: Preprocessed,
        parse: impl FnOnce(&Arc<str>) -> Parse,
    ) -> ExpandedModule {
        let mut writer = FormWriter::default();
        writer.write(forms);
        writer.form_starts.push(writer.starts.len() as u32);
        ExpandedModule::assemble(writer, preprocessed, parse)
    }

    /// The module whose text, token starts and origins `written` holds (with
    /// the final entry of its form starts), parsed by `parse`.
    fn assemble(
        written: FormWriter,
        preprocessed: Preprocessed,
        parse: impl FnOnce(&Arc<str>) -> Parse,
    ) -> ExpandedModule {
        let text: Arc<str> = Arc::from(written.text);
        let parse = parse(&text);
        ExpandedModule {
            text,
            starts: written.starts,
            origins: written.origins,
            form_starts: written.form_starts,
            parse: DropInBackground::new(parse),
            preprocessed,
        }
    }

    /// This module after an edit to its own file (`file`) that `patch`
    /// describes: the forms the edit touched in place of the old ones, and
    /// the positions after them moved. Equal to what preprocessing the edited
    /// file from scratch gives.
    pub fn patched(
        &self,
        file: FileId,
        patch: FormsPatch,
        parse: impl FnOnce(&Arc<str>) -> Parse,
    ) -> ExpandedModule {
        let FormsPatch {
            replaced,
            moved_from,
            delta,
            preprocessed: region,
        } = patch;
        let old = &self.preprocessed;
        let move_origin = |origin: Origin| {
            if origin.file == file {
                Origin {
                    range: moved(origin.range, moved_from, delta),
                    ..origin
                }
            } else {
                origin
            }
        };
        let move_site = |site: MacroDefSite| {
            if site.file == file {
                MacroDefSite {
                    range: moved(site.range, moved_from, delta),
                    ..site
                }
            } else {
                site
            }
        };
        // What the replaced forms gave, in each list (empty ranges where the
        // next form's start when none is replaced).
        let lists = |of: fn(&MainForm) -> &Range<u32>, len: usize| -> Range<usize> {
            let forms = &old.main_forms[replaced.clone()];
            match (forms.first(), forms.last()) {
                (Some(first), Some(last)) => of(first).start as usize..of(last).end as usize,
                _ => {
                    let at = old
                        .main_forms
                        .get(replaced.start)
                        .map_or(len, |next| of(next).start as usize);
                    at..at
                }
            }
        };
        let form_count = self.form_starts.len() - 1;
        let forms = lists(|form| &form.forms, form_count);
        let calls = lists(|form| &form.macro_calls, old.macro_calls.len());
        let diagnostics = lists(|form| &form.diagnostics, old.diagnostics.len());

        // The text: the replaced forms' tokens give way to the region's.
        let tokens = self.form_starts[forms.start] as usize..self.form_starts[forms.end] as usize;
        let text_at = |token: usize| {
            self.starts
                .get(token)
                .map_or(self.text.len(), |&start| usize::from(start))
        };
        let (text_start, text_end) = (text_at(tokens.start), text_at(tokens.end));
        let mut piece = FormWriter::default();
        piece.write(&region.forms);
        let mut text = String::with_capacity(self.text.len() + piece.text.len());
        text.push_str(&self.text[..text_start]);
        text.push_str(&piece.text);
        text.push_str(&self.text[text_end..]);
        let text_delta = piece.text.len() as i64 - (text_end - text_start) as i64;
        let start_of_piece = TextSize::from(text_start as u32);
        let starts: Vec<TextSize> = self.starts[..tokens.start]
            .iter()
            .copied()
            .chain(piece.starts.iter().map(|&start| start + start_of_piece))
            .chain(
                self.starts[tokens.end..]
                    .iter()
                    .map(|&start| shifted(start, text_delta)),
            )
            .collect();
        let origins: Vec<Origin> = self.origins[..tokens.start]
            .iter()
            .copied()
            .map(move_origin)
            .chain(piece.origins.iter().copied())
            .chain(self.origins[tokens.end..].iter().copied().map(move_origin))
            .collect();
        let token_delta = piece.starts.len() as i64 - tokens.len() as i64;
        let form_starts: Vec<u32> = self.form_starts[..forms.start]
            .iter()
            .copied()
            .chain(
                piece
                    .form_starts
                    .iter()
                    .map(|&start| start + tokens.start as u32),
            )
            .chain(
                self.form_starts[forms.end..]
                    .iter()
                    .map(|&start| (i64::from(start) + token_delta) as u32),
            )
            .collect();

        // The rest of what the preprocessor found, spliced and moved alike.
        let move_call = |call: &MacroCall| MacroCall {
            origin: move_origin(call.origin),
            definition: call.definition.map(move_site),
            ..call.clone()
        };
        let move_diagnostic = |diagnostic: &PpDiagnostic| PpDiagnostic {
            origin: move_origin(diagnostic.origin),
            ..diagnostic.clone()
        };
        let offset = |range: &Range<u32>, by: usize| range.start + by as u32..range.end + by as u32;
        let counts_delta = |new: usize, old: &Range<usize>| new as i64 - old.len() as i64;
        let (forms_delta, calls_delta, diagnostics_delta) = (
            counts_delta(region.forms.len(), &forms),
            counts_delta(region.macro_calls.len(), &calls),
            counts_delta(region.diagnostics.len(), &diagnostics),
        );
        let moved_range = |range: &Range<u32>, by: i64| {
            (i64::from(range.start) + by) as u32..(i64::from(range.end) + by) as u32
        };
        let main_forms = old.main_forms[..replaced.start]
            .iter()
            .cloned()
            .chain(region.main_forms.iter().map(|form| MainForm {
                forms: offset(&form.forms, forms.start),
                macro_calls: offset(&form.macro_calls, calls.start),
                diagnostics: offset(&form.diagnostics, diagnostics.start),
                ..form.clone()
            }))
            .chain(old.main_forms[replaced.end..].iter().map(|form| MainForm {
                span: moved(form.span, moved_from, delta),
                forms: moved_range(&form.forms, forms_delta),
                macro_calls: moved_range(&form.macro_calls, calls_delta),
                diagnostics: moved_range(&form.diagnostics, diagnostics_delta),
                ..form.clone()
            }))
            .collect();
        let preprocessed = Preprocessed {
            forms: Vec::new(),
            diagnostics: old.diagnostics[..diagnostics.start]
                .iter()
                .map(move_diagnostic)
                .chain(region.diagnostics.iter().cloned())
                .chain(
                    old.diagnostics[diagnostics.end..]
                        .iter()
                        .map(move_diagnostic),
                )
                .collect(),
            includes: old
                .includes
                .iter()
                .map(|include| Include {
                    origin: move_origin(include.origin),
                    ..include.clone()
                })
                .collect(),
            definitions: old
                .definitions
                .iter()
                .map(|definition| MacroDefinition {
                    site: move_site(definition.site),
                    ..definition.clone()
                })
                .collect(),
            macro_calls: old.macro_calls[..calls.start]
                .iter()
                .map(move_call)
                .chain(region.macro_calls.iter().cloned())
                .chain(old.macro_calls[calls.end..].iter().map(move_call))
                .collect(),
            main_forms,
        };
        ExpandedModule::assemble(
            FormWriter {
                text,
                starts,
                origins,
                form_starts,
            },
            preprocessed,
            parse,
        )
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
                .unwrap_or(TextSize::of(&*self.text));
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
