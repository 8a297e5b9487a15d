//! OTP's side of the form comparison: runs xtask/erlang/forms_oracle.erl once over all files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

/// Runs `epp_dodger` (through the helper, one `erl` for all files) over `files`.
pub(crate) fn run(files: &[PathBuf]) -> anyhow::Result<OracleForms> {
    let mut input = String::new();
    for file in files {
        let text = file
            .to_str()
            .with_context(|| format!("non-UTF-8 path {}", file.display()))?;
        input.push_str(text);
        input.push('\n');
    }
    let stdout = super::erlang_helper::run("forms_oracle.erl", &input)?;
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
