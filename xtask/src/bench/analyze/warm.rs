//! The warm part of `bench analyze`: what an editor waits for after a
//! keystroke. OTP is loaded in this process through `project_load` as
//! `erlkit analyze --otp` loads it, every file's diagnostics and every
//! module's summary are asked once, and then one-line edits inside function
//! bodies are applied with `AnalysisHost::apply_change` (the file's own path,
//! kind and library flag, or as a project's file on request), each timed
//! until the edited file's preprocessor diagnostics, module summary and syntax
//! diagnostics are answered again. Before its edits a file is opened as in an
//! editor: its answers are asked once (the `open` column). The edited modules
//! are OTP's largest, those at the 90th percentile of size and those at the
//! median, each module edited in rounds, the kinds of edit in turn.

use std::cmp::Reverse;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use ide::{AnalysisHost, Change, FileChange};
use project_load::{LoadOptions, LoadedFile, LoadedProject};
use project_model::layout::AppOrigin;
use rayon::prelude::*;
use syntax::{FileKind, NodeOrToken, OtpRelease, ParseOptions, SyntaxKind, SyntaxNode};

use super::super::memory;
use super::super::parse::{megabytes, seconds};
use super::{WARM_BAR, median};

/// The paths of OTP's modules as the loader finds them (what `erlkit analyze
/// --otp` analyses on a project without modules of its own).
pub(super) fn otp_module_paths(empty: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let project = load_otp(empty)?;
    Ok(project
        .files
        .iter()
        .filter(|file| file.kind == FileKind::Module && file.origin == AppOrigin::Otp)
        .map(|file| project.vfs.path(file.file_id).to_path_buf())
        .collect())
}

/// The project at `empty` (no modules of its own) with OTP's applications.
fn load_otp(empty: &Path) -> anyhow::Result<LoadedProject> {
    let project = project_load::load_project(empty, LoadOptions::default())
        .with_context(|| format!("loading {} with OTP", empty.display()))?;
    for warning in &project.warnings {
        eprintln!("xtask bench: warning from the loader: {warning}");
    }
    if project.otp_apps.is_empty() {
        bail!("the loader found no OTP installation (`erl` on PATH)");
    }
    Ok(project)
}

/// The kinds of one-line edits, taken in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditKind {
    /// A line `_ = N,` before the first expression of a clause body.
    InsertLine,
    /// An integer literal in a function body, plus N.
    ChangeInteger,
}

/// Where an edit goes: `delete` bytes at `offset` are replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    offset: usize,
    delete: usize,
    replacement: Replacement,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Replacement {
    /// A new line `_ = N,` with this indentation.
    Line { indent: String },
    /// The integer literal `value`, made `value + N`.
    Integer { value: u32 },
}

impl Edit {
    fn kind(&self) -> EditKind {
        match self.replacement {
            Replacement::Line { .. } => EditKind::InsertLine,
            Replacement::Integer { .. } => EditKind::ChangeInteger,
        }
    }

    /// `text` with the edit made with `n` (each round of an edit differs from
    /// the one before).
    fn apply(&self, text: &str, n: u32) -> String {
        let insert = match &self.replacement {
            Replacement::Line { indent } => format!("{indent}_ = {n},\n"),
            Replacement::Integer { value } => (u64::from(*value) + u64::from(n)).to_string(),
        };
        let mut out = String::with_capacity(text.len() + insert.len());
        out.push_str(&text[..self.offset]);
        out.push_str(&insert);
        out.push_str(&text[self.offset + self.delete..]);
        out
    }
}

/// The times of one round of an edit.
#[derive(Debug, Clone, Copy)]
struct Sample {
    apply: Duration,
    /// The preprocessor diagnostics (asked first).
    preprocess: Duration,
    /// The module summary (asked next).
    summarise: Duration,
    /// The syntax diagnostics (asked last).
    syntax: Duration,
}

impl Sample {
    fn total(&self) -> Duration {
        self.apply + self.answer()
    }

    fn answer(&self) -> Duration {
        self.preprocess + self.summarise + self.syntax
    }
}

/// One module's edit, measured in rounds.
struct EditRow {
    /// The answers asked once when the file is opened, before the edits.
    open: Duration,
    module: String,
    lines: usize,
    line: usize,
    kind: EditKind,
    /// Which group of modules by size ([`GROUPS`]).
    group: usize,
    samples: Vec<Sample>,
    /// Syntax errors after the edit minus before, the most of any round (0
    /// for a good edit).
    new_syntax_errors: isize,
    functions: usize,
}

