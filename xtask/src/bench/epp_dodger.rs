//! Times OTP's `epp_dodger:parse_file/1` on a list of files in one `erl`
//! process, through `xtask/erlang/bench_epp_dodger.escript`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, bail};

/// One timed pass of `epp_dodger:parse_file/1` over every file.
pub(crate) struct EppDodgerPass {
    pub(crate) files: u64,
    pub(crate) bytes: u64,
    /// Files for which `parse_file/1` did not return `{ok, Forms}`.
    pub(crate) failed: u64,
    pub(crate) elapsed: Duration,
}

/// Runs the escript on `files`, writing their list next to the build output.
pub(crate) fn time_parse_file(files: &[PathBuf]) -> anyhow::Result<EppDodgerPass> {
    let root = crate::project_root();
    let list_dir = root.join("target/xtask-bench");
    std::fs::create_dir_all(&list_dir)
        .with_context(|| format!("creating {}", list_dir.display()))?;
    let list = list_dir.join("epp_dodger_files.txt");
    let mut text = String::new();
    for file in files {
        let path = file
            .to_str()
            .with_context(|| format!("a path that is not UTF-8: {}", file.display()))?;
        text.push_str(path);
        text.push('\n');
    }
    std::fs::write(&list, text).with_context(|| format!("writing {}", list.display()))?;

    let script = root.join("xtask/erlang/bench_epp_dodger.escript");
    let output = Command::new("escript")
        .arg(&script)
        .arg(&list)
        .output()
        .context("running escript (is OTP installed?)")?;
    if !output.status.success() {
        bail!(
            "{} failed ({}): {}",
            script.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_report(&String::from_utf8_lossy(&output.stdout), &script)
}

/// Reads the `key value` lines the escript prints.
fn parse_report(stdout: &str, script: &Path) -> anyhow::Result<EppDodgerPass> {
    let values: HashMap<&str, u64> = stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key, value.trim().parse().ok()?))
        })
        .collect();
    let field = |key: &str| {
        values
            .get(key)
            .copied()
            .with_context(|| format!("{} printed no `{key}` line:\n{stdout}", script.display()))
    };
    Ok(EppDodgerPass {
        files: field("files")?,
        bytes: field("bytes")?,
        failed: field("failed")?,
        elapsed: Duration::from_micros(field("elapsed_us")?),
    })
}

#[cfg(test)]
mod tests {
    use super::parse_report;
    use std::path::Path;

    #[test]
    fn report_lines_are_read() {
        let pass = parse_report(
            "files 3\nbytes 120\nfailed 0\nelapsed_us 1500\n",
            Path::new("x"),
        )
        .unwrap();
        assert_eq!((pass.files, pass.bytes, pass.failed), (3, 120, 0));
        assert_eq!(pass.elapsed.as_micros(), 1500);
        assert!(parse_report("files 3\n", Path::new("x")).is_err());
    }
}
