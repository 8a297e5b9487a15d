//! The judge of `corpus mutants`: OTP's compiler on each file
//! (`mutants_judge.erl`, one `erl` for every batch of files), and the one
//! table from what it reports to erlkit's codes.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use anyhow::{Context, bail};

use crate::corpus::epp_oracle::EppModule;

/// Where an `erlc` finding is, for the rows of the table that tell places apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Anywhere,
    /// On the line of an `-export` attribute's name.
    ExportAttribute,
    /// Anywhere else.
    NotExportAttribute,
}

/// `erlc`'s findings, by the module that reports them and the tag of the
/// descriptor (`*`: any), and the erlkit code each one is.
const ERLC_TO_ERLKIT: &[(&str, &str, Place, &str)] = &[
    ("erl_scan", "*", Place::Anywhere, "E1001"),
    ("erl_parse", "*", Place::Anywhere, "E1001"),
    ("epp", "include", Place::Anywhere, "E1002"),
    ("epp", "undefined", Place::Anywhere, "E1003"),
    ("epp", "mismatch", Place::Anywhere, "E1004"),
    ("epp", "arg_error", Place::Anywhere, "E1004"),
    ("epp", "circular", Place::Anywhere, "E1004"),
    ("epp", "call", Place::Anywhere, "E1004"),
    ("epp", "illegal_function", Place::Anywhere, "E1004"),
    ("epp", "illegal_function_usage", Place::Anywhere, "E1004"),
    ("epp", "bad", Place::Anywhere, "E1005"),
    ("epp", "redefine", Place::Anywhere, "E1005"),
    ("epp", "redefine_predef", Place::Anywhere, "E1005"),
    ("epp", "duplicated_argument", Place::Anywhere, "E1005"),
    ("epp", "missing_parenthesis", Place::Anywhere, "E1005"),
    ("epp", "missing_comma", Place::Anywhere, "E1005"),
    ("epp", "illegal", Place::Anywhere, "E1005"),
    ("epp", "elif_after_else", Place::Anywhere, "E1005"),
    ("epp", "depth", Place::Anywhere, "E1005"),
    ("epp", "error", Place::Anywhere, "E1006"),
    ("epp", "warning", Place::Anywhere, "W2001"),
    ("erl_lint", "unbound_var", Place::Anywhere, "E1101"),
    ("erl_lint", "unsafe_var", Place::Anywhere, "E1102"),
    ("erl_lint", "stacktrace_guard", Place::Anywhere, "E1103"),
    ("erl_lint", "stacktrace_bound", Place::Anywhere, "E1103"),
    (
        "erl_lint",
        "undefined_function",
        Place::ExportAttribute,
        "E1201",
    ),
    (
        "erl_lint",
        "undefined_function",
        Place::NotExportAttribute,
        "E1203",
    ),
    ("erl_lint", "redefine_function", Place::Anywhere, "E1202"),
    ("erl_lint", "undefined_record", Place::Anywhere, "E1204"),
    ("erl_lint", "undefined_field", Place::Anywhere, "E1205"),
    ("erl_lint", "redefine_field", Place::Anywhere, "E1206"),
    ("erl_lint", "redefine_record", Place::Anywhere, "E1207"),
    ("erl_lint", "undefined_type", Place::Anywhere, "E1208"),
    ("erl_lint", "redefine_type", Place::Anywhere, "E1209"),
    ("erl_lint", "spec_fun_undefined", Place::Anywhere, "E1210"),
    ("erl_lint", "redefine_spec", Place::Anywhere, "E1211"),
    ("erl_lint", "unused_var", Place::Anywhere, "W2101"),
    ("erl_lint", "exported_var", Place::Anywhere, "W2102"),
    ("erl_lint", "shadowed_var", Place::Anywhere, "W2103"),
    ("erl_lint", "match_underscore_var", Place::Anywhere, "W2104"),
    (
        "erl_lint",
        "match_underscore_var_pat",
        Place::Anywhere,
        "W2104",
    ),
    ("erl_lint", "unused_function", Place::Anywhere, "W2201"),
    ("erl_lint", "unused_record", Place::Anywhere, "W2202"),
    ("erl_lint", "unused_type", Place::Anywhere, "W2203"),
    (
        "erl_lint",
        "undefined_behaviour_func",
        Place::Anywhere,
        "W2204",
    ),
    ("erl_lint", "deprecated", Place::Anywhere, "W2205"),
    ("erl_lint", "removed", Place::Anywhere, "W2206"),
    ("erl_lint", "format_error", Place::Anywhere, "W2207"),
];

