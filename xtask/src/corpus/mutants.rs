//! `cargo xtask corpus mutants`: erlkit's linter against OTP's compiler on
//! OTP modules with one defect injected each.
//!
//! From a seed, the check draws OTP modules (those `corpus lint` lints: with a
//! beam, read by `epp` without error), finds in each, with erlkit's syntax
//! tree and `hir`, where each kind of defect can go (`kinds`: an unbound
//! variable, a misspelt record field, a deleted function that is still
//! called, ...) and makes mutants, spread evenly over the kinds. `erlc`
//! judges every mutant in one `erl` (`judge`: `compile:file/2` with the
//! module's options from its beam and `strong_validation`); erlkit lints the
//! mutant's text in the analysis of all of OTP, with the same options. Each
//! finding of the compiler maps to an erlkit code through one table; per
//! code, findings of both at the same file and line agree, and precision and
//! recall must be at least 99% for every code erlkit implements. Modules the
//! compiler or erlkit finds anything in before mutation are left out.
//!
//! Calls across modules (a call `m:f(...)` to another OTP module with its
//! module or function misspelt, or an argument added) are judged by xref as
//! well: the judge compiles the mutant to a beam and runs `xref:m/1` on it
//! (OTP on the code path), and each undefined callee is W2301 when its
//! module cannot be loaded, else W2302; erlkit's W2301 and W2302 come from
//! [`ide::Analysis::lint`] on all of OTP in an [`ide::AnalysisHost`]. Both
//! sides count only the undefined calls the original module does not have,
//! and agree on a mutant's callee `m:f/N` (xref gives no lines).

mod judge;
mod kinds;
mod sites;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use base_db::SourceFile;
use hir::Workspace;
use hir::preprocessor::normalise;
use rayon::prelude::*;
use salsa::Setter;
use syntax::{FileKind, LineIndex, OtpRelease, ParseOptions, SyntaxKind};

use self::judge::{ErlcFinding, Job, Judge, Verdict};
use self::kinds::{Mutation, MutationKind};
use self::sites::ModuleView;
use super::epp_oracle::{EppModule, epp_modules};
use super::fmt::TempDir;
use super::otp_db::{
    CompiledModules, OtpDatabase, compiled_modules, load_otp, module_jobs, otp_modules,
};

