//! The command line grammar: clap definitions of every `erlkit` subcommand and option.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Erlang developer tooling: one lossless syntax tree, no Erlang VM needed.
#[derive(Debug, Parser)]
#[command(name = "erlkit", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse Erlang files and report syntax errors as `path:line:column: message`.
    Parse(ParseArgs),
}

/// Options of `erlkit parse`.
#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Only report syntax errors (the default output, spelled out for scripts and CI).
    #[arg(long, conflicts_with = "dump_tree")]
    pub(crate) check: bool,

    /// Print the syntax tree of every file (after a `=== path` header line).
    #[arg(long)]
    pub(crate) dump_tree: bool,

    /// Print one JSON document with every file and its errors instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    /// The major OTP release whose syntax applies (default: the release of `erl`
    /// on PATH, else the newest erlkit knows).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) otp_release: Option<u32>,

    /// Files and directories. Directories are searched for Erlang files
    /// (.erl .hrl .escript .app.src .config ...), honouring .gitignore and
    /// skipping `_build` and `.git`; files named here are parsed whatever their name.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
