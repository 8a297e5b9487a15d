//! The defects `corpus mutants` injects: for each kind, every place in a
//! module where it can go, as text edits of the module, and the erlkit code
//! that `erlc`'s report of the defect maps to.

use hir::items::NameArity;
use syntax::ast::{self, AstNode};
use syntax::{SyntaxElement, SyntaxKind, SyntaxNode, TextRange, TextSize};

use super::sites::{ModuleView, Occurrence, first_token, trimmed_range};

/// A kind of defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum MutationKind {
    UnboundUse,
    UnboundBinding,
    UnusedVariable,
    UnsafeCase,
    UnsafeTry,
    ExportedVariable,
    ShadowedInFun,
    UnderscoreMatched,
    StacktraceInGuard,
    SyntaxError,
    FunctionRedefined,
    ExportOfRemoved,
    RemovedButCalled,
    MisspeltCall,
    WrongArityCall,
    WrongArityBif,
    UnexportedUnused,
    MisspeltField,
    MisspeltRecord,
    FieldTwice,
    RecordTwice,
    UnusedRecord,
    MisspeltType,
    UnusedType,
    TypeTwice,
    SpecOfMisspelt,
    SpecTwice,
    MissingCallback,
    DeprecatedCall,
    RemovedCall,
    FormatArity,
    FormatCallAdded,
    UndefinedMacro,
    MacroArity,
    MissingInclude,
    WarningDirective,
    ErrorDirective,
    UndefinedModule,
    MisspeltRemote,
    WrongArityRemote,
}

impl MutationKind {
    /// Every kind, in the order of the report.
    pub(super) const ALL: [MutationKind; 40] = [
        MutationKind::UnboundUse,
        MutationKind::UnboundBinding,
        MutationKind::UnusedVariable,
        MutationKind::UnsafeCase,
        MutationKind::UnsafeTry,
        MutationKind::ExportedVariable,
        MutationKind::ShadowedInFun,
        MutationKind::UnderscoreMatched,
        MutationKind::StacktraceInGuard,
        MutationKind::SyntaxError,
        MutationKind::FunctionRedefined,
        MutationKind::ExportOfRemoved,
        MutationKind::RemovedButCalled,
        MutationKind::MisspeltCall,
        MutationKind::WrongArityCall,
        MutationKind::WrongArityBif,
        MutationKind::UnexportedUnused,
        MutationKind::MisspeltField,
        MutationKind::MisspeltRecord,
        MutationKind::FieldTwice,
        MutationKind::RecordTwice,
        MutationKind::UnusedRecord,
        MutationKind::MisspeltType,
        MutationKind::UnusedType,
        MutationKind::TypeTwice,
        MutationKind::SpecOfMisspelt,
        MutationKind::SpecTwice,
        MutationKind::MissingCallback,
        MutationKind::DeprecatedCall,
        MutationKind::RemovedCall,
        MutationKind::FormatArity,
        MutationKind::FormatCallAdded,
        MutationKind::UndefinedMacro,
        MutationKind::MacroArity,
        MutationKind::MissingInclude,
        MutationKind::WarningDirective,
        MutationKind::ErrorDirective,
        MutationKind::UndefinedModule,
        MutationKind::MisspeltRemote,
        MutationKind::WrongArityRemote,
    ];