#[derive(clap::Args)]
pub(crate) struct MutantsArgs {
    /// Seed of the random choices (modules and places).
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// Mutants to make, spread evenly over the kinds of defect.
    #[arg(long, value_name = "N", default_value_t = 640)]
    count: usize,
    /// OTP modules to draw the mutants from (at random).
    #[arg(long, value_name = "N", default_value_t = 500)]
    modules: usize,
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Only the mutant with this id (made as the other options make it).
    #[arg(long, value_name = "ID")]
    mutant: Option<String>,
    /// Only mutants of kinds whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    kind: Option<String>,
    /// How many disagreements to list for each code.
    #[arg(long, value_name = "N", default_value_t = 8)]
    show: usize,
    /// Keep the mutants in DIR (`DIR/mutants/ID/MODULE.erl`, with the
    /// original's path and what was done in `DIR/mutants/ID/MUTANT.txt`).
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

/// Modules longer than this are left out (the compiler takes long on them).
const MAX_LINES: usize = 6000;

/// Places of each kind drawn in each module, to fall back on when a
/// mutation does not parse or more mutants are needed than modules allow.
const PLACES_PER_KIND: usize = 3;

/// The least number of mutants a full run must make.
const MIN_MUTANTS: usize = 300;

/// The least precision and recall of every code erlkit implements.
const MIN_SCORE: f64 = 0.99;

/// A module the mutants may come from, with places for each kind.
struct ModuleMutations {
    /// Index into the modules compared.
    module: usize,
    /// For each kind of [`MutationKind::ALL`], up to [`PLACES_PER_KIND`]
    /// mutations at places drawn at random.
    by_kind: Vec<Vec<Mutation>>,
}

/// Why a module was left out before mutation.
enum LeftOut {
    TooLong,
    /// A `-file` attribute (a generated parser's) makes the compiler place
    /// what follows in another file; erlkit places findings where they are.
    FileAttribute,
    /// A parse transform (other than `ms_transform`, which changes no
    /// check) may change what the compiler checks.
    ParseTransform,
    ErlkitFindings(String),
}

/// One mutant.
struct Mutant {
    id: String,
    /// Index into the modules compared.
    module: usize,
    mutation: Mutation,
    text: String,
}

/// A finding at a place, with what it says.
#[derive(Debug, Clone)]
struct Finding {
    file: PathBuf,
    line: u32,
    code: String,
    message: String,
    /// For an undefined call (xref gives no lines): the callee `m:f/N`,
    /// which findings must have alike to agree.
    callee: Option<String>,
}

pub(crate) fn run(args: MutantsArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (root, release, mut paths) = otp_modules(args.filter.as_deref())?;
    paths.sort();
    shuffle(&mut paths, &mut Rng(args.seed));
    paths.truncate(args.modules);
    paths.sort();
    let epp = epp_modules(&paths)?;
    let CompiledModules { modules, .. } = compiled_modules(&epp);
    let oracle_time = started.elapsed();

    let started = Instant::now();
    let mut otp = load_otp(&root, release)?;
    let jobs = module_jobs(&otp, &modules)?;
    let drawn: Vec<Result<ModuleMutations, LeftOut>> = jobs
        .par_iter()
        .enumerate()
        .map_with(otp.db.clone(), |db, (index, &(module, workspace, file))| {
            module_mutations(db, index, module, workspace, file, args.seed)
        })
        .collect();
    let mut candidates = Vec::new();
    let mut too_long = 0;
    let mut with_file_attribute = 0;
    let mut with_parse_transform = 0;
    let mut erlkit_unclean = Vec::new();
    for (result, (module, _, _)) in drawn.into_iter().zip(&jobs) {
        match result {
            Ok(mutations) => candidates.push(mutations),
            Err(LeftOut::TooLong) => too_long += 1,
            Err(LeftOut::FileAttribute) => with_file_attribute += 1,
            Err(LeftOut::ParseTransform) => with_parse_transform += 1,
            Err(LeftOut::ErlkitFindings(first)) => {
                erlkit_unclean.push(format!("{}: {first}", module.file.display()));
            }
        }
    }
    let generate_time = started.elapsed();

    let started = Instant::now();
    let temp = TempDir::new("corpus-mutants")?;
    let dir = args
        .keep
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let work_dir = temp.path().join("cwd");
    std::fs::create_dir_all(&work_dir)
        .with_context(|| format!("creating {}", work_dir.display()))?;
    let mut judge = Judge::start(&work_dir)?;

    let (mutants, rejected, erlc_unclean) =
        draw_judged_mutants(&candidates, &otp, &jobs, &args, release, &dir, &mut judge)?;
    let mutants: Vec<Mutant> = mutants
        .into_iter()
        .filter(|mutant| args.mutant.as_ref().is_none_or(|id| *id == mutant.id))
        .filter(|mutant| {
            args.kind
                .as_ref()
                .is_none_or(|kind| mutant.mutation.kind.name().contains(kind.as_str()))
        })
        .collect();

    if let Some(id) = &args.mutant
        && mutants.is_empty()
    {
        bail!("no mutant {id} is made with these options (seed, count, modules, filter)");
    }

    let (mut erlc_jobs, mutant_paths) = write_mutants(&mutants, &jobs, &dir, args.keep.is_some())?;
    let xref_modules = cross_module_originals(&mutants, &otp, &jobs, &dir, &mut erlc_jobs)?;
    let mut verdicts = judge.compile(&erlc_jobs)?;
    judge.finish()?;
    let xref_originals: HashMap<usize, Verdict> = xref_modules
        .into_iter()
        .zip(verdicts.split_off(mutants.len()))
        .collect();
    let erlc_time = started.elapsed();

    let started = Instant::now();
    let erlkit_findings = lint_mutants(&mut otp, &jobs, &mutants)?;
    let erlkit_time = started.elapsed();
    let started = Instant::now();
    let cross_module = cross_module_findings(&otp, &jobs, &mutants)?;
    let cross_module_time = started.elapsed();

    let report = Report::new(
        &otp,
        &jobs,
        &mutants,
        &mutant_paths,
        &verdicts,
        &erlkit_findings,
        &CrossModule {
            xref_originals,
            erlkit: cross_module,
        },
    );
    let full_run = args.mutant.is_none() && args.kind.is_none() && args.filter.is_none();
    println!(
        "corpus mutants: {} mutants (seed {}) of {} OTP modules; {} modules drawn, {} with a beam",
        mutants.len(),
        args.seed,
        mutants
            .iter()
            .map(|mutant| mutant.module)
            .collect::<HashSet<_>>()
            .len(),
        paths.len(),
        modules.len()
    );
    println!(
        "  left out: {too_long} modules longer than {MAX_LINES} lines, {with_file_attribute} with a -file attribute, {with_parse_transform} with a parse transform, {} where erlkit finds something before mutation, {} where erlc does; {rejected} mutations that did not parse",
        erlkit_unclean.len(),
        erlc_unclean.len()
    );
    for unclean in erlkit_unclean.iter().chain(&erlc_unclean).take(5) {
        println!("    {unclean}");
    }
    println!(
        "  time: epp oracle {:.1} s, load and places {:.1} s, erlc and xref {:.1} s, erlkit {:.1} s, erlkit across modules {:.1} s",
        oracle_time.as_secs_f64(),
        generate_time.as_secs_f64(),
        erlc_time.as_secs_f64(),
        erlkit_time.as_secs_f64(),
        cross_module_time.as_secs_f64()
    );
    let failures = report.print(&mutants, &jobs, &args);
    let mut problems = failures;
    if full_run && mutants.len() < MIN_MUTANTS {
        problems.push(format!(
            "only {} mutants (at least {MIN_MUTANTS} are needed)",
            mutants.len()
        ));
    }
    if !full_run {
        println!("  (not a full run: the minimum of {MIN_MUTANTS} mutants is not checked)");
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("; "));
    }
    Ok(())
}

