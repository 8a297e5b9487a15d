//! `erlkit lint` and `erlkit explain`: the linter's findings over a project,
//! with the levels of erlkit.toml, a baseline and shards, a cache of findings
//! and `--changed-since`, printed in one of several formats; and the
//! documentation of each code.

mod baseline;
mod cache;
mod changed;
mod explain;
mod fix;
mod github;
mod human;
mod json;
mod junit;
mod levels;
mod progress;
mod report;
mod sarif;
mod schedule;
mod shard;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use ide::{Analysis, FileId, Severity};
use project_model::layout::AppOrigin;

use self::baseline::Baseline;
use self::cache::LintCache;
use self::changed::Affecting;
pub(crate) use self::explain::explain;
use self::levels::Levels;
use self::progress::Progress;
use self::report::Report;
use self::shard::Plan;
use crate::cli::{LintArgs, LintFormat};
use crate::project_load::{LoadedFile, LoadedProject, load_project, shown_path};

/// How many files are linted between two collections of the memoized trees
/// beyond the LRU limits: each collection makes every thread wait, and 256
/// was quicker than 128 and 512 on all of OTP's sources (2 cores).
const LINT_BATCH: usize = 256;

/// Applies the safe fixes of `findings` (`--fix`), says on stderr what it
/// changed, and gives the findings that are left.
fn apply_fixes(
    project: &LoadedProject,
    findings: Vec<ide::LintDiagnostic>,
) -> Vec<ide::LintDiagnostic> {
    let outcome = fix::apply(project, &findings);
    for (path, count) in &outcome.files {
        eprintln!(
            "erlkit: fixed {count} {} in {}",
            report::plural(*count, "finding", "findings"),
            shown_path(path)
        );
    }
    for (path, reason) in &outcome.failures {
        eprintln!("erlkit: could not fix {}: {reason}", shown_path(path));
    }
    findings
        .into_iter()
        .zip(outcome.fixed)
        .filter_map(|(finding, fixed)| (!fixed).then_some(finding))
        .collect()
}

