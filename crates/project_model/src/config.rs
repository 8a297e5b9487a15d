//! erlkit.toml: what the user tells erlkit about the project.
//!
//! The file is looked for in a directory and its ancestors, stopping at the root
//! of the git repository (the first directory that holds `.git`). Keys erlkit does
//! not know are warnings, not errors, so that a newer `erlkit.toml` still works
//! with an older erlkit; values of the wrong type are errors that name the key.
//!
//! `[format]` holds the formatter's settings; `[project]` and `[apps.NAME]`
//! correct what project discovery finds (the OTP installation and release,
//! include paths, macros, directories to skip); `[lint.levels]` sets the level
//! of lint codes. Relative paths in the file are
//! relative to the file's directory. docs/config.md describes every key.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::layout::ExcludePattern;
use crate::otp::{OtpInstallation, read_installation};
use crate::rebar::MacroDefinition;
use crate::term::{Term, read_terms};

/// The name of the file.
pub const CONFIG_FILE_NAME: &str = "erlkit.toml";

/// Everything `erlkit.toml` can say. Every setting is optional: a missing one
/// means the command's default (and a command-line flag overrides either).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `[format]`: settings of `erlkit fmt`.
    pub format: FormatConfig,
    /// `[project]` and `[apps.NAME]`: corrections to project discovery.
    pub project: ProjectConfig,
    /// `[lint]`: settings of `erlkit lint`.
    pub lint: LintConfig,
}

/// The `[lint]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// `[lint.levels]`: the level of each code named, sorted by key.
    pub levels: Vec<LevelSetting>,
    /// `[lint.parse_transforms.NAME]`: what a parse transform erlkit does
    /// not know provides, in the order of the file.
    pub parse_transforms: Vec<TransformSetting>,
}

/// One `[lint.parse_transforms.NAME]` table: what the transform `name`
/// provides to the modules that use it (erlkit never runs it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransformSetting {
    pub name: String,
    /// `calls`: remote calls it rewrites, which need not exist:
    /// `"m:f/2"`, `"m:f"` (any arity) or `"m:*"`.
    pub calls: Vec<String>,
    /// `adds`: local functions it defines in each module: `"f/1"`.
    pub adds: Vec<String>,
}

/// One entry of `[lint.levels]`: `W2101 = "error"`.
///
/// The key is kept as written: which codes exist is the linter's business,
/// and `erlkit lint` checks it (naming the file and line when it is unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSetting {
    /// A code (`W2101`) or a code's name (`unused-variable`).
    pub code: String,
    pub level: LintLevel,
    /// The 1-based line of the key.
    pub line: u32,
}

/// What a code's findings become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LintLevel {
    /// Reported as errors (failing the run).
    Error,
    /// Reported as warnings (failing it with `--deny warnings`).
    Warning,
    /// Not reported.
    Off,
}

impl LintLevel {
    /// The level as written in the file: `error`, `warning` or `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Error => "error",
            LintLevel::Warning => "warning",
            LintLevel::Off => "off",
        }
    }
}

/// The `[format]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatConfig {
    /// `print_width`: the line width the formatter aims for.
    pub print_width: Option<u32>,
}

/// The `[project]` table, with the `[apps.NAME]` tables: what discovery and
/// the choice of OTP would otherwise get wrong. Paths are already resolved
/// against the directory of the file. Discovery applies it with
/// [`crate::layout::discover_with`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectConfig {
    /// The file it was read from (empty for the default), for messages; its
    /// directory is where relative paths and `exclude` patterns start.
    pub file: PathBuf,
    /// `otp_root`: the OTP installation to use instead of the one `erl` on
    /// PATH belongs to. Checked when used ([`ProjectConfig::otp_installation`]).
    pub otp_root: Option<OtpRootSetting>,
    /// `otp_release`: the major release whose syntax applies (and `?OTP_RELEASE`),
    /// instead of the installation's.
    pub otp_release: Option<u32>,
    /// `include_dirs`: searched by every project application after its own.
    pub include_dirs: Vec<PathBuf>,
    /// `macros`: defined for every project application, as `-D` would.
    pub macros: Vec<MacroDefinition>,
    /// `exclude`: directories (and files) that discovery skips entirely.
    pub exclude: Vec<ExcludePattern>,
    /// `[apps.NAME]`: settings of one application each, sorted by name.
    pub apps: Vec<AppConfig>,
}

/// The `otp_root` setting: the directory and where the file says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpRootSetting {
    /// The directory, resolved against the file's directory.
    pub path: PathBuf,
    /// The 1-based line of the value.
    pub line: u32,
}

/// An `[apps.NAME]` table: settings of the application `NAME` (a project
/// application or a dependency), applied before the project-wide ones.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub name: String,
    /// The 1-based line of the table's name, for a warning when no application has it.
    pub line: u32,
    /// `include_dirs`: searched after the application's own, before `[project]`'s.
    pub include_dirs: Vec<PathBuf>,
    /// `macros`: defined for this application; a name here wins over `[project]`'s.
    pub macros: Vec<MacroDefinition>,
    /// `may_call`: the only other applications of the project and its
    /// dependencies that its modules may call (OTP's are always allowed).
    pub may_call: Option<Vec<String>>,
    /// `api`: the only modules of it that other applications may call.
    pub api: Option<Vec<String>>,
}

