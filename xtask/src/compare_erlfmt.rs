//! `cargo xtask compare-erlfmt`: formats Erlang files with erlkit and with erlfmt and reports how many come out identical.

mod erlfmt;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use fmt::{FormatOptions, SourceKind};
use project_model::otp::find_installation;
use rayon::prelude::*;
use syntax::{FileKind, OtpRelease};

use self::erlfmt::{Erlfmt, ErlfmtOutcome};

/// Directories never searched.
const SKIPPED_DIRECTORIES: [&str; 2] = ["_build", ".git"];

/// Lines of diff shown per file at most.
const MAX_DIFF_LINES: usize = 40;

/// Hunks of diff shown per file at most.
const MAX_DIFF_HUNKS: usize = 2;

#[derive(clap::Args)]
pub(crate) struct CompareErlfmtArgs {
    /// Directories to search for `.erl` and `.hrl` files (skipping `_build`), or files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Show a short diff (from erlfmt's output to erlkit's) for the first N differing files.
    #[arg(long, default_value_t = 10, value_name = "N")]
    show: usize,
    /// The line width both formatters aim for.
    #[arg(long, default_value_t = 100)]
    print_width: u32,
    /// The OTP release whose syntax erlkit uses (default: the release of `erl` on PATH).
    #[arg(long, value_name = "MAJOR")]
    otp_release: Option<u32>,
}

/// One file to compare.
struct SourceFile {
    /// As found under the paths given.
    path: PathBuf,
    kind: FileKind,
    bytes: Vec<u8>,
}

/// What erlkit made of one file.
enum ErlkitOutcome {
    Formatted(Vec<u8>),
    Failed(String),
}

pub(crate) fn run(args: CompareErlfmtArgs) -> anyhow::Result<()> {
    let Some(erlfmt) = Erlfmt::find(args.print_width) else {
        eprintln!(
            "compare-erlfmt: there is no `erlfmt` on PATH, so there is nothing to compare with.\n\
             Put erlfmt 1.8.0 on PATH (its escript needs `escript` from OTP) and run again."
        );
        std::process::exit(2);
    };
    let erlfmt_version = erlfmt.version()?;
    let (release, release_source) = choose_release(args.otp_release);

    let mut paths = Vec::new();
    for path in &args.paths {
        collect_files(path, &mut paths)?;
    }
    paths.sort();
    paths.dedup();
    anyhow::ensure!(
        !paths.is_empty(),
        "no .erl or .hrl files under the paths given"
    );
    let files: Vec<SourceFile> = paths
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let kind = FileKind::from_path(&path).unwrap_or(FileKind::Module);
            Ok(SourceFile { path, kind, bytes })
        })
        .collect::<anyhow::Result<_>>()?;
    let canonical: Vec<PathBuf> = files
        .iter()
        .map(|file| {
            std::fs::canonicalize(&file.path)
                .with_context(|| format!("resolving {}", file.path.display()))
        })
        .collect::<anyhow::Result<_>>()?;
    let originals: Vec<Vec<u8>> = files.iter().map(|file| file.bytes.clone()).collect();

    eprintln!(
        "compare-erlfmt: {} files; erlfmt: {} ({erlfmt_version}); erlkit: OTP {} syntax ({release_source})",
        files.len(),
        erlfmt.program().display(),
        release.0
    );
    let started = Instant::now();
    let erlfmt_outcomes = erlfmt.format_all(&canonical, &originals)?;
    let erlfmt_seconds = started.elapsed().as_secs_f64();
    drop(originals);

    let options = FormatOptions {
        print_width: args.print_width,
        ..FormatOptions::default()
    };
    let started = Instant::now();
    let erlkit_outcomes: Vec<ErlkitOutcome> = files
        .par_iter()
        .map(|file| format_with_erlkit(file, release, &options))
        .collect();
    let erlkit_seconds = started.elapsed().as_secs_f64();

    report(
        &args,
        &files,
        &erlfmt_outcomes,
        &erlkit_outcomes,
        erlfmt_seconds,
        erlkit_seconds,
    );
    Ok(())
}

/// `--otp-release`, else the release of the OTP installation `erl` on PATH
/// belongs to, else the newest release erlkit knows (as `erlkit parse` chooses).
fn choose_release(command_line: Option<u32>) -> (OtpRelease, String) {
    if let Some(major) = command_line {
        return (OtpRelease(major), "--otp-release".to_owned());
    }
    let path_var = std::env::var_os("PATH");
    let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
    match find_installation(path_var.as_deref(), erl_rootdir.as_deref()) {
        Some(installation) => (
            installation.release(),
            format!(
                "OTP {} at {}",
                installation.version,
                installation.root.display()
            ),
        ),
        None => (
            OtpRelease::LATEST,
            "newest known: no OTP installation found".to_owned(),
        ),
    }
}

