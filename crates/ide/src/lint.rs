//! The linter's findings for a file, each with a stable code
//! ([`DiagnosticCode`]): the compiler's own (syntax errors, the
//! preprocessor's errors, functions defined twice and exports of undefined
//! ones, `erl_lint`'s variable errors and warnings), as plain data for
//! `erlkit lint` and the language server.
//!
//! Warnings follow the application's `erl_opts` and then the module's
//! `-compile` options as `erl_lint` does (`nowarn_unused_vars`,
//! `warn_export_vars`, ...).

mod calls;
mod codes;
mod cross_module;
mod format_string;
mod functions;
mod module_checks;
mod module_facts;
mod options;
mod otp_tables;
mod suppression;
mod unused_exports;

use base_db::{SourceDatabase, SourceFile};
use hir::Workspace;
use hir::preprocessor::PpDiagnosticKind;
use hir::scope::{VarDiagnosticKind, VarRef};
use syntax::{FileKind, SyntaxKind, TextRange, TextSize};

pub use self::codes::DiagnosticCode;
use self::cross_module::CrossModuleSettings;
use self::module_checks::ModuleCx;
use self::options::WarningOptions;
pub(crate) use self::unused_exports::UsedFromOutside;
use crate::{Analysis, Cancellable, DeclaredTransform, FileId, FileRange, RootDatabase, Severity};

/// Something another place says about a finding (where an unsafe variable's
/// construct is, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedInfo {
    pub range: FileRange,
    pub message: String,
}

/// One finding of the linter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintDiagnostic {
    pub code: DiagnosticCode,
    pub severity: Severity,
    /// Where it is: a range of real text (a macro call for what a macro made).
    pub range: FileRange,
    pub message: String,
    pub related: Vec<RelatedInfo>,
    /// A change that removes the finding and cannot change what the code
    /// does, when there is one (`erlkit lint --fix` applies it).
    pub fix: Option<LintFix>,
}

/// A safe fix: text edits, none overlapping another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LintFix {
    /// What it does, for people: `rename X to _X`.
    pub label: String,
    pub edits: Vec<FixEdit>,
}

/// Replace the text at `range` by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixEdit {
    pub range: FileRange,
    pub new_text: String,
}

impl LintDiagnostic {
    fn new(code: DiagnosticCode, range: FileRange, message: String) -> LintDiagnostic {
        LintDiagnostic {
            code,
            severity: code.default_severity(),
            range,
            message,
            related: Vec::new(),
            fix: None,
        }
    }
}

/// A module linted as far as its own analysis goes. What is left reads
/// other modules (the callbacks of its behaviours, the exports of the
/// modules it calls); a run over a whole project does that part once every
/// module's own part is done, so that no module is analysed twice
/// ([`Analysis::lint_own`], then [`Analysis::finish_lint`]).
#[derive(Debug, Clone)]
pub struct OwnLint {
    file: SourceFile,
    /// The findings so far, none suppressed yet.
    found: Vec<LintDiagnostic>,
    /// The headers the module includes (their suppression comments count).
    headers: Vec<(FileId, SourceFile)>,
    /// `-behaviour(b)`: the name and where.
    behaviours: Vec<(smol_str::SmolStr, FileRange)>,
    /// The remote calls with atoms, for the checks across modules.
    calls: Vec<cross_module::CallSite>,
    export_all: bool,
    warnings_as_errors: bool,
}

impl OwnLint {
    /// The modules this one names as a behaviour or calls.
    pub fn modules_used(&self) -> impl Iterator<Item = &str> {
        self.behaviours
            .iter()
            .map(|(name, _)| name.as_str())
            .chain(self.calls.iter().map(|call| call.module.as_str()))
    }

    /// The headers the module includes.
    pub fn headers(&self) -> impl Iterator<Item = FileId> + '_ {
        self.headers.iter().map(|(id, _)| *id)
    }
}

impl Analysis {
    /// What the linter finds in `file_id`, sorted by position: its syntax
    /// errors, and for a module what the preprocessor reports and the
    /// variable errors and warnings of its functions (those inside a header's
    /// function point into the header).
    pub fn lint(&self, file_id: FileId) -> Cancellable<Vec<LintDiagnostic>> {
        let Some(own) = self.lint_own_with(file_id, FunctionMemo::Kept)? else {
            return Ok(Vec::new());
        };
        self.finish_lint(&own)
    }

