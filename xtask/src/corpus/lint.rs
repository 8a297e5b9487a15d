//! `cargo xtask corpus lint`: no false positives on OTP. Every OTP module
//! that has a `.beam` is linted (`ide::lint_file`) with the options it was
//! really compiled with: the include path and `{d, ...}` macros (as
//! `corpus epp` finds them) and its `warn_*`/`nowarn_*` options, all from the
//! beam's `compile_info`. OTP compiles these modules without errors and
//! without the warnings that erlkit checks so far, so every finding is a
//! false positive unless it is listed below with its reason. Modules where
//! `epp` itself fails (headers missing from the installation) are left out,
//! as in `corpus scopes`.

use std::collections::BTreeMap;

use anyhow::bail;
use base_db::FileId;
use rayon::prelude::*;
use syntax::LineIndex;

use super::epp_oracle::epp_modules;
use super::otp_db::{CompiledModules, compiled_modules, load_otp, module_jobs, otp_modules};

#[derive(clap::Args)]
pub(crate) struct LintArgs {
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// How many findings to list.
    #[arg(long, value_name = "N", default_value_t = 30)]
    show: usize,
}

/// Findings OTP lives with, by (path suffix, line, code, reason). None so far.
const EXCEPTIONS: &[(&str, u32, &str, &str)] = &[];

pub(crate) fn run(args: LintArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (root, release, paths) = otp_modules(args.filter.as_deref())?;
    let epp = epp_modules(&paths)?;
    let oracle_time = started.elapsed();
    let CompiledModules {
        modules,
        without_beam,
        epp_errors,
    } = compiled_modules(&epp);

    let started = std::time::Instant::now();
    let otp = load_otp(&root, release)?;
    let jobs = module_jobs(&otp, &modules)?;
    let findings: Vec<ide::LintDiagnostic> = jobs
        .par_iter()
        .map_with(otp.db.clone(), |db, &(module, workspace, file)| {
            ide::lint_file(db, workspace, file, &module.warning_switches)
        })
        .flatten()
        .collect();
    let lint_time = started.elapsed();

    let mut indexes: BTreeMap<FileId, LineIndex<'_>> = BTreeMap::new();
    let mut by_code: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut excepted = 0;
    for finding in &findings {
        let Some((path, text)) = otp.by_id.get(&finding.range.file_id) else {
            continue;
        };
        let line = indexes
            .entry(finding.range.file_id)
            .or_insert_with(|| LineIndex::new(text))
            .line_column(usize::from(finding.range.range.start()))
            .line;
        *by_code.entry(finding.code.code()).or_default() += 1;
        let listed = EXCEPTIONS.iter().any(|(suffix, at, code, _)| {
            path.to_string_lossy().ends_with(suffix) && line == *at && finding.code.code() == *code
        });
        if listed {
            excepted += 1;
        } else {
            unexpected.push(format!(
                "{}:{line}: {}[{}]: {}",
                path.display(),
                match finding.severity {
                    ide::Severity::Error => "error",
                    ide::Severity::Warning => "warning",
                },
                finding.code,
                finding.message
            ));
        }
    }
    println!(
        "corpus lint: {} OTP modules linted with their beams' options ({without_beam} without a beam and {epp_errors} where epp fails left out)",
        modules.len()
    );
    println!(
        "  findings: {} ({} listed exceptions){}",
        findings.len(),
        excepted,
        if by_code.is_empty() {
            String::new()
        } else {
            format!(
                ": {}",
                by_code
                    .iter()
                    .map(|(code, n)| format!("{code} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    println!(
        "  time: epp oracle {:.1} s, erlkit load and lint {:.1} s",
        oracle_time.as_secs_f64(),
        lint_time.as_secs_f64()
    );
    for (suffix, line, code, reason) in EXCEPTIONS {
        println!("  exception: {suffix}:{line} {code}: {reason}");
    }
    for finding in unexpected.iter().take(args.show) {
        println!("  FALSE POSITIVE {finding}");
    }
    if !unexpected.is_empty() {
        bail!(
            "{} findings on OTP modules that compile cleanly",
            unexpected.len()
        );
    }
    Ok(())
}
