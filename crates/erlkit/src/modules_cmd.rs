//! `erlkit modules`: a project's applications and modules, found on disk and
//! indexed by the analysis engine; `--duplicates` for the names defined twice.
//! `erlkit.toml`'s `[project]` table corrects discovery and the choice of OTP;
//! the command line wins over it.

use std::io::Write;

use ide::ModuleInfo;
use project_model::layout::{self, AppOrigin};

use crate::project_load::{load_project, relative};

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
    let loaded = load_project(&args.root, args.engine.load_options())?;
    let (root, project, otp_apps) = (&loaded.root, &loaded.layout, &loaded.otp_apps);
    let host = &loaded.host;
    let analysis = host.analysis();
    let shown = |module: &ModuleInfo| loaded.shown(module.file_id);
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
                    "dir": relative(&app.dir, root),
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
            writeln!(out, "{}{origin}: {}", app.name, relative(&app.dir, root))?;
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
