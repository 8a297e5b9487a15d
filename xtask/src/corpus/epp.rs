//! `cargo xtask corpus epp`: the preprocessor and item trees judged on OTP's
//! sources. Every OTP module is preprocessed by `hir` with the options it was
//! really compiled with (from its `.beam`, as the oracle finds them), and its
//! functions, exports, records, types, specs, static remote calls and `fun
//! m:f/a` references are compared with what `epp:parse_file/2` gives.

use std::collections::BTreeSet;

use anyhow::bail;
use base_db::{RootDatabase, SourceFile};
use hir::Workspace;
use rayon::prelude::*;

use super::epp_oracle::{EppModule, epp_modules};
use super::otp_db::{load_otp, module_workspace, otp_modules};

#[derive(clap::Args)]
pub(crate) struct EppArgs {
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Also list the files skipped (with the reason) and the include
    /// directories of the beams' options that do not exist in the installation.
    #[arg(long)]
    verbose: bool,
    /// How many differences to list.
    #[arg(long, value_name = "N", default_value_t = 30)]
    show: usize,
}

/// Differences that are expected, each with its reason: (path suffix, fact
/// kind, fact, reason).
const EXCEPTIONS: &[(&str, &str, &str, &str)] = &[];

/// One module's facts, on either side, as sorted sets of text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Facts {
    functions: BTreeSet<String>,
    exports: BTreeSet<String>,
    records: BTreeSet<String>,
    types: BTreeSet<String>,
    specs: BTreeSet<String>,
    remote_calls: BTreeSet<String>,
    remote_funs: BTreeSet<String>,
}

impl Facts {
    fn kinds(&self) -> [(&'static str, &BTreeSet<String>); 7] {
        [
            ("functions", &self.functions),
            ("exports", &self.exports),
            ("records", &self.records),
            ("types", &self.types),
            ("specs", &self.specs),
            ("remote_calls", &self.remote_calls),
            ("remote_funs", &self.remote_funs),
        ]
    }

    fn of_oracle(module: &EppModule) -> Facts {
        let set = |list: &[String]| list.iter().cloned().collect();
        Facts {
            functions: set(&module.functions),
            exports: set(&module.exports),
            records: set(&module.records),
            types: set(&module.types),
            specs: set(&module.specs),
            remote_calls: set(&module.remote_calls),
            remote_funs: set(&module.remote_funs),
        }
    }
}

/// The facts `hir` finds in `file`, preprocessed with `module`'s options.
fn hir_facts(db: &RootDatabase, workspace: Workspace, file: SourceFile) -> Facts {
    let items = hir::item_tree(db, workspace, file);
    let expanded = hir::expanded_module(db, workspace, file);
    let refs = hir::items::remote_refs(&expanded.parse().source_file());
    Facts {
        functions: items.functions.iter().map(|f| f.name.to_string()).collect(),
        exports: items.exports.iter().map(ToString::to_string).collect(),
        records: items
            .records
            .iter()
            .map(|record| {
                let fields: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
                format!("{}{{{}}}", record.name, fields.join(","))
            })
            .collect(),
        types: items.types.iter().map(|t| t.name.to_string()).collect(),
        specs: items
            .specs
            .iter()
            .map(|spec| match &spec.module {
                Some(module) => format!("{module}:{}", spec.name),
                None => spec.name.to_string(),
            })
            .collect(),
        remote_calls: refs.calls.iter().map(ToString::to_string).collect(),
        remote_funs: refs.funs.iter().map(ToString::to_string).collect(),
    }
}

pub(crate) fn run(args: EppArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (root, release, modules) = otp_modules(args.filter.as_deref())?;
    let oracle = epp_modules(&modules)?;
    let oracle_time = started.elapsed();
    let started = std::time::Instant::now();
    let otp = load_otp(&root, release)?;
    // One workspace per module: its own application gets its options.
    let mut jobs = Vec::new();
    let mut skipped = 0;
    let mut parse_transforms = 0;
    for module in &oracle {
        if args.verbose {
            if let Some(reason) = &module.skipped {
                println!("  skipped {}: {reason}", module.file.display());
            }
            for dropped in &module.dropped_includes {
                println!(
                    "  {} ({}): include dir {} not installed{}",
                    module.file.display(),
                    module.module.as_deref().unwrap_or("?"),
                    dropped.option,
                    dropped
                        .mapped
                        .as_deref()
                        .map(|m| format!(" (as {m})"))
                        .unwrap_or_default()
                );
            }
            if let Some(beam) = &module.beam
                && !module.parse_transforms.is_empty()
            {
                println!(
                    "  {}: parse transforms left out: {}",
                    beam.display(),
                    module.parse_transforms.join(", ")
                );
            }
        }
        if module.options_from.is_none() {
            skipped += 1;
            continue;
        }
        if !module.parse_transforms.is_empty() {
            parse_transforms += 1;
        }
        let Some(&file) = otp.files.get(&module.file) else {
            bail!("{} was not loaded", module.file.display());
        };
        let workspace = module_workspace(&otp, module, file);
        jobs.push((module, workspace, file));
    }
    let results: Vec<(&EppModule, Facts, Vec<String>)> = jobs
        .par_iter()
        .map_with(otp.db.clone(), |db, &(module, workspace, file)| {
            let facts = hir_facts(db, workspace, file);
            let diagnostics = hir::preprocess(db, workspace, file)
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.kind.to_string())
                .collect();
            (module, facts, diagnostics)
        })
        .collect();
    let hir_time = started.elapsed();