impl EditRow {
    /// The median of a figure over the rounds.
    fn median(&self, figure: impl Fn(&Sample) -> Duration) -> Duration {
        median(self.samples.iter().map(figure))
    }

    fn total(&self) -> Duration {
        self.median(Sample::total)
    }

    fn answer(&self) -> Duration {
        self.median(Sample::answer)
    }
}

pub(super) fn run(
    empty: &Path,
    edits: usize,
    rounds: u32,
    as_project_files: bool,
) -> anyhow::Result<()> {
    println!();
    println!(
        "== warm: OTP loaded in this process through project_load, every file analysed once, then one-line edits to {edits} modules of each group, {rounds} rounds each"
    );
    println!(
        "the edited files are set as {}",
        if as_project_files {
            "a project's own files (library: false, low durability; --edits-as-project-files)"
        } else {
            "loaded: OTP's, library files of high durability"
        }
    );
    let started = Instant::now();
    let mut project = load_otp(empty)?;
    let load_time = started.elapsed();
    let files: Vec<LoadedFile> = project
        .files
        .iter()
        .filter(|file| file.origin == AppOrigin::Otp)
        .cloned()
        .collect();
    let started = Instant::now();
    first_answers(&mut project.host, &files)?;
    let first_time = started.elapsed();
    println!(
        "load {} ({} files, {} read), first answers for every file {}; RSS then {}",
        seconds(load_time),
        files.len(),
        megabytes(project.bytes),
        seconds(first_time),
        memory::resident().map_or("-".to_owned(), megabytes),
    );

    let mut modules: Vec<&LoadedFile> = files
        .iter()
        .filter(|file| file.kind == FileKind::Module)
        .collect();
    modules.sort_by_key(|file| {
        Reverse(
            project
                .vfs
                .contents(file.file_id)
                .map_or(0, |text| text.len()),
        )
    });
    let mut rows: Vec<EditRow> = Vec::new();
    let mut edited = std::collections::HashSet::new();
    for (group, (_, rank)) in GROUPS.iter().enumerate() {
        let start = (modules.len() as f64 * rank) as usize;
        let mut in_group = 0;
        for &file in &modules[start.min(modules.len())..] {
            if in_group == edits {
                break;
            }
            if !edited.insert(file.file_id) {
                continue;
            }
            let wanted = if in_group % 2 == 0 {
                EditKind::InsertLine
            } else {
                EditKind::ChangeInteger
            };
            let text = project
                .vfs
                .contents(file.file_id)
                .cloned()
                .unwrap_or_default();
            let Some(edit) = find_edit(&text, project.release, wanted)
                .or_else(|| find_edit(&text, project.release, EditKind::InsertLine))
            else {
                continue;
            };
            rows.push(measure_edit(
                &mut project,
                file,
                &text,
                &edit,
                rounds,
                as_project_files,
                group,
            )?);
            in_group += 1;
        }
    }
    if rows.is_empty() {
        bail!("no module of OTP had a place for an edit");
    }

    println!(
        "{:<36} {:>6} {:>7} {:<15} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "module",
        "lines",
        "at line",
        "edit",
        "functions",
        "open",
        "apply",
        "prepr.",
        "summary",
        "syntax",
        "total"
    );
    for (group, (name, _)) in GROUPS.iter().enumerate() {
        println!("{name}:");
        for row in rows.iter().filter(|row| row.group == group) {
            println!(
                "  {:<34} {:>6} {:>7} {:<15} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}{}",
                row.module,
                row.lines,
                row.line,
                match row.kind {
                    EditKind::InsertLine => "insert `_ = N,`",
                    EditKind::ChangeInteger => "integer + N",
                },
                row.functions,
                millis(row.open),
                millis(row.median(|sample| sample.apply)),
                millis(row.median(|sample| sample.preprocess)),
                millis(row.median(|sample| sample.summarise)),
                millis(row.median(|sample| sample.syntax)),
                millis(row.total()),
                if row.new_syntax_errors == 0 {
                    String::new()
                } else {
                    format!("   ({:+} syntax errors!)", row.new_syntax_errors)
                }
            );
        }
    }
    println!(
        "open: the answers asked once when the file is opened; then apply_change and the three answers (total), and the answers alone; of each edit the median of its {rounds} rounds:"
    );
    for (group, (name, _)) in GROUPS.iter().enumerate() {
        let group_rows: Vec<&EditRow> = rows.iter().filter(|row| row.group == group).collect();
        println!("  {name}: {}", times_text(&group_rows));
    }
    let all: Vec<&EditRow> = rows.iter().collect();
    println!("  all {} edits: {}", all.len(), times_text(&all));
    let median_total = median(rows.iter().map(EditRow::total));
    let max_total = rows.iter().map(EditRow::total).max().unwrap_or_default();
    let slowest = rows
        .iter()
        .flat_map(|row| row.samples.iter().map(Sample::total))
        .max()
        .unwrap_or_default();
    println!(
        "bar: under {} ms: {} (all edits: median {}, max {}; slowest single round {})",
        WARM_BAR.as_millis(),
        if max_total < WARM_BAR {
            "met by every edit"
        } else if median_total < WARM_BAR {
            "met by the median, MISSED by the slowest"
        } else {
            "MISSED"
        },
        millis(median_total),
        millis(max_total),
        millis(slowest),
    );
    Ok(())
}

