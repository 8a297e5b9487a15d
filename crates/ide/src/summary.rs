//! What a module declares, counted: the figures `erlkit analyze` adds up.

use crate::{Analysis, Cancellable, FileId};

/// The items of one module after preprocessing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleSummary {
    pub module: Option<String>,
    pub functions: usize,
    pub exports: usize,
    pub records: usize,
    pub types: usize,
    pub specs: usize,
    pub callbacks: usize,
    /// `-define`s read (the module's and its headers').
    pub macro_definitions: usize,
    /// Macro calls expanded in the module's own text.
    pub macro_calls: usize,
    /// Files included, directly or not.
    pub includes: usize,
}

impl Analysis {
    /// The summary of module `file_id` (`None` for other files).
    pub fn module_summary(&self, file_id: FileId) -> Cancellable<Option<ModuleSummary>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(None);
        };
        self.with_db(|db, workspace| {
            if *file.kind(db) != syntax::FileKind::Module {
                return None;
            }
            let preprocessed = hir::preprocess(db, workspace, file);
            let items = hir::item_tree(db, workspace, file);
            Some(ModuleSummary {
                module: items.module.as_ref().map(ToString::to_string),
                functions: items.functions.len(),
                exports: items.exports.len(),
                records: items.records.len(),
                types: items.types.len(),
                specs: items.specs.len(),
                callbacks: items.callbacks.len(),
                macro_definitions: preprocessed.definitions.len(),
                macro_calls: preprocessed
                    .macro_calls
                    .iter()
                    .filter(|call| call.origin.file == file_id)
                    .count(),
                includes: preprocessed.includes.len(),
            })
        })
    }
}
