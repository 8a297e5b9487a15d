//! An OTP module as the mutations see it: its own syntax tree, which of its
//! tokens the compiler really reads (in active code and not made by a macro),
//! and from `hir` its items, the local calls of each function and every
//! variable occurrence with what it resolves to.

use std::collections::{HashMap, HashSet};

use base_db::{SourceDatabase, SourceFile};
use hir::Workspace;
use hir::body::{Callee, Expr, Literal, Name};
use hir::items::{ItemTree, NameArity};
use hir::scope::{Resolution, VarRef};
use syntax::ast::{self, AstNode};
use syntax::{LineIndex, SyntaxKind, SyntaxNode, SyntaxToken, TextRange, TextSize};

/// One module, read for mutation sites.
pub(super) struct ModuleView<'a> {
    pub(super) text: &'a str,
    lines: LineIndex<'a>,
    /// The root of the file's own syntax tree.
    pub(super) root: SyntaxNode,
    /// The item tree of the preprocessed module.
    pub(super) items: &'a ItemTree,
    /// Where the file's tokens that reach the compiler as they are written start.
    own_tokens: HashSet<TextSize>,
    /// The macro calls of the file the preprocessor expanded in this module.
    macro_calls: HashSet<TextRange>,
    /// For each function, the functions it calls or names (`f(...)`, `fun f/1`).
    pub(super) calls: HashMap<NameArity, HashSet<NameArity>>,
    /// Every variable occurrence written in the file, function by function.
    pub(super) variables: Vec<Variable>,
    /// The variable names of each function.
    pub(super) variable_names: HashMap<NameArity, HashSet<Name>>,
    db: &'a dyn SourceDatabase,
    workspace: Workspace,
}

/// A variable occurrence in the file.
pub(super) struct Variable {
    pub(super) function: NameArity,
    pub(super) name: Name,
    /// Its text in the file.
    pub(super) range: TextRange,
    pub(super) occurrence: Occurrence,
}

/// What a variable occurrence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Occurrence {
    /// A use in an expression of a variable bound before.
    Use,
    /// A pattern variable that binds: `uses` expressions and patterns use
    /// this binding alone; `shared` when a use also sees another binding
    /// (a variable bound in several clauses).
    Binding { uses: usize, shared: bool },
    /// Anything else (an unbound or unsafe use, a match in a pattern).
    Other,
}

impl<'a> ModuleView<'a> {
    /// `file` as preprocessed in `workspace`.
    pub(super) fn new(
        db: &'a dyn SourceDatabase,
        workspace: Workspace,
        file: SourceFile,
    ) -> ModuleView<'a> {
        let file_id = *file.file_id(db);
        let text: &'a str = file.text(db);
        let root = base_db::parse(db, file).syntax_node();
        let expanded = hir::expanded_module(db, workspace, file);
        let mut own_tokens = HashSet::new();
        let mut macro_calls = HashSet::new();
        for (_, origin) in expanded.tokens() {
            if origin.file != file_id {
                continue;
            }
            if origin.from_macro {
                macro_calls.insert(origin.range);
            } else {
                own_tokens.insert(origin.range.start());
            }
        }
        let items = &hir::item_tree_with_source_map(db, workspace, file).0;

