//! What a `rebar.config` says about where an application's code is and how it
//! is compiled, read with [`crate::term`]: nothing in it is ever run, and
//! `rebar.config.script` is not evaluated (see [`read_rebar_config`]).

use std::path::Path;

use crate::term::{Term, TermError, read_terms};

/// The settings of a `rebar.config` that analysis needs. Keys it does not use
/// are ignored; a value of the wrong shape is skipped with a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct RebarConfig {
    /// `src_dirs`: where the modules are (default `["src"]`).
    pub src_dirs: Vec<String>,
    /// `extra_src_dirs`: modules compiled but not part of the application
    /// (`test/`, `examples/`).
    pub extra_src_dirs: Vec<String>,
    pub erl_opts: ErlOpts,
    /// `deps`, by name.
    pub deps: Vec<String>,
    /// `project_app_dirs`: where an umbrella's applications are (default
    /// `["apps/*", "lib/*", "."]`).
    pub project_app_dirs: Vec<String>,
    /// `profiles`, each with what it adds.
    pub profiles: Vec<Profile>,
    /// Values that were not understood, as messages.
    pub warnings: Vec<String>,
}

/// What a profile adds to the base configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub name: String,
    pub extra_src_dirs: Vec<String>,
    pub erl_opts: ErlOpts,
    pub deps: Vec<String>,
}

/// The compiler options that change what the code means or how it is checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErlOpts {
    /// `{i, Dir}`: include directories, relative to the application.
    pub include_dirs: Vec<String>,
    /// `{d, M}` and `{d, M, V}`.
    pub macros: Vec<MacroDefinition>,
    /// `{parse_transform, M}`: never run; analysis notes that they exist.
    pub parse_transforms: Vec<String>,
    pub warnings_as_errors: bool,
    /// `nowarn_*` options, e.g. `nowarn_unused_vars`, `{nowarn_unused_function, [{f, 1}]}`.
    pub nowarn: Vec<String>,
    /// The options that switch warnings, as Erlang text in order (the last
    /// mention of a warning decides whether it is on, as in `erl_lint`):
    /// `warn_*` and `nowarn_*` atoms and tuples (`{nowarn_unused_function,
    /// [{f,1}]}`), `warnings_as_errors`, `{warn_format, N}`, `export_all`,
    /// `{parse_transform, M}`.
    pub warning_switches: Vec<String>,
}

/// A macro defined by a compiler option.
#[derive(Debug, Clone, PartialEq)]
pub struct MacroDefinition {
    pub name: String,
    /// The value of `{d, M, V}`; `{d, M}` defines `M` as `true`.
    pub value: Option<Term>,
}

/// A `rebar.config` read from a directory.
#[derive(Debug, Clone, PartialEq)]
pub struct RebarConfigFile {
    pub config: RebarConfig,
    /// A `rebar.config.script` sits beside it and was not evaluated: running a
    /// checkout's scripts to analyse it would not be safe.
    pub script_ignored: bool,
}

/// Why a `rebar.config` could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RebarConfigError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Terms { path: String, source: TermError },
}

/// Reads `dir/rebar.config`; `Ok(None)` when there is none. A
/// `rebar.config.script` beside it is noted, not run.
pub fn read_rebar_config(dir: &Path) -> Result<Option<RebarConfigFile>, RebarConfigError> {
    let path = dir.join("rebar.config");
    let script_ignored = dir.join("rebar.config.script").is_file();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok(script_ignored.then(|| RebarConfigFile {
                config: RebarConfig::from_terms(&[]),
                script_ignored,
            }));
        }
        Err(source) => {
            return Err(RebarConfigError::Io {
                path: path.display().to_string(),
                source,
            });
        }
    };
    let terms = read_terms(&text).map_err(|source| RebarConfigError::Terms {
        path: path.display().to_string(),
        source,
    })?;
    Ok(Some(RebarConfigFile {
        config: RebarConfig::from_terms(&terms),
        script_ignored,
    }))
}

impl RebarConfig {
    /// The configuration that `terms` (a `rebar.config`'s) describe.
    pub fn from_terms(terms: &[Term]) -> RebarConfig {
        let mut config = RebarConfig {
            src_dirs: vec!["src".to_owned()],
            extra_src_dirs: Vec::new(),
            erl_opts: ErlOpts::default(),
            deps: Vec::new(),
            project_app_dirs: ["apps/*", "lib/*", "."].map(str::to_owned).to_vec(),
            profiles: Vec::new(),
            warnings: Vec::new(),
        };
        let mut warnings = Vec::new();
        for (key, value) in key_values(terms, &mut warnings) {
            match key {
                "src_dirs" => config.src_dirs = dirs(value, key, &mut warnings),
                "extra_src_dirs" => config.extra_src_dirs = dirs(value, key, &mut warnings),
                "erl_opts" => config.erl_opts = erl_opts(value, &mut warnings),
                "deps" => config.deps = deps(value, &mut warnings),
                "project_app_dirs" => config.project_app_dirs = dirs(value, key, &mut warnings),
                "profiles" => config.profiles = profiles(value, &mut warnings),
                _ => {}
            }
        }
        config.warnings = warnings;
        config
    }
}

