//! The known exceptions of `corpus parse`, each with its reason.
//!
//! Paths are matched by suffix against the file's path with OTP application
//! versions removed (`ssh-4.15.2/src/x.erl` is written `ssh/src/x.erl`), so the
//! tables survive OTP upgrades.

use std::path::Path;

/// Files that are not Erlang source: they must still round-trip, but syntax
/// errors in them are expected and they are not compared with `epp_dodger`.
pub(crate) const NOT_ERLANG_SOURCE: &[(&str, &str)] = &[(
    "parsetools/include/leexinc.hrl",
    "leex's output template: Erlang text with `##module`-style placeholders",
)];

/// Forms where erlkit and `epp_dodger` are both right but disagree, by file and
/// line (the line of the form's first token). Forms `epp_dodger` gives up on are
/// skipped without being listed here.
pub(crate) const FORM_MISMATCHES: &[(&str, u32, &str)] = &[];

/// The reason `path` is not Erlang source, if it is listed as such.
pub(crate) fn not_erlang_source(path: &Path) -> Option<&'static str> {
    let key = versionless(path);
    NOT_ERLANG_SOURCE
        .iter()
        .find(|(suffix, _)| ends_with_path(&key, suffix))
        .map(|(_, reason)| *reason)
}

/// The index in `FORM_MISMATCHES` of the entry for a mismatch at `path:line`, if listed.
pub(crate) fn form_mismatch(path: &Path, line: u32) -> Option<usize> {
    let key = versionless(path);
    FORM_MISMATCHES
        .iter()
        .position(|(suffix, l, _)| *l == line && ends_with_path(&key, suffix))
}

fn ends_with_path(key: &str, suffix: &str) -> bool {
    key == suffix || key.ends_with(&format!("/{suffix}"))
}

/// The path with `-<version>` removed from each directory name that has one
/// (`/usr/lib/erlang/lib/ssh-4.15.2/src/x.erl` -> `.../lib/ssh/src/x.erl`).
pub(crate) fn versionless(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.split('/')
        .map(|part| match part.rsplit_once('-') {
            Some((app, version))
                if !app.is_empty()
                    && version.starts_with(|c: char| c.is_ascii_digit())
                    && version.chars().all(|c| c.is_ascii_digit() || c == '.') =>
            {
                app
            }
            _ => part,
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_removed_from_directory_names() {
        assert_eq!(
            versionless(Path::new("/usr/lib/erlang/lib/ssh-4.15.2/src/ssh-x.erl")),
            "/usr/lib/erlang/lib/ssh/src/ssh-x.erl"
        );
        assert_eq!(versionless(Path::new("a-b/c.erl")), "a-b/c.erl");
    }

    #[test]
    fn templates_are_found_by_suffix() {
        let path = Path::new("/usr/lib/erlang/lib/parsetools-2.4.1/include/leexinc.hrl");
        assert!(not_erlang_source(path).is_some());
        assert!(not_erlang_source(Path::new("/x/include/notleexinc.hrl")).is_none());
    }
}
