//! Erlang's variable scoping, as `erl_lint` defines it, per function.
//!
//! The analysis (`lint`) is `erl_lint`'s variable table ported function by
//! function (`vtupdate`, `vtmerge`, `icrt_export`, `handle_comprehension`,
//! `fun_clause`, ...) so that it agrees with the compiler on which
//! variable is bound where, which uses are unbound or unsafe, and which
//! warnings it gives (`unused_var`, `shadowed_var`, `exported_var`,
//! `match_underscore_var`). OTP 25's rules (the installed `erl_lint`), with
//! map and zip generators as OTP 28 checks them. Beside `erl_lint`'s
//! answers it records, for every variable occurrence, what it resolves to.
//!
//! In short: patterns bind, a variable already bound is matched; a variable
//! bound in every clause of `case`/`if`/`receive` is bound after it
//! ("exported", which only `warn_export_vars` reports when it is used), one
//! bound in only some is unsafe after it; everything bound inside `try`,
//! `catch Expr`, `maybe` or the right side of `andalso`/`orelse` is unsafe
//! after it; `fun` heads and generator patterns shadow outer variables, and
//! their new variables do not leak; `begin` is not a scope.

mod lint;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use base_db::{SourceDatabase, SourceFile};
use smol_str::SmolStr;
use syntax::TextSize;

use crate::Workspace;
use crate::body::{Body, ExprId, FunctionId, Name, PatId, function_body};

/// A variable occurrence: in a pattern, or in an expression (a use, in a
/// guard, a map key or a binary size too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VarRef {
    Pat(PatId),
    Expr(ExprId),
}

/// The construct a variable was exported from or made unsafe by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstructKind {
    Case,
    If,
    Receive,
    Try,
    Catch,
    Maybe,
    Else,
    AndAlso,
    OrElse,
}

impl ConstructKind {
    /// The name `erl_lint` gives it (`'case'`, `andalso`).
    pub fn name(self) -> &'static str {
        match self {
            ConstructKind::Case => "'case'",
            ConstructKind::If => "'if'",
            ConstructKind::Receive => "'receive'",
            ConstructKind::Try => "'try'",
            ConstructKind::Catch => "'catch'",
            ConstructKind::Maybe => "'maybe'",
            ConstructKind::Else => "'else'",
            ConstructKind::AndAlso => "'andalso'",
            ConstructKind::OrElse => "'orelse'",
        }
    }
}

/// A `case` (or other construct) and the expression that is it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Construct {
    pub kind: ConstructKind,
    pub expr: ExprId,
}

/// What a variable occurrence is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// A pattern variable that binds a new variable.
    Binding,
    /// A use in an expression, or in a pattern a match against a variable
    /// bound before, of the variable these patterns bind (more than one
    /// when clauses bind it each).
    Use(Vec<PatId>),
    /// A use of a variable bound nowhere before it.
    Unbound,
    /// A use of a variable bound in only some clauses of `construct`, or
    /// inside a `try`, `catch`, `maybe` or the right side of
    /// `andalso`/`orelse`.
    Unsafe {
        bindings: Vec<PatId>,
        construct: Construct,
    },
}

/// Where a variable shadows one bound outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShadowedIn {
    Fun,
    NamedFun,
    Generate,
}

/// One of `erl_lint`'s errors and warnings about variables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VarDiagnosticKind {
    /// Error `unbound_var`.
    Unbound,
    /// Error `unsafe_var`.
    Unsafe(Construct),
    /// Error `stacktrace_guard`: the stacktrace variable used in the guard.
    StacktraceInGuard,
    /// Error `stacktrace_bound`: the stacktrace variable bound before.
    StacktraceBound,
    /// Warning `unused_var` (not for names starting with `_`).
    Unused,
    /// Warning `shadowed_var`.
    Shadowed(ShadowedIn),
    /// Warning `exported_var`: a variable bound in every clause of `from`
    /// used after it. Matched in a pattern (`in_pattern`) it is always
    /// reported; used in an expression only with `warn_export_vars`.
    Exported { from: Construct, in_pattern: bool },
    /// Warning `match_underscore_var`: a bound `_X` matched again.
    UnderscoreMatch,
    /// Warning `match_underscore_var_pat`: `_X` bound twice in one pattern.
    UnderscoreMatchInPattern,
}

/// An error or warning about the variable `name` at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VarDiagnostic {
    pub kind: VarDiagnosticKind,
    pub at: VarRef,
    pub name: Name,
}

impl VarDiagnostic {
    /// Whether `erl_lint` reports it as an error.
    pub fn is_error(&self) -> bool {
        matches!(
            self.kind,
            VarDiagnosticKind::Unbound
                | VarDiagnosticKind::Unsafe(_)
                | VarDiagnosticKind::StacktraceInGuard
                | VarDiagnosticKind::StacktraceBound
        )
    }

