//! `exclude` patterns of `erlkit.toml`: globs over paths relative to the
//! file's directory, and the set of them that discovery applies. A pattern
//! that matches a directory excludes everything under it too.
//!
//! The syntax is the usual one for paths: `*` is any run of characters within
//! one path component, `?` one character, `[abc]`, `[a-z]` and `[!abc]` one
//! character of (or not of) a set, and a `**` component any number of
//! components, none included. Components are separated by `/`.

use std::path::{Component, Path, PathBuf};

/// One `exclude` pattern, as written and compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcludePattern {
    text: String,
    components: Vec<PatternComponent>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PatternComponent {
    /// `**`: any number of components.
    AnyComponents,
    /// A component matched character by character.
    Glob(Vec<GlobToken>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum GlobToken {
    Literal(char),
    /// `?`
    AnyChar,
    /// `*`
    AnyRun,
    /// `[...]`: ranges (a single character is a range of one), negated with `!` or `^`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl ExcludePattern {
    /// Compiles a pattern; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<ExcludePattern, String> {
        if text.trim().is_empty() {
            return Err("an empty pattern would exclude nothing".to_owned());
        }
        if text.starts_with('/') || Path::new(text).has_root() {
            return Err(format!(
                "`{text}` is absolute; patterns are relative to the directory of erlkit.toml"
            ));
        }
        if text.contains(['{', '}']) {
            return Err(format!(
                "`{text}`: alternatives (`{{a,b}}`) are not supported; write one pattern for each"
            ));
        }
        let mut components = Vec::new();
        for part in text.split('/') {
            match part {
                "" | "." => continue,
                ".." => {
                    return Err(format!(
                        "`{text}` leaves the project with `..`; only directories below erlkit.toml can be excluded"
                    ));
                }
                "**" => {
                    // `a/**/**/b` is `a/**/b`.
                    if components.last() != Some(&PatternComponent::AnyComponents) {
                        components.push(PatternComponent::AnyComponents);
                    }
                }
                _ => components.push(PatternComponent::Glob(glob_tokens(part, text)?)),
            }
        }
        if components.is_empty() {
            return Err(format!("`{text}` names no directory"));
        }
        Ok(ExcludePattern {
            text: text.to_owned(),
            components,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the pattern matches `components` exactly (not a prefix of it).
    fn matches(&self, components: &[&str]) -> bool {
        matches_components(&self.components, components)
    }
}

/// The tokens of one component of a pattern.
fn glob_tokens(part: &str, whole: &str) -> Result<Vec<GlobToken>, String> {
    let mut tokens = Vec::new();
    let mut chars = part.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '?' => tokens.push(GlobToken::AnyChar),
            '*' => {
                while chars.peek() == Some(&'*') {
                    chars.next();
                }
                tokens.push(GlobToken::AnyRun);
            }
            '[' => {
                let negated = chars.next_if(|&c| c == '!' || c == '^').is_some();
                let mut ranges = Vec::new();
                let mut closed = false;
                // A `]` right after the opening bracket is a member, as in shells.
                let mut first = true;
                while let Some(c) = chars.next() {
                    if c == ']' && !first {
                        closed = true;
                        break;
                    }
                    first = false;
                    if chars.peek() == Some(&'-') {
                        let mut ahead = chars.clone();
                        ahead.next();
                        match ahead.peek() {
                            Some(&end) if end != ']' => {
                                chars.next();
                                chars.next();
                                if end < c {
                                    return Err(format!(
                                        "`{whole}`: the range `{c}-{end}` is backwards"
                                    ));
                                }
                                ranges.push((c, end));
                                continue;
                            }
                            _ => {}
                        }
                    }
                    ranges.push((c, c));
                }
                if !closed {
                    return Err(format!("`{whole}`: a `[` is never closed by `]`"));
                }
                tokens.push(GlobToken::Class { negated, ranges });
            }
            _ => tokens.push(GlobToken::Literal(c)),
        }
    }
    Ok(tokens)
}

fn matches_components(pattern: &[PatternComponent], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((PatternComponent::AnyComponents, rest)) => {
            (0..=path.len()).any(|skip| matches_components(rest, &path[skip..]))
        }
        Some((PatternComponent::Glob(tokens), rest)) => match path.split_first() {
            Some((first, path_rest)) => {
                let chars: Vec<char> = first.chars().collect();
                matches_glob(tokens, &chars) && matches_components(rest, path_rest)
            }
            None => false,
        },
    }
}

fn matches_glob(tokens: &[GlobToken], text: &[char]) -> bool {
    match tokens.split_first() {
        None => text.is_empty(),
        Some((GlobToken::AnyRun, rest)) => {
            (0..=text.len()).any(|skip| matches_glob(rest, &text[skip..]))
        }
        Some((token, rest)) => match text.split_first() {
            Some((&c, text_rest)) => {
                let one = match token {
                    GlobToken::Literal(literal) => c == *literal,
                    GlobToken::AnyChar => true,
                    GlobToken::Class { negated, ranges } => {
                        ranges.iter().any(|&(low, high)| (low..=high).contains(&c)) != *negated
                    }
                    GlobToken::AnyRun => unreachable!("handled above"),
                };
                one && matches_glob(rest, text_rest)
            }
            None => false,
        },
    }
}

/// The `exclude` patterns as discovery applies them under one project root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// The project root the paths asked about are under.
    root: PathBuf,
    /// The root relative to the patterns' directory, as components; `None`
    /// when the root is not under it (then nothing is excluded).
    root_components: Option<Vec<String>>,
    patterns: Vec<ExcludePattern>,
}

