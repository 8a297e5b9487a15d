//! Exported functions that no other module of the project calls or names
//! (W2306, off unless asked for, as `xref`'s `exports_not_used`).

use std::collections::HashSet;

use base_db::SourceDatabase;
use hir::Workspace;
use hir::items::{ItemSourceMap, NameArity};
use smol_str::SmolStr;

use super::codes::DiagnosticCode;
use super::module_checks::ModuleCx;
use crate::AppLintSettings;

/// What the modules of the project and its dependencies call or name in
/// other modules: `(module, function)`, any arity.
#[derive(Debug, Default)]
pub(crate) struct UsedFromOutside {
    used: HashSet<(SmolStr, SmolStr)>,
}

impl UsedFromOutside {
    /// Reads every module of the applications that are not OTP's: their
    /// static remote calls, `fun m:f/N`, and atoms side by side that may
    /// name a function (`{m, f, Args}`, `apply(m, f, Args)`).
    pub(crate) fn new(
        db: &dyn SourceDatabase,
        workspace: Workspace,
        apps: &std::collections::HashMap<String, AppLintSettings>,
    ) -> UsedFromOutside {
        let mut used = HashSet::new();
        for &app in workspace.apps(db) {
            if apps.get(app.name(db).as_str()).is_some_and(|app| app.otp) {
                continue;
            }
            for &file in app.files(db) {
                if *file.kind(db) != syntax::FileKind::Module {
                    continue;
                }
                let calls = hir::resolve::remote_resolution(db, workspace, file);
                used.extend(calls.references.iter().map(|(reference, _)| {
                    (reference.module.clone(), reference.function.name.clone())
                }));
                used.extend(
                    hir::resolve::mentioned_functions(db, workspace, file)
                        .iter()
                        .cloned(),
                );
            }
        }
        UsedFromOutside { used }
    }
}

/// Exports of the module that nothing outside it uses: not behaviour
/// callbacks, not `module_info`, and not in test modules (`*_SUITE`,
/// `*_tests`), whose exports test frameworks call.
pub(super) fn check(
    cx: &mut ModuleCx<'_>,
    db: &dyn SourceDatabase,
    workspace: Workspace,
    map: &ItemSourceMap,
    used: &UsedFromOutside,
) {
    let items = cx.items;
    let Some(module) = items.module.as_ref() else {
        return;
    };
    if cx.options.export_all || module.ends_with("_SUITE") || module.ends_with("_tests") {
        return;
    }
    let index = hir::module_index(db, workspace);
    let mut callbacks: HashSet<NameArity> = HashSet::new();
    for (behaviour, _) in &cx.facts.behaviours {
        if let Some(location) = index.get(behaviour).first() {
            let tree = hir::item_tree(db, workspace, location.file);
            callbacks.extend(tree.callbacks.iter().map(|callback| callback.name.clone()));
        }
    }
    let mut found = Vec::new();
    let mut seen: HashSet<&NameArity> = HashSet::new();
    for (export, &range) in items.exports.iter().zip(&map.export_entries) {
        if !seen.insert(export)
            || export.name == "module_info"
            || callbacks.contains(export)
            || items.on_load.as_ref() == Some(export)
            || used.used.contains(&(module.clone(), export.name.clone()))
        {
            continue;
        }
        found.push((
            range,
            format!("exported function {export} is not used by any other module"),
        ));
    }
    for (range, message) in found {
        cx.push(DiagnosticCode::UnusedExport, range, message);
    }
}
