//! `erlkit fmt`: formats files in place on all cores (or checks them, or prints
//! diffs) in path order, and formats stdin to stdout for editors.

pub(crate) mod atomic_write;

use std::borrow::Cow;
use std::io::{BufWriter, Read, Write};
use std::ops::RangeInclusive;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fmt::{FormatOptions, Formatted, PragmaMode, SourceKind};
use rayon::prelude::*;
use syntax::{FileKind, LineColumn, LineIndex, OtpRelease, SourceEncoding};

use crate::cli::FmtArgs;
use crate::otp_release;
use crate::walk::{self, SourcePath};

/// How many files are formatted in parallel before their results are printed.
/// Bounds memory (only this many results, diffs included, are held) while
/// keeping all cores busy.
const FILES_PER_BATCH: usize = 512;

/// The name used in messages for stdin without `--stdin-filepath`.
const STDIN_NAME: &str = "<stdin>";

/// A whole-file formatter: `fmt::format_text`, or a stand-in in tests.
pub(crate) type FormatFn = dyn Fn(&str, SourceKind, &FormatOptions) -> Formatted + Sync;

/// How `erlkit fmt` ended, in the order of precedence of exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FmtStatus {
    /// Everything was formatted (or, checking, already is): exit 0.
    Done,
    /// Checking (`--check`, `--diff`), some file would change: exit 1.
    WouldChange,
    /// Some path could not be read, decoded or written: exit 2.
    InputErrors,
}

impl FmtStatus {
    pub(crate) fn exit_code(self) -> u8 {
        match self {
            FmtStatus::Done => 0,
            FmtStatus::WouldChange => 1,
            FmtStatus::InputErrors => crate::EXIT_INPUT_ERROR,
        }
    }
}

/// What to do with a file whose formatted text differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Replace the file (stdin: print the text).
    Write,
    /// Name it.
    Check,
    /// Print a unified diff.
    Diff,
}

/// Everything decided before the first file is read.
#[derive(Debug, Clone)]
struct Settings {
    mode: Mode,
    options: FormatOptions,
    release: OtpRelease,
    /// `--range`: only the forms overlapping these lines.
    lines: Option<RangeInclusive<u32>>,
}

/// What to format.
#[derive(Debug)]
enum Input {
    /// stdin to stdout, with the name `--stdin-filepath` gives it.
    Stdin { name: Option<PathBuf> },
    /// Files and directories, in place.
    Paths(Vec<PathBuf>),
}

/// Where text comes from and goes to: the process's streams, or buffers in tests.
struct Streams<'a> {
    stdin: &'a mut dyn Read,
    stdout: &'a mut dyn Write,
    stderr: &'a mut dyn Write,
}

pub(crate) fn run(args: &FmtArgs) -> anyhow::Result<FmtStatus> {
    let input = input_of(args)?;
    let cwd = std::env::current_dir().context("cannot find the current directory")?;
    let config_dir = match &input {
        Input::Stdin { name: Some(name) } => {
            let named = cwd.join(name);
            named
                .parent()
                .map_or_else(|| cwd.clone(), Path::to_path_buf)
        }
        _ => cwd.clone(),
    };
    let config = match project_model::config::find_config_file(&config_dir) {
        Some(path) => {
            // Shown relative to the current directory when it is below it.
            let shown = path.strip_prefix(&cwd).map_or(path.as_path(), |p| p);
            Some(project_model::config::load_config(shown)?)
        }
        None => None,
    };
    let mut stderr = std::io::stderr();
    for warning in config.iter().flat_map(|config| &config.warnings) {
        writeln!(stderr, "{warning}")?;
    }
    let chosen = otp_release::choose(args.release.otp_release);
    let settings = Settings {
        mode: if args.diff {
            Mode::Diff
        } else if args.check {
            Mode::Check
        } else {
            Mode::Write
        },
        options: FormatOptions {
            print_width: args
                .print_width
                .or(config.as_ref().and_then(|c| c.config.format.print_width))
                .unwrap_or(FormatOptions::default().print_width),
            pragma: if args.require_pragma {
                PragmaMode::Require
            } else if args.insert_pragma {
                PragmaMode::Insert
            } else if args.delete_pragma {
                PragmaMode::Delete
            } else {
                PragmaMode::Respect
            },
        },
        release: chosen.release,
        lines: args.range.map(|range| range.start..=range.end),
    };
    tracing::debug!(
        print_width = settings.options.print_width,
        pragma = ?settings.options.pragma,
        config = ?config.as_ref().map(|c| &c.path),
        release = chosen.release.0,
        release_source = %chosen.source,
        "format settings"
    );

    let mut stdout = BufWriter::new(std::io::stdout());
    let mut stdin = std::io::stdin();
    let mut streams = Streams {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
    };
    match format_input(&input, &settings, &fmt::format_text, &mut streams) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(FmtStatus::Done),
        result => Ok(result?),
    }
}

