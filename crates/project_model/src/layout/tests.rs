//! Project layouts written as multi-file fixtures (`//- path` headers).

use std::fmt::Write as _;
use std::path::Path;

use expect_test::{Expect, expect};

use super::{ProjectLayout, discover};

/// Writes the files of `fixture` under a new directory and describes what
/// `discover` finds there.
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
    expected.assert_eq(&describe(&discover(&root), &root));
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
