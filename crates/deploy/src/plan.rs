//! The plan of a hot-reload deploy: the changed modules in load order, an
//! action for each, and the risks found in the two builds.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::build::{Build, ModuleBuild};
use crate::diff::{BuildDiff, ModuleChange};
use crate::order::load_order;
use crate::state::{CodeChange, StateShape, on_load, state_shape};

/// What to do with one module, in the words of an appup.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new module: `{add_module, Mod}`.
    AddModule,
    /// `{load_module, Mod}`: new code, no process state to migrate.
    LoadModule,
    /// `{update, Mod, {advanced, []}}`: processes running the module
    /// (gen_server, gen_statem, gen_event) are suspended, the code loaded,
    /// their state migrated with `code_change`, and they are resumed.
    UpdateCodeChange,
    /// `{update, Mod, supervisor}`: the supervisor's `init/1` is called
    /// again and its child specifications replaced.
    UpdateSupervisor,
    /// `{delete_module, Mod}`.
    DeleteModule,
}

impl Action {
    /// The appup instruction.
    pub fn appup(self, module: &str) -> String {
        match self {
            Action::AddModule => format!("{{add_module, {module}}}"),
            Action::LoadModule => format!("{{load_module, {module}}}"),
            Action::UpdateCodeChange => format!("{{update, {module}, {{advanced, []}}}}"),
            Action::UpdateSupervisor => format!("{{update, {module}, supervisor}}"),
            Action::DeleteModule => format!("{{delete_module, {module}}}"),
        }
    }
}

/// One module of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub module: String,
    pub app: Option<String>,
    pub action: Action,
    /// Its modules' group in the load order: modules that depend on each
    /// other in a cycle share a group.
    pub group: usize,
    pub old_md5: Option<String>,
    pub new_md5: Option<String>,
    /// The `.beam` file to load (none for a deleted module).
    pub path: Option<String>,
    /// OLD's `.beam` file (none for an added module): what a rollback
    /// loads again.
    pub old_path: Option<String>,
    /// Loaded on its own, after the others, with `code:load_binary/3`:
    /// `code:atomic_load/1` refuses a module with `-on_load`.
    pub loads_alone: bool,
}

/// What a risk is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiskKind {
    /// The state record of a process module changed its fields, and
    /// `code_change` is missing or returns the state as it came: the
    /// processes keep the old tuple, and the new code fails on it.
    StateRecordChanged,
    /// An export removed (or its arity changed) that a module of the new
    /// build still imports: that call will fail with `undef`.
    RemovedExportStillImported,
    /// A process module (gen_server, gen_statem, gen_event) without debug
    /// information: the shape of its state cannot be compared.
    NoDebugInfo,
    /// A supervisor changed: its child specifications are replaced.
    SupervisorChanged,
    /// The running module defines funs: a fun made by that code and kept
    /// (in a process, an ETS table, a message) fails with `badfun` once the
    /// code is purged, at the module's next load.
    Funs,
    /// The module has `-on_load` or loads a NIF library: its on_load
    /// function runs on each node when it is loaded.
    OnLoad,
    /// The new module was compiled by a newer compiler than the old one:
    /// the nodes may run an OTP release that cannot load it.
    NewerCompiler,
}

/// A risk, with where it is.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    pub kind: RiskKind,
    pub module: String,
    pub message: String,
}

/// The plan: steps in load order, and the risks.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub risks: Vec<Risk>,
}

/// Behaviours whose processes keep state across a code change.
const STATEFUL_BEHAVIOURS: [&str; 4] = ["gen_server", "gen_statem", "gen_event", "gen_fsm"];

