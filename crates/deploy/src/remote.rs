//! Talking to running nodes over Erlang distribution (plain TCP through
//! EPMD) with `erl_dist`: the handshake, then each call a `spawn_request` of
//! `erpc:execute_call/4` whose monitor brings the answer back. Every step
//! has a timeout (a frozen node must not hang a deploy), and the socket has
//! Nagle's algorithm off, as Erlang's own nodes do: with it on, each small
//! request waits for the peer's delayed acknowledgement (about 40 ms).

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use eetf::{Atom, FixInteger, List, Pid, Reference, Term};
use erl_dist::DistributionFlags;
use erl_dist::epmd::EpmdClient;
use erl_dist::handshake::{ClientSideHandshake, HandshakeStatus};
use erl_dist::message::{self, Message};
use erl_dist::node::{Creation, LocalNode, NodeName};
use erl_dist::term::{Mfa, PidOrAtom};
use serde::Serialize;
use smol::net::TcpStream;

use crate::show::show;

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
    local: LocalNode,
    sender: message::Sender<TcpStream>,
    receiver: message::Receiver<TcpStream>,
    timeout: Duration,
    /// Set when a call timed out: a message may have been read half, so
    /// the connection is not used again.
    abandoned: bool,
}

/// Runs `future` to its end or until `timeout`, whichever comes first.
fn within<T>(timeout: Duration, future: impl Future<Output = T>) -> Option<T> {
    smol::block_on(smol::future::or(async { Some(future.await) }, async {
        smol::Timer::after(timeout).await;
        None
    }))
}

/// The distribution protocol version erlkit speaks (OTP 23 and later).
const PROTOCOL_VERSION: u16 = 6;

impl Connection {
    /// Connects to `node` (`name@host`) with `cookie`; every later call
    /// waits at most `timeout`.
    pub fn open(node: &str, cookie: &str, timeout: Duration) -> Result<Connection, RemoteError> {
        let connect_error = |reason: String| RemoteError::Connect {
            node: node.to_owned(),
            reason: connect_reason(&reason),
        };
        let opened =
            within(timeout, Self::handshake(node, cookie)).ok_or_else(|| RemoteError::Timeout {
                node: node.to_owned(),
                what: "connecting".to_owned(),
                timeout,
            })?;
        let (local, sender, receiver) = opened.map_err(connect_error)?;
        Ok(Connection {
            node: node.to_owned(),
            local,
            sender,
            receiver,
            timeout,
            abandoned: false,
        })
    }

