//! `cargo xtask corpus parse`: the parser judged on OTP's sources.
//!
//! Three checks over every `.erl` and `.hrl` under OTP's `lib/`:
//! 1. round trip: decode, parse, print the tree; the text must be the decoded
//!    text and re-encoding it must give the original bytes;
//! 2. no syntax errors (files that are not Erlang source are excepted by name);
//! 3. the forms found equal `epp_dodger`'s, apart from the forms `epp_dodger`
//!    itself reports errors for and listed exceptions (required for `.erl`
//!    files; `.hrl` files are held to it too).
//!
//! Parsing runs on rayon while one `erl` runs the `epp_dodger` helper.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use rayon::prelude::*;
use syntax::{FileKind, LineColumn, LineIndex, NodeView, OtpRelease, ParseOptions};

use super::align::{self, Mismatch};
use super::exceptions;
use super::forms::{Form, our_forms};
use super::oracle;
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct ParseArgs {
    /// Check only this file (any path, repeatable); lists every error.
    #[arg(long = "file", value_name = "PATH")]
    files: Vec<PathBuf>,
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Only the first N files, in path order.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Only the round trip and syntax errors, without epp_dodger; lists every error.
    #[arg(long)]
    errors_only: bool,
    /// How many errors and mismatches to list [default: 30; all with --file or --errors-only].
    #[arg(long, value_name = "N")]
    show: Option<usize>,
}

/// What checking one file found.
struct FileReport {
    path: PathBuf,
    bytes: usize,
    /// Why the file is not Erlang source, if it is listed as such.
    not_source: Option<&'static str>,
    /// The file could not be read or decoded, or the parser panicked.
    failure: Option<String>,
    /// How the printed tree or the re-encoded bytes differ from the input.
    round_trip: Option<String>,
    /// How the flat tree (`syntax::parse_flat`) differs from the green tree.
    flat_tree: Option<String>,
    /// Syntax errors as `path:line:col: message`.
    errors: Vec<String>,
    forms: Vec<Form>,
}

pub(crate) fn run(args: ParseArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let root = otp::root()?;
    let files = select_files(&args, &root)?;
    if files.is_empty() {
        bail!("no files to check");
    }
    let release = project_model::otp::read_installation(&root)
        .map_or(OtpRelease::LATEST, |installation| installation.release());
    let show_all = !args.files.is_empty() || args.errors_only;
    let show = args.show.unwrap_or(if show_all { usize::MAX } else { 30 });

    // epp_dodger runs in one `erl` while we parse.
    let oracle_files: Vec<PathBuf> = files
        .iter()
        .filter(|p| oracle::compares(p) && exceptions::not_erlang_source(p).is_none())
        .cloned()
        .collect();
    let oracle = (!args.errors_only && !oracle_files.is_empty()).then(|| {
        std::thread::spawn(move || {
            let started = Instant::now();
            oracle::run(&oracle_files).map(|forms| (forms, started.elapsed()))
        })
    });

    let reports = parse_all(&files, release);
    let parse_time = started.elapsed();

    let oracle = match oracle {
        Some(handle) => Some(
            handle
                .join()
                .map_err(|_| anyhow::anyhow!("the epp_dodger thread panicked"))??,
        ),
        None => None,
    };

    let mut failed = false;
    let total_bytes: usize = reports.iter().map(|r| r.bytes).sum();
    println!(
        "corpus parse: {} files, {:.1} MB, OTP {} syntax, from {}",
        reports.len(),
        total_bytes as f64 / 1e6,
        release.0,
        root.join("lib").display()
    );

    // Files we could not even parse; 1. round trip; the flat tree is the same tree.
    failed |= list_problems(&reports, "unreadable or panicked", show, |r| &r.failure);
    failed |= list_problems(&reports, "round-trip failures", show, |r| &r.round_trip);
    failed |= list_problems(
        &reports,
        "flat trees differing from the green tree",
        show,
        |r| &r.flat_tree,
    );

    // 2. Syntax errors.
    let with_errors: Vec<_> = reports
        .iter()
        .filter(|r| !r.errors.is_empty() && r.not_source.is_none())
        .collect();
    let error_count: usize = with_errors.iter().map(|r| r.errors.len()).sum();
    println!(
        "  files with syntax errors: {} ({error_count} errors)",
        with_errors.len()
    );
    for error in with_errors.iter().flat_map(|r| &r.errors).take(show) {
        println!("    {error}");
    }
    if error_count > show {
        println!(
            "    ... and {} more (--show N, --errors-only, --file PATH)",
            error_count - show
        );
    }
    failed |= error_count > 0;
    let not_source: Vec<_> = reports.iter().filter(|r| r.not_source.is_some()).collect();
    for report in &not_source {
        println!(
            "    excepted, not Erlang source: {} ({} errors): {}",
            report.path.display(),
            report.errors.len(),
            report.not_source.unwrap_or_default()
        );
    }

    // 3. Forms against epp_dodger.
    if let Some((oracle, oracle_time)) = &oracle {
        failed |= report_forms(&reports, oracle, show);
        println!(
            "  time: {:.1} s (parsing {:.1} s, epp_dodger {:.1} s alongside)",
            started.elapsed().as_secs_f64(),
            parse_time.as_secs_f64(),
            oracle_time.as_secs_f64()
        );
    } else {
        println!("  forms: not compared (--errors-only, or no .erl/.hrl files)");
        println!("  time: {:.1} s", started.elapsed().as_secs_f64());
    }

    if failed {
        // A plain exit: the report above says everything, a backtrace would not help.
        println!("corpus parse: FAILED");
        std::process::exit(1);
    }
    println!("corpus parse: ok");
    Ok(())
}

