//! Finding definitions: symbols by query (`erlkit symbols`), a target by name
//! (`lists:map/2`, `#state`, `?LOG`, `app/module`), or what the name at a
//! position of a file refers to (`erlkit def file.erl:LINE:COL`).

use base_db::{RootDatabase, SourceFile};
use hir::symbols::{Symbol, SymbolKind, app_symbols, match_rank};
use hir::{App, Workspace};
use syntax::ast::{self, AstNode};
use syntax::{SyntaxKind, SyntaxNode, TextRange, TextSize};

use crate::{Analysis, Cancellable, FileId, FileRange};

/// A definition to show or jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationTarget {
    pub kind: SymbolKind,
    /// As a query would name it: `m`, `m:f/2`, `#r`, `?M`, `t/1`.
    pub name: String,
    /// The application whose files define it.
    pub app: String,
    /// Where its name is written.
    pub range: FileRange,
}

/// What a query or target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// `#name`.
    Record(String),
    /// `?NAME` or `?NAME/2`.
    Macro(String, Option<u32>),
    /// `module:function`, `module:function/2`.
    Function {
        module: String,
        name: String,
        arity: Option<u32>,
    },
    /// `function/2`, in any module.
    NameArity(String, u32),
    /// `app/module`.
    AppModule(String, String),
    /// A bare name: a module, function, record, type or macro.
    Name(String),
}

impl Query {
    /// Reads a query: `#rec`, `?MACRO[/N]`, `m:f[/N]`, `f/N`, `app/mod`, `name`.
    pub fn parse(text: &str) -> Query {
        let text = text.trim();
        if let Some(record) = text.strip_prefix('#') {
            return Query::Record(record.to_owned());
        }
        if let Some(name) = text.strip_prefix('?') {
            return match split_arity(name) {
                Some((name, arity)) => Query::Macro(name.to_owned(), Some(arity)),
                None => Query::Macro(name.to_owned(), None),
            };
        }
        if let Some((module, function)) = text.split_once(':') {
            let (name, arity) = match split_arity(function) {
                Some((name, arity)) => (name, Some(arity)),
                None => (function, None),
            };
            return Query::Function {
                module: module.to_owned(),
                name: name.to_owned(),
                arity,
            };
        }
        if let Some((name, arity)) = split_arity(text) {
            return Query::NameArity(name.to_owned(), arity);
        }
        if let Some((app, module)) = text.split_once('/') {
            return Query::AppModule(app.to_owned(), module.to_owned());
        }
        Query::Name(text.to_owned())
    }
}

/// `name/2` split, when what follows the last `/` is a number.
fn split_arity(text: &str) -> Option<(&str, u32)> {
    let (name, arity) = text.rsplit_once('/')?;
    Some((name, arity.parse().ok()?))
}

/// How `query` ranks `symbol` in `app` (lower is better); `None` when it does
/// not match. `exact` asks for the names to be equal.
fn rank(query: &Query, symbol: &Symbol, app: &str, exact: bool) -> Option<u8> {
    let name_rank = |name: &str, wanted: &str| {
        if exact {
            (name == wanted).then_some(0)
        } else {
            match_rank(name, wanted)
        }
    };
    match query {
        Query::Record(name) => (symbol.kind == SymbolKind::Record)
            .then(|| name_rank(&symbol.name, name))
            .flatten(),
        Query::Macro(name, arity) => (symbol.kind == SymbolKind::Macro
            && arity.is_none_or(|a| symbol.arity == Some(a)))
        .then(|| name_rank(&symbol.name, name))
        .flatten(),
        Query::Function {
            module,
            name,
            arity,
        } => {
            let in_module = symbol.module.as_deref() == Some(module.as_str());
            (symbol.kind == SymbolKind::Function
                && in_module
                && arity.is_none_or(|a| symbol.arity == Some(a)))
            .then(|| name_rank(&symbol.name, name))
            .flatten()
        }
        Query::NameArity(name, arity) => {
            (matches!(symbol.kind, SymbolKind::Function | SymbolKind::Type)
                && symbol.arity == Some(*arity))
            .then(|| name_rank(&symbol.name, name))
            .flatten()
        }
        Query::AppModule(wanted_app, module) => (symbol.kind == SymbolKind::Module
            && app == wanted_app)
            .then(|| name_rank(&symbol.name, module))
            .flatten(),
        Query::Name(name) => name_rank(&symbol.name, name),
    }
}