    /// `erl_lint`'s message, without the location of the construct that
    /// `unsafe_var` and `exported_var` add (`(line 3, column 5)`).
    pub fn message(&self) -> String {
        let name = quoted(&self.name);
        match &self.kind {
            VarDiagnosticKind::Unbound => format!("variable {name} is unbound"),
            VarDiagnosticKind::Unsafe(construct) => {
                format!("variable {name} unsafe in {}", construct.kind.name())
            }
            VarDiagnosticKind::StacktraceInGuard => {
                format!("stacktrace variable {name} must not be used in a guard")
            }
            VarDiagnosticKind::StacktraceBound => {
                format!("stacktrace variable {name} must not be previously bound")
            }
            VarDiagnosticKind::Unused => format!("variable {name} is unused"),
            VarDiagnosticKind::Shadowed(ShadowedIn::Fun) => {
                format!("variable {name} shadowed in 'fun'")
            }
            VarDiagnosticKind::Shadowed(ShadowedIn::NamedFun) => {
                format!("variable {name} shadowed in 'named fun'")
            }
            VarDiagnosticKind::Shadowed(ShadowedIn::Generate) => {
                format!("variable {name} shadowed in generate")
            }
            VarDiagnosticKind::Exported { from, .. } => {
                format!("variable {name} exported from {}", from.kind.name())
            }
            VarDiagnosticKind::UnderscoreMatch => format!(
                "variable {name} is already bound. If you mean to ignore this value, \
                 use '_' or a different underscore-prefixed name"
            ),
            VarDiagnosticKind::UnderscoreMatchInPattern => format!(
                "variable {name} is bound multiple times in this pattern. If you mean to \
                 ignore this value, use '_' or a different underscore-prefixed name"
            ),
        }
    }

    /// The construct the message refers to (`unsafe in 'case' (line 3)`).
    pub fn construct(&self) -> Option<Construct> {
        match self.kind {
            VarDiagnosticKind::Unsafe(construct)
            | VarDiagnosticKind::Exported {
                from: construct, ..
            } => Some(construct),
            _ => None,
        }
    }
}

/// A variable name as `~w` prints an atom: quoted unless it is a plain
/// lower-case atom (variable names never are).
fn quoted(name: &str) -> String {
    format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The scoping of one function: what every variable occurrence is, and
/// `erl_lint`'s errors and warnings about variables, in the order it finds
/// them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionScopes {
    pats: Vec<Option<Resolution>>,
    exprs: Vec<Option<Resolution>>,
    diagnostics: Vec<VarDiagnostic>,
    underscore_uses: Vec<(VarRef, Name)>,
}

impl FunctionScopes {
    /// What the variable occurrence `at` is; `None` when `at` is no
    /// variable, or one `erl_lint` does not look at (inside what is not a
    /// valid pattern or guard).
    pub fn resolution(&self, at: VarRef) -> Option<&Resolution> {
        match at {
            VarRef::Pat(pat) => self.pats.get(pat.index())?.as_ref(),
            VarRef::Expr(expr) => self.exprs.get(expr.index())?.as_ref(),
        }
    }

    /// Every resolved occurrence: patterns first, then expressions, each in
    /// id order.
    pub fn resolutions(&self) -> impl Iterator<Item = (VarRef, &Resolution)> {
        let pats = self
            .pats
            .iter()
            .enumerate()
            .filter_map(|(index, r)| Some((VarRef::Pat(PatId(index as u32)), r.as_ref()?)));
        let exprs = self
            .exprs
            .iter()
            .enumerate()
            .filter_map(|(index, r)| Some((VarRef::Expr(ExprId(index as u32)), r.as_ref()?)));
        pats.chain(exprs)
    }

    /// All of `erl_lint`'s errors and warnings about variables, as it finds
    /// them (with `warn_export_vars` on).
    pub fn diagnostics(&self) -> &[VarDiagnostic] {
        &self.diagnostics
    }

    fn of_kind(
        &self,
        pick: impl Fn(&VarDiagnosticKind) -> bool,
    ) -> impl Iterator<Item = &VarDiagnostic> {
        self.diagnostics.iter().filter(move |d| pick(&d.kind))
    }

    /// Uses of unbound variables (errors).
    pub fn unbound(&self) -> impl Iterator<Item = &VarDiagnostic> {
        self.of_kind(|kind| matches!(kind, VarDiagnosticKind::Unbound))
    }

