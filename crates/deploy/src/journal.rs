//! The journal of a rollout: where each node is (pending, prepared,
//! committed, rolled back, unknown, ...), written atomically after every
//! change, so that a rerun knows what the last run left behind.

use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::atomic_write::write_atomically;
use crate::error::DeployError;

/// Where one node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    /// Not reached yet: unchanged.
    Pending,
    /// Could not be connected to: unchanged.
    Unreachable,
    /// The preflight refused it: unchanged.
    Refused,
    /// The preflight passed; the commit was not sent yet.
    Prepared,
    /// Every module at NEW, verified.
    Committed,
    /// Taken back to OLD, verified.
    RolledBack,
    /// The commit or the rollback failed on the node and it was left as
    /// it is; the detail says where it stopped.
    Failed,
    /// It stopped answering during the commit: what it did is unknown.
    Unknown,
}

impl NodeState {
    pub fn describe(self) -> &'static str {
        match self {
            NodeState::Pending => "untouched",
            NodeState::Unreachable => "unreachable, unchanged",
            NodeState::Refused => "refused by the preflight, unchanged",
            NodeState::Prepared => "prepared (preflight passed, nothing loaded)",
            NodeState::Committed => "at NEW",
            NodeState::RolledBack => "rolled back to OLD",
            NodeState::Failed => "failed, left as it is",
            NodeState::Unknown => "unknown (it stopped answering during the commit)",
        }
    }
}

/// One node's entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JournalEntry {
    pub node: String,
    pub state: NodeState,
    /// Why it is in that state, for the states that need a reason.
    pub detail: Option<String>,
    /// When, in seconds since the Unix epoch.
    pub at: u64,
}

/// The journal file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Journal {
    /// The plan file's MD5: a journal of another plan is not resumed.
    pub plan_md5: String,
    pub nodes: Vec<JournalEntry>,
    #[serde(skip)]
    path: PathBuf,
}

impl Journal {
    /// The journal at `path` for `plan` (the plan file's bytes): the one
    /// there when it is of the same plan, else a new one with every node
    /// pending. The flag says whether an earlier run's journal was found.
    pub fn open(
        path: &Path,
        plan: &[u8],
        nodes: &[String],
    ) -> Result<(Journal, bool), DeployError> {
        let plan_md5: String = Md5::digest(plan)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let earlier = std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Journal>(&bytes).ok())
            .filter(|journal| journal.plan_md5 == plan_md5);
        let resumed = earlier.is_some();
        let mut journal = earlier.unwrap_or(Journal {
            plan_md5,
            nodes: Vec::new(),
            path: PathBuf::new(),
        });
        journal.path = path.to_path_buf();
        for node in nodes {
            if !journal.nodes.iter().any(|entry| &entry.node == node) {
                journal.nodes.push(JournalEntry {
                    node: node.clone(),
                    state: NodeState::Pending,
                    detail: None,
                    at: now(),
                });
            }
        }
        Ok((journal, resumed))
    }

    /// The state of `node` (pending when it has none).
    pub fn state(&self, node: &str) -> NodeState {
        self.nodes
            .iter()
            .find(|entry| entry.node == node)
            .map_or(NodeState::Pending, |entry| entry.state)
    }

    /// Records `node`'s state and writes the file.
    pub fn record(
        &mut self,
        node: &str,
        state: NodeState,
        detail: Option<String>,
    ) -> Result<(), DeployError> {
        match self.nodes.iter_mut().find(|entry| entry.node == node) {
            Some(entry) => {
                entry.state = state;
                entry.detail = detail;
                entry.at = now();
            }
            None => self.nodes.push(JournalEntry {
                node: node.to_owned(),
                state,
                detail,
                at: now(),
            }),
        }
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        write_atomically(&self.path, &text)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
