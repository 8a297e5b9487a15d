//! What Erlang code means, derived from `base_db`'s inputs by salsa queries:
//! each module preprocessed as `epp` would (`preprocessor`), its expanded text
//! parsed (`expanded`), its item tree (`item_tree`), and the module index, whose
//! namespaces are the applications.

mod background_drop;
pub mod body;
pub mod expanded;
mod expansion;
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

pub use crate::expansion::{
    ExpansionCounts, expanded_module, expanded_module_from_scratch, expansion_counts, preprocess,
};
use crate::items::{ItemSourceMap, ItemTree};
use crate::preprocessor::PredefinedMacro;

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
///
/// After an edit, only the text around it is lexed again, from the tokens of
/// the text before (kept beside salsa's memos: see [`base_db::SideCaches`]).
#[salsa::tracked(returns(ref), lru = 2048, no_eq)]
pub fn file_tokens(db: &dyn SourceDatabase, file: SourceFile) -> Arc<[Token]> {
    let options = LexOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    let text = file.text(db);
    let recent = db.side_caches().get::<RecentTokens>();
    let tokens: Arc<[Token]> = match recent.0.take(file.file_id(db)) {
        Some((old_options, old_text, old_tokens)) if old_options == options => {
            Arc::from(syntax::relex(&old_text, &old_tokens, text, &options))
        }
        _ => Arc::from(syntax::tokenize(text, &options).0),
    };
    recent.0.put(
        *file.file_id(db),
        (options, Arc::clone(text), Arc::clone(&tokens)),
    );
    tokens
}

/// The tokens of a few files as last lexed, with the options and text they
/// were lexed from.
#[derive(Debug, Default)]
struct RecentTokens(base_db::Recent<base_db::FileId, LexedText>);

type LexedText = (LexOptions, Arc<str>, Arc<[Token]>);

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

/// `file`'s item tree and where its items are in the expanded text.
#[salsa::tracked(returns(ref), lru = 128)]
pub fn item_tree_with_source_map(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<(ItemTree, ItemSourceMap)> {
    let expanded = expanded_module(db, workspace, file);
    // The forms an edit did not touch keep their nodes in the reparsed text,
    // and their items are taken from the last lowering.
    let recent = db.side_caches().get::<RecentItemTrees>();
    let previous = recent.0.take(file.file_id(db)).unwrap_or_default();
    let (tree, map, lowered) = items::lower_reusing(expanded.parse().green(), &previous);
    recent.0.put(*file.file_id(db), lowered);
    Arc::new((tree, map))
}

/// The forms of a few modules as last lowered (a side cache: see
/// [`base_db::SideCaches`]).
#[derive(Debug, Default)]
struct RecentItemTrees(base_db::Recent<base_db::FileId, items::LoweredForms>);

/// `file`'s item tree. Equal after edits inside function bodies, and then
/// backdated, so that nothing derived from it runs again.
#[salsa::tracked(returns(ref))]
pub fn item_tree(db: &dyn SourceDatabase, workspace: Workspace, file: SourceFile) -> Arc<ItemTree> {
    Arc::new(item_tree_with_source_map(db, workspace, file).0.clone())
}

/// The name `-module(Name).` gives `file`, if it is a module that names itself.
///
/// It reads tokens (no parse), so it runs again after every edit to the file;
/// as its answer rarely changes, salsa then keeps everything derived from it.
/// The attribute is near the top of nearly every module, so only the start of
/// the text is lexed first: the module index of a large workspace names
/// thousands of files that are never analysed further.
#[salsa::tracked]
pub fn module_name(db: &dyn SourceDatabase, file: SourceFile) -> Option<String> {
    /// How much of the text is lexed before all of it (OTP's modules name
    /// themselves within 4 KiB, but for a dozen of 1,246).
    const PREFIXES: [usize; 2] = [4 * 1024, 64 * 1024];
    if *file.kind(db) != FileKind::Module {
        return None;
    }
    let text = file.text(db);
    let options = LexOptions {
        release: *file.release(db),
        file_kind: *file.kind(db),
    };
    for limit in PREFIXES {
        if text.len() <= limit {
            break;
        }
        let mut cut = limit;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let (tokens, _) = syntax::tokenize(&text[..cut], &options);
        // The last token may be cut short: a name followed by another token
        // is the one the whole text gives.
        let complete = &tokens[..tokens.len().saturating_sub(1)];
        if let Some(name) = module_attribute_name(text, complete) {
            return Some(name);
        }
    }
    module_attribute_name(text, file_tokens(db, file))
}

/// The name of the first `-module(Name` at the start of a form among
/// `tokens` (lexed from the start of `text`).
fn module_attribute_name(text: &str, tokens: &[Token]) -> Option<String> {
    let mut significant = Vec::with_capacity(4);
    let mut offset = 0usize;
    let mut at_form_start = true;
    for token in tokens {
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
