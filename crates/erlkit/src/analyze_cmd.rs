//! `erlkit analyze`: loads a project into the analysis engine, runs every
//! phase on each of its files (parse, preprocess, item trees, the module
//! index), and prints a summary with the diagnostics, the time of each phase
//! and the peak memory.

use std::io::Write;
use std::time::{Duration, Instant};

use ide::{Analysis, Diagnostic, ModuleSummary, Severity};
use project_model::layout::AppOrigin;
use rayon::prelude::*;
use syntax::FileKind;

use crate::cli::AnalyzeArgs;
use crate::navigate_cmd::location;
use crate::project_load::{LoadedFile, LoadedProject, load_project};

/// Runs the command: 0 when no file has an error, 1 otherwise.
pub(crate) fn run(args: &AnalyzeArgs) -> anyhow::Result<u8> {
    let started = Instant::now();
    let mut project = load_project(&args.root, args.engine.load_options())?;
    let analysed: Vec<&LoadedFile> = project
        .files
        .iter()
        .filter(|file| args.otp || file.origin != AppOrigin::Otp)
        .collect();
    let cancelled = || anyhow::anyhow!("the analysis was cancelled");
    let modules: Vec<&LoadedFile> = analysed
        .iter()
        .copied()
        .filter(|file| file.kind == FileKind::Module)
        .collect();
    // In batches, dropping the memoized trees beyond the LRU limits after
    // each, so that memory stays bounded whatever the size of the project.
    let mut syntax = Vec::new();
    let mut preprocessor = Vec::new();
    let mut summaries = Vec::new();
    let (mut parse_time, mut preprocess_time, mut items_time) = Default::default();
    for batch in analysed.chunks(BATCH) {
        let analysis = project.host.analysis();
        let batch_modules: Vec<&LoadedFile> = batch
            .iter()
            .copied()
            .filter(|file| file.kind == FileKind::Module)
            .collect();
        let (found, time) = timed(|| {
            in_parallel(&analysis, batch, |analysis, file| {
                analysis.syntax_diagnostics(file.file_id)
            })
        });
        syntax.extend(found.map_err(|_| cancelled())?);
        parse_time += time;
        let (found, time) = timed(|| {
            in_parallel(&analysis, &batch_modules, |analysis, file| {
                analysis.preprocessor_diagnostics(file.file_id)
            })
        });
        preprocessor.extend(found.map_err(|_| cancelled())?);
        preprocess_time += time;
        let (found, time) = timed(|| {
            in_parallel(&analysis, &batch_modules, |analysis, file| {
                analysis.module_summary(file.file_id)
            })
        });
        summaries.extend(found.map_err(|_| cancelled())?);
        items_time += time;
        drop(analysis);
        project.host.collect_garbage();
    }
    let analysis = project.host.analysis();
    let (duplicates, index_time) = timed(|| analysis.duplicate_modules());
    let duplicates = duplicates.map_err(|_| cancelled())?;
    let total_time = started.elapsed();

    let mut diagnostics: Vec<Diagnostic> = syntax.into_iter().flatten().collect();
    diagnostics.extend(preprocessor.into_iter().flatten());
    // A header's problem is reported once, whichever modules include it.
    diagnostics.sort_by(|a, b| {
        (
            project.shown(a.range.file_id),
            a.range.range.start(),
            &a.message,
        )
            .cmp(&(
                project.shown(b.range.file_id),
                b.range.range.start(),
                &b.message,
            ))
    });
    diagnostics.dedup();
    let totals = Totals::of(summaries.iter().flatten());
    let lines: usize = analysed
        .iter()
        .filter_map(|file| project.vfs.contents(file.file_id))
        .map(|text| bytecount_lines(text))
        .sum();
    let report = Report {
        project: &project,
        analysed: &analysed,
        modules: modules.len(),
        lines,
        totals,
        diagnostics: &diagnostics,
        duplicates: duplicates.len(),
        phases: [
            ("discover", project.discover_time),
            ("read", project.read_time),
            ("parse", parse_time),
            ("preprocess", preprocess_time),
            ("item trees", items_time),
            ("module index", index_time),
        ],
        total_time,
        peak_rss: peak_rss_bytes(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report.json())?)?;
    } else {
        report.print(&mut out, args.max_diagnostics)?;
    }
    out.flush()?;
    let errors = diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == Severity::Error);
    Ok(u8::from(errors))
}

/// Files analysed between two collections of memoized trees (the LRU limit of
/// the per-file queries).
pub(crate) const BATCH: usize = 128;

fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = work();
    (value, started.elapsed())
}

/// `query` on every item (a file, or what an earlier pass made of one), on
/// all cores, in the order of `items`.
pub(crate) fn in_parallel<I: Sync, T: Send>(
    analysis: &Analysis,
    items: &[I],
    query: impl Fn(&Analysis, &I) -> ide::Cancellable<T> + Sync,
) -> ide::Cancellable<Vec<T>> {
    items
        .par_iter()
        .map_with(analysis.clone(), |analysis, item| query(analysis, item))
        .collect()
}

