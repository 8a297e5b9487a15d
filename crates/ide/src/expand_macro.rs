//! `erlkit expand`: what the macro calls in a range of a file expand to, with
//! the definition each one used.

use std::collections::HashMap;

use base_db::SourceFile;
use syntax::{FileKind, TextRange};

use crate::{Analysis, Cancellable, FileId, FileRange};

/// One macro call and its expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroExpansion {
    /// The call as written (`?NAME` with its arguments).
    pub call: FileRange,
    pub name: String,
    pub arity: Option<u32>,
    /// The name in the `-define` used; `None` for predefined macros and
    /// `{d, ...}` options.
    pub definition: Option<FileRange>,
    /// The tokens the call became, separated by single spaces (`?LINE` and
    /// `?FILE` stay as they are).
    pub expansion: String,
}

impl Analysis {
    /// The macro calls written in `file_id` that overlap `range`, outermost
    /// calls only, in order. A header is expanded as the first module that
    /// includes it sees it.
    pub fn macro_expansions(
        &self,
        file_id: FileId,
        range: TextRange,
    ) -> Cancellable<Vec<MacroExpansion>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(Vec::new());
        };
        let files = &self.files;
        self.with_db(|db, workspace| {
            let Some(module) = module_reading(db, workspace, files, file, file_id) else {
                return Vec::new();
            };
            let preprocessed = hir::preprocess(db, workspace, module);
            let expanded = hir::expanded_module(db, workspace, module);
            let mut expansions = Vec::new();
            for call in &preprocessed.macro_calls {
                let origin = call.origin;
                if origin.file != file_id
                    || origin.range.intersect(range).is_none()
                    || preprocessed.macro_calls.iter().any(|outer| {
                        outer.origin.file == file_id
                            && outer.origin.range != origin.range
                            && outer.origin.range.contains_range(origin.range)
                    })
                {
                    continue;
                }
                let tokens: Vec<&str> = expanded
                    .tokens()
                    .filter(|(_, token)| {
                        token.file == file_id && origin.range.contains_range(token.range)
                    })
                    .map(|(text, _)| text)
                    .collect();
                expansions.push(MacroExpansion {
                    call: origin.into(),
                    name: call.name.to_string(),
                    arity: call.arity,
                    definition: call.definition.map(|site| FileRange {
                        file_id: site.file,
                        range: site.range,
                    }),
                    expansion: tokens.join(" "),
                });
            }
            expansions.sort_by_key(|e| e.call.range.start());
            expansions.dedup_by_key(|e| e.call.range);
            expansions
        })
    }
}

/// The module to preprocess to see `file`: itself, or for a header the first
/// module (by file id) that includes it.
pub(crate) fn module_reading(
    db: &base_db::RootDatabase,
    workspace: hir::Workspace,
    files: &HashMap<FileId, SourceFile>,
    file: SourceFile,
    file_id: FileId,
) -> Option<SourceFile> {
    if *file.kind(db) == FileKind::Module {
        return Some(file);
    }
    let mut modules: Vec<(FileId, SourceFile)> = files
        .iter()
        .filter(|(_, f)| *f.kind(db) == FileKind::Module)
        .map(|(id, f)| (*id, *f))
        .collect();
    modules.sort_by_key(|(id, _)| *id);
    modules.into_iter().map(|(_, f)| f).find(|&module| {
        hir::preprocess(db, workspace, module)
            .includes
            .iter()
            .any(|include| include.file == file_id)
    })
}
