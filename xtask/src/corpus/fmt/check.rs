//! The checks of `corpus fmt` that need no Erlang: idempotence, comments, parse errors of the output.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use ::fmt::{FormatOptions, Formatted, SourceKind};
use syntax::{FileKind, LexOptions, LineColumn, LineIndex, OtpRelease, ParseOptions, SyntaxKind};

use super::semantics::Semantics;

/// The formatter under test: `fmt::format_text`, or a broken stand-in in tests.
pub(crate) type FormatFn<'a> = dyn Fn(&str, SourceKind, &FormatOptions) -> Formatted + Sync + 'a;

/// How many syntax errors of one output are kept for the report.
const ERRORS_KEPT: usize = 5;

/// What checking one file found.
#[derive(Debug)]
pub(crate) struct FileCheck {
    pub(crate) path: PathBuf,
    pub(crate) bytes: usize,
    /// The file could not be read or decoded, the formatter panicked, or its
    /// output could not be encoded, read back the same, or written.
    pub(crate) failure: Option<String>,
    /// Whether the formatter changed the text.
    pub(crate) changed: bool,
    /// How formatting the output again changed it.
    pub(crate) idempotence: Option<String>,
    /// The first difference between the comments of the input and the output.
    pub(crate) comments: Option<String>,
    /// Syntax errors in the input (the output is held to zero only when this is zero).
    pub(crate) input_errors: usize,
    /// Syntax errors in the output, and the first few as `line:col: message`.
    pub(crate) output_error_count: usize,
    pub(crate) output_errors: Vec<String>,
    /// Forms the formatter kept verbatim, as `line:col: reason`.
    pub(crate) skipped: Vec<String>,
    /// Where the output was written for the Erlang helper.
    pub(crate) formatted_path: Option<PathBuf>,
    /// What the Erlang helper found; `None` until it ran (or when the file failed earlier).
    pub(crate) semantics: Option<Semantics>,
}

/// The checks, by the names the tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// Read, decode, format, encode and write without failing or panicking.
    Runs,
    Idempotent,
    SemanticsKept,
    CommentsKept,
    OutputParses,
}

impl FileCheck {
    /// The checks this file failed.
    pub(crate) fn failed_checks(&self) -> Vec<Check> {
        let mut failed = Vec::new();
        if self.failure.is_some() {
            failed.push(Check::Runs);
        }
        if self.idempotence.is_some() {
            failed.push(Check::Idempotent);
        }
        if self.semantics.as_ref().is_some_and(|s| !s.is_same()) {
            failed.push(Check::SemanticsKept);
        }
        if self.comments.is_some() {
            failed.push(Check::CommentsKept);
        }
        if self.output_parse_failed() {
            failed.push(Check::OutputParses);
        }
        failed
    }

    /// Whether the output has syntax errors where the input had none.
    pub(crate) fn output_parse_failed(&self) -> bool {
        self.input_errors == 0 && self.output_error_count > 0
    }
}