/// Where each kind of defect can go in one module, drawn at random; or why
/// the module is left out.
fn module_mutations(
    db: &base_db::RootDatabase,
    index: usize,
    module: &EppModule,
    workspace: Workspace,
    file: SourceFile,
    seed: u64,
) -> Result<ModuleMutations, LeftOut> {
    let text = file.text(db);
    if text.lines().count() > MAX_LINES {
        return Err(LeftOut::TooLong);
    }
    if let Some(first) = ide::lint_file(db, workspace, file, &module.warning_switches).first() {
        return Err(LeftOut::ErlkitFindings(format!(
            "{}: {}",
            first.code, first.message
        )));
    }
    let view = ModuleView::new(db, workspace, file);
    if view.has_file_attribute() {
        return Err(LeftOut::FileAttribute);
    }
    if view
        .parse_transforms()
        .iter()
        .any(|transform| transform != "ms_transform")
    {
        return Err(LeftOut::ParseTransform);
    }
    let path = module.file.to_string_lossy();
    let by_kind = MutationKind::ALL
        .iter()
        .map(|kind| {
            let mut places = kind.candidates(&view);
            let mut rng = Rng(seed ^ hash(&path) ^ hash(kind.name()).rotate_left(17));
            shuffle(&mut places, &mut rng);
            places.truncate(PLACES_PER_KIND);
            places
        })
        .collect();
    Ok(ModuleMutations {
        module: index,
        by_kind,
    })
}

/// The mutants: `args.count` spread evenly over the kinds; for each kind the
/// modules in an order of its own, one place of each module in turn. A
/// mutation whose text does not parse (or, for a syntax error, does) is
/// passed over; how many were is the second value.
fn draw_mutants(
    candidates: &[ModuleMutations],
    left_out: &HashSet<usize>,
    otp: &OtpDatabase,
    jobs: &[(&EppModule, Workspace, SourceFile)],
    args: &MutantsArgs,
    release: OtpRelease,
) -> (Vec<Mutant>, usize) {
    let kinds = MutationKind::ALL.len();
    let mut mutants = Vec::new();
    let mut rejected = 0;
    let options = ParseOptions {
        release,
        file_kind: FileKind::Module,
    };
    for (k, kind) in MutationKind::ALL.iter().enumerate() {
        let quota = args.count / kinds + usize::from(k < args.count % kinds);
        let mut order: Vec<&ModuleMutations> = candidates.iter().collect();
        shuffle(&mut order, &mut Rng(args.seed ^ hash(kind.name())));
        let mut made = 0;
        'rounds: for round in 0..PLACES_PER_KIND {
            for candidate in &order {
                if made == quota {
                    break 'rounds;
                }
                if left_out.contains(&candidate.module) {
                    continue;
                }
                let Some(mutation) = candidate.by_kind[k].get(round) else {
                    continue;
                };
                let (_, _, file) = jobs[candidate.module];
                let text = mutation.apply(file.text(&otp.db));
                let parses = syntax::parse(&text, &options).errors().is_empty();
                if parses == (*kind == MutationKind::SyntaxError) {
                    rejected += 1;
                    continue;
                }
                made += 1;
                mutants.push(Mutant {
                    id: format!("{}-{made:02}", kind.name()),
                    module: candidate.module,
                    mutation: mutation.clone(),
                    text,
                });
            }
        }
    }
    (mutants, rejected)
}

