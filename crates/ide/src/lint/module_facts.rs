//! What a module's forms define and refer to, read from the syntax of its
//! expanded text for `erl_lint`'s module-level checks: local calls and
//! `fun f/N` by calling function, remote calls, record declarations and
//! uses (with their fields), type declarations and uses, behaviours. Ranges
//! are in the expanded text.

use smol_str::SmolStr;
use syntax::ast::{self, AstNode};
use syntax::{NodeView, SyntaxKind, SyntaxNode, TextRange, TextSize, TokenView};

use hir::items::NameArity;

/// A local call `f(...)` or a `fun f/N`.
#[derive(Debug, Clone)]
pub(super) struct LocalCall {
    pub(super) target: NameArity,
    /// The function name of a call, or the whole `fun f/N`.
    pub(super) range: TextRange,
    pub(super) is_fun_ref: bool,
    /// Inside a guard (where `erl_lint` reports other errors).
    pub(super) in_guard: bool,
}

/// A function definition and what its clauses call.
#[derive(Debug, Clone)]
pub(super) struct FunctionFacts {
    pub(super) name: NameArity,
    /// The name of its first clause.
    pub(super) name_range: TextRange,
    pub(super) calls: Vec<LocalCall>,
    /// The functions that the default values of the records it makes call
    /// (the fields a `#r{...}` leaves out): `erl_lint` counts them as called
    /// by this function.
    pub(super) default_calls: Vec<NameArity>,
}

/// A call `m:f(...)` or a `fun m:f/N` whose module and function are atoms.
#[derive(Debug, Clone)]
pub(super) struct RemoteCall {
    pub(super) module: SmolStr,
    pub(super) function: SmolStr,
    pub(super) arity: u32,
    /// `m:f`, or the whole `fun m:f/N`.
    pub(super) callee: TextRange,
    /// The whole call (or `fun m:f/N`), whose arguments the format checks
    /// read.
    pub(super) call: TextRange,
    pub(super) in_guard: bool,
    pub(super) is_fun_ref: bool,
}

/// A field named in a record declaration or use.
#[derive(Debug, Clone)]
pub(super) struct FieldFacts {
    pub(super) name: SmolStr,
    pub(super) range: TextRange,
}

/// A `-record` declaration.
#[derive(Debug, Clone)]
pub(super) struct RecordDeclFacts {
    pub(super) name: SmolStr,
    /// The attribute's name (`record`).
    pub(super) range: TextRange,
    pub(super) fields: Vec<FieldFacts>,
    /// For each field with a default value that calls local functions or
    /// uses records, the field and what evaluating the default uses: what
    /// making the record without the field uses.
    pub(super) defaults: Vec<(SmolStr, DefaultUses)>,
}

/// What evaluating a record's default values uses (with the defaults of
/// the records they make, and so on). `erl_lint` counts these uses where the
/// record is made with the defaults, not where it is declared.
#[derive(Debug, Clone, Default)]
pub(super) struct DefaultUses {
    pub(super) calls: Vec<NameArity>,
    pub(super) records: Vec<SmolStr>,
}

/// A use of a record: `#r{...}`, `X#r{...}`, `#r.f`, `X#r.f`, a record
/// type, `is_record(X, r)`, `record_info(fields, r)`.
#[derive(Debug, Clone)]
pub(super) struct RecordUse {
    pub(super) name: SmolStr,
    /// `#r` (or the atom `r` of a call).
    pub(super) range: TextRange,
    /// Where the form that uses it starts: a record must be declared before.
    pub(super) form_start: TextSize,
    pub(super) fields: Vec<FieldFacts>,
    /// Whether it makes the record used: not in a record's default value,
    /// which counts only where the record is made.
    pub(super) marks_used: bool,
}

/// What uses a type: a function's spec, a type, a record, an export.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum TypeUser {
    Type(NameArity),
    /// A spec, callback, record field type or `-export_type`: always reached.
    Root,
}

/// A use of a local type `t(...)` in a type, spec, callback or record.
#[derive(Debug, Clone)]
pub(super) struct TypeUse {
    pub(super) target: NameArity,
    pub(super) range: TextRange,
    pub(super) user: TypeUser,
}

