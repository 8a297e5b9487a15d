//! `cargo xtask bench fmt`: the formatter's throughput per CPU-second on one core
//! and on all cores with its peak memory, then `erlkit fmt` (on one thread and on
//! all cores), efmt and erlfmt rewriting copies of the same files, each measured
//! as a child process.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fmt::{FormatOptions, SourceKind};
use rayon::prelude::*;
use syntax::FileKind;

use super::parse::{megabytes, seconds, spread};
use super::rusage::{self, ChildUsage, Scope};
use super::{machine, memory};
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct FmtBenchArgs {
    #[command(flatten)]
    pub(crate) sample: super::Sample,

    /// Skip `erlkit fmt`, efmt and erlfmt on copies of the files.
    #[arg(long)]
    no_tools: bool,

    /// Passes of each command-line tool, taken in turn (erlkit, efmt, erlfmt,
    /// then again), so that a busy spell of the machine falls on all of them;
    /// the pass of median CPU time is reported.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    tool_passes: u32,

    /// Where the tools' copies of the files go: a directory of their own is made
    /// there and removed at the end. By default `/dev/shm` (a tmpfs) where it
    /// exists, so that the disk is not measured, else `target/xtask-bench/fmt`.
    #[arg(long, value_name = "DIR")]
    copies_in: Option<PathBuf>,
}

/// Medians of one measured configuration.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: Duration,
    /// `None` where CPU time cannot be read.
    cpu: Option<Duration>,
}

/// A command-line tool rewriting a copy of the corpus.
struct ToolRun {
    name: String,
    outcome: Result<ChildUsage, String>,
    /// Files whose bytes differ afterwards.
    changed: usize,
    /// Where its stderr went.
    log: PathBuf,
}

/// How long the machine is left to settle before each command-line tool runs.
const SETTLE: Duration = Duration::from_secs(2);

/// The row of `erlkit fmt` on one thread, and on all cores.
const ERLKIT_ONE_THREAD: &str = "erlkit fmt, 1 thread";
const ERLKIT_CLI: &str = "erlkit fmt";

