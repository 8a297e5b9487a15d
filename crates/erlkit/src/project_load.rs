//! Loads a project into the analysis engine: finds it (`project_model`), picks
//! OTP as `erlkit.toml` and the command line say, reads every source file and
//! header of its applications (and OTP's) into the `vfs`, and hands them to an
//! `AnalysisHost`. Nothing of the project is ever run.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use ide::{AnalysisHost, AppData, Change, FileChange, FileId};
use project_model::config::{ConfigError, ProjectConfig, load_config_for};
use project_model::layout::{self, AppLayout, AppOrigin, ProjectLayout};
use project_model::otp::OtpInstallation;
use syntax::{FileKind, OtpRelease};
use vfs::Vfs;

/// What the commands that analyse a project take from the command line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LoadOptions {
    /// `--otp-release`.
    pub(crate) release: Option<u32>,
    /// `--no-otp`: OTP's applications are left out.
    pub(crate) no_otp: bool,
}

/// A project in the analysis engine.
pub(crate) struct LoadedProject {
    pub(crate) root: PathBuf,
    pub(crate) layout: ProjectLayout,
    pub(crate) otp_apps: Vec<AppLayout>,
    pub(crate) release: OtpRelease,
    pub(crate) vfs: Vfs,
    pub(crate) host: AnalysisHost,
    /// Each loaded file, with its application's origin.
    pub(crate) files: Vec<LoadedFile>,
    /// Files that could not be read or decoded, with why (also printed).
    pub(crate) unreadable: Vec<String>,
    /// Time spent finding the project and OTP.
    pub(crate) discover_time: Duration,
    /// Time spent reading and decoding files.
    pub(crate) read_time: Duration,
    /// The bytes read.
    pub(crate) bytes: u64,
}

/// A file of the analysis.
#[derive(Debug, Clone)]
pub(crate) struct LoadedFile {
    pub(crate) file_id: FileId,
    pub(crate) kind: FileKind,
    pub(crate) origin: AppOrigin,
}

impl LoadedProject {
    /// `path` as shown to the user: relative to the root when under it.
    pub(crate) fn shown(&self, file_id: FileId) -> String {
        relative(self.vfs.path(file_id), &self.root)
    }
}

/// Finds, reads and loads the project at `root`.
pub(crate) fn load_project(root: &Path, options: LoadOptions) -> anyhow::Result<LoadedProject> {
    let started = Instant::now();
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot open {}", root.display()))?;
    let config = project_config(&root)?;
    let otp = choose_otp(options.release, options.no_otp, &config, || {
        let path_var = std::env::var_os("PATH");
        let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
        project_model::otp::find_installation(path_var.as_deref(), erl_rootdir.as_deref())
    })
    .map_err(|error| anyhow::anyhow!(shown_config_error(error)))?;
    let layout = layout::discover_with(&root, &config);
    for warning in &layout.warnings {
        eprintln!("erlkit: warning: {warning}");
    }
    // OTP's applications are a namespace like any other.
    let otp_apps = match &otp.indexed {
        Some(installation) => layout::otp_apps(&installation.root),
        None => {
            tracing::debug!("OTP's applications are not indexed");
            Vec::new()
        }
    };
    let discover_time = started.elapsed();

    let started = Instant::now();
    let mut vfs = Vfs::default();
    let mut change = Change::default();
    let mut apps = Vec::new();
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    let mut bytes = 0u64;
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for app in layout.apps.iter().chain(&otp_apps) {
        let library = app.origin != AppOrigin::Project;
        let mut app_files = Vec::new();
        let dirs = app.src_dirs.iter().chain(&app.include_dirs);
        for path in source_files(dirs) {
            if layout.excluded.is_excluded(&path) || !seen.insert(path.clone()) {
                continue;
            }
            let Some(kind) = FileKind::from_path(&path) else {
                continue;
            };
            let text = match std::fs::read(&path) {
                Ok(read) => match syntax::decode_source(&read) {
                    Ok((text, _)) => {
                        bytes += read.len() as u64;
                        Arc::<str>::from(text.as_ref())
                    }
                    Err(error) => {
                        let message = format!("{}: {error}", path.display());
                        eprintln!("erlkit: warning: {message}");
                        unreadable.push(message);
                        continue;
                    }
                },
                Err(error) => {
                    let message = format!("cannot read {}: {error}", path.display());
                    eprintln!("erlkit: warning: {message}");
                    unreadable.push(message);
                    continue;
                }
            };
            let file_id = vfs.set_file_contents(&path, Some(Arc::clone(&text)));
            change.files.push(FileChange {
                file_id,
                path: path.clone(),
                contents: Some(text),
                kind,
                library,
            });
            app_files.push(file_id);
            files.push(LoadedFile {
                file_id,
                kind,
                origin: app.origin,
            });
        }
        apps.push(AppData {
            name: app.name.clone(),
            dir: Some(app.dir.clone()),
            files: app_files,
            include_dirs: app.include_dirs.clone(),
            macros: app
                .macros
                .iter()
                .map(|m| (m.name.clone(), m.value.as_ref().map(ToString::to_string)))
                .collect(),
        });
    }
    change.apps = Some(apps);
    let mut host = AnalysisHost::new(otp.release);
    host.apply_change(change);
    Ok(LoadedProject {
        root,
        layout,
        otp_apps,
        release: otp.release,
        vfs,
        host,
        files,
        unreadable,
        discover_time,
        read_time: started.elapsed(),
        bytes,
    })
}

