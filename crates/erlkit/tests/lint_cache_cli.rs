//! End-to-end tests of `erlkit lint`'s cache in `.erlkit/cache/`: a cached
//! run prints byte for byte what an uncached run prints, in every format; a
//! change to a header or to a called module's exports re-lints the modules
//! that read it, and only them; a corrupt cache or one of another version is
//! rebuilt without a word; `--no-cache` neither reads nor writes it.

use std::path::Path;

use expect_test::expect;

mod support;

use support::{Run, erlkit, erlkit_with, project, write};

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

/// A run with the cache's debug log on stderr.
fn logged(dir: &Path, command: &[&str]) -> Run {
    erlkit_with(
        dir,
        &args(command),
        b"",
        &[("RUST_LOG", "erlkit::lint_cmd=debug")],
    )
}

/// `(cached, analysed)`: how many files the cache answered for and how many
/// were analysed, from the debug log.
fn counts(run: &Run) -> (usize, usize) {
    let line = run
        .stderr
        .lines()
        .find(|line| line.contains("lint: files"))
        .unwrap_or_else(|| panic!("no count in the log:\n{}", run.stderr));
    let number = |key: &str| -> usize {
        let start = line.find(key).unwrap_or_else(|| panic!("{key} in {line}")) + key.len();
        line[start..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|digits| digits.parse().ok())
            .unwrap_or_else(|| panic!("{key} in {line}"))
    };
    (number("cached="), number("analysed="))
}

/// The findings lines of a human run (without the source lines).
fn finding_lines(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .filter(|line| line.contains(": error[") || line.contains(": warning["))
        .map(str::to_owned)
        .collect()
}

/// A project with a finding of most kinds: in a header (reported once, from
/// two modules), with related information, across modules, suppressed, and
/// on lines with characters of several bytes.
const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, []}.
//- /src/a.erl
    -module(a).
    -export([f/1, g/0, s/1]).
    -include("shared.hrl").
    %% café ünïcödé
    f(X) -> case X of 1 -> Y = "é"; _ -> ok end, Y.
    g() -> b:h().
    % erlkit:ignore W2101 the reason
    s(Ignored) -> ok.
    m() -> ?UNDEFINED.
//- /src/b.erl
    -module(b).
    -export([k/0]).
    -include("shared.hrl").
    k() -> "ü", fun(V) -> ok end.
    h() -> ok.
//- /src/c.erl
    -module(c).
    -export([c/1]).
    c(Z) -> ok.
//- /src/shared.hrl
    -define(SHARED, 1).
    -warning("shared header").
"#;

