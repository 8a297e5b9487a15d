//! Runs one of the Erlang helpers in `xtask/erlang/`: compiled in memory, fed on stdin.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Boots the helper named by `ERLKIT_HELPER` from source (compiled in memory) and
/// runs its `main/0`; a crash ends `erl` with status 2 rather than a crash dump.
pub(crate) const BOOT: &str = r#"try
    Source = os:getenv("ERLKIT_HELPER"),
    {ok, M, B} = compile:file(Source, [binary, report]),
    {module, M} = code:load_binary(M, filename:basename(Source), B),
    M:main(),
    halt(0)
catch C:R:S ->
    io:format(standard_error, "~s failed: ~p~n", [os:getenv("ERLKIT_HELPER"), {C, R, S}]),
    halt(2)
end."#;

/// The source of the helper `name` (e.g. `forms_oracle.erl`).
pub(crate) fn path(name: &str) -> PathBuf {
    crate::project_root().join("xtask/erlang").join(name)
}

/// Runs the helper `name` in one `erl`, writing `input` to its stdin (it reads all of
/// it before writing anything), and returns its stdout.
pub(crate) fn run(name: &str, input: &str) -> anyhow::Result<String> {
    let helper = path(name);
    let mut child = Command::new("erl")
        .args(["-noshell", "-eval", BOOT])
        .env("ERLKIT_HELPER", &helper)
        .env("ERL_CRASH_DUMP_SECONDS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting `erl` for {name} (is OTP installed?)"))?;
    let mut stdin = child.stdin.take().context("erl's stdin")?;
    stdin
        .write_all(input.as_bytes())
        .with_context(|| format!("writing the input of {name}"))?;
    drop(stdin);
    let output = child
        .wait_with_output()
        .with_context(|| format!("waiting for {name}"))?;
    if !output.status.success() {
        bail!(
            "the helper {} failed with {}",
            helper.display(),
            output.status
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("the output of {name} is not UTF-8"))
}
