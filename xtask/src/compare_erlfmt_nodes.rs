//! `cargo xtask compare-erlfmt-nodes`: the nodes erlkit lowers each form to, against the nodes erlfmt's parser builds.
//!
//! The formatter's rules read erlfmt-shaped nodes (`fmt::node`) that
//! `fmt`'s lowering builds from the lossless tree. This dumps, for every form
//! of every file, erlkit's nodes (`fmt::node::dump::debug_lowered_forms`) and
//! erlfmt's (`xtask/erlang/erlfmt_nodes_oracle.erl`, run with erlfmt's ebin:
//! `--ebin DIR`, `ERLFMT_EBIN`, or found from the `erlfmt` on PATH) in the
//! same s-expression format, matches the forms by where they start, and
//! reports how many dump alike, which forms either side refuses, and the first
//! differences.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::Context;
use fmt::SourceKind;
use project_model::otp::find_installation;
use rayon::prelude::*;
use syntax::{FileKind, OtpRelease};

/// Directories never searched.
const SKIPPED_DIRECTORIES: [&str; 2] = ["_build", ".git"];

/// Characters of each dump shown before the first difference.
const CONTEXT_BEFORE: usize = 150;

/// Characters of each dump shown from the first difference on.
const CONTEXT_AFTER: usize = 250;

#[derive(clap::Args)]
pub(crate) struct CompareErlfmtNodesArgs {
    /// Files, or directories to search for Erlang files (`.erl`, `.hrl`, term files).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// erlfmt's `ebin` directory (holding `erlfmt_parse.beam`).
    #[arg(long)]
    ebin: Option<PathBuf>,
    /// Show the first N differing forms.
    #[arg(long, default_value_t = 10, value_name = "N")]
    show: usize,
    /// Show the N most frequent reasons erlkit gives for forms erlfmt reads.
    #[arg(long, default_value_t = 15, value_name = "N")]
    reasons: usize,
    /// List the first N places of each kind of mismatch (forms one side refuses or lacks).
    #[arg(long, default_value_t = 5, value_name = "N")]
    places: usize,
    /// The OTP release whose syntax erlkit uses (default: the release of `erl` on PATH).
    #[arg(long, value_name = "MAJOR")]
    otp_release: Option<u32>,
}

/// One side's view of a form: its dump, or why it was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dump {
    Node(String),
    Unsupported(String),
}

/// The forms of one file by where they start (`line:column`), and whether reading stopped early.
#[derive(Debug, Default)]
struct FileForms {
    forms: BTreeMap<(u32, u32), Dump>,
    error: Option<String>,
}

/// The tallies of the comparison.
#[derive(Debug, Default)]
struct Report {
    identical: usize,
    differing: Vec<Difference>,
    refused_by_erlkit: Vec<(String, String)>,
    refused_by_erlfmt: Vec<String>,
    refused_by_both: usize,
    only_erlkit: Vec<String>,
    only_erlfmt: Vec<String>,
    unreadable: Vec<String>,
}

#[derive(Debug)]
struct Difference {
    place: String,
    erlkit: String,
    erlfmt: String,
}

pub(crate) fn run(args: CompareErlfmtNodesArgs) -> anyhow::Result<()> {
    let ebin = match args
        .ebin
        .clone()
        .or_else(|| std::env::var_os("ERLFMT_EBIN").map(PathBuf::from))
    {
        Some(ebin) => ebin,
        None => crate::compare_algebra::ebin_of_erlfmt_on_path()?,
    };
    anyhow::ensure!(
        ebin.join("erlfmt_parse.beam").is_file(),
        "no erlfmt_parse.beam in {}",
        ebin.display()
    );
    let release = choose_release(args.otp_release);
    let mut files = Vec::new();
    for path in &args.paths {
        collect_files(path, true, &mut files)?;
    }
    files.sort();
    files.dedup();
    anyhow::ensure!(!files.is_empty(), "no Erlang files under the paths given");

    let ours: Vec<FileForms> = files
        .par_iter()
        .map(|path| erlkit_forms(path, release))
        .collect();
    let theirs = erlfmt_forms(&ebin, &files)?;
    let mut report = Report::default();
    for (path, ours) in files.iter().zip(&ours) {
        let empty = FileForms::default();
        let theirs = theirs.get(&path.display().to_string()).unwrap_or(&empty);
        compare_file(&path.display().to_string(), ours, theirs, &mut report);
    }
    print_report(&report, &args, files.len());
    Ok(())
}

