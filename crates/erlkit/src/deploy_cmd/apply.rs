//! `erlkit deploy apply`: a plan loaded on running nodes, one after the
//! other, stopping at the first that is refused or fails.

use std::time::Duration;

use deploy::{Connection, apply_node};

use super::plan_file::{read_cookie, read_plan};
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
