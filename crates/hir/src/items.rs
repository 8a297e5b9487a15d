//! The item tree of a module: its forms after preprocessing, as names and
//! shapes without positions (functions by name and arity, records and their
//! fields, types, specs, exports, ...), so that an edit inside a function body
//! leaves it equal and salsa reuses everything derived from it.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use smol_str::SmolStr;
use syntax::ast::{self, AstNode};
use syntax::{GreenNode, GreenNodeData, NodeOrToken, SyntaxKind, SyntaxNode, TextRange, TextSize};

/// A function or type name with its arity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NameArity {
    pub name: SmolStr,
    pub arity: u32,
}

impl std::fmt::Display for NameArity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.name, self.arity)
    }
}

/// A function definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: NameArity,
    pub clauses: u32,
}

/// A field of a record declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordField {
    pub name: SmolStr,
    pub has_default: bool,
    pub has_type: bool,
}

/// A `-record` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: SmolStr,
    pub fields: Vec<RecordField>,
}

/// A `-type` or `-opaque` declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeAlias {
    pub name: NameArity,
    pub opaque: bool,
}

/// A `-spec` or `-callback`: of `module:name/arity` when it names a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub module: Option<SmolStr>,
    pub name: NameArity,
}

/// An `-import(Module, [...])`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub module: SmolStr,
    pub functions: Vec<NameArity>,
}

/// What a module declares, in the order of its forms within each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemTree {
    pub module: Option<SmolStr>,
    pub functions: Vec<Function>,
    pub exports: Vec<NameArity>,
    pub imports: Vec<Import>,
    pub export_types: Vec<NameArity>,
    pub records: Vec<Record>,
    pub types: Vec<TypeAlias>,
    pub specs: Vec<Spec>,
    pub callbacks: Vec<Spec>,
    pub optional_callbacks: Vec<NameArity>,
    pub behaviours: Vec<SmolStr>,
    /// The text of each `-compile(...)` argument.
    pub compile_options: Vec<String>,
    /// The text of each `-deprecated(...)` argument.
    pub deprecated: Vec<String>,
    /// The text of each `-dialyzer(...)` argument.
    pub dialyzer: Vec<String>,
    pub on_load: Option<NameArity>,
    /// Other attributes by name (`-dialyzer`, `-vsn`, `-doc`, ...).
    pub attributes: Vec<SmolStr>,
    /// `-compile({no_auto_import, [f/1, ...]})`: BIFs a local call does not
    /// reach.
    pub no_auto_import: Vec<NameArity>,
}

/// Where an item is in the expanded text of its module
/// ([`crate::expanded::ExpandedModule`] maps it back to the source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRanges {
    /// The whole form.
    pub form: TextRange,
    /// Its name (of the first clause, for a function).
    pub name: TextRange,
}

/// Where the items of an [`ItemTree`] are, index for index. It changes with
/// every edit that moves text; the item tree does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemSourceMap {
    /// The `-module` attribute.
    pub module: Option<ItemRanges>,
    pub functions: Vec<ItemRanges>,
    pub records: Vec<ItemRanges>,
    pub types: Vec<ItemRanges>,
    pub specs: Vec<ItemRanges>,
    pub callbacks: Vec<ItemRanges>,
    /// For each of the item tree's exports, its `-export` attribute's name
    /// (where `erl_lint` reports an export of an undefined function).
    pub exports: Vec<TextRange>,
    /// For each of the item tree's exports, its entry `name/arity` in the
    /// attribute's list.
    pub export_entries: Vec<TextRange>,
    /// For each of the item tree's `-dialyzer` attributes, its name (where
    /// `erl_lint` reports a function it names that is not defined).
    pub dialyzer: Vec<TextRange>,
}

/// The item tree of the expanded module whose root is `file`, with where its
/// items are.
pub fn lower(file: &ast::SourceFile) -> (ItemTree, ItemSourceMap) {
    let (tree, map, _) = lower_reusing(file.syntax().green(), &LoweredForms::default());
    (tree, map)
}