    /// The kind's name in the report and in mutant ids.
    pub(super) fn name(self) -> &'static str {
        self.entry().0
    }

    /// The erlkit code of the finding the defect is made to cause.
    pub(super) fn code(self) -> &'static str {
        self.entry().1
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            MutationKind::UnboundUse => ("unbound-use", "E1101"),
            MutationKind::UnboundBinding => ("unbound-binding", "E1101"),
            MutationKind::UnusedVariable => ("unused-variable", "W2101"),
            MutationKind::UnsafeCase => ("unsafe-case", "E1102"),
            MutationKind::UnsafeTry => ("unsafe-try", "E1102"),
            MutationKind::ExportedVariable => ("exported-variable", "W2102"),
            MutationKind::ShadowedInFun => ("shadowed-in-fun", "W2103"),
            MutationKind::UnderscoreMatched => ("underscore-matched", "W2104"),
            MutationKind::StacktraceInGuard => ("stacktrace-in-guard", "E1103"),
            MutationKind::SyntaxError => ("missing-comma", "E1001"),
            MutationKind::FunctionRedefined => ("function-redefined", "E1202"),
            MutationKind::ExportOfRemoved => ("export-of-removed", "E1201"),
            MutationKind::RemovedButCalled => ("removed-but-called", "E1203"),
            MutationKind::MisspeltCall => ("misspelt-call", "E1203"),
            MutationKind::WrongArityCall => ("wrong-arity-call", "E1203"),
            MutationKind::WrongArityBif => ("wrong-arity-bif", "E1203"),
            MutationKind::UnexportedUnused => ("unexported-unused", "W2201"),
            MutationKind::MisspeltField => ("misspelt-field", "E1205"),
            MutationKind::MisspeltRecord => ("misspelt-record", "E1204"),
            MutationKind::FieldTwice => ("field-twice", "E1206"),
            MutationKind::RecordTwice => ("record-twice", "E1207"),
            MutationKind::UnusedRecord => ("unused-record", "W2202"),
            MutationKind::MisspeltType => ("misspelt-type", "E1208"),
            MutationKind::UnusedType => ("unused-type", "W2203"),
            MutationKind::TypeTwice => ("type-twice", "E1209"),
            MutationKind::SpecOfMisspelt => ("spec-of-misspelt", "E1210"),
            MutationKind::SpecTwice => ("spec-twice", "E1211"),
            MutationKind::MissingCallback => ("missing-callback", "W2204"),
            MutationKind::DeprecatedCall => ("deprecated-call", "W2205"),
            MutationKind::RemovedCall => ("removed-call", "W2206"),
            MutationKind::FormatArity => ("format-arity", "W2207"),
            MutationKind::FormatCallAdded => ("format-call-added", "W2207"),
            MutationKind::UndefinedMacro => ("undefined-macro", "E1003"),
            MutationKind::MacroArity => ("macro-arity", "E1004"),
            MutationKind::MissingInclude => ("missing-include", "E1002"),
            MutationKind::WarningDirective => ("warning-directive", "W2001"),
            MutationKind::ErrorDirective => ("error-directive", "E1006"),
            MutationKind::UndefinedModule => ("undefined-module", "W2301"),
            MutationKind::MisspeltRemote => ("misspelt-remote", "W2302"),
            MutationKind::WrongArityRemote => ("wrong-arity-remote", "W2302"),
        }
    }

    /// Every mutation of this kind that `view`'s module allows.
    pub(super) fn candidates(self, view: &ModuleView<'_>) -> Vec<Mutation> {
        let mut out = Vec::new();
        let mut push = |description: String, edits: Vec<Edit>| {
            out.push(Mutation {
                kind: self,
                description,
                edits,
            });
        };
        match self {
            MutationKind::UnboundUse => unbound_use(view, &mut push),
            MutationKind::UnboundBinding => unbound_binding(view, &mut push),
            MutationKind::UnusedVariable => {
                for at in clause_body_starts(view) {
                    push(
                        format!("line {}: `MutantUnused = 1,` added", view.line(at)),
                        vec![Edit::insert(at, "MutantUnused = 1, ")],
                    );
                }
            }
            MutationKind::UnsafeCase => unsafe_case(view, &mut push),
            MutationKind::UnsafeTry => unsafe_try(view, &mut push),
            MutationKind::ExportedVariable => exported_variable(view, &mut push),
            MutationKind::ShadowedInFun => shadowed_in_fun(view, &mut push),
            MutationKind::UnderscoreMatched => {
                for at in clause_body_starts(view) {
                    push(
                        format!(
                            "line {}: `_MutantIgnored = 1, _MutantIgnored = 1,` added",
                            view.line(at)
                        ),
                        vec![Edit::insert(at, "_MutantIgnored = 1, _MutantIgnored = 1, ")],
                    );
                }
            }
            MutationKind::StacktraceInGuard => stacktrace_in_guard(view, &mut push),
            MutationKind::SyntaxError => missing_comma(view, &mut push),
            MutationKind::FunctionRedefined => function_redefined(view, &mut push),
            MutationKind::ExportOfRemoved => removed_function(view, false, &mut push),
            MutationKind::RemovedButCalled => removed_function(view, true, &mut push),
            MutationKind::MisspeltCall => misspelt_call(view, &mut push),
            MutationKind::WrongArityCall => wrong_arity_call(view, false, &mut push),
            MutationKind::WrongArityBif => wrong_arity_call(view, true, &mut push),
            MutationKind::UnexportedUnused => unexported_unused(view, &mut push),
            MutationKind::MisspeltField => misspelt_record(view, true, &mut push),
            MutationKind::MisspeltRecord => misspelt_record(view, false, &mut push),
            MutationKind::FieldTwice => field_twice(view, &mut push),
            MutationKind::RecordTwice => {
                form_twice(view, SyntaxKind::RECORD_DECL, "record", &mut push)
            }
            MutationKind::UnusedRecord => {
                declaration_added(view, "-record(mutant_unused, {a, b}).\n", &mut push)
            }
            MutationKind::MisspeltType => misspelt_type(view, &mut push),
            MutationKind::UnusedType => {
                declaration_added(view, "-type mutant_unused_t() :: integer().\n", &mut push)
            }
            MutationKind::TypeTwice => form_twice(view, SyntaxKind::TYPE_DECL, "type", &mut push),
            MutationKind::SpecOfMisspelt => spec_of_misspelt(view, &mut push),
            MutationKind::SpecTwice => {
                form_twice(view, SyntaxKind::SPEC_ATTRIBUTE, "spec", &mut push)
            }
            MutationKind::MissingCallback => missing_callback(view, &mut push),
            MutationKind::DeprecatedCall => obsolete_call(view, DEPRECATED_CALLS, &mut push),
            MutationKind::RemovedCall => obsolete_call(view, REMOVED_CALLS, &mut push),
            MutationKind::FormatArity => format_arity(view, &mut push),
            MutationKind::FormatCallAdded => {
                for at in clause_body_starts(view) {
                    push(
                        format!(
                            "line {}: `io:format(\"~p ~p~n\", [mutant]),` added",
                            view.line(at)
                        ),
                        vec![Edit::insert(at, "io:format(\"~p ~p~n\", [mutant]), ")],
                    );
                }
            }
            MutationKind::UndefinedMacro => macro_calls(view, false, &mut push),
            MutationKind::MacroArity => macro_calls(view, true, &mut push),
            MutationKind::MissingInclude => {
                declaration_added(view, "-include(\"mutant_missing.hrl\").\n", &mut push)
            }
            MutationKind::WarningDirective => {
                declaration_added(view, "-warning(\"a mutant's warning\").\n", &mut push)
            }
            MutationKind::ErrorDirective => {
                declaration_added(view, "-error(\"a mutant's error\").\n", &mut push)
            }
            MutationKind::UndefinedModule
            | MutationKind::MisspeltRemote
            | MutationKind::WrongArityRemote => remote_call(view, self, &mut push),
        }
        out
    }

    /// Whether xref judges mutants of this kind (calls across modules),
    /// not the compiler alone.
    pub(super) fn is_cross_module(self) -> bool {
        matches!(
            self,
            MutationKind::UndefinedModule
                | MutationKind::MisspeltRemote
                | MutationKind::WrongArityRemote
        )
    }
}

/// One defect injected into a module.
#[derive(Debug, Clone)]
pub(super) struct Mutation {
    pub(super) kind: MutationKind,
    /// What was done, for people (with the line in the original).
    pub(super) description: String,
    edits: Vec<Edit>,
}

impl Mutation {
    /// `text` with the edits made.
    pub(super) fn apply(&self, text: &str) -> String {
        let mut edits: Vec<&Edit> = self.edits.iter().collect();
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.start));
        let mut out = text.to_owned();
        for edit in edits {
            out.replace_range(edit.start..edit.end, &edit.insert);
        }
        out
    }
}

/// Text from `start` to `end` replaced by `insert`.
#[derive(Debug, Clone)]
struct Edit {
    start: usize,
    end: usize,
    insert: String,
}

impl Edit {
    fn insert(at: TextSize, text: &str) -> Edit {
        Edit::replace(TextRange::empty(at), text)
    }

    fn replace(range: TextRange, text: &str) -> Edit {
        Edit {
            start: range.start().into(),
            end: range.end().into(),
            insert: text.to_owned(),
        }
    }

    fn delete(range: TextRange) -> Edit {
        Edit::replace(range, "")
    }
}

/// Deprecated calls (`otp_internal:obsolete/3` says `deprecated`), with arguments.
const DEPRECATED_CALLS: &[&str] = &[
    "erlang:now()",
    "erlang:phash(mutant, 16)",
    "crypto:rand_uniform(1, 10)",
    "calendar:local_time_to_universal_time({{2000, 1, 1}, {0, 0, 0}})",
    "queue:lait(queue:new())",
];

/// Removed calls (`otp_internal:obsolete/3` says `removed`), with arguments.
const REMOVED_CALLS: &[&str] = &[
    "erlang:get_stacktrace()",
    "erlang:hash(mutant, 16)",
    "filename:safe_relative_path(\"a\")",
    "http_uri:parse(\"http://a\")",
];

