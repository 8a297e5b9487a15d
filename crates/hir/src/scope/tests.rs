//! Scoping fixtures: each is a module with `erl_lint`'s errors and warnings
//! written under the lines they point at (`%% ^^^ error: ...`), which the
//! analysis must reproduce exactly. The expectations were checked against
//! OTP 25's `erl_lint` (with `warn_export_vars`), construct locations
//! reduced to their line. A second kind of test lists what each occurrence
//! resolves to.

use std::fmt::Write as _;

use base_db::{RootDatabase, SourceFile};
use expect_test::{Expect, expect};
use salsa::Setter;
use smol_str::SmolStr;
use syntax::{LineIndex, TextRange};

use super::{Resolution, VarRef, function_scopes};
use crate::Workspace;
use crate::body::tests::workspace;
use crate::body::{BodySourceMap, FunctionId, function_body_source_map, module_functions};
use crate::expanded::ExpandedModule;
use crate::expanded_module;

/// Whether `line` is an annotation (`%%` then spaces then carets).
fn is_annotation(line: &str) -> bool {
    line.strip_prefix("%%")
        .is_some_and(|rest| rest.trim_start().starts_with('^'))
}

/// Where `range` of the expanded text is in the source: its line (0-based)
/// and columns.
fn source_position(
    expanded: &ExpandedModule,
    index: &LineIndex<'_>,
    text: &str,
    range: TextRange,
) -> (usize, usize, usize) {
    let origin = expanded.origin_of(range).expect("an origin");
    let start: usize = origin.range.start().into();
    let end: usize = origin.range.end().into();
    let line = index.line(start) as usize - 1;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    (line, start - line_start, end - line_start)
}

/// The range of an occurrence in the expanded text.
fn range_of(map: &BodySourceMap, at: VarRef) -> TextRange {
    match at {
        VarRef::Pat(pat) => map.pat(pat),
        VarRef::Expr(expr) => map.expr(expr),
    }
}

/// The fixture with its annotations made again from the analysis.
fn annotate(text: &str, release: u32) -> String {
    let db = RootDatabase::default();
    let (workspace, file) = workspace(&db, text, release, &[]);
    let expanded = expanded_module(&db, workspace, file);
    let index = LineIndex::new(text);
    let mut notes: Vec<(usize, usize, usize, String)> = Vec::new();
    for function in module_functions(&db, workspace, file) {
        let scopes = function_scopes(&db, function);
        let map = function_body_source_map(&db, function);
        for diagnostic in scopes.diagnostics() {
            let (line, start, end) =
                source_position(expanded, &index, text, range_of(map, diagnostic.at));
            let severity = if diagnostic.is_error() {
                "error"
            } else {
                "warning"
            };
            let mut message = format!("{severity}: {}", diagnostic.message());
            if let Some(construct) = diagnostic.construct() {
                let (construct_line, _, _) =
                    source_position(expanded, &index, text, map.expr(construct.expr));
                let _ = write!(message, " (line {})", construct_line + 1);
            }
            notes.push((line, start, end, message));
        }
    }
    notes.sort();
    notes.dedup();
    let mut out = String::new();
    for (number, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        for (_, start, end, message) in notes.iter().filter(|note| note.0 == number) {
            assert!(
                *start >= 2,
                "cannot annotate column {start} of line {number}"
            );
            let carets = "^".repeat((end - start).max(1));
            let _ = writeln!(out, "%%{}{carets} {message}", " ".repeat(start - 2));
        }
    }
    out
}