thread_local! {
    /// The message of the last panic on this thread, kept by the hook `fmt::run` sets.
    pub(crate) static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Formats one file, runs the Rust-side checks and writes the output to
/// `out_path` in the file's own encoding.
pub(crate) fn check_file(
    path: &Path,
    release: OtpRelease,
    format: &FormatFn<'_>,
    out_path: &Path,
) -> FileCheck {
    let mut check = FileCheck {
        path: path.to_path_buf(),
        bytes: 0,
        failure: None,
        changed: false,
        idempotence: None,
        comments: None,
        input_errors: 0,
        output_error_count: 0,
        output_errors: Vec::new(),
        skipped: Vec::new(),
        formatted_path: None,
        semantics: None,
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            check.failure = Some(format!("cannot read: {error}"));
            return check;
        }
    };
    check.bytes = bytes.len();
    let (text, encoding) = match syntax::decode_source(&bytes) {
        Ok(decoded) => decoded,
        Err(error) => {
            check.failure = Some(format!("cannot decode: {error}"));
            return check;
        }
    };
    let file_kind = FileKind::from_path(path).unwrap_or(FileKind::Module);
    let kind = SourceKind { file_kind, release };
    let options = FormatOptions::default();

    let first = match format_caught(format, &text, kind, &options) {
        Ok(formatted) => formatted,
        Err(message) => {
            check.failure = Some(format!("the formatter panicked: {message}"));
            return check;
        }
    };
    let output = first.text;
    check.changed = output != *text;
    let input_lines = LineIndex::new(&text);
    check.skipped = first
        .skipped
        .iter()
        .map(|skipped| {
            let LineColumn { line, column } =
                input_lines.line_column(usize::from(skipped.range.start()));
            format!("{line}:{column}: {}", skipped.reason)
        })
        .collect();

    // 1. Idempotence.
    match format_caught(format, &output, kind, &options) {
        Ok(again) => check.idempotence = idempotence_failure(&output, &again.text),
        Err(message) => {
            check.idempotence = Some(format!(
                "the formatter panicked on its own output: {message}"
            ));
        }
    }

    // 2. Comments.
    let lex = LexOptions { release, file_kind };
    check.comments = comment_difference(&text, &output, &lex);

    // 3. Syntax errors of the output, where the input has none.
    let parse_options = ParseOptions { release, file_kind };
    check.input_errors = syntax::parse(&text, &parse_options).errors().len();
    let output_parse = syntax::parse(&output, &parse_options);
    check.output_error_count = output_parse.errors().len();
    let output_lines = LineIndex::new(&output);
    check.output_errors = output_parse
        .errors()
        .iter()
        .take(ERRORS_KEPT)
        .map(|error| {
            let LineColumn { line, column } =
                output_lines.line_column(usize::from(error.range().start()));
            format!("{line}:{column}: {}", error.message())
        })
        .collect();

    // The output for the Erlang helper (semantics), in the input's encoding.
    let encoded = match syntax::encode_source(&output, encoding) {
        Ok(encoded) => encoded,
        Err(error) => {
            check.failure = Some(format!(
                "the output cannot be written in the file's encoding ({encoding:?}): {error}"
            ));
            return check;
        }
    };
    // epp finds the encoding in a `coding:` comment on the first two lines: a
    // formatter that moves it makes the compiler read the output differently.
    match syntax::decode_source(&encoded) {
        Ok((read_back, _)) if read_back == output => {}
        Ok((_, read_as)) => {
            check.failure = Some(format!(
                "the output, written as {encoding:?}, would be read back as {read_as:?} \
                 (did a `coding:` comment move off the first two lines?)"
            ));
            return check;
        }
        Err(error) => {
            check.failure = Some(format!(
                "the output, written as {encoding:?}, would not be readable: {error} \
                 (did a `coding:` comment move off the first two lines?)"
            ));
            return check;
        }
    }
    if let Some(parent) = out_path.parent()
        && let Err(error) = std::fs::create_dir_all(parent)
    {
        check.failure = Some(format!("cannot create {}: {error}", parent.display()));
        return check;
    }
    match std::fs::write(out_path, encoded) {
        Ok(()) => check.formatted_path = Some(out_path.to_path_buf()),
        Err(error) => {
            check.failure = Some(format!("cannot write {}: {error}", out_path.display()));
        }
    }
    check
}

/// A stand-in for the formatter that only moves line breaks: every run of
/// white space between two tokens on one line becomes a line break. Idempotent,
/// and it keeps the code and the comments, so the harness must pass it on every
/// file (`corpus fmt --layout-only`); it shifts nearly every line, which shows
/// that no location leaks into the comparisons.
pub(crate) fn break_lines(text: &str, kind: SourceKind, _: &FormatOptions) -> Formatted {
    let lex = LexOptions {
        release: kind.release,
        file_kind: kind.file_kind,
    };
    let (tokens, _) = syntax::tokenize(text, &lex);
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut offset = 0;
    for token in tokens {
        let piece = &text[offset..offset + token.len as usize];
        if token.kind == SyntaxKind::WHITESPACE && !piece.contains('\n') {
            out.push('\n');
        } else {
            out.push_str(piece);
        }
        offset += token.len as usize;
    }
    Formatted {
        text: out,
        skipped: Vec::new(),
    }
}

/// Runs the formatter, turning a panic into its message.
fn format_caught(
    format: &FormatFn<'_>,
    text: &str,
    kind: SourceKind,
    options: &FormatOptions,
) -> Result<Formatted, String> {
    LAST_PANIC.with(|last| last.borrow_mut().take());
    panic::catch_unwind(AssertUnwindSafe(|| format(text, kind, options))).map_err(|payload| {
        LAST_PANIC
            .with(|last| last.borrow_mut().take())
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".to_owned())
    })
}

/// Where formatting `once` again (giving `twice`) changed it, if it did.
pub(crate) fn idempotence_failure(once: &str, twice: &str) -> Option<String> {
    if once == twice {
        return None;
    }
    let at = first_difference(once.as_bytes(), twice.as_bytes());
    let LineColumn { line, column } = LineIndex::new(once).line_column(at);
    Some(format!(
        "{line}:{column}: formatting the output again changes it: {} became {} \
         ({} bytes, then {})",
        quote_line(once, at),
        quote_line(twice, at),
        once.len(),
        twice.len()
    ))
}

