//! A [`Body`] written out as Erlang again: what the tests compare, so that
//! every lowered construct shows. Operands that are operators themselves are
//! put in parentheses, so the tree's shape is visible.

use std::fmt::Write as _;

use super::{
    BinSegment, BinTypeSpec, BinaryOp, Body, Callee, CatchClause, Clause, CrClause, Expr, ExprId,
    FieldName, Generator, GeneratorKind, GeneratorPat, Guards, Literal, MapOp, Pat, PatId,
    Qualifier, RecordField, SymbolicMacro, UnaryOp,
};

pub(super) fn body(body: &Body, name: &str) -> String {
    let mut printer = Printer {
        body,
        out: String::new(),
        indent: 0,
    };
    for (index, clause) in body.clauses.iter().enumerate() {
        if index > 0 {
            printer.out.push_str(";\n");
        }
        printer.out.push_str(name);
        printer.clause(clause);
    }
    printer.out.push_str(".\n");
    printer.out
}

pub(super) fn expr(body: &Body, expr: ExprId) -> String {
    let mut printer = Printer {
        body,
        out: String::new(),
        indent: 0,
    };
    printer.expr(expr);
    printer.out
}

pub(super) fn pat(body: &Body, pat: PatId) -> String {
    let mut printer = Printer {
        body,
        out: String::new(),
        indent: 0,
    };
    printer.pat(pat);
    printer.out
}

struct Printer<'a> {
    body: &'a Body,
    out: String,
    indent: usize,
}

fn binary_op(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Send => "!",
        BinaryOp::OrElse => "orelse",
        BinaryOp::AndAlso => "andalso",
        BinaryOp::Eq => "==",
        BinaryOp::Ne => "/=",
        BinaryOp::Le => "=<",
        BinaryOp::Lt => "<",
        BinaryOp::Ge => ">=",
        BinaryOp::Gt => ">",
        BinaryOp::ExactEq => "=:=",
        BinaryOp::ExactNe => "=/=",
        BinaryOp::Append => "++",
        BinaryOp::Subtract => "--",
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Bor => "bor",
        BinaryOp::Bxor => "bxor",
        BinaryOp::Bsl => "bsl",
        BinaryOp::Bsr => "bsr",
        BinaryOp::Or => "or",
        BinaryOp::Xor => "xor",
        BinaryOp::Divide => "/",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "div",
        BinaryOp::Rem => "rem",
        BinaryOp::Band => "band",
        BinaryOp::And => "and",
    }
}

fn unary_op(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Plus => "+",
        UnaryOp::Minus => "-",
        UnaryOp::Bnot => "bnot ",
        UnaryOp::Not => "not ",
    }
}

fn literal(out: &mut String, literal: &Literal) {
    match literal {
        Literal::Integer(text) | Literal::Float(text) | Literal::Char(text) => out.push_str(text),
        Literal::String(text) => {
            let _ = write!(out, "{text:?}");
        }
    }
}

fn symbolic(macro_: SymbolicMacro) -> &'static str {
    match macro_ {
        SymbolicMacro::Line => "?LINE",
        SymbolicMacro::File => "?FILE",
    }
}

fn atom(out: &mut String, name: &str) {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
    if plain {
        out.push_str(name);
    } else {
        let _ = write!(out, "'{}'", name.replace('\\', "\\\\").replace('\'', "\\'"));
    }
}

fn optional_atom(out: &mut String, name: Option<&str>) {
    match name {
        Some(name) => atom(out, name),
        None => out.push_str("<missing>"),
    }
}

