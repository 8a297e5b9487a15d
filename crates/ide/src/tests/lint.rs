//! The linter's codes: for each, a fixture where it fires and a near miss
//! where it must not. Fixtures are `//- /path` files (see `navigation`); the
//! first is the module linted.

use expect_test::{Expect, expect};

use super::navigation::{host, shown};
use crate::{DiagnosticCode, FileId};

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
        expect![""],
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
        expect![""],
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
        expect![""],
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
            /app/src/m.erl:2:8 E1101 Error: variable 'X' is unbound
        "#]],
    );
    check("//- /app/src/m.erl\n-module(m).\nf(X) -> X.\n", expect![""]);
}

#[test]
fn unsafe_variable_e1102() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> ok\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:7:5 E1102 Error: variable 'X' unsafe in 'case'
              /app/src/m.erl:3:5 the 'case' it is bound in
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![""],
    );
}

#[test]
fn stacktrace_misuse_e1103() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(S) ->\n    try ok\n    catch _:_:S -> S\n    end.\n",
        expect![[r#"
            /app/src/m.erl:4:15 E1103 Error: stacktrace variable 'S' must not be previously bound
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf() ->\n    try ok\n    catch _:_:S -> S\n    end.\n",
        expect![""],
    );
}

#[test]
fn unused_variable_w2101() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> ok.\n",
        expect![[r#"
            /app/src/m.erl:2:3 W2101 Warning: variable 'X' is unused
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile([nowarn_unused_vars]).\nf(X) -> ok.\ng(_X) -> ok.\n",
        expect![""],
    );
}

#[test]
fn exported_variable_w2102() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-compile(warn_export_vars).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![[r#"
            /app/src/m.erl:8:5 W2102 Warning: variable 'X' exported from 'case'
              /app/src/m.erl:4:5 the 'case' it is bound in
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(A) ->\n    case A of\n        1 -> X = 1;\n        _ -> X = 2\n    end,\n    X.\n",
        expect![""],
    );
}

#[test]
fn shadowed_variable_w2103() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> fun(X) -> X end.\n",
        expect![[r#"
            /app/src/m.erl:2:3 W2101 Warning: variable 'X' is unused
            /app/src/m.erl:2:13 W2103 Warning: variable 'X' shadowed in 'fun'
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(X) -> fun(Y) -> {X, Y} end.\n",
        expect![""],
    );
}

#[test]
fn underscore_variable_matched_w2104() {
    check(
        "//- /app/src/m.erl\n-module(m).\nf(_X) -> _X = 1.\n",
        expect![[r#"
            /app/src/m.erl:2:10 W2104 Warning: variable '_X' is already bound. If you mean to ignore this value, use '_' or a different underscore-prefixed name
        "#]],
    );
    check(
        "//- /app/src/m.erl\n-module(m).\nf(_X) -> _Y = 1.\n",
        expect![""],
    );
}

#[test]
fn undefined_export_e1201() {
    check(
        "//- /app/src/m.erl\n-module(m).\n-export([f/0,\n         g/1]).\nf() -> ok.\ng() -> ok.\n",
        expect![[r#"
            /app/src/m.erl:2:2 E1201 Error: function g/1 undefined
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
fn every_code_has_a_name_and_is_found_by_it() {
    for code in DiagnosticCode::ALL {
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
            module(0, "-module(m0).\nf(X) -> fun(X) -> ok end.\n"),
            module(
                1,
                "-module(m1).\n-compile(warn_unused_vars).\nf(X) -> ok.\n",
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