impl Exclusions {
    /// Nothing excluded.
    pub fn none() -> Exclusions {
        Exclusions::default()
    }

    /// `patterns`, relative to `base_dir` (the directory of erlkit.toml), for
    /// paths under `root`.
    pub fn new(root: &Path, base_dir: &Path, patterns: &[ExcludePattern]) -> Exclusions {
        if patterns.is_empty() {
            return Exclusions::none();
        }
        let base_dir = if base_dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base_dir
        };
        let relative = root
            .strip_prefix(base_dir)
            .ok()
            .map(Path::to_path_buf)
            .or_else(|| {
                let root = root.canonicalize().ok()?;
                let base = base_dir.canonicalize().ok()?;
                root.strip_prefix(base).ok().map(Path::to_path_buf)
            });
        if relative.is_none() {
            tracing::debug!(
                root = %root.display(),
                base = %base_dir.display(),
                "the root is not under erlkit.toml's directory: nothing is excluded"
            );
        }
        Exclusions {
            root: root.to_path_buf(),
            root_components: relative.as_deref().and_then(normal_components),
            patterns: patterns.to_vec(),
        }
    }

    /// Whether `path` (the root or a path under it, as discovery builds them
    /// from the root) is excluded: a pattern matches it or one of its ancestors.
    pub fn is_excluded(&self, path: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        let Some(root_components) = &self.root_components else {
            return false;
        };
        let Some(below_root) = path
            .strip_prefix(&self.root)
            .ok()
            .and_then(normal_components)
        else {
            return false;
        };
        let components: Vec<&str> = root_components
            .iter()
            .chain(&below_root)
            .map(String::as_str)
            .collect();
        (1..=components.len()).any(|len| {
            self.patterns
                .iter()
                .any(|pattern| pattern.matches(&components[..len]))
        })
    }

    /// Whether any pattern is set.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// The components of a relative path; `None` when it climbs with `..` or is
