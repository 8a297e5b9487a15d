//! The `project_load` crate as the commands that analyse a project use it:
//! loads the project and prints what the loader found to warn about (and its
//! errors) the way erlkit prints them, paths relative to the current directory.

use std::path::Path;

use project_load::{LoadError, LoadWarning};
pub(crate) use project_load::{LoadOptions, LoadedFile, LoadedProject, relative};
use project_model::config::ConfigError;

/// Finds, reads and loads the project at `root`; its warnings go to stderr.
pub(crate) fn load_project(root: &Path, options: LoadOptions) -> anyhow::Result<LoadedProject> {
    match project_load::load_project(root, options) {
        Ok(project) => {
            print_warnings(&project.warnings);
            Ok(project)
        }
        Err(LoadError::Config { error, warnings }) => {
            print_warnings(&warnings);
            Err(anyhow::anyhow!(shown_config_error(error)))
        }
        Err(error) => Err(error.into()),
    }
}

fn print_warnings(warnings: &[LoadWarning]) {
    for warning in warnings {
        match warning {
            LoadWarning::Config(warning) => eprintln!(
                "{}:{}: warning: {}",
                shown_path(&warning.path),
                warning.line,
                warning.message
            ),
            LoadWarning::Discovery(message) | LoadWarning::Unreadable(message) => {
                eprintln!("erlkit: warning: {message}")
            }
        }
    }
}

/// A configuration error with the file's path shown as [`shown_path`] shows it.
pub(crate) fn shown_config_error(error: ConfigError) -> String {
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
