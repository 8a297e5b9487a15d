//! `--changed-since REV`: the files git says changed since a revision (and
//! the untracked ones), and the project's files whose findings they may
//! change: those whose lint inputs include a changed file (a header they
//! include, a module they call or name as a behaviour), or whose inputs
//! mention a deleted file's name (what included or called it before). A
//! changed build or settings file (`rebar.config`, `erlkit.toml`, an
//! `.app.src`, ...) affects every file. (With unused exports, W2306, asked
//! for, every module is a lint input of every module: any change affects
//! all.)

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ide::FileId;
use project_model::layout::AppOrigin;
use syntax::FileKind;

use crate::project_load::LoadedProject;

/// What changed since the revision, as paths.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// Changed or added files that exist, canonical.
    present: HashSet<PathBuf>,
    /// Erlang sources and headers that were deleted.
    deleted: Vec<PathBuf>,
    /// A changed file that configures the applications, when there is one.
    settings: Option<PathBuf>,
}

/// The files changed since `rev` in the git repository of `root`:
/// `git diff --name-only REV` (the work tree against the revision, staged or
/// not) and the untracked files that are not ignored.
pub(crate) fn git_changes(root: &Path, rev: &str) -> anyhow::Result<Changes> {
    if rev.is_empty() || rev.starts_with('-') {
        anyhow::bail!("--changed-since: `{rev}` is not a revision");
    }
    let toplevel = git(root, &["rev-parse", "--show-toplevel"])?;
    let toplevel = String::from_utf8_lossy(&toplevel).trim_end().to_owned();
    let toplevel = PathBuf::from(toplevel);
    let commit = format!("{rev}^{{commit}}");
    if git(root, &["rev-parse", "--verify", "--quiet", &commit]).is_err() {
        anyhow::bail!(
            "--changed-since: `{rev}` is not a revision of the git repository at {}",
            crate::project_load::shown_path(&toplevel)
        );
    }
    let diff = git(
        root,
        &[
            "diff",
            "--name-only",
            "--no-renames",
            "--no-ext-diff",
            "--no-color",
            "-z",
            rev,
            "--",
        ],
    )?;
    let untracked = git(
        root,
        &[
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
        ],
    )?;
    let mut changes = Changes::default();
    let names = diff
        .split(|&byte| byte == 0)
        .chain(untracked.split(|&byte| byte == 0));
    for name in names.filter(|name| !name.is_empty()) {
        let Ok(name) = std::str::from_utf8(name) else {
            tracing::debug!("--changed-since: a path that is not UTF-8, skipped");
            continue;
        };
        let path = toplevel.join(name);
        if is_settings_file(&path) {
            changes.settings.get_or_insert(path.clone());
        }
        match path.canonicalize() {
            Ok(canonical) => {
                changes.present.insert(canonical);
            }
            Err(_)
                if matches!(
                    FileKind::from_path(&path),
                    Some(FileKind::Module | FileKind::Header)
                ) =>
            {
                changes.deleted.push(path)
            }
            Err(_) => {}
        }
    }
    tracing::debug!(
        present = changes.present.len(),
        deleted = changes.deleted.len(),
        settings = ?changes.settings,
        "--changed-since: changes"
    );
    Ok(changes)
}

/// Runs `git -C root ARGS` and returns its standard output.
fn git(root: &Path, args: &[&str]) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow::anyhow!("--changed-since needs git, and no `git` was found on PATH")
            }
            _ => anyhow::anyhow!("--changed-since: cannot run git: {error}"),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        anyhow::bail!(
            "--changed-since: `git {}` failed: {}",
            args.join(" "),
            stderr.trim()
        );
    }
    Ok(output.stdout)
}

/// Whether a change to `path` changes how applications are compiled (and so
/// every finding).
fn is_settings_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    matches!(
        name,
        "rebar.config" | "rebar.config.script" | "rebar.lock" | "erlang.mk" | "Makefile"
    ) || name == project_model::config::CONFIG_FILE_NAME
        || name.ends_with(".app.src")
        || name.ends_with(".app.src.script")
        || name.ends_with(".app")
}

/// What decides whether a file is affected by the changes.
pub(crate) struct Affecting {
    /// A settings file changed: every file is affected.
    everything: bool,
    /// The loaded files that changed.
    changed: HashSet<FileId>,
    /// The loaded files that name a deleted file.
    mentions: HashSet<FileId>,
}

impl Affecting {
    /// What `changes` mean in the loaded project.
    pub(crate) fn new(project: &LoadedProject, changes: &Changes) -> Affecting {
        if let Some(settings) = &changes.settings {
            tracing::debug!(path = %settings.display(), "--changed-since: settings changed; every file is affected");
        }
        // OTP is not in the project's repository: its files are not compared.
        let changed: HashSet<FileId> = project
            .files
            .iter()
            .filter(|file| file.origin != AppOrigin::Otp)
            .filter(|file| {
                let path = project.vfs.path(file.file_id);
                changes.present.contains(path)
                    || path
                        .canonicalize()
                        .is_ok_and(|path| changes.present.contains(&path))
            })
            .map(|file| file.file_id)
            .collect();
        Affecting {
            everything: changes.settings.is_some(),
            changed,
            mentions: mentioning_deleted(project, &changes.deleted),
        }
    }

    /// Every file is affected.
    pub(crate) fn everything(&self) -> bool {
        self.everything
    }

    /// No file can be affected.
    pub(crate) fn nothing(&self) -> bool {
        !self.everything && self.changed.is_empty() && self.mentions.is_empty()
    }

    /// Whether the findings of `file`, whose lint inputs are `inputs`, may
    /// have changed.
    pub(crate) fn affects(&self, file: FileId, inputs: &[FileId]) -> bool {
        self.everything
            || self.changed.contains(&file)
            || inputs
                .iter()
                .any(|input| self.changed.contains(input) || self.mentions.contains(input))
    }
}

/// The loaded files whose text names one of the `deleted` files (a header
/// by its file name, a module by its name): the modules that included or
/// called one may read them.
fn mentioning_deleted(project: &LoadedProject, deleted: &[PathBuf]) -> HashSet<FileId> {
    let needles: Vec<String> = deleted
        .iter()
        .filter_map(|path| match FileKind::from_path(path)? {
            FileKind::Module => path.file_stem()?.to_str().map(str::to_owned),
            _ => path.file_name()?.to_str().map(str::to_owned),
        })
        .collect();
    if needles.is_empty() {
        return HashSet::new();
    }
    project
        .files
        .iter()
        .filter(|file| file.origin != AppOrigin::Otp)
        .filter(|file| {
            project
                .vfs
                .contents(file.file_id)
                .is_some_and(|text| needles.iter().any(|needle| text.contains(needle.as_str())))
        })
        .map(|file| file.file_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::is_settings_file;

    #[test]
    fn settings_files_are_known_by_name() {
        for settings in [
            "rebar.config",
            "apps/a/rebar.config",
            "rebar.config.script",
            "rebar.lock",
            "erlang.mk",
            "Makefile",
            "erlkit.toml",
            "apps/a/src/a.app.src",
            "src/a.app.src.script",
            "ebin/a.app",
        ] {
            assert!(is_settings_file(Path::new(settings)), "{settings}");
        }
        for other in [
            "src/a.erl",
            "include/a.hrl",
            "README.md",
            "config/sys.config",
        ] {
            assert!(!is_settings_file(Path::new(other)), "{other}");
        }
    }
}
