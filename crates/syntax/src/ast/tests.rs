//! Tests of `T!` and of the typed AST over hand-built trees (independent of the parser).

use rowan::GreenNodeBuilder;

use crate::{
    SyntaxKind::{self, *},
    SyntaxNode, T,
    ast::{self, AstNode},
};

/// A tree to build: a node with children, or a token with its text.
enum Shape {
    Node(SyntaxKind, Vec<Shape>),
    Token(SyntaxKind, &'static str),
}

fn node(kind: SyntaxKind, children: Vec<Shape>) -> Shape {
    Shape::Node(kind, children)
}

fn token(kind: SyntaxKind, text: &'static str) -> Shape {
    Shape::Token(kind, text)
}

/// An `ATOM` node around one `ATOM` token.
fn atom(text: &'static str) -> Shape {
    node(ATOM, vec![token(ATOM, text)])
}

fn var(text: &'static str) -> Shape {
    node(VAR, vec![token(VAR, text)])
}

fn integer(text: &'static str) -> Shape {
    node(LITERAL, vec![token(INTEGER, text)])
}

fn ws() -> Shape {
    token(WHITESPACE, " ")
}

fn build(shape: Shape) -> SyntaxNode {
    fn go(builder: &mut GreenNodeBuilder<'_>, shape: Shape) {
        match shape {
            Shape::Node(kind, children) => {
                builder.start_node(kind.into());
                for child in children {
                    go(builder, child);
                }
                builder.finish_node();
            }
            Shape::Token(kind, text) => builder.token(kind.into(), text),
        }
    }
    let mut builder = GreenNodeBuilder::new();
    go(&mut builder, shape);
    SyntaxNode::new_root(builder.finish())
}

fn text(node: &impl AstNode) -> String {
    node.syntax().text().to_string()
}

#[test]
fn t_macro_names_the_kinds() {
    assert_eq!(T![=:=], EQ_COLON_EQ);
    assert_eq!(T![<:-], L_ARROW_STRICT);
    assert_eq!(T![...], DOT3);
    assert_eq!(T!['('], L_PAREN);
    assert_eq!(T!['}'], R_CURLY);
    assert_eq!(T![:=], COLON_EQ);
    assert_eq!(T![=<], EQ_LT);
    assert_eq!(T![maybe], MAYBE_KW);
    assert_eq!(T![else], ELSE_KW);
    assert_eq!(T![try], TRY_KW);
    assert_eq!(SyntaxKind::from_keyword("maybe"), Some(MAYBE_KW));
    assert_eq!(SyntaxKind::from_keyword("foo"), None);
    assert_eq!(SyntaxKind::from_punct("<<"), Some(L_DOUBLE_ANGLE));
    assert_eq!(SyntaxKind::from_punct("<<<"), None);
    assert_eq!(T![->].text(), Some("->"));
    assert_eq!(ATOM.text(), None);
}

#[test]
fn kind_classes() {
    assert!(T![case].is_keyword() && !T![case].is_punct());
    assert!(T![,].is_punct() && !T![,].is_keyword());
    assert!(ATOM.is_literal() && SIGIL_STRING.is_literal());
    assert!(COMMENT.is_trivia() && !ATOM.is_trivia());
    assert!(FUN_DECL.is_node() && ERROR.is_node() && MACRO_TOKENS.is_node());
    assert!(!ATOM.is_node() && !EOF.is_node());
}

#[test]
fn binary_expr_parts() {
    // X + 1
    let tree = build(node(
        BINARY_EXPR,
        vec![var("X"), ws(), token(PLUS, "+"), ws(), integer("1")],
    ));
    let Some(ast::Expr::BinaryExpr(expr)) = ast::Expr::cast(tree) else {
        panic!("not a binary expression")
    };
    assert!(matches!(expr.lhs(), Some(ast::Expr::Var(_))));
    assert_eq!(
        expr.op_token().map(|t| t.text().to_string()).as_deref(),
        Some("+")
    );
    let rhs = expr.rhs().expect("rhs");
    assert!(matches!(rhs, ast::Expr::Literal(_)));
    assert_eq!(text(&rhs), "1");
}

#[test]
fn fun_decl_parts() {
    // f() -> ok.
    let tree = build(node(
        SOURCE_FILE,
        vec![node(
            FUN_DECL,
            vec![
                node(
                    FUN_CLAUSE,
                    vec![
                        atom("f"),
                        node(ARG_LIST, vec![token(L_PAREN, "("), token(R_PAREN, ")")]),
                        ws(),
                        node(CLAUSE_BODY, vec![token(ARROW, "->"), ws(), atom("ok")]),
                    ],
                ),
                token(DOT, "."),
            ],
        )],
    ));
    let file = ast::SourceFile::cast(tree).expect("source file");
    let forms: Vec<ast::Form> = file.forms().collect();
    let [ast::Form::FunDecl(decl)] = forms.as_slice() else {
        panic!("one function: {forms:?}")
    };
    assert!(decl.dot_token().is_some());
    let clause = decl.fun_clauses().next().expect("a clause");
    assert_eq!(clause.name().map(|n| text(&n)).as_deref(), Some("f"));
    assert_eq!(clause.arg_list().expect("args").exprs().count(), 0);
    assert!(clause.guard().is_none());
    let body = clause.clause_body().expect("body");
    assert_eq!(body.exprs().map(|e| text(&e)).collect::<Vec<_>>(), ["ok"]);
}

#[test]
fn record_expr_without_base() {
    // #r{a = 1}
    let tree = build(node(
        RECORD_EXPR,
        vec![
            token(POUND, "#"),
            atom("r"),
            token(L_CURLY, "{"),
            node(
                RECORD_FIELD,
                vec![atom("a"), ws(), token(EQ, "="), ws(), integer("1")],
            ),
            token(R_CURLY, "}"),
        ],
    ));
    let record = ast::RecordExpr::cast(tree).expect("record");
    assert_eq!(record.name().map(|n| text(&n)).as_deref(), Some("r"));
    let fields: Vec<_> = record.record_fields().collect();
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].name().map(|n| text(&n)).as_deref(), Some("a"));
    assert_eq!(fields[0].expr().map(|e| text(&e)).as_deref(), Some("1"));
    assert!(fields[0].ty().is_none());
}