/// Prints how many files have a problem of one kind and the first `show` of
/// them with their messages; true when there is any.
fn list_problems(
    reports: &[FileReport],
    title: &str,
    show: usize,
    problem: impl Fn(&FileReport) -> &Option<String>,
) -> bool {
    let with_problem: Vec<_> = reports.iter().filter(|r| problem(r).is_some()).collect();
    println!("  {title}: {}", with_problem.len());
    for report in with_problem.iter().take(show) {
        println!(
            "    {}: {}",
            report.path.display(),
            problem(report).as_deref().unwrap_or_default()
        );
    }
    !with_problem.is_empty()
}

/// Compares every file's forms with epp_dodger's and prints the outcome; true when something failed.
fn report_forms(reports: &[FileReport], oracle: &oracle::OracleForms, show: usize) -> bool {
    let mut compared_files = 0;
    let mut agreed = 0;
    let mut their_errors = 0;
    let mut files_with_their_errors = 0;
    let mut skipped_ours = 0;
    let mut unreadable = Vec::new();
    let mut mismatches: Vec<(PathBuf, Mismatch)> = Vec::new();
    let mut excepted: Vec<(PathBuf, Mismatch, &str)> = Vec::new();
    let mut used_exceptions = BTreeSet::new();
    for report in reports {
        let Some(theirs) = oracle.get(&report.path) else {
            continue;
        };
        if report.failure.is_some() {
            continue;
        }
        let theirs = match theirs {
            Ok(forms) => forms,
            Err(error) => {
                unreadable.push(format!("{}: {error}", report.path.display()));
                continue;
            }
        };
        compared_files += 1;
        let comparison = align::compare(&report.forms, theirs);
        agreed += comparison.agreed;
        their_errors += comparison.their_errors;
        files_with_their_errors += usize::from(comparison.their_errors > 0);
        skipped_ours += comparison.skipped_ours;
        for mismatch in comparison.mismatches {
            match exceptions::form_mismatch(&report.path, mismatch.line) {
                Some(index) => {
                    used_exceptions.insert(index);
                    excepted.push((
                        report.path.clone(),
                        mismatch,
                        exceptions::FORM_MISMATCHES[index].2,
                    ));
                }
                None => mismatches.push((report.path.clone(), mismatch)),
            }
        }
    }
    println!(
        "  forms: {compared_files} files compared with epp_dodger, {agreed} forms agree; \
         skipped {their_errors} epp_dodger error forms in {files_with_their_errors} files \
         ({skipped_ours} of our forms)"
    );
    println!("  form mismatches: {}", mismatches.len());
    for (path, mismatch) in mismatches.iter().take(show) {
        println!("    {}", describe_mismatch(path, mismatch));
    }
    if mismatches.len() > show {
        println!("    ... and {} more (--show N)", mismatches.len() - show);
    }
    if !excepted.is_empty() {
        println!("  excepted form mismatches: {}", excepted.len());
        for (path, mismatch, reason) in &excepted {
            println!("    {} ({reason})", describe_mismatch(path, mismatch));
        }
    }
    if !unreadable.is_empty() {
        println!("  files epp_dodger could not read: {}", unreadable.len());
        for line in unreadable.iter().take(show) {
            println!("    {line}");
        }
    }
    // Stale entries only matter on a full run, where every listed file was compared.
    let stale: Vec<_> = exceptions::FORM_MISMATCHES
        .iter()
        .enumerate()
        .filter(|(i, (suffix, _, _))| {
            !used_exceptions.contains(i)
                && reports
                    .iter()
                    .any(|r| exceptions::versionless(&r.path).ends_with(suffix))
        })
        .collect();
    for (_, (suffix, line, _)) in &stale {
        println!("  note: listed form exception {suffix}:{line} did not occur; remove it");
    }
    !mismatches.is_empty() || !unreadable.is_empty()
}