/// A `-spec` or `-callback` of the module.
#[derive(Debug, Clone)]
pub(super) struct SpecFacts {
    /// `Some` for `-spec m:f(...)`.
    pub(super) module: Option<SmolStr>,
    pub(super) name: NameArity,
    /// The attribute's name (`spec`).
    pub(super) range: TextRange,
    pub(super) is_callback: bool,
}

/// A `-type` or `-opaque`.
#[derive(Debug, Clone)]
pub(super) struct TypeDeclFacts {
    pub(super) name: NameArity,
    pub(super) range: TextRange,
}

/// Everything the module-level checks read.
#[derive(Debug, Clone, Default)]
pub(super) struct ModuleFacts {
    pub(super) functions: Vec<FunctionFacts>,
    /// Local calls in record declarations (their default values).
    pub(super) other_calls: Vec<LocalCall>,
    pub(super) remote_calls: Vec<RemoteCall>,
    pub(super) records: Vec<(TextSize, RecordDeclFacts)>,
    pub(super) record_uses: Vec<RecordUse>,
    /// The records that the default values of the records functions make
    /// use.
    pub(super) records_used_by_defaults: Vec<SmolStr>,
    pub(super) types: Vec<TypeDeclFacts>,
    pub(super) type_uses: Vec<TypeUse>,
    pub(super) specs: Vec<SpecFacts>,
    /// `-behaviour(b)`: the name and the attribute.
    pub(super) behaviours: Vec<(SmolStr, TextRange)>,
    /// The records of `-export_records([...])` (which the `diameter_exprecs`
    /// transform uses).
    pub(super) exported_records: Vec<SmolStr>,
}

/// Reads the facts of the expanded module `file`.
/// The forms in `broken` (a syntax error, a macro `epp` could not expand)
/// are left out: the compiler never gets them.
pub(super) fn module_facts(
    file: &ast::SourceFile,
    module: Option<&str>,
    broken: &[TextRange],
) -> ModuleFacts {
    let mut facts = ModuleFacts::default();
    for form in file.syntax().children() {
        if broken.contains(&form.text_range()) {
            continue;
        }
        let start = form.text_range().start();
        match form.kind() {
            SyntaxKind::FUN_DECL => {
                if let Some(function) = function_facts(&form, &mut facts) {
                    facts.functions.push(function);
                }
            }
            SyntaxKind::RECORD_DECL => record_decl(&form, &mut facts),
            SyntaxKind::TYPE_DECL => {
                let name = form.children().find_map(|child| atom_of(&child));
                let arity = form
                    .children()
                    .find(|child| child.kind() == SyntaxKind::TYPE_PARAMS)
                    .map_or(0, |params| params.children().count() as u32);
                if let Some((name, name_range)) = name {
                    let name = NameArity { name, arity };
                    facts.types.push(TypeDeclFacts {
                        name: name.clone(),
                        range: attribute_name_range(&form).unwrap_or(name_range),
                    });
                    let user = TypeUser::Type(name);
                    for child in form.children() {
                        if child.kind() != SyntaxKind::TYPE_PARAMS && atom_of(&child).is_none() {
                            type_refs(&child, start, user.clone(), module, &mut facts);
                        }
                    }
                }
            }
            SyntaxKind::SPEC_ATTRIBUTE | SyntaxKind::CALLBACK_ATTRIBUTE => {
                let is_callback = form.kind() == SyntaxKind::CALLBACK_ATTRIBUTE;
                if let Some(spec) = spec_facts(&form, is_callback) {
                    facts.specs.push(spec);
                }
                for clause in form
                    .children()
                    .filter(|child| child.kind() == SyntaxKind::SIG_CLAUSE)
                {
                    type_refs(&clause, start, TypeUser::Root, module, &mut facts);
                }
            }
            SyntaxKind::EXPORT_TYPE_ATTRIBUTE => {
                for fa in form
                    .descendants()
                    .filter(|node| node.kind() == SyntaxKind::FA)
                {
                    if let Some((name, range)) = fa.children().find_map(|child| atom_of(&child))
                        && let Some(arity) = fa_arity(NodeView::of(&fa))
                    {
                        facts.type_uses.push(TypeUse {
                            target: NameArity { name, arity },
                            range,
                            user: TypeUser::Root,
                        });
                    }
                }
            }
            SyntaxKind::WILD_ATTRIBUTE
                if form
                    .children()
                    .find(|child| child.kind() == SyntaxKind::ATTR_NAME)
                    .is_some_and(|name| {
                        let text = name.text().to_string();
                        text.split_whitespace().collect::<String>() == "-export_records"
                    }) =>
            {
                facts.exported_records.extend(
                    form.descendants()
                        .filter_map(|node| atom_of(&node))
                        .map(|(name, _)| name),
                );
            }
            SyntaxKind::BEHAVIOUR_ATTRIBUTE => {
                if let Some((name, _)) = form.children().find_map(|child| atom_of(&child)) {
                    let range = attribute_name_range(&form).unwrap_or(form.text_range());
                    facts.behaviours.push((name, range));
                }
            }
            _ => {}
        }
    }
    facts
}

