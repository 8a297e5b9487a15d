//! The shape of an Erlang project as found on disk: today the OTP installation
//! and the release whose syntax applies; later rebar3, erlang.mk and plain
//! layouts and `erlkit.toml`. Reads files only; never starts an Erlang VM.

pub mod otp;
