//! Runs erlfmt over many files in a few processes and collects its output for each file.
//!
//! erlfmt's `-O DIR` writes each formatted file under `DIR` at the path it was
//! given (which must be relative), and only when formatting changed it. So the
//! files are named relative to `/` and erlfmt runs in `/`: an output file is
//! erlfmt's text, a missing one means "unchanged" or "failed". erlfmt prints
//! `PATH:LINE:COL: message` on stderr for both failures and forms it kept
//! verbatim, so a file that is missing and mentioned on stderr is run again
//! alone, where the exit code tells the two apart.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// At most this many bytes of file names on one erlfmt command line.
const ARGUMENT_BYTES_PER_RUN: usize = 100_000;

/// erlfmt's exit code when some file could not be formatted.
const EXIT_SOME_FAILED: i32 = 4;
/// erlfmt's exit code when it crashed ("Internal Error"), leaving the rest undone.
const EXIT_CRASHED: i32 = 127;

/// What erlfmt made of one file.
pub(super) enum ErlfmtOutcome {
    /// The formatted text (the original bytes when erlfmt changed nothing).
    Formatted {
        bytes: Vec<u8>,
        /// erlfmt printed a warning: some form was kept verbatim.
        warned: bool,
    },
    /// erlfmt refused the file; its message.
    Failed(String),
}

/// The `erlfmt` program and the options both formatters share.
pub(super) struct Erlfmt {
    program: PathBuf,
    print_width: u32,
}

/// A scratch folder removed when dropped.
struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What one erlfmt run printed.
struct RunResult {
    exit_code: Option<i32>,
    /// The first stderr line that names each file (without the name, e.g.
    /// `3:7: cannot translate from UTF-8`), by the name erlfmt was given.
    messages: HashMap<String, String>,
    stderr: String,
}

impl Erlfmt {
    /// `erlfmt` on PATH, if there is one.
    pub(super) fn find(print_width: u32) -> Option<Erlfmt> {
        let path_var = std::env::var_os("PATH")?;
        std::env::split_paths(&path_var)
            .map(|dir| dir.join("erlfmt"))
            .find(|candidate| is_executable(candidate))
            .map(|program| Erlfmt {
                program,
                print_width,
            })
    }

    pub(super) fn program(&self) -> &Path {
        &self.program
    }