/// Adds `path` (a file) or the `.erl`/`.hrl` files under it (a directory) to `found`.
/// Symbolic links to directories are not followed.
fn collect_files(path: &Path, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !metadata.is_dir() {
        found.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).with_context(|| format!("listing {}", path.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", path.display()))?;
        let child = entry.path();
        let file_type = entry
            .file_type()
            .with_context(|| format!("reading {}", child.display()))?;
        if file_type.is_dir() {
            let skipped = SKIPPED_DIRECTORIES
                .iter()
                .any(|name| entry.file_name() == *name);
            if !skipped {
                collect_files(&child, found)?;
            }
        } else if matches!(
            child.extension().and_then(|ext| ext.to_str()),
            Some("erl" | "hrl")
        ) && child.is_file()
        {
            found.push(child);
        }
    }
    Ok(())
}

/// Decodes, formats and encodes one file the way `erlkit fmt` does.
fn format_with_erlkit(
    file: &SourceFile,
    release: OtpRelease,
    options: &FormatOptions,
) -> ErlkitOutcome {
    let (text, encoding) = match syntax::decode_source(&file.bytes) {
        Ok(decoded) => decoded,
        Err(error) => return ErlkitOutcome::Failed(format!("cannot decode: {error}")),
    };
    let kind = SourceKind {
        file_kind: file.kind,
        release,
    };
    let formatted =
        match std::panic::catch_unwind(AssertUnwindSafe(|| fmt::format_text(&text, kind, options)))
        {
            Ok(formatted) => formatted,
            Err(_) => return ErlkitOutcome::Failed("the formatter panicked".to_owned()),
        };
    match syntax::encode_source(&formatted.text, encoding) {
        Ok(bytes) => ErlkitOutcome::Formatted(bytes),
        Err(error) => ErlkitOutcome::Failed(format!("cannot encode the result: {error}")),
    }
}

fn report(
    args: &CompareErlfmtArgs,
    files: &[SourceFile],
    erlfmt_outcomes: &[ErlfmtOutcome],
    erlkit_outcomes: &[ErlkitOutcome],
    erlfmt_seconds: f64,
    erlkit_seconds: f64,
) {
    let mut erlfmt_failed = Vec::new();
    let mut erlkit_failed = Vec::new();
    let mut differ = Vec::new();
    let mut identical = 0usize;
    let mut erlfmt_warned = 0usize;
    for ((file, erlfmt), erlkit) in files.iter().zip(erlfmt_outcomes).zip(erlkit_outcomes) {
        match (erlfmt, erlkit) {
            (ErlfmtOutcome::Failed(message), _) => erlfmt_failed.push((file, message.as_str())),
            (_, ErlkitOutcome::Failed(message)) => erlkit_failed.push((file, message.as_str())),
            (ErlfmtOutcome::Formatted { bytes, warned }, ErlkitOutcome::Formatted(ours)) => {
                erlfmt_warned += usize::from(*warned);
                if bytes == ours {
                    identical += 1;
                } else {
                    differ.push((file, bytes.as_slice(), ours.as_slice()));
                }
            }
        }
    }

    if !erlfmt_failed.is_empty() {
        println!("erlfmt failed on {} files:", erlfmt_failed.len());
        for (file, message) in &erlfmt_failed {
            println!("  {}: {}", file.path.display(), first_line(message));
        }
    }
    if !erlkit_failed.is_empty() {
        println!("erlkit failed on {} files:", erlkit_failed.len());
        for (file, message) in &erlkit_failed {
            println!("  {}: {message}", file.path.display());
        }
    }
    if !differ.is_empty() {
        println!("{} files differ:", differ.len());
        for (file, _, _) in &differ {
            println!("  {}", file.path.display());
        }
    }
    for (file, theirs, ours) in differ.iter().take(args.show) {
        println!();
        print!("{}", short_diff(&file.path, theirs, ours));
    }

    let compared = identical + differ.len();
    println!();
    println!(
        "files: {} (erlfmt: {erlfmt_seconds:.1} s wall, erlkit: {erlkit_seconds:.1} s wall)",
        files.len()
    );
    println!(
        "erlfmt failed: {}; erlkit failed: {}; erlfmt kept forms verbatim in {erlfmt_warned}",
        erlfmt_failed.len(),
        erlkit_failed.len()
    );
    println!(
        "identical: {identical}/{compared} ({:.1}%)",
        percent(identical, compared)
    );
}

/// The first hunks of a unified diff from erlfmt's output to erlkit's, cut to a few lines.
fn short_diff(path: &Path, erlfmt: &[u8], erlkit: &[u8]) -> String {
    let erlfmt = String::from_utf8_lossy(erlfmt);
    let erlkit = String::from_utf8_lossy(erlkit);
    let diff = similar::TextDiff::from_lines(erlfmt.as_ref(), erlkit.as_ref());
    let unified = diff.unified_diff();
    let hunks: Vec<String> = unified.iter_hunks().map(|hunk| hunk.to_string()).collect();
    let mut text = format!(
        "--- erlfmt: {}\n+++ erlkit: {}\n",
        path.display(),
        path.display()
    );
    let mut lines = 0;
    for hunk in hunks.iter().take(MAX_DIFF_HUNKS) {
        for line in hunk.lines() {
            if lines == MAX_DIFF_LINES {
                text.push_str("  [diff cut]\n");
                return text;
            }
            text.push_str(line);
            text.push('\n');
            lines += 1;
        }
    }
    if hunks.len() > MAX_DIFF_HUNKS {
        text.push_str(&format!(
            "  [{} more hunks]\n",
            hunks.len() - MAX_DIFF_HUNKS
        ));
    }
    text
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or("")
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}
