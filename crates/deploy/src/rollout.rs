//! A rollout: a plan applied to several nodes, the first alone (the
//! canary), then the others `parallel` at a time, stopping at the first
//! node that is refused or fails; the failure policy then decides what
//! becomes of the nodes already committed. Every node's state goes to the
//! journal as it changes.

use std::sync::Mutex;
use std::time::Duration;

use eetf::Term;

use crate::apply::{
    ApplyError, ApplyOptions, Binaries, CommitError, PlannedModule, commit, preflight,
};
use crate::error::DeployError;
use crate::journal::{Journal, NodeState};
use crate::remote::{Connection, RemoteError};
use crate::rollback::rollback;

/// What to do with a node when a rollout fails after it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFailure {
    /// Take it back to OLD (the default).
    Rollback,
    /// Leave it as it is, and report.
    Halt,
}

/// How a rollout runs.
#[derive(Debug, Clone, Copy)]
pub struct RolloutOptions {
    pub apply: ApplyOptions,
    /// The longest wait for a node's answer to each request.
    pub timeout: Duration,
    pub on_failure: OnFailure,
    /// How many nodes after the canary are done at once.
    pub parallel: usize,
    /// Preflight only, and list the commit's operations.
    pub dry_run: bool,
}

/// What happened on one node.
#[derive(Debug, Clone)]
pub struct NodeReport {
    pub node: String,
    pub canary: bool,
    pub state: NodeState,
    /// Each step, in order.
    pub steps: Vec<String>,
    pub error: Option<String>,
}

/// A plan and where to apply it.
pub struct Rollout<'a> {
    pub nodes: &'a [String],
    pub cookie: &'a str,
    pub modules: &'a [PlannedModule],
    pub binaries: &'a Binaries,
    pub options: RolloutOptions,
}

