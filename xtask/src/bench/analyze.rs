//! `cargo xtask bench analyze`: the analysis engine at scale, in three parts.
//!
//! 1. Cold, all of OTP: the release `erlkit analyze --otp --json` on an empty
//!    project, run as a child process (wall and CPU time, peak memory from
//!    `wait4`, and the phases and peak memory the command reports), against
//!    OTP's own preprocessor, `epp:parse_file/2`, over the same modules in one
//!    `erl` on all cores (`xtask/erlang/bench_epp.erl`), in turns.
//! 2. Synthetic monorepos of millions of lines made from OTP's modules
//!    ([`monorepo`]), each analysed by `erlkit analyze --no-otp --json`.
//! 3. Warm: OTP loaded in this process through `project_load`, every file
//!    analysed once, then one-line edits to the largest modules, modules at
//!    the 90th percentile of size and at the median, each timed from
//!    `AnalysisHost::apply_change` to the answers about the edited file
//!    ([`warm`]).

mod monorepo;
mod warm;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::helper_run::{self, median};
use super::machine;
use super::parse::{megabytes, seconds};
use super::rusage::{self, ChildUsage};
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct AnalyzeBenchArgs {
    /// Measured runs of each command (erlkit and epp take turns), and rounds
    /// of each warm edit; medians are reported.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..))]
    passes: u32,

    /// Sizes of the synthetic monorepos, in millions of lines.
    #[arg(
        long,
        value_name = "MILLIONS",
        value_delimiter = ',',
        default_value = "1,2.5,5"
    )]
    sizes: Vec<f64>,

    /// Where the empty project and the synthetic monorepos go. A monorepo is
    /// generated once and reused while it is unchanged. By default
    /// `erlkit-bench-analyze` in the system's temporary directory.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// One-line edits in the warm analysis in each group of modules (the
    /// largest, the 90th percentile of size, the median), each edit in
    /// another module.
    #[arg(long, value_name = "N", default_value_t = 10)]
    edits: usize,

    /// Apply the warm edits as to a project's own file (`library: false`: low
    /// durability, as the file an editor has open would be), not as to OTP's
    /// (library files, high durability, as loaded).
    #[arg(long)]
    edits_as_project_files: bool,

    /// Skip the cold analysis of OTP.
    #[arg(long)]
    no_cold: bool,

    /// Skip `epp:parse_file/2` (the peer of the cold analysis).
    #[arg(long)]
    no_epp: bool,

    /// Skip the synthetic monorepos.
    #[arg(long)]
    no_synthetic: bool,

    /// Skip the warm analysis and its edits.
    #[arg(long)]
    no_warm: bool,

    /// Set when xtask re-runs itself built with `--release`.
    #[arg(long, hide = true)]
    pub(crate) in_release: bool,
}

/// The bars of the issue.
const COLD_BAR_TIME: Duration = Duration::from_secs(15);
const COLD_BAR_RSS: u64 = 2_500_000_000;
const SYNTHETIC_BAR_RSS: u64 = 8_000_000_000;
const SYNTHETIC_BAR_LINES: f64 = 5.0;
const WARM_BAR: Duration = Duration::from_millis(20);

/// How long the machine is left to settle before each command runs, so that
/// none starts while the kernel still tears down the one before.
const SETTLE: Duration = Duration::from_secs(2);

/// The phases `erlkit analyze` reports, in its order.
const PHASES: [&str; 6] = [
    "discover",
    "read",
    "parse",
    "preprocess",
    "item trees",
    "module index",
];

pub(crate) fn run(args: &AnalyzeBenchArgs) -> anyhow::Result<()> {
    if let Some(bad) = args
        .sizes
        .iter()
        .find(|size| !(size.is_finite() && **size > 0.0))
    {
        bail!("--sizes: {bad} is not a positive number of millions of lines");
    }
    let root = otp::root()?;
    let (version, release) = super::installed_version(&root);
    let base = match &args.dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join("erlkit-bench-analyze"),
    };
    let empty = base.join("empty-project");
    std::fs::create_dir_all(&empty).with_context(|| format!("creating {}", empty.display()))?;
    if std::fs::read_dir(&empty)?.next().is_some() {
        bail!(
            "{} should be empty (the project analysed with OTP)",
            empty.display()
        );
    }
    let logs = crate::project_root().join("target/xtask-bench/analyze");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    println!(
        "analyze benchmark: OTP {version} at {} (syntax of OTP {}); {} threads; files in {}, logs in {}",
        root.display(),
        release.0,
        rayon::current_num_threads(),
        base.display(),
        logs.display(),
    );
    println!("machine at the start: {}", machine::describe());
    let erlkit = if args.no_cold && args.no_synthetic {
        None
    } else {
        Some(super::build_erlkit()?)
    };

    if let (Some(erlkit), false) = (&erlkit, args.no_cold) {
        cold_otp(args, erlkit, &empty, &logs)?;
    }
    if let (Some(erlkit), false) = (&erlkit, args.no_synthetic) {
        synthetic(args, erlkit, &root, &version, &base, &logs)?;
    }
    if !args.no_warm {
        warm::run(&empty, args.edits, args.passes, args.edits_as_project_files)?;
    }
    println!();
    println!("machine at the end: {}", machine::describe());
    Ok(())
}