#[test]
fn cached_runs_print_what_an_uncached_run_prints_in_every_format() {
    let dir = project(PROJECT);
    let cache = dir.path().join(".erlkit/cache/lint.json");
    for format in ["human", "json", "sarif", "github", "junit"] {
        let uncached = erlkit(
            dir.path(),
            &args(&["lint", "--no-cache", "--format", format]),
        );
        assert!(!cache.exists(), "--no-cache wrote the cache");
        let cold = logged(dir.path(), &["lint", "--format", format]);
        assert!(cache.is_file(), "no cache after a cold run");
        let warm = logged(dir.path(), &["lint", "--format", format]);
        assert_eq!(counts(&cold), (0, 4), "{format}");
        assert_eq!(counts(&warm), (4, 0), "{format}");
        for (name, run) in [("cold", &cold), ("warm", &warm)] {
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (uncached.code, uncached.stdout.as_str()),
                "{format}: the {name} cached run differs from an uncached one"
            );
        }
        assert_eq!(uncached.stderr, "", "{format}");
        std::fs::remove_dir_all(dir.path().join(".erlkit")).unwrap();
    }
    // What the runs printed, once.
    let run = erlkit(dir.path(), &args(&["lint"]));
    expect![[r#"
        exit: 1
        --- stdout
        src/a.erl:5:46: error[E1102]: variable 'Y' unsafe in 'case'
        5 | f(X) -> case X of 1 -> Y = "é"; _ -> ok end, Y.
          |                                              ^
          src/a.erl:5:9: note: the 'case' it is bound in
        src/a.erl:6:8: warning[W2302]: call to b:h/0: b does not export it
        6 | g() -> b:h().
          |        ^^^
        src/a.erl:9:8: error[E1003]: undefined macro 'UNDEFINED'
        9 | m() -> ?UNDEFINED.
          |        ^^^^^^^^^^
        src/b.erl:4:17: warning[W2101]: variable 'V' is unused
        4 | k() -> "ü", fun(V) -> ok end.
          |                 ^
        src/b.erl:5:1: warning[W2201]: function h/0 is unused
        5 | h() -> ok.
          | ^
        src/c.erl:3:3: warning[W2101]: variable 'Z' is unused
        3 | c(Z) -> ok.
          |   ^
        src/shared.hrl:2:2: warning[W2001]: -warning("shared header").
        2 | -warning("shared header").
          |  ^^^^^^^
        2 errors, 5 warnings in 4 files
        --- stderr
    "#]]
    .assert_eq(&run.render());
    // The directory ignores itself.
    expect![[r#"
        # erlkit's cache: not for version control.
        *
    "#]]
    .assert_eq(&std::fs::read_to_string(dir.path().join(".erlkit/cache/.gitignore")).unwrap());
}

#[test]
fn editing_a_header_relints_the_modules_that_include_it() {
    let dir = project(PROJECT);
    let cold = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&cold), (0, 4));
    assert!(cold.stdout.contains("undefined macro 'UNDEFINED'"));

    // The header defines the macro: the finding goes, and only the header
    // and the two modules that include it are analysed again.
    write(
        dir.path(),
        "src/shared.hrl",
        b"-define(SHARED, 1).\n-warning(\"shared header\").\n-define(UNDEFINED, 2).\n",
    );
    let after = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&after), (1, 3));
    assert!(
        !after.stdout.contains("undefined macro"),
        "{}",
        after.stdout
    );
    assert_eq!(
        after.stdout,
        erlkit(dir.path(), &args(&["lint", "--no-cache"])).stdout
    );
    let warm = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&warm), (4, 0));
    assert_eq!(warm.stdout, after.stdout);

    // And back: the finding comes back.
    write(
        dir.path(),
        "src/shared.hrl",
        b"-define(SHARED, 1).\n-warning(\"shared header\").\n",
    );
    let back = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&back), (1, 3));
    assert_eq!(back.stdout, cold.stdout);
}

#[test]
fn changing_a_modules_exports_relints_its_callers() {
    let dir = project(PROJECT);
    let cold = logged(dir.path(), &["lint"]);
    assert!(cold.stdout.contains("call to b:h/0: b does not export it"));

    // b exports h/0: a's call is fine, b's unused function is gone; c is
    // not analysed again.
    let exporting = b"-module(b).\n-export([k/0, h/0]).\n-include(\"shared.hrl\").\nk() -> \"\xc3\xbc\", fun(V) -> ok end.\nh() -> ok.\n";
    write(dir.path(), "src/b.erl", exporting);
    let after = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&after), (2, 2));
    expect![[r#"
        src/a.erl:5:46: error[E1102]: variable 'Y' unsafe in 'case'
        src/a.erl:9:8: error[E1003]: undefined macro 'UNDEFINED'
        src/b.erl:4:17: warning[W2101]: variable 'V' is unused
        src/c.erl:3:3: warning[W2101]: variable 'Z' is unused
        src/shared.hrl:2:2: warning[W2001]: -warning("shared header")."#]]
    .assert_eq(&finding_lines(&after).join("\n"));
    assert_eq!(
        after.stdout,
        erlkit(dir.path(), &args(&["lint", "--no-cache"])).stdout
    );

    // Not exported again: the finding is back.
    let original = String::from_utf8(exporting.to_vec())
        .unwrap()
        .replace("-export([k/0, h/0]).", "-export([k/0]).");
    write(dir.path(), "src/b.erl", original.as_bytes());
    let back = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&back), (2, 2));
    assert_eq!(back.stdout, cold.stdout);
}