    /// The part of [`Analysis::lint`] that reads no other module's items,
    /// for a run that lints each module once: what it works out about each
    /// function is not memoized.
    pub fn lint_own(&self, file_id: FileId) -> Cancellable<Option<OwnLint>> {
        self.lint_own_with(file_id, FunctionMemo::None)
    }

    fn lint_own_with(&self, file_id: FileId, memo: FunctionMemo) -> Cancellable<Option<OwnLint>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(None);
        };
        self.with_db(|db, workspace| {
            let app = hir::file_apps(db, workspace)
                .get(&file)
                .map(|app| app.name(db).clone());
            let switches = app
                .as_ref()
                .and_then(|app| self.app_settings.get(app.as_str()))
                .map_or(&[][..], |settings| settings.warning_switches.as_slice());
            let used_from_outside =
                self.opted_in
                    .contains(&DiagnosticCode::UnusedExport)
                    .then(|| {
                        self.used_from_outside
                            .get_or_init(|| UsedFromOutside::new(db, workspace, &self.app_settings))
                    });
            Some(lint_own(
                db,
                workspace,
                file,
                switches,
                &self.transforms,
                used_from_outside,
                memo,
            ))
        })
    }

    /// The rest of [`Analysis::lint`] after [`Analysis::lint_own`]: the
    /// checks that read other modules, then suppressions.
    pub fn finish_lint(&self, own: &OwnLint) -> Cancellable<Vec<LintDiagnostic>> {
        self.with_db(|db, workspace| {
            let app = hir::file_apps(db, workspace)
                .get(&own.file)
                .map(|app| app.name(db).clone());
            let cross_module = CrossModuleSettings {
                app: app.as_deref(),
                apps: &self.app_settings,
            };
            finish_lint(db, workspace, own, Some(&cross_module))
        })
    }
}

impl Analysis {
    /// The files whose contents [`Analysis::lint`] of `file_id` reads: the
    /// file, the headers it includes, and the modules it names as a
    /// behaviour or calls (their exports, callbacks and `-deprecated`
    /// attributes), and with unused exports asked for, every module of the
    /// project and its dependencies. Beside these, its findings depend only
    /// on the set of module names in the workspace and on the applications'
    /// settings.
    /// Sorted, without repeats.
    pub fn lint_inputs(&self, file_id: FileId) -> Cancellable<Vec<FileId>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(Vec::new());
        };
        self.with_db(|db, workspace| {
            if *file.kind(db) != FileKind::Module {
                return vec![file_id];
            }
            let expanded = hir::expanded_module(db, workspace, file);
            let headers = expanded
                .preprocessed()
                .includes
                .iter()
                .map(|include| include.file);
            let items = hir::item_tree(db, workspace, file);
            let facts = module_facts::module_facts(
                &expanded.parse().source_file(),
                items.module.as_deref(),
                &[],
            );
            let modules = facts
                .behaviours
                .iter()
                .map(|(name, _)| name.as_str())
                .chain(facts.remote_calls.iter().map(|call| call.module.as_str()));
            self.inputs(db, workspace, file_id, headers, modules)
        })
    }

    /// [`Analysis::lint_inputs`] of the module `own` is the first part of.
    pub fn lint_inputs_of(&self, own: &OwnLint) -> Cancellable<Vec<FileId>> {
        self.with_db(|db, workspace| {
            let file_id = *own.file.file_id(db);
            self.inputs(db, workspace, file_id, own.headers(), own.modules_used())
        })
    }

    /// The file, its headers, the files of the modules it uses, and with
    /// unused exports asked for every module of the project and its
    /// dependencies: sorted, without repeats.
    fn inputs<'a>(
        &self,
        db: &RootDatabase,
        workspace: Workspace,
        file_id: FileId,
        headers: impl Iterator<Item = FileId>,
        modules: impl Iterator<Item = &'a str>,
    ) -> Vec<FileId> {
        let mut inputs = vec![file_id];
        inputs.extend(headers);
        let index = hir::module_index(db, workspace);
        for module in modules {
            inputs.extend(
                index
                    .get(module)
                    .iter()
                    .map(|location| *location.file.file_id(db)),
            );
        }
        // Unused exports read what every other module calls.
        if self.opted_in.contains(&DiagnosticCode::UnusedExport) {
            for &app in workspace.apps(db) {
                if self
                    .app_settings
                    .get(app.name(db).as_str())
                    .is_some_and(|app| app.otp)
                {
                    continue;
                }
                inputs.extend(app.files(db).iter().map(|file| *file.file_id(db)));
            }
        }
        inputs.sort();
        inputs.dedup();
        inputs
    }
}