/// The input the arguments name, or why they make no sense together.
fn input_of(args: &FmtArgs) -> anyhow::Result<Input> {
    let dash = Path::new("-");
    let reads_stdin = args.paths.iter().any(|path| path == dash);
    if reads_stdin && args.paths.len() > 1 {
        bail!("`-` (stdin) cannot be combined with other paths");
    }
    if args.stdin_filepath.is_some() && !args.paths.is_empty() && !reads_stdin {
        bail!("--stdin-filepath names the text read from stdin: give `-` or no path");
    }
    if reads_stdin || args.stdin_filepath.is_some() {
        return Ok(Input::Stdin {
            name: args.stdin_filepath.clone(),
        });
    }
    if args.range.is_some() && (args.paths.len() != 1 || args.paths[0].is_dir()) {
        bail!("--range works on one file, or on stdin");
    }
    Ok(Input::Paths(args.paths.clone()))
}

fn format_input(
    input: &Input,
    settings: &Settings,
    format: &FormatFn,
    streams: &mut Streams<'_>,
) -> std::io::Result<FmtStatus> {
    let status = match input {
        Input::Stdin { name } => format_stdin(name.as_deref(), settings, format, streams),
        Input::Paths(paths) => format_paths(paths, settings, format, streams),
    }?;
    streams.stdout.flush()?;
    Ok(status)
}

/// Formats stdin. Writing, the text goes to stdout whether or not it changed;
/// on an error nothing goes to stdout, so an editor keeps its buffer.
fn format_stdin(
    name: Option<&Path>,
    settings: &Settings,
    format: &FormatFn,
    streams: &mut Streams<'_>,
) -> std::io::Result<FmtStatus> {
    let shown = name.unwrap_or(Path::new(STDIN_NAME));
    let kind = name.and_then(FileKind::from_path).unwrap_or_default();
    let mut bytes = Vec::new();
    if let Err(error) = streams.stdin.read_to_end(&mut bytes) {
        let message = format!("cannot read stdin: {}", walk::describe_io_error(&error));
        report_error(streams, shown, &message)?;
        return Ok(FmtStatus::InputErrors);
    }
    let formatted = match format_bytes(&bytes, kind, settings, format) {
        Ok(formatted) => formatted,
        Err(message) => {
            report_error(streams, shown, &message)?;
            return Ok(FmtStatus::InputErrors);
        }
    };
    report_skipped(streams, shown, &formatted.skipped)?;
    let Some(change) = formatted.change else {
        if settings.mode == Mode::Write {
            streams.stdout.write_all(&bytes)?;
        }
        return Ok(FmtStatus::Done);
    };
    match settings.mode {
        Mode::Write => {
            streams.stdout.write_all(change.bytes())?;
            Ok(FmtStatus::Done)
        }
        Mode::Check => {
            writeln!(streams.stdout, "{}", shown.display())?;
            Ok(FmtStatus::WouldChange)
        }
        Mode::Diff => {
            streams
                .stdout
                .write_all(unified_diff(shown, &change.before, &change.after).as_bytes())?;
            Ok(FmtStatus::WouldChange)
        }
    }
}

/// The outcome of one file.
#[derive(Debug)]
struct FileReport {
    path: PathBuf,
    /// Size on disk.
    bytes: u64,
    skipped: Vec<Skipped>,
    outcome: FileOutcome,
}

#[derive(Debug)]
enum FileOutcome {
    /// Already formatted.
    Unchanged,
    /// Written (or, checking, would be), with the diff when asked for.
    Changed { diff: Option<String> },
    /// Not read, decoded, formatted or written; the file is as it was.
    Failed(String),
}

/// Totals over a whole run.
#[derive(Debug, Default)]
struct Summary {
    /// Files read and formatted (changed or not).
    files: usize,
    bytes: u64,
    /// Files written, or that would be.
    changed: usize,
    /// Paths that could not be read, decoded, formatted or written.
    failed: usize,
    elapsed: Duration,
}