/// The erlkit code of a finding `module` reports with a descriptor tagged
/// `tag`, on an `-export` attribute's line or not; `None` when no erlkit
/// code stands for it.
pub(super) fn erlkit_code(module: &str, tag: &str, on_export_line: bool) -> Option<&'static str> {
    ERLC_TO_ERLKIT
        .iter()
        .find(|(m, t, place, _)| {
            *m == module
                && (*t == "*" || *t == tag)
                && match place {
                    Place::Anywhere => true,
                    Place::ExportAttribute => on_export_line,
                    Place::NotExportAttribute => !on_export_line,
                }
        })
        .map(|(_, _, _, code)| *code)
}

/// The erlkit code of an undefined call xref reports: `undefined_module`
/// when the callee's module cannot be loaded, else `undefined_function`.
pub(super) fn xref_code(kind: &str) -> Option<&'static str> {
    match kind {
        "undefined_module" => Some("W2301"),
        "undefined_function" => Some("W2302"),
        _ => None,
    }
}

/// Every erlkit code the table names, sorted.
pub(super) fn mapped_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = ERLC_TO_ERLKIT.iter().map(|row| row.3).collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// A file to compile.
pub(super) struct Job {
    pub(super) id: String,
    pub(super) file: PathBuf,
    /// `i=DIR`, `d=NAME`, `d=NAME=TERM`, `o=OPTION` and `x` (xref too).
    pub(super) options: Vec<String>,
}

impl Job {
    /// `file`, compiled with `module`'s options from its beam: its include
    /// path (the original's directory first, so that headers beside it are
    /// found from anywhere), `{d, ...}` macros and warning switches.
    pub(super) fn new(id: String, file: PathBuf, module: &EppModule) -> anyhow::Result<Job> {
        let mut options = Vec::new();
        for dir in &module.includes {
            options.push(format!("i={}", path_text(dir)?));
        }
        for definition in &module.macros {
            if definition.value == "true" {
                options.push(format!("d={}", definition.name));
            } else {
                options.push(format!("d={}={}", definition.name, definition.value));
            }
        }
        for switch in &module.warning_switches {
            options.push(format!("o={switch}"));
        }
        if let Some(bad) = options
            .iter()
            .find(|option| option.contains(['\t', '\n', '\r']))
        {
            bail!(
                "{bad:?} (an option of {}) cannot be passed to the judge",
                module.file.display()
            );
        }
        Ok(Job { id, file, options })
    }

    /// The job, with its calls to other modules judged by xref too.
    pub(super) fn with_xref(mut self) -> Job {
        self.options.push("x".to_owned());
        self
    }
}

fn path_text(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .filter(|text| !text.contains(['\t', '\n', '\r']))
        .with_context(|| format!("{} cannot be passed to the judge", path.display()))
}

/// One error or warning of the compiler.
#[derive(Debug, Clone)]
pub(super) struct ErlcFinding {
    pub(super) error: bool,
    pub(super) file: PathBuf,
    /// 0 when it has no location.
    pub(super) line: u32,
    /// The module that reports it (`erl_lint`, `epp`, ...).
    pub(super) module: String,
    /// The tag of its descriptor.
    pub(super) tag: String,
    pub(super) message: String,
}

/// What the compiler made of one file.
#[derive(Debug, Clone, Default)]
pub(super) struct Verdict {
    pub(super) findings: Vec<ErlcFinding>,
    /// Why the compiler crashed, if it did.
    pub(super) crash: Option<String>,
    /// With xref: its undefined calls, each as `undefined_module` or
    /// `undefined_function` and the callee `m:f/N`.
    pub(super) xref: Vec<(String, String)>,
    /// Why xref failed, if it did.
    pub(super) xref_error: Option<String>,
}