/// Part 1: `erlkit analyze --otp` against `epp:parse_file/2` on OTP's modules.
fn cold_otp(
    args: &AnalyzeBenchArgs,
    erlkit: &Path,
    empty: &Path,
    logs: &Path,
) -> anyhow::Result<()> {
    println!();
    println!(
        "== cold: all of OTP, `erlkit analyze --otp --json {}`",
        empty.display()
    );
    // The modules erlkit analyses, for epp: OTP's, as the loader finds them.
    let list = logs.join("otp_modules.txt");
    let modules = warm::otp_module_paths(empty)?;
    let mut text = String::new();
    for path in &modules {
        let path = path
            .to_str()
            .with_context(|| format!("a path that is not UTF-8: {}", path.display()))?;
        text.push_str(path);
        text.push('\n');
    }
    std::fs::write(&list, text).with_context(|| format!("writing {}", list.display()))?;

    let mut erlkit_runs = Vec::new();
    let mut epp_runs = Vec::new();
    for pass in 1..=args.passes {
        eprintln!(
            "xtask bench: erlkit analyze --otp (pass {pass} of {})",
            args.passes
        );
        std::thread::sleep(SETTLE);
        erlkit_runs.push(run_erlkit_analyze(erlkit, empty, &["--otp"], logs, "otp")?);
        if !args.no_epp {
            eprintln!(
                "xtask bench: epp:parse_file/2 on {} modules (pass {pass} of {})",
                modules.len(),
                args.passes
            );
            std::thread::sleep(SETTLE);
            epp_runs.push(run_epp(&list, logs)?);
        }
    }
    let erlkit = AnalyzeSummary::of(&erlkit_runs);
    let report = &erlkit_runs[0].report;
    println!(
        "OTP: {} modules, {} headers, {} lines, {} read; erlkit reports {} errors (the same in every run: {})",
        report.modules,
        report.headers,
        report.lines,
        megabytes(report.bytes_read),
        report.errors,
        erlkit_runs
            .iter()
            .all(|run| run.report.errors == report.errors),
    );
    let median_of = format!("median of {}", args.passes);
    println!("{:<44} {:>9} {:>9} {:>10}", "", "wall", "CPU", "peak RSS");
    println!(
        "{:<44} {:>9} {:>9} {:>10}   {median_of}; peak RSS it reports: {}",
        "erlkit analyze --otp --json",
        seconds(erlkit.wall),
        seconds(erlkit.cpu),
        megabytes(erlkit.peak_rss),
        erlkit.reported_rss.map_or("-".to_owned(), megabytes),
    );
    println!("  phases: {}", erlkit.phases_text());
    if !epp_runs.is_empty() {
        let wall = median(epp_runs.iter().map(|run| run.usage.wall));
        let cpu = median(epp_runs.iter().map(|run| run.usage.cpu));
        let rss = median(epp_runs.iter().map(|run| run.usage.peak_rss));
        let parse = median(epp_runs.iter().map(|run| run.parse));
        let options = median(epp_runs.iter().map(|run| run.options));
        let first = &epp_runs[0];
        println!(
            "{:<44} {:>9} {:>9} {:>10}   {median_of}; of it, epp:parse_file/2 {} on {} schedulers, options from the beams {}",
            "erl: epp:parse_file/2 of every module",
            seconds(wall),
            seconds(cpu),
            megabytes(rss),
            seconds(parse),
            first.schedulers,
            seconds(options),
        );
        println!(
            "  epp: {} modules ({} with their beam's options, {} given), {} forms, {} error forms, {} files it could not open",
            first.files,
            first.beam_options,
            first.given_options,
            first.forms,
            first.error_forms,
            first.failed
        );
        println!(
            "erlkit / epp, wall time: {:.2} against epp:parse_file/2 alone ({:.1}x faster), {:.2} against the whole erl run ({:.1}x faster)",
            erlkit.wall.as_secs_f64() / parse.as_secs_f64(),
            parse.as_secs_f64() / erlkit.wall.as_secs_f64(),
            erlkit.wall.as_secs_f64() / wall.as_secs_f64(),
            wall.as_secs_f64() / erlkit.wall.as_secs_f64(),
        );
    }
    let met = erlkit.wall < COLD_BAR_TIME && erlkit.peak_rss < COLD_BAR_RSS;
    println!(
        "bar: under {} s and {:.1} GB: {} ({}, {:.2} GB)",
        COLD_BAR_TIME.as_secs(),
        COLD_BAR_RSS as f64 / 1e9,
        if met { "met" } else { "MISSED" },
        seconds(erlkit.wall),
        erlkit.peak_rss as f64 / 1e9,
    );
    Ok(())
}