/// Whether the bodies and scopes of a module's functions are memoized: kept
/// for an editor, which lints a file again after each edit, not for a run
/// that lints each module once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FunctionMemo {
    Kept,
    None,
}

/// [`Analysis::lint`] on a database, with the application's `warn_*` and
/// `nowarn_*` options `switches`: for checks that set up their own
/// workspaces (the OTP corpus, each module with the options of its beam).
pub fn lint_file(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
    switches: &[String],
) -> Vec<LintDiagnostic> {
    let own = lint_own(db, workspace, file, switches, &[], None, FunctionMemo::None);
    finish_lint(db, workspace, &own, None)
}

/// The findings of `file` that need no other module's items, none
/// suppressed yet, and what the checks across modules need.
fn lint_own(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
    switches: &[String],
    transforms: &[DeclaredTransform],
    used_from_outside: Option<&UsedFromOutside>,
    memo: FunctionMemo,
) -> OwnLint {
    let file_id = *file.file_id(db);
    let syntax_errors = || -> Vec<LintDiagnostic> {
        base_db::syntax_errors(db, file)
            .iter()
            .map(|error| {
                LintDiagnostic::new(
                    DiagnosticCode::SyntaxError,
                    FileRange {
                        file_id,
                        range: error.range(),
                    },
                    error.message().to_owned(),
                )
            })
            .collect()
    };
    let mut own = OwnLint {
        file,
        found: Vec::new(),
        headers: Vec::new(),
        behaviours: Vec::new(),
        calls: Vec::new(),
        export_all: false,
        warnings_as_errors: false,
    };
    if *file.kind(db) != FileKind::Module {
        own.found = syntax_errors();
        return own;
    }
    let preprocessed = hir::preprocess(db, workspace, file);
    let preprocessor_errors: Vec<LintDiagnostic> = preprocessed
        .diagnostics
        .iter()
        .map(|diagnostic| {
            LintDiagnostic::new(
                preprocessor_code(&diagnostic.kind),
                diagnostic.origin.into(),
                diagnostic.kind.to_string(),
            )
        })
        .collect();
    let paths = workspace.paths(db);
    for include in &preprocessed.includes {
        if include.file != file_id
            && !own.headers.iter().any(|(id, _)| *id == include.file)
            && let Some(header) = paths.file(&include.path)
        {
            own.headers.push((include.file, header));
        }
    }
    let expanded = hir::expanded_module(db, workspace, file);
    // The compiler parses the forms `epp` gives it: when all of them parse,
    // it reports no syntax error, whatever the text skipped by `-ifdef` or
    // macro calls that only parse once expanded would give.
    let syntax_errors = if expanded.parse().errors().is_empty() {
        Vec::new()
    } else {
        syntax_errors()
    };
    let mut found = first_error_of_each_form(db, file, preprocessor_errors, syntax_errors);
    let (items, map) = &**hir::item_tree_with_source_map(db, workspace, file);
    let options = WarningOptions::new(switches, &items.compile_options, transforms);
    let broken = broken_forms(expanded);
    let facts = module_facts::module_facts(
        &expanded.parse().source_file(),
        items.module.as_deref(),
        &broken,
    );
    let origin = |range: TextRange| expanded.origin_of(range).map(FileRange::from);
    own.behaviours = facts
        .behaviours
        .iter()
        .filter_map(|(name, range)| Some((name.clone(), origin(*range)?)))
        .collect();
    let mut cx = ModuleCx {
        file_id,
        expanded,
        items,
        facts: &facts,
        options: &options,
        broken: &broken,
        found: Vec::new(),
    };
    own.calls = cross_module::call_sites(&cx);
    let resolved = functions::check(&mut cx, map);
    module_checks::check_records(&mut cx);
    module_checks::check_types(&mut cx);
    module_checks::check_specs(&mut cx);
    calls::check_obsolete_calls(&mut cx, &resolved);
    calls::check_format_calls(&mut cx);
    if let Some(used) = used_from_outside {
        unused_exports::check(&mut cx, db, workspace, map, used);
    }
    found.append(&mut cx.found);
    let forms = hir::body::function_forms(db, workspace, file);
    for function in hir::body::module_functions(db, workspace, file) {
        // `erl_lint` never sees a form the parser or `epp` rejected.
        let form = forms.get(function.name(db), function.arity(db));
        if form.is_some_and(|form| is_broken(&broken, form.range)) {
            continue;
        }
        let once;
        let (body, map, scopes) = match memo {
            FunctionMemo::Kept => (
                &**hir::body::function_body(db, function),
                &**hir::body::function_body_source_map(db, function),
                &**hir::scope::function_scopes(db, function),
            ),
            FunctionMemo::None => {
                once = hir::scope::function_scopes_once(db, function);
                (&once.0, &once.1, &once.2)
            }
        };
        let range_of = |at: VarRef| match at {
            VarRef::Pat(pat) => map.pat(pat),
            VarRef::Expr(expr) => map.expr(expr),
        };
        for diagnostic in scopes.diagnostics() {
            let Some(code) = variable_code(&diagnostic.kind, &options) else {
                continue;
            };
            let Some(origin) = expanded.origin_of(range_of(diagnostic.at)) else {
                continue;
            };
            let mut finding = LintDiagnostic::new(code, origin.into(), diagnostic.message());
            if let Some(construct) = diagnostic.construct()
                && let Some(origin) = expanded.origin_of(map.expr(construct.expr))
            {
                finding.related.push(RelatedInfo {
                    range: origin.into(),
                    message: format!("the {} it is bound in", construct.kind.name()),
                });
            }
            if code == DiagnosticCode::UnusedVariable && !origin.from_macro {
                finding.fix = unused_variable_fix(body, &diagnostic.name, origin.into());
            }
            found.push(finding);
        }
    }
    own.found = found;
    own.export_all = options.export_all;
    own.warnings_as_errors = options.warnings_as_errors;
    own
}

