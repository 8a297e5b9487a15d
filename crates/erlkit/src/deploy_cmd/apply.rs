//! `erlkit deploy apply`: a plan loaded on running nodes, one after the
//! other, stopping at the first that is refused or fails.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use deploy::{Connection, PlannedModule, apply_node};

use super::status::read_cookie;
use crate::cli::DeployApplyArgs;

pub(super) fn run(args: &DeployApplyArgs) -> anyhow::Result<u8> {
    let modules = read_plan(&args.plan)?;
    let cookie = read_cookie(args.cookie_file.as_deref())?;
    let timeout = Duration::from_millis(args.timeout_ms);
    for (index, node) in args.nodes.iter().enumerate() {
        let role = if index == 0 { " (canary)" } else { "" };
        let result = Connection::open(node, &cookie, timeout)
            .map_err(deploy::ApplyError::from)
            .and_then(|mut connection| apply_node(&mut connection, &modules, args.dry_run));
        match result {
            Ok(steps) => {
                let state = if args.dry_run {
                    "preflight passed (dry run)"
                } else {
                    "at NEW"
                };
                println!("{node}{role}: {state}");
                for step in steps {
                    println!("  {step}");
                }
            }
            Err(error) => {
                let state = match &error {
                    deploy::ApplyError::Refused(_) => "refused by the preflight, unchanged",
                    deploy::ApplyError::Remote(_) => "unknown (no answer)",
                    deploy::ApplyError::Failed(_) => "failed during the commit",
                };
                println!("{node}{role}: {state}: {error}");
                for untouched in &args.nodes[index + 1..] {
                    println!("{untouched}: untouched");
                }
                return Ok(1);
            }
        }
    }
    Ok(0)
}

/// The modules of a plan file.
fn read_plan(path: &Path) -> anyhow::Result<Vec<PlannedModule>> {
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
                code_change: step["action"] == "update_code_change",
                loads_alone: step["loads_alone"] == true,
                old_md5: text_of(&step["old_md5"]),
                new_md5: text_of(&step["new_md5"]),
                path: text_of(&step["path"]),
            })
        })
        .collect()
}
