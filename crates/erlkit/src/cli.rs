//! The command line grammar: clap definitions of every `erlkit` subcommand and option.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

/// Erlang developer tooling: one lossless syntax tree, no Erlang VM needed.
#[derive(Debug, Parser)]
#[command(name = "erlkit", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse Erlang files and report syntax errors as `path:line:column: message`.
    Parse(ParseArgs),
    /// Format Erlang files in place (erlfmt's style), check them, or format stdin.
    Fmt(FmtArgs),
    /// List a project's applications and their modules; `--duplicates` lists the
    /// module names defined in more than one application.
    Modules(ModulesArgs),
    /// Analyse a whole project (parse, preprocess, item trees, module index) and
    /// print a summary: applications, modules, items, diagnostics, time per
    /// phase and peak memory.
    Analyze(AnalyzeArgs),
    /// Show what the macro calls on a line of a file expand to.
    Expand(ExpandArgs),
    /// Find modules, functions, records, types and macros by name (fuzzy,
    /// case-insensitive; `m:f/2`, `app/mod`, `#rec`, `?MACRO` narrow it).
    Symbols(SymbolsArgs),
    /// Where something is defined: `lists:map/2`, `#state`, `?LOG`,
    /// `app/module`, or the name at `file.erl:LINE:COL`.
    Def(DefArgs),
    /// Every reference to a function, module, record or macro: `m:f/2`, `m`,
    /// `#rec`, `?MACRO`, or the name at `file.erl:LINE:COL`.
    Refs(RefsArgs),
    /// Report what the compiler would, each finding with a stable code
    /// (`erlkit explain CODE`), without compiling: for people, as JSON, SARIF,
    /// GitHub annotations or JUnit XML, against a baseline, split in shards,
    /// only what changed since a git revision, with a cache of findings;
    /// exits 1 when a finding is at or above the fail level.
    Lint(LintArgs),
    /// Explain a lint code (`E1101` or `unbound-variable`): what it means, an
    /// example, and how to fix or silence it.
    Explain(ExplainArgs),
    /// Hot-reload deploys: compare two builds (or two git revisions of the
    /// sources), plan the load, see which version the nodes run, and load it on them.
    #[command(subcommand)]
    Deploy(DeployCommand),
}

/// `erlkit deploy ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum DeployCommand {
    /// Compare two builds of .beam files by module hash (beam_lib:md5/1) and
    /// print the plan: the changed modules in load order, each with its
    /// action (load_module, update with code_change, update supervisor,
    /// add_module, delete_module), and the risks found.
    Diff(DeployDiffArgs),
    /// Show which version of each module of a plan each node has loaded:
    /// OLD's, NEW's, another (drift), or none. Read only.
    Status(DeployStatusArgs),
    /// Load a plan on running nodes: the first (the canary) alone, then the
    /// others --parallel at a time, stopping at the first failure. Per
    /// node: preflight (drift, processes in old code), then suspend, soft
    /// purge, atomic load, code_change, resume, and verify the hashes; on a
    /// failure, roll back or halt. A journal records each node's state.
    Apply(DeployApplyArgs),
}

/// Options of `erlkit deploy apply`.
#[derive(Debug, Args)]
#[command(
    after_help = "Nodes are reached over plain TCP Erlang distribution through EPMD \
(TLS distribution is not supported yet). The journal (default: PLAN.journal) records each \
node's state: pending, unreachable, refused, prepared, committed, rolled_back, failed or \
unknown; a rerun reads it, skips the modules already at NEW and finishes the rest. Exit \
status: 0 when every node is at NEW (with --dry-run: passed the preflight), 1 when a node was \
unreachable, refused or failed (the output says which step, and where each node is), 2 for a \
plan, binary or cookie that cannot be read."
)]
pub(crate) struct DeployApplyArgs {
    /// A plan written by `deploy diff --out`.
    #[arg(value_name = "PLAN")]
    pub(crate) plan: PathBuf,
    /// The nodes, `name@host`, separated by commas; the first is the canary.
    #[arg(long, value_name = "NODES", value_delimiter = ',', required = true)]
    pub(crate) nodes: Vec<String>,
    /// The file that holds the cookie [default: ~/.erlang.cookie]. The
    /// cookie is never printed.
    #[arg(long, value_name = "FILE")]
    pub(crate) cookie_file: Option<PathBuf>,
    /// How long to wait for a node's answer to each request, in
    /// milliseconds (also the timeout of each sys:suspend, sys:change_code
    /// and supervisor call made on the node).
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub(crate) timeout_ms: u64,
    /// What becomes of a node that changed when the rollout fails: taken
    /// back to OLD (a soft purge, code_change({down, Vsn}, ...), OLD's
    /// binaries loaded again), or left as it is.
    #[arg(long, value_enum, value_name = "POLICY", default_value = "rollback")]
    pub(crate) on_failure: OnFailureArg,
    /// How many nodes after the canary are done at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) parallel: u16,
    /// Purge with code:purge/1, killing the processes that still run old
    /// code, instead of refusing the node.
    #[arg(long)]
    pub(crate) brutal_purge: bool,
    /// The journal file [default: PLAN.journal].
    #[arg(long, value_name = "FILE")]
    pub(crate) journal: Option<PathBuf>,
    /// Run the preflight only, and print every step the commit would run.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Print each node's report as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `--on-failure`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum OnFailureArg {
    Rollback,
    Halt,
}