/// Auto-imported BIFs with one arity only: one more argument calls a
/// function that exists nowhere.
const SINGLE_ARITY_BIFS: &[(&str, usize)] = &[
    ("length", 1),
    ("element", 2),
    ("setelement", 3),
    ("tuple_size", 1),
    ("byte_size", 1),
    ("hd", 1),
    ("tl", 1),
    ("self", 0),
    ("is_list", 1),
    ("is_atom", 1),
    ("is_tuple", 1),
    ("is_binary", 1),
    ("is_integer", 1),
    ("is_pid", 1),
    ("is_map", 1),
    ("abs", 1),
    ("atom_to_list", 1),
    ("tuple_to_list", 1),
    ("list_to_tuple", 1),
    ("iolist_size", 1),
    ("map_size", 1),
    ("make_ref", 0),
];

/// The callbacks of OTP 25's behaviours that are not optional.
const REQUIRED_CALLBACKS: &[(&str, &[(&str, u32)])] = &[
    (
        "gen_server",
        &[("init", 1), ("handle_call", 3), ("handle_cast", 2)],
    ),
    ("gen_statem", &[("init", 1), ("callback_mode", 0)]),
    ("supervisor", &[("init", 1)]),
    (
        "gen_event",
        &[("init", 1), ("handle_event", 2), ("handle_call", 2)],
    ),
    ("application", &[("start", 2), ("stop", 1)]),
    ("supervisor_bridge", &[("init", 1), ("terminate", 2)]),
];

type Push<'p> = dyn FnMut(String, Vec<Edit>) + 'p;

/// Where the first expression of each clause body starts (after a `->` the
/// compiler reads as written).
fn clause_body_starts(view: &ModuleView<'_>) -> Vec<TextSize> {
    view.nodes(SyntaxKind::CLAUSE_BODY)
        .filter_map(ast::ClauseBody::cast)
        .filter(|body| {
            body.arrow_token().is_some_and(|arrow| view.is_own(&arrow))
                && body
                    .syntax()
                    .ancestors()
                    .all(|a| a.kind() != SyntaxKind::MACRO_CALL)
        })
        .filter_map(|body| Some(body.exprs().next()?.syntax().text_range().start()))
        .collect()
}

/// Where a declaration can be added: before the first function.
fn declaration_added(view: &ModuleView<'_>, declaration: &str, push: &mut Push<'_>) {
    if let Some((_, decl)) = view.function_forms().first() {
        let at = decl.syntax().text_range().start();
        push(
            format!("line {}: `{}` added", view.line(at), declaration.trim_end()),
            vec![Edit::insert(at, declaration)],
        );
    }
}

/// A variable name not used in `function`, made from `name`.
fn fresh_name(view: &ModuleView<'_>, function: &NameArity, name: &str) -> Option<String> {
    let fresh = format!("{name}Typo");
    let taken = view
        .variable_names
        .get(function)
        .is_some_and(|names| names.iter().any(|n| *n == fresh));
    (!taken).then_some(fresh)
}

fn unbound_use(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for variable in &view.variables {
        if variable.occurrence != Occurrence::Use {
            continue;
        }
        let Some(fresh) = fresh_name(view, &variable.function, &variable.name) else {
            continue;
        };
        push(
            format!(
                "line {}: a use of `{}` renamed `{fresh}`",
                view.line(variable.range.start()),
                variable.name
            ),
            vec![Edit::replace(variable.range, &fresh)],
        );
    }
}

fn unbound_binding(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for variable in &view.variables {
        let Occurrence::Binding {
            uses,
            shared: false,
        } = variable.occurrence
        else {
            continue;
        };
        if uses == 0 || variable.name.starts_with('_') {
            continue;
        }
        let Some(fresh) = fresh_name(view, &variable.function, &variable.name) else {
            continue;
        };
        push(
            format!(
                "line {}: the binding of `{}` (used {uses} times) renamed `{fresh}`",
                view.line(variable.range.start()),
                variable.name
            ),
            vec![Edit::replace(variable.range, &fresh)],
        );
    }
}

/// `case`, `if`, `receive` and `try` expressions that are a statement of a
/// clause body, begin and end in plain code.
fn statements(view: &ModuleView<'_>, kinds: &[SyntaxKind]) -> Vec<SyntaxNode> {
    view.root
        .descendants()
        .filter(|node| kinds.contains(&node.kind()))
        .filter(|node| {
            node.parent()
                .is_some_and(|parent| parent.kind() == SyntaxKind::CLAUSE_BODY)
        })
        .filter(|node| {
            let range = trimmed_range(node);
            let tokens: Vec<_> = node
                .descendants_with_tokens()
                .filter_map(|element| element.into_token())
                .filter(|token| {
                    token.text_range().start() == range.start()
                        || token.text_range().end() == range.end()
                })
                .collect();
            !tokens.is_empty()
                && tokens.iter().all(|token| view.is_own(token))
                && node.ancestors().all(|a| a.kind() != SyntaxKind::MACRO_CALL)
        })
        .collect()
}

/// The clause bodies of a `case`, `if` or `receive` (with its `after`).
fn branch_bodies(node: &SyntaxNode) -> Vec<ast::ClauseBody> {
    node.children()
        .filter(|child| {
            matches!(
                child.kind(),
                SyntaxKind::CR_CLAUSE | SyntaxKind::IF_CLAUSE | SyntaxKind::RECEIVE_AFTER
            )
        })
        .filter_map(|clause| clause.children().find_map(ast::ClauseBody::cast))
        .collect()
}

/// Where a binding can go at the start of `body`.
fn body_start(view: &ModuleView<'_>, body: &ast::ClauseBody) -> Option<TextSize> {
    let arrow = body.arrow_token()?;
    if !view.is_own(&arrow) {
        return None;
    }
    Some(body.exprs().next()?.syntax().text_range().start())
}

fn unsafe_case(view: &ModuleView<'_>, push: &mut Push<'_>) {
    let kinds = [
        SyntaxKind::CASE_EXPR,
        SyntaxKind::IF_EXPR,
        SyntaxKind::RECEIVE_EXPR,
    ];
    for node in statements(view, &kinds) {
        let bodies = branch_bodies(&node);
        if bodies.len() < 2 {
            continue;
        }
        let Some(at) = body_start(view, &bodies[0]) else {
            continue;
        };
        let end = trimmed_range(&node).end();
        push(
            format!(
                "line {}: `MutantUnsafe` bound in the first of {} clauses, used after the construct",
                view.line(at),
                bodies.len()
            ),
            vec![
                Edit::insert(at, "MutantUnsafe = 1, "),
                Edit::insert(end, ", MutantUnsafe"),
            ],
        );
    }
}

fn unsafe_try(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for node in statements(view, &[SyntaxKind::TRY_EXPR]) {
        let Some(try_expr) = ast::TryExpr::cast(node.clone()) else {
            continue;
        };
        let Some(first) = try_expr.exprs().next() else {
            continue;
        };
        let at = first.syntax().text_range().start();
        let end = trimmed_range(&node).end();
        push(
            format!(
                "line {}: `MutantUnsafe` bound in a try's body, used after the try",
                view.line(at)
            ),
            vec![
                Edit::insert(at, "MutantUnsafe = 1, "),
                Edit::insert(end, ", MutantUnsafe"),
            ],
        );
    }
}

