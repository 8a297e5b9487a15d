//! `erlkit modules`: a project's applications and modules, found on disk and
//! indexed by the analysis engine; `--duplicates` for the names defined twice.
//! `erlkit.toml`'s `[project]` table corrects discovery and the choice of OTP;
//! the command line wins over it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use ide::{AnalysisHost, AppData, Change, FileChange, ModuleInfo};
use project_model::config::{ConfigError, ProjectConfig, load_config_for};
use project_model::layout::{self, AppOrigin};
use project_model::otp::OtpInstallation;
use syntax::{FileKind, OtpRelease};
use vfs::Vfs;

use crate::cli::ModulesArgs;

/// Runs the command; the exit code is 1 when `--duplicates` finds any. A reader
/// that stops reading (`| head`) ends it quietly.
pub(crate) fn run(args: &ModulesArgs) -> anyhow::Result<u8> {
    match list(args) {
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(0)
        }
        outcome => outcome,
    }
}

fn list(args: &ModulesArgs) -> anyhow::Result<u8> {
    let root = args
        .root
        .canonicalize()
        .with_context(|| format!("cannot open {}", args.root.display()))?;
    let config = project_config(&root)?;
    let otp = choose_otp(args.release.otp_release, args.no_otp, &config, || {
        let path_var = std::env::var_os("PATH");
        let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
        project_model::otp::find_installation(path_var.as_deref(), erl_rootdir.as_deref())
    })
    .map_err(|error| anyhow::anyhow!(shown_config_error(error)))?;
    let project = layout::discover_with(&root, &config);
    for warning in &project.warnings {
        eprintln!("erlkit: warning: {warning}");
    }
    // OTP's applications are a namespace like any other: a project module that
    // shadows one of OTP's is a duplicate.
    let otp_apps = match &otp.indexed {
        Some(installation) => layout::otp_apps(&installation.root),
        None => {
            tracing::debug!("OTP's applications are not indexed");
            Vec::new()
        }
    };
    let release = otp.release;
    let mut vfs = Vfs::default();
    let mut change = Change::default();
    let mut apps = Vec::new();
    for app in project.apps.iter().chain(&otp_apps) {
        let library = app.origin != AppOrigin::Project;
        let mut files = Vec::new();
        for path in source_files(&app.src_dirs) {
            if project.excluded.is_excluded(&path) {
                continue;
            }
            let Some(kind) = FileKind::from_path(&path) else {
                continue;
            };
            let text = match std::fs::read(&path) {
                Ok(bytes) => match syntax::decode_source(&bytes) {
                    Ok((text, _)) => Arc::<str>::from(text.as_ref()),
                    Err(error) => {
                        eprintln!("erlkit: warning: {}: {error}", path.display());
                        continue;
                    }
                },
                Err(error) => {
                    eprintln!("erlkit: warning: cannot read {}: {error}", path.display());
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
            files.push(file_id);
        }
        apps.push(AppData {
            name: app.name.clone(),
            dir: Some(app.dir.clone()),
            files,
            include_dirs: app.include_dirs.clone(),
            macros: app
                .macros
                .iter()
                .map(|m| (m.name.clone(), m.value.as_ref().map(ToString::to_string)))
                .collect(),
        });
    }
    change.apps = Some(apps);
    let mut host = AnalysisHost::new(release);
    host.apply_change(change);
    let analysis = host.analysis();
    let shown = |module: &ModuleInfo| relative(vfs.path(module.file_id), &root);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.duplicates {
        let duplicates = analysis
            .duplicate_modules()
            .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
        if args.json {
            let json: Vec<serde_json::Value> = duplicates
                .iter()
                .map(|definitions| {
                    serde_json::json!({
                        "module": definitions[0].name,
                        "definitions": definitions.iter().map(|m| serde_json::json!({
                            "app": m.app, "path": shown(m),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        } else {
            for definitions in &duplicates {
                writeln!(
                    out,
                    "{} is defined {} times:",
                    definitions[0].name,
                    definitions.len()
                )?;
                for module in definitions {
                    writeln!(out, "  {} ({})", shown(module), module.app)?;
                }
            }
        }
        out.flush()?;
        match duplicates.len() {
            1 => eprintln!("1 module name is defined more than once"),
            n => eprintln!("{n} module names are defined more than once"),
        }
        return Ok(u8::from(!duplicates.is_empty()));
    }
    let modules = analysis
        .modules()
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
    let listed: Vec<&layout::AppLayout> = project
        .apps
        .iter()
        .chain(otp_apps.iter().filter(|_| args.otp))
        .collect();
    if args.json {
        let json: Vec<serde_json::Value> = listed
            .iter()
            .map(|app| {
                serde_json::json!({
                    "app": app.name,
                    "dir": relative(&app.dir, &root),
                    "origin": format!("{:?}", app.origin).to_lowercase(),
                    "modules": modules.iter().filter(|m| m.app == app.name)
                        .map(|m| serde_json::json!({"module": m.name, "path": shown(m)}))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for app in &listed {
            let origin = match app.origin {
                AppOrigin::Project => "",
                AppOrigin::Dependency => " (dependency)",
                AppOrigin::Checkout => " (checkout)",
                AppOrigin::Otp => " (OTP)",
            };
            writeln!(out, "{}{origin}: {}", app.name, relative(&app.dir, &root))?;
            for module in modules.iter().filter(|m| m.app == app.name) {
                writeln!(out, "  {} {}", module.name, shown(module))?;
            }
        }
    }
    out.flush()?;
    let listed_modules = modules
        .iter()
        .filter(|m| listed.iter().any(|app| app.name == m.app))
        .count();
    let otp_note = if otp_apps.is_empty() || args.otp {
        String::new()
    } else {
        format!(
            "; OTP's {} applications indexed too (--otp lists them)",
            otp_apps.len()
        )
    };
    eprintln!(
        "{} applications, {listed_modules} modules ({:?} project){otp_note}",
        listed.len(),
        project.build_system
    );
    Ok(0)
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
struct OtpChoice {
    /// `None` with `--no-otp`, or when no installation is found.
    indexed: Option<OtpInstallation>,
    release: OtpRelease,
}

/// Chooses OTP by precedence. The release: `--otp-release`, else `otp_release`
/// of erlkit.toml, else the installation's, else the newest erlkit knows. The
/// installation: `otp_root` of erlkit.toml (an error when it is not one), else
/// `find_on_path` (the installation `erl` on PATH belongs to). The
/// installation is not looked for when nothing needs it (`--no-otp` and a
/// release given).
fn choose_otp(
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
fn shown_path(path: &Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) => relative(path, &cwd),
        Err(_) => path.display().to_string(),
    }
}

/// The `.erl` and `.hrl` files directly in `dirs`, sorted.
fn source_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flat_map(|entries| entries.flatten().map(|entry| entry.path()))
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext == "erl" || ext == "hrl")
        })
        .collect();
    files.sort();
    files
}

/// `path` relative to `root` when it is under it.
fn relative(path: &Path, root: &Path) -> String {
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
