//! The Erlang formatter: erlfmt's style on erlkit's lossless tree.
//!
//! `format_text` never fails and never loses text: a form that does not parse is
//! kept verbatim and reported in `Formatted::skipped`. Each form is lowered from
//! the tree to erlfmt's node shapes (`node`), erlfmt's rules turn them into a
//! document of its layout algebra (`algebra`), and the algebra's printer lays it
//! out. docs/architecture.md has the steps.

pub mod algebra;
mod file;
mod lower;
pub mod node;
mod recomment;
mod rules;
pub mod text;
mod verify;

use syntax::{FileKind, OtpRelease, TextRange};

/// How to format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatOptions {
    /// The line width the printer aims for, in Unicode columns (erlfmt's default: 100).
    pub print_width: u32,
    /// What to do with the `@format` / `@noformat` pragmas.
    pub pragma: PragmaMode,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            print_width: 100,
            pragma: PragmaMode::Respect,
        }
    }
}

/// The `@format` / `@noformat` pragma modes (erlfmt's `--require-pragma`,
/// `--insert-pragma` and `--delete-pragma`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PragmaMode {
    /// Format unless the file says `@noformat`.
    #[default]
    Respect,
    /// Format only files that say `@format`.
    Require,
    /// Format, and add `@format` to files that lack it.
    Insert,
    /// Format, and remove the `@format` pragma.
    Delete,
}

/// What the file is and which syntax applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SourceKind {
    /// Module, header, escript or term file.
    pub file_kind: FileKind,
    /// The OTP release whose syntax applies.
    pub release: OtpRelease,
}

/// A form kept as it was because it does not parse (or is marked to be ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedForm {
    /// Where it is in the input.
    pub range: TextRange,
    /// Why it was kept as it was.
    pub reason: String,
}

/// The result of formatting one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Formatted {
    /// The formatted text.
    pub text: String,
    /// Forms kept verbatim, in order.
    pub skipped: Vec<SkippedForm>,
}

/// Formats a whole file.
pub fn format_text(text: &str, kind: SourceKind, options: &FormatOptions) -> Formatted {
    file::format_file(text, kind, options)
}

// Range formatting, for `erlkit fmt --range` and editors' "format selection".

/// Formats only the top-level forms that overlap `lines` (1-based line numbers,
/// both ends included), keeping every other byte of `text` as it is.
///
/// The whole file is formatted, so that pragmas and everything else that depends
/// on the rest of the file apply as usual; then each form of the input that
/// overlaps the lines is replaced by the same form of the output (the n-th form,
/// a form being a child node of `SOURCE_FILE`). Comments and blank lines between
/// forms are kept as they are. Should the output not have the same forms as the
/// input, nothing is changed and the forms are reported in `skipped`.
pub fn format_range(
    text: &str,
    kind: SourceKind,
    options: &FormatOptions,
    lines: std::ops::RangeInclusive<u32>,
) -> Formatted {
    format_range_with(text, kind, options, lines, format_text)
}

/// [`format_range`] with `format` as the whole-file formatter (callers' tests
/// use a stand-in for [`format_text`]).
pub fn format_range_with(
    text: &str,
    kind: SourceKind,
    options: &FormatOptions,
    lines: std::ops::RangeInclusive<u32>,
    format: impl Fn(&str, SourceKind, &FormatOptions) -> Formatted,
) -> Formatted {
    /// The kind and byte range of each top-level form of `text`.
    fn forms(text: &str, kind: SourceKind) -> Vec<(syntax::SyntaxKind, TextRange)> {
        let options = syntax::ParseOptions {
            release: kind.release,
            file_kind: kind.file_kind,
        };
        syntax::parse(text, &options)
            .syntax_node()
            .children()
            .map(|form| (form.kind(), form.text_range()))
            .collect()
    }

    let unchanged = |skipped: Vec<SkippedForm>| Formatted {
        text: text.to_owned(),
        skipped,
    };
    let index = syntax::LineIndex::new(text);
    let input_forms = forms(text, kind);
    let selected: Vec<usize> = input_forms
        .iter()
        .enumerate()
        .filter(|(_, (_, range))| {
            let start = usize::from(range.start());
            let last = usize::from(range.end()).saturating_sub(1).max(start);
            index.line(start) <= *lines.end() && index.line(last) >= *lines.start()
        })
        .map(|(at, _)| at)
        .collect();
    let (Some(&first), Some(&last)) = (selected.first(), selected.last()) else {
        return unchanged(Vec::new());
    };
    let whole = format(text, kind, options);
    let in_selection = |range: TextRange| {
        selected
            .iter()
            .any(|&at| input_forms[at].1.intersect(range).is_some())
    };
    let skipped: Vec<SkippedForm> = whole
        .skipped
        .iter()
        .filter(|form| in_selection(form.range))
        .cloned()
        .collect();
    if whole.text == text {
        return unchanged(skipped);
    }
    let output_forms = forms(&whole.text, kind);
    let same_forms = input_forms.len() == output_forms.len()
        && input_forms
            .iter()
            .zip(&output_forms)
            .all(|(input, output)| input.0 == output.0);
    if !same_forms {
        return unchanged(vec![SkippedForm {
            range: input_forms[first].1.cover(input_forms[last].1),
            reason: "the formatted file does not have the same forms, so the range cannot be formatted on its own".to_owned(),
        }]);
    }
    let mut result = String::with_capacity(text.len());
    let mut copied_up_to = 0;
    for at in selected {
        let input = input_forms[at].1;
        let output = output_forms[at].1;
        result.push_str(&text[copied_up_to..usize::from(input.start())]);
        result.push_str(&whole.text[output]);
        copied_up_to = usize::from(input.end());
    }
    result.push_str(&text[copied_up_to..]);
    Formatted {
        text: result,
        skipped,
    }
}