fn check_with(release: u32, fixture: &str) {
    let text: String = fixture
        .lines()
        .filter(|line| !is_annotation(line))
        .map(|line| format!("{line}\n"))
        .collect();
    let actual = annotate(&text, release);
    let expected: String = fixture.lines().map(|line| format!("{line}\n")).collect();
    if actual != expected {
        panic!("annotations differ\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}

fn check(fixture: &str) {
    check_with(25, fixture);
}

/// Every variable occurrence and what it resolves to, as
/// `line:column Name kind`, bindings by `line:column`.
fn check_resolutions(text: &str, expect: Expect) {
    let db = RootDatabase::default();
    let (workspace, file) = workspace(&db, text, 25, &[]);
    let expanded = expanded_module(&db, workspace, file);
    let index = LineIndex::new(text);
    let position = |range: TextRange| {
        let (line, start, _) = source_position(expanded, &index, text, range);
        format!("{}:{}", line + 1, start + 1)
    };
    let mut out = String::new();
    for function in module_functions(&db, workspace, file) {
        let scopes = function_scopes(&db, function);
        let map = function_body_source_map(&db, function);
        let mut lines: Vec<((u32, u32), String)> = scopes
            .resolutions()
            .map(|(at, resolution)| {
                let range = range_of(map, at);
                let name = &expanded.text()[range];
                let bindings = |pats: &[crate::body::PatId]| {
                    pats.iter()
                        .map(|&pat| position(map.pat(pat)))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let what = match resolution {
                    Resolution::Binding => "binding".to_owned(),
                    Resolution::Use(pats) if matches!(at, VarRef::Pat(_)) => {
                        format!("match of {}", bindings(pats))
                    }
                    Resolution::Use(pats) => format!("use of {}", bindings(pats)),
                    Resolution::Unbound => "unbound".to_owned(),
                    Resolution::Unsafe {
                        bindings: pats,
                        construct,
                    } => format!(
                        "unsafe ({} {}) of {}",
                        construct.kind.name(),
                        position(map.expr(construct.expr)),
                        bindings(pats)
                    ),
                };
                let key = (u32::from(range.start()), u32::from(range.end()));
                (key, format!("{} {name} {what}", position(range)))
            })
            .collect();
        lines.sort();
        for (_, line) in lines {
            out.push_str(&line);
            out.push('\n');
        }
        for (at, name) in scopes.underscore_uses() {
            let _ = writeln!(out, "{} {name} used", position(range_of(map, *at)));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn heads_bind_and_uses_resolve() {
    check(
        r#"
-module(m).
f(X, Y) ->
%%   ^ warning: variable 'Y' is unused
    Z = X,
    {Z, W}.
%%      ^ error: variable 'W' is unbound
g(X, X) -> X.
h({A, B}, [A | _]) -> B.
"#,
    );
}

#[test]
fn a_bound_variable_in_a_pattern_is_a_match() {
    check_resolutions(
        r#"
-module(m).
f(X) ->
    {X, Y} = g(),
    [Y || Y <- X],
    Y.
"#,
        expect![[r#"
            3:3 X binding
            4:6 X match of 3:3
            4:9 Y binding
            5:6 Y use of 5:11
            5:11 Y binding
            5:16 X use of 3:3
            6:5 Y use of 4:9
        "#]],
    );
}

#[test]
fn uses_after_a_case_resolve_to_every_clause_binding() {
    check_resolutions(
        r#"
-module(m).
f(A) ->
    case A of
        a -> X = 1, Y = 1;
        b -> X = 2
    end,
    {X, Y},
    fun(X) -> X end.
"#,
        expect![[r#"
            3:3 A binding
            4:10 A use of 3:3
            5:14 X binding
            5:21 Y binding
            6:14 X binding
            8:6 X use of 5:14 6:14
            8:9 Y unsafe ('case' 4:5) of 5:21
            9:9 X binding
            9:15 X use of 9:9
        "#]],
    );
}

#[test]
fn case_exports_what_every_clause_binds() {
    check(
        r#"
-module(m).
f(A) ->
    case A of
        a -> Y = 1, Z = 2;
        b -> Y = 2
    end,
    {Y, Z}.
%%   ^ warning: variable 'Y' exported from 'case' (line 4)
%%      ^ error: variable 'Z' unsafe in 'case' (line 4)
g(A) ->
    case A of
        {ok, V} -> V;
        _ -> V = none
    end,
    V = done.
%%  ^ warning: variable 'V' exported from 'case' (line 10)
"#,
    );
}

#[test]
fn variables_bound_in_only_some_clauses_but_unused_are_warned_at_each_binding() {
    check(
        r#"
-module(m).
f(A) ->
    if
        A > 1 -> B = 1;
%%               ^ warning: variable 'B' is unused
        true -> B = 2, C = 3
%%              ^ warning: variable 'B' is unused
%%                     ^ warning: variable 'C' is unused
    end,
    ok.
"#,
    );
}

#[test]
fn receive_and_its_after_clause() {
    check(
        r#"
-module(m).
f(T) ->
    receive
        {msg, M} -> N = M
    after T ->
        N = timeout,
        O = T
%%      ^ warning: variable 'O' is unused
    end,
    {N, M}.
%%   ^ warning: variable 'N' exported from 'receive' (line 4)
%%      ^ error: variable 'M' unsafe in 'receive' (line 4)
"#,
    );
}

#[test]
fn everything_bound_in_a_try_is_unsafe_after_it() {
    check(
        r#"
-module(m).
f() ->
    try X = g(), X of
        Y -> Y
    catch
        _:R -> R;
        _:_:S when S =:= [] -> ok;
%%                 ^ error: stacktrace variable 'S' must not be used in a guard
        _:_:S2 -> X
%%          ^^ warning: variable 'S2' is unused
%%                ^ error: variable 'X' unsafe in 'try' (line 4)
    after
        A = 1
%%      ^ warning: variable 'A' is unused
    end,
    {X, Y}.
%%   ^ error: variable 'X' unsafe in 'try' (line 4)
%%      ^ error: variable 'Y' unsafe in 'try' (line 4)
g() -> try ok catch error:E:Stack when Stack =:= [] -> E end.
%%                                     ^^^^^ error: stacktrace variable 'Stack' must not be used in a guard
"#,
    );
}

#[test]
fn catch_and_andalso_make_new_variables_unsafe() {
    check(
        r#"
-module(m).
f(A) ->
    catch (X = A),
    A andalso (B = true),
    A orelse begin C = 1, C > 0 end,
    {X, B, C}.
%%   ^ error: variable 'X' unsafe in 'catch' (line 4)
%%      ^ error: variable 'B' unsafe in 'andalso' (line 5)
%%         ^ error: variable 'C' unsafe in 'orelse' (line 6)
"#,
    );
}

#[test]
fn operands_and_arguments_do_not_see_each_other() {
    check(
        r#"
-module(m).
f() -> (X = 1) + X.
%%               ^ error: variable 'X' is unbound
g() -> h(Y = 1, Y).
%%              ^ error: variable 'Y' is unbound
h(A, B) -> {A, B}.
"#,
    );
}

#[test]
fn begin_is_not_a_scope() {
    check(
        r#"
-module(m).
f() ->
    begin X = 1 end,
    X.
"#,
    );
}

#[test]
fn funs_shadow_and_do_not_leak() {
    check(
        r#"
-module(m).
f(X, Y) ->
%%^ warning: variable 'X' is unused
    F = fun(X) -> Z = X, Z + Y end,
%%          ^ warning: variable 'X' shadowed in 'fun'
    G = fun() -> W = 1 end,
%%               ^ warning: variable 'W' is unused
    {F, G, Z}.
%%         ^ error: variable 'Z' is unbound
g(X) ->
%%^ warning: variable 'X' is unused
    fun(X) -> ok end.
%%      ^ warning: variable 'X' is unused
%%      ^ warning: variable 'X' shadowed in 'fun'
"#,
    );
}

// `erl_lint` puts the warnings about a fun's name at its `fun`; they are at
// the name here (on the same line).
#[test]
fn named_funs_bind_their_name_inside() {
    check(
        r#"
-module(m).
f() ->
    Fact = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end,
    Fact.
g() ->
    fun Loop() -> ok end.
%%      ^^^^ warning: variable 'Loop' is unused
"#,
    );
}

#[test]
fn comprehension_variables_stay_inside() {
    check(
        r#"
-module(m).
f(L) ->
    X = 1,
    A = [X || X <- L],
%%            ^ warning: variable 'X' shadowed in generate
    B = [Y || {Y, Z} <- L],
%%                ^ warning: variable 'Z' is unused
    C = [Q || P <- L, Q <- P, Q > X],
    {A, B, C, Y}.
%%            ^ error: variable 'Y' is unbound
g(B) -> << <<X>> || <<X:8>> <= B, X > 0 >>.
"#,
    );
}

#[test]
fn binary_sizes_use_variables_bound_before() {
    check(
        r#"
-module(m).
f(<<Size:8, Data:Size/binary, Rest/binary>>) -> {Data, Rest}.
g(N, <<X:N>>) -> X.
%%       ^ error: variable 'N' is unbound
h(N, Bin) ->
    <<X:N, Y:(N * 2)>> = Bin,
    {X, Y}.
"#,
    );
}

/// The cases `erl_lint`'s comments give for shadowing in patterns.
#[test]
fn sizes_in_shadowing_patterns_use_the_outer_variable() {
    check(
        r#"
-module(m).
f(L) ->
    X = length(L),
    [X || <<X:X>> <- L].
%%          ^ warning: variable 'X' shadowed in generate
g() ->
    A = 4,
    fun(<<A:A>>) -> ok end.
%%        ^ warning: variable 'A' is unused
%%        ^ warning: variable 'A' shadowed in 'fun'
h() ->
    A = 4,
%%  ^ warning: variable 'A' is unused
    fun(<<A:8, 16:A>>) -> ok end.
%%        ^ warning: variable 'A' shadowed in 'fun'
"#,
    );
}

#[test]
fn try_of_clauses_see_the_try_expressions() {
    check(
        r#"
-module(m).
f(F) ->
    try {ok, R} = F() of
        {ok, V} -> {R, V}
    catch
        C:E -> {C, E, R}
%%                    ^ error: variable 'R' unsafe in 'try' (line 4)
    end.
"#,
    );
}

#[test]
fn map_keys_in_patterns_use_bound_variables() {
    check(
        r#"
-module(m).
f(K, M) ->
    #{K := V} = M,
    #{J := W} = M,
%%    ^ error: variable 'J' is unbound
    {V, W}.
"#,
    );
}

#[test]
fn underscore_variables() {
    check(
        r#"
-module(m).
f(_X, _X) -> ok.
%%^^ warning: variable '_X' is bound multiple times in this pattern. If you mean to ignore this value, use '_' or a different underscore-prefixed name
%%    ^^ warning: variable '_X' is bound multiple times in this pattern. If you mean to ignore this value, use '_' or a different underscore-prefixed name
g(_Y) -> _Y = 1.
%%       ^^ warning: variable '_Y' is already bound. If you mean to ignore this value, use '_' or a different underscore-prefixed name
h(_Unused) -> ok.
"#,
    );
    check_resolutions(
        "-module(m).\nf(_A) -> _A.\n",
        expect![[r#"
            2:3 _A binding
            2:10 _A use of 2:3
            2:10 _A used
        "#]],
    );
}

#[test]
fn maybe_exports_nothing() {
    check(
        r#"
-module(m).
-feature(maybe_expr, enable).
f(A) ->
    maybe
        {ok, X} ?= A,
        Y = X
%%      ^ warning: variable 'Y' is unused
    else
        E -> E
    end,
    X.
%%  ^ error: variable 'X' unsafe in 'maybe' (line 5)
"#,
    );
}

#[test]
fn guards_use_and_record_fields_do_not_bind() {
    check(
        r#"
-module(m).
-record(r, {a = 1, b}).
f(R) when R#r.a > 0; is_record(R, r) ->
    #r{a = A, _ = B} = R,
%%                ^ warning: variable 'B' is unused
    R#r{b = A}.
g(X) when Y > 1 -> X.
%%        ^ error: variable 'Y' is unbound
"#,
    );
}

#[test]
fn zip_and_map_generators() {
    check_with(
        28,
        r#"
-module(m).
f(L, M) ->
    A = [{X, Y} || X <- L && Y <- L],
    B = #{K => V || K := V <- M},
    C = [X || X := _ <- M],
    {A, B, C, K}.
%%            ^ error: variable 'K' is unbound
"#,
    );
}

#[test]
fn variables_from_macros_point_at_the_call() {
    check(
        r#"
-module(m).
-define(BIND(V), V = 1).
f() ->
    ?BIND(X),
%%        ^ warning: variable 'X' is unused
    ?BIND(_Y),
    ok.
"#,
    );
}

#[test]
fn an_edit_reruns_the_scopes_of_the_edited_function_only() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let (workspace, file) = workspace(
        &db,
        "-module(m).\nf(X) ->\n    X.\ng(Y) ->\n    Y.\n",
        25,
        &[("/app/src/o.erl", "-module(o).\nh(Z) -> Z.\n")],
    );
    let other = workspace
        .paths(&db)
        .file(std::path::Path::new("/app/src/o.erl"))
        .expect("o.erl");
    // An interned id lives as long as a borrow of the database: they are made
    // again after the edit (and come out the same).
    fn ids(
        db: &RootDatabase,
        workspace: Workspace,
        file: SourceFile,
        other: SourceFile,
    ) -> [FunctionId<'_>; 3] {
        [
            FunctionId::new(db, workspace, file, SmolStr::new("f"), 1),
            FunctionId::new(db, workspace, file, SmolStr::new("g"), 1),
            FunctionId::new(db, workspace, other, SmolStr::new("h"), 1),
        ]
    }
    for function in ids(&db, workspace, file, other) {
        let _ = function_scopes(&db, function);
        let _ = function_body_source_map(&db, function);
    }
    log.take();

    // An edit inside f's body that also adds lines above it.
    file.set_text(&mut db).to(std::sync::Arc::from(
        "-module(m).\n\n\nf(X) ->\n    Unused = X,\n    X.\ng(Y) ->\n    Y.\n",
    ));
    let [f, g, h] = ids(&db, workspace, file, other);
    assert_eq!(function_scopes(&db, f).unused().count(), 1);
    let _ = function_scopes(&db, g);
    let _ = function_scopes(&db, h);
    for function in [f, g, h] {
        let _ = function_body_source_map(&db, function);
    }
    let log = log.take();
    let count = |name: &str| log.iter().filter(|entry| *entry == name).count();
    // f's body and scopes run again; of g only its lowering (done again,
    // and equal), its source map (moved down) and the records it sees (the
    // same, so its scopes are not run again).
    for (name, times) in [
        ("visible_records", 2),
        ("lowered_function", 2),
        ("function_body", 1),
        ("function_scopes", 1),
        ("function_body_source_map", 2),
    ] {
        assert_eq!(count(name), times, "{name}: {log:?}");
    }
    // m's own queries (preprocessing, parsing, item tree, function forms)
    // run once each; none of module o's runs (they would be a second time).
    for name in &log {
        assert!(
            count(name) <= 2
                && (count(name) == 1
                    || name.starts_with("function_")
                    || name == "lowered_function"
                    || name == "visible_records"),
            "{log:?}"
        );
    }
    assert!(log.iter().any(|name| name == "function_forms"), "{log:?}");
}