impl Plan {
    pub fn new(old: &Build, new: &Build, diff: &BuildDiff) -> Plan {
        let moving: Vec<(&String, ModuleChange)> = diff
            .modules
            .iter()
            .filter(|(_, change)| *change != ModuleChange::MetadataOnly)
            .map(|(name, change)| (name, *change))
            .collect();
        let names: Vec<String> = moving.iter().map(|(name, _)| (*name).clone()).collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let module_of = |name: &str| new.modules.get(name).or_else(|| old.modules.get(name));
        let groups = load_order(&names, |i| {
            module_of(&names[i])
                .map(|module| {
                    dependencies(module)
                        .iter()
                        .filter_map(|dep| index.get(dep.as_str()).copied())
                        .collect()
                })
                .unwrap_or_default()
        });
        let mut steps = Vec::new();
        for (group, members) in groups.iter().enumerate() {
            for name in members {
                let change = moving[index[name.as_str()]].1;
                let old_module = old.modules.get(name);
                let new_module = new.modules.get(name);
                let action = match (change, new_module) {
                    (ModuleChange::Added, _) => Action::AddModule,
                    (ModuleChange::Removed, _) | (_, None) => Action::DeleteModule,
                    (_, Some(module)) => action_of(module),
                };
                let loads_alone = new_module.is_some_and(|module| on_load_of(module).is_some());
                steps.push(Step {
                    loads_alone,
                    module: name.clone(),
                    app: new_module.or(old_module).and_then(|m| m.app.clone()),
                    action,
                    group,
                    old_md5: old_module.map(|m| m.md5.clone()),
                    new_md5: new_module.map(|m| m.md5.clone()),
                    path: new_module.map(absolute_path),
                    old_path: old_module.map(absolute_path),
                });
            }
        }
        // Modules with `-on_load` load last, one by one (a stable sort keeps
        // the load order among the others and among them).
        steps.sort_by_key(|step| step.loads_alone);
        let mut risks = Vec::new();
        for step in &steps {
            if let Some(how) = new.modules.get(&step.module).and_then(on_load_of) {
                risks.push(Risk {
                    kind: RiskKind::OnLoad,
                    module: step.module.clone(),
                    message: format!(
                        "{how}: it is loaded on its own after the others (code:atomic_load/1 \
                         refuses it), its on_load function runs on every node, and a NIF \
                         library must be at its path on each node and support upgrades"
                    ),
                });
            }
            if let (Some(old_module), Some(new_module)) =
                (old.modules.get(&step.module), new.modules.get(&step.module))
            {
                module_risks(
                    &step.module,
                    step.action,
                    old_module,
                    new_module,
                    &mut risks,
                );
            }
        }
        removed_exports_still_imported(old, new, diff, &mut risks);
        risks.sort_by(|a, b| (a.kind, &a.module, &a.message).cmp(&(b.kind, &b.module, &b.message)));
        Plan { steps, risks }
    }
}

/// Where `module`'s file is, absolute: `deploy apply` may run elsewhere.
fn absolute_path(module: &ModuleBuild) -> String {
    std::fs::canonicalize(&module.path)
        .unwrap_or_else(|_| module.path.clone())
        .display()
        .to_string()
}

/// The modules `module` depends on: those it imports from and its
/// behaviours.
pub(crate) fn dependencies(module: &ModuleBuild) -> BTreeSet<String> {
    let mut deps: BTreeSet<String> = module
        .beam
        .imports()
        .unwrap_or_default()
        .into_iter()
        .map(|import| import.module)
        .collect();
    deps.extend(behaviours(module));
    deps
}

/// The behaviours of `-behaviour(...)` (and `-behavior(...)`).
fn behaviours(module: &ModuleBuild) -> Vec<String> {
    let mut names = Vec::new();
    for (key, value) in module.beam.attributes().unwrap_or_default() {
        if key != "behaviour" && key != "behavior" {
            continue;
        }
        if let eetf::Term::List(list) = value {
            names.extend(list.elements.into_iter().filter_map(|term| match term {
                eetf::Term::Atom(atom) => Some(atom.name),
                _ => None,
            }));
        }
    }
    names
}

fn action_of(module: &ModuleBuild) -> Action {
    let behaviours = behaviours(module);
    if behaviours.iter().any(|b| b == "supervisor") {
        Action::UpdateSupervisor
    } else if behaviours
        .iter()
        .any(|b| STATEFUL_BEHAVIOURS.contains(&b.as_str()))
    {
        Action::UpdateCodeChange
    } else {
        Action::LoadModule
    }
}

fn module_risks(
    name: &str,
    action: Action,
    old: &ModuleBuild,
    new: &ModuleBuild,
    risks: &mut Vec<Risk>,
) {
    let mut risk = |kind, message: String| {
        risks.push(Risk {
            kind,
            module: name.to_owned(),
            message,
        });
    };
    if action == Action::UpdateCodeChange {
        match (state_shape(&old.beam), state_shape(&new.beam)) {
            (Some(old_shape), Some(new_shape)) => {
                if let Some(message) = state_change(&old_shape, &new_shape) {
                    risk(RiskKind::StateRecordChanged, message);
                }
            }
            (old_shape, _) => {
                let without = if old_shape.is_none() {
                    &old.path
                } else {
                    &new.path
                };
                risk(
                    RiskKind::NoDebugInfo,
                    format!(
                        "{} has no debug information: whether its state record changed cannot \
                         be checked (compile with debug_info)",
                        without.display()
                    ),
                );
            }
        }
    }
    if action == Action::UpdateSupervisor {
        risk(
            RiskKind::SupervisorChanged,
            "a supervisor changed: its init/1 is called again and the new child \
             specifications replace the old ones (children removed from them are not stopped)"
                .to_owned(),
        );
    }
    let funs = old.beam.funs().unwrap_or_default().len();
    if funs > 0 {
        risk(
            RiskKind::Funs,
            format!(
                "{funs} fun{} in the running code: a fun it made that is kept (in a process, an \
                 ETS table, a message) fails with badfun once that code is purged, at the next \
                 load of the module",
                if funs == 1 { "" } else { "s" }
            ),
        );
    }
    if let (Some(old_version), Some(new_version)) = (compiler_version(old), compiler_version(new))
        && version_key(&new_version) > version_key(&old_version)
    {
        risk(
            RiskKind::NewerCompiler,
            format!(
                "compiled by compiler {new_version}, the old module by {old_version}: the nodes \
                 must run an OTP release that loads the newer code"
            ),
        );
    }
}

