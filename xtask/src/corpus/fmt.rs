//! `cargo xtask corpus fmt`: the formatter's safety checks on OTP's sources.
//!
//! Four checks over every `.erl` and `.hrl` under OTP's `lib/`:
//! 1. idempotent: formatting the output again gives the same bytes;
//! 2. semantics kept: OTP reads the same code from the original and the
//!    formatted file, as `epp_dodger` forms (macros unexpanded, locations
//!    stripped) or, in files where `epp_dodger` gives up on a form, as
//!    `erl_scan` tokens (xtask/erlang/fmt_oracle.erl says exactly how);
//! 3. comments kept: the same comments in the same order, compared with
//!    trailing white space removed (erlfmt strips it);
//! 4. the output parses: no syntax errors where the input had none.
//!
//! Formatting and checks 1, 3 and 4 run on rayon; the outputs are written, in
//! each file's encoding (and must read back as the same text, so a `coding:`
//! comment cannot move out of epp's sight), to a temporary directory, then one
//! `erl` runs check 2 over all the (original, formatted) pairs.
//!
//! `--layout-only` checks the harness itself on the whole corpus: a stand-in
//! formatter that turns every space between two tokens into a line break must
//! pass everything, so no line number leaks into the comparisons.

mod check;
mod semantics;
#[cfg(test)]
mod tests;

use std::panic;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rayon::prelude::*;
use syntax::OtpRelease;

use self::check::{FileCheck, FormatFn, LAST_PANIC};
use self::semantics::Semantics;
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct FmtArgs {
    /// Check only this file (any path, repeatable); lists every failure.
    #[arg(long = "file", value_name = "PATH")]
    files: Vec<PathBuf>,
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Only the first N files, in path order.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// How many failures to list per check [default: 30; all with --file].
    #[arg(long, value_name = "N")]
    show: Option<usize>,
    /// Keep the formatted files: each is written to DIR followed by the
    /// original's absolute path (`DIR/usr/lib/erlang/lib/...`).
    #[arg(long, value_name = "DIR")]
    keep_output: Option<PathBuf>,
    /// Check the harness itself: instead of the formatter, a stand-in that turns
    /// every space between two tokens on a line into a line break; every check
    /// must pass.
    #[arg(long)]
    layout_only: bool,
}

/// The outcome of checking a set of files.
pub(crate) struct CorpusRun {
    pub(crate) files: Vec<FileCheck>,
    /// Formatting and the Rust-side checks.
    pub(crate) format_time: Duration,
    /// The Erlang helper.
    pub(crate) semantics_time: Duration,
}

pub(crate) fn run(args: FmtArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let root = otp::root()?;
    let files = select_files(&args, &root)?;
    if files.is_empty() {
        bail!("no files to check");
    }
    let release = project_model::otp::read_installation(&root)
        .map_or(OtpRelease::LATEST, |installation| installation.release());
    let show = args.show.unwrap_or(if args.files.is_empty() {
        30
    } else {
        usize::MAX
    });

    // Panics are reported per file; keep their messages (with locations) off stderr.
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
    }));
    let format: &FormatFn<'_> = if args.layout_only {
        println!("corpus fmt: --layout-only, checking the harness with a stand-in formatter");
        &check::break_lines
    } else {
        &::fmt::format_text
    };
    let run = check_files(&files, release, format, args.keep_output.as_deref());
    panic::set_hook(previous_hook);
    let run = run?;

    let total_bytes: usize = run.files.iter().map(|f| f.bytes).sum();
    println!(
        "corpus fmt: {} files, {:.1} MB, OTP {} syntax, from {}",
        run.files.len(),
        total_bytes as f64 / 1e6,
        release.0,
        root.join("lib").display()
    );
    let failed = report(&run, show);
    println!(
        "  time: {:.1} s (formatting and Rust-side checks {:.1} s, epp_dodger and erl_scan {:.1} s)",
        started.elapsed().as_secs_f64(),
        run.format_time.as_secs_f64(),
        run.semantics_time.as_secs_f64()
    );
    if let Some(dir) = &args.keep_output {
        println!("  formatted files kept in {}", dir.display());
    }
    if failed {
        // A plain exit: the report above says everything, a backtrace would not help.
        println!("corpus fmt: FAILED");
        std::process::exit(1);
    }
    println!("corpus fmt: ok");
    Ok(())
}

/// Formats every file with `format`, runs the four checks and returns what
/// they found. The outputs go under `keep_output` if given, else to a
/// temporary directory removed before returning.
pub(crate) fn check_files(
    files: &[PathBuf],
    release: OtpRelease,
    format: &FormatFn<'_>,
    keep_output: Option<&Path>,
) -> anyhow::Result<CorpusRun> {
    let started = Instant::now();
    let temp = TempDir::new("corpus-fmt")?;
    let out_path = |index: usize, path: &Path| match keep_output {
        // The original's absolute path under DIR, for `diff` and `diff -r`.
        Some(dir) => dir.join(
            path.components()
                .filter(|c| matches!(c, std::path::Component::Normal(_)))
                .collect::<PathBuf>(),
        ),
        None => temp.path().join(format!(
            "{index:05}-{}",
            path.file_name()
                .map_or_else(|| "file".into(), |n| n.to_string_lossy())
        )),
    };
    let mut checks: Vec<FileCheck> = files
        .par_iter()
        .enumerate()
        .map(|(index, path)| check::check_file(path, release, format, &out_path(index, path)))
        .collect();
    let format_time = started.elapsed();

    let started = Instant::now();
    let pairs: Vec<(&Path, &Path)> = checks
        .iter()
        .filter_map(|c| Some((c.path.as_path(), c.formatted_path.as_deref()?)))
        .collect();
    let mut outcomes = semantics::compare(&pairs)?.into_iter();
    let semantics_time = started.elapsed();
    for check in checks.iter_mut().filter(|c| c.formatted_path.is_some()) {
        check.semantics = outcomes.next();
    }
    Ok(CorpusRun {
        files: checks,
        format_time,
        semantics_time,
    })
}