#[test]
fn a_new_or_removed_file_invalidates_every_entry() {
    let dir = project(PROJECT);
    logged(dir.path(), &["lint"]);
    write(dir.path(), "src/d.erl", b"-module(d).\n");
    let after = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&after), (0, 5));
    std::fs::remove_file(dir.path().join("src/d.erl")).unwrap();
    let removed = logged(dir.path(), &["lint"]);
    assert_eq!(counts(&removed), (0, 4));
}

#[test]
fn a_corrupt_or_other_versions_cache_is_rebuilt_silently() {
    let dir = project(PROJECT);
    let expected = erlkit(dir.path(), &args(&["lint", "--no-cache"]));
    let cache = dir.path().join(".erlkit/cache/lint.json");
    erlkit(dir.path(), &args(&["lint"]));
    let good = std::fs::read_to_string(&cache).unwrap();

    let variants = [
        ("truncated", good[..good.len() / 2].to_owned()),
        ("not JSON", "\u{0}\u{1}garbage".to_owned()),
        (
            "another format",
            good.replacen("\"format\":1", "\"format\":99", 1),
        ),
        ("another key", {
            let start = good.find("\"key\":\"").unwrap() + 7;
            format!(
                "{}{}{}",
                &good[..start],
                "0".repeat(32),
                &good[start + 32..]
            )
        }),
        (
            "an index out of range",
            good.replacen("\"inputs\":[", "\"inputs\":[999999,", 1),
        ),
        (
            "a range that is not on a character boundary",
            // The unsafe `Y` is after "é": shift a range into its bytes.
            corrupt_first_range(&good),
        ),
    ];
    for (what, text) in variants {
        std::fs::write(&cache, &text).unwrap();
        let run = logged(dir.path(), &["lint"]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (expected.code, expected.stdout.as_str()),
            "{what}"
        );
        assert!(
            !run.stderr.contains("WARN") && !run.stderr.contains("ERROR"),
            "{what}: {}",
            run.stderr
        );
        let rewritten = std::fs::read_to_string(&cache).unwrap();
        assert_ne!(rewritten, text, "{what}: the cache was not rebuilt");
        assert_eq!(counts(&logged(dir.path(), &["lint"])), (4, 0), "{what}");
    }
    // No temporary file is left beside it.
    let mut names: Vec<String> = std::fs::read_dir(dir.path().join(".erlkit/cache"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".gitignore", "lint.json"]);
}

/// The cache with the first finding that starts after a character of several
/// bytes moved one byte on, inside it.
fn corrupt_first_range(good: &str) -> String {
    let mut json: serde_json::Value = serde_json::from_str(good).unwrap();
    let files: Vec<String> = serde_json::from_value(json["files"].clone()).unwrap();
    let a = files
        .iter()
        .position(|path| path.ends_with("a.erl"))
        .unwrap();
    let entries = json["entries"].as_array_mut().unwrap();
    let entry = entries.iter_mut().find(|entry| entry["file"] == a).unwrap();
    let finding = entry["findings"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|finding| finding["code"] == "E1102")
        .unwrap();
    // The related range is the `case`; the `"é"` is inside it: point the
    // range's start into the é.
    let text = std::fs::read_to_string(Path::new(&files[a])).unwrap();
    let e_acute = text.find('é').unwrap() as u64;
    finding["start"] = serde_json::Value::from(e_acute + 1);
    finding["end"] = serde_json::Value::from(e_acute + 2);
    json.to_string()
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let dir = project(PROJECT);
    let run = logged(dir.path(), &["lint", "--no-cache"]);
    assert_eq!(counts(&run), (0, 4));
    assert!(!dir.path().join(".erlkit").exists());
    logged(dir.path(), &["lint"]);
    // A cache whose findings are wrong (a message changed) is not read.
    let cache = dir.path().join(".erlkit/cache/lint.json");
    let text = std::fs::read_to_string(&cache).unwrap();
    std::fs::write(&cache, text.replace("is unused", "is WRONG")).unwrap();
    let run = logged(dir.path(), &["lint", "--no-cache"]);
    assert_eq!(counts(&run), (0, 4));
    assert!(!run.stdout.contains("WRONG"));
    // Not written either.
    assert!(
        std::fs::read_to_string(&cache)
            .unwrap()
            .contains("is WRONG")
    );
}

