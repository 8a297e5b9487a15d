//! From a function form's syntax tree to a [`Body`]: every expression and
//! pattern into its arena, with its range beside it.
//!
//! Children are found by the tokens between them (the operator of a binary
//! expression, the `:` of a remote call, the `#` of a record), not by their
//! position among children of overlapping kinds, so a tree with a missing
//! part still lowers the parts it has.

use smallvec::SmallVec;
use smol_str::SmolStr;
use syntax::SyntaxKind::{self, *};
use syntax::ast::{self, AstNode};
use syntax::{NodeOrToken, NodeView, SyntaxNode, TextRange, TextSize};

use super::{
    BinSegment, BinTypeSpec, BinaryOp, Body, Callee, CatchClause, Clause, CrClause, Expr, ExprId,
    FieldName, Generator, GeneratorKind, GeneratorPat, Guards, IfClause, Literal, MapField, MapOp,
    MapPatField, Pat, PatId, Qualifier, ReceiveAfter, RecordField, SymbolicMacro, UnaryOp,
};

/// Lowers a function form; ranges are made relative to `base`.
pub(super) fn lower_decl(
    decl: &ast::FunDecl,
    base: TextSize,
) -> (Body, Vec<TextRange>, Vec<TextRange>) {
    // About an expression and a pattern every dozen bytes of expanded text:
    // the arenas rarely grow.
    let guess = usize::from(decl.syntax().text_range().len()) / 12 + 4;
    let mut ctx = Ctx {
        body: Body::default(),
        expr_ranges: Vec::with_capacity(guess),
        pat_ranges: Vec::with_capacity(guess),
        base,
    };
    ctx.body.exprs.reserve(guess);
    ctx.body.pats.reserve(guess);
    let clauses = decl
        .fun_clauses()
        .map(|clause| ctx.clause(&clause))
        .collect();
    ctx.body.clauses = clauses;
    (ctx.body, ctx.expr_ranges, ctx.pat_ranges)
}

struct Ctx {
    body: Body,
    expr_ranges: Vec<TextRange>,
    pat_ranges: Vec<TextRange>,
    base: TextSize,
}

/// The kind of the first direct token of `node` that is not trivia. The
/// walks over a node's tokens go through the green tree: a cursor for each
/// token would be an allocation.
fn first_token_kind(node: &SyntaxNode) -> Option<SyntaxKind> {
    NodeView::of(node)
        .children_with_tokens()
        .filter_map(|element| element.into_token())
        .map(|token| token.kind())
        .find(|kind| !kind.is_trivia())
}

/// Child nodes: nearly always one or two here, kept inline.
type Nodes = SmallVec<[SyntaxNode; 2]>;

/// The direct child nodes of `node` before and after its first direct token
/// of one of `kinds` (all of them before when there is none).
fn split_at(node: &SyntaxNode, kinds: &[SyntaxKind]) -> (Nodes, Nodes) {
    // How many child nodes come before the token.
    let mut nodes = 0;
    let mut split = None;
    for element in NodeView::of(node).children_with_tokens() {
        match element {
            NodeOrToken::Token(token) if kinds.contains(&token.kind()) => {
                split = Some(nodes);
                break;
            }
            NodeOrToken::Token(_) => {}
            NodeOrToken::Node(_) => nodes += 1,
        }
    }
    let mut before = Nodes::new();
    let mut after = Nodes::new();
    for (index, child) in node.children().enumerate() {
        if split.is_some_and(|split| index >= split) {
            after.push(child);
        } else {
            before.push(child);
        }
    }
    (before, after)
}

fn first_expr(nodes: &[SyntaxNode]) -> Option<ast::Expr> {
    nodes.iter().find_map(|node| ast::Expr::cast(node.clone()))
}

fn has_token(node: &SyntaxNode, kind: SyntaxKind) -> bool {
    NodeView::of(node)
        .children_with_tokens()
        .any(|element| element.into_token().is_some_and(|t| t.kind() == kind))
}