pub(crate) fn run(args: &FmtBenchArgs) -> anyhow::Result<()> {
    if args.sample.passes == 0 {
        bail!("--passes must be at least 1");
    }
    let root = otp::root()?;
    let (version, release) = super::installed_version(&root);
    let paths = spread(corpus_files(&root)?, args.sample.files);
    if paths.is_empty() {
        bail!(
            "no lib/*/src/*.erl files under {} (is erlang-src installed?)",
            root.display()
        );
    }
    let kind = SourceKind {
        file_kind: FileKind::Module,
        release,
    };
    let options = FormatOptions::default();
    let threads = rayon::current_num_threads();

    let started = Instant::now();
    let (sources, bytes) = super::read_sources(&paths)?;
    let read_time = started.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "fmt benchmark: {} files (lib/*/src/*.erl), {mb:.1} MB, from OTP {version} at {} (syntax of OTP {}); {threads} threads; print width {}",
        sources.len(),
        root.display(),
        release.0,
        options.print_width,
    );
    println!("machine at the start: {}", machine::describe());
    println!("read and decode all files: {}", seconds(read_time));

    let with_sources = memory::resident();

    // What the formatter does to the corpus; also warms up.
    let results: Vec<fmt::Formatted> = sources
        .par_iter()
        .map(|source| fmt::format_text(&source.text, kind, &options))
        .collect();
    let changed = sources
        .iter()
        .zip(&results)
        .filter(|(source, formatted)| source.text != formatted.text)
        .count();
    let skipped_forms: usize = results.iter().map(|f| f.skipped.len()).sum();
    let files_with_skipped = results.iter().filter(|f| !f.skipped.is_empty()).count();
    drop(results);

    let format_all =
        |source: &super::Source| fmt::format_text(&source.text, kind, &options).text.len();
    let peak_reset = rusage::reset_peak_resident();
    let single = measure(args.sample.passes, Scope::Thread, || {
        sources.iter().map(format_all).sum()
    });
    let single_peak = memory::peak_resident();
    rusage::reset_peak_resident();
    let parallel = measure(args.sample.passes, Scope::Process, || {
        sources.par_iter().map(format_all).sum()
    });
    let parallel_peak = memory::peak_resident();

    let tools = if args.no_tools {
        Vec::new()
    } else {
        let erlkit = super::build_erlkit()?;
        let relative: Vec<PathBuf> = paths
            .iter()
            .map(|path| path.strip_prefix(&root).map(Path::to_path_buf))
            .collect::<Result<_, _>>()
            .context("a corpus file outside OTP's root")?;
        // erlkit on one thread too: the peers use one, and the two threads of
        // this machine share a core, so CPU time grows with the second thread.
        let one_thread: &[(&str, &str)] = &[("RAYON_NUM_THREADS", "1")];
        let tools = [
            (
                ERLKIT_ONE_THREAD,
                erlkit.clone().into_os_string(),
                &["fmt"][..],
                one_thread,
            ),
            (ERLKIT_CLI, erlkit.into_os_string(), &["fmt"][..], &[][..]),
            (
                "efmt -w --allow-partial-failure",
                "efmt".into(),
                &["-w", "--allow-partial-failure"][..],
                &[][..],
            ),
            ("erlfmt -w", "erlfmt".into(), &["-w"][..], &[][..]),
        ];
        let copies = Copies::new(args.copies_in.as_deref())?;
        println!("tools' copies of the files: {}", copies.describe());
        let mut runs: Vec<Vec<ToolRun>> = tools.iter().map(|_| Vec::new()).collect();
        for pass in 1..=args.tool_passes {
            for ((name, program, tool_args, env), runs) in tools.iter().zip(&mut runs) {
                eprintln!(
                    "xtask bench: running {name} on a copy of the files (pass {pass} of {})",
                    args.tool_passes
                );
                // A pause before each run, so that none starts while the kernel is
                // still tearing down the one before (erlfmt's 350 MB) and what
                // that left in the caches: each tool gets the same settled machine.
                std::thread::sleep(SETTLE);
                runs.push(run_tool(
                    name, program, tool_args, env, &root, &relative, &copies,
                )?);
            }
        }
        runs.into_iter().filter_map(median_run).collect()
    };

    println!();
    println!(
        "{:<40} {:>9} {:>9} {:>9} {:>7} {:>9}",
        "formatter", "wall", "CPU", "MB/CPU-s", "MB/s", "peak RSS"
    );
    let row = |name: &str, wall: Duration, cpu: Option<Duration>, peak: Option<u64>, note: &str| {
        println!(
            "{name:<40} {:>9} {:>9} {:>9} {:>7.1} {:>9}   {note}",
            seconds(wall),
            cpu.map_or("-".to_owned(), seconds),
            measurable(cpu).map_or("-".to_owned(), |cpu| format!(
                "{:.1}",
                mb / cpu.as_secs_f64()
            )),
            mb / wall.as_secs_f64(),
            peak.map_or("-".to_owned(), megabytes),
        );
    };
    let median_of = format!("median of {}", args.sample.passes);
    row(
        "erlkit fmt::format_text, 1 thread",
        single.wall,
        single.cpu,
        single_peak.filter(|_| peak_reset),
        &median_of,
    );
    row(
        &format!("erlkit fmt::format_text, {threads} threads"),
        parallel.wall,
        parallel.cpu,
        parallel_peak.filter(|_| peak_reset),
        &median_of,
    );
    for tool in &tools {
        match &tool.outcome {
            Ok(usage) => {
                let exit = match usage.code {
                    Some(0) => "exit 0".to_owned(),
                    Some(code) => format!("exit {code} (see {})", tool.log.display()),
                    None => format!("killed by a signal (see {})", tool.log.display()),
                };
                row(
                    &tool.name,
                    usage.wall,
                    Some(usage.cpu),
                    Some(usage.peak_rss),
                    &format!(
                        "{}, {exit}, {} files changed",
                        passes_note(args.tool_passes),
                        tool.changed
                    ),
                );
            }
            Err(message) => println!("{:<40} {message}", tool.name),
        }
    }

    println!();
    println!(
        "erlkit's formatter changes {changed} of {} files; {skipped_forms} forms kept verbatim in {files_with_skipped} files",
        sources.len()
    );
    let cpu_of = |name: &str| {
        tools
            .iter()
            .find(|tool| tool.name == name)
            .and_then(|tool| tool.outcome.as_ref().ok())
            .map(|usage| usage.cpu)
    };
    let is_erlkit = |tool: &&ToolRun| tool.name == ERLKIT_CLI || tool.name == ERLKIT_ONE_THREAD;
    for peer in tools.iter().filter(|tool| !is_erlkit(tool)) {
        let Ok(usage) = &peer.outcome else {
            continue;
        };
        println!(
            "erlkit's MB per CPU-second / {}'s: fmt::format_text on 1 thread {}; {ERLKIT_ONE_THREAD} {}; {ERLKIT_CLI} {}",
            peer.name,
            ratio(single.cpu, usage.cpu),
            ratio(cpu_of(ERLKIT_ONE_THREAD), usage.cpu),
            ratio(cpu_of(ERLKIT_CLI), usage.cpu),
        );
    }
    match with_sources {
        Some(rss) => println!("memory: RSS {} with the sources loaded", megabytes(rss)),
        None => println!("memory: not measured (no /proc/self/status)"),
    }
    if !peak_reset {
        println!(
            "peak RSS of the in-process runs not measured (/proc/self/clear_refs not writable)"
        );
    }
    println!("machine at the end: {}", machine::describe());
    Ok(())
}

