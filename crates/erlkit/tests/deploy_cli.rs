//! `erlkit deploy diff` on builds compiled by `erlc` during the test
//! (`tests/data/deploy/v1`, `v2`, `v3`). v1 to v2: a gen_server whose state
//! record gained a field, migrated by `code_change`; an export removed that
//! another module still calls; a supervisor changed; a module added; a
//! module whose source moved (metadata only). v1 to v3: the state record
//! changed and `code_change` returns the state as it came. v1 without debug
//! information: the state cannot be checked.

mod support;

use std::path::Path;
use std::process::Command;

use expect_test::expect;
use support::erlkit;

/// Compiles `tests/data/deploy/<version>/*.erl` into `<dir>/<version>/ebin`;
/// `false` without `erlc`.
fn compile(dir: &Path, version: &str, options: &[&str]) -> bool {
    compile_into(dir, version, version, options)
}

/// Compiles the sources of `version` into `<dir>/<build>/ebin`.
fn compile_into(dir: &Path, version: &str, build: &str, options: &[&str]) -> bool {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/deploy")
        .join(version);
    let ebin = dir.join(build).join("ebin");
    std::fs::create_dir_all(&ebin).expect("ebin");
    let mut files: Vec<_> = std::fs::read_dir(&sources)
        .expect("the fixture sources")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    files.sort();
    let status = Command::new("erlc")
        .args(options)
        .arg("-o")
        .arg(&ebin)
        .args(&files)
        .status();
    match status {
        Ok(status) => {
            assert!(status.success(), "erlc failed on {version}");
            true
        }
        Err(_) => {
            eprintln!("SKIPPED: erlc is not installed");
            false
        }
    }
}