#[test]
fn record_field_access_name_after_pound() {
    // X#r.f
    let tree = build(node(
        RECORD_FIELD_ACCESS,
        vec![
            var("X"),
            token(POUND, "#"),
            atom("r"),
            token(DOT, "."),
            atom("f"),
        ],
    ));
    let access = ast::RecordFieldAccess::cast(tree).expect("access");
    assert_eq!(access.base().map(|e| text(&e)).as_deref(), Some("X"));
    assert_eq!(access.name().map(|n| text(&n)).as_deref(), Some("r"));
    assert_eq!(access.field().map(|n| text(&n)).as_deref(), Some("f"));
}

#[test]
fn list_tail() {
    // [H | T]
    let tree = build(node(
        LIST,
        vec![
            token(L_BRACK, "["),
            var("H"),
            token(PIPE, "|"),
            var("T"),
            token(R_BRACK, "]"),
        ],
    ));
    let list = ast::List::cast(tree).expect("list");
    assert_eq!(list.exprs().count(), 2);
    assert_eq!(list.tail().map(|e| text(&e)).as_deref(), Some("T"));
}

#[test]
fn nested_enum_variants_cast_last() {
    let generator = build(node(
        GENERATOR,
        vec![var("X"), token(L_ARROW, "<-"), var("Xs")],
    ));
    let Some(ast::LcExpr::Generator(generator)) = ast::LcExpr::cast(generator) else {
        panic!("not a generator")
    };
    assert_eq!(generator.pat().map(|e| text(&e)).as_deref(), Some("X"));
    assert_eq!(generator.source().map(|e| text(&e)).as_deref(), Some("Xs"));
    assert_eq!(generator.op_token().map(|t| t.kind()), Some(T![<-]));

    let filter = build(atom("true"));
    assert!(matches!(
        ast::LcExpr::cast(filter),
        Some(ast::LcExpr::Expr(ast::Expr::Atom(_)))
    ));
    assert!(ast::LcExpr::cast(build(node(FUN_DECL, vec![]))).is_none());
}

#[test]
fn atom_values_are_unquoted_like_atom_to_list() {
    use ast::atom_value;
    assert_eq!(atom_value("foo"), "foo");
    assert_eq!(atom_value("'foo bar'"), "foo bar");
    assert_eq!(atom_value("'+'"), "+");
    assert_eq!(atom_value(r"'it\'s'"), "it's");
    assert_eq!(atom_value(r"'a\\b'"), r"a\b");
    assert_eq!(atom_value(r"'\n\t\s\d\e'"), "\n\t \u{7f}\u{1b}");
    assert_eq!(atom_value(r"'\b\f\r\v'"), "\u{8}\u{c}\r\u{b}");
    assert_eq!(atom_value(r"'\101\x42\x{43}\^a'"), "ABC\u{1}");
    assert_eq!(atom_value(r"'\1234'"), "S4");
    assert_eq!(atom_value(r"'\7\08'"), "\u{7}\u{0}8");
    assert_eq!(atom_value(r"'\x{1F600}'"), "\u{1f600}");
    assert_eq!(atom_value(r"'\q'"), "q");
    assert_eq!(atom_value("'caf\u{e9}'"), "caf\u{e9}");
}

#[test]
fn malformed_atom_escapes_give_a_replacement_character() {
    use ast::atom_value;
    assert_eq!(atom_value(r"'a\x{D800}b'"), "a\u{fffd}b");
    assert_eq!(atom_value(r"'a\x{110000}b'"), "a\u{fffd}b");
    assert_eq!(atom_value(r"'a\xzb'"), "a\u{fffd}zb");
    assert_eq!(atom_value(r"'a\x{}b'"), "a\u{fffd}b");
    // Unterminated atoms: an escape cut off by the end keeps its last character.
    assert_eq!(atom_value(r"'a\"), r"a\");
    assert_eq!(atom_value(r"'a\^"), "a^");
}
