//! The source side of a deploy: two revisions of a project compared module
//! by module through the HIR, so that a change of layout, comments or docs
//! is told apart from a change of meaning.

use std::collections::BTreeMap;

use ide::ModuleShape;
use serde::Serialize;

/// One module of one revision: its shape and its text.
#[derive(Debug, Clone)]
pub struct SourceModule {
    pub path: String,
    pub text: String,
    pub shape: ModuleShape,
}

/// How a module differs between the revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceChange {
    Added,
    Removed,
    /// Only formatting, comments or documentation changed: the same HIR.
    Cosmetic,
    Changed,
}

/// What changed in one module.
#[derive(Debug, Clone, Serialize)]
pub struct SourceModuleDiff {
    pub module: String,
    pub path: String,
    pub change: SourceChange,
    pub functions_changed: Vec<String>,
    pub functions_added: Vec<String>,
    pub functions_removed: Vec<String>,
    pub exports_added: Vec<String>,
    pub exports_removed: Vec<String>,
    /// Records whose fields changed: name, old fields, new fields.
    pub records_changed: Vec<(String, Vec<String>, Vec<String>)>,
    /// Records whose declaration changed otherwise (defaults, types).
    pub records_redefined: Vec<String>,
    pub specs_changed: Vec<String>,
    pub callbacks_changed: Vec<String>,
    pub behaviours_changed: bool,
}

/// A call, in the new revision, of an export the new revision removed.
#[derive(Debug, Clone, Serialize)]
pub struct BrokenCaller {
    /// `m:f/a`, the export that is gone.
    pub call: String,
    pub caller: String,
    pub path: String,
    pub line: u32,
}

/// The two revisions compared.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SourceDiff {
    /// Modules that differ, by name.
    pub modules: Vec<SourceModuleDiff>,
    pub unchanged: usize,
    /// Filled by the caller, which can search the new revision.
    pub broken_callers: Vec<BrokenCaller>,
}

impl SourceDiff {
    pub fn new(
        old: &BTreeMap<String, SourceModule>,
        new: &BTreeMap<String, SourceModule>,
    ) -> SourceDiff {
        let mut diff = SourceDiff::default();
        let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for name in names {
            match (old.get(name), new.get(name)) {
                (Some(old), Some(new)) if old.text == new.text => diff.unchanged += 1,
                (Some(old), Some(new)) => diff.modules.push(compare(name, old, new)),
                (None, Some(new)) => diff.modules.push(only(name, new, SourceChange::Added)),
                (Some(old), None) => diff.modules.push(only(name, old, SourceChange::Removed)),
                (None, None) => {}
            }
        }
        diff
    }

    /// The exports that the new revision removed (`m:f/a`): those of
    /// changed modules, and all of a removed module's.
    pub fn removed_exports(&self, old: &BTreeMap<String, SourceModule>) -> Vec<String> {
        let mut removed = Vec::new();
        for module in &self.modules {
            let exports: Vec<&String> = match module.change {
                SourceChange::Removed => old
                    .get(&module.module)
                    .map(|m| m.shape.exports.iter().collect())
                    .unwrap_or_default(),
                _ => module.exports_removed.iter().collect(),
            };
            removed.extend(
                exports
                    .into_iter()
                    .map(|export| format!("{}:{export}", module.module)),
            );
        }
        removed
    }

    pub fn count(&self, change: SourceChange) -> usize {
        self.modules.iter().filter(|m| m.change == change).count()
    }
}

fn only(name: &str, module: &SourceModule, change: SourceChange) -> SourceModuleDiff {
    SourceModuleDiff {
        module: name.to_owned(),
        path: module.path.clone(),
        change,
        functions_changed: Vec::new(),
        functions_added: Vec::new(),
        functions_removed: Vec::new(),
        exports_added: Vec::new(),
        exports_removed: Vec::new(),
        records_changed: Vec::new(),
        records_redefined: Vec::new(),
        specs_changed: Vec::new(),
        callbacks_changed: Vec::new(),
        behaviours_changed: false,
    }
}

fn compare(name: &str, old: &SourceModule, new: &SourceModule) -> SourceModuleDiff {
    let (o, n) = (&old.shape, &new.shape);
    let mut diff = only(name, new, SourceChange::Changed);
    let keyed = |pairs: &[(String, String)]| -> BTreeMap<String, String> {
        pairs.iter().cloned().collect()
    };
    let (old_functions, new_functions) = (keyed(&o.functions), keyed(&n.functions));
    for (function, body) in &new_functions {
        match old_functions.get(function) {
            None => diff.functions_added.push(function.clone()),
            Some(old_body) if old_body != body => diff.functions_changed.push(function.clone()),
            Some(_) => {}
        }
    }
    diff.functions_removed = old_functions
        .keys()
        .filter(|function| !new_functions.contains_key(*function))
        .cloned()
        .collect();
    diff.exports_added = n
        .exports
        .iter()
        .filter(|e| !o.exports.contains(e))
        .cloned()
        .collect();
    diff.exports_removed = o
        .exports
        .iter()
        .filter(|e| !n.exports.contains(e))
        .cloned()
        .collect();
    for record in &n.records {
        if let Some(before) = o.records.iter().find(|r| r.name == record.name) {
            if before.fields != record.fields {
                diff.records_changed.push((
                    record.name.clone(),
                    before.fields.clone(),
                    record.fields.clone(),
                ));
            } else if before.text != record.text {
                diff.records_redefined.push(record.name.clone());
            }
        }
    }
    diff.specs_changed = changed_entries(&o.specs, &n.specs);
    diff.callbacks_changed = changed_entries(&o.callbacks, &n.callbacks);
    diff.behaviours_changed = o.behaviours != n.behaviours;
    if o == n {
        diff.change = SourceChange::Cosmetic;
    }
    diff
}

/// The names whose text differs, or that are in one list only.
fn changed_entries(old: &[(String, String)], new: &[(String, String)]) -> Vec<String> {
    let old: BTreeMap<&String, &String> = old.iter().map(|(k, v)| (k, v)).collect();
    let new: BTreeMap<&String, &String> = new.iter().map(|(k, v)| (k, v)).collect();
    let mut names: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|name| old.get(*name) != new.get(*name))
        .map(|name| (*name).clone())
        .collect();
    names.sort();
    names.dedup();
    names
}
