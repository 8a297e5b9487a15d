//! End-to-end tests of what `erlkit lint` offers CI: baselines, inline
//! suppressions, levels in erlkit.toml, `--jobs`, `--shard`, and their usage
//! errors.

use std::collections::BTreeSet;

use expect_test::expect;

mod support;

use support::{check, erlkit, project, write};

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

#[test]
fn a_baseline_reports_only_new_findings_after_lines_moved() {
    let dir = project(
        r#"
//- /rebar.config
    {erl_opts, []}.
//- /src/m.erl
    -module(m).
    -export([f/1, g/1, h/1]).
    f(X) -> ok.
    g(Y) -> ok.
    h(Z) -> Z.
"#,
    );
    check(
        dir.path(),
        &args(&[
            "lint",
            "--baseline",
            "lint-baseline.json",
            "--write-baseline",
        ]),
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            erlkit: wrote 2 findings to the baseline lint-baseline.json
        "#]],
    );
    let written = std::fs::read_to_string(dir.path().join("lint-baseline.json")).unwrap();
    expect![[r#"
        {
          "version": 1,
          "findings": [
            {
              "path": "src/m.erl",
              "code": "W2101",
              "fingerprint": "0916548d946ec6cf:0",
              "message": "variable 'X' is unused"
            },
            {
              "path": "src/m.erl",
              "code": "W2101",
              "fingerprint": "a014666c774ef5f7:0",
              "message": "variable 'Y' is unused"
            }
          ]
        }
    "#]]
    .assert_eq(&written);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("baseline"))
        .collect();
    assert_eq!(names, ["lint-baseline.json"]);

    // Everything is in the baseline: a clean run.
    check(
        dir.path(),
        &args(&[
            "lint",
            "--baseline",
            "lint-baseline.json",
            "--deny",
            "warnings",
        ]),
        expect![[r#"
            exit: 0
            --- stdout
            0 errors, 0 warnings in 1 file, 2 baselined
            --- stderr
        "#]],
    );

    // Lines moved down and re-indented, one finding fixed, one new.
    write(
        dir.path(),
        "src/m.erl",
        b"-module(m).\n-export([f/1, g/1, h/1, k/1]).\n\n%% Moved.\n\n  f(X) -> ok.\ng(Y) -> Y.\nh(Z) -> Z.\nk(W) -> ok.\n",
    );
    check(
        dir.path(),
        &args(&[
            "lint",
            "--baseline",
            "lint-baseline.json",
            "--deny",
            "warnings",
        ]),
        expect![[r#"
            exit: 1
            --- stdout
            src/m.erl:9:3: warning[W2101]: variable 'W' is unused
            9 | k(W) -> ok.
              |   ^
            1 finding of the baseline no longer present (--write-baseline drops it):
              src/m.erl: W2101: variable 'Y' is unused
            0 errors, 1 warning in 1 file, 1 baselined
            --- stderr
        "#]],
    );
    let run = erlkit(
        dir.path(),
        &args(&[
            "lint",
            "--baseline",
            "lint-baseline.json",
            "--format",
            "json",
        ]),
    );
    expect![[r#"
        {
          "baselined": 1,
          "errors": 0,
          "files": 1,
          "findings": [
            {
              "code": "W2101",
              "column": 3,
              "end_column": 4,
              "end_line": 9,
              "fingerprint": "2c9d871e9acc7529:0",
              "fix": {
                "edits": [
                  {
                    "column": 3,
                    "end_column": 3,
                    "end_line": 9,
                    "line": 9,
                    "new_text": "_",
                    "path": "src/m.erl"
                  }
                ],
                "label": "rename W to _W"
              },
              "line": 9,
              "message": "variable 'W' is unused",
              "name": "unused-variable",
              "path": "src/m.erl",
              "related": [],
              "severity": "warning"
            }
          ],
          "no_longer_present": [
            {
              "code": "W2101",
              "fingerprint": "a014666c774ef5f7:0",
              "message": "variable 'Y' is unused",
              "path": "src/m.erl"
            }
          ],
          "warnings": 1
        }
    "#]]
    .assert_eq(&run.stdout);
}

#[test]
fn a_baseline_that_cannot_be_read_is_an_input_error() {
    let dir = project("//- /rebar.config\n    {erl_opts, []}.\n//- /src/m.erl\n    -module(m).\n");
    check(
        dir.path(),
        &args(&["lint", "--baseline", "missing.json"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: missing.json: cannot read the baseline: No such file or directory (os error 2)
        "#]],
    );
    write(dir.path(), "bad.json", b"{\"findings\": 3}");
    check(
        dir.path(),
        &args(&["lint", "--baseline", "bad.json"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: bad.json: not a baseline that erlkit wrote (`erlkit lint --baseline FILE --write-baseline` writes one): invalid type: integer `3`, expected a sequence at line 1 column 14
        "#]],
    );
    check(
        dir.path(),
        &args(&["lint", "--write-baseline"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: the following required arguments were not provided:
              --baseline <FILE>

            Usage: erlkit lint --baseline <FILE> --write-baseline --no-otp --otp-release <N> [PATHS]...

            For more information, try '--help'.
        "#]],
    );
}

#[test]
fn suppressions_silence_a_finding_and_bad_ones_are_reported() {
    let dir = project(
        r#"
//- /rebar.config
    {erl_opts, []}.
//- /src/m.erl
    -module(m).
    -export([f/1, g/1, h/1]).
    % erlkit:ignore W2101 the callback's signature needs it
    f(X) -> ok.
    %% erlkit:ignore unused-variable
    g(Y) -> ok.
    % erlkit:ignore W2103 left over
    h(Z) -> Z.
"#,
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 0
            --- stdout
            src/m.erl:5:1: warning[W2901]: erlkit:ignore gives no reason: write why after the codes
            5 | %% erlkit:ignore unused-variable
              | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
            src/m.erl:7:17: warning[W2901]: erlkit:ignore W2103 suppresses nothing: there is no W2103 shadowed-variable on the next line
            7 | % erlkit:ignore W2103 left over
              |                 ^^^^^
            0 errors, 2 warnings in 1 file
            --- stderr
        "#]],
    );
}

#[test]
fn levels_in_erlkit_toml_change_severities_and_switch_codes_off() {
    let dir = project(
        r#"
//- /rebar.config
    {erl_opts, []}.
//- /erlkit.toml
    [lint.levels]
    W2101 = "error"
    shadowed-variable = "off"
    E1003 = "warning"
//- /src/m.erl
    -module(m).
    -export([f/1, g/1, h/0]).
    f(X) -> ok.
    g(Y) -> fun(Y) -> Y end.
    h() -> ?MISSING.
"#,
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 1
            --- stdout
            src/m.erl:2:2: error[E1201]: function h/0 undefined
            2 | -export([f/1, g/1, h/0]).
              |  ^^^^^^
            src/m.erl:3:3: error[W2101]: variable 'X' is unused
            3 | f(X) -> ok.
              |   ^
            src/m.erl:4:3: error[W2101]: variable 'Y' is unused
            4 | g(Y) -> fun(Y) -> Y end.
              |   ^
            src/m.erl:5:8: warning[E1003]: undefined macro 'MISSING'
            5 | h() -> ?MISSING.
              |        ^^^^^^^^
            3 errors, 1 warning in 1 file
            --- stderr
        "#]],
    );
    write(
        dir.path(),
        "erlkit.toml",
        b"[lint.levels]\nW2101 = \"error\"\nW9999 = \"off\"\n",
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: erlkit.toml:3: `lint.levels.W9999`: unknown code "W9999"; the codes are E1001, E1002, E1003, E1004, E1005, E1006, E1101, E1102, E1103, E1201, E1202, E1203, E1204, E1205, E1206, E1207, E1208, E1209, E1210, E1211, W2001, W2101, W2102, W2103, W2104, W2201, W2202, W2203, W2204, W2205, W2206, W2207, W2301, W2302, W2303, W2304, W2305, W2306, W2901
        "#]],
    );
    write(
        dir.path(),
        "erlkit.toml",
        b"[lint.levels]\nW2101 = \"error\"\nunused-variable = \"off\"\n",
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: erlkit.toml:3: `lint.levels.unused-variable` sets the level of W2101 unused-variable again (line 2 set it)
        "#]],
    );
    write(
        dir.path(),
        "erlkit.toml",
        b"[lint.levels]\nW2101 = \"never\"\n",
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: erlkit.toml:2: `lint.levels.W2101` must be "error", "warning" or "off", not "never"
        "#]],
    );
}

/// Modules whose findings are in themselves and in shared headers (one
/// including another), for sharding.
const SHARDED: &str = r#"
//- /rebar.config
    {erl_opts, []}.
//- /include/common.hrl
    -include("inner.hrl").
    common(A) -> ok.
//- /include/inner.hrl
    inner(B) -> ?UNDEFINED_IN_SOME.
//- /src/a.erl
    -module(a).
    -export([a/1]).
    -include("common.hrl").
    a(X) -> ok.
//- /src/b.erl
    -module(b).
    -export([b/1]).
    -define(UNDEFINED_IN_SOME, ok).
    -include("common.hrl").
    b(Y) -> ok.
//- /src/c.erl
    -module(c).
    -export([c/1]).
    -include("inner.hrl").
    c(Z) -> Z.
//- /src/d.erl
    -module(d).
    -export([d/1]).
    d(W) -> ok.
//- /src/e.erl
    -module(e).
    -export([e/0]).
    e() -> Unbound.
"#;

/// The findings of a JSON report, one line each, and its file count.
fn findings(stdout: &str) -> (Vec<String>, u64) {
    let report: serde_json::Value = serde_json::from_str(stdout).expect("JSON");
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{}:{}:{} {} {}",
                finding["path"].as_str().unwrap(),
                finding["line"],
                finding["column"],
                finding["code"].as_str().unwrap(),
                finding["message"].as_str().unwrap()
            )
        })
        .collect();
    (findings, report["files"].as_u64().unwrap())
}

#[test]
fn shards_together_report_the_whole_run_each_finding_once() {
    let dir = project(SHARDED);
    let whole = erlkit(dir.path(), &args(&["lint", "--format", "json"]));
    let (all, files) = findings(&whole.stdout);
    expect![[r#"
        include/common.hrl:2:1 W2201 function common/1 is unused
        include/common.hrl:2:8 W2101 variable 'A' is unused
        include/inner.hrl:1:1 W2201 function inner/1 is unused
        include/inner.hrl:1:7 W2101 variable 'B' is unused
        include/inner.hrl:1:13 E1003 undefined macro 'UNDEFINED_IN_SOME'
        src/a.erl:4:3 W2101 variable 'X' is unused
        src/b.erl:5:3 W2101 variable 'Y' is unused
        src/d.erl:3:3 W2101 variable 'W' is unused
        src/e.erl:3:8 E1101 variable 'Unbound' is unbound
    "#]]
    .assert_eq(&(all.join("\n") + "\n"));
    for count in 1..=4u32 {
        let mut union: Vec<String> = Vec::new();
        let mut files_linted = 0;
        for index in 1..=count {
            let shard = format!("{index}/{count}");
            let run = erlkit(
                dir.path(),
                &args(&["lint", "--format", "json", "--shard", &shard]),
            );
            assert_eq!(run.stderr, "", "shard {shard}");
            let (found, files) = findings(&run.stdout);
            union.extend(found);
            files_linted += files;
        }
        let distinct: BTreeSet<&String> = union.iter().collect();
        assert_eq!(
            distinct.len(),
            union.len(),
            "{count} shards overlap: {union:#?}"
        );
        union.sort();
        let mut expected = all.clone();
        expected.sort();
        assert_eq!(union, expected, "{count} shards");
        assert_eq!(files_linted, files, "{count} shards");
    }
    // The same output whatever the number of threads.
    for jobs in ["1", "3"] {
        let run = erlkit(
            dir.path(),
            &args(&["lint", "--format", "json", "--jobs", jobs]),
        );
        assert_eq!(run.stdout, whole.stdout, "--jobs {jobs}");
    }
}

#[test]
fn bad_shards_and_jobs_are_usage_errors() {
    let dir = project("//- /rebar.config\n    {erl_opts, []}.\n//- /src/m.erl\n    -module(m).\n");
    check(
        dir.path(),
        &args(&["lint", "--shard", "4/3"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: invalid value '4/3' for '--shard <I/N>': `4/3` is not a shard: expected I/N with 1 <= I <= N, e.g. 2/4

            For more information, try '--help'.
        "#]],
    );
    check(
        dir.path(),
        &args(&["lint", "--shard", "0/2"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: invalid value '0/2' for '--shard <I/N>': `0/2` is not a shard: expected I/N with 1 <= I <= N, e.g. 2/4

            For more information, try '--help'.
        "#]],
    );
    check(
        dir.path(),
        &args(&["lint", "--jobs", "0"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: invalid value '0' for '--jobs <N>': 0 is not in 1..=4294967295

            For more information, try '--help'.
        "#]],
    );
    check(
        dir.path(),
        &args(&[
            "lint",
            "--shard",
            "1/2",
            "--baseline",
            "b.json",
            "--write-baseline",
        ]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            error: the argument '--shard <I/N>' cannot be used with '--write-baseline'

            Usage: erlkit lint --shard <I/N> --baseline <FILE> --no-otp --otp-release <N> [PATHS]...

            For more information, try '--help'.
        "#]],
    );
}