/// Options of `erlkit deploy status`.
#[derive(Debug, Args)]
#[command(
    after_help = "Nodes are reached over plain TCP Erlang distribution through EPMD \
(TLS distribution is not supported yet). Exit status: 0 when every node answered, 1 when one \
did not (unreachable, or no answer within the timeout), 2 for a plan or cookie that cannot be \
read."
)]
pub(crate) struct DeployStatusArgs {
    /// The nodes, `name@host`, separated by commas.
    #[arg(long, value_name = "NODES", value_delimiter = ',', required = true)]
    pub(crate) nodes: Vec<String>,
    /// A plan written by `deploy diff --out`: its modules are looked up.
    #[arg(value_name = "PLAN")]
    pub(crate) plan: Option<PathBuf>,
    /// The file that holds the cookie [default: ~/.erlang.cookie]. The
    /// cookie is never printed.
    #[arg(long, value_name = "FILE")]
    pub(crate) cookie_file: Option<PathBuf>,
    /// How long to wait for a node's answer to each request, in
    /// milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub(crate) timeout_ms: u64,
    /// Print the status as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

/// Options of `erlkit deploy diff`.
#[derive(Debug, Args)]
#[command(
    after_help = "OLD and NEW are each an ebin directory, an application's directory (its ebin), a release root (its lib/*/ebin), a lib directory, or a .beam file; several, separated by commas. Exit status: 0 when the plan has no risk, 1 when it has risks, 2 for builds that cannot be read. With --src: 1 when a caller of a removed export breaks, 2 for a revision that cannot be read."
)]
pub(crate) struct DeployDiffArgs {
    /// The build running now.
    #[arg(value_name = "OLD", required_unless_present = "src")]
    pub(crate) old: Option<String>,
    /// The build to load.
    #[arg(value_name = "NEW", required_unless_present = "src")]
    pub(crate) new: Option<String>,
    /// Compare two git revisions of the sources instead (`--from`, `--to`):
    /// which modules changed in meaning and which only in layout, comments
    /// or docs, which functions, exports, records, specs and callbacks
    /// changed, and which callers a removed export breaks.
    #[arg(long, requires = "from", conflicts_with_all = ["old", "new", "out", "appup"])]
    pub(crate) src: bool,
    /// The revision running now (with --src).
    #[arg(long, value_name = "REV", requires = "src")]
    pub(crate) from: Option<String>,
    /// The revision to deploy (with --src) [default: HEAD].
    #[arg(long, value_name = "REV", requires = "src")]
    pub(crate) to: Option<String>,
    /// The git checkout (with --src) [default: the current directory].
    #[arg(long, value_name = "DIR", requires = "src")]
    pub(crate) root: Option<PathBuf>,
    /// Print the plan as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Also write the plan to this file (JSON: every module with its
    /// action, the .beam file to load and both hashes), for `deploy apply`.
    #[arg(long, value_name = "PLAN")]
    pub(crate) out: Option<PathBuf>,
    /// Also write one APP.appup file per application with modules to load
    /// into this directory (the versions come from the .app files).
    #[arg(long, value_name = "DIR")]
    pub(crate) appup: Option<PathBuf>,
}

