//! Problems found in a file, as plain data: its syntax errors, and what the
//! preprocessor reports for a module (missing includes, undefined macros, bad
//! conditionals), each at a range of real text.

use hir::preprocessor::Origin;
use syntax::TextRange;

use crate::{Analysis, Cancellable, FileId};

/// A range of text in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileRange {
    pub file_id: FileId,
    pub range: TextRange,
}

impl From<Origin> for FileRange {
    fn from(origin: Origin) -> FileRange {
        FileRange {
            file_id: origin.file,
            range: origin.range,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// Which part of the analysis found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticSource {
    Syntax,
    Preprocessor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: FileRange,
    pub severity: Severity,
    pub source: DiagnosticSource,
    pub message: String,
}

impl Analysis {
    /// The syntax errors of the file as written (macros unexpanded).
    pub fn syntax_diagnostics(&self, file_id: FileId) -> Cancellable<Vec<Diagnostic>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(Vec::new());
        };
        self.with_db(|db, _| {
            base_db::parse(db, file)
                .errors()
                .iter()
                .map(|error| Diagnostic {
                    range: FileRange {
                        file_id,
                        range: error.range(),
                    },
                    severity: Severity::Error,
                    source: DiagnosticSource::Syntax,
                    message: error.message().to_owned(),
                })
                .collect()
        })
    }

    /// What the preprocessor reports for module `file_id`; a problem inside an
    /// included header points into the header.
    pub fn preprocessor_diagnostics(&self, file_id: FileId) -> Cancellable<Vec<Diagnostic>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(Vec::new());
        };
        self.with_db(|db, workspace| {
            if *file.kind(db) != syntax::FileKind::Module {
                return Vec::new();
            }
            hir::preprocess(db, workspace, file)
                .diagnostics
                .iter()
                .map(|diagnostic| Diagnostic {
                    range: diagnostic.origin.into(),
                    severity: if diagnostic.is_error() {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    source: DiagnosticSource::Preprocessor,
                    message: diagnostic.kind.to_string(),
                })
                .collect()
        })
    }
}
