//! The symbols an application defines (modules, functions, records, types,
//! macros) with where each is written, for the module index's queries:
//! `module`, `app/module`, `module:function/arity`, `#record`, `?MACRO`, and
//! fuzzy, case-insensitive search.

use std::sync::Arc;

use base_db::{FileId, SourceDatabase};
use smol_str::SmolStr;
use syntax::{FileKind, TextRange};

use crate::{App, Workspace, expanded_module, item_tree_with_source_map, module_name};

/// What kind of thing a symbol is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SymbolKind {
    Module,
    Function,
    Record,
    Type,
    Macro,
}

/// One definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Symbol {
    pub kind: SymbolKind,
    pub name: SmolStr,
    /// Functions' and types' arity; a macro's when it has parentheses.
    pub arity: Option<u32>,
    /// The module it belongs to (a module's own name for `Module`); `None`
    /// for records and macros defined in headers.
    pub module: Option<SmolStr>,
    /// Where its name is written (in a header for what headers define).
    pub file: FileId,
    pub range: TextRange,
}

impl Symbol {
    /// The symbol as a query would name it: `m`, `m:f/2`, `#r`, `?M`, `t/1`.
    pub fn display_name(&self) -> String {
        match self.kind {
            SymbolKind::Module => self.name.to_string(),
            SymbolKind::Function | SymbolKind::Type => {
                let arity = self.arity.unwrap_or(0);
                match &self.module {
                    Some(module) => format!("{module}:{}/{arity}", self.name),
                    None => format!("{}/{arity}", self.name),
                }
            }
            SymbolKind::Record => format!("#{}", self.name),
            SymbolKind::Macro => match self.arity {
                Some(arity) => format!("?{}/{arity}", self.name),
                None => format!("?{}", self.name),
            },
        }
    }
}

/// Every symbol `app`'s modules define, in file order; a header's records and
/// macros once, even when many modules include it.
#[salsa::tracked(returns(ref))]
pub fn app_symbols(db: &dyn SourceDatabase, workspace: Workspace, app: App) -> Arc<Vec<Symbol>> {
    let mut symbols: Vec<Symbol> = Vec::new();
    let mut seen = rustc_hash::FxHashSet::default();
    for &file in app.files(db) {
        if *file.kind(db) != FileKind::Module {
            continue;
        }
        let file_id = *file.file_id(db);
        let module = module_name(db, file).as_deref().map(SmolStr::new);
        let expanded = expanded_module(db, workspace, file);
        let (items, map) = &**item_tree_with_source_map(db, workspace, file);
        let mut push = |symbol: Symbol| {
            if seen.insert((
                symbol.kind,
                symbol.name.clone(),
                symbol.arity,
                symbol.file,
                symbol.range,
            )) {
                symbols.push(symbol);
            }
        };
        if let Some(name) = &module {
            let range = map
                .module
                .and_then(|ranges| expanded.origin_of(ranges.name))
                .filter(|origin| origin.file == file_id)
                .map_or_else(TextRange::default, |origin| origin.range);
            push(Symbol {
                kind: SymbolKind::Module,
                name: name.clone(),
                arity: None,
                module: Some(name.clone()),
                file: file_id,
                range,
            });
        }
        let mut item = |kind, name: &SmolStr, arity, range: TextRange| {
            let Some(origin) = expanded.origin_of(range) else {
                return;
            };
            // Records and types from a header belong to no one module.
            let own = origin.file == file_id;
            push(Symbol {
                kind,
                name: name.clone(),
                arity,
                module: if own || kind == SymbolKind::Function {
                    module.clone()
                } else {
                    None
                },
                file: origin.file,
                range: origin.range,
            });
        };
        for (function, ranges) in items.functions.iter().zip(&map.functions) {
            item(
                SymbolKind::Function,
                &function.name.name,
                Some(function.name.arity),
                ranges.name,
            );
        }
        for (record, ranges) in items.records.iter().zip(&map.records) {
            item(SymbolKind::Record, &record.name, None, ranges.name);
        }
        for (alias, ranges) in items.types.iter().zip(&map.types) {
            item(
                SymbolKind::Type,
                &alias.name.name,
                Some(alias.name.arity),
                ranges.name,
            );
        }
        for definition in &expanded.preprocessed().definitions {
            push(Symbol {
                kind: SymbolKind::Macro,
                name: definition.name.clone(),
                arity: definition.arity,
                module: (definition.site.file == file_id)
                    .then(|| module.clone())
                    .flatten(),
                file: definition.site.file,
                range: definition.site.range,
            });
        }
    }
    Arc::new(symbols)
}

/// How well `name` matches `query` (case-insensitive): exact, prefix,
/// substring, then the query's characters in order; `None` for no match.
/// Lower is better.
pub fn match_rank(name: &str, query: &str) -> Option<u8> {
    if query.is_empty() {
        return Some(3);
    }
    let name = name.to_lowercase();
    let query = query.to_lowercase();
    if name == query {
        return Some(0);
    }
    if name.starts_with(&query) {
        return Some(1);
    }
    if name.contains(&query) {
        return Some(2);
    }
    let mut chars = name.chars();
    query
        .chars()
        .all(|wanted| chars.any(|c| c == wanted))
        .then_some(3)
}
