//! `erl_lint`'s checks of local functions: functions defined twice, exports
//! of undefined functions, calls to undefined local functions (neither
//! defined, imported nor an auto-imported BIF), and functions that nothing
//! exported reaches.

use std::collections::{HashMap, HashSet};

use hir::items::{ItemSourceMap, NameArity};
use smol_str::SmolStr;
use syntax::TextRange;

use super::codes::DiagnosticCode;
use super::module_checks::{ModuleCx, ResolvedCall};
use super::options::dialyzer_functions;
use super::otp_tables::AUTO_IMPORTED_BIFS;

/// Whether a local call of `name/arity` reaches an auto-imported BIF.
pub(super) fn is_auto_imported_bif(name: &str, arity: u32) -> bool {
    AUTO_IMPORTED_BIFS
        .binary_search_by(|&(bif, bif_arity)| (bif, bif_arity).cmp(&(name, arity)))
        .is_ok()
}

/// The functions a module defines (in forms the compiler gets), with the
/// ones every module has.
fn defined_functions(cx: &ModuleCx<'_>) -> HashSet<NameArity> {
    let mut defined: HashSet<NameArity> =
        cx.facts.functions.iter().map(|f| f.name.clone()).collect();
    for (name, arity) in [("module_info", 0), ("module_info", 1), ("record_info", 2)] {
        defined.insert(NameArity {
            name: SmolStr::new(name),
            arity,
        });
    }
    defined
}

/// Checks the module's functions; gives the local calls that reach another
/// module (imports and auto-imported BIFs), for the checks of remote calls.
pub(super) fn check(cx: &mut ModuleCx<'_>, map: &ItemSourceMap) -> Vec<ResolvedCall> {
    let items = cx.items;
    redefinitions_and_exports(cx, map);
    let mut defined = defined_functions(cx);
    defined.extend(cx.options.transform_adds.iter().cloned());
    let imports: HashMap<&NameArity, &SmolStr> = items
        .imports
        .iter()
        .flat_map(|import| import.functions.iter().map(move |f| (f, &import.module)))
        .collect();
    let no_auto_import_all = cx.options.no_auto_import_all;
    let suppressed =
        |target: &NameArity| no_auto_import_all || items.no_auto_import.contains(target);
    let mut resolved = Vec::new();
    let mut edges: HashMap<NameArity, Vec<NameArity>> = HashMap::new();
    let mut undefined: Vec<(TextRange, String)> = Vec::new();
    let facts = cx.facts;
    let callers = facts
        .functions
        .iter()
        .map(|function| (Some(&function.name), &function.calls))
        .chain(std::iter::once((None, &facts.other_calls)));
    // The defaults of the records a function makes run in it.
    for function in &facts.functions {
        if !function.default_calls.is_empty() {
            edges
                .entry(function.name.clone())
                .or_default()
                .extend(function.default_calls.iter().cloned());
        }
    }
    for (caller, calls) in callers {
        for call in calls {
            if call.in_guard {
                continue;
            }
            let target = &call.target;
            let is_bif = is_auto_imported_bif(&target.name, target.arity) && !suppressed(target);
            if defined.contains(target) {
                if let Some(caller) = caller
                    && (call.is_fun_ref || caller != target)
                {
                    edges
                        .entry(caller.clone())
                        .or_default()
                        .push(target.clone());
                }
                continue;
            }
            if !call.is_fun_ref
                && let Some(module) = imports.get(target)
            {
                resolved.push(ResolvedCall {
                    module: (*module).clone(),
                    target: target.clone(),
                    range: call.range,
                });
                continue;
            }
            if is_bif {
                if !call.is_fun_ref {
                    resolved.push(ResolvedCall {
                        module: SmolStr::new("erlang"),
                        target: target.clone(),
                        range: call.range,
                    });
                }
                continue;
            }
            undefined.push((call.range, format!("function {target} undefined")));
        }
    }
    undefined.extend(undefined_in_dialyzer_attributes(cx, map));
    if cx.options.has_unmodelled_transform() {
        return resolved;
    }
    for (range, message) in undefined {
        cx.push(DiagnosticCode::UndefinedFunction, range, message);
    }
    unused_functions(cx, &edges);
    resolved
}

/// The functions that `-dialyzer` attributes name and the module does not
/// define, at each attribute's name. Unlike calls, `module_info/0,1` and
/// `record_info/2` do not count as defined here.
fn undefined_in_dialyzer_attributes(
    cx: &ModuleCx<'_>,
    map: &ItemSourceMap,
) -> Vec<(TextRange, String)> {
    let defined: HashSet<&NameArity> = cx
        .facts
        .functions
        .iter()
        .map(|function| &function.name)
        .chain(&cx.options.transform_adds)
        .collect();
    let mut undefined = Vec::new();
    for (text, &at) in cx.items.dialyzer.iter().zip(&map.dialyzer) {
        for function in dialyzer_functions(text) {
            if !defined.contains(&function) {
                undefined.push((at, format!("function {function} undefined")));
            }
        }
    }
    undefined
}

/// Functions defined twice (`erl_lint` reports the second definition, at its
/// name), and exports of functions the module does not define (at the
/// `-export` attribute's name).
fn redefinitions_and_exports(cx: &mut ModuleCx<'_>, map: &ItemSourceMap) {
    let items = cx.items;
    let mut defined: HashSet<&NameArity> = HashSet::new();
    for (function, ranges) in items.functions.iter().zip(&map.functions) {
        if super::is_broken(cx.broken, ranges.form) {
            continue;
        }
        if !defined.insert(&function.name) {
            cx.push(
                DiagnosticCode::FunctionRedefined,
                ranges.name,
                format!("function {} already defined", function.name),
            );
        }
    }
    for (export, &at) in items.exports.iter().zip(&map.exports) {
        if !defined.contains(export) {
            cx.push(
                DiagnosticCode::UndefinedExport,
                at,
                format!("function {export} undefined"),
            );
        }
    }
}

/// Functions that no exported function (or `-on_load` function) reaches
/// through local calls and `fun f/N`.
fn unused_functions(cx: &mut ModuleCx<'_>, edges: &HashMap<NameArity, Vec<NameArity>>) {
    let options = cx.options;
    if options.export_all || !options.unused_function || options.has_unmodelled_transform() {
        return;
    }
    let items = cx.items;
    let mut reached: HashSet<&NameArity> = HashSet::new();
    let mut pending: Vec<&NameArity> = items.exports.iter().chain(&items.on_load).collect();
    if options.exports_eunit_tests() {
        pending.extend(cx.facts.functions.iter().map(|f| &f.name).filter(|name| {
            name.arity == 0
                && ["_test", "_test_", "_exported_"]
                    .iter()
                    .any(|suffix| name.name.ends_with(suffix))
        }));
    }
    while let Some(function) = pending.pop() {
        if reached.insert(function)
            && let Some(callees) = edges.get(function)
        {
            pending.extend(callees);
        }
    }
    let mut unused = Vec::new();
    for function in &cx.facts.functions {
        if !reached.contains(&function.name)
            && !options.nowarn_unused_functions.contains(&function.name)
        {
            unused.push((
                function.name_range,
                format!("function {} is unused", function.name),
            ));
        }
    }
    for (range, message) in unused {
        cx.push(DiagnosticCode::UnusedFunction, range, message);
    }
}
