//! The checks across modules that the compiler cannot make, as `xref`
//! makes them: calls to modules and functions that no application of the
//! workspace (the project, its dependencies, OTP) has; calls to functions a
//! project or dependency module marks `-deprecated`; and calls into
//! applications that the caller's `.app.src` does not depend on.

use std::collections::{HashMap, HashSet};

use base_db::SourceDatabase;
use hir::Workspace;
use hir::items::NameArity;
use smol_str::SmolStr;

use super::LintDiagnostic;
use super::codes::DiagnosticCode;
use super::module_checks::{ModuleCx, atom_text};
use super::options::{DeprecationEntry, deprecation_entries};
use crate::AppLintSettings;
use crate::FileRange;

/// What the cross-module checks know of the applications.
pub(crate) struct CrossModuleSettings<'a> {
    /// The application of the module linted.
    pub(crate) app: Option<&'a str>,
    pub(crate) apps: &'a HashMap<String, AppLintSettings>,
}

/// A remote call with atoms (or a `fun m:f/N`) of the module linted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CallSite {
    pub(crate) module: SmolStr,
    pub(crate) function: SmolStr,
    pub(crate) arity: u32,
    /// `m:f` in the file (a macro call for what a macro made).
    pub(crate) callee: FileRange,
    /// Whether a parse transform of the module provides the function.
    pub(crate) provided_by_transform: bool,
}

/// The module's remote calls, for [`check`].
pub(super) fn call_sites(cx: &ModuleCx<'_>) -> Vec<CallSite> {
    cx.facts
        .remote_calls
        .iter()
        .filter_map(|call| {
            let callee = cx.expanded.origin_of(call.callee)?.into();
            Some(CallSite {
                module: call.module.clone(),
                function: call.function.clone(),
                arity: call.arity,
                callee,
                provided_by_transform: provided_by_transform(
                    cx,
                    &call.module,
                    &call.function,
                    call.arity,
                ),
            })
        })
        .collect()
}

/// The log functions `lager_transform` turns calls into.
const LAGER_LEVELS: &[&str] = &[
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
    "none",
];

/// Whether a parse transform the module uses provides `m:f/a` (the
/// transform rewrites the call, so the function need not exist).
fn provided_by_transform(cx: &ModuleCx<'_>, module: &str, function: &str, arity: u32) -> bool {
    if cx.options.transform_provides_call(module, function, arity) {
        return true;
    }
    let lager = cx
        .options
        .parse_transforms
        .iter()
        .any(|transform| transform == "lager_transform");
    lager
        && module == "lager"
        && (1..=3).contains(&arity)
        && LAGER_LEVELS.contains(&function.trim_end_matches("_unsafe"))
}

