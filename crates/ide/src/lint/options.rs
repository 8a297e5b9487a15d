//! The compiler options that switch warnings on and off, as `erl_lint` reads
//! them: the application's (`erl_opts`), then the module's `-compile(...)`
//! attributes; the last mention of an option wins.

use hir::items::NameArity;
use smol_str::SmolStr;

use crate::DeclaredTransform;
use syntax::{FileKind, OtpRelease, ParseOptions, SyntaxKind, SyntaxNode};

/// Which warnings are on, and the functions, records and types the options
/// exempt by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WarningOptions {
    pub(crate) unused_vars: bool,
    pub(crate) shadow_vars: bool,
    pub(crate) export_vars: bool,
    pub(crate) underscore_match: bool,
    pub(crate) unused_function: bool,
    pub(crate) unused_record: bool,
    pub(crate) unused_type: bool,
    pub(crate) deprecated_function: bool,
    pub(crate) removed: bool,
    /// `warn_format`'s level: 0 is off, 1 (the default) checks literal
    /// format strings and argument lists.
    pub(crate) format_level: u32,
    pub(crate) export_all: bool,
    pub(crate) warnings_as_errors: bool,
    /// `no_auto_import`: no BIF is reached by a local call.
    pub(crate) no_auto_import_all: bool,
    /// `{parse_transform, M}`: never run, but some are modelled.
    pub(crate) parse_transforms: Vec<SmolStr>,
    /// What the transforms `erlkit.toml` declares provide, for those the
    /// module uses: remote calls (`m:f/2`, `m:f`, `m:*`) and local functions.
    pub(crate) transform_calls: Vec<String>,
    pub(crate) transform_adds: Vec<NameArity>,
    /// The names of the transforms `erlkit.toml` declares.
    declared_transforms: Vec<String>,
    /// `{nowarn_unused_function, [f/1, {g, 2}]}`.
    pub(crate) nowarn_unused_functions: Vec<NameArity>,
    /// `{nowarn_unused_record, [r]}`.
    pub(crate) nowarn_unused_records: Vec<SmolStr>,
    /// `{nowarn_unused_type, [t/0]}`.
    pub(crate) nowarn_unused_types: Vec<NameArity>,
    /// `{nowarn_deprecated_function, [{m, f, 1}]}`.
    pub(crate) nowarn_deprecated: Vec<(SmolStr, SmolStr, u32)>,
    /// `{nowarn_removed, [m, {m, f, 1}]}`: a module alone is `None`.
    pub(crate) nowarn_removed: Vec<(SmolStr, Option<(SmolStr, u32)>)>,
}

impl Default for WarningOptions {
    /// `erl_lint`'s defaults.
    fn default() -> WarningOptions {
        WarningOptions {
            unused_vars: true,
            shadow_vars: true,
            export_vars: false,
            underscore_match: true,
            unused_function: true,
            unused_record: true,
            unused_type: true,
            deprecated_function: true,
            removed: true,
            format_level: 1,
            export_all: false,
            warnings_as_errors: false,
            no_auto_import_all: false,
            parse_transforms: Vec::new(),
            transform_calls: Vec::new(),
            transform_adds: Vec::new(),
            declared_transforms: Vec::new(),
            nowarn_unused_functions: Vec::new(),
            nowarn_unused_records: Vec::new(),
            nowarn_unused_types: Vec::new(),
            nowarn_deprecated: Vec::new(),
            nowarn_removed: Vec::new(),
        }
    }
}

