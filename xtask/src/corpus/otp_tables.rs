//! `cargo xtask corpus otp-tables`: the linter's OTP tables
//! (`crates/ide/src/lint/otp_tables.rs`) are what `cargo xtask codegen --otp`
//! makes from the installed OTP, and the deprecated and removed functions
//! derived from OTP's attributes are the clauses of OTP's own
//! `otp_internal:obsolete/3`.

use anyhow::{Context, bail};

use crate::codegen::otp_tables::{self, Obsolete};

#[derive(clap::Args)]
pub(crate) struct OtpTablesArgs {}

pub(crate) fn run(_args: OtpTablesArgs) -> anyhow::Result<()> {
    let root = crate::otp::root()?;
    let release = otp_tables::otp_release(&root)?;
    let checked_in =
        std::fs::read_to_string(otp_tables::path()).context("reading otp_tables.rs")?;
    if !checked_in.contains(&format!("OTP {release}'s tables")) {
        eprintln!(
            "corpus otp-tables: SKIPPED the freshness check: the tables come from another OTP \
             release than the installed OTP {release}"
        );
    } else {
        let files = crate::codegen::generate_otp_tables()?;
        if !crate::codegen::stale_files(&files)?.is_empty() {
            bail!("crates/ide/src/lint/otp_tables.rs is stale: run `cargo xtask codegen --otp`");
        }
    }
    let derived = otp_tables::obsolete_functions(&root)?;
    let otp_internal =
        std::fs::read_to_string(otp_tables::find_stdlib_file(&root, "otp_internal.erl")?)?;
    let mut judged = otp_tables::otp_internal_clauses(&otp_internal);
    judged.sort();
    let mut ours = derived.clone();
    ours.sort();
    let missing: Vec<&Obsolete> = judged
        .iter()
        .filter(|entry| !ours.contains(entry))
        .collect();
    let extra: Vec<&Obsolete> = ours
        .iter()
        .filter(|entry| !judged.contains(entry))
        .collect();
    println!(
        "corpus otp-tables: {} deprecated or removed functions derived from OTP {release}'s \
         attributes; otp_internal:obsolete/3 has {} clauses",
        ours.len(),
        judged.len()
    );
    for entry in &missing {
        println!("  only in otp_internal: {entry:?}");
    }
    for entry in &extra {
        println!("  only derived: {entry:?}");
    }
    if !missing.is_empty() || !extra.is_empty() {
        bail!(
            "{} differences from otp_internal:obsolete/3",
            missing.len() + extra.len()
        );
    }
    Ok(())
}
