//! `cargo xtask bench deploy`: `erlkit deploy diff` between two builds of
//! all of OTP's `.beam` files, the second with a set of stdlib modules
//! recompiled with a change; then `erlkit deploy apply` of a 50-module change
//! on 3 loopback nodes against an rpc loop of `c:l/1` (see `deploy_apply`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::{deploy_apply, machine, rusage};
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct DeployBenchArgs {
    /// Measured runs of `deploy diff`; the median is reported.
    #[arg(long, default_value_t = 5)]
    passes: usize,
    /// How many stdlib modules are recompiled with a change for NEW.
    #[arg(long, default_value_t = 50)]
    modules: usize,
    /// Measured runs of `deploy apply` on the nodes, and of the c:l loop;
    /// the medians are reported.
    #[arg(long, value_name = "N", default_value_t = 5)]
    apply_passes: usize,
    /// Run one part only: the diff of two builds of OTP, or the apply to
    /// live nodes (by default both).
    #[arg(long, value_enum, value_name = "PART")]
    only: Option<Part>,
    /// Where the builds go (made anew each run). By default
    /// `erlkit-bench-deploy` in the system's temporary directory.
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Set when xtask re-runs itself built with `--release`.
    #[arg(long, hide = true)]
    pub(crate) in_release: bool,
}

/// The parts of the benchmark.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// `erlkit deploy diff` between two builds of OTP.
    Diff,
    /// `erlkit deploy apply` on 3 loopback nodes against a c:l/1 loop.
    Apply,
}

/// The bar of the issue for the diff of two builds of OTP.
const DIFF_BAR: Duration = Duration::from_secs(1);

pub(crate) fn run(args: &DeployBenchArgs) -> anyhow::Result<()> {
    let base = args
        .dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("erlkit-bench-deploy"));
    if base.exists() {
        std::fs::remove_dir_all(&base).with_context(|| format!("removing {}", base.display()))?;
    }
    let logs = crate::project_root().join("target/xtask-bench/deploy");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let erlkit = super::build_erlkit()?;
    if args.only != Some(Part::Apply) {
        run_diff(args, &erlkit, &base, &logs)?;
    }
    if args.only != Some(Part::Diff) {
        if args.only == Some(Part::Apply) {
            println!("machine at the start: {}", machine::describe());
        }
        deploy_apply::run(&erlkit, &base.join("apply"), &logs, args.apply_passes)?;
    }
    println!("machine at the end: {}", machine::describe());
    Ok(())
}

/// The first part: `erlkit deploy diff --json OLD NEW` on two builds of OTP.
fn run_diff(args: &DeployBenchArgs, erlkit: &Path, base: &Path, logs: &Path) -> anyhow::Result<()> {
    let root = otp::root()?;
    let (old, new) = (base.join("old"), base.join("new"));
    let copied = copy_ebins(&root, &old)?;
    copy_ebins(&root, &new)?;
    let changed = recompile_with_a_change(&root, &new, args.modules)?;
    println!(
        "deploy benchmark: OTP at {}; OLD {} ({copied} .beam files from lib/*/ebin), NEW a copy with {} stdlib modules recompiled with one function added; logs in {}",
        root.display(),
        old.display(),
        changed.len(),
        logs.display()
    );
    println!("machine at the start: {}", machine::describe());
    println!();
    println!("== `erlkit deploy diff --json OLD NEW`");
    let json = logs.join("deploy-diff.json");
    let mut runs = Vec::new();
    for pass in 0..args.passes {
        eprintln!(
            "xtask bench: erlkit deploy diff (pass {} of {})",
            pass + 1,
            args.passes
        );
        let log = logs.join("deploy-diff.stderr");
        let stderr = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let usage = rusage::run_measured(
            erlkit.as_os_str(),
            &[
                "deploy".into(),
                "diff".into(),
                "--json".into(),
                old.clone().into(),
                new.clone().into(),
            ],
            base,
            &[],
            stderr,
            Some(&json),
        )?
        .with_context(|| format!("{} not found", erlkit.display()))?;
        if !matches!(usage.code, Some(0 | 1)) {
            bail!(
                "erlkit deploy diff failed ({:?}); see {}",
                usage.code,
                log.display()
            );
        }
        runs.push(usage);
    }
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&json).with_context(|| format!("reading {}", json.display()))?,
    )?;
    let steps = report["plan"]["steps"].as_array().map_or(0, Vec::len);
    let modules = report["modules"]["old"].as_u64().unwrap_or(0);
    println!(
        "erlkit: {modules} modules in each build, {steps} to load (expected {}), {} risks",
        changed.len(),
        report["plan"]["risks"].as_array().map_or(0, Vec::len)
    );
    runs.sort_by_key(|run| run.wall);
    let median = &runs[runs.len() / 2];
    println!("{:<40} {:>10} {:>10} {:>10}", "", "wall", "CPU", "peak RSS");
    println!(
        "{:<40} {:>8.3} s {:>8.3} s {:>7.1} MB   median of {}",
        "erlkit deploy diff --json",
        median.wall.as_secs_f64(),
        median.cpu.as_secs_f64(),
        median.peak_rss as f64 / 1e6,
        runs.len()
    );
    println!(
        "bar: under 1 s: {} ({:.3} s)",
        if median.wall < DIFF_BAR {
            "met"
        } else {
            "MISSED"
        },
        median.wall.as_secs_f64()
    );
    if steps != changed.len() {
        bail!(
            "the plan has {steps} modules to load, {} were changed",
            changed.len()
        );
    }
    Ok(())
}