impl Printer<'_> {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("    ");
        }
    }

    fn list<T: Copy>(&mut self, items: &[T], separator: &str, mut each: impl FnMut(&mut Self, T)) {
        for (index, &item) in items.iter().enumerate() {
            if index > 0 {
                self.out.push_str(separator);
            }
            each(self, item);
        }
    }

    fn exprs(&mut self, exprs: &[ExprId]) {
        self.list(exprs, ", ", Self::expr);
    }

    /// A clause body, one expression per line, indented.
    fn block(&mut self, exprs: &[ExprId]) {
        self.indent += 1;
        for (index, &expr) in exprs.iter().enumerate() {
            if index > 0 {
                self.out.push(',');
            }
            self.newline();
            self.expr(expr);
        }
        self.indent -= 1;
    }

    fn guards(&mut self, guards: &Guards) {
        if guards.0.is_empty() {
            return;
        }
        self.out.push_str(" when ");
        for (index, alternative) in guards.0.iter().enumerate() {
            if index > 0 {
                self.out.push_str("; ");
            }
            self.exprs(alternative);
        }
    }

    fn clause(&mut self, clause: &Clause) {
        self.out.push('(');
        self.list(&clause.pats, ", ", Self::pat);
        self.out.push(')');
        self.guards(&clause.guards);
        self.out.push_str(" ->");
        self.block(&clause.body);
    }

    fn cr_clauses(&mut self, clauses: &[CrClause]) {
        self.indent += 1;
        for (index, clause) in clauses.iter().enumerate() {
            if index > 0 {
                self.out.push(';');
            }
            self.newline();
            self.pat(clause.pat);
            self.guards(&clause.guards);
            self.out.push_str(" ->");
            self.block(&clause.body);
        }
        self.indent -= 1;
    }

    fn catch_clauses(&mut self, clauses: &[CatchClause]) {
        self.indent += 1;
        for (index, clause) in clauses.iter().enumerate() {
            if index > 0 {
                self.out.push(';');
            }
            self.newline();
            if let Some(class) = clause.class {
                self.pat(class);
                self.out.push(':');
            }
            self.pat(clause.reason);
            if let Some(stack) = clause.stack {
                self.out.push(':');
                self.pat(stack);
            }
            self.guards(&clause.guards);
            self.out.push_str(" ->");
            self.block(&clause.body);
        }
        self.indent -= 1;
    }

    fn end(&mut self) {
        self.newline();
        self.out.push_str("end");
    }

    /// An operand: in parentheses when it is an operator itself.
    fn operand(&mut self, expr: ExprId) {
        let nested = matches!(
            self.body[expr],
            Expr::BinaryOp { .. }
                | Expr::UnaryOp { .. }
                | Expr::Match { .. }
                | Expr::MaybeMatch { .. }
                | Expr::Catch(_)
        );
        if nested {
            self.out.push('(');
        }
        self.expr(expr);
        if nested {
            self.out.push(')');
        }
    }

    fn pat_operand(&mut self, pat: PatId) {
        let nested = matches!(
            self.body[pat],
            Pat::BinaryOp { .. } | Pat::UnaryOp { .. } | Pat::Match { .. }
        );
        if nested {
            self.out.push('(');
        }
        self.pat(pat);
        if nested {
            self.out.push(')');
        }
    }

    fn bin_types(&mut self, types: &[BinTypeSpec]) {
        if types.is_empty() {
            return;
        }
        self.out.push('/');
        for (index, spec) in types.iter().enumerate() {
            if index > 0 {
                self.out.push('-');
            }
            optional_atom(&mut self.out, spec.name.as_deref());
            if let Some(value) = &spec.value {
                let _ = write!(self.out, ":{value}");
            }
        }
    }

    fn segments<T: Copy>(
        &mut self,
        segments: &[BinSegment<T>],
        mut value: impl FnMut(&mut Self, T),
    ) {
        self.out.push_str("<<");
        for (index, segment) in segments.iter().enumerate() {
            if index > 0 {
                self.out.push_str(", ");
            }
            value(self, segment.value);
            if let Some(size) = segment.size {
                self.out.push(':');
                self.operand(size);
            }
            self.bin_types(&segment.types);
        }
        self.out.push_str(">>");
    }

    fn field_name(&mut self, name: &FieldName) {
        match name {
            FieldName::Name(name) => atom(&mut self.out, name),
            FieldName::Wildcard => self.out.push('_'),
            FieldName::Missing => self.out.push_str("<missing>"),
        }
    }

    fn record_fields<T: Copy>(
        &mut self,
        fields: &[RecordField<T>],
        mut value: impl FnMut(&mut Self, T),
    ) {
        self.out.push('{');
        for (index, field) in fields.iter().enumerate() {
            if index > 0 {
                self.out.push_str(", ");
            }
            self.field_name(&field.name);
            self.out.push_str(" = ");
            value(self, field.value);
        }
        self.out.push('}');
    }

    fn map_op(&mut self, op: MapOp) {
        self.out.push_str(match op {
            MapOp::Assoc => " => ",
            MapOp::Exact => " := ",
        });
    }

    fn generator(&mut self, generator: &Generator) {
        match generator.pat {
            GeneratorPat::Pat(pat) => self.pat(pat),
            GeneratorPat::MapEntry { key, value } => {
                self.pat(key);
                self.out.push_str(" := ");
                self.pat(value);
            }
        }
        self.out.push_str(match (generator.kind, generator.strict) {
            (GeneratorKind::Binary, false) => " <= ",
            (GeneratorKind::Binary, true) => " <:= ",
            (_, false) => " <- ",
            (_, true) => " <:- ",
        });
        self.expr(generator.source);
    }

    fn qualifiers(&mut self, qualifiers: &[Qualifier]) {
        self.out.push_str(" || ");
        for (index, qualifier) in qualifiers.iter().enumerate() {
            if index > 0 {
                self.out.push_str(", ");
            }
            match qualifier {
                Qualifier::Generator(generator) => self.generator(generator),
                Qualifier::Zip(generators) => {
                    for (index, generator) in generators.iter().enumerate() {
                        if index > 0 {
                            self.out.push_str(" && ");
                        }
                        self.generator(generator);
                    }
                }
                Qualifier::Filter(filter) => self.expr(*filter),
            }
        }
    }

    fn macro_call(&mut self, name: Option<&str>, args: Option<&[ExprId]>) {
        self.out.push('?');
        self.out.push_str(name.unwrap_or("<missing>"));
        if let Some(args) = args {
            self.out.push('(');
            self.exprs(args);
            self.out.push(')');
        }
    }

    fn expr(&mut self, id: ExprId) {
        let body = self.body;
        match &body[id] {
            Expr::Missing => self.out.push_str("<missing>"),
            Expr::Var(name) => self.out.push_str(name),
            Expr::Atom(name) => atom(&mut self.out, name),
            Expr::Literal(lit) => literal(&mut self.out, lit),
            Expr::StringConcat(parts) => self.list(parts, " ", Self::expr),
            Expr::Symbolic(macro_) => self.out.push_str(symbolic(*macro_)),
            Expr::MacroCall { name, args } => self.macro_call(name.as_deref(), args.as_deref()),
            Expr::MacroString(name) => {
                let _ = write!(self.out, "??{}", name.as_deref().unwrap_or("<missing>"));
            }
            Expr::Match { pat, expr } => {
                self.pat(*pat);
                self.out.push_str(" = ");
                self.expr(*expr);
            }
            Expr::MaybeMatch { pat, expr } => {
                self.pat(*pat);
                self.out.push_str(" ?= ");
                self.expr(*expr);
            }
            Expr::UnaryOp { op, expr } => {
                self.out.push_str(unary_op(*op));
                self.operand(*expr);
            }
            Expr::BinaryOp { op, lhs, rhs } => {
                self.operand(*lhs);
                let _ = write!(self.out, " {} ", binary_op(*op));
                self.operand(*rhs);
            }
            Expr::Catch(expr) => {
                self.out.push_str("catch ");
                self.expr(*expr);
            }
            Expr::Tuple(elems) => {
                self.out.push('{');
                self.exprs(elems);
                self.out.push('}');
            }
            Expr::List { elems, tail } => {
                self.out.push('[');
                self.exprs(elems);
                if let Some(tail) = tail {
                    self.out.push_str(" | ");
                    self.expr(*tail);
                }
                self.out.push(']');
            }
            Expr::Binary(segments) => self.segments(segments, Self::expr),
            Expr::Map(fields) | Expr::MapUpdate { fields, .. } => {
                if let Expr::MapUpdate { base, .. } = &body[id] {
                    self.operand(*base);
                }
                self.out.push_str("#{");
                for (index, field) in fields.iter().enumerate() {
                    if index > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(field.key);
                    self.map_op(field.op);
                    self.expr(field.value);
                }
                self.out.push('}');
            }
            Expr::Record { name, fields } => {
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.record_fields(fields, Self::expr);
            }
            Expr::RecordUpdate { base, name, fields } => {
                self.operand(*base);
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.record_fields(fields, Self::expr);
            }
            Expr::RecordIndex { name, field } => {
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.out.push('.');
                optional_atom(&mut self.out, field.as_deref());
            }
            Expr::RecordField { base, name, field } => {
                self.operand(*base);
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.out.push('.');
                optional_atom(&mut self.out, field.as_deref());
            }
            Expr::Call { callee, args } => {
                match callee {
                    Callee::Local(function) => {
                        let plain = matches!(body[*function], Expr::Atom(_) | Expr::Var(_));
                        if !plain {
                            self.out.push('(');
                        }
                        self.expr(*function);
                        if !plain {
                            self.out.push(')');
                        }
                    }
                    Callee::Remote { module, function } => {
                        self.operand(*module);
                        self.out.push(':');
                        self.operand(*function);
                    }
                }
                self.out.push('(');
                self.exprs(args);
                self.out.push(')');
            }
            Expr::Remote { module, function } => {
                self.operand(*module);
                self.out.push(':');
                self.operand(*function);
            }
            Expr::Block(exprs) => {
                self.out.push_str("begin");
                self.block(exprs);
                self.end();
            }
            Expr::Case { expr, clauses } => {
                self.out.push_str("case ");
                self.expr(*expr);
                self.out.push_str(" of");
                self.cr_clauses(clauses);
                self.end();
            }
            Expr::If(clauses) => {
                self.out.push_str("if");
                self.indent += 1;
                for (index, clause) in clauses.iter().enumerate() {
                    if index > 0 {
                        self.out.push(';');
                    }
                    self.newline();
                    let mut guards = String::new();
                    std::mem::swap(&mut guards, &mut self.out);
                    self.guards(&clause.guards);
                    std::mem::swap(&mut guards, &mut self.out);
                    self.out
                        .push_str(guards.strip_prefix(" when ").unwrap_or("<missing>"));
                    self.out.push_str(" ->");
                    self.block(&clause.body);
                }
                self.indent -= 1;
                self.end();
            }
            Expr::Receive { clauses, after } => {
                self.out.push_str("receive");
                self.cr_clauses(clauses);
                if let Some(after) = after {
                    self.newline();
                    self.out.push_str("after ");
                    self.expr(after.timeout);
                    self.out.push_str(" ->");
                    self.block(&after.body);
                }
                self.end();
            }
            Expr::Try {
                exprs,
                of_clauses,
                catch_clauses,
                after,
            } => {
                self.out.push_str("try");
                self.block(exprs);
                if !of_clauses.is_empty() {
                    self.newline();
                    self.out.push_str("of");
                    self.cr_clauses(of_clauses);
                }
                if !catch_clauses.is_empty() {
                    self.newline();
                    self.out.push_str("catch");
                    self.catch_clauses(catch_clauses);
                }
                if !after.is_empty() {
                    self.newline();
                    self.out.push_str("after");
                    self.block(after);
                }
                self.end();
            }
            Expr::Maybe {
                exprs,
                else_clauses,
            } => {
                self.out.push_str("maybe");
                self.block(exprs);
                if let Some(clauses) = else_clauses {
                    self.newline();
                    self.out.push_str("else");
                    self.cr_clauses(clauses);
                }
                self.end();
            }
            Expr::Fun { name, clauses } => {
                self.out.push_str("fun");
                self.indent += 1;
                for (index, clause) in clauses.iter().enumerate() {
                    if index > 0 {
                        self.out.push(';');
                    }
                    self.newline();
                    if let Some(name) = name {
                        self.pat(*name);
                    }
                    self.clause(clause);
                }
                self.indent -= 1;
                self.end();
            }
            Expr::FunRef {
                module,
                function,
                arity,
            } => {
                self.out.push_str("fun ");
                if let Some(module) = module {
                    self.expr(*module);
                    self.out.push(':');
                }
                self.expr(*function);
                self.out.push('/');
                self.expr(*arity);
            }
            Expr::ListComprehension { expr, qualifiers } => {
                self.out.push('[');
                self.expr(*expr);
                self.qualifiers(qualifiers);
                self.out.push(']');
            }
            Expr::BinaryComprehension { expr, qualifiers } => {
                self.out.push_str("<<");
                self.expr(*expr);
                self.qualifiers(qualifiers);
                self.out.push_str(">>");
            }
            Expr::MapComprehension {
                key,
                value,
                qualifiers,
            } => {
                self.out.push_str("#{");
                self.expr(*key);
                self.out.push_str(" => ");
                self.expr(*value);
                self.qualifiers(qualifiers);
                self.out.push('}');
            }
        }
    }

    fn pat(&mut self, id: PatId) {
        let body = self.body;
        match &body[id] {
            Pat::Missing => self.out.push_str("<missing>"),
            Pat::Wildcard => self.out.push('_'),
            Pat::Var(name) => self.out.push_str(name),
            Pat::Atom(name) => atom(&mut self.out, name),
            Pat::Literal(lit) => literal(&mut self.out, lit),
            Pat::StringConcat(parts) => self.list(parts, " ", Self::pat),
            Pat::Symbolic(macro_) => self.out.push_str(symbolic(*macro_)),
            Pat::MacroCall { name, args } => self.macro_call(name.as_deref(), args.as_deref()),
            Pat::Match { lhs, rhs } => {
                self.pat(*lhs);
                self.out.push_str(" = ");
                self.pat(*rhs);
            }
            Pat::Tuple(elems) => {
                self.out.push('{');
                self.list(elems, ", ", Self::pat);
                self.out.push('}');
            }
            Pat::List { elems, tail } => {
                self.out.push('[');
                self.list(elems, ", ", Self::pat);
                if let Some(tail) = tail {
                    self.out.push_str(" | ");
                    self.pat(*tail);
                }
                self.out.push(']');
            }
            Pat::Binary(segments) => self.segments(segments, Self::pat),
            Pat::Map(fields) => {
                self.out.push_str("#{");
                for (index, field) in fields.iter().enumerate() {
                    if index > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(field.key);
                    self.map_op(field.op);
                    self.pat(field.value);
                }
                self.out.push('}');
            }
            Pat::Record { name, fields } => {
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.record_fields(fields, Self::pat);
            }
            Pat::RecordIndex { name, field } => {
                self.out.push('#');
                optional_atom(&mut self.out, name.as_deref());
                self.out.push('.');
                optional_atom(&mut self.out, field.as_deref());
            }
            Pat::UnaryOp { op, pat } => {
                self.out.push_str(unary_op(*op));
                self.pat_operand(*pat);
            }
            Pat::BinaryOp { op, lhs, rhs } => {
                self.pat_operand(*lhs);
                let _ = write!(self.out, " {} ", binary_op(*op));
                self.pat_operand(*rhs);
            }
            Pat::Expr(expr) => {
                self.out.push_str("<expr ");
                self.expr(*expr);
                self.out.push('>');
            }
        }
    }
}
