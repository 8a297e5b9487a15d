//! The analysis as the CLI and the language server see it: an [`AnalysisHost`]
//! takes changes (file contents, the applications), and hands out [`Analysis`]
//! snapshots whose answers are plain data. A snapshot never sees a change made
//! after it was taken; a change cancels the snapshots still computing, whose
//! methods then return `Err(Cancelled)` instead of blocking the writer.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;

use base_db::{RootDatabase, SourceFile};
use hir::preprocessor::PredefinedMacro;
use hir::{App, FilePaths, Workspace};
use salsa::{Durability, Setter};
use syntax::{FileKind, OtpRelease};
pub use vfs::FileId;

/// A query cancelled by a change made while it ran: ask again on a new snapshot.
pub type Cancellable<T> = Result<T, salsa::Cancelled>;

/// Changes to apply at once.
#[derive(Debug, Default, Clone)]
pub struct Change {
    /// New or changed files (`None`: the file is gone).
    pub files: Vec<FileChange>,
    /// The applications, when they change; `None` keeps them.
    pub apps: Option<Vec<AppData>>,
}

/// One file's new contents.
#[derive(Debug, Clone)]
pub struct FileChange {
    pub file_id: FileId,
    /// Where the file is: includes are resolved by path.
    pub path: PathBuf,
    pub contents: Option<Arc<str>>,
    pub kind: FileKind,
    /// OTP's and dependencies' files rarely change: salsa checks them less.
    pub library: bool,
}

/// An application, its files and how its modules are compiled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppData {
    pub name: String,
    /// Its directory (`-include_lib("NAME/...")` resolves through it).
    pub dir: Option<PathBuf>,
    pub files: Vec<FileId>,
    /// The include path after a module's own directory.
    pub include_dirs: Vec<PathBuf>,
    /// `{d, Name}` (`None`) and `{d, Name, Value}` macros, values as Erlang text.
    pub macros: Vec<(String, Option<String>)>,
    /// The `warn_*` and `nowarn_*` compiler options its modules are compiled
    /// with, in order (`erl_opts`); a module's `-compile` attributes come
    /// after them.
    pub warning_switches: Vec<String>,
    /// The applications its `.app.src` (or `.app`) says it needs
    /// (`applications` and `included_applications`); `None` without one.
    pub applications: Option<Vec<String>>,
    /// One of OTP's own applications.
    pub otp: bool,
    /// The only other applications (not OTP's) its modules may call.
    pub may_call: Option<Vec<String>>,
    /// The only modules of it that other applications may call.
    pub api: Option<Vec<String>>,
}

/// What a parse transform that erlkit does not model provides, as
/// `erlkit.toml` declares it (`[lint.parse_transforms.NAME]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeclaredTransform {
    pub name: String,
    /// Remote calls it rewrites: `"m:f/2"`, `"m:f"` (any arity), `"m:*"`.
    pub calls: Vec<String>,
    /// Local functions it adds: `"f/1"`.
    pub adds: Vec<String>,
}

/// What the linter reads of an application beside its files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AppLintSettings {
    pub(crate) warning_switches: Vec<String>,
    pub(crate) applications: Option<Vec<String>>,
    pub(crate) otp: bool,
    pub(crate) may_call: Option<Vec<String>>,
    pub(crate) api: Option<Vec<String>>,
}

/// Owns the database; the one place changes go in.
pub struct AnalysisHost {
    db: RootDatabase,
    release: OtpRelease,
    files: Arc<HashMap<FileId, SourceFile>>,
    /// Files of dependencies and OTP (set at high durability).
    library_files: std::collections::HashSet<FileId>,
    /// Applications all of whose files are library files.
    library_apps: Arc<std::collections::HashSet<String>>,
    /// Each application's `warn_*`/`nowarn_*` compiler options.
    app_settings: Arc<HashMap<String, AppLintSettings>>,
    /// Lint codes that are off unless asked for, and asked for.
    opted_in: Arc<Vec<DiagnosticCode>>,
    transforms: Arc<Vec<DeclaredTransform>>,
    paths: FilePaths,
    workspace: Workspace,
}

