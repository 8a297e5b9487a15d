//! End-to-end tests of `erlkit modules`: the real binary on small projects.

use expect_test::expect;

mod support;

use support::{check, project};

const UMBRELLA: &str = r#"
//- /rebar.config
    {deps, [jsx]}.
//- /apps/billing/src/invoice.erl
    -module(invoice).
//- /apps/billing/src/util.erl
    -module(util).
//- /apps/users/src/users.app.src
    {application, users, []}.
//- /apps/users/src/util.erl
    -module(util).
//- /apps/users/src/users.hrl
    -define(USER, user).
//- /_build/default/lib/jsx/src/jsx.erl
    -module(jsx).
"#;

#[test]
fn applications_and_their_modules_are_listed() {
    let dir = project(UMBRELLA);
    check(
        dir.path(),
        &["modules", "--no-otp"],
        expect![[r#"
            exit: 0
            --- stdout
            billing: apps/billing
              invoice apps/billing/src/invoice.erl
              util apps/billing/src/util.erl
            users: apps/users
              util apps/users/src/util.erl
            jsx (dependency): _build/default/lib/jsx
              jsx _build/default/lib/jsx/src/jsx.erl
            --- stderr
            3 applications, 4 modules (Rebar3 project)
        "#]],
    );
}

#[test]
fn duplicate_module_names_are_reported_with_every_definition_and_exit_1() {
    let dir = project(UMBRELLA);
    check(
        dir.path(),
        &["modules", "--duplicates", "--no-otp"],
        expect![[r#"
            exit: 1
            --- stdout
            util is defined 2 times:
              apps/billing/src/util.erl (billing)
              apps/users/src/util.erl (users)
            --- stderr
            1 module name is defined more than once
        "#]],
    );
}

#[test]
fn a_script_is_not_run_and_a_missing_root_exits_2() {
    let dir = project(
        r#"
//- /rebar.config.script
    os:cmd("touch ran"), CONFIG.
//- /src/m.erl
    -module(m).
"#,
    );
    let run = support::erlkit(dir.path(), &["modules", "--duplicates"]);
    assert_eq!(run.code, 0, "{}", run.render());
    assert!(
        run.stderr.contains("rebar.config.script is not evaluated"),
        "{}",
        run.render()
    );
    assert!(!dir.path().join("ran").exists());
    let run = support::erlkit(dir.path(), &["modules", "no/such/dir"]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert!(
        run.stderr.contains("cannot open no/such/dir"),
        "{}",
        run.render()
    );
}

#[test]
fn a_module_that_shadows_one_of_otps_is_a_duplicate() {
    let dir = project(
        r#"
//- /src/lists.erl
    -module(lists).
"#,
    );
    let path_var = std::env::var_os("PATH");
    let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
    if project_model::otp::find_installation(path_var.as_deref(), erl_rootdir.as_deref()).is_none()
    {
        eprintln!("SKIPPED: no OTP installation found (no `erl` on PATH)");
        return;
    }
    let run = support::erlkit(dir.path(), &["modules", "--duplicates"]);
    assert_eq!(run.code, 1, "{}", run.render());
    assert!(
        run.stdout
            .starts_with("lists is defined 2 times:\n  src/lists.erl ("),
        "{}",
        run.render()
    );
    assert!(
        run.stdout.contains("src/lists.erl (stdlib)"),
        "{}",
        run.render()
    );
}

#[test]
fn erlkit_toml_excludes_directories_and_their_modules() {
    let dir = project(&format!(
        r#"{UMBRELLA}
//- /erlkit.toml
    [project]
    exclude = ["apps/users", "_build/default/lib/*", "apps/billing/src/util.erl"]
    colour = true
"#
    ));
    check(
        dir.path(),
        &["modules", "--no-otp"],
        expect![[r#"
            exit: 0
            --- stdout
            billing: apps/billing
              invoice apps/billing/src/invoice.erl
            --- stderr
            erlkit.toml:3: warning: unknown key `project.colour` (ignored)
            1 applications, 1 modules (Rebar3 project)
        "#]],
    );
    check(
        dir.path(),
        &["modules", "--no-otp", "--duplicates"],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            erlkit.toml:3: warning: unknown key `project.colour` (ignored)
            0 module names are defined more than once
        "#]],
    );
}

/// A project in `proj/` beside a small OTP installation in `otp/` that its
/// erlkit.toml names; `erl` on PATH, if any, is not used.
const PROJECT_WITH_OTP_ROOT: &str = r#"
//- /proj/erlkit.toml
    [project]
    otp_root = "../otp"
//- /proj/src/lists.erl
    -module(lists).
//- /proj/src/shop.erl
    -module(shop).
//- /otp/releases/26/OTP_VERSION
    26.2.5
//- /otp/lib/stdlib-5.2/src/lists.erl
    -module(lists).
//- /otp/lib/kernel-9.2/src/file.erl
    -module(file).
"#;

#[test]
fn erlkit_toml_names_the_otp_installation() {
    let dir = project(PROJECT_WITH_OTP_ROOT);
    let proj = dir.path().join("proj");
    let run = support::erlkit(&proj, &["modules", "--otp"]);
    expect![[r#"
        exit: 0
        --- stdout
        proj: .
          lists src/lists.erl
          shop src/shop.erl
        kernel (OTP): ../otp/lib/kernel-9.2
          file ../otp/lib/kernel-9.2/src/file.erl
        stdlib (OTP): ../otp/lib/stdlib-5.2
          lists ../otp/lib/stdlib-5.2/src/lists.erl
        --- stderr
        3 applications, 4 modules (Plain project)
    "#]]
    .assert_eq(&run.render());
    let run = support::erlkit(&proj, &["modules", "--duplicates"]);
    expect![[r#"
        exit: 1
        --- stdout
        lists is defined 2 times:
          src/lists.erl (proj)
          ../otp/lib/stdlib-5.2/src/lists.erl (stdlib)
        --- stderr
        1 module name is defined more than once
    "#]]
    .assert_eq(&run.render());
}

#[test]
fn an_otp_root_that_is_not_an_installation_is_an_error() {
    let dir = project(&PROJECT_WITH_OTP_ROOT.replace("../otp", "../otp/lib"));
    let proj = dir.path().join("proj");
    let run = support::erlkit(&proj, &["modules"]);
    let temp = dir.path().canonicalize().unwrap();
    let shown = run.render().replace(&temp.display().to_string(), "");
    expect![[r#"
        exit: 2
        --- stdout
        --- stderr
        erlkit: error: erlkit.toml:2: `project.otp_root` is not an OTP installation: it has no releases/*/OTP_VERSION (/proj/../otp/lib); give the directory `code:root_dir()` prints, e.g. /usr/lib/erlang
    "#]]
    .assert_eq(&shown);
    // Nothing needs it: OTP is not indexed and the release is given.
    let run = support::erlkit(&proj, &["modules", "--no-otp", "--otp-release", "26"]);
    assert_eq!(run.code, 0, "{}", run.render());
}
