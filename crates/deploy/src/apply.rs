//! Applying a plan to one running node, in phases: preflight (read only),
//! commit, verify, and rollback when the policy asks for it.
//!
//! - Preflight: each module's loaded hash must be OLD's (NEW's means it is
//!   already done, and it is skipped), and no process may run a module's
//!   old code, since the purge would kill it (allowed with
//!   `--brutal-purge`). The processes to migrate are found
//!   ([`crate::discover`]) and the commit written out as operations.
//! - Commit: one request runs the operations on the node ([`crate::ops`]):
//!   suspend the processes, purge, one `code:atomic_load/1` (modules with
//!   `-on_load` after it, alone), `sys:change_code/5`, resume in reverse.
//! - Verify: every module's loaded hash must now be NEW's.
//!
//! The rollback is in [`crate::rollback`]; both build their operations
//! with [`swap_code`] and [`suspended`].

use std::collections::HashMap;
use std::sync::Arc;

use eetf::Term;

use crate::discover::running_processes;
use crate::eval::{atom, elements, eval_with, hex, list};
use crate::ops::{ObjectCode, Op, OpsOutcome, run_ops};
use crate::remote::{Connection, LoadedState, RemoteError, state_of};
use crate::show::show;

/// One module of a plan file, as `apply` needs it.
#[derive(Debug, Clone)]
pub struct PlannedModule {
    pub module: String,
    /// `update` with `code_change`, or `update supervisor`: its processes
    /// are suspended and migrated with `sys:change_code/5`.
    pub code_change: bool,
    pub loads_alone: bool,
    pub old_md5: Option<String>,
    pub new_md5: Option<String>,
    /// NEW's `.beam` file; `None` for a module to delete.
    pub path: Option<String>,
    /// OLD's `.beam` file, which a rollback loads; `None` for an added
    /// module.
    pub old_path: Option<String>,
}

/// Why a node was refused or failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Failed(String),
}

/// How the commit is done.
#[derive(Debug, Clone, Copy)]
pub struct ApplyOptions {
    /// Purge with `code:purge/1`, killing the processes that still run old
    /// code, instead of refusing the node.
    pub brutal_purge: bool,
    /// The timeout of each call made on the node (`sys:suspend/2`,
    /// `sys:change_code/5`, a supervisor's `which_children`).
    pub call_timeout_ms: u64,
}

/// The binaries of a plan, read once and checked against the plan's
/// hashes: a build changed since the plan was made is refused.
#[derive(Debug, Clone, Default)]
pub struct Binaries {
    new: HashMap<String, ObjectCode>,
    pub(crate) old: HashMap<String, ObjectCode>,
    /// OLD's `vsn`, as `code_change({down, Vsn}, ...)` takes it.
    pub(crate) old_vsn: HashMap<String, Term>,
}

impl Binaries {
    /// Reads NEW's files, and OLD's when `with_old` (what a rollback needs).
    pub fn read(modules: &[PlannedModule], with_old: bool) -> Result<Binaries, ApplyError> {
        let mut binaries = Binaries::default();
        for module in modules {
            if let (Some(path), Some(md5)) = (&module.path, &module.new_md5) {
                let (object, _) = read_object(&module.module, path, md5, "NEW")?;
                binaries.new.insert(module.module.clone(), object);
            }
            if !with_old {
                continue;
            }
            match (&module.old_path, &module.old_md5) {
                (Some(path), Some(md5)) => {
                    let (object, vsn) = read_object(&module.module, path, md5, "OLD")?;
                    binaries.old.insert(module.module.clone(), object);
                    binaries.old_vsn.insert(module.module.clone(), vsn);
                }
                (None, Some(_)) => {
                    return Err(ApplyError::Refused(format!(
                        "{}: the plan has no path to OLD's .beam file, so it cannot be rolled \
                         back (make the plan again with this erlkit, or use --on-failure halt)",
                        module.module
                    )));
                }
                _ => {}
            }
        }
        Ok(binaries)
    }
}

