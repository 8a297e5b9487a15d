//! Tests of `erlkit fmt`'s core with a stand-in formatter, so that files do change.

use std::path::Path;

use expect_test::{Expect, expect};
use fmt::{FormatOptions, Formatted, SkippedForm, SourceKind};
use syntax::{OtpRelease, TextRange, TextSize};

use super::{FmtStatus, Input, Mode, Settings, Streams, format_input};

/// The stand-in formatter: runs of spaces inside a line become one, trailing
/// spaces go. Markers: `BROKEN` is reported as a form kept as it was, `PANIC`
/// panics, `ARROW` becomes `→`, and `DROPCODING` removes the `coding:` line.
fn stand_in(text: &str, _: SourceKind, _: &FormatOptions) -> Formatted {
    assert!(
        !text.contains("PANIC"),
        "the stand-in formatter was told to panic"
    );
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if text.contains("DROPCODING") && line.contains("coding:") {
            continue;
        }
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let indent = body.len() - body.trim_start_matches(' ').len();
        out.push_str(&body[..indent]);
        out.push_str(
            &body[indent..]
                .split(' ')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push_str(end);
    }
    let skipped = text
        .match_indices("BROKEN")
        .map(|(at, word)| SkippedForm {
            range: TextRange::at(TextSize::new(at as u32), TextSize::new(word.len() as u32)),
            reason: "expected an expression".to_owned(),
        })
        .collect();
    Formatted {
        text: out.replace("ARROW", "→"),
        skipped,
    }
}

fn write(root: &Path, relative: &str, bytes: &[u8]) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn read(root: &Path, relative: &str) -> String {
    String::from_utf8(std::fs::read(root.join(relative)).unwrap()).unwrap()
}

struct Run {
    status: FmtStatus,
    stdout: String,
    stderr: String,
}

