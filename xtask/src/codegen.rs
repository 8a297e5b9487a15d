//! Generates `SyntaxKind` and the typed AST of `crates/syntax` from `erlang.ungram`.

mod ast_src;
mod gen_kinds;
mod gen_nodes;
mod kinds_src;
pub(crate) mod otp_tables;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

use crate::project_root;

/// Writes the generated files, or with `check` only reports those that are stale.
pub(crate) fn run(check: bool, otp: bool) -> anyhow::Result<()> {
    let files = if otp {
        generate_otp_tables()?
    } else {
        generate()?
    };
    let stale = stale_files(&files)?;
    if stale.is_empty() {
        eprintln!("codegen: generated files are up to date");
        return Ok(());
    }
    if check {
        let names: Vec<String> = stale.iter().map(|p| display(p)).collect();
        bail!(
            "generated files are stale: {}; run `cargo xtask codegen`",
            names.join(", ")
        );
    }
    for (path, text) in &files {
        if stale.contains(path) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("codegen: wrote {}", display(path));
        }
    }
    Ok(())
}

/// Every generated file: its path and its formatted text.
fn generate() -> anyhow::Result<Vec<(PathBuf, String)>> {
    let root = project_root();
    let grammar_path = root.join("crates/syntax/erlang.ungram");
    let grammar = std::fs::read_to_string(&grammar_path)
        .with_context(|| format!("reading {}", grammar_path.display()))?;
    let src = ast_src::lower(&grammar)?;
    let generated = root.join("crates/syntax/src/generated");
    let files = [
        (generated.join("mod.rs"), gen_nodes::generate_mod()),
        (generated.join("kinds.rs"), gen_kinds::generate(&src)),
        (generated.join("nodes.rs"), gen_nodes::generate(&src)?),
    ];
    files
        .into_iter()
        .map(|(path, text)| {
            let dir = path
                .parent()
                .context("a generated file has a directory")?
                .to_path_buf();
            Ok((path, reformat(&text, &dir)?))
        })
        .collect()
}

/// The OTP tables of the linter, from the installed OTP's sources.
pub(crate) fn generate_otp_tables() -> anyhow::Result<Vec<(PathBuf, String)>> {
    let path = otp_tables::path();
    let text = otp_tables::generate(&crate::otp::root()?)?;
    let dir = path
        .parent()
        .context("a generated file has a directory")?
        .to_path_buf();
    Ok(vec![(path, reformat(&text, &dir)?)])
}

/// The paths whose text on disk differs from the generated text.
pub(crate) fn stale_files(files: &[(PathBuf, String)]) -> anyhow::Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for (path, text) in files {
        let on_disk = match std::fs::read_to_string(path) {
            Ok(on_disk) => Some(on_disk),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        // Compare modulo line endings, so a CRLF checkout is not "stale".
        if on_disk.map(|t| t.replace("\r\n", "\n")).as_deref() != Some(text.as_str()) {
            stale.push(path.clone());
        }
    }
    Ok(stale)
}

/// Formats Rust source as `cargo fmt` would format a file in `dir` (rustfmt looks for its
/// configuration from the current directory up).
fn reformat(text: &str, dir: &Path) -> anyhow::Result<String> {
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2024", "--emit", "stdout"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running rustfmt (install it with `rustup component add rustfmt`)")?;
    let mut stdin = child.stdin.take().context("rustfmt's stdin")?;
    let input = text.to_string();
    // Write on another thread so a full stdout pipe cannot deadlock us.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().context("waiting for rustfmt")?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writing to rustfmt panicked"))??;
    if !output.status.success() {
        bail!(
            "rustfmt failed on generated code:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8(output.stdout).context("rustfmt printed invalid UTF-8")
}

fn display(path: &Path) -> String {
    path.strip_prefix(project_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    /// Fails when `crates/syntax/src/generated/` does not match `erlang.ungram`.
    #[test]
    fn generated_code_is_up_to_date() {
        let files = super::generate().expect("generating code");
        let stale = super::stale_files(&files).expect("reading generated files");
        let names: Vec<String> = stale.iter().map(|p| super::display(p)).collect();
        assert!(
            stale.is_empty(),
            "generated files are stale: {}; run `cargo xtask codegen`",
            names.join(", ")
        );
    }
}