/// Formats the files `paths` name, batch by batch on all cores, and reports each
/// batch in path order.
fn format_paths(
    paths: &[PathBuf],
    settings: &Settings,
    format: &FormatFn,
    streams: &mut Streams<'_>,
) -> std::io::Result<FmtStatus> {
    let started = Instant::now();
    let discovered = walk::discover(paths);
    tracing::debug!(
        files = discovered.files.len(),
        errors = discovered.errors.len(),
        "found files"
    );
    let mut summary = Summary {
        failed: discovered.errors.len(),
        ..Summary::default()
    };
    for error in &discovered.errors {
        report_error(streams, &error.path, &error.message)?;
    }
    for batch in discovered.files.chunks(FILES_PER_BATCH) {
        let reports: Vec<FileReport> = batch
            .par_iter()
            .map(|file| format_file(file, settings, format))
            .collect();
        for report in reports {
            print_report(report, settings.mode, streams, &mut summary)?;
        }
    }
    summary.elapsed = started.elapsed();
    streams.stdout.flush()?;
    writeln!(streams.stderr, "{}", summary_line(&summary, settings.mode))?;
    Ok(if summary.failed > 0 {
        FmtStatus::InputErrors
    } else if summary.changed > 0 && settings.mode != Mode::Write {
        FmtStatus::WouldChange
    } else {
        FmtStatus::Done
    })
}

fn print_report(
    report: FileReport,
    mode: Mode,
    streams: &mut Streams<'_>,
    summary: &mut Summary,
) -> std::io::Result<()> {
    report_skipped(streams, &report.path, &report.skipped)?;
    match report.outcome {
        FileOutcome::Failed(message) => {
            summary.failed += 1;
            report_error(streams, &report.path, &message)?;
        }
        FileOutcome::Unchanged => {
            summary.files += 1;
            summary.bytes += report.bytes;
        }
        FileOutcome::Changed { diff } => {
            summary.files += 1;
            summary.bytes += report.bytes;
            summary.changed += 1;
            match (mode, diff) {
                (Mode::Write, _) => {}
                (Mode::Check, _) | (Mode::Diff, None) => {
                    writeln!(streams.stdout, "{}", report.path.display())?;
                }
                (Mode::Diff, Some(diff)) => streams.stdout.write_all(diff.as_bytes())?,
            }
        }
    }
    Ok(())
}

/// Reads, formats and (when writing and it changed) replaces one file.
fn format_file(file: &SourcePath, settings: &Settings, format: &FormatFn) -> FileReport {
    let report = |bytes, skipped, outcome| FileReport {
        path: file.path.clone(),
        bytes,
        skipped,
        outcome,
    };
    let (bytes, read_as) = match read_file(&file.path) {
        Ok(read) => read,
        Err(error) => {
            let message = walk::describe_io_error(&error);
            return report(0, Vec::new(), FileOutcome::Failed(message));
        }
    };
    let size = bytes.len() as u64;
    let formatted = match format_bytes(&bytes, file.kind, settings, format) {
        Ok(formatted) => formatted,
        Err(message) => return report(size, Vec::new(), FileOutcome::Failed(message)),
    };
    let Some(change) = formatted.change else {
        return report(size, formatted.skipped, FileOutcome::Unchanged);
    };
    let outcome = match settings.mode {
        Mode::Write => match atomic_write::replace_contents(&file.path, change.bytes(), read_as) {
            Ok(()) => FileOutcome::Changed { diff: None },
            Err(error) => FileOutcome::Failed(format!(
                "cannot write the file: {}",
                walk::describe_io_error(&error)
            )),
        },
        Mode::Check => FileOutcome::Changed { diff: None },
        Mode::Diff => FileOutcome::Changed {
            diff: Some(unified_diff(&file.path, &change.before, &change.after)),
        },
    };
    report(size, formatted.skipped, outcome)
}

/// The bytes of a file and what it looked like when read.
fn read_file(path: &Path) -> std::io::Result<(Vec<u8>, atomic_write::Snapshot)> {
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if metadata.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok((bytes, atomic_write::Snapshot::of(&metadata)))
}

/// A form the formatter kept as it was: where it starts and why.
#[derive(Debug)]
struct Skipped {
    start: LineColumn,
    reason: String,
}

/// One text formatted.
struct FormattedBytes<'a> {
    skipped: Vec<Skipped>,
    /// `None` when the text is already formatted.
    change: Option<Change<'a>>,
}

struct Change<'a> {
    before: Cow<'a, str>,
    after: String,
    /// `after` in the input's encoding when that is not UTF-8 (else `after`'s bytes).
    encoded: Option<Vec<u8>>,
}

impl Change<'_> {
    /// The bytes to write: the formatted text in the input's encoding.
    fn bytes(&self) -> &[u8] {
        self.encoded.as_deref().unwrap_or(self.after.as_bytes())
    }
}

