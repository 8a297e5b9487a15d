//! End-to-end tests of `erlkit symbols` and `erlkit def`: the real binary on a
//! small umbrella.

use expect_test::expect;

mod support;

use support::{check, project};

const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, []}.
//- /apps/shop/include/shop.hrl
    -record(order, {id, items = []}).
    -define(LOG(F, A), logger:info(F, A)).
//- /apps/shop/src/shop.erl
    -module(shop).
    -include("shop.hrl").
    -export([new/1]).
    new(Id) -> ?LOG("new ~p", [Id]), billing:fee(#order{id = Id}).
//- /apps/billing/src/billing.erl
    -module(billing).
    -export([fee/1]).
    fee(_) -> 3.
"#;

const NO_OTP: [&str; 3] = ["--no-otp", "--otp-release", "25"];

fn args<'a>(command: &[&'a str]) -> Vec<&'a str> {
    command.iter().copied().chain(NO_OTP).collect()
}

#[test]
fn symbols_finds_by_kind_and_fuzzy_name() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &args(&["symbols", "#order"]),
        expect![[r#"
            exit: 0
            --- stdout
            record   #order                                   apps/shop/include/shop.hrl:1:9 (shop)
            --- stderr
        "#]],
    );
    check(
        dir.path(),
        &args(&["symbols", "fe"]),
        expect![[r#"
            exit: 0
            --- stdout
            function billing:fee/1                            apps/billing/src/billing.erl:3:1 (billing)
            --- stderr
        "#]],
    );
    check(
        dir.path(),
        &args(&["symbols", "nothing_like_this"]),
        expect![[r#"
            exit: 1
            --- stdout
            --- stderr
            no symbol matches `nothing_like_this`
        "#]],
    );
}

#[test]
fn def_by_name_and_at_a_position() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &args(&["def", "billing:fee/1"]),
        expect![[r#"
            exit: 0
            --- stdout
            function billing:fee/1                            apps/billing/src/billing.erl:3:1 (billing)
            --- stderr
        "#]],
    );
    check(
        dir.path(),
        &args(&["def", "apps/shop/src/shop.erl:4:42"]),
        expect![[r#"
            exit: 0
            --- stdout
            function billing:fee/1                            apps/billing/src/billing.erl:3:1 (billing)
            --- stderr
        "#]],
    );
    check(
        dir.path(),
        &args(&["def", "apps/shop/src/shop.erl:4:14", "--json"]),
        expect![[r#"
            exit: 0
            --- stdout
            [
              {
                "app": "shop",
                "kind": "macro",
                "location": "apps/shop/include/shop.hrl:2:9",
                "name": "?LOG"
              }
            ]
            --- stderr
        "#]],
    );
}

#[test]
fn refs_by_name_and_at_a_position() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &args(&["refs", "billing:fee/1"]),
        expect![[r#"
            exit: 0
            --- stdout
            apps/billing/src/billing.erl:2:10: -export([fee/1]).
            apps/shop/src/shop.erl:4:42: new(Id) -> ?LOG("new ~p", [Id]), billing:fee(#order{id = Id}).
            --- stderr
            2 references to `billing:fee/1`
        "#]],
    );
    check(
        dir.path(),
        &args(&["refs", "apps/shop/src/shop.erl:4:47"]),
        expect![[r#"
            exit: 0
            --- stdout
            apps/shop/src/shop.erl:4:47: new(Id) -> ?LOG("new ~p", [Id]), billing:fee(#order{id = Id}).
            --- stderr
            1 reference to `#order`
        "#]],
    );
    check(
        dir.path(),
        &args(&["refs", "fee/1"]),
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: `fee/1`: give a module's function (`m:f/2`), a module, `#record` or `?MACRO`
        "#]],
    );
}
