//! The harness judged: broken formatters on small files must fail exactly the check they break.
//!
//! Every test goes through `check_files`, the code path of `cargo xtask corpus
//! fmt`, Erlang helper included; without `erl` the tests say loudly that they
//! skipped.

use std::io::Write;
use std::path::PathBuf;

use ::fmt::{FormatOptions, Formatted, SourceKind};
use syntax::OtpRelease;

use super::check::{Check, FileCheck};
use super::semantics::Semantics;
use super::{TempDir, check_files};
use crate::otp;

const SAMPLE: &str = "\
%% A module for the harness's own tests.
-module(sample).
-export([f/2, g/0]).
-define(TWICE(X), {X, X, ?LINE}).

%% Calls foo with both arguments.
f(A, B) ->
    foo(A, B), % trailing comment
    ?TWICE(A),
    <<\"ab\">>,
    [16#ff, $\\n, 'quoted', \"ab\"].

g() -> ok.
";

/// A file `epp_dodger` gives up on (two macros in a row), so compared as tokens.
const DODGER_FAILS: &str = "\
-module(dodger).
%% epp_dodger cannot parse the next form.
f() -> ?X ?Y.
g() -> \"ab\".
";

const HEADER: &str = "\
%% A header.
-record(r, {a = 1 :: integer(), b}).
-type t() :: #r{} | [t()].
";

/// ISO 8859-1 text, declared: `é` is the single byte 0xE9.
const LATIN1: &[u8] =
    b"%% -*- coding: latin-1 -*-\n-module(latin).\n%% caf\xe9\nf() -> \"caf\xe9\".\n";

/// Writes the named files into a fresh directory; `None` when `erl` is missing.
fn fixture(files: &[(&str, &[u8])]) -> Option<(TempDir, Vec<PathBuf>)> {
    if !otp::is_installed() {
        // Past libtest's capture (it only takes `print!`/`eprint!`), once per run.
        static SAID: std::sync::Once = std::sync::Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: `erl` is not on PATH, so the tests of the formatter harness \
                 (xtask corpus::fmt::tests) check nothing; install OTP, e.g. with `cargo xtask test`"
            );
        });
        return None;
    }
    let dir = TempDir::new("corpus-fmt-test").expect("a temporary directory");
    let paths = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("writing a fixture");
            path
        })
        .collect();
    Some((dir, paths))
}

/// Runs the harness with `format` over `files`; `None` when `erl` is missing.
fn run(files: &[(&str, &[u8])], format: impl Fn(&str) -> String + Sync) -> Option<Vec<FileCheck>> {
    let (_dir, paths) = fixture(files)?;
    let format = move |text: &str, _: SourceKind, _: &FormatOptions| Formatted {
        text: format(text),
        skipped: Vec::new(),
    };
    let run = check_files(&paths, OtpRelease(25), &format, None).expect("the harness runs");
    Some(run.files)
}

/// A formatter that replaces `from` with `to` (idempotent unless `to` holds `from`).
fn replacing(from: &'static str, to: &'static str) -> impl Fn(&str) -> String + Sync {
    move |text| text.replace(from, to)
}

fn sample() -> Vec<(&'static str, &'static [u8])> {
    vec![("sample.erl", SAMPLE.as_bytes())]
}

#[test]
fn the_identity_passes_every_check() {
    let files = [
        ("sample.erl", SAMPLE.as_bytes()),
        ("dodger.erl", DODGER_FAILS.as_bytes()),
        ("header.hrl", HEADER.as_bytes()),
        ("latin.erl", LATIN1),
    ];
    let Some(checks) = run(&files, str::to_owned) else {
        return;
    };
    for check in &checks {
        assert_eq!(check.failed_checks(), [], "{check:#?}");
        assert!(!check.changed);
    }
    assert_eq!(checks[0].semantics, Some(Semantics::Same { forms: 5 }));
    assert!(
        matches!(
            checks[1].semantics,
            Some(Semantics::FallbackSame { tokens: 21, .. })
        ),
        "{:?}",
        checks[1].semantics
    );
    assert_eq!(checks[2].semantics, Some(Semantics::Same { forms: 2 }));
    assert_eq!(checks[3].semantics, Some(Semantics::Same { forms: 2 }));
}

#[test]
fn what_counts_as_the_same_code() {
    // Layout, and literals written differently with the same value: epp_dodger's
    // forms hold values, not spellings, and join adjacent strings.
    let relayout = |text: &str| {
        text.replace("f(A, B) ->\n    foo(A, B),", "f(A, B) -> foo(A,\n  B),")
            .replace(
                "[16#ff, $\\n, 'quoted', \"ab\"]",
                "[255, $\\12, quoted, \"a\" \"b\"]",
            )
            .replace("g() -> ok.\n", "g() ->\n    ok.\n\n\n")
    };
    let Some(checks) = run(&sample(), relayout) else {
        return;
    };
    assert!(checks[0].changed);
    assert_eq!(checks[0].failed_checks(), [], "{:#?}", checks[0]);
    assert_eq!(checks[0].semantics, Some(Semantics::Same { forms: 5 }));
}