    /// EPMD's port for the node, then the handshake, the peer naming us.
    async fn handshake(
        node: &str,
        cookie: &str,
    ) -> Result<
        (
            LocalNode,
            message::Sender<TcpStream>,
            message::Receiver<TcpStream>,
        ),
        String,
    > {
        let started = std::time::Instant::now();
        let name: NodeName = node
            .parse()
            .map_err(|error| format!("{error} (a node is name@host)"))?;
        let epmd = TcpStream::connect((name.host(), erl_dist::epmd::DEFAULT_EPMD_PORT))
            .await
            .map_err(|error| format!("EPMD on {}: {error}", name.host()))?;
        let entry = EpmdClient::new(epmd)
            .get_node(name.name())
            .await
            .map_err(|error| format!("EPMD on {}: {error}", name.host()))?
            .ok_or_else(|| format!("EPMD on {} knows no node {}", name.host(), name.name()))?;
        if entry.highest_version < PROTOCOL_VERSION {
            return Err(format!(
                "the node speaks distribution protocol {} at most; erlkit needs {PROTOCOL_VERSION} (OTP 23 or later)",
                entry.highest_version
            ));
        }
        tracing::debug!(elapsed = ?started.elapsed(), "EPMD answered");
        let stream = TcpStream::connect((name.host(), entry.port))
            .await
            .map_err(|error| error.to_string())?;
        stream
            .set_nodelay(true)
            .map_err(|error| error.to_string())?;
        // The peer names us (NAME_ME): several erlkit runs never clash.
        let tentative: NodeName = "erlkit@localhost".parse().map_err(|e| format!("{e}"))?;
        let mut local = LocalNode::new(tentative, Creation::random());
        local.flags |= DistributionFlags::NAME_ME
            | DistributionFlags::SPAWN
            | DistributionFlags::DIST_MONITOR
            | DistributionFlags::DIST_MONITOR_NAME;
        let mut handshake = ClientSideHandshake::new(stream, local.clone(), cookie);
        let status = handshake
            .execute_send_name(PROTOCOL_VERSION)
            .await
            .map_err(|error| format!("handshake: {error}"))?;
        tracing::debug!(elapsed = ?started.elapsed(), "handshake: named");
        let HandshakeStatus::Named { name, creation } = status else {
            return Err(format!("handshake: unexpected status {status:?}"));
        };
        local.name = NodeName::new(&name, local.name.host()).map_err(|e| format!("{e}"))?;
        local.creation = creation;
        let (stream, peer) = handshake
            .execute_rest(true)
            .await
            .map_err(|error| format!("handshake: {error}"))?;
        tracing::debug!(elapsed = ?started.elapsed(), "handshake: done");
        let (sender, receiver) = message::channel(stream, local.flags & peer.flags);
        Ok((local, sender, receiver))
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
        let failed = |reason: String| RemoteError::Call {
            node: self.node.clone(),
            what: what.clone(),
            reason,
        };
        if self.abandoned {
            return Err(failed(
                "the connection was given up after an earlier timeout".to_owned(),
            ));
        }
        let request_id = self.reference();
        let call_id = self.reference();
        let me = self.pid();
        let request = Message::spawn_request(
            request_id.clone(),
            me.clone(),
            me,
            Mfa {
                module: Atom::from("erpc"),
                function: Atom::from("execute_call"),
                arity: FixInteger::from(4),
            },
            List::from(vec![Term::from(Atom::from("monitor"))]),
            List::from(vec![
                Term::from(call_id),
                Term::from(Atom::from(module)),
                Term::from(Atom::from(function)),
                Term::from(List::from(args)),
            ]),
        );
        let timeout = self.timeout;
        let (sender, receiver) = (&mut self.sender, &mut self.receiver);
        let exchange = async move {
            sender.send(request).await.map_err(|e| e.to_string())?;
            loop {
                match receiver.recv().await.map_err(|e| e.to_string())? {
                    Message::Tick => sender
                        .send(Message::Tick)
                        .await
                        .map_err(|e| e.to_string())?,
                    Message::SpawnReply(reply) if reply.req_id == request_id => {
                        if let PidOrAtom::Atom(reason) = reply.result {
                            return Err(format!(
                                "the node could not spawn the call: {}",
                                reason.name
                            ));
                        }
                    }
                    Message::MonitorPExit(exit) if exit.reference == request_id => {
                        return Ok(exit.reason);
                    }
                    // An answer to a call given up on, or a message for no
                    // one: not ours.
                    _ => {}
                }
            }
        };
        let Some(answer) = within(timeout, exchange) else {
            self.abandoned = true;
            return Err(RemoteError::Timeout {
                node: self.node.clone(),
                what,
                timeout,
            });
        };
        // erpc:execute_call/4 exits with {Ref, return, Value}, else with
        // {Ref, Class, Reason[, Stack]}.
        match answer.map_err(failed)? {
            Term::Tuple(mut tuple)
                if tuple.elements.len() == 3
                    && matches!(&tuple.elements[1], Term::Atom(a) if a.name == "return") =>
            {
                Ok(tuple.elements.swap_remove(2))
            }
            Term::Tuple(tuple) if tuple.elements.len() >= 3 => Err(failed(format!(
                "{}: {}",
                show(&tuple.elements[1], 40),
                show(&tuple.elements[2], 400)
            ))),
            other => Err(failed(format!("unexpected answer {}", show(&other, 400)))),
        }
    }

    /// This side's pid, as the peer knows it.
    fn pid(&self) -> Pid {
        Pid::new(self.local.name.to_string(), 0, 0, self.local.creation.get())
    }

    /// A reference unique on this connection.
    fn reference(&self) -> Reference {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Reference {
            node: Atom::from(self.local.name.to_string()),
            id: vec![
                NEXT.fetch_add(1, Ordering::Relaxed),
                nanos,
                std::process::id(),
            ],
            creation: self.local.creation.get(),
        }
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

/// The state of a module whose OLD and NEW hashes are given.
pub fn state_of(loaded: Option<&str>, old: Option<&str>, new: Option<&str>) -> LoadedState {
    match loaded {
        None => LoadedState::NotLoaded,
        Some(hash) if Some(hash) == new => LoadedState::New,
        Some(hash) if Some(hash) == old => LoadedState::Old,
        Some(_) => LoadedState::Other,
    }
}
