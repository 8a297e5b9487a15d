//! `cargo xtask`: code generation, OTP corpus checks, benchmarks and the full test run.

mod bench;
mod codegen;
mod corpus;
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
    /// Regenerate SyntaxKind and the typed AST from crates/syntax/erlang.ungram.
    Codegen {
        /// Only check that the generated files are up to date.
        #[arg(long)]
        check: bool,
    },
    /// Check erlkit against OTP's own sources and tools.
    Corpus(corpus::CorpusArgs),
    /// Measure erlkit against the peer tools on the same files.
    Bench(bench::BenchArgs),
    /// Run every test: installs OTP when missing, then unit tests and corpus checks.
    Test(test_cmd::TestArgs),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Codegen { check } => codegen::run(check),
        Command::Corpus(args) => corpus::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Test(args) => test_cmd::run(args),
    }
}

/// The workspace root (the parent of `xtask/`).
pub(crate) fn project_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf()
}