/// `own`'s findings with those of the checks that read other modules (with
/// `cross_module`, those the compiler cannot make too), suppressions
/// applied, sorted by position.
fn finish_lint(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    own: &OwnLint,
    cross_module: Option<&CrossModuleSettings<'_>>,
) -> Vec<LintDiagnostic> {
    let file_id = *own.file.file_id(db);
    let mut found = own.found.clone();
    found.extend(calls::check_behaviours(
        db,
        workspace,
        own.file,
        &own.behaviours,
        own.export_all,
    ));
    if let Some(settings) = cross_module {
        found.extend(cross_module::check(db, workspace, settings, &own.calls));
    }
    found = suppression::apply_suppressions(db, own.file, &own.headers, found);
    if own.warnings_as_errors {
        for finding in &mut found {
            if finding.severity == Severity::Warning {
                finding.severity = Severity::Error;
            }
        }
    }
    found.sort_by_key(|finding| {
        (
            finding.range.file_id != file_id,
            finding.range.file_id,
            finding.range.range.start(),
            finding.code,
        )
    });
    found
}

/// Renames an unused variable `X` to `_X`, when `X` is written once in the
/// function (so no other occurrence needs the name) and no `_X` is there
/// (which the new name would then match).
fn unused_variable_fix(body: &hir::body::Body, name: &str, at: FileRange) -> Option<LintFix> {
    use hir::body::{Expr, Pat};
    let renamed = format!("_{name}");
    let mut occurrences = 0;
    let mut clash = false;
    let names = body
        .pats()
        .filter_map(|(_, pat)| match pat {
            Pat::Var(var) => Some(var),
            _ => None,
        })
        .chain(body.exprs().filter_map(|(_, expr)| match expr {
            Expr::Var(var) => Some(var),
            _ => None,
        }));
    for var in names {
        occurrences += usize::from(var == name);
        clash |= *var == renamed;
    }
    (occurrences == 1 && !clash).then(|| LintFix {
        label: format!("rename {name} to {renamed}"),
        edits: vec![FixEdit {
            range: FileRange {
                file_id: at.file_id,
                range: syntax::TextRange::empty(at.range.start()),
            },
            new_text: "_".to_owned(),
        }],
    })
}