/// How the row of a command-line tool was measured.
fn passes_note(passes: u32) -> String {
    match passes {
        1 => "one pass".to_owned(),
        passes => format!("median of {passes}"),
    }
}

/// The run of median CPU time among passes of one tool (the first failure, if
/// a pass failed).
fn median_run(mut runs: Vec<ToolRun>) -> Option<ToolRun> {
    if let Some(failed) = runs.iter().position(|run| run.outcome.is_err()) {
        return Some(runs.swap_remove(failed));
    }
    runs.sort_by_key(|run| {
        run.outcome
            .as_ref()
            .map_or(Duration::ZERO, |usage| usage.cpu)
    });
    let middle = runs.len() / 2;
    runs.into_iter().nth(middle)
}

/// CPU time long enough to divide by (`getrusage` counts in microseconds, and
/// the kernel samples more coarsely still).
fn measurable(cpu: Option<Duration>) -> Option<Duration> {
    cpu.filter(|cpu| *cpu >= Duration::from_millis(1))
}

/// How many times more MB per CPU-second erlkit formats than a peer did on the
/// same files: the inverse ratio of their CPU times.
fn ratio(erlkit: Option<Duration>, peer: Duration) -> String {
    match (measurable(erlkit), measurable(Some(peer))) {
        (Some(erlkit), Some(peer)) => {
            format!("{:.1}x", peer.as_secs_f64() / erlkit.as_secs_f64())
        }
        (None, _) if erlkit.is_some() => "too fast to measure".to_owned(),
        _ => "not measured".to_owned(),
    }
}