impl Analysis {
    /// The symbols matching `query`, best first (exact names, prefixes,
    /// substrings, then characters in order; case-insensitive), at most
    /// `limit`. Library applications (dependencies, OTP) only with
    /// `include_library`.
    pub fn symbols(
        &self,
        query: &str,
        include_library: bool,
        limit: usize,
    ) -> Cancellable<Vec<NavigationTarget>> {
        let query = Query::parse(query);
        self.search(&query, include_library, false, limit)
    }

    /// The definitions `target` names exactly (`lists:map/2`, `#state`,
    /// `?LOG`, `app/module`, a bare name), in every application.
    pub fn definitions(&self, target: &str) -> Cancellable<Vec<NavigationTarget>> {
        let query = Query::parse(target);
        self.search(&query, true, true, usize::MAX)
    }

    fn search(
        &self,
        query: &Query,
        include_library: bool,
        exact: bool,
        limit: usize,
    ) -> Cancellable<Vec<NavigationTarget>> {
        let library_apps = &self.library_apps;
        let files = &self.files;
        self.with_db(|db, workspace| {
            let file_apps = hir::file_apps(db, workspace);
            // The application whose files hold a definition (a header's, not
            // that of the first module including it).
            let owner = |file_id: FileId| {
                files
                    .get(&file_id)
                    .and_then(|file| file_apps.get(file))
                    .map(|app| app.name(db).clone())
            };
            let mut found: Vec<(u8, NavigationTarget)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for &app in workspace.apps(db) {
                let app_name = app.name(db);
                if !include_library && library_apps.contains(app_name) {
                    continue;
                }
                // A quick filter by module before preprocessing a whole
                // application for `m:f` queries.
                if let Query::Function { module, .. } = query
                    && !app_defines_module(db, app, module)
                {
                    continue;
                }
                for symbol in app_symbols(db, workspace, app).iter() {
                    let Some(rank) = rank(query, symbol, app_name, exact) else {
                        continue;
                    };
                    if !seen.insert((symbol.kind, symbol.file, symbol.range, symbol.name.clone())) {
                        continue;
                    }
                    let app = owner(symbol.file).unwrap_or_else(|| app_name.clone());
                    found.push((rank, target(symbol, &app)));
                }
            }
            // Best rank first, then shorter names (closer matches), then by
            // kind, name and place, so that the order is stable.
            found.sort_by(|(ra, a), (rb, b)| {
                (
                    ra,
                    a.name.len(),
                    a.kind,
                    &a.name,
                    a.range.file_id,
                    a.range.range.start(),
                )
                    .cmp(&(
                        rb,
                        b.name.len(),
                        b.kind,
                        &b.name,
                        b.range.file_id,
                        b.range.range.start(),
                    ))
            });
            found.into_iter().take(limit).map(|(_, t)| t).collect()
        })
    }

