//! Loads a project into the analysis engine: finds it (`project_model`), picks
//! OTP as `erlkit.toml` and the caller say, reads every source file and header
//! of its applications (and OTP's) into the `vfs`, and hands them to an
//! `AnalysisHost`. Nothing of the project is ever run, and nothing is printed:
//! what the user should hear of comes back as [`LoadWarning`]s and
//! [`LoadError`]s. Shared by the `erlkit` commands that analyse a project and
//! by xtask's benchmarks (later the language server).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ide::{AnalysisHost, AppData, Change, DeclaredTransform, FileChange, FileId};
use project_model::config::{
    ConfigError, ConfigWarning, ProjectConfig, TransformSetting, load_config_for,
};
use project_model::layout::{self, AppLayout, AppOrigin, ProjectLayout};
use project_model::otp::OtpInstallation;
use rayon::prelude::*;
use syntax::{FileKind, OtpRelease};
use vfs::Vfs;

/// What the caller decides (`erlkit`'s command line).
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// The release whose syntax applies (`--otp-release`), over `erlkit.toml`'s
    /// and the installation's.
    pub release: Option<u32>,
    /// OTP's applications are left out (`--no-otp`).
    pub no_otp: bool,
}

/// A project in the analysis engine.
pub struct LoadedProject {
    /// The project's directory, canonical.
    pub root: PathBuf,
    /// Its applications and dependencies as discovery found them.
    pub layout: ProjectLayout,
    /// OTP's applications (none with [`LoadOptions::no_otp`] or without an installation).
    pub otp_apps: Vec<AppLayout>,
    /// The release whose syntax applies.
    pub release: OtpRelease,
    /// Every loaded file's path and contents.
    pub vfs: Vfs,
    /// The analysis, with every file and application applied.
    pub host: AnalysisHost,
    /// Each loaded file, in application order (the project's, then OTP's),
    /// sorted by path within an application.
    pub files: Vec<LoadedFile>,
    /// What the user should be told, in the order it was found: ignored keys
    /// of `erlkit.toml`, then discovery's warnings, then unreadable files.
    pub warnings: Vec<LoadWarning>,
    /// Time spent finding the project and OTP.
    pub discover_time: Duration,
    /// Time spent reading and decoding files (and applying them to the host).
    pub read_time: Duration,
    /// The bytes read.
    pub bytes: u64,
}

/// A file of the analysis.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub file_id: FileId,
    pub kind: FileKind,
    /// Where its application comes from.
    pub origin: AppOrigin,
}

impl LoadedFile {
    /// Whether the file belongs to a dependency or OTP (set in the host with
    /// high durability, as [`FileChange::library`] says).
    pub fn is_library(&self) -> bool {
        self.origin != AppOrigin::Project
    }
}

/// Something the user should know that did not stop the load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadWarning {
    /// A key of `erlkit.toml` that was ignored.
    #[error("{}:{}: {}", .0.path.display(), .0.line, .0.message)]
    Config(ConfigWarning),
    /// Something discovery could not read or ignored (`project_model::layout`).
    #[error("{0}")]
    Discovery(String),
    /// A source file that could not be read or decoded, and why.
    #[error("{0}")]
    Unreadable(String),
}

/// Why a project could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The root is not a directory that can be opened.
    #[error("cannot open {}", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `erlkit.toml` could not be read or is wrong, or its `otp_root` is not
    /// an OTP installation.
    #[error("{error}")]
    Config {
        error: ConfigError,
        /// The warnings found before the error (ignored keys of `erlkit.toml`).
        warnings: Vec<LoadWarning>,
    },
}

impl LoadedProject {
    /// `file_id`'s path as shown to the user: relative to the root when under it.
    pub fn shown(&self, file_id: FileId) -> String {
        relative(self.vfs.path(file_id), &self.root)
    }

