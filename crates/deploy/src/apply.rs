//! Applying a plan to one running node: preflight (read only), commit, verify.
//!
//! - Preflight: each module's loaded hash must be OLD's (or NEW's: then it is
//!   already done, and skipped), and no process may run a module's old code
//!   (it would die in the purge).
//! - Commit: the processes whose initial call is in a module updated with
//!   `code_change` are suspended; each module is soft-purged; one
//!   `code:atomic_load/1` loads the binaries (a module with `-on_load` after
//!   it, with `code:load_binary/3`); `sys:change_code/4` migrates each
//!   suspended process's state; they are resumed in reverse order.
//! - Verify: every module's loaded hash must now be NEW's.
//!
//! Rolling back after a failure, a journal and several nodes in a rollout
//! are not written yet: a failure stops and says which step failed.

use eetf::{Atom, Binary, List, Term, Tuple};
use serde::Serialize;

use crate::remote::{Connection, LoadedState, RemoteError, loaded_md5, state_of};

/// One module of a plan file, as `apply` needs it.
#[derive(Debug, Clone)]
pub struct PlannedModule {
    pub module: String,
    /// `update_code_change` (a process module), or another action.
    pub code_change: bool,
    pub loads_alone: bool,
    pub old_md5: Option<String>,
    pub new_md5: Option<String>,
    /// The `.beam` file to load; `None` for a module to delete (not
    /// supported by `apply` yet).
    pub path: Option<String>,
}

