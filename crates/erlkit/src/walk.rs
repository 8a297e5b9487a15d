//! Finds the files a command works on: named files as they are, directories
//! searched for Erlang files while honouring `.gitignore` and skipping `_build` and `.git`.

use std::path::{Path, PathBuf};

use syntax::FileKind;

/// A file to work on and the kind of Erlang file it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourcePath {
    pub(crate) path: PathBuf,
    pub(crate) kind: FileKind,
}

/// A path that could not be searched or does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathError {
    pub(crate) path: PathBuf,
    pub(crate) message: String,
}

/// What a search found: the files sorted by path without duplicates, and the problems met.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub(crate) files: Vec<SourcePath>,
    pub(crate) errors: Vec<PathError>,
}

/// Directories never searched: build output and git's own store.
const SKIPPED_DIRECTORIES: [&str; 2] = ["_build", ".git"];

/// The files named by `paths`. A named file is taken whatever its name (as a
/// module unless its name says otherwise); a directory contributes the files
/// whose names `FileKind::from_path` knows. Symbolic links inside directories
/// are not followed.
pub(crate) fn discover(paths: &[PathBuf]) -> Discovered {
    let mut found = Discovered::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(error) => found.errors.push(PathError {
                path: path.clone(),
                message: describe_io_error(&error),
            }),
            Ok(metadata) if metadata.is_dir() => search_directory(path, &mut found),
            Ok(_) => found.files.push(SourcePath {
                path: path.clone(),
                kind: FileKind::from_path(path).unwrap_or(FileKind::Module),
            }),
        }
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found
        .files
        .dedup_by(|later, earlier| later.path == earlier.path);
    found
}

fn search_directory(dir: &Path, found: &mut Discovered) {
    let walk = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            let skipped = entry.depth() > 0
                && entry.file_type().is_some_and(|kind| kind.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRECTORIES.contains(&name));
            !skipped
        })
        .build();
    for entry in walk {
        match entry {
            Ok(entry) => {
                if let Some(error) = entry.error() {
                    tracing::debug!(path = %entry.path().display(), %error, "problem with an ignore file");
                }
                if !entry.file_type().is_some_and(|kind| kind.is_file()) {
                    continue;
                }
                if let Some(kind) = FileKind::from_path(entry.path()) {
                    found.files.push(SourcePath {
                        path: entry.into_path(),
                        kind,
                    });
                }
            }
            Err(error) => found.errors.push(walk_error(dir, error)),
        }
    }
}

/// A walk error as a path and a message, the path being the deepest one the error names.
fn walk_error(dir: &Path, error: ignore::Error) -> PathError {
    fn innermost(error: &ignore::Error, path: &mut Option<PathBuf>) -> String {
        match error {
            ignore::Error::WithPath { path: at, err } => {
                *path = Some(at.clone());
                innermost(err, path)
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                innermost(err, path)
            }
            ignore::Error::Io(io) => describe_io_error(io),
            other => other.to_string(),
        }
    }
    let mut path = None;
    let message = innermost(&error, &mut path);
    PathError {
        path: path.unwrap_or_else(|| dir.to_path_buf()),
        message,
    }
}

/// An I/O error as a short lower-case phrase without the OS error number.
pub(crate) fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no such file or directory".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(end) => text[..end].to_owned(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{SourcePath, discover};
    use std::path::{Path, PathBuf};
    use syntax::FileKind;

    fn touch(root: &Path, relative: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    fn relative(root: &Path, files: &[SourcePath]) -> Vec<(String, FileKind)> {
        files
            .iter()
            .map(|f| {
                (
                    f.path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    f.kind,
                )
            })
            .collect()
    }

    #[test]
    fn directories_yield_erlang_files_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "src/b.erl",
            "src/a.erl",
            "include/a.hrl",
            "src/a.app.src",
            "rebar.config",
            "README.md",
            "scripts/run.escript",
            "_build/default/lib/x/src/x.erl",
            "apps/_build/y.erl",
            ".git/z.erl",
            "ignored/i.erl",
            "notes.txt",
        ] {
            touch(root, file);
        }
        std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
        let found = discover(&[root.to_path_buf()]);
        assert!(found.errors.is_empty(), "{:?}", found.errors);
        assert_eq!(
            relative(root, &found.files),
            vec![
                ("include/a.hrl".to_owned(), FileKind::Header),
                ("rebar.config".to_owned(), FileKind::Terms),
                ("scripts/run.escript".to_owned(), FileKind::Escript),
                ("src/a.app.src".to_owned(), FileKind::Terms),
                ("src/a.erl".to_owned(), FileKind::Module),
                ("src/b.erl".to_owned(), FileKind::Module),
            ]
        );
    }

    #[test]
    fn named_files_are_taken_whatever_their_name_and_only_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(root, "notes.txt");
        touch(root, "a.hrl");
        let notes = root.join("notes.txt");
        let found = discover(&[
            notes.clone(),
            root.join("a.hrl"),
            notes.clone(),
            root.to_path_buf(),
        ]);
        assert_eq!(
            relative(root, &found.files),
            vec![
                ("a.hrl".to_owned(), FileKind::Header),
                ("notes.txt".to_owned(), FileKind::Module)
            ]
        );
    }

    #[test]
    fn missing_paths_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let missing: PathBuf = dir.path().join("missing.erl");
        let found = discover(std::slice::from_ref(&missing));
        assert!(found.files.is_empty());
        assert_eq!(found.errors.len(), 1);
        assert_eq!(found.errors[0].path, missing);
        assert_eq!(found.errors[0].message, "no such file or directory");
    }

    #[test]
    fn a_named_skipped_directory_is_still_searched() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "_build/a.erl");
        let found = discover(&[dir.path().join("_build")]);
        assert_eq!(found.files.len(), 1);
    }
}
