//! The analysis engine's inputs, in salsa: the text of each file with how it is
//! read, and the first query on them, its parse. Everything else (the
//! preprocessor, item trees, name resolution) is derived from these.
//!
//! Inputs are set only when their value changes; files of OTP and of
//! dependencies are set with `Durability::HIGH`, so that an edit to the
//! project's own files does not make salsa re-check what was derived from them.

use std::sync::{Arc, Mutex};

use syntax::{FileKind, OtpRelease, Parse, ParseOptions};
pub use vfs::FileId;

mod recent_parses;
mod side_caches;

pub use recent_parses::{ParsedText, RecentParses};
pub use side_caches::{Recent, SideCaches};

/// One file as the analysis sees it.
#[salsa::input(debug)]
pub struct SourceFile {
    pub file_id: FileId,
    #[returns(ref)]
    pub text: Arc<str>,
    pub kind: FileKind,
    pub release: OtpRelease,
}

/// The database the analysis queries run on.
#[salsa::db]
pub trait SourceDatabase: salsa::Database {
    /// The caches beside salsa's, from which a query may start again.
    fn side_caches(&self) -> &SideCaches;
}

/// The syntax tree of `file`. Kept for the most recently used files only: a
/// tree is about ten times the size of its text, and the derived data that
/// depends on it stays valid when it is evicted.
///
/// After an edit, only what the edit touched is parsed again (see
/// [`RecentParses`]). Never equal to the tree before the edit, so it is not
/// compared with it (`no_eq`).
#[salsa::tracked(returns(ref), lru = 128, no_eq)]
pub fn parse(db: &dyn SourceDatabase, file: SourceFile) -> Parse {
    let options = ParseOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    db.side_caches().get::<RecentParses>().parse(
        ParsedText::File(*file.file_id(db)),
        file.text(db),
        &options,
    )
}

/// The syntax errors of `file`, without keeping a tree: for a linter going
/// over every file once, which needs the errors and not the tree. The file
/// is parsed into a flat tree, which is quicker to make and to free than
/// [`parse`]'s (and gives the same errors).
#[salsa::tracked(returns(ref))]
pub fn syntax_errors(db: &dyn SourceDatabase, file: SourceFile) -> Arc<[syntax::SyntaxError]> {
    let options = ParseOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    Arc::from(syntax::parse_flat(file.text(db), &options).errors)
}

/// The database of the analysis host.
#[salsa::db]
#[derive(Clone, Default)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
    side_caches: Arc<SideCaches>,
}

impl RootDatabase {
    /// A database that reports salsa's events (which queries run, which are
    /// reused) to `on_event`: for tests and `--verbose` timings.
    pub fn with_events(on_event: impl Fn(salsa::Event) + Send + Sync + 'static) -> RootDatabase {
        RootDatabase {
            storage: salsa::Storage::new(Some(Box::new(on_event))),
            side_caches: Arc::default(),
        }
    }
}

/// The queries a database executed, by name, oldest first: what tests of
/// incrementality look at.
#[derive(Debug, Clone, Default)]
pub struct ExecutionLog(Arc<Mutex<Vec<String>>>);

impl ExecutionLog {
    /// The names of the queries executed since the last call (`parse`,
    /// `module_name`, ...).
    pub fn take(&self) -> Vec<String> {
        let mut executed = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        std::mem::take(&mut *executed)
    }
}

impl RootDatabase {
    /// A database that logs the queries it executes.
    pub fn with_execution_log() -> (RootDatabase, ExecutionLog) {
        let log = ExecutionLog::default();
        let db = RootDatabase::with_events({
            let log = log.clone();
            move |event| {
                if let salsa::EventKind::WillExecute { database_key } = event.kind {
                    let key = format!("{database_key:?}");
                    let name = key.split('(').next().unwrap_or_default().to_owned();
                    log.0
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(name);
                }
            }
        });
        (db, log)
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl SourceDatabase for RootDatabase {
    fn side_caches(&self) -> &SideCaches {
        &self.side_caches
    }
}

#[cfg(test)]
mod tests;
