//! Function bodies: each function's clauses (heads, guards, bodies) lowered
//! into arenas of expressions and patterns, without positions, per function
//! and incrementally.
//!
//! A function is named by a [`FunctionId`] (its workspace, file, name and
//! arity). [`function_source`] cuts the function's form out of the expanded
//! module: its text there is already position-free (the expanded text is the
//! tokens written out again, one space apart, `?LINE` still symbolic), so it
//! compares equal after any edit that leaves the function alone, and salsa
//! backdates it. [`function_body`] parses and lowers only that text, so it runs
//! again only when the function itself changed; [`function_body_source_map`]
//! puts the ranges back into the expanded module.

mod lower;
mod pretty;
#[cfg(test)]
pub(crate) mod tests;

use std::ops::Index;
use std::sync::Arc;

use base_db::{SourceDatabase, SourceFile};
use rustc_hash::FxHashMap;
use smol_str::SmolStr;
use syntax::TextRange;
use syntax::ast::{self, AstNode};

use crate::items::NameArity;
use crate::{Workspace, expanded_module, item_tree_with_source_map};

/// A function of a module: the key of the per-function queries.
#[salsa::interned(debug)]
pub struct FunctionId<'db> {
    #[returns(copy)]
    pub workspace: Workspace,
    #[returns(copy)]
    pub file: SourceFile,
    #[returns(ref)]
    pub name: SmolStr,
    #[returns(copy)]
    pub arity: u32,
}

/// The functions of `file`, in the order of its item tree.
pub fn module_functions<'db>(
    db: &'db dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Vec<FunctionId<'db>> {
    crate::item_tree(db, workspace, file)
        .functions
        .iter()
        .map(|function| {
            FunctionId::new(
                db,
                workspace,
                file,
                function.name.name.clone(),
                function.name.arity,
            )
        })
        .collect()
}

/// An index into [`Body::exprs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExprId(pub(crate) u32);

/// An index into [`Body::pats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatId(pub(crate) u32);

impl ExprId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl PatId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A variable's name, as written.
pub type Name = SmolStr;

/// A literal, position-free: numbers and characters as written, strings as
/// the characters they stand for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    Integer(SmolStr),
    Float(SmolStr),
    Char(SmolStr),
    String(String),
}

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Plus,
    Minus,
    Bnot,
    Not,
}

/// An infix operator (`=` and `?=` are [`Expr::Match`] and
/// [`Expr::MaybeMatch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `!`
    Send,
    OrElse,
    AndAlso,
    /// `==`
    Eq,
    /// `/=`
    Ne,
    /// `=<`
    Le,
    Lt,
    Ge,
    Gt,
    /// `=:=`
    ExactEq,
    /// `=/=`
    ExactNe,
    /// `++`
    Append,
    /// `--`
    Subtract,
    Add,
    Sub,
    Bor,
    Bxor,
    Bsl,
    Bsr,
    Or,
    Xor,
    /// `/`
    Divide,
    Mul,
    /// `div`
    Div,
    Rem,
    Band,
    And,
}

/// `=>` or `:=` in a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MapOp {
    Assoc,
    Exact,
}

/// A field name in a record expression or pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldName {
    Name(SmolStr),
    /// `_ = ...`: every field not named.
    Wildcard,
    /// Not an atom (a variable, an unexpanded macro) or absent.
    Missing,
}

/// One `Field = Value` of a record expression or pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordField<T> {
    pub name: FieldName,
    pub value: T,
}

/// One `Key => Value` or `Key := Value` of a map expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapField {
    pub key: ExprId,
    pub op: MapOp,
    pub value: ExprId,
}

/// One `Key := Pattern` of a map pattern; the key is an expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MapPatField {
    pub key: ExprId,
    pub op: MapOp,
    pub value: PatId,
}

/// A type specifier of a binary segment: `binary`, `unit:8`, ...
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BinTypeSpec {
    /// `None` when it is not an atom.
    pub name: Option<SmolStr>,
    /// The integer after `:` (`unit:8`).
    pub value: Option<SmolStr>,
}

