//! The analysis engine's inputs, in salsa: the text of each file with how it is
//! read, and the first query on them, its parse. Everything else (the
//! preprocessor, item trees, name resolution) is derived from these.
//!
//! Inputs are set only when their value changes; files of OTP and of
//! dependencies are set with `Durability::HIGH`, so that an edit to the
//! project's own files does not make salsa re-check what was derived from them.

use std::sync::Arc;

use syntax::{FileKind, OtpRelease, Parse, ParseOptions};
pub use vfs::FileId;

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
pub trait SourceDatabase: salsa::Database {}

/// The syntax tree of `file`. Kept for the most recently used files only: a
/// tree is about ten times the size of its text, and the derived data that
/// depends on it stays valid when it is evicted.
#[salsa::tracked(returns(ref), lru = 256)]
pub fn parse(db: &dyn SourceDatabase, file: SourceFile) -> Parse {
    let options = ParseOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    syntax::parse(file.text(db), &options)
}

/// The database of the analysis host.
#[salsa::db]
#[derive(Clone, Default)]
pub struct RootDatabase {
    storage: salsa::Storage<Self>,
}

impl RootDatabase {
    /// A database that reports salsa's events (which queries run, which are
    /// reused) to `on_event`: for tests and `--verbose` timings.
    pub fn with_events(on_event: impl Fn(salsa::Event) + Send + Sync + 'static) -> RootDatabase {
        RootDatabase {
            storage: salsa::Storage::new(Some(Box::new(on_event))),
        }
    }
}

#[salsa::db]
impl salsa::Database for RootDatabase {}

#[salsa::db]
impl SourceDatabase for RootDatabase {}

#[cfg(test)]
mod tests;