/// A `.beam` file whose module hash must be `md5`, and its `vsn`.
fn read_object(
    module: &str,
    path: &str,
    md5: &str,
    side: &str,
) -> Result<(ObjectCode, Term), ApplyError> {
    let bytes = std::fs::read(path).map_err(|error| {
        ApplyError::Refused(format!("{module}: cannot read {side}'s {path}: {error}"))
    })?;
    let beam = beam::BeamFile::parse(bytes.clone())
        .map_err(|error| ApplyError::Refused(format!("{module}: {path}: {error}")))?;
    let found = beam
        .md5_hex()
        .map_err(|error| ApplyError::Refused(format!("{module}: {path}: {error}")))?;
    if found != md5 {
        return Err(ApplyError::Refused(format!(
            "{module}: {path} has the module hash {found}, but the plan says {side}'s is {md5}: \
             the build changed after the plan was made; make the plan again"
        )));
    }
    Ok((
        ObjectCode {
            module: module.to_owned(),
            path: path.to_owned(),
            bytes: Arc::new(bytes),
        },
        vsn_of(&beam),
    ))
}

/// A module's `vsn` as `release_handler` gives it to `code_change`: a
/// string as it is, else the attribute's one element, or its list.
fn vsn_of(beam: &beam::BeamFile) -> Term {
    let attributes = beam.attributes().unwrap_or_default();
    match attributes.into_iter().find(|(key, _)| key == "vsn") {
        Some((_, Term::List(vsn))) if vsn.elements.len() == 1 && !is_string(&vsn.elements) => {
            vsn.elements[0].clone()
        }
        Some((_, vsn)) => vsn,
        None => atom("undefined"),
    }
}

/// Whether `elements` are the characters of a string, as
/// `io_lib:printable_list/1` says.
fn is_string(elements: &[Term]) -> bool {
    elements.iter().all(|element| {
        matches!(element, Term::FixInteger(c) if (32..127).contains(&c.value) || matches!(c.value, 8..=13 | 27))
    })
}

/// What the preflight found on a node.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// Modules already at NEW, skipped.
    pub already: Vec<String>,
    /// The modules to load (or delete).
    pub to_load: Vec<String>,
    /// Processes in old code that `--brutal-purge` will kill.
    pub killed_by_purge: Vec<String>,
    /// Processes executing in a module loaded without `code_change`: after
    /// the load they run its old code until their next fully qualified
    /// call, and the next purge (the next deploy's, or a rollback's) would
    /// kill them.
    pub left_in_old_code: Vec<String>,
    /// The commit, operation by operation.
    pub commit: Vec<Op>,
}

/// A module as loaded on a node.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    md5: String,
    /// Its `vsn`, as `release_handler` gives it to `code_change`.
    vsn: Term,
}

/// Each of `modules` as loaded (`None`: not loaded), in one request.
fn loaded_modules(
    connection: &mut Connection,
    modules: &[&str],
) -> Result<Vec<Option<Loaded>>, ApplyError> {
    let answer = eval_with(
        connection,
        "[case code:is_loaded(M) of \
           false -> false; \
           _ -> {erlang:get_module_info(M, md5), \
                 case lists:keyfind(vsn, 1, erlang:get_module_info(M, attributes)) of \
                   false -> undefined; \
                   {vsn, V} -> case io_lib:printable_list(V) of \
                     true -> V; false -> case V of [T] -> T; _ -> V end end end} \
         end || M <- Ms].",
        vec![("Ms", list(modules.iter().map(|m| atom(m)).collect()))],
    )?;
    let loaded: Vec<Option<Loaded>> = elements(&answer)
        .iter()
        .map(|entry| match entry {
            Term::Tuple(pair) => match pair.elements.as_slice() {
                [md5, vsn] => Some(Loaded {
                    md5: hex(md5)?,
                    vsn: vsn.clone(),
                }),
                _ => None,
            },
            _ => None,
        })
        .collect();
    if loaded.len() != modules.len() {
        return Err(ApplyError::Failed(format!(
            "asking the loaded modules gave {}",
            show(&answer, 400)
        )));
    }
    Ok(loaded)
}

/// The loaded hash (`None`: not loaded) of each of `modules`, in one
/// request.
pub fn loaded_hashes(
    connection: &mut Connection,
    modules: &[&str],
) -> Result<Vec<Option<String>>, ApplyError> {
    Ok(loaded_modules(connection, modules)?
        .into_iter()
        .map(|loaded| loaded.map(|l| l.md5))
        .collect())
}

