//! erlkit.toml: what the user tells erlkit about the project.
//!
//! The file is looked for in a directory and its ancestors, stopping at the root
//! of the git repository (the first directory that holds `.git`). Keys erlkit does
//! not know are warnings, not errors, so that a newer `erlkit.toml` still works
//! with an older erlkit.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The name of the file.
pub const CONFIG_FILE_NAME: &str = "erlkit.toml";

/// Everything `erlkit.toml` can say. Every setting is optional: a missing one
/// means the command's default (and a command-line flag overrides either).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// `[format]`: settings of `erlkit fmt`.
    pub format: FormatConfig,
}

/// The `[format]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatConfig {
    /// `print_width`: the line width the formatter aims for.
    pub print_width: Option<u32>,
}

/// A configuration file read and understood.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// Understands the text of a configuration file; `path` is only used in messages.
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
        "",
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
    Ok(LoadedConfig {
        path: path.to_path_buf(),
        config,
        warnings,
    })
}

/// The keys erlkit knows: a table's name with the keys inside it.
struct KnownTable {
    name: &'static str,
    keys: &'static [&'static str],
}

const KNOWN_KEYS: [KnownTable; 2] = [
    KnownTable {
        name: "",
        keys: &["format"],
    },
    KnownTable {
        name: "format",
        keys: &["print_width"],
    },
];

/// Collects a warning for every key of `table` (named `prefix`) that erlkit does not know,
/// and looks inside the known sub-tables.
fn unknown_keys(
    table: &toml::de::DeTable<'_>,
    prefix: &str,
    known: &[KnownTable],
    text: &str,
    path: &Path,
    warnings: &mut Vec<ConfigWarning>,
) {
    let keys = known
        .iter()
        .find(|t| t.name == prefix)
        .map_or(&[][..], |t| t.keys);
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let full = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        if !keys.contains(&name) {
            warnings.push(ConfigWarning {
                path: path.to_path_buf(),
                line: line_of(text, key.span().start),
                message: format!("unknown key `{full}` (ignored)"),
            });
        } else if let toml::de::DeValue::Table(inner) = value.get_ref() {
            unknown_keys(inner, &full, known, text, path, warnings);
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
    use super::{ConfigError, find_config_file, parse_config};
    use std::path::Path;

    fn render(text: &str) -> String {
        match parse_config(text, Path::new("erlkit.toml")) {
            Ok(loaded) => {
                let mut out = format!("{:?}", loaded.config);
                for warning in &loaded.warnings {
                    out.push('\n');
                    out.push_str(&warning.to_string());
                }
                out
            }
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn empty_file_sets_nothing() {
        assert_eq!(
            render(""),
            "Config { format: FormatConfig { print_width: None } }"
        );
    }

    #[test]
    fn print_width_is_read() {
        assert_eq!(
            render("[format]\nprint_width = 80\n"),
            "Config { format: FormatConfig { print_width: Some(80) } }"
        );
        assert_eq!(
            render("format.print_width = 120\n"),
            "Config { format: FormatConfig { print_width: Some(120) } }"
        );
    }

    #[test]
    fn unknown_keys_are_warnings_with_lines() {
        assert_eq!(
            render(
                "# project settings\ncolour = true\n[format]\nprint_width = 90\nwidth = 3\n[lint.rules]\nx = 1\n"
            ),
            "Config { format: FormatConfig { print_width: Some(90) } }\n\
             erlkit.toml:2: warning: unknown key `colour` (ignored)\n\
             erlkit.toml:5: warning: unknown key `format.width` (ignored)\n\
             erlkit.toml:6: warning: unknown key `lint` (ignored)"
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
}