    /// The definitions of what the name at `offset` of `file_id` refers to: a
    /// macro call, a module, a function (local, imported, remote, `fun f/a`,
    /// in an export list), a record or a type.
    pub fn definitions_at(
        &self,
        file_id: FileId,
        offset: TextSize,
    ) -> Cancellable<Vec<NavigationTarget>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(Vec::new());
        };
        let files = &self.files;
        self.with_db(|db, workspace| {
            let Some(module) =
                crate::expand_macro::module_reading(db, workspace, files, file, file_id)
            else {
                return Vec::new();
            };
            let expanded = hir::expanded_module(db, workspace, module);
            // A macro call: its definition.
            let preprocessed = expanded.preprocessed();
            if let Some(call) = preprocessed
                .macro_calls
                .iter()
                .filter(|call| call.origin.file == file_id && name_part(call, offset))
                .min_by_key(|call| call.origin.range.len())
            {
                return match call.definition {
                    Some(site) => vec![NavigationTarget {
                        kind: SymbolKind::Macro,
                        name: format!("?{}", call.name),
                        app: app_of(db, workspace, site.file),
                        range: FileRange {
                            file_id: site.file,
                            range: site.range,
                        },
                    }],
                    None => Vec::new(),
                };
            }
            // The token of the expanded text written at `offset`.
            // A token that holds `offset`, else one that ends there (the
            // cursor just after a name).
            let written = |inclusive: bool| {
                expanded
                    .tokens_with_offsets()
                    .find_map(|(start, text, origin)| {
                        let holds = if inclusive {
                            origin.range.contains_inclusive(offset)
                        } else {
                            origin.range.contains(offset)
                        };
                        (origin.file == file_id && !origin.from_macro && holds).then(|| {
                            start + (offset - origin.range.start()).min(TextSize::of(text))
                        })
                    })
            };
            let Some(expanded_offset) = written(false).or_else(|| written(true)) else {
                return Vec::new();
            };
            let root = expanded.parse().syntax_node();
            let Some(token) = root
                .token_at_offset(expanded_offset)
                .find(|t| matches!(t.kind(), SyntaxKind::ATOM | SyntaxKind::VAR))
            else {
                return Vec::new();
            };
            let this_module = hir::item_tree(db, workspace, module).module.clone();
            let reference = reference_at(&token, this_module.as_deref());
            let Some(query) = reference else {
                return Vec::new();
            };
            self.resolve(db, workspace, module, &query)
        })
    }

    /// The definitions of `reference` as seen from `module`.
    fn resolve(
        &self,
        db: &RootDatabase,
        workspace: Workspace,
        module: SourceFile,
        reference: &Reference,
    ) -> Vec<NavigationTarget> {
        let in_module = |module_name: &str, kind: SymbolKind, name: &str, arity: Option<u32>| {
            let mut targets = Vec::new();
            for location in hir::module_index(db, workspace).get(module_name) {
                let symbols = app_symbols(db, workspace, location.app);
                for symbol in symbols.iter() {
                    let same_file = symbol.file == *location.file.file_id(db)
                        || symbol.module.as_deref() == Some(module_name);
                    if symbol.kind == kind
                        && symbol.name == name
                        && (arity.is_none() || symbol.arity == arity)
                        && same_file
                    {
                        targets.push(target(symbol, location.app.name(db)));
                    }
                }
            }
            targets
        };
        match reference {
            Reference::Module(name) => in_module(name, SymbolKind::Module, name, None),
            Reference::Callback { name, arity } => {
                let items = hir::item_tree(db, workspace, module);
                let mut targets = Vec::new();
                for behaviour in &items.behaviours {
                    for location in hir::module_index(db, workspace).get(behaviour) {
                        let expanded = hir::expanded_module(db, workspace, location.file);
                        let (callee, map) =
                            &**hir::item_tree_with_source_map(db, workspace, location.file);
                        for (callback, ranges) in callee.callbacks.iter().zip(&map.callbacks) {
                            if callback.name.name != *name || callback.name.arity != *arity {
                                continue;
                            }
                            if let Some(origin) = expanded.origin_of(ranges.name) {
                                targets.push(NavigationTarget {
                                    kind: SymbolKind::Function,
                                    name: format!("{behaviour}:{name}/{arity} (callback)"),
                                    app: location.app.name(db).clone(),
                                    range: origin.into(),
                                });
                            }
                        }
                    }
                }
                targets
            }
            Reference::Function {
                module: m,
                name,
                arity,
            } => in_module(m, SymbolKind::Function, name, Some(*arity)),
            Reference::LocalFunction { name, arity } => {
                let items = hir::item_tree(db, workspace, module);
                let own = items.module.clone().unwrap_or_default();
                if items
                    .functions
                    .iter()
                    .any(|f| f.name.name == *name && f.name.arity == *arity)
                {
                    return in_module(&own, SymbolKind::Function, name, Some(*arity));
                }
                for import in &items.imports {
                    if import
                        .functions
                        .iter()
                        .any(|f| f.name == *name && f.arity == *arity)
                    {
                        return in_module(&import.module, SymbolKind::Function, name, Some(*arity));
                    }
                }
                // An auto-imported BIF, unless `no_auto_import` says not.
                if items
                    .no_auto_import
                    .iter()
                    .any(|f| f.name == *name && f.arity == *arity)
                {
                    return Vec::new();
                }
                in_module("erlang", SymbolKind::Function, name, Some(*arity))
            }
            Reference::Record(name) | Reference::Type { name, .. } => {
                let kind = if matches!(reference, Reference::Record(_)) {
                    SymbolKind::Record
                } else {
                    SymbolKind::Type
                };
                let arity = match reference {
                    Reference::Type { arity, .. } => Some(*arity),
                    _ => None,
                };
                if let Reference::Type {
                    module: Some(m), ..
                } = reference
                {
                    return in_module(m, kind, name, arity);
                }
                // As this module sees it: its own or its headers'.
                let expanded = hir::expanded_module(db, workspace, module);
                let (items, map) = &**hir::item_tree_with_source_map(db, workspace, module);
                let ranges: Vec<TextRange> = match kind {
                    SymbolKind::Record => items
                        .records
                        .iter()
                        .zip(&map.records)
                        .filter(|(r, _)| r.name == *name)
                        .map(|(_, ranges)| ranges.name)
                        .collect(),
                    _ => items
                        .types
                        .iter()
                        .zip(&map.types)
                        .filter(|(t, _)| t.name.name == *name && Some(t.name.arity) == arity)
                        .map(|(_, ranges)| ranges.name)
                        .collect(),
                };
                ranges
                    .into_iter()
                    .filter_map(|range| expanded.origin_of(range))
                    .map(|origin| NavigationTarget {
                        kind,
                        name: match kind {
                            SymbolKind::Record => format!("#{name}"),
                            _ => format!("{name}/{}", arity.unwrap_or(0)),
                        },
                        app: app_of(db, workspace, origin.file),
                        range: origin.into(),
                    })
                    .collect()
            }
        }
    }
}

