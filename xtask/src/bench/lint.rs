//! `cargo xtask bench lint`: `erlkit lint` over all of OTP's sources as a
//! project, in three parts.
//!
//! The project: OTP's `lib/APP-VSN/src` and `lib/APP-VSN/include` (their
//! `.erl`, `.hrl` and `.app.src` files, subdirectories too) copied into
//! `<dir>/otp-lint/apps/APP/{src,include}`, with `ebin/APP.app` as
//! `src/APP.app.src` where there is none, and a `rebar.config` that makes it
//! a rebar3 umbrella: erlkit discovers each application as the project's own
//! (OTP's installation is loaded too, as always, so `-include_lib`
//! resolves).
//!
//! 1. Cold: the release `erlkit lint --no-cache --format json`, as a measured
//!    child process, against OTP's compiler on the same modules as far as
//!    its warnings go, `compile:file(F, [strong_validation, return | Opts])`
//!    with each module's include path and macros from its installed beam, in
//!    one `erl` on all cores (`xtask/erlang/bench_lint.erl`), in turns.
//! 2. Warm: `erlkit lint` with the cache written by a run before and nothing
//!    changed (its output checked against the uncached run's, byte for byte).
//! 3. One file changed: a comment appended to a mid-size module (the median
//!    by size) before each run; the modules that read it are linted again.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

use super::helper_run::{self, median};
use super::machine;
use super::parse::{megabytes, seconds};
use super::rusage::{self, ChildUsage};
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct LintBenchArgs {
    /// Measured runs of each command; medians are reported.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..))]
    passes: u32,

    /// Where the copy of OTP's sources goes (made anew each run). By default
    /// `erlkit-bench-lint` in the system's temporary directory.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Skip OTP's compiler (the peer of the cold run).
    #[arg(long)]
    no_compiler: bool,

    /// The module to edit in part 3 (its file name without `.erl`); by
    /// default the median module by size.
    #[arg(long, value_name = "NAME")]
    module: Option<String>,

    /// Set when xtask re-runs itself built with `--release`.
    #[arg(long, hide = true)]
    pub(crate) in_release: bool,
}

/// The bars of the issue.
const COLD_BAR_TIME: Duration = Duration::from_secs(15);
const COLD_BAR_RATIO: f64 = 10.0;
const WARM_BAR: Duration = Duration::from_secs(1);
const ONE_CHANGED_BAR: Duration = Duration::from_secs(2);

/// How long the machine is left to settle before each command runs.
const SETTLE: Duration = Duration::from_secs(2);