/// The value of an atom node (through parentheses); `None` for anything else.
fn atom_name(node: Option<&SyntaxNode>) -> Option<SmolStr> {
    let node = node?;
    match node.kind() {
        ATOM => ast::Atom::cast(node.clone())?.value().map(SmolStr::new),
        PAREN_EXPR => atom_name(node.children().next().as_ref()),
        _ => None,
    }
}

fn binary_op(kind: SyntaxKind) -> Option<BinaryOp> {
    Some(match kind {
        BANG => BinaryOp::Send,
        ORELSE_KW => BinaryOp::OrElse,
        ANDALSO_KW => BinaryOp::AndAlso,
        EQ2 => BinaryOp::Eq,
        SLASH_EQ => BinaryOp::Ne,
        EQ_LT => BinaryOp::Le,
        L_ANGLE => BinaryOp::Lt,
        GT_EQ => BinaryOp::Ge,
        R_ANGLE => BinaryOp::Gt,
        EQ_COLON_EQ => BinaryOp::ExactEq,
        EQ_SLASH_EQ => BinaryOp::ExactNe,
        PLUS2 => BinaryOp::Append,
        MINUS2 => BinaryOp::Subtract,
        PLUS => BinaryOp::Add,
        MINUS => BinaryOp::Sub,
        BOR_KW => BinaryOp::Bor,
        BXOR_KW => BinaryOp::Bxor,
        BSL_KW => BinaryOp::Bsl,
        BSR_KW => BinaryOp::Bsr,
        OR_KW => BinaryOp::Or,
        XOR_KW => BinaryOp::Xor,
        SLASH => BinaryOp::Divide,
        STAR => BinaryOp::Mul,
        DIV_KW => BinaryOp::Div,
        REM_KW => BinaryOp::Rem,
        BAND_KW => BinaryOp::Band,
        AND_KW => BinaryOp::And,
        _ => return None,
    })
}

fn unary_op(kind: SyntaxKind) -> Option<UnaryOp> {
    Some(match kind {
        PLUS => UnaryOp::Plus,
        MINUS => UnaryOp::Minus,
        BNOT_KW => UnaryOp::Bnot,
        NOT_KW => UnaryOp::Not,
        _ => return None,
    })
}

fn literal(node: &ast::Literal) -> Option<Literal> {
    let token = node.token()?;
    let text = token.text();
    Some(match token.kind() {
        INTEGER => Literal::Integer(SmolStr::new(text)),
        FLOAT => Literal::Float(SmolStr::new(text)),
        CHAR => Literal::Char(SmolStr::new(text)),
        _ => Literal::String(ast::string_value(text)),
    })
}

/// `?LINE` and `?FILE`, which the expanded text keeps.
fn symbolic_macro(call: &ast::MacroCall) -> Option<SymbolicMacro> {
    if call.macro_args().is_some() {
        return None;
    }
    match call.name()?.text()?.as_str() {
        "LINE" => Some(SymbolicMacro::Line),
        "FILE" => Some(SymbolicMacro::File),
        _ => None,
    }
}

/// The adjacent strings of a concatenation as one, if all of them are strings.
fn concatenated_string(concat: &ast::StringConcat) -> Option<String> {
    let mut text = String::new();
    for child in concat.syntax().children() {
        let literal = ast::Literal::cast(child)?;
        match self::literal(&literal)? {
            Literal::String(part) => text.push_str(&part),
            _ => return None,
        }
    }
    Some(text)
}

fn generator_kind(op: SyntaxKind) -> (GeneratorKind, bool) {
    match op {
        L_DOUBLE_ARROW => (GeneratorKind::Binary, false),
        L_DOUBLE_ARROW_STRICT => (GeneratorKind::Binary, true),
        L_ARROW_STRICT => (GeneratorKind::List, true),
        _ => (GeneratorKind::List, false),
    }
}

impl Ctx {
    fn range(&self, node: &SyntaxNode) -> TextRange {
        let range = node.text_range();
        range
            .checked_sub(self.base)
            .unwrap_or_else(|| TextRange::empty(TextSize::from(0)))
    }

    fn alloc_expr(&mut self, expr: Expr, range: TextRange) -> ExprId {
        let id = ExprId(self.body.exprs.len() as u32);
        self.body.exprs.push(expr);
        self.expr_ranges.push(range);
        id
    }