fn exported_variable(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for node in statements(view, &[SyntaxKind::CASE_EXPR, SyntaxKind::IF_EXPR]) {
        let bodies = branch_bodies(&node);
        let starts: Option<Vec<TextSize>> = bodies.iter().map(|b| body_start(view, b)).collect();
        let Some(starts) = starts.filter(|starts| !starts.is_empty()) else {
            continue;
        };
        let end = trimmed_range(&node).end();
        let mut edits: Vec<Edit> = starts
            .iter()
            .map(|&at| Edit::insert(at, "MutantExported = 1, "))
            .collect();
        edits.push(Edit::insert(end, ", MutantExported = 1"));
        push(
            format!(
                "line {}: `MutantExported` bound in all {} clauses, matched after the construct",
                view.line(node.text_range().start()),
                starts.len()
            ),
            edits,
        );
    }
}

fn shadowed_in_fun(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for (_, decl) in view.function_forms() {
        for clause in decl.fun_clauses() {
            let Some(args) = clause.arg_list() else {
                continue;
            };
            let head_vars: Vec<String> = args
                .syntax()
                .descendants_with_tokens()
                .filter_map(|element| element.into_token())
                .filter(|token| token.kind() == SyntaxKind::VAR && view.is_own(token))
                .filter(|token| !token.text().starts_with('_'))
                .filter(|token| {
                    token
                        .parent_ancestors()
                        .all(|a| a.kind() != SyntaxKind::FUN_EXPR)
                })
                .map(|token| token.text().to_owned())
                .collect();
            let Some(body) = clause.clause_body() else {
                continue;
            };
            for fun in body
                .syntax()
                .descendants()
                .filter_map(ast::FunExpr::cast)
                .filter(|fun| view.is_plain(fun.syntax()))
            {
                let Some(fun_clause) = fun.fun_clauses().next() else {
                    continue;
                };
                if fun_clause.name().is_some() {
                    continue;
                }
                let Some(fun_args) = fun_clause.arg_list() else {
                    continue;
                };
                let Some(first_arg) = fun_args.exprs().next() else {
                    continue;
                };
                let fun_head = fun_args.syntax().text().to_string();
                for var in &head_vars {
                    if fun_head.contains(var.as_str()) {
                        continue;
                    }
                    let at = first_arg.syntax().text_range().start();
                    push(
                        format!(
                            "line {}: `{var} = ` put before the first argument of a fun in a clause whose head binds `{var}`",
                            view.line(at)
                        ),
                        vec![Edit::insert(at, &format!("{var} = "))],
                    );
                }
            }
        }
    }
}

fn stacktrace_in_guard(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for clause in view
        .nodes(SyntaxKind::CATCH_CLAUSE)
        .filter_map(ast::CatchClause::cast)
    {
        if clause.guard().is_some() {
            continue;
        }
        let Some(pattern) = clause.catch_pattern() else {
            continue;
        };
        let Some(ast::Expr::Var(stack)) = pattern.stack() else {
            continue;
        };
        if !view.is_plain(pattern.syntax()) {
            continue;
        }
        let Some(token) = stack.token() else {
            continue;
        };
        if token.text().starts_with('_') {
            continue;
        }
        let at = trimmed_range(pattern.syntax()).end();
        push(
            format!(
                "line {}: guard `when {} =/= []` added to a catch clause",
                view.line(at),
                token.text()
            ),
            vec![Edit::insert(at, &format!(" when {} =/= []", token.text()))],
        );
    }
}

/// The comma between two expressions of a clause body deleted, where the
/// second starts with a variable or an atom (so that no other expression
/// forms, such as a call or a subtraction).
fn missing_comma(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for body in view
        .nodes(SyntaxKind::CLAUSE_BODY)
        .filter_map(ast::ClauseBody::cast)
    {
        if body
            .syntax()
            .ancestors()
            .any(|a| a.kind() == SyntaxKind::MACRO_CALL)
        {
            continue;
        }
        let exprs: Vec<ast::Expr> = body.exprs().collect();
        for pair in exprs.windows(2) {
            let Some(next) = first_token(pair[1].syntax()) else {
                continue;
            };
            if !matches!(next.kind(), SyntaxKind::VAR | SyntaxKind::ATOM) || !view.is_own(&next) {
                continue;
            }
            let last = pair[0]
                .syntax()
                .descendants_with_tokens()
                .filter_map(|element| element.into_token())
                .filter(|token| !token.kind().is_trivia())
                .last();
            if !last.is_some_and(|token| view.is_own(&token)) {
                continue;
            }
            let comma = next_significant(&pair[0].syntax().clone().into())
                .and_then(|element| element.into_token());
            let Some(comma) =
                comma.filter(|token| token.kind() == SyntaxKind::COMMA && view.is_own(token))
            else {
                continue;
            };
            push(
                format!(
                    "line {}: the comma after an expression deleted",
                    view.line(comma.text_range().start())
                ),
                vec![Edit::delete(comma.text_range())],
            );
        }
    }
}

fn function_redefined(view: &ModuleView<'_>, push: &mut Push<'_>) {
    let functions = view.function_forms();
    for (index, (name, decl)) in functions.iter().enumerate() {
        let Some(clause) = decl.fun_clauses().next() else {
            continue;
        };
        let clause_text = view.text_of(trimmed_range(clause.syntax()));
        // After the next function, so that another one comes between.
        let after = functions.get(index + 1).map_or(decl, |(_, next)| next);
        let at = after.syntax().text_range().end();
        push(
            format!(
                "line {}: the first clause of {name} copied after line {} as a function of its own",
                view.line(decl.syntax().text_range().start()),
                view.line(at)
            ),
            vec![Edit::insert(at, &format!("\n{clause_text}.\n"))],
        );
    }
}

/// The range of a whole form with the line break after it.
fn form_range_with_newline(view: &ModuleView<'_>, node: &SyntaxNode) -> TextRange {
    let range = node.text_range();
    let end = usize::from(range.end());
    let newline = view.text[end..]
        .find('\n')
        .filter(|&i| view.text[end..end + i].trim().is_empty())
        .map_or(0, |i| i + 1);
    TextRange::new(range.start(), range.end() + TextSize::from(newline as u32))
}