impl AnalysisHost {
    /// An empty host that reads files with the syntax of `release`.
    pub fn new(release: OtpRelease) -> AnalysisHost {
        let db = RootDatabase::default();
        let workspace = Workspace::new(&db, Vec::new(), Arc::default());
        AnalysisHost {
            db,
            release,
            files: Arc::default(),
            library_files: Default::default(),
            library_apps: Arc::default(),
            app_settings: Arc::default(),
            opted_in: Arc::default(),
            transforms: Arc::default(),
            paths: FilePaths::default(),
            workspace,
        }
    }

    /// Applies `change`, cancelling the snapshots still computing.
    pub fn apply_change(&mut self, change: Change) {
        let mut paths_changed = false;
        for file in change.files {
            if file.library {
                self.library_files.insert(file.file_id);
            } else {
                self.library_files.remove(&file.file_id);
            }
            let text = file.contents.unwrap_or_else(|| Arc::from(""));
            let durability = if file.library {
                Durability::HIGH
            } else {
                Durability::LOW
            };
            match self.files.get(&file.file_id) {
                Some(&source) => {
                    if **source.text(&self.db) != *text {
                        source
                            .set_text(&mut self.db)
                            .with_durability(durability)
                            .to(text);
                    }
                    if *source.kind(&self.db) != file.kind {
                        source.set_kind(&mut self.db).to(file.kind);
                    }
                }
                None => {
                    let source = SourceFile::builder(file.file_id, text, file.kind, self.release)
                        .durability(durability)
                        .new(&self.db);
                    Arc::make_mut(&mut self.files).insert(file.file_id, source);
                    self.paths.insert(file.path, source);
                    paths_changed = true;
                }
            }
        }
        if let Some(apps) = change.apps {
            self.library_apps = Arc::new(
                apps.iter()
                    .filter(|app| {
                        !app.files.is_empty()
                            && app.files.iter().all(|id| self.library_files.contains(id))
                    })
                    .map(|app| app.name.clone())
                    .collect(),
            );
            self.app_settings = Arc::new(
                apps.iter()
                    .map(|app| {
                        let settings = AppLintSettings {
                            warning_switches: app.warning_switches.clone(),
                            applications: app.applications.clone(),
                            otp: app.otp,
                            may_call: app.may_call.clone(),
                            api: app.api.clone(),
                        };
                        (app.name.clone(), settings)
                    })
                    .collect(),
            );
            let apps: Vec<App> = apps
                .into_iter()
                .map(|app| {
                    let files = app
                        .files
                        .iter()
                        .filter_map(|id| self.files.get(id).copied())
                        .collect();
                    let macros = app
                        .macros
                        .into_iter()
                        .map(|(name, value)| PredefinedMacro { name, value })
                        .collect();
                    App::new(&self.db, app.name, app.dir, files, app.include_dirs, macros)
                })
                .collect();
            self.workspace.set_apps(&mut self.db).to(apps);
        }
        if paths_changed {
            let paths = Arc::new(self.paths.clone());
            self.workspace.set_paths(&mut self.db).to(paths);
        }
    }

    /// Drops the memoized results beyond the queries' LRU limits (syntax trees,
    /// preprocessed and expanded modules), as the start of a new revision
    /// would. Between batches of a long run this bounds its memory. Waits for
    /// snapshots to be dropped: never call it while holding one.
    pub fn collect_garbage(&mut self) {
        use salsa::Database as _;
        self.db.trigger_lru_eviction();
    }