/// One segment of a binary: `Value:Size/Types`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BinSegment<T> {
    pub value: T,
    /// An expression, in patterns too (it uses variables, never binds them).
    pub size: Option<ExprId>,
    pub types: Vec<BinTypeSpec>,
}

/// `when G1, G2; G3`: alternatives, each a conjunction of guard tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Guards(pub Vec<Vec<ExprId>>);

/// A clause of a function or of a `fun`: `(Pats) when Guards -> Body`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clause {
    pub pats: Vec<PatId>,
    pub guards: Guards,
    pub body: Vec<ExprId>,
}

/// A clause of `case`, `receive`, `try ... of` or `maybe ... else`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CrClause {
    pub pat: PatId,
    pub guards: Guards,
    pub body: Vec<ExprId>,
}

/// A clause of `if`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IfClause {
    pub guards: Guards,
    pub body: Vec<ExprId>,
}

/// A clause of `try ... catch`: `Class:Reason:Stack when Guards -> Body`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CatchClause {
    /// `None` when not written (it is `throw`).
    pub class: Option<PatId>,
    pub reason: PatId,
    /// `None` when not written.
    pub stack: Option<PatId>,
    pub guards: Guards,
    pub body: Vec<ExprId>,
}

/// `after Timeout -> Body` of a `receive`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReceiveAfter {
    pub timeout: ExprId,
    pub body: Vec<ExprId>,
}

/// What a generator walks over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GeneratorKind {
    /// `Pat <- List` (`<:-` when strict).
    List,
    /// `Pat <= Binary` (`<:=` when strict).
    Binary,
    /// `K := V <- Map` (`<:-` when strict).
    Map,
}

/// The pattern of a generator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GeneratorPat {
    Pat(PatId),
    /// `K := V` of a map generator: both are patterns.
    MapEntry {
        key: PatId,
        value: PatId,
    },
}

/// `Pat <- Source` and its kin.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Generator {
    pub kind: GeneratorKind,
    /// `<:-` and `<:=`: elements that do not match are an error.
    pub strict: bool,
    pub pat: GeneratorPat,
    pub source: ExprId,
}

/// A qualifier of a comprehension.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Qualifier {
    Generator(Generator),
    /// `G1 && G2 && ...`: generators walked in step.
    Zip(Vec<Generator>),
    Filter(ExprId),
}

/// What is called.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Callee {
    /// `f(...)`, `F(...)`, `(fun ...)(...)`.
    Local(ExprId),
    /// `m:f(...)`, `M:F(...)`.
    Remote { module: ExprId, function: ExprId },
}

/// The macros that stay symbolic in the expanded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolicMacro {
    /// `?LINE`: the line number, which moves with every edit above.
    Line,
    /// `?FILE`.
    File,
}