/// Whether `offset` is on a call's `?NAME` (not inside its arguments).
fn name_part(call: &hir::preprocessor::MacroCall, offset: TextSize) -> bool {
    let start = call.origin.range.start();
    let name_end = start + TextSize::from(1 + call.name.len() as u32);
    (start..=name_end).contains(&offset) && call.origin.range.contains_inclusive(offset)
}

fn target(symbol: &Symbol, app: &str) -> NavigationTarget {
    NavigationTarget {
        kind: symbol.kind,
        name: symbol.display_name(),
        app: app.to_owned(),
        range: FileRange {
            file_id: symbol.file,
            range: symbol.range,
        },
    }
}

/// Whether a file of `app` is the module `module` (read from tokens, cheap).
fn app_defines_module(db: &RootDatabase, app: App, module: &str) -> bool {
    app.files(db)
        .iter()
        .any(|&file| hir::module_name(db, file).as_deref() == Some(module))
}

/// The name of the application a file belongs to.
fn app_of(db: &RootDatabase, workspace: Workspace, file_id: FileId) -> String {
    workspace
        .apps(db)
        .iter()
        .find(|app| app.files(db).iter().any(|f| *f.file_id(db) == file_id))
        .map(|app| app.name(db).clone())
        .unwrap_or_default()
}

/// What a name in the expanded tree refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reference {
    Module(String),
    Function {
        module: String,
        name: String,
        arity: u32,
    },
    LocalFunction {
        name: String,
        arity: u32,
    },
    Record(String),
    Type {
        module: Option<String>,
        name: String,
        arity: u32,
    },
    /// A function's own name in its definition: the `-callback` of a
    /// behaviour it implements.
    Callback {
        name: String,
        arity: u32,
    },
}

fn atom_text(node: &SyntaxNode) -> Option<String> {
    ast::Atom::cast(node.clone())?.value()
}

fn call_arity(call: &ast::Call) -> u32 {
    call.arg_list()
        .map_or(0, |args| args.exprs().count() as u32)
}

fn literal_integer(expr: Option<ast::Expr>) -> Option<u32> {
    let ast::Expr::Literal(literal) = expr? else {
        return None;
    };
    literal.token()?.text().parse().ok()
}