/// The forms of the expanded module (ranges in its text) that the compiler
/// never gets: those with a syntax error, and those where a macro call
/// could not be expanded (left in place; `?LINE` and `?FILE` stay
/// symbolic and do not count), which `epp` drops.
fn broken_forms(expanded: &hir::expanded::ExpandedModule) -> Vec<TextRange> {
    let parse = expanded.parse();
    let errors: Vec<TextRange> = parse.errors().iter().map(|error| error.range()).collect();
    let text = expanded.text();
    parse
        .syntax_node()
        .children()
        .filter(|form| {
            let range = form.text_range();
            errors
                .iter()
                .any(|error| range.contains_range(*error) || range.contains(error.start()))
                // Only a form with a `?` can hold a macro call.
                || text[range].contains('?') && form.descendants().any(|node| match node.kind() {
                    SyntaxKind::MACRO_STRING => true,
                    SyntaxKind::MACRO_CALL => {
                        let name = node.text().to_string();
                        let name = name.trim_start_matches('?').trim();
                        !matches!(name, "LINE" | "FILE")
                    }
                    _ => false,
                })
        })
        .map(|form| form.text_range())
        .collect()
}

/// Whether `range` (of the expanded text) is in one of the `broken` forms.
pub(crate) fn is_broken(broken: &[TextRange], range: TextRange) -> bool {
    broken.iter().any(|form| form.contains_range(range))
}

/// What `epp` and `erl_parse` report of the module's own text: the first
/// error of each form (a form ends at a `.`), a preprocessor error before
/// a syntax error (`epp` drops the form before the parser sees it). Errors
/// in headers are all kept.
fn first_error_of_each_form(
    db: &dyn SourceDatabase,
    file: SourceFile,
    preprocessor_errors: Vec<LintDiagnostic>,
    syntax_errors: Vec<LintDiagnostic>,
) -> Vec<LintDiagnostic> {
    if preprocessor_errors.is_empty() && syntax_errors.is_empty() {
        return Vec::new();
    }
    let file_id = *file.file_id(db);
    let mut dots = Vec::new();
    // Where each token that is not trivia starts and ends.
    let mut significant: Vec<TextRange> = Vec::new();
    let mut offset = TextSize::from(0);
    let tokens = hir::file_tokens(db, file);
    for (index, token) in tokens.iter().enumerate() {
        let range = TextRange::at(offset, TextSize::from(token.len));
        offset = range.end();
        // A form ends at a `.` followed by white space, a comment or the end
        // (not the `.` of `R#r.f`).
        let ends_form = tokens
            .get(index + 1)
            .is_none_or(|next| next.kind.is_trivia());
        if token.kind == SyntaxKind::DOT && ends_form {
            dots.push(offset);
        }
        if !token.kind.is_trivia() {
            significant.push(range);
        }
    }
    // An error that expected something after a token is where `erl_parse`
    // puts it: at the token that came instead ("syntax error before: ...").
    let syntax_errors = syntax_errors.into_iter().map(|mut finding| {
        if finding.range.range.is_empty() {
            let at = finding.range.range.start();
            let next = significant.partition_point(|token| token.start() < at);
            if let Some(token) = significant.get(next) {
                finding.range.range = *token;
            }
        }
        finding
    });
    let form_of = |at: TextSize| dots.partition_point(|&dot| dot <= at);
    let mut syntax_errors: Vec<LintDiagnostic> = syntax_errors.collect();
    syntax_errors.sort_by_key(|finding| finding.range.range.start());
    // Where the form of each error is really broken: the first error of the
    // form parsed alone without resynchronising at later lines (which
    // `erl_parse` never does).
    let text = file.text(db);
    let mut first_of_form: std::collections::HashMap<usize, TextRange> = Default::default();
    for finding in &syntax_errors {
        let form = form_of(finding.range.range.start());
        if finding.range.file_id != file_id || first_of_form.contains_key(&form) {
            continue;
        }
        let start = form.checked_sub(1).map_or(TextSize::from(0), |i| dots[i]);
        let end = dots.get(form).copied().unwrap_or(TextSize::of(&**text));
        if let Some(at) =
            first_error_without_resync(&text[TextRange::new(start, end)], *file.release(db))
        {
            let at = start + at;
            let next = significant.partition_point(|token| token.start() < at);
            let range = significant
                .get(next)
                .copied()
                .unwrap_or(TextRange::empty(at));
            first_of_form.insert(form, range);
        }
    }
    for finding in &mut syntax_errors {
        if let Some(range) = first_of_form.get(&form_of(finding.range.range.start())) {
            finding.range.range = *range;
        }
    }
    syntax_errors.sort_by_key(|finding| finding.range.range.start());
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::new();
    for finding in preprocessor_errors.into_iter().chain(syntax_errors) {
        let own = finding.range.file_id == file_id;
        let is_error = finding.severity == Severity::Error;
        if own && is_error && !seen.insert(form_of(finding.range.range.start())) {
            continue;
        }
        kept.push(finding);
    }
    kept
}