/// An expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// What could not be lowered: absent after a syntax error, or syntax that
    /// is no expression (a type).
    Missing,
    Var(Name),
    Atom(SmolStr),
    Literal(Literal),
    /// Adjacent strings with a symbolic macro among them: `?FILE ": "`.
    StringConcat(Vec<ExprId>),
    /// `?LINE` or `?FILE`.
    Symbolic(SymbolicMacro),
    /// A macro call the preprocessor left in place (it could not expand it).
    MacroCall {
        name: Option<SmolStr>,
        args: Option<Vec<ExprId>>,
    },
    /// `??Arg` left in place.
    MacroString(Option<SmolStr>),
    /// `Pat = Expr`.
    Match {
        pat: PatId,
        expr: ExprId,
    },
    /// `Pat ?= Expr` (in `maybe`).
    MaybeMatch {
        pat: PatId,
        expr: ExprId,
    },
    UnaryOp {
        op: UnaryOp,
        expr: ExprId,
    },
    BinaryOp {
        op: BinaryOp,
        lhs: ExprId,
        rhs: ExprId,
    },
    /// `catch Expr`.
    Catch(ExprId),
    Tuple(Vec<ExprId>),
    /// `[A, B | Tail]`; `[]` is a list without elements or tail.
    List {
        elems: Vec<ExprId>,
        tail: Option<ExprId>,
    },
    Binary(Vec<BinSegment<ExprId>>),
    /// `#{K => V}`.
    Map(Vec<MapField>),
    /// `Base#{K => V, K := V}`.
    MapUpdate {
        base: ExprId,
        fields: Vec<MapField>,
    },
    /// `#name{f = V}`.
    Record {
        name: Option<SmolStr>,
        fields: Vec<RecordField<ExprId>>,
    },
    /// `Base#name{f = V}`.
    RecordUpdate {
        base: ExprId,
        name: Option<SmolStr>,
        fields: Vec<RecordField<ExprId>>,
    },
    /// `#name.field`.
    RecordIndex {
        name: Option<SmolStr>,
        field: Option<SmolStr>,
    },
    /// `Base#name.field`.
    RecordField {
        base: ExprId,
        name: Option<SmolStr>,
        field: Option<SmolStr>,
    },
    Call {
        callee: Callee,
        args: Vec<ExprId>,
    },
    /// `M:F` outside a call (not a valid expression).
    Remote {
        module: ExprId,
        function: ExprId,
    },
    /// `begin ... end` (not a scope).
    Block(Vec<ExprId>),
    Case {
        expr: ExprId,
        clauses: Vec<CrClause>,
    },
    If(Vec<IfClause>),
    Receive {
        clauses: Vec<CrClause>,
        after: Option<ReceiveAfter>,
    },
    Try {
        exprs: Vec<ExprId>,
        of_clauses: Vec<CrClause>,
        catch_clauses: Vec<CatchClause>,
        after: Vec<ExprId>,
    },
    Maybe {
        exprs: Vec<ExprId>,
        /// `None` without `else`.
        else_clauses: Option<Vec<CrClause>>,
    },
    /// `fun (...) -> ... end`, or a named fun `fun Name(...) -> ... end`,
    /// whose name is a pattern (a variable the clauses see).
    Fun {
        name: Option<PatId>,
        clauses: Vec<Clause>,
    },
    /// `fun f/1`, `fun m:f/1`, `fun M:F/A`.
    FunRef {
        module: Option<ExprId>,
        function: ExprId,
        arity: ExprId,
    },
    ListComprehension {
        expr: ExprId,
        qualifiers: Vec<Qualifier>,
    },
    BinaryComprehension {
        expr: ExprId,
        qualifiers: Vec<Qualifier>,
    },
    /// `#{K => V || ...}`.
    MapComprehension {
        key: ExprId,
        value: ExprId,
        qualifiers: Vec<Qualifier>,
    },
}

/// A pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Pat {
    /// Absent after a syntax error.
    Missing,
    /// `_`.
    Wildcard,
    Var(Name),
    Atom(SmolStr),
    Literal(Literal),
    StringConcat(Vec<PatId>),
    Symbolic(SymbolicMacro),
    MacroCall {
        name: Option<SmolStr>,
        args: Option<Vec<ExprId>>,
    },
    /// `P1 = P2`: both match.
    Match {
        lhs: PatId,
        rhs: PatId,
    },
    Tuple(Vec<PatId>),
    List {
        elems: Vec<PatId>,
        tail: Option<PatId>,
    },
    Binary(Vec<BinSegment<PatId>>),
    /// `#{K := P}`: keys are expressions.
    Map(Vec<MapPatField>),
    Record {
        name: Option<SmolStr>,
        fields: Vec<RecordField<PatId>>,
    },
    RecordIndex {
        name: Option<SmolStr>,
        field: Option<SmolStr>,
    },
    /// `-1`, and other constant expressions.
    UnaryOp {
        op: UnaryOp,
        pat: PatId,
    },
    /// `"prefix" ++ Rest`, `1 + 2`, and other constant expressions.
    BinaryOp {
        op: BinaryOp,
        lhs: PatId,
        rhs: PatId,
    },
    /// An expression where a pattern is expected (a call, a `case`, ...):
    /// not a valid pattern, kept to be reported.
    Expr(ExprId),
}