    fn alloc_pat(&mut self, pat: Pat, range: TextRange) -> PatId {
        let id = PatId(self.body.pats.len() as u32);
        self.body.pats.push(pat);
        self.pat_ranges.push(range);
        id
    }

    fn missing_expr(&mut self, parent: &SyntaxNode) -> ExprId {
        let range = self.range(parent);
        self.alloc_expr(Expr::Missing, range)
    }

    fn missing_pat(&mut self, parent: &SyntaxNode) -> PatId {
        let range = self.range(parent);
        self.alloc_pat(Pat::Missing, range)
    }

    /// The expression `node`, or `Missing` with the range of `parent`.
    fn expr_opt(&mut self, node: Option<ast::Expr>, parent: &SyntaxNode) -> ExprId {
        match node {
            Some(node) => self.expr(&node),
            None => self.missing_expr(parent),
        }
    }

    fn pat_opt(&mut self, node: Option<ast::Expr>, parent: &SyntaxNode) -> PatId {
        match node {
            Some(node) => self.pat(&node),
            None => self.missing_pat(parent),
        }
    }

    fn exprs(&mut self, nodes: impl Iterator<Item = ast::Expr>) -> Vec<ExprId> {
        nodes.map(|node| self.expr(&node)).collect()
    }

    fn clause(&mut self, clause: &ast::FunClause) -> Clause {
        let pats = clause
            .arg_list()
            .map(|args| args.exprs().map(|arg| self.pat(&arg)).collect())
            .unwrap_or_default();
        Clause {
            pats,
            guards: self.guards(clause.guard()),
            body: self.clause_body(clause.clause_body()),
        }
    }

    fn guards(&mut self, guard: Option<ast::Guard>) -> Guards {
        let Some(guard) = guard else {
            return Guards::default();
        };
        Guards(
            guard
                .guard_clauses()
                .map(|clause| self.exprs(clause.exprs()))
                .collect(),
        )
    }

    fn clause_body(&mut self, body: Option<ast::ClauseBody>) -> Vec<ExprId> {
        body.map(|body| self.exprs(body.exprs()))
            .unwrap_or_default()
    }

    fn cr_clause(&mut self, clause: &ast::CrClause) -> CrClause {
        let pat = self.pat_opt(clause.pat(), clause.syntax());
        CrClause {
            pat,
            guards: self.guards(clause.guard()),
            body: self.clause_body(clause.clause_body()),
        }
    }

    fn cr_clauses(&mut self, clauses: impl Iterator<Item = ast::CrClause>) -> Vec<CrClause> {
        clauses.map(|clause| self.cr_clause(&clause)).collect()
    }

    fn catch_clause(&mut self, clause: &ast::CatchClause) -> CatchClause {
        let (class, reason, stack) = match clause.catch_pattern() {
            Some(pattern) => {
                let class = pattern.class().map(|class| self.pat(&class));
                let reason = self.pat_opt(pattern.reason(), pattern.syntax());
                let stack = pattern.stack().map(|stack| self.pat(&stack));
                (class, reason, stack)
            }
            None => (None, self.missing_pat(clause.syntax()), None),
        };
        CatchClause {
            class,
            reason,
            stack,
            guards: self.guards(clause.guard()),
            body: self.clause_body(clause.clause_body()),
        }
    }

    fn macro_args(&mut self, call: &ast::MacroCall) -> Option<Vec<ExprId>> {
        let args = call.macro_args()?;
        Some(
            args.macro_args()
                .map(|arg| self.expr_opt(arg.expr(), arg.syntax()))
                .collect(),
        )
    }

    fn record_fields<T>(
        &mut self,
        node: &SyntaxNode,
        mut value: impl FnMut(&mut Ctx, Option<ast::Expr>, &SyntaxNode) -> T,
    ) -> Vec<RecordField<T>> {
        node.children()
            .filter_map(ast::RecordField::cast)
            .map(|field| {
                let (before, after) = split_at(field.syntax(), &[EQ]);
                let name = match before.first() {
                    Some(name) if name.kind() == ATOM => {
                        atom_name(Some(name)).map_or(FieldName::Missing, FieldName::Name)
                    }
                    Some(name) if name.kind() == VAR && name.text() == "_" => FieldName::Wildcard,
                    _ => FieldName::Missing,
                };
                let value = value(self, first_expr(&after), field.syntax());
                RecordField { name, value }
            })
            .collect()
    }