impl WarningOptions {
    /// The options after the application's `switches` (the texts of its
    /// `erl_opts` options that concern warnings) and then the `-compile`
    /// attributes whose argument texts are `compile_options`, in order.
    pub(crate) fn new(
        switches: &[String],
        compile_options: &[String],
        declared: &[DeclaredTransform],
    ) -> WarningOptions {
        let mut options = WarningOptions::default();
        for text in switches.iter().chain(compile_options) {
            for option in option_terms(text) {
                options.apply(&option);
            }
        }
        for transform in declared {
            options.declared_transforms.push(transform.name.clone());
            if options
                .parse_transforms
                .iter()
                .any(|used| *used == transform.name)
            {
                options
                    .transform_calls
                    .extend(transform.calls.iter().cloned());
                options
                    .transform_adds
                    .extend(transform.adds.iter().filter_map(|text| {
                        let (name, arity) = text.rsplit_once('/')?;
                        Some(NameArity {
                            name: SmolStr::new(syntax::ast::atom_value(name.trim())),
                            arity: arity.trim().parse().ok()?,
                        })
                    }));
            }
        }
        options
    }

    /// Whether a transform the module uses, as `erlkit.toml` declares it,
    /// rewrites the remote call `m:f/a`.
    pub(crate) fn transform_provides_call(&self, module: &str, function: &str, arity: u32) -> bool {
        self.transform_calls.iter().any(|pattern| {
            let Some((m, rest)) = pattern.split_once(':') else {
                return false;
            };
            if m != module {
                return false;
            }
            match rest.rsplit_once('/') {
                _ if rest == "*" => true,
                Some((f, a)) => f == function && a.parse() == Ok(arity),
                None => rest == function,
            }
        })
    }

    fn apply(&mut self, option: &OptionTerm) {
        match option {
            OptionTerm::Atom(name) => self.apply_atom(name),
            OptionTerm::Tuple(parts) => {
                let [OptionTerm::Atom(tag), value] = parts.as_slice() else {
                    return;
                };
                let items = value.items();
                match tag.as_str() {
                    "parse_transform" => {
                        if let OptionTerm::Atom(module) = value {
                            self.parse_transforms.push(SmolStr::new(module));
                        }
                    }
                    "warn_format" => {
                        if let OptionTerm::Integer(level) = value {
                            self.format_level = *level;
                        }
                    }
                    "nowarn_unused_function" => self
                        .nowarn_unused_functions
                        .extend(items.iter().filter_map(|item| item.name_arity())),
                    "nowarn_unused_type" => self
                        .nowarn_unused_types
                        .extend(items.iter().filter_map(|item| item.name_arity())),
                    "nowarn_unused_record" => self.nowarn_unused_records.extend(
                        items.iter().filter_map(|item| match item {
                            OptionTerm::Atom(name) => Some(SmolStr::new(name)),
                            _ => None,
                        }),
                    ),
                    "nowarn_deprecated_function" => self
                        .nowarn_deprecated
                        .extend(items.iter().filter_map(OptionTerm::mfa)),
                    "nowarn_removed" => {
                        self.nowarn_removed.extend(items.iter().filter_map(|item| {
                            match item {
                                OptionTerm::Atom(module) => Some((SmolStr::new(module), None)),
                                _ => item
                                    .mfa()
                                    .map(|(module, name, arity)| (module, Some((name, arity)))),
                            }
                        }))
                    }
                    _ => {}
                }
            }
            OptionTerm::List(items) => {
                for item in items {
                    self.apply(item);
                }
            }
            _ => {}
        }
    }

    fn apply_atom(&mut self, option: &str) {
        match option {
            "export_all" => self.export_all = true,
            "warnings_as_errors" => self.warnings_as_errors = true,
            "no_auto_import" => self.no_auto_import_all = true,
            "nowarn_format" => self.format_level = 0,
            "warn_format" => self.format_level = 1,
            _ => {}
        }
        let (on, name) = match option.strip_prefix("nowarn_") {
            Some(name) => (false, name),
            None => match option.strip_prefix("warn_") {
                Some(name) => (true, name),
                None => return,
            },
        };
        match name {
            "unused_vars" => self.unused_vars = on,
            "shadow_vars" => self.shadow_vars = on,
            "export_vars" => self.export_vars = on,
            "underscore_match" => self.underscore_match = on,
            "unused_function" => self.unused_function = on,
            "unused_record" => self.unused_record = on,
            "unused_type" => self.unused_type = on,
            "deprecated_function" => self.deprecated_function = on,
            "removed" => self.removed = on,
            _ => {}
        }
    }