pub(crate) fn run(args: &LintBenchArgs) -> anyhow::Result<()> {
    let root = otp::root()?;
    let (version, release) = super::installed_version(&root);
    let base = match &args.dir {
        Some(dir) => dir.clone(),
        None => std::env::temp_dir().join("erlkit-bench-lint"),
    };
    let project = base.join("otp-lint");
    let logs = crate::project_root().join("target/xtask-bench/lint");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let copy = copy_otp_sources(&root, &project)?;
    println!(
        "lint benchmark: OTP {version} at {} (syntax of OTP {}); {} cores; project {} ({} applications, {} modules, {} headers, {} copied from OTP's lib/*/{{src,include}}); logs in {}",
        root.display(),
        release.0,
        std::thread::available_parallelism().map_or(1, usize::from),
        project.display(),
        copy.apps,
        copy.modules.len(),
        copy.headers,
        megabytes(copy.bytes),
        logs.display(),
    );
    println!("machine at the start: {}", machine::describe());
    let erlkit = super::build_erlkit()?;
    let median_of = format!("median of {}", args.passes);

    // Part 1: cold, against the compiler.
    println!();
    println!(
        "== cold: `erlkit lint --no-cache --format json --root {}`, against `compile:file/2` with strong_validation",
        project.display()
    );
    let list = logs.join("otp_modules.txt");
    let mut text = String::new();
    for (_, original) in &copy.modules {
        let original = original
            .to_str()
            .with_context(|| format!("a path that is not UTF-8: {}", original.display()))?;
        text.push_str(original);
        text.push('\n');
    }
    std::fs::write(&list, text).with_context(|| format!("writing {}", list.display()))?;
    let mut cold = Vec::new();
    let mut compiler = Vec::new();
    for pass in 1..=args.passes {
        eprintln!(
            "xtask bench: erlkit lint --no-cache (pass {pass} of {})",
            args.passes
        );
        std::thread::sleep(SETTLE);
        cold.push(run_erlkit_lint(
            &erlkit,
            &project,
            &["--no-cache"],
            &logs,
            "cold",
        )?);
        if !args.no_compiler {
            eprintln!(
                "xtask bench: compile:file/2 on {} modules (pass {pass} of {})",
                copy.modules.len(),
                args.passes
            );
            std::thread::sleep(SETTLE);
            compiler.push(run_compiler(&list, &logs)?);
        }
    }
    let first = &cold[0];
    println!(
        "erlkit: {} files linted, {} errors, {} warnings (the same output in every run: {})",
        first.files,
        first.errors,
        first.warnings,
        cold.iter().all(|run| run.output == first.output),
    );
    println!("{:<52} {:>9} {:>9} {:>10}", "", "wall", "CPU", "peak RSS");
    let cold_wall = median(cold.iter().map(|run| run.usage.wall));
    println!(
        "{:<52} {:>9} {:>9} {:>10}   {median_of}",
        "erlkit lint --no-cache",
        seconds(cold_wall),
        seconds(median(cold.iter().map(|run| run.usage.cpu))),
        megabytes(median(cold.iter().map(|run| run.usage.peak_rss))),
    );
    let mut ratio = None;
    if !compiler.is_empty() {
        let wall = median(compiler.iter().map(|run| run.usage.wall));
        let compile = median(compiler.iter().map(|run| run.compile));
        let options = median(compiler.iter().map(|run| run.options));
        let first = &compiler[0];
        println!(
            "{:<52} {:>9} {:>9} {:>10}   {median_of}; of it, compile:file/2 {} on {} schedulers, options from the beams {}",
            "erl: compile:file(F, [strong_validation, return])",
            seconds(wall),
            seconds(median(compiler.iter().map(|run| run.usage.cpu))),
            megabytes(median(compiler.iter().map(|run| run.usage.peak_rss))),
            seconds(compile),
            first.schedulers,
            seconds(options),
        );
        println!(
            "  compiler: {} modules ({} with their beam's options, {} given), {} compiled, {} with errors; {} errors, {} warnings",
            first.files,
            first.beam_options,
            first.given_options,
            first.compiled,
            first.failed,
            first.errors,
            first.warnings,
        );
        let against_compile = compile.as_secs_f64() / cold_wall.as_secs_f64();
        let against_whole = wall.as_secs_f64() / cold_wall.as_secs_f64();
        println!(
            "compiler / erlkit, wall time: {against_compile:.1}x against compile:file/2 alone, {against_whole:.1}x against the whole erl run"
        );
        ratio = Some(against_compile);
    }
    let met = cold_wall < COLD_BAR_TIME && ratio.is_none_or(|ratio| ratio >= COLD_BAR_RATIO);
    println!(
        "bar: under {} s and {COLD_BAR_RATIO:.0}x faster than the compiler: {} ({}{})",
        COLD_BAR_TIME.as_secs(),
        if met { "met" } else { "MISSED" },
        seconds(cold_wall),
        ratio.map_or(String::new(), |ratio| format!(", {ratio:.1}x")),
    );

    // Part 2: warm.
    println!();
    println!("== warm: `erlkit lint --format json` with the cache, nothing changed");
    let cache_dir = project.join(".erlkit");
    let mut filling = Vec::new();
    for pass in 1..=args.passes {
        eprintln!(
            "xtask bench: erlkit lint writing the cache (pass {pass} of {})",
            args.passes
        );
        remove_dir_if_present(&cache_dir)?;
        std::thread::sleep(SETTLE);
        filling.push(run_erlkit_lint(&erlkit, &project, &[], &logs, "fill")?);
    }
    let cache_file = cache_dir.join("cache/lint.json");
    let cache_size = std::fs::metadata(&cache_file)
        .with_context(|| format!("no cache at {}", cache_file.display()))?
        .len();
    let mut warm = Vec::new();
    for pass in 1..=args.passes {
        eprintln!(
            "xtask bench: erlkit lint, warm (pass {pass} of {})",
            args.passes
        );
        std::thread::sleep(SETTLE);
        warm.push(run_erlkit_lint(&erlkit, &project, &[], &logs, "warm")?);
    }
    let same = filling
        .iter()
        .chain(&warm)
        .all(|run| run.output == cold[0].output);
    let fill_wall = median(filling.iter().map(|run| run.usage.wall));
    let warm_wall = median(warm.iter().map(|run| run.usage.wall));
    println!(
        "cache {} ({}); output byte-identical to the uncached run's: {same}; files analysed in the warm runs: {}",
        cache_file.display(),
        megabytes(cache_size),
        warm.iter()
            .map(|run| run.analysed.map_or("?".to_owned(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    println!(
        "{:<52} {:>9} {:>9} {:>10}   {median_of}",
        "erlkit lint, no cache yet (writing it)",
        seconds(fill_wall),
        seconds(median(filling.iter().map(|run| run.usage.cpu))),
        megabytes(median(filling.iter().map(|run| run.usage.peak_rss))),
    );
    println!(
        "{:<52} {:>9} {:>9} {:>10}   {median_of}; {:.1}x faster than cold",
        "erlkit lint, warm",
        seconds(warm_wall),
        seconds(median(warm.iter().map(|run| run.usage.cpu))),
        megabytes(median(warm.iter().map(|run| run.usage.peak_rss))),
        cold_wall.as_secs_f64() / warm_wall.as_secs_f64(),
    );
    if !same {
        bail!(
            "a cached run printed something else than the uncached run; see {}",
            logs.display()
        );
    }
    println!(
        "bar: warm under {} s: {} ({})",
        WARM_BAR.as_secs(),
        if warm_wall < WARM_BAR {
            "met"
        } else {
            "MISSED"
        },
        seconds(warm_wall),
    );

    // Part 3: one file changed.
    println!();
    let (edited, size) = module_to_edit(&copy.modules, args.module.as_deref())?;
    println!(
        "== one file changed: a comment appended to {} ({} bytes) before each run",
        edited.display(),
        size
    );
    let original =
        std::fs::read(&edited).with_context(|| format!("reading {}", edited.display()))?;
    let mut changed = Vec::new();
    let result = (|| -> anyhow::Result<()> {
        for pass in 1..=args.passes {
            let mut text = original.clone();
            text.extend_from_slice(format!("\n%% erlkit bench edit {pass}\n").as_bytes());
            std::fs::write(&edited, text)
                .with_context(|| format!("writing {}", edited.display()))?;
            eprintln!(
                "xtask bench: erlkit lint, one file changed (pass {pass} of {})",
                args.passes
            );
            std::thread::sleep(SETTLE);
            changed.push(run_erlkit_lint(&erlkit, &project, &[], &logs, "changed")?);
        }
        Ok(())
    })();
    std::fs::write(&edited, &original)
        .with_context(|| format!("restoring {}", edited.display()))?;
    result?;
    let changed_wall = median(changed.iter().map(|run| run.usage.wall));
    println!(
        "files analysed again in each run (the module and those that read it): {}",
        changed
            .iter()
            .map(|run| run.analysed.map_or("?".to_owned(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(", "),
    );
    println!(
        "{:<52} {:>9} {:>9} {:>10}   {median_of}; {:.1}x faster than cold",
        "erlkit lint, one file changed",
        seconds(changed_wall),
        seconds(median(changed.iter().map(|run| run.usage.cpu))),
        megabytes(median(changed.iter().map(|run| run.usage.peak_rss))),
        cold_wall.as_secs_f64() / changed_wall.as_secs_f64(),
    );
    println!(
        "bar: one file changed under {} s: {} ({})",
        ONE_CHANGED_BAR.as_secs(),
        if changed_wall < ONE_CHANGED_BAR {
            "met"
        } else {
            "MISSED"
        },
        seconds(changed_wall),
    );
    println!();
    println!("machine at the end: {}", machine::describe());
    Ok(())
}

/// What was copied.
struct Copy {
    apps: usize,
    /// Each module's copy and its original, sorted by the copy's path.
    modules: Vec<(PathBuf, PathBuf)>,
    headers: usize,
    bytes: u64,
}

/// Copies OTP's `lib/APP-VSN/{src,include}` to `project/apps/APP/{src,include}`
/// (`.erl`, `.hrl` and `.app.src` files), replacing what was there.
fn copy_otp_sources(otp_root: &Path, project: &Path) -> anyhow::Result<Copy> {
    remove_dir_if_present(project)?;
    let mut copy = Copy {
        apps: 0,
        modules: Vec::new(),
        headers: 0,
        bytes: 0,
    };
    let lib = otp_root.join("lib");
    let mut apps: Vec<PathBuf> = std::fs::read_dir(&lib)
        .with_context(|| format!("reading {}", lib.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    apps.sort();
    for app_dir in apps {
        let Some(dir_name) = app_dir.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let app = dir_name.split('-').next().unwrap_or(dir_name);
        let mut any = false;
        for part in ["src", "include"] {
            let from = app_dir.join(part);
            if !from.is_dir() {
                continue;
            }
            let to = project.join("apps").join(app).join(part);
            let mut stack = vec![(from, to)];
            while let Some((from, to)) = stack.pop() {
                for entry in std::fs::read_dir(&from)
                    .with_context(|| format!("reading {}", from.display()))?
                {
                    let path = entry?.path();
                    let Some(name) = path.file_name() else {
                        continue;
                    };
                    let target = to.join(name);
                    if path.is_dir() {
                        stack.push((path, target));
                        continue;
                    }
                    let name = name.to_string_lossy();
                    let module = name.ends_with(".erl");
                    if !(module || name.ends_with(".hrl") || name.ends_with(".app.src")) {
                        continue;
                    }
                    std::fs::create_dir_all(&to)
                        .with_context(|| format!("creating {}", to.display()))?;
                    copy.bytes += std::fs::copy(&path, &target).with_context(|| {
                        format!("copying {} to {}", path.display(), target.display())
                    })?;
                    any = true;
                    if module {
                        copy.modules.push((target, path));
                    } else if name.ends_with(".hrl") {
                        copy.headers += 1;
                    }
                }
            }
        }
        // Debian installs OTP's resource files in ebin/ only: as the
        // application's .app.src they name it and its dependencies.
        let src = project.join("apps").join(app).join("src");
        let resource = app_dir.join("ebin").join(format!("{app}.app"));
        let has_app_src = std::fs::read_dir(&src).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().ends_with(".app.src"))
        });
        if any && !has_app_src && resource.is_file() {
            std::fs::create_dir_all(&src).with_context(|| format!("creating {}", src.display()))?;
            let target = src.join(format!("{app}.app.src"));
            std::fs::copy(&resource, &target).with_context(|| {
                format!("copying {} to {}", resource.display(), target.display())
            })?;
        }
        copy.apps += usize::from(any);
    }
    // A rebar3 umbrella: every apps/APP with an .app.src or modules in src/
    // (some of OTP's keep theirs in subdirectories of src/ only).
    let config = project.join("rebar.config");
    std::fs::write(&config, "{erl_opts, []}.\n")
        .with_context(|| format!("writing {}", config.display()))?;
    copy.modules.sort();
    Ok(copy)
}

fn remove_dir_if_present(dir: &Path) -> anyhow::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            Err(error).with_context(|| format!("removing {}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// The module of part 3 and its size: `name`'s copy, else the median by size.
fn module_to_edit(
    modules: &[(PathBuf, PathBuf)],
    name: Option<&str>,
) -> anyhow::Result<(PathBuf, u64)> {
    let mut sized: Vec<(u64, &PathBuf)> = modules
        .iter()
        .map(|(copy, _)| Ok((std::fs::metadata(copy)?.len(), copy)))
        .collect::<anyhow::Result<_>>()?;
    sized.sort();
    let chosen = match name {
        Some(name) => sized
            .iter()
            .find(|(_, path)| path.file_stem().is_some_and(|stem| stem == name))
            .with_context(|| format!("no module {name} in the copy"))?,
        None => sized.get(sized.len() / 2).context("no module to edit")?,
    };
    Ok((chosen.1.clone(), chosen.0))
}

/// One run of `erlkit lint`.
struct LintRun {
    usage: ChildUsage,
    /// What it printed (JSON).
    output: Vec<u8>,
    files: u64,
    errors: u64,
    warnings: u64,
    /// How many files it analysed (from its debug log).
    analysed: Option<u64>,
}

/// Runs `erlkit lint EXTRA --format json --root PROJECT` as a measured child
/// process, with the lint command's debug log (one line per phase) in `logs`.
fn run_erlkit_lint(
    erlkit: &Path,
    project: &Path,
    extra: &[&str],
    logs: &Path,
    name: &str,
) -> anyhow::Result<LintRun> {
    let json = logs.join(format!("erlkit-lint-{name}.json"));
    let log = logs.join(format!("erlkit-lint-{name}.stderr"));
    let stderr = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let args: Vec<std::ffi::OsString> = ["lint"]
        .iter()
        .chain(extra)
        .chain(&["--format", "json", "--root"])
        .map(Into::into)
        .chain([project.as_os_str().to_owned()])
        .collect();
    let env = [("RUST_LOG", "erlkit::lint_cmd=debug"), ("NO_COLOR", "1")];
    let usage = rusage::run_measured(
        erlkit.as_os_str(),
        &args,
        project,
        &env,
        stderr,
        Some(&json),
    )?
    .with_context(|| format!("{} not found", erlkit.display()))?;
    // 1 says that some finding is an error; 2 and signals are failures.
    if !matches!(usage.code, Some(0 | 1)) {
        bail!(
            "erlkit lint on {} failed ({:?}); see {}",
            project.display(),
            usage.code,
            log.display()
        );
    }
    let output = std::fs::read(&json).with_context(|| format!("reading {}", json.display()))?;
    let report: serde_json::Value =
        serde_json::from_slice(&output).with_context(|| format!("reading {}", json.display()))?;
    let count = |key: &str| {
        report
            .get(key)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    let debug = std::fs::read_to_string(&log).unwrap_or_default();
    let analysed = debug
        .lines()
        .filter(|line| line.contains("lint: files"))
        .find_map(|line| {
            let start = line.find("analysed=")? + "analysed=".len();
            line[start..]
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        });
    Ok(LintRun {
        usage,
        files: count("files"),
        errors: count("errors"),
        warnings: count("warnings"),
        output,
        analysed,
    })
}

/// One run of `xtask/erlang/bench_lint.erl`.
struct CompilerRun {
    /// Of the whole `erl` process: boot, compiling the helper, options, compiling.
    usage: ChildUsage,
    files: u64,
    schedulers: u64,
    beam_options: u64,
    given_options: u64,
    compiled: u64,
    failed: u64,
    errors: u64,
    warnings: u64,
    options: Duration,
    compile: Duration,
}

/// Runs the compiler helper on the modules listed in `list`, as a measured
/// child process.
fn run_compiler(list: &Path, logs: &Path) -> anyhow::Result<CompilerRun> {
    let report = helper_run::run("bench_lint.erl", "compiler", list, logs)?;
    let field = |key: &str| report.field(key);
    Ok(CompilerRun {
        usage: report.usage.clone(),
        files: field("files")?,
        schedulers: field("schedulers")?,
        beam_options: field("beam_options")?,
        given_options: field("given_options")?,
        compiled: field("compiled")?,
        failed: field("failed")?,
        errors: field("errors")?,
        warnings: field("warnings")?,
        options: Duration::from_micros(field("options_us")?),
        compile: Duration::from_micros(field("compile_us")?),
    })
}
