//! `cargo xtask test`: every test in one command. Installs OTP when it is
//! missing, then runs `cargo test --workspace` and the OTP corpus checks.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::otp;

#[derive(clap::Args)]
pub(crate) struct TestArgs {}

/// One step of the run and how it ended.
struct Step {
    name: &'static str,
    passed: bool,
}

pub(crate) fn run(_args: TestArgs) -> anyhow::Result<()> {
    announce("OTP installation");
    ensure_otp()?;

    let mut steps = Vec::new();

    announce("unit and integration tests: cargo test --workspace --no-fail-fast");
    let mut child = crate::cargo()
        .args(["test", "--workspace", "--no-fail-fast"])
        .stdout(Stdio::piped())
        .spawn()
        .context("running cargo test")?;
    // Pass cargo's output through as it comes, adding up its `test result:` lines.
    let mut counts = TestCounts::default();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading cargo test's output")?;
            println!("{line}");
            counts.add_summary_line(&line);
        }
    }
    let status = child.wait().context("waiting for cargo test")?;
    steps.push(Step {
        name: "cargo test --workspace",
        passed: status.success(),
    });

    for (check, name) in [
        ("parse", "cargo xtask corpus parse"),
        ("fmt", "cargo xtask corpus fmt"),
        ("epp", "cargo xtask corpus epp"),
        ("scopes", "cargo xtask corpus scopes"),
        ("incremental", "cargo xtask corpus incremental"),
        ("lint", "cargo xtask corpus lint"),
        ("mutants", "cargo xtask corpus mutants"),
        ("otp-tables", "cargo xtask corpus otp-tables"),
        ("beam", "cargo xtask corpus beam"),
    ] {
        announce(&format!("OTP corpus: {name} (built with --release)"));
        let status = crate::xtask_in_release(&["corpus", check])
            .status()
            .with_context(|| format!("running {name}"))?;
        steps.push(Step {
            name,
            passed: status.success(),
        });
        // Each corpus check counts as one test.
        if status.success() {
            counts.passed += 1;
        } else {
            counts.failed += 1;
        }
    }

    eprintln!();
    for step in &steps {
        eprintln!(
            "xtask test: {:<28} {}",
            step.name,
            if step.passed { "passed" } else { "FAILED" }
        );
    }
    let failed: Vec<&str> = steps
        .iter()
        .filter(|step| !step.passed)
        .map(|step| step.name)
        .collect();
    // The closing line, in the plain form CI systems read.
    println!("tests: {} passed, {} failed", counts.passed, counts.failed);
    if !failed.is_empty() {
        bail!("failed step(s): {}", failed.join(", "));
    }
    eprintln!("xtask test: all steps passed");
    Ok(())
}

/// Tests passed and failed, added up over cargo's `test result:` lines.
#[derive(Debug, Default, PartialEq, Eq)]
struct TestCounts {
    passed: u64,
    failed: u64,
}

impl TestCounts {
    /// Adds `test result: ok. 12 passed; 0 failed; ...` to the counts; other lines are ignored.
    fn add_summary_line(&mut self, line: &str) {
        let Some(rest) = line.trim_start().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split([';', '.']) {
            let mut words = part.split_whitespace();
            let (Some(number), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(number) = number.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => self.passed += number,
                "failed" => self.failed += number,
                _ => {}
            }
        }
    }
}

fn announce(step: &str) {
    eprintln!("\nxtask test: == {step} ==");
}

/// Makes sure `erl` and OTP's sources are there, installing them with apt-get
/// when running as root, and failing with what to install otherwise.
fn ensure_otp() -> anyhow::Result<()> {
    if let Some(root) = otp_with_sources() {
        eprintln!("xtask test: OTP with sources found at {}", root.display());
        return Ok(());
    }
    if !is_root() {
        bail!(
            "OTP with its sources is needed and installing it needs root. Install it, e.g. \
             `sudo apt-get install erlang-nox erlang-src erlang-dialyzer` on Debian or Ubuntu \
             (any OTP whose lib/ holds the .erl sources will do, with `erl` on PATH), then run \
             `cargo xtask test` again"
        );
    }
    otp::install()?;
    match otp_with_sources() {
        Some(root) => {
            eprintln!("xtask test: installed OTP at {}", root.display());
            Ok(())
        }
        None => {
            bail!("OTP was installed but `erl` or its sources under lib/*/src are still missing")
        }
    }
}

/// OTP's root when `erl` runs and stdlib's sources are installed.
fn otp_with_sources() -> Option<std::path::PathBuf> {
    if !otp::is_installed() {
        return None;
    }
    let root = otp::root().ok()?;
    let has_sources = std::fs::read_dir(root.join("lib"))
        .ok()?
        .filter_map(Result::ok)
        .filter(|app| app.file_name().to_string_lossy().starts_with("stdlib-"))
        .any(|stdlib| stdlib.path().join("src/lists.erl").is_file());
    has_sources.then_some(root)
}

/// Whether this process runs as root (effective user id 0).
fn is_root() -> bool {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(uids) = status.lines().find_map(|line| line.strip_prefix("Uid:"))
    {
        return uids.split_whitespace().nth(1) == Some("0");
    }
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::TestCounts;

    #[test]
    fn cargo_summary_lines_add_up() {
        let mut counts = TestCounts::default();
        counts.add_summary_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        counts.add_summary_line("running 3 tests");
        counts.add_summary_line("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.2s");
        assert_eq!(
            counts,
            TestCounts {
                passed: 14,
                failed: 1
            }
        );
    }
}