    /// Whether a parse transform that erlkit does not model may add uses or
    /// definitions of functions, records and types: the checks of unused
    /// and undefined ones are then left out.
    pub(crate) fn has_unmodelled_transform(&self) -> bool {
        self.parse_transforms.iter().any(|transform| {
            !MODELLED_TRANSFORMS.contains(&transform.as_str())
                && !self
                    .declared_transforms
                    .iter()
                    .any(|declared| declared == transform)
        })
    }

    /// Whether the module's tests are exported by `eunit_autoexport`.
    pub(crate) fn exports_eunit_tests(&self) -> bool {
        self.parse_transforms
            .iter()
            .any(|transform| transform == "eunit_autoexport")
    }

    /// Whether `{nowarn_deprecated_function, ...}` exempts `m:f/a`.
    pub(crate) fn exempts_deprecated(&self, module: &str, function: &str, arity: u32) -> bool {
        self.nowarn_deprecated
            .iter()
            .any(|(m, f, a)| m == module && f == function && *a == arity)
    }

    /// Whether `{nowarn_removed, ...}` exempts `m:f/a`.
    pub(crate) fn exempts_removed(&self, module: &str, function: &str, arity: u32) -> bool {
        self.nowarn_removed.iter().any(|(m, fa)| {
            m == module
                && fa
                    .as_ref()
                    .is_none_or(|(f, a)| f == function && *a == arity)
        })
    }
}

/// One entry of a `-deprecated` attribute: `{f, 1}`, `{f, 1, "why"}`,
/// `f/1`, `{'_', '_'}`, `module`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeprecationEntry {
    /// `None` for `'_'`.
    pub(crate) function: Option<SmolStr>,
    /// `None` for `'_'`.
    pub(crate) arity: Option<u32>,
    pub(crate) description: Option<String>,
}

impl DeprecationEntry {
    pub(crate) fn matches(&self, function: &str, arity: u32) -> bool {
        self.function.as_ref().is_none_or(|name| name == function)
            && self.arity.is_none_or(|a| a == arity)
    }
}

/// The entries of a `-deprecated` attribute's argument text.
pub(crate) fn deprecation_entries(text: &str) -> Vec<DeprecationEntry> {
    let wildcard = |term: &OptionTerm| matches!(term, OptionTerm::Atom(atom) if atom == "_");
    option_terms(text)
        .iter()
        .flat_map(OptionTerm::items)
        .filter_map(|item| match item {
            OptionTerm::Atom(atom) if atom == "module" => Some(DeprecationEntry {
                function: None,
                arity: None,
                description: None,
            }),
            OptionTerm::FunctionRef(name, arity) => Some(DeprecationEntry {
                function: Some(SmolStr::new(name)),
                arity: Some(arity),
                description: None,
            }),
            OptionTerm::Tuple(parts) if parts.len() == 2 || parts.len() == 3 => {
                let function = match &parts[0] {
                    term if wildcard(term) => None,
                    OptionTerm::Atom(name) => Some(SmolStr::new(name)),
                    _ => return None,
                };
                let arity = match &parts[1] {
                    term if wildcard(term) => None,
                    OptionTerm::Integer(arity) => Some(*arity),
                    _ => return None,
                };
                let description = match parts.get(2) {
                    Some(OptionTerm::String(text)) => Some(text.clone()),
                    _ => None,
                };
                Some(DeprecationEntry {
                    function,
                    arity,
                    description,
                })
            }
            _ => None,
        })
        .collect()
}

