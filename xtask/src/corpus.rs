//! Corpus checks against OTP's sources: `cargo xtask corpus parse` and `cargo xtask corpus fmt`.

mod align;
pub(crate) mod erlang_helper;
mod exceptions;
mod fmt;
mod forms;
mod oracle;
mod parse;

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
}

pub(crate) fn run(args: CorpusArgs) -> anyhow::Result<()> {
    match args.check {
        CorpusCheck::Parse(args) => parse::run(args),
        CorpusCheck::Fmt(args) => fmt::run(args),
    }
}
