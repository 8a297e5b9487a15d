//! Project layouts written as multi-file fixtures (`//- path` headers); an
//! `erlkit.toml` among the files is read and applied as `erlkit modules` does.

use std::fmt::Write as _;
use std::path::Path;

use expect_test::{Expect, expect};

use super::{ProjectLayout, discover, discover_with};
use crate::config::load_config;

/// Writes the files of `fixture` under a new directory and describes what
/// `discover` finds there (`discover_with` when there is an `erlkit.toml`).
fn check(fixture: &str, expected: Expect) {
    let temp = tempfile::tempdir().unwrap();
    // A root with a stable name: an application at the root without an
    // `.app.src` is named after its directory.
    let root = temp.path().join("myproject");
    std::fs::create_dir(&root).unwrap();
    let mut current: Option<std::path::PathBuf> = None;
    let mut text = String::new();
    let flush = |path: &Option<std::path::PathBuf>, text: &mut String| {
        if let Some(path) = path {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text.as_bytes()).unwrap();
        }
        text.clear();
    };
    for line in fixture.lines() {
        if let Some(path) = line.trim().strip_prefix("//- ") {
            flush(&current, &mut text);
            current = Some(root.join(path.trim_start_matches('/')));
        } else if current.is_some() {
            text.push_str(line.trim_start());
            text.push('\n');
        }
    }
    flush(&current, &mut text);
    let config_file = root.join("erlkit.toml");
    let layout = if config_file.exists() {
        let loaded = load_config(&config_file).unwrap();
        assert_eq!(loaded.warnings, [], "the fixture's erlkit.toml");
        discover_with(&root, &loaded.config.project)
    } else {
        discover(&root)
    };
    expected.assert_eq(&describe(&layout, &root));
}

fn describe(layout: &ProjectLayout, root: &Path) -> String {
    let relative = |path: &Path| {
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        if shown.is_empty() {
            ".".to_owned()
        } else {
            shown
        }
    };
    let mut out = format!("{:?}\n", layout.build_system);
    for app in &layout.apps {
        let list = |dirs: &[std::path::PathBuf]| {
            dirs.iter()
                .map(|dir| relative(dir))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            out,
            "{} {:?} at {}",
            app.name,
            app.origin,
            relative(&app.dir)
        );
        let _ = writeln!(out, "  src: {}", list(&app.src_dirs));
        if !app.extra_src_dirs.is_empty() {
            let _ = writeln!(out, "  extra: {}", list(&app.extra_src_dirs));
        }
        let _ = writeln!(out, "  include: {}", list(&app.include_dirs));
        for definition in &app.macros {
            let _ = writeln!(out, "  -D{} {:?}", definition.name, definition.value);
        }
        for transform in &app.parse_transforms {
            let _ = writeln!(out, "  parse transform {transform} (not run)");
        }
    }
    for warning in &layout.warnings {
        let _ = writeln!(
            out,
            "warning: {}",
            warning.replace(&root.display().to_string(), "")
        );
    }
    out
}