/// The functions a `-dialyzer` attribute's argument text names with an
/// option `erl_lint` accepts (`{nowarn_function, f/1}`, `{[no_return,
/// no_match], [f/1, g/2]}`): `erl_lint` reports each one the module does
/// not define.
pub(crate) fn dialyzer_functions(text: &str) -> Vec<NameArity> {
    let mut values = Vec::new();
    for term in option_terms(text) {
        flatten_into(term, &mut values);
    }
    let mut functions = Vec::new();
    for value in values {
        let OptionTerm::Tuple(parts) = value else {
            continue;
        };
        let [options, targets] = parts.as_slice() else {
            continue;
        };
        let (mut options_flat, mut targets_flat) = (Vec::new(), Vec::new());
        flatten_into(options.clone(), &mut options_flat);
        flatten_into(targets.clone(), &mut targets_flat);
        for option in &options_flat {
            let OptionTerm::Atom(option) = option else {
                continue;
            };
            if !is_function_dialyzer_option(option) {
                continue;
            }
            functions.extend(targets_flat.iter().filter_map(OptionTerm::name_arity));
        }
    }
    functions
}

/// The elements of `term` as `lists:flatten([Term])` gives them.
fn flatten_into(term: OptionTerm, out: &mut Vec<OptionTerm>) {
    match term {
        OptionTerm::List(items) => {
            for item in items {
                flatten_into(item, out);
            }
        }
        other => out.push(other),
    }
}

/// The options of `-dialyzer` that may name functions, as `erl_lint` knows
/// them.
fn is_function_dialyzer_option(option: &str) -> bool {
    matches!(
        option,
        "nowarn_function"
            | "no_return"
            | "no_unused"
            | "no_improper_lists"
            | "no_fun_app"
            | "no_match"
            | "no_opaque"
            | "no_fail_call"
            | "no_contracts"
            | "no_behaviours"
            | "no_undefined_callbacks"
            | "unmatched_returns"
            | "error_handling"
            | "race_conditions"
            | "no_missing_calls"
            | "specdiffs"
            | "overspecs"
            | "underspecs"
            | "unknown"
            | "no_underspecs"
            | "extra_return"
            | "no_extra_return"
            | "missing_return"
            | "no_missing_return"
    )
}

/// The parse transforms whose effect on the checks erlkit knows:
/// `eunit_autoexport` exports the test functions, `diameter_exprecs` uses
/// the records of `-export_records`, the others change no check.
const MODELLED_TRANSFORMS: &[&str] = &[
    "eunit_autoexport",
    "eunit_striptests",
    "diameter_exprecs",
    "ms_transform",
    "qlc",
    "sys_pre_attributes",
    "lager_transform",
];

/// A compiler option, read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
enum OptionTerm {
    Atom(String),
    Integer(u32),
    String(String),
    /// `f/1`.
    FunctionRef(String, u32),
    List(Vec<OptionTerm>),
    Tuple(Vec<OptionTerm>),
    Other,
}

impl OptionTerm {
    /// The elements of a list, or the term alone.
    fn items(&self) -> Vec<OptionTerm> {
        match self {
            OptionTerm::List(items) => items.clone(),
            other => vec![other.clone()],
        }
    }

    /// `f/1` or `{f, 1}`.
    fn name_arity(&self) -> Option<NameArity> {
        match self {
            OptionTerm::FunctionRef(name, arity) => Some(NameArity {
                name: SmolStr::new(name),
                arity: *arity,
            }),
            OptionTerm::Tuple(parts) => match parts.as_slice() {
                [OptionTerm::Atom(name), OptionTerm::Integer(arity)] => Some(NameArity {
                    name: SmolStr::new(name),
                    arity: *arity,
                }),
                _ => None,
            },
            _ => None,
        }
    }

