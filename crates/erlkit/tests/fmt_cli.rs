//! End-to-end tests of `erlkit fmt`: the real binary on small projects in temporary directories.
//!
//! These run the formatter as it is built; the paths where a file changes (writing,
//! `--check` and `--diff` output, encodings on write) are tested with a stand-in
//! formatter in `src/fmt_cmd/tests.rs`.

use std::path::Path;

use expect_test::expect;

mod support;

use support::{check, erlkit, erlkit_with, project, write};

const PROJECT: &str = r#"
//- /rebar.config
    {erl_opts, [debug_info]}.
//- /src/app.app.src
    {application, app, [{vsn, "1.0.0"}]}.
//- /src/app.erl
    -module(app).
    -export([f/1]).

    f(X) -> {ok, X + 1}.
//- /include/app.hrl
    -define(A, 1).
"#;

/// A file's inode and modification time: both stay when the file is not written.
#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).expect("metadata");
    (metadata.ino(), metadata.modified().expect("an mtime"))
}

#[test]
fn formatted_files_are_not_written() {
    let dir = project(PROJECT);
    let file = dir.path().join("src/app.erl");
    #[cfg(unix)]
    let before = identity(&file);
    let text = std::fs::read(&file).expect("read");
    check(
        dir.path(),
        &["fmt", "."],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            formatted 4 files (0.0 MB) in <time>: 0 changed
        "#]],
    );
    assert_eq!(std::fs::read(&file).expect("read"), text);
    #[cfg(unix)]
    assert_eq!(identity(&file), before);
}

#[test]
fn check_and_diff_exit_0_when_nothing_would_change() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &["fmt", "--check", "src", "rebar.config"],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            checked 3 files (0.0 MB) in <time>: 0 would change
        "#]],
    );
    check(
        dir.path(),
        &["fmt", "--diff", "."],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            checked 4 files (0.0 MB) in <time>: 0 would change
        "#]],
    );
}

#[test]
fn term_files_are_formatted_and_build_output_and_ignored_files_are_not() {
    let dir = project(
        r#"
//- /.gitignore
    /generated/
    *_tmp.erl
//- /rebar.config
    {deps, []}.
//- /config/sys.config
    [{app, []}].
//- /apps/app/src/app.app.src
    {application, app, []}.
//- /apps/app/src/app.erl
    -module(app).
//- /scripts/tool.escript
    #!/usr/bin/env escript
    main(_) -> ok.
//- /apps/app/src/scratch_tmp.erl
    -module(scratch_tmp).
//- /generated/gen.erl
    -module(gen).
//- /_build/default/lib/dep/src/dep.erl
    -module(dep).
//- /notes.txt
    not Erlang
"#,
    );
    check(
        dir.path(),
        &["fmt", "."],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            formatted 5 files (0.0 MB) in <time>: 0 changed
        "#]],
    );
}

