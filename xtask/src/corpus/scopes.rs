//! `cargo xtask corpus scopes`: variable scoping (`hir::scope`) judged on
//! OTP's sources. Every function of every OTP module that has a `.beam` is
//! lowered and analysed per function (`hir::scope::function_scopes`), with
//! the module's real preprocessor options (as `corpus epp` finds them); the
//! unbound and unsafe uses, unused variables, exported variables used after
//! their construct, shadowed variables and the other variable warnings are
//! counted and put on their file and line.
//!
//! OTP compiles without errors, so unbound and unsafe uses must be zero. The
//! warnings are compared, one by one (file, line, kind, variable), with what
//! OTP's own `erl_lint` reports for the same preprocessed forms, with every
//! variable warning switched on (the helper below, run in one `erl`): any
//! difference fails the check. Of the warnings, those `erl_lint` also gives
//! with the module's own options (its beam's `compile_info` and its
//! `-compile` attributes) are warnings OTP's build lives with; the others are
//! switched off by the module (`nowarn_shadow_vars`, `warn_export_vars` not
//! given, ...). Both are listed.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use anyhow::{Context, bail};
use base_db::{FileId, RootDatabase, SourceFile};
use hir::Workspace;
use hir::scope::{VarDiagnostic, VarDiagnosticKind, VarRef};
use rayon::prelude::*;
use syntax::LineIndex;

use super::epp_oracle::{EppModule, epp_modules};
use super::otp_db::{CompiledModules, compiled_modules, load_otp, module_jobs, otp_modules};

#[derive(clap::Args)]
pub(crate) struct ScopesArgs {
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// How many findings and differences to list.
    #[arg(long, value_name = "N", default_value_t = 30)]
    show: usize,
}

/// The `erl_lint` side: for each input line `PATH<TAB>BEAM[<TAB>i=DIR|d=NAME[=TERM]]...`,
/// the module preprocessed by `epp` with those options and checked by
/// `erl_lint:module/3` with the beam's options and every variable warning on.
/// It prints `M<TAB>PATH<TAB>FLAGS` (which variable warnings the module's own
/// options leave on), then `W<TAB>PATH<TAB>FILE<TAB>LINE<TAB>KIND<TAB>VAR`
/// for each variable error or warning, or `X<TAB>PATH<TAB>REASON`.
const ORACLE: &str = r#"
-module(scopes_oracle).
-export([main/0]).

main() ->
    Lines = read_lines([]),
    Workers = erlang:system_info(schedulers_online),
    Results = pmap(fun lint_line/1, Lines, Workers),
    io:setopts([{encoding, unicode}]),
    [io:put_chars(R) || R <- Results],
    ok.

read_lines(Acc) ->
    case io:get_line("") of
        eof -> lists:reverse(Acc);
        Line ->
            case string:trim(Line, trailing, "\r\n") of
                "" -> read_lines(Acc);
                Text -> read_lines([Text | Acc])
            end
    end.

pmap(F, Items, N) ->
    Indexed = lists:zip(lists:seq(1, length(Items)), Items),
    Chunks = [[{I, X} || {I, X} <- Indexed, I rem N =:= K] || K <- lists:seq(0, N - 1)],
    Parent = self(),
    Pids = [spawn_link(fun() -> Parent ! {self(), [{I, F(X)} || {I, X} <- Chunk]} end)
            || Chunk <- Chunks],
    Done = lists:append([receive {Pid, R} -> R end || Pid <- Pids]),
    [R || {_, R} <- lists:keysort(1, Done)].

lint_line(Line) ->
    [File, Beam | Opts] = string:split(Line, "\t", all),
    try lint(File, Beam, Opts)
    catch C:R:S ->
        io_lib:format("X\t~ts\t~0tp~n", [File, {C, R, S}])
    end.

