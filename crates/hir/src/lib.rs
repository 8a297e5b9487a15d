//! What Erlang code means, derived from `base_db`'s inputs by salsa queries. So
//! far: each module's name and the module index, whose namespaces are the
//! applications, with the module names that more than one application defines.
//! The preprocessor, item trees, bodies and name resolution build on these.

use std::collections::BTreeMap;

use base_db::{SourceDatabase, SourceFile};
use syntax::{FileKind, ast};

/// An application: a namespace of modules.
#[salsa::input(debug)]
pub struct App {
    #[returns(ref)]
    pub name: String,
    /// Its source files (modules and headers).
    #[returns(ref)]
    pub files: Vec<SourceFile>,
}

/// Everything analysed together: the project's applications, its dependencies
/// and OTP's.
#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub apps: Vec<App>,
}

/// The name `-module(Name).` gives `file`, if it is a module that names itself.
///
/// It reads the file's parse, so it runs again after every edit to the file; as
/// its answer rarely changes, salsa then keeps everything derived from it.
#[salsa::tracked]
pub fn module_name(db: &dyn SourceDatabase, file: SourceFile) -> Option<String> {
    if *file.kind(db) != FileKind::Module {
        return None;
    }
    base_db::parse(db, file)
        .source_file()
        .forms()
        .find_map(|form| match form {
            ast::Form::ModuleAttribute(attribute) => attribute.name()?.text(),
            _ => None,
        })
}

/// Where a module is defined: its application and file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleLocation {
    pub app: App,
    pub file: SourceFile,
}

/// The modules of a workspace by name, each with every place that defines it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleIndex {
    modules: BTreeMap<String, Vec<ModuleLocation>>,
}

impl ModuleIndex {
    /// Where `name` is defined (more than one place when it is a duplicate).
    pub fn get(&self, name: &str) -> &[ModuleLocation] {
        self.modules.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every module name, sorted, with where it is defined.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[ModuleLocation])> {
        self.modules
            .iter()
            .map(|(name, locations)| (name.as_str(), locations.as_slice()))
    }

    /// The module names defined more than once, sorted: the flat namespace at
    /// run time lets only one of them be loaded.
    pub fn duplicates(&self) -> impl Iterator<Item = (&str, &[ModuleLocation])> {
        self.iter().filter(|(_, locations)| locations.len() > 1)
    }
}

/// The module index of `workspace`.
#[salsa::tracked(returns(ref))]
pub fn module_index(db: &dyn SourceDatabase, workspace: Workspace) -> ModuleIndex {
    let mut modules: BTreeMap<String, Vec<ModuleLocation>> = BTreeMap::new();
    for &app in workspace.apps(db) {
        for &file in app.files(db) {
            if let Some(name) = module_name(db, file) {
                modules
                    .entry(name.clone())
                    .or_default()
                    .push(ModuleLocation { app, file });
            }
        }
    }
    ModuleIndex { modules }
}

#[cfg(test)]
mod tests;
