//! OTP's side of the preprocessor/HIR comparison: what `epp:parse_file/2` makes of
//! each module with the options it was really compiled with (xtask/erlang/epp_oracle.erl).
//!
//! For OTP's sources the options come from each module's installed `.beam`
//! (`compile_info`): the include path, with Debian's build-tree paths mapped onto
//! the installation, and the `{d, ...}` macros. Files without a beam are skipped
//! with a reason, unless options are given for them explicitly.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// What `epp` made of one file, as the helper reports it.
///
/// Names are atoms' texts (unquoted). The fact lists (`functions` to
/// `remote_funs`) are sorted and without duplicates; they are empty when the
/// file was skipped.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct EppModule {
    /// The path as given.
    pub(crate) file: PathBuf,
    /// Where the options came from; `None` when the file was skipped.
    #[serde(default)]
    pub(crate) options_from: Option<OptionsFrom>,
    /// The `.beam` whose `compile_info` gave the options.
    #[serde(default)]
    pub(crate) beam: Option<PathBuf>,
    /// Why the file was not preprocessed (no beam, a beam of another source, ...).
    #[serde(default)]
    pub(crate) skipped: Option<String>,
    /// The `-module` name.
    #[serde(default)]
    pub(crate) module: Option<String>,
    /// The include path passed to `epp`, in order; the file's directory first.
    #[serde(default)]
    pub(crate) includes: Vec<PathBuf>,
    /// `{i, Dir}` options of the beam that map to no existing directory.
    #[serde(default)]
    pub(crate) dropped_includes: Vec<DroppedInclude>,
    /// The predefined macros, in option order.
    #[serde(default)]
    pub(crate) macros: Vec<EppMacro>,
    /// The parse transforms the module was compiled with (not run).
    #[serde(default)]
    pub(crate) parse_transforms: Vec<String>,
    /// Its `warn_*` and `nowarn_*` options, in order.
    #[serde(default)]
    pub(crate) warning_switches: Vec<String>,
    /// `name/arity` of every function definition.
    #[serde(default)]
    pub(crate) functions: Vec<String>,
    /// `name/arity` from every `-export`.
    #[serde(default)]
    pub(crate) exports: Vec<String>,
    /// `name{field1,field2}`, fields in declaration order.
    #[serde(default)]
    pub(crate) records: Vec<String>,
    /// `name/arity` of every `-type` and `-opaque`.
    #[serde(default)]
    pub(crate) types: Vec<String>,
    /// `name/arity` for `-spec f/a`, `mod:name/arity` for `-spec m:f/a`.
    #[serde(default)]
    pub(crate) specs: Vec<String>,
    /// `m:f/a` for every call `m:f(...)` with literal atoms, anywhere in the forms.
    #[serde(default)]
    pub(crate) remote_calls: Vec<String>,
    /// `m:f/a` for every `fun m:f/a` with literal atoms and arity.
    #[serde(default)]
    pub(crate) remote_funs: Vec<String>,
    /// `epp`'s error and warning forms in its order: `LINE: error: TEXT` or
    /// `LINE: warning: TEXT`, prefixed with `FILE:` when from another file.
    #[serde(default)]
    pub(crate) errors: Vec<String>,
}

/// Where a module's compile options came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum OptionsFrom {
    /// The `compile_info` of the module's installed `.beam`.
    Beam,
    /// [`CompileOptions::Given`].
    Given,
}

/// An `{i, Dir}` option that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct DroppedInclude {
    /// The directory as the option has it (a build-tree path).
    pub(crate) option: String,
    /// What it maps to in the installation (missing there), or `None` when
    /// there is no mapping at all.
    pub(crate) mapped: Option<String>,
}

/// A predefined macro: `{d, Name}` (value `true`) or `{d, Name, Value}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub(crate) struct EppMacro {
    pub(crate) name: String,
    /// The value as Erlang term text (`~0tp`), to be lexed.
    pub(crate) value: String,
}

/// The options to preprocess a file with.
#[derive(Debug, Clone)]
pub(crate) enum CompileOptions {
    /// Those of the module's installed `.beam`; without one the file is skipped.
    FromBeam,
    #[cfg_attr(not(test), expect(dead_code, reason = "only the tests give options"))]
    /// These: include directories (after the file's own) and macros as
    /// `(name, Some(term text))` for `{d, Name, Value}` or `(name, None)` for `{d, Name}`.
    Given {
        includes: Vec<PathBuf>,
        macros: Vec<(String, Option<String>)>,
    },
}

