//! The linter's codes: for each, a fixture where it fires and a near miss
//! where it must not. Fixtures are `//- /path` files (see `navigation`); the
//! first is the module linted.

use expect_test::{Expect, expect};

use super::navigation::{host, shown};
use crate::{DiagnosticCode, FileId};

/// The findings of the first file, one line each: place, code, message.
fn findings_of(host: &crate::AnalysisHost, files: &super::navigation::Files) -> Vec<String> {
    host.analysis()
        .lint(FileId(0))
        .unwrap()
        .iter()
        .map(|finding| {
            format!(
                "{} {} {}",
                shown(files, finding.range),
                finding.code,
                finding.message
            )
        })
        .collect()
}

fn check(fixture: &str, expect: Expect) {
    let (host, files, _) = host(fixture);
    let analysis = host.analysis();
    let mut out = String::new();
    for finding in analysis.lint(FileId(0)).unwrap() {
        out.push_str(&format!(
            "{} {} {:?}: {}\n",
            shown(&files, finding.range),
            finding.code,
            finding.severity,
            finding.message
        ));
        for related in &finding.related {
            out.push_str(&format!(
                "  {} {}\n",
                shown(&files, related.range),
                related.message
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn syntax_error_e1001() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf() -> (1.\n",
        expect![[r#"
            /app/src/m.erl:2:10 E1001 Error: expected ')'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf() -> (1).\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/0 is unused
        "#]],
    );
    // The compiler parses what `epp` gives it: text skipped by `-ifdef`,
    // and a macro call that only parses once expanded, are no errors.
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0]).\n-ifdef(NOPE).\ng( -> ok.\n-endif.\n-define(CASE, case 1 of).\nf() -> ?CASE 1 -> ok end.\n",
        expect![[r#""#]],
    );
}

#[test]
fn missing_include_e1002() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-include(\"nowhere.hrl\").\n",
        expect![[r#"
            /app/src/m.erl:2:10 E1002 Error: can't find include file "nowhere.hrl"
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-include(\"h.hrl\").\n//- /app/include/h.hrl\n-define(X, 1).\n",
        expect![""],
    );
}

#[test]
fn undefined_macro_e1003() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf() -> ?X.\n",
        expect![[r#"
            /app/src/m.erl:2:8 E1003 Error: undefined macro 'X'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-define(X, 1).\nf() -> ?X.\n",
        expect![[r#"
            /app/src/m.erl:3:1 W2201 Warning: function f/0 is unused
        "#]],
    );
}

#[test]
fn bad_macro_call_e1004() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-define(A(X), B(X)).\n-define(B(X), A(X)).\nf() -> ?A(1, 2).\n",
        expect![[r#"
            /app/src/m.erl:4:8 E1004 Error: argument mismatch for macro 'A'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-define(A(X), X).\nf() -> ?A(1).\n",
        expect![[r#"
            /app/src/m.erl:3:1 W2201 Warning: function f/0 is unused
        "#]],
    );
}

#[test]
fn bad_directive_e1005() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-endif.\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1005 Error: unbalanced 'endif'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-ifdef(X).\n-endif.\n",
        expect![""],
    );
}

#[test]
fn error_and_warning_directives_e1006_w2001() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-error(\"stop\").\n-warning(careful).\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1006 Error: -error("stop").
            /app/src/m.erl:3:2 W2001 Warning: -warning(careful).
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-ifdef(NOT_DEFINED).\n-error(\"stop\").\n-warning(careful).\n-endif.\n",
        expect![""],
    );
}

#[test]
fn unbound_variable_e1101() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf() -> X.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/0 is unused
            /app/src/m.erl:2:8 E1101 Error: variable 'X' is unbound
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> X.\n",
        expect![[r#"
        /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
    "#]],
    );
}

#[test]
fn unsafe_variable_e1102() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> ok\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:7:5 E1102 Error: variable 'X' unsafe in 'case'
              /app/src/m.erl:3:5 the 'case' it is bound in
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
        "#]],
    );
}

#[test]
fn stacktrace_misuse_e1103() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(S) ->\n    try ok\n    catch _:_:S -> S\n    end.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:4:15 E1103 Error: stacktrace variable 'S' must not be previously bound
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf() ->\n    try ok\n    catch _:_:S -> S\n    end.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/0 is unused
        "#]],
    );
}

#[test]
fn unused_variable_w2101() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> ok.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:2:3 W2101 Warning: variable 'X' is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile([nowarn_unused_vars]).\nf(X) -> ok.\ng(_X) -> ok.\n",
        expect![[r#"
            /app/src/m.erl:3:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:4:1 W2201 Warning: function g/1 is unused
        "#]],
    );
}

#[test]
fn exported_variable_w2102() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile(warn_export_vars).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:3:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:8:5 W2102 Warning: variable 'X' exported from 'case'
              /app/src/m.erl:4:5 the 'case' it is bound in
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
        "#]],
    );
}

#[test]
fn shadowed_variable_w2103() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> fun(X) -> X end.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:2:3 W2101 Warning: variable 'X' is unused
            /app/src/m.erl:2:13 W2103 Warning: variable 'X' shadowed in 'fun'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> fun(Y) -> {X, Y} end.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
        "#]],
    );
}

#[test]
fn underscore_variable_matched_w2104() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(_X) -> _X = 1.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
            /app/src/m.erl:2:10 W2104 Warning: variable '_X' is already bound. If you mean to ignore this value, use '_' or a different underscore-prefixed name
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(_X) -> _Y = 1.\n",
        expect![[r#"
            /app/src/m.erl:2:1 W2201 Warning: function f/1 is unused
        "#]],
    );
}

#[test]
fn undefined_export_e1201() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0,\n         g/1]).\nf() -> ok.\ng() -> ok.\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1201 Error: function g/1 undefined
            /app/src/m.erl:5:1 W2201 Warning: function g/0 is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0, g/1]).\nf() -> ok.\ng(_) -> ok.\n",
        expect![""],
    );
}

