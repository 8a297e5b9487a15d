//! Lowering of function bodies (written out again as Erlang), their source
//! maps, and which queries an edit makes run again.

use std::sync::Arc;

use base_db::{FileId, RootDatabase, SourceFile};
use expect_test::{Expect, expect};
use salsa::Setter;
use smol_str::SmolStr;
use syntax::{FileKind, OtpRelease};

use super::{Expr, FunctionId, Pat, function_body, function_body_source_map, module_functions};
use crate::{App, FilePaths, Workspace, expanded_module};

/// A workspace of one application with the module `text` at
/// `/app/src/m.erl` and the other files given (modules or headers, by their
/// extension).
pub(crate) fn workspace(
    db: &RootDatabase,
    text: &str,
    release: u32,
    others: &[(&str, &str)],
) -> (Workspace, SourceFile) {
    let file = SourceFile::new(
        db,
        FileId(0),
        Arc::from(text),
        FileKind::Module,
        OtpRelease(release),
    );
    let mut paths = FilePaths::default();
    paths.insert("/app/src/m.erl".into(), file);
    let mut files = vec![file];
    for (index, (path, text)) in others.iter().enumerate() {
        let kind = if path.ends_with(".erl") {
            FileKind::Module
        } else {
            FileKind::Header
        };
        let other = SourceFile::new(
            db,
            FileId(index as u32 + 1),
            Arc::from(*text),
            kind,
            OtpRelease(release),
        );
        paths.insert((*path).into(), other);
        files.push(other);
    }
    let app = App::new(
        db,
        "app".to_owned(),
        Some("/app".into()),
        files,
        vec!["/app/include".into()],
        Vec::new(),
    );
    (Workspace::new(db, vec![app], Arc::new(paths)), file)
}

fn check_with(release: u32, text: &str, expect: Expect) {
    let db = RootDatabase::default();
    let (workspace, file) = workspace(&db, text, release, &[]);
    let mut out = String::new();
    for function in module_functions(&db, workspace, file) {
        let body = function_body(&db, function);
        out.push_str(&body.pretty(function.name(&db)));
    }
    expect.assert_eq(&out);
}

fn check(text: &str, expect: Expect) {
    check_with(25, text, expect);
}