/// not valid Unicode (such a path is never excluded).
fn normal_components(path: &Path) -> Option<Vec<String>> {
    let mut components = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(name) => components.push(name.to_str()?.to_owned()),
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(components)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{ExcludePattern, Exclusions};

    fn excluded(patterns: &[&str], path: &str) -> bool {
        let patterns: Vec<ExcludePattern> = patterns
            .iter()
            .map(|p| ExcludePattern::parse(p).unwrap())
            .collect();
        Exclusions::new(Path::new("/p"), Path::new("/p"), &patterns)
            .is_excluded(&Path::new("/p").join(path))
    }

    #[test]
    fn a_directory_and_everything_under_it() {
        assert!(excluded(&["apps/legacy"], "apps/legacy"));
        assert!(excluded(&["apps/legacy"], "apps/legacy/src"));
        assert!(excluded(&["apps/legacy/"], "apps/legacy/src/a.erl"));
        assert!(excluded(&["./apps/legacy"], "apps/legacy"));
        assert!(!excluded(&["apps/legacy"], "apps/legacy2"));
        assert!(!excluded(&["apps/legacy"], "apps"));
        assert!(!excluded(&["legacy"], "apps/legacy"));
    }

    #[test]
    fn stars_questions_and_classes_stay_within_a_component() {
        assert!(excluded(&["apps/*"], "apps/a/src"));
        assert!(!excluded(&["apps/*"], "apps"));
        assert!(excluded(&["apps/leg*"], "apps/legacy"));
        assert!(!excluded(&["a*b"], "apps/b"));
        assert!(excluded(&["apps/?"], "apps/x"));
        assert!(!excluded(&["apps/?"], "apps/xy"));
        assert!(excluded(&["apps/[ab]*"], "apps/billing"));
        assert!(!excluded(&["apps/[!ab]*"], "apps/billing"));
        assert!(excluded(&["v[0-9]"], "v7"));
        assert!(!excluded(&["v[0-9]"], "vx"));
    }

    #[test]
    fn double_stars_match_any_number_of_components() {
        assert!(excluded(&["**/test"], "test"));
        assert!(excluded(&["**/test"], "apps/a/test"));
        assert!(excluded(&["apps/legacy/**"], "apps/legacy/src"));
        // `**` matches no component too, so the directory itself goes.
        assert!(excluded(&["apps/legacy/**"], "apps/legacy"));
        assert!(excluded(&["apps/**/gen"], "apps/gen"));
        assert!(excluded(&["apps/**/gen"], "apps/a/b/gen/x.erl"));
        assert!(!excluded(&["apps/**/gen"], "lib/gen"));
    }

    #[test]
    fn a_root_below_the_patterns_directory() {
        let patterns = [ExcludePattern::parse("apps/a/test").unwrap()];
        let exclusions = Exclusions::new(Path::new("/p/apps/a"), Path::new("/p"), &patterns);
        assert!(exclusions.is_excluded(Path::new("/p/apps/a/test")));
        assert!(!exclusions.is_excluded(Path::new("/p/apps/a/src")));
        // Not under the root as discovery builds paths: never excluded.
        assert!(!exclusions.is_excluded(Path::new("/elsewhere/apps/a/test")));
        let elsewhere = Exclusions::new(Path::new("/q"), Path::new("/p"), &patterns);
        assert!(!elsewhere.is_excluded(Path::new("/q/apps/a/test")));
    }

    #[test]
    fn bad_patterns_say_why() {
        let error = |text| ExcludePattern::parse(text).unwrap_err();
        assert_eq!(error(""), "an empty pattern would exclude nothing");
        assert_eq!(
            error("/abs"),
            "`/abs` is absolute; patterns are relative to the directory of erlkit.toml"
        );
        assert_eq!(
            error("../x"),
            "`../x` leaves the project with `..`; only directories below erlkit.toml can be excluded"
        );
        assert_eq!(
            error("apps/{a,b}"),
            "`apps/{a,b}`: alternatives (`{a,b}`) are not supported; write one pattern for each"
        );
        assert_eq!(error("a[bc"), "`a[bc`: a `[` is never closed by `]`");
        assert_eq!(error("[z-a]"), "`[z-a]`: the range `z-a` is backwards");
        assert_eq!(error("./"), "`./` names no directory");
    }
}