/// Copies the `.beam` and `.app` files of every `lib/*/ebin` of OTP to
/// `to/lib/*/ebin`; gives how many `.beam` files.
fn copy_ebins(root: &Path, to: &Path) -> anyhow::Result<usize> {
    let mut count = 0;
    let lib = root.join("lib");
    for app in std::fs::read_dir(&lib).with_context(|| format!("reading {}", lib.display()))? {
        let app = app?.path();
        let ebin = app.join("ebin");
        let Ok(entries) = std::fs::read_dir(&ebin) else {
            continue;
        };
        let target = to
            .join("lib")
            .join(app.file_name().context("an app's name")?)
            .join("ebin");
        std::fs::create_dir_all(&target)?;
        for entry in entries {
            let path = entry?.path();
            let keep = path
                .extension()
                .is_some_and(|ext| ext == "beam" || ext == "app");
            if keep {
                std::fs::copy(&path, target.join(path.file_name().context("a file name")?))?;
                count += usize::from(path.extension().is_some_and(|ext| ext == "beam"));
            }
        }
    }
    Ok(count)
}

/// Recompiles the first `count` stdlib modules (by name) into `new`'s stdlib
/// ebin, each with an exported function added; gives their names.
fn recompile_with_a_change(root: &Path, new: &Path, count: usize) -> anyhow::Result<Vec<String>> {
    let app_dir = |prefix: &str| -> anyhow::Result<PathBuf> {
        std::fs::read_dir(root.join("lib"))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(|name| name.starts_with(prefix))
            })
            .with_context(|| format!("no {prefix}* in OTP's lib"))
    };
    let stdlib = app_dir("stdlib-")?;
    let kernel = app_dir("kernel-")?;
    let mut sources: Vec<PathBuf> = std::fs::read_dir(stdlib.join("src"))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "erl"))
        .collect();
    sources.sort();
    let work = new
        .parent()
        .context("the bench directory")?
        .join("changed-src");
    std::fs::create_dir_all(&work)?;
    let mut changed = Vec::new();
    for source in sources {
        if changed.len() == count {
            break;
        }
        let text = std::fs::read_to_string(&source)?;
        let Some(at) = text.find("\n-module(") else {
            continue;
        };
        let Some(end) = text[at + 1..].find('\n') else {
            continue;
        };
        let split = at + 1 + end + 1;
        let edited = format!(
            "{}-export(['$erlkit_bench'/0]).\n{}\n'$erlkit_bench'() -> changed.\n",
            &text[..split],
            &text[split..]
        );
        let name = source.file_name().context("a file name")?;
        std::fs::write(work.join(name), edited)?;
        changed.push(
            source
                .file_stem()
                .and_then(|stem| stem.to_str())
                .context("a module name")?
                .to_owned(),
        );
    }
    let ebin = new
        .join("lib")
        .join(stdlib.file_name().context("stdlib's name")?)
        .join("ebin");
    let mut command = std::process::Command::new("erlc");
    command
        .arg("+debug_info")
        .arg("-I")
        .arg(stdlib.join("include"))
        .arg("-I")
        .arg(stdlib.join("src"))
        .arg("-I")
        .arg(kernel.join("include"))
        .arg("-o")
        .arg(&ebin);
    for module in &changed {
        command.arg(work.join(format!("{module}.erl")));
    }
    let status = command.status().context("running erlc")?;
    if !status.success() {
        bail!("erlc failed on the changed stdlib modules ({status})");
    }
    Ok(changed)
}
