//! End-to-end tests of `erlkit lint` and `erlkit explain`: the real binary on
//! a small umbrella whose rebar.config switches a warning off.

use expect_test::expect;

mod support;

use support::{check, project};

const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, [debug_info, nowarn_shadow_vars]}.
//- /apps/shop/src/shop.erl
    -module(shop).
    -export([total/1, pick/1, wrap/1]).
    total(Items) ->
        case Items of
            [] -> Sum = 0;
            _ -> ok
        end,
        Sum.
    pick(Unused) -> ?MISSING.
    wrap(X) -> fun(X) -> X end.
//- /apps/billing/src/billing.erl
    -module(billing).
    -export([fee/1]).
    fee(N) -> N * 3.
"#;

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

#[test]
fn lint_prints_findings_with_codes_and_fails_on_errors() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 1
            --- stdout
            apps/shop/src/shop.erl:2:2: error[E1201]: function pick/1 undefined
            2 | -export([total/1, pick/1, wrap/1]).
              |  ^^^^^^
            apps/shop/src/shop.erl:8:1: error[E1102]: variable 'Sum' unsafe in 'case'
            8 | Sum.
              | ^^^
              apps/shop/src/shop.erl:4:1: note: the 'case' it is bound in
            apps/shop/src/shop.erl:9:17: error[E1003]: undefined macro 'MISSING'
            9 | pick(Unused) -> ?MISSING.
              |                 ^^^^^^^^
            apps/shop/src/shop.erl:10:6: warning[W2101]: variable 'X' is unused
            10 | wrap(X) -> fun(X) -> X end.
               |      ^
            3 errors, 1 warning in 2 files
            --- stderr
        "#]],
    );
}

#[test]
fn lint_of_a_clean_path_passes_and_deny_warnings_fails_on_warnings() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &args(&["lint", "apps/billing"]),
        expect![[r#"
            exit: 0
            --- stdout
            0 errors, 0 warnings in 1 file
            --- stderr
        "#]],
    );
    let dir = project(
        "//- /rebar.config\n    {erl_opts, []}.\n//- /src/m.erl\n    -module(m).\n    f(X) -> ok.\n",
    );
    check(
        dir.path(),
        &args(&["lint"]),
        expect![[r#"
            exit: 0
            --- stdout
            src/m.erl:2:1: warning[W2201]: function f/1 is unused
            2 | f(X) -> ok.
              | ^
            src/m.erl:2:3: warning[W2101]: variable 'X' is unused
            2 | f(X) -> ok.
              |   ^
            0 errors, 2 warnings in 1 file
            --- stderr
        "#]],
    );
    check(
        dir.path(),
        &args(&["lint", "--deny", "warnings"]),
        expect![[r#"
            exit: 1
            --- stdout
            src/m.erl:2:1: warning[W2201]: function f/1 is unused
            2 | f(X) -> ok.
              | ^
            src/m.erl:2:3: warning[W2101]: variable 'X' is unused
            2 | f(X) -> ok.
              |   ^
            0 errors, 2 warnings in 1 file
            --- stderr
        "#]],
    );
}

#[test]
fn lint_json_gives_each_finding_with_its_place() {
    let dir = project(
        "//- /rebar.config\n    {erl_opts, []}.\n//- /src/m.erl\n    -module(m).\n    f() -> X.\n",
    );
    check(
        dir.path(),
        &args(&["lint", "--format", "json"]),
        expect![[r#"
            exit: 1
            --- stdout
            {
              "errors": 1,
              "files": 1,
              "findings": [
                {
                  "code": "W2201",
                  "column": 1,
                  "end_column": 2,
                  "end_line": 2,
                  "fingerprint": "d305e4ec3bd285dd:0",
                  "fix": null,
                  "line": 2,
                  "message": "function f/0 is unused",
                  "name": "unused-function",
                  "path": "src/m.erl",
                  "related": [],
                  "severity": "warning"
                },
                {
                  "code": "E1101",
                  "column": 8,
                  "end_column": 9,
                  "end_line": 2,
                  "fingerprint": "d305e4ec3bd285dd:0",
                  "fix": null,
                  "line": 2,
                  "message": "variable 'X' is unbound",
                  "name": "unbound-variable",
                  "path": "src/m.erl",
                  "related": [],
                  "severity": "error"
                }
              ],
              "warnings": 1
            }
            --- stderr
        "#]],
    );
}

#[test]
fn lint_github_gives_workflow_commands() {
    let dir = project(
        "//- /rebar.config\n    {erl_opts, []}.\n//- /src/m.erl\n    -module(m).\n    f(Y) -> X.\n",
    );
    check(
        dir.path(),
        &args(&["lint", "--format", "github"]),
        expect![[r#"
            exit: 1
            --- stdout
            ::warning file=src/m.erl,line=2,endLine=2,col=1,endColumn=2,title=W2201 unused-function::function f/1 is unused
            ::warning file=src/m.erl,line=2,endLine=2,col=3,endColumn=4,title=W2101 unused-variable::variable 'Y' is unused
            ::error file=src/m.erl,line=2,endLine=2,col=9,endColumn=10,title=E1101 unbound-variable::variable 'X' is unbound
            --- stderr
        "#]],
    );
}

#[test]
fn explain_prints_a_codes_documentation() {
    let dir = project("//- /rebar.config\n    {erl_opts, []}.\n");
    check(
        dir.path(),
        &["explain", "w2103"],
        expect![[r#"
        exit: 0
        --- stdout
        ## W2103 shadowed-variable

        A variable in a fun's head, or in a comprehension's generator pattern, has
        the name of a variable already bound outside.

        ```erlang
        f(X) -> fun(X) -> X end.      % variable 'X' shadowed in 'fun'
        ```

        Why: inside the fun, the outer `X` cannot be used. A pattern there does not
        match against it (as it would elsewhere): it binds a new variable.

        Fix: rename one of them. Silence it with `-compile(nowarn_shadow_vars).`.
        --- stderr
    "#]],
    );
    check(
        dir.path(),
        &["explain", "E0000"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: unknown code "E0000"; the codes are E1001, E1002, E1003, E1004, E1005, E1006, E1101, E1102, E1103, E1201, E1202, E1203, E1204, E1205, E1206, E1207, E1208, E1209, E1210, E1211, W2001, W2101, W2102, W2103, W2104, W2201, W2202, W2203, W2204, W2205, W2206, W2207, W2301, W2302, W2303, W2304, W2305, W2306, W2901
        "#]],
    );
}