#[test]
fn lowers_clauses_guards_and_patterns() {
    check(
        r#"
-module(m).
f(X, [H | T], {a, _}, <<Size:8, Data:Size/binary, _/bits>>) when is_list(T), H > 0; X =:= 1 ->
    X + H;
f(#{k := V}, #r{a = A, _ = '_'}, #r.a, "abc" ++ Rest) ->
    {V, A, Rest};
f(X = {_, _}, -1, $a, 1.5) -> X.
"#,
        expect![[r#"
            f(X, [H | T], {a, _}, <<Size:8, Data:Size/binary, _/bits>>) when is_list(T), H > 0; X =:= 1 ->
                X + H;
            f(#{k := V}, #r{a = A, _ = '_'}, #r.a, "abc" ++ Rest) ->
                {V, A, Rest};
            f(X = {_, _}, -1, $a, 1.5) ->
                X.
        "#]],
    );
}

#[test]
fn lowers_calls_operators_and_data() {
    check(
        r#"
-module(m).
g(M, F, R, Map) ->
    lists:map(F, [1, 2]),
    M:F(1),
    (fun erlang:abs/1)(-1),
    local(1, 2),
    self() ! {msg, <<1:8/integer-unit:1, "s"/utf8>>},
    not true andalso (1 + 2 * 3 == 7) orelse false,
    R#r{a = 1},
    R#r.a,
    #r{a = 1, b = [x | y]},
    Map#{a => 1, b := 2},
    #{a => 1},
    catch throw(x),
    Y = Z = 3,
    begin Y, Z end,
    "a" "b",
    ?LINE,
    ?FILE,
    fun local/1,
    fun M:F/2.
"#,
        expect![[r#"
            g(M, F, R, Map) ->
                lists:map(F, [1, 2]),
                M:F(1),
                (fun erlang:abs/1)(-1),
                local(1, 2),
                self() ! {msg, <<1:8/integer-unit:1, "s"/utf8>>},
                ((not true) andalso ((1 + (2 * 3)) == 7)) orelse false,
                R#r{a = 1},
                R#r.a,
                #r{a = 1, b = [x | y]},
                Map#{a => 1, b := 2},
                #{a => 1},
                catch throw(x),
                Y = Z = 3,
                begin
                    Y,
                    Z
                end,
                "ab",
                ?LINE,
                ?FILE,
                fun local/1,
                fun M:F/2.
        "#]],
    );
}

#[test]
fn lowers_case_if_receive_try_and_funs() {
    check(
        r#"
-module(m).
h(X) ->
    case X of
        {ok, V} when V > 0 -> V;
        _ -> 0
    end,
    if X > 1 -> a; true -> b end,
    receive {msg, M} -> M after 100 -> timeout end,
    receive after 0 -> ok end,
    try X of 1 -> one catch throw:T -> T; error:E:S -> {E, S}; Other -> Other after done end,
    try X after ok end,
    F = fun (0) -> zero; (N) when N > 0 -> N end,
    Fact = fun Fact(0) -> 1; Fact(N) -> N * Fact(N - 1) end,
    {F, Fact}.
"#,
        expect![[r#"
            h(X) ->
                case X of
                    {ok, V} when V > 0 ->
                        V;
                    _ ->
                        0
                end,
                if
                    X > 1 ->
                        a;
                    true ->
                        b
                end,
                receive
                    {msg, M} ->
                        M
                after 100 ->
                    timeout
                end,
                receive
                after 0 ->
                    ok
                end,
                try
                    X
                of
                    1 ->
                        one
                catch
                    throw:T ->
                        T;
                    error:E:S ->
                        {E, S};
                    Other ->
                        Other
                after
                    done
                end,
                try
                    X
                after
                    ok
                end,
                F = fun
                    (0) ->
                        zero;
                    (N) when N > 0 ->
                        N
                end,
                Fact = fun
                    Fact(0) ->
                        1;
                    Fact(N) ->
                        N * Fact(N - 1)
                end,
                {F, Fact}.
        "#]],
    );
}

#[test]
fn lowers_comprehensions_and_maybe() {
    check_with(
        28,
        r#"
-module(m).
c(L, B, M) ->
    [X || X <- L, X > 1],
    << <<Y>> || <<Y:8>> <= B >>,
    #{K => V || K := V <- M},
    [{X, Y} || X <- L && <<Y>> <= B],
    [X || X <:- L],
    << <<Y>> || <<Y>> <:= B >>,
    maybe
        {ok, A} ?= L,
        A
    else
        error -> err
    end,
    maybe ok end.
"#,
        expect![[r#"
            c(L, B, M) ->
                [X || X <- L, X > 1],
                <<<<Y>> || <<Y:8>> <= B>>,
                #{K => V || K := V <- M},
                [{X, Y} || X <- L && <<Y>> <= B],
                [X || X <:- L],
                <<<<Y>> || <<Y>> <:= B>>,
                maybe
                    {ok, A} ?= L,
                    A
                else
                    error ->
                        err
                end,
                maybe
                    ok
                end.
        "#]],
    );
}

#[test]
fn maybe_follows_the_feature_attribute() {
    // OTP 25 knows `maybe` only after `-feature(maybe_expr, enable)`.
    check(
        r#"
-module(m).
before() -> maybe.
-feature(maybe_expr, enable).
after_() -> maybe ok end.
"#,
        expect![[r#"
            before() ->
                maybe.
            after_() ->
                maybe
                    ok
                end.
        "#]],
    );
}

#[test]
fn what_cannot_be_lowered_is_missing_or_kept_as_an_expression() {
    check(
        r#"
-module(m).
e(f(X), #{}#{a := 1}) -> M:F, ?UNDEFINED(1), (1 + ), [a | ].
"#,
        expect![[r#"
            e(<expr f(X)>, <expr #{}#{a := 1}>) ->
                M:F,
                ?UNDEFINED(1),
                1 + <missing>,
                [a | <missing>].
        "#]],
    );
}

#[test]
fn the_source_map_points_at_each_node() {
    let db = RootDatabase::default();
    let text = "-module(m).\n-define(ADD(A, B), A + B).\nf(X, {Y, _}) ->\n    Z = ?ADD(X, Y),\n    [Z | ?LINE].\n";
    let (workspace, file) = workspace(&db, text, 25, &[]);
    let function = FunctionId::new(&db, workspace, file, SmolStr::new("f"), 2);
    let body = function_body(&db, function);
    let map = function_body_source_map(&db, function);
    let expanded = expanded_module(&db, workspace, file);
    let slice = |range: syntax::TextRange| &expanded.text()[range];
    let mut vars = Vec::new();
    for (id, pat) in body.pats() {
        if let Pat::Var(name) = pat {
            assert_eq!(slice(map.pat(id)), name.as_str());
            vars.push(format!("pat {name}"));
        }
    }
    for (id, expr) in body.exprs() {
        match expr {
            Expr::Var(name) => {
                assert_eq!(slice(map.expr(id)), name.as_str());
                vars.push(format!("expr {name}"));
            }
            Expr::Symbolic(_) => assert_eq!(slice(map.expr(id)), "? LINE"),
            _ => {}
        }
    }
    assert_eq!(
        vars,
        ["pat X", "pat Y", "pat Z", "expr X", "expr Y", "expr Z"]
    );
    // Back to the source: `X` inside the expansion of `?ADD(X, Y)` is the
    // argument of the call.
    let (add_x, _) = body
        .exprs()
        .find(|(_, expr)| matches!(expr, Expr::Var(name) if name == "X"))
        .expect("the use of X");
    let origin = expanded
        .origin_of(map.expr(add_x))
        .expect("an origin for X");
    assert!(!origin.from_macro);
    assert_eq!(&text[origin.range], "X");
    assert_eq!(text[..origin.range.start().into()].lines().count(), 4);
    assert_eq!(slice(map.form()).lines().count(), 1);
}

#[test]
fn a_missing_function_has_an_empty_body() {
    let db = RootDatabase::default();
    let (workspace, file) = workspace(&db, "-module(m).\nf() -> ok.\n", 25, &[]);
    let missing = FunctionId::new(&db, workspace, file, SmolStr::new("g"), 0);
    assert!(function_body_source_map(&db, missing).exprs.is_empty());
    assert!(function_body(&db, missing).clauses.is_empty());
}

#[test]
fn an_edit_inside_one_function_lowers_only_that_function_again() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let text = "-module(m).\nf(X) ->\n    X + 1.\ng(Y) ->\n    Y.\n";
    let (workspace, file) = workspace(&db, text, 25, &[]);
    let other = SourceFile::new(
        &db,
        FileId(7),
        Arc::from("-module(o).\nh() -> ok.\n"),
        FileKind::Module,
        OtpRelease(25),
    );
    // An interned id lives as long as a borrow of the database: make them
    // again after each edit (they come out the same).
    fn ids(
        db: &RootDatabase,
        file: SourceFile,
        other: SourceFile,
        workspace: Workspace,
    ) -> [FunctionId<'_>; 3] {
        [
            FunctionId::new(db, workspace, file, SmolStr::new("f"), 1),
            FunctionId::new(db, workspace, file, SmolStr::new("g"), 1),
            FunctionId::new(db, workspace, other, SmolStr::new("h"), 0),
        ]
    }
    for function in ids(&db, file, other, workspace) {
        let _ = function_body(&db, function);
        let _ = function_body_source_map(&db, function);
    }
    let before_g = function_body(&db, ids(&db, file, other, workspace)[1]).clone();
    log.take();

    // Lines added above `f` and inside it: every function of the file is
    // lowered again, but only f's body compares different.
    file.set_text(&mut db).to(Arc::from(
        "-module(m).\n\n%% comment\nf(X) ->\n    Z = X + 1,\n\n    Z.\ng(Y) ->\n    Y.\n",
    ));
    for function in ids(&db, file, other, workspace) {
        let _ = function_body(&db, function);
        let _ = function_body_source_map(&db, function);
    }
    let g = ids(&db, file, other, workspace)[1];
    assert_eq!(*function_body(&db, g), before_g);
    let log = log.take();
    let count = |name: &str| log.iter().filter(|entry| *entry == name).count();
    assert_eq!(count("lowered_function"), 2, "{log:?}");
    assert_eq!(count("function_body"), 1, "{log:?}");
    // Both source maps move: f's changed, and g's moved down.
    assert_eq!(count("function_body_source_map"), 2, "{log:?}");
    assert_eq!(count("parse"), 0, "{log:?}");
}
