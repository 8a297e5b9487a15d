//! `cargo xtask bench ...`: measures erlkit against the peer tools on the same
//! files in the same run and prints the ratio. Always measures a release build.

mod analyze;
mod deploy;
mod deploy_apply;
mod epp_dodger;
mod fmt;
mod helper_run;
mod lint;
mod machine;
mod memory;
mod parse;
mod rusage;

use anyhow::{Context, bail};

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(clap::Subcommand)]
enum Bench {
    /// `syntax::parse` on one core and on all cores, memory with every tree
    /// held, and `epp_dodger:parse_file/1` on the same files: OTP's `.erl` sources.
    Parse(parse::ParseBenchArgs),
    /// `fmt::format_text` on one core and on all cores (MB per CPU-second, peak
    /// memory), then `erlkit fmt`, efmt and erlfmt rewriting copies of the same
    /// files: OTP's `lib/*/src/*.erl`.
    Fmt(fmt::FmtBenchArgs),
    /// `erlkit analyze` on all of OTP (cold, against `epp:parse_file/2` of the
    /// same modules), on synthetic monorepos of millions of lines made from
    /// OTP's modules, and the answer to a one-line edit in a warm analysis.
    Analyze(analyze::AnalyzeBenchArgs),
    /// `erlkit lint` on a copy of all of OTP's sources as a project: cold
    /// (against OTP's compiler with `strong_validation` on the same modules),
    /// warm with the cache and nothing changed, and after one file changed.
    Lint(lint::LintBenchArgs),
    /// `erlkit deploy diff` between two builds of all of OTP's `.beam`
    /// files, the second with stdlib modules recompiled with a change; then
    /// `erlkit deploy apply` of a 50-module change on 3 loopback nodes,
    /// against an rpc loop of `c:l/1` per module per node.
    Deploy(deploy::DeployBenchArgs),
    /// Runs a command and prints its CPU time and peak memory (used by `bench
    /// fmt`, `bench analyze` and `bench lint`: a small process must start the tool for its
    /// peak memory to be its own).
    #[command(hide = true)]
    MeasureChild {
        /// Where the command's stdout goes (by default nowhere).
        #[arg(long, value_name = "FILE")]
        stdout: Option<std::path::PathBuf>,
        /// The program and its arguments.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        command: Vec<std::ffi::OsString>,
    },
}

pub(crate) fn run(args: BenchArgs) -> anyhow::Result<()> {
    match args.bench {
        Bench::Parse(args) => {
            if cfg!(debug_assertions) && !args.sample.in_release {
                return rerun_in_release();
            }
            parse::run(&args)
        }
        Bench::Fmt(args) => {
            if cfg!(debug_assertions) && !args.sample.in_release {
                return rerun_in_release();
            }
            fmt::run(&args)
        }
        Bench::Analyze(args) => {
            if cfg!(debug_assertions) && !args.in_release {
                return rerun_in_release();
            }
            analyze::run(&args)
        }
        Bench::Lint(args) => {
            if cfg!(debug_assertions) && !args.in_release {
                return rerun_in_release();
            }
            lint::run(&args)
        }
        Bench::Deploy(args) => {
            if cfg!(debug_assertions) && !args.in_release {
                return rerun_in_release();
            }
            deploy::run(&args)
        }
        Bench::MeasureChild { command, stdout } => {
            rusage::measure_child_main(&command, stdout.as_deref())
        }
    }
}

/// What every benchmark over OTP's files takes.
#[derive(clap::Args)]
pub(crate) struct Sample {
    /// Use only N of the files, spread evenly over the sorted list.
    #[arg(long, value_name = "N")]
    pub(crate) files: Option<usize>,

    /// Measured passes of erlkit per configuration (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) passes: usize,

    /// Set when xtask re-runs itself built with `--release`.
    #[arg(long, hide = true)]
    pub(crate) in_release: bool,
}

/// Runs this same `xtask bench ...` built with `--release`: `cargo xtask` builds
/// xtask in the dev profile, where the syntax crate is not optimised.
fn rerun_in_release() -> anyhow::Result<()> {
    eprintln!("xtask bench: building and running the benchmark in release mode");
    let bench_args: Vec<String> = std::env::args()
        .skip_while(|a| a != "bench")
        .skip(1)
        .collect();
    let status = crate::xtask_in_release(&["bench"])
        .args(bench_args)
        .arg("--in-release")
        .status()
        .context("running cargo run --release")?;
    if !status.success() {
        bail!("the release-mode benchmark failed ({status})");
    }
    Ok(())
}

/// Builds the release `erlkit` binary beside this (release) xtask and returns its path.
pub(crate) fn build_erlkit() -> anyhow::Result<std::path::PathBuf> {
    eprintln!("xtask bench: building erlkit in release mode");
    let status = crate::cargo()
        .args(["build", "--release", "--quiet", "--package", "erlkit"])
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release --package erlkit failed ({status})");
    }
    let exe = std::env::current_exe().context("finding xtask's own path")?;
    let erlkit = exe.with_file_name(format!("erlkit{}", std::env::consts::EXE_SUFFIX));
    if !erlkit.is_file() {
        bail!("no erlkit binary at {}", erlkit.display());
    }
    Ok(erlkit)
}

/// One source file held in memory.
pub(crate) struct Source {
    pub(crate) text: String,
}

/// Every file read and decoded (`%% coding: latin-1` honoured); the total size on disk.
fn read_sources(paths: &[std::path::PathBuf]) -> anyhow::Result<(Vec<Source>, u64)> {
    let mut bytes = 0;
    let mut sources = Vec::with_capacity(paths.len());
    for path in paths {
        let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        bytes += raw.len() as u64;
        let (text, _encoding) = syntax::decode_source(&raw)
            .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))?;
        sources.push(Source {
            text: text.into_owned(),
        });
    }
    Ok((sources, bytes))
}

/// The full version of the OTP at `root` and the release whose syntax applies.
fn installed_version(root: &std::path::Path) -> (String, syntax::OtpRelease) {
    match project_model::otp::read_installation(root) {
        Some(installation) => {
            let release = installation.release();
            (installation.version, release)
        }
        None => ("(unknown)".to_owned(), syntax::OtpRelease::LATEST),
    }
}