fn bytecount_lines(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// The process's peak resident memory, from `/proc/self/status` (Linux).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// The items of all analysed modules added up.
#[derive(Debug, Default)]
struct Totals {
    functions: usize,
    exports: usize,
    records: usize,
    types: usize,
    specs: usize,
    callbacks: usize,
    macro_definitions: usize,
    macro_calls: usize,
    includes: usize,
}

impl Totals {
    fn of<'a>(summaries: impl Iterator<Item = &'a ModuleSummary>) -> Totals {
        let mut totals = Totals::default();
        for summary in summaries {
            totals.functions += summary.functions;
            totals.exports += summary.exports;
            totals.records += summary.records;
            totals.types += summary.types;
            totals.specs += summary.specs;
            totals.callbacks += summary.callbacks;
            totals.macro_definitions += summary.macro_definitions;
            totals.macro_calls += summary.macro_calls;
            totals.includes += summary.includes;
        }
        totals
    }
}

struct Report<'a> {
    project: &'a LoadedProject,
    analysed: &'a [&'a LoadedFile],
    modules: usize,
    lines: usize,
    totals: Totals,
    diagnostics: &'a [Diagnostic],
    duplicates: usize,
    phases: [(&'static str, Duration); 6],
    total_time: Duration,
    peak_rss: Option<u64>,
}

impl Report<'_> {
    fn apps(&self, origin: AppOrigin) -> usize {
        let project = &self.project.layout.apps;
        let otp = &self.project.otp_apps;
        project
            .iter()
            .chain(otp)
            .filter(|app| app.origin == origin)
            .count()
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// `path:line:column: severity: message`.
    fn diagnostic_line(&self, diagnostic: &Diagnostic) -> String {
        let severity = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}: {severity}: {}",
            location(self.project, diagnostic.range),
            diagnostic.message
        )
    }

    fn print(&self, out: &mut impl Write, max_diagnostics: usize) -> std::io::Result<()> {
        let headers = self.analysed.len() - self.modules;
        writeln!(
            out,
            "project: {} ({:?}), OTP {} syntax",
            self.project.root.display(),
            self.project.layout.build_system,
            self.project.release.0
        )?;
        writeln!(
            out,
            "applications: {} project, {} dependencies, {} OTP",
            self.apps(AppOrigin::Project),
            self.apps(AppOrigin::Dependency) + self.apps(AppOrigin::Checkout),
            self.apps(AppOrigin::Otp)
        )?;
        let megabytes = self.project.bytes as f64 / 1e6;
        writeln!(
            out,
            "analysed: {} modules, {headers} headers, {} lines ({} files, {megabytes:.1} MB read)",
            self.modules,
            self.lines,
            self.project.files.len()
        )?;
        let t = &self.totals;
        writeln!(
            out,
            "  {} functions, {} exports, {} records, {} types, {} specs, {} callbacks",
            t.functions, t.exports, t.records, t.types, t.specs, t.callbacks
        )?;
        writeln!(
            out,
            "  {} macro definitions read, {} macro calls expanded, {} includes followed",
            t.macro_definitions, t.macro_calls, t.includes
        )?;
        writeln!(
            out,
            "diagnostics: {} errors, {} warnings; {} module names defined more than once{}",
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.duplicates,
            if self.duplicates > 0 {
                " (erlkit modules --duplicates)"
            } else {
                ""
            }
        )?;
        for diagnostic in self.diagnostics.iter().take(max_diagnostics) {
            writeln!(out, "  {}", self.diagnostic_line(diagnostic))?;
        }
        if self.diagnostics.len() > max_diagnostics {
            writeln!(
                out,
                "  ... and {} more (--max-diagnostics N)",
                self.diagnostics.len() - max_diagnostics
            )?;
        }
        let phases: Vec<String> = self
            .phases
            .iter()
            .map(|(name, time)| format!("{name} {:.2} s", time.as_secs_f64()))
            .collect();
        writeln!(
            out,
            "time: {:.2} s ({})",
            self.total_time.as_secs_f64(),
            phases.join(", ")
        )?;
        if let Some(peak) = self.peak_rss {
            writeln!(out, "peak memory: {} MB", peak / 1_000_000)?;
        }
        Ok(())
    }

    fn json(&self) -> serde_json::Value {
        let t = &self.totals;
        serde_json::json!({
            "root": self.project.root,
            "build_system": format!("{:?}", self.project.layout.build_system).to_lowercase(),
            "otp_release": self.project.release.0,
            "applications": {
                "project": self.apps(AppOrigin::Project),
                "dependencies": self.apps(AppOrigin::Dependency) + self.apps(AppOrigin::Checkout),
                "otp": self.apps(AppOrigin::Otp),
            },
            "modules": self.modules,
            "headers": self.analysed.len() - self.modules,
            "lines": self.lines,
            "bytes_read": self.project.bytes,
            "items": {
                "functions": t.functions, "exports": t.exports, "records": t.records,
                "types": t.types, "specs": t.specs, "callbacks": t.callbacks,
                "macro_definitions": t.macro_definitions, "macro_calls": t.macro_calls,
                "includes": t.includes,
            },
            "diagnostics": self.diagnostics.iter().map(|d| self.diagnostic_line(d)).collect::<Vec<_>>(),
            "errors": self.count(Severity::Error),
            "warnings": self.count(Severity::Warning),
            "duplicate_modules": self.duplicates,
            "unreadable_files": self.project.unreadable(),
            "seconds": {
                "total": self.total_time.as_secs_f64(),
                "phases": self.phases.iter()
                    .map(|(name, time)| (name.to_string(), serde_json::json!(time.as_secs_f64())))
                    .collect::<serde_json::Map<_, _>>(),
            },
            "peak_rss_bytes": self.peak_rss,
        })
    }
}
