//! The `expanded_module` query: a module preprocessed through the database,
//! and after an edit to its own file, only the forms the edit touched read
//! again when that gives the same result (see
//! [`crate::preprocessor::repreprocess`]).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base_db::{FileId, ParsedText, Recent, RecentParses, SourceDatabase, SourceFile};
use syntax::{FileKind, Parse, ParseOptions, Token};

use crate::expanded::ExpandedModule;
use crate::preprocessor::{
    self, FileForms, FileLoader, LoadedFile, PreprocessOptions, Preprocessed, repreprocess,
};
use crate::{Workspace, file_apps, file_tokens};

/// A question the preprocessor asked of the database, and its answer.
#[derive(Debug, Clone)]
enum LoaderCall {
    Load(PathBuf, Option<(FileId, Arc<str>)>),
    LibDir(String, Option<PathBuf>),
}

impl LoaderCall {
    /// Whether `loader` answers this question as it was answered.
    fn answered_alike(&self, loader: &DatabaseLoader<'_>) -> bool {
        match self {
            LoaderCall::Load(path, answer) => {
                let now = loader.load(path);
                match (answer, now) {
                    (None, None) => true,
                    (Some((id, text)), Some(now)) => {
                        *id == now.file_id && (Arc::ptr_eq(text, &now.text) || *text == now.text)
                    }
                    _ => false,
                }
            }
            LoaderCall::LibDir(app, answer) => loader.lib_dir(app) == *answer,
        }
    }
}

/// Reads included files from the database, noting what it was asked.
struct DatabaseLoader<'db> {
    db: &'db dyn SourceDatabase,
    workspace: Workspace,
    calls: RefCell<Vec<LoaderCall>>,
}

impl DatabaseLoader<'_> {
    fn loaded(&self, file: SourceFile, path: PathBuf) -> LoadedFile {
        let file_id = *file.file_id(self.db);
        let text = file.text(self.db).clone();
        let tokens = file_tokens(self.db, file).clone();
        // The forms of a header are cut out once for all the modules that
        // include it, while its tokens are the same.
        let recent = &self.db.side_caches().get::<RecentForms>().0;
        let forms = match recent.take(&file_id) {
            Some((of, forms)) if Arc::ptr_eq(&of, &tokens) => forms,
            _ => FileForms::default(),
        };
        recent.put(file_id, (Arc::clone(&tokens), forms.clone()));
        LoadedFile {
            file_id,
            path,
            text,
            tokens,
            forms,
        }
    }
}

impl FileLoader for DatabaseLoader<'_> {
    fn load(&self, path: &Path) -> Option<LoadedFile> {
        let loaded = self
            .workspace
            .paths(self.db)
            .file(path)
            .map(|file| self.loaded(file, path.to_path_buf()));
        let answer = loaded
            .as_ref()
            .map(|file| (file.file_id, Arc::clone(&file.text)));
        self.calls
            .borrow_mut()
            .push(LoaderCall::Load(path.to_path_buf(), answer));
        loaded
    }

    fn lib_dir(&self, app: &str) -> Option<PathBuf> {
        let dir = self
            .workspace
            .apps(self.db)
            .iter()
            .find(|candidate| candidate.name(self.db) == app)
            .and_then(|app| app.dir(self.db).clone());
        self.calls
            .borrow_mut()
            .push(LoaderCall::LibDir(app.to_owned(), dir.clone()));
        dir
    }
}

/// A module's expansion, kept for its next edit.
#[derive(Debug)]
struct KeptExpansion {
    path: PathBuf,
    options: PreprocessOptions,
    text: Arc<str>,
    tokens: Arc<[Token]>,
    calls: Vec<LoaderCall>,
    expanded: Arc<ExpandedModule>,
}

/// The forms of the files read last (a side cache: see
/// [`base_db::SideCaches`]), with the tokens they were cut from.
#[derive(Debug, Default)]
struct RecentForms(Recent<FileId, (Arc<[Token]>, FileForms)>);

/// The latest expansions of a few modules (a side cache: see
/// [`base_db::SideCaches`]), and how many expansions took which way.
#[derive(Debug, Default)]
struct RecentExpansions {
    kept: Recent<FileId, KeptExpansion>,
    patched: AtomicUsize,
    from_scratch: AtomicUsize,
}

/// How many times [`expanded_module`] ran, by the way it went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpansionCounts {
    /// Only the forms an edit touched were read again.
    pub patched: usize,
    /// The whole module was preprocessed.
    pub from_scratch: usize,
}