#[cfg(test)]
mod format_range_tests {
    use super::{FormatOptions, Formatted, SkippedForm, SourceKind, format_range_with};
    use syntax::{TextRange, TextSize};

    /// A stand-in formatter: one space after every comma, and `@noformat` honoured.
    fn spaced_commas(text: &str, _: SourceKind, _: &FormatOptions) -> Formatted {
        let skipped = match text.find("broken") {
            Some(at) => vec![SkippedForm {
                range: TextRange::at(TextSize::new(at as u32), TextSize::new(6)),
                reason: "syntax error".to_owned(),
            }],
            None => Vec::new(),
        };
        let text = if text.contains("@noformat") {
            text.to_owned()
        } else {
            text.replace(",", ", ").replace(",  ", ", ")
        };
        Formatted { text, skipped }
    }

    fn range(text: &str, lines: std::ops::RangeInclusive<u32>) -> Formatted {
        format_range_with(
            text,
            SourceKind::default(),
            &FormatOptions::default(),
            lines,
            spaced_commas,
        )
    }

    const TEXT: &str =
        "-module(m).\n%% a,b\nf() -> {1,2}.\n\ng() ->\n    [3,4].\nh() -> {5,6}. % x,y\n";

    #[test]
    fn only_the_forms_on_the_lines_change() {
        assert_eq!(
            range(TEXT, 3..=3).text,
            "-module(m).\n%% a,b\nf() -> {1, 2}.\n\ng() ->\n    [3,4].\nh() -> {5,6}. % x,y\n"
        );
        // Line 5 is inside g/0; line 7 holds h/0 (its trailing comment is not part of it).
        assert_eq!(
            range(TEXT, 5..=7).text,
            "-module(m).\n%% a,b\nf() -> {1,2}.\n\ng() ->\n    [3, 4].\nh() -> {5, 6}. % x,y\n"
        );
    }

    #[test]
    fn lines_without_forms_change_nothing() {
        assert_eq!(range(TEXT, 2..=2).text, TEXT);
        assert_eq!(range(TEXT, 4..=4).text, TEXT);
        assert_eq!(range(TEXT, 100..=200).text, TEXT);
    }

    #[test]
    fn file_level_pragmas_apply_to_ranges() {
        let text = "%% @noformat\nf() -> {1,2}.\n";
        assert_eq!(range(text, 1..=2).text, text);
    }

    #[test]
    fn only_skipped_forms_in_the_range_are_reported() {
        let text = "f() -> broken.\ng() -> {1,2}.\n";
        assert_eq!(range(text, 2..=2).skipped, Vec::new());
        assert_eq!(range(text, 1..=1).skipped.len(), 1);
    }

    #[test]
    fn a_formatter_that_changes_the_forms_changes_nothing() {
        let text = "f() -> {1,2}.\n";
        let formatted = format_range_with(
            text,
            SourceKind::default(),
            &FormatOptions::default(),
            1..=1,
            |text: &str, _: SourceKind, _: &FormatOptions| Formatted {
                text: format!("{text}g() -> ok.\n"),
                skipped: Vec::new(),
            },
        );
        assert_eq!(formatted.text, text);
        assert_eq!(formatted.skipped.len(), 1);
        assert_eq!(
            formatted.skipped[0].range,
            TextRange::new(0.into(), 13.into())
        );
    }
}