/// Runs `epp` (through the helper, one `erl` for all files) over `files`, each
/// with the options of its installed `.beam`; in the order of `files`.
pub(crate) fn epp_modules(files: &[PathBuf]) -> anyhow::Result<Vec<EppModule>> {
    let inputs: Vec<(PathBuf, CompileOptions)> = files
        .iter()
        .map(|file| (file.clone(), CompileOptions::FromBeam))
        .collect();
    epp_modules_with(&inputs)
}

/// Runs `epp` over each file with its options; in the order of `inputs`.
pub(crate) fn epp_modules_with(
    inputs: &[(PathBuf, CompileOptions)],
) -> anyhow::Result<Vec<EppModule>> {
    let mut stdin = String::new();
    for (file, options) in inputs {
        stdin.push_str(field(&path_text(file)?)?);
        if let CompileOptions::Given { includes, macros } = options {
            stdin.push_str("\tgiven");
            for dir in includes {
                write!(stdin, "\ti={}", field(&path_text(dir)?)?)?;
            }
            for (name, value) in macros {
                write!(stdin, "\td={}", field(name)?)?;
                if let Some(value) = value {
                    write!(stdin, "={}", field(value)?)?;
                }
            }
        }
        stdin.push('\n');
    }
    let stdout = super::erlang_helper::run("epp_oracle.erl", &stdin)?;
    let modules = stdout
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            serde_json::from_str::<EppModule>(line)
                .with_context(|| format!("bad line from epp_oracle.erl: {}", truncate(line)))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if modules.len() != inputs.len() {
        bail!(
            "epp_oracle.erl answered {} lines for {} files",
            modules.len(),
            inputs.len()
        );
    }
    for ((file, _), module) in inputs.iter().zip(&modules) {
        if module.file != *file {
            bail!(
                "epp_oracle.erl answered about {} where {} was expected",
                module.file.display(),
                file.display()
            );
        }
    }
    Ok(modules)
}

fn path_text(path: &Path) -> anyhow::Result<String> {
    path.to_str()
        .map(str::to_owned)
        .with_context(|| format!("non-UTF-8 path {}", path.display()))
}

/// `text` as one tab-separated field of an input line.
fn field(text: &str) -> anyhow::Result<&str> {
    if text.is_empty() || text.contains(['\t', '\n', '\r']) {
        bail!("{text:?} cannot be passed to epp_oracle.erl (empty, or a tab or line break)");
    }
    Ok(text)
}