        let mut calls: HashMap<NameArity, HashSet<NameArity>> = HashMap::new();
        let mut variables = Vec::new();
        let mut variable_names: HashMap<NameArity, HashSet<Name>> = HashMap::new();
        for function in hir::body::module_functions(db, workspace, file) {
            let this = NameArity {
                name: function.name(db).clone(),
                arity: function.arity(db),
            };
            let body = hir::body::function_body(db, function);
            let map = hir::body::function_body_source_map(db, function);
            let callees = calls.entry(this.clone()).or_default();
            for (_, expr) in body.exprs() {
                let named = match expr {
                    Expr::Call {
                        callee: Callee::Local(callee),
                        args,
                    } => match &body[*callee] {
                        Expr::Atom(name) => Some((name.clone(), args.len() as u32)),
                        _ => None,
                    },
                    Expr::FunRef {
                        module: None,
                        function,
                        arity,
                    } => match (&body[*function], &body[*arity]) {
                        (Expr::Atom(name), Expr::Literal(Literal::Integer(arity))) => {
                            arity.parse().ok().map(|arity| (name.clone(), arity))
                        }
                        _ => None,
                    },
                    _ => None,
                };
                if let Some((name, arity)) = named {
                    callees.insert(NameArity { name, arity });
                }
            }

            let scopes = hir::scope::function_scopes(db, function);
            let mut uses_of: HashMap<hir::body::PatId, (usize, bool)> = HashMap::new();
            for (_, resolution) in scopes.resolutions() {
                if let Resolution::Use(bindings) = resolution {
                    for &binding in bindings {
                        let entry = uses_of.entry(binding).or_default();
                        entry.0 += 1;
                        entry.1 |= bindings.len() > 1;
                    }
                }
            }
            let names = variable_names.entry(this.clone()).or_default();
            for (at, resolution) in scopes.resolutions() {
                let (expanded_range, name) = match at {
                    VarRef::Pat(pat) => match &body[pat] {
                        hir::body::Pat::Var(name) => (map.pat(pat), name.clone()),
                        _ => continue,
                    },
                    VarRef::Expr(expr) => match &body[expr] {
                        Expr::Var(name) => (map.expr(expr), name.clone()),
                        _ => continue,
                    },
                };
                names.insert(name.clone());
                let Some(origin) = expanded.origin_of(expanded_range) else {
                    continue;
                };
                if origin.file != file_id
                    || origin.from_macro
                    || text.get(std::ops::Range::<usize>::from(origin.range)) != Some(&*name)
                {
                    continue;
                }
                let occurrence = match (at, resolution) {
                    (VarRef::Expr(_), Resolution::Use(_)) => Occurrence::Use,
                    (VarRef::Pat(pat), Resolution::Binding) => {
                        let (uses, shared) = uses_of.get(&pat).copied().unwrap_or_default();
                        Occurrence::Binding { uses, shared }
                    }
                    _ => Occurrence::Other,
                };
                variables.push(Variable {
                    function: this.clone(),
                    name,
                    range: origin.range,
                    occurrence,
                });
            }
        }
        variables.sort_by_key(|variable| variable.range.start());

