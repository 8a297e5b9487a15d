//! Data-driven parser tests: every `.erl` under `test_data/parser/` against its `.rast` dump.
//!
//! Files in `ok/` must parse without errors, files in `err/` with at least one.
//! Run with `UPDATE_EXPECT=1` to write the dumps, then review the diff.

mod incremental_props;
mod robustness_props;

use std::path::{Path, PathBuf};

use crate::{FileKind, OtpRelease, ParseOptions, parse};

fn test_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test_data")
        .join("parser")
}

/// Options for a fixture: `name.otp25.erl` parses as OTP 25, `.hrl`, `.escript` and
/// `.config` files as their kinds.
fn fixture_options(path: &Path) -> ParseOptions {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let release = if name.contains(".otp25.") {
        OtpRelease(25)
    } else {
        OtpRelease::LATEST
    };
    let file_kind = FileKind::from_path(path).unwrap_or(FileKind::Module);
    ParseOptions { release, file_kind }
}

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(test_data_dir().join(dir))
        .expect("test_data/parser exists")
        .map(|e| e.expect("readable test_data").path())
        .filter(|p| p.extension().is_some_and(|e| e != "rast"))
        .collect();
    files.sort();
    files
}

fn check_dir(dir: &str, expect_errors: bool) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for path in fixtures(dir) {
        let text = std::fs::read_to_string(&path).expect("fixtures are UTF-8");
        let parse = parse(&text, &fixture_options(&path));
        assert_eq!(
            parse.syntax_node().to_string(),
            text,
            "round trip of {}",
            path.display()
        );
        if expect_errors == parse.errors().is_empty() {
            failures.push(format!(
                "{}: expected {}errors, got:\n{}",
                path.display(),
                if expect_errors { "" } else { "no " },
                parse.debug_dump()
            ));
        }
        let dump = parse.debug_dump();
        let rast = path.with_extension(format!(
            "{}.rast",
            path.extension().and_then(|e| e.to_str()).unwrap_or("")
        ));
        let expected = std::fs::read_to_string(&rast).unwrap_or_default();
        if expected != dump {
            if update {
                std::fs::write(&rast, &dump).expect("writing .rast");
            } else {
                failures.push(format!(
                    "{} differs from {} (run with UPDATE_EXPECT=1 and review)",
                    path.display(),
                    rast.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parser_ok_fixtures() {
    check_dir("ok", false);
}

#[test]
fn parser_err_fixtures() {
    check_dir("err", true);
}

#[test]
fn parse_with_tokens_gives_the_lexers_tokens_and_the_same_tree() {
    let text = "-module(m).\n%% c\nf(X) -> [X | \"s\"].\n";
    let options = ParseOptions::default();
    let (parse_and_tokens, tokens) = crate::parse_with_tokens(text, &options);
    let (lexed, _) = crate::tokenize(
        text,
        &crate::LexOptions {
            release: options.release,
            file_kind: options.file_kind,
        },
    );
    assert_eq!(tokens, lexed);
    assert_eq!(parse_and_tokens, parse(text, &options));
    let covered: u32 = tokens.iter().map(|token| token.len).sum();
    assert_eq!(covered as usize, text.len());
}

/// A broken clause in the middle of a function of thousands (as in OTP's generated
/// `unicode_util`) is read in time linear in the file: the recovery that cuts a
/// broken form at a line starting a new form reads no form more than twice.
#[test]
fn a_broken_clause_in_a_long_function_is_read_in_linear_time() {
    let clauses = |broken: Option<usize>| {
        let mut text = String::from("-module(m).\n");
        for n in 0..6000 {
            let number = if broken == Some(n) { "12539." } else { "12539" };
            text.push_str(&format!(
                "f({n}) -> {{0,[],{{narrow,[{{0,{number}}}]}}}};\n"
            ));
        }
        text.push_str("f(_) -> 0.\n");
        text
    };
    let options = ParseOptions::default();
    let time = |text: &str| {
        let started = std::time::Instant::now();
        let parse = parse(text, &options);
        (started.elapsed(), parse.errors().len())
    };
    let (clean, clean_errors) = time(&clauses(None));
    let (broken, broken_errors) = time(&clauses(Some(3000)));
    assert_eq!(clean_errors, 0);
    assert!(broken_errors > 0);
    // Reading every clause again after each cut took 300 times as long.
    assert!(
        broken < clean * 10 + std::time::Duration::from_millis(200),
        "a clean file took {clean:?}, the same with one broken clause {broken:?}"
    );
}
