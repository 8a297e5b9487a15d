//! End-to-end tests of `erlkit analyze` and `erlkit expand`: the real binary
//! on a small rebar3 project with headers, macros and a missing include.

use expect_test::expect;

mod support;

use support::{erlkit, project};

const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, [{d, 'DEBUG'}, {d, 'VSN', "1.0"}, {i, "shared"}]}.
//- /apps/shop/shared/common.hrl
    -define(COMMON, common).
//- /apps/shop/src/shop.app.src
    {application, shop, []}.
//- /apps/shop/include/shop.hrl
    -ifndef(SHOP_HRL).
    -define(SHOP_HRL, true).
    -record(order, {id, items = [] :: list()}).
    -define(LOG(Format, Args), io:format(Format, Args)).
    -endif.
//- /apps/shop/src/shop.erl
    -module(shop).
    -include("shop.hrl").
    -include_lib("shop/include/shop.hrl").
    -include("common.hrl").
    -export([new/1, version/0]).
    -ifdef(DEBUG).
    new(Id) -> ?LOG("new ~p~n", [Id]), #order{id = Id}.
    -else.
    new(Id) -> #order{id = Id}.
    -endif.
    version() -> {?VSN, ?COMMON, ?MODULE, ?LINE}.
//- /apps/shop/src/broken.erl
    -module(broken).
    -include("missing.hrl").
    f() -> ?UNDEFINED.
"#;

/// The output without the lines that change from run to run.
fn stable(text: &str) -> String {
    text.lines()
        .filter(|line| !line.starts_with("time:") && !line.starts_with("peak memory:"))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn analyze_summarises_a_project_and_exits_1_on_errors() {
    let dir = project(PROJECT);
    let run = erlkit(dir.path(), &["analyze", "--no-otp", "--otp-release", "25"]);
    assert_eq!(run.code, 1, "{}", run.render());
    let root = dir.path().canonicalize().unwrap();
    let stdout = stable(&run.stdout).replace(&root.display().to_string(), "ROOT");
    expect![[r#"
        project: ROOT (Rebar3), OTP 25 syntax
        applications: 1 project, 0 dependencies, 0 OTP
        analysed: 2 modules, 2 headers, 20 lines (4 files, 0.0 MB read)
          3 functions, 2 exports, 1 records, 0 types, 0 specs, 0 callbacks
          3 macro definitions read, 5 macro calls expanded, 3 includes followed
        diagnostics: 2 errors, 0 warnings; 0 module names defined more than once
          apps/shop/src/broken.erl:2:10: error: can't find include file "missing.hrl"
          apps/shop/src/broken.erl:3:8: error: undefined macro 'UNDEFINED'
    "#]]
    .assert_eq(&stdout);
}

#[test]
fn analyze_json_has_the_same_figures() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &["analyze", "--json", "--no-otp", "--otp-release", "25"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["modules"], 2);
    assert_eq!(json["items"]["functions"], 3);
    assert_eq!(json["errors"], 2);
    assert_eq!(json["items"]["records"], 1);
    assert!(json["seconds"]["phases"]["preprocess"].is_number());
}

#[test]
fn expand_shows_each_call_on_a_line_with_its_definition() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &[
            "expand",
            "apps/shop/src/shop.erl:7",
            "--no-otp",
            "--otp-release",
            "25",
        ],
    );
    expect![[r#"
        exit: 0
        --- stdout
        apps/shop/src/shop.erl:7:12: ?LOG("new ~p~n", [Id]) (defined at apps/shop/include/shop.hrl:4:9)
          io : format ( "new ~p~n" , [ Id ] )
        --- stderr
    "#]]
    .assert_eq(&run.render());
    let run = erlkit(
        dir.path(),
        &[
            "expand",
            "apps/shop/src/shop.erl:11",
            "--no-otp",
            "--otp-release",
            "25",
        ],
    );
    expect![[r#"
        exit: 0
        --- stdout
        apps/shop/src/shop.erl:11:15: ?VSN (predefined)
          "1.0"
        apps/shop/src/shop.erl:11:21: ?COMMON (defined at apps/shop/shared/common.hrl:1:9)
          common
        apps/shop/src/shop.erl:11:30: ?MODULE (predefined)
          shop
        --- stderr
    "#]]
    .assert_eq(&run.render());
}

#[test]
fn expand_says_when_a_line_has_no_macro_call() {
    let dir = project(PROJECT);
    let run = erlkit(
        dir.path(),
        &[
            "expand",
            "apps/shop/src/shop.erl:1",
            "--no-otp",
            "--otp-release",
            "25",
        ],
    );
    expect![[r#"
        exit: 1
        --- stdout
        --- stderr
        no macro call on line 1 of apps/shop/src/shop.erl
    "#]]
    .assert_eq(&run.render());
}

#[test]
fn analyze_reads_the_projects_test_directories_but_not_its_dependencies() {
    let dir = project(
        r#"
//- /rebar.config
    {deps, [jsx]}.
//- /src/shop.erl
    -module(shop).
//- /test/shop_tests.erl
    -module(shop_tests).
    -include_lib("shop/include/missing.hrl").
//- /_build/default/lib/jsx/src/jsx.erl
    -module(jsx).
//- /_build/default/lib/jsx/test/jsx_tests.erl
    -module(jsx_tests).
"#,
    );
    let run = erlkit(dir.path(), &["analyze", "--no-otp", "--otp-release", "25"]);
    let stdout = stable(&run.stdout);
    // shop, shop_tests and jsx: not jsx_tests.
    assert!(
        stdout.contains("analysed: 3 modules, 0 headers, 4 lines (3 files"),
        "{}",
        run.render()
    );
    assert!(
        stdout.contains("test/shop_tests.erl:2:14: error: can't find include lib"),
        "{}",
        run.render()
    );
}