/// The mutants ([`draw_mutants`]) of modules the compiler finds nothing in
/// before mutation: the originals of the modules drawn are judged, and the
/// mutants drawn again without those it finds anything in, until all are
/// clean. Also how many mutations did not parse, and the modules left out.
fn draw_judged_mutants(
    candidates: &[ModuleMutations],
    otp: &OtpDatabase,
    jobs: &[(&EppModule, Workspace, SourceFile)],
    args: &MutantsArgs,
    release: OtpRelease,
    dir: &Path,
    judge: &mut Judge,
) -> anyhow::Result<(Vec<Mutant>, usize, Vec<String>)> {
    let mut clean: HashMap<usize, bool> = HashMap::new();
    let mut erlc_unclean = Vec::new();
    loop {
        let left_out: HashSet<usize> = clean
            .iter()
            .filter(|(_, clean)| !**clean)
            .map(|(module, _)| *module)
            .collect();
        let (mutants, rejected) = draw_mutants(candidates, &left_out, otp, jobs, args, release);
        let unjudged: Vec<usize> = mutants
            .iter()
            .map(|mutant| mutant.module)
            .filter(|module| !clean.contains_key(module))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if unjudged.is_empty() {
            return Ok((mutants, rejected, erlc_unclean));
        }
        let mut originals = Vec::new();
        for &module in &unjudged {
            let (epp_module, _, file) = jobs[module];
            let path = dir
                .join("originals")
                .join(module.to_string())
                .join(file_name(&epp_module.file)?);
            write_source(&path, file.text(&otp.db), &epp_module.file)?;
            originals.push(Job::new(format!("original-{module}"), path, epp_module)?);
        }
        for (&module, verdict) in unjudged.iter().zip(judge.compile(&originals)?) {
            let is_clean = verdict.findings.is_empty() && verdict.crash.is_none();
            if !is_clean {
                let first = verdict.findings.first().map_or_else(
                    || {
                        format!(
                            "the compiler crashed: {}",
                            verdict.crash.unwrap_or_default()
                        )
                    },
                    |f| format!("{}:{}: {}", f.module, f.line, f.message),
                );
                erlc_unclean.push(format!("{}: {first}", jobs[module].0.file.display()));
            }
            clean.insert(module, is_clean);
        }
    }
}

/// Writes each mutant to `dir/mutants/ID/` under its module's file name
/// (with a note of what it is when `keep`); the compiler's jobs and the
/// paths written.
fn write_mutants(
    mutants: &[Mutant],
    jobs: &[(&EppModule, Workspace, SourceFile)],
    dir: &Path,
    keep: bool,
) -> anyhow::Result<(Vec<Job>, Vec<PathBuf>)> {
    let mut erlc_jobs = Vec::new();
    let mut mutant_paths = Vec::new();
    for mutant in mutants {
        let (module, _, _) = jobs[mutant.module];
        let mutant_dir = dir.join("mutants").join(&mutant.id);
        let path = mutant_dir.join(file_name(&module.file)?);
        write_source(&path, &mutant.text, &module.file)?;
        if keep {
            let note = mutant_dir.join("MUTANT.txt");
            std::fs::write(
                &note,
                format!(
                    "{}\n{}: {}\n",
                    module.file.display(),
                    mutant.mutation.kind.name(),
                    mutant.mutation.description
                ),
            )
            .with_context(|| format!("writing {}", note.display()))?;
        }
        let job = Job::new(mutant.id.clone(), path.clone(), module)?;
        erlc_jobs.push(if mutant.mutation.kind.is_cross_module() {
            job.with_xref()
        } else {
            job
        });
        mutant_paths.push(path);
    }
    Ok((erlc_jobs, mutant_paths))
}

/// erlkit's findings on each mutant: the module's text replaced by the
/// mutant's in the analysis of all of OTP, linted with the module's
/// options; the original text is put back after.
fn lint_mutants(
    otp: &mut OtpDatabase,
    jobs: &[(&EppModule, Workspace, SourceFile)],
    mutants: &[Mutant],
) -> anyhow::Result<Vec<Vec<ide::LintDiagnostic>>> {
    let mut order: Vec<usize> = (0..mutants.len()).collect();
    order.sort_by_key(|&index| mutants[index].module);
    let mut findings = vec![Vec::new(); mutants.len()];
    let mut current: Option<(SourceFile, std::sync::Arc<str>)> = None;
    for index in order {
        let mutant = &mutants[index];
        let (module, workspace, file) = jobs[mutant.module];
        if current.as_ref().is_some_and(|(open, _)| *open != file)
            && let Some((open, original)) = current.take()
        {
            open.set_text(&mut otp.db).to(original);
        }
        if current.is_none() {
            current = Some((file, file.text(&otp.db).clone()));
        }
        file.set_text(&mut otp.db).to(mutant.text.as_str().into());
        let db = &otp.db;
        let linted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            ide::lint_file(db, workspace, file, &module.warning_switches)
        }));
        match linted {
            Ok(found) => findings[index] = found,
            Err(_) => bail!(
                "erlkit panicked linting mutant {} ({}: {})",
                mutant.id,
                module.file.display(),
                mutant.mutation.description
            ),
        }
    }
    if let Some((open, original)) = current.take() {
        open.set_text(&mut otp.db).to(original);
    }
    Ok(findings)
}

