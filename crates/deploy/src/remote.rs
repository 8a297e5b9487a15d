//! Talking to running nodes over Erlang distribution (plain TCP through
//! EPMD), every step with a timeout: `erl_rpc` has none of its own, and a
//! frozen node must not hang a deploy.

use std::future::Future;
use std::time::Duration;

use eetf::{Atom, List, Term};
use serde::Serialize;

/// Why a node could not be asked.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RemoteError {
    #[error("{node}: no answer within {} ms ({what})", timeout.as_millis())]
    Timeout {
        node: String,
        what: String,
        timeout: Duration,
    },
    #[error("{node}: cannot connect: {reason}")]
    Connect { node: String, reason: String },
    #[error("{node}: {what} failed: {reason}")]
    Call {
        node: String,
        what: String,
        reason: String,
    },
}

/// A connection to one node.
pub struct Connection {
    node: String,
    handle: erl_rpc::RpcClientHandle,
    timeout: Duration,
}

/// Runs `future` to its end or until `timeout`, whichever comes first.
fn within<T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
    smol::block_on(smol::future::or(async { Some(future.await) }, async {
        smol::Timer::after(timeout).await;
        None
    }))
}

impl Connection {
    /// Connects to `node` (`name@host`) with `cookie`; every later call
    /// waits at most `timeout`.
    pub fn open(node: &str, cookie: &str, timeout: Duration) -> Result<Connection, RemoteError> {
        let connected =
            within(timeout, erl_rpc::RpcClient::connect(node, cookie)).ok_or_else(|| {
                RemoteError::Timeout {
                    node: node.to_owned(),
                    what: "connecting".to_owned(),
                    timeout,
                }
            })?;
        let client = connected.map_err(|error| RemoteError::Connect {
            node: node.to_owned(),
            reason: connect_reason(&error.to_string()),
        })?;
        let handle = client.handle();
        smol::spawn(async move {
            let _ = client.run().await;
        })
        .detach();
        Ok(Connection {
            node: node.to_owned(),
            handle,
            timeout,
        })
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sets how long each later call waits; gives the previous timeout.
    pub fn set_timeout(&mut self, timeout: Duration) -> Duration {
        std::mem::replace(&mut self.timeout, timeout)
    }

    /// `module:function(args...)` on the node.
    pub fn call(
        &mut self,
        module: &str,
        function: &str,
        args: Vec<Term>,
    ) -> Result<Term, RemoteError> {
        let what = format!("{module}:{function}/{}", args.len());
        let call = self
            .handle
            .call(Atom::from(module), Atom::from(function), List::from(args));
        let answer = within(self.timeout, call).ok_or_else(|| RemoteError::Timeout {
            node: self.node.clone(),
            what: what.clone(),
            timeout: self.timeout,
        })?;
        answer.map_err(|error| RemoteError::Call {
            node: self.node.clone(),
            what,
            reason: error.to_string(),
        })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.handle.terminate();
    }
}

/// A clearer word for the usual reasons a connection fails.
fn connect_reason(reason: &str) -> String {
    if reason.contains("Connection refused") || reason.contains("EPMD") || reason.contains("epmd") {
        format!("{reason} (is the node running, and EPMD reachable on its host?)")
    } else if reason.contains("handshake")
        || reason.contains("Handshake")
        || reason.contains("end of file")
    {
        format!(
            "{reason} (a wrong cookie, or a node that needs TLS distribution, which erlkit does \
             not support yet)"
        )
    } else {
        reason.to_owned()
    }
}

/// Where one module of a plan is on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LoadedState {
    /// Its loaded code has OLD's hash.
    Old,
    /// NEW's hash.
    New,
    /// Another hash: the node drifted from OLD.
    Other,
    NotLoaded,
}

/// The module hash of `module` as loaded on the node, `None` when it is
/// not loaded (asked with `code:is_loaded/1` first: `module_info` would
/// load it).
pub fn loaded_md5(
    connection: &mut Connection,
    module: &str,
) -> Result<Option<String>, RemoteError> {
    let loaded = connection.call("code", "is_loaded", vec![Term::from(Atom::from(module))])?;
    if matches!(&loaded, Term::Atom(atom) if atom.name == "false") {
        return Ok(None);
    }
    let md5 = connection.call(
        "erlang",
        "get_module_info",
        vec![
            Term::from(Atom::from(module)),
            Term::from(Atom::from("md5")),
        ],
    )?;
    match md5 {
        Term::Binary(binary) => Ok(Some(
            binary.bytes.iter().map(|b| format!("{b:02x}")).collect(),
        )),
        other => Err(RemoteError::Call {
            node: connection.node().to_owned(),
            what: format!("erlang:get_module_info({module}, md5)"),
            reason: format!("unexpected answer {other}"),
        }),
    }
}

/// The state of a module whose OLD and NEW hashes are given.
pub fn state_of(loaded: Option<&str>, old: Option<&str>, new: Option<&str>) -> LoadedState {
    match loaded {
        None => LoadedState::NotLoaded,
        Some(hash) if Some(hash) == new => LoadedState::New,
        Some(hash) if Some(hash) == old => LoadedState::Old,
        Some(_) => LoadedState::Other,
    }
}