/// Why the module has code that runs when it is loaded: `-on_load(F/A)`
/// (from the debug information), or a call of `erlang:load_nif/2` (from
/// its imports, which a module without debug information still has).
fn on_load_of(module: &ModuleBuild) -> Option<String> {
    if let Some(function) = on_load(&module.beam) {
        return Some(format!("-on_load({function})"));
    }
    let loads_nif = module
        .beam
        .imports()
        .unwrap_or_default()
        .iter()
        .any(|import| {
            import.module == "erlang" && import.function == "load_nif" && import.arity == 2
        });
    loads_nif.then(|| "it calls erlang:load_nif/2".to_owned())
}

/// Why a state record change is a risk: its fields changed, and
/// `code_change` does not migrate it.
fn state_change(old: &StateShape, new: &StateShape) -> Option<String> {
    let (Some((old_name, old_fields)), Some((new_name, new_fields))) = (&old.record, &new.record)
    else {
        return None;
    };
    if old_name != new_name || old_fields == new_fields {
        return None;
    }
    let what = match new.code_change {
        CodeChange::Changes => return None,
        CodeChange::Missing => "the new code has no code_change",
        CodeChange::Identity => "the new code_change returns the state as it came",
    };
    Some(format!(
        "the state record #{new_name} changed from {{{}}} to {{{}}}, and {what}: running processes \
         keep the old tuple and the new code fails on it",
        old_fields.join(", "),
        new_fields.join(", ")
    ))
}

/// The compiler version of `CInf`.
fn compiler_version(module: &ModuleBuild) -> Option<String> {
    module
        .beam
        .compile_info()
        .ok()?
        .into_iter()
        .find(|(key, _)| key == "version")
        .and_then(|(_, value)| match value {
            eetf::Term::ByteList(bytes) => String::from_utf8(bytes.bytes).ok(),
            _ => None,
        })
}

/// The major and minor numbers of a compiler version (`8.2.3` is `[8, 2]`):
/// a compiler's minor version changes with each OTP release, its patch
/// version within one, where the code loads on any node of the release.
fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .take(2)
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

/// Exports the new build no longer has (the module gone, or the function
/// removed or re-aritied) that a module of the new build still imports.
fn removed_exports_still_imported(
    old: &Build,
    new: &Build,
    diff: &BuildDiff,
    risks: &mut Vec<Risk>,
) {
    let mut removed: HashMap<(&str, String, u32), ()> = HashMap::new();
    for (name, change) in &diff.modules {
        if !matches!(change, ModuleChange::Changed | ModuleChange::Removed) {
            continue;
        }
        let Some(old_module) = old.modules.get(name) else {
            continue;
        };
        let new_exports: BTreeSet<(String, u32)> = new
            .modules
            .get(name)
            .map(|module| {
                module
                    .beam
                    .exports()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|export| (export.function, export.arity))
                    .collect()
            })
            .unwrap_or_default();
        for export in old_module.beam.exports().unwrap_or_default() {
            let key = (export.function, export.arity);
            if !new_exports.contains(&key) {
                removed.insert((name.as_str(), key.0, key.1), ());
            }
        }
    }
    if removed.is_empty() {
        return;
    }
    for (importer, module) in &new.modules {
        for import in module.beam.imports().unwrap_or_default() {
            let key = (
                import.module.as_str(),
                import.function.clone(),
                import.arity,
            );
            if removed.contains_key(&key) {
                risks.push(Risk {
                    kind: RiskKind::RemovedExportStillImported,
                    module: importer.clone(),
                    message: format!(
                        "{importer} calls {}:{}/{}, which the new build no longer exports \
                         ({})",
                        import.module,
                        import.function,
                        import.arity,
                        module.path.display()
                    ),
                });
            }
        }
    }
}