/// Decodes, formats and encodes one file's bytes in its own encoding (a Latin-1
/// file stays Latin-1). An error is a message for the user, and nothing is written.
fn format_bytes<'a>(
    bytes: &'a [u8],
    file_kind: FileKind,
    settings: &Settings,
    format: &FormatFn,
) -> Result<FormattedBytes<'a>, String> {
    let (text, encoding) = syntax::decode_source(bytes).map_err(|error| error.to_string())?;
    let kind = SourceKind {
        file_kind,
        release: settings.release,
    };
    let formatted = std::panic::catch_unwind(AssertUnwindSafe(|| match &settings.lines {
        Some(lines) => {
            fmt::format_range_with(&text, kind, &settings.options, lines.clone(), format)
        }
        None => format(&text, kind, &settings.options),
    }))
    .map_err(|_| {
        "internal error: the formatter panicked (a bug in erlkit; please report it); \
         the file is left as it was"
            .to_owned()
    })?;
    let skipped = skipped_forms(&text, &formatted.skipped);
    if formatted.text == *text {
        return Ok(FormattedBytes {
            skipped,
            change: None,
        });
    }
    let encoded = match encoding {
        SourceEncoding::Utf8 => None,
        SourceEncoding::Latin1 => Some(syntax::encode_source(&formatted.text, encoding).map_err(|error| {
            format!("the formatted text cannot be saved in the file's encoding: {error}; the file is left as it was")
        })?),
    };
    let change = Change {
        before: text,
        after: formatted.text,
        encoded,
    };
    // The file must read back as what was formatted: the formatter must not drop
    // or add a `coding:` comment that changes how the bytes decode.
    let reads_back = match encoding {
        // Valid UTF-8 by construction: only a `coding:` comment could change it.
        SourceEncoding::Utf8 => {
            syntax::declared_encoding(change.bytes()).is_none_or(|e| e == SourceEncoding::Utf8)
        }
        SourceEncoding::Latin1 => matches!(
            syntax::decode_source(change.bytes()),
            Ok((again, again_encoding)) if again == change.after && again_encoding == encoding
        ),
    };
    if !reads_back {
        return Err(
            "internal error: the formatted text would not read back the same \
             (its `coding:` comment changed); the file is left as it was"
                .to_owned(),
        );
    }
    Ok(FormattedBytes {
        skipped,
        change: Some(change),
    })
}

/// Where each form kept as written starts, and why it was kept.
fn skipped_forms(text: &str, skipped: &[fmt::SkippedForm]) -> Vec<Skipped> {
    if skipped.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    skipped
        .iter()
        .map(|form| Skipped {
            start: index.line_column(form.range.start().into()),
            reason: form.reason.clone(),
        })
        .collect()
}

/// `--- a/path` / `+++ b/path` and the hunks, three lines of context.
fn unified_diff(path: &Path, before: &str, after: &str) -> String {
    let name = path.to_string_lossy().replace('\\', "/");
    let name = name.strip_prefix("./").unwrap_or(&name);
    let name = name.trim_start_matches('/');
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// `path: error: message` on stderr, after what stdout holds so far.
fn report_error(streams: &mut Streams<'_>, path: &Path, message: &str) -> std::io::Result<()> {
    streams.stdout.flush()?;
    writeln!(streams.stderr, "{}: error: {message}", path.display())
}

/// `path:line:column: warning: form not formatted: reason` for each kept form.
fn report_skipped(
    streams: &mut Streams<'_>,
    path: &Path,
    skipped: &[Skipped],
) -> std::io::Result<()> {
    if skipped.is_empty() {
        return Ok(());
    }
    streams.stdout.flush()?;
    for form in skipped {
        writeln!(
            streams.stderr,
            "{}:{}:{}: warning: form not formatted: {}",
            path.display(),
            form.start.line,
            form.start.column,
            form.reason
        )?;
    }
    Ok(())
}

/// `formatted 12 files (0.1 MB) in 0.05s: 3 changed`, or `checked ...: 3 would
/// change`, and how many failed if any did.
fn summary_line(summary: &Summary, mode: Mode) -> String {
    let (verb, changed) = match mode {
        Mode::Write => ("formatted", "changed"),
        Mode::Check | Mode::Diff => ("checked", "would change"),
    };
    let mut line = format!(
        "{verb} {} {} ({:.1} MB) in {:.2}s: {} {changed}",
        summary.files,
        if summary.files == 1 { "file" } else { "files" },
        summary.bytes as f64 / 1e6,
        summary.elapsed.as_secs_f64(),
        summary.changed,
    );
    if summary.failed > 0 {
        line.push_str(&format!(", {} failed", summary.failed));
    }
    line
}

#[cfg(test)]
mod tests;