/// The jobs (added to `jobs`) that judge with xref the originals of the
/// modules with mutants of calls across modules (their undefined calls are
/// not the mutants'); those modules, in the order of the jobs.
fn cross_module_originals(
    mutants: &[Mutant],
    otp: &OtpDatabase,
    jobs: &[(&EppModule, Workspace, SourceFile)],
    dir: &Path,
    erlc_jobs: &mut Vec<Job>,
) -> anyhow::Result<Vec<usize>> {
    let modules: std::collections::BTreeSet<usize> = mutants
        .iter()
        .filter(|mutant| mutant.mutation.kind.is_cross_module())
        .map(|mutant| mutant.module)
        .collect();
    for &module in &modules {
        let (epp_module, _, file) = jobs[module];
        let path = dir
            .join("xref-originals")
            .join(module.to_string())
            .join(file_name(&epp_module.file)?);
        write_source(&path, file.text(&otp.db), &epp_module.file)?;
        erlc_jobs.push(Job::new(format!("xref-original-{module}"), path, epp_module)?.with_xref());
    }
    Ok(modules.into_iter().collect())
}

/// erlkit's undefined-module and undefined-remote-function findings
/// (W2301, W2302: [`ide::Analysis::lint`], not [`ide::lint_file`]) on each
/// mutant of calls across modules that the original does not have, as the
/// code and the callee `m:f/N`; nothing for the other mutants. All of OTP
/// is loaded in an [`ide::AnalysisHost`], as OTP's applications.
fn cross_module_findings(
    otp: &OtpDatabase,
    jobs: &[(&EppModule, Workspace, SourceFile)],
    mutants: &[Mutant],
) -> anyhow::Result<Vec<Vec<(String, String)>>> {
    let mut findings = vec![Vec::new(); mutants.len()];
    let mut order: Vec<usize> = (0..mutants.len())
        .filter(|&index| mutants[index].mutation.kind.is_cross_module())
        .collect();
    if order.is_empty() {
        return Ok(findings);
    }
    order.sort_by_key(|&index| mutants[index].module);
    let release = jobs
        .first()
        .map_or(OtpRelease(25), |(_, _, file)| *file.release(&otp.db));
    let mut host = ide::AnalysisHost::new(release);
    let file_change = |path: &Path, file: SourceFile, text: std::sync::Arc<str>| ide::FileChange {
        file_id: *file.file_id(&otp.db),
        path: path.to_path_buf(),
        contents: Some(text),
        kind: *file.kind(&otp.db),
        library: true,
    };
    let mut paths: HashMap<SourceFile, &Path> = HashMap::new();
    let mut files = Vec::new();
    for (path, &file) in &otp.files {
        paths.insert(file, path);
        files.push(file_change(path, file, file.text(&otp.db).clone()));
    }
    let apps: Vec<ide::AppData> = otp
        .apps
        .iter()
        .map(|app| ide::AppData {
            name: app.name(&otp.db).clone(),
            dir: app.dir(&otp.db).clone(),
            files: app
                .files(&otp.db)
                .iter()
                .map(|file| *file.file_id(&otp.db))
                .collect(),
            otp: true,
            ..ide::AppData::default()
        })
        .collect();
    host.apply_change(ide::Change {
        files,
        apps: Some(apps.clone()),
    });
    let undefined_calls = |host: &ide::AnalysisHost, file: SourceFile, id: &str| {
        let found = host
            .analysis()
            .lint(*file.file_id(&otp.db))
            .map_err(|_| anyhow::anyhow!("erlkit's lint of mutant {id} was cancelled"))?;
        Ok::<_, anyhow::Error>(
            found
                .into_iter()
                .filter(|found| {
                    matches!(
                        found.code,
                        ide::DiagnosticCode::UndefinedModule
                            | ide::DiagnosticCode::UndefinedRemoteFunction
                    )
                })
                .map(|found| {
                    let callee = found
                        .message
                        .strip_prefix("call to ")
                        .and_then(|rest| rest.split_once(": "))
                        .map_or(found.message.as_str(), |(callee, _)| callee);
                    (found.code.code().to_owned(), callee.to_owned())
                })
                .collect::<Vec<_>>(),
        )
    };
    let mut original: Option<(usize, Vec<(String, String)>)> = None;
    for index in order {
        let mutant = &mutants[index];
        let (epp_module, _, file) = jobs[mutant.module];
        let path = paths
            .get(&file)
            .with_context(|| format!("no path for mutant {}", mutant.id))?;
        if original
            .as_ref()
            .is_none_or(|(module, _)| *module != mutant.module)
        {
            // The module's application gets its include path and macros, as
            // in `module_workspace`.
            let id = *file.file_id(&otp.db);
            let mut apps = apps.clone();
            if let Some(own) = apps.iter_mut().find(|app| app.files.contains(&id)) {
                own.include_dirs = epp_module.includes.iter().skip(1).cloned().collect();
                own.macros = epp_module
                    .macros
                    .iter()
                    .map(|m| (m.name.clone(), (m.value != "true").then(|| m.value.clone())))
                    .collect();
            }
            host.apply_change(ide::Change {
                files: vec![file_change(path, file, file.text(&otp.db).clone())],
                apps: Some(apps),
            });
            original = Some((mutant.module, undefined_calls(&host, file, &mutant.id)?));
        }
        host.apply_change(ide::Change {
            files: vec![file_change(path, file, mutant.text.as_str().into())],
            apps: None,
        });
        let before = original
            .as_ref()
            .map_or(&[][..], |(_, found)| found.as_slice());
        findings[index] = undefined_calls(&host, file, &mutant.id)?
            .into_iter()
            .filter(|found| !before.contains(found))
            .collect();
    }
    Ok(findings)
}