/// The items of each form of a module, by the form's green node, with their
/// ranges from the form's start. A reparse keeps the nodes of the forms an
/// edit did not touch, so only the touched ones are lowered again.
#[derive(Debug, Default)]
pub struct LoweredForms {
    /// By the address of the node, which the node kept here holds.
    by_node: FxHashMap<usize, (GreenNode, Arc<(ItemTree, ItemSourceMap)>)>,
}

/// [`lower`] on the green tree `root`, taking the items of the forms
/// `previous` has lowered from it; also gives the lowered forms of `root`,
/// for the next time.
pub fn lower_reusing(
    root: &GreenNodeData,
    previous: &LoweredForms,
) -> (ItemTree, ItemSourceMap, LoweredForms) {
    let mut tree = ItemTree::default();
    let mut map = ItemSourceMap::default();
    let mut lowered = LoweredForms::default();
    let mut offset = TextSize::from(0);
    for child in root.children() {
        let start = offset;
        offset += child.text_len();
        let NodeOrToken::Node(green) = child else {
            continue;
        };
        let address = green as *const GreenNodeData as usize;
        let items = match previous.by_node.get(&address) {
            Some((_, items)) => Arc::clone(items),
            None => {
                // The form as a root of its own: its ranges start from it.
                let node = SyntaxNode::new_root(green.to_owned());
                let Some(form) = ast::Form::cast(node) else {
                    continue;
                };
                let mut items = (ItemTree::default(), ItemSourceMap::default());
                lower_form(&mut items.0, &mut items.1, form);
                Arc::new(items)
            }
        };
        tree.extend(&items.0);
        map.extend(&items.1, start);
        lowered.by_node.insert(address, (green.to_owned(), items));
    }
    (tree, map, lowered)
}

impl ItemTree {
    /// Adds the items of the forms after the ones so far.
    fn extend(&mut self, next: &ItemTree) {
        if self.module.is_none() {
            self.module = next.module.clone();
        }
        self.functions.extend_from_slice(&next.functions);
        self.exports.extend_from_slice(&next.exports);
        self.imports.extend_from_slice(&next.imports);
        self.export_types.extend_from_slice(&next.export_types);
        self.records.extend_from_slice(&next.records);
        self.types.extend_from_slice(&next.types);
        self.specs.extend_from_slice(&next.specs);
        self.callbacks.extend_from_slice(&next.callbacks);
        self.optional_callbacks
            .extend_from_slice(&next.optional_callbacks);
        self.behaviours.extend_from_slice(&next.behaviours);
        self.compile_options
            .extend_from_slice(&next.compile_options);
        self.deprecated.extend_from_slice(&next.deprecated);
        self.dialyzer.extend_from_slice(&next.dialyzer);
        // The last `-on_load` counts, even one that names no function.
        if next.attributes.iter().any(|name| name == "on_load") {
            self.on_load = next.on_load.clone();
        }
        self.attributes.extend_from_slice(&next.attributes);
        self.no_auto_import.extend_from_slice(&next.no_auto_import);
    }
}

impl ItemSourceMap {
    /// Adds where the items of the forms after the ones so far are, their
    /// ranges from `offset`.
    fn extend(&mut self, next: &ItemSourceMap, offset: TextSize) {
        let at = |ranges: &ItemRanges| ItemRanges {
            form: ranges.form + offset,
            name: ranges.name + offset,
        };
        if self.module.is_none() {
            self.module = next.module.as_ref().map(at);
        }
        self.functions.extend(next.functions.iter().map(at));
        self.records.extend(next.records.iter().map(at));
        self.types.extend(next.types.iter().map(at));
        self.specs.extend(next.specs.iter().map(at));
        self.callbacks.extend(next.callbacks.iter().map(at));
        self.exports
            .extend(next.exports.iter().map(|range| *range + offset));
        self.export_entries
            .extend(next.export_entries.iter().map(|range| *range + offset));
        self.dialyzer
            .extend(next.dialyzer.iter().map(|range| *range + offset));
    }
}

