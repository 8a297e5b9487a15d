//! Inline suppressions: a `% erlkit:ignore CODES REASON` comment on the line
//! before a finding removes it, and a suppression that is not right (no
//! reason, an unknown code, one that suppresses nothing) is itself a finding,
//! W2901 `bad-suppression`.
//!
//! The grammar: a comment of its own line (any number of `%`), then
//! `erlkit:ignore`, then one or more codes or names separated by commas
//! (`W2101,W2103` or `W2101, unused-variable`), then the reason, which is the
//! rest of the comment. It applies to the first line after it that is not
//! itself such a comment, so several can be stacked above one line.
//!
//! A module's findings inside a header are suppressed by the comments in the
//! header. Whether a header's suppression is used can only be told from every
//! module that includes it, so for headers only malformed suppressions (no
//! code, no reason, an unknown code, not on a line of its own) are reported.

use std::collections::HashMap;

use base_db::{SourceDatabase, SourceFile};
use syntax::{LexOptions, SyntaxKind, TextRange, TextSize};

use super::{DiagnosticCode, LintDiagnostic};
use crate::{FileId, FileRange};

/// The word that starts a suppression inside a comment.
const MARKER: &str = "erlkit:ignore";

/// Which bad suppressions of a file are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reporting {
    /// All of them, those that suppress nothing included: the module linted.
    All,
    /// Only malformed ones: a header, whose suppressions other modules may use.
    Malformed,
}

/// `found`, the findings of linting module `file` (some of them inside its
/// headers), without those the `erlkit:ignore` comments of their file
/// suppress, and with a W2901 finding for each bad suppression.
pub(crate) fn apply_suppressions(
    db: &dyn SourceDatabase,
    file: SourceFile,
    headers: &[(FileId, SourceFile)],
    found: Vec<LintDiagnostic>,
) -> Vec<LintDiagnostic> {
    let file_id = *file.file_id(db);
    let files = std::iter::once((file_id, file, Reporting::All)).chain(
        headers
            .iter()
            .map(|&(id, header)| (id, header, Reporting::Malformed)),
    );
    let mut by_file: HashMap<FileId, Vec<LintDiagnostic>> = HashMap::new();
    for finding in found {
        by_file
            .entry(finding.range.file_id)
            .or_default()
            .push(finding);
    }
    let mut result = Vec::new();
    for (id, source, reporting) in files {
        let findings = by_file.remove(&id).unwrap_or_default();
        let options = LexOptions {
            release: *source.release(db),
            file_kind: *source.kind(db),
        };
        result.extend(suppress(source.text(db), &options, id, findings, reporting));
    }
    // Findings in files that are not the module's includes (none are expected).
    result.extend(by_file.into_values().flatten());
    result
}