    /// An immutable view of the analysis as it is now.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            db: self.db.clone(),
            workspace: self.workspace,
            files: Arc::clone(&self.files),
            library_apps: Arc::clone(&self.library_apps),
            app_settings: Arc::clone(&self.app_settings),
            opted_in: Arc::clone(&self.opted_in),
            transforms: Arc::clone(&self.transforms),
            used_from_outside: Arc::default(),
        }
    }

    /// Turns on the lint codes that are off unless asked for
    /// ([`DiagnosticCode::is_opt_in`]), such as unused exports.
    pub fn set_opted_in_lints(&mut self, codes: Vec<DiagnosticCode>) {
        self.opted_in = Arc::new(codes);
    }

    /// Declares what parse transforms erlkit does not model provide.
    pub fn set_declared_transforms(&mut self, transforms: Vec<DeclaredTransform>) {
        self.transforms = Arc::new(transforms);
    }
}

/// A snapshot of the analysis; cheap to take, safe to send to another thread.
#[derive(Clone)]
pub struct Analysis {
    db: RootDatabase,
    workspace: Workspace,
    files: Arc<HashMap<FileId, SourceFile>>,
    library_apps: Arc<std::collections::HashSet<String>>,
    app_settings: Arc<HashMap<String, AppLintSettings>>,
    opted_in: Arc<Vec<DiagnosticCode>>,
    transforms: Arc<Vec<DeclaredTransform>>,
    /// What the project's modules call or name in other modules, computed
    /// once per snapshot when unused exports are asked for.
    used_from_outside: Arc<std::sync::OnceLock<lint::UsedFromOutside>>,
}

/// A module and where it is defined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    pub name: String,
    pub app: String,
    pub file_id: FileId,
}

impl Analysis {
    /// Every module of the workspace, sorted by name (a duplicate name once per
    /// definition, in application order).
    pub fn modules(&self) -> Cancellable<Vec<ModuleInfo>> {
        self.with_db(|db, workspace| {
            hir::module_index(db, workspace)
                .iter()
                .flat_map(|(name, locations)| module_infos(db, name, locations))
                .collect()
        })
    }

    /// The module names defined in more than one place, each with every place.
    pub fn duplicate_modules(&self) -> Cancellable<Vec<Vec<ModuleInfo>>> {
        self.with_db(|db, workspace| {
            hir::module_index(db, workspace)
                .duplicates()
                .map(|(name, locations)| module_infos(db, name, locations).collect())
                .collect()
        })
    }

    /// The database's file for `file_id`.
    fn source_file(&self, file_id: FileId) -> Option<SourceFile> {
        self.files.get(&file_id).copied()
    }

    /// Runs `query`, turning salsa's cancellation (an unwind) into an error.
    fn with_db<T>(&self, query: impl FnOnce(&RootDatabase, Workspace) -> T) -> Cancellable<T> {
        salsa::Cancelled::catch(AssertUnwindSafe(|| query(&self.db, self.workspace)))
    }
}

/// The definitions of module `name` at `locations`, as plain data.
fn module_infos<'a>(
    db: &'a RootDatabase,
    name: &'a str,
    locations: &'a [hir::ModuleLocation],
) -> impl Iterator<Item = ModuleInfo> + 'a {
    locations.iter().map(move |location| ModuleInfo {
        name: name.to_owned(),
        app: location.app.name(db).clone(),
        file_id: *location.file.file_id(db),
    })
}

mod diagnostics;
mod expand_macro;
mod lint;
mod module_shape;
mod navigation;
mod references;
mod summary;

pub use diagnostics::{Diagnostic, DiagnosticSource, FileRange, Severity};
pub use expand_macro::MacroExpansion;
pub use hir::symbols::SymbolKind;
pub use lint::{DiagnosticCode, FixEdit, LintDiagnostic, LintFix, OwnLint, RelatedInfo, lint_file};
pub use module_shape::{ModuleShape, RecordShape};
pub use navigation::{NavigationTarget, Query};
pub use references::ReferenceSite;
pub use summary::ModuleSummary;

#[cfg(test)]
mod tests;