impl ProjectConfig {
    /// The directory of the file: where relative paths and `exclude` patterns start.
    pub fn base_dir(&self) -> &Path {
        self.file.parent().unwrap_or(Path::new(""))
    }

    /// The installation `otp_root` names; `Ok(None)` when it is not set. An
    /// error, at the key's line, when the directory is not an OTP installation
    /// (no readable `releases/*/OTP_VERSION` under it).
    pub fn otp_installation(&self) -> Result<Option<OtpInstallation>, ConfigError> {
        let Some(setting) = &self.otp_root else {
            return Ok(None);
        };
        if let Some(installation) = read_installation(&setting.path) {
            return Ok(Some(installation));
        }
        let why = if setting.path.is_dir() {
            "it has no releases/*/OTP_VERSION"
        } else {
            "there is no such directory"
        };
        Err(ConfigError::Invalid {
            path: self.file.clone(),
            line: setting.line,
            message: format!(
                "`project.otp_root` is not an OTP installation: {why} ({}); \
                 give the directory `code:root_dir()` prints, e.g. /usr/lib/erlang",
                setting.path.display()
            ),
        })
    }
}

/// A configuration file read and understood.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedConfig {
    /// Where it was read from.
    pub path: PathBuf,
    /// What it says.
    pub config: Config,
    /// Keys that were ignored, in the order they appear in the file.
    pub warnings: Vec<ConfigWarning>,
}

/// Something in the file that erlkit ignored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: warning: {message}", path.display())]
pub struct ConfigWarning {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line of the ignored key.
    pub line: u32,
    /// What was ignored, e.g. ``unknown key `format.width` (ignored)``.
    pub message: String,
}

/// Why a configuration file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file exists but could not be read (or is not UTF-8).
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value has the wrong type or is out of range.
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The 1-based line the problem is on (1 when the parser gives no position).
        line: u32,
        /// What is wrong.
        message: String,
    },
}

/// The `erlkit.toml` that applies to `dir`: in `dir` or the nearest ancestor that
/// has one, not looking above the first directory that holds `.git`.
pub fn find_config_file(dir: &Path) -> Option<PathBuf> {
    for ancestor in dir.ancestors() {
        let candidate = ancestor.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if ancestor.join(".git").exists() {
            break;
        }
    }
    None
}

/// Finds and reads the `erlkit.toml` that applies to `dir`; `Ok(None)` when there is none.
pub fn load_config_for(dir: &Path) -> Result<Option<LoadedConfig>, ConfigError> {
    let Some(path) = find_config_file(dir) else {
        tracing::debug!(dir = %dir.display(), "no erlkit.toml");
        return Ok(None);
    };
    tracing::debug!(path = %path.display(), "reading erlkit.toml");
    load_config(&path).map(Some)
}

/// Reads one configuration file.
pub fn load_config(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_config(&text, path)
}

/// Understands the text of a configuration file; `path` names it in messages,
/// and its directory is where the file's relative paths start.
pub fn parse_config(text: &str, path: &Path) -> Result<LoadedConfig, ConfigError> {
    let invalid = |span: Option<std::ops::Range<usize>>, message: &str| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: span.map_or(1, |span| line_of(text, span.start)),
        message: message.trim_end().to_owned(),
    };
    let document =
        toml::de::DeTable::parse(text).map_err(|error| invalid(error.span(), error.message()))?;
    let mut warnings = Vec::new();
    unknown_keys(
        document.get_ref(),
        ("", ""),
        &KNOWN_KEYS,
        text,
        path,
        &mut warnings,
    );
    warnings.sort_by_key(|warning| warning.line);

    let raw: RawConfig =
        toml::from_str(text).map_err(|error| invalid(error.span(), error.message()))?;
    let mut config = Config::default();
    if let Some(width) = raw.format.print_width {
        let value = match width.get_ref() {
            toml::Value::Integer(n) => u32::try_from(*n).ok().filter(|&n| n > 0),
            _ => None,
        };
        let Some(value) = value else {
            return Err(invalid(
                Some(width.span()),
                &format!(
                    "`format.print_width` must be a positive integer, not {}",
                    describe_value(width.get_ref())
                ),
            ));
        };
        config.format.print_width = Some(value);
    }
    let reader = TableReader { text, path };
    config.project = reader.project(document.get_ref())?;
    config.lint = reader.lint(document.get_ref())?;
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        config,
        warnings,
    })
}

/// Reads the `[project]` and `[apps.NAME]` tables from the parsed document,
/// which keeps the position of every value (for errors at the right line).
struct TableReader<'a> {
    text: &'a str,
    path: &'a Path,
}

type DeSpanned<'i> = Spanned<DeValue<'i>>;

