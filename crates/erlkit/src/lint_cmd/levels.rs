//! The levels that `[lint.levels]` in erlkit.toml gives codes: each code's
//! findings become errors or warnings, or are not reported. They apply before
//! the baseline, the output and the decision to fail.

use std::collections::HashMap;
use std::path::Path;

use ide::{DiagnosticCode, LintDiagnostic, Severity};
use project_model::config::{LintConfig, LintLevel};

use crate::project_load::shown_path;

/// The level of each code the configuration names.
#[derive(Debug, Default)]
pub(crate) struct Levels {
    by_code: HashMap<DiagnosticCode, LintLevel>,
}

impl Levels {
    /// The levels of the erlkit.toml that applies to the project at `root`
    /// (none without one).
    pub(crate) fn load(root: &Path) -> anyhow::Result<Levels> {
        match project_model::config::load_config_for(root) {
            Ok(Some(loaded)) => Levels::resolve(&loaded.path, &loaded.config.lint),
            Ok(None) => Ok(Levels::default()),
            Err(error) => Err(anyhow::anyhow!(crate::project_load::shown_config_error(
                error
            ))),
        }
    }

    /// The codes of `config` (read from the file `path`) resolved: an error,
    /// at the key's line, for a key that is no code or name, or a code set twice.
    pub(crate) fn resolve(path: &Path, config: &LintConfig) -> anyhow::Result<Levels> {
        let mut by_code = HashMap::new();
        let mut lines: HashMap<DiagnosticCode, u32> = HashMap::new();
        for setting in &config.levels {
            let at = format!("{}:{}", shown_path(path), setting.line);
            let Some(code) = DiagnosticCode::from_code_or_name(&setting.code) else {
                anyhow::bail!(
                    "{at}: `lint.levels.{}`: unknown code {:?}; the codes are {}",
                    setting.code,
                    setting.code,
                    DiagnosticCode::ALL
                        .iter()
                        .map(|code| code.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            };
            if let Some(line) = lines.insert(code, setting.line) {
                anyhow::bail!(
                    "{at}: `lint.levels.{}` sets the level of {code} {} again (line {line} set it)",
                    setting.code,
                    code.name()
                );
            }
            by_code.insert(code, setting.level);
        }
        Ok(Levels { by_code })
    }

    /// The codes that are off unless asked for ([`DiagnosticCode::is_opt_in`])
    /// and that `[lint.levels]` turns on.
    pub(crate) fn opted_in(&self) -> Vec<DiagnosticCode> {
        let mut codes: Vec<DiagnosticCode> = self
            .by_code
            .iter()
            .filter(|(code, level)| code.is_opt_in() && **level != LintLevel::Off)
            .map(|(code, _)| *code)
            .collect();
        codes.sort();
        codes
    }

    /// `findings` with their levels: those switched off removed, the others
    /// with the severity set.
    pub(crate) fn apply(&self, mut findings: Vec<LintDiagnostic>) -> Vec<LintDiagnostic> {
        if self.by_code.is_empty() {
            return findings;
        }
        findings.retain_mut(|finding| match self.by_code.get(&finding.code) {
            None => true,
            Some(LintLevel::Off) => false,
            Some(LintLevel::Error) => {
                finding.severity = Severity::Error;
                true
            }
            Some(LintLevel::Warning) => {
                finding.severity = Severity::Warning;
                true
            }
        });
        findings
    }
}