    /// The messages of the files that could not be read or decoded.
    pub fn unreadable(&self) -> Vec<&str> {
        self.warnings
            .iter()
            .filter_map(|warning| match warning {
                LoadWarning::Unreadable(message) => Some(message.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// Finds, reads and loads the project at `root`.
pub fn load_project(root: &Path, options: LoadOptions) -> Result<LoadedProject, LoadError> {
    let started = Instant::now();
    let root = root.canonicalize().map_err(|source| LoadError::Open {
        path: root.to_path_buf(),
        source,
    })?;
    let (config, transforms, mut warnings) = project_config(&root)?;
    let otp = match choose_otp(options.release, options.no_otp, &config, || {
        let path_var = std::env::var_os("PATH");
        let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
        project_model::otp::find_installation(path_var.as_deref(), erl_rootdir.as_deref())
    }) {
        Ok(otp) => otp,
        Err(error) => return Err(LoadError::Config { error, warnings }),
    };
    let layout = layout::discover_with(&root, &config);
    warnings.extend(layout.warnings.iter().cloned().map(LoadWarning::Discovery));
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
    let mut bytes = 0u64;
    let mut seen: HashSet<PathBuf> = HashSet::new();
    // The files of each application, found in order; then read on every
    // thread.
    let all_apps: Vec<&AppLayout> = layout.apps.iter().chain(&otp_apps).collect();
    let mut found: Vec<(usize, PathBuf, FileKind)> = Vec::new();
    for (index, app) in all_apps.iter().enumerate() {
        let library = app.origin != AppOrigin::Project;
        // A project's own test directories too (rebar3's `test` profile);
        // not its dependencies'.
        let extra: &[PathBuf] = if library { &[] } else { &app.extra_src_dirs };
        let dirs = app.src_dirs.iter().chain(&app.include_dirs).chain(extra);
        for path in source_files(dirs) {
            if layout.excluded.is_excluded(&path) || !seen.insert(path.clone()) {
                continue;
            }
            if let Some(kind) = FileKind::from_path(&path) {
                found.push((index, path, kind));
            }
        }
    }
    let read: Vec<Result<(Arc<str>, u64), LoadWarning>> = found
        .par_iter()
        .map(|(_, path, _)| read_source(path))
        .collect();
    let mut read = found.into_iter().zip(read).peekable();
    for (index, app) in all_apps.iter().enumerate() {
        let library = app.origin != AppOrigin::Project;
        let mut app_files = Vec::new();
        while let Some(((_, path, kind), text)) = read.next_if(|((of, ..), _)| *of == index) {
            let text = match text {
                Ok((text, size)) => {
                    bytes += size;
                    text
                }
                Err(warning) => {
                    warnings.push(warning);
                    continue;
                }
            };
            let file_id = vfs.set_file_contents(&path, Some(Arc::clone(&text)));
            change.files.push(FileChange {
                file_id,
                path,
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
            warning_switches: app.warning_switches.clone(),
            applications: app.applications.clone(),
            otp: app.origin == AppOrigin::Otp,
            may_call: app.may_call.clone(),
            api: app.api.clone(),
        });
    }
    change.apps = Some(apps);
    let mut host = AnalysisHost::new(otp.release);
    host.apply_change(change);
    host.set_declared_transforms(
        transforms
            .into_iter()
            .map(|transform| DeclaredTransform {
                name: transform.name,
                calls: transform.calls,
                adds: transform.adds,
            })
            .collect(),
    );
    Ok(LoadedProject {
        root,
        layout,
        otp_apps,
        release: otp.release,
        vfs,
        host,
        files,
        warnings,
        discover_time,
        read_time: started.elapsed(),
        bytes,
    })
}

/// The text of the source file at `path` and its size in bytes, decoded as
/// the compiler decodes it; a warning when it cannot be read.
fn read_source(path: &Path) -> Result<(Arc<str>, u64), LoadWarning> {
    let read = std::fs::read(path).map_err(|error| {
        LoadWarning::Unreadable(format!("cannot read {}: {error}", path.display()))
    })?;
    match syntax::decode_source(&read) {
        Ok((text, _)) => Ok((Arc::<str>::from(text.as_ref()), read.len() as u64)),
        Err(error) => Err(LoadWarning::Unreadable(format!(
            "{}: {error}",
            path.display()
        ))),
    }
}

/// The `[project]` settings of the `erlkit.toml` that applies to `root` (the
/// defaults without one), and its warnings.
fn project_config(
    root: &Path,
) -> Result<(ProjectConfig, Vec<TransformSetting>, Vec<LoadWarning>), LoadError> {
    let loaded = load_config_for(root).map_err(|error| LoadError::Config {
        error,
        warnings: Vec::new(),
    })?;
    let Some(loaded) = loaded else {
        return Ok((ProjectConfig::default(), Vec::new(), Vec::new()));
    };
    let warnings = loaded
        .warnings
        .into_iter()
        .map(LoadWarning::Config)
        .collect();
    Ok((
        loaded.config.project,
        loaded.config.lint.parse_transforms,
        warnings,
    ))
}

/// The OTP installation whose applications are indexed, and the release whose
/// syntax applies.
#[derive(Debug, PartialEq)]
pub struct OtpChoice {
    /// `None` with `--no-otp`, or when no installation is found.
    pub indexed: Option<OtpInstallation>,
    pub release: OtpRelease,
}

/// Chooses OTP by precedence. The release: `release_flag` (`--otp-release`),
/// else `otp_release` of erlkit.toml, else the installation's, else the newest
/// erlkit knows. The installation: `otp_root` of erlkit.toml (an error when it
/// is not one), else `find_on_path` (the installation `erl` on PATH belongs
/// to). The installation is not looked for when nothing needs it (`no_otp`
/// and a release given).
pub fn choose_otp(
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
pub fn relative(path: &Path, root: &Path) -> String {
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

    use super::{LoadError, LoadOptions, LoadWarning, OtpChoice, choose_otp, load_project};

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

    /// `--no-otp` with a release: nothing looks for an installation.
    const NO_OTP: LoadOptions = LoadOptions {
        release: Some(25),
        no_otp: true,
    };

    #[test]
    fn warnings_come_back_as_data_in_the_order_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("erlkit.toml"), "[project]\ncolour = true\n").unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/good.erl"), "-module(good).\n").unwrap();
        std::fs::write(
            dir.path().join("src/bad.erl"),
            b"-module(bad).\n%% \xff\xfe\n",
        )
        .unwrap();
        let project = load_project(dir.path(), NO_OTP).unwrap();
        let shown: Vec<String> = project
            .warnings
            .iter()
            .map(|warning| match warning {
                LoadWarning::Config(w) => format!("config {}: {}", w.line, w.message),
                LoadWarning::Discovery(m) => format!("discovery {m}"),
                LoadWarning::Unreadable(m) => format!("unreadable {}", m.contains("bad.erl")),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "config 2: unknown key `project.colour` (ignored)",
                "unreadable true"
            ]
        );
        assert_eq!(project.unreadable().len(), 1);
        assert_eq!(project.files.len(), 1);
        assert_eq!(project.shown(project.files[0].file_id), "src/good.erl");
        assert!(!project.files[0].is_library());
    }

    #[test]
    fn errors_keep_the_warnings_found_before_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("erlkit.toml"),
            "[project]\ncolour = true\notp_root = \"nowhere\"\n",
        )
        .unwrap();
        let options = LoadOptions {
            release: None,
            no_otp: false,
        };
        match load_project(dir.path(), options) {
            Err(LoadError::Config { error, warnings }) => {
                assert!(error.to_string().contains("otp_root"), "{error}");
                assert_eq!(warnings.len(), 1, "{warnings:?}");
            }
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("loaded with a wrong otp_root"),
        }
        let missing = dir.path().join("missing");
        let error = load_project(&missing, NO_OTP).err().unwrap();
        assert!(matches!(error, LoadError::Open { .. }), "{error}");
    }
}