#[test]
fn function_redefined_e1202() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1, g/0]).\nf(0) -> zero.\ng() -> ok.\nf(N) -> N.\n",
        expect![[r#"
            /app/src/m.erl:5:1 E1202 Error: function f/1 already defined
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1, f/2]).\nf(0) -> zero;\nf(N) -> N.\nf(A, B) -> {A, B}.\n",
        expect![""],
    );
}

#[test]
fn undefined_function_e1203() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\nf(X) -> nothere(X), length(X, 1), fun missing/2.\n",
        expect![[r#"
            /app/src/m.erl:3:9 E1203 Error: function nothere/1 undefined
            /app/src/m.erl:3:21 E1203 Error: function length/2 undefined
            /app/src/m.erl:3:35 E1203 Error: function missing/2 undefined
        "#]],
    );
    // Defined, imported, an auto-imported BIF, `module_info`: all reach a
    // function.
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\n-import(lists, [reverse/1]).\nf(X) -> g(X), reverse(X), length(X), module_info(), fun g/1.\ng(X) -> X.\n",
        expect![""],
    );
}

/// `erl_lint` also reports the functions a `-dialyzer` attribute names that
/// the module does not define, at the attribute, once for each option that
/// names them; `module_info/0` counts as undefined there. The expectations
/// are what `erlc` reports.
#[test]
fn undefined_functions_in_dialyzer_attributes_e1203() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\n-dialyzer({nowarn_function, missing/0}).\n-dialyzer([{[no_return, no_match], [f/1, {gone, 2}]}, no_improper_lists]).\n-dialyzer({nowarn_function, module_info/0}).\nf(X) -> X.\n",
        expect![[r#"
            /app/src/m.erl:3:2 E1203 Error: function missing/0 undefined
            /app/src/m.erl:4:2 E1203 Error: function gone/2 undefined
            /app/src/m.erl:4:2 E1203 Error: function gone/2 undefined
            /app/src/m.erl:5:2 E1203 Error: function module_info/0 undefined
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\n-dialyzer({nowarn_function, f/1}).\n-dialyzer(no_return).\n-dialyzer({[no_match], [f/1]}).\nf(X) -> X.\n",
        expect![""],
    );
}