fn removed_function(view: &ModuleView<'_>, called: bool, push: &mut Push<'_>) {
    let functions = view.function_forms();
    for (name, decl) in &functions {
        if functions.iter().filter(|(other, _)| other == name).count() != 1 {
            continue;
        }
        let exported = view.items.exports.contains(name);
        let called_by_others = view.is_called_by_others(name);
        if view.items.on_load.as_ref() == Some(name) {
            continue;
        }
        let wanted = if called {
            called_by_others
        } else {
            exported && !called_by_others
        };
        if !wanted {
            continue;
        }
        push(
            format!(
                "line {}: {name} deleted ({}, {})",
                view.line(decl.syntax().text_range().start()),
                if exported { "exported" } else { "not exported" },
                if called_by_others {
                    "called by other functions"
                } else {
                    "called by no other function"
                }
            ),
            vec![Edit::delete(form_range_with_newline(view, decl.syntax()))],
        );
    }
}

/// Plain local calls `f(...)` outside guards: the call, its name and arity.
fn local_calls(view: &ModuleView<'_>) -> Vec<(ast::Call, ast::Atom, usize)> {
    view.nodes(SyntaxKind::CALL)
        .filter_map(ast::Call::cast)
        .filter(|call| view.is_plain(call.syntax()))
        .filter(|call| {
            call.syntax().ancestors().all(|a| {
                !matches!(
                    a.kind(),
                    SyntaxKind::GUARD
                        | SyntaxKind::SPEC_ATTRIBUTE
                        | SyntaxKind::CALLBACK_ATTRIBUTE
                        | SyntaxKind::TYPE_DECL
                        | SyntaxKind::RECORD_DECL
                        | SyntaxKind::WILD_ATTRIBUTE
                )
            }) && call
                .syntax()
                .ancestors()
                .any(|a| a.kind() == SyntaxKind::FUN_DECL)
        })
        .filter_map(|call| {
            let Some(ast::Expr::Atom(atom)) = call.callee() else {
                return None;
            };
            let arity = call.arg_list()?.exprs().count();
            Some((call, atom, arity))
        })
        .collect()
}

fn misspelt_call(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for (_, atom, arity) in local_calls(view) {
        let Some(token) = atom.token() else {
            continue;
        };
        let name = token.text();
        if !is_plain_atom(name) || !view.defines(name, arity as u32) {
            continue;
        }
        push(
            format!(
                "line {}: a call of {name}/{arity} renamed {name}_typo",
                view.line(token.text_range().start())
            ),
            vec![Edit::replace(token.text_range(), &format!("{name}_typo"))],
        );
    }
}

fn wrong_arity_call(view: &ModuleView<'_>, bif: bool, push: &mut Push<'_>) {
    for (call, atom, arity) in local_calls(view) {
        let Some(token) = atom.token() else {
            continue;
        };
        let name = token.text();
        if !is_plain_atom(name) {
            continue;
        }
        let imported = view
            .items
            .imports
            .iter()
            .flat_map(|import| &import.functions)
            .any(|f| f.name == name);
        let defined_any = view.items.functions.iter().any(|f| f.name.name == name);
        let wanted = if bif {
            SINGLE_ARITY_BIFS.contains(&(name, arity)) && !defined_any && !imported
        } else {
            view.defines(name, arity as u32)
                && !view.defines(name, arity as u32 + 1)
                && !imported
                && !SINGLE_ARITY_BIFS.iter().any(|(bif, _)| *bif == name)
        };
        if !wanted {
            continue;
        }
        let Some(args) = call.arg_list() else {
            continue;
        };
        let Some(close) = args.r_paren_token() else {
            continue;
        };
        let insert = if arity == 0 {
            "mutant_arg"
        } else {
            ", mutant_arg"
        };
        push(
            format!(
                "line {}: an argument added to a call of {name}/{arity}",
                view.line(token.text_range().start())
            ),
            vec![Edit::insert(close.text_range().start(), insert)],
        );
    }
}

/// A static remote call `m:f(Args)` to another module that exists and
/// exports `f/N`, written as the compiler reads it, in a function: its module
/// misspelt (`m_typo`), its function misspelt (`f_typo`) or an argument added,
/// as `kind` says.
fn remote_call(view: &ModuleView<'_>, kind: MutationKind, push: &mut Push<'_>) {
    let calls = view
        .nodes(SyntaxKind::CALL)
        .filter_map(ast::Call::cast)
        .filter(|call| view.is_plain(call.syntax()))
        .filter(|call| {
            call.syntax()
                .ancestors()
                .any(|a| a.kind() == SyntaxKind::FUN_DECL)
                && call
                    .syntax()
                    .ancestors()
                    .all(|a| !matches!(a.kind(), SyntaxKind::GUARD | SyntaxKind::MACRO_CALL))
        });
    for call in calls {
        let Some(ast::Expr::Remote(remote)) = call.callee() else {
            continue;
        };
        let (Some(ast::Expr::Atom(module)), Some(ast::Expr::Atom(function))) =
            (remote.module(), remote.fun())
        else {
            continue;
        };
        let (Some(module), Some(function)) = (module.token(), function.token()) else {
            continue;
        };
        let (m, f) = (module.text(), function.text());
        if !is_plain_atom(m) || !is_plain_atom(f) || m == "erlang" || view.module_name() == Some(m)
        {
            continue;
        }
        let Some(args) = call.arg_list() else {
            continue;
        };
        let Some(close) = args.r_paren_token() else {
            continue;
        };
        let arity = args.exprs().count() as u32;
        let Some(exports) = view.exports_of(m) else {
            continue;
        };
        let exports_fn = |name: &str, arity: u32| {
            exports
                .iter()
                .any(|export| export.name == name && export.arity == arity)
        };
        let typo_module = format!("{m}_typo");
        let typo_function = format!("{f}_typo");
        if !exports_fn(f, arity) || view.exports_of(&typo_module).is_some() {
            continue;
        }
        let line = view.line(module.text_range().start());
        match kind {
            MutationKind::UndefinedModule => push(
                format!("line {line}: a call of {m}:{f}/{arity} to {typo_module}:{f}/{arity}"),
                vec![Edit::replace(module.text_range(), &typo_module)],
            ),
            MutationKind::MisspeltRemote if !exports_fn(&typo_function, arity) => push(
                format!("line {line}: a call of {m}:{f}/{arity} to {m}:{typo_function}/{arity}"),
                vec![Edit::replace(function.text_range(), &typo_function)],
            ),
            MutationKind::WrongArityRemote if !exports_fn(f, arity + 1) => push(
                format!("line {line}: an argument added to a call of {m}:{f}/{arity}"),
                vec![Edit::insert(
                    close.text_range().start(),
                    if arity == 0 {
                        "mutant_arg"
                    } else {
                        ", mutant_arg"
                    },
                )],
            ),
            _ => {}
        }
    }
}

/// An atom written without quotes.
fn is_plain_atom(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
}