fn describe_mismatch(path: &Path, mismatch: &Mismatch) -> String {
    let side = |form: &Option<Form>| match form {
        Some(form) if form.line == mismatch.line => form.kind.to_string(),
        Some(form) => format!("{} (line {})", form.kind, form.line),
        None => "nothing".to_owned(),
    };
    format!(
        "{}:{}: ours {}, epp_dodger {}",
        path.display(),
        mismatch.line,
        side(&mismatch.ours),
        side(&mismatch.theirs)
    )
}

fn select_files(args: &ParseArgs, root: &Path) -> anyhow::Result<Vec<PathBuf>> {
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

thread_local! {
    /// The message of the last panic on this thread, kept by the hook set in `parse_all`.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn parse_all(files: &[PathBuf], release: OtpRelease) -> Vec<FileReport> {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(info.to_string()));
    }));
    let reports = files
        .par_iter()
        .map(|path| check_file(path, release))
        .collect();
    panic::set_hook(previous_hook);
    reports
}

fn check_file(path: &Path, release: OtpRelease) -> FileReport {
    let mut report = FileReport {
        path: path.to_path_buf(),
        bytes: 0,
        not_source: exceptions::not_erlang_source(path),
        failure: None,
        round_trip: None,
        flat_tree: None,
        errors: Vec::new(),
        forms: Vec::new(),
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            report.failure = Some(format!("cannot read: {error}"));
            return report;
        }
    };
    report.bytes = bytes.len();
    let (text, encoding) = match syntax::decode_source(&bytes) {
        Ok(decoded) => decoded,
        Err(error) => {
            report.failure = Some(format!("cannot decode: {error}"));
            return report;
        }
    };
    let options = ParseOptions {
        release,
        file_kind: FileKind::from_path(path).unwrap_or(FileKind::Module),
    };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let parse = syntax::parse(&text, &options);
        let root = parse.syntax_node();
        let printed = root.to_string();
        let lines = LineIndex::new(&text);
        let errors: Vec<String> = parse
            .errors()
            .iter()
            .map(|error| {
                let LineColumn { line, column } =
                    lines.line_column(usize::from(error.range().start()));
                format!("{}:{line}:{column}: {}", path.display(), error.message())
            })
            .collect();
        let flat = syntax::parse_flat(&text, &options);
        let flat_tree = syntax::flat_tree_difference(NodeView::of(&root), flat.tree.root(&text))
            .or_else(|| {
                (flat.errors != parse.errors())
                    .then(|| "the flat parse has other syntax errors".to_owned())
            });
        (printed, errors, our_forms(&root, &lines), lines, flat_tree)
    }));
    let (printed, errors, forms, lines, flat_tree) = match outcome {
        Ok(result) => result,
        Err(_) => {
            let message = LAST_PANIC.with(|last| last.borrow_mut().take());
            report.failure = Some(format!(
                "the parser panicked: {}",
                message.as_deref().unwrap_or("(no message)")
            ));
            return report;
        }
    };
    report.errors = errors;
    report.forms = forms;
    report.flat_tree = flat_tree;
    if printed != text {
        let at = first_difference(printed.as_bytes(), text.as_bytes());
        let LineColumn { line, column } = lines.line_column(at);
        report.round_trip = Some(format!(
            "the tree's text differs from the source at {line}:{column} (byte {at}; tree {} bytes, source {} bytes)",
            printed.len(),
            text.len()
        ));
    } else {
        match syntax::encode_source(&printed, encoding) {
            Ok(encoded) if encoded == bytes => {}
            Ok(encoded) => {
                let at = first_difference(&encoded, &bytes);
                report.round_trip = Some(format!(
                    "re-encoding ({encoding:?}) differs from the file's bytes at byte {at} \
                     ({} bytes against {})",
                    encoded.len(),
                    bytes.len()
                ));
            }
            Err(error) => {
                report.round_trip = Some(format!("cannot re-encode ({encoding:?}): {error}"));
            }
        }
    }
    report
}

fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}
