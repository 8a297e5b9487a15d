//! OTP's judgement of `corpus fmt`: runs xtask/erlang/fmt_oracle.erl once over all (original, formatted) pairs.

use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

/// Where an original and its formatted file first differ.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct Difference {
    /// The 1-based form (epp_dodger forms) or token (erl_scan fallback).
    pub(crate) index: usize,
    pub(crate) original_line: u32,
    pub(crate) formatted_line: u32,
    /// The smallest differing piece on each side, as one line of Erlang.
    pub(crate) original: String,
    pub(crate) formatted: String,
}

/// What the helper found for one pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Semantics {
    /// The same epp_dodger forms (this many).
    Same { forms: usize },
    /// epp_dodger gave up on some form; the same erl_scan tokens (this many).
    FallbackSame { tokens: usize, reason: String },
    Differs {
        forms: usize,
        difference: Difference,
    },
    FallbackDiffers {
        tokens: usize,
        reason: String,
        difference: Difference,
    },
    /// A file could not be read.
    Error(String),
}

impl Semantics {
    pub(crate) fn is_same(&self) -> bool {
        matches!(
            self,
            Semantics::Same { .. } | Semantics::FallbackSame { .. }
        )
    }
}

/// One line of the helper's output.
#[derive(Deserialize)]
struct PairLine {
    file: String,
    outcome: String,
    #[serde(default)]
    forms: usize,
    #[serde(default)]
    tokens: usize,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    difference: Option<Difference>,
    #[serde(default)]
    error: String,
}

/// Compares each (original, formatted) pair through the helper, one `erl` for
/// all pairs; the results are in the order of `pairs`.
pub(crate) fn compare(pairs: &[(&Path, &Path)]) -> anyhow::Result<Vec<Semantics>> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let mut input = String::new();
    for (original, formatted) in pairs {
        for path in [original, formatted] {
            let text = path
                .to_str()
                .with_context(|| format!("non-UTF-8 path {}", path.display()))?;
            if text.contains(['\t', '\n', '\r']) {
                bail!("a tab or line break in the path {text:?}");
            }
        }
        input.push_str(&format!(
            "{}\t{}\n",
            original.display(),
            formatted.display()
        ));
    }
    let stdout = crate::corpus::erlang_helper::run("fmt_oracle.erl", &input)?;
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() != pairs.len() {
        bail!(
            "the fmt_oracle helper answered {} lines for {} pairs",
            lines.len(),
            pairs.len()
        );
    }
    lines
        .iter()
        .zip(pairs)
        .map(|(line, (original, _))| {
            let parsed: PairLine = serde_json::from_str(line)
                .with_context(|| format!("bad line from the helper: {}", truncate(line)))?;
            if Path::new(&parsed.file) != *original {
                bail!(
                    "the helper answered about {} where {} was expected",
                    parsed.file,
                    original.display()
                );
            }
            to_semantics(parsed)
        })
        .collect()
}

fn to_semantics(line: PairLine) -> anyhow::Result<Semantics> {
    let difference = || {
        line.difference
            .clone()
            .with_context(|| format!("no difference given for {}", line.file))
    };
    Ok(match line.outcome.as_str() {
        "same" => Semantics::Same { forms: line.forms },
        "fallback-same" => Semantics::FallbackSame {
            tokens: line.tokens,
            reason: line.reason,
        },
        "differs" => Semantics::Differs {
            forms: line.forms,
            difference: difference()?,
        },
        "fallback-differs" => Semantics::FallbackDiffers {
            tokens: line.tokens,
            difference: difference()?,
            reason: line.reason,
        },
        "error" => Semantics::Error(line.error),
        other => bail!("unknown outcome {other:?} for {}", line.file),
    })
}

fn truncate(line: &str) -> &str {
    match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}
