//! The commit and rollback of one node as a list of operations: printed by
//! `--dry-run`, and run on the node by one small interpreter in a single
//! request, so that a connection lost half-way cannot leave processes
//! suspended: the node finishes the list (or stops at the first failure and
//! resumes what it suspended) on its own.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use eetf::{Binary, FixInteger, Term};

use crate::apply::ApplyError;
use crate::eval::{atom, eval_with, is_atom, list, string, tuple};
use crate::remote::Connection;
use crate::show::show;

/// A `.beam` file's contents, read once per rollout.
#[derive(Debug, Clone)]
pub struct ObjectCode {
    pub module: String,
    pub path: String,
    pub bytes: Arc<Vec<u8>>,
}

/// One operation on a node.
#[derive(Debug, Clone)]
pub enum Op {
    /// `sys:suspend/2`.
    Suspend { pid: Term, module: String },
    /// `code:soft_purge/1`; fails when a process runs the old code.
    SoftPurge(String),
    /// `code:purge/1`: kills the processes in the old code (`--brutal-purge`).
    Purge(String),
    /// One `code:atomic_load/1` of every binary: all load, or none.
    AtomicLoad(Vec<ObjectCode>),
    /// `code:load_binary/3`, for a module with `-on_load`.
    LoadBinary(ObjectCode),
    /// `sys:change_code/5`: `from` is the old vsn when upgrading,
    /// `{down, Vsn}` when downgrading.
    ChangeCode {
        pid: Term,
        module: String,
        from: Term,
    },
    /// `code:delete/1`: the current code becomes old.
    Delete(String),
    /// `sys:resume/2`.
    Resume { pid: Term, module: String },
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Suspend { pid, module } => write!(f, "suspend {pid} ({module})"),
            Op::SoftPurge(module) => write!(f, "code:soft_purge({module})"),
            Op::Purge(module) => write!(f, "code:purge({module}), killing what runs its old code"),
            Op::AtomicLoad(objects) => {
                let names: Vec<&str> = objects.iter().map(|o| o.module.as_str()).collect();
                write!(
                    f,
                    "code:atomic_load/1 of {} modules: {}",
                    objects.len(),
                    names.join(", ")
                )
            }
            Op::LoadBinary(object) => write!(
                f,
                "code:load_binary/3 of {} alone (it has -on_load)",
                object.module
            ),
            Op::ChangeCode { pid, module, from } => {
                write!(
                    f,
                    "sys:change_code({pid}, {module}, {}, [])",
                    show(from, 200)
                )
            }
            Op::Delete(module) => write!(f, "code:delete({module})"),
            Op::Resume { pid, module } => write!(f, "resume {pid} ({module})"),
        }
    }
}

impl Op {
    fn to_term(&self) -> Term {
        let object = |o: &ObjectCode| {
            vec![
                atom(&o.module),
                string(&o.path),
                Term::from(Binary::from(o.bytes.as_slice())),
            ]
        };
        match self {
            Op::Suspend { pid, .. } => tuple(vec![atom("suspend"), pid.clone()]),
            Op::SoftPurge(module) => tuple(vec![atom("soft_purge"), atom(module)]),
            Op::Purge(module) => tuple(vec![atom("purge"), atom(module)]),
            Op::AtomicLoad(objects) => tuple(vec![
                atom("atomic_load"),
                list(objects.iter().map(|o| tuple(object(o))).collect()),
            ]),
            Op::LoadBinary(o) => {
                let mut elements = vec![atom("load_binary")];
                elements.extend(object(o));
                tuple(elements)
            }
            Op::ChangeCode { pid, module, from } => tuple(vec![
                atom("change_code"),
                pid.clone(),
                atom(module),
                from.clone(),
            ]),
            Op::Delete(module) => tuple(vec![atom("delete"), atom(module)]),
            Op::Resume { pid, .. } => tuple(vec![atom("resume"), pid.clone()]),
        }
    }
}

/// How a list of operations ended on the node.
#[derive(Debug, Clone)]
pub enum OpsOutcome {
    /// Every operation succeeded.
    Done,
    /// Operation `index` failed with `reason`; the ones before it were
    /// done, and every process the list suspended was resumed.
    Failed { index: usize, reason: String },
}

/// The interpreter: runs `Ops` in order with `T` as the timeout of each
/// `sys` call; at the first failure it stops and resumes, most recent
/// first, the processes it suspended.
const INTERPRETER: &str = r#"
Exec = fun
  ({suspend, P}) -> sys:suspend(P, T);
  ({resume, P}) -> sys:resume(P, T);
  ({soft_purge, M}) -> case code:soft_purge(M) of true -> ok; false -> {error, old_code_in_use} end;
  ({purge, M}) -> code:purge(M), ok;
  ({atomic_load, Ms}) -> code:atomic_load(Ms);
  ({load_binary, M, F, B}) -> case code:load_binary(M, F, B) of {module, M} -> ok; E -> E end;
  ({change_code, P, M, V}) -> sys:change_code(P, M, V, [], T);
  ({delete, M}) -> case code:delete(M) of true -> ok; false -> {error, not_loaded} end
end,
Run = fun
  Run([], _, S) -> {done, S};
  Run([Op | Rest], I, S) ->
    R = try Exec(Op) catch C:E -> {error, {C, E}} end,
    case R of
      ok ->
        S1 = case Op of {suspend, P} -> [P | S]; {resume, P} -> lists:delete(P, S); _ -> S end,
        Run(Rest, I + 1, S1);
      _ -> {failed, I, R, S}
    end
end,
case Run(Ops, 0, []) of
  {done, _} -> done;
  {failed, I, R, S} -> [catch sys:resume(P, T) || P <- S], {failed, I, R}
end.
"#;

/// Runs `ops` on the node in one request.
pub fn run_ops(
    connection: &mut Connection,
    ops: &[Op],
    sys_timeout_ms: u64,
) -> Result<OpsOutcome, ApplyError> {
    let terms = list(ops.iter().map(Op::to_term).collect());
    let timeout = Term::from(FixInteger::from(
        i32::try_from(sys_timeout_ms).unwrap_or(i32::MAX),
    ));
    // The node may take one `sys` timeout per suspend, resume and change
    // of code before it answers.
    let waits = ops
        .iter()
        .filter(|op| {
            matches!(
                op,
                Op::Suspend { .. } | Op::Resume { .. } | Op::ChangeCode { .. }
            )
        })
        .count() as u64;
    let base = connection.timeout();
    connection.set_timeout(base + Duration::from_millis(waits * sys_timeout_ms));
    let answer = eval_with(
        connection,
        INTERPRETER,
        vec![("Ops", terms), ("T", timeout)],
    );
    connection.set_timeout(base);
    let answer = answer?;
    if is_atom(&answer, "done") {
        return Ok(OpsOutcome::Done);
    }
    if let Term::Tuple(failed) = &answer
        && let [tag, Term::FixInteger(index), reason] = failed.elements.as_slice()
        && is_atom(tag, "failed")
    {
        return Ok(OpsOutcome::Failed {
            index: usize::try_from(index.value).unwrap_or(0),
            reason: show(reason, 400),
        });
    }
    Err(ApplyError::Failed(format!(
        "unexpected answer from the node: {}",
        show(&answer, 400)
    )))
}
