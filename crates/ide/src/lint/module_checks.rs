//! `erl_lint`'s checks of a whole module, over its [`ModuleFacts`]: the
//! context they share, and the checks of records, types and specs.

use std::collections::{HashMap, HashSet};

use base_db::FileId;
use hir::expanded::ExpandedModule;
use hir::items::{ItemTree, NameArity};
use smol_str::SmolStr;
use syntax::{TextRange, TextSize};

use super::LintDiagnostic;
use super::codes::DiagnosticCode;
use super::module_facts::{FieldFacts, ModuleFacts, RecordDeclFacts, TypeUser};
use super::options::WarningOptions;
use super::otp_tables::BUILTIN_TYPES;

/// A local call that reaches another module's function: an imported
/// function or an auto-imported BIF.
#[derive(Debug, Clone)]
pub(super) struct ResolvedCall {
    pub(super) module: SmolStr,
    pub(super) target: NameArity,
    pub(super) range: TextRange,
}

/// What the module-level checks read, and the findings they make.
pub(super) struct ModuleCx<'a> {
    pub(super) file_id: FileId,
    pub(super) expanded: &'a ExpandedModule,
    pub(super) items: &'a ItemTree,
    pub(super) facts: &'a ModuleFacts,
    pub(super) options: &'a WarningOptions,
    /// The forms (of the expanded text) the compiler never gets: a syntax
    /// error or a macro call `epp` could not expand.
    pub(super) broken: &'a [TextRange],
    pub(super) found: Vec<LintDiagnostic>,
}

impl ModuleCx<'_> {
    /// Adds a finding at `range` of the expanded text (where it came from).
    pub(super) fn push(&mut self, code: DiagnosticCode, range: TextRange, message: String) {
        if let Some(origin) = self.expanded.origin_of(range) {
            self.found
                .push(LintDiagnostic::new(code, origin.into(), message));
        }
    }

    /// Whether `range` of the expanded text comes from the module's own file
    /// (not a header): `erl_lint` reports unused records and types only there.
    fn in_main_file(&self, range: TextRange) -> bool {
        self.expanded
            .origin_of(range)
            .is_some_and(|origin| origin.file == self.file_id)
    }
}

/// Records: declared twice, fields declared twice, uses of undeclared
/// records and fields, and records nothing uses.
pub(super) fn check_records(cx: &mut ModuleCx<'_>) {
    let facts = cx.facts;
    let mut declared: HashMap<&SmolStr, (TextSize, &RecordDeclFacts)> = HashMap::new();
    for (start, record) in &facts.records {
        if declared.contains_key(&record.name) {
            cx.push(
                DiagnosticCode::RecordRedefined,
                record.range,
                format!("record {} already defined", atom_text(&record.name)),
            );
            continue;
        }
        declared.insert(&record.name, (*start, record));
        duplicate_fields(cx, &record.name, &record.fields);
    }
    let mut used: HashSet<&SmolStr> = HashSet::new();
    for record_use in &facts.record_uses {
        // A record's own field types may name it.
        let record = declared
            .get(&record_use.name)
            .filter(|(start, _)| *start <= record_use.form_start);
        let Some((_, record)) = record else {
            cx.push(
                DiagnosticCode::UndefinedRecord,
                record_use.range,
                format!("record {} undefined", atom_text(&record_use.name)),
            );
            continue;
        };
        if record_use.marks_used {
            used.insert(&record.name);
        }
        for field in &record_use.fields {
            if !record
                .fields
                .iter()
                .any(|declared| declared.name == field.name)
            {
                cx.push(
                    DiagnosticCode::UndefinedField,
                    field.range,
                    format!(
                        "field {} undefined in record {}",
                        atom_text(&field.name),
                        atom_text(&record.name)
                    ),
                );
            }
        }
        duplicate_fields(cx, &record.name, &record_use.fields);
    }
    if !cx.options.unused_record || cx.options.has_unmodelled_transform() {
        return;
    }
    used.extend(&facts.exported_records);
    used.extend(&facts.records_used_by_defaults);
    for (_, record) in &facts.records {
        let first = declared
            .get(&record.name)
            .is_some_and(|(_, first)| std::ptr::eq(*first, record));
        if first
            && !used.contains(&record.name)
            && !cx.options.nowarn_unused_records.contains(&record.name)
            && cx.in_main_file(record.range)
        {
            cx.push(
                DiagnosticCode::UnusedRecord,
                record.range,
                format!("record {} is unused", atom_text(&record.name)),
            );
        }
    }
}

