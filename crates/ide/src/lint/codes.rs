//! Every lint diagnostic's stable code, name and default severity. What each
//! means, with an example and how to fix or silence it, is in
//! `docs/diagnostics.md`, which `erlkit explain` prints from.

use crate::Severity;

/// A kind of finding, with a code that never changes meaning: `E1xxx` are
/// errors the compiler reports, `W2xxx` warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DiagnosticCode {
    SyntaxError,
    MissingInclude,
    UndefinedMacro,
    BadMacroCall,
    BadDirective,
    ErrorDirective,
    UnboundVariable,
    UnsafeVariable,
    StacktraceMisuse,
    UndefinedExport,
    FunctionRedefined,
    UndefinedFunction,
    UndefinedRecord,
    UndefinedField,
    FieldRedefined,
    RecordRedefined,
    UndefinedType,
    TypeRedefined,
    SpecForUndefinedFunction,
    SpecRedefined,
    WarningDirective,
    UnusedVariable,
    ExportedVariable,
    ShadowedVariable,
    UnderscoreVariableMatched,
    UnusedFunction,
    UnusedRecord,
    UnusedType,
    MissingCallback,
    DeprecatedFunction,
    RemovedFunction,
    FormatArguments,
    UndefinedModule,
    UndefinedRemoteFunction,
    DeprecatedProjectFunction,
    MissingAppDependency,
    AppBoundary,
    UnusedExport,
    BadSuppression,
}

impl DiagnosticCode {
    /// Every code, in the order of the documentation.
    pub const ALL: &[DiagnosticCode] = &[
        DiagnosticCode::SyntaxError,
        DiagnosticCode::MissingInclude,
        DiagnosticCode::UndefinedMacro,
        DiagnosticCode::BadMacroCall,
        DiagnosticCode::BadDirective,
        DiagnosticCode::ErrorDirective,
        DiagnosticCode::UnboundVariable,
        DiagnosticCode::UnsafeVariable,
        DiagnosticCode::StacktraceMisuse,
        DiagnosticCode::UndefinedExport,
        DiagnosticCode::FunctionRedefined,
        DiagnosticCode::UndefinedFunction,
        DiagnosticCode::UndefinedRecord,
        DiagnosticCode::UndefinedField,
        DiagnosticCode::FieldRedefined,
        DiagnosticCode::RecordRedefined,
        DiagnosticCode::UndefinedType,
        DiagnosticCode::TypeRedefined,
        DiagnosticCode::SpecForUndefinedFunction,
        DiagnosticCode::SpecRedefined,
        DiagnosticCode::WarningDirective,
        DiagnosticCode::UnusedVariable,
        DiagnosticCode::ExportedVariable,
        DiagnosticCode::ShadowedVariable,
        DiagnosticCode::UnderscoreVariableMatched,
        DiagnosticCode::UnusedFunction,
        DiagnosticCode::UnusedRecord,
        DiagnosticCode::UnusedType,
        DiagnosticCode::MissingCallback,
        DiagnosticCode::DeprecatedFunction,
        DiagnosticCode::RemovedFunction,
        DiagnosticCode::FormatArguments,
        DiagnosticCode::UndefinedModule,
        DiagnosticCode::UndefinedRemoteFunction,
        DiagnosticCode::DeprecatedProjectFunction,
        DiagnosticCode::MissingAppDependency,
        DiagnosticCode::AppBoundary,
        DiagnosticCode::UnusedExport,
        DiagnosticCode::BadSuppression,
    ];

    /// The code as written: `E1001`.
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    /// A short name in kebab case: `syntax-error`.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// How serious it is unless configured otherwise.
    pub fn default_severity(self) -> Severity {
        if self.code().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Whether the code is off unless asked for (in `erlkit.toml`'s
    /// `[lint.levels]`): checks that cost a view of the whole project and
    /// that many code bases would rather not have.
    pub fn is_opt_in(self) -> bool {
        self == DiagnosticCode::UnusedExport
    }

    /// The code written as `E1001` or named as `syntax-error`, in any case.
    pub fn from_code_or_name(text: &str) -> Option<DiagnosticCode> {
        DiagnosticCode::ALL.iter().copied().find(|code| {
            code.code().eq_ignore_ascii_case(text) || code.name().eq_ignore_ascii_case(text)
        })
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            DiagnosticCode::SyntaxError => ("E1001", "syntax-error"),
            DiagnosticCode::MissingInclude => ("E1002", "missing-include"),
            DiagnosticCode::UndefinedMacro => ("E1003", "undefined-macro"),
            DiagnosticCode::BadMacroCall => ("E1004", "bad-macro-call"),
            DiagnosticCode::BadDirective => ("E1005", "bad-directive"),
            DiagnosticCode::ErrorDirective => ("E1006", "error-directive"),
            DiagnosticCode::UnboundVariable => ("E1101", "unbound-variable"),
            DiagnosticCode::UnsafeVariable => ("E1102", "unsafe-variable"),
            DiagnosticCode::StacktraceMisuse => ("E1103", "stacktrace-misuse"),
            DiagnosticCode::UndefinedExport => ("E1201", "undefined-export"),
            DiagnosticCode::FunctionRedefined => ("E1202", "function-redefined"),
            DiagnosticCode::UndefinedFunction => ("E1203", "undefined-function"),
            DiagnosticCode::UndefinedRecord => ("E1204", "undefined-record"),
            DiagnosticCode::UndefinedField => ("E1205", "undefined-field"),
            DiagnosticCode::FieldRedefined => ("E1206", "field-redefined"),
            DiagnosticCode::RecordRedefined => ("E1207", "record-redefined"),
            DiagnosticCode::UndefinedType => ("E1208", "undefined-type"),
            DiagnosticCode::TypeRedefined => ("E1209", "type-redefined"),
            DiagnosticCode::SpecForUndefinedFunction => ("E1210", "spec-for-undefined-function"),
            DiagnosticCode::SpecRedefined => ("E1211", "spec-redefined"),
            DiagnosticCode::WarningDirective => ("W2001", "warning-directive"),
            DiagnosticCode::UnusedVariable => ("W2101", "unused-variable"),
            DiagnosticCode::ExportedVariable => ("W2102", "exported-variable"),
            DiagnosticCode::ShadowedVariable => ("W2103", "shadowed-variable"),
            DiagnosticCode::UnderscoreVariableMatched => ("W2104", "underscore-variable-matched"),
            DiagnosticCode::UnusedFunction => ("W2201", "unused-function"),
            DiagnosticCode::UnusedRecord => ("W2202", "unused-record"),
            DiagnosticCode::UnusedType => ("W2203", "unused-type"),
            DiagnosticCode::MissingCallback => ("W2204", "missing-callback"),
            DiagnosticCode::DeprecatedFunction => ("W2205", "deprecated-function"),
            DiagnosticCode::RemovedFunction => ("W2206", "removed-function"),
            DiagnosticCode::FormatArguments => ("W2207", "format-arguments"),
            DiagnosticCode::UndefinedModule => ("W2301", "undefined-module"),
            DiagnosticCode::UndefinedRemoteFunction => ("W2302", "undefined-remote-function"),
            DiagnosticCode::DeprecatedProjectFunction => ("W2303", "deprecated-project-function"),
            DiagnosticCode::MissingAppDependency => ("W2304", "missing-app-dependency"),
            DiagnosticCode::AppBoundary => ("W2305", "app-boundary"),
            DiagnosticCode::UnusedExport => ("W2306", "unused-export"),
            DiagnosticCode::BadSuppression => ("W2901", "bad-suppression"),
        }
    }
}

impl std::fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
