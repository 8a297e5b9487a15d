//! `cargo xtask bench parse`: parser throughput on one core and on all cores,
//! memory with every tree held at once, and `epp_dodger` on the same files.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::bail;
use rayon::prelude::*;
use syntax::{FileKind, Parse, ParseOptions};

use super::{epp_dodger, machine, memory};
use crate::otp;

#[derive(clap::Args)]
pub(crate) struct ParseBenchArgs {
    #[command(flatten)]
    pub(crate) sample: super::Sample,

    /// Skip `epp_dodger` (e.g. to iterate on the parser quickly).
    #[arg(long)]
    no_epp_dodger: bool,
}

pub(crate) fn run(args: &ParseBenchArgs) -> anyhow::Result<()> {
    if args.sample.passes == 0 {
        bail!("--passes must be at least 1");
    }
    let root = otp::root()?;
    let (version, release) = super::installed_version(&root);
    let all: Vec<PathBuf> = otp::source_files(&root)?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "erl"))
        .collect();
    let paths = spread(all, args.sample.files);
    if paths.is_empty() {
        bail!(
            "no .erl files under {}/lib (is erlang-src installed?)",
            root.display()
        );
    }
    let options = ParseOptions {
        release,
        file_kind: FileKind::Module,
    };
    let threads = rayon::current_num_threads();

    let started = Instant::now();
    let (sources, bytes) = super::read_sources(&paths)?;
    let read_time = started.elapsed();
    let mb = bytes as f64 / 1e6;
    println!(
        "parse benchmark: {} .erl files, {mb:.1} MB, from OTP {version} at {} (syntax of OTP {}); {threads} threads",
        sources.len(),
        root.display(),
        release.0,
    );
    println!("machine at the start: {}", machine::describe());
    println!("read and decode all files: {}", seconds(read_time));

    // Memory first, while the heap holds nothing but the sources.
    let before = memory::resident();
    let trees: Vec<Parse> = sources
        .iter()
        .map(|source| syntax::parse(&source.text, &options))
        .collect();
    let with_trees = memory::resident();
    let peak = memory::peak_resident();
    let files_with_errors = trees.iter().filter(|parse| !parse.is_ok()).count();
    drop(trees);
    let before_flat = memory::resident();
    let flat_trees: Vec<syntax::FlatTree> = sources
        .iter()
        .map(|source| syntax::parse_flat(&source.text, &options).tree)
        .collect();
    let with_flat_trees = memory::resident();
    drop(flat_trees);

    let single = measure(args.sample.passes, || {
        sources
            .iter()
            .map(|source| syntax::parse(&source.text, &options).errors().len())
            .sum()
    });
    let single_flat = measure(args.sample.passes, || {
        sources
            .iter()
            .map(|source| syntax::parse_flat(&source.text, &options).errors.len())
            .sum()
    });
    let parallel = measure(args.sample.passes, || {
        sources
            .par_iter()
            .map(|source| syntax::parse(&source.text, &options).errors().len())
            .sum()
    });

    let epp = if args.no_epp_dodger {
        None
    } else {
        eprintln!("xtask bench: timing epp_dodger:parse_file/1 (one pass; this takes a while)");
        Some(epp_dodger::time_parse_file(&paths)?)
    };

    println!();
    println!("{:<42} {:>10} {:>9}", "parser", "time", "MB/s");
    let row = |name: &str, time: Duration, how: &str| {
        println!(
            "{name:<42} {:>10} {:>9.1}   {how}",
            seconds(time),
            mb / time.as_secs_f64()
        );
    };
    let median_of = format!("median of {}", args.sample.passes);
    row("erlkit syntax::parse, 1 thread", single, &median_of);
    row(
        &format!("erlkit syntax::parse, {threads} threads"),
        parallel,
        &median_of,
    );
    row(
        "erlkit syntax::parse_flat, 1 thread",
        single_flat,
        &median_of,
    );
    if let Some(epp) = &epp {
        let epp_mb = epp.bytes as f64 / 1e6;
        println!(
            "{:<42} {:>10} {:>9.1}   one pass, {} files, {} not parsed",
            "epp_dodger:parse_file/1, 1 process",
            seconds(epp.elapsed),
            epp_mb / epp.elapsed.as_secs_f64(),
            epp.files,
            epp.failed,
        );
        println!();
        println!(
            "erlkit / epp_dodger, single-threaded: {:.1}x the throughput",
            (mb / single.as_secs_f64()) / (epp_mb / epp.elapsed.as_secs_f64())
        );
    }
    println!();
    match (before, with_trees) {
        (Some(before), Some(with_trees)) => {
            let trees = with_trees.saturating_sub(before);
            println!(
                "memory: RSS {} with the sources loaded, {} with all {} trees too: {} for the trees, {:.1}x the source size",
                megabytes(before),
                megabytes(with_trees),
                sources.len(),
                megabytes(trees),
                trees as f64 / bytes as f64,
            );
        }
        _ => println!("memory: not measured (no /proc/self/status)"),
    }
    if let (Some(before), Some(with_trees)) = (before_flat, with_flat_trees) {
        let trees = with_trees.saturating_sub(before);
        println!(
            "memory of the flat trees (parse_flat): {}, {:.1}x the source size",
            megabytes(trees),
            trees as f64 / bytes as f64,
        );
    }
    if let Some(peak) = peak {
        println!(
            "peak RSS (VmHWM) while all trees were held: {}",
            megabytes(peak)
        );
    }
    println!(
        "files with syntax errors: {files_with_errors} of {}",
        sources.len()
    );
    println!("machine at the end: {}", machine::describe());
    Ok(())
}

/// `count` paths spread evenly over `paths`, or all of them.
pub(super) fn spread(paths: Vec<PathBuf>, count: Option<usize>) -> Vec<PathBuf> {
    match count {
        Some(count) if count < paths.len() => {
            let step = paths.len() as f64 / count as f64;
            (0..count)
                .map(|i| paths[(i as f64 * step) as usize].clone())
                .collect()
        }
        _ => paths,
    }
}

/// The median time of `passes` runs of `pass`, after one warm-up run.
fn measure(passes: usize, pass: impl Fn() -> usize) -> Duration {
    std::hint::black_box(pass());
    let mut times: Vec<Duration> = (0..passes)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(pass());
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

pub(super) fn seconds(time: Duration) -> String {
    format!("{:.3} s", time.as_secs_f64())
}

pub(super) fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::spread;
    use std::path::PathBuf;

    #[test]
    fn spread_takes_evenly_spaced_files() {
        let paths: Vec<PathBuf> = (0..10).map(|i| PathBuf::from(i.to_string())).collect();
        let names = |paths: Vec<PathBuf>| {
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(names(spread(paths.clone(), Some(3))), "0 3 6");
        assert_eq!(
            names(spread(paths.clone(), Some(20))),
            "0 1 2 3 4 5 6 7 8 9"
        );
        assert_eq!(names(spread(paths, None)), "0 1 2 3 4 5 6 7 8 9");
    }
}
