//! End-to-end tests of `erlkit parse`: the real binary on small projects in temporary directories.

use std::path::Path;

use expect_test::expect;

mod support;

use support::{check, erlkit, erlkit_with, project, write};

/// The JSON document printed by `--json`, checked to be valid JSON.
fn json(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = erlkit(dir, args);
    let parsed = serde_json::from_str::<serde_json::Value>(&run.stdout);
    assert!(
        parsed.is_ok(),
        "--json prints one JSON document: {parsed:?}\n{}",
        run.stdout
    );
    (run.code, run.stdout)
}

const CLEAN: &str = r#"
//- /src/clean.erl
    -module(clean).
    -export([f/1]).

    f(X) -> {ok, X + 1}.
"#;

#[test]
fn clean_file_exits_0_and_prints_a_summary() {
    let dir = project(CLEAN);
    check(
        dir.path(),
        &["parse", "src/clean.erl"],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            parsed 1 file (0.0 MB) in <time>: 0 with syntax errors
        "#]],
    );
}

#[test]
fn syntax_error_exits_1_with_path_line_column() {
    let dir = project(
        r#"
//- /src/broken.erl
    -module(broken).
    f(X) -> {ok, X +}.
    g() -> ok.
"#,
    );
    check(
        dir.path(),
        &["parse", "--check", "src"],
        expect![[r#"
            exit: 1
            --- stdout
            src/broken.erl:2:17: expected an expression
            --- stderr
            parsed 1 file (0.0 MB) in <time>: 1 with syntax errors
        "#]],
    );
}

#[test]
fn missing_path_exits_2_and_the_other_paths_are_still_parsed() {
    let dir = project(CLEAN);
    check(
        dir.path(),
        &["parse", "missing.erl", "src"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            missing.erl: error: no such file or directory
            parsed 1 file (0.0 MB) in <time>: 0 with syntax errors, 1 could not be read
        "#]],
    );
}

#[test]
fn no_path_is_a_usage_error() {
    let dir = project(CLEAN);
    let run = erlkit(dir.path(), &["parse"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("required arguments were not provided"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_lists_every_file_with_its_errors() {
    let dir = project(
        r#"
//- /rebar.config
    {erl_opts, [debug_info]}.
//- /src/a.erl
    -module(a).
    f(X) -> {ok, X +}.
//- /include/a.hrl
    -define(A, 1).
"#,
    );
    let (code, document) = json(dir.path(), &["parse", "--json", "--otp-release", "27", "."]);
    assert_eq!(code, 1);
    expect![[r#"
        {"otp_release":27,"otp_release_source":"command_line","files":[
        {"path":"./include/a.hrl","kind":"header","bytes":15,"errors":[]},
        {"path":"./rebar.config","kind":"terms","bytes":26,"errors":[]},
        {"path":"./src/a.erl","kind":"module","bytes":31,"errors":[{"line":2,"column":17,"end_line":2,"end_column":17,"message":"expected an expression"}]}
        ],"input_errors":[],"summary":{"files":3,"bytes":72,"files_with_syntax_errors":1,"syntax_errors":1,"input_errors":0}}
    "#]]
    .assert_eq(&document);
}

#[test]
fn json_reports_unreadable_paths_too() {
    let dir = project(CLEAN);
    let (code, document) = json(
        dir.path(),
        &["parse", "--json", "--otp-release", "26", "gone"],
    );
    assert_eq!(code, 2);
    expect![[r#"
        {"otp_release":26,"otp_release_source":"command_line","files":[
        ],"input_errors":[{"path":"gone","message":"no such file or directory"}],"summary":{"files":0,"bytes":0,"files_with_syntax_errors":0,"syntax_errors":0,"input_errors":1}}
    "#]]
    .assert_eq(&document);
}

/// The paths `--json` lists for `args`.
fn listed_paths(dir: &Path, args: &[&str]) -> Vec<String> {
    let run = erlkit(dir, args);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    value["files"]
        .as_array()
        .expect("a files array")
        .iter()
        .map(|file| file["path"].as_str().expect("a path").replace('\\', "/"))
        .collect()
}

#[test]
fn directories_honour_gitignore_and_skip_build_output() {
    let dir = project(
        r#"
//- /.gitignore
    /generated/
    *_tmp.erl
//- /src/kept.erl
    -module(kept).
//- /src/scratch_tmp.erl
    -module(scratch_tmp).
//- /generated/gen.erl
    -module(gen).
//- /_build/default/lib/dep/src/dep.erl
    -module(dep).
//- /apps/app/src/app.app.src
    {application, app, []}.
//- /apps/app/src/app.erl
    -module(app).
//- /notes.txt
    not Erlang
"#,
    );
    expect![[r#"
        [
            "./apps/app/src/app.app.src",
            "./apps/app/src/app.erl",
            "./src/kept.erl",
        ]
    "#]]
    .assert_debug_eq(&listed_paths(dir.path(), &["parse", "--json", "."]));
}

#[test]
fn named_files_are_parsed_whatever_their_extension() {
    let dir = project(CLEAN);
    write(dir.path(), "gen/ignored.txt", b"-module(x).\n");
    write(dir.path(), ".gitignore", b"gen/\n");
    expect![[r#"
        [
            "gen/ignored.txt",
        ]
    "#]]
    .assert_debug_eq(&listed_paths(
        dir.path(),
        &["parse", "--json", "gen/ignored.txt"],
    ));
}

#[test]
fn latin1_file_with_a_coding_comment_parses() {
    let dir = project(CLEAN);
    write(
        dir.path(),
        "src/latin1.erl",
        b"%% -*- coding: latin-1 -*-\n-module(latin1).\nname() -> \"Jos\xe9\".\n",
    );
    check(
        dir.path(),
        &["parse", "src/latin1.erl"],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            parsed 1 file (0.0 MB) in <time>: 0 with syntax errors
        "#]],
    );
}

#[test]
fn columns_count_characters_after_decoding() {
    let dir = project(CLEAN);
    write(
        dir.path(),
        "src/latin1.erl",
        b"%% coding: latin-1\n-module(latin1).\nf() -> {\"\xe9\xe9\", 1 +}.\n",
    );
    let run = erlkit(dir.path(), &["parse", "src/latin1.erl"]);
    assert_eq!(run.code, 1, "{}", run.render());
    assert!(
        run.stdout.starts_with("src/latin1.erl:3:"),
        "{}",
        run.render()
    );
    let utf8 = project("//- /src/utf8.erl\n    -module(utf8).\n    f() -> {\"éé\", 1 +}.\n");
    let utf8_run = erlkit(utf8.path(), &["parse", "src/utf8.erl"]);
    let column = |stdout: &str| stdout.split(':').nth(2).map(str::to_owned);
    assert_eq!(
        column(&run.stdout),
        column(&utf8_run.stdout),
        "{}\n{}",
        run.render(),
        utf8_run.render()
    );
}

#[test]
fn invalid_utf8_without_a_coding_comment_exits_2() {
    let dir = project(CLEAN);
    write(
        dir.path(),
        "src/bad_bytes.erl",
        b"-module(bad_bytes).\nname() -> \"Jos\xe9\".\n",
    );
    let run = erlkit(dir.path(), &["parse", "src"]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert_eq!(run.stdout, "");
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("src/bad_bytes.erl: error: "),
        "{}",
        run.render()
    );
    assert!(first.to_lowercase().contains("utf-8"), "{}", run.render());
    assert!(run.stderr.ends_with(
        "parsed 1 file (0.0 MB) in <time>: 0 with syntax errors, 1 could not be read\n"
    ));
}

#[test]
fn dump_tree_prints_each_file_under_a_header() {
    let dir = project(CLEAN);
    let run = erlkit(dir.path(), &["parse", "--dump-tree", "src/clean.erl"]);
    assert_eq!(run.code, 0, "{}", run.render());
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("=== src/clean.erl"));
    assert!(
        lines
            .next()
            .is_some_and(|line| line.starts_with("SOURCE_FILE@0..")),
        "{}",
        run.stdout
    );
}

#[test]
fn check_and_dump_tree_do_not_go_together() {
    let dir = project(CLEAN);
    let run = erlkit(dir.path(), &["parse", "--check", "--dump-tree", "src"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}

#[test]
fn output_is_sorted_and_the_same_on_any_number_of_threads() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for n in 0..300 {
        let text = format!("-module(m{n}).\nf() -> {{{n} +}}.\n");
        write(dir.path(), &format!("d{}/m{n}.erl", n % 7), text.as_bytes());
    }
    let one = erlkit_with(
        dir.path(),
        &["parse", "."],
        b"",
        &[("RAYON_NUM_THREADS", "1")],
    );
    let many = erlkit_with(
        dir.path(),
        &["parse", "."],
        b"",
        &[("RAYON_NUM_THREADS", "8")],
    );
    assert_eq!(one.code, 1);
    assert_eq!(one.stdout, many.stdout);
    let paths: Vec<&str> = one
        .stdout
        .lines()
        .map(|line| line.split(':').next().unwrap_or_default())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(paths.len() >= 300);
}

#[test]
fn release_comes_from_the_erl_on_path() {
    let otp = project(
        r#"
//- /otp/releases/26/OTP_VERSION
    26.2.5
//- /otp/bin/erl
    #!/bin/sh
    exec "$BINDIR/erlexec" "$@"
"#,
    );
    let dir = project(CLEAN);
    let bin = otp.path().join("otp/bin");
    let path = bin.to_str().expect("a UTF-8 temporary path");
    let run = erlkit_with(
        dir.path(),
        &["parse", "--json", "src"],
        b"",
        &[("PATH", path)],
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(value["otp_release"], 26);
    assert!(
        value["otp_release_source"]
            .as_str()
            .is_some_and(|s| s.ends_with("otp")),
        "{value}"
    );

    let nothing = otp.path().join("otp/releases");
    let path = nothing.to_str().expect("a UTF-8 temporary path");
    let run = erlkit_with(
        dir.path(),
        &["parse", "--json", "src"],
        b"",
        &[("PATH", path)],
    );
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    assert_eq!(value["otp_release_source"], "newest");
    assert_eq!(value["otp_release"], syntax::OtpRelease::LATEST.0);
}

#[test]
fn version_and_help() {
    let dir = project(CLEAN);
    let version = erlkit(dir.path(), &["--version"]);
    assert_eq!(
        (version.code, version.stdout.as_str()),
        (0, concat!("erlkit ", env!("CARGO_PKG_VERSION"), "\n"))
    );
    let help = erlkit(dir.path(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("parse"), "{}", help.stdout);
    let parse_help = erlkit(dir.path(), &["parse", "--help"]);
    for option in ["--check", "--dump-tree", "--json", "--otp-release"] {
        assert!(parse_help.stdout.contains(option), "{}", parse_help.stdout);
    }
}
