//! `erlkit deploy diff --src --from REV --to REV`: two git revisions of the
//! project's sources compared through the HIR.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};
use deploy::{BrokenCaller, SourceChange, SourceDiff, SourceModule};
use project_load::{LoadOptions, LoadedProject};
use project_model::layout::AppOrigin;
use syntax::LineIndex;

use crate::cli::DeployDiffArgs;
use crate::project_load::load_project;

pub(super) fn run(args: &DeployDiffArgs) -> anyhow::Result<u8> {
    let root = match &args.root {
        Some(root) => root.clone(),
        None => std::env::current_dir().context("the current directory")?,
    };
    let from = args.from.as_deref().context("--src needs --from REV")?;
    let to = args.to.as_deref().unwrap_or("HEAD");
    let old_dir = Checkout::new(&root, from)?;
    let new_dir = Checkout::new(&root, to)?;
    let old_project = load(&old_dir.dir)?;
    let new_project = load(&new_dir.dir)?;
    let old = modules(&old_project)?;
    let new = modules(&new_project)?;
    let mut diff = SourceDiff::new(&old, &new);
    diff.broken_callers = broken_callers(&new_project, &diff.removed_exports(&old))?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let report = serde_json::json!({ "from": from, "to": to, "source": diff });
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_human(&mut out, from, to, &diff)?;
    }
    Ok(if diff.broken_callers.is_empty() { 0 } else { 1 })
}

/// A revision of the checkout exported to a temporary directory (removed
/// when dropped).
struct Checkout {
    dir: PathBuf,
}

impl Checkout {
    fn new(root: &Path, rev: &str) -> anyhow::Result<Checkout> {
        let dir = std::env::temp_dir().join(format!(
            "erlkit-src-{}-{}",
            std::process::id(),
            rev.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        ));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let checkout = Checkout { dir };
        let archive = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["archive", "--format=tar", rev])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .context("running git (is it installed?)")?;
        let output = archive.wait_with_output().context("running git archive")?;
        if !output.status.success() {
            bail!(
                "git cannot export revision {rev} of {}: {}",
                root.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let mut tar = Command::new("tar")
            .arg("-x")
            .arg("-C")
            .arg(&checkout.dir)
            .stdin(Stdio::piped())
            .spawn()
            .context("running tar")?;
        tar.stdin
            .take()
            .context("tar's stdin")?
            .write_all(&output.stdout)
            .context("unpacking the revision")?;
        if !tar.wait().context("waiting for tar")?.success() {
            bail!("tar could not unpack revision {rev}");
        }
        Ok(checkout)
    }
}

impl Drop for Checkout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn load(dir: &Path) -> anyhow::Result<LoadedProject> {
    load_project(
        dir,
        LoadOptions {
            release: None,
            no_otp: false,
        },
    )
}

/// The project's own modules by name, with their shapes.
fn modules(project: &LoadedProject) -> anyhow::Result<BTreeMap<String, SourceModule>> {
    let analysis = project.host.analysis();
    let mut modules = BTreeMap::new();
    for file in &project.files {
        if file.origin != AppOrigin::Project || file.kind != syntax::FileKind::Module {
            continue;
        }
        let Some(shape) = analysis
            .module_shape(file.file_id)
            .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?
        else {
            continue;
        };
        if shape.module.is_empty() {
            continue;
        }
        let path = project.vfs.path(file.file_id);
        let path = path.strip_prefix(&project.root).unwrap_or(path);
        let text = project
            .vfs
            .contents(file.file_id)
            .map(ToString::to_string)
            .unwrap_or_default();
        modules.insert(
            shape.module.clone(),
            SourceModule {
                path: path.display().to_string(),
                text,
                shape,
            },
        );
    }
    Ok(modules)
}

/// The calls, in the new revision's other modules, of exports it removed.
fn broken_callers(
    project: &LoadedProject,
    removed: &[String],
) -> anyhow::Result<Vec<BrokenCaller>> {
    let analysis = project.host.analysis();
    let mut callers = Vec::new();
    for call in removed {
        let module = call.split(':').next().unwrap_or_default();
        let sites = analysis
            .references(call, false)
            .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?
            .unwrap_or_default();
        for site in sites {
            let file_id = site.range.file_id;
            let Some(text) = project.vfs.contents(file_id) else {
                continue;
            };
            let path = project.vfs.path(file_id);
            let caller = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            if caller == module {
                continue;
            }
            let line = LineIndex::new(text).line(usize::from(site.range.range.start()));
            callers.push(BrokenCaller {
                call: call.clone(),
                caller,
                path: path
                    .strip_prefix(&project.root)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
                line,
            });
        }
    }
    Ok(callers)
}

fn print_human(
    out: &mut impl Write,
    from: &str,
    to: &str,
    diff: &SourceDiff,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{from} -> {to}: {} changed, {} cosmetic only, {} added, {} removed, {} unchanged",
        diff.count(SourceChange::Changed),
        diff.count(SourceChange::Cosmetic),
        diff.count(SourceChange::Added),
        diff.count(SourceChange::Removed),
        diff.unchanged
    )?;
    for module in &diff.modules {
        let label = match module.change {
            SourceChange::Added => "added",
            SourceChange::Removed => "removed",
            SourceChange::Cosmetic => "changed, cosmetic only (layout, comments or docs)",
            SourceChange::Changed => "changed",
        };
        writeln!(out, "\n{} ({}): {label}", module.module, module.path)?;
        let list = |out: &mut dyn Write, what: &str, items: &[String]| -> std::io::Result<()> {
            if !items.is_empty() {
                writeln!(out, "  {what}: {}", items.join(", "))?;
            }
            Ok(())
        };
        list(out, "functions changed", &module.functions_changed)?;
        list(out, "functions added", &module.functions_added)?;
        list(out, "functions removed", &module.functions_removed)?;
        list(out, "exports added", &module.exports_added)?;
        list(out, "exports removed", &module.exports_removed)?;
        for (record, old, new) in &module.records_changed {
            writeln!(
                out,
                "  record #{record}: fields {{{}}} -> {{{}}}",
                old.join(", "),
                new.join(", ")
            )?;
        }
        list(
            out,
            "records redefined (defaults or types)",
            &module.records_redefined,
        )?;
        list(out, "specs changed", &module.specs_changed)?;
        list(out, "callbacks changed", &module.callbacks_changed)?;
        if module.behaviours_changed {
            writeln!(out, "  behaviours changed")?;
        }
    }
    if !diff.broken_callers.is_empty() {
        writeln!(out, "\ncallers that break:")?;
        for caller in &diff.broken_callers {
            writeln!(
                out,
                "  {}:{}: {} calls {}, which {to} no longer exports",
                caller.path, caller.line, caller.caller, caller.call
            )?;
        }
    }
    Ok(())
}
