//! `erl_lint`'s checks of what a module calls in other modules: callbacks
//! of its behaviours it does not export, calls to deprecated and removed
//! OTP functions (`otp_internal:obsolete/3`), and `io:format` calls whose
//! literal format string and argument list do not agree.

use std::collections::HashSet;

use base_db::{SourceDatabase, SourceFile};
use hir::Workspace;
use hir::items::NameArity;
use smol_str::SmolStr;
use syntax::{SyntaxKind, SyntaxNode, TextRange};

use super::LintDiagnostic;
use super::codes::DiagnosticCode;
use super::format_string::format_arguments;
use super::module_checks::{ModuleCx, ResolvedCall, atom_text};
use super::otp_tables::{OBSOLETE_FUNCTIONS, Obsolete};
use crate::FileRange;

/// Callbacks of the module's behaviours (those the workspace defines) that
/// it does not export, at the `-behaviour` attribute.
pub(super) fn check_behaviours(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
    behaviours: &[(SmolStr, FileRange)],
    export_all: bool,
) -> Vec<LintDiagnostic> {
    if behaviours.is_empty() {
        return Vec::new();
    }
    let items = hir::item_tree(db, workspace, file);
    let exported: HashSet<&NameArity> = if export_all {
        items.functions.iter().map(|f| &f.name).collect()
    } else {
        items.exports.iter().collect()
    };
    let index = hir::module_index(db, workspace);
    let mut found = Vec::new();
    for (behaviour, range) in behaviours {
        let Some(location) = index.get(behaviour).first() else {
            continue;
        };
        let callbacks = hir::item_tree(db, workspace, location.file);
        let mut missing: Vec<&NameArity> = callbacks
            .callbacks
            .iter()
            .filter(|callback| callback.module.is_none())
            .map(|callback| &callback.name)
            .filter(|name| !callbacks.optional_callbacks.contains(name) && !exported.contains(name))
            .collect();
        missing.sort();
        missing.dedup();
        for callback in missing {
            found.push(LintDiagnostic::new(
                DiagnosticCode::MissingCallback,
                *range,
                format!("undefined callback function {callback} (behaviour '{behaviour}')"),
            ));
        }
    }
    found
}

/// What `otp_internal:obsolete/3` says of `module:function/arity`.
fn obsolete(module: &str, function: &str, arity: u32) -> Option<&'static Obsolete> {
    let first = OBSOLETE_FUNCTIONS.partition_point(|entry| entry.module < module);
    OBSOLETE_FUNCTIONS[first..]
        .iter()
        .take_while(|entry| entry.module == module)
        .find(|entry| {
            entry.function.is_none_or(|name| name == function)
                && entry.arity.is_none_or(|a| a == arity)
        })
}

/// Calls to deprecated and removed functions: remote calls with atoms, and
/// the local calls that reach another module (`resolved`).
pub(super) fn check_obsolete_calls(cx: &mut ModuleCx<'_>, resolved: &[ResolvedCall]) {
    let remote = cx
        .facts
        .remote_calls
        .iter()
        // `erl_lint` checks calls only, not `fun m:f/N`.
        .filter(|call| !call.in_guard && !call.is_fun_ref)
        .map(|call| {
            (
                call.module.as_str(),
                call.function.as_str(),
                call.arity,
                call.callee,
            )
        });
    let local = resolved.iter().map(|call| {
        (
            call.module.as_str(),
            call.target.name.as_str(),
            call.target.arity,
            call.range,
        )
    });
    let mut found = Vec::new();
    for (module, function, arity, range) in remote.chain(local) {
        let Some(entry) = obsolete(module, function, arity) else {
            continue;
        };
        let options = cx.options;
        let mfa = format!("{}:{}/{arity}", atom_text(module), atom_text(function));
        if entry.removed {
            if options.removed && !options.exempts_removed(module, function, arity) {
                found.push((
                    DiagnosticCode::RemovedFunction,
                    range,
                    format!("{mfa} is removed; {}", entry.description),
                ));
            }
        } else if options.deprecated_function
            && !options.exempts_deprecated(module, function, arity)
        {
            found.push((
                DiagnosticCode::DeprecatedFunction,
                range,
                format!("{mfa} is deprecated; {}", entry.description),
            ));
        }
    }
    for (code, range, message) in found {
        cx.push(code, range, message);
    }
}

/// `io:format`, `io:fwrite`, `io_lib:format` and `io_lib:fwrite` calls
/// whose literal format string is invalid or needs another number of
/// arguments than the literal list gives (`warn_format` level 1).
pub(super) fn check_format_calls(cx: &mut ModuleCx<'_>) {
    if cx.options.format_level == 0 {
        return;
    }
    let mut found = Vec::new();
    let root = cx.expanded.parse().syntax_node();
    for call in cx.facts.remote_calls.iter().filter(|call| !call.is_fun_ref) {
        let is_format = matches!(
            (call.module.as_str(), call.function.as_str()),
            ("io" | "io_lib", "format" | "fwrite")
        );
        if !is_format {
            continue;
        }
        let args = call_args(&root, call.call);
        let (format, args) = match args.as_slice() {
            [format] => (format, None),
            [format, args] | [_, format, args] => (format, Some(args)),
            _ => {
                found.push((
                    call.callee,
                    "format call with wrong number of arguments".to_owned(),
                ));
                continue;
            }
        };
        if let Some(problem) = format_problem(format, args) {
            found.push(problem);
        }
    }
    for (range, message) in found {
        cx.push(DiagnosticCode::FormatArguments, range, message);
    }
}