    /// `#name` and what follows the `#` of a record expression: the name and
    /// the nodes after it.
    fn record_name(after_pound: &[SyntaxNode]) -> Option<SmolStr> {
        after_pound
            .first()
            .filter(|node| node.kind() != RECORD_FIELD)
            .and_then(|node| atom_name(Some(node)))
    }

    fn bin_types(&mut self, element: &ast::BinElement) -> Vec<BinTypeSpec> {
        let Some(specs) = element.bin_type_specs() else {
            return Vec::new();
        };
        specs
            .bin_type_specs()
            .map(|spec| BinTypeSpec {
                name: spec.name().and_then(|name| atom_name(Some(name.syntax()))),
                value: spec
                    .syntax()
                    .descendants_with_tokens()
                    .filter_map(|element| element.into_token())
                    .find(|token| token.kind() == INTEGER)
                    .map(|token| SmolStr::new(token.text())),
            })
            .collect()
    }

    fn bin_segments<T>(
        &mut self,
        binary: &ast::Binary,
        mut value: impl FnMut(&mut Ctx, Option<ast::Expr>, &SyntaxNode) -> T,
    ) -> Vec<BinSegment<T>> {
        binary
            .bin_elements()
            .map(|element| {
                let (before, after) = split_at(element.syntax(), &[COLON]);
                let value = value(self, first_expr(&before), element.syntax());
                let size = if has_token(element.syntax(), COLON) {
                    let size = first_expr(&after);
                    Some(self.expr_opt(size, element.syntax()))
                } else {
                    None
                };
                BinSegment {
                    value,
                    size,
                    types: self.bin_types(&element),
                }
            })
            .collect()
    }

    fn map_op(field: &SyntaxNode) -> MapOp {
        if has_token(field, COLON_EQ) {
            MapOp::Exact
        } else {
            MapOp::Assoc
        }
    }

    fn map_field(&mut self, field: &ast::MapField) -> MapField {
        let (before, after) = split_at(field.syntax(), &[FAT_ARROW, COLON_EQ]);
        let key = self.expr_opt(first_expr(&before), field.syntax());
        let value = self.expr_opt(first_expr(&after), field.syntax());
        MapField {
            key,
            op: Self::map_op(field.syntax()),
            value,
        }
    }

    fn qualifiers(&mut self, exprs: Option<ast::LcExprs>) -> Vec<Qualifier> {
        let Some(exprs) = exprs else {
            return Vec::new();
        };
        exprs
            .lc_exprs()
            .map(|qualifier| match qualifier {
                ast::LcExpr::Generator(generator) => {
                    Qualifier::Generator(self.generator(&generator))
                }
                ast::LcExpr::ZipGenerator(zip) => Qualifier::Zip(
                    zip.generators()
                        .map(|generator| self.generator(&generator))
                        .collect(),
                ),
                ast::LcExpr::Expr(expr) => Qualifier::Filter(self.expr(&expr)),
            })
            .collect()
    }

    fn generator(&mut self, generator: &ast::Generator) -> Generator {
        let kinds = [
            L_ARROW,
            L_ARROW_STRICT,
            L_DOUBLE_ARROW,
            L_DOUBLE_ARROW_STRICT,
        ];
        let op = generator.op_token().map_or(L_ARROW, |token| token.kind());
        let (mut kind, strict) = generator_kind(op);
        let (before, after) = split_at(generator.syntax(), &kinds);
        let pat = match before.first() {
            Some(node) if node.kind() == MAP_FIELD => {
                kind = GeneratorKind::Map;
                let (key, value) = split_at(node, &[FAT_ARROW, COLON_EQ]);
                let key = self.pat_opt(first_expr(&key), node);
                let value = self.pat_opt(first_expr(&value), node);
                GeneratorPat::MapEntry { key, value }
            }
            _ => GeneratorPat::Pat(self.pat_opt(first_expr(&before), generator.syntax())),
        };
        let source = self.expr_opt(first_expr(&after), generator.syntax());
        Generator {
            kind,
            strict,
            pat,
            source,
        }
    }