/// Where the first syntax error of `form` (one form's text) is, the form
/// parsed with every line after the first indented, so that the parser's
/// recovery never restarts at a line that looks like a new form.
fn first_error_without_resync(form: &str, release: syntax::OtpRelease) -> Option<TextSize> {
    let mut indented = String::with_capacity(form.len() + form.len() / 20);
    // The offset in `indented` where each line after the first starts.
    let mut shifts: Vec<usize> = Vec::new();
    for (index, line) in form.split_inclusive('\n').enumerate() {
        if index > 0 {
            indented.push(' ');
            shifts.push(indented.len());
        }
        indented.push_str(line);
    }
    let options = syntax::ParseOptions {
        release,
        file_kind: FileKind::Module,
    };
    let parse = syntax::parse(&indented, &options);
    let error = parse
        .errors()
        .iter()
        .map(|error| error.range().start())
        .min()?;
    let at = usize::from(error);
    let inserted = shifts.partition_point(|&line_start| line_start <= at);
    Some(TextSize::from((at - inserted) as u32))
}

/// The code of a preprocessor diagnostic.
fn preprocessor_code(kind: &PpDiagnosticKind) -> DiagnosticCode {
    match kind {
        PpDiagnosticKind::IncludeNotFound { .. } => DiagnosticCode::MissingInclude,
        PpDiagnosticKind::UndefinedMacro { .. } => DiagnosticCode::UndefinedMacro,
        PpDiagnosticKind::ArgumentMismatch { .. }
        | PpDiagnosticKind::BadMacroArguments { .. }
        | PpDiagnosticKind::CircularMacro { .. }
        | PpDiagnosticKind::ExpansionTooLarge { .. }
        | PpDiagnosticKind::IllegalFunctionMacro { .. } => DiagnosticCode::BadMacroCall,
        PpDiagnosticKind::ErrorDirective { .. } => DiagnosticCode::ErrorDirective,
        PpDiagnosticKind::WarningDirective { .. } => DiagnosticCode::WarningDirective,
        PpDiagnosticKind::IncludeTooDeep
        | PpDiagnosticKind::RedefinedMacro { .. }
        | PpDiagnosticKind::RedefinedPredefinedMacro { .. }
        | PpDiagnosticKind::DuplicatedArgument { .. }
        | PpDiagnosticKind::BadDirective { .. }
        | PpDiagnosticKind::MissingParenthesis
        | PpDiagnosticKind::MissingComma
        | PpDiagnosticKind::Unbalanced { .. }
        | PpDiagnosticKind::Unterminated { .. }
        | PpDiagnosticKind::RepeatedElse
        | PpDiagnosticKind::ElifAfterElse
        | PpDiagnosticKind::BadCondition { .. } => DiagnosticCode::BadDirective,
    }
}

/// The code of a variable error or warning, `None` when the options switch
/// the warning off.
fn variable_code(kind: &VarDiagnosticKind, options: &WarningOptions) -> Option<DiagnosticCode> {
    let code = match kind {
        VarDiagnosticKind::Unbound => DiagnosticCode::UnboundVariable,
        VarDiagnosticKind::Unsafe(_) => DiagnosticCode::UnsafeVariable,
        VarDiagnosticKind::StacktraceInGuard | VarDiagnosticKind::StacktraceBound => {
            DiagnosticCode::StacktraceMisuse
        }
        VarDiagnosticKind::Unused if options.unused_vars => DiagnosticCode::UnusedVariable,
        VarDiagnosticKind::Shadowed(_) if options.shadow_vars => DiagnosticCode::ShadowedVariable,
        VarDiagnosticKind::Exported { in_pattern, .. } if *in_pattern || options.export_vars => {
            DiagnosticCode::ExportedVariable
        }
        VarDiagnosticKind::UnderscoreMatch | VarDiagnosticKind::UnderscoreMatchInPattern
            if options.underscore_match =>
        {
            DiagnosticCode::UnderscoreVariableMatched
        }
        _ => return None,
    };
    Some(code)
}
