//! End-to-end tests of `erlkit lint --fix` and of turning on an opt-in
//! check (unused exports) in `erlkit.toml`.

use expect_test::expect;

mod support;

use support::{check, project};

#[test]
fn fix_renames_unused_variables_and_reports_what_is_left() {
    let dir = project(
        r#"
//- /src/m.erl
    -module(m).
    -export([f/2, g/1]).
    f(X, Y) -> X.
    g(Z) -> _Z = 1.
"#,
    );
    let args = [
        "lint",
        "--fix",
        "--no-cache",
        "--no-otp",
        "--otp-release",
        "25",
    ];
    check(
        dir.path(),
        &args,
        expect![[r#"
        exit: 0
        --- stdout
        src/m.erl:4:3: warning[W2101]: variable 'Z' is unused
        4 | g(Z) -> _Z = 1.
          |   ^
        0 errors, 1 warning in 1 file
        --- stderr
        erlkit: fixed 1 finding in src/m.erl
    "#]],
    );
    let fixed = std::fs::read_to_string(dir.path().join("src/m.erl")).unwrap();
    expect![[r#"
        -module(m).
        -export([f/2, g/1]).
        f(X, _Y) -> X.
        g(Z) -> _Z = 1.
    "#]]
    .assert_eq(&fixed);
    // Nothing is left to fix: the file stays as it is.
    check(
        dir.path(),
        &args,
        expect![[r#"
        exit: 0
        --- stdout
        src/m.erl:4:3: warning[W2101]: variable 'Z' is unused
        4 | g(Z) -> _Z = 1.
          |   ^
        0 errors, 1 warning in 1 file
        --- stderr
    "#]],
    );
}

#[test]
fn unused_exports_are_reported_when_erlkit_toml_turns_them_on() {
    let dir = project(
        r#"
//- /erlkit.toml
    [lint.levels]
    unused-export = "warning"
//- /src/m.erl
    -module(m).
    -export([used/0, unused/0]).
    used() -> ok.
    unused() -> ok.
//- /src/caller.erl
    -module(caller).
    -export([start/0]).
    start() -> m:used().
"#,
    );
    check(
        dir.path(),
        &[
            "lint",
            "--format",
            "github",
            "--no-otp",
            "--otp-release",
            "25",
        ],
        expect![[r#"
            exit: 0
            --- stdout
            ::warning file=src/caller.erl,line=2,endLine=2,col=10,endColumn=17,title=W2306 unused-export::exported function start/0 is not used by any other module
            ::warning file=src/m.erl,line=2,endLine=2,col=18,endColumn=26,title=W2306 unused-export::exported function unused/0 is not used by any other module
            --- stderr
        "#]],
    );
}
