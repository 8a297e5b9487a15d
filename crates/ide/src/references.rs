//! `erlkit refs`: every place that refers to a function (calls, `fun m:f/N`,
//! `fun f/N`, export and import lists), a module, a record or a macro, across
//! the project and its dependencies, read after preprocessing.

use hir::symbols::SymbolKind;
use syntax::SyntaxKind;

use crate::navigation::{Query, Reference, reference_at};
use crate::{Analysis, Cancellable, FileRange};

/// A place that refers to the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceSite {
    pub range: FileRange,
    /// What kind of thing is referred to.
    pub kind: SymbolKind,
}

/// What `refs` looks for, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wanted {
    Function {
        module: String,
        name: String,
        arity: Option<u32>,
    },
    Module(String),
    Record(String),
    Macro(String, Option<u32>),
}

impl Wanted {
    fn of(query: &Query) -> Option<Wanted> {
        Some(match query {
            Query::Function {
                module,
                name,
                arity,
            } => Wanted::Function {
                module: module.clone(),
                name: name.clone(),
                arity: *arity,
            },
            Query::Name(name) | Query::AppModule(_, name) => Wanted::Module(name.clone()),
            Query::Record(name) => Wanted::Record(name.clone()),
            Query::Macro(name, arity) => Wanted::Macro(name.clone(), *arity),
            Query::NameArity(..) => return None,
        })
    }

    fn kind(&self) -> SymbolKind {
        match self {
            Wanted::Function { .. } => SymbolKind::Function,
            Wanted::Module(_) => SymbolKind::Module,
            Wanted::Record(_) => SymbolKind::Record,
            Wanted::Macro(..) => SymbolKind::Macro,
        }
    }
}

impl Analysis {
    /// Every reference to `target` (`m:f/N`, `m:f`, `m`, `#rec`, `?MACRO`),
    /// sorted by file and position; in the project's applications, and with
    /// `include_library` in dependencies and OTP too. `None` when the target
    /// is not something references are looked for (`f/N` without a module).
    pub fn references(
        &self,
        target: &str,
        include_library: bool,
    ) -> Cancellable<Option<Vec<ReferenceSite>>> {
        let Some(wanted) = Wanted::of(&Query::parse(target)) else {
            return Ok(None);
        };
        let library_apps = &self.library_apps;
        self.with_db(|db, workspace| {
            let mut sites = Vec::new();
            for &app in workspace.apps(db) {
                if !include_library && library_apps.contains(app.name(db)) {
                    continue;
                }
                for &file in app.files(db) {
                    if *file.kind(db) != syntax::FileKind::Module {
                        continue;
                    }
                    module_references(db, workspace, file, &wanted, &mut sites);
                }
            }
            sites
                .sort_by_key(|site: &ReferenceSite| (site.range.file_id, site.range.range.start()));
            sites.dedup();
            Some(sites)
        })
    }
}

/// The references to `wanted` in one module.
fn module_references(
    db: &base_db::RootDatabase,
    workspace: hir::Workspace,
    file: base_db::SourceFile,
    wanted: &Wanted,
    sites: &mut Vec<ReferenceSite>,
) {
    let expanded = hir::expanded_module(db, workspace, file);
    if let Wanted::Macro(name, arity) = wanted {
        for call in &expanded.preprocessed().macro_calls {
            if call.name == name.as_str() && arity.is_none_or(|a| call.arity == Some(a)) {
                sites.push(ReferenceSite {
                    range: call.origin.into(),
                    kind: SymbolKind::Macro,
                });
            }
        }
        return;
    }
    let items = hir::item_tree(db, workspace, file);
    let this_module = items.module.as_deref();
    let root = expanded.parse().syntax_node();
    for token in root
        .descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .filter(|token| token.kind() == SyntaxKind::ATOM)
    {
        let Some(reference) = reference_at(&token, this_module) else {
            continue;
        };
        let matches = match (&reference, wanted) {
            (Reference::Module(found), Wanted::Module(name)) => found == name,
            (
                Reference::Function {
                    module,
                    name,
                    arity,
                },
                Wanted::Function {
                    module: m,
                    name: n,
                    arity: a,
                },
            ) => module == m && name == n && a.is_none_or(|a| a == *arity),
            (
                Reference::LocalFunction { name, arity },
                Wanted::Function {
                    module: m,
                    name: n,
                    arity: a,
                },
            ) => {
                name == n
                    && a.is_none_or(|a| a == *arity)
                    && local_target(items, name, *arity, this_module) == Some(m.as_str())
            }
            (Reference::Record(found), Wanted::Record(name)) => found == name,
            _ => false,
        };
        // A `-module(m)` is the definition, not a reference.
        let is_definition = token
            .parent()
            .and_then(|atom| atom.parent())
            .is_some_and(|parent| parent.kind() == SyntaxKind::MODULE_ATTRIBUTE);
        if !matches || is_definition {
            continue;
        }
        let range = token.text_range();
        let Some(origin) = expanded.origin_at(range.start()) else {
            continue;
        };
        let mut range = FileRange::from(origin);
        if !origin.from_macro {
            // The token as written (the origin is the whole token already).
            range.range = origin.range;
        }
        sites.push(ReferenceSite {
            range,
            kind: wanted.kind(),
        });
    }
}

/// The module a local call `name/arity` goes to: the module itself, an
/// `-import`, or `erlang` for an auto-imported BIF.
fn local_target<'a>(
    items: &'a hir::items::ItemTree,
    name: &str,
    arity: u32,
    this_module: Option<&'a str>,
) -> Option<&'a str> {
    if items
        .functions
        .iter()
        .any(|f| f.name.name == name && f.name.arity == arity)
    {
        return this_module;
    }
    for import in &items.imports {
        if import
            .functions
            .iter()
            .any(|f| f.name == name && f.arity == arity)
        {
            return Some(import.module.as_str());
        }
    }
    // An auto-imported BIF, unless `-compile({no_auto_import, ...})` says not.
    let not_imported = items
        .no_auto_import
        .iter()
        .any(|f| f.name == name && f.arity == arity);
    (!not_imported).then_some("erlang")
}
