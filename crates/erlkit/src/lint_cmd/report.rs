//! What `erlkit lint` reports, as every output format reads it: each finding
//! with its path, positions (in characters and in UTF-16 code units), line
//! text and fingerprint, and the counts.

use std::collections::HashMap;
use std::path::PathBuf;

use ide::{DiagnosticCode, FileRange, LintDiagnostic, Severity};
use syntax::LineIndex;

use super::baseline::{self, BaselineEntry};
use crate::project_load::LoadedProject;

/// A place in a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) line: u32,
    /// In characters, as `erlc` counts.
    pub(crate) column: u32,
    /// In UTF-16 code units, as SARIF counts by default.
    pub(crate) utf16_column: u32,
}

/// A range of a file, located.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// Relative to the project's root when under it, with `/` separators on
    /// every system.
    pub(crate) path: String,
    /// The file's path as loaded (absolute).
    pub(crate) absolute: PathBuf,
    pub(crate) start: Position,
    /// Just after the range.
    pub(crate) end: Position,
    /// Whether `path` is relative to the project's root.
    pub(crate) under_root: bool,
}

/// A related place of a finding, with what it says.
#[derive(Debug, Clone)]
pub(crate) struct Related {
    pub(crate) place: Place,
    pub(crate) message: String,
}

/// A safe fix, located: what it does and its edits.
#[derive(Debug, Clone)]
pub(crate) struct Fix {
    pub(crate) label: String,
    /// Each range to replace, with its new text.
    pub(crate) edits: Vec<(Place, String)>,
}

/// One finding, located.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub(crate) code: DiagnosticCode,
    /// After the levels of `erlkit.toml`.
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) place: Place,
    /// The text of the line the finding starts on, without its line break.
    pub(crate) line_text: String,
    pub(crate) related: Vec<Related>,
    /// Its safe fix, when it has one (what `--fix` applies).
    pub(crate) fix: Option<Fix>,
    /// Matches the finding across runs: a hash of its line's trimmed text and
    /// its occurrence among findings of the same code, file and line text
    /// (see [`baseline`]).
    pub(crate) fingerprint: String,
}

/// Everything a format prints.
#[derive(Debug)]
pub(crate) struct Report {
    /// Sorted by path, then position, then code.
    pub(crate) findings: Vec<Finding>,
    /// How many files were linted.
    pub(crate) files: usize,
    /// What the baseline did, when one was given.
    pub(crate) baseline: Option<BaselineOutcome>,
}

/// What a baseline left out of the report.
#[derive(Debug, Default)]
pub(crate) struct BaselineOutcome {
    /// Findings of this run that are in the baseline (not reported).
    pub(crate) baselined: usize,
    /// Entries of the baseline that no finding of this run matched.
    pub(crate) no_longer_present: Vec<BaselineEntry>,
}

impl Report {
    /// The numbers of errors and warnings reported.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let errors = self
            .findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .count();
        (errors, self.findings.len() - errors)
    }
}

pub(crate) fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

pub(crate) fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `findings` located in their files' texts, with their fingerprints.
pub(crate) fn locate(project: &LoadedProject, findings: Vec<LintDiagnostic>) -> Vec<Finding> {
    // Each file's line index, made once however many findings it has.
    let mut indexes: HashMap<ide::FileId, LineIndex<'_>> = HashMap::new();
    let mut located: Vec<Finding> = findings
        .into_iter()
        .map(|finding| {
            let text = project
                .vfs
                .contents(finding.range.file_id)
                .map_or("", |text| &**text);
            let start = usize::from(finding.range.range.start()).min(text.len());
            let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
            let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            Finding {
                code: finding.code,
                severity: finding.severity,
                message: finding.message,
                place: place(project, finding.range, &mut indexes),
                line_text: text[line_start..line_end].trim_end_matches('\r').to_owned(),
                related: finding
                    .related
                    .into_iter()
                    .map(|related| Related {
                        place: place(project, related.range, &mut indexes),
                        message: related.message,
                    })
                    .collect(),
                fix: finding.fix.map(|fix| Fix {
                    label: fix.label,
                    edits: fix
                        .edits
                        .into_iter()
                        .map(|edit| (place(project, edit.range, &mut indexes), edit.new_text))
                        .collect(),
                }),
                fingerprint: String::new(),
            }
        })
        .collect();
    baseline::assign_fingerprints(&mut located);
    located
}

/// `range` located: its path and positions, with the line indexes of the
/// files met so far in `indexes`.
fn place<'p>(
    project: &'p LoadedProject,
    range: FileRange,
    indexes: &mut HashMap<ide::FileId, LineIndex<'p>>,
) -> Place {
    let absolute = project.vfs.path(range.file_id).to_path_buf();
    let under_root = absolute.starts_with(&project.root);
    let path = shown(project, range.file_id);
    let text = project
        .vfs
        .contents(range.file_id)
        .map_or("", |text| &**text);
    let index = indexes
        .entry(range.file_id)
        .or_insert_with(|| LineIndex::new(text));
    let position = |offset: syntax::TextSize| {
        let offset = usize::from(offset).min(text.len());
        let at = index.line_column(offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
        let units = text
            .get(line_start..offset)
            .map_or(0, |before| before.encode_utf16().count());
        Position {
            line: at.line,
            column: at.column,
            utf16_column: u32::try_from(units + 1).unwrap_or(u32::MAX),
        }
    };
    Place {
        path,
        absolute,
        start: position(range.range.start()),
        end: position(range.range.end()),
        under_root,
    }
}

/// The file's path relative to the project's root when under it, with `/`
/// separators on every system.
pub(crate) fn shown(project: &LoadedProject, file_id: ide::FileId) -> String {
    let path = project.shown(file_id);
    if std::path::MAIN_SEPARATOR == '/' {
        path
    } else {
        path.replace(std::path::MAIN_SEPARATOR, "/")
    }
}