lint(File, Beam, Opts) ->
    Includes = [Dir || "i=" ++ Dir <- Opts],
    Macros = [macro(Def) || "d=" ++ Def <- Opts],
    {ok, Forms} = epp:parse_file(File, [{includes, Includes}, {macros, Macros}]),
    BeamOpts = beam_options(Beam),
    Forced = [warn_unused_vars, warn_shadow_vars, warn_export_vars, warn_underscore_match],
    {Errors, Warnings} =
        case erl_lint:module(Forms, File, BeamOpts ++ Forced) of
            {ok, W} -> {[], W};
            {error, E, W} -> {E, W}
        end,
    Own = [Opt || {attribute, _, compile, C} <- Forms, Opt <- lists:flatten([C])] ++ BeamOpts,
    Flags = [io_lib:format("~w=~w", [Name, flag(Name, Default, Own)])
             || {Name, Default} <- [{unused_vars, true}, {shadow_vars, true},
                                    {export_vars, false}, {underscore_match, true}]],
    [io_lib:format("M\t~ts\t~ts~n", [File, lists:join(",", Flags)])
     | [io_lib:format("W\t~ts\t~ts\t~w\t~w\t~ts~n", [File, DiagFile, line(Loc), element(1, D), atom_to_list(element(2, D))])
        || {DiagFile, Items} <- Errors ++ Warnings, {Loc, erl_lint, D} <- Items, var_related(D)]].

flag(Name, Default, Opts) ->
    On = list_to_atom("warn_" ++ atom_to_list(Name)),
    Off = list_to_atom("nowarn_" ++ atom_to_list(Name)),
    erl_lint:bool_option(On, Off, Default, Opts).

macro(Def) ->
    case string:split(Def, "=") of
        [Name] -> list_to_atom(Name);
        [Name, Text] ->
            {ok, Tokens, End} = erl_scan:string(Text),
            {ok, Term} = erl_parse:parse_term(Tokens ++ [{dot, End}]),
            {list_to_atom(Name), Term}
    end.

beam_options(Beam) ->
    case beam_lib:chunks(Beam, [compile_info]) of
        {ok, {_, [{compile_info, Info}]}} -> proplists:get_value(options, Info, []);
        _ -> []
    end.

line({Line, _Col}) when is_integer(Line) -> Line;
line(Line) when is_integer(Line) -> Line;
line(Anno) -> erl_anno:line(Anno).

var_related(D) when is_tuple(D), tuple_size(D) >= 2, is_atom(element(2, D)) ->
    lists:member(element(1, D), [unbound_var, unsafe_var, unused_var, shadowed_var,
                                 exported_var, match_underscore_var,
                                 match_underscore_var_pat, stacktrace_guard,
                                 stacktrace_bound]);
var_related(_) -> false.
"#;

/// Compiles the helper from a temporary file and runs its `main/0`.
const BOOT: &str = r#"try
    Source = os:getenv("ERLKIT_HELPER"),
    {ok, M, B} = compile:file(Source, [binary, report]),
    {module, M} = code:load_binary(M, filename:basename(Source), B),
    M:main(),
    halt(0)
catch C:R:S ->
    io:format(standard_error, "scopes oracle failed: ~p~n", [{C, R, S}]),
    halt(2)
end."#;

/// One variable error or warning, on either side: where (file and line), what
/// (`erl_lint`'s name for it) and which variable.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Finding {
    file: PathBuf,
    line: u32,
    kind: &'static str,
    var: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} {}",
            self.file.display(),
            self.line,
            self.kind,
            self.var
        )
    }
}

/// `erl_lint`'s name of a diagnostic kind.
fn kind_name(kind: &VarDiagnosticKind) -> &'static str {
    match kind {
        VarDiagnosticKind::Unbound => "unbound_var",
        VarDiagnosticKind::Unsafe(_) => "unsafe_var",
        VarDiagnosticKind::StacktraceInGuard => "stacktrace_guard",
        VarDiagnosticKind::StacktraceBound => "stacktrace_bound",
        VarDiagnosticKind::Unused => "unused_var",
        VarDiagnosticKind::Shadowed(_) => "shadowed_var",
        VarDiagnosticKind::Exported { .. } => "exported_var",
        VarDiagnosticKind::UnderscoreMatch => "match_underscore_var",
        VarDiagnosticKind::UnderscoreMatchInPattern => "match_underscore_var_pat",
    }
}

/// `path` without `.` and `..` components (resolved textually), as both sides
/// name included files differently (`src/../include/x.hrl`).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// What `erl_lint` said about one module.
#[derive(Debug, Default)]
struct OracleModule {
    /// `unused_vars=true,...`: the variable warnings the module's own options
    /// leave on.
    flags: HashMap<String, bool>,
    findings: Vec<Finding>,
}

