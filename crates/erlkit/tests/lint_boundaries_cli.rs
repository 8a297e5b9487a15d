//! End-to-end tests of `erlkit lint`'s checks across applications: the
//! boundaries `erlkit.toml` declares (`may_call`, `api`) and the
//! `applications` of each `.app.src`.

use expect_test::expect;

mod support;

use support::{check, project};

const PROJECT: &str = r#"
//- /erlkit.toml
    [apps.web]
    may_call = ["accounts"]
    [apps.accounts]
    api = ["accounts"]
//- /apps/web/src/web.app.src
    {application, web, [{applications, [kernel, stdlib, accounts]}]}.
//- /apps/web/src/web.erl
    -module(web).
    -export([f/1]).
    f(Id) -> {accounts:find(Id), accounts_db:read(Id), billing:charge(Id), web_util:id(Id)}.
//- /apps/web/src/web_util.erl
    -module(web_util).
    -export([id/1]).
    id(X) -> X.
//- /apps/accounts/src/accounts.app.src
    {application, accounts, [{applications, [kernel, stdlib]}]}.
//- /apps/accounts/src/accounts.erl
    -module(accounts).
    -export([find/1]).
    find(Id) -> accounts_db:read(Id).
//- /apps/accounts/src/accounts_db.erl
    -module(accounts_db).
    -export([read/1]).
    read(Id) -> Id.
//- /apps/billing/src/billing.erl
    -module(billing).
    -export([charge/1]).
    charge(Id) -> Id.
"#;

#[test]
fn calls_across_declared_boundaries_and_undeclared_dependencies_are_reported() {
    let dir = project(PROJECT);
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
            ::warning file=apps/web/src/web.erl,line=3,endLine=3,col=30,endColumn=46,title=W2305 app-boundary::call to accounts_db:read/1: accounts_db is not in the API of application accounts that erlkit.toml declares (`api`)
            ::warning file=apps/web/src/web.erl,line=3,endLine=3,col=52,endColumn=66,title=W2304 missing-app-dependency::call to billing:charge/1 of application billing, which the .app.src of web does not list in `applications`
            ::warning file=apps/web/src/web.erl,line=3,endLine=3,col=52,endColumn=66,title=W2305 app-boundary::call to billing:charge/1: erlkit.toml does not let application web call application billing (`may_call`)
            --- stderr
        "#]],
    );
}