#[test]
fn levels_baselines_and_shards_apply_to_cached_findings() {
    let dir = project(PROJECT);
    let whole = erlkit(dir.path(), &args(&["lint", "--no-cache"]));
    // Shards, cold and warm: together they report what one run reports.
    for _ in 0..2 {
        let mut lines: Vec<String> = ["1/2", "2/2"]
            .iter()
            .flat_map(|shard| {
                finding_lines(&erlkit(dir.path(), &args(&["lint", "--shard", shard])))
            })
            .collect();
        lines.sort();
        let mut expected = finding_lines(&whole);
        expected.sort();
        assert_eq!(lines, expected);
    }
    // A baseline written from cached findings leaves them all out.
    erlkit(
        dir.path(),
        &args(&["lint", "--baseline", "base.json", "--write-baseline"]),
    );
    let baselined = logged(dir.path(), &["lint", "--baseline", "base.json"]);
    assert_eq!(counts(&baselined), (4, 0));
    assert_eq!(baselined.code, 0);
    assert!(
        baselined
            .stdout
            .ends_with("0 errors, 0 warnings in 4 files, 7 baselined\n"),
        "{}",
        baselined.stdout
    );
    // Levels apply to cached findings (erlkit.toml is in the key: all are
    // analysed again once, then cached).
    write(
        dir.path(),
        "erlkit.toml",
        b"[lint.levels]\nW2101 = \"off\"\nE1003 = \"warning\"\n",
    );
    for expected_counts in [(0, 4), (4, 0)] {
        let run = logged(dir.path(), &["lint"]);
        assert_eq!(counts(&run), expected_counts);
        assert_eq!(
            run.stdout,
            erlkit(dir.path(), &args(&["lint", "--no-cache"])).stdout
        );
        assert!(!run.stdout.contains("W2101"));
        assert!(run.stdout.contains("warning[E1003]"));
    }
}

#[test]
fn with_unused_exports_on_a_new_call_relints_the_called_module() {
    // Unused exports read every module: a call added in one module removes
    // a finding in another, which did not list it as an input.
    let dir = project(
        r#"
//- /rebar.config
    {erl_opts, []}.
//- /erlkit.toml
    [lint.levels]
    W2306 = "warning"
//- /src/a.erl
    -module(a).
    -export([a/0]).
    a() -> ok.
//- /src/b.erl
    -module(b).
    -export([b/0, h/0]).
    b() -> ok.
    h() -> ok.
//- /src/c.erl
    -module(c).
    -export([c/0]).
    c() -> a:a(), b:b().
"#,
    );
    let uncached = erlkit(dir.path(), &args(&["lint", "--no-cache"]));
    assert!(uncached.stdout.contains("W2306"), "{}", uncached.stdout);
    let cold = logged(dir.path(), &["lint"]);
    assert_eq!(cold.stdout, uncached.stdout);
    assert_eq!(counts(&logged(dir.path(), &["lint"])), (3, 0));
    write(
        dir.path(),
        "src/a.erl",
        b"-module(a).\n-export([a/0]).\na() -> b:h().\n",
    );
    let after = logged(dir.path(), &["lint"]);
    assert_eq!(
        after.stdout,
        erlkit(dir.path(), &args(&["lint", "--no-cache"])).stdout
    );
    assert_ne!(after.stdout, cold.stdout);
}