/// `erl` running the judge.
pub(super) struct Judge {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Judge {
    /// Starts the judge, in `work_dir` (the compiler's ".", best empty).
    pub(super) fn start(work_dir: &Path) -> anyhow::Result<Judge> {
        let helper = crate::project_root().join("xtask/src/corpus/mutants/mutants_judge.erl");
        let mut child = Command::new("erl")
            .args(["-noshell", "-eval", crate::corpus::erlang_helper::BOOT])
            .env("ERLKIT_HELPER", &helper)
            .env("ERL_CRASH_DUMP_SECONDS", "0")
            .env_remove("ERL_COMPILER_OPTIONS")
            .current_dir(work_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting `erl` for mutants_judge.erl (is OTP installed?)")?;
        let stdin = child.stdin.take().context("the judge's stdin")?;
        let stdout = BufReader::new(child.stdout.take().context("the judge's stdout")?);
        Ok(Judge {
            child,
            stdin,
            stdout,
        })
    }

    /// Compiles `jobs` (in parallel inside the judge); a verdict for each, in order.
    pub(super) fn compile(&mut self, jobs: &[Job]) -> anyhow::Result<Vec<Verdict>> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        let mut input = String::new();
        for job in jobs {
            input.push_str(&job.id);
            input.push('\t');
            input.push_str(path_text(&job.file)?);
            for option in &job.options {
                input.push('\t');
                input.push_str(option);
            }
            input.push('\n');
        }
        input.push_str("go\n");
        self.stdin
            .write_all(input.as_bytes())
            .and_then(|()| self.stdin.flush())
            .context("writing to the judge")?;

        let mut verdicts: Vec<Verdict> = vec![Verdict::default(); jobs.len()];
        let index_of: std::collections::HashMap<&str, usize> = jobs
            .iter()
            .enumerate()
            .map(|(index, job)| (job.id.as_str(), index))
            .collect();
        let mut done = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if self
                .stdout
                .read_line(&mut line)
                .context("reading the judge's answers")?
                == 0
            {
                bail!("the judge (mutants_judge.erl) ended before answering every file");
            }
            let fields: Vec<&str> = line.trim_end_matches(['\n', '\r']).split('\t').collect();
            match fields.as_slice() {
                ["batch-done"] => break,
                ["finding", id, severity, file, at, module, tag, message @ ..] => {
                    let index = *index_of
                        .get(id)
                        .with_context(|| format!("the judge answered about unknown job {id}"))?;
                    verdicts[index].findings.push(ErlcFinding {
                        error: *severity == "error",
                        file: PathBuf::from(file),
                        line: at.parse().unwrap_or(0),
                        module: (*module).to_owned(),
                        tag: (*tag).to_owned(),
                        message: message.join(" "),
                    });
                }
                ["xref", id, "error", reason @ ..] => {
                    let index = *index_of
                        .get(id)
                        .with_context(|| format!("the judge answered about unknown job {id}"))?;
                    verdicts[index].xref_error = Some(reason.join(" "));
                }
                ["xref", id, kind, callee] => {
                    let index = *index_of
                        .get(id)
                        .with_context(|| format!("the judge answered about unknown job {id}"))?;
                    verdicts[index]
                        .xref
                        .push(((*kind).to_owned(), (*callee).to_owned()));
                }
                ["done", id, status, reason @ ..] => {
                    let index = *index_of
                        .get(id)
                        .with_context(|| format!("the judge answered about unknown job {id}"))?;
                    if *status == "crash" {
                        verdicts[index].crash = Some(reason.join(" "));
                    }
                    done += 1;
                }
                _ => eprintln!("corpus mutants: the judge said: {}", line.trim_end()),
            }
        }
        if done != jobs.len() {
            bail!("the judge answered {done} of {} files", jobs.len());
        }
        Ok(verdicts)
    }

    /// Ends the judge.
    pub(super) fn finish(self) -> anyhow::Result<()> {
        let Judge {
            mut child,
            stdin,
            stdout,
        } = self;
        drop(stdin);
        drop(stdout);
        let status = child.wait().context("waiting for the judge")?;
        if !status.success() {
            bail!("the judge (mutants_judge.erl) failed with {status}");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::erlkit_code;

    #[test]
    fn undefined_functions_are_told_apart_by_the_export_attribute() {
        assert_eq!(
            erlkit_code("erl_lint", "undefined_function", true),
            Some("E1201")
        );
        assert_eq!(
            erlkit_code("erl_lint", "undefined_function", false),
            Some("E1203")
        );
        assert_eq!(erlkit_code("erl_parse", "message", false), Some("E1001"));
        assert_eq!(erlkit_code("sys_core_fold", "nomatch", false), None);
    }
}