/// Runs the `erl_lint` helper over `modules` (with the options `corpus epp`'s
/// oracle found for them).
fn lint_oracle(modules: &[&EppModule]) -> anyhow::Result<HashMap<PathBuf, OracleModule>> {
    let dir = std::env::temp_dir().join(format!("erlkit-scopes-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let source = dir.join("scopes_oracle.erl");
    std::fs::write(&source, ORACLE).with_context(|| format!("writing {}", source.display()))?;
    let mut input = String::new();
    for module in modules {
        let beam = module.beam.as_deref().unwrap_or(Path::new("none"));
        write!(input, "{}\t{}", module.file.display(), beam.display())?;
        for dir in &module.includes {
            write!(input, "\ti={}", dir.display())?;
        }
        for macro_ in &module.macros {
            if macro_.value == "true" {
                write!(input, "\td={}", macro_.name)?;
            } else {
                write!(input, "\td={}={}", macro_.name, macro_.value)?;
            }
        }
        input.push('\n');
    }
    let mut child = Command::new("erl")
        .args(["-noshell", "-eval", BOOT])
        .env("ERLKIT_HELPER", &source)
        .env("ERL_CRASH_DUMP_SECONDS", "0")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("starting `erl` for the scopes oracle (is OTP installed?)")?;
    let mut stdin = child.stdin.take().context("erl's stdin")?;
    stdin
        .write_all(input.as_bytes())
        .context("writing the oracle's input")?;
    drop(stdin);
    let output = child
        .wait_with_output()
        .context("waiting for the scopes oracle")?;
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        bail!("the scopes oracle failed with {}", output.status);
    }
    let stdout = String::from_utf8(output.stdout).context("the oracle's output is not UTF-8")?;
    let mut modules: HashMap<PathBuf, OracleModule> = HashMap::new();
    for line in stdout.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["M", path, flags] => {
                let module = modules.entry(PathBuf::from(path)).or_default();
                for flag in flags.split(',') {
                    if let Some((name, value)) = flag.split_once('=') {
                        module.flags.insert(name.to_owned(), value == "true");
                    }
                }
            }
            ["W", path, file, line, kind, var] => {
                let finding = Finding {
                    file: normalise(Path::new(file)),
                    line: line
                        .parse()
                        .with_context(|| format!("bad line in {line:?}"))?,
                    kind: known_kind(kind).with_context(|| format!("unknown kind {kind}"))?,
                    var: (*var).to_owned(),
                };
                modules
                    .entry(PathBuf::from(path))
                    .or_default()
                    .findings
                    .push(finding);
            }
            ["X", path, reason] => bail!("the scopes oracle crashed on {path}: {reason}"),
            _ => bail!("bad line from the scopes oracle: {line}"),
        }
    }
    Ok(modules)
}

fn known_kind(kind: &str) -> Option<&'static str> {
    [
        "unbound_var",
        "unsafe_var",
        "stacktrace_guard",
        "stacktrace_bound",
        "unused_var",
        "shadowed_var",
        "exported_var",
        "match_underscore_var",
        "match_underscore_var_pat",
    ]
    .into_iter()
    .find(|known| *known == kind)
}

/// What erlkit found in one module.
#[derive(Debug, Default)]
struct ModuleResult {
    functions: usize,
    findings: Vec<(Finding, VarDiagnostic)>,
    /// Uses of `_`-prefixed variables.
    underscore_uses: usize,
    /// Occurrences resolved.
    occurrences: usize,
}

fn analyse_module(
    db: &RootDatabase,
    files: &HashMap<FileId, (PathBuf, Arc<str>)>,
    workspace: Workspace,
    file: SourceFile,
) -> ModuleResult {
    let expanded = hir::expanded_module(db, workspace, file);
    let mut indexes: HashMap<FileId, LineIndex<'_>> = HashMap::new();
    let mut result = ModuleResult::default();
    for function in hir::body::module_functions(db, workspace, file) {
        result.functions += 1;
        let scopes = hir::scope::function_scopes(db, function);
        let map = hir::body::function_body_source_map(db, function);
        result.occurrences += scopes.resolutions().count();
        result.underscore_uses += scopes.underscore_uses().len();
        for diagnostic in scopes.diagnostics() {
            let range = match diagnostic.at {
                VarRef::Pat(pat) => map.pat(pat),
                VarRef::Expr(expr) => map.expr(expr),
            };
            let Some(origin) = expanded.origin_of(range) else {
                continue;
            };
            let Some((path, text)) = files.get(&origin.file) else {
                continue;
            };
            let index = indexes
                .entry(origin.file)
                .or_insert_with(|| LineIndex::new(text));
            let finding = Finding {
                file: path.clone(),
                line: index.line(origin.range.start().into()),
                kind: kind_name(&diagnostic.kind),
                var: diagnostic.name.to_string(),
            };
            result.findings.push((finding, diagnostic.clone()));
        }
    }
    result
}