/// The `[project]` settings of the `erlkit.toml` that applies to `root` (the
/// defaults without one); its warnings are printed.
fn project_config(root: &Path) -> anyhow::Result<ProjectConfig> {
    let Some(loaded) =
        load_config_for(root).map_err(|error| anyhow::anyhow!(shown_config_error(error)))?
    else {
        return Ok(ProjectConfig::default());
    };
    for warning in &loaded.warnings {
        eprintln!(
            "{}:{}: warning: {}",
            shown_path(&warning.path),
            warning.line,
            warning.message
        );
    }
    Ok(loaded.config.project)
}

/// The OTP installation whose applications are indexed, and the release whose
/// syntax applies.
#[derive(Debug, PartialEq)]
pub(crate) struct OtpChoice {
    /// `None` with `--no-otp`, or when no installation is found.
    pub(crate) indexed: Option<OtpInstallation>,
    pub(crate) release: OtpRelease,
}

/// Chooses OTP by precedence. The release: `--otp-release`, else `otp_release`
/// of erlkit.toml, else the installation's, else the newest erlkit knows. The
/// installation: `otp_root` of erlkit.toml (an error when it is not one), else
/// `find_on_path` (the installation `erl` on PATH belongs to). The
/// installation is not looked for when nothing needs it (`--no-otp` and a
/// release given).
pub(crate) fn choose_otp(
    release_flag: Option<u32>,
    no_otp: bool,
    config: &ProjectConfig,
    find_on_path: impl FnOnce() -> Option<OtpInstallation>,
) -> Result<OtpChoice, ConfigError> {
    let given_release = release_flag.or(config.otp_release);
    let installation = if !no_otp || given_release.is_none() {
        match config.otp_installation()? {
            Some(installation) => Some(installation),
            None => find_on_path(),
        }
    } else {
        None
    };
    let release = given_release
        .map(OtpRelease)
        .or(installation.as_ref().map(OtpInstallation::release))
        .unwrap_or(OtpRelease::LATEST);
    tracing::debug!(
        ?release,
        from_command_line = release_flag.is_some(),
        from_config = release_flag.is_none() && config.otp_release.is_some(),
        installation = ?installation.as_ref().map(|i| &i.root),
        "chose OTP"
    );
    Ok(OtpChoice {
        indexed: installation.filter(|_| !no_otp),
        release,
    })
}

/// A configuration error with the file's path shown as [`shown_path`] shows it.
fn shown_config_error(error: ConfigError) -> String {
    match error {
        ConfigError::Invalid {
            path,
            line,
            message,
        } => format!("{}:{line}: {message}", shown_path(&path)),
        other => other.to_string(),
    }
}

/// `path` relative to the current directory when it is under it.
pub(crate) fn shown_path(path: &Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) => relative(path, &cwd),
        Err(_) => path.display().to_string(),
    }
}