    let mut compared = 0;
    let mut identical = 0;
    let mut differences: Vec<String> = Vec::new();
    let mut excepted = 0;
    let mut by_kind: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    let mut both_fail = 0;
    for (module, ours, diagnostics) in &results {
        compared += 1;
        if !module.errors.is_empty() {
            // epp drops every form that uses a macro it could not define
            // (their headers are not installed); erlkit keeps them. Both must
            // report the problem.
            if diagnostics.is_empty() {
                differences.push(format!(
                    "{}: epp reports `{}`, erlkit nothing",
                    module.file.display(),
                    module.errors[0]
                ));
            } else {
                both_fail += 1;
            }
            continue;
        }
        let theirs = Facts::of_oracle(module);
        let mut same = true;
        for ((kind, our_set), (_, their_set)) in ours.kinds().into_iter().zip(theirs.kinds()) {
            let entry = by_kind.entry(kind).or_default();
            entry.0 += their_set.len();
            for fact in their_set.symmetric_difference(our_set) {
                let side = if our_set.contains(fact) {
                    "only erlkit"
                } else {
                    "only epp"
                };
                let path = module.file.to_string_lossy();
                if EXCEPTIONS
                    .iter()
                    .any(|(suffix, k, f, _)| path.ends_with(suffix) && *k == kind && f == fact)
                {
                    excepted += 1;
                    continue;
                }
                same = false;
                entry.1 += 1;
                differences.push(format!("{path}: {kind}: {side}: {fact}"));
            }
        }
        if !diagnostics.is_empty() {
            same = false;
            for diagnostic in diagnostics {
                differences.push(format!(
                    "{}: erlkit reports `{diagnostic}`, epp nothing",
                    module.file.display()
                ));
            }
        }
        if same {
            identical += 1;
        }
    }
    println!(
        "corpus epp: {compared} OTP modules compared ({skipped} without a beam skipped): \
         {identical} identical to epp:parse_file/2, {both_fail} where epp and erlkit both \
         report preprocessor errors (headers missing from the installation); {} differences, \
         {excepted} listed exceptions; {parse_transforms} modules' parse transforms left out",
        differences.len()
    );
    for (kind, (total, wrong)) in &by_kind {
        println!("  {kind:<13} {total:>7} facts in epp, {wrong:>5} differ");
    }
    println!(
        "  time: epp (oracle, one VM) {:.1} s; erlkit load + preprocess + item trees {:.1} s",
        oracle_time.as_secs_f64(),
        hir_time.as_secs_f64()
    );
    for difference in differences.iter().take(args.show) {
        println!("  {difference}");
    }
    if !differences.is_empty() {
        bail!("{} differences from epp", differences.len());
    }
    Ok(())
}
