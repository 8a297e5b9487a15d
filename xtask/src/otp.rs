//! Finding the OTP installation that judges erlkit, and installing it when missing.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

/// OTP's root directory, asked of `erl` itself (never a hard-coded path).
pub(crate) fn root() -> anyhow::Result<PathBuf> {
    let output = Command::new("erl")
        .args([
            "-noshell",
            "-eval",
            "io:format(\"~s\",[code:root_dir()]),halt().",
        ])
        .output()
        .context("running `erl` (is OTP installed? `cargo xtask test` installs it)")?;
    if !output.status.success() {
        bail!("`erl` failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let root = PathBuf::from(String::from_utf8(output.stdout)?.trim());
    if !root.join("lib").is_dir() {
        bail!("OTP root {} has no lib/ directory", root.display());
    }
    Ok(root)
}

/// Whether `erl` is on PATH.
pub(crate) fn is_installed() -> bool {
    Command::new("erl")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Installs OTP and its sources from Debian's packages (needs root and apt-get).
pub(crate) fn install() -> anyhow::Result<()> {
    eprintln!(
        "xtask: OTP not found; installing erlang-nox erlang-src erlang-dialyzer with apt-get"
    );
    let status = Command::new("apt-get")
        .arg("update")
        .status()
        .context("running apt-get update")?;
    if !status.success() {
        bail!("apt-get update failed");
    }
    let status = Command::new("apt-get")
        .args([
            "install",
            "-y",
            "erlang-nox",
            "erlang-src",
            "erlang-dialyzer",
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()
        .context("running apt-get install")?;
    if !status.success() {
        bail!("apt-get install of OTP failed");
    }
    Ok(())
}

/// Every `.erl` and `.hrl` file under OTP's `lib/`, sorted.
pub(crate) fn source_files(root: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = vec![root.join("lib")];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("erl" | "hrl")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
