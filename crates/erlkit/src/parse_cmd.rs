//! `erlkit parse`: parses files in parallel and reports their syntax errors in path order.

use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use syntax::{FileKind, LineColumn, LineIndex, ParseOptions};

use crate::cli::ParseArgs;
use crate::otp_release;
use crate::parse_output::{JsonOutput, ParseOutput, TextOutput};
use crate::walk::{self, PathError, SourcePath};

/// How many files are parsed in parallel before their results are printed.
/// Bounds memory (only this many results are held) while keeping all cores busy.
const FILES_PER_BATCH: usize = 512;

/// The outcome of one file.
#[derive(Debug)]
pub(crate) struct FileReport {
    pub(crate) path: PathBuf,
    pub(crate) kind: FileKind,
    pub(crate) outcome: FileOutcome,
}

#[derive(Debug)]
pub(crate) enum FileOutcome {
    /// The file was read and parsed.
    Parsed {
        /// Size on disk.
        bytes: u64,
        errors: Vec<LocatedError>,
        /// `Parse::debug_dump()` when asked for.
        tree: Option<String>,
    },
    /// The file could not be read, decoded or parsed.
    Failed(String),
}

/// A syntax error with 1-based positions; `end` is just past the last character.
#[derive(Debug)]
pub(crate) struct LocatedError {
    pub(crate) start: LineColumn,
    pub(crate) end: LineColumn,
    pub(crate) message: String,
}

/// Totals over a whole run.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    pub(crate) files_with_syntax_errors: usize,
    pub(crate) syntax_errors: usize,
    pub(crate) unreadable: usize,
    pub(crate) elapsed: Duration,
}

/// How `erlkit parse` ended, in the order of precedence of exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ParseStatus {
    /// Every file parsed without syntax errors: exit 0.
    Clean,
    /// Some file has syntax errors: exit 1.
    SyntaxErrors,
    /// Some path could not be read or decoded: exit 2.
    InputErrors,
}

pub(crate) fn run(args: &ParseArgs) -> anyhow::Result<ParseStatus> {
    let started = Instant::now();
    let chosen = otp_release::choose(args.release.otp_release);
    tracing::debug!(release = chosen.release.0, source = %chosen.source, "chose the OTP release");

    let discovered = walk::discover(&args.paths);
    tracing::debug!(
        files = discovered.files.len(),
        errors = discovered.errors.len(),
        "found files"
    );
    for error in &discovered.errors {
        report_input_error(error);
    }

    let stdout = std::io::stdout();
    let mut writer = std::io::BufWriter::new(stdout.lock());
    let mut output: Box<dyn ParseOutput> = if args.json {
        Box::new(JsonOutput::new(chosen.release, &chosen.source))
    } else {
        Box::new(TextOutput)
    };

    let mut summary = Summary {
        unreadable: discovered.errors.len(),
        ..Summary::default()
    };
    let mut input_errors = discovered.errors;
    let printed = print_reports(
        &discovered.files,
        ParseOptions {
            release: chosen.release,
            file_kind: FileKind::Module,
        },
        args.dump_tree,
        output.as_mut(),
        &mut writer,
        &mut summary,
        &mut input_errors,
    );
    summary.elapsed = started.elapsed();
    let printed = printed.and_then(|()| output.finish(&mut writer, &summary, &input_errors));
    let printed = printed.and_then(|()| writer.flush());
    match printed {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(ParseStatus::Clean);
        }
        result => result?,
    }
    eprintln!("{}", summary_line(&summary));

    Ok(if summary.unreadable > 0 {
        ParseStatus::InputErrors
    } else if summary.files_with_syntax_errors > 0 {
        ParseStatus::SyntaxErrors
    } else {
        ParseStatus::Clean
    })
}