/// Part 2: the synthetic monorepos.
fn synthetic(
    args: &AnalyzeBenchArgs,
    erlkit: &Path,
    otp_root: &Path,
    otp_version: &str,
    base: &Path,
    logs: &Path,
) -> anyhow::Result<()> {
    println!();
    println!(
        "== synthetic monorepos: OTP's src/*.erl, src/*.hrl and include/*.hrl copied into apps/<app>_<n>, modules renamed; `erlkit analyze --no-otp --json`"
    );
    let sources = monorepo::OtpSources::read(otp_root)?;
    println!(
        "one copy of OTP's sources: {} applications, {} modules, {} lines",
        sources.apps.len(),
        sources.modules(),
        sources.lines()
    );
    let mut rows = Vec::new();
    for &size in &args.sizes {
        let generated = monorepo::generate_or_reuse(&sources, otp_version, base, size)?;
        let mut runs = Vec::new();
        for pass in 1..=args.passes {
            eprintln!(
                "xtask bench: erlkit analyze --no-otp on {} (pass {pass} of {})",
                generated.dir.display(),
                args.passes
            );
            std::thread::sleep(SETTLE);
            runs.push(run_erlkit_analyze(
                erlkit,
                &generated.dir,
                &["--no-otp"],
                logs,
                &format!("monorepo-{size}M"),
            )?);
        }
        rows.push((size, generated, AnalyzeSummary::of(&runs), runs));
    }
    println!(
        "{:>6} {:>6} {:>7} {:>10} {:>8} {:>9} {:>9} {:>10}   phases",
        "size", "apps", "modules", "lines", "MB", "wall", "CPU", "peak RSS"
    );
    for (size, generated, summary, runs) in &rows {
        let report = &runs[0].report;
        println!(
            "{:>5}M {:>6} {:>7} {:>10} {:>8.1} {:>9} {:>9} {:>10}   {}",
            size,
            generated.apps,
            report.modules,
            report.lines,
            report.bytes_read as f64 / 1e6,
            seconds(summary.wall),
            seconds(summary.cpu),
            megabytes(summary.peak_rss),
            summary.phases_text(),
        );
    }
    println!(
        "(medians of {}; lines and modules as erlkit counts them; each monorepo {})",
        args.passes,
        rows.iter()
            .map(|(size, generated, ..)| format!("{size}M {}", generated.how))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some((size, _, summary, _)) = rows
        .iter()
        .filter(|(size, ..)| *size >= SYNTHETIC_BAR_LINES)
        .min_by(|a, b| a.0.total_cmp(&b.0))
    {
        let met = summary.peak_rss < SYNTHETIC_BAR_RSS;
        println!(
            "bar: at {SYNTHETIC_BAR_LINES}M lines, peak RSS under {:.0} GB: {} ({:.2} GB at {size}M)",
            SYNTHETIC_BAR_RSS as f64 / 1e9,
            if met { "met" } else { "MISSED" },
            summary.peak_rss as f64 / 1e9,
        );
    }
    Ok(())
}

/// What `erlkit analyze --json` prints, the parts the benchmark reads.
#[derive(Debug, Clone, Deserialize)]
struct AnalyzeReport {
    modules: u64,
    headers: u64,
    lines: u64,
    bytes_read: u64,
    errors: u64,
    seconds: ReportedSeconds,
    peak_rss_bytes: Option<u64>,
}

#[derive(Debug, Clone, Deserialize)]
struct ReportedSeconds {
    /// From the start of the command's work to its report (not the process's
    /// start and exit).
    total: f64,
    phases: BTreeMap<String, f64>,
}

/// One run of `erlkit analyze`.
struct AnalyzeRun {
    usage: ChildUsage,
    report: AnalyzeReport,
}

/// The medians of runs of `erlkit analyze`, each figure on its own.
struct AnalyzeSummary {
    wall: Duration,
    cpu: Duration,
    /// From `wait4`.
    peak_rss: u64,
    /// What the command read from `/proc/self/status`.
    reported_rss: Option<u64>,
    /// The time the command reports for its work.
    reported_total: Duration,
    phases: Vec<(&'static str, Duration)>,
}

impl AnalyzeSummary {
    fn of(runs: &[AnalyzeRun]) -> AnalyzeSummary {
        let reported: Vec<u64> = runs
            .iter()
            .filter_map(|run| run.report.peak_rss_bytes)
            .collect();
        AnalyzeSummary {
            wall: median(runs.iter().map(|run| run.usage.wall)),
            cpu: median(runs.iter().map(|run| run.usage.cpu)),
            peak_rss: median(runs.iter().map(|run| run.usage.peak_rss)),
            reported_rss: (!reported.is_empty()).then(|| median(reported.into_iter())),
            reported_total: median(
                runs.iter()
                    .map(|run| Duration::from_secs_f64(run.report.seconds.total.max(0.0))),
            ),
            phases: PHASES
                .iter()
                .map(|&phase| {
                    let times = runs.iter().map(|run| {
                        let seconds = run.report.seconds.phases.get(phase).copied();
                        Duration::from_secs_f64(seconds.unwrap_or(0.0).max(0.0))
                    });
                    (phase, median(times))
                })
                .collect(),
        }
    }

    /// The phases, and the total the command reports (which also counts what
    /// lies between them: dropping memoized trees between batches, sorting).
    fn phases_text(&self) -> String {
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(name, time)| format!("{name} {:.2} s", time.as_secs_f64()))
            .collect();
        format!(
            "{}; total it reports {:.2} s",
            phases.join(", "),
            self.reported_total.as_secs_f64()
        )
    }
}

/// Runs `erlkit analyze EXTRA --json PROJECT` as a measured child process; its
/// JSON and stderr are kept in `logs`.
fn run_erlkit_analyze(
    erlkit: &Path,
    project: &Path,
    extra: &[&str],
    logs: &Path,
    name: &str,
) -> anyhow::Result<AnalyzeRun> {
    let json = logs.join(format!("erlkit-analyze-{name}.json"));
    let log = logs.join(format!("erlkit-analyze-{name}.stderr"));
    let stderr = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let args: Vec<std::ffi::OsString> = ["analyze"]
        .iter()
        .chain(extra)
        .chain(&["--json"])
        .map(Into::into)
        .chain([project.as_os_str().to_owned()])
        .collect();
    let usage = rusage::run_measured(erlkit.as_os_str(), &args, project, &[], stderr, Some(&json))?
        .with_context(|| format!("{} not found", erlkit.display()))?;
    // 1 says that some file has an error; 2 and signals are failures.
    if !matches!(usage.code, Some(0 | 1)) {
        bail!(
            "erlkit analyze on {} failed ({:?}); see {}",
            project.display(),
            usage.code,
            log.display()
        );
    }
    let text =
        std::fs::read_to_string(&json).with_context(|| format!("reading {}", json.display()))?;
    let report: AnalyzeReport =
        serde_json::from_str(&text).with_context(|| format!("reading {}", json.display()))?;
    Ok(AnalyzeRun { usage, report })
}

/// One run of `xtask/erlang/bench_epp.erl`.
struct EppRun {
    /// Of the whole `erl` process: boot, compiling the helper, options, parsing.
    usage: ChildUsage,
    files: u64,
    schedulers: u64,
    beam_options: u64,
    given_options: u64,
    forms: u64,
    error_forms: u64,
    failed: u64,
    options: Duration,
    parse: Duration,
}

/// Runs the epp helper on the modules listed in `list`, as a measured child process.
fn run_epp(list: &Path, logs: &Path) -> anyhow::Result<EppRun> {
    let report = helper_run::run("bench_epp.erl", "epp", list, logs)?;
    let field = |key: &str| report.field(key);
    Ok(EppRun {
        usage: report.usage.clone(),
        files: field("files")?,
        schedulers: field("schedulers")?,
        beam_options: field("beam_options")?,
        given_options: field("given_options")?,
        forms: field("forms")?,
        error_forms: field("error_forms")?,
        failed: field("failed")?,
        options: Duration::from_micros(field("options_us")?),
        parse: Duration::from_micros(field("parse_us")?),
    })
}
