//! `% erlkit:ignore CODES REASON` comments: what they suppress, and the W2901
//! findings for bad ones. Fixtures as in `lint`: the first file is linted.

use expect_test::{Expect, expect};

use super::navigation::{host, shown};
use crate::FileId;

fn check(fixture: &str, expect: Expect) {
    let (host, files, _) = host(fixture);
    let analysis = host.analysis();
    let mut out = String::new();
    for finding in analysis.lint(FileId(0)).unwrap() {
        out.push_str(&format!(
            "{} {}: {}\n",
            shown(&files, finding.range),
            finding.code,
            finding.message
        ));
    }
    expect.assert_eq(&out);
}

#[test]
fn suppression_removes_the_finding_on_the_next_line() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/2]).
% erlkit:ignore W2101 the callback's signature needs Y
f(X, Y) -> X.
"#,
        expect![""],
    );
    // Without it, the finding is there.
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/2]).\nf(X, Y) -> X.\n",
        expect![[r#"
            /app/src/m.erl:3:6 W2101: variable 'Y' is unused
        "#]],
    );
}

#[test]
fn suppression_takes_names_several_codes_and_any_number_of_percent_signs() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1, g/1]).
%%% erlkit:ignore unused-variable,W2103 generated code
f(X) -> fun(X) -> ok end.
    %% erlkit:ignore W2101, shadowed-variable generated code too
g(X) -> fun(X) -> ok end.
"#,
        expect![""],
    );
}

#[test]
fn suppression_applies_to_the_line_after_it_only() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1, g/1]).
% erlkit:ignore W2101 the line after is blank

f(X) -> ok.
g(Y) -> ok.
"#,
        expect![[r#"
            /app/src/m.erl:3:17 W2901: erlkit:ignore W2101 suppresses nothing: there is no W2101 unused-variable on the next line
            /app/src/m.erl:5:3 W2101: variable 'X' is unused
            /app/src/m.erl:6:3 W2101: variable 'Y' is unused
        "#]],
    );
}

#[test]
fn stacked_suppressions_apply_to_the_first_line_below_them() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1]).
% erlkit:ignore W2101 kept for the behaviour
% erlkit:ignore W2103 the inner X is another one on purpose
f(X) -> fun(X) -> ok end.
"#,
        expect![""],
    );
}

#[test]
fn suppression_without_a_reason_still_suppresses_but_is_reported() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/2]).
% erlkit:ignore W2101
f(X, Y) -> X.
"#,
        expect![[r#"
            /app/src/m.erl:3:1 W2901: erlkit:ignore gives no reason: write why after the codes
        "#]],
    );
}

#[test]
fn unknown_codes_and_no_codes_are_reported() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/2, g/1]).
% erlkit:ignore W2101,W9999 one code is wrong
f(X, Y) -> X.
% erlkit:ignore
g(Z) -> ok.
"#,
        expect![[r#"
            /app/src/m.erl:3:23 W2901: unknown code 'W9999' in erlkit:ignore; `erlkit explain` lists the codes
            /app/src/m.erl:5:1 W2901: erlkit:ignore names no code: write the codes, then the reason
            /app/src/m.erl:6:3 W2101: variable 'Z' is unused
        "#]],
    );
}

#[test]
fn a_suppression_that_suppresses_nothing_is_reported() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1]).
% erlkit:ignore W2101,E1101 left over from an old version
f(X) -> X.
"#,
        expect![[r#"
            /app/src/m.erl:3:17 W2901: erlkit:ignore W2101 suppresses nothing: there is no W2101 unused-variable on the next line
            /app/src/m.erl:3:23 W2901: erlkit:ignore E1101 suppresses nothing: there is no E1101 unbound-variable on the next line
        "#]],
    );
}

#[test]
fn a_suppression_after_code_on_its_line_is_reported_and_does_nothing() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1, g/1]).
f(X) -> ok. % erlkit:ignore W2101 not here
g(Y) -> ok.
"#,
        expect![[r#"
            /app/src/m.erl:3:3 W2101: variable 'X' is unused
            /app/src/m.erl:3:13 W2901: erlkit:ignore must stand on a line of its own, above the line it is for
            /app/src/m.erl:4:3 W2101: variable 'Y' is unused
        "#]],
    );
}

#[test]
fn ordinary_comments_and_strings_that_mention_it_are_not_suppressions() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-export([f/1, g/1]).
% see erlkit:ignore in the documentation
f(X) -> "
% erlkit:ignore W2101 inside a string
".
g(Y) -> ok.
"#,
        expect![[r#"
            /app/src/m.erl:4:3 W2101: variable 'X' is unused
            /app/src/m.erl:7:3 W2101: variable 'Y' is unused
        "#]],
    );
}

#[test]
fn findings_in_a_header_are_suppressed_by_comments_in_the_header() {
    check(
        r#"//- /app/src/m.erl
-module(m).
-include("h.hrl").
-export([f/1, g/1]).
% erlkit:ignore W2101 the module's own comment does not reach the header
f(X) -> X.
//- /app/include/h.hrl
% erlkit:ignore W2101 shared helper keeps the argument for symmetry
g(Y) -> ok.
% erlkit:ignore W2101
h(Z) -> ok.
"#,
        expect![[r#"
            /app/src/m.erl:4:17 W2901: erlkit:ignore W2101 suppresses nothing: there is no W2101 unused-variable on the next line
            /app/include/h.hrl:3:1 W2901: erlkit:ignore gives no reason: write why after the codes
            /app/include/h.hrl:4:1 W2201: function h/1 is unused
        "#]],
    );
}