/// Runs `erlkit lint`: 0 when no finding is at or above the fail level, 1
/// otherwise (and 0 after writing a baseline).
pub(crate) fn run(args: &LintArgs) -> anyhow::Result<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, |jobs| jobs as usize))
        .build()?;
    let started = Instant::now();
    // Never dropped: freeing every tree and table one by one takes a good
    // part of a second on a large project, and the process ends anyway.
    let mut project =
        std::mem::ManuallyDrop::new(load_project(&args.root, args.engine.load_options())?);
    tracing::debug!(
        files = project.files.len(),
        discover_ms = project.discover_time.as_millis(),
        read_ms = project.read_time.as_millis(),
        "lint: project loaded"
    );
    let levels = Levels::load(&project.root)?;
    project.host.set_opted_in_lints(levels.opted_in());
    let baseline = match &args.baseline {
        Some(path) if !args.write_baseline => Some(Baseline::read(path)?),
        _ => None,
    };
    let files = selected_files(&project, &args.paths)?;
    let mut cache = if args.no_cache {
        None
    } else {
        LintCache::open(&project)
    };
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis(),
        "lint: cache opened"
    );
    let files = match &args.changed_since {
        Some(rev) => {
            let changes = changed::git_changes(&project.root, rev)?;
            let affecting = Affecting::new(&project, &changes);
            pool.install(|| affected(&mut project, files, &affecting, cache.as_ref(), args))?
        }
        None => files,
    };
    let plan = Plan::new(&project, files, args.shard);
    // The files the cache answers for, and those to analyse.
    let mut findings = Vec::new();
    let mut to_lint = Vec::new();
    for file in &plan.lint {
        match cache
            .as_ref()
            .and_then(|cache| cache.findings(file.file_id))
        {
            Some(cached) => findings.extend(cached),
            None => to_lint.push(file.clone()),
        }
    }
    tracing::debug!(
        cached = plan.lint.len() - to_lint.len(),
        analysed = to_lint.len(),
        "lint: files"
    );
    if !to_lint.is_empty() {
        let progress = Progress::new(to_lint.len(), args.format == LintFormat::Human);
        let with_inputs = cache.is_some();
        // Every module's own part first, then the checks that read other
        // modules: by then the items of the project's modules are all known,
        // and none is preprocessed again to find them.
        let linted = pool.install(|| -> anyhow::Result<_> {
            let weights = file_sizes(&project, &to_lint);
            let own = analyse(&mut project, &to_lint, &weights, |analysis, file| {
                let own = analysis.lint_own(file.file_id)?;
                progress.inc();
                Ok(own)
            })?;
            progress.finish();
            analyse(&mut project, &own, &weights, |analysis, own| {
                let Some(own) = own else {
                    return Ok((Vec::new(), Vec::new()));
                };
                let found = analysis.finish_lint(own)?;
                let inputs = if with_inputs {
                    analysis.lint_inputs_of(own)?
                } else {
                    Vec::new()
                };
                Ok((found, inputs))
            })
        });
        for (file, (found, inputs)) in to_lint.iter().zip(linted?) {
            if let Some(cache) = &mut cache {
                cache.insert(file.file_id, &inputs, &found);
            }
            findings.extend(found);
        }
    }
    tracing::debug!(
        elapsed_ms = started.elapsed().as_millis(),
        "lint: files linted"
    );
    if let Some(cache) = cache {
        cache.save();
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "lint: cache saved"
        );
    }
    findings.retain(|finding| plan.owns(&report::shown(&project, finding.range.file_id)));
    // A header's finding is reported once, however many modules include it.
    findings.sort_by_cached_key(|finding| {
        (
            report::shown(&project, finding.range.file_id),
            finding.range.range.start(),
            finding.code,
            finding.message.clone(),
        )
    });
    findings.dedup();
    let mut findings = levels.apply(findings);
    if args.fix {
        findings = apply_fixes(&project, findings);
    }
    let mut findings = report::locate(&project, findings);

    if args.write_baseline
        && let Some(path) = &args.baseline
    {
        let written = baseline::write(path, &findings)?;
        eprintln!(
            "erlkit: wrote {written} {} to the baseline {}",
            report::plural(written, "finding", "findings"),
            shown_path(path)
        );
        return Ok(0);
    }
    let outcome = baseline
        .as_ref()
        .map(|baseline| baseline.apply(&mut findings, |path| plan.lints_as_own(path)));
    let report = Report {
        findings,
        files: plan.own,
        baseline: outcome,
    };

    let fail_on_warnings = args.deny.as_deref() == Some("warnings");
    let failing = report
        .findings
        .iter()
        .any(|finding| finding.severity == Severity::Error || fail_on_warnings);
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        LintFormat::Human => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            human::print(&mut out, &report, colour)
        }
        LintFormat::Json => json::print(&mut out, &report),
        LintFormat::Sarif => sarif::print(&mut out, &report),
        LintFormat::Github => github::print(&mut out, &report),
        LintFormat::Junit => junit::print(&mut out, &report),
    };
    quiet_on_closed_pipe(printed.and_then(|()| out.flush().map_err(Into::into)))?;
    tracing::debug!(elapsed_ms = started.elapsed().as_millis(), "lint: printed");
    Ok(u8::from(failing))
}

/// The files of the project's own applications, under `paths` when some are
/// given (an error when none is).
fn selected_files(project: &LoadedProject, paths: &[PathBuf]) -> anyhow::Result<Vec<LoadedFile>> {
    let wanted: Vec<PathBuf> = paths
        .iter()
        .map(|path| {
            std::fs::canonicalize(path)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))
        })
        .collect::<anyhow::Result<_>>()?;
    let files: Vec<LoadedFile> = project
        .files
        .iter()
        .filter(|file| file.origin == AppOrigin::Project)
        .filter(|file| {
            wanted.is_empty() || {
                let path = project.vfs.path(file.file_id);
                let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                wanted.iter().any(|wanted| path.starts_with(wanted))
            }
        })
        .cloned()
        .collect();
    if !paths.is_empty() && files.is_empty() {
        anyhow::bail!("no file of the project's applications is under the paths given");
    }
    Ok(files)
}

