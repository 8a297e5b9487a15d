//! What `deploy status` and `deploy apply` read: a plan file written by
//! `deploy diff --out`, and the cookie.

use std::path::{Path, PathBuf};

use anyhow::Context;
use deploy::PlannedModule;

/// The modules of a plan file.
pub(super) fn read_plan(path: &Path) -> anyhow::Result<Vec<PlannedModule>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the plan {}", path.display()))?;
    let plan: serde_json::Value = serde_json::from_str(&text).with_context(|| {
        format!(
            "{} is not a plan (JSON from deploy diff --out)",
            path.display()
        )
    })?;
    let steps = plan["plan"]["steps"]
        .as_array()
        .with_context(|| format!("{} has no plan.steps", path.display()))?;
    let text_of = |value: &serde_json::Value| value.as_str().map(str::to_owned);
    steps
        .iter()
        .map(|step| {
            Ok(PlannedModule {
                module: text_of(&step["module"]).context("a step without a module")?,
                code_change: step["action"] == "update_code_change"
                    || step["action"] == "update_supervisor",
                loads_alone: step["loads_alone"] == true,
                old_md5: text_of(&step["old_md5"]),
                new_md5: text_of(&step["new_md5"]),
                path: text_of(&step["path"]),
                old_path: text_of(&step["old_path"]),
            })
        })
        .collect()
}

/// The cookie of `file`, else of `~/.erlang.cookie`.
pub(super) fn read_cookie(file: Option<&Path>) -> anyhow::Result<String> {
    let path: PathBuf = match file {
        Some(file) => file.to_path_buf(),
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .context("no --cookie-file and no HOME for ~/.erlang.cookie")?
            .join(".erlang.cookie"),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the cookie file {}", path.display()))?;
    let cookie = text.trim().to_owned();
    if cookie.is_empty() {
        anyhow::bail!("the cookie file {} is empty", path.display());
    }
    Ok(cookie)
}