/// Which modules are edited: `edits` of them from the given rank on, by size
/// (0 is the largest, 0.5 the median).
const GROUPS: [(&str, f64); 3] = [
    ("the largest modules", 0.0),
    ("modules at the 90th percentile of size", 0.1),
    ("modules at the median size", 0.5),
];

/// `median M ms, max N ms (answers alone: median, max)` of `rows`.
fn times_text(rows: &[&EditRow]) -> String {
    let totals = || rows.iter().map(|row| row.total());
    let answers = || rows.iter().map(|row| row.answer());
    format!(
        "median {}, max {} (answers alone: median {}, max {})",
        millis(median(totals())),
        millis(totals().max().unwrap_or_default()),
        millis(median(answers())),
        millis(answers().max().unwrap_or_default()),
    )
}

/// Applies `edit` to `file` (whose text is `text`) in `rounds`, each timed
/// from `apply_change` to the three answers; the file keeps the last round's
/// text.
fn measure_edit(
    project: &mut LoadedProject,
    file: &LoadedFile,
    text: &str,
    edit: &Edit,
    rounds: u32,
    as_project_files: bool,
    group: usize,
) -> anyhow::Result<EditRow> {
    let cancelled = || anyhow::anyhow!("the analysis was cancelled");
    // The file is opened, as in an editor: its answers are asked once (salsa
    // has long dropped them after the first answers for every file, so they
    // are computed again, which keeps what the next edit starts from).
    let opened = Instant::now();
    let analysis = project.host.analysis();
    let syntax_errors_before = analysis
        .syntax_diagnostics(file.file_id)
        .map_err(|_| cancelled())?
        .len();
    analysis
        .preprocessor_diagnostics(file.file_id)
        .map_err(|_| cancelled())?;
    analysis
        .module_summary(file.file_id)
        .map_err(|_| cancelled())?;
    drop(analysis);
    let open = opened.elapsed();
    let path = project.vfs.path(file.file_id).to_path_buf();
    let mut samples = Vec::new();
    let mut new_syntax_errors = 0;
    let mut functions = 0;
    for round in 1..=rounds {
        let new_text: Arc<str> = Arc::from(edit.apply(text, round));
        project
            .vfs
            .set_file_contents(&path, Some(Arc::clone(&new_text)));
        let change = Change {
            files: vec![FileChange {
                file_id: file.file_id,
                path: path.clone(),
                contents: Some(new_text),
                kind: file.kind,
                library: !as_project_files && file.is_library(),
            }],
            apps: None,
        };

        let started = Instant::now();
        project.host.apply_change(change);
        let apply = started.elapsed();
        let started = Instant::now();
        let analysis = project.host.analysis();
        let preprocessor = analysis
            .preprocessor_diagnostics(file.file_id)
            .map_err(|_| cancelled())?;
        let preprocess = started.elapsed();
        let summary = analysis
            .module_summary(file.file_id)
            .map_err(|_| cancelled())?;
        let summarise = started.elapsed() - preprocess;
        let syntax = analysis
            .syntax_diagnostics(file.file_id)
            .map_err(|_| cancelled())?;
        let answered = started.elapsed();
        drop(analysis);
        std::hint::black_box(&preprocessor);
        samples.push(Sample {
            apply,
            preprocess,
            summarise,
            syntax: answered - preprocess - summarise,
        });
        new_syntax_errors =
            new_syntax_errors.max(syntax.len() as isize - syntax_errors_before as isize);
        functions = summary.map_or(0, |summary| summary.functions);
    }

    Ok(EditRow {
        open,
        module: path
            .file_stem()
            .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned()),
        lines: text.lines().count(),
        line: text[..edit.offset].matches('\n').count() + 1,
        kind: edit.kind(),
        group,
        samples,
        new_syntax_errors,
        functions,
    })
}