/// What is compared of the mutants of calls across modules beside the
/// compiler's findings.
struct CrossModule {
    /// xref's verdict on the original of each module with such mutants.
    xref_originals: HashMap<usize, Verdict>,
    /// Per mutant: erlkit's new W2301 and W2302 ([`cross_module_findings`]).
    erlkit: Vec<Vec<(String, String)>>,
}

/// The comparison of the compiler's findings and erlkit's.
struct Report {
    /// Per erlkit code: findings of the compiler, of erlkit, and of both.
    by_code: BTreeMap<String, Counts>,
    /// Findings of the compiler no erlkit code stands for, by module and tag.
    unmapped: BTreeMap<(String, String), usize>,
    /// Per mutant: the compiler reported the intended code; all findings agree.
    outcomes: Vec<(bool, bool)>,
    /// Findings of one side only: mutant index, finding, whether erlc's.
    disagreements: Vec<(usize, Finding, bool)>,
    /// Mutants the compiler crashed on.
    crashes: Vec<(usize, String)>,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    erlc: usize,
    erlkit: usize,
    both: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        if self.erlkit == 0 {
            1.0
        } else {
            self.both as f64 / self.erlkit as f64
        }
    }

    fn recall(self) -> f64 {
        if self.erlc == 0 {
            1.0
        } else {
            self.both as f64 / self.erlc as f64
        }
    }
}

impl Report {
    fn new(
        otp: &OtpDatabase,
        jobs: &[(&EppModule, Workspace, SourceFile)],
        mutants: &[Mutant],
        mutant_paths: &[PathBuf],
        verdicts: &[Verdict],
        erlkit: &[Vec<ide::LintDiagnostic>],
        cross_module: &CrossModule,
    ) -> Report {
        let mut report = Report {
            by_code: BTreeMap::new(),
            unmapped: BTreeMap::new(),
            outcomes: Vec::new(),
            disagreements: Vec::new(),
            crashes: Vec::new(),
        };
        let release = jobs
            .first()
            .map_or(OtpRelease(25), |(_, _, file)| *file.release(&otp.db));
        let mut header_lines: HashMap<base_db::FileId, Vec<usize>> = HashMap::new();
        for (index, mutant) in mutants.iter().enumerate() {
            let (module, _, file) = jobs[mutant.module];
            let original = normalise(&module.file);
            let lines = LineIndex::new(&mutant.text);
            let export_lines = export_lines(&mutant.text, &lines, release);
            let verdict = &verdicts[index];
            if let Some(crash) = &verdict.crash {
                report.crashes.push((index, crash.clone()));
            }
            let mut erlc_findings = Vec::new();
            for found in &verdict.findings {
                let path = if found.file == mutant_paths[index] {
                    original.clone()
                } else {
                    normalise(&found.file)
                };
                let on_export = path == original && export_lines.contains(&found.line);
                match judge::erlkit_code(&found.module, &found.tag, on_export) {
                    Some(code) => erlc_findings.push(Finding {
                        file: path,
                        line: found.line,
                        code: code.to_owned(),
                        message: erlc_message(found),
                        callee: None,
                    }),
                    None => {
                        *report
                            .unmapped
                            .entry((found.module.clone(), found.tag.clone()))
                            .or_default() += 1;
                    }
                }
            }
            let own_id = *file.file_id(&otp.db);
            let mut erlkit_findings = Vec::new();
            for found in &erlkit[index] {
                let offset = usize::from(found.range.range.start());
                let (path, line) = if found.range.file_id == own_id {
                    (original.clone(), lines.line_column(offset).line)
                } else if let Some((path, text)) = otp.by_id.get(&found.range.file_id) {
                    let starts = header_lines
                        .entry(found.range.file_id)
                        .or_insert_with(|| line_starts(text));
                    (
                        path.clone(),
                        starts.partition_point(|&start| start <= offset) as u32,
                    )
                } else {
                    continue;
                };
                erlkit_findings.push(Finding {
                    file: path,
                    line,
                    code: found.code.code().to_owned(),
                    message: found.message.clone(),
                    callee: None,
                });
            }
            if mutant.mutation.kind.is_cross_module() {
                let before = cross_module.xref_originals.get(&mutant.module);
                if let Some(error) = verdict
                    .xref_error
                    .as_ref()
                    .or_else(|| before.and_then(|before| before.xref_error.as_ref()))
                {
                    report.crashes.push((index, format!("xref: {error}")));
                }
                for (kind, callee) in &verdict.xref {
                    let new = before.is_none_or(|before| {
                        !before.xref.iter().any(|(k, c)| (k, c) == (kind, callee))
                    });
                    if let (true, Some(code)) = (new, judge::xref_code(kind)) {
                        erlc_findings.push(Finding {
                            file: original.clone(),
                            line: 0,
                            code: code.to_owned(),
                            message: format!("xref: {kind} {callee}"),
                            callee: Some(callee.clone()),
                        });
                    }
                }
                for (code, callee) in &cross_module.erlkit[index] {
                    erlkit_findings.push(Finding {
                        file: original.clone(),
                        line: 0,
                        code: code.clone(),
                        message: format!("call to {callee}"),
                        callee: Some(callee.clone()),
                    });
                }
            }
            let intended = mutant.mutation.kind.code();
            let hit = erlc_findings.iter().any(|f| f.code == intended);
            let agreed = report.compare(index, erlc_findings, erlkit_findings);
            report.outcomes.push((hit, agreed));
        }
        report
    }