/// What happened on a node.
#[derive(Debug, Clone, Serialize)]
pub struct NodeOutcome {
    pub node: String,
    /// `committed`, `already done`, `refused` (preflight), `failed`.
    pub state: String,
    /// Each step done, in order.
    pub steps: Vec<String>,
    pub error: Option<String>,
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

/// Applies `modules` to the node of `connection`; `dry_run` stops after the
/// preflight and lists what the commit would do.
pub fn apply_node(
    connection: &mut Connection,
    modules: &[PlannedModule],
    dry_run: bool,
) -> Result<Vec<String>, ApplyError> {
    let mut steps = Vec::new();
    // Preflight.
    let mut to_load = Vec::new();
    for module in modules {
        let loaded = loaded_md5(connection, &module.module)?;
        match state_of(
            loaded.as_deref(),
            module.old_md5.as_deref(),
            module.new_md5.as_deref(),
        ) {
            LoadedState::New => steps.push(format!("{}: already at NEW", module.module)),
            LoadedState::Other => {
                return Err(ApplyError::Refused(format!(
                    "{} has drifted: its loaded hash {} is neither OLD's nor NEW's",
                    module.module,
                    loaded.unwrap_or_default()
                )));
            }
            LoadedState::Old | LoadedState::NotLoaded => to_load.push(module),
        }
    }
    for module in &to_load {
        if module.path.is_none() {
            return Err(ApplyError::Refused(format!(
                "{}: deleting a module is not supported by deploy apply yet",
                module.module
            )));
        }
        let lingering = eval(
            connection,
            &format!(
                "[P || P <- erlang:processes(), erlang:check_process_code(P, {})].",
                quoted(&module.module)
            ),
        )?;
        if let Term::List(list) = &lingering
            && !list.elements.is_empty()
        {
            let pids: Vec<String> = list.elements.iter().map(ToString::to_string).collect();
            return Err(ApplyError::Refused(format!(
                "processes still run the old code of {}, and would be killed by the purge: {}",
                module.module,
                pids.join(", ")
            )));
        }
    }
    steps.push(format!("preflight: {} modules to load", to_load.len()));
    if to_load.is_empty() || dry_run {
        return Ok(steps);
    }
    // The processes to migrate, with their module's old version.
    let mut suspended: Vec<(Term, &PlannedModule, Term)> = Vec::new();
    for module in to_load.iter().filter(|module| module.code_change) {
        let name = quoted(&module.module);
        let pids = eval(
            connection,
            &format!(
                "[P || P <- erlang:processes(), \
                 case erlang:process_info(P, dictionary) of \
                   {{dictionary, D}} -> lists:keyfind('$initial_call', 1, D) =:= {{'$initial_call', {{{name}, init, 1}}}}; \
                   _ -> false end]."
            ),
        )?;
        let old_vsn = eval(
            connection,
            &format!(
                "case code:is_loaded({name}) of false -> undefined; _ -> \
                 case lists:keyfind(vsn, 1, {name}:module_info(attributes)) of \
                 {{vsn, [V]}} -> V; {{vsn, V}} -> V; false -> undefined end end."
            ),
        )?;
        if let Term::List(list) = pids {
            for pid in list.elements {
                suspended.push((pid, module, old_vsn.clone()));
            }
        }
    }
    let commit = commit(connection, &to_load, &suspended, &mut steps);
    // Resume whatever was suspended, in reverse order, whatever happened.
    for (pid, _, _) in suspended.iter().rev() {
        match connection.call("sys", "resume", vec![pid.clone()]) {
            Ok(_) => steps.push(format!("resumed {pid}")),
            Err(error) => steps.push(format!("resuming {pid} failed: {error}")),
        }
    }
    commit?;
    // Verify.
    for module in &to_load {
        let loaded = loaded_md5(connection, &module.module)?;
        if loaded.as_deref() != module.new_md5.as_deref() {
            return Err(ApplyError::Failed(format!(
                "{} is loaded but its hash is {}, not NEW's",
                module.module,
                loaded.unwrap_or_else(|| "none".to_owned())
            )));
        }
    }
    steps.push(format!("verified: {} modules at NEW", to_load.len()));
    Ok(steps)
}

fn commit(
    connection: &mut Connection,
    to_load: &[&PlannedModule],
    suspended: &[(Term, &PlannedModule, Term)],
    steps: &mut Vec<String>,
) -> Result<(), ApplyError> {
    for (pid, module, _) in suspended {
        connection.call("sys", "suspend", vec![pid.clone()])?;
        steps.push(format!("suspended {pid} ({})", module.module));
    }
    for module in to_load {
        let purged = connection.call("code", "soft_purge", vec![atom(&module.module)])?;
        if !matches!(&purged, Term::Atom(a) if a.name == "true") {
            return Err(ApplyError::Failed(format!(
                "{}: the soft purge found processes in its old code",
                module.module
            )));
        }
    }
    let mut together = Vec::new();
    for module in to_load.iter().filter(|module| !module.loads_alone) {
        together.push(Term::from(Tuple::from(object_code(module)?)));
    }
    if !together.is_empty() {
        let loaded = connection.call(
            "code",
            "atomic_load",
            vec![Term::from(List::from(together))],
        )?;
        if !matches!(&loaded, Term::Atom(a) if a.name == "ok") {
            return Err(ApplyError::Failed(format!(
                "code:atomic_load/1 refused: {loaded}"
            )));
        }
        steps.push(format!(
            "loaded {} modules in one code:atomic_load/1",
            to_load.iter().filter(|m| !m.loads_alone).count()
        ));
    }
    for module in to_load.iter().filter(|module| module.loads_alone) {
        let loaded = connection.call("code", "load_binary", object_code(module)?)?;
        match &loaded {
            Term::Tuple(t) if matches!(t.elements.first(), Some(Term::Atom(a)) if a.name == "module") =>
            {
                steps.push(format!("loaded {} alone (on_load)", module.module));
            }
            other => {
                return Err(ApplyError::Failed(format!(
                    "code:load_binary/3 of {} failed: {other}",
                    module.module
                )));
            }
        }
    }
    for (pid, module, old_vsn) in suspended {
        let changed = connection.call(
            "sys",
            "change_code",
            vec![
                pid.clone(),
                atom(&module.module),
                old_vsn.clone(),
                Term::from(List::nil()),
            ],
        )?;
        if !matches!(&changed, Term::Atom(a) if a.name == "ok") {
            return Err(ApplyError::Failed(format!(
                "sys:change_code of {pid} ({}) failed: {changed}",
                module.module
            )));
        }
        steps.push(format!("code_change of {pid} ({})", module.module));
    }
    Ok(())
}

/// `[Module, Filename, Binary]` of a module's new `.beam` file.
fn object_code(module: &PlannedModule) -> Result<Vec<Term>, ApplyError> {
    let path = module.path.as_deref().unwrap_or_default();
    let bytes = std::fs::read(path)
        .map_err(|error| ApplyError::Refused(format!("cannot read {path}: {error}")))?;
    Ok(vec![
        atom(&module.module),
        string(path),
        Term::from(Binary::from(bytes)),
    ])
}

/// An Erlang string: a list of code points.
fn string(text: &str) -> Term {
    let chars: Vec<Term> = text
        .chars()
        .map(|c| Term::from(eetf::FixInteger::from(c as i32)))
        .collect();
    Term::from(List::from(chars))
}

fn atom(name: &str) -> Term {
    Term::from(Atom::from(name))
}

/// An atom in Erlang's syntax, always quoted.
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Evaluates Erlang `text` (expressions ending with `.`) on the node: read
/// with `erl_scan` and `erl_parse` there, run by `erl_eval`. One round trip
/// instead of one per process.
pub fn eval(connection: &mut Connection, text: &str) -> Result<Term, ApplyError> {
    let fail = |what: &str, answer: &Term| {
        ApplyError::Failed(format!("evaluating `{text}` on the node: {what}: {answer}"))
    };
    let scanned = connection.call("erl_scan", "string", vec![string(text)])?;
    let tokens = second_of(&scanned, "ok").ok_or_else(|| fail("erl_scan", &scanned))?;
    let parsed = connection.call("erl_parse", "parse_exprs", vec![tokens])?;
    let exprs = second_of(&parsed, "ok").ok_or_else(|| fail("erl_parse", &parsed))?;
    let value = connection.call("erl_eval", "exprs", vec![exprs, Term::from(List::nil())])?;
    second_of(&value, "value").ok_or_else(|| fail("erl_eval", &value))
}

/// `X` of `{Tag, X, ...}`.
fn second_of(term: &Term, tag: &str) -> Option<Term> {
    match term {
        Term::Tuple(tuple) if matches!(tuple.elements.first(), Some(Term::Atom(a)) if a.name == tag) => {
            tuple.elements.get(1).cloned()
        }
        _ => None,
    }
}