impl TableReader<'_> {
    fn error(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: line_of(self.text, span.start),
            message,
        }
    }

    fn line(&self, span: std::ops::Range<usize>) -> u32 {
        line_of(self.text, span.start)
    }

    fn base_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    fn project(&self, document: &DeTable<'_>) -> Result<ProjectConfig, ConfigError> {
        let mut project = ProjectConfig {
            file: self.path.to_path_buf(),
            ..ProjectConfig::default()
        };
        if let Some(table) = document.get("project") {
            let table = self.table(table, "project")?;
            if let Some(value) = table.get("otp_root") {
                let text = self.string(value, "project.otp_root", "a path (a string)")?;
                project.otp_root = Some(OtpRootSetting {
                    path: self.base_dir().join(text),
                    line: self.line(value.span()),
                });
            }
            if let Some(value) = table.get("otp_release") {
                project.otp_release = Some(self.release(value)?);
            }
            if let Some(value) = table.get("include_dirs") {
                project.include_dirs = self.paths(value, "project.include_dirs")?;
            }
            if let Some(value) = table.get("macros") {
                project.macros = self.macros(value, "project.macros")?;
            }
            if let Some(value) = table.get("exclude") {
                project.exclude = self.exclude(value)?;
            }
        }
        if let Some(apps) = document.get("apps") {
            for (name, value) in self.table(apps, "apps")? {
                let key = format!("apps.{}", name.get_ref());
                let table = self.table(value, &key)?;
                let mut app = AppConfig {
                    name: name.get_ref().to_string(),
                    line: self.line(name.span()),
                    include_dirs: Vec::new(),
                    macros: Vec::new(),
                    may_call: None,
                    api: None,
                };
                if let Some(value) = table.get("include_dirs") {
                    app.include_dirs = self.paths(value, &format!("{key}.include_dirs"))?;
                }
                if let Some(value) = table.get("macros") {
                    app.macros = self.macros(value, &format!("{key}.macros"))?;
                }
                for (field, names, what) in [
                    ("may_call", &mut app.may_call, "application names"),
                    ("api", &mut app.api, "module names"),
                ] {
                    if let Some(value) = table.get(field) {
                        let list = self.strings(value, &format!("{key}.{field}"), what)?;
                        *names = Some(list.into_iter().map(|(name, _)| name.to_owned()).collect());
                    }
                }
                project.apps.push(app);
            }
        }
        Ok(project)
    }

    fn lint(&self, document: &DeTable<'_>) -> Result<LintConfig, ConfigError> {
        let mut lint = LintConfig::default();
        let Some(table) = document.get("lint") else {
            return Ok(lint);
        };
        let table = self.table(table, "lint")?;
        if let Some(levels) = table.get("levels") {
            for (code, value) in self.table(levels, "lint.levels")? {
                let key = format!("lint.levels.{}", code.get_ref());
                let level = match value.get_ref() {
                    DeValue::String(text) => [LintLevel::Error, LintLevel::Warning, LintLevel::Off]
                        .into_iter()
                        .find(|level| level.as_str() == text.as_ref()),
                    _ => None,
                };
                let Some(level) = level else {
                    let what = match value.get_ref() {
                        DeValue::String(text) => format!("\"{text}\""),
                        other => describe_de(other),
                    };
                    return Err(self.error(
                        value.span(),
                        format!("`{key}` must be \"error\", \"warning\" or \"off\", not {what}"),
                    ));
                };
                lint.levels.push(LevelSetting {
                    code: code.get_ref().to_string(),
                    level,
                    line: self.line(code.span()),
                });
            }
        }
        if let Some(transforms) = table.get("parse_transforms") {
            for (name, value) in self.table(transforms, "lint.parse_transforms")? {
                let key = format!("lint.parse_transforms.{}", name.get_ref());
                let table = self.table(value, &key)?;
                let mut setting = TransformSetting {
                    name: name.get_ref().to_string(),
                    calls: Vec::new(),
                    adds: Vec::new(),
                };
                for (field, list, what) in [
                    (
                        "calls",
                        &mut setting.calls,
                        "calls (\"m:f/2\", \"m:f\", \"m:*\")",
                    ),
                    ("adds", &mut setting.adds, "functions (\"f/1\")"),
                ] {
                    if let Some(value) = table.get(field) {
                        let items = self.strings(value, &format!("{key}.{field}"), what)?;
                        *list = items.into_iter().map(|(item, _)| item.to_owned()).collect();
                    }
                }
                lint.parse_transforms.push(setting);
            }
        }
        Ok(lint)
    }

    fn table<'v, 'i>(
        &self,
        value: &'v DeSpanned<'i>,
        key: &str,
    ) -> Result<&'v DeTable<'i>, ConfigError> {
        match value.get_ref() {
            DeValue::Table(table) => Ok(table),
            other => Err(self.error(
                value.span(),
                format!("`{key}` must be a table, not {}", describe_de(other)),
            )),
        }
    }

    fn string<'v>(
        &self,
        value: &'v DeSpanned<'_>,
        key: &str,
        expected: &str,
    ) -> Result<&'v str, ConfigError> {
        match value.get_ref() {
            DeValue::String(text) if !text.is_empty() => Ok(text),
            other => Err(self.error(
                value.span(),
                format!("`{key}` must be {expected}, not {}", describe_de(other)),
            )),
        }
    }

    fn release(&self, value: &DeSpanned<'_>) -> Result<u32, ConfigError> {
        let release = match value.get_ref() {
            DeValue::Integer(n) => u32::from_str_radix(n.as_str(), n.radix())
                .ok()
                .filter(|&n| n > 0),
            _ => None,
        };
        release.ok_or_else(|| {
            self.error(
                value.span(),
                format!(
                    "`project.otp_release` must be a positive integer (a major release such as 26), not {}",
                    describe_de(value.get_ref())
                ),
            )
        })
    }

    /// The elements of an array of strings.
    fn strings<'v>(
        &self,
        value: &'v DeSpanned<'_>,
        key: &str,
        what: &str,
    ) -> Result<Vec<(&'v str, std::ops::Range<usize>)>, ConfigError> {
        let DeValue::Array(elements) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                format!(
                    "`{key}` must be an array of {what}, not {}",
                    describe_de(value.get_ref())
                ),
            ));
        };
        elements
            .iter()
            .map(|element| match element.get_ref() {
                DeValue::String(text) if !text.is_empty() => Ok((text.as_ref(), element.span())),
                other => Err(self.error(
                    element.span(),
                    format!(
                        "`{key}` must be an array of {what}, but holds {}",
                        describe_de(other)
                    ),
                )),
            })
            .collect()
    }

    fn paths(&self, value: &DeSpanned<'_>, key: &str) -> Result<Vec<PathBuf>, ConfigError> {
        Ok(self
            .strings(value, key, "paths (strings)")?
            .into_iter()
            .map(|(text, _)| self.base_dir().join(text))
            .collect())
    }

    fn exclude(&self, value: &DeSpanned<'_>) -> Result<Vec<ExcludePattern>, ConfigError> {
        self.strings(value, "project.exclude", "glob patterns (strings)")?
            .into_iter()
            .map(|(text, span)| {
                ExcludePattern::parse(text)
                    .map_err(|why| self.error(span, format!("`project.exclude`: {why}")))
            })
            .collect()
    }

    /// `{ NAME = true, NAME = "term text", NAME = 3 }`.
    fn macros(
        &self,
        value: &DeSpanned<'_>,
        key: &str,
    ) -> Result<Vec<MacroDefinition>, ConfigError> {
        let mut macros = Vec::new();
        for (name, value) in self.table(value, key)? {
            let name_text = name.get_ref().as_ref();
            let full = format!("{key}.{name_text}");
            if !is_macro_name(name_text) {
                return Err(self.error(
                    name.span(),
                    format!(
                        "`{full}`: `{name_text}` is not a macro name (a letter or `_`, then letters, digits, `_` or `@`)"
                    ),
                ));
            }
            let definition = match value.get_ref() {
                DeValue::Boolean(true) => None,
                DeValue::Integer(n) => Some(Term::Integer(
                    i128::from_str_radix(n.as_str(), n.radix()).map_err(|_| {
                        self.error(value.span(), format!("`{full}`: the integer is too large"))
                    })?,
                )),
                DeValue::String(text) => Some(self.macro_value(text, &full, value.span())?),
                other => {
                    return Err(self.error(
                        value.span(),
                        format!(
                            "`{full}` must be `true` (defined, as `-D{name_text}`), an integer, or \
                             Erlang term text in a string (as `-D{name_text}=Value`), not {}",
                            describe_de(other)
                        ),
                    ));
                }
            };
            macros.push(MacroDefinition {
                name: name_text.to_owned(),
                value: definition,
            });
        }
        Ok(macros)
    }

    /// One Erlang term from its text, as `erlc -DName=Value` reads it.
    fn macro_value(
        &self,
        text: &str,
        key: &str,
        span: std::ops::Range<usize>,
    ) -> Result<Term, ConfigError> {
        let not_a_term = |why: &str| {
            self.error(
                span.clone(),
                format!("`{key}`: `{text}` is not an Erlang term: {why}"),
            )
        };
        // The line break keeps a trailing `%` comment from swallowing the dot.
        let mut terms =
            read_terms(&format!("{text}\n.")).map_err(|error| not_a_term(&error.message))?;
        match terms.len() {
            1 => Ok(terms.remove(0)),
            0 => Err(not_a_term("there is nothing there")),
            _ => Err(not_a_term("there is more than one term")),
        }
    }
}

