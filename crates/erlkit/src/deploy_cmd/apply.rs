//! `erlkit deploy apply`: a plan loaded on running nodes (the canary, then
//! the others `--parallel` at a time), with the failure policy and the
//! journal; prints each node's steps as it is done.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::Context;
use deploy::{
    ApplyOptions, Binaries, Journal, NodeReport, NodeState, OnFailure, Rollout, RolloutOptions,
};
use serde::Serialize;

use super::plan_file::{read_cookie, read_plan};
use crate::cli::{DeployApplyArgs, OnFailureArg};

/// One node's report, as `--json` prints it.
#[derive(Serialize)]
struct JsonReport<'a> {
    node: &'a str,
    canary: bool,
    state: NodeState,
    steps: &'a [String],
    error: Option<&'a str>,
}

pub(super) fn run(args: &DeployApplyArgs) -> anyhow::Result<u8> {
    for (index, node) in args.nodes.iter().enumerate() {
        if args.nodes[..index].contains(node) {
            anyhow::bail!("{node} is listed twice in --nodes");
        }
    }
    let modules = read_plan(&args.plan)?;
    let on_failure = match args.on_failure {
        OnFailureArg::Rollback => OnFailure::Rollback,
        OnFailureArg::Halt => OnFailure::Halt,
    };
    let binaries = Binaries::read(&modules, on_failure == OnFailure::Rollback)
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let cookie = read_cookie(args.cookie_file.as_deref())?;
    let plan_bytes = std::fs::read(&args.plan)
        .with_context(|| format!("reading the plan {}", args.plan.display()))?;
    let journal_path = args.journal.clone().unwrap_or_else(|| {
        let mut name = args.plan.clone().into_os_string();
        name.push(".journal");
        PathBuf::from(name)
    });
    let mut journal = None;
    if !args.dry_run {
        let (opened, resumed) = Journal::open(&journal_path, &plan_bytes, &args.nodes)?;
        if resumed && !args.json {
            println!("resuming from the journal {}:", journal_path.display());
            for node in &args.nodes {
                println!("  {node}: {}", opened.state(node).describe());
            }
        }
        journal = Some(opened);
    }
    let rollout = Rollout {
        nodes: &args.nodes,
        cookie: &cookie,
        modules: &modules,
        binaries: &binaries,
        options: RolloutOptions {
            apply: ApplyOptions {
                brutal_purge: args.brutal_purge,
                call_timeout_ms: args.timeout_ms,
            },
            timeout: Duration::from_millis(args.timeout_ms),
            on_failure,
            parallel: usize::from(args.parallel),
            dry_run: args.dry_run,
        },
    };
    let json = args.json;
    // A node's report comes again when it is rolled back after another
    // node failed: only its new steps are printed then.
    let printed: Mutex<HashMap<String, usize>> = Mutex::new(HashMap::new());
    let print = move |report: &NodeReport| {
        if !json {
            let mut printed = printed.lock().unwrap_or_else(|e| e.into_inner());
            let shown = printed.entry(report.node.clone()).or_default();
            print_report(report, *shown);
            *shown = report.steps.len();
        }
    };
    let reports = rollout.run(journal.as_mut(), &print)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let shown: Vec<JsonReport> = reports
            .iter()
            .map(|report| JsonReport {
                node: &report.node,
                canary: report.canary,
                state: report.state,
                steps: &report.steps,
                error: report.error.as_deref(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "nodes": shown }))?;
        writeln!(out)?;
    } else {
        for report in reports.iter().filter(|r| r.state == NodeState::Pending) {
            writeln!(out, "{}: untouched", report.node)?;
        }
        if let Some(journal) = &journal {
            writeln!(out, "journal: {}", journal.path().display())?;
        }
    }
    let wanted = if args.dry_run {
        NodeState::Prepared
    } else {
        NodeState::Committed
    };
    Ok(u8::from(
        reports.iter().any(|report| report.state != wanted),
    ))
}

/// Prints a node's report in one write: nodes done in parallel do not
/// mix their lines.
fn print_report(report: &NodeReport, skipped: usize) {
    let role = if report.canary { " (canary)" } else { "" };
    let mut text = format!("{}{role}: {}", report.node, report.state.describe());
    if let Some(error) = &report.error {
        text.push_str(&format!(": {error}"));
    }
    for step in &report.steps[skipped.min(report.steps.len())..] {
        text.push_str(&format!("\n  {step}"));
    }
    println!("{text}");
}