/// Fields named twice in one declaration or use.
fn duplicate_fields(cx: &mut ModuleCx<'_>, record: &SmolStr, fields: &[FieldFacts]) {
    let mut seen: HashSet<&SmolStr> = HashSet::new();
    for field in fields {
        if !seen.insert(&field.name) {
            cx.push(
                DiagnosticCode::FieldRedefined,
                field.range,
                format!(
                    "field {} already defined in record {}",
                    atom_text(&field.name),
                    atom_text(record)
                ),
            );
        }
    }
}

/// Whether `name/arity` is a built-in type.
fn is_builtin_type(name: &str, arity: u32) -> bool {
    BUILTIN_TYPES
        .binary_search_by(|&(builtin, builtin_arity)| (builtin, builtin_arity).cmp(&(name, arity)))
        .is_ok()
}

/// Types: declared twice, used but not declared, and declared but reached
/// from no spec, callback, record or `-export_type`.
pub(super) fn check_types(cx: &mut ModuleCx<'_>) {
    let facts = cx.facts;
    let mut declared: HashSet<&NameArity> = HashSet::new();
    for declaration in &facts.types {
        if !declared.insert(&declaration.name) {
            cx.push(
                DiagnosticCode::TypeRedefined,
                declaration.range,
                format!("type {} already defined", type_text(&declaration.name)),
            );
        }
    }
    let mut edges: HashMap<&NameArity, Vec<&NameArity>> = HashMap::new();
    let mut pending: Vec<&NameArity> = Vec::new();
    for type_use in &facts.type_uses {
        let target = &type_use.target;
        if !declared.contains(target) {
            if !is_builtin_type(&target.name, target.arity) {
                cx.push(
                    DiagnosticCode::UndefinedType,
                    type_use.range,
                    format!("type {} undefined", type_text(target)),
                );
            }
            continue;
        }
        match &type_use.user {
            TypeUser::Root => pending.push(target),
            TypeUser::Type(user) => edges.entry(user).or_default().push(target),
        }
    }
    if !cx.options.unused_type || cx.options.has_unmodelled_transform() {
        return;
    }
    let mut reached: HashSet<&NameArity> = HashSet::new();
    while let Some(next) = pending.pop() {
        if reached.insert(next)
            && let Some(targets) = edges.get(next)
        {
            pending.extend(targets.iter().copied());
        }
    }
    let mut reported: HashSet<&NameArity> = HashSet::new();
    for declaration in &facts.types {
        if !reached.contains(&declaration.name)
            && reported.insert(&declaration.name)
            && !cx.options.nowarn_unused_types.contains(&declaration.name)
            && cx.in_main_file(declaration.range)
        {
            cx.push(
                DiagnosticCode::UnusedType,
                declaration.range,
                format!("type {} is unused", type_text(&declaration.name)),
            );
        }
    }
}

/// Specs of functions the module does not define, and functions with two
/// specs.
pub(super) fn check_specs(cx: &mut ModuleCx<'_>) {
    let facts = cx.facts;
    let module = cx.items.module.as_ref();
    let defined: HashSet<&NameArity> = cx.facts.functions.iter().map(|f| &f.name).collect();
    let mut seen: HashSet<(Option<&SmolStr>, &NameArity)> = HashSet::new();
    for spec in facts.specs.iter().filter(|spec| !spec.is_callback) {
        let spec_module = spec.module.as_ref().or(module);
        if !seen.insert((spec_module, &spec.name)) {
            cx.push(
                DiagnosticCode::SpecRedefined,
                spec.range,
                format!("spec for {} already defined", spec.name),
            );
            continue;
        }
        if spec_module == module && !defined.contains(&spec.name) {
            cx.push(
                DiagnosticCode::SpecForUndefinedFunction,
                spec.range,
                format!("spec for undefined function {}", spec.name),
            );
        }
    }
}

/// A type as `erl_lint` writes it in a message: `t()`, `t(_,_)`.
fn type_text(name: &NameArity) -> String {
    let params = vec!["_"; name.arity as usize].join(",");
    format!("{}({params})", atom_text(&name.name))
}

/// An atom as `erl_lint` writes it in a message (`~tw`): quoted when needed.
pub(super) fn atom_text(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain && !RESERVED_WORDS.contains(&name) {
        name.to_owned()
    } else {
        format!("'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// Erlang's reserved words, which are atoms only when quoted.
const RESERVED_WORDS: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "else", "end", "fun", "if", "let", "maybe", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor",
];