fn millis(time: Duration) -> String {
    format!("{:.2} ms", time.as_secs_f64() * 1e3)
}

/// Every file's syntax diagnostics, and every module's preprocessor
/// diagnostics and summary, on all cores in batches of 128 as `erlkit
/// analyze` asks them.
fn first_answers(host: &mut AnalysisHost, files: &[LoadedFile]) -> anyhow::Result<()> {
    for batch in files.chunks(128) {
        let analysis = host.analysis();
        batch
            .par_iter()
            .try_for_each_with(analysis.clone(), |analysis, file| -> ide::Cancellable<()> {
                analysis.syntax_diagnostics(file.file_id)?;
                if file.kind == FileKind::Module {
                    analysis.preprocessor_diagnostics(file.file_id)?;
                    analysis.module_summary(file.file_id)?;
                }
                Ok(())
            })
            .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
        drop(analysis);
        host.collect_garbage();
    }
    Ok(())
}

/// An edit of `kind` inside a function body of `text`, the one nearest the
/// middle of the file; `None` when there is no place for one.
fn find_edit(text: &str, release: OtpRelease, kind: EditKind) -> Option<Edit> {
    let parse = syntax::parse(
        text,
        &ParseOptions {
            release,
            file_kind: FileKind::Module,
        },
    );
    let root = parse.syntax_node();
    let bodies = root
        .children()
        .filter(|form| form.kind() == SyntaxKind::FUN_DECL)
        .flat_map(|decl| decl.children())
        .filter(|clause| clause.kind() == SyntaxKind::FUN_CLAUSE)
        .flat_map(|clause| clause.children())
        .filter(|body| body.kind() == SyntaxKind::CLAUSE_BODY);
    let edits: Vec<Edit> = match kind {
        EditKind::InsertLine => bodies.filter_map(|body| insert_line(text, &body)).collect(),
        EditKind::ChangeInteger => bodies.flat_map(|body| integers(&body)).collect(),
    };
    let middle = text.len() / 2;
    edits
        .into_iter()
        .min_by_key(|edit| edit.offset.abs_diff(middle))
}

/// `_ = N,` on a line of its own before the body's first expression, when that
/// starts a line.
fn insert_line(text: &str, body: &SyntaxNode) -> Option<Edit> {
    let first = body.children().next()?;
    let start = usize::from(first.text_range().start());
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let indent = &text[line_start..start];
    if !indent.bytes().all(|b| b == b' ' || b == b'\t') {
        return None;
    }
    Some(Edit {
        offset: line_start,
        delete: 0,
        replacement: Replacement::Line {
            indent: indent.to_owned(),
        },
    })
}

/// Each decimal integer literal of a body, made one more.
fn integers(body: &SyntaxNode) -> Vec<Edit> {
    body.descendants_with_tokens()
        .filter_map(|element| match element {
            NodeOrToken::Token(token) if token.kind() == SyntaxKind::INTEGER => Some(token),
            _ => None,
        })
        .filter_map(|token| {
            let value: u32 = token.text().parse().ok()?;
            Some(Edit {
                offset: usize::from(token.text_range().start()),
                delete: token.text().len(),
                replacement: Replacement::Integer { value },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use syntax::OtpRelease;

    use super::{EditKind, find_edit};

    const MODULE: &str = "\
-module(m).
-define(X(A), A + 1).
f(A) ->
    g(A, 7);
f(_) -> 0.

g(A, B) when A > 2 ->
    %% a comment
    A + B.
";

    #[test]
    fn edits_go_inside_function_bodies() {
        let release = OtpRelease(25);
        let insert = find_edit(MODULE, release, EditKind::InsertLine).unwrap();
        // Only clauses whose first expression starts a line; the one nearest the middle.
        let edited = insert.apply(MODULE, 1);
        assert!(
            edited.contains("f(A) ->\n    _ = 1,\n    g(A, 7);"),
            "{edited}"
        );
        let integer = find_edit(MODULE, release, EditKind::ChangeInteger).unwrap();
        let edited = integer.apply(MODULE, 1);
        // The literal nearest the middle of the file; never one in a guard.
        assert!(edited.contains("f(_) -> 1."), "{edited}");
        assert!(find_edit("-module(m).\n", release, EditKind::InsertLine).is_none());
    }
}