/// The processes that run old code of each of `modules`, in one request.
pub(crate) fn in_old_code(
    connection: &mut Connection,
    modules: &[&str],
) -> Result<Vec<(String, Vec<Term>)>, ApplyError> {
    // Only modules with old code are asked about: no process can run old
    // code that does not exist.
    let answer = eval_with(
        connection,
        "[{M, [P || P <- erlang:processes(), erlang:check_process_code(P, M)]} \
         || M <- Ms, erlang:check_old_code(M)].",
        vec![("Ms", list(modules.iter().map(|m| atom(m)).collect()))],
    )?;
    Ok(pids_by_module(&answer))
}

/// The processes executing in each of `modules` now (their current
/// function is there), in one request that asks each process once: after
/// the load they run old code until their next fully qualified call.
fn in_current_code(
    connection: &mut Connection,
    modules: &[&str],
) -> Result<Vec<(String, Vec<Term>)>, ApplyError> {
    let answer = eval_with(
        connection,
        "Wanted = maps:from_list([{M, true} || M <- Ms]), \
         Found = [{C, P} || P <- erlang:processes(), \
                  {current_function, {C, _, _}} <- [erlang:process_info(P, current_function)], \
                  maps:is_key(C, Wanted)], \
         [{M, [P || {C, P} <- Found, C =:= M]} || M <- Ms].",
        vec![("Ms", list(modules.iter().map(|m| atom(m)).collect()))],
    )?;
    Ok(pids_by_module(&answer))
}