/// Options of `erlkit lint`.
#[derive(Debug, Args)]
#[command(
    after_help = "Exit status: 0 when no finding is at or above the fail level, \
1 when one is, 2 for a usage error, a project, baseline or erlkit.toml that cannot be read, \
or a --changed-since revision that git does not know.\n\
Suppress one finding with a comment on the line before it: \
`% erlkit:ignore W2101 the reason`. Set levels per code in erlkit.toml under [lint.levels].\n\
Findings are cached in .erlkit/cache/ under the project's root (keep .erlkit/ out of version \
control): files whose inputs are unchanged are not analysed again."
)]
pub(crate) struct LintArgs {
    /// Only lint the project's files under these files or directories
    /// [default: every file of the project's own applications].
    #[arg(value_name = "PATHS")]
    pub(crate) paths: Vec<PathBuf>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    pub(crate) format: LintFormat,

    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
    pub(crate) deny: Option<String>,

    /// Report only findings that are not in this baseline file (a JSON file
    /// that `--write-baseline` writes); the summary counts those left out and
    /// those of the baseline no longer found.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// Write every current finding to the `--baseline` file (replacing it) and
    /// exit 0, instead of reporting them.
    #[arg(long, requires = "baseline", conflicts_with_all = ["shard", "changed_since"])]
    pub(crate) write_baseline: bool,

    /// Lint only the files changed since the git revision REV (`git diff
    /// REV`, staged or not, and untracked files) and the modules they affect:
    /// those that include a changed header or call a changed module.
    #[arg(long, value_name = "REV")]
    pub(crate) changed_since: Option<String>,

    /// Neither read nor write the cache of findings in `.erlkit/cache/`
    /// (every file is analysed).
    #[arg(long)]
    pub(crate) no_cache: bool,

    /// Apply the findings' safe fixes (an unused variable written once
    /// becomes `_Name`), each file written atomically, and report the rest.
    #[arg(long, conflicts_with = "write_baseline")]
    pub(crate) fix: bool,

    /// The number of threads that analyse files [default: one per core].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) jobs: Option<u32>,

    /// Lint only part I of N of the files (I from 1 to N), to split a run
    /// across CI machines: the N parts together report exactly what one run
    /// reports, each finding once.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub(crate) shard: Option<Shard>,

    /// The project's root (found as `erlkit modules` finds it).
    #[arg(long, default_value = ".", value_name = "PATH")]
    pub(crate) root: PathBuf,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// `--shard I/N`: part `index` (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shard {
    pub(crate) index: u32,
    pub(crate) count: u32,
}

/// `I/N` with 1 <= I <= N.
fn parse_shard(text: &str) -> Result<Shard, String> {
    let usage = || format!("`{text}` is not a shard: expected I/N with 1 <= I <= N, e.g. 2/4");
    let (index, count) = text.split_once('/').ok_or_else(usage)?;
    let index: u32 = index.trim().parse().map_err(|_| usage())?;
    let count: u32 = count.trim().parse().map_err(|_| usage())?;
    if count == 0 || index == 0 || index > count {
        return Err(usage());
    }
    Ok(Shard { index, count })
}

/// The output formats of `erlkit lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LintFormat {
    /// `path:line:column: severity[CODE]: message`, with the line and the
    /// range underlined (in colour on a terminal), then a summary.
    Human,
    /// One JSON object: the findings, and their counts.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`), which
    /// GitHub shows as annotations on the pull request's lines.
    Github,
    /// JUnit XML: a test suite per file and a failed test case per finding
    /// (one passing test case when there is none), for CI test reports.
    Junit,
}

/// Options of `erlkit explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// A code (`E1101`) or its name (`unbound-variable`).
    #[arg(value_name = "CODE")]
    pub(crate) code: String,
}

/// Options of `erlkit refs`.
#[derive(Debug, Args)]
pub(crate) struct RefsArgs {
    /// `module:function[/N]`, `module`, `#record`, `?MACRO[/N]`, or a position
    /// `file.erl:LINE:COL`.
    #[arg(value_name = "TARGET")]
    pub(crate) target: String,

    /// Also search dependencies and OTP (by default only the project's
    /// applications).
    #[arg(long)]
    pub(crate) all: bool,

    /// The project's root [default: the current directory, or for a position
    /// the project of its file].
    #[arg(long, value_name = "PATH")]
    pub(crate) root: Option<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// Options of `erlkit symbols`.
#[derive(Debug, Args)]
pub(crate) struct SymbolsArgs {
    /// What to look for: `name` (fuzzy), `module:function[/N]`, `function/N`,
    /// `app/module`, `#record`, `?MACRO[/N]`.
    #[arg(value_name = "QUERY")]
    pub(crate) query: String,