/// An Erlang macro name: like a variable or an unquoted atom.
fn is_macro_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '@')
}

/// A TOML value in a message, from the parsed document.
fn describe_de(value: &DeValue<'_>) -> String {
    match value {
        DeValue::Integer(n) if n.radix() == 10 => n.as_str().to_owned(),
        DeValue::Integer(_) => "an integer".to_owned(),
        DeValue::String(text) if text.is_empty() => "an empty string".to_owned(),
        DeValue::String(_) => "a string".to_owned(),
        DeValue::Float(_) => "a float".to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(_) => "a date".to_owned(),
        DeValue::Array(_) => "an array".to_owned(),
        DeValue::Table(_) => "a table".to_owned(),
    }
}

/// The keys erlkit knows: a table's name with the keys inside it. In a name,
/// `*` stands for any key of a table whose keys are free (`apps.*`).
struct KnownTable {
    name: &'static str,
    keys: KnownKeys,
}

enum KnownKeys {
    /// Only these.
    Only(&'static [&'static str]),
    /// Any key: names the user chooses (applications, macros).
    Any,
}

const KNOWN_KEYS: [KnownTable; 11] = [
    KnownTable {
        name: "",
        keys: KnownKeys::Only(&["format", "project", "apps", "lint"]),
    },
    KnownTable {
        name: "lint",
        keys: KnownKeys::Only(&["levels", "parse_transforms"]),
    },
    KnownTable {
        name: "lint.parse_transforms",
        keys: KnownKeys::Any,
    },
    KnownTable {
        name: "lint.parse_transforms.*",
        keys: KnownKeys::Only(&["calls", "adds"]),
    },
    KnownTable {
        name: "lint.levels",
        keys: KnownKeys::Any,
    },
    KnownTable {
        name: "format",
        keys: KnownKeys::Only(&["print_width"]),
    },
    KnownTable {
        name: "project",
        keys: KnownKeys::Only(&[
            "otp_root",
            "otp_release",
            "include_dirs",
            "macros",
            "exclude",
        ]),
    },
    KnownTable {
        name: "project.macros",
        keys: KnownKeys::Any,
    },
    KnownTable {
        name: "apps",
        keys: KnownKeys::Any,
    },
    KnownTable {
        name: "apps.*",
        keys: KnownKeys::Only(&["include_dirs", "macros", "may_call", "api"]),
    },
    KnownTable {
        name: "apps.*.macros",
        keys: KnownKeys::Any,
    },
];