fn unexported_unused(view: &ModuleView<'_>, push: &mut Push<'_>) {
    if view
        .items
        .compile_options
        .iter()
        .any(|option| option.contains("export_all"))
    {
        return;
    }
    let functions = view.function_forms();
    for attribute in view.nodes(SyntaxKind::EXPORT_ATTRIBUTE) {
        if !view.is_plain(&attribute) {
            continue;
        }
        let Some(list) = ast::ExportAttribute::cast(attribute).and_then(|a| a.fa_list()) else {
            continue;
        };
        for fa in list.fas() {
            let (Some(ast::Name::Atom(atom)), Some(arity)) = (fa.name(), fa.arity()) else {
                continue;
            };
            let (Some(name), Ok(arity)) = (atom.value(), arity.syntax().text().to_string().parse())
            else {
                continue;
            };
            let function = NameArity {
                name: name.as_str().into(),
                arity,
            };
            let exported_once = view
                .items
                .exports
                .iter()
                .filter(|e| **e == function)
                .count()
                == 1;
            let defined = functions.iter().any(|(f, _)| *f == function);
            if !exported_once
                || !defined
                || view.is_called_by_others(&function)
                || view.items.on_load.as_ref() == Some(&function)
            {
                continue;
            }
            push(
                format!(
                    "line {}: {function} taken out of the export list (no other function calls it)",
                    view.line(fa.syntax().text_range().start())
                ),
                vec![Edit::delete(list_entry_range(fa.syntax()))],
            );
        }
    }
}

/// The range to delete to take `entry` out of its list: with the comma and
/// white space after it, or when it is last, with those before it.
fn list_entry_range(entry: &SyntaxNode) -> TextRange {
    let range = entry.text_range();
    let element: SyntaxElement = entry.clone().into();
    if let Some(comma) = next_significant(&element).filter(|e| e.kind() == SyntaxKind::COMMA) {
        // Up to the next entry.
        let end = next_significant(&comma)
            .map_or(comma.text_range().end(), |next| next.text_range().start());
        return TextRange::new(range.start(), end);
    }
    if let Some(comma) = previous_significant(&element).filter(|e| e.kind() == SyntaxKind::COMMA) {
        return TextRange::new(comma.text_range().start(), range.end());
    }
    range
}

/// The next sibling of `element` that is not trivia.
fn next_significant(element: &SyntaxElement) -> Option<SyntaxElement> {
    std::iter::successors(element.next_sibling_or_token(), |e| {
        e.next_sibling_or_token()
    })
    .find(|e| !e.kind().is_trivia())
}

/// The previous sibling of `element` that is not trivia.
fn previous_significant(element: &SyntaxElement) -> Option<SyntaxElement> {
    std::iter::successors(element.prev_sibling_or_token(), |e| {
        e.prev_sibling_or_token()
    })
    .find(|e| !e.kind().is_trivia())
}

/// Record expressions, field accesses and indexes in function bodies with
/// the record's name and their field names (as atoms).
fn misspelt_record(view: &ModuleView<'_>, field: bool, push: &mut Push<'_>) {
    let records: Vec<&str> = view.items.records.iter().map(|r| r.name.as_str()).collect();
    for node in view.root.descendants().filter(|node| {
        matches!(
            node.kind(),
            SyntaxKind::RECORD_EXPR | SyntaxKind::RECORD_FIELD_ACCESS | SyntaxKind::RECORD_INDEX
        )
    }) {
        if !view.is_plain(&node) || node.ancestors().all(|a| a.kind() != SyntaxKind::FUN_DECL) {
            continue;
        }
        let (name, fields): (Option<ast::Name>, Vec<ast::Name>) =
            if let Some(record) = ast::RecordExpr::cast(node.clone()) {
                (
                    record.name(),
                    record.record_fields().filter_map(|f| f.name()).collect(),
                )
            } else if let Some(access) = ast::RecordFieldAccess::cast(node.clone()) {
                (access.name(), access.field().into_iter().collect())
            } else if let Some(index) = ast::RecordIndex::cast(node.clone()) {
                (index.name(), index.field().into_iter().collect())
            } else {
                continue;
            };
        let Some(ast::Name::Atom(name)) = name else {
            continue;
        };
        let (Some(record), Some(record_token)) = (name.value(), name.token()) else {
            continue;
        };
        if !records.contains(&record.as_str()) || !is_plain_atom(record_token.text()) {
            continue;
        }
        if !field {
            push(
                format!(
                    "line {}: record #{record} named #{record}_typo",
                    view.line(record_token.text_range().start())
                ),
                vec![Edit::replace(
                    record_token.text_range(),
                    &format!("{record}_typo"),
                )],
            );
            continue;
        }
        for field in fields {
            let ast::Name::Atom(atom) = field else {
                continue;
            };
            let Some(token) = atom.token() else {
                continue;
            };
            if !is_plain_atom(token.text()) {
                continue;
            }
            push(
                format!(
                    "line {}: field {} of #{record} misspelt {}_typo",
                    view.line(token.text_range().start()),
                    token.text(),
                    token.text()
                ),
                vec![Edit::replace(
                    token.text_range(),
                    &format!("{}_typo", token.text()),
                )],
            );
        }
    }
}

fn field_twice(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for decl in view
        .nodes(SyntaxKind::RECORD_DECL)
        .filter_map(ast::RecordDecl::cast)
    {
        if !view.is_plain(decl.syntax()) {
            continue;
        }
        let Some(first) = decl
            .record_decl_fields()
            .and_then(|fields| fields.record_field_decls().next())
        else {
            continue;
        };
        let Some(ast::Name::Atom(name)) = first.name() else {
            continue;
        };
        let Some(token) = name.token() else {
            continue;
        };
        let at = first.syntax().text_range().start();
        push(
            format!(
                "line {}: field {} written twice in a record declaration",
                view.line(at),
                token.text()
            ),
            vec![Edit::insert(at, &format!("{}, ", token.text()))],
        );
    }
}

/// A plain form of `kind` copied right after itself.
fn form_twice(view: &ModuleView<'_>, kind: SyntaxKind, what: &str, push: &mut Push<'_>) {
    for form in view.nodes(kind) {
        if form
            .parent()
            .is_none_or(|parent| parent.kind() != SyntaxKind::SOURCE_FILE)
            || !view.is_plain(&form)
        {
            continue;
        }
        let range = trimmed_range(&form);
        push(
            format!(
                "line {}: the {what} declaration copied after itself",
                view.line(range.start())
            ),
            vec![Edit::insert(
                range.end(),
                &format!("\n{}", view.text_of(range)),
            )],
        );
    }
}