/// A function's clauses, with the expressions and patterns they are made of.
/// Without positions: see [`BodySourceMap`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Body {
    pub clauses: Vec<Clause>,
    exprs: Vec<Expr>,
    pats: Vec<Pat>,
}

impl Body {
    /// Every expression with its id.
    pub fn exprs(&self) -> impl Iterator<Item = (ExprId, &Expr)> {
        self.exprs
            .iter()
            .enumerate()
            .map(|(index, expr)| (ExprId(index as u32), expr))
    }

    /// Every pattern with its id.
    pub fn pats(&self) -> impl Iterator<Item = (PatId, &Pat)> {
        self.pats
            .iter()
            .enumerate()
            .map(|(index, pat)| (PatId(index as u32), pat))
    }

    pub fn expr_count(&self) -> usize {
        self.exprs.len()
    }

    pub fn pat_count(&self) -> usize {
        self.pats.len()
    }

    /// The body written out as Erlang, for tests and debugging.
    pub fn pretty(&self, name: &str) -> String {
        pretty::body(self, name)
    }

    /// Writes out one expression as Erlang.
    pub fn pretty_expr(&self, expr: ExprId) -> String {
        pretty::expr(self, expr)
    }

    /// Writes out one pattern as Erlang.
    pub fn pretty_pat(&self, pat: PatId) -> String {
        pretty::pat(self, pat)
    }
}

impl Index<ExprId> for Body {
    type Output = Expr;

    fn index(&self, id: ExprId) -> &Expr {
        &self.exprs[id.index()]
    }
}

impl Index<PatId> for Body {
    type Output = Pat;

    fn index(&self, id: PatId) -> &Pat {
        &self.pats[id.index()]
    }
}

/// Where the expressions and patterns of a [`Body`] are, in the expanded text
/// of the module ([`crate::expanded::ExpandedModule`] maps them back to the
/// source). A `Missing` node has the range of the node it is missing from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodySourceMap {
    exprs: Vec<TextRange>,
    pats: Vec<TextRange>,
    /// The function's whole form.
    form: TextRange,
}

impl BodySourceMap {
    pub fn expr(&self, id: ExprId) -> TextRange {
        self.exprs[id.index()]
    }

    pub fn pat(&self, id: PatId) -> TextRange {
        self.pats[id.index()]
    }

    /// The function's form in the expanded text.
    pub fn form(&self) -> TextRange {
        self.form
    }

    /// The innermost expression whose range is exactly `range`.
    pub fn expr_at(&self, range: TextRange) -> Option<ExprId> {
        // Children come before their parents, so the first is the innermost.
        self.exprs
            .iter()
            .position(|&r| r == range)
            .map(|i| ExprId(i as u32))
    }

    /// The innermost pattern whose range is exactly `range`.
    pub fn pat_at(&self, range: TextRange) -> Option<PatId> {
        self.pats
            .iter()
            .position(|&r| r == range)
            .map(|i| PatId(i as u32))
    }
}

/// Where a function is in the expanded text of its module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionForm {
    pub range: TextRange,
}

/// The function forms of a module by name and arity (the first definition
/// when there are several).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionForms {
    forms: FxHashMap<NameArity, FunctionForm>,
}

impl FunctionForms {
    pub fn get(&self, name: &str, arity: u32) -> Option<FunctionForm> {
        self.forms
            .get(&NameArity {
                name: SmolStr::new(name),
                arity,
            })
            .copied()
    }
}

/// Where each function of `file` is in its expanded text. Runs again after
/// every edit of the file (ranges move).
#[salsa::tracked(returns(ref), lru = 256)]
pub fn function_forms(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
) -> Arc<FunctionForms> {
    let (tree, map) = &**item_tree_with_source_map(db, workspace, file);
    let mut forms = FxHashMap::default();
    for (function, ranges) in tree.functions.iter().zip(&map.functions) {
        forms
            .entry(function.name.clone())
            .or_insert(FunctionForm { range: ranges.form });
    }
    Arc::new(FunctionForms { forms })
}