impl Run {
    fn render(&self) -> String {
        format!(
            "status: {:?}\n--- stdout\n{}--- stderr\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

fn settings(mode: Mode) -> Settings {
    Settings {
        mode,
        options: FormatOptions::default(),
        release: OtpRelease::LATEST,
        lines: None,
    }
}

/// Runs the core on `input` with the stand-in; `root` shows as `<dir>` and timings as `<time>`.
fn run(root: &Path, input: Input, settings: &Settings, stdin: &[u8]) -> Run {
    let mut stdin = stdin;
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut streams = Streams {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
    };
    let status = format_input(&input, settings, &stand_in, &mut streams).unwrap();
    let tidy = |bytes: Vec<u8>| {
        let text = String::from_utf8(bytes).unwrap();
        let root = root.display().to_string();
        // Diff headers drop the leading `/` of absolute paths.
        let text = text
            .replace(&root, "<dir>")
            .replace(root.trim_start_matches('/'), "<dir>");
        text.lines()
            .map(|line| match (line.find(") in "), line.find("s: ")) {
                (Some(start), Some(end)) if start < end => {
                    format!("{}) in <time>{}\n", &line[..start], &line[end + 1..])
                }
                _ => format!("{line}\n"),
            })
            .collect::<String>()
    };
    Run {
        status,
        stdout: tidy(stdout),
        stderr: tidy(stderr),
    }
}

fn run_paths(root: &Path, mode: Mode) -> Run {
    run(
        root,
        Input::Paths(vec![root.to_path_buf()]),
        &settings(mode),
        b"",
    )
}

fn check(root: &Path, mode: Mode, expect: Expect) {
    expect.assert_eq(&run_paths(root, mode).render());
}

const UNFORMATTED: &str = "-module(a).\nf()  ->   ok.  \n";
const FORMATTED: &str = "-module(b).\nf() -> ok.\n";

#[cfg(unix)]
fn identity(path: &Path) -> (u64, std::time::SystemTime) {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(path).unwrap();
    (metadata.ino(), metadata.modified().unwrap())
}

#[test]
fn writing_replaces_changed_files_and_leaves_the_others_alone() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.erl", UNFORMATTED.as_bytes());
    write(dir.path(), "src/b.erl", FORMATTED.as_bytes());
    #[cfg(unix)]
    let before = identity(&dir.path().join("src/b.erl"));
    check(
        dir.path(),
        Mode::Write,
        expect![[r#"
            status: Done
            --- stdout
            --- stderr
            formatted 2 files (0.0 MB) in <time>: 1 changed
        "#]],
    );
    assert_eq!(read(dir.path(), "src/a.erl"), "-module(a).\nf() -> ok.\n");
    assert_eq!(read(dir.path(), "src/b.erl"), FORMATTED);
    #[cfg(unix)]
    assert_eq!(identity(&dir.path().join("src/b.erl")), before);
    // A second run changes nothing.
    check(
        dir.path(),
        Mode::Write,
        expect![[r#"
            status: Done
            --- stdout
            --- stderr
            formatted 2 files (0.0 MB) in <time>: 0 changed
        "#]],
    );
}

#[test]
fn check_names_the_files_that_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "src/a.erl", UNFORMATTED.as_bytes());
    write(dir.path(), "src/b.erl", FORMATTED.as_bytes());
    write(dir.path(), "src/c.erl", UNFORMATTED.as_bytes());
    check(
        dir.path(),
        Mode::Check,
        expect![[r#"
            status: WouldChange
            --- stdout
            <dir>/src/a.erl
            <dir>/src/c.erl
            --- stderr
            checked 3 files (0.0 MB) in <time>: 2 would change
        "#]],
    );
    assert_eq!(read(dir.path(), "src/a.erl"), UNFORMATTED);
    std::fs::remove_file(dir.path().join("src/a.erl")).unwrap();
    std::fs::remove_file(dir.path().join("src/c.erl")).unwrap();
    check(
        dir.path(),
        Mode::Check,
        expect![[r#"
            status: Done
            --- stdout
            --- stderr
            checked 1 file (0.0 MB) in <time>: 0 would change
        "#]],
    );
}

#[test]
fn diff_prints_unified_diffs_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/a.erl",
        b"-module(a).\n-export([f/0]).\n\n%% one\n%% two\n%% three\n%% four\nf()  ->  ok.\n",
    );
    write(dir.path(), "src/b.erl", FORMATTED.as_bytes());
    let run = run_paths(dir.path(), Mode::Diff);
    expect![[r#"
        status: WouldChange
        --- stdout
        --- a<dir>/src/a.erl
        +++ b<dir>/src/a.erl
        @@ -5,4 +5,4 @@
         %% two
         %% three
         %% four
        -f()  ->  ok.
        +f() -> ok.
        --- stderr
        checked 2 files (0.0 MB) in <time>: 1 would change
    "#]]
    .assert_eq(&run.render());
    assert!(read(dir.path(), "src/a.erl").contains("f()  ->  ok."));
}

#[test]
fn diff_paths_are_written_like_git() {
    assert_eq!(
        super::unified_diff(Path::new("./src/a.erl"), "a\n", "b\n"),
        "--- a/src/a.erl\n+++ b/src/a.erl\n@@ -1 +1 @@\n-a\n+b\n"
    );
    assert!(
        super::unified_diff(Path::new("/abs/a.erl"), "a\n", "b\n")
            .starts_with("--- a/abs/a.erl\n+++ b/abs/a.erl\n")
    );
    assert_eq!(
        super::unified_diff(Path::new("a.erl"), "a", "b"),
        "--- a/a.erl\n+++ b/a.erl\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"
    );
}

#[test]
fn latin1_files_are_written_back_in_latin1() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/l.erl",
        b"%% coding: latin-1\n-module(l).\nname()  ->  \"Jos\xe9\".\n",
    );
    let run = run_paths(dir.path(), Mode::Write);
    assert_eq!(run.status, FmtStatus::Done, "{}", run.render());
    assert_eq!(
        std::fs::read(dir.path().join("src/l.erl")).unwrap(),
        b"%% coding: latin-1\n-module(l).\nname() -> \"Jos\xe9\".\n"
    );
}

#[test]
fn text_that_cannot_be_saved_in_the_file_encoding_is_an_error_and_other_files_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let latin1: &[u8] = b"%% coding: latin-1\n-module(l).\nf()  ->  ARROW.\n";
    let dropped: &[u8] = b"%% coding: latin-1\n%% DROPCODING\n-module(d).\nf()  ->  \"\xe9\".\n";
    write(dir.path(), "src/l.erl", latin1);
    write(dir.path(), "src/d.erl", dropped);
    write(dir.path(), "src/p.erl", b"-module(p).\n%% PANIC\n");
    write(dir.path(), "src/u.erl", UNFORMATTED.as_bytes());
    write(dir.path(), "src/bad.erl", b"-module(bad).\n\"\xe9\".\n");
    let run = run_paths(dir.path(), Mode::Write);
    expect![[r#"
        status: InputErrors
        --- stdout
        --- stderr
        <dir>/src/bad.erl: error: invalid UTF-8 at line 2, column 2 (add `%% coding: latin-1` in the first two lines if the file is Latin-1)
        <dir>/src/d.erl: error: internal error: the formatted text would not read back the same (its `coding:` comment changed); the file is left as it was
        <dir>/src/l.erl: error: the formatted text cannot be saved in the file's encoding: character '→' (U+2192) at byte offset 38 cannot be written in Latin-1; the file is left as it was
        <dir>/src/p.erl: error: internal error: the formatter panicked (a bug in erlkit; please report it); the file is left as it was
        formatted 1 file (0.0 MB) in <time>: 1 changed, 4 failed
    "#]]
    .assert_eq(&run.render());
    assert_eq!(std::fs::read(dir.path().join("src/l.erl")).unwrap(), latin1);
    assert_eq!(
        std::fs::read(dir.path().join("src/d.erl")).unwrap(),
        dropped
    );
    assert_eq!(read(dir.path(), "src/u.erl"), "-module(a).\nf() -> ok.\n");
}

#[test]
fn forms_kept_as_they_were_are_warnings_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "src/w.erl",
        b"-module(w).\nf()  ->  ok.\ng() -> {BROKEN.\nh() -> BROKEN.\n",
    );
    check(
        dir.path(),
        Mode::Write,
        expect![[r#"
            status: Done
            --- stdout
            --- stderr
            <dir>/src/w.erl:3:9: warning: form not formatted: expected an expression
            <dir>/src/w.erl:4:8: warning: form not formatted: expected an expression
            formatted 1 file (0.0 MB) in <time>: 1 changed
        "#]],
    );
    assert!(read(dir.path(), "src/w.erl").contains("f() -> ok."));
}

#[test]
fn read_only_files_are_reported_and_left() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.erl", UNFORMATTED.as_bytes());
    let path = dir.path().join("a.erl");
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&path, permissions).unwrap();
    check(
        dir.path(),
        Mode::Write,
        expect![[r#"
            status: InputErrors
            --- stdout
            --- stderr
            <dir>/a.erl: error: cannot write the file: the file is read-only
            formatted 0 files (0.0 MB) in <time>: 0 changed, 1 failed
        "#]],
    );
    assert_eq!(read(dir.path(), "a.erl"), UNFORMATTED);
}

#[test]
fn directories_give_erlang_files_and_term_files_but_not_build_output_or_ignored_files() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "rebar.config",
        "config/sys.config",
        "src/a.app.src",
        "src/a.erl",
        "include/a.hrl",
        "bin/tool.escript",
        "_build/default/lib/dep/src/dep.erl",
        "generated/gen.erl",
        "src/scratch_tmp.erl",
        "notes.txt",
    ] {
        write(dir.path(), file, b"{a,  b}.\n");
    }
    write(dir.path(), ".gitignore", b"/generated/\n*_tmp.erl\n");
    check(
        dir.path(),
        Mode::Check,
        expect![[r#"
            status: WouldChange
            --- stdout
            <dir>/bin/tool.escript
            <dir>/config/sys.config
            <dir>/include/a.hrl
            <dir>/rebar.config
            <dir>/src/a.app.src
            <dir>/src/a.erl
            --- stderr
            checked 6 files (0.0 MB) in <time>: 6 would change
        "#]],
    );
}

#[test]
fn missing_paths_are_errors_and_the_others_are_still_formatted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.erl", UNFORMATTED.as_bytes());
    let paths = vec![dir.path().join("gone.erl"), dir.path().join("a.erl")];
    let run = run(dir.path(), Input::Paths(paths), &settings(Mode::Write), b"");
    expect![[r#"
        status: InputErrors
        --- stdout
        --- stderr
        <dir>/gone.erl: error: no such file or directory
        formatted 1 file (0.0 MB) in <time>: 1 changed, 1 failed
    "#]]
    .assert_eq(&run.render());
    assert_eq!(read(dir.path(), "a.erl"), "-module(a).\nf() -> ok.\n");
}

#[test]
fn a_range_formats_only_the_forms_on_its_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = "-module(r).\nf()  ->  1.\ng()  ->\n    2.\nh()  ->  3.\n";
    write(dir.path(), "r.erl", text.as_bytes());
    let settings = Settings {
        lines: Some(4..=4),
        ..settings(Mode::Write)
    };
    let run = run(
        dir.path(),
        Input::Paths(vec![dir.path().join("r.erl")]),
        &settings,
        b"",
    );
    assert_eq!(run.status, FmtStatus::Done, "{}", run.render());
    assert_eq!(
        read(dir.path(), "r.erl"),
        "-module(r).\nf()  ->  1.\ng() ->\n    2.\nh()  ->  3.\n"
    );
}

#[test]
fn stdin_goes_to_stdout_formatted_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let stdin = |name: Option<&str>| Input::Stdin {
        name: name.map(Into::into),
    };
    let write = settings(Mode::Write);
    expect![[r#"
        status: Done
        --- stdout
        -module(a).
        f() -> ok.
        --- stderr
    "#]]
    .assert_eq(&run(dir.path(), stdin(None), &write, UNFORMATTED.as_bytes()).render());
    expect![[r#"
        status: Done
        --- stdout
        -module(b).
        f() -> ok.
        --- stderr
    "#]]
    .assert_eq(&run(dir.path(), stdin(None), &write, FORMATTED.as_bytes()).render());
    expect![[r#"
        status: WouldChange
        --- stdout
        src/a.erl
        --- stderr
    "#]]
    .assert_eq(
        &run(
            dir.path(),
            stdin(Some("src/a.erl")),
            &settings(Mode::Check),
            UNFORMATTED.as_bytes(),
        )
        .render(),
    );
    expect![[r#"
        status: WouldChange
        --- stdout
        --- a/<stdin>
        +++ b/<stdin>
        @@ -1,2 +1,2 @@
         -module(a).
        -f()  ->   ok.  
        +f() -> ok.
        --- stderr
    "#]]
    .assert_eq(
        &run(
            dir.path(),
            stdin(None),
            &settings(Mode::Diff),
            UNFORMATTED.as_bytes(),
        )
        .render(),
    );
}

#[test]
fn stdin_errors_print_nothing_on_stdout_and_warnings_use_the_given_name() {
    let dir = tempfile::tempdir().unwrap();
    let write = settings(Mode::Write);
    let named = Input::Stdin {
        name: Some("src/x.erl".into()),
    };
    expect![[r#"
        status: InputErrors
        --- stdout
        --- stderr
        src/x.erl: error: invalid UTF-8 at line 1, column 2 (add `%% coding: latin-1` in the first two lines if the file is Latin-1)
    "#]]
    .assert_eq(&run(dir.path(), named, &write, b"f\xff.\n").render());
    expect![[r#"
        status: Done
        --- stdout
        f() -> BROKEN.
        --- stderr
        <stdin>:1:10: warning: form not formatted: expected an expression
    "#]]
    .assert_eq(
        &run(
            dir.path(),
            Input::Stdin { name: None },
            &write,
            b"f()  ->  BROKEN.\n",
        )
        .render(),
    );
}

#[test]
fn stdin_keeps_its_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut stdin: &[u8] = b"%% coding: latin-1\nf()  ->  \"\xe9\".\n";
    let mut streams = Streams {
        stdin: &mut stdin,
        stdout: &mut stdout,
        stderr: &mut stderr,
    };
    let input = Input::Stdin { name: None };
    let status = format_input(&input, &settings(Mode::Write), &stand_in, &mut streams).unwrap();
    assert_eq!(status, FmtStatus::Done);
    assert_eq!(stdout, b"%% coding: latin-1\nf() -> \"\xe9\".\n");
    drop(dir);
}

#[test]
fn output_is_the_same_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    for n in 0..600 {
        let text = format!("-module(m{n}).\nf()  ->  {n}.\n");
        write(dir.path(), &format!("d{}/m{n}.erl", n % 7), text.as_bytes());
    }
    let on_threads = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run_paths(dir.path(), Mode::Diff))
    };
    let one = on_threads(1);
    let many = on_threads(4);
    assert_eq!(one.status, FmtStatus::WouldChange);
    assert_eq!(one.stdout, many.stdout);
    let headers: Vec<&str> = one
        .stdout
        .lines()
        .filter(|l| l.starts_with("--- "))
        .collect();
    let mut sorted = headers.clone();
    sorted.sort();
    assert_eq!(headers.len(), 600);
    assert_eq!(headers, sorted);
}