#[test]
fn stdin_is_formatted_to_stdout() {
    let dir = project(PROJECT);
    let text = "-module(a).\nf() -> ok.\n";
    let run = erlkit_with(dir.path(), &["fmt", "-"], text.as_bytes(), &[]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, text, "")
    );

    let config = "{erl_opts, [debug_info]}.\n";
    let named = erlkit_with(
        dir.path(),
        &["fmt", "--stdin-filepath", "rebar.config"],
        config.as_bytes(),
        &[],
    );
    assert_eq!(
        (named.code, named.stdout.as_str()),
        (0, config),
        "{}",
        named.render()
    );

    let named_with_dash = erlkit_with(
        dir.path(),
        &["fmt", "--stdin-filepath", "not/there.erl", "-"],
        text.as_bytes(),
        &[],
    );
    assert_eq!(named_with_dash.stdout, text, "{}", named_with_dash.render());

    let checked = erlkit_with(dir.path(), &["fmt", "--check", "-"], text.as_bytes(), &[]);
    expect![[r#"
        exit: 0
        --- stdout
        --- stderr
    "#]]
    .assert_eq(&checked.render());
}

#[test]
fn stdin_that_is_not_text_exits_2_and_prints_nothing() {
    let dir = project(PROJECT);
    let run = erlkit_with(
        dir.path(),
        &["fmt", "--stdin-filepath", "src/x.erl"],
        b"-module(x).\nf() -> \"\xe9\".\n",
        &[],
    );
    expect![[r#"
        exit: 2
        --- stdout
        --- stderr
        src/x.erl: error: invalid UTF-8 at line 2, column 9 (add `%% coding: latin-1` in the first two lines if the file is Latin-1)
    "#]]
    .assert_eq(&run.render());
}

/// The `format settings` debug line of a run.
fn settings_line(dir: &Path, args: &[&str], stdin: &[u8]) -> String {
    let run = erlkit_with(dir, args, stdin, &[("RUST_LOG", "erlkit=debug")]);
    assert_eq!(run.code, 0, "{}", run.render());
    let line = run
        .stderr
        .lines()
        .find(|line| line.contains("format settings"))
        .unwrap_or_else(|| panic!("no settings line:\n{}", run.stderr));
    let start = line.find("print_width=").expect("print_width");
    let end = line[start..]
        .find(" release=")
        .map_or(line.len(), |at| start + at);
    line[start..end].to_owned()
}

#[test]
fn print_width_comes_from_erlkit_toml_and_the_command_line_wins() {
    let dir = project(
        r#"
//- /erlkit.toml
    [format]
    print_width = 80
//- /src/a.erl
    -module(a).
//- /apps/b/erlkit.toml
    format.print_width = 120
"#,
    );
    std::fs::create_dir(dir.path().join(".git")).expect("a .git directory");
    expect![[r#"print_width=80 pragma=Respect config=Some("erlkit.toml")"#]]
        .assert_eq(&settings_line(dir.path(), &["fmt", "src"], b""));
    expect![[r#"print_width=72 pragma=Require config=Some("erlkit.toml")"#]].assert_eq(
        &settings_line(
            dir.path(),
            &["fmt", "--print-width", "72", "--require-pragma", "src"],
            b"",
        ),
    );
    // From a subdirectory: the nearest erlkit.toml above it.
    expect![[r#"print_width=80 pragma=Respect config=Some("../erlkit.toml")"#]].assert_eq(
        &settings_line(&dir.path().join("src"), &["fmt", "a.erl"], b"")
            .replace(&dir.path().display().to_string(), ".."),
    );
    // stdin: the erlkit.toml that applies to the named file.
    let nested = settings_line(
        dir.path(),
        &["fmt", "--stdin-filepath", "apps/b/src/b.erl"],
        b"-module(b).\n",
    );
    assert!(nested.starts_with("print_width=120 "), "{nested}");
    assert!(nested.contains("apps/b/erlkit.toml"), "{nested}");
    // No erlkit.toml: the default.
    std::fs::remove_file(dir.path().join("erlkit.toml")).expect("remove");
    expect![[r#"print_width=100 pragma=Insert config=None"#]].assert_eq(&settings_line(
        dir.path(),
        &["fmt", "--insert-pragma", "src"],
        b"",
    ));
}

#[test]
fn erlkit_toml_above_the_git_root_is_not_used() {
    let dir = project(
        r#"
//- /erlkit.toml
    format.print_width = 80
//- /repo/src/a.erl
    -module(a).
"#,
    );
    std::fs::create_dir(dir.path().join("repo/.git")).expect("a .git directory");
    expect![[r#"print_width=100 pragma=Respect config=None"#]].assert_eq(&settings_line(
        &dir.path().join("repo"),
        &["fmt", "src"],
        b"",
    ));
}

#[test]
fn a_bad_erlkit_toml_exits_2_with_its_line() {
    let dir = project(
        r#"
//- /erlkit.toml
    [format]
    print_width = "wide"
//- /src/a.erl
    -module(a).
"#,
    );
    check(
        dir.path(),
        &["fmt", "src"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: erlkit.toml:2: `format.print_width` must be a positive integer, not a string
        "#]],
    );
    write(dir.path(), "erlkit.toml", b"[format\nprint_width = 3\n");
    let run = erlkit(dir.path(), &["fmt", "src"]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert!(
        run.stderr.starts_with("erlkit: error: erlkit.toml:1: "),
        "{}",
        run.render()
    );
}

#[test]
fn unknown_keys_in_erlkit_toml_are_warnings() {
    let dir = project(
        r#"
//- /erlkit.toml
    [format]
    print_width = 90
    indent = 2
    [checks]
//- /src/a.erl
    -module(a).
"#,
    );
    check(
        dir.path(),
        &["fmt", "src"],
        expect![[r#"
            exit: 0
            --- stdout
            --- stderr
            erlkit.toml:3: warning: unknown key `format.indent` (ignored)
            erlkit.toml:4: warning: unknown key `checks` (ignored)
            formatted 1 file (0.0 MB) in <time>: 0 changed
        "#]],
    );
}

#[test]
fn missing_and_unreadable_paths_exit_2_and_the_others_are_still_formatted() {
    let dir = project(PROJECT);
    check(
        dir.path(),
        &["fmt", "missing.erl", "src"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            missing.erl: error: no such file or directory
            formatted 2 files (0.0 MB) in <time>: 0 changed, 1 failed
        "#]],
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(PROJECT);
    let locked = dir.path().join("src/locked.erl");
    std::fs::write(&locked, "-module(locked).\n").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let (path, message) = if std::fs::read(&locked).is_err() {
        ("src/locked.erl".to_owned(), "permission denied")
    } else if Path::new("/proc/self/mem").exists() {
        // Root reads any file; reading a process's memory at offset 0 fails for anyone.
        eprintln!("running as root: using /proc/self/mem as the unreadable file");
        ("/proc/self/mem".to_owned(), "Input/output error")
    } else {
        eprintln!("SKIPPED: cannot make an unreadable file here");
        return;
    };
    let run = erlkit(dir.path(), &["fmt", &path, "src/app.erl"]);
    assert_eq!(run.code, 2, "{}", run.render());
    assert_eq!(
        run.stderr,
        format!(
            "{path}: error: {message}\nformatted 1 file (0.0 MB) in <time>: 0 changed, 1 failed\n"
        )
    );
}

#[test]
fn latin1_files_round_trip_and_bad_utf8_exits_2() {
    let dir = project(PROJECT);
    let latin1: &[u8] = b"%% -*- coding: latin-1 -*-\n-module(latin1).\nname() -> \"Jos\xe9\".\n";
    write(dir.path(), "src/latin1.erl", latin1);
    let run = erlkit(dir.path(), &["fmt", "src/latin1.erl"]);
    assert_eq!(run.code, 0, "{}", run.render());
    assert_eq!(
        std::fs::read(dir.path().join("src/latin1.erl")).expect("read"),
        latin1
    );

    write(
        dir.path(),
        "src/bad.erl",
        b"-module(bad).\nname() -> \"Jos\xe9\".\n",
    );
    check(
        dir.path(),
        &["fmt", "src"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            src/bad.erl: error: invalid UTF-8 at line 2, column 15 (add `%% coding: latin-1` in the first two lines if the file is Latin-1)
            formatted 3 files (0.0 MB) in <time>: 0 changed, 1 failed
        "#]],
    );
}

#[test]
fn a_file_with_syntax_errors_is_still_formatted_and_exits_0() {
    // Broken forms are kept as they are, each with a
    // `path:line:column: warning: form not formatted: reason` line on stderr.
    let dir = project(
        r#"
//- /src/broken.erl
    -module(broken).
    f(X) -> {ok, X +}.
    g() -> ok.
"#,
    );
    let run = erlkit(dir.path(), &["fmt", "src"]);
    assert_eq!(run.code, 0, "{}", run.render());
    for line in run
        .stderr
        .lines()
        .filter(|line| !line.starts_with("formatted "))
    {
        assert!(
            line.starts_with("src/broken.erl:2:")
                && line.contains(": warning: form not formatted: "),
            "{}",
            run.render()
        );
    }
    let after = std::fs::read(dir.path().join("src/broken.erl")).expect("read");
    let text = String::from_utf8(after).expect("UTF-8");
    assert!(
        text.contains("f(X) -> {ok, X +}."),
        "the broken form is kept:\n{text}"
    );
}

#[test]
fn range_takes_one_file_or_stdin() {
    let dir = project(PROJECT);
    let text = "-module(a).\nf() -> ok.\n";
    let run = erlkit_with(
        dir.path(),
        &["fmt", "--range", "2-2", "-"],
        text.as_bytes(),
        &[],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, text),
        "{}",
        run.render()
    );
    let run = erlkit(dir.path(), &["fmt", "--range", "1,3", "src/app.erl"]);
    assert_eq!(run.code, 0, "{}", run.render());
    check(
        dir.path(),
        &["fmt", "--range", "1-3", "src"],
        expect![[r#"
            exit: 2
            --- stdout
            --- stderr
            erlkit: error: --range works on one file, or on stdin
        "#]],
    );
    let run = erlkit(dir.path(), &["fmt", "--range", "3-1", "src/app.erl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the range 3-1 ends before it starts"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = project(PROJECT);
    let usage = |args: &[&str], says: &str| {
        let run = erlkit(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}\n{}", run.render());
        assert!(run.stderr.contains(says), "{args:?}\n{}", run.render());
    };
    usage(&["fmt"], "required arguments were not provided");
    usage(&["fmt", "--check", "--diff", "src"], "cannot be used with");
    usage(
        &["fmt", "--require-pragma", "--insert-pragma", "src"],
        "cannot be used with",
    );
    usage(
        &["fmt", "--delete-pragma", "--require-pragma", "src"],
        "cannot be used with",
    );
    usage(&["fmt", "--print-width", "0", "src"], "--print-width");
    usage(
        &["fmt", "-", "src"],
        "erlkit: error: `-` (stdin) cannot be combined with other paths",
    );
    usage(
        &["fmt", "--stdin-filepath", "a.erl", "src"],
        "erlkit: error: --stdin-filepath names the text read from stdin: give `-` or no path",
    );
}

#[test]
fn help_lists_the_options() {
    let dir = project(PROJECT);
    let help = erlkit(dir.path(), &["--help"]);
    assert!(help.stdout.contains("fmt"), "{}", help.stdout);
    let fmt_help = erlkit(dir.path(), &["fmt", "--help"]);
    assert_eq!(fmt_help.code, 0);
    for option in [
        "--check",
        "--diff",
        "--stdin-filepath",
        "--range",
        "--print-width",
        "--require-pragma",
        "--insert-pragma",
        "--delete-pragma",
        "--otp-release",
    ] {
        assert!(
            fmt_help.stdout.contains(option),
            "{option}\n{}",
            fmt_help.stdout
        );
    }
}
