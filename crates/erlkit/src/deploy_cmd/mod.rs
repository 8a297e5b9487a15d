//! `erlkit deploy diff`: two builds compared and the plan printed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use deploy::{Build, BuildDiff, ModuleChange, Plan};

use crate::cli::{DeployCommand, DeployDiffArgs};

mod apply;
mod plan_file;
mod source_diff;
mod status;

pub(crate) fn run(command: &DeployCommand) -> anyhow::Result<u8> {
    match command {
        DeployCommand::Diff(args) => diff(args),
        DeployCommand::Status(args) => status::run(args),
        DeployCommand::Apply(args) => apply::run(args),
    }
}

fn diff(args: &DeployDiffArgs) -> anyhow::Result<u8> {
    if args.src {
        return source_diff::run(args);
    }
    let (old_paths, new_paths) = (
        paths_of(args.old.as_deref().unwrap_or_default()),
        paths_of(args.new.as_deref().unwrap_or_default()),
    );
    let old = Build::scan(&old_paths).context("reading OLD")?;
    let new = Build::scan(&new_paths).context("reading NEW")?;
    let diff = BuildDiff::new(&old, &new);
    let plan = Plan::new(&old, &new, &diff);
    let report = serde_json::json!({
        "version": 1,
        "old": paths(&old_paths),
        "new": paths(&new_paths),
        "modules": { "old": old.modules.len(), "new": new.modules.len() },
        "diff": diff,
        "plan": plan,
    });
    if let Some(path) = &args.out {
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        write_atomically(path, text.as_bytes())
            .with_context(|| format!("writing the plan to {}", path.display()))?;
    }
    if let Some(dir) = &args.appup {
        let appups = deploy::appups(&old, &new, &plan)?;
        let written = deploy::write_appups(dir, &appups)?;
        for path in written {
            eprintln!("erlkit: wrote {}", path.display());
        }
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_human(&mut out, &old, &new, &diff, &plan)?;
    }
    Ok(if plan.risks.is_empty() { 0 } else { 1 })
}

/// Writes `bytes` to a temporary file beside `path`, then renames it.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_owned());
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// The paths of a comma-separated list.
fn paths_of(list: &str) -> Vec<PathBuf> {
    list.split(',')
        .filter(|part| !part.is_empty())
        .map(PathBuf::from)
        .collect()
}

fn paths(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|path| path.display().to_string())
        .collect()
}

fn print_human(
    out: &mut impl Write,
    old: &Build,
    new: &Build,
    diff: &BuildDiff,
    plan: &Plan,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} modules in OLD, {} in NEW: {} changed, {} added, {} removed, {} changed in metadata only, {} unchanged",
        old.modules.len(),
        new.modules.len(),
        diff.count(ModuleChange::Changed),
        diff.count(ModuleChange::Added),
        diff.count(ModuleChange::Removed),
        diff.count(ModuleChange::MetadataOnly),
        diff.unchanged,
    )?;
    let metadata: Vec<&str> = diff
        .modules
        .iter()
        .filter(|(_, change)| *change == ModuleChange::MetadataOnly)
        .map(|(name, _)| name.as_str())
        .collect();
    if !metadata.is_empty() {
        writeln!(
            out,
            "\nmetadata only (same module hash, nothing to load): {}",
            metadata.join(", ")
        )?;
    }
    if plan.steps.is_empty() {
        writeln!(out, "\nnothing to load")?;
    } else {
        writeln!(out, "\nload order:")?;
        let width = plan
            .steps
            .iter()
            .map(|step| step.module.len())
            .max()
            .unwrap_or(0);
        for (index, step) in plan.steps.iter().enumerate() {
            let cycle = plan
                .steps
                .iter()
                .filter(|other| other.group == step.group)
                .count()
                > 1;
            writeln!(
                out,
                "  {:>3}. {:<width$}  {}{}{}{}",
                index + 1,
                step.module,
                step.action.appup(&step.module),
                if step.loads_alone {
                    "  (alone, after the others: on_load)"
                } else {
                    ""
                },
                step.app
                    .as_ref()
                    .map(|app| format!("  ({app})"))
                    .unwrap_or_default(),
                if cycle {
                    format!("  [cycle {}]", step.group + 1)
                } else {
                    String::new()
                },
            )?;
        }
    }
    if !plan.risks.is_empty() {
        writeln!(out, "\nrisks:")?;
        for risk in &plan.risks {
            let kind = serde_json::to_value(risk.kind)?;
            writeln!(
                out,
                "  {}: {}: {}",
                risk.module,
                kind.as_str().unwrap_or("risk"),
                risk.message
            )?;
        }
    }
    Ok(())
}