fn misspelt_type(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for form in view.forms() {
        let node = form.syntax();
        if !matches!(
            node.kind(),
            SyntaxKind::SPEC_ATTRIBUTE | SyntaxKind::TYPE_DECL
        ) || !view.is_plain(node)
        {
            continue;
        }
        for call in node.descendants().filter_map(ast::Call::cast) {
            let Some(ast::Expr::Atom(atom)) = call.callee() else {
                continue;
            };
            let (Some(token), Some(args)) = (atom.token(), call.arg_list()) else {
                continue;
            };
            let name = token.text();
            let arity = args.exprs().count() as u32;
            let local = view
                .items
                .types
                .iter()
                .any(|t| t.name.name == name && t.name.arity == arity);
            if !local || !is_plain_atom(name) {
                continue;
            }
            push(
                format!(
                    "line {}: type {name}/{arity} misspelt {name}_typo",
                    view.line(token.text_range().start())
                ),
                vec![Edit::replace(token.text_range(), &format!("{name}_typo"))],
            );
        }
    }
}

fn spec_of_misspelt(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for spec in view
        .nodes(SyntaxKind::SPEC_ATTRIBUTE)
        .filter_map(ast::SpecAttribute::cast)
    {
        if !view.is_plain(spec.syntax()) {
            continue;
        }
        let Some(name) = spec.spec_name() else {
            continue;
        };
        if name.module().is_some() {
            continue;
        }
        let Some(ast::Name::Atom(atom)) = name.name() else {
            continue;
        };
        let Some(token) = atom.token() else {
            continue;
        };
        if !is_plain_atom(token.text()) {
            continue;
        }
        push(
            format!(
                "line {}: the function of a spec misspelt {}_typo",
                view.line(token.text_range().start()),
                token.text()
            ),
            vec![Edit::replace(
                token.text_range(),
                &format!("{}_typo", token.text()),
            )],
        );
    }
}

fn missing_callback(view: &ModuleView<'_>, push: &mut Push<'_>) {
    let functions = view.function_forms();
    let export_entries: Vec<(NameArity, SyntaxNode)> = view
        .nodes(SyntaxKind::EXPORT_ATTRIBUTE)
        .filter(|attribute| view.is_plain(attribute))
        .filter_map(|attribute| ast::ExportAttribute::cast(attribute)?.fa_list())
        .flat_map(|list| list.fas().collect::<Vec<_>>())
        .filter_map(|fa| {
            let Some(ast::Name::Atom(atom)) = fa.name() else {
                return None;
            };
            let arity = fa.arity()?.syntax().text().to_string().parse().ok()?;
            Some((
                NameArity {
                    name: atom.value()?.as_str().into(),
                    arity,
                },
                fa.syntax().clone(),
            ))
        })
        .collect();
    for behaviour in &view.items.behaviours {
        let Some((_, callbacks)) = REQUIRED_CALLBACKS
            .iter()
            .find(|(name, _)| *name == behaviour.as_str())
        else {
            continue;
        };
        for &(name, arity) in *callbacks {
            let function = NameArity {
                name: name.into(),
                arity,
            };
            let definitions: Vec<_> = functions.iter().filter(|(f, _)| *f == function).collect();
            let entries: Vec<_> = export_entries
                .iter()
                .filter(|(f, _)| *f == function)
                .collect();
            let ([(_, decl)], [(_, entry)]) = (definitions.as_slice(), entries.as_slice()) else {
                continue;
            };
            if view
                .items
                .exports
                .iter()
                .filter(|e| **e == function)
                .count()
                != 1
            {
                continue;
            }
            push(
                format!(
                    "line {}: {behaviour} callback {function} deleted with its export",
                    view.line(decl.syntax().text_range().start())
                ),
                vec![
                    Edit::delete(form_range_with_newline(view, decl.syntax())),
                    Edit::delete(list_entry_range(entry)),
                ],
            );
        }
    }
}

fn obsolete_call(view: &ModuleView<'_>, calls: &[&str], push: &mut Push<'_>) {
    for (index, at) in clause_body_starts(view).into_iter().enumerate() {
        let call = calls[index % calls.len()];
        push(
            format!("line {}: `_ = {call},` added", view.line(at)),
            vec![Edit::insert(at, &format!("_ = {call}, "))],
        );
    }
}

fn format_arity(view: &ModuleView<'_>, push: &mut Push<'_>) {
    for call in view.nodes(SyntaxKind::CALL).filter_map(ast::Call::cast) {
        if !view.is_plain(call.syntax()) {
            continue;
        }
        let Some(ast::Expr::Remote(remote)) = call.callee() else {
            continue;
        };
        let (Some(ast::Expr::Atom(module)), Some(ast::Expr::Atom(function))) =
            (remote.module(), remote.fun())
        else {
            continue;
        };
        let (Some(module), Some(function)) = (module.value(), function.value()) else {
            continue;
        };
        if !matches!(module.as_str(), "io" | "io_lib")
            || !matches!(function.as_str(), "format" | "fwrite")
        {
            continue;
        }
        let Some(args) = call.arg_list() else {
            continue;
        };
        let args: Vec<ast::Expr> = args.exprs().collect();
        let format = match args.len() {
            1 | 2 => &args[0],
            3 => &args[1],
            _ => continue,
        };
        if args.len() > 1 && !matches!(args.last(), Some(ast::Expr::List(_))) {
            continue;
        }
        let ast::Expr::Literal(literal) = format else {
            continue;
        };
        let Some(string) = literal
            .token()
            .filter(|token| token.kind() == SyntaxKind::STRING)
        else {
            continue;
        };
        let text = string.text();
        if !text.starts_with('"')
            || !text.ends_with('"')
            || text.starts_with("\"\"\"")
            || text.len() < 2
        {
            continue;
        }
        let close = string.text_range().end() - TextSize::from(1);
        push(
            format!(
                "line {}: ` ~p` added to the format string of {module}:{function}/{}",
                view.line(close),
                args.len()
            ),
            vec![Edit::insert(close, " ~p")],
        );
    }
}