/// A body with the ranges of its nodes relative to the start of its form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LoweredFunction {
    body: Arc<Body>,
    exprs: Vec<TextRange>,
    pats: Vec<TextRange>,
}

/// `function`'s form in the expanded tree of its module, lowered. Runs again
/// after every edit of the file, but its result (ranges relative to the
/// form) compares equal when the function did not change, so that
/// [`function_body`] and what depends on it are not run again.
#[salsa::tracked(returns(ref), lru = 1024)]
fn lowered_function<'db>(
    db: &'db dyn SourceDatabase,
    function: FunctionId<'db>,
) -> Arc<LoweredFunction> {
    let (workspace, file) = (function.workspace(db), function.file(db));
    let Some(form) = function_forms(db, workspace, file).get(function.name(db), function.arity(db))
    else {
        return Arc::default();
    };
    let Some((body, exprs, pats)) = lower_form(db, workspace, file, form, form.range.start())
    else {
        return Arc::default();
    };
    Arc::new(LoweredFunction {
        body: Arc::new(body),
        exprs,
        pats,
    })
}

/// The function form `form` of `file`'s expanded tree lowered, with the
/// ranges of its expressions and patterns relative to `base`.
fn lower_form(
    db: &dyn SourceDatabase,
    workspace: Workspace,
    file: SourceFile,
    form: FunctionForm,
    base: syntax::TextSize,
) -> Option<(Body, Vec<TextRange>, Vec<TextRange>)> {
    let root = expanded_module(db, workspace, file).parse().syntax_node();
    let decl = match root.covering_element(form.range) {
        syntax::NodeOrToken::Node(node) => node.ancestors().find_map(ast::FunDecl::cast),
        syntax::NodeOrToken::Token(token) => token.parent_ancestors().find_map(ast::FunDecl::cast),
    }?;
    Some(lower::lower_decl(&decl, base))
}

/// `function`'s body and source map worked out now, not memoized: for a
/// pass that reads each function once (a linter going over a project),
/// where memoizing would only fill the memo tables and empty them again.
/// The same as [`function_body`] and [`function_body_source_map`] give.
pub fn function_body_once(
    db: &dyn SourceDatabase,
    function: FunctionId<'_>,
) -> (Body, BodySourceMap) {
    let (workspace, file) = (function.workspace(db), function.file(db));
    let lowered = function_forms(db, workspace, file)
        .get(function.name(db), function.arity(db))
        .and_then(|form| {
            let (body, exprs, pats) = lower_form(db, workspace, file, form, 0.into())?;
            Some((
                body,
                BodySourceMap {
                    exprs,
                    pats,
                    form: form.range,
                },
            ))
        });
    lowered.unwrap_or_default()
}

/// `function`'s body. Runs again only when the function changed.
#[salsa::tracked(returns(ref), lru = 4096)]
pub fn function_body<'db>(db: &'db dyn SourceDatabase, function: FunctionId<'db>) -> Arc<Body> {
    lowered_function(db, function).body.clone()
}

/// Where the nodes of `function`'s body are in the expanded text. Runs again
/// whenever the function moves.
#[salsa::tracked(returns(ref), lru = 1024)]
pub fn function_body_source_map<'db>(
    db: &'db dyn SourceDatabase,
    function: FunctionId<'db>,
) -> Arc<BodySourceMap> {
    let (workspace, file) = (function.workspace(db), function.file(db));
    let Some(form) = function_forms(db, workspace, file).get(function.name(db), function.arity(db))
    else {
        return Arc::default();
    };
    let lowered = lowered_function(db, function);
    let shift = |range: &TextRange| *range + form.range.start();
    Arc::new(BodySourceMap {
        exprs: lowered.exprs.iter().map(shift).collect(),
        pats: lowered.pats.iter().map(shift).collect(),
        form: form.range,
    })
}