    /// Also search dependencies and OTP (by default only the project's
    /// applications).
    #[arg(long)]
    pub(crate) all: bool,

    /// At most this many results, best first.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(crate) limit: usize,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,

    /// The project's root.
    #[arg(long, default_value = ".", value_name = "PATH")]
    pub(crate) root: PathBuf,
}

/// Options of `erlkit def`.
#[derive(Debug, Args)]
pub(crate) struct DefArgs {
    /// `module:function/N`, `#record`, `?MACRO`, `app/module`, a name, or a
    /// position `file.erl:LINE:COL`.
    #[arg(value_name = "TARGET")]
    pub(crate) target: String,

    /// The project's root [default: the current directory, or for a position
    /// the project of its file, found as `erlkit expand` finds it].
    #[arg(long, value_name = "PATH")]
    pub(crate) root: Option<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// Options of `erlkit analyze`.
#[derive(Debug, Args)]
pub(crate) struct AnalyzeArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    /// Also analyse OTP's applications (they are always loaded, for includes and
    /// the module index).
    #[arg(long, conflicts_with = "no_otp")]
    pub(crate) otp: bool,

    /// How many diagnostics to list (all are counted).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) max_diagnostics: usize,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,

    /// The project's root (found as `erlkit modules` finds it).
    #[arg(default_value = ".", value_name = "PATH")]
    pub(crate) root: PathBuf,
}

/// Options of `erlkit expand`.
#[derive(Debug, Args)]
pub(crate) struct ExpandArgs {
    /// `FILE:LINE`, the line from 1.
    #[arg(value_name = "FILE:LINE")]
    pub(crate) location: String,

    /// The project's root [default: the outermost directory above FILE with a
    /// rebar.config, erlkit.toml or erlang.mk, within its git repository].
    #[arg(long, value_name = "PATH")]
    pub(crate) root: Option<PathBuf>,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,
}

/// Options of `erlkit modules`.
#[derive(Debug, Args)]
pub(crate) struct ModulesArgs {
    /// Only the module names defined more than once, with every definition;
    /// exits 1 when there is any.
    #[arg(long)]
    pub(crate) duplicates: bool,

    /// Print JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    /// Also list OTP's applications (they are always indexed, so a project
    /// module that shadows one of OTP's is a duplicate).
    #[arg(long, conflicts_with = "no_otp")]
    pub(crate) otp: bool,

    #[command(flatten)]
    pub(crate) engine: EngineArgs,

    /// The project's root: a rebar3 project (single app or umbrella, with its
    /// dependencies in `_build/default/lib` and `_checkouts`), an erlang.mk
    /// project, or any tree of applications with `src/` directories.
    #[arg(default_value = ".", value_name = "PATH")]
    pub(crate) root: PathBuf,
}

/// `--no-otp` and `--otp-release`, shared by the commands that load a project
/// into the analysis engine.
#[derive(Debug, Args)]
pub(crate) struct EngineArgs {
    /// Leave OTP's applications out (its modules are then unknown, and
    /// `-include_lib` of its headers fails).
    #[arg(long)]
    pub(crate) no_otp: bool,

    #[command(flatten)]
    pub(crate) release: ReleaseArgs,
}

impl EngineArgs {
    /// How to load the project, as these options say.
    pub(crate) fn load_options(&self) -> crate::project_load::LoadOptions {
        crate::project_load::LoadOptions {
            release: self.release.otp_release,
            no_otp: self.no_otp,
        }
    }
}

/// `--otp-release`, shared by the commands that read Erlang.
#[derive(Debug, Args)]
pub(crate) struct ReleaseArgs {
    /// The major OTP release whose syntax applies (default: the release of `erl`
    /// on PATH, else the newest erlkit knows).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) otp_release: Option<u32>,
}

/// Options of `erlkit parse`.
#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Only report syntax errors (the default output, spelled out for scripts and CI).
    #[arg(long, conflicts_with = "dump_tree")]
    pub(crate) check: bool,

    /// Print the syntax tree of every file (after a `=== path` header line).
    #[arg(long)]
    pub(crate) dump_tree: bool,

    /// Print one JSON document with every file and its errors instead of text.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) release: ReleaseArgs,