    /// `erlfmt --version`, e.g. `erlfmt version 1.8.0`.
    pub(super) fn version(&self) -> anyhow::Result<String> {
        let output = Command::new(&self.program)
            .arg("--version")
            .output()
            .with_context(|| format!("running {} --version", self.program.display()))?;
        if !output.status.success() {
            bail!(
                "`{} --version` failed ({}): {}",
                self.program.display(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Formats `files` (absolute, canonical paths whose bytes are `originals`),
    /// giving one outcome per file, in order.
    pub(super) fn format_all(
        &self,
        files: &[PathBuf],
        originals: &[Vec<u8>],
    ) -> anyhow::Result<Vec<ErlfmtOutcome>> {
        let scratch = ScratchDir(
            std::env::temp_dir().join(format!("xtask-compare-erlfmt-{}", std::process::id())),
        );
        let _ = std::fs::remove_dir_all(&scratch.0);
        std::fs::create_dir_all(&scratch.0)
            .with_context(|| format!("creating {}", scratch.0.display()))?;
        let out_dir = scratch.0.as_path();

        let relative: Vec<String> = files
            .iter()
            .map(|file| relative_to_root(file))
            .collect::<anyhow::Result<_>>()?;

        let mut outcomes = Vec::with_capacity(files.len());
        let mut start = 0;
        while start < files.len() {
            let end = batch_end(&relative, start);
            let batch = &relative[start..end];
            let run = self.run(out_dir, batch)?;
            match run.exit_code {
                Some(0) | Some(EXIT_SOME_FAILED) => {
                    for (offset, name) in batch.iter().enumerate() {
                        let index = start + offset;
                        let outcome = match read_output(out_dir, name)? {
                            Some(bytes) => ErlfmtOutcome::Formatted {
                                bytes,
                                warned: run.messages.contains_key(name),
                            },
                            None if !run.messages.contains_key(name) => ErlfmtOutcome::Formatted {
                                bytes: originals[index].clone(),
                                warned: false,
                            },
                            // Unchanged with a warning, or failed: only a run of its own tells.
                            None => self.format_alone(out_dir, name, &originals[index])?,
                        };
                        outcomes.push(outcome);
                    }
                }
                Some(EXIT_CRASHED) => {
                    eprintln!(
                        "compare-erlfmt: erlfmt crashed on a batch of {} files; running them one by one",
                        batch.len()
                    );
                    for (offset, name) in batch.iter().enumerate() {
                        outcomes.push(self.format_alone(
                            out_dir,
                            name,
                            &originals[start + offset],
                        )?);
                    }
                }
                _ => bail!(
                    "erlfmt failed ({}): {}",
                    describe_exit(run.exit_code),
                    run.stderr.trim()
                ),
            }
            start = end;
        }
        Ok(outcomes)
    }

    /// Formats one file (named relative to `/`) in a run of its own.
    fn format_alone(
        &self,
        out_dir: &Path,
        name: &str,
        original: &[u8],
    ) -> anyhow::Result<ErlfmtOutcome> {
        let output = out_dir.join(name);
        if output.exists() {
            std::fs::remove_file(&output)
                .with_context(|| format!("removing {}", output.display()))?;
        }
        let run = self.run(out_dir, std::slice::from_ref(&name.to_owned()))?;
        let message = run.messages.get(name).cloned();
        Ok(match run.exit_code {
            Some(0) => ErlfmtOutcome::Formatted {
                bytes: read_output(out_dir, name)?.unwrap_or_else(|| original.to_vec()),
                warned: message.is_some(),
            },
            code => ErlfmtOutcome::Failed(message.unwrap_or_else(|| {
                let stderr = run.stderr.trim();
                let first = stderr.lines().next().unwrap_or("no message");
                format!("erlfmt {}: {first}", describe_exit(code))
            })),
        })
    }

    /// One erlfmt process over `names` (relative to `/`), writing into `out_dir`.
    fn run(&self, out_dir: &Path, names: &[String]) -> anyhow::Result<RunResult> {
        let output = Command::new(&self.program)
            .arg("-O")
            .arg(out_dir)
            .arg("--print-width")
            .arg(self.print_width.to_string())
            .args(names.iter().map(OsString::from))
            .current_dir("/")
            .output()
            .with_context(|| format!("running {}", self.program.display()))?;
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let mut messages = HashMap::new();
        for line in stderr.lines() {
            if let Some((name, message)) = line.split_once(':') {
                messages
                    .entry(name.to_owned())
                    .or_insert_with(|| message.to_owned());
            }
        }
        messages.retain(|name, _| names.contains(name));
        Ok(RunResult {
            exit_code: output.status.code(),
            messages,
            stderr,
        })
    }
}

/// The end (exclusive) of the batch of names that starts at `start`.
fn batch_end(names: &[String], start: usize) -> usize {
    let mut bytes = 0;
    let mut end = start;
    while end < names.len() && (end == start || bytes + names[end].len() < ARGUMENT_BYTES_PER_RUN) {
        bytes += names[end].len() + 1;
        end += 1;
    }
    end
}

/// An absolute path as a path relative to `/`, the way `-O` needs it.
fn relative_to_root(path: &Path) -> anyhow::Result<String> {
    let relative = path
        .strip_prefix("/")
        .with_context(|| format!("{} is not an absolute path", path.display()))?;
    relative
        .to_str()
        .map(str::to_owned)
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

/// erlfmt's output for `name`, if it wrote one.
fn read_output(out_dir: &Path, name: &str) -> anyhow::Result<Option<Vec<u8>>> {
    let path = out_dir.join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

fn describe_exit(code: Option<i32>) -> String {
    match code {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_owned(),
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