/// The `{Key, Value}` pairs of a list of terms, skipping (with a warning) others.
fn key_values<'t>(terms: &'t [Term], warnings: &mut Vec<String>) -> Vec<(&'t str, &'t Term)> {
    terms
        .iter()
        .filter_map(|term| match term.as_tuple() {
            Some([key, value]) if key.as_atom().is_some() => Some((key.as_atom()?, value)),
            _ => {
                warnings.push(format!("ignored {term:?}: not a {{Key, Value}} pair"));
                None
            }
        })
        .collect()
}

/// A list of directories: `"src"`, or `{"src", Options}`.
fn dirs(value: &Term, key: &str, warnings: &mut Vec<String>) -> Vec<String> {
    let Some(entries) = value.as_list() else {
        warnings.push(format!("ignored {key}: not a list"));
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let dir = match entry.as_tuple() {
                Some([dir, _options]) => dir.as_text(),
                _ => entry.as_text(),
            };
            if dir.is_none() {
                warnings.push(format!("ignored {entry:?} in {key}: not a directory"));
            }
            dir.map(str::to_owned)
        })
        .collect()
}

fn erl_opts(value: &Term, warnings: &mut Vec<String>) -> ErlOpts {
    let mut opts = ErlOpts::default();
    let Some(entries) = value.as_list() else {
        warnings.push("ignored erl_opts: not a list".to_owned());
        return opts;
    };
    for entry in entries {
        match entry {
            Term::Atom(name) if name == "warnings_as_errors" => {
                opts.warnings_as_errors = true;
                opts.warning_switches.push(name.clone());
            }
            Term::Atom(name) if name == "export_all" || name == "nowarn_export_all" => {
                opts.warning_switches.push(name.clone());
            }
            Term::Atom(name) if name.starts_with("nowarn_") => {
                opts.nowarn.push(name.clone());
                opts.warning_switches.push(name.clone());
            }
            Term::Atom(name) if name.starts_with("warn_") => {
                opts.warning_switches.push(name.clone());
            }
            Term::Tuple(parts) => match parts.as_slice() {
                [Term::Atom(i), dir] if i == "i" => match dir.as_text() {
                    Some(dir) => opts.include_dirs.push(dir.to_owned()),
                    None => warnings.push(format!("ignored {entry:?}: not a directory")),
                },
                [Term::Atom(d), name] if d == "d" => match name.as_atom() {
                    Some(name) => opts.macros.push(MacroDefinition {
                        name: name.to_owned(),
                        value: None,
                    }),
                    None => warnings.push(format!("ignored {entry:?}: not a macro name")),
                },
                [Term::Atom(d), name, value] if d == "d" => match name.as_atom() {
                    Some(name) => opts.macros.push(MacroDefinition {
                        name: name.to_owned(),
                        value: Some(value.clone()),
                    }),
                    None => warnings.push(format!("ignored {entry:?}: not a macro name")),
                },
                [Term::Atom(transform), module] if transform == "parse_transform" => {
                    match module.as_atom() {
                        Some(module) => {
                            opts.parse_transforms.push(module.to_owned());
                            opts.warning_switches.push(entry.to_string());
                        }
                        None => warnings.push(format!("ignored {entry:?}: not a module")),
                    }
                }
                [Term::Atom(name), _] if name.starts_with("nowarn_") => {
                    opts.nowarn.push(name.clone());
                    opts.warning_switches.push(entry.to_string());
                }
                [Term::Atom(name), _] if name == "warn_format" => {
                    opts.warning_switches.push(entry.to_string());
                }
                // Platform conditionals and other options do not change analysis.
                _ => {}
            },
            _ => {}
        }
    }
    opts
}

/// Dependency names: `name`, `{name, Version}`, `{name, Source}`, `{name, Version, Source}`.
fn deps(value: &Term, warnings: &mut Vec<String>) -> Vec<String> {
    let Some(entries) = value.as_list() else {
        warnings.push("ignored deps: not a list".to_owned());
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let name = match entry {
                Term::Atom(name) => Some(name.as_str()),
                Term::Tuple(parts) => parts.first().and_then(Term::as_atom),
                _ => None,
            };
            if name.is_none() {
                warnings.push(format!("ignored {entry:?} in deps: no name"));
            }
            name.map(str::to_owned)
        })
        .collect()
}