/// How many times [`expanded_module`] ran on `db` (and its snapshots), by the
/// way it went: for tests and benchmarks.
pub fn expansion_counts(db: &dyn SourceDatabase) -> ExpansionCounts {
    let recent = db.side_caches().get::<RecentExpansions>();
    ExpansionCounts {
        patched: recent.patched.load(Ordering::Relaxed),
        from_scratch: recent.from_scratch.load(Ordering::Relaxed),
    }
}

/// What preprocessing `file` starts from: a loader, its path, the options of
/// its application, and the file as the preprocessor reads it.
fn preprocessor_inputs<'db>(
    db: &'db dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> (DatabaseLoader<'db>, PathBuf, PreprocessOptions, LoadedFile) {
    let loader = DatabaseLoader {
        db,
        workspace,
        calls: RefCell::default(),
    };
    let path = workspace.paths(db).path(file).map_or_else(
        || PathBuf::from(format!("{:?}.erl", file.file_id(db))),
        Path::to_path_buf,
    );
    let app = file_apps(db, workspace).get(&file).copied();
    let options = PreprocessOptions {
        include_dirs: app
            .map(|app| app.include_dirs(db).clone())
            .unwrap_or_default(),
        macros: app.map(|app| app.macros(db).clone()).unwrap_or_default(),
        release: *file.release(db),
    };
    let main = loader.loaded(file, path.clone());
    (loader, path, options, main)
}

/// What [`expanded_module`] gives, computed from scratch every time, and
/// parsed in full: what tests compare the query's incremental ways with.
pub fn expanded_module_from_scratch(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> ExpandedModule {
    let (loader, _, options, main) = preprocessor_inputs(db, workspace, file);
    let mut preprocessed = preprocessor::preprocess(&main, &options, &loader);
    let forms = std::mem::take(&mut preprocessed.forms);
    ExpandedModule::new(&forms, options.release, preprocessed)
}

/// `file` preprocessed (with the options of its application), its expanded
/// text and the parse of that. The preprocessor's tokens are not kept: the
/// text and its origins say the same in less memory.
///
/// After an edit to the file that leaves the preprocessor's state alone, only
/// the forms it touched are read again, and the text is reparsed from its last
/// parse (see [`base_db::RecentParses`]). It is not compared with the one
/// before an edit (`no_eq`): the origins of what follows an edit move with it,
/// so it is hardly ever equal.
#[salsa::tracked(returns(ref), lru = 128, no_eq)]
pub fn expanded_module(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<ExpandedModule> {
    let (loader, path, options, main) = preprocessor_inputs(db, workspace, file);
    let parse = |text: &Arc<str>| -> Parse {
        let options = ParseOptions {
            release: options.release,
            file_kind: FileKind::Module,
        };
        db.side_caches().get::<RecentParses>().parse(
            ParsedText::Expanded(main.file_id),
            text,
            &options,
        )
    };

    let recent = db.side_caches().get::<RecentExpansions>();
    let kept = recent.kept.take(&main.file_id).filter(|kept| {
        kept.path == path
            && kept.options == options
            && kept.calls.iter().all(|call| call.answered_alike(&loader))
    });
    let (expanded, calls) = match kept.and_then(|kept| {
        let patch = repreprocess(
            &kept.text,
            &kept.tokens,
            &kept.expanded.preprocessed().main_forms,
            &main,
            &options,
            &loader,
        )?;
        let expanded = kept.expanded.patched(main.file_id, patch, parse);
        Some((expanded, kept.calls))
    }) {
        Some(patched) => {
            recent.patched.fetch_add(1, Ordering::Relaxed);
            patched
        }
        None => {
            recent.from_scratch.fetch_add(1, Ordering::Relaxed);
            loader.calls.borrow_mut().clear();
            let mut preprocessed: Preprocessed = preprocessor::preprocess(&main, &options, &loader);
            let forms = std::mem::take(&mut preprocessed.forms);
            let expanded = ExpandedModule::with_parser(&forms, preprocessed, parse);
            (expanded, loader.calls.take())
        }
    };
    let expanded = Arc::new(expanded);
    recent.kept.put(
        main.file_id,
        KeptExpansion {
            path,
            options,
            text: main.text,
            tokens: main.tokens,
            calls,
            expanded: Arc::clone(&expanded),
        },
    );
    expanded
}

/// What the preprocessor found in `file`: its diagnostics, includes, macro
/// definitions and calls (the forms are in [`expanded_module`]).
pub fn preprocess(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> &Preprocessed {
    expanded_module(db, workspace, file).preprocessed()
}

#[cfg(test)]
mod tests;
