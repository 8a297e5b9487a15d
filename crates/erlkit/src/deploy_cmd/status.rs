//! `erlkit deploy status`: which version of each module of a plan each node
//! has loaded. Read only.

use std::io::Write;
use std::time::Duration;

use deploy::{Connection, LoadedState, PlannedModule, loaded_hashes, state_of};
use serde::Serialize;

use super::plan_file::{read_cookie, read_plan};
use crate::cli::DeployStatusArgs;

/// One node's answer.
#[derive(Serialize)]
struct NodeStatus {
    node: String,
    /// `None` when the node could not be asked.
    error: Option<String>,
    otp_release: Option<String>,
    modules: Vec<ModuleStatus>,
}

#[derive(Serialize)]
struct ModuleStatus {
    module: String,
    state: LoadedState,
    md5: Option<String>,
}

pub(super) fn run(args: &DeployStatusArgs) -> anyhow::Result<u8> {
    let planned = match &args.plan {
        Some(path) => read_plan(path)?,
        None => Vec::new(),
    };
    let cookie = read_cookie(args.cookie_file.as_deref())?;
    let timeout = Duration::from_millis(args.timeout_ms);
    let statuses: Vec<NodeStatus> = args
        .nodes
        .iter()
        .map(|node| match node_status(node, &cookie, timeout, &planned) {
            Ok(status) => status,
            Err(error) => NodeStatus {
                node: node.clone(),
                error: Some(error.to_string()),
                otp_release: None,
                modules: Vec::new(),
            },
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "nodes": statuses }))?;
        writeln!(out)?;
    } else {
        for status in &statuses {
            print_node(&mut out, status, args.plan.is_some())?;
        }
    }
    Ok(if statuses.iter().any(|status| status.error.is_some()) {
        1
    } else {
        0
    })
}

fn node_status(
    node: &str,
    cookie: &str,
    timeout: Duration,
    planned: &[PlannedModule],
) -> Result<NodeStatus, deploy::ApplyError> {
    let mut connection = Connection::open(node, cookie, timeout)?;
    let release = connection.call(
        "erlang",
        "system_info",
        vec![eetf::Term::from(eetf::Atom::from("otp_release"))],
    )?;
    let otp_release = match release {
        eetf::Term::ByteList(bytes) => String::from_utf8(bytes.bytes).ok(),
        other => Some(other.to_string()),
    };
    let names: Vec<&str> = planned.iter().map(|m| m.module.as_str()).collect();
    let hashes = loaded_hashes(&mut connection, &names)?;
    let modules = planned
        .iter()
        .zip(hashes)
        .map(|(module, md5)| ModuleStatus {
            module: module.module.clone(),
            state: state_of(
                md5.as_deref(),
                module.old_md5.as_deref(),
                module.new_md5.as_deref(),
            ),
            md5,
        })
        .collect();
    Ok(NodeStatus {
        node: node.to_owned(),
        error: None,
        otp_release,
        modules,
    })
}

fn print_node(out: &mut impl Write, status: &NodeStatus, with_plan: bool) -> anyhow::Result<()> {
    if let Some(error) = &status.error {
        writeln!(out, "{}: unknown: {error}", status.node)?;
        return Ok(());
    }
    let release = status.otp_release.as_deref().unwrap_or("?");
    if !with_plan {
        writeln!(out, "{} (OTP {release}): answering", status.node)?;
        return Ok(());
    }
    let count = |state: LoadedState| status.modules.iter().filter(|m| m.state == state).count();
    writeln!(
        out,
        "{} (OTP {release}): {} at OLD, {} at NEW, {} other, {} not loaded",
        status.node,
        count(LoadedState::Old),
        count(LoadedState::New),
        count(LoadedState::Other),
        count(LoadedState::NotLoaded),
    )?;
    for module in &status.modules {
        let state = match module.state {
            LoadedState::Old => "OLD",
            LoadedState::New => "NEW",
            LoadedState::Other => "other (neither OLD nor NEW: the node drifted)",
            LoadedState::NotLoaded => "not loaded",
        };
        writeln!(out, "  {:<24} {state}", module.module)?;
    }
    Ok(())
}
