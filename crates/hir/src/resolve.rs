//! Resolution of static remote calls (`m:f(...)`, `fun m:f/N`) to the modules
//! and exports of the workspace: the part of name resolution that crosses
//! modules. Each module's answer depends only on its own calls and on the
//! exports of the modules it calls, so changing an export recomputes the
//! callers of that module and nothing else.

use std::sync::Arc;

use base_db::{SourceDatabase, SourceFile};
use smol_str::SmolStr;

use crate::items::{NameArity, RemoteRef};
use crate::{Workspace, expanded_module, item_tree, module_index};

/// What a module exports, sorted (every function with
/// `-compile(export_all)`); `None` when no module has that name.
#[salsa::tracked(returns(ref))]
pub fn module_exports(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    module: SmolStr,
) -> Option<Arc<Vec<NameArity>>> {
    let location = *module_index(db, workspace).get(&module).first()?;
    let items = item_tree(db, workspace, location.file);
    let export_all = items
        .compile_options
        .iter()
        .any(|option| option.contains("export_all"));
    let mut exports: Vec<NameArity> = if export_all {
        items.functions.iter().map(|f| f.name.clone()).collect()
    } else {
        items.exports.clone()
    };
    exports.sort();
    exports.dedup();
    Some(Arc::new(exports))
}

/// What a static remote reference leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallTarget {
    /// An exported function of a module of the workspace.
    Exported,
    /// The module exists but does not export the function with that arity.
    NotExported,
    /// No module of the workspace (project, dependencies, OTP) has that name.
    UnknownModule,
}

/// The static remote references of a module and what each leads to, in
/// order (calls first, then `fun m:f/N`), without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteResolution {
    pub references: Vec<(RemoteRef, CallTarget)>,
}

/// Resolves `file`'s static remote calls and `fun m:f/N` references.
#[salsa::tracked(returns(ref))]
pub fn remote_resolution(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<RemoteResolution> {
    let expanded = expanded_module(db, workspace, file);
    let refs = crate::items::remote_refs(&expanded.parse().source_file());
    let mut seen = rustc_hash::FxHashSet::default();
    let mut references = Vec::new();
    for reference in refs.calls.into_iter().chain(refs.funs) {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let target = match module_exports(db, workspace, reference.module.clone()) {
            None => CallTarget::UnknownModule,
            Some(exports) if exports.binary_search(&reference.function).is_ok() => {
                CallTarget::Exported
            }
            Some(_) => CallTarget::NotExported,
        };
        references.push((reference, target));
    }
    Arc::new(RemoteResolution { references })
}

/// Functions a module may name without calling them statically: two atoms
/// side by side in a tuple, an argument list or a list (`{m, f, Args}` in a
/// child spec, `apply(m, f, Args)`, `spawn(m, f, Args)`), as
/// `(module, function)` pairs, sorted, without repeats.
#[salsa::tracked(returns(ref))]
pub fn mentioned_functions(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<Vec<(SmolStr, SmolStr)>> {
    use syntax::SyntaxKind;
    let expanded = expanded_module(db, workspace, file);
    let atom = |node: &syntax::SyntaxNode| {
        (node.kind() == SyntaxKind::ATOM)
            .then(|| {
                node.children_with_tokens()
                    .filter_map(|element| element.into_token())
                    .find(|token| !token.kind().is_trivia())
            })
            .flatten()
            .map(|token| SmolStr::new(syntax::ast::atom_value(token.text())))
    };
    let mut pairs = Vec::new();
    for node in expanded.parse().syntax_node().descendants() {
        if !matches!(
            node.kind(),
            SyntaxKind::TUPLE | SyntaxKind::ARG_LIST | SyntaxKind::LIST
        ) {
            continue;
        }
        let atoms: Vec<Option<SmolStr>> = node.children().map(|child| atom(&child)).collect();
        for window in atoms.windows(2) {
            if let [Some(module), Some(function)] = window {
                pairs.push((module.clone(), function.clone()));
            }
        }
    }
    pairs.sort();
    pairs.dedup();
    Arc::new(pairs)
}