        ModuleView {
            text,
            lines: LineIndex::new(text),
            root,
            items,
            own_tokens,
            macro_calls,
            calls,
            variables,
            variable_names,
            db,
            workspace,
        }
    }

    /// The functions module `module` of the workspace exports; `None` when
    /// no application has it.
    pub(super) fn exports_of(&self, module: &str) -> Option<std::sync::Arc<Vec<NameArity>>> {
        hir::resolve::module_exports(self.db, self.workspace, module.into()).clone()
    }

    /// The name of the module (from its `-module` attribute).
    pub(super) fn module_name(&self) -> Option<&str> {
        self.items.module.as_deref()
    }

    /// The 1-based line of `offset`.
    pub(super) fn line(&self, offset: TextSize) -> u32 {
        self.lines.line_column(usize::from(offset)).line
    }

    /// Whether the compiler reads `token` as it is written here.
    pub(super) fn is_own(&self, token: &SyntaxToken) -> bool {
        self.own_tokens.contains(&token.text_range().start())
    }

    /// Whether every token of `node` reaches the compiler as written: in
    /// active code, not made by a macro and not inside a macro call's
    /// arguments.
    pub(super) fn is_plain(&self, node: &SyntaxNode) -> bool {
        node.ancestors()
            .all(|ancestor| ancestor.kind() != SyntaxKind::MACRO_CALL)
            && node
                .descendants_with_tokens()
                .filter_map(|element| element.into_token())
                .filter(|token| !token.kind().is_trivia())
                .all(|token| self.is_own(&token))
    }

    /// Whether the form `node` starts and ends in active code of this file
    /// (what it holds may come from macros).
    pub(super) fn is_active_form(&self, node: &SyntaxNode) -> bool {
        let mut tokens = node
            .descendants_with_tokens()
            .filter_map(|element| element.into_token())
            .filter(|token| !token.kind().is_trivia());
        let first = tokens.next();
        let last = tokens.last();
        first.is_some_and(|token| self.is_own(&token))
            && last.is_some_and(|token| token.kind() == SyntaxKind::DOT && self.is_own(&token))
    }

    /// Whether the preprocessor expanded the macro call `call` in this module.
    pub(super) fn is_expanded_macro_call(&self, call: &ast::MacroCall) -> bool {
        self.macro_calls.contains(&trimmed_range(call.syntax()))
    }

    /// Whether the file has a `-file(...)` attribute.
    pub(super) fn has_file_attribute(&self) -> bool {
        self.forms().any(|form| {
            form.attr_name()
                .and_then(|name| name.name())
                .is_some_and(|name| name == "file")
        })
    }

    /// The parse transforms the module's `-compile` attributes name.
    pub(super) fn parse_transforms(&self) -> Vec<String> {
        let mut transforms = Vec::new();
        for option in &self.items.compile_options {
            for (at, _) in option.match_indices("parse_transform") {
                let rest = option[at + "parse_transform".len()..]
                    .trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\'');
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    transforms.push(name);
                }
            }
        }
        transforms
    }

    /// The forms of the file.
    pub(super) fn forms(&self) -> impl Iterator<Item = ast::Form> + '_ {
        self.root.children().filter_map(ast::Form::cast)
    }

    /// Nodes of `kind` anywhere in the file.
    pub(super) fn nodes(&self, kind: SyntaxKind) -> impl Iterator<Item = SyntaxNode> + '_ {
        self.root
            .descendants()
            .filter(move |node| node.kind() == kind)
    }

    /// The text of `range`.
    pub(super) fn text_of(&self, range: TextRange) -> &'a str {
        &self.text[std::ops::Range::<usize>::from(range)]
    }

    /// Whether the module defines `name/arity`.
    pub(super) fn defines(&self, name: &str, arity: u32) -> bool {
        self.items
            .functions
            .iter()
            .any(|f| f.name.name == name && f.name.arity == arity)
    }

    /// Whether a function other than `function` itself calls or names it.
    pub(super) fn is_called_by_others(&self, function: &NameArity) -> bool {
        self.calls
            .iter()
            .any(|(caller, callees)| caller != function && callees.contains(function))
    }

    /// The function definitions of the file that begin and end in active code,
    /// with their name and arity.
    pub(super) fn function_forms(&self) -> Vec<(NameArity, ast::FunDecl)> {
        self.forms()
            .filter_map(|form| match form {
                ast::Form::FunDecl(decl) => Some(decl),
                _ => None,
            })
            .filter(|decl| self.is_active_form(decl.syntax()))
            .filter_map(|decl| {
                let name = match decl.name()? {
                    ast::Name::Atom(atom) => atom.value()?,
                    _ => return None,
                };
                let arity = decl.arity()? as u32;
                Some((
                    NameArity {
                        name: Name::new(name),
                        arity,
                    },
                    decl,
                ))
            })
            .collect()
    }
}

/// The range of `node` from its first to its last token that is not trivia.
pub(super) fn trimmed_range(node: &SyntaxNode) -> TextRange {
    let mut tokens = node
        .descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .filter(|token| !token.kind().is_trivia());
    let Some(first) = tokens.next() else {
        return TextRange::empty(node.text_range().start());
    };
    let end = tokens
        .last()
        .unwrap_or_else(|| first.clone())
        .text_range()
        .end();
    TextRange::new(first.text_range().start(), end)
}

/// The first token of `node` that is not trivia.
pub(super) fn first_token(node: &SyntaxNode) -> Option<SyntaxToken> {
    node.descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .find(|token| !token.kind().is_trivia())
}