/// The name of an attribute form after its `-` (where `erl_lint` reports
/// what it finds in the attribute).
fn attribute_name_range(form: &SyntaxNode) -> Option<TextRange> {
    form.children()
        .find(|child| child.kind() == SyntaxKind::ATTR_NAME)?
        .children_with_tokens()
        .filter_map(|element| element.into_token())
        .find(|token| !token.kind().is_trivia() && token.kind() != SyntaxKind::MINUS)
        .map(|token| token.text_range())
}

/// The name of an `ATOM` node, with its range.
fn atom_of(node: &SyntaxNode) -> Option<(SmolStr, TextRange)> {
    atom_view(NodeView::of(node))
}

/// [`atom_of`] through a view.
fn atom_view(node: NodeView<'_>) -> Option<(SmolStr, TextRange)> {
    if node.kind() != SyntaxKind::ATOM {
        return None;
    }
    let token = first_token(node)?;
    let text = token.text();
    // Only a quoted atom has escapes to read.
    let name = if text.starts_with('\'') {
        SmolStr::new(ast::atom_value(text))
    } else {
        SmolStr::new(text)
    };
    Some((name, token.text_range()))
}

fn first_token(node: NodeView<'_>) -> Option<TokenView<'_>> {
    node.children_with_tokens()
        .filter_map(|element| element.into_token())
        .find(|token| !token.kind().is_trivia())
}

/// `node` without the parentheses around it.
fn strip_parens(node: NodeView<'_>) -> NodeView<'_> {
    let mut node = node;
    while node.kind() == SyntaxKind::PAREN_EXPR {
        match node.first_child() {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The integer arity of an `f/N` (an `FA` node or a `fun f/N`).
fn fa_arity(node: NodeView<'_>) -> Option<u32> {
    node.children()
        .filter(|child| child.kind() == SyntaxKind::LITERAL)
        .last()
        .and_then(first_token)
        .filter(|token| token.kind() == SyntaxKind::INTEGER)
        .and_then(|token| token.text().replace('_', "").parse().ok())
}

/// A function form's name, arity and calls (with its records and remote
/// calls added to `facts`).
fn function_facts(form: &SyntaxNode, facts: &mut ModuleFacts) -> Option<FunctionFacts> {
    let form = NodeView::of(form);
    let clause = form
        .children()
        .find(|child| child.kind() == SyntaxKind::FUN_CLAUSE)?;
    let (name, name_range) = clause.children().find_map(atom_view)?;
    let arity = clause
        .children()
        .find(|child| child.kind() == SyntaxKind::ARG_LIST)
        .map_or(0, |args| args.children().count() as u32);
    let mut calls = Vec::new();
    let mut made = DefaultUses::default();
    let refs = Refs {
        form_start: form.text_range().start(),
        calls: &mut calls,
        made: &mut made,
    };
    expression_refs(form, refs, facts);
    facts.records_used_by_defaults.extend(made.records);
    Some(FunctionFacts {
        name: NameArity { name, arity },
        name_range,
        calls,
        default_calls: made.calls,
    })
}

/// Where [`expression_refs`] puts what it finds.
struct Refs<'a> {
    /// Where the form starts: a record must be declared before it.
    form_start: TextSize,
    calls: &'a mut Vec<LocalCall>,
    /// What the default values of the records made use.
    made: &'a mut DefaultUses,
}

/// Where a node is: inside a guard of its form (where `erl_lint` reports
/// other errors), inside a pattern (where a record is matched, not made).
#[derive(Clone, Copy, Default)]
struct Place {
    in_guard: bool,
    in_pattern: bool,
}

/// The calls, `fun f/N` and record uses among the expressions under `root`
/// (itself included), in the order of the text, as `erl_lint` sees them:
/// the values of a record's fields are not looked at when the record is
/// not declared before, nor the value of a field it does not have. A walk
/// over the green tree: a function's every node would otherwise become a
/// cursor.
fn expression_refs(root: NodeView<'_>, refs: Refs<'_>, facts: &mut ModuleFacts) {
    let form_start = refs.form_start;
    // The nodes still to visit, next last, each with where it is.
    let mut stack = vec![(root, Place::default())];
    while let Some((node, place)) = stack.pop() {
        let mut record = None;
        match node.kind() {
            SyntaxKind::CALL => call_refs(node, place.in_guard, form_start, refs.calls, facts),
            SyntaxKind::FUN_REF => fun_ref(node, place.in_guard, refs.calls, facts),
            SyntaxKind::RECORD_EXPR => {
                if let Some(used) = record_use(node, form_start) {
                    let declared = facts
                        .records
                        .iter()
                        .map(|(_, record)| record)
                        .find(|record| record.name == used.name);
                    if let Some(declared) = declared
                        && !place.in_pattern
                        && !has_base(node)
                    {
                        for (field, uses) in &declared.defaults {
                            if !used.fields.iter().any(|given| given.name == *field) {
                                refs.made.calls.extend(uses.calls.iter().cloned());
                                refs.made.records.extend(uses.records.iter().cloned());
                            }
                        }
                    }
                    record = Some(declared.map(|declared| declared.fields.as_slice()));
                    facts.record_uses.push(used);
                }
            }
            SyntaxKind::RECORD_INDEX | SyntaxKind::RECORD_FIELD_ACCESS => {
                if let Some(used) = record_use(node, form_start) {
                    facts.record_uses.push(used);
                }
            }
            _ => {}
        }
        let in_guard = place.in_guard || node.kind() == SyntaxKind::GUARD;
        let patterns = pattern_children(node);
        let first = stack.len();
        for (index, child) in node.children().enumerate() {
            if let Some(fields) = record
                && child.kind() == SyntaxKind::RECORD_FIELD
                && !field_is_checked(child, fields)
            {
                continue;
            }
            let in_pattern = place.in_pattern || index < patterns.0 && patterns.1 <= index;
            stack.push((
                child,
                Place {
                    in_guard,
                    in_pattern,
                },
            ));
        }
        stack[first..].reverse();
    }
}

/// Which children of `node` are patterns, as a range `(end, start)` of
/// child indexes: the arguments of a clause, the pattern of a `case`-like
/// clause or of a `catch` clause, the left side of `=` and of a generator.
fn pattern_children(node: NodeView<'_>) -> (usize, usize) {
    let first_child_of = |kinds: &[SyntaxKind]| {
        node.children()
            .position(|child| kinds.contains(&child.kind()))
            .map_or((0, 0), |index| (index + 1, index))
    };
    match node.kind() {
        SyntaxKind::FUN_CLAUSE => first_child_of(&[SyntaxKind::ARG_LIST]),
        SyntaxKind::CATCH_CLAUSE => first_child_of(&[SyntaxKind::CATCH_PATTERN]),
        SyntaxKind::CR_CLAUSE => {
            let first = node
                .children()
                .position(|child| ast::Expr::can_cast(child.kind()));
            first.map_or((0, 0), |index| (index + 1, index))
        }
        SyntaxKind::BINARY_EXPR
            if first_token(node).is_some_and(|token| {
                matches!(token.kind(), SyntaxKind::EQ | SyntaxKind::QUESTION_EQ)
            }) =>
        {
            (nodes_before_token(node), 0)
        }
        SyntaxKind::GENERATOR => (nodes_before_token(node), 0),
        _ => (0, 0),
    }
}

/// How many child nodes come before the first token of `node` that is not
/// trivia (the operator of a binary expression, the arrow of a generator).
fn nodes_before_token(node: NodeView<'_>) -> usize {
    let mut nodes = 0;
    for element in node.children_with_tokens() {
        match element {
            syntax::NodeOrToken::Node(_) => nodes += 1,
            syntax::NodeOrToken::Token(token) if !token.kind().is_trivia() => break,
            syntax::NodeOrToken::Token(_) => {}
        }
    }
    nodes
}

/// Whether a record expression updates a record (`X#r{...}`): an
/// expression before its `#`.
fn has_base(node: NodeView<'_>) -> bool {
    for element in node.children_with_tokens() {
        match element {
            syntax::NodeOrToken::Node(_) => return true,
            syntax::NodeOrToken::Token(token) if token.kind() == SyntaxKind::POUND => {
                return false;
            }
            syntax::NodeOrToken::Token(_) => {}
        }
    }
    false
}

/// Whether `erl_lint` looks at the value of `field`, a field of a record
/// expression whose record has `fields` (`None`: not declared before): a
/// field of the record, or `_`.
fn field_is_checked(field: NodeView<'_>, fields: Option<&[FieldFacts]>) -> bool {
    let Some(fields) = fields else {
        return false;
    };
    match field.first_child() {
        Some(name) if name.kind() == SyntaxKind::ATOM => {
            atom_view(name).is_some_and(|(name, _)| fields.iter().any(|field| field.name == name))
        }
        Some(name) if name.kind() == SyntaxKind::VAR => {
            first_token(name).is_some_and(|token| token.text() == "_")
        }
        _ => false,
    }
}

/// A `fun f/N` or `fun m:f/N`.
fn fun_ref(
    node: NodeView<'_>,
    in_guard: bool,
    calls: &mut Vec<LocalCall>,
    facts: &mut ModuleFacts,
) {
    let Some(arity) = fa_arity(node) else {
        return;
    };
    let mut children = node.children().map(strip_parens);
    match (
        children.next(),
        children.next(),
        children.next(),
        children.next(),
    ) {
        // `fun f/N`: the function and the arity, no module.
        (Some(function), Some(_arity), None, None) => {
            if let Some((name, _)) = atom_view(function) {
                calls.push(LocalCall {
                    target: NameArity { name, arity },
                    range: node.text_range(),
                    is_fun_ref: true,
                    in_guard,
                });
            }
        }
        (Some(module), Some(function), Some(_arity), None) => {
            if let Some((module, _)) = atom_view(module)
                && let Some((function, _)) = atom_view(function)
            {
                facts.remote_calls.push(RemoteCall {
                    module,
                    function,
                    arity,
                    callee: node.text_range(),
                    call: node.text_range(),
                    in_guard,
                    is_fun_ref: true,
                });
            }
        }
        _ => {}
    }
}

/// A call: local (`f(...)`), remote with atoms (`m:f(...)`), and the record
/// uses of `is_record/2` and `record_info/2`.
fn call_refs(
    call: NodeView<'_>,
    in_guard: bool,
    form_start: TextSize,
    calls: &mut Vec<LocalCall>,
    facts: &mut ModuleFacts,
) {
    let Some(callee) = call
        .children()
        .find(|child| child.kind() != SyntaxKind::ARG_LIST)
        .map(strip_parens)
    else {
        return;
    };
    let args = call
        .children()
        .find(|child| child.kind() == SyntaxKind::ARG_LIST);
    let arity = args.map_or(0, |args| args.children().count() as u32);
    let record_arg = || {
        args.and_then(|args| args.children().nth(1))
            .and_then(atom_view)
    };
    if let Some((name, range)) = atom_view(callee) {
        let record = match (name.as_str(), arity) {
            ("is_record", 2) => record_arg(),
            ("record_info", 2) => record_arg(),
            _ => None,
        };
        if let Some((record, range)) = record {
            facts.record_uses.push(RecordUse {
                name: record,
                range,
                form_start,
                fields: Vec::new(),
                marks_used: true,
            });
        }
        calls.push(LocalCall {
            target: NameArity { name, arity },
            range,
            is_fun_ref: false,
            in_guard,
        });
        return;
    }
    if callee.kind() != SyntaxKind::REMOTE {
        return;
    }
    let mut parts = callee.children().map(strip_parens);
    if let (Some(module), Some(function), None) = (parts.next(), parts.next(), parts.next())
        && let Some((module, _)) = atom_view(module)
        && let Some((function, _)) = atom_view(function)
    {
        if module == "erlang"
            && function == "is_record"
            && arity == 2
            && let Some((record, range)) = record_arg()
        {
            facts.record_uses.push(RecordUse {
                name: record,
                range,
                form_start,
                fields: Vec::new(),
                marks_used: true,
            });
        }
        facts.remote_calls.push(RemoteCall {
            module,
            function,
            arity,
            callee: callee.text_range(),
            call: call.text_range(),
            in_guard,
            is_fun_ref: false,
        });
    }
}

/// The record and fields a record expression, index or field access names.
fn record_use(node: NodeView<'_>, form_start: TextSize) -> Option<RecordUse> {
    // The name is the first atom after `#`.
    let mut after_pound = false;
    let mut name = None;
    let mut pound = None;
    let mut field_atom = None;
    for element in node.children_with_tokens() {
        match element {
            syntax::NodeOrToken::Token(token) if token.kind() == SyntaxKind::POUND => {
                after_pound = true;
                pound = Some(token.text_range());
            }
            syntax::NodeOrToken::Node(child) if after_pound => {
                if name.is_none() && child.kind() != SyntaxKind::RECORD_FIELD {
                    name = Some(atom_view(child)?);
                } else if child.kind() == SyntaxKind::ATOM {
                    field_atom = atom_view(child);
                }
            }
            _ => {}
        }
    }
    let (name, name_range) = name?;
    let mut fields = Vec::new();
    if let Some((field, range)) = field_atom {
        fields.push(FieldFacts { name: field, range });
    }
    for field in node
        .children()
        .filter(|child| child.kind() == SyntaxKind::RECORD_FIELD)
    {
        if let Some((field, range)) = field.first_child().and_then(atom_view) {
            fields.push(FieldFacts { name: field, range });
        }
    }
    Some(RecordUse {
        name,
        range: pound.unwrap_or(name_range).cover(name_range),
        form_start,
        fields,
        marks_used: true,
    })
}

/// A `-record` declaration: its fields, and the records and types its
/// fields use.
fn record_decl(form: &SyntaxNode, facts: &mut ModuleFacts) {
    let start = form.text_range().start();
    let Some((name, name_range)) = form.children().find_map(|child| atom_of(&child)) else {
        return;
    };
    let range = attribute_name_range(form).unwrap_or(name_range);
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    for field in form
        .descendants()
        .filter(|node| node.kind() == SyntaxKind::RECORD_FIELD_DECL)
    {
        let mut parts = field.children();
        let field_name = parts.next().as_ref().and_then(atom_of);
        if let Some((field_name, field_range)) = &field_name {
            fields.push(FieldFacts {
                name: field_name.clone(),
                range: *field_range,
            });
        }
        // A default value, then a type, each after its token.
        let mut after_type = false;
        for element in field.children_with_tokens().skip(1) {
            match element {
                syntax::NodeOrToken::Token(token) if token.kind() == SyntaxKind::COLON2 => {
                    after_type = true;
                }
                syntax::NodeOrToken::Node(child) if after_type => {
                    type_refs(&child, start, TypeUser::Root, None, facts);
                }
                syntax::NodeOrToken::Node(child) => {
                    let mut calls = Vec::new();
                    let mut made = DefaultUses::default();
                    let uses_before = facts.record_uses.len();
                    let refs = Refs {
                        form_start: start,
                        calls: &mut calls,
                        made: &mut made,
                    };
                    expression_refs(NodeView::of(&child), refs, facts);
                    made.calls
                        .extend(calls.iter().map(|call| call.target.clone()));
                    for used in &mut facts.record_uses[uses_before..] {
                        used.marks_used = false;
                        made.records.push(used.name.clone());
                    }
                    if let Some((field, _)) = &field_name
                        && (!made.calls.is_empty() || !made.records.is_empty())
                    {
                        defaults.push((field.clone(), made));
                    }
                    facts.other_calls.extend(calls);
                }
                _ => {}
            }
        }
    }
    facts.records.push((
        start,
        RecordDeclFacts {
            name,
            range,
            fields,
            defaults,
        },
    ));
}

/// The local types (`t(...)`, `m:t(...)` of this module) and record types
/// used under `root`, a type (itself included), in the order of the text.
fn type_refs(
    root: &SyntaxNode,
    form_start: TextSize,
    user: TypeUser,
    module: Option<&str>,
    facts: &mut ModuleFacts,
) {
    // The nodes still to visit, next last, each with whether it is inside
    // a spec's `when` (a `TYPE_GUARD`, the root's ancestors included).
    let in_type_guard = root
        .ancestors()
        .any(|ancestor| ancestor.kind() == SyntaxKind::TYPE_GUARD);
    let mut stack = vec![(NodeView::of(root), in_type_guard)];
    while let Some((node, in_type_guard)) = stack.pop() {
        match node.kind() {
            SyntaxKind::CALL => {
                if let Some(target) = type_call(node, module) {
                    // Old-style constraints in a spec's `when`.
                    let constraint = in_type_guard && target.0.name == "is_subtype";
                    if !constraint {
                        facts.type_uses.push(TypeUse {
                            target: target.0,
                            range: target.1,
                            user: user.clone(),
                        });
                    }
                }
            }
            SyntaxKind::RECORD_EXPR => {
                if let Some(used) = record_use(node, form_start) {
                    facts.record_uses.push(used);
                }
            }
            _ => {}
        }
        let in_type_guard = in_type_guard || node.kind() == SyntaxKind::TYPE_GUARD;
        let first = stack.len();
        stack.extend(node.children().map(|child| (child, in_type_guard)));
        stack[first..].reverse();
    }
}

/// The local type a type call `t(...)` or `m:t(...)` (`m` this module) names,
/// with the range of its name.
fn type_call(node: NodeView<'_>, module: Option<&str>) -> Option<(NameArity, TextRange)> {
    let callee = node
        .children()
        .find(|child| child.kind() != SyntaxKind::ARG_LIST)?;
    let arity = node
        .children()
        .find(|child| child.kind() == SyntaxKind::ARG_LIST)
        .map_or(0, |args| args.children().count() as u32);
    let (name, range) = match callee.kind() {
        SyntaxKind::ATOM => atom_view(callee)?,
        SyntaxKind::REMOTE => {
            let mut parts = callee.children();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(m), Some(t), None)
                    if atom_view(m).is_some_and(|(m, _)| Some(m.as_str()) == module) =>
                {
                    atom_view(t)?
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    Some((NameArity { name, arity }, range))
}

/// A `-spec` or `-callback`'s name and arity.
fn spec_facts(form: &SyntaxNode, is_callback: bool) -> Option<SpecFacts> {
    let name = form
        .children()
        .find(|child| child.kind() == SyntaxKind::SPEC_NAME)?;
    let atoms: Vec<(SmolStr, TextRange)> = name.children().filter_map(|n| atom_of(&n)).collect();
    let (module, (function, range)) = match atoms.as_slice() {
        [function] => (None, function.clone()),
        [module, function] => (Some(module.0.clone()), function.clone()),
        _ => return None,
    };
    let arity = form
        .children()
        .find(|child| child.kind() == SyntaxKind::SIG_CLAUSE)
        .and_then(|clause| {
            clause
                .children()
                .find(|child| child.kind() == SyntaxKind::TYPE_ARGS)
        })
        .map_or(0, |args| args.children().count() as u32);
    let range = attribute_name_range(form).unwrap_or(range);
    Some(SpecFacts {
        module,
        name: NameArity {
            name: function,
            arity,
        },
        range,
        is_callback,
    })
}