#[test]
fn swapped_arguments_are_caught() {
    let Some(checks) = run(&sample(), replacing("foo(A, B)", "foo(B, A)")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::SemanticsKept]);
    let Some(Semantics::Differs { difference, .. }) = &checks[0].semantics else {
        panic!("{:?}", checks[0].semantics);
    };
    assert_eq!(
        (
            difference.index,
            difference.original_line,
            difference.original.as_str(),
            difference.formatted.as_str()
        ),
        (4, 8, "foo(A, B)", "foo(B, A)")
    );
}

#[test]
fn a_changed_atom_is_caught() {
    let Some(checks) = run(&sample(), replacing("g() -> ok.", "g() -> okay.")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::SemanticsKept]);
    let Some(Semantics::Differs { difference, .. }) = &checks[0].semantics else {
        panic!("{:?}", checks[0].semantics);
    };
    assert_eq!(difference.index, 5);
    assert_eq!(difference.original_line, 13);
}

#[test]
fn a_changed_macro_argument_is_caught() {
    // Macros stay unexpanded: `?TWICE(B)` is not `?TWICE(A)`.
    let Some(checks) = run(&sample(), replacing("?TWICE(A)", "?TWICE(B)")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::SemanticsKept]);
}

#[test]
fn a_dropped_comment_is_caught() {
    let Some(checks) = run(&sample(), replacing(" % trailing comment", "")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::CommentsKept]);
    assert_eq!(
        checks[0].comments.as_deref(),
        Some(
            "8: comment 3 `% trailing comment` is missing from the output \
             (3 comments in, 2 out)"
        )
    );
}

#[test]
fn a_changed_comment_is_caught_but_not_trailing_white_space() {
    let Some(checks) = run(&sample(), |text: &str| {
        text.replace("%% Calls foo", "%% calls foo")
            .replace("% trailing comment\n", "% trailing comment   \n")
    }) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::CommentsKept]);
    assert!(
        checks[0]
            .comments
            .as_deref()
            .is_some_and(|c| c.starts_with("6: comment 2 ")),
        "{:?}",
        checks[0].comments
    );
}

#[test]
fn a_formatter_that_is_not_idempotent_is_caught() {
    // Adds a blank line every time it runs.
    let Some(checks) = run(&sample(), |text: &str| format!("{text}\n")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::Idempotent]);
}

#[test]
fn output_that_does_not_parse_is_caught() {
    // `- >` is not `->`: our parser and epp_dodger both give up, and the tokens differ.
    let Some(checks) = run(&sample(), replacing("g() -> ok.", "g() - > ok.")) else {
        return;
    };
    assert_eq!(
        checks[0].failed_checks(),
        [Check::SemanticsKept, Check::OutputParses]
    );
    assert!(
        matches!(
            &checks[0].semantics,
            Some(Semantics::FallbackDiffers { difference, .. })
                if difference.original == "-> ok ." && difference.formatted == "- > ok ."
        ),
        "{:?}",
        checks[0].semantics
    );
}

#[test]
fn the_token_fallback_catches_changes_and_allows_layout() {
    let files = [("dodger.erl", DODGER_FAILS.as_bytes())];
    // Layout only: the same tokens.
    let Some(checks) = run(&files, replacing("g() -> \"ab\".", "g() ->\n    \"ab\".")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [], "{:?}", checks[0].semantics);
    assert!(matches!(
        checks[0].semantics,
        Some(Semantics::FallbackSame { .. })
    ));
    // Splitting a string is two tokens where there was one.
    let Some(checks) = run(&files, replacing("\"ab\"", "\"a\" \"b\"")) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::SemanticsKept]);
    let Some(Semantics::FallbackDiffers { difference, .. }) = &checks[0].semantics else {
        panic!("{:?}", checks[0].semantics);
    };
    assert_eq!((difference.index, difference.original_line), (20, 4));
}

#[test]
fn latin1_files_are_compared_in_their_encoding() {
    // A formatter that writes `é` as `e` changes the string (and the comment).
    let Some(checks) = run(&[("latin.erl", LATIN1)], replacing("é", "e")) else {
        return;
    };
    assert_eq!(
        checks[0].failed_checks(),
        [Check::SemanticsKept, Check::CommentsKept]
    );
}

#[test]
fn a_moved_coding_comment_is_caught() {
    // Two lines above it: epp no longer sees the `coding:` comment and reads UTF-8.
    let add_lines = |text: &str| {
        if text.starts_with("\n\n") {
            text.to_owned()
        } else {
            format!("\n\n{text}")
        }
    };
    let Some(checks) = run(&[("latin.erl", LATIN1)], add_lines) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::Runs]);
    assert!(
        checks[0]
            .failure
            .as_deref()
            .is_some_and(|f| f.contains("would not be readable: invalid UTF-8")),
        "{:?}",
        checks[0].failure
    );
}

#[test]
fn a_panicking_formatter_is_reported() {
    let Some(checks) = run(&sample(), |_: &str| -> String {
        panic!("the formatter under test gave up")
    }) else {
        return;
    };
    assert_eq!(checks[0].failed_checks(), [Check::Runs]);
    assert!(
        checks[0]
            .failure
            .as_deref()
            .is_some_and(|f| f.contains("the formatter under test gave up")),
        "{:?}",
        checks[0].failure
    );
}