pub(crate) fn run(args: ScopesArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let (root, release, paths) = otp_modules(args.filter.as_deref())?;
    let epp = epp_modules(&paths)?;
    let epp_time = started.elapsed();
    let CompiledModules {
        modules,
        without_beam,
        epp_errors,
    } = compiled_modules(&epp);

    let started = std::time::Instant::now();
    let oracle = lint_oracle(&modules)?;
    let oracle_time = started.elapsed();

    let started = std::time::Instant::now();
    let otp = load_otp(&root, release)?;
    let jobs = module_jobs(&otp, &modules)?;
    let by_id = &otp.by_id;
    let results: Vec<(&EppModule, ModuleResult)> = jobs
        .par_iter()
        .map_with(otp.db.clone(), |db, &(module, workspace, file)| {
            (module, analyse_module(db, by_id, workspace, file))
        })
        .collect();
    let erlkit_time = started.elapsed();

    // Count, and compare with erl_lint module by module.
    let mut functions = 0;
    let mut occurrences = 0;
    let mut underscore_uses = 0;
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut exported_in_patterns = 0;
    let mut errors: Vec<String> = Vec::new();
    let mut differences: Vec<String> = Vec::new();
    // Warnings the modules' own options leave on: unexpected unless listed.
    let mut unexpected: Vec<String> = Vec::new();
    let mut excepted = 0;
    // Warnings the modules' options switch off, by module and option.
    let mut switched_off: BTreeMap<(&Path, &'static str), usize> = BTreeMap::new();
    let mut listed: Vec<String> = Vec::new();
    let mut identical = 0;
    for (module, result) in &results {
        functions += result.functions;
        occurrences += result.occurrences;
        underscore_uses += result.underscore_uses;
        let theirs = oracle.get(&module.file);
        for (finding, diagnostic) in &result.findings {
            *counts.entry(finding.kind).or_default() += 1;
            if matches!(
                diagnostic.kind,
                VarDiagnosticKind::Exported {
                    in_pattern: true,
                    ..
                }
            ) {
                exported_in_patterns += 1;
            }
            let line = format!("{finding}: {}", diagnostic.message());
            if diagnostic.is_error() {
                errors.push(line);
                continue;
            }
            // Would erl_lint give it with the module's own options?
            let option = match &diagnostic.kind {
                VarDiagnosticKind::Unused => Some("unused_vars"),
                VarDiagnosticKind::Shadowed(_) => Some("shadow_vars"),
                VarDiagnosticKind::Exported {
                    in_pattern: false, ..
                } => Some("export_vars"),
                VarDiagnosticKind::UnderscoreMatch
                | VarDiagnosticKind::UnderscoreMatchInPattern => Some("underscore_match"),
                _ => None,
            };
            let off = option
                .filter(|option| theirs.and_then(|t| t.flags.get(*option).copied()) == Some(false));
            if let Some(option) = off {
                *switched_off.entry((&module.file, option)).or_default() += 1;
                listed.push(format!("{line} ({option} off for the module)"));
            } else if is_excepted(finding) {
                excepted += 1;
                listed.push(format!("{line} (listed exception)"));
            } else {
                unexpected.push(line.clone());
                listed.push(line);
            }
        }
        let mut ours: Vec<Finding> = result.findings.iter().map(|(f, _)| f.clone()).collect();
        let mut theirs: Vec<Finding> = theirs.map(|t| t.findings.clone()).unwrap_or_default();
        ours.sort();
        theirs.sort();
        if ours == theirs {
            identical += 1;
            continue;
        }
        let (only_ours, only_theirs) = multiset_difference(&ours, &theirs);
        for finding in only_ours {
            differences.push(format!("only erlkit: {finding}"));
        }
        for finding in only_theirs {
            differences.push(format!("only erl_lint: {finding}"));
        }
    }

    println!(
        "corpus scopes: {} OTP modules ({without_beam} files without a beam and {epp_errors} \
         modules where epp reports errors left out), {functions} functions, {occurrences} \
         variable occurrences resolved",
        results.len()
    );
    let count = |kind: &str| counts.get(kind).copied().unwrap_or(0);
    println!(
        "  errors: {} unbound uses, {} unsafe uses, {} stacktrace misuses",
        count("unbound_var"),
        count("unsafe_var"),
        count("stacktrace_guard") + count("stacktrace_bound")
    );
    println!(
        "  warnings: {} unused variables, {} exported variables used after their construct \
         ({} of them matched in a pattern), {} shadowed variables, {} `_` variables matched \
         again; {} uses of `_` variables (no warning)",
        count("unused_var"),
        count("exported_var"),
        exported_in_patterns,
        count("shadowed_var"),
        count("match_underscore_var") + count("match_underscore_var_pat"),
        underscore_uses
    );
    println!(
        "  compared with erl_lint (every variable warning on): {identical} of {} modules \
         identical, {} differences",
        results.len(),
        differences.len()
    );
    println!(
        "  warnings the modules' own options switch off: {}; listed exceptions: {excepted}; \
         unexpected: {}",
        switched_off.values().sum::<usize>(),
        unexpected.len()
    );
    println!(
        "  time: epp (options oracle) {:.1} s, erl_lint (oracle) {:.1} s; erlkit load + \
         preprocess + lower + scopes {:.1} s",
        epp_time.as_secs_f64(),
        oracle_time.as_secs_f64(),
        erlkit_time.as_secs_f64()
    );
    for ((path, option), n) in &switched_off {
        let why = if *option == "export_vars" {
            "erl_lint reports these only with warn_export_vars, which it is not compiled with"
                .to_owned()
        } else {
            format!("compiled with nowarn_{option}")
        };
        let kind = match *option {
            "unused_vars" => "unused_var",
            "shadow_vars" => "shadowed_var",
            "export_vars" => "exported_var",
            _ => "match_underscore_var",
        };
        println!("  exception: {}: {n} {kind} ({why})", path.display());
    }
    for error in errors.iter().take(args.show) {
        println!("  error: {error}");
    }
    for difference in differences.iter().take(args.show) {
        println!("  {difference}");
    }
    for warning in unexpected.iter().take(args.show) {
        println!("  unexpected: {warning}");
    }
    for finding in listed.iter().take(args.show) {
        println!("  {finding}");
    }
    if !errors.is_empty() || !differences.is_empty() || !unexpected.is_empty() {
        bail!(
            "{} unbound or unsafe uses, {} differences from erl_lint, {} unexpected warnings",
            errors.len(),
            differences.len(),
            unexpected.len()
        );
    }
    Ok(())
}

/// Warnings OTP's sources give with their own options that are expected, each
/// with its reason: (path suffix, line, kind, variable, reason). None so far.
const EXCEPTIONS: &[(&str, u32, &str, &str, &str)] = &[];

fn is_excepted(finding: &Finding) -> bool {
    EXCEPTIONS.iter().any(|(suffix, line, kind, var, _)| {
        finding.file.to_string_lossy().ends_with(suffix)
            && finding.line == *line
            && finding.kind == *kind
            && finding.var == *var
    })
}

/// What is in `ours` and not in `theirs`, and the other way round (both
/// sorted, as multisets).
fn multiset_difference<'a>(
    ours: &'a [Finding],
    theirs: &'a [Finding],
) -> (Vec<&'a Finding>, Vec<&'a Finding>) {
    let (mut only_ours, mut only_theirs) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < ours.len() && j < theirs.len() {
        match ours[i].cmp(&theirs[j]) {
            std::cmp::Ordering::Less => {
                only_ours.push(&ours[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                only_theirs.push(&theirs[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    only_ours.extend(&ours[i..]);
    only_theirs.extend(&theirs[j..]);
    (only_ours, only_theirs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: u32, var: &str) -> Finding {
        Finding {
            file: PathBuf::from("/otp/m.erl"),
            line,
            kind: "unused_var",
            var: var.to_owned(),
        }
    }

    #[test]
    fn differences_are_counted_as_multisets() {
        let ours = [finding(1, "A"), finding(1, "A"), finding(2, "B")];
        let theirs = [finding(1, "A"), finding(3, "C")];
        let (only_ours, only_theirs) = multiset_difference(&ours, &theirs);
        assert_eq!(only_ours, [&finding(1, "A"), &finding(2, "B")]);
        assert_eq!(only_theirs, [&finding(3, "C")]);
    }

    #[test]
    fn paths_are_compared_without_dot_components() {
        assert_eq!(
            normalise(Path::new("/otp/lib/ssl/src/../include/./x.hrl")),
            PathBuf::from("/otp/lib/ssl/include/x.hrl")
        );
    }
}