    /// `{m, f, 1}`.
    fn mfa(&self) -> Option<(SmolStr, SmolStr, u32)> {
        match self {
            OptionTerm::Tuple(parts) => match parts.as_slice() {
                [
                    OptionTerm::Atom(module),
                    OptionTerm::Atom(name),
                    OptionTerm::Integer(arity),
                ] => Some((SmolStr::new(module), SmolStr::new(name), *arity)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The options in the text of a `-compile` argument or an `erl_opts`
/// option: one term (a list counts as its elements).
fn option_terms(text: &str) -> Vec<OptionTerm> {
    let options = ParseOptions {
        release: OtpRelease::LATEST,
        file_kind: FileKind::Terms,
    };
    let parse = syntax::parse(&format!("{text}."), &options);
    parse
        .syntax_node()
        .children()
        .filter(|form| form.kind() == SyntaxKind::TERM_FORM)
        .filter_map(|form| form.children().next())
        .map(|node| option_term(&node))
        .collect()
}

fn option_term(node: &SyntaxNode) -> OptionTerm {
    let token = || {
        node.descendants_with_tokens()
            .filter_map(|element| element.into_token())
            .find(|token| !token.kind().is_trivia())
    };
    match node.kind() {
        SyntaxKind::ATOM => token().map_or(OptionTerm::Other, |token| {
            OptionTerm::Atom(syntax::ast::atom_value(token.text()))
        }),
        SyntaxKind::LITERAL => match token() {
            Some(token) if token.kind() == SyntaxKind::INTEGER => token
                .text()
                .parse()
                .map_or(OptionTerm::Other, OptionTerm::Integer),
            Some(token) if token.kind() == SyntaxKind::STRING => {
                OptionTerm::String(syntax::ast::string_value(token.text()))
            }
            _ => OptionTerm::Other,
        },
        SyntaxKind::STRING_CONCAT => {
            let mut joined = String::new();
            for part in node.children() {
                match option_term(&part) {
                    OptionTerm::String(text) => joined.push_str(&text),
                    _ => return OptionTerm::Other,
                }
            }
            OptionTerm::String(joined)
        }
        SyntaxKind::LIST => OptionTerm::List(node.children().map(|n| option_term(&n)).collect()),
        SyntaxKind::TUPLE => OptionTerm::Tuple(node.children().map(|n| option_term(&n)).collect()),
        SyntaxKind::PAREN_EXPR => node
            .children()
            .next()
            .map_or(OptionTerm::Other, |inner| option_term(&inner)),
        SyntaxKind::BINARY_EXPR => {
            let parts: Vec<OptionTerm> = node.children().map(|n| option_term(&n)).collect();
            let is_slash = node
                .children_with_tokens()
                .filter_map(|element| element.into_token())
                .any(|token| token.kind() == SyntaxKind::SLASH);
            match parts.as_slice() {
                [OptionTerm::Atom(name), OptionTerm::Integer(arity)] if is_slash => {
                    OptionTerm::FunctionRef(name.clone(), *arity)
                }
                _ => OptionTerm::Other,
            }
        }
        _ => OptionTerm::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::WarningOptions;
    use hir::items::NameArity;

    #[test]
    fn compile_attributes_switch_variable_warnings() {
        let options = WarningOptions::new(
            &[
                "nowarn_underscore_match".to_owned(),
                "nowarn_export_vars".to_owned(),
            ],
            &[
                "[nowarn_unused_vars, {nowarn_unused_function, [warn_shadow_vars/0]}]".to_owned(),
                "warn_export_vars".to_owned(),
                "[nowarn_shadow_vars, 'warn_shadow_vars']".to_owned(),
            ],
            &[],
        );
        assert_eq!(
            (
                options.unused_vars,
                options.shadow_vars,
                options.export_vars,
                options.underscore_match,
            ),
            (false, true, true, false)
        );
        assert_eq!(
            options.nowarn_unused_functions,
            [NameArity {
                name: "warn_shadow_vars".into(),
                arity: 0
            }]
        );
    }
}