/// `lib/*/src/*.erl` under OTP's root, sorted.
fn corpus_files(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let lib = root.join("lib");
    let mut files = Vec::new();
    for app in std::fs::read_dir(&lib).with_context(|| format!("reading {}", lib.display()))? {
        let src = app?.path().join("src");
        let Ok(entries) = std::fs::read_dir(&src) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "erl") && path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The median wall and CPU times of `passes` runs of `pass`, after one warm-up run.
/// CPU time is that of `scope`: the calling thread for work done on it alone, the
/// process for work spread over rayon's threads.
fn measure(passes: usize, scope: Scope, pass: impl Fn() -> usize) -> Timing {
    std::hint::black_box(pass());
    let mut walls = Vec::with_capacity(passes);
    let mut cpus = Vec::with_capacity(passes);
    for _ in 0..passes {
        let cpu_before = rusage::cpu_time(scope);
        let started = Instant::now();
        std::hint::black_box(pass());
        walls.push(started.elapsed());
        if let (Some(before), Some(after)) = (cpu_before, rusage::cpu_time(scope)) {
            cpus.push(after.saturating_sub(before));
        }
    }
    walls.sort();
    cpus.sort();
    Timing {
        wall: walls[walls.len() / 2],
        cpu: (cpus.len() == passes).then(|| cpus[cpus.len() / 2]),
    }
}

/// Runs `program` with `args` and then every file of a fresh copy of the corpus,
/// in that copy.
fn run_tool(
    name: &str,
    program: &std::ffi::OsStr,
    args: &[&str],
    env: &[(&str, &str)],
    otp_root: &Path,
    relative: &[PathBuf],
    copies: &Copies,
) -> anyhow::Result<ToolRun> {
    let slug = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let bench_dir = bench_dir();
    std::fs::create_dir_all(&bench_dir)
        .with_context(|| format!("creating {}", bench_dir.display()))?;
    let copy = copies.dir.join(&slug);
    copy_corpus(otp_root, relative, &copy)?;
    let log = bench_dir.join(format!("{slug}.stderr"));
    let stderr = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let args: Vec<std::ffi::OsString> = args
        .iter()
        .map(Into::into)
        .chain(relative.iter().map(|path| path.clone().into_os_string()))
        .collect();
    let outcome = match rusage::run_measured(program, &args, &copy, env, stderr, None) {
        Ok(Some(usage)) => Ok(usage),
        Ok(None) => Err("not found".to_owned()),
        Err(error) => Err(format!("could not be run: {error:#}")),
    };
    let changed = if outcome.is_ok() {
        count_changed(otp_root, relative, &copy)?
    } else {
        0
    };
    Ok(ToolRun {
        name: name.to_owned(),
        outcome,
        changed,
        log,
    })
}

/// Where the logs of the tools go (and their copies, when not in a tmpfs).
fn bench_dir() -> PathBuf {
    crate::project_root().join("target/xtask-bench/fmt")
}

/// The directory holding the tools' copies of the corpus, removed when dropped.
struct Copies {
    dir: PathBuf,
    in_tmpfs: bool,
}

impl Copies {
    /// A new directory in `parent`, by default in `/dev/shm` when there is one.
    ///
    /// A tmpfs keeps the disk out of the figures. It matters here: this machine's
    /// ext4 has no journal, and ext4 without one scans past recently freed inodes
    /// whenever a file is created, which made erlkit's atomic writes (a new file,
    /// renamed over the old) cost 20% of its run; a journalled ext4 does not.
    fn new(parent: Option<&Path>) -> anyhow::Result<Copies> {
        let shm = Path::new("/dev/shm");
        let (parent, in_tmpfs) = match parent {
            Some(parent) => (parent.to_path_buf(), false),
            None if shm.is_dir() => (shm.to_path_buf(), true),
            None => (bench_dir(), false),
        };
        let dir = parent.join(format!("erlkit-bench-fmt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Copies { dir, in_tmpfs })
    }

    fn describe(&self) -> String {
        let kind = if self.in_tmpfs { " (tmpfs)" } else { "" };
        format!("{}{kind}", self.dir.display())
    }
}

impl Drop for Copies {
    fn drop(&mut self) {
        // Best effort: a copy left behind is only disk space.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Copies `relative` files from `from` into `to`, keeping their paths. A copy left
/// by an earlier pass is overwritten in place rather than deleted first: deleting
/// thousands of files just before a run makes ext4 search past the freed inodes
/// when the next tool creates files, which would charge the bench's own clean-up
/// to erlkit's atomic writes (and to no peer, as they write in place).
fn copy_corpus(from: &Path, relative: &[PathBuf], to: &Path) -> anyhow::Result<()> {
    for file in relative {
        let target = to.join(file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::copy(from.join(file), &target)
            .with_context(|| format!("copying to {}", target.display()))?;
    }
    Ok(())
}

/// How many of the copies differ from the originals.
fn count_changed(original: &Path, relative: &[PathBuf], copy: &Path) -> anyhow::Result<usize> {
    let mut changed = 0;
    for file in relative {
        let before = std::fs::read(original.join(file))?;
        let after = std::fs::read(copy.join(file))?;
        changed += usize::from(before != after);
    }
    Ok(changed)
}