    fn fun_clauses(&mut self, fun: &ast::FunExpr) -> (Option<PatId>, Vec<Clause>) {
        let mut name = None;
        let mut clauses = Vec::new();
        for (index, clause) in fun.fun_clauses().enumerate() {
            if index == 0
                && let Some(ast::Name::Var(var)) = clause.name()
                && let Some(token) = var.token()
            {
                let range = self.range(var.syntax());
                name = Some(self.alloc_pat(Pat::Var(SmolStr::new(token.text())), range));
            }
            clauses.push(self.clause(&clause));
        }
        (name, clauses)
    }

    fn expr(&mut self, node: &ast::Expr) -> ExprId {
        let syntax = node.syntax();
        let range = self.range(syntax);
        let expr = match node {
            ast::Expr::ParenExpr(paren) => {
                return self.expr_opt(paren.expr(), syntax);
            }
            ast::Expr::Var(var) => match var.token() {
                Some(token) => Expr::Var(SmolStr::new(token.text())),
                None => Expr::Missing,
            },
            ast::Expr::Atom(atom) => match atom.value() {
                Some(value) => Expr::Atom(SmolStr::new(value)),
                None => Expr::Missing,
            },
            ast::Expr::Literal(lit) => literal(lit).map_or(Expr::Missing, Expr::Literal),
            ast::Expr::StringConcat(concat) => match concatenated_string(concat) {
                Some(text) => Expr::Literal(Literal::String(text)),
                None => {
                    let parts = concat
                        .syntax()
                        .children()
                        .filter_map(ast::Expr::cast)
                        .collect::<Vec<_>>();
                    Expr::StringConcat(self.exprs(parts.into_iter()))
                }
            },
            ast::Expr::MacroCall(call) => match symbolic_macro(call) {
                Some(symbolic) => Expr::Symbolic(symbolic),
                None => Expr::MacroCall {
                    name: call.name().and_then(|name| name.text().map(SmolStr::new)),
                    args: self.macro_args(call),
                },
            },
            ast::Expr::MacroString(string) => {
                Expr::MacroString(string.name().and_then(|name| name.text().map(SmolStr::new)))
            }
            ast::Expr::BinaryExpr(_) => self.binary_expr(syntax),
            ast::Expr::UnaryExpr(unary) => {
                let op = first_token_kind(syntax).and_then(unary_op);
                let operand = self.expr_opt(unary.expr(), syntax);
                match op {
                    Some(op) => Expr::UnaryOp { op, expr: operand },
                    None => Expr::Missing,
                }
            }
            ast::Expr::CatchExpr(catch) => Expr::Catch(self.expr_opt(catch.expr(), syntax)),
            ast::Expr::Tuple(tuple) => Expr::Tuple(self.exprs(tuple.exprs())),
            ast::Expr::List(_) => {
                let (before, after) = split_at(syntax, &[PIPE]);
                let elems = before
                    .iter()
                    .filter_map(|node| ast::Expr::cast(node.clone()))
                    .collect::<Vec<_>>();
                let elems = self.exprs(elems.into_iter());
                let tail = if has_token(syntax, PIPE) {
                    Some(self.expr_opt(first_expr(&after), syntax))
                } else {
                    None
                };
                Expr::List { elems, tail }
            }
            ast::Expr::ListComprehension(lc) => {
                let expr = self.expr_opt(lc.expr(), syntax);
                Expr::ListComprehension {
                    expr,
                    qualifiers: self.qualifiers(lc.lc_exprs()),
                }
            }
            ast::Expr::Binary(binary) => Expr::Binary(
                self.bin_segments(binary, |ctx, value, parent| ctx.expr_opt(value, parent)),
            ),
            ast::Expr::BinaryComprehension(bc) => {
                let expr = self.expr_opt(bc.expr(), syntax);
                Expr::BinaryComprehension {
                    expr,
                    qualifiers: self.qualifiers(bc.lc_exprs()),
                }
            }
            ast::Expr::MapExpr(map) => {
                let (before, _) = split_at(syntax, &[POUND]);
                let base = first_expr(&before).map(|base| self.expr(&base));
                let fields = map
                    .map_fields()
                    .map(|field| self.map_field(&field))
                    .collect();
                match base {
                    Some(base) => Expr::MapUpdate { base, fields },
                    None => Expr::Map(fields),
                }
            }
            ast::Expr::MapComprehension(mc) => {
                let (key, value) = match mc.map_field() {
                    Some(field) => {
                        let field = self.map_field(&field);
                        (field.key, field.value)
                    }
                    None => (self.missing_expr(syntax), self.missing_expr(syntax)),
                };
                Expr::MapComprehension {
                    key,
                    value,
                    qualifiers: self.qualifiers(mc.lc_exprs()),
                }
            }
            ast::Expr::RecordExpr(_) => {
                let (before, after) = split_at(syntax, &[POUND]);
                let base = first_expr(&before).map(|base| self.expr(&base));
                let name = Self::record_name(&after);
                let fields =
                    self.record_fields(syntax, |ctx, value, parent| ctx.expr_opt(value, parent));
                match base {
                    Some(base) => Expr::RecordUpdate { base, name, fields },
                    None => Expr::Record { name, fields },
                }
            }
            ast::Expr::RecordFieldAccess(_) => {
                let (before, after) = split_at(syntax, &[POUND]);
                let base = self.expr_opt(first_expr(&before), syntax);
                let (name, field) = record_name_and_field(&after);
                Expr::RecordField { base, name, field }
            }
            ast::Expr::RecordIndex(_) => {
                let (_, after) = split_at(syntax, &[POUND]);
                let (name, field) = record_name_and_field(&after);
                Expr::RecordIndex { name, field }
            }
            ast::Expr::Call(call) => {
                let callee_node = syntax
                    .children()
                    .find(|child| child.kind() != ARG_LIST)
                    .and_then(ast::Expr::cast);
                let callee = match callee_node.as_ref().map(strip_parens) {
                    Some(ast::Expr::Remote(remote)) => {
                        let (module, function) = self.remote_parts(remote.syntax());
                        Callee::Remote { module, function }
                    }
                    _ => Callee::Local(self.expr_opt(callee_node, syntax)),
                };
                let args = call
                    .arg_list()
                    .map(|args| self.exprs(args.exprs()))
                    .unwrap_or_default();
                Expr::Call { callee, args }
            }
            ast::Expr::Remote(_) => {
                let (module, function) = self.remote_parts(syntax);
                Expr::Remote { module, function }
            }
            ast::Expr::BlockExpr(block) => Expr::Block(self.exprs(block.exprs())),
            ast::Expr::CaseExpr(case) => {
                let expr = self.expr_opt(case.expr(), syntax);
                Expr::Case {
                    expr,
                    clauses: self.cr_clauses(case.cr_clauses()),
                }
            }
            ast::Expr::IfExpr(if_expr) => Expr::If(
                if_expr
                    .if_clauses()
                    .map(|clause| IfClause {
                        guards: self.guards(clause.guard()),
                        body: self.clause_body(clause.clause_body()),
                    })
                    .collect(),
            ),
            ast::Expr::ReceiveExpr(receive) => {
                let clauses = self.cr_clauses(receive.cr_clauses());
                let after = receive.receive_after().map(|after| {
                    let timeout = self.expr_opt(after.expr(), after.syntax());
                    ReceiveAfter {
                        timeout,
                        body: self.clause_body(after.clause_body()),
                    }
                });
                Expr::Receive { clauses, after }
            }
            ast::Expr::TryExpr(try_expr) => {
                let exprs = self.exprs(try_expr.exprs());
                let of_clauses = try_expr
                    .try_of()
                    .map(|of| self.cr_clauses(of.cr_clauses()))
                    .unwrap_or_default();
                let catch_clauses = try_expr
                    .try_catch()
                    .map(|catch| {
                        catch
                            .catch_clauses()
                            .map(|clause| self.catch_clause(&clause))
                            .collect()
                    })
                    .unwrap_or_default();
                let after = try_expr
                    .try_after()
                    .map(|after| self.exprs(after.exprs()))
                    .unwrap_or_default();
                Expr::Try {
                    exprs,
                    of_clauses,
                    catch_clauses,
                    after,
                }
            }
            ast::Expr::MaybeExpr(maybe) => {
                let exprs = self.exprs(maybe.exprs());
                let else_clauses = maybe
                    .maybe_else()
                    .map(|else_| self.cr_clauses(else_.cr_clauses()));
                Expr::Maybe {
                    exprs,
                    else_clauses,
                }
            }
            ast::Expr::FunExpr(fun) => {
                let (name, clauses) = self.fun_clauses(fun);
                Expr::Fun { name, clauses }
            }
            ast::Expr::FunRef(fun_ref) => {
                let module = fun_ref.module().map(|module| self.expr(&module));
                let function = self.expr_opt(fun_ref.fun(), syntax);
                let (_, after) = split_at(syntax, &[SLASH]);
                let arity = self.expr_opt(first_expr(&after), syntax);
                Expr::FunRef {
                    module,
                    function,
                    arity,
                }
            }
            // Types are no expressions.
            ast::Expr::AnnType(_) | ast::Expr::FunType(_) => Expr::Missing,
        };
        self.alloc_expr(expr, range)
    }