#[test]
fn a_single_app_rebar3_project_with_dependencies() {
    check(
        r#"
        //- /rebar.config
        {erl_opts, [{i, "gen/include"}, {d, 'TEST'}, {parse_transform, lager_transform}]}.
        {extra_src_dirs, ["test"]}.
        {deps, [cowlib, ranch]}.
        //- /src/shop.app.src
        {application, shop, []}.
        //- /src/shop.erl
        -module(shop).
        //- /_build/default/lib/cowlib/src/cow_http.erl
        -module(cow_http).
        //- /_build/default/lib/ranch/src/ranch.app.src
        {application, ranch, []}.
        //- /_checkouts/ranch/src/ranch.erl
        -module(ranch).
        "#,
        expect![[r#"
            Rebar3
            shop Project at .
              src: src
              extra: test
              include: gen/include include src
              -DTEST None
              parse transform lager_transform (not run)
            cowlib Dependency at _build/default/lib/cowlib
              src: _build/default/lib/cowlib/src
              include: _build/default/lib/cowlib/include _build/default/lib/cowlib/src
            ranch Checkout at _checkouts/ranch
              src: _checkouts/ranch/src
              include: _checkouts/ranch/include _checkouts/ranch/src
        "#]],
    );
}

#[test]
fn an_umbrella_with_apps_of_their_own_config_and_a_script_never_run() {
    check(
        r#"
        //- /rebar.config
        {erl_opts, [{d, 'TOP'}]}.
        //- /rebar.config.script
        os:cmd("touch ran"), CONFIG.
        //- /apps/billing/rebar.config
        {erl_opts, [{d, 'BILLING', 1}]}.
        //- /apps/billing/src/billing.erl
        -module(billing).
        //- /apps/users/src/users.app.src
        {application, users, []}.
        //- /lib/common-1.2.0/src/common.erl
        -module(common).
        //- /apps/docs/README.md
        not an application
        "#,
        expect![[r#"
            Rebar3
            billing Project at apps/billing
              src: apps/billing/src
              include: apps/billing/include apps/billing/src
              -DBILLING Some(Integer(1))
            common Project at lib/common-1.2.0
              src: lib/common-1.2.0/src
              include: lib/common-1.2.0/include lib/common-1.2.0/src
              -DTOP None
            users Project at apps/users
              src: apps/users/src
              include: apps/users/include apps/users/src
              -DTOP None
            warning: rebar.config.script is not evaluated (it would run the project's code); rebar.config is read as it is
        "#]],
    );
}

#[test]
fn erlang_mk_and_plain_trees() {
    check(
        r#"
        //- /Makefile
        PROJECT = web
        include erlang.mk
        //- /src/web.erl
        -module(web).
        //- /deps/cowboy/src/cowboy.erl
        -module(cowboy).
        "#,
        expect![[r#"
            ErlangMk
            web Project at .
              src: src
              include: include src
            cowboy Dependency at deps/cowboy
              src: deps/cowboy/src
              include: deps/cowboy/include deps/cowboy/src
        "#]],
    );
    check(
        r#"
        //- /services/a/src/a.erl
        -module(a).
        //- /services/b/src/b.erl
        -module(b).
        //- /_build/default/lib/x/src/x.erl
        -module(x).
        //- /tools/README
        nothing here
        "#,
        expect![[r#"
            Plain
            a Project at services/a
              src: services/a/src
              include: services/a/include services/a/src
            b Project at services/b
              src: services/b/src
              include: services/b/include services/b/src
        "#]],
    );
}

#[test]
fn a_config_that_does_not_read_is_a_warning_and_defaults_apply() {
    check(
        r#"
        //- /rebar.config
        {deps, [list_to_atom("x")]}.
        //- /src/m.erl
        -module(m).
        "#,
        expect![[r#"
            Rebar3
            myproject Project at .
              src: src
              include: include src
            warning: /rebar.config: a call is not a literal term (at byte 8); its defaults are used
        "#]],
    );
}

#[test]
fn otp_applications_are_named_without_their_versions() {
    let temp = tempfile::tempdir().unwrap();
    for (path, text) in [
        ("lib/stdlib-4.2/src/lists.erl", "-module(lists).\n"),
        ("lib/stdlib-4.2/include/ms_transform.hrl", ""),
        ("lib/erts-13.1.5/ebin/erlang.beam", ""),
    ] {
        let path = temp.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let apps = super::otp_apps(temp.path());
    let described: Vec<String> = apps
        .iter()
        .map(|app| format!("{} {:?} {}", app.name, app.origin, app.src_dirs.len()))
        .collect();
    assert_eq!(described, ["erts Otp 0", "stdlib Otp 1"]);
}

#[test]
fn excluded_directories_have_no_applications_and_are_no_source_directories() {
    check(
        r#"
        //- /erlkit.toml
        [project]
        exclude = ["apps/legacy/**", "_build/default/lib/old*", "apps/*/test", "_build/test"]
        //- /rebar.config
        {extra_src_dirs, ["test"]}.
        //- /apps/billing/src/billing.erl
        -module(billing).
        //- /apps/billing/test/billing_SUITE.erl
        -module(billing_SUITE).
        //- /apps/legacy/src/legacy.erl
        -module(legacy).
        //- /_build/default/lib/old_json/src/old_json.erl
        -module(old_json).
        //- /_build/default/lib/jsx/src/jsx.erl
        -module(jsx).
        "#,
        expect![[r#"
            Rebar3
            billing Project at apps/billing
              src: apps/billing/src
              include: apps/billing/include apps/billing/src
            jsx Dependency at _build/default/lib/jsx
              src: _build/default/lib/jsx/src
              include: _build/default/lib/jsx/include _build/default/lib/jsx/src
        "#]],
    );
}

#[test]
fn excluded_directories_of_plain_trees_and_erlang_mk_projects() {
    check(
        r#"
        //- /erlkit.toml
        project.exclude = ["**/fixtures", "services/b/src", "vendor"]
        //- /services/a/src/a.erl
        -module(a).
        //- /services/a/test/fixtures/src/f.erl
        -module(f).
        //- /services/b/src/b.erl
        -module(b).
        //- /services/b/lib/c/src/c.erl
        -module(c).
        //- /vendor/v/src/v.erl
        -module(v).
        "#,
        expect![[r#"
            Plain
            a Project at services/a
              src: services/a/src
              extra: services/a/test
              include: services/a/include services/a/src
            c Project at services/b/lib/c
              src: services/b/lib/c/src
              include: services/b/lib/c/include services/b/lib/c/src
        "#]],
    );
    check(
        r#"
        //- /erlkit.toml
        [project]
        exclude = ["deps/cowboy"]
        //- /Makefile
        PROJECT = web
        include erlang.mk
        //- /src/web.erl
        -module(web).
        //- /deps/cowboy/src/cowboy.erl
        -module(cowboy).
        //- /deps/ranch/src/ranch.erl
        -module(ranch).
        "#,
        expect![[r#"
            ErlangMk
            web Project at .
              src: src
              include: include src
            ranch Dependency at deps/ranch
              src: deps/ranch/src
              include: deps/ranch/include deps/ranch/src
        "#]],
    );
}

#[test]
fn include_dirs_and_macros_of_the_project_and_of_one_app() {
    check(
        r#"
        //- /erlkit.toml
        [project]
        include_dirs = ["include", "../shared/include"]
        macros = { DEBUG = true, VSN = "\"1.0\"", LEVEL = 3, TOP = "{top, [1]}" }

        [apps.users]
        include_dirs = ["apps/users/gen"]
        macros = { DEBUG = "false" }

        [apps.jsx]
        macros.JSX_NO_MAPS = true

        [apps.gone]
        include_dirs = ["x"]
        //- /rebar.config
        {erl_opts, [{d, 'TOP'}, {d, 'KEEP', keep}]}.
        //- /apps/billing/src/billing.erl
        -module(billing).
        //- /apps/users/src/users.erl
        -module(users).
        //- /_build/default/lib/jsx/src/jsx.erl
        -module(jsx).
        "#,
        expect![[r#"
            Rebar3
            billing Project at apps/billing
              src: apps/billing/src
              include: apps/billing/include apps/billing/src include ../shared/include
              -DKEEP Some(Atom("keep"))
              -DDEBUG None
              -DLEVEL Some(Integer(3))
              -DTOP Some(Tuple([Atom("top"), List([Integer(1)])]))
              -DVSN Some(String("1.0"))
            users Project at apps/users
              src: apps/users/src
              include: apps/users/include apps/users/src apps/users/gen include ../shared/include
              -DKEEP Some(Atom("keep"))
              -DLEVEL Some(Integer(3))
              -DTOP Some(Tuple([Atom("top"), List([Integer(1)])]))
              -DVSN Some(String("1.0"))
              -DDEBUG Some(Atom("false"))
            jsx Dependency at _build/default/lib/jsx
              src: _build/default/lib/jsx/src
              include: _build/default/lib/jsx/include _build/default/lib/jsx/src
              -DJSX_NO_MAPS None
            warning: /erlkit.toml:12: `[apps.gone]` names no application of the project (ignored)
        "#]],
    );
}

#[test]
fn the_test_profile_adds_test_directories_of_project_applications_only() {
    check(
        r#"
        //- /rebar.config
        {profiles, [{test, [{extra_src_dirs, ["integration"]}]}]}.
        {deps, [jsx]}.
        //- /apps/shop/src/shop.erl
        -module(shop).
        //- /apps/shop/test/shop_tests.erl
        -module(shop_tests).
        //- /apps/shop/integration/shop_SUITE.erl
        -module(shop_SUITE).
        //- /_build/default/lib/jsx/src/jsx.erl
        -module(jsx).
        //- /_build/default/lib/jsx/test/jsx_tests.erl
        -module(jsx_tests).
        "#,
        expect![[r#"
            Rebar3
            shop Project at apps/shop
              src: apps/shop/src
              extra: apps/shop/integration apps/shop/test
              include: apps/shop/include apps/shop/src
            jsx Dependency at _build/default/lib/jsx
              src: _build/default/lib/jsx/src
              include: _build/default/lib/jsx/include _build/default/lib/jsx/src
        "#]],
    );
}