/// Of `files` (the project's files selected), those whose findings may
/// differ since the revision of `--changed-since`: their lint inputs come
/// from the cache where it holds, else from the analysis.
fn affected(
    project: &mut LoadedProject,
    files: Vec<LoadedFile>,
    affecting: &Affecting,
    cache: Option<&LintCache>,
    args: &LintArgs,
) -> anyhow::Result<Vec<LoadedFile>> {
    if affecting.everything() {
        return Ok(files);
    }
    if affecting.nothing() {
        return Ok(Vec::new());
    }
    let mut inputs: Vec<Option<Vec<FileId>>> = files
        .iter()
        .map(|file| cache.and_then(|cache| cache.inputs(file.file_id)))
        .collect();
    let unknown: Vec<LoadedFile> = files
        .iter()
        .zip(&inputs)
        .filter(|(_, inputs)| inputs.is_none())
        .map(|(file, _)| file.clone())
        .collect();
    tracing::debug!(
        from_cache = files.len() - unknown.len(),
        analysed = unknown.len(),
        "--changed-since: lint inputs"
    );
    let progress = Progress::new(unknown.len(), args.format == LintFormat::Human);
    let weights = file_sizes(project, &unknown);
    let computed = analyse(project, &unknown, &weights, |analysis, file| {
        let inputs = analysis.lint_inputs(file.file_id);
        progress.inc();
        inputs
    });
    progress.finish();
    let mut computed = computed?.into_iter();
    for slot in inputs.iter_mut().filter(|slot| slot.is_none()) {
        *slot = computed.next();
    }
    Ok(files
        .into_iter()
        .zip(inputs)
        .filter(|(file, inputs)| affecting.affects(file.file_id, inputs.as_deref().unwrap_or(&[])))
        .map(|(file, _)| file)
        .collect())
}

/// `query` on every item of `items` (files, or what a first pass made of
/// them), in their order, in batches (dropping memoized trees beyond the
/// LRU limits after each), on the threads of the current rayon pool.
/// `weights[i]` is how long item `i` is expected to take: within a batch,
/// the heaviest go first.
fn analyse<I: Sync, T: Send>(
    project: &mut LoadedProject,
    items: &[I],
    weights: &[usize],
    query: impl Fn(&Analysis, &I) -> ide::Cancellable<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    let mut results = Vec::with_capacity(items.len());
    // The time every thread but one waits while memoized trees are freed.
    let mut collecting = std::time::Duration::ZERO;
    // The time spent in `query`, on all threads, and the batches' wall time:
    // what the threads did not spend waiting for the batch's last item.
    let busy_us = std::sync::atomic::AtomicU64::new(0);
    let mut batches = std::time::Duration::ZERO;
    let timed_query = |analysis: &Analysis, item: &I| {
        let started = Instant::now();
        let result = query(analysis, item);
        busy_us.fetch_add(
            started.elapsed().as_micros() as u64,
            std::sync::atomic::Ordering::Relaxed,
        );
        result
    };
    for (batch, weights) in items.chunks(LINT_BATCH).zip(weights.chunks(LINT_BATCH)) {
        let analysis = project.host.analysis();
        let started = Instant::now();
        let found = schedule::largest_first(&analysis, batch, weights, timed_query)
            .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
        batches += started.elapsed();
        results.extend(found);
        drop(analysis);
        let started = Instant::now();
        project.host.collect_garbage();
        collecting += started.elapsed();
    }
    tracing::debug!(
        items = items.len(),
        collecting_ms = collecting.as_millis(),
        batches_ms = batches.as_millis(),
        busy_ms = busy_us.into_inner() / 1000,
        threads = rayon::current_num_threads(),
        "lint: a pass over the files"
    );
    Ok(results)
}

/// The size of each file's text: how long it takes to analyse, roughly.
fn file_sizes(project: &LoadedProject, files: &[LoadedFile]) -> Vec<usize> {
    files
        .iter()
        .map(|file| {
            project
                .vfs
                .contents(file.file_id)
                .map_or(0, |text| text.len())
        })
        .collect()
}

/// `result`, except that a reader that stopped reading (`| head`) is no
/// error.
fn quiet_on_closed_pipe(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}
