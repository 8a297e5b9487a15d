//! The shape of an Erlang project as found on disk: today the OTP installation
//! and the release whose syntax applies, and `erlkit.toml`; later rebar3,
//! erlang.mk and plain layouts. Reads files only; never starts an Erlang VM.

pub mod config;
pub mod otp;
pub mod term;