/// Collects a warning for every key of `table` (named `prefix`, known as
/// `pattern`) that erlkit does not know, and looks inside the known sub-tables.
fn unknown_keys(
    table: &DeTable<'_>,
    (prefix, pattern): (&str, &str),
    known: &[KnownTable],
    text: &str,
    path: &Path,
    warnings: &mut Vec<ConfigWarning>,
) {
    let keys = known
        .iter()
        .find(|t| t.name == pattern)
        .map_or(&KnownKeys::Only(&[]), |t| &t.keys);
    let join = |prefix: &str, name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        }
    };
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let full = join(prefix, name);
        let inner_pattern = match keys {
            KnownKeys::Only(keys) if keys.contains(&name) => join(pattern, name),
            KnownKeys::Any => join(pattern, "*"),
            KnownKeys::Only(_) => {
                warnings.push(ConfigWarning {
                    path: path.to_path_buf(),
                    line: line_of(text, key.span().start),
                    message: format!("unknown key `{full}` (ignored)"),
                });
                continue;
            }
        };
        if let DeValue::Table(inner) = value.get_ref() {
            unknown_keys(inner, (&full, &inner_pattern), known, text, path, warnings);
        }
    }
}

/// A TOML value in a message: `-3`, `a string`, `a table`.
fn describe_value(value: &toml::Value) -> String {
    match value {
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::String(_) => "a string".to_owned(),
        toml::Value::Float(_) => "a float".to_owned(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(_) => "a date".to_owned(),
        toml::Value::Array(_) => "an array".to_owned(),
        toml::Value::Table(_) => "a table".to_owned(),
    }
}

/// The 1-based line of byte `offset`.
fn line_of(text: &str, offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let newlines = text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// The file as serde sees it; unknown keys are ignored here (and warned about above).
#[derive(Deserialize, Default)]
#[serde(expecting = "a table")]
struct RawConfig {
    #[serde(default)]
    format: RawFormatConfig,
}

#[derive(Deserialize, Default)]
#[serde(expecting = "a table")]
struct RawFormatConfig {
    print_width: Option<toml::Spanned<toml::Value>>,
}

#[cfg(test)]
mod tests {
    use super::{Config, ConfigError, find_config_file, parse_config};
    use expect_test::{Expect, expect};
    use std::fmt::Write as _;
    use std::path::Path;

    /// The settings of `config` that are set, one a line.
    fn describe(config: &Config) -> String {
        let mut out = format!("{:?}", config.format);
        let project = &config.project;
        let paths = |paths: &[std::path::PathBuf]| {
            paths
                .iter()
                .map(|path| path.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let macros = |macros: &[crate::rebar::MacroDefinition]| {
            macros
                .iter()
                .map(|definition| match &definition.value {
                    None => format!("-D{}", definition.name),
                    Some(value) => format!("-D{}={value:?}", definition.name),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        if let Some(root) = &project.otp_root {
            let _ = write!(
                out,
                "\notp_root: {} (line {})",
                root.path.display(),
                root.line
            );
        }
        if let Some(release) = project.otp_release {
            let _ = write!(out, "\notp_release: {release}");
        }
        if !project.include_dirs.is_empty() {
            let _ = write!(out, "\ninclude_dirs: {}", paths(&project.include_dirs));
        }
        if !project.macros.is_empty() {
            let _ = write!(out, "\nmacros: {}", macros(&project.macros));
        }
        if !project.exclude.is_empty() {
            let patterns: Vec<&str> = project.exclude.iter().map(|p| p.as_str()).collect();
            let _ = write!(out, "\nexclude: {}", patterns.join(" "));
        }
        for setting in &config.lint.levels {
            let _ = write!(
                out,
                "\nlevel {} = {} (line {})",
                setting.code,
                setting.level.as_str(),
                setting.line
            );
        }
        for app in &project.apps {
            let _ = write!(
                out,
                "\napp {} (line {}): include_dirs [{}] macros [{}]",
                app.name,
                app.line,
                paths(&app.include_dirs),
                macros(&app.macros)
            );
        }
        out
    }

    fn render_at(text: &str, path: &str) -> String {
        match parse_config(text, Path::new(path)) {
            Ok(loaded) => {
                let mut out = describe(&loaded.config);
                for warning in &loaded.warnings {
                    out.push('\n');
                    out.push_str(&warning.to_string());
                }
                out
            }
            Err(error) => format!("error: {error}"),
        }
    }

    fn render(text: &str) -> String {
        render_at(text, "erlkit.toml")
    }

    fn check(text: &str, expected: Expect) {
        expected.assert_eq(&render_at(text, "/repo/erlkit.toml"));
    }

    #[test]
    fn empty_file_sets_nothing() {
        assert_eq!(render(""), "FormatConfig { print_width: None }");
        let config = parse_config("", Path::new("erlkit.toml")).unwrap().config;
        assert_eq!(config.project.file, Path::new("erlkit.toml"));
        assert_eq!(
            config.project,
            super::ProjectConfig {
                file: "erlkit.toml".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn print_width_is_read() {
        assert_eq!(
            render("[format]\nprint_width = 80\n"),
            "FormatConfig { print_width: Some(80) }"
        );
        assert_eq!(
            render("format.print_width = 120\n"),
            "FormatConfig { print_width: Some(120) }"
        );
    }

    #[test]
    fn unknown_keys_are_warnings_with_lines() {
        assert_eq!(
            render(
                "# project settings\ncolour = true\n[format]\nprint_width = 90\nwidth = 3\n[lint.rules]\nx = 1\n"
            ),
            "FormatConfig { print_width: Some(90) }\n\
             erlkit.toml:2: warning: unknown key `colour` (ignored)\n\
             erlkit.toml:5: warning: unknown key `format.width` (ignored)\n\
             erlkit.toml:6: warning: unknown key `lint.rules` (ignored)"
        );
    }

    #[test]
    fn wrong_types_and_bad_syntax_are_errors_with_lines() {
        assert_eq!(
            render("[format]\nprint_width = \"wide\"\n"),
            "error: erlkit.toml:2: `format.print_width` must be a positive integer, not a string"
        );
        assert_eq!(
            render("[format]\nprint_width = -3\n"),
            "error: erlkit.toml:2: `format.print_width` must be a positive integer, not -3"
        );
        assert_eq!(
            render("[format]\nprint_width = 0\n"),
            "error: erlkit.toml:2: `format.print_width` must be a positive integer, not 0"
        );
        assert_eq!(
            render("[format]\n\nprint_width = \n"),
            "error: erlkit.toml:3: string values must be quoted, expected literal string"
        );
        assert_eq!(
            render("format = 3\n"),
            "error: erlkit.toml:1: invalid type: integer `3`, expected a table"
        );
    }

    #[test]
    fn the_nearest_file_applies_and_the_search_stops_at_the_git_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let nested = root.join("repo/apps/a/src");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(root.join("erlkit.toml"), "").unwrap();
        // Above the repository: not used.
        std::fs::create_dir_all(root.join("repo/.git")).unwrap();
        assert_eq!(find_config_file(&nested), None);
        std::fs::write(root.join("repo/erlkit.toml"), "").unwrap();
        assert_eq!(
            find_config_file(&nested),
            Some(root.join("repo/erlkit.toml"))
        );
        std::fs::write(root.join("repo/apps/a/erlkit.toml"), "").unwrap();
        assert_eq!(
            find_config_file(&nested),
            Some(root.join("repo/apps/a/erlkit.toml"))
        );
    }

    #[test]
    fn an_unreadable_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("erlkit.toml");
        std::fs::write(&path, b"x = \"\xff\"\n").unwrap();
        let error = super::load_config(&path).unwrap_err();
        assert!(matches!(error, ConfigError::Read { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains("erlkit.toml: cannot read the file")
        );
    }

    #[test]
    fn the_project_table_is_read_with_paths_relative_to_the_file() {
        check(
            r#"
[project]
otp_root = "/opt/otp/26"
otp_release = 26
include_dirs = ["include", "../shared/include", "/abs/include"]
macros = { DEBUG = true, VSN = "\"1.0\"", LEVEL = 3, OPTS = "[{a, 1}, b] % why", F = "1.0" }
exclude = ["_build/test", "apps/legacy/**"]
"#,
            expect![[r#"
                FormatConfig { print_width: None }
                otp_root: /opt/otp/26 (line 3)
                otp_release: 26
                include_dirs: /repo/include /repo/../shared/include /abs/include
                macros: -DDEBUG -DF=Float(1.0) -DLEVEL=Integer(3) -DOPTS=List([Tuple([Atom("a"), Integer(1)]), Atom("b")]) -DVSN=String("1.0")
                exclude: _build/test apps/legacy/**"#]],
        );
        check(
            "project.otp_root = \"otp\"\n[project.macros]\n'TEST' = true\n",
            expect![[r#"
                FormatConfig { print_width: None }
                otp_root: /repo/otp (line 1)
                macros: -DTEST"#]],
        );
    }

    #[test]
    fn app_tables_are_read_sorted_by_name() {
        check(
            r#"
[apps.users]
include_dirs = ["apps/users/gen"]
macros = { NO_CACHE = true }

[apps.jsx.macros]
JSX_NO_MAPS = true
"#,
            expect![[r#"
                FormatConfig { print_width: None }
                app jsx (line 6): include_dirs [] macros [-DJSX_NO_MAPS]
                app users (line 2): include_dirs [/repo/apps/users/gen] macros [-DNO_CACHE]"#]],
        );
    }

    #[test]
    fn unknown_keys_of_the_project_and_app_tables_are_warnings() {
        check(
            r#"
[project]
otp_rel = 26
[project.macros]
ANY_NAME = true
[apps.users]
includes = ["x"]
[apps.users.macros]
FINE = true
"#,
            expect![[r#"
                FormatConfig { print_width: None }
                macros: -DANY_NAME
                app users (line 6): include_dirs [] macros [-DFINE]
                /repo/erlkit.toml:3: warning: unknown key `project.otp_rel` (ignored)
                /repo/erlkit.toml:7: warning: unknown key `apps.users.includes` (ignored)"#]],
        );
    }

    #[test]
    fn wrong_values_of_the_project_table_are_errors_that_name_the_key() {
        let errors = [
            "project = 3",
            "[project]\notp_root = 3",
            "[project]\notp_root = \"\"",
            "[project]\notp_release = \"26\"",
            "[project]\notp_release = 0",
            "[project]\notp_release = 26.1",
            "[project]\ninclude_dirs = \"include\"",
            "[project]\ninclude_dirs = [\n  \"include\",\n  3,\n]",
            "[project]\nmacros = [\"DEBUG\"]",
            "[project]\nmacros = { DEBUG = false }",
            "[project]\nmacros = { VSN = 1.5 }",
            "[project]\nmacros = { VSN = \"foo(1)\" }",
            "[project]\nmacros = { VSN = \"a b\" }",
            "[project]\nmacros = { VSN = \"a. b\" }",
            "[project]\nmacros = { VSN = \"\" }",
            "[project]\nmacros = { \"1X\" = true }",
            "[project]\nexclude = [\"../elsewhere\"]",
            "[project]\nexclude = [\"/abs\"]",
            "[project]\nexclude = \"_build\"",
            "apps = 3",
            "[apps]\nusers = [\"x\"]",
            "[apps.users]\ninclude_dirs = [true]",
            "[apps.users.macros]\nX = []",
        ];
        let rendered: Vec<String> = errors.iter().map(|text| render(text)).collect();
        expect![[r#"
            error: erlkit.toml:1: `project` must be a table, not 3
            error: erlkit.toml:2: `project.otp_root` must be a path (a string), not 3
            error: erlkit.toml:2: `project.otp_root` must be a path (a string), not an empty string
            error: erlkit.toml:2: `project.otp_release` must be a positive integer (a major release such as 26), not a string
            error: erlkit.toml:2: `project.otp_release` must be a positive integer (a major release such as 26), not 0
            error: erlkit.toml:2: `project.otp_release` must be a positive integer (a major release such as 26), not a float
            error: erlkit.toml:2: `project.include_dirs` must be an array of paths (strings), not a string
            error: erlkit.toml:4: `project.include_dirs` must be an array of paths (strings), but holds 3
            error: erlkit.toml:2: `project.macros` must be a table, not an array
            error: erlkit.toml:2: `project.macros.DEBUG` must be `true` (defined, as `-DDEBUG`), an integer, or Erlang term text in a string (as `-DDEBUG=Value`), not false
            error: erlkit.toml:2: `project.macros.VSN` must be `true` (defined, as `-DVSN`), an integer, or Erlang term text in a string (as `-DVSN=Value`), not a float
            error: erlkit.toml:2: `project.macros.VSN`: `foo(1)` is not an Erlang term: a call is not a literal term
            error: erlkit.toml:2: `project.macros.VSN`: `a b` is not an Erlang term: syntax error: expected '.' at the end of the form
            error: erlkit.toml:2: `project.macros.VSN`: `a. b` is not an Erlang term: there is more than one term
            error: erlkit.toml:2: `project.macros.VSN`: `` is not an Erlang term: syntax error: expected a term
            error: erlkit.toml:2: `project.macros.1X`: `1X` is not a macro name (a letter or `_`, then letters, digits, `_` or `@`)
            error: erlkit.toml:2: `project.exclude`: `../elsewhere` leaves the project with `..`; only directories below erlkit.toml can be excluded
            error: erlkit.toml:2: `project.exclude`: `/abs` is absolute; patterns are relative to the directory of erlkit.toml
            error: erlkit.toml:2: `project.exclude` must be an array of glob patterns (strings), not a string
            error: erlkit.toml:1: `apps` must be a table, not 3
            error: erlkit.toml:2: `apps.users` must be a table, not an array
            error: erlkit.toml:2: `apps.users.include_dirs` must be an array of paths (strings), but holds true
            error: erlkit.toml:2: `apps.users.macros.X` must be `true` (defined, as `-DX`), an integer, or Erlang term text in a string (as `-DX=Value`), not an array
        "#]]
        .assert_eq(&(rendered.join("\n") + "\n"));
    }

    #[test]
    fn lint_levels_are_read_as_written_and_bad_levels_are_errors() {
        check(
            r#"
[lint.levels]
W2101 = "error"
shadowed-variable = "off"
w2102 = "warning"
"#,
            expect![[r#"
                FormatConfig { print_width: None }
                level W2101 = error (line 3)
                level shadowed-variable = off (line 4)
                level w2102 = warning (line 5)"#]],
        );
        check(
            "[lint]\nfail_on = 3\nlevels = { W2101 = \"off\" }\n",
            expect![[r#"
                FormatConfig { print_width: None }
                level W2101 = off (line 3)
                /repo/erlkit.toml:2: warning: unknown key `lint.fail_on` (ignored)"#]],
        );
        let errors = [
            "lint = 3",
            "[lint]\nlevels = [\"W2101\"]",
            "[lint.levels]\nW2101 = \"deny\"",
            "[lint.levels]\nW2101 = \"Error\"",
            "[lint.levels]\nW2101 = false",
        ];
        let rendered: Vec<String> = errors.iter().map(|text| render(text)).collect();
        expect![[r#"
            error: erlkit.toml:1: `lint` must be a table, not 3
            error: erlkit.toml:2: `lint.levels` must be a table, not an array
            error: erlkit.toml:2: `lint.levels.W2101` must be "error", "warning" or "off", not "deny"
            error: erlkit.toml:2: `lint.levels.W2101` must be "error", "warning" or "off", not "Error"
            error: erlkit.toml:2: `lint.levels.W2101` must be "error", "warning" or "off", not false
        "#]]
        .assert_eq(&(rendered.join("\n") + "\n"));
    }

    #[test]
    fn otp_root_must_be_an_otp_installation_when_it_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let otp = dir.path().join("otp");
        std::fs::create_dir_all(otp.join("releases/26")).unwrap();
        std::fs::write(otp.join("releases/26/OTP_VERSION"), "26.2.1\n").unwrap();
        std::fs::create_dir_all(dir.path().join("not_otp")).unwrap();
        let config_file = dir.path().join("erlkit.toml");
        let read = |text: &str| {
            parse_config(text, &config_file)
                .unwrap()
                .config
                .project
                .otp_installation()
        };
        let found = read("[project]\notp_root = \"otp\"\n").unwrap().unwrap();
        assert_eq!((found.root, found.major), (otp, 26));
        assert_eq!(read("").unwrap(), None);
        let shown = |error: ConfigError| {
            error
                .to_string()
                .replace(&dir.path().display().to_string(), "")
        };
        assert_eq!(
            shown(read("\n[project]\notp_root = \"not_otp\"\n").unwrap_err()),
            "/erlkit.toml:3: `project.otp_root` is not an OTP installation: it has no \
             releases/*/OTP_VERSION (/not_otp); give the directory `code:root_dir()` prints, \
             e.g. /usr/lib/erlang"
        );
        assert_eq!(
            shown(read("project.otp_root = \"missing\"\n").unwrap_err()),
            "/erlkit.toml:1: `project.otp_root` is not an OTP installation: there is no such \
             directory (/missing); give the directory `code:root_dir()` prints, e.g. /usr/lib/erlang"
        );
    }

    #[test]
    fn the_example_of_docs_config_md_reads_without_warnings() {
        let doc = include_str!("../../../docs/config.md");
        let start = doc.find("```toml\n").expect("an example") + "```toml\n".len();
        let example = &doc[start..start + doc[start..].find("```").expect("its end")];
        expect![[r#"
            FormatConfig { print_width: Some(100) }
            otp_root: /opt/erlang/26.2 (line 5)
            otp_release: 26
            include_dirs: /repo/include /repo/../shared/include
            macros: -DDEBUG -DFEATURES=List([Atom("maps"), Tuple([Atom("tls"), Float(1.3)])]) -DLOG_LEVEL=Integer(3) -DVSN=String("1.0")
            exclude: _build/test apps/legacy/** **/fixtures
            level W2101 = error (line 21)
            level shadowed-variable = off (line 22)
            app billing (line 16): include_dirs [/repo/apps/billing/gen/include] macros [-DBILLING_SANDBOX]"#]]
        .assert_eq(&render_at(example, "/repo/erlkit.toml"));
    }
}
