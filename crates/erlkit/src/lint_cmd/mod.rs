//! `erlkit lint` and `erlkit explain`: the linter's findings over a project,
//! with the levels of erlkit.toml, a baseline and shards, printed in one of
//! several formats; and the documentation of each code.

mod baseline;
mod explain;
mod github;
mod human;
mod json;
mod junit;
mod levels;
mod progress;
mod report;
mod sarif;
mod shard;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use ide::{LintDiagnostic, Severity};
use project_model::layout::AppOrigin;

use self::baseline::Baseline;
pub(crate) use self::explain::explain;
use self::levels::Levels;
use self::progress::Progress;
use self::report::Report;
use self::shard::Plan;
use crate::analyze_cmd::{BATCH, in_parallel};
use crate::cli::{LintArgs, LintFormat};
use crate::project_load::{LoadedFile, LoadedProject, load_project, shown_path};

/// Runs `erlkit lint`: 0 when no finding is at or above the fail level, 1
/// otherwise (and 0 after writing a baseline).
pub(crate) fn run(args: &LintArgs) -> anyhow::Result<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, |jobs| jobs as usize))
        .build()?;
    let mut project = load_project(&args.root, args.engine.load_options())?;
    let levels = Levels::load(&project.root)?;
    let baseline = match &args.baseline {
        Some(path) if !args.write_baseline => Some(Baseline::read(path)?),
        _ => None,
    };
    let files = selected_files(&project, &args.paths)?;
    let plan = Plan::new(&project, files, args.shard);
    let progress = Progress::new(plan.lint.len(), args.format == LintFormat::Human);
    let findings = pool.install(|| lint_files(&mut project, &plan.lint, &progress));
    progress.finish();
    let mut findings = findings?;
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
    let findings = levels.apply(findings);
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

/// The findings of `files`, in batches (dropping memoized trees beyond the
/// LRU limits after each), on the threads of the current rayon pool.
fn lint_files(
    project: &mut LoadedProject,
    files: &[LoadedFile],
    progress: &Progress,
) -> anyhow::Result<Vec<LintDiagnostic>> {
    let mut findings = Vec::new();
    for batch in files.chunks(BATCH) {
        let analysis = project.host.analysis();
        let batch: Vec<&LoadedFile> = batch.iter().collect();
        let found = in_parallel(&analysis, &batch, |analysis, file| {
            let found = analysis.lint(file.file_id);
            progress.inc();
            found
        })
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
        findings.extend(found.into_iter().flatten());
        drop(analysis);
        project.host.collect_garbage();
    }
    Ok(findings)
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
