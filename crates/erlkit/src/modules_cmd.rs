//! `erlkit modules`: a project's applications and modules, found on disk and
//! indexed by the analysis engine; `--duplicates` for the names defined twice.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use ide::{AnalysisHost, AppData, Change, FileChange, ModuleInfo};
use project_model::layout::{self, AppOrigin};
use syntax::FileKind;
use vfs::Vfs;

use crate::cli::ModulesArgs;
use crate::otp_release;

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
    let chosen = otp_release::choose(args.release.otp_release);
    let project = layout::discover(&root);
    for warning in &project.warnings {
        eprintln!("erlkit: warning: {warning}");
    }
    // OTP's applications are a namespace like any other: a project module that
    // shadows one of OTP's is a duplicate.
    let installation = (!args.no_otp)
        .then(|| {
            let path_var = std::env::var_os("PATH");
            let erl_rootdir = std::env::var_os("ERL_ROOTDIR");
            project_model::otp::find_installation(path_var.as_deref(), erl_rootdir.as_deref())
        })
        .flatten();
    let otp_apps = match &installation {
        Some(installation) => layout::otp_apps(&installation.root),
        None => {
            tracing::debug!("OTP's applications are not indexed");
            Vec::new()
        }
    };
    let release = chosen.release;
    let mut vfs = Vfs::default();
    let mut change = Change::default();
    let mut apps = Vec::new();
    for app in project.apps.iter().chain(&otp_apps) {
        let library = app.origin != AppOrigin::Project;
        let mut files = Vec::new();
        for path in source_files(&app.src_dirs) {
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
                contents: Some(text),
                kind,
                library,
            });
            files.push(file_id);
        }
        apps.push(AppData {
            name: app.name.clone(),
            files,
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