fn truncate(line: &str) -> &str {
    match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::corpus::fmt::TempDir;
    use crate::otp;

    const MODULE: &str = "\
-module(m).
-export([f/1, g/0]).
-include(\"defs.hrl\").
-ifdef(FLAG).
g() -> ?GREETING.
-else.
h() -> none.
-endif.
-warning(careful).
-spec f(#r{}) -> t().
f(R) -> F = fun erlang:length/1, F(lists:reverse([R#r.a])).
-spec m:k() -> ok.
k() -> io:format(\"~p\", [?GREETING]).
";

    const HEADER: &str = "\
-record(r, {a = lists:max([1, 2]) :: integer(), b}).
-type t() :: ok | error.
-opaque o(A) :: [A].
";

    const BROKEN: &str = "\
-module(broken).
-include(\"missing.hrl\").
f() -> ok.
";

    fn strings(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|&t| t.to_owned()).collect()
    }

    #[test]
    fn epp_oracle_reads_a_module_with_given_options() {
        if !otp::is_installed() {
            // Past libtest's capture (it only takes `print!`/`eprint!`).
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: `erl` is not on PATH, so the test of the epp oracle \
                 (xtask corpus::epp_oracle::tests) checks nothing; install OTP, e.g. with `cargo xtask test`"
            );
            return;
        }
        let dir = TempDir::new("epp-oracle-test").expect("a temporary directory");
        let inc = dir.path().join("inc");
        std::fs::create_dir_all(&inc).expect("creating inc/");
        std::fs::write(inc.join("defs.hrl"), HEADER).expect("writing defs.hrl");
        let module = dir.path().join("m.erl");
        std::fs::write(&module, MODULE).expect("writing m.erl");
        let broken = dir.path().join("broken.erl");
        std::fs::write(&broken, BROKEN).expect("writing broken.erl");

        let given = CompileOptions::Given {
            includes: vec![inc.clone()],
            macros: vec![
                ("FLAG".to_owned(), None),
                ("GREETING".to_owned(), Some("\"hello é\"".to_owned())),
            ],
        };
        let inputs = [
            (module.clone(), given),
            (
                broken.clone(),
                CompileOptions::Given {
                    includes: Vec::new(),
                    macros: Vec::new(),
                },
            ),
        ];
        let [m, b] =
            <[EppModule; 2]>::try_from(epp_modules_with(&inputs).expect("running epp_oracle.erl"))
                .expect("two answers");

        assert_eq!(m.file, module);
        assert_eq!(m.options_from, Some(OptionsFrom::Given));
        assert_eq!((m.beam, m.skipped), (None, None));
        assert_eq!(m.module.as_deref(), Some("m"));
        assert_eq!(m.includes, vec![dir.path().to_path_buf(), inc]);
        assert!(m.dropped_includes.is_empty());
        assert!(m.parse_transforms.is_empty());
        assert_eq!(
            m.macros,
            vec![
                EppMacro {
                    name: "FLAG".to_owned(),
                    value: "true".to_owned()
                },
                EppMacro {
                    name: "GREETING".to_owned(),
                    value: "\"hello é\"".to_owned()
                },
            ]
        );
        assert_eq!(m.functions, strings(&["f/1", "g/0", "k/0"]));
        assert_eq!(m.exports, strings(&["f/1", "g/0"]));
        assert_eq!(m.records, strings(&["r{a,b}"]));
        assert_eq!(m.types, strings(&["o/1", "t/0"]));
        assert_eq!(m.specs, strings(&["f/1", "m:k/0"]));
        assert_eq!(
            m.remote_calls,
            strings(&["io:format/2", "lists:max/1", "lists:reverse/1"])
        );
        assert_eq!(m.remote_funs, strings(&["erlang:length/1"]));
        assert_eq!(m.errors, strings(&["9: warning: -warning(careful)."]));

        assert_eq!(b.options_from, Some(OptionsFrom::Given));
        assert_eq!(b.module.as_deref(), Some("broken"));
        assert_eq!(b.functions, strings(&["f/0"]));
        assert_eq!(
            b.errors,
            strings(&["2: error: can't find include file \"missing.hrl\""])
        );
    }

    #[test]
    fn epp_oracle_reads_otp_modules_with_their_beams_options() {
        if !otp::is_installed() {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: `erl` is not on PATH, so the test of the epp oracle on OTP's beams \
                 (xtask corpus::epp_oracle::tests) checks nothing; install OTP, e.g. with `cargo xtask test`"
            );
            return;
        }
        let root = otp::root().expect("OTP's root");
        let lists = std::fs::read_dir(root.join("lib"))
            .expect("reading OTP's lib/")
            .filter_map(Result::ok)
            .map(|entry| entry.path().join("src/lists.erl"))
            .find(|path| path.is_file())
            .expect("stdlib's lists.erl (is erlang-src installed?)");
        let dir = TempDir::new("epp-oracle-beam-test").expect("a temporary directory");
        let loose = dir.path().join("loose.erl");
        std::fs::write(&loose, BROKEN).expect("writing loose.erl");

        let [l, no_beam] = <[EppModule; 2]>::try_from(
            epp_modules(&[lists.clone(), loose.clone()]).expect("running epp_oracle.erl"),
        )
        .expect("two answers");

        assert_eq!(l.file, lists);
        assert_eq!(l.options_from, Some(OptionsFrom::Beam));
        assert!(
            l.beam
                .as_ref()
                .is_some_and(|b| b.ends_with("ebin/lists.beam"))
        );
        assert_eq!(l.skipped, None);
        assert_eq!(l.module.as_deref(), Some("lists"));
        assert_eq!(
            l.includes.first(),
            lists.parent().map(Path::to_path_buf).as_ref()
        );
        assert!(l.functions.iter().any(|f| f == "reverse/2"));
        assert!(l.exports.iter().any(|f| f == "reverse/2"));
        assert!(l.specs.iter().any(|f| f == "reverse/2"));
        assert!(l.errors.is_empty(), "{:?}", l.errors);

        assert_eq!(no_beam.file, loose);
        assert_eq!((no_beam.options_from, no_beam.module), (None, None));
        assert!(
            no_beam
                .skipped
                .as_deref()
                .is_some_and(|reason| reason.contains("no ebin/")),
            "{:?}",
            no_beam.skipped
        );
        assert!(no_beam.functions.is_empty() && no_beam.includes.is_empty());
    }

    #[test]
    fn epp_oracle_refuses_fields_it_cannot_pass() {
        assert!(field("a\tb").is_err());
        assert!(field("").is_err());
        assert_eq!(field("d=X").ok(), Some("d=X"));
    }
}