impl Rollout<'_> {
    /// Runs the rollout; `progress` sees each node's report as it is made
    /// (twice for a node rolled back after a later failure). Gives every
    /// node's final report, in the order of the nodes.
    pub fn run(
        &self,
        journal: Option<&mut Journal>,
        progress: &(dyn Fn(&NodeReport) + Sync),
    ) -> Result<Vec<NodeReport>, DeployError> {
        let journal = Mutex::new(journal);
        let record = |report: &NodeReport| -> Result<(), DeployError> {
            progress(report);
            if self.options.dry_run {
                return Ok(());
            }
            let mut journal = journal.lock().unwrap_or_else(|e| e.into_inner());
            match journal.as_mut() {
                Some(journal) => journal.record(&report.node, report.state, report.error.clone()),
                None => Ok(()),
            }
        };
        let mut reports: Vec<NodeReport> = Vec::new();
        let mut failed = false;
        let (canary, rest) = match self.nodes.split_first() {
            Some((canary, rest)) => (canary, rest),
            None => return Ok(reports),
        };
        let first = self.apply_one(canary, true);
        record(&first)?;
        failed |= !succeeded(first.state, self.options.dry_run);
        reports.push(first);
        for wave in rest.chunks(self.options.parallel.max(1)) {
            if failed {
                break;
            }
            let done: Vec<NodeReport> = std::thread::scope(|scope| {
                let handles: Vec<_> = wave
                    .iter()
                    .map(|node| {
                        scope.spawn(|| {
                            let report = self.apply_one(node, false);
                            let recorded = record(&report);
                            (report, recorded)
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .zip(wave)
                    .map(|(handle, node)| match handle.join() {
                        Ok((report, recorded)) => recorded.map(|()| report),
                        Err(_) => Ok(NodeReport {
                            node: node.clone(),
                            canary: false,
                            state: NodeState::Unknown,
                            steps: Vec::new(),
                            error: Some("the thread applying it panicked".to_owned()),
                        }),
                    })
                    .collect::<Result<Vec<_>, DeployError>>()
            })?;
            failed |= done
                .iter()
                .any(|report| !succeeded(report.state, self.options.dry_run));
            reports.extend(done);
        }
        let reached = reports.len();
        for node in &self.nodes[reached..] {
            reports.push(NodeReport {
                node: node.clone(),
                canary: false,
                state: NodeState::Pending,
                steps: Vec::new(),
                error: None,
            });
        }
        if failed && !self.options.dry_run && self.options.on_failure == OnFailure::Rollback {
            let failures: Vec<String> = reports
                .iter()
                .filter(|report| {
                    report.state != NodeState::Committed && report.state != NodeState::Pending
                })
                .map(|report| report.node.clone())
                .collect();
            let because = format!("{} failed", failures.join(", "));
            for report in reports
                .iter_mut()
                .filter(|report| report.state == NodeState::Committed)
            {
                self.roll_back_committed(report, &because);
                record(report)?;
            }
        }
        Ok(reports)
    }

    fn connect(&self, node: &str) -> Result<Connection, RemoteError> {
        Connection::open(node, self.cookie, self.options.timeout)
    }

    /// Preflight, commit, verify (and the policy on a failure) on `node`.
    fn apply_one(&self, node: &str, canary: bool) -> NodeReport {
        let mut report = NodeReport {
            node: node.to_owned(),
            canary,
            state: NodeState::Pending,
            steps: Vec::new(),
            error: None,
        };
        let started = std::time::Instant::now();
        let mut connection = match self.connect(node) {
            Ok(connection) => connection,
            Err(error) => {
                report.state = NodeState::Unreachable;
                report.error = Some(error.to_string());
                return report;
            }
        };
        tracing::debug!(node, elapsed = ?started.elapsed(), "connected");
        let options = self.options.apply;
        let prepared = match preflight(&mut connection, self.modules, self.binaries, options) {
            Ok(prepared) => prepared,
            Err(ApplyError::Remote(error)) => {
                report.state = NodeState::Unreachable;
                report.error = Some(format!(
                    "{error}, during the preflight: nothing was changed"
                ));
                return report;
            }
            Err(error) => {
                report.state = NodeState::Refused;
                report.error = Some(error.to_string());
                return report;
            }
        };
        tracing::debug!(node, elapsed = ?started.elapsed(), "preflight done");
        report.steps.push(format!(
            "preflight: {} modules to load, {} already at NEW",
            prepared.to_load.len(),
            prepared.already.len()
        ));
        for left in &prepared.left_in_old_code {
            report.steps.push(format!(
                "warning: processes executing in a module loaded without code_change run its \
                 old code after the load, until their next fully qualified call; the next purge \
                 (the next deploy, or a rollback) would kill them: {left}"
            ));
        }
        for killed in &prepared.killed_by_purge {
            report.steps.push(format!(
                "--brutal-purge: the purge kills the processes in old code of {killed}"
            ));
        }
        if self.options.dry_run {
            report.state = NodeState::Prepared;
            report
                .steps
                .extend(prepared.commit.iter().map(|op| format!("would run {op}")));
            if !prepared.commit.is_empty() {
                report
                    .steps
                    .push("would verify that every module is at NEW".to_owned());
            }
            return report;
        }
        if prepared.to_load.is_empty() {
            report.state = NodeState::Committed;
            report
                .steps
                .push("nothing to do: every module is at NEW".to_owned());
            return report;
        }
        let committed = commit(&mut connection, self.modules, &prepared, options);
        tracing::debug!(node, elapsed = ?started.elapsed(), "commit and verify done");
        match committed {
            Ok(()) => {
                report.state = NodeState::Committed;
                report
                    .steps
                    .extend(prepared.commit.iter().map(ToString::to_string));
                report.steps.push(format!(
                    "verified: {} modules at NEW",
                    prepared.to_load.len()
                ));
            }
            Err(CommitError::Lost(error)) => {
                report.state = NodeState::Unknown;
                report.error = Some(format!(
                    "{error}; `erlkit deploy status` tells where it is once it answers, and \
                     a rerun finishes it"
                ));
            }
            Err(CommitError::Failed {
                message,
                done,
                migrated,
            }) => {
                report.steps.extend(done);
                report
                    .steps
                    .push("FAILED there (the reason is above)".to_owned());
                report.error = Some(message);
                report.state = NodeState::Failed;
                if self.options.on_failure == OnFailure::Rollback {
                    self.roll_back(&mut connection, &mut report, Some(&migrated), None);
                }
            }
        }
        report
    }

    /// Rolls back a node committed before a later node failed.
    fn roll_back_committed(&self, report: &mut NodeReport, because: &str) {
        match self.connect(&report.node) {
            Ok(mut connection) => self.roll_back(&mut connection, report, None, Some(because)),
            Err(error) => {
                report.state = NodeState::Unknown;
                report.error = Some(format!(
                    "a later node failed, and it could not be rolled back: {error}"
                ));
            }
        }
    }

    /// Rolls `report`'s node back: after its own failure (its error is
    /// kept), or `because` of another node's.
    fn roll_back(
        &self,
        connection: &mut Connection,
        report: &mut NodeReport,
        migrated: Option<&[(Term, String)]>,
        because: Option<&str>,
    ) {
        let why = report.error.take();
        let because = because.map_or_else(
            || why.clone().unwrap_or_default(),
            |because| because.to_owned(),
        );
        match rollback(
            connection,
            self.modules,
            self.binaries,
            migrated,
            self.options.apply,
        ) {
            Ok(ops) => {
                report.state = NodeState::RolledBack;
                if why.is_none() {
                    report.steps.push(format!("rolling back: {because}"));
                }
                report
                    .steps
                    .extend(ops.iter().map(|op| format!("rollback: {op}")));
                report
                    .steps
                    .push("verified: every module back at OLD".to_owned());
                report.error = why;
            }
            Err(ApplyError::Remote(error)) => {
                report.state = NodeState::Unknown;
                report.error = Some(format!(
                    "{because}; then, rolling back: {error}: where it is now is unknown"
                ));
            }
            Err(error) => {
                report.state = NodeState::Failed;
                report.error = Some(format!("{because}; then: {error}"));
            }
        }
    }
}

/// Whether a node in `state` lets the rollout go on.
fn succeeded(state: NodeState, dry_run: bool) -> bool {
    if dry_run {
        state == NodeState::Prepared
    } else {
        state == NodeState::Committed
    }
}