fn profiles(value: &Term, warnings: &mut Vec<String>) -> Vec<Profile> {
    let Some(entries) = value.as_list() else {
        warnings.push("ignored profiles: not a list".to_owned());
        return Vec::new();
    };
    key_values(entries, warnings)
        .into_iter()
        .map(|(name, settings)| {
            let mut profile = Profile {
                name: name.to_owned(),
                ..Profile::default()
            };
            let settings = settings.as_list().unwrap_or_default();
            for (key, value) in key_values(settings, warnings) {
                match key {
                    "extra_src_dirs" => profile.extra_src_dirs = dirs(value, key, warnings),
                    "erl_opts" => profile.erl_opts = erl_opts(value, warnings),
                    "deps" => profile.deps = deps(value, warnings),
                    _ => {}
                }
            }
            profile
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::{RebarConfig, read_rebar_config};
    use crate::term::read_terms;

    fn check(text: &str, expected: Expect) {
        let config = RebarConfig::from_terms(&read_terms(text).unwrap());
        expected.assert_debug_eq(&config);
    }

    #[test]
    fn the_settings_analysis_needs_are_read() {
        check(
            r#"
%% A typical rebar.config.
{erl_opts, [debug_info, warnings_as_errors, {i, "include"}, {i, "../common/include"},
            {d, 'TEST'}, {d, 'VSN', "1.2"}, {parse_transform, lager_transform},
            nowarn_export_all, {nowarn_unused_function, [{f, 1}]},
            {platform_define, "^2", 'OTP_20'}]}.
{src_dirs, ["src", {"gen", [{recursive, true}]}]}.
{deps, [jsx, {cowboy, "2.9.0"}, {lager, {git, "https://example.org/lager", {tag, "3.9"}}}]}.
{profiles, [{test, [{extra_src_dirs, ["test"]}, {deps, [meck]},
                    {erl_opts, [{d, 'TEST_PROFILE'}]}]}]}.
{plugins, [rebar3_hex]}.
"#,
            expect![[r#"
                RebarConfig {
                    src_dirs: [
                        "src",
                        "gen",
                    ],
                    extra_src_dirs: [],
                    erl_opts: ErlOpts {
                        include_dirs: [
                            "include",
                            "../common/include",
                        ],
                        macros: [
                            MacroDefinition {
                                name: "TEST",
                                value: None,
                            },
                            MacroDefinition {
                                name: "VSN",
                                value: Some(
                                    String(
                                        "1.2",
                                    ),
                                ),
                            },
                        ],
                        parse_transforms: [
                            "lager_transform",
                        ],
                        warnings_as_errors: true,
                        nowarn: [
                            "nowarn_unused_function",
                        ],
                        warning_switches: [
                            "warnings_as_errors",
                            "{parse_transform,lager_transform}",
                            "nowarn_export_all",
                            "{nowarn_unused_function,[{f,1}]}",
                        ],
                    },
                    deps: [
                        "jsx",
                        "cowboy",
                        "lager",
                    ],
                    project_app_dirs: [
                        "apps/*",
                        "lib/*",
                        ".",
                    ],
                    profiles: [
                        Profile {
                            name: "test",
                            extra_src_dirs: [
                                "test",
                            ],
                            erl_opts: ErlOpts {
                                include_dirs: [],
                                macros: [
                                    MacroDefinition {
                                        name: "TEST_PROFILE",
                                        value: None,
                                    },
                                ],
                                parse_transforms: [],
                                warnings_as_errors: false,
                                nowarn: [],
                                warning_switches: [],
                            },
                            deps: [
                                "meck",
                            ],
                        },
                    ],
                    warnings: [],
                }
            "#]],
        );
    }

    #[test]
    fn values_of_the_wrong_shape_are_warnings() {
        let config = RebarConfig::from_terms(
            &read_terms("{deps, nope}.\n{src_dirs, [42]}.\nbare_atom.\n").unwrap(),
        );
        expect![[r#"
            [
                "ignored Atom(\"bare_atom\"): not a {Key, Value} pair",
                "ignored deps: not a list",
                "ignored Integer(42) in src_dirs: not a directory",
            ]
        "#]]
        .assert_debug_eq(&config.warnings);
        assert_eq!(config.src_dirs, Vec::<String>::new());
    }

    #[test]
    fn a_script_is_noted_and_never_run() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("rebar.config"), "{deps, [a]}.\n").unwrap();
        std::fs::write(
            dir.path().join("rebar.config.script"),
            "os:cmd(\"touch ran\"), CONFIG.\n",
        )
        .unwrap();
        let file = read_rebar_config(dir.path()).unwrap().unwrap();
        assert!(file.script_ignored);
        assert_eq!(file.config.deps, ["a"]);
        assert!(!dir.path().join("ran").exists());
        let empty = tempfile::tempdir().unwrap();
        assert!(read_rebar_config(empty.path()).unwrap().is_none());
        std::fs::write(empty.path().join("rebar.config"), "{deps, [f()]}.\n").unwrap();
        let error = read_rebar_config(empty.path()).unwrap_err().to_string();
        assert!(
            error.ends_with("a call is not a literal term (at byte 8)"),
            "{error}"
        );
    }
}