/// Prints what the checks found; true when something failed.
fn report(run: &CorpusRun, show: usize) -> bool {
    let files = &run.files;
    let mut failed = false;
    let changed = files.iter().filter(|f| f.changed).count();
    let failing = files
        .iter()
        .filter(|f| !f.failed_checks().is_empty())
        .count();
    println!("  changed by the formatter: {changed} files; failing a check: {failing} files");

    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| Some(format!("{}: {}", f.path.display(), f.failure.as_ref()?)))
        .collect();
    failed |= list(
        "unreadable, panicked, or output not written as read back",
        &failures,
        show,
    );

    let idempotence: Vec<String> = files
        .iter()
        .filter_map(|f| Some(format!("{}:{}", f.path.display(), f.idempotence.as_ref()?)))
        .collect();
    failed |= list("idempotence failures", &idempotence, show);

    failed |= report_semantics(files, show);

    let comments: Vec<String> = files
        .iter()
        .filter_map(|f| Some(format!("{}:{}", f.path.display(), f.comments.as_ref()?)))
        .collect();
    failed |= list("comment losses", &comments, show);

    let parse_errors: Vec<String> = files
        .iter()
        .filter(|f| f.output_parse_failed())
        .map(|f| {
            format!(
                "{}: {} errors in the output, first {}",
                f.path.display(),
                f.output_error_count,
                f.output_errors.join("; ")
            )
        })
        .collect();
    failed |= list("outputs with parse errors", &parse_errors, show);
    for f in files.iter().filter(|f| f.input_errors > 0) {
        println!(
            "    not held to it, the input has {} syntax errors: {} ({} in the output)",
            f.input_errors,
            f.path.display(),
            f.output_error_count
        );
    }

    let skipped: Vec<String> = files
        .iter()
        .flat_map(|f| {
            f.skipped
                .iter()
                .map(move |s| format!("{}:{s}", f.path.display()))
        })
        .collect();
    let skipped_files = files.iter().filter(|f| !f.skipped.is_empty()).count();
    println!(
        "  skipped forms reported by the formatter (not a failure): {} in {skipped_files} files",
        skipped.len()
    );
    list_lines(&skipped, show);
    failed
}

fn report_semantics(files: &[FileCheck], show: usize) -> bool {
    let (mut same, mut forms, mut fallback_same, mut tokens) = (0, 0, 0, 0);
    let mut differences = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let path = file.path.display();
        match &file.semantics {
            None => {}
            Some(Semantics::Same { forms: n }) => {
                same += 1;
                forms += n;
            }
            Some(Semantics::FallbackSame { tokens: n, .. }) => {
                fallback_same += 1;
                tokens += n;
            }
            Some(Semantics::Differs { difference: d, .. }) => differences.push(format!(
                "{path}:{}: form {} differs (formatted line {}): {} became {}",
                d.original_line,
                d.index,
                d.formatted_line,
                check::quote(&d.original),
                check::quote(&d.formatted)
            )),
            Some(Semantics::FallbackDiffers {
                difference: d,
                reason,
                ..
            }) => differences.push(format!(
                "{path}:{}: token {} differs (formatted line {}; compared as tokens, {reason}): \
                 {} became {}",
                d.original_line,
                d.index,
                d.formatted_line,
                check::quote(&d.original),
                check::quote(&d.formatted)
            )),
            Some(Semantics::Error(error)) => errors.push(format!("{path}: {error}")),
        }
    }
    println!("  semantic differences: {}", differences.len());
    list_lines(&differences, show);
    println!("    alike as epp_dodger forms: {same} files, {forms} forms");
    println!(
        "    alike as erl_scan tokens, where epp_dodger gave up on a form: \
         {fallback_same} files, {tokens} tokens"
    );
    let failed = !differences.is_empty();
    list("files the Erlang helper could not read", &errors, show) || failed
}

/// Prints `title: count` and up to `show` lines; true when there are any.
fn list(title: &str, lines: &[String], show: usize) -> bool {
    println!("  {title}: {}", lines.len());
    list_lines(lines, show);
    !lines.is_empty()
}

fn list_lines(lines: &[String], show: usize) {
    for line in lines.iter().take(show) {
        println!("    {line}");
    }
    if lines.len() > show {
        println!(
            "    ... and {} more (--show N, --file PATH)",
            lines.len() - show
        );
    }
}

fn select_files(args: &FmtArgs, root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !args.files.is_empty() {
        return args
            .files
            .iter()
            .map(|f| std::path::absolute(f).with_context(|| format!("resolving {}", f.display())))
            .collect();
    }
    let mut files = otp::source_files(root)?;
    if let Some(filter) = &args.filter {
        files.retain(|f| f.to_string_lossy().contains(filter.as_str()));
    }
    if let Some(limit) = args.limit {
        files.truncate(limit);
    }
    Ok(files)
}

/// A directory under the system's temporary directory, removed when dropped.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(purpose: &str) -> anyhow::Result<TempDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "erlkit-{purpose}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(TempDir(dir))
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
