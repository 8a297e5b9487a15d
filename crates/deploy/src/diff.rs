//! Two builds compared module by module, by module hash.

use serde::Serialize;

use crate::build::Build;

/// How one module differs between the builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleChange {
    Added,
    Removed,
    /// The module hash differs: the module must be loaded.
    Changed,
    /// Same module hash, different file (debug or compile information,
    /// line numbers): nothing to load.
    MetadataOnly,
}

/// The modules that differ, in the order of their names.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BuildDiff {
    pub modules: Vec<(String, ModuleChange)>,
    pub unchanged: usize,
}

impl BuildDiff {
    pub fn new(old: &Build, new: &Build) -> BuildDiff {
        let mut diff = BuildDiff::default();
        for (name, old_module) in &old.modules {
            match new.modules.get(name) {
                None => diff.modules.push((name.clone(), ModuleChange::Removed)),
                Some(new_module) if new_module.md5 != old_module.md5 => {
                    diff.modules.push((name.clone(), ModuleChange::Changed));
                }
                Some(new_module) if new_module.file_hash != old_module.file_hash => {
                    diff.modules
                        .push((name.clone(), ModuleChange::MetadataOnly));
                }
                Some(_) => diff.unchanged += 1,
            }
        }
        for name in new.modules.keys() {
            if !old.modules.contains_key(name) {
                diff.modules.push((name.clone(), ModuleChange::Added));
            }
        }
        diff.modules.sort();
        diff
    }

    /// How many modules changed in this way.
    pub fn count(&self, change: ModuleChange) -> usize {
        self.modules.iter().filter(|(_, c)| *c == change).count()
    }
}
