//! Corpus checks against OTP's sources: `cargo xtask corpus parse`.

mod align;
mod exceptions;
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
}

pub(crate) fn run(args: CorpusArgs) -> anyhow::Result<()> {
    match args.check {
        CorpusCheck::Parse(args) => parse::run(args),
    }
}