/// A record's default values are used where the record is made with them,
/// not where it is declared: a function they call, or a record they make,
/// is unused unless a `#r{...}` leaves the field out (a pattern makes
/// nothing). The value of a field the record does not have is not looked
/// at. The expectations are what `erlc` reports.
#[test]
fn record_defaults_are_used_where_the_record_is_made() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([given/0, matched/1, bad_field/0]).\n-record(inner, {x = in_default()}).\n-record(r, {a = a_default(), b = #inner{}}).\ngiven() -> #r{a = 1, b = 2}.\nmatched(#r{}) -> ok.\nbad_field() -> #r{a = 1, b = 2, c = from_bad_field()}.\na_default() -> 1.\nin_default() -> 2.\nfrom_bad_field() -> 3.\n",
        expect![[r#"
            /app/src/m.erl:3:2 W2202 Warning: record inner is unused
            /app/src/m.erl:7:33 E1205 Error: field c undefined in record r
            /app/src/m.erl:8:1 W2201 Warning: function a_default/0 is unused
            /app/src/m.erl:9:1 W2201 Warning: function in_default/0 is unused
            /app/src/m.erl:10:1 W2201 Warning: function from_bad_field/0 is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([made/0, nested/0]).\n-record(inner, {x = in_default()}).\n-record(r, {a = a_default(), b = #inner{}}).\nmade() -> #r{b = 1}.\nnested() -> #r{a = 1}.\na_default() -> 1.\nin_default() -> 2.\n",
        expect![""],
    );
}

#[test]
fn records_e1204_e1205_e1206_e1207() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([g/0, h/1]).\n-record(r, {a, b}).\n-record(r, {c}).\n-record(dup, {x, x}).\ng() -> #r{a = 1, zz = 2, a = 3}.\nh(R) -> {R#q.a, #dup{}}.\n",
        expect![[r#"
            /app/src/m.erl:4:2 E1207 Error: record r already defined
            /app/src/m.erl:5:18 E1206 Error: field x already defined in record dup
            /app/src/m.erl:6:18 E1205 Error: field zz undefined in record r
            /app/src/m.erl:6:26 E1206 Error: field a already defined in record r
            /app/src/m.erl:7:11 E1204 Error: record q undefined
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([g/0, h/1]).\n-record(r, {a, b :: #r{} | undefined}).\ng() -> #r{a = 1, b = 2}.\nh(R) -> {R#r.a, #r.b, is_record(R, r)}.\n",
        expect![""],
    );
}

#[test]
fn types_and_specs_e1208_e1209_e1210_e1211() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\n-type t() :: atom().\n-type t() :: integer().\n-spec f(u()) -> ok.\n-spec f(t()) -> ok.\n-spec nothere(x) -> ok.\nf(_) -> ok.\n",
        expect![[r#"
            /app/src/m.erl:4:2 E1209 Error: type t() already defined
            /app/src/m.erl:5:9 E1208 Error: type u() undefined
            /app/src/m.erl:6:2 E1211 Error: spec for f/1 already defined
            /app/src/m.erl:7:2 E1210 Error: spec for undefined function nothere/1
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\n-export_type([e/0]).\n-type t(A) :: [A].\n-type e() :: t(integer()) | m:e().\n-spec f(t(atom())) -> ok.\nf(_) -> ok.\n",
        expect![""],
    );
}

#[test]
fn unused_function_w2201() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0]).\nf() -> ok.\nhelper() -> helper2().\nhelper2() -> helper().\n",
        expect![[r#"
            /app/src/m.erl:4:1 W2201 Warning: function helper/0 is unused
            /app/src/m.erl:5:1 W2201 Warning: function helper2/0 is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0]).\n-compile({nowarn_unused_function, [quiet/0]}).\n-record(r, {a = default()}).\nf() -> fun helper/0.\nhelper() -> #r{}.\ndefault() -> ok.\nquiet() -> ok.\n",
        expect![""],
    );
}

#[test]
fn unused_record_and_type_w2202_w2203() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-include(\"h.hrl\").\n-record(unused, {z}).\n-type lonely() :: ok.\n-type chain() :: lonely().\n//- /app/src/h.hrl\n-record(in_header, {a}).\n-type in_header() :: ok.\n",
        expect![[r#"
            /app/src/m.erl:3:2 W2202 Warning: record unused is unused
            /app/src/m.erl:4:2 W2203 Warning: type lonely() is unused
            /app/src/m.erl:5:2 W2203 Warning: type chain() is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile([nowarn_unused_type, {nowarn_unused_record, [unused]}]).\n-record(unused, {z}).\n-type lonely() :: ok.\n",
        expect![""],
    );
}

#[test]
fn missing_callback_w2204() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-behaviour(beh).\n-export([init/1]).\ninit(A) -> A.\n//- /app/src/beh.erl\n-module(beh).\n-callback init(term()) -> term().\n-callback handle(term()) -> ok.\n-callback extra() -> ok.\n-optional_callbacks([extra/0]).\n",
        expect![[r#"
            /app/src/m.erl:2:2 W2204 Warning: undefined callback function handle/1 (behaviour 'beh')
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-behaviour(beh).\n-behaviour(not_in_the_workspace).\n-compile(export_all).\ninit(A) -> A.\nhandle(_) -> ok.\n//- /app/src/beh.erl\n-module(beh).\n-callback init(term()) -> term().\n-callback handle(term()) -> ok.\n",
        expect![""],
    );
}

#[test]
fn deprecated_and_removed_functions_w2205_w2206() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([old/0]).\nold() -> erlang:now(), now(), erlang:get_stacktrace(), pg2:create(x).\n",
        expect![[r#"
            /app/src/m.erl:3:10 W2205 Warning: erlang:now/0 is deprecated; see the "Time and Time Correction in Erlang" chapter of the ERTS User's Guide for more information
            /app/src/m.erl:3:24 W2205 Warning: erlang:now/0 is deprecated; see the "Time and Time Correction in Erlang" chapter of the ERTS User's Guide for more information
            /app/src/m.erl:3:31 W2206 Warning: erlang:get_stacktrace/0 is removed; use the new try/catch syntax for retrieving the stack backtrace
            /app/src/m.erl:3:56 W2206 Warning: pg2:create/1 is removed; this module was removed in OTP 24. Use 'pg' instead
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([old/0]).\n-compile([{nowarn_deprecated_function, [{erlang, now, 0}]}, {nowarn_removed, [pg2]}]).\n-compile({no_auto_import, [now/0]}).\nold() -> erlang:now(), erlang:system_time(), pg2:create(x), now().\nnow() -> ok.\n",
        expect![""],
    );
}

#[test]
fn format_arguments_w2207() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\nf(X) -> io:format(\"~p ~p~n\", [X]), io_lib:format(\"~q\", []), io:fwrite(\"~s~n\", \"x\"), io:format(\"~p\"), io:format(\"~p\", x), io_lib:format(a, b, c, d).\n",
        expect![[r#"
            /app/src/m.erl:3:30 W2207 Warning: the format string requires an argument list with 2 arguments, but the argument list contains only 1 argument
            /app/src/m.erl:3:50 W2207 Warning: format string invalid (invalid control ~q)
            /app/src/m.erl:3:95 W2207 Warning: the format string requires an argument list with 1 argument, but no argument list is given
            /app/src/m.erl:3:118 W2207 Warning: format arguments not a list
            /app/src/m.erl:3:122 W2207 Warning: format call with wrong number of arguments
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1]).\nf(X) -> io:format(\"~p ~*.*.0f~n\", [X, 1, 2, 3.0]), io:format(\"~p\", X), io:format(<<\"~p\">>, []), io:format(user, \"~p~n\", [X]).\n",
        expect![""],
    );
}

#[test]
fn warnings_as_errors_makes_warnings_errors() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile(warnings_as_errors).\nhelper() -> ok.\n",
        expect![[r#"
            /app/src/m.erl:3:1 W2201 Error: function helper/0 is unused
        "#]],
    );
}

#[test]
fn every_code_has_a_name_and_is_found_by_it() {
    for &code in DiagnosticCode::ALL {
        assert_eq!(DiagnosticCode::from_code_or_name(code.code()), Some(code));
        assert_eq!(DiagnosticCode::from_code_or_name(code.name()), Some(code));
    }
    assert_eq!(DiagnosticCode::from_code_or_name("E9999"), None);
}

/// The application's `erl_opts` switches come first, the module's `-compile`
/// attributes after them.
#[test]
fn erl_opts_switches_apply_before_compile_attributes() {
    use std::sync::Arc;

    use syntax::{FileKind, OtpRelease};

    use crate::{AnalysisHost, AppData, Change, FileChange};

    let module = |id: u32, text: &str| FileChange {
        file_id: FileId(id),
        path: format!("/app/src/m{id}.erl").into(),
        contents: Some(Arc::from(text)),
        kind: FileKind::Module,
        library: false,
    };
    let mut host = AnalysisHost::new(OtpRelease(25));
    host.apply_change(Change {
        files: vec![
            module(
                0,
                "-module(m0).\n-export([f/1]).\nf(X) -> fun(X) -> ok end.\n",
            ),
            module(
                1,
                "-module(m1).\n-export([f/1]).\n-compile(warn_unused_vars).\nf(X) -> ok.\n",
            ),
        ],
        apps: Some(vec![AppData {
            name: "app".to_owned(),
            files: vec![FileId(0), FileId(1)],
            warning_switches: vec![
                "nowarn_unused_vars".to_owned(),
                "nowarn_shadow_vars".to_owned(),
            ],
            ..AppData::default()
        }]),
    });
    let analysis = host.analysis();
    let codes = |id| -> Vec<String> {
        analysis
            .lint(FileId(id))
            .unwrap()
            .iter()
            .map(|finding| finding.code.to_string())
            .collect()
    };
    assert!(codes(0).is_empty(), "{:?}", codes(0));
    assert_eq!(codes(1), ["W2101"]);
}

#[test]
fn cross_module_w2301_w2302_w2303_w2304() {
    check(
        r#"//- /web/src/web.erl
-module(web).
-export([f/0]).
f() ->
    nomod:g(),
    store:nothere(1),
    store:get(k),
    fun store:get/1,
    store:module_info(),
    db_pool:checkout(),
    lists:reverse([]),
    store:fetch(k).
//- /web/src/web.app.src
{application, web, [{applications, [kernel, stdlib, store]}]}.
//- /store/src/store.erl
-module(store).
-export([get/1, fetch/1]).
-deprecated([{get, 1, "use fetch/1"}]).
get(K) -> K.
fetch(K) -> K.
//- /db/src/db_pool.erl
-module(db_pool).
-export([checkout/0]).
checkout() -> ok.
//- /otp/stdlib/src/lists.erl
-module(lists).
-export([reverse/1]).
reverse(L) -> L.
//- /otp/erts/src/erlang.erl
-module(erlang).
"#,
        expect![[r#"
            /web/src/web.erl:4:5 W2301 Warning: call to nomod:g/0: no module nomod in the project, its dependencies or OTP
            /web/src/web.erl:5:5 W2302 Warning: call to store:nothere/1: store does not export it
            /web/src/web.erl:6:5 W2303 Warning: store:get/1 is deprecated; use fetch/1
            /web/src/web.erl:7:5 W2303 Warning: store:get/1 is deprecated; use fetch/1
            /web/src/web.erl:9:5 W2304 Warning: call to db_pool:checkout/0 of application db, which the .app.src of web does not list in `applications`
        "#]],
    );
    // A module that uses lager's transform may call lager's log levels; an
    // application without an `.app.src` is not checked for dependencies.
    check(
        r#"//- /web/src/web.erl
-module(web).
-compile({parse_transform, lager_transform}).
-export([f/0]).
f() -> lager:info("~p", [x]), lager:warning_unsafe("x"), db_pool:checkout().
//- /db/src/db_pool.erl
-module(db_pool).
-export([checkout/0]).
checkout() -> ok.
//- /otp/stdlib/src/lists.erl
-module(lists).
//- /otp/erts/src/erlang.erl
-module(erlang).
"#,
        expect![""],
    );
}

#[test]
fn lint_inputs_are_the_file_its_headers_and_the_modules_it_uses() {
    let (host, files, _) = super::navigation::host(
        r#"//- /app/src/m.erl
-module(m).
-include("h.hrl").
-behaviour(beh).
-export([f/0]).
f() -> other:g(), nomod:h().
//- /app/src/h.hrl
-define(X, 1).
//- /app/src/beh.erl
-module(beh).
//- /app/src/other.erl
-module(other).
//- /app/src/unrelated.erl
-module(unrelated).
"#,
    );
    let inputs = host.analysis().lint_inputs(FileId(0)).unwrap();
    let paths: Vec<String> = inputs
        .iter()
        .map(|id| files[id.0 as usize].1.display().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/app/src/m.erl",
            "/app/src/h.hrl",
            "/app/src/beh.erl",
            "/app/src/other.erl"
        ]
    );
}

#[test]
fn unused_variables_have_a_fix_when_the_rename_is_safe() {
    let (host, _, _) = super::navigation::host(
        "//- /app/src/m.erl\n-module(m).\n-export([f/2, g/1, h/1]).\nf(X, Y) -> X.\ng(Z) -> _Z = 1.\nh(W) -> case 1 of 1 -> W = 2; _ -> W = 3 end.\n",
    );
    let fixes: Vec<String> = host
        .analysis()
        .lint(FileId(0))
        .unwrap()
        .iter()
        .map(|finding| {
            let fix = finding.fix.as_ref().map_or("no fix".to_owned(), |fix| {
                let edits: Vec<String> = fix
                    .edits
                    .iter()
                    .map(|edit| format!("{:?} {:?}", edit.range.range, edit.new_text))
                    .collect();
                format!("{}: {}", fix.label, edits.join(", "))
            });
            format!("{} {}: {fix}", finding.code, finding.message)
        })
        .collect();
    expect![[r#"
        [
            "W2101 variable 'Y' is unused: rename Y to _Y: 43..43 \"_\"",
            "W2101 variable 'Z' is unused: no fix",
        ]
    "#]]
    .assert_debug_eq(&fixes);
}

#[test]
fn unused_exports_w2306_only_when_asked_for() {
    let fixture = r#"//- /app/src/m.erl
-module(m).
-behaviour(beh).
-export([used/0, by_mfa/0, unused/0, init/1]).
used() -> ok.
by_mfa() -> ok.
unused() -> ok.
init(_) -> ok.
//- /app/src/caller.erl
-module(caller).
-export([start/0]).
start() -> m:used(), spawn(m, by_mfa, []).
//- /app/src/beh.erl
-module(beh).
-callback init(term()) -> ok.
"#;
    let (mut host, files, _) = super::navigation::host(fixture);
    let codes = |host: &crate::AnalysisHost| findings_of(host, &files);
    assert!(codes(&host).is_empty(), "{:?}", codes(&host));
    host.set_opted_in_lints(vec![DiagnosticCode::UnusedExport]);
    expect![[r#"
        [
            "/app/src/m.erl:3:28 W2306 exported function unused/0 is not used by any other module",
        ]
    "#]]
    .assert_debug_eq(&codes(&host));
}

#[test]
fn declared_parse_transforms_provide_calls_and_functions() {
    let fixture = r#"//- /app/src/m.erl
-module(m).
-compile({parse_transform, my_transform}).
-export([f/0]).
f() -> mylog:info(x), mylog:debug(x, y), '__info'(x), other:g(), helper().
//- /app/src/other.erl
-module(other).
//- /otp/stdlib/src/lists.erl
-module(lists).
//- /otp/erts/src/erlang.erl
-module(erlang).
"#;
    let (mut host, files, _) = super::navigation::host(fixture);
    let lint = |host: &crate::AnalysisHost| findings_of(host, &files);
    // An unknown transform: only the cross-module checks run.
    expect![[r#"
        [
            "/app/src/m.erl:4:8 W2301 call to mylog:info/1: no module mylog in the project, its dependencies or OTP",
            "/app/src/m.erl:4:23 W2301 call to mylog:debug/2: no module mylog in the project, its dependencies or OTP",
            "/app/src/m.erl:4:55 W2302 call to other:g/0: other does not export it",
        ]
    "#]].assert_debug_eq(&lint(&host));
    host.set_declared_transforms(vec![crate::DeclaredTransform {
        name: "my_transform".to_owned(),
        calls: vec!["mylog:*".to_owned()],
        adds: vec!["'__info'/1".to_owned()],
    }]);
    expect![[r#"
        [
            "/app/src/m.erl:4:55 W2302 call to other:g/0: other does not export it",
            "/app/src/m.erl:4:66 E1203 function helper/0 undefined",
        ]
    "#]]
    .assert_debug_eq(&lint(&host));
}

/// What the compiler never gets (a form with a syntax error, or a macro
/// `epp` could not expand) defines nothing, and only its first error is
/// reported; the values of undefined records and fields are not looked at.
/// Each expectation is what `erlc` reports.
#[test]
fn rejected_forms_and_undefined_records_as_erlc_sees_them() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1, g/1]).\nf(X) ->\n    Y = X + 1\n    Z = Y,\n    Z.\ng(X) -> f(X).\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1201 Error: function f/1 undefined
            /app/src/m.erl:5:5 E1001 Error: expected '.' at the end of the form
            /app/src/m.erl:7:9 E1203 Error: function f/1 undefined
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1, g/1]).\n-define(ONE(A), A).\nf(X) ->\n    Unused = 1,\n    ?UNDEFINED + ?ONE(X, 2).\ng(X) -> f(X).\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1201 Error: function f/1 undefined
            /app/src/m.erl:6:5 E1003 Error: undefined macro 'UNDEFINED'
            /app/src/m.erl:7:9 E1203 Error: function f/1 undefined
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/1, g/1, h/1]).\n-record(r, {x, y}).\nf(#r{x_typo = X, y = Y}) -> {X, Y}.\ng(Y) -> #r_typo{x = Y}.\nh(Z) -> #r{x_typo = Z}.\n",
        expect![[r#"
            /app/src/m.erl:4:6 E1205 Error: field x_typo undefined in record r
            /app/src/m.erl:4:30 E1101 Error: variable 'X' is unbound
            /app/src/m.erl:5:3 W2101 Warning: variable 'Y' is unused
            /app/src/m.erl:5:9 E1204 Error: record r_typo undefined
            /app/src/m.erl:6:3 W2101 Warning: variable 'Z' is unused
            /app/src/m.erl:6:12 E1205 Error: field x_typo undefined in record r
        "#]],
    );
}
