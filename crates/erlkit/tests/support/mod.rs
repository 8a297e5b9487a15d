//! What the end-to-end tests share: fixture projects in temporary directories and runs of the binary.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use expect_test::Expect;

/// A project written from a fixture: `//- /path` lines start each file.
pub fn project(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut current: Option<(String, String)> = None;
    let mut files = Vec::new();
    for line in fixture.lines() {
        if let Some(path) = line.trim().strip_prefix("//- /") {
            files.extend(current.take());
            current = Some((path.to_owned(), String::new()));
        } else if let Some((_, text)) = &mut current {
            text.push_str(line.trim_start_matches("    "));
            text.push('\n');
        }
    }
    files.extend(current);
    for (path, text) in files {
        write(dir.path(), &path, text.as_bytes());
    }
    dir
}

pub fn write(root: &Path, relative: &str, bytes: &[u8]) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().expect("a parent directory"))
        .expect("create directories");
    std::fs::write(path, bytes).expect("write a fixture file");
}

/// What a run printed, with the timing in the summary replaced by `<time>`.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text for `expect!`.
    pub fn render(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs `erlkit` in `dir` with `stdin` as its standard input and `env` added.
pub fn erlkit_with(dir: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_erlkit"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run erlkit");
    let mut input = child.stdin.take().expect("a stdin pipe");
    // erlkit may exit without reading (a usage error): a broken pipe is fine.
    let _ = input.write_all(stdin);
    drop(input);
    let output = child.wait_with_output().expect("wait for erlkit");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: hide_time(&String::from_utf8(output.stderr).expect("UTF-8 stderr")),
    }
}

pub fn erlkit(dir: &Path, args: &[&str]) -> Run {
    erlkit_with(dir, args, b"", &[])
}

/// `in 0.42s:` becomes `in <time>:`.
pub fn hide_time(text: &str) -> String {
    text.lines()
        .map(|line| match (line.find(") in "), line.find("s: ")) {
            (Some(start), Some(end)) if start < end => {
                format!("{}) in <time>{}", &line[..start], &line[end + 1..])
            }
            _ => line.to_owned(),
        })
        .map(|line| line + "\n")
        .collect()
}

pub fn check(dir: &Path, args: &[&str], expect: Expect) {
    expect.assert_eq(&erlkit(dir, args).render());
}