/// Whether `node` is inside a type: a spec, callback, type declaration or a
/// record field's type.
fn in_type_context(node: &SyntaxNode) -> bool {
    node.ancestors().any(|ancestor| {
        matches!(
            ancestor.kind(),
            SyntaxKind::SPEC_ATTRIBUTE | SyntaxKind::CALLBACK_ATTRIBUTE | SyntaxKind::TYPE_DECL
        )
    })
}

/// The reference the atom `token` is part of, if it names something.
pub(crate) fn reference_at(
    token: &syntax::SyntaxToken,
    this_module: Option<&str>,
) -> Option<Reference> {
    let atom_node = token.parent()?;
    let name = atom_text(&atom_node)?;
    let parent = atom_node.parent()?;
    match parent.kind() {
        SyntaxKind::REMOTE => {
            let remote = ast::Remote::cast(parent.clone())?;
            let module = remote.module().and_then(|m| atom_text(m.syntax()))?;
            let is_module = remote
                .module()
                .is_some_and(|m| m.syntax().text_range() == atom_node.text_range());
            if is_module {
                return Some(Reference::Module(module));
            }
            let function = remote.fun().and_then(|f| atom_text(f.syntax()))?;
            let call = ast::Call::cast(parent.parent()?)?;
            let arity = call_arity(&call);
            if in_type_context(&parent) {
                return Some(Reference::Type {
                    module: Some(module),
                    name: function,
                    arity,
                });
            }
            Some(Reference::Function {
                module,
                name: function,
                arity,
            })
        }
        SyntaxKind::CALL => {
            let call = ast::Call::cast(parent.clone())?;
            let arity = call_arity(&call);
            if in_type_context(&parent) {
                return Some(Reference::Type {
                    module: None,
                    name,
                    arity,
                });
            }
            Some(Reference::LocalFunction { name, arity })
        }
        SyntaxKind::FUN_REF => {
            let fun_ref = ast::FunRef::cast(parent.clone())?;
            let arity = literal_integer(fun_ref.arity())?;
            match fun_ref.module().and_then(|m| atom_text(m.syntax())) {
                Some(module)
                    if fun_ref
                        .module()
                        .is_some_and(|m| m.syntax().text_range() == atom_node.text_range()) =>
                {
                    Some(Reference::Module(module))
                }
                Some(module) => Some(Reference::Function {
                    module,
                    name,
                    arity,
                }),
                None => Some(Reference::LocalFunction { name, arity }),
            }
        }
        SyntaxKind::FA => {
            let fa = ast::Fa::cast(parent.clone())?;
            let arity = literal_integer(fa.arity())?;
            let list_owner = parent.parent()?.parent()?;
            if list_owner.kind() == SyntaxKind::EXPORT_TYPE_ATTRIBUTE {
                return Some(Reference::Type {
                    module: None,
                    name,
                    arity,
                });
            }
            if list_owner.kind() == SyntaxKind::IMPORT_ATTRIBUTE {
                let import = ast::ImportAttribute::cast(list_owner)?;
                let module = import.name().and_then(|n| atom_text(n.syntax()))?;
                return Some(Reference::Function {
                    module,
                    name,
                    arity,
                });
            }
            Some(Reference::LocalFunction { name, arity })
        }
        SyntaxKind::RECORD_EXPR | SyntaxKind::RECORD_INDEX | SyntaxKind::RECORD_FIELD_ACCESS => {
            // The record's name is the first name after `#`.
            let first_name = parent
                .children()
                .find(|child| child.kind() == SyntaxKind::ATOM)?;
            (first_name.text_range() == atom_node.text_range()).then_some(Reference::Record(name))
        }
        SyntaxKind::BEHAVIOUR_ATTRIBUTE | SyntaxKind::IMPORT_ATTRIBUTE => {
            Some(Reference::Module(name))
        }
        SyntaxKind::MODULE_ATTRIBUTE => this_module.map(|m| Reference::Module(m.to_owned())),
        SyntaxKind::FUN_CLAUSE if parent.parent()?.kind() == SyntaxKind::FUN_DECL => {
            // The name of a function's clause: the callback it implements.
            let clause = ast::FunClause::cast(parent)?;
            let arity = clause
                .arg_list()
                .map_or(0, |args| args.exprs().count() as u32);
            Some(Reference::Callback { name, arity })
        }
        _ => None,
    }
}