/// The arguments of the call at `range` of the tree under `root`.
fn call_args(root: &SyntaxNode, range: TextRange) -> Vec<SyntaxNode> {
    let covering = match root.covering_element(range) {
        syntax::NodeOrToken::Node(node) => Some(node),
        syntax::NodeOrToken::Token(token) => token.parent(),
    };
    covering
        .into_iter()
        .flat_map(|node| node.ancestors())
        .find(|node| node.kind() == SyntaxKind::CALL && node.text_range() == range)
        .and_then(|call| {
            call.children()
                .find(|child| child.kind() == SyntaxKind::ARG_LIST)
        })
        .map(|list| list.children().collect())
        .unwrap_or_default()
}

/// What is wrong with a format call's format string and arguments, at
/// level 1, where `erl_lint` says it.
fn format_problem(format: &SyntaxNode, args: Option<&SyntaxNode>) -> Option<(TextRange, String)> {
    let format_text = literal_text(format)?;
    let format_range = format.text_range();
    let needed = match args {
        None => None,
        Some(args) => match argument_count(args) {
            ArgumentList::Known(count) => Some((count, args.text_range())),
            ArgumentList::NotAList => {
                return Some((args.text_range(), "format arguments not a list".to_owned()));
            }
            ArgumentList::Unknown => return None,
        },
    };
    let need = match format_arguments(&format_text) {
        Ok(need) => need.len(),
        Err(reason) => return Some((format_range, format!("format string invalid ({reason})"))),
    };
    let Some((actual, args_range)) = needed else {
        return (need > 0).then(|| {
            (
                format_range,
                format!(
                    "the format string requires an argument list with {}, but no argument list is given",
                    arguments(need)
                ),
            )
        });
    };
    let prefix = format!(
        "the format string requires an argument list with {}, but the argument list ",
        arguments(need)
    );
    let message = match (actual, need) {
        _ if actual == need => return None,
        (_, 0) => format!(
            "the format string requires an empty argument list, but the argument list contains {}",
            arguments(actual)
        ),
        (0, _) => format!("{prefix}is empty"),
        _ if actual < need => format!("{prefix}contains only {}", arguments(actual)),
        _ => format!("{prefix}contains {}", arguments(actual)),
    };
    Some((args_range, message))
}

fn arguments(count: usize) -> String {
    if count == 1 {
        "1 argument".to_owned()
    } else {
        format!("{count} arguments")
    }
}

/// The text of a string literal (adjacent strings joined) or an atom.
fn literal_text(node: &SyntaxNode) -> Option<String> {
    match node.kind() {
        SyntaxKind::ATOM => Some(syntax::ast::atom_value(&first_token_text(node)?)),
        SyntaxKind::LITERAL => {
            let token = node
                .children_with_tokens()
                .filter_map(|element| element.into_token())
                .find(|token| !token.kind().is_trivia())?;
            (token.kind() == SyntaxKind::STRING).then(|| syntax::ast::string_value(token.text()))
        }
        SyntaxKind::STRING_CONCAT => node
            .children()
            .map(|part| literal_text(&part).filter(|_| part.kind() == SyntaxKind::LITERAL))
            .collect(),
        SyntaxKind::PAREN_EXPR => literal_text(&node.children().next()?),
        _ => None,
    }
}

fn first_token_text(node: &SyntaxNode) -> Option<String> {
    node.children_with_tokens()
        .filter_map(|element| element.into_token())
        .find(|token| !token.kind().is_trivia())
        .map(|token| token.text().to_owned())
}

/// What `erl_lint` can tell of a format call's argument list.
enum ArgumentList {
    Known(usize),
    /// An atom or a number: `format arguments not a list`.
    NotAList,
    /// Not a literal list (a variable, a call, a list with an unknown tail).
    Unknown,
}

fn argument_count(args: &SyntaxNode) -> ArgumentList {
    match args.kind() {
        SyntaxKind::PAREN_EXPR => match args.children().next() {
            Some(inner) => argument_count(&inner),
            None => ArgumentList::Unknown,
        },
        SyntaxKind::ATOM => ArgumentList::NotAList,
        SyntaxKind::LITERAL | SyntaxKind::STRING_CONCAT => match literal_text(args) {
            // A string is a list of characters.
            Some(text) => ArgumentList::Known(text.chars().count()),
            None => {
                let is_number = args
                    .children_with_tokens()
                    .filter_map(|element| element.into_token())
                    .any(|token| matches!(token.kind(), SyntaxKind::INTEGER | SyntaxKind::FLOAT));
                if is_number {
                    ArgumentList::NotAList
                } else {
                    ArgumentList::Unknown
                }
            }
        },
        SyntaxKind::LIST => {
            let mut elements = 0;
            let mut tail = None;
            let mut after_pipe = false;
            for element in args.children_with_tokens() {
                match element {
                    syntax::NodeOrToken::Token(token) if token.kind() == SyntaxKind::PIPE => {
                        after_pipe = true;
                    }
                    syntax::NodeOrToken::Node(node) if after_pipe => tail = Some(node),
                    syntax::NodeOrToken::Node(_) => elements += 1,
                    syntax::NodeOrToken::Token(_) => {}
                }
            }
            match tail {
                None => ArgumentList::Known(elements),
                Some(tail) => match argument_count(&tail) {
                    // `[a | "bc"]`: `erl_lint` does not know.
                    ArgumentList::Known(_) if tail.kind() != SyntaxKind::LIST => {
                        ArgumentList::Unknown
                    }
                    ArgumentList::Known(rest) => ArgumentList::Known(elements + rest),
                    ArgumentList::NotAList => ArgumentList::NotAList,
                    ArgumentList::Unknown => ArgumentList::Unknown,
                },
            }
        }
        _ => ArgumentList::Unknown,
    }
}