    /// Uses of unsafe variables (errors).
    pub fn unsafe_uses(&self) -> impl Iterator<Item = &VarDiagnostic> {
        self.of_kind(|kind| matches!(kind, VarDiagnosticKind::Unsafe(_)))
    }

    /// Bound, never used, and not named `_...`: one per binding occurrence.
    pub fn unused(&self) -> impl Iterator<Item = &VarDiagnostic> {
        self.of_kind(|kind| matches!(kind, VarDiagnosticKind::Unused))
    }

    /// Variables exported from `case`/`if`/`receive` and used after it.
    pub fn exported(&self) -> impl Iterator<Item = &VarDiagnostic> {
        self.of_kind(|kind| matches!(kind, VarDiagnosticKind::Exported { .. }))
    }

    /// Variables of `fun` heads and generator patterns that shadow outer ones.
    pub fn shadowed(&self) -> impl Iterator<Item = &VarDiagnostic> {
        self.of_kind(|kind| matches!(kind, VarDiagnosticKind::Shadowed(_)))
    }

    /// Uses of variables whose name starts with `_` (no warning: recorded).
    pub fn underscore_uses(&self) -> &[(VarRef, Name)] {
        &self.underscore_uses
    }
}

/// The records a function sees: those declared before it (the first
/// declaration of each name), with their fields.
pub type RecordTable = rustc_hash::FxHashMap<SmolStr, Vec<SmolStr>>;

/// The record tables of a module's functions: for each number of record
/// declarations that come before some function, the table of those.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ModuleRecordTables {
    /// Where each record declaration starts in the expanded text, in order.
    starts: Vec<TextSize>,
    /// By the number of declarations seen, increasing.
    tables: Vec<(usize, Arc<RecordTable>)>,
}

/// The record tables the functions of `file` see, built once for the
/// module: functions that see the same records share one table.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn module_record_tables(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<ModuleRecordTables> {
    let (items, map) = &**crate::item_tree_with_source_map(db, workspace, file);
    let mut records: Vec<(TextSize, usize)> = map
        .records
        .iter()
        .enumerate()
        .map(|(index, ranges)| (ranges.form.start(), index))
        .collect();
    records.sort();
    let starts: Vec<TextSize> = records.iter().map(|&(start, _)| start).collect();
    let mut seen: Vec<usize> = map
        .functions
        .iter()
        .map(|ranges| starts.partition_point(|&start| start < ranges.form.start()))
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let mut tables = Vec::with_capacity(seen.len());
    let mut table = RecordTable::default();
    let mut added = 0;
    for count in seen {
        for &(_, index) in &records[added..count] {
            let record = &items.records[index];
            table.entry(record.name.clone()).or_insert_with(|| {
                record
                    .fields
                    .iter()
                    .map(|field| field.name.clone())
                    .collect()
            });
        }
        added = count;
        tables.push((count, Arc::new(table.clone())));
    }
    Arc::new(ModuleRecordTables { starts, tables })
}

/// The records declared before `function`'s form. Runs again after every
/// edit of the file (forms move), and is backdated when the records it sees
/// are the same.
#[salsa::tracked(returns(ref))]
pub fn visible_records<'db>(
    db: &'db dyn SourceDatabase,
    function: FunctionId<'db>,
) -> Arc<RecordTable> {
    let (workspace, file) = (function.workspace(db), function.file(db));
    let Some(form) =
        crate::body::function_forms(db, workspace, file).get(function.name(db), function.arity(db))
    else {
        return Arc::default();
    };
    let module = module_record_tables(db, workspace, file);
    let count = module
        .starts
        .partition_point(|&start| start < form.range.start());
    module
        .tables
        .binary_search_by_key(&count, |&(seen, _)| seen)
        .map_or_else(|_| Arc::default(), |at| Arc::clone(&module.tables[at].1))
}

/// `function`'s body, its source map and its scoping worked out now, not
/// memoized (see [`crate::body::function_body_once`]): the same as
/// [`function_scopes`] gives.
pub fn function_scopes_once(
    db: &dyn SourceDatabase,
    function: FunctionId<'_>,
) -> (Body, crate::body::BodySourceMap, FunctionScopes) {
    let (body, map) = crate::body::function_body_once(db, function);
    let records = visible_records(db, function);
    let scopes = lint::analyse(&body, Some(records));
    (body, map, scopes)
}

/// The scoping of `function`'s body. Runs again only when the body or the
/// records it sees changed.
#[salsa::tracked(returns(ref), lru = 4096)]
pub fn function_scopes<'db>(
    db: &'db dyn SourceDatabase,
    function: FunctionId<'db>,
) -> Arc<FunctionScopes> {
    let records = visible_records(db, function);
    Arc::new(lint::analyse(function_body(db, function), Some(records)))
}