/// `findings`, all in the file `file_id` whose text is `text`, without those
/// its `erlkit:ignore` comments suppress, and with a W2901 finding for each
/// bad suppression that `reporting` asks for.
pub(crate) fn suppress(
    text: &str,
    options: &LexOptions,
    file_id: FileId,
    mut findings: Vec<LintDiagnostic>,
    reporting: Reporting,
) -> Vec<LintDiagnostic> {
    if !text.contains(MARKER) {
        return findings;
    }
    let lines = LineStarts::new(text);
    let mut directives = directives(text, options, &lines);
    let mut problems: Vec<(TextRange, String)> = Vec::new();
    for directive in &directives {
        if !directive.own_line {
            problems.push((
                directive.range,
                format!("{MARKER} must stand on a line of its own, above the line it is for"),
            ));
        }
        for (name, range) in &directive.unknown {
            problems.push((
                *range,
                format!("unknown code '{name}' in {MARKER}; `erlkit explain` lists the codes"),
            ));
        }
        if directive.codes.is_empty() && directive.unknown.is_empty() {
            problems.push((
                directive.range,
                format!("{MARKER} names no code: write the codes, then the reason"),
            ));
        } else if !directive.has_reason {
            problems.push((
                directive.range,
                format!("{MARKER} gives no reason: write why after the codes"),
            ));
        }
    }
    // Each own-line directive applies to the first line after it that does
    // not hold another one.
    let stacked: Vec<u32> = directives
        .iter()
        .filter(|directive| directive.own_line)
        .map(|directive| directive.line)
        .collect();
    for directive in &mut directives {
        if !directive.own_line {
            continue;
        }
        let mut target = directive.line + 1;
        while stacked.contains(&target) {
            target += 1;
        }
        directive.target = Some(target);
    }
    findings.retain(|finding| {
        let line = lines.line_of(finding.range.range.start());
        let mut suppressed = false;
        for directive in &mut directives {
            if directive.target != Some(line) {
                continue;
            }
            for (code, _, used) in &mut directive.codes {
                if *code == finding.code {
                    *used = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    if reporting == Reporting::All {
        for directive in &directives {
            if directive.target.is_none() {
                continue;
            }
            for (code, range, used) in &directive.codes {
                if !used {
                    problems.push((
                        *range,
                        format!(
                            "{MARKER} {code} suppresses nothing: there is no {code} {} on the next line",
                            code.name()
                        ),
                    ));
                }
            }
        }
    }
    findings.extend(problems.into_iter().map(|(range, message)| {
        LintDiagnostic::new(
            DiagnosticCode::BadSuppression,
            FileRange { file_id, range },
            message,
        )
    }));
    findings
}

/// One `erlkit:ignore` comment, read.
#[derive(Debug)]
struct Directive {
    /// The comment, without trailing whitespace.
    range: TextRange,
    /// Its 0-based line.
    line: u32,
    /// Whether only whitespace is before it on its line.
    own_line: bool,
    /// The codes it names, where each is written, and whether it suppressed something.
    codes: Vec<(DiagnosticCode, TextRange, bool)>,
    /// The words in the place of codes that are no code.
    unknown: Vec<(String, TextRange)>,
    has_reason: bool,
    /// The 0-based line it applies to (own-line directives only).
    target: Option<u32>,
}

/// Every `erlkit:ignore` comment of `text`.
fn directives(text: &str, options: &LexOptions, lines: &LineStarts) -> Vec<Directive> {
    let (tokens, _) = syntax::tokenize(text, options);
    let mut found = Vec::new();
    let mut offset = 0usize;
    for token in tokens {
        let start = offset;
        offset += token.len as usize;
        if token.kind != SyntaxKind::COMMENT {
            continue;
        }
        let Some(comment) = text.get(start..offset) else {
            continue;
        };
        if let Some(directive) = directive(text, comment, start, lines) {
            found.push(directive);
        }
    }
    found
}

/// The comment `comment`, at byte `start` of `text`, read as a directive;
/// `None` when it is an ordinary comment.
fn directive(text: &str, comment: &str, start: usize, lines: &LineStarts) -> Option<Directive> {
    let body = comment.trim_start_matches('%');
    let body_start = comment.len() - body.len();
    let after_space = body.trim_start();
    let marker_at = body_start + (body.len() - after_space.len());
    let rest = after_space.strip_prefix(MARKER)?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let comment = comment.trim_end();
    let at =
        |from: usize, to: usize| TextRange::new(offset_size(start + from), offset_size(start + to));
    let line = lines.line_of(offset_size(start));
    let line_start = lines.start_of(line);
    let own_line = text[line_start..start].trim().is_empty();
    let mut codes = Vec::new();
    let mut unknown = Vec::new();
    // Words up to the first that does not end in a comma are codes.
    let mut position = marker_at + MARKER.len();
    loop {
        let rest = &comment[position..];
        let word_start = position + (rest.len() - rest.trim_start().len());
        if word_start >= comment.len() {
            position = comment.len();
            break;
        }
        let word_end = comment[word_start..]
            .find(char::is_whitespace)
            .map_or(comment.len(), |n| word_start + n);
        let word = &comment[word_start..word_end];
        let mut part_start = word_start;
        for part in word.split(',') {
            let part_range = at(part_start, part_start + part.len());
            part_start += part.len() + 1;
            if part.is_empty() {
                continue;
            }
            match DiagnosticCode::from_code_or_name(part) {
                Some(code) => codes.push((code, part_range, false)),
                None => unknown.push((part.to_owned(), part_range)),
            }
        }
        position = word_end;
        if !word.ends_with(',') {
            break;
        }
    }
    let has_reason = !comment[position..].trim().is_empty();
    Some(Directive {
        range: at(0, comment.len()),
        line,
        own_line,
        codes,
        unknown,
        has_reason,
        target: None,
    })
}

fn offset_size(offset: usize) -> TextSize {
    TextSize::from(u32::try_from(offset).unwrap_or(u32::MAX))
}

/// The byte offset where each line starts.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'\n')
                .map(|(at, _)| at + 1),
        );
        LineStarts(starts)
    }

    /// The 0-based line of `offset`.
    fn line_of(&self, offset: TextSize) -> u32 {
        let offset = usize::from(offset);
        let line = self.0.partition_point(|&start| start <= offset) - 1;
        u32::try_from(line).unwrap_or(u32::MAX)
    }

    fn start_of(&self, line: u32) -> usize {
        self.0.get(line as usize).copied().unwrap_or(0)
    }
}
