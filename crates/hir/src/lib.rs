//! What Erlang code means, derived from `base_db`'s inputs by salsa queries:
//! each module preprocessed as `epp` would (`preprocessor`), its expanded text
//! parsed (`expanded`), its item tree (`item_tree`), and the module index, whose
//! namespaces are the applications.

pub mod body;
pub mod expanded;
pub mod items;
pub mod preprocessor;
pub mod resolve;
pub mod scope;
pub mod symbols;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base_db::{SourceDatabase, SourceFile};
use rustc_hash::FxHashMap;
use syntax::{FileKind, LexOptions, SyntaxKind, Token, ast};

use crate::expanded::ExpandedModule;
use crate::items::{ItemSourceMap, ItemTree};
use crate::preprocessor::{
    FileLoader, LoadedFile, PredefinedMacro, PreprocessOptions, Preprocessed,
};

/// An application: a namespace of modules.
#[salsa::input(debug)]
pub struct App {
    #[returns(ref)]
    pub name: String,
    /// Its directory, which `-include_lib("NAME/...")` resolves through.
    #[returns(ref)]
    pub dir: Option<PathBuf>,
    /// Its source files (modules and headers).
    #[returns(ref)]
    pub files: Vec<SourceFile>,
    /// The include path of its modules after their own directory (`{i, Dir}`,
    /// and the `include/` and `src/` that rebar3 adds).
    #[returns(ref)]
    pub include_dirs: Vec<PathBuf>,
    /// `{d, ...}` macros its modules are compiled with.
    #[returns(ref)]
    pub macros: Vec<PredefinedMacro>,
}

/// The paths of the files the analysis knows, both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilePaths {
    by_path: FxHashMap<PathBuf, SourceFile>,
    of_file: FxHashMap<SourceFile, PathBuf>,
}

impl FilePaths {
    pub fn insert(&mut self, path: PathBuf, file: SourceFile) {
        self.by_path.insert(path.clone(), file);
        self.of_file.insert(file, path);
    }

    pub fn file(&self, path: &Path) -> Option<SourceFile> {
        self.by_path.get(path).copied()
    }

    pub fn path(&self, file: SourceFile) -> Option<&Path> {
        self.of_file.get(&file).map(PathBuf::as_path)
    }
}

/// Everything analysed together: the project's applications, its dependencies
/// and OTP's, and where their files are.
#[salsa::input(debug)]
pub struct Workspace {
    #[returns(ref)]
    pub apps: Vec<App>,
    #[returns(ref)]
    pub paths: Arc<FilePaths>,
}

/// The lexer's tokens of `file`, for the preprocessor (headers are read by
/// every module that includes them).
#[salsa::tracked(returns(ref), lru = 2048)]
pub fn file_tokens(db: &dyn SourceDatabase, file: SourceFile) -> Arc<[Token]> {
    let options = LexOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    Arc::from(syntax::tokenize(file.text(db), &options).0)
}

/// The application each file belongs to.
#[salsa::tracked(returns(ref))]
pub fn file_apps(db: &dyn SourceDatabase, workspace: Workspace) -> FxHashMap<SourceFile, App> {
    let mut apps = FxHashMap::default();
    for &app in workspace.apps(db) {
        for &file in app.files(db) {
            apps.entry(file).or_insert(app);
        }
    }
    apps
}

/// Reads included files from the database.
struct DatabaseLoader<'db> {
    db: &'db dyn SourceDatabase,
    workspace: Workspace,
}

impl DatabaseLoader<'_> {
    fn loaded(&self, file: SourceFile, path: PathBuf) -> LoadedFile {
        LoadedFile {
            file_id: *file.file_id(self.db),
            path,
            text: file.text(self.db).clone(),
            tokens: file_tokens(self.db, file).clone(),
        }
    }
}

impl FileLoader for DatabaseLoader<'_> {
    fn load(&self, path: &Path) -> Option<LoadedFile> {
        let file = self.workspace.paths(self.db).file(path)?;
        Some(self.loaded(file, path.to_path_buf()))
    }

    fn lib_dir(&self, app: &str) -> Option<PathBuf> {
        self.workspace
            .apps(self.db)
            .iter()
            .find(|candidate| candidate.name(self.db) == app)
            .and_then(|app| app.dir(self.db).clone())
    }
}

/// Runs the preprocessor on `file` with the options of its application.
fn run_preprocessor(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Preprocessed {
    let loader = DatabaseLoader { db, workspace };
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
    let main = loader.loaded(file, path);
    preprocessor::preprocess(&main, &options, &loader)
}

/// `file` preprocessed (with the options of its application), its expanded
/// text and the parse of that. The preprocessor's tokens are not kept: the
/// text and its origins say the same in less memory.
#[salsa::tracked(returns(ref), lru = 128)]
pub fn expanded_module(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<ExpandedModule> {
    let mut preprocessed = run_preprocessor(db, workspace, file);
    let forms = std::mem::take(&mut preprocessed.forms);
    Arc::new(ExpandedModule::new(&forms, *file.release(db), preprocessed))
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

/// `file`'s item tree and where its items are in the expanded text.
#[salsa::tracked(returns(ref), lru = 128)]
pub fn item_tree_with_source_map(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<(ItemTree, ItemSourceMap)> {
    let expanded = expanded_module(db, workspace, file);
    Arc::new(items::lower(&expanded.parse().source_file()))
}

/// `file`'s item tree. Equal after edits inside function bodies, and then
/// backdated, so that nothing derived from it runs again.
#[salsa::tracked(returns(ref))]
pub fn item_tree(db: &dyn SourceDatabase, workspace: Workspace, file: SourceFile) -> Arc<ItemTree> {
    Arc::new(item_tree_with_source_map(db, workspace, file).0.clone())
}

/// The name `-module(Name).` gives `file`, if it is a module that names itself.
///
/// It reads the file's tokens (no parse), so it runs again after every edit to
/// the file; as its answer rarely changes, salsa then keeps everything derived
/// from it.
#[salsa::tracked]
pub fn module_name(db: &dyn SourceDatabase, file: SourceFile) -> Option<String> {
    if *file.kind(db) != FileKind::Module {
        return None;
    }
    // `-module(Name` at the start of a form, read from the tokens: no parse.
    let text = file.text(db);
    let mut significant = Vec::with_capacity(4);
    let mut offset = 0usize;
    let mut at_form_start = true;
    for token in file_tokens(db, file).iter() {
        let range = offset..offset + token.len as usize;
        offset = range.end;
        if matches!(
            token.kind,
            SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::SHEBANG
        ) {
            continue;
        }
        if at_form_start || !significant.is_empty() {
            significant.push((token.kind, range));
        }
        at_form_start = token.kind == SyntaxKind::DOT;
        if let [
            (SyntaxKind::MINUS, _),
            (SyntaxKind::ATOM, name),
            (SyntaxKind::L_PAREN, _),
            (kind, module),
        ] = significant.as_slice()
        {
            if &text[name.clone()] == "module" && *kind == SyntaxKind::ATOM {
                return Some(ast::atom_value(&text[module.clone()]));
            }
            significant.clear();
        } else if significant.len() >= 4
            || significant
                .first()
                .is_some_and(|(kind, _)| *kind != SyntaxKind::MINUS)
        {
            significant.clear();
        }
    }
    None
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