/// `--otp-release`, else the release of the OTP on PATH, else the newest known.
fn choose_release(command_line: Option<u32>) -> OtpRelease {
    if let Some(major) = command_line {
        return OtpRelease(major);
    }
    let path_var = std::env::var_os("PATH");
    let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
    find_installation(path_var.as_deref(), erl_rootdir.as_deref())
        .map_or(OtpRelease::LATEST, |installation| installation.release())
}

/// Adds `path` (a file named on the command line) or the Erlang files under it
/// (a directory) to `found`.
fn collect_files(path: &Path, named: bool, found: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let metadata =
        std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !metadata.is_dir() {
        if named || FileKind::from_path(path).is_some() {
            found.push(path.to_path_buf());
        }
        return Ok(());
    }
    let entries = std::fs::read_dir(path).with_context(|| format!("listing {}", path.display()))?;
    for entry in entries {
        let child = entry
            .with_context(|| format!("listing {}", path.display()))?
            .path();
        let skipped = child
            .file_name()
            .is_some_and(|name| SKIPPED_DIRECTORIES.iter().any(|skip| name == *skip));
        if !skipped {
            collect_files(&child, false, found)?;
        }
    }
    Ok(())
}

/// erlkit's dumps of the forms of `path`.
fn erlkit_forms(path: &Path, release: OtpRelease) -> FileForms {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return failed(format!("reading: {error}")),
    };
    let text = match syntax::decode_source(&bytes) {
        Ok((text, _)) => text,
        Err(error) => return failed(format!("decoding: {error:?}")),
    };
    let kind = SourceKind {
        file_kind: FileKind::from_path(path).unwrap_or_default(),
        release,
    };
    let dumped = std::panic::catch_unwind(|| fmt::node::dump::debug_lowered_forms(&text, kind));
    match dumped {
        Ok(dumped) => parse_forms(dumped.lines()),
        Err(_) => failed("the lowering panicked".to_owned()),
    }
}

fn failed(error: String) -> FileForms {
    FileForms {
        forms: BTreeMap::new(),
        error: Some(error),
    }
}

/// erlfmt's dumps of the forms of every file, by path.
fn erlfmt_forms(ebin: &Path, files: &[PathBuf]) -> anyhow::Result<HashMap<String, FileForms>> {
    let mut input = format!("{}\n", ebin.display());
    for file in files {
        input.push_str(&format!("{}\n", file.display()));
    }
    let output = crate::corpus::erlang_helper::run("erlfmt_nodes_oracle.erl", &input)?;
    // Form lines start with a digit or `!!!`: a header line is never a form's.
    let mut sections: Vec<(&str, Vec<&str>)> = Vec::new();
    for line in output.lines() {
        match line.strip_prefix("=== ") {
            Some(path) => sections.push((path, Vec::new())),
            None => {
                if let Some((_, lines)) = sections.last_mut() {
                    lines.push(line);
                }
            }
        }
    }
    Ok(sections
        .into_iter()
        .map(|(path, lines)| (path.to_owned(), parse_forms(lines.into_iter())))
        .collect())
}

/// Lines `L:C dump`, `L:C unsupported...` and `!!! error` as forms.
fn parse_forms<'l>(lines: impl Iterator<Item = &'l str>) -> FileForms {
    let mut file = FileForms::default();
    for line in lines {
        if let Some(error) = line.strip_prefix("!!! ") {
            file.error = Some(error.to_owned());
            continue;
        }
        let Some((at, dump)) = line.split_once(' ') else {
            continue;
        };
        let Some((line, column)) = at.split_once(':') else {
            continue;
        };
        let (Ok(line), Ok(column)) = (line.parse(), column.parse()) else {
            continue;
        };
        let dump = match dump.strip_prefix("unsupported") {
            Some(reason) => Dump::Unsupported(reason.trim_start_matches(": ").to_owned()),
            None => Dump::Node(dump.to_owned()),
        };
        file.forms.insert((line, column), dump);
    }
    file
}