/// `[{Module, Pids}]` from the node, the modules without a pid left out.
fn pids_by_module(answer: &Term) -> Vec<(String, Vec<Term>)> {
    elements(answer)
        .iter()
        .filter_map(|entry| match entry {
            Term::Tuple(pair) => match pair.elements.as_slice() {
                [Term::Atom(module), pids] if !elements(pids).is_empty() => {
                    Some((module.name.clone(), elements(pids).to_vec()))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Where `module` is, given its loaded hash: already at NEW, or to load
/// (or delete); an error when it drifted.
fn needs_loading(module: &PlannedModule, loaded: Option<&str>) -> Result<bool, ApplyError> {
    if module.new_md5.is_none() {
        // A module to delete: done once it is not loaded.
        return match loaded {
            None => Ok(false),
            Some(hash) if Some(hash) == module.old_md5.as_deref() => Ok(true),
            Some(hash) => Err(drifted(&module.module, hash)),
        };
    }
    match state_of(loaded, module.old_md5.as_deref(), module.new_md5.as_deref()) {
        LoadedState::New => Ok(false),
        LoadedState::Old | LoadedState::NotLoaded => Ok(true),
        LoadedState::Other => Err(drifted(&module.module, loaded.unwrap_or_default())),
    }
}

fn drifted(module: &str, hash: &str) -> ApplyError {
    ApplyError::Refused(format!(
        "{module} has drifted: its loaded hash {hash} is neither OLD's nor NEW's"
    ))
}

/// Preflight, read only: where each module is, the processes in old code,
/// the processes to migrate; gives the commit to run.
pub fn preflight(
    connection: &mut Connection,
    modules: &[PlannedModule],
    binaries: &Binaries,
    options: ApplyOptions,
) -> Result<Prepared, ApplyError> {
    let names: Vec<&str> = modules.iter().map(|m| m.module.as_str()).collect();
    let started = std::time::Instant::now();
    let loaded = loaded_modules(connection, &names)?;
    tracing::debug!(elapsed = ?started.elapsed(), "preflight: loaded hashes");
    let mut prepared = Prepared::default();
    let mut to_load: Vec<&PlannedModule> = Vec::new();
    let mut loaded_vsn: HashMap<&str, Term> = HashMap::new();
    for (module, loaded) in modules.iter().zip(&loaded) {
        if let Some(loaded) = loaded {
            loaded_vsn.insert(&module.module, loaded.vsn.clone());
        }
        if needs_loading(module, loaded.as_ref().map(|l| l.md5.as_str()))? {
            to_load.push(module);
        } else {
            prepared.already.push(module.module.clone());
        }
    }
    if to_load.is_empty() {
        return Ok(prepared);
    }
    let loading: Vec<&str> = to_load.iter().map(|m| m.module.as_str()).collect();
    let in_old = in_old_code(connection, &loading)?;
    for (module, pids) in &in_old {
        let pids: Vec<String> = pids.iter().map(ToString::to_string).collect();
        if !options.brutal_purge {
            return Err(ApplyError::Refused(format!(
                "processes still run the old code of {module}, and would be killed by the \
                 purge: {} (let them finish, or use --brutal-purge)",
                pids.join(", ")
            )));
        }
        prepared
            .killed_by_purge
            .push(format!("{module}: {}", pids.join(", ")));
    }
    let plain: Vec<&str> = to_load
        .iter()
        .filter(|m| !m.code_change && m.path.is_some())
        .map(|m| m.module.as_str())
        .collect();
    // A process already in old code is refused, or killed by
    // --brutal-purge, above.
    let killed: Vec<&Term> = in_old.iter().flat_map(|(_, pids)| pids).collect();
    for (module, pids) in in_current_code(connection, &plain)? {
        let pids: Vec<String> = pids
            .iter()
            .filter(|pid| !killed.contains(pid))
            .map(ToString::to_string)
            .collect();
        if pids.is_empty() {
            continue;
        }
        prepared
            .left_in_old_code
            .push(format!("{module}: {}", pids.join(", ")));
    }
    let migrating: Vec<&str> = to_load
        .iter()
        .filter(|m| m.code_change && m.path.is_some())
        .map(|m| m.module.as_str())
        .collect();
    tracing::debug!(elapsed = ?started.elapsed(), "preflight: processes in old code");
    let migrations = processes_running(connection, &migrating, options)?;
    tracing::debug!(elapsed = ?started.elapsed(), "preflight: processes to migrate");
    prepared.to_load = loading.iter().map(|m| (*m).to_owned()).collect();
    prepared.commit = commit_ops(&to_load, binaries, &loaded_vsn, &migrations, options)?;
    Ok(prepared)
}

/// `(pid, module)` for each process that runs one of `modules`, in the
/// order found.
pub(crate) fn processes_running(
    connection: &mut Connection,
    modules: &[&str],
    options: ApplyOptions,
) -> Result<Vec<(Term, String)>, ApplyError> {
    if modules.is_empty() {
        return Ok(Vec::new());
    }
    let mut pairs = Vec::new();
    for process in running_processes(connection, options.call_timeout_ms)? {
        for module in &process.modules {
            if modules.contains(&module.as_str()) {
                pairs.push((process.pid.clone(), module.clone()));
            }
        }
    }
    Ok(pairs)
}

fn commit_ops(
    to_load: &[&PlannedModule],
    binaries: &Binaries,
    loaded_vsn: &HashMap<&str, Term>,
    migrations: &[(Term, String)],
    options: ApplyOptions,
) -> Result<Vec<Op>, ApplyError> {
    let new_code = |module: &PlannedModule| {
        binaries.new.get(&module.module).cloned().ok_or_else(|| {
            ApplyError::Refused(format!("{}: NEW's binary was not read", module.module))
        })
    };
    let purge = if options.brutal_purge {
        Purge::Brutal
    } else {
        Purge::Soft
    };
    let swap = swap_code(to_load, |m| m.path.is_some(), new_code, purge)?;
    // Upgrading, `code_change` is given the vsn of the code it replaces,
    // after the load.
    let change: Vec<Op> = migrations
        .iter()
        .map(|(pid, module)| Op::ChangeCode {
            pid: pid.clone(),
            module: module.clone(),
            from: loaded_vsn
                .get(module.as_str())
                .cloned()
                .unwrap_or_else(|| atom("undefined")),
        })
        .collect();
    Ok(suspended(migrations, [swap, change].concat()))
}

/// How old code is purged.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Purge {
    /// `code:soft_purge/1`: fails when a process runs it.
    Soft,
    /// `code:purge/1`: kills those processes.
    Brutal,
}

/// Replacing the code of `modules`: each purged, then those that have code
/// on this side (`has_code`) loaded together (`-on_load` ones after, alone)
/// with `code_of`, and the others deleted.
pub(crate) fn swap_code(
    modules: &[&PlannedModule],
    has_code: impl Fn(&PlannedModule) -> bool,
    code_of: impl Fn(&PlannedModule) -> Result<ObjectCode, ApplyError>,
    purge: Purge,
) -> Result<Vec<Op>, ApplyError> {
    let mut ops: Vec<Op> = modules
        .iter()
        .map(|m| match purge {
            Purge::Soft => Op::SoftPurge(m.module.clone()),
            Purge::Brutal => Op::Purge(m.module.clone()),
        })
        .collect();
    let together = modules
        .iter()
        .filter(|m| has_code(m) && !m.loads_alone)
        .map(|m| code_of(m))
        .collect::<Result<Vec<_>, _>>()?;
    if !together.is_empty() {
        ops.push(Op::AtomicLoad(together));
    }
    for module in modules.iter().filter(|m| has_code(m) && m.loads_alone) {
        ops.push(Op::LoadBinary(code_of(module)?));
    }
    for module in modules.iter().filter(|m| !has_code(m)) {
        ops.push(Op::Delete(module.module.clone()));
    }
    Ok(ops)
}

/// `ops` with the processes of `migrations` suspended before (each once)
/// and resumed after, in reverse order.
pub(crate) fn suspended(migrations: &[(Term, String)], ops: Vec<Op>) -> Vec<Op> {
    let mut pids: Vec<(Term, String)> = Vec::new();
    for (pid, module) in migrations {
        if !pids.iter().any(|(known, _)| known == pid) {
            pids.push((pid.clone(), module.clone()));
        }
    }
    let suspend = pids.iter().map(|(pid, module)| Op::Suspend {
        pid: pid.clone(),
        module: module.clone(),
    });
    let resume = pids.iter().rev().map(|(pid, module)| Op::Resume {
        pid: pid.clone(),
        module: module.clone(),
    });
    suspend.chain(ops).chain(resume).collect()
}

/// How a commit went wrong.
#[derive(Debug, Clone)]
pub enum CommitError {
    /// The node stopped answering: what it did is unknown.
    Lost(RemoteError),
    /// An operation failed on the node; `done` are the ones before it,
    /// and `migrated` the processes whose state was already changed.
    Failed {
        message: String,
        done: Vec<String>,
        migrated: Vec<(Term, String)>,
    },
}

/// Runs the commit of `prepared`, then verifies that every module is at
/// NEW.
pub fn commit(
    connection: &mut Connection,
    modules: &[PlannedModule],
    prepared: &Prepared,
    options: ApplyOptions,
) -> Result<(), CommitError> {
    let lost = |error: ApplyError| match error {
        ApplyError::Remote(remote) => CommitError::Lost(remote),
        other => CommitError::Failed {
            message: other.to_string(),
            done: Vec::new(),
            migrated: Vec::new(),
        },
    };
    let started = std::time::Instant::now();
    let outcome = run_ops(connection, &prepared.commit, options.call_timeout_ms).map_err(lost)?;
    tracing::debug!(elapsed = ?started.elapsed(), "commit: operations run");
    if let OpsOutcome::Failed { index, reason } = outcome {
        let migrated = migrated_by(&prepared.commit[..index]);
        return Err(CommitError::Failed {
            message: format!("`{}` failed: {reason}", prepared.commit[index]),
            done: prepared.commit[..index]
                .iter()
                .map(ToString::to_string)
                .collect(),
            migrated,
        });
    }
    let wrong = verify(connection, modules, Side::New).map_err(lost)?;
    if !wrong.is_empty() {
        return Err(CommitError::Failed {
            message: format!("after the load, not at NEW: {}", wrong.join(", ")),
            done: prepared.commit.iter().map(ToString::to_string).collect(),
            migrated: migrated_by(&prepared.commit),
        });
    }
    Ok(())
}

/// The processes (and modules) whose code `ops` change.
fn migrated_by(ops: &[Op]) -> Vec<(Term, String)> {
    ops.iter()
        .filter_map(|op| match op {
            Op::ChangeCode { pid, module, .. } => Some((pid.clone(), module.clone())),
            _ => None,
        })
        .collect()
}

/// Which build a node should be at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

/// The modules that are not at `side` (a deleted module at NEW, an added
/// one at OLD: not loaded), each with its loaded hash.
pub fn verify(
    connection: &mut Connection,
    modules: &[PlannedModule],
    side: Side,
) -> Result<Vec<String>, ApplyError> {
    let names: Vec<&str> = modules.iter().map(|m| m.module.as_str()).collect();
    let hashes = loaded_hashes(connection, &names)?;
    Ok(modules
        .iter()
        .zip(hashes)
        .filter_map(|(module, loaded)| {
            let expected = match side {
                Side::Old => &module.old_md5,
                Side::New => &module.new_md5,
            };
            (loaded != *expected).then(|| {
                format!(
                    "{} ({})",
                    module.module,
                    loaded.unwrap_or_else(|| "not loaded".to_owned())
                )
            })
        })
        .collect())
}