/// The `.erl` and `.hrl` files in `dirs` and their subdirectories, sorted. A
/// directory reached twice (through a symbolic link loop, or listed twice) is
/// read once; hidden directories and `_build` are skipped.
fn source_files<'a>(dirs: impl Iterator<Item = &'a PathBuf>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<PathBuf> = dirs.cloned().collect();
    while let Some(dir) = stack.pop() {
        let Ok(canonical) = dir.canonicalize() else {
            continue;
        };
        if !visited.insert(canonical) {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if path.is_dir() {
                if !name.starts_with('.') && name != "_build" {
                    stack.push(path);
                }
            } else if path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext == "erl" || ext == "hrl")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// `path` relative to `root` when it is under it.
pub(crate) fn relative(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rest) if rest.as_os_str().is_empty() => ".".to_owned(),
        Ok(rest) => rest.display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use project_model::config::{OtpRootSetting, ProjectConfig};
    use project_model::otp::OtpInstallation;
    use syntax::OtpRelease;

    use super::{OtpChoice, choose_otp};

    fn installation(root: &str, major: u32) -> OtpInstallation {
        OtpInstallation {
            root: PathBuf::from(root),
            version: format!("{major}.1"),
            major,
        }
    }

    fn on_path() -> Option<OtpInstallation> {
        Some(installation("/usr/lib/erlang", 25))
    }

    fn never() -> Option<OtpInstallation> {
        panic!("erl on PATH was looked for")
    }

    /// A configuration whose `otp_root` is a real installation of release 26.
    fn with_otp_root(dir: &Path) -> ProjectConfig {
        let root = dir.join("otp");
        std::fs::create_dir_all(root.join("releases/26")).unwrap();
        std::fs::write(root.join("releases/26/OTP_VERSION"), "26.1\n").unwrap();
        ProjectConfig {
            file: dir.join("erlkit.toml"),
            otp_root: Some(OtpRootSetting {
                path: root,
                line: 2,
            }),
            ..ProjectConfig::default()
        }
    }

    #[test]
    fn the_command_line_wins_then_erlkit_toml_then_the_installation() {
        let none = ProjectConfig::default();
        let release_27 = ProjectConfig {
            otp_release: Some(27),
            ..ProjectConfig::default()
        };
        let choice =
            |flag, config: &ProjectConfig| choose_otp(flag, false, config, on_path).unwrap();
        assert_eq!(
            choice(None, &none),
            OtpChoice {
                indexed: on_path(),
                release: OtpRelease(25)
            }
        );
        assert_eq!(choice(None, &release_27).release, OtpRelease(27));
        assert_eq!(choice(Some(24), &release_27).release, OtpRelease(24));
        let nothing = choose_otp(None, false, &none, || None).unwrap();
        assert_eq!(nothing.release, OtpRelease::LATEST);
        assert_eq!(nothing.indexed, None);
    }

    #[test]
    fn otp_root_replaces_erl_on_path() {
        let dir = tempfile::tempdir().unwrap();
        let config = with_otp_root(dir.path());
        let choice = choose_otp(None, false, &config, never).unwrap();
        assert_eq!(choice.release, OtpRelease(26));
        assert_eq!(choice.indexed.map(|i| i.root), Some(dir.path().join("otp")));
        // --no-otp indexes nothing, but the release is still otp_root's.
        let choice = choose_otp(None, true, &config, never).unwrap();
        assert_eq!((choice.indexed, choice.release), (None, OtpRelease(26)));
    }

    #[test]
    fn a_wrong_otp_root_is_an_error_unless_nothing_needs_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = with_otp_root(dir.path());
        std::fs::remove_dir_all(dir.path().join("otp/releases")).unwrap();
        let error = choose_otp(None, false, &config, never).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("erlkit.toml:2: `project.otp_root` is not an OTP installation"),
            "{error}"
        );
        assert!(choose_otp(Some(26), false, &config, never).is_err());
        let choice = choose_otp(Some(26), true, &config, never).unwrap();
        assert_eq!((choice.indexed, choice.release), (None, OtpRelease(26)));
        config.otp_release = Some(25);
        let choice = choose_otp(None, true, &config, never).unwrap();
        assert_eq!((choice.indexed, choice.release), (None, OtpRelease(25)));
    }
}