fn compare_file(path: &str, ours: &FileForms, theirs: &FileForms, report: &mut Report) {
    if let Some(error) = theirs.error.as_ref().or(ours.error.as_ref()) {
        report.unreadable.push(format!("{path}: {error}"));
        if theirs.forms.is_empty() || ours.forms.is_empty() {
            return;
        }
    }
    for (&(line, column), our_dump) in &ours.forms {
        let place = format!("{path}:{line}:{column}");
        match (our_dump, theirs.forms.get(&(line, column))) {
            (_, None) => report.only_erlkit.push(place),
            (Dump::Node(ours), Some(Dump::Node(theirs))) if ours == theirs => report.identical += 1,
            (Dump::Node(ours), Some(Dump::Node(theirs))) => report.differing.push(Difference {
                place,
                erlkit: ours.clone(),
                erlfmt: theirs.clone(),
            }),
            (Dump::Unsupported(reason), Some(Dump::Node(_))) => {
                report.refused_by_erlkit.push((place, reason.clone()))
            }
            (Dump::Node(_), Some(Dump::Unsupported(_))) => report.refused_by_erlfmt.push(place),
            (Dump::Unsupported(_), Some(Dump::Unsupported(_))) => report.refused_by_both += 1,
        }
    }
    for &(line, column) in theirs.forms.keys() {
        if !ours.forms.contains_key(&(line, column)) {
            report.only_erlfmt.push(format!("{path}:{line}:{column}"));
        }
    }
}

fn print_report(report: &Report, args: &CompareErlfmtNodesArgs, files: usize) {
    for difference in report.differing.iter().take(args.show) {
        print_difference(difference);
    }
    print_reasons(&report.refused_by_erlkit, args.reasons);
    let refused_by_erlkit: Vec<String> = report
        .refused_by_erlkit
        .iter()
        .map(|(place, reason)| format!("{place}: {reason}"))
        .collect();
    let lists = [
        ("forms erlfmt reads and erlkit refuses", &refused_by_erlkit),
        (
            "forms erlfmt refuses and erlkit lowers",
            &report.refused_by_erlfmt,
        ),
        ("forms only erlkit has", &report.only_erlkit),
        ("forms only erlfmt has", &report.only_erlfmt),
        ("files not read to the end", &report.unreadable),
    ];
    for (what, places) in lists {
        print_places(what, places, args.places);
    }
    let compared = report.identical
        + report.differing.len()
        + report.refused_by_erlkit.len()
        + report.refused_by_erlfmt.len()
        + report.refused_by_both;
    println!(
        "compare-erlfmt-nodes: {files} files, {compared} forms: {} identical, {} differing, \
         {} refused by erlkit only, {} refused by erlfmt only, {} refused by both; \
         {} forms only erlkit has, {} only erlfmt has",
        report.identical,
        report.differing.len(),
        report.refused_by_erlkit.len(),
        report.refused_by_erlfmt.len(),
        report.refused_by_both,
        report.only_erlkit.len(),
        report.only_erlfmt.len(),
    );
}

/// Both dumps around where they first differ.
fn print_difference(difference: &Difference) {
    let at = difference
        .erlkit
        .char_indices()
        .zip(difference.erlfmt.chars())
        .find(|((_, ours), theirs)| ours != theirs)
        .map_or(
            difference.erlkit.len().min(difference.erlfmt.len()),
            |((at, _), _)| at,
        );
    println!("{}: differs", difference.place);
    println!("  erlkit: {}", excerpt(&difference.erlkit, at));
    println!("  erlfmt: {}", excerpt(&difference.erlfmt, at));
}

/// `CONTEXT_BEFORE` characters before byte `at` of `dump` and `CONTEXT_AFTER` from it on.
fn excerpt(dump: &str, at: usize) -> String {
    let at = floor_char_boundary(dump, at);
    let before: String = {
        let chars: Vec<char> = dump[..at].chars().collect();
        let skip = chars.len().saturating_sub(CONTEXT_BEFORE);
        chars[skip..].iter().collect()
    };
    let after: String = dump[at..].chars().take(CONTEXT_AFTER).collect();
    format!("…{before}⟦{after}")
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The most frequent reasons erlkit gives for forms erlfmt reads, with one place each.
fn print_reasons(refused: &[(String, String)], top: usize) {
    let mut by_reason: HashMap<&str, (usize, &str)> = HashMap::new();
    for (place, reason) in refused {
        by_reason.entry(reason).or_insert((0, place)).0 += 1;
    }
    let mut reasons: Vec<_> = by_reason.into_iter().collect();
    reasons.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    if !reasons.is_empty() {
        println!("forms erlfmt reads and erlkit refuses, by reason:");
    }
    for (reason, (count, place)) in reasons.into_iter().take(top) {
        println!("  {count:6}  {reason}  (e.g. {place})");
    }
}

/// A count and the first `shown` places.
fn print_places(what: &str, places: &[String], shown: usize) {
    if places.is_empty() {
        return;
    }
    println!("{what}: {}", places.len());
    for place in places.iter().take(shown) {
        println!("  {place}");
    }
}