    fn binary_expr(&mut self, syntax: &SyntaxNode) -> Expr {
        let kind = first_token_kind(syntax);
        let (before, after) = match kind {
            Some(kind) => split_at(syntax, &[kind]),
            None => (syntax.children().collect(), Nodes::new()),
        };
        match kind {
            Some(EQ | QUESTION_EQ) => {
                let pat = self.pat_opt(first_expr(&before), syntax);
                let expr = self.expr_opt(first_expr(&after), syntax);
                if kind == Some(EQ) {
                    Expr::Match { pat, expr }
                } else {
                    Expr::MaybeMatch { pat, expr }
                }
            }
            Some(kind) => match binary_op(kind) {
                Some(op) => {
                    let lhs = self.expr_opt(first_expr(&before), syntax);
                    let rhs = self.expr_opt(first_expr(&after), syntax);
                    Expr::BinaryOp { op, lhs, rhs }
                }
                // `|` and `..` belong to types.
                None => Expr::Missing,
            },
            None => Expr::Missing,
        }
    }

    fn remote_parts(&mut self, remote: &SyntaxNode) -> (ExprId, ExprId) {
        let (before, after) = split_at(remote, &[COLON]);
        let module = self.expr_opt(first_expr(&before), remote);
        let function = self.expr_opt(first_expr(&after), remote);
        (module, function)
    }