#[test]
fn a_plan_in_load_order_with_its_risks() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    if !compile(dir.path(), "v1", &["+debug_info"]) || !compile(dir.path(), "v2", &["+debug_info"])
    {
        return;
    }
    let run = erlkit(dir.path(), &["deploy", "diff", "v1/ebin", "v2/ebin"]);
    expect![[r#"
        exit: 1
        --- stdout
        5 modules in OLD, 6 in NEW: 4 changed, 1 added, 0 removed, 1 changed in metadata only, 0 unchanged

        metadata only (same module hash, nothing to load): client

        load order:
            1. counter  {update, counter, {advanced, []}}  (v2)
            2. util     {load_module, util}  (v2)
            3. extra    {add_module, extra}  (v2)
            4. sup      {update, sup, supervisor}  (v2)
            5. nif      {load_module, nif}  (alone, after the others: on_load)  (v2)

        risks:
          client: removed-export-still-imported: client calls util:old_api/1, which the new build no longer exports (v2/ebin/client.beam)
          sup: supervisor-changed: a supervisor changed: its init/1 is called again and the new child specifications replace the old ones (children removed from them are not stopped)
          util: funs: 1 fun in the running code: a fun it made that is kept (in a process, an ETS table, a message) fails with badfun once that code is purged, at the next load of the module
          nif: on-load: -on_load(init/0): it is loaded on its own after the others (code:atomic_load/1 refuses it), its on_load function runs on every node, and a NIF library must be at its path on each node and support upgrades
        --- stderr
    "#]]
    .assert_eq(&run.render());
    let json = erlkit(
        dir.path(),
        &["deploy", "diff", "--json", "v1/ebin", "v2/ebin"],
    );
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let steps = value["plan"]["steps"].as_array().expect("steps");
    let order: Vec<&str> = steps
        .iter()
        .map(|step| step["module"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(order, ["counter", "util", "extra", "sup", "nif"]);
    assert_eq!(steps[4]["loads_alone"], true);
    assert_eq!(steps[0]["action"], "update_code_change");
    assert_eq!(value["diff"]["unchanged"], 0);
}

#[test]
fn a_state_record_changed_without_migration_and_a_build_without_debug_info() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let debug = ["+debug_info"];
    if !compile(dir.path(), "v1", &debug)
        || !compile(dir.path(), "v3", &debug)
        || !compile_into(dir.path(), "v1", "v1-stripped", &[])
    {
        return;
    }
    let run = erlkit(dir.path(), &["deploy", "diff", "v1/ebin", "v3/ebin"]);
    expect![[r#"
        exit: 1
        --- stdout
        5 modules in OLD, 5 in NEW: 1 changed, 0 added, 0 removed, 4 changed in metadata only, 0 unchanged

        metadata only (same module hash, nothing to load): client, nif, sup, util

        load order:
            1. counter  {update, counter, {advanced, []}}  (v3)

        risks:
          counter: state-record-changed: the state record #state changed from {count} to {count, step, label}, and the new code_change returns the state as it came: running processes keep the old tuple and the new code fails on it
        --- stderr
    "#]]
    .assert_eq(&run.render());
    let run = erlkit(
        dir.path(),
        &["deploy", "diff", "v1-stripped/ebin", "v3/ebin"],
    );
    expect![[r#"
        exit: 1
        --- stdout
        5 modules in OLD, 5 in NEW: 1 changed, 0 added, 0 removed, 4 changed in metadata only, 0 unchanged

        metadata only (same module hash, nothing to load): client, nif, sup, util

        load order:
            1. counter  {update, counter, {advanced, []}}  (v3)

        risks:
          counter: no-debug-info: v1-stripped/ebin/counter.beam has no debug information: whether its state record changed cannot be checked (compile with debug_info)
        --- stderr
    "#]]
    .assert_eq(&run.render());
}

#[test]
fn a_directory_without_beams_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::create_dir_all(dir.path().join("empty")).expect("mkdir");
    std::fs::write(dir.path().join("bad.beam"), b"FOR1 not a beam").expect("write");
    let run = erlkit(dir.path(), &["deploy", "diff", "empty", "bad.beam"]);
    expect![[r#"
        exit: 2
        --- stdout
        --- stderr
        erlkit: error: reading OLD: empty: no .beam files (give an ebin directory or a release root with lib/*/ebin)
    "#]]
    .assert_eq(&run.render());
    std::fs::write(dir.path().join("empty/a.beam"), b"FOR1\x00\x00\x00\x04BEAM").expect("write");
    let run = erlkit(dir.path(), &["deploy", "diff", "empty", "bad.beam"]);
    expect![[r#"
        exit: 2
        --- stdout
        --- stderr
        erlkit: error: reading OLD: empty/a.beam: the AtU8 chunk is missing
    "#]]
    .assert_eq(&run.render());
}

/// The `.app` file of the fixture application at `vsn`.
fn app_file(vsn: &str, modules: &[&str]) -> String {
    format!(
        "{{application, shop, [{{description, \"the deploy fixture\"}}, {{vsn, \"{vsn}\"}}, \
         {{modules, [{}]}}, {{registered, []}}, {{applications, [kernel, stdlib]}}]}}.\n",
        modules.join(", ")
    )
}

#[test]
fn appups_build_a_relup_with_systools() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let debug = ["+debug_info"];
    if !compile_into(dir.path(), "v1", "rel/lib/shop-1.0", &debug)
        || !compile_into(dir.path(), "v2", "rel/lib/shop-2.0", &debug)
    {
        return;
    }
    let v1 = ["client", "counter", "nif", "sup", "util"];
    let v2 = ["client", "counter", "extra", "nif", "sup", "util"];
    std::fs::write(
        dir.path().join("rel/lib/shop-1.0/ebin/shop.app"),
        app_file("1.0", &v1),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("rel/lib/shop-2.0/ebin/shop.app"),
        app_file("2.0", &v2),
    )
    .expect("write");
    let run = erlkit(
        dir.path(),
        &[
            "deploy",
            "diff",
            "--appup",
            "rel/lib/shop-2.0/ebin",
            "--out",
            "plan.json",
            "rel/lib/shop-1.0",
            "rel/lib/shop-2.0",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.render());
    let appup = std::fs::read_to_string(dir.path().join("rel/lib/shop-2.0/ebin/shop.appup"))
        .expect("the appup is written");
    expect![[r#"
        %% The upgrade of shop from 1.0 to 2.0, made by erlkit deploy diff.
        {"2.0",
         [{"1.0", [{update, counter, {advanced, []}, []},
            {load_module, util, []},
            {add_module, extra, [util]},
            {update, sup, supervisor},
            {load_module, nif, []}]}],
         [{"1.0", [{load_module, nif, []},
            {update, sup, supervisor},
            {delete_module, extra},
            {load_module, util, []},
            {update, counter, {advanced, []}, []}]}]}.
    "#]]
    .assert_eq(&appup);
    let plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("plan.json")).expect("the plan is written"),
    )
    .expect("JSON");
    assert_eq!(plan["plan"]["steps"].as_array().map(Vec::len), Some(5));
    // Two releases, and systools:make_relup/3 reads the appup.
    let script = r#"
        Vsn = fun(App) -> {ok, V} = application:get_key(App, vsn), V end,
        ok = application:load(sasl),
        Rel = fun(Name, ShopVsn) ->
            Term = {release, {"shop_rel", Name}, {erts, erlang:system_info(version)},
                    [{kernel, Vsn(kernel)}, {stdlib, Vsn(stdlib)}, {sasl, Vsn(sasl)},
                     {shop, ShopVsn}]},
            ok = file:write_file("rel" ++ Name ++ ".rel", io_lib:format("~p.~n", [Term]))
        end,
        Rel("1", "1.0"), Rel("2", "2.0"),
        Path = ["rel/lib/*/ebin"],
        case systools:make_relup("rel2", ["rel1"], ["rel1"], [{path, Path}, silent]) of
            {ok, _, _, _} -> ok;
            Error -> io:format("make_relup: ~p~n", [Error]), halt(1)
        end,
        {ok, [{"2", [{"1", _, Up}], _}]} = file:consult("relup"),
        Loads = [M || {load, {M, _, _}} <- Up],
        Changes = [Ms || {code_change, up, Ms} <- Up],
        io:format("loads ~w~ncode_change ~w~n", [Loads, Changes]),
        halt(0).
    "#;
    let output = std::process::Command::new("erl")
        .args(["-noshell", "-eval", script])
        .current_dir(dir.path())
        .output()
        .expect("erl runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{text}");
    expect![[r#"
        loads [counter,util,extra,sup,nif]
        code_change [[{counter,[]}],[{sup,[]}]]
    "#]]
    .assert_eq(&text);
}

/// Runs git in `dir`; `false` without git.
fn git(dir: &Path, args: &[&str]) -> bool {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .status();
    match status {
        Ok(status) => {
            assert!(status.success(), "git {args:?} failed");
            true
        }
        Err(_) => {
            eprintln!("SKIPPED: git is not installed");
            false
        }
    }
}

/// Copies the fixture sources of `version` into `dir/src`.
fn write_sources(dir: &Path, version: &str) {
    let sources = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/deploy")
        .join(version);
    std::fs::create_dir_all(dir.join("src")).expect("src");
    for entry in std::fs::read_dir(sources).expect("the fixture sources") {
        let path = entry.expect("an entry").path();
        std::fs::copy(
            &path,
            dir.join("src").join(path.file_name().expect("a name")),
        )
        .expect("copy");
    }
}

#[test]
fn the_source_diff_tells_layout_from_meaning_and_finds_broken_callers() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    if !git(root, &["init", "-q"]) {
        return;
    }
    write_sources(root, "src-v1");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "v1"]);
    // v2: cart reformatted with comments changed, price without round/1.
    write_sources(root, "src-v2");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "v2"]);
    let run = erlkit(
        root,
        &[
            "deploy", "diff", "--src", "--from", "HEAD~1", "--to", "HEAD",
        ],
    );
    expect![[r#"
        exit: 1
        --- stdout
        HEAD~1 -> HEAD: 1 changed, 1 cosmetic only, 0 added, 0 removed, 1 unchanged

        cart (src/cart.erl): changed, cosmetic only (layout, comments or docs)

        price (src/price.erl): changed
          functions changed: vat/1
          functions removed: round/1
          exports removed: round/1

        callers that break:
          src/checkout.erl:3: checkout calls price:round/1, which HEAD no longer exports
        --- stderr
    "#]]
    .assert_eq(&run.render());
    let run = erlkit(
        root,
        &["deploy", "diff", "--src", "--from", "no-such-revision"],
    );
    assert_eq!(run.code, 2, "{}", run.render());
    assert!(run.stderr.contains("no-such-revision"), "{}", run.render());
}

/// A node started for a test, stopped (killed) when dropped.
struct TestNode {
    child: std::process::Child,
    name: String,
}

impl TestNode {
    /// `erl -sname NAME@localhost` with `cookie`, the modules of `ebin`
    /// loaded, then `then` evaluated on the node; `None` without `erl`.
    fn start_with(
        name: &str,
        cookie: &str,
        ebin: &Path,
        modules: &[&str],
        then: &str,
    ) -> Option<TestNode> {
        // Last, a process registered as `erlkit_test_ready`: the node is
        // set up once it exists (see `wait_ready`).
        let load = format!(
            "[code:ensure_loaded(M) || M <- [{}]], {then}, \
             register(erlkit_test_ready, spawn(fun() -> receive stop -> ok end end))",
            modules.join(", ")
        );
        let child = Command::new("erl")
            .args([
                "-sname",
                &format!("{name}@localhost"),
                "-setcookie",
                cookie,
                "-noshell",
            ])
            .arg("-pa")
            .arg(ebin)
            .args(["-eval", &load])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .ok()?;
        Some(TestNode {
            child,
            name: format!("{name}@localhost"),
        })
    }

    /// Waits (20 s at most) until the node is up and set up.
    fn wait_ready(&self, cookie: &str) {
        let started = std::time::Instant::now();
        while rpc_eval(&self.name, cookie, "is_pid(whereis(erlkit_test_ready)).") != "true" {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the node {} did not start",
                self.name
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }

    fn signal(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status();
    }
}

impl Drop for TestNode {
    fn drop(&mut self) {
        self.signal("-CONT");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `(OTP 25)` becomes `(OTP <release>)`.
fn hide_release(text: &str) -> String {
    match (text.find("(OTP "), text.find("):")) {
        (Some(start), Some(end)) if start < end => {
            format!("{}(OTP <release>{}", &text[..start], &text[end..])
        }
        _ => text.to_owned(),
    }
}

/// A cookie and a node name no other test run shares.
fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}{}x{nanos}", std::process::id())
}

#[test]
fn status_on_a_real_node_and_a_frozen_one() {
    let Some((dir, node, _cookie)) = node_with_plan("erlkit_status_", "ok") else {
        return;
    };
    let root = dir.path();
    let status = |timeout: &str| {
        erlkit(
            root,
            &[
                "deploy",
                "status",
                "--nodes",
                &node.name,
                "--cookie-file",
                "cookie",
                "--timeout-ms",
                timeout,
                "plan.json",
            ],
        )
    };
    let run = status("5000");
    let shown = hide_release(&run.render().replace(&node.name, "NODE"));
    expect![[r#"
        exit: 0
        --- stdout
        NODE (OTP <release>): 4 at OLD, 0 at NEW, 0 other, 1 not loaded
          counter                  OLD
          util                     OLD
          extra                    not loaded
          sup                      OLD
          nif                      OLD
        --- stderr
    "#]]
    .assert_eq(&shown);
    // Frozen: the timeout answers, well before anything could hang.
    node.signal("-STOP");
    let started = std::time::Instant::now();
    let run = status("1000");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    let shown = run.render().replace(&node.name, "NODE");
    expect![[r#"
        exit: 1
        --- stdout
        NODE: unknown: NODE: no answer within 1000 ms (connecting)
        --- stderr
    "#]]
    .assert_eq(&shown);
}

/// A node running v1's modules (then `then` evaluated), set up and ready,
/// with the v1 -> v2 plan in `plan.json` and the node's cookie in `cookie`
/// under the returned directory; `None` without `erlc` or `erl`.
fn node_with_plan(prefix: &str, then: &str) -> Option<(tempfile::TempDir, TestNode, String)> {
    let (dir, mut nodes, cookie) = nodes_with_plan(prefix, &[then])?;
    Some((dir, nodes.remove(0), cookie))
}

/// v1 and v2 compiled, `plan.json` from v1 to v2, a random cookie in
/// `cookie`, and one node per `then`, started together, running v1 with
/// its `then` evaluated; `None` without `erl`.
fn nodes_with_plan(
    prefix: &str,
    thens: &[&str],
) -> Option<(tempfile::TempDir, Vec<TestNode>, String)> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    let debug = ["+debug_info"];
    if !compile(root, "v1", &debug) || !compile(root, "v2", &debug) {
        return None;
    }
    let run = erlkit(
        root,
        &["deploy", "diff", "--out", "plan.json", "v1/ebin", "v2/ebin"],
    );
    assert_eq!(run.code, 1, "{}", run.render());
    let cookie = unique("cookie");
    std::fs::write(root.join("cookie"), &cookie).expect("write the cookie");
    let mut nodes = Vec::new();
    for (index, then) in thens.iter().enumerate() {
        let Some(node) = start_v1(
            root,
            &unique(&format!("{prefix}n{}_", index + 1)),
            &cookie,
            then,
        ) else {
            eprintln!("SKIPPED: erl is not installed");
            return None;
        };
        nodes.push(node);
    }
    for node in &nodes {
        node.wait_ready(&cookie);
    }
    Some((dir, nodes, cookie))
}

/// A node named `name` running v1 of `root`, then `then`.
fn start_v1(root: &Path, name: &str, cookie: &str, then: &str) -> Option<TestNode> {
    TestNode::start_with(
        name,
        cookie,
        &root.join("v1/ebin"),
        &["counter", "util", "sup", "client", "nif"],
        then,
    )
}

/// `expression` evaluated on `node` through a second, hidden node.
fn rpc_eval(node: &str, cookie: &str, expression: &str) -> String {
    let script = format!(
        "N = '{node}', R = rpc:call(N, erl_eval, exprs, [element(2, erl_parse:parse_exprs(element(2, erl_scan:string(\"{expression}\")))), []]), io:format(\"~p~n\", [element(2, R)]), halt()."
    );
    let output = Command::new("erl")
        .args([
            "-sname",
            &unique("checker"),
            "-hidden",
            "-setcookie",
            cookie,
            "-noshell",
            "-eval",
            &script,
        ])
        .output()
        .expect("erl runs");
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// `text` with every pid (`<'node'.N.S>`) written `<PID>`.
fn pid_free(text: &str) -> String {
    text.lines()
        .map(|line| {
            let mut line = line.to_owned();
            while let Some(at) = line.find("<'") {
                let end = line[at..].find('>').map_or(line.len(), |end| at + end + 1);
                line.replace_range(at..end, "<PID>");
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The counter started by the nodes of the apply tests, at a count of 2.
const COUNTER_AT_2: &str = "{ok, P} = counter:start_link(), register(the_counter, P), 0 = counter:bump(P), 1 = counter:bump(P)";

#[test]
fn apply_migrates_a_gen_server_state_on_a_real_node() {
    let Some((dir, node, cookie)) = node_with_plan("erlkit_apply_", COUNTER_AT_2) else {
        return;
    };
    let root = dir.path();
    let apply = || {
        erlkit(
            root,
            &[
                "deploy",
                "apply",
                "--nodes",
                &node.name,
                "--cookie-file",
                "cookie",
                "plan.json",
            ],
        )
    };
    let run = apply();
    expect![[r#"
        exit: 0
        --- stdout
        NODE (canary): at NEW
          preflight: 5 modules to load, 0 already at NEW
          suspend <PID> (counter)
          code:soft_purge(counter)
          code:soft_purge(util)
          code:soft_purge(extra)
          code:soft_purge(sup)
          code:soft_purge(nif)
          code:atomic_load/1 of 4 modules: counter, util, extra, sup
          code:load_binary/3 of nif alone (it has -on_load)
          sys:change_code(<PID>, counter, "1", [])
          resume <PID> (counter)
          verified: 5 modules at NEW
        journal: plan.json.journal
        --- stderr"#]]
    .assert_eq(&pid_free(&run.render().replace(&node.name, "NODE")));
    // The same process, its state migrated by code_change: the count goes on
    // from 2, with v2's step of 1.
    assert_eq!(
        rpc_eval(
            &node.name,
            &cookie,
            "P = whereis(the_counter), {counter:bump(P), counter:bump(P)}."
        ),
        "{2,3}"
    );
    // Again: nothing left to do.
    let run = apply();
    expect![[r#"
        exit: 0
        --- stdout
        resuming from the journal plan.json.journal:
          NODE: at NEW
        NODE (canary): at NEW
          preflight: 0 modules to load, 5 already at NEW
          nothing to do: every module is at NEW
        journal: plan.json.journal
        --- stderr
    "#]]
    .assert_eq(&run.render().replace(&node.name, "NODE"));
    // Back from v2 to v1, as a dry run: every step, nothing done. v1 has no
    // extra module (it is deleted) and no code_change (the step would fail).
    let run = erlkit(
        root,
        &["deploy", "diff", "--out", "down.json", "v2/ebin", "v1/ebin"],
    );
    assert_eq!(run.code, 1, "{}", run.render());
    let run = erlkit(
        root,
        &[
            "deploy",
            "apply",
            "--dry-run",
            "--nodes",
            &node.name,
            "--cookie-file",
            "cookie",
            "down.json",
        ],
    );
    expect![[r#"
        exit: 0
        --- stdout
        NODE (canary): prepared (preflight passed, nothing loaded)
          preflight: 5 modules to load, 0 already at NEW
          would run suspend <PID> (counter)
          would run code:soft_purge(counter)
          would run code:soft_purge(util)
          would run code:soft_purge(extra)
          would run code:soft_purge(sup)
          would run code:soft_purge(nif)
          would run code:atomic_load/1 of 3 modules: counter, util, sup
          would run code:load_binary/3 of nif alone (it has -on_load)
          would run code:delete(extra)
          would run sys:change_code(<PID>, counter, "2", [])
          would run resume <PID> (counter)
          would verify that every module is at NEW
        --- stderr"#]]
    .assert_eq(&pid_free(&run.render().replace(&node.name, "NODE")));
    assert!(!root.join("down.json.journal").exists());
    assert_eq!(
        rpc_eval(&node.name, &cookie, "sys:get_state(whereis(the_counter))."),
        "{state,4,1}"
    );
}

#[test]
fn a_process_in_old_code_makes_the_preflight_refuse_and_name_it() {
    // On N2, a process left in util's old code.
    let lingering = format!(
        "{COUNTER_AT_2}, register(lingerer, spawn(util, loop, [])), \
         {{module, util}} = code:load_file(util)"
    );
    let Some((dir, nodes, cookie)) =
        nodes_with_plan("erlkit_linger_", &[COUNTER_AT_2, &lingering, COUNTER_AT_2])
    else {
        return;
    };
    let root = dir.path();
    let names: Vec<&str> = nodes.iter().map(|node| node.name.as_str()).collect();
    let run = erlkit(
        root,
        &[
            "deploy",
            "apply",
            "--nodes",
            &names.join(","),
            "--cookie-file",
            "cookie",
            "plan.json",
        ],
    );
    let lingerer = rpc_eval(&nodes[1].name, &cookie, "whereis(lingerer).");
    // The pid as eetf writes it: <'node'.N.S>.
    let number = lingerer
        .trim_matches(|c| c == '<' || c == '>')
        .split('.')
        .nth(1)
        .unwrap_or_else(|| panic!("not a pid: {lingerer}"))
        .to_owned();
    let pid = format!("<'{}'.{number}.0>", nodes[1].name);
    assert!(
        run.stdout
            .contains(&format!("would be killed by the purge: {pid}")),
        "the lingering process {lingerer} is not named: {}",
        run.render()
    );
    let mut shown = run.render().replace(&pid, "<LINGERER>");
    for (index, name) in names.iter().enumerate() {
        shown = shown.replace(name, &format!("N{}", index + 1));
    }
    let shown: Vec<String> = pid_free(&shown)
        .lines()
        .filter(|line| line.starts_with(|c: char| !c.is_whitespace()))
        .map(str::to_owned)
        .collect();
    expect![[r#"
        exit: 1
        --- stdout
        N1 (canary): at NEW
        N2: refused by the preflight, unchanged: processes still run the old code of util, and would be killed by the purge: <LINGERER> (let them finish, or use --brutal-purge)
        N1 (canary): rolled back to OLD
        N3: untouched
        journal: plan.json.journal
        --- stderr"#]]
    .assert_eq(&shown.join("\n"));
    // N2 was not changed, the canary went back to OLD, N3 was not touched.
    for node in &nodes {
        assert_eq!(
            status_of(root, node),
            "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
        );
    }
    // --brutal-purge kills the lingering process, and the rollout finishes.
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &["--brutal-purge"]);
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("--brutal-purge: the purge kills the processes in old code of util: <PID>"),
        "{shown}"
    );
    assert_eq!(
        rpc_eval(&nodes[1].name, &cookie, "whereis(lingerer)."),
        "undefined"
    );
    for node in &nodes {
        assert_eq!(
            status_of(root, node),
            "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
        );
    }
}

/// `erlkit deploy apply plan.json` on `nodes` with `extra` options, its
/// output with the nodes' names as N1, N2, ... and pids as `<PID>`.
fn apply_on(root: &Path, nodes: &[&TestNode], extra: &[&str]) -> (i32, String) {
    let names: Vec<&str> = nodes.iter().map(|node| node.name.as_str()).collect();
    let joined = names.join(",");
    let mut args = vec![
        "deploy",
        "apply",
        "--nodes",
        &joined,
        "--cookie-file",
        "cookie",
    ];
    args.extend_from_slice(extra);
    args.push("plan.json");
    let run = erlkit(root, &args);
    let mut shown = run.render();
    for (index, name) in names.iter().enumerate() {
        shown = shown.replace(name, &format!("N{}", index + 1));
    }
    // A crash's stack (its files and lines are OTP's) is cut.
    let shown: Vec<String> = pid_free(&shown)
        .lines()
        .map(|line| match line.find("{function_clause,") {
            Some(at) => format!("{}...", &line[..at + "{function_clause,".len()]),
            None => line.to_owned(),
        })
        .collect();
    (run.code, collapse_commits(&shown))
}

/// The lines of a rollout's output with each run of the commit's
/// operations (listed in full by the single-node test) written as one
/// line: what the multi-node tests show is where each node ends.
fn collapse_commits(lines: &[String]) -> String {
    let commit_step = |line: &str| {
        ["suspend ", "code:", "sys:change_code", "resume "]
            .iter()
            .any(|op| {
                line.strip_prefix("  ")
                    .is_some_and(|rest| rest.starts_with(op))
            })
    };
    let mut out: Vec<String> = Vec::new();
    let mut run = 0;
    for line in lines {
        if commit_step(line) {
            run += 1;
            continue;
        }
        if run > 0 {
            out.push(format!("  ({run} operations of the commit)"));
            run = 0;
        }
        out.push(line.clone());
    }
    out.join("\n")
}

/// What `deploy status` says of `node` against the plan: `K at OLD, J at
/// NEW`.
fn status_of(root: &Path, node: &TestNode) -> String {
    let run = erlkit(
        root,
        &[
            "deploy",
            "status",
            "--nodes",
            &node.name,
            "--cookie-file",
            "cookie",
            "plan.json",
        ],
    );
    let line = run.stdout.lines().next().unwrap_or_default();
    line.split_once(": ")
        .map_or(line, |(_, counts)| counts)
        .to_owned()
}

/// The counter's pid and state on `node`.
fn counter_on(node: &TestNode, cookie: &str) -> (String, String) {
    let pid = rpc_eval(&node.name, cookie, "whereis(the_counter).");
    let state = rpc_eval(&node.name, cookie, "sys:get_state(whereis(the_counter)).");
    (pid, state)
}

#[test]
fn apply_on_three_nodes_migrates_every_counter_and_kills_none() {
    let Some((dir, nodes, cookie)) =
        nodes_with_plan("erlkit_three_", &[COUNTER_AT_2, COUNTER_AT_2, COUNTER_AT_2])
    else {
        return;
    };
    let root = dir.path();
    let before: Vec<(String, String)> = nodes.iter().map(|n| counter_on(n, &cookie)).collect();
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &["--parallel", "2"]);
    assert_eq!(code, 0, "{shown}");
    // The canary first; then N2 and N3 together, in either order.
    assert!(shown.contains("N1 (canary): at NEW"), "{shown}");
    assert!(shown.contains("N2: at NEW"), "{shown}");
    assert!(shown.contains("N3: at NEW"), "{shown}");
    for (node, (pid, state)) in nodes.iter().zip(before) {
        assert_eq!(state, "{state,2}");
        // The same process, its state migrated to v2's record.
        assert_eq!(counter_on(node, &cookie), (pid, "{state,2,1}".to_owned()));
        assert_eq!(
            status_of(root, node),
            "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
        );
    }
    let journal = std::fs::read_to_string(root.join("plan.json.journal")).expect("the journal");
    assert_eq!(journal.matches("\"committed\"").count(), 3, "{journal}");
}

#[test]
fn a_failed_code_change_rolls_back_every_node_that_changed() {
    // N2's counter holds a state v2's code_change does not know.
    let broken = format!("{COUNTER_AT_2}, sys:replace_state(P, fun(_) -> broken end)");
    let Some((dir, nodes, cookie)) =
        nodes_with_plan("erlkit_rollback_", &[COUNTER_AT_2, &broken, COUNTER_AT_2])
    else {
        return;
    };
    let root = dir.path();
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &[]);
    expect![[r#"
        exit: 1
        --- stdout
        N1 (canary): at NEW
          preflight: 5 modules to load, 0 already at NEW
          (10 operations of the commit)
          verified: 5 modules at NEW
        N2: rolled back to OLD: `sys:change_code(<PID>, counter, "1", [])` failed: {error,{'EXIT',{function_clause,...
          preflight: 5 modules to load, 0 already at NEW
          (8 operations of the commit)
          FAILED there (the reason is above)
          rollback: code:soft_purge(counter)
          rollback: code:soft_purge(util)
          rollback: code:soft_purge(extra)
          rollback: code:soft_purge(sup)
          rollback: code:soft_purge(nif)
          rollback: code:atomic_load/1 of 3 modules: counter, util, sup
          rollback: code:load_binary/3 of nif alone (it has -on_load)
          rollback: code:delete(extra)
          verified: every module back at OLD
        N1 (canary): rolled back to OLD
          rolling back: N2 failed
          rollback: suspend <PID> (counter)
          rollback: sys:change_code(<PID>, counter, {down,"1"}, [])
          rollback: code:soft_purge(counter)
          rollback: code:soft_purge(util)
          rollback: code:soft_purge(extra)
          rollback: code:soft_purge(sup)
          rollback: code:soft_purge(nif)
          rollback: code:atomic_load/1 of 3 modules: counter, util, sup
          rollback: code:load_binary/3 of nif alone (it has -on_load)
          rollback: code:delete(extra)
          rollback: resume <PID> (counter)
          verified: every module back at OLD
        N3: untouched
        journal: plan.json.journal
        --- stderr"#]].assert_eq(&shown);
    assert_eq!(code, 1);
    // Every node at OLD, the canary's counter migrated back down; N3 never
    // touched.
    for node in &nodes {
        assert_eq!(
            status_of(root, node),
            "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
        );
    }
    assert_eq!(counter_on(&nodes[0], &cookie).1, "{state,2}");
    assert_eq!(counter_on(&nodes[1], &cookie).1, "broken");
    assert_eq!(counter_on(&nodes[2], &cookie).1, "{state,2}");
    assert_eq!(
        rpc_eval(
            &nodes[0].name,
            &cookie,
            "counter:bump(whereis(the_counter))."
        ),
        "2"
    );
}

#[test]
fn a_rollback_that_would_kill_a_process_stops_before_changing_anything() {
    // On N1, a process in util's code: current when the rollout starts, old
    // once v2 is loaded. N2's counter fails its code_change.
    let looping = format!("{COUNTER_AT_2}, register(looper, spawn(util, loop, []))");
    let broken = format!("{COUNTER_AT_2}, sys:replace_state(P, fun(_) -> broken end)");
    let Some((dir, nodes, cookie)) =
        nodes_with_plan("erlkit_stuck_", &[&looping, &broken, COUNTER_AT_2])
    else {
        return;
    };
    let root = dir.path();
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &[]);
    // The preflight warned of it.
    assert!(
        shown.contains(
            "  warning: processes executing in a module loaded without code_change run its old \
             code after the load, until their next fully qualified call; the next purge (the \
             next deploy, or a rollback) would kill them: util: <PID>\n"
        ),
        "{shown}"
    );
    let headers: Vec<&str> = shown.lines().filter(|line| line.starts_with('N')).collect();
    expect![[r#"
        N1 (canary): at NEW
        N2: rolled back to OLD: `sys:change_code(<PID>, counter, "1", [])` failed: {error,{'EXIT',{function_clause,...
        N1 (canary): failed, left as it is: N2 failed; then: the rollback stopped before changing anything: processes still run OLD's code, and the purge that reloading OLD needs would kill them: util (<PID>)
        N3: untouched"#]]
    .assert_eq(&headers.join("\n"));
    assert_eq!(code, 1);
    // N1 left at NEW, its process alive and its counter migrated.
    assert_eq!(
        status_of(root, &nodes[0]),
        "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
    );
    assert!(
        rpc_eval(
            &nodes[0].name,
            &cookie,
            "is_process_alive(whereis(looper))."
        ) == "true"
    );
    assert_eq!(counter_on(&nodes[0], &cookie).1, "{state,2,1}");
    assert_eq!(
        status_of(root, &nodes[1]),
        "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
    );
}

#[test]
fn a_node_killed_mid_commit_is_unknown_and_a_rerun_converges() {
    // N2 halts in the middle of its commit: a process that passes for a
    // counter (its initial call is counter's) answers the suspend, then
    // halts the node when asked to change its code, after the load. The
    // commit waits for that answer, so the node dies at that very step.
    let trap = format!(
        "{COUNTER_AT_2}, spawn(fun() -> put('$initial_call', {{counter, init, 1}}), \
         Loop = fun L() -> receive \
           {{system, From, suspend}} -> gen:reply(From, ok), L(); \
           {{system, From, resume}} -> gen:reply(From, ok), L(); \
           {{system, _, {{change_code, _, _, _}}}} -> erlang:halt(137, [{{flush, false}}]); \
           _ -> L() end end, \
         Loop() end)"
    );
    let Some((dir, mut nodes, cookie)) =
        nodes_with_plan("erlkit_killed_", &[COUNTER_AT_2, &trap, COUNTER_AT_2])
    else {
        return;
    };
    let root = dir.path();
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &["--on-failure", "halt"]);
    expect![[r#"
        exit: 1
        --- stdout
        N1 (canary): at NEW
          preflight: 5 modules to load, 0 already at NEW
          (10 operations of the commit)
          verified: 5 modules at NEW
        N2: unknown (it stopped answering during the commit): N2: erl_eval:exprs/2 failed: connection was closed by the peer; `erlkit deploy status` tells where it is once it answers, and a rerun finishes it
          preflight: 5 modules to load, 0 already at NEW
        N3: untouched
        journal: plan.json.journal
        --- stderr"#]].assert_eq(&shown);
    assert_eq!(code, 1);
    // The canary kept at NEW (the policy is halt), N3 untouched.
    assert_eq!(
        status_of(root, &nodes[0]),
        "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
    );
    assert_eq!(
        status_of(root, &nodes[2]),
        "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
    );
    // N2 comes back (at v1, as it boots), and a rerun finishes the rollout.
    let name = nodes[1].name.trim_end_matches("@localhost").to_owned();
    let dead = nodes.remove(1);
    drop(dead);
    let restarted = start_v1(root, &name, &cookie, COUNTER_AT_2).expect("erl starts");
    restarted.wait_ready(&cookie);
    nodes.insert(1, restarted);
    let all: Vec<&TestNode> = nodes.iter().collect();
    let (code, shown) = apply_on(root, &all, &["--on-failure", "halt"]);
    expect![[r#"
        exit: 0
        --- stdout
        resuming from the journal plan.json.journal:
          N1: at NEW
          N2: unknown (it stopped answering during the commit)
          N3: untouched
        N1 (canary): at NEW
          preflight: 0 modules to load, 5 already at NEW
          nothing to do: every module is at NEW
        N2: at NEW
          preflight: 5 modules to load, 0 already at NEW
          (10 operations of the commit)
          verified: 5 modules at NEW
        N3: at NEW
          preflight: 5 modules to load, 0 already at NEW
          (10 operations of the commit)
          verified: 5 modules at NEW
        journal: plan.json.journal
        --- stderr"#]]
    .assert_eq(&shown);
    assert_eq!(code, 0);
    for node in &nodes {
        assert_eq!(
            status_of(root, node),
            "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
        );
        assert_eq!(counter_on(node, &cookie).1, "{state,2,1}");
    }
}

#[test]
fn a_frozen_node_times_out_and_the_canary_is_rolled_back() {
    let Some((dir, nodes, cookie)) = nodes_with_plan(
        "erlkit_frozen_",
        &[COUNTER_AT_2, COUNTER_AT_2, COUNTER_AT_2],
    ) else {
        return;
    };
    let root = dir.path();
    nodes[1].signal("-STOP");
    let all: Vec<&TestNode> = nodes.iter().collect();
    let started = std::time::Instant::now();
    let (code, shown) = apply_on(root, &all, &["--timeout-ms", "3000"]);
    let took = started.elapsed();
    expect![[r#"
        exit: 1
        --- stdout
        N1 (canary): at NEW
          preflight: 5 modules to load, 0 already at NEW
          (10 operations of the commit)
          verified: 5 modules at NEW
        N2: unreachable, unchanged: N2: no answer within 3000 ms (connecting)
        N1 (canary): rolled back to OLD
          rolling back: N2 failed
          rollback: suspend <PID> (counter)
          rollback: sys:change_code(<PID>, counter, {down,"1"}, [])
          rollback: code:soft_purge(counter)
          rollback: code:soft_purge(util)
          rollback: code:soft_purge(extra)
          rollback: code:soft_purge(sup)
          rollback: code:soft_purge(nif)
          rollback: code:atomic_load/1 of 3 modules: counter, util, sup
          rollback: code:load_binary/3 of nif alone (it has -on_load)
          rollback: code:delete(extra)
          rollback: resume <PID> (counter)
          verified: every module back at OLD
        N3: untouched
        journal: plan.json.journal
        --- stderr"#]]
    .assert_eq(&shown);
    assert_eq!(code, 1);
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
    assert_eq!(
        status_of(root, &nodes[0]),
        "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
    );
    assert_eq!(counter_on(&nodes[0], &cookie).1, "{state,2}");
    assert_eq!(
        status_of(root, &nodes[2]),
        "4 at OLD, 0 at NEW, 0 other, 1 not loaded"
    );
    // Thawed, a rerun converges (asked for JSON: each node's state).
    nodes[1].signal("-CONT");
    let (code, shown) = apply_on(root, &all, &["--timeout-ms", "5000", "--json"]);
    assert_eq!(code, 0, "{shown}");
    let json = &shown[shown.find('{').expect("JSON")..shown.rfind('}').expect("JSON") + 1];
    let report: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let states: Vec<(&str, &str, bool)> = report["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|node| {
            (
                node["node"].as_str().unwrap_or_default(),
                node["state"].as_str().unwrap_or_default(),
                node["canary"] == true,
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("N1", "committed", true),
            ("N2", "committed", false),
            ("N3", "committed", false)
        ]
    );
    for node in &nodes {
        assert_eq!(
            status_of(root, node),
            "0 at OLD, 5 at NEW, 0 other, 0 not loaded"
        );
        assert_eq!(counter_on(node, &cookie).1, "{state,2,1}");
    }
}