fn ranges(form: &impl AstNode, name: Option<&syntax::SyntaxNode>) -> ItemRanges {
    let form = form.syntax().text_range();
    ItemRanges {
        form,
        name: name.map_or(form, |name| name.text_range()),
    }
}

fn name_text(name: Option<ast::Name>) -> Option<SmolStr> {
    match name? {
        ast::Name::Atom(atom) => atom.value().map(SmolStr::new),
        _ => None,
    }
}

fn integer(expr: Option<ast::Expr>) -> Option<u32> {
    let ast::Expr::Literal(literal) = expr? else {
        return None;
    };
    let token = literal.token()?;
    if token.kind() != SyntaxKind::INTEGER {
        return None;
    }
    let text = token.text().replace('_', "");
    match text.split_once('#') {
        Some((base, digits)) => u32::from_str_radix(digits, base.parse().ok()?).ok(),
        None => text.parse().ok(),
    }
}

fn fa_list(list: Option<ast::FaList>) -> Vec<NameArity> {
    fa_list_with_ranges(list)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The `name/arity` entries of a list, each with its range.
fn fa_list_with_ranges(list: Option<ast::FaList>) -> Vec<(NameArity, TextRange)> {
    let Some(list) = list else {
        return Vec::new();
    };
    list.fas()
        .filter_map(|fa| {
            let name = NameArity {
                name: name_text(fa.name())?,
                arity: integer(fa.arity())?,
            };
            Some((name, fa.syntax().text_range()))
        })
        .collect()
}

fn attribute_name(form: &ast::Form) -> Option<String> {
    form.attr_name()?.name()
}

fn lower_form(tree: &mut ItemTree, map: &mut ItemSourceMap, form: ast::Form) {
    match &form {
        ast::Form::FunDecl(function) => {
            let (Some(name), Some(arity)) = (function.name(), function.arity()) else {
                return;
            };
            let name_node = name.syntax().clone();
            let Some(name) = name_text(Some(name)) else {
                return;
            };
            map.functions.push(ranges(function, Some(&name_node)));
            tree.functions.push(Function {
                name: NameArity {
                    name,
                    arity: arity as u32,
                },
                clauses: function.fun_clauses().count() as u32,
            });
        }
        ast::Form::ModuleAttribute(attribute) if tree.module.is_none() => {
            tree.module = name_text(attribute.name());
            let name_node = attribute.name().map(|n| n.syntax().clone());
            map.module = Some(ranges(attribute, name_node.as_ref()));
        }
        ast::Form::BehaviourAttribute(attribute) => {
            if let Some(name) = name_text(attribute.name()) {
                tree.behaviours.push(name);
            }
        }
        ast::Form::ExportAttribute(attribute) => {
            let exports = fa_list_with_ranges(attribute.fa_list());
            // `export` after the `-`, where `erl_lint` puts the attribute.
            let at = attribute
                .attr_name()
                .and_then(|name| name.syntax().last_token())
                .map_or(attribute.syntax().text_range(), |name| name.text_range());
            map.exports.extend(exports.iter().map(|_| at));
            map.export_entries
                .extend(exports.iter().map(|(_, range)| *range));
            tree.exports
                .extend(exports.into_iter().map(|(name, _)| name));
        }
        ast::Form::ImportAttribute(attribute) => {
            if let Some(module) = name_text(attribute.name()) {
                tree.imports.push(Import {
                    module,
                    functions: fa_list(attribute.fa_list()),
                });
            }
        }
        ast::Form::ExportTypeAttribute(attribute) => {
            tree.export_types.extend(fa_list(attribute.fa_list()));
        }
        ast::Form::OptionalCallbacksAttribute(attribute) => {
            tree.optional_callbacks.extend(fa_list(attribute.fa_list()));
        }
        ast::Form::RecordDecl(record) => {
            let Some(name) = name_text(record.name()) else {
                return;
            };
            let fields = record
                .record_decl_fields()
                .map(|fields| {
                    fields
                        .record_field_decls()
                        .filter_map(|field| {
                            Some(RecordField {
                                name: name_text(field.name())?,
                                has_default: has_token(field.syntax(), SyntaxKind::EQ),
                                has_type: has_token(field.syntax(), SyntaxKind::COLON2),
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let name_node = record.name().map(|n| n.syntax().clone());
            map.records.push(ranges(record, name_node.as_ref()));
            tree.records.push(Record { name, fields });
        }
        ast::Form::TypeDecl(decl) => {
            let Some(name) = name_text(decl.name()) else {
                return;
            };
            let arity = decl.type_params().map_or(0, |params| params.vars().count()) as u32;
            let name_node = decl.name().map(|n| n.syntax().clone());
            map.types.push(ranges(decl, name_node.as_ref()));
            tree.types.push(TypeAlias {
                name: NameArity { name, arity },
                opaque: attribute_name(&form).as_deref() == Some("opaque"),
            });
        }
        ast::Form::SpecAttribute(spec) => {
            if let Some(lowered) = lower_spec(spec.spec_name(), spec.sig_clauses().next()) {
                let name_node = spec.spec_name().map(|n| n.syntax().clone());
                map.specs.push(ranges(spec, name_node.as_ref()));
                tree.specs.push(lowered);
            }
        }
        ast::Form::CallbackAttribute(callback) => {
            if let Some(lowered) = lower_spec(callback.spec_name(), callback.sig_clauses().next()) {
                let name_node = callback.spec_name().map(|n| n.syntax().clone());
                map.callbacks.push(ranges(callback, name_node.as_ref()));
                tree.callbacks.push(lowered);
            }
        }
        ast::Form::WildAttribute(attribute) => {
            let Some(name) = attribute_name(&form) else {
                return;
            };
            let argument_text = || {
                attribute
                    .syntax()
                    .children()
                    .skip(1)
                    .map(|node| node.text().to_string())
                    .collect::<Vec<_>>()
                    .join("")
            };
            match name.as_str() {
                "deprecated" => tree.deprecated.push(argument_text()),
                "dialyzer" => {
                    tree.dialyzer.push(argument_text());
                    // `dialyzer` after the `-`, where `erl_lint` puts the
                    // attribute.
                    let at = form
                        .attr_name()
                        .and_then(|name| name.syntax().last_token())
                        .map_or(attribute.syntax().text_range(), |name| name.text_range());
                    map.dialyzer.push(at);
                }
                "compile" => {
                    tree.compile_options.push(argument_text());
                    tree.no_auto_import
                        .extend(no_auto_import(attribute.syntax()));
                }
                "on_load" => {
                    tree.on_load = on_load(attribute);
                }
                _ => {}
            }
            tree.attributes.push(SmolStr::new(name));
        }
        _ => {}
    }
}

/// `-on_load(f/0).`
fn on_load(attribute: &ast::WildAttribute) -> Option<NameArity> {
    let node = attribute
        .syntax()
        .descendants()
        .find_map(ast::BinaryExpr::cast)?;
    let lhs = node.lhs()?;
    let ast::Expr::Atom(atom) = lhs else {
        return None;
    };
    Some(NameArity {
        name: SmolStr::new(atom.value()?),
        arity: integer(node.rhs())?,
    })
}

fn lower_spec(name: Option<ast::SpecName>, first: Option<ast::SigClause>) -> Option<Spec> {
    let name = name?;
    let function = name_text(name.name())?;
    let module = match name.module() {
        Some(module) => Some(name_text(Some(module))?),
        None => None,
    };
    let arity = match name.syntax().children_with_tokens().find_map(|element| {
        element
            .into_token()
            .filter(|token| token.kind() == SyntaxKind::INTEGER)
    }) {
        Some(token) => token.text().parse().ok()?,
        None => first?.type_args()?.types().count() as u32,
    };
    Some(Spec {
        module,
        name: NameArity {
            name: function,
            arity,
        },
    })
}

fn has_token(node: &syntax::SyntaxNode, kind: SyntaxKind) -> bool {
    node.children_with_tokens()
        .any(|element| element.kind() == kind)
}

/// A static reference to a function of another module: `m:f(...)` or
/// `fun m:f/a`, with literal atoms (and arity).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RemoteRef {
    pub module: SmolStr,
    pub function: NameArity,
}

impl std::fmt::Display for RemoteRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.module, self.function)
    }
}

/// The static remote calls and `fun m:f/a` references in a module's function
/// bodies and record defaults (types are not calls).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteRefs {
    pub calls: Vec<RemoteRef>,
    pub funs: Vec<RemoteRef>,
}

/// The remote references of the expanded module whose root is `file`.
pub fn remote_refs(file: &ast::SourceFile) -> RemoteRefs {
    let mut refs = RemoteRefs::default();
    for form in file.forms() {
        match form {
            ast::Form::FunDecl(function) => collect_remote_refs(function.syntax(), &mut refs),
            ast::Form::RecordDecl(record) => {
                let Some(fields) = record.record_decl_fields() else {
                    continue;
                };
                for field in fields.record_field_decls() {
                    // The expression after `=` (the name before it is an
                    // expression node too, and a type may follow).
                    let default = field
                        .syntax()
                        .children_with_tokens()
                        .skip_while(|element| element.kind() != SyntaxKind::EQ)
                        .find_map(|element| element.into_node().and_then(ast::Expr::cast));
                    if let Some(default) = default {
                        collect_remote_refs(default.syntax(), &mut refs);
                    }
                }
            }
            _ => {}
        }
    }
    refs
}

/// An atom's value, through parentheses.
fn atom_of(expr: Option<ast::Expr>) -> Option<SmolStr> {
    match expr? {
        ast::Expr::Atom(atom) => atom.value().map(SmolStr::new),
        ast::Expr::ParenExpr(paren) => atom_of(paren.expr()),
        _ => None,
    }
}

fn collect_remote_refs(node: &syntax::SyntaxNode, refs: &mut RemoteRefs) {
    for node in node.descendants() {
        match node.kind() {
            SyntaxKind::CALL => {
                let Some(call) = ast::Call::cast(node) else {
                    continue;
                };
                let Some(ast::Expr::Remote(remote)) = call.callee() else {
                    continue;
                };
                let (Some(module), Some(function), Some(args)) = (
                    atom_of(remote.module()),
                    atom_of(remote.fun()),
                    call.arg_list(),
                ) else {
                    continue;
                };
                refs.calls.push(RemoteRef {
                    module,
                    function: NameArity {
                        name: function,
                        arity: args.exprs().count() as u32,
                    },
                });
            }
            SyntaxKind::FUN_REF => {
                let Some(fun_ref) = ast::FunRef::cast(node) else {
                    continue;
                };
                let (Some(module), Some(function), Some(arity)) = (
                    atom_of(fun_ref.module()),
                    atom_of(fun_ref.fun()),
                    integer(fun_ref.arity()),
                ) else {
                    continue;
                };
                refs.funs.push(RemoteRef {
                    module,
                    function: NameArity {
                        name: function,
                        arity,
                    },
                });
            }
            _ => {}
        }
    }
}

/// The functions of every `{no_auto_import, [f/1 | {f, 1}, ...]}` in a
/// `-compile` attribute.
fn no_auto_import(attribute: &syntax::SyntaxNode) -> Vec<NameArity> {
    let mut functions = Vec::new();
    for tuple in attribute.descendants().filter_map(ast::Tuple::cast) {
        let mut elements = tuple.exprs();
        let (Some(ast::Expr::Atom(tag)), Some(ast::Expr::List(list))) =
            (elements.next(), elements.next())
        else {
            continue;
        };
        if tag.value().as_deref() != Some("no_auto_import") {
            continue;
        }
        for element in list.exprs() {
            let pair = match element {
                ast::Expr::BinaryExpr(fa) => (atom_of(fa.lhs()), integer(fa.rhs())),
                ast::Expr::Tuple(pair) => {
                    let mut parts = pair.exprs();
                    (atom_of(parts.next()), integer(parts.next()))
                }
                _ => continue,
            };
            if let (Some(name), Some(arity)) = pair {
                functions.push(NameArity { name, arity });
            }
        }
    }
    functions
}