    fn pat(&mut self, node: &ast::Expr) -> PatId {
        let syntax = node.syntax();
        let range = self.range(syntax);
        let pat = match node {
            ast::Expr::ParenExpr(paren) => return self.pat_opt(paren.expr(), syntax),
            ast::Expr::Var(var) => match var.token() {
                Some(token) if token.text() == "_" => Pat::Wildcard,
                Some(token) => Pat::Var(SmolStr::new(token.text())),
                None => Pat::Missing,
            },
            ast::Expr::Atom(atom) => match atom.value() {
                Some(value) => Pat::Atom(SmolStr::new(value)),
                None => Pat::Missing,
            },
            ast::Expr::Literal(lit) => literal(lit).map_or(Pat::Missing, Pat::Literal),
            ast::Expr::StringConcat(concat) => match concatenated_string(concat) {
                Some(text) => Pat::Literal(Literal::String(text)),
                None => {
                    let parts = concat
                        .syntax()
                        .children()
                        .filter_map(ast::Expr::cast)
                        .collect::<Vec<_>>();
                    Pat::StringConcat(parts.iter().map(|part| self.pat(part)).collect())
                }
            },
            ast::Expr::MacroCall(call) => match symbolic_macro(call) {
                Some(symbolic) => Pat::Symbolic(symbolic),
                None => Pat::MacroCall {
                    name: call.name().and_then(|name| name.text().map(SmolStr::new)),
                    args: self.macro_args(call),
                },
            },
            ast::Expr::BinaryExpr(_) => {
                let kind = first_token_kind(syntax);
                let (before, after) = match kind {
                    Some(kind) => split_at(syntax, &[kind]),
                    None => (Nodes::new(), Nodes::new()),
                };
                match kind {
                    Some(EQ) => {
                        let lhs = self.pat_opt(first_expr(&before), syntax);
                        let rhs = self.pat_opt(first_expr(&after), syntax);
                        Pat::Match { lhs, rhs }
                    }
                    Some(kind) => match binary_op(kind) {
                        Some(op) => {
                            let lhs = self.pat_opt(first_expr(&before), syntax);
                            let rhs = self.pat_opt(first_expr(&after), syntax);
                            Pat::BinaryOp { op, lhs, rhs }
                        }
                        None => Pat::Expr(self.expr(node)),
                    },
                    None => Pat::Expr(self.expr(node)),
                }
            }
            ast::Expr::UnaryExpr(unary) => match first_token_kind(syntax).and_then(unary_op) {
                Some(op) => Pat::UnaryOp {
                    op,
                    pat: self.pat_opt(unary.expr(), syntax),
                },
                None => Pat::Expr(self.expr(node)),
            },
            ast::Expr::Tuple(tuple) => {
                Pat::Tuple(tuple.exprs().map(|elem| self.pat(&elem)).collect())
            }
            ast::Expr::List(_) => {
                let (before, after) = split_at(syntax, &[PIPE]);
                let elems = before
                    .iter()
                    .filter_map(|node| ast::Expr::cast(node.clone()))
                    .map(|elem| self.pat(&elem))
                    .collect();
                let tail = if has_token(syntax, PIPE) {
                    Some(self.pat_opt(first_expr(&after), syntax))
                } else {
                    None
                };
                Pat::List { elems, tail }
            }
            ast::Expr::Binary(binary) => Pat::Binary(
                self.bin_segments(binary, |ctx, value, parent| ctx.pat_opt(value, parent)),
            ),
            ast::Expr::MapExpr(map) if !has_base(syntax) => Pat::Map(
                map.map_fields()
                    .map(|field| {
                        let (before, after) = split_at(field.syntax(), &[FAT_ARROW, COLON_EQ]);
                        let key = self.expr_opt(first_expr(&before), field.syntax());
                        let value = self.pat_opt(first_expr(&after), field.syntax());
                        MapPatField {
                            key,
                            op: Self::map_op(field.syntax()),
                            value,
                        }
                    })
                    .collect(),
            ),
            ast::Expr::RecordExpr(_) if !has_base(syntax) => {
                let (_, after) = split_at(syntax, &[POUND]);
                let name = Self::record_name(&after);
                let fields =
                    self.record_fields(syntax, |ctx, value, parent| ctx.pat_opt(value, parent));
                Pat::Record { name, fields }
            }
            ast::Expr::RecordIndex(_) => {
                let (_, after) = split_at(syntax, &[POUND]);
                let (name, field) = record_name_and_field(&after);
                Pat::RecordIndex { name, field }
            }
            _ => Pat::Expr(self.expr(node)),
        };
        self.alloc_pat(pat, range)
    }
}

/// Whether a map or record expression has an expression before its `#`.
fn has_base(node: &SyntaxNode) -> bool {
    first_expr(&split_at(node, &[POUND]).0).is_some()
}

fn strip_parens(expr: &ast::Expr) -> ast::Expr {
    match expr {
        ast::Expr::ParenExpr(paren) => match paren.expr() {
            Some(inner) => strip_parens(&inner),
            None => expr.clone(),
        },
        _ => expr.clone(),
    }
}

/// `name.field` after the `#` of `#name.field` or `Base#name.field`.
fn record_name_and_field(after_pound: &[SyntaxNode]) -> (Option<SmolStr>, Option<SmolStr>) {
    (
        atom_name(after_pound.first()),
        atom_name(after_pound.get(1)),
    )
}
