//! End-to-end tests of `erlkit lint --changed-since REV` in temporary git
//! repositories: the files changed since the revision (and untracked ones),
//! the modules that include a changed header or call a changed module, a
//! deleted file's users, everything after a settings change; and the errors
//! when git or the revision is missing.

use std::path::Path;
use std::process::Command;

use expect_test::expect;

mod support;

use support::{Run, erlkit, erlkit_with, project, write};

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

/// Runs git in `dir`, isolated from the user's and the system's settings.
fn git(dir: &Path, command: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=erlkit",
            "-c",
            "user.email=erlkit@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(command)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn has_git() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("SKIPPED: git is not installed");
    }
    found
}

/// Each module has an unused variable, so the findings show which modules
/// were linted: `a` includes `h.hrl`, `b` calls `c`, `d` stands alone.
const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, []}.
//- /src/a.erl
    -module(a).
    -export([a/1]).
    -include("h.hrl").
    a(A) -> ?H.
//- /src/b.erl
    -module(b).
    -export([b/1]).
    b(B) -> c:c(1).
//- /src/c.erl
    -module(c).
    -export([c/1]).
    c(C) -> ok.
//- /src/d.erl
    -module(d).
    -export([d/1]).
    d(D) -> ok.
//- /src/h.hrl
    -define(H, ok).
"#;

/// A committed project in a git repository, the cache warmed or not.
fn repository() -> tempfile::TempDir {
    let dir = project(PROJECT);
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "--quiet", "-m", "start"]);
    dir
}

/// The findings lines of a human run, and its summary.
fn summary(run: &Run) -> String {
    let mut lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|line| {
            line.contains(": error[") || line.contains(": warning[") || line.contains(" in ")
        })
        .collect();
    lines.push("");
    format!("exit {}\n{}{}", run.code, lines.join("\n"), run.stderr)
}

fn changed(dir: &Path) -> Run {
    erlkit(dir, &args(&["lint", "--changed-since", "HEAD"]))
}

