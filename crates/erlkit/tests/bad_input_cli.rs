//! `erlkit analyze` on bad input: files that cannot be decoded, symbolic link
//! loops, a 10 MB generated module, thousands of chained macros and an include
//! cycle. Each is reported (or survived) without a panic and in little time,
//! and the rest of the project is still analysed.

use std::time::{Duration, Instant};

mod support;

use support::{erlkit, project, write};

fn analyze(dir: &std::path::Path) -> (support::Run, Duration) {
    let started = Instant::now();
    let run = erlkit(
        dir,
        &[
            "analyze",
            "--no-otp",
            "--otp-release",
            "25",
            "--max-diagnostics",
            "50",
        ],
    );
    (run, started.elapsed())
}

#[test]
fn undecodable_files_are_reported_and_the_rest_is_analysed() {
    let dir = project(
        r#"
//- /src/good.erl
    -module(good).
    f() -> ok.
"#,
    );
    // Not UTF-8, and no `coding: latin-1` comment.
    write(
        dir.path(),
        "src/bad.erl",
        b"-module(bad).\nf() -> \"\xff\xfe\".\n",
    );
    let (run, _) = analyze(dir.path());
    assert!(
        run.stderr.contains("bad.erl") && run.stdout.contains("analysed: 1 modules"),
        "{}",
        run.render()
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.render());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_is_read_once() {
    let dir = project(
        r#"
//- /src/a.erl
    -module(a).
"#,
    );
    std::os::unix::fs::symlink("..", dir.path().join("src/loop")).unwrap();
    std::os::unix::fs::symlink("self", dir.path().join("src/self")).unwrap();
    let (run, elapsed) = analyze(dir.path());
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        run.stdout.contains("analysed: 1 modules"),
        "{}",
        run.render()
    );
    assert!(elapsed < Duration::from_secs(30));
}

#[test]
fn a_10_mb_generated_module_is_analysed() {
    let dir = project("");
    let mut text = String::from("-module(big).\n-export([f0/1]).\n");
    let mut n = 0;
    while text.len() < 10_000_000 {
        text.push_str(&format!(
            "f{n}(X) when is_integer(X) -> {{ok, [X + {n}, \"generated {n}\"]}};\nf{n}(_) -> error.\n"
        ));
        n += 1;
    }
    write(dir.path(), "src/big.erl", text.as_bytes());
    let (run, elapsed) = analyze(dir.path());
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        run.stdout.contains(&format!("{n} functions")),
        "{}",
        run.render()
    );
    // Generous: an unoptimised test build on a shared machine.
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
}

#[test]
fn thousands_of_chained_macros_and_an_include_cycle() {
    let dir = project(
        r#"
//- /src/a.erl
    -module(a).
    -include("chain.hrl").
    -include("cycle.hrl").
    f() -> ?M4999.
//- /src/cycle.hrl
    -include("cycle.hrl").
"#,
    );
    let mut chain = String::from("-define(M0, 0).\n");
    for n in 1..5000 {
        chain.push_str(&format!("-define(M{n}, ?M{} + 1).\n", n - 1));
    }
    write(dir.path(), "src/chain.hrl", chain.as_bytes());
    let (run, elapsed) = analyze(dir.path());
    assert_eq!(run.code, 1, "{}", run.render());
    assert!(
        run.stdout
            .contains("src/cycle.hrl:1:2: error: include files nested more than 8 levels deep"),
        "{}",
        run.render()
    );
    assert!(
        run.stdout.contains("diagnostics: 1 errors"),
        "{}",
        run.render()
    );
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
}