/// Runs the cross-module checks on the module's remote calls.
pub(super) fn check(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    settings: &CrossModuleSettings<'_>,
    calls: &[CallSite],
) -> Vec<LintDiagnostic> {
    let index = hir::module_index(db, workspace);
    // Without OTP's sources, every call to OTP would look undefined.
    let knows_otp = !index.get("lists").is_empty() && !index.get("erlang").is_empty();
    let allowed_apps = settings
        .app
        .and_then(|app| allowed_applications(app, settings.apps));
    let mut found = Vec::new();
    let mut push = |code: DiagnosticCode, call: &CallSite, message: String| {
        found.push(LintDiagnostic::new(code, call.callee, message));
    };
    let mut deprecations: HashMap<&str, Vec<DeprecationEntry>> = HashMap::new();
    for call in calls {
        let (module, function, arity) = (call.module.as_str(), call.function.as_str(), call.arity);
        let name = format!("{}:{}/{arity}", atom_text(module), atom_text(function));
        let Some(location) = index.get(module).first() else {
            if knows_otp && !call.provided_by_transform {
                push(
                    DiagnosticCode::UndefinedModule,
                    call,
                    format!(
                        "call to {name}: no module {} in the project, its dependencies or OTP",
                        atom_text(module)
                    ),
                );
            }
            continue;
        };
        let exports = hir::resolve::module_exports(db, workspace, call.module.clone());
        let target = NameArity {
            name: call.function.clone(),
            arity,
        };
        let exported = exports
            .as_ref()
            .is_some_and(|exports| exports.binary_search(&target).is_ok())
            || matches!(
                (function, arity),
                ("module_info", 0 | 1) | ("behaviour_info", 1)
            );
        if !exported && !call.provided_by_transform {
            push(
                DiagnosticCode::UndefinedRemoteFunction,
                call,
                format!("call to {name}: {} does not export it", atom_text(module)),
            );
            continue;
        }
        let callee_app = location.app.name(db);
        let callee_settings = settings.apps.get(callee_app.as_str());
        if !callee_settings.is_some_and(|app| app.otp) {
            let entries = deprecations.entry(module).or_insert_with(|| {
                let items = hir::item_tree(db, workspace, location.file);
                items
                    .deprecated
                    .iter()
                    .flat_map(|text| deprecation_entries(text))
                    .collect()
            });
            if let Some(entry) = entries.iter().find(|entry| entry.matches(function, arity)) {
                let reason = entry
                    .description
                    .as_deref()
                    .map_or(String::new(), |text| format!("; {text}"));
                push(
                    DiagnosticCode::DeprecatedProjectFunction,
                    call,
                    format!("{name} is deprecated{reason}"),
                );
            }
        }
        if let Some(violation) = boundary_violation(settings, callee_app, module) {
            push(
                DiagnosticCode::AppBoundary,
                call,
                format!("call to {name}: {violation}"),
            );
        }
        if let Some(allowed) = &allowed_apps
            && !allowed.contains(callee_app.as_str())
        {
            push(
                DiagnosticCode::MissingAppDependency,
                call,
                format!(
                    "call to {name} of application {callee_app}, which the .app.src of {} does not list in `applications`",
                    settings.app.unwrap_or_default()
                ),
            );
        }
    }
    found
}

/// How a call from the linted module's application into `module` of
/// `callee_app` breaks the boundaries `erlkit.toml` declares (`may_call`
/// of the caller, `api` of the callee); calls within an application and
/// into OTP never do.
fn boundary_violation(
    settings: &CrossModuleSettings<'_>,
    callee_app: &str,
    module: &str,
) -> Option<String> {
    let caller_app = settings.app?;
    let callee = settings.apps.get(callee_app)?;
    if caller_app == callee_app || callee.otp {
        return None;
    }
    let caller = settings.apps.get(caller_app)?;
    if let Some(may_call) = &caller.may_call
        && !may_call.iter().any(|app| app == callee_app)
    {
        return Some(format!(
            "erlkit.toml does not let application {caller_app} call application {callee_app} (`may_call`)"
        ));
    }
    if let Some(api) = &callee.api
        && !api.iter().any(|api_module| api_module == module)
    {
        return Some(format!(
            "{} is not in the API of application {callee_app} that erlkit.toml declares (`api`)",
            atom_text(module)
        ));
    }
    None
}

/// The applications `app` may call: itself, `erts`, and every application
/// its `.app.src` needs, directly or through them. `None` when `app` has no
/// `.app.src` (nothing to check against).
fn allowed_applications<'a>(
    app: &'a str,
    apps: &'a HashMap<String, AppLintSettings>,
) -> Option<HashSet<&'a str>> {
    let settings = apps.get(app)?;
    if settings.otp {
        return None;
    }
    settings.applications.as_ref()?;
    let mut allowed: HashSet<&str> = HashSet::from([app, "erts"]);
    let mut pending: Vec<&str> = vec![app];
    while let Some(next) = pending.pop() {
        let Some(needs) = apps.get(next).and_then(|s| s.applications.as_ref()) else {
            continue;
        };
        for needed in needs {
            if allowed.insert(needed.as_str()) {
                pending.push(needed.as_str());
            }
        }
    }
    Some(allowed)
}