fn macro_calls(view: &ModuleView<'_>, arity: bool, push: &mut Push<'_>) {
    for call in view
        .nodes(SyntaxKind::MACRO_CALL)
        .filter_map(ast::MacroCall::cast)
    {
        if !view.is_expanded_macro_call(&call)
            || call
                .syntax()
                .ancestors()
                .all(|a| a.kind() != SyntaxKind::FUN_DECL)
        {
            continue;
        }
        let Some(name) = call.name() else {
            continue;
        };
        let name_range = trimmed_range(name.syntax());
        let name_text = view.text_of(name_range);
        if !name_text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        if arity {
            let Some(args) = call.macro_args() else {
                continue;
            };
            let Some(close) = args.r_paren_token() else {
                continue;
            };
            let count = args.macro_args().count();
            push(
                format!(
                    "line {}: an argument added to a call of ?{name_text}/{count}",
                    view.line(name_range.start())
                ),
                vec![Edit::insert(
                    close.text_range().start(),
                    if count == 0 {
                        "mutant_arg"
                    } else {
                        ", mutant_arg"
                    },
                )],
            );
        } else {
            let typo = if name_text.starts_with(|c: char| c.is_ascii_lowercase()) {
                format!("{name_text}_typo")
            } else {
                format!("{name_text}_TYPO")
            };
            push(
                format!(
                    "line {}: macro ?{name_text} misspelt ?{typo}",
                    view.line(name_range.start())
                ),
                vec![Edit::replace(name_range, &typo)],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use base_db::{FileId, RootDatabase, SourceFile};
    use hir::{App, Workspace};
    use syntax::{FileKind, OtpRelease, ParseOptions};

    use super::{Mutation, MutationKind};
    use crate::corpus::mutants::sites::ModuleView;

    const MODULE: &str = "\
-module(m).
-export([f/1, g/0, init/1]).
-behaviour(gen_server).
-define(TWICE(X), X * 2).
-record(r, {a, b = 1}).
-type t() :: {ok, integer()}.
-spec f(t()) -> integer().
f({ok, N}) ->
    M = ?TWICE(N),
    case M of
        1 -> one;
        _ -> other
    end,
    F = fun(X) -> X + M end,
    R = #r{a = F(1)},
    io:format(\"~p~n\", [R#r.a]),
    length([N]).
g() ->
    try f({ok, 1}) catch C:E:St -> {C, E, St} end.
init(_) -> {ok, h()}.
h() -> n:k(ok).
";

    /// Another module of the application, that `MODULE` calls.
    const OTHER: &str = "-module(n).\n-export([k/1]).\nk(X) -> X.\n";

    /// Every mutation of every kind in `MODULE`, with the mutated text.
    fn mutations() -> Vec<(Mutation, String)> {
        let db = RootDatabase::default();
        let file = SourceFile::new(
            &db,
            FileId(0),
            Arc::from(MODULE),
            FileKind::Module,
            OtpRelease(25),
        );
        let other = SourceFile::new(
            &db,
            FileId(1),
            Arc::from(OTHER),
            FileKind::Module,
            OtpRelease(25),
        );
        let app = App::new(
            &db,
            "app".to_owned(),
            None,
            vec![file, other],
            Vec::new(),
            Vec::new(),
        );
        let workspace = Workspace::new(&db, vec![app], Arc::default());
        let view = ModuleView::new(&db, workspace, file);
        MutationKind::ALL
            .iter()
            .flat_map(|kind| kind.candidates(&view))
            .map(|mutation| {
                let text = mutation.apply(MODULE);
                (mutation, text)
            })
            .collect()
    }

    #[test]
    fn every_kind_has_places_and_its_mutants_parse_as_they_should() {
        let mutations = mutations();
        let options = ParseOptions {
            release: OtpRelease(25),
            file_kind: FileKind::Module,
        };
        for kind in MutationKind::ALL {
            let of_kind: Vec<_> = mutations.iter().filter(|(m, _)| m.kind == kind).collect();
            assert!(!of_kind.is_empty(), "no place for {}", kind.name());
            for (mutation, text) in of_kind {
                let parses = syntax::parse(text, &options).errors().is_empty();
                assert_eq!(
                    parses,
                    kind != MutationKind::SyntaxError,
                    "{}: {}\n{text}",
                    kind.name(),
                    mutation.description
                );
            }
        }
    }

    #[test]
    fn mutations_edit_the_places_they_name() {
        let mutations = mutations();
        let texts = |kind: MutationKind| -> Vec<&str> {
            mutations
                .iter()
                .filter(|(m, _)| m.kind == kind)
                .map(|(_, text)| text.as_str())
                .collect()
        };
        let has = |kind: MutationKind, expected: &str| {
            assert!(
                texts(kind).iter().any(|text| text.contains(expected)),
                "no {} mutant has {expected:?}",
                kind.name()
            );
        };
        has(MutationKind::UnboundUse, "length([NTypo])");
        has(MutationKind::UnboundBinding, "f({ok, NTypo}) ->");
        has(MutationKind::UnsafeCase, "1 -> MutantUnsafe = 1, one;");
        has(MutationKind::UnsafeCase, "end, MutantUnsafe,");
        has(
            MutationKind::ExportedVariable,
            "_ -> MutantExported = 1, other\n    end, MutantExported = 1,",
        );
        has(MutationKind::ShadowedInFun, "fun(N = X) -> X + M end");
        has(MutationKind::StacktraceInGuard, "C:E:St when St =/= [] ->");
        has(MutationKind::SyntaxError, "end\n    F = fun");
        has(MutationKind::MisspeltCall, "{ok, h_typo()}");
        has(MutationKind::WrongArityCall, "{ok, h(mutant_arg)}");
        has(MutationKind::WrongArityBif, "length([N], mutant_arg)");
        has(MutationKind::UnexportedUnused, "-export([f/1, init/1]).");
        has(MutationKind::UnexportedUnused, "-export([f/1, g/0]).");
        has(MutationKind::MissingCallback, "-export([f/1, g/0]).");
        has(MutationKind::MisspeltField, "R#r.a_typo");
        has(MutationKind::MisspeltRecord, "#r_typo{a = F(1)}");
        has(MutationKind::FieldTwice, "-record(r, {a, a, b = 1}).");
        has(
            MutationKind::MisspeltType,
            "-spec f(t_typo()) -> integer().",
        );
        has(MutationKind::SpecOfMisspelt, "-spec f_typo(t())");
        has(MutationKind::FormatArity, "io:format(\"~p~n ~p\", [R#r.a])");
        has(MutationKind::UndefinedMacro, "?TWICE_TYPO(N)");
        has(MutationKind::MacroArity, "?TWICE(N, mutant_arg)");
        has(MutationKind::UndefinedModule, "h() -> n_typo:k(ok).");
        has(MutationKind::MisspeltRemote, "h() -> n:k_typo(ok).");
        has(
            MutationKind::WrongArityRemote,
            "h() -> n:k(ok, mutant_arg).",
        );
        // Only calls of functions the other module exports.
        assert!(
            texts(MutationKind::UndefinedModule)
                .iter()
                .all(|text| !text.contains("io_typo"))
        );
        has(
            MutationKind::UnusedRecord,
            "-record(mutant_unused, {a, b}).\nf({ok, N})",
        );
        // A deleted function goes with its line; a callback with its export.
        assert!(
            texts(MutationKind::ExportOfRemoved)
                .iter()
                .any(|text| !text.contains("g() ->")
                    && text.contains("-export([f/1, g/0, init/1])."))
        );
        assert!(
            texts(MutationKind::RemovedButCalled)
                .iter()
                .any(|text| text.ends_with("init(_) -> {ok, h()}.\n"))
        );
        assert!(
            texts(MutationKind::MissingCallback)
                .iter()
                .all(|text| !text.contains("init(_)"))
        );
        // The callback is called by no one, so only its export goes.
        assert!(
            texts(MutationKind::UnexportedUnused)
                .iter()
                .all(|text| !text.contains("-export([g/0, init/1])."))
        );
    }
}
