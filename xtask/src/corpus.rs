//! Corpus checks against OTP: its sources, its compiler and its `.beam` files.

mod align;
mod beam;
mod epp;
mod epp_oracle;
pub(crate) mod erlang_helper;
mod exceptions;
mod fmt;
mod forms;
mod incremental;
mod lint;
mod mutants;
mod oracle;
mod otp_db;
mod otp_tables;
mod parse;
mod scopes;

#[derive(clap::Args)]
pub(crate) struct CorpusArgs {
    #[command(subcommand)]
    check: CorpusCheck,
}

#[derive(clap::Subcommand)]
enum CorpusCheck {
    /// The parser: byte round trip and zero syntax errors on every `.erl`/`.hrl`
    /// under OTP's lib/, and in each file the same forms as `epp_dodger`.
    Parse(parse::ParseArgs),
    /// The formatter: idempotent, same `epp_dodger` forms (or `erl_scan` tokens),
    /// same comments and no new syntax errors on every `.erl`/`.hrl` under OTP's lib/.
    Fmt(fmt::FmtArgs),
    /// The preprocessor and item trees: each OTP module with the options of its
    /// `.beam`, compared with `epp:parse_file/2` (functions, exports, records,
    /// types, specs, static remote calls and `fun m:f/a`).
    Epp(epp::EppArgs),
    /// Variable scoping: every function of each OTP module analysed as `erl_lint`
    /// does (unbound, unsafe, unused, exported, shadowed variables), compared
    /// with OTP's own `erl_lint`.
    Scopes(scopes::ScopesArgs),
    /// Incremental analysis: after chains of random edits to each OTP module,
    /// its expansion and parse equal those computed from scratch.
    Incremental(incremental::IncrementalArgs),
    /// The linter's false positives: every OTP module with a beam, linted
    /// with the options it was compiled with, must give no finding.
    Lint(lint::LintArgs),
    /// The linter's parity with OTP's compiler: OTP modules with one defect
    /// injected each (an unbound variable, a misspelt record field, ...),
    /// compiled by `erlc` and linted by erlkit; per code, precision and
    /// recall of at least 99% at the same file and line.
    Mutants(mutants::MutantsArgs),
    /// The linter's OTP tables: up to date with the installed OTP, and the
    /// deprecated and removed functions equal to `otp_internal:obsolete/3`.
    OtpTables(otp_tables::OtpTablesArgs),
    /// The `.beam` reader: every `.beam` file of the installed OTP read by
    /// the `beam` crate and by `beam_lib`, which must agree on the module
    /// hash (`beam_lib:md5/1`), the atoms, exports, imports, locals,
    /// attribute keys and compile information.
    Beam(beam::BeamArgs),
}

pub(crate) fn run(args: CorpusArgs) -> anyhow::Result<()> {
    match args.check {
        CorpusCheck::Parse(args) => parse::run(args),
        CorpusCheck::Fmt(args) => fmt::run(args),
        CorpusCheck::Epp(args) => epp::run(args),
        CorpusCheck::Scopes(args) => scopes::run(args),
        CorpusCheck::Incremental(args) => incremental::run(args),
        CorpusCheck::Lint(args) => lint::run(args),
        CorpusCheck::Mutants(args) => mutants::run(args),
        CorpusCheck::OtpTables(args) => otp_tables::run(args),
        CorpusCheck::Beam(args) => beam::run(args),
    }
}
