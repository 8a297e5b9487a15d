//! OTP's side of the form comparison: runs xtask/erlang/forms_oracle.erl once over all files.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use serde::Deserialize;

use super::forms::{Form, FormKind};

/// One line of the helper's output.
#[derive(Deserialize)]
struct FileLine {
    file: String,
    #[serde(default)]
    forms: Option<Vec<FormLine>>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct FormLine {
    kind: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arity: Option<usize>,
    line: u32,
}

/// `epp_dodger`'s forms per file, or why it could not read the file.
pub(crate) type OracleForms = HashMap<PathBuf, Result<Vec<Form>, String>>;

/// Boots the helper from source (compiled in memory) and runs it; crashes end
/// `erl` with status 2 rather than leaving a crash dump.
const BOOT: &str = r#"try
    {ok, M, B} = compile:file(os:getenv("ERLKIT_FORMS_ORACLE"), [binary, report]),
    {module, M} = code:load_binary(M, "forms_oracle.erl", B),
    M:main(),
    halt(0)
catch C:R:S ->
    io:format(standard_error, "forms_oracle failed: ~p~n", [{C, R, S}]),
    halt(2)
end."#;

/// The helper's source.
pub(crate) fn helper_path() -> PathBuf {
    crate::project_root().join("xtask/erlang/forms_oracle.erl")
}

/// Runs `epp_dodger` (through the helper, one `erl` for all files) over `files`.
pub(crate) fn run(files: &[PathBuf]) -> anyhow::Result<OracleForms> {
    let helper = helper_path();
    let mut input = String::new();
    for file in files {
        let text = file
            .to_str()
            .with_context(|| format!("non-UTF-8 path {}", file.display()))?;
        input.push_str(text);
        input.push('\n');
    }
    let mut child = Command::new("erl")
        .args(["-noshell", "-eval", BOOT])
        .env("ERLKIT_FORMS_ORACLE", &helper)
        .env("ERL_CRASH_DUMP_SECONDS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting `erl` for the epp_dodger helper")?;
    // The helper reads all of stdin before it writes anything.
    let mut stdin = child.stdin.take().context("erl's stdin")?;
    stdin
        .write_all(input.as_bytes())
        .context("writing file names to the helper")?;
    drop(stdin);
    let output = child
        .wait_with_output()
        .context("waiting for the epp_dodger helper")?;
    if !output.status.success() {
        bail!(
            "the epp_dodger helper {} failed with {}",
            helper.display(),
            output.status
        );
    }
    let stdout = String::from_utf8(output.stdout).context("the helper's output is not UTF-8")?;
    let mut result = OracleForms::new();
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let parsed: FileLine = serde_json::from_str(line)
            .with_context(|| format!("bad line from the helper: {}", truncate(line)))?;
        let forms = match (parsed.forms, parsed.error) {
            (Some(forms), _) => Ok(forms.into_iter().map(to_form).collect()),
            (None, Some(error)) => Err(error),
            (None, None) => Err("the helper gave neither forms nor an error".to_owned()),
        };
        result.insert(PathBuf::from(parsed.file), forms);
    }
    if let Some(missing) = files.iter().find(|f| !result.contains_key(f.as_path())) {
        bail!(
            "the epp_dodger helper said nothing about {}",
            missing.display()
        );
    }
    Ok(result)
}

fn to_form(line: FormLine) -> Form {
    let name = line.name.unwrap_or_default();
    let kind = match line.kind.as_str() {
        "function" => FormKind::Function {
            name,
            arity: line.arity.unwrap_or(0),
        },
        "attribute" => FormKind::Attribute { name },
        "error" => FormKind::Error,
        "other" => FormKind::Other {
            kind: format!("epp_dodger {name}"),
        },
        other => FormKind::Other {
            kind: format!("epp_dodger {other}"),
        },
    };
    Form {
        kind,
        line: line.line,
    }
}

fn truncate(line: &str) -> &str {
    match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

/// Whether `path`'s forms are compared with epp_dodger's: modules, as the check
/// requires, and headers too, which epp_dodger reads as well.
pub(crate) fn compares(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "erl" || e == "hrl")
}
