//! `cargo xtask`: code generation, OTP corpus checks, benchmarks and the full test run.

mod bench;
mod codegen;
mod compare_algebra;
mod compare_erlfmt;
mod compare_erlfmt_nodes;
mod corpus;
#[path = "../../crates/erlkit/src/memory.rs"]
mod memory;
mod otp;
mod test_cmd;

use clap::{Parser, Subcommand};

// The same allocator as the `erlkit` binary, so that benchmarks measure what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "xtask", about = "Development tasks for erlkit")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate SyntaxKind and the typed AST from crates/syntax/erlang.ungram
    /// (with --otp: the linter's OTP tables from the installed OTP's sources).
    Codegen {
        /// Only check that the generated files are up to date.
        #[arg(long)]
        check: bool,
        /// Generate crates/ide/src/lint/otp_tables.rs (BIFs, built-in types,
        /// deprecated and removed functions) from the installed OTP's sources.
        #[arg(long)]
        otp: bool,
    },
    /// Check erlkit against OTP's own sources and tools.
    Corpus(corpus::CorpusArgs),
    /// Measure erlkit against the peer tools on the same files.
    Bench(bench::BenchArgs),
    /// Run every test: installs OTP when missing, then unit tests and corpus checks.
    Test(test_cmd::TestArgs),
    /// Format Erlang files with erlkit and with erlfmt (on PATH) and report how many are identical.
    CompareErlfmt(compare_erlfmt::CompareErlfmtArgs),
    /// Print random layout documents with erlkit's algebra and erlfmt's, and compare.
    CompareAlgebra(compare_algebra::CompareAlgebraArgs),
    /// Dump the nodes erlkit's formatter reads for each form and erlfmt's parser's, and compare.
    CompareErlfmtNodes(compare_erlfmt_nodes::CompareErlfmtNodesArgs),
}

fn main() -> anyhow::Result<()> {
    memory::tune();
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check, otp } => codegen::run(check, otp),
        Command::Corpus(args) => corpus::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Test(args) => test_cmd::run(args),
        Command::CompareErlfmt(args) => compare_erlfmt::run(args),
        Command::CompareAlgebra(args) => compare_algebra::run(args),
        Command::CompareErlfmtNodes(args) => compare_erlfmt_nodes::run(args),
    }
}

/// `cargo` (the one running us, when there is one).
pub(crate) fn cargo() -> std::process::Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| std::ffi::OsString::from("cargo"));
    let mut command = std::process::Command::new(cargo);
    command.current_dir(project_root());
    command
}

/// `cargo run --release -p xtask -- <args>`: `cargo xtask` builds xtask in the dev
/// profile, where the syntax crate is not optimised; long runs re-run themselves so.
pub(crate) fn xtask_in_release(args: &[&str]) -> std::process::Command {
    let mut command = cargo();
    command
        .args(["run", "--release", "--quiet", "--package", "xtask", "--"])
        .args(args);
    command
}

/// The workspace root (the parent of `xtask/`).
pub(crate) fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