    /// Adds one mutant's findings to the counts; whether the two agree.
    fn compare(&mut self, index: usize, erlc: Vec<Finding>, erlkit: Vec<Finding>) -> bool {
        type Key = (PathBuf, u32, String, Option<String>);
        let key = |finding: &Finding| {
            (
                finding.file.clone(),
                finding.line,
                finding.code.clone(),
                finding.callee.clone(),
            )
        };
        let mut places: BTreeMap<Key, (Vec<Finding>, Vec<Finding>)> = BTreeMap::new();
        for finding in erlc {
            places.entry(key(&finding)).or_default().0.push(finding);
        }
        for finding in erlkit {
            places.entry(key(&finding)).or_default().1.push(finding);
        }
        let mut agreed = true;
        for ((_, _, code, _), (erlc, erlkit)) in places {
            let counts = self.by_code.entry(code).or_default();
            let both = erlc.len().min(erlkit.len());
            counts.erlc += erlc.len();
            counts.erlkit += erlkit.len();
            counts.both += both;
            agreed &= erlc.len() == erlkit.len();
            for finding in erlc.into_iter().skip(both) {
                self.disagreements.push((index, finding, true));
            }
            for finding in erlkit.into_iter().skip(both) {
                self.disagreements.push((index, finding, false));
            }
        }
        agreed
    }

