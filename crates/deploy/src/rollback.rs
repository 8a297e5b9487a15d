//! Taking a node back to OLD after a failure: the migrated processes get
//! `code_change({down, Vsn}, ...)` while NEW's code is still current (only
//! it knows NEW's state), then OLD's binaries are loaded again after a soft
//! purge and added modules are deleted. When a process still runs OLD's
//! code, the purge would kill it: the rollback stops before changing
//! anything.

use eetf::Term;

use crate::apply::{
    ApplyError, ApplyOptions, Binaries, PlannedModule, Purge, Side, in_old_code, loaded_hashes,
    processes_running, suspended, swap_code, verify,
};
use crate::eval::{atom, tuple};
use crate::ops::{Op, OpsOutcome, run_ops};
use crate::remote::Connection;

/// Takes the node back to OLD. `migrated` are the processes whose state
/// the commit changed; `None` (a node whose commit finished) finds them
/// again. Gives the operations run.
pub fn rollback(
    connection: &mut Connection,
    modules: &[PlannedModule],
    binaries: &Binaries,
    migrated: Option<&[(Term, String)]>,
    options: ApplyOptions,
) -> Result<Vec<Op>, ApplyError> {
    let names: Vec<&str> = modules.iter().map(|m| m.module.as_str()).collect();
    let hashes = loaded_hashes(connection, &names)?;
    // The modules not at OLD any more.
    let back: Vec<&PlannedModule> = modules
        .iter()
        .zip(&hashes)
        .filter(|(module, loaded)| **loaded != module.old_md5)
        .map(|(module, _)| module)
        .collect();
    if back.is_empty() {
        return Ok(Vec::new());
    }
    let reloading: Vec<&str> = back
        .iter()
        .filter(|m| m.old_md5.is_some())
        .map(|m| m.module.as_str())
        .collect();
    let lingering = in_old_code(connection, &reloading)?;
    if !lingering.is_empty() {
        let named: Vec<String> = lingering
            .iter()
            .map(|(module, pids)| {
                let pids: Vec<String> = pids.iter().map(ToString::to_string).collect();
                format!("{module} ({})", pids.join(", "))
            })
            .collect();
        return Err(ApplyError::Failed(format!(
            "the rollback stopped before changing anything: processes still run OLD's code, \
             and the purge that reloading OLD needs would kill them: {}",
            named.join("; ")
        )));
    }
    let migrated: Vec<(Term, String)> = match migrated {
        Some(pairs) => pairs.to_vec(),
        None => {
            let migrating: Vec<&str> = back
                .iter()
                .filter(|m| m.code_change && m.old_md5.is_some() && m.new_md5.is_some())
                .map(|m| m.module.as_str())
                .collect();
            processes_running(connection, &migrating, options)?
        }
    };
    let ops = rollback_ops(&back, binaries, &migrated)?;
    match run_ops(connection, &ops, options.call_timeout_ms)? {
        OpsOutcome::Done => {}
        OpsOutcome::Failed { index, reason } => {
            return Err(ApplyError::Failed(format!(
                "the rollback's step `{}` failed: {reason}",
                ops[index]
            )));
        }
    }
    let wrong = verify(connection, modules, Side::Old)?;
    if !wrong.is_empty() {
        return Err(ApplyError::Failed(format!(
            "after the rollback, not at OLD: {}",
            wrong.join(", ")
        )));
    }
    Ok(ops)
}

fn rollback_ops(
    back: &[&PlannedModule],
    binaries: &Binaries,
    migrated: &[(Term, String)],
) -> Result<Vec<Op>, ApplyError> {
    let old_code = |module: &PlannedModule| {
        binaries.old.get(&module.module).cloned().ok_or_else(|| {
            ApplyError::Failed(format!(
                "{}: OLD's binary was not read, so it cannot be rolled back",
                module.module
            ))
        })
    };
    // Downgrading, the current (NEW) code turns the state back, before
    // OLD's code is loaded.
    let change: Vec<Op> = migrated
        .iter()
        .map(|(pid, module)| Op::ChangeCode {
            pid: pid.clone(),
            module: module.clone(),
            from: tuple(vec![
                atom("down"),
                binaries
                    .old_vsn
                    .get(module)
                    .cloned()
                    .unwrap_or_else(|| atom("undefined")),
            ]),
        })
        .collect();
    let swap = swap_code(back, |m| m.old_md5.is_some(), old_code, Purge::Soft)?;
    Ok(suspended(migrated, [change, swap].concat()))
}
