//! The shape of an Erlang project as found on disk: the OTP installation and the
//! release whose syntax applies, `erlkit.toml`, and `rebar.config` read as terms;
//! later the layouts of rebar3, erlang.mk and plain trees. Reads files only;
//! never starts an Erlang VM or runs a project's scripts.

pub mod config;
pub mod layout;
pub mod otp;
pub mod rebar;
pub mod term;