    /// Files and directories. Directories are searched for Erlang files
    /// (.erl .hrl .escript .app.src .config ...), honouring .gitignore and
    /// skipping `_build` and `.git`; files named here are parsed whatever their name.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

/// Options of `erlkit fmt`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("pragma").args(["require_pragma", "insert_pragma", "delete_pragma"])))]
pub(crate) struct FmtArgs {
    /// Write nothing: list the files that would change (on stdout) and exit 1 if any would.
    #[arg(long, conflicts_with = "diff")]
    pub(crate) check: bool,

    /// Write nothing: print a unified diff of each file that would change and exit 1 if any would.
    #[arg(long)]
    pub(crate) diff: bool,

    /// Read the text from stdin and write the result to stdout, naming it PATH (which
    /// is not read): PATH gives the kind of file and where erlkit.toml is looked for.
    #[arg(long, value_name = "PATH")]
    pub(crate) stdin_filepath: Option<PathBuf>,

    /// Format only the top-level forms that overlap lines START to END (1-based,
    /// inclusive; `N` alone is one line). Needs one file, or stdin.
    #[arg(long, value_name = "START-END", value_parser = parse_line_range)]
    pub(crate) range: Option<LineRange>,

    /// The line width to aim for (default: `print_width` under `[format]` in
    /// erlkit.toml, else 100).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) print_width: Option<u32>,

    /// Format only files whose first comment has the `@format` pragma.
    #[arg(long)]
    pub(crate) require_pragma: bool,

    /// Add the `@format` pragma to files formatted that lack it.
    #[arg(long)]
    pub(crate) insert_pragma: bool,

    /// Remove the `@format` pragma from files formatted.
    #[arg(long)]
    pub(crate) delete_pragma: bool,

    #[command(flatten)]
    pub(crate) release: ReleaseArgs,

    /// Files and directories to format in place, or `-` for stdin. Directories are
    /// searched for Erlang files (.erl .hrl .escript .app.src .config rebar.config ...),
    /// honouring .gitignore and skipping `_build` and `.git`.
    #[arg(value_name = "PATH", required_unless_present = "stdin_filepath")]
    pub(crate) paths: Vec<PathBuf>,
}

/// Lines `start..=end` of a file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineRange {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// `START-END`, or erlfmt's `START,END`, or `N` for one line.
fn parse_line_range(text: &str) -> Result<LineRange, String> {
    let line = |part: &str| match part.trim().parse::<u32>() {
        Ok(0) => Err("line numbers start at 1".to_owned()),
        Ok(line) => Ok(line),
        Err(_) => Err(format!(
            "`{text}` is not a line range: expected START-END, e.g. 10-20"
        )),
    };
    let (start, end) = match text.split_once(['-', ',']) {
        Some((start, end)) => (line(start)?, line(end)?),
        None => {
            let one = line(text)?;
            (one, one)
        }
    };
    if start > end {
        return Err(format!("the range {start}-{end} ends before it starts"));
    }
    Ok(LineRange { start, end })
}

#[cfg(test)]
mod tests {
    use super::{Cli, LineRange, Shard, parse_line_range, parse_shard};
    use clap::CommandFactory;

    #[test]
    fn line_ranges() {
        let range = |start, end| Ok(LineRange { start, end });
        assert_eq!(parse_line_range("10-20"), range(10, 20));
        assert_eq!(parse_line_range("3,4"), range(3, 4));
        assert_eq!(parse_line_range("7"), range(7, 7));
        assert_eq!(parse_line_range("5-5"), range(5, 5));
        assert_eq!(
            parse_line_range("0-3"),
            Err("line numbers start at 1".to_owned())
        );
        assert_eq!(
            parse_line_range("9-2"),
            Err("the range 9-2 ends before it starts".to_owned())
        );
        assert_eq!(
            parse_line_range("a-b"),
            Err("`a-b` is not a line range: expected START-END, e.g. 10-20".to_owned())
        );
        assert!(parse_line_range("1-2-3").is_err());
        assert!(parse_line_range("").is_err());
    }

    #[test]
    fn shards() {
        assert_eq!(parse_shard("1/1"), Ok(Shard { index: 1, count: 1 }));
        assert_eq!(parse_shard("3/4"), Ok(Shard { index: 3, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "", "-1/2"] {
            assert_eq!(
                parse_shard(bad),
                Err(format!(
                    "`{bad}` is not a shard: expected I/N with 1 <= I <= N, e.g. 2/4"
                ))
            );
        }
    }

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
