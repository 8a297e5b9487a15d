//! Compares `fmt::format_text` with erlfmt 1.8.0 on the pairs in `test_data/erlfmt/`.
//!
//! Every pair is formatted, its output is formatted again and must not change,
//! and the number of matching pairs is always printed;
//! every pair must match except those in `DELIBERATE_DIFFERENCES`, which must
//! not (so that the list stays true). See `test_data/erlfmt/README.md`.

use std::io::Write;
use std::path::{Path, PathBuf};

use fmt::{FormatOptions, PragmaMode, SourceKind};
use syntax::{FileKind, OtpRelease};

/// Input file names whose output differs from erlfmt's on purpose, and why
/// (docs/cli/fmt.md lists the differences).
const DELIBERATE_DIFFERENCES: &[(&str, &str)] = &[(
    "unicode_text.erl",
    "line width is measured in Unicode columns; erlfmt counts characters, so a wide (CJK) character counts 1 instead of 2",
)];

/// One input and the output erlfmt gives for it.
struct Pair {
    /// The input's file name, e.g. `guards.erl`.
    name: String,
    input: PathBuf,
    expected: PathBuf,
    /// `NAME.args`, when present: erlfmt's extra flags for this pair.
    args: Option<PathBuf>,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/erlfmt")
}

/// `NAME.EXT` -> `NAME.expected.EXT` (names have no other dots before the extension).
fn expected_name(input_name: &str) -> Option<String> {
    let (stem, ext) = input_name.split_once('.')?;
    Some(format!("{stem}.expected.{ext}"))
}

fn pairs() -> Vec<Pair> {
    let dir = corpus_dir();
    let mut pairs = Vec::new();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the corpus folder {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("reading the corpus folder").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.contains(".expected.") || FileKind::from_path(&path).is_none() {
            continue;
        }
        let expected = dir.join(expected_name(name).expect("an input name has an extension"));
        assert!(
            expected.is_file(),
            "{name} has no {}: run test_data/erlfmt/regenerate.sh",
            expected.display()
        );
        let stem = name.split_once('.').map_or(name, |(stem, _)| stem);
        let args = dir.join(format!("{stem}.args"));
        pairs.push(Pair {
            name: name.to_string(),
            input: path.clone(),
            expected,
            args: args.is_file().then_some(args),
        });
    }
    pairs.sort_by(|a, b| a.name.cmp(&b.name));
    pairs
}

/// The options that erlfmt's flags in `NAME.args` stand for.
fn options_from_args(args: &str, pair: &str) -> FormatOptions {
    let mut options = FormatOptions::default();
    let mut words = args.split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "--require-pragma" => options.pragma = PragmaMode::Require,
            "--insert-pragma" | "-i" => options.pragma = PragmaMode::Insert,
            "--delete-pragma" => options.pragma = PragmaMode::Delete,
            "--print-width" => {
                let width = words.next().and_then(|w| w.parse().ok());
                options.print_width =
                    width.unwrap_or_else(|| panic!("{pair}: --print-width needs a number"));
            }
            _ => match word.strip_prefix("--print-width=").map(str::parse) {
                Some(Ok(width)) => options.print_width = width,
                _ => panic!("{pair}: erlfmt flag `{word}` is not understood by this test"),
            },
        }
    }
    options
}

/// Where two texts first differ, for the failure message.
fn first_difference(expected: &str, actual: &str) -> String {
    let mut expected_lines = expected.split_inclusive('\n');
    let mut actual_lines = actual.split_inclusive('\n');
    let mut line = 1;
    loop {
        match (expected_lines.next(), actual_lines.next()) {
            (Some(e), Some(a)) if e == a => line += 1,
            (None, None) => return "identical".to_string(),
            (e, a) => {
                return format!(
                    "line {line}:\n      erlfmt: {:?}\n      erlkit: {:?}",
                    e.unwrap_or("<end of file>"),
                    a.unwrap_or("<end of file>")
                );
            }
        }
    }
}

#[test]
fn erlfmt_compat() {
    let pairs = pairs();
    assert!(
        !pairs.is_empty(),
        "the erlfmt corpus in {} is empty",
        corpus_dir().display()
    );
    for (name, _) in DELIBERATE_DIFFERENCES {
        assert!(
            pairs.iter().any(|p| p.name == *name),
            "DELIBERATE_DIFFERENCES names {name}, which is not in the corpus"
        );
    }

    let mut matching = 0;
    let mut mismatches = Vec::new();
    let mut unstable = Vec::new();
    for pair in &pairs {
        let input = std::fs::read_to_string(&pair.input)
            .unwrap_or_else(|e| panic!("reading {}: {e}", pair.input.display()));
        let expected = std::fs::read_to_string(&pair.expected)
            .unwrap_or_else(|e| panic!("reading {}: {e}", pair.expected.display()));
        let options = match &pair.args {
            Some(path) => {
                let args = std::fs::read_to_string(path)
                    .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                options_from_args(&args, &pair.name)
            }
            None => FormatOptions::default(),
        };
        let kind = SourceKind {
            file_kind: FileKind::from_path(&pair.input).expect("inputs have an Erlang kind"),
            release: OtpRelease::LATEST,
        };
        let formatted = fmt::format_text(&input, kind, &options);
        if formatted.text == expected {
            matching += 1;
        } else {
            mismatches.push((
                pair.name.as_str(),
                first_difference(&expected, &formatted.text),
            ));
        }
        // Stability: the output, formatted again, stays as it is.
        let again = fmt::format_text(&formatted.text, kind, &options);
        if again.text != formatted.text {
            unstable.push(format!(
                "  {}: formatting the output again changes it at {}",
                pair.name,
                first_difference(&formatted.text, &again.text)
            ));
        }
    }

    // Straight to stderr, past the test harness's capture, so that the figure
    // shows in every `cargo test` run.
    let mut report = format!("erlfmt compat: {matching}/{} files match\n", pairs.len());
    if !mismatches.is_empty() {
        let names: Vec<&str> = mismatches.iter().map(|(name, _)| *name).collect();
        report.push_str(&format!("  mismatching: {}\n", names.join(", ")));
    }
    let _ = std::io::stderr().write_all(report.as_bytes());

    assert!(
        unstable.is_empty(),
        "{} output(s) are not stable:\n{}",
        unstable.len(),
        unstable.join("\n")
    );
    let is_deliberate = |name: &str| DELIBERATE_DIFFERENCES.iter().any(|(n, _)| *n == name);
    let failures: Vec<String> = mismatches
        .iter()
        .filter(|(name, _)| !is_deliberate(name))
        .map(|(name, difference)| format!("  {name}: first difference at {difference}"))
        .collect();
    assert!(
        failures.is_empty(),
        "{} pair(s) differ from erlfmt 1.8.0:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let now_matching: Vec<&str> = DELIBERATE_DIFFERENCES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !mismatches.iter().any(|(m, _)| m == name))
        .collect();
    assert!(
        now_matching.is_empty(),
        "listed as deliberate differences but matching erlfmt: {}",
        now_matching.join(", ")
    );
}