/// Parses `files` batch by batch on all cores and prints each batch in path order.
fn print_reports(
    files: &[SourcePath],
    options: ParseOptions,
    dump_tree: bool,
    output: &mut dyn ParseOutput,
    writer: &mut dyn Write,
    summary: &mut Summary,
    input_errors: &mut Vec<PathError>,
) -> std::io::Result<()> {
    for batch in files.chunks(FILES_PER_BATCH) {
        let reports: Vec<FileReport> = batch
            .par_iter()
            .map(|file| {
                parse_file(
                    file,
                    ParseOptions {
                        file_kind: file.kind,
                        ..options
                    },
                    dump_tree,
                )
            })
            .collect();
        for report in reports {
            match &report.outcome {
                FileOutcome::Parsed { bytes, errors, .. } => {
                    summary.files += 1;
                    summary.bytes += bytes;
                    summary.syntax_errors += errors.len();
                    summary.files_with_syntax_errors += usize::from(!errors.is_empty());
                    output.file(writer, &report)?;
                }
                FileOutcome::Failed(message) => {
                    summary.unreadable += 1;
                    let error = PathError {
                        path: report.path,
                        message: message.clone(),
                    };
                    // Keep stdout and stderr in order when both go to one terminal.
                    writer.flush()?;
                    report_input_error(&error);
                    input_errors.push(error);
                }
            }
        }
    }
    Ok(())
}

/// Reads, decodes and parses one file. The text is dropped before returning:
/// only the errors (and the tree dump, when asked for) are kept.
fn parse_file(file: &SourcePath, options: ParseOptions, dump_tree: bool) -> FileReport {
    let failed = |message: String| FileReport {
        path: file.path.clone(),
        kind: file.kind,
        outcome: FileOutcome::Failed(message),
    };
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(error) => return failed(walk::describe_io_error(&error)),
    };
    let text = match syntax::decode_source(&bytes) {
        Ok((text, _encoding)) => text,
        Err(error) => return failed(error.to_string()),
    };
    let parsed = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let parse = syntax::parse(&text, &options);
        let index = LineIndex::new(&text);
        let errors = parse
            .errors()
            .iter()
            .map(|error| LocatedError {
                start: index.line_column(error.range().start().into()),
                end: index.line_column(error.range().end().into()),
                message: error.message().to_owned(),
            })
            .collect::<Vec<_>>();
        let tree = dump_tree.then(|| parse.debug_dump());
        (errors, tree)
    }));
    match parsed {
        Ok((errors, tree)) => FileReport {
            path: file.path.clone(),
            kind: file.kind,
            outcome: FileOutcome::Parsed {
                bytes: bytes.len() as u64,
                errors,
                tree,
            },
        },
        Err(_) => failed(
            "internal error: the parser panicked (a bug in erlkit; please report it)".to_owned(),
        ),
    }
}

fn report_input_error(error: &PathError) {
    eprintln!("{}: error: {}", error.path.display(), error.message);
}

/// `parsed 1247 files (37.6 MB) in 0.42s: 0 with syntax errors`, and the unreadable count if any.
pub(crate) fn summary_line(summary: &Summary) -> String {
    let mut line = format!(
        "parsed {} {} ({:.1} MB) in {:.2}s: {} with syntax errors",
        summary.files,
        if summary.files == 1 { "file" } else { "files" },
        summary.bytes as f64 / 1e6,
        summary.elapsed.as_secs_f64(),
        summary.files_with_syntax_errors,
    );
    if summary.unreadable > 0 {
        line.push_str(&format!(", {} could not be read", summary.unreadable));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::{Summary, summary_line};
    use std::time::Duration;

    #[test]
    fn summary_reads_naturally() {
        let summary = Summary {
            files: 1247,
            bytes: 37_612_345,
            files_with_syntax_errors: 0,
            syntax_errors: 0,
            unreadable: 0,
            elapsed: Duration::from_millis(420),
        };
        assert_eq!(
            summary_line(&summary),
            "parsed 1247 files (37.6 MB) in 0.42s: 0 with syntax errors"
        );
        let one = Summary {
            files: 1,
            bytes: 10,
            files_with_syntax_errors: 1,
            unreadable: 2,
            ..summary
        };
        assert_eq!(
            summary_line(&one),
            "parsed 1 file (0.0 MB) in 0.42s: 1 with syntax errors, 2 could not be read"
        );
    }
}