#[test]
fn nothing_changed_lints_nothing() {
    if !has_git() {
        return;
    }
    let dir = repository();
    expect![[r#"
        exit 0
        0 errors, 0 warnings in 0 files
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
}

#[test]
fn a_changed_header_lints_it_and_the_modules_that_include_it() {
    if !has_git() {
        return;
    }
    let dir = repository();
    write(dir.path(), "src/h.hrl", b"-define(H, changed).\n");
    expect![[r#"
        exit 0
        src/a.erl:4:3: warning[W2101]: variable 'A' is unused
        0 errors, 1 warning in 2 files
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
    // The same with a warm cache, whose entries give the lint inputs.
    erlkit(dir.path(), &args(&["lint"]));
    let run = erlkit_with(
        dir.path(),
        &args(&["lint", "--changed-since", "HEAD"]),
        b"",
        &[("RUST_LOG", "erlkit::lint_cmd=debug")],
    );
    assert!(
        run.stderr.contains("from_cache=5 analysed=0"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.ends_with("0 errors, 1 warning in 2 files\n"));
}

#[test]
fn changed_exports_lint_the_callers() {
    if !has_git() {
        return;
    }
    let dir = repository();
    // Staged or not, a change counts.
    write(
        dir.path(),
        "src/c.erl",
        b"-module(c).\n-export([c/1, e/0]).\nc(C) -> ok.\ne() -> ok.\n",
    );
    git(dir.path(), &["add", "src/c.erl"]);
    expect![[r#"
        exit 0
        src/b.erl:3:3: warning[W2101]: variable 'B' is unused
        src/c.erl:3:3: warning[W2101]: variable 'C' is unused
        0 errors, 2 warnings in 2 files
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
}

#[test]
fn untracked_and_deleted_files_count() {
    if !has_git() {
        return;
    }
    let dir = repository();
    write(
        dir.path(),
        "src/e.erl",
        b"-module(e).\n-export([e/1]).\ne(E) -> d:d(1).\n",
    );
    expect![[r#"
        exit 0
        src/e.erl:3:3: warning[W2101]: variable 'E' is unused
        0 errors, 1 warning in 1 file
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
    // A deleted header: the module that included it now fails.
    std::fs::remove_file(dir.path().join("src/h.hrl")).unwrap();
    expect![[r#"
        exit 1
        src/a.erl:2:2: error[E1201]: function a/1 undefined
        src/a.erl:3:10: error[E1002]: can't find include file "h.hrl"
        src/a.erl:4:9: error[E1003]: undefined macro 'H'
        src/e.erl:3:3: warning[W2101]: variable 'E' is unused
        3 errors, 1 warning in 2 files
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
    // A deleted module: its caller now calls an unknown module (a finding
    // only with OTP loaded), and is linted.
    std::fs::remove_file(dir.path().join("src/c.erl")).unwrap();
    let run = changed(dir.path());
    assert!(
        run.stdout.contains("src/b.erl:3:3: warning[W2101]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("src/d.erl"), "{}", run.stdout);
}

#[test]
fn a_changed_rebar_config_lints_everything() {
    if !has_git() {
        return;
    }
    let dir = repository();
    write(
        dir.path(),
        "rebar.config",
        b"{erl_opts, [nowarn_unused_vars]}.\n",
    );
    expect![[r#"
        exit 0
        0 errors, 0 warnings in 5 files
    "#]]
    .assert_eq(&summary(&changed(dir.path())));
}

#[test]
fn paths_and_shards_narrow_the_changed_files() {
    if !has_git() {
        return;
    }
    let dir = repository();
    write(dir.path(), "src/h.hrl", b"-define(H, changed).\n");
    write(
        dir.path(),
        "src/c.erl",
        b"-module(c).\n-export([c/1]).\nc(C) -> changed.\n",
    );
    // a, h, b and c are affected; the path keeps b and c.
    let run = erlkit(
        dir.path(),
        &args(&["lint", "--changed-since", "HEAD", "src/b.erl", "src/c.erl"]),
    );
    assert!(
        run.stdout.ends_with("0 errors, 2 warnings in 2 files\n"),
        "{}",
        run.stdout
    );
    let mut lines = Vec::new();
    for shard in ["1/2", "2/2"] {
        let run = erlkit(
            dir.path(),
            &args(&["lint", "--changed-since", "HEAD", "--shard", shard]),
        );
        lines.extend(
            run.stdout
                .lines()
                .filter(|line| line.contains(": warning["))
                .map(str::to_owned),
        );
    }
    lines.sort();
    expect![[r#"
        src/a.erl:4:3: warning[W2101]: variable 'A' is unused
        src/b.erl:3:3: warning[W2101]: variable 'B' is unused
        src/c.erl:3:3: warning[W2101]: variable 'C' is unused"#]]
    .assert_eq(&lines.join("\n"));
}

#[test]
fn an_unknown_revision_or_no_repository_is_an_error() {
    if !has_git() {
        return;
    }
    let dir = repository();
    expect![[r#"
        exit 2
        erlkit: error: --changed-since: `no-such-branch` is not a revision of the git repository at .
    "#]]
    .assert_eq(&summary(&erlkit(
        dir.path(),
        &args(&["lint", "--changed-since", "no-such-branch"]),
    )));
    expect![[r#"
        exit 2
        erlkit: error: --changed-since: `--output=x` is not a revision
    "#]]
    .assert_eq(&summary(&erlkit(
        dir.path(),
        &args(&["lint", "--changed-since=--output=x"]),
    )));
    let plain = project(PROJECT);
    let run = erlkit(plain.path(), &args(&["lint", "--changed-since", "HEAD"]));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("erlkit: error: --changed-since: `git rev-parse --show-toplevel` failed: fatal: not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_git_changed_since_is_an_error() {
    let dir = project(PROJECT);
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_str().unwrap();
    let run = erlkit_with(
        dir.path(),
        &args(&["lint", "--changed-since", "HEAD"]),
        b"",
        &[("PATH", path)],
    );
    expect![[r#"
        exit 2
        erlkit: error: --changed-since needs git, and no `git` was found on PATH
    "#]]
    .assert_eq(&summary(&run));
}

#[test]
fn changed_since_conflicts_with_write_baseline() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &args(&[
            "lint",
            "--changed-since",
            "HEAD",
            "--baseline",
            "b.json",
            "--write-baseline",
        ]),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}