/// The comments of a text: line and text with trailing white space removed
/// (erlfmt strips it; every other character counts).
pub(crate) fn comments(text: &str, lex: &LexOptions) -> Vec<(u32, String)> {
    let (tokens, _) = syntax::tokenize(text, lex);
    let lines = LineIndex::new(text);
    let mut offset = 0;
    let mut found = Vec::new();
    for token in tokens {
        let len = token.len as usize;
        if token.kind == SyntaxKind::COMMENT {
            let comment = text[offset..offset + len].trim_end();
            found.push((lines.line(offset), comment.to_owned()));
        }
        offset += len;
    }
    found
}

/// The first difference between the comments of `input` and `output`, if any.
pub(crate) fn comment_difference(input: &str, output: &str, lex: &LexOptions) -> Option<String> {
    let before = comments(input, lex);
    let after = comments(output, lex);
    let at = before.iter().zip(&after).position(|(a, b)| a.1 != b.1);
    let at = match at {
        Some(at) => at,
        None if before.len() == after.len() => return None,
        None => before.len().min(after.len()),
    };
    let summary = format!("{} comments in, {} out", before.len(), after.len());
    Some(match (before.get(at), after.get(at)) {
        (Some((line, text)), Some((out_line, out_text))) => format!(
            "{line}: comment {} {} became {} (output line {out_line}; {summary})",
            at + 1,
            quote(text),
            quote(out_text)
        ),
        (Some((line, text)), None) => format!(
            "{line}: comment {} {} is missing from the output ({summary})",
            at + 1,
            quote(text)
        ),
        (None, Some((out_line, out_text))) => format!(
            "output line {out_line}: comment {} {} is not in the input ({summary})",
            at + 1,
            quote(out_text)
        ),
        (None, None) => unreachable!("`at` is within the longer list"),
    })
}

pub(crate) fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

/// The line of `text` around byte `at`, quoted and shortened.
fn quote_line(text: &str, at: usize) -> String {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if start == end && at == text.len() {
        return "(end of text)".to_owned();
    }
    quote(&text[start..end])
}

/// `text` in backquotes, shortened to 100 characters, escapes shown.
pub(crate) fn quote(text: &str) -> String {
    const LIMIT: usize = 100;
    let escaped: String = text.escape_debug().collect();
    match escaped.char_indices().nth(LIMIT) {
        Some((i, _)) => format!("`{}...`", &escaped[..i]),
        None => format!("`{escaped}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> LexOptions {
        LexOptions::default()
    }

    #[test]
    fn comments_are_compared_in_order_without_trailing_white_space() {
        let input = "%% a\nf() -> ok. % b  \n% c\n";
        let diff = |output: &str| comment_difference(input, output, &lex());
        assert_eq!(diff("%% a\nf() ->\n    ok. % b\n% c\n"), None);
        assert_eq!(
            diff("%% a\nf() -> ok. % b\n").as_deref(),
            Some("3: comment 3 `% c` is missing from the output (3 comments in, 2 out)")
        );
        assert_eq!(
            diff("f() -> ok.\n% b\n%% a\n% c\n").as_deref(),
            Some("1: comment 1 `%% a` became `% b` (output line 2; 3 comments in, 3 out)")
        );
        assert_eq!(
            diff("%% a\nf() -> ok. % b\n% c\n% d\n").as_deref(),
            Some("output line 4: comment 4 `% d` is not in the input (3 comments in, 4 out)")
        );
        // Leading white space inside a comment counts.
        assert!(comment_difference("%%  a\n", "%% a\n", &lex()).is_some());
        // A `%` inside a string is not a comment.
        assert_eq!(comments("f() -> \"%\".\n", &lex()), []);
    }

    #[test]
    fn idempotence_failures_point_at_the_change() {
        assert_eq!(idempotence_failure("a\nb\n", "a\nb\n"), None);
        assert_eq!(
            idempotence_failure("a\nf()->", "a\nf() ->").as_deref(),
            Some(
                "2:4: formatting the output again changes it: `f()->` became `f() ->` \
                 (7 bytes, then 8)"
            )
        );
        assert_eq!(
            idempotence_failure("a\n", "a\n\n").as_deref(),
            Some(
                "2:1: formatting the output again changes it: (end of text) became `` \
                 (2 bytes, then 3)"
            )
        );
    }
}