    /// Prints the tables and the disagreements; what fails the check.
    fn print(
        &self,
        mutants: &[Mutant],
        jobs: &[(&EppModule, Workspace, SourceFile)],
        args: &MutantsArgs,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        let mut intended: BTreeMap<&str, usize> = BTreeMap::new();
        for mutant in mutants {
            *intended.entry(mutant.mutation.kind.code()).or_default() += 1;
        }
        let mut codes: Vec<String> = self.by_code.keys().cloned().collect();
        codes.extend(intended.keys().map(|code| (*code).to_owned()));
        codes.extend(judge::mapped_codes().into_iter().map(str::to_owned));
        codes.sort();
        codes.dedup();

        println!();
        println!(
            "  {:<6} {:<28} {:>7} {:>6} {:>6} {:>6} {:>9} {:>7}",
            "code", "name", "mutants", "erlc", "erlkit", "both", "precision", "recall"
        );
        let mut not_implemented = Vec::new();
        for code in &codes {
            let counts = self.by_code.get(code).copied().unwrap_or_default();
            let mutants_of = intended.get(code.as_str()).copied().unwrap_or(0);
            let known = ide::DiagnosticCode::from_code_or_name(code);
            let Some(known) = known else {
                not_implemented.push(format!("{code} ({} erlc findings)", counts.erlc));
                continue;
            };
            if counts.erlc == 0 && counts.erlkit == 0 && mutants_of == 0 {
                continue;
            }
            let (precision, recall) = (counts.precision(), counts.recall());
            let failing = precision < MIN_SCORE || recall < MIN_SCORE;
            println!(
                "  {:<6} {:<28} {:>7} {:>6} {:>6} {:>6} {:>8.1}% {:>6.1}%{}",
                code,
                known.name(),
                mutants_of,
                counts.erlc,
                counts.erlkit,
                counts.both,
                precision * 100.0,
                recall * 100.0,
                if failing { "  FAIL" } else { "" }
            );
            if failing {
                failures.push(format!(
                    "{code} {}: precision {:.1}%, recall {:.1}%",
                    known.name(),
                    precision * 100.0,
                    recall * 100.0
                ));
            }
        }
        if !not_implemented.is_empty() {
            println!();
            println!(
                "  NOT IMPLEMENTED YET in erlkit (not failing): {}",
                not_implemented.join(", ")
            );
        }
        if !self.unmapped.is_empty() {
            println!(
                "  erlc findings no erlkit code stands for (not compared): {}",
                self.unmapped
                    .iter()
                    .map(|((module, tag), n)| format!("{module} {tag} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }

        println!();
        println!(
            "  {:<22} {:<6} {:>7} {:>16} {:>16}",
            "mutation", "code", "mutants", "erlc reports it", "all findings agree"
        );
        for kind in MutationKind::ALL {
            let of_kind: Vec<(bool, bool)> = mutants
                .iter()
                .zip(&self.outcomes)
                .filter(|(mutant, _)| mutant.mutation.kind == kind)
                .map(|(_, outcome)| *outcome)
                .collect();
            if of_kind.is_empty() {
                continue;
            }
            println!(
                "  {:<22} {:<6} {:>7} {:>16} {:>16}",
                kind.name(),
                kind.code(),
                of_kind.len(),
                of_kind.iter().filter(|(hit, _)| *hit).count(),
                of_kind.iter().filter(|(_, agreed)| *agreed).count()
            );
        }

        for (index, crash) in &self.crashes {
            println!("  ERLC CRASHED on {}: {crash}", mutants[*index].id);
            failures.push(format!("the compiler crashed on {}", mutants[*index].id));
        }
        let mut by_code: BTreeMap<&str, Vec<&(usize, Finding, bool)>> = BTreeMap::new();
        for disagreement in &self.disagreements {
            by_code
                .entry(disagreement.1.code.as_str())
                .or_default()
                .push(disagreement);
        }
        for (code, disagreements) in by_code {
            if ide::DiagnosticCode::from_code_or_name(code).is_none() {
                continue;
            }
            println!();
            println!(
                "  {code}: {} disagreements{}",
                disagreements.len(),
                if disagreements.len() > args.show {
                    format!(", the first {}", args.show)
                } else {
                    String::new()
                }
            );
            for (index, finding, from_erlc) in disagreements.into_iter().take(args.show) {
                let mutant = &mutants[*index];
                let (module, _, _) = jobs[mutant.module];
                println!(
                    "  {} {} at {}:{}: {}
      mutant {} ({}): {}",
                    if *from_erlc {
                        "ERLC ONLY  "
                    } else {
                        "ERLKIT ONLY"
                    },
                    finding.code,
                    finding.file.display(),
                    finding.line,
                    finding.message,
                    mutant.id,
                    module.file.display(),
                    mutant.mutation.description
                );
            }
        }
        println!();
        println!(
            "  to rerun one mutant: cargo xtask corpus mutants --seed {} --count {} --modules {}{} --mutant ID --keep DIR",
            args.seed,
            args.count,
            args.modules,
            args.filter
                .as_ref()
                .map_or_else(String::new, |filter| format!(" --filter {filter}"))
        );
        failures
    }
}

/// What the compiler said, with who said it.
fn erlc_message(finding: &ErlcFinding) -> String {
    format!(
        "{} {} ({} {})",
        if finding.error { "error:" } else { "warning:" },
        finding.message,
        finding.module,
        finding.tag
    )
}

/// The lines of `-export` attributes' names in `text`.
fn export_lines(text: &str, lines: &LineIndex<'_>, release: OtpRelease) -> HashSet<u32> {
    let parse = syntax::parse(
        text,
        &ParseOptions {
            release,
            file_kind: FileKind::Module,
        },
    );
    parse
        .syntax_node()
        .children()
        .filter(|form| form.kind() == SyntaxKind::EXPORT_ATTRIBUTE)
        .filter_map(|form| {
            let name = form
                .children()
                .find(|child| child.kind() == SyntaxKind::ATTR_NAME)?;
            let token = name
                .children_with_tokens()
                .filter_map(|element| element.into_token())
                .find(|token| token.kind() == SyntaxKind::ATOM)?;
            Some(
                lines
                    .line_column(usize::from(token.text_range().start()))
                    .line,
            )
        })
        .collect()
}

/// Where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn file_name(path: &Path) -> anyhow::Result<&std::ffi::OsStr> {
    path.file_name()
        .with_context(|| format!("{} has no file name", path.display()))
}

/// Writes `text` to `path` in the encoding of `original` (Latin-1 when it
/// says so), creating its directory.
fn write_source(path: &Path, text: &str, original: &Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(original).with_context(|| format!("reading {}", original.display()))?;
    let encoding = syntax::decode_source(&bytes)
        .map(|(_, encoding)| encoding)
        .map_err(|error| anyhow::anyhow!("decoding {}: {error:?}", original.display()))?;
    let encoded = syntax::encode_source(text, encoding).map_err(|error| {
        anyhow::anyhow!("encoding a mutant of {}: {error:?}", original.display())
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, encoded).with_context(|| format!("writing {}", path.display()))
}

/// A small deterministic generator (SplitMix64), as `corpus incremental` has.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Shuffles `items` (Fisher-Yates).
fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

/// A stable hash of `text` (FNV-1a).
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
