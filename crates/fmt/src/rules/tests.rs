//! The rules on hand-built nodes, against what erlfmt 1.8.0 prints for the same
//! input (each test shows the input; the nodes have erlfmt's shapes and lines).
//!
//! Only lines matter to the rules (columns only order comments), so the helpers
//! take a line, and every node starts at column 1.

use expect_test::{Expect, expect};

use crate::algebra::{self, Bump};
use crate::node::{Comment, FunKind, Kind, Loc, Meta, Node, Sigil};

use super::form_to_algebra;

type N = Node<'static>;

fn check(node: N, expected: Expect) {
    expected.assert_eq(&format(&node));
}

/// The form laid out in 100 columns.
fn format(node: &N) -> String {
    let bump = Bump::new();
    let doc = form_to_algebra(&bump, node);
    algebra::print(&doc, 100)
}

fn meta(line: u32, end_line: u32) -> Meta<'static> {
    Meta::new(Loc::new(line, 1), Loc::new(end_line, 2))
}

fn node(kind: Kind<'static>, line: u32, end_line: u32) -> N {
    Node::new(meta(line, end_line), kind)
}

/// A node from the start of `first` to the end of `last`.
fn span(kind: Kind<'static>, first: &Meta<'static>, last: &Meta<'static>) -> N {
    Node::new(Meta::new(first.loc, last.end), kind)
}

fn leaf(kind: Kind<'static>, text: &str, line: u32) -> N {
    let end_line = line + text.matches('\n').count() as u32;
    node(kind, line, end_line)
}

fn atom(text: &'static str, line: u32) -> N {
    leaf(Kind::Atom(text), text, line)
}

fn var(text: &'static str, line: u32) -> N {
    leaf(Kind::Var(text), text, line)
}

fn int(text: &'static str, line: u32) -> N {
    leaf(Kind::Integer(text), text, line)
}

fn string(text: &'static str, line: u32) -> N {
    leaf(Kind::String(text), text, line)
}

/// The arena of the nodes made here, which live as long as the test.
fn arena() -> &'static Bump {
    thread_local! {
        static ARENA: &'static Bump = Box::leak(Box::new(Bump::new()));
    }
    ARENA.with(|arena| *arena)
}

fn b(node: N) -> &'static N {
    arena().alloc(node)
}

/// The nodes, in the arena.
fn l(nodes: Vec<N>) -> &'static [N] {
    arena().alloc_slice_copy(&nodes)
}

fn op(op: &'static str, left: N, right: N) -> N {
    let meta = Meta::new(left.meta.loc, right.meta.end);
    Node::new(meta, Kind::BinaryOp(op, b(left), b(right)))
}

fn unary(op: &'static str, expr: N, line: u32) -> N {
    let end = expr.meta.end_line();
    node(Kind::UnaryOp(op, b(expr)), line, end)
}

/// `name(args)`, the `)` on `end_line`.
fn call(name: N, args: Vec<N>, end_line: u32) -> N {
    let line = name.meta.line();
    node(Kind::Call(b(name), l(args)), line, end_line)
}

/// `name()` on one line: a type such as `integer()`.
fn type_(name: &'static str, line: u32) -> N {
    call(atom(name, line), vec![], line)
}

fn remote(module: N, name: N) -> N {
    span(Kind::Remote(b(module), b(name)), &module.meta, &name.meta)
}

fn list(values: Vec<N>, line: u32, end_line: u32) -> N {
    node(Kind::List(l(values)), line, end_line)
}

fn tuple(values: Vec<N>, line: u32, end_line: u32) -> N {
    node(Kind::Tuple(l(values)), line, end_line)
}

fn map(fields: Vec<N>, line: u32, end_line: u32) -> N {
    node(Kind::Map(None, l(fields)), line, end_line)
}

fn args(values: Vec<N>, line: u32, end_line: u32) -> N {
    node(Kind::Args(l(values)), line, end_line)
}

fn assoc(key: N, value: N) -> N {
    span(
        Kind::MapFieldAssoc(b(key), b(value)),
        &key.meta,
        &value.meta,
    )
}

fn clause(head: N, guards: Option<N>, body: Vec<N>) -> N {
    let first = head.meta;
    let last = body.last().map_or(first, |last| last.meta);
    span(
        Kind::Clause {
            head: Some(b(head)),
            guards: guards.map(b),
            body: l(body),
        },
        &first,
        &last,
    )
}

fn guard_or(guards: Vec<N>) -> N {
    let first = guards[0].meta;
    let last = guards[guards.len() - 1].meta;
    span(Kind::GuardOr(l(guards)), &first, &last)
}

fn guard_and(tests: Vec<N>) -> N {
    let first = tests[0].meta;
    let last = tests[tests.len() - 1].meta;
    span(Kind::GuardAnd(l(tests)), &first, &last)
}

/// A function form; the dot is on the line of the last clause's end.
fn function(clauses: Vec<N>) -> N {
    let line = clauses[0].meta.line();
    let end_line = clauses[clauses.len() - 1].meta.end_line();
    node(Kind::Function(l(clauses)), line, end_line)
}

fn attribute(name: &'static str, values: Option<Vec<N>>, line: u32, end_line: u32) -> N {
    node(
        Kind::Attribute {
            name: b(atom(name, line)),
            values: values.map(l),
        },
        line,
        end_line,
    )
}

fn spec_clause(head: N, body: N, guards: Option<N>) -> N {
    let first = head.meta;
    let last = guards.as_ref().map_or(body.meta, |guards| guards.meta);
    span(
        Kind::SpecClause {
            head: b(head),
            body: b(body),
            guards: guards.map(b),
        },
        &first,
        &last,
    )
}

fn spec(name: N, clauses: Vec<N>) -> N {
    let first = name.meta;
    let last = clauses[clauses.len() - 1].meta;
    span(Kind::Spec(b(name), l(clauses)), &first, &last)
}

fn clauses(clauses: Vec<N>, line: u32, end_line: u32) -> N {
    node(Kind::Clauses(l(clauses)), line, end_line)
}

fn comment(lines: &[&'static str], line: u32) -> Comment<'static> {
    Comment {
        loc: Loc::new(line, 1),
        end: Loc::new(line + lines.len() as u32 - 1, 10),
        lines: arena().alloc_slice_copy(lines),
    }
}

/// The node with comments before it (as erlfmt_recomment puts them).
fn pre(mut node: N, comments: Vec<Comment<'static>>) -> N {
    node.meta
        .put_pre_comments(arena(), arena().alloc_slice_copy(&comments));
    node
}

/// The node with comments after it.
fn post(mut node: N, comments: Vec<Comment<'static>>) -> N {
    node.meta
        .put_post_comments(arena(), arena().alloc_slice_copy(&comments));
    node
}

fn parens(mut node: N) -> N {
    node.meta.parens = true;
    node
}

/// `f() -> Body.`, `f()` on line 1.
fn f(body: Vec<N>) -> N {
    function(vec![clause(call(atom("f", 1), vec![], 1), None, body)])
}

// Functions and clauses.

#[test]
fn short_function() {
    // f(X) -> X.
    check(
        function(vec![clause(
            call(atom("f", 1), vec![var("X", 1)], 1),
            None,
            vec![var("X", 1)],
        )]),
        expect!["f(X) -> X."],
    );
}

#[test]
fn a_break_after_the_first_arrow_breaks_every_clause() {
    // f(X) ->
    //     X;
    // f(Y) -> Y.
    check(
        function(vec![
            clause(
                call(atom("f", 1), vec![var("X", 1)], 1),
                None,
                vec![var("X", 2)],
            ),
            clause(
                call(atom("f", 3), vec![var("Y", 3)], 3),
                None,
                vec![var("Y", 3)],
            ),
        ]),
        expect![[r#"
            f(X) ->
                X;
            f(Y) ->
                Y."#]],
    );
}

#[test]
fn several_expressions_break_the_body() {
    // f() ->
    //     %% before
    //     X = 1, % trailing
    //     X.
    let x = op("=", var("X", 3), int("1", 3));
    let x = pre(
        x,
        vec![comment(&["%% before"], 2), comment(&["% trailing"], 3)],
    );
    check(
        f(vec![x, var("X", 4)]),
        expect![[r#"
            f() ->
                %% before

                % trailing
                X = 1,
                X."#]],
    );
}

#[test]
fn guards() {
    // f(X) when is_integer(X), X > 0; X =:= a -> ok.
    let guards = guard_or(vec![
        guard_and(vec![
            call(atom("is_integer", 1), vec![var("X", 1)], 1),
            op(">", var("X", 1), int("0", 1)),
        ]),
        guard_and(vec![op("=:=", var("X", 1), atom("a", 1))]),
    ]);
    check(
        function(vec![clause(
            call(atom("f", 1), vec![var("X", 1)], 1),
            Some(guards),
            vec![atom("ok", 1)],
        )]),
        expect!["f(X) when is_integer(X), X > 0; X =:= a -> ok."],
    );
}

// Containers.

#[test]
fn a_line_break_after_the_opening_bracket_breaks_the_container() {
    // f() -> [
    //     a, b].
    check(
        f(vec![list(vec![atom("a", 2), atom("b", 2)], 1, 2)]),
        expect![[r#"
            f() ->
                [
                    a, b
                ]."#]],
    );
}

#[test]
fn a_line_break_between_elements_puts_each_on_its_line() {
    // f() -> [a,
    //         b].
    check(
        f(vec![list(vec![atom("a", 1), atom("b", 2)], 1, 2)]),
        expect![[r#"
            f() ->
                [
                    a,
                    b
                ]."#]],
    );
}

#[test]
fn a_tuple_starting_with_a_tag_fills_its_lines() {
    // f() -> {error, aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbb, ...}.
    let values = [
        "error",
        "aaaaaaaaaaaaaaaa",
        "bbbbbbbbbbbbbbbbbbbbbb",
        "cccccccccccccccccccccc",
        "ddddddddddddddddddd",
        "eeeeeeeeeeeee",
        "ffff",
    ]
    .into_iter()
    .map(|text| atom(text, 1))
    .collect();
    check(
        f(vec![tuple(values, 1, 1)]),
        expect![[r#"
            f() ->
                {error, aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbb, cccccccccccccccccccccc, ddddddddddddddddddd,
                    eeeeeeeeeeeee, ffff}."#]],
    );
}

#[test]
fn the_last_argument_hugs_the_parentheses() {
    // f() -> foo(aaaa, #{aaaaaaaaaaaaaaaaaaa => 1, bbbb... => 2, cccc... => 3}).
    let fields = vec![
        assoc(atom("aaaaaaaaaaaaaaaaaaa", 1), int("1", 1)),
        assoc(atom("bbbbbbbbbbbbbbbbbbbbbbbbbbbb", 1), int("2", 1)),
        assoc(atom("cccccccccccccccccccccccccccc", 1), int("3", 1)),
    ];
    check(
        f(vec![call(
            atom("foo", 1),
            vec![atom("aaaa", 1), map(fields, 1, 1)],
            1,
        )]),
        expect![[r#"
            f() ->
                foo(aaaa, #{
                    aaaaaaaaaaaaaaaaaaa => 1,
                    bbbbbbbbbbbbbbbbbbbbbbbbbbbb => 2,
                    cccccccccccccccccccccccccccc => 3
                })."#]],
    );
}

#[test]
fn comments_in_a_container() {
    // f() ->
    //     [a, % d
    //      b
    //      % e
    //     ].
    let b_ = post(atom("b", 3), vec![comment(&["% e"], 4)]);
    let list_ = pre(
        list(vec![atom("a", 2), b_], 2, 5),
        vec![comment(&["% d"], 2)],
    );
    check(
        f(vec![list_]),
        expect![[r#"
            f() ->
                % d
                [
                    a,
                    b
                    % e
                ]."#]],
    );
}

#[test]
fn a_container_of_comments_only() {
    // f() -> foo(
    //     % nothing
    // ).
    let comment_ = comment(&["% nothing"], 2);
    let standalone = Node::new(
        Meta::new(comment_.loc, comment_.end),
        Kind::Comment(comment_),
    );
    check(
        f(vec![call(atom("foo", 1), vec![standalone], 3)]),
        expect![[r#"
            f() ->
                foo(
                    % nothing
                )."#]],
    );
}

// Operators.

#[test]
fn right_associative_operators_break_as_left_associative_ones() {
    // f() -> X = "aaaaaaaaaaaaaaaaaaaa" ++ bbbb... ++ cccc... ++ dddddddddddd.
    let chain = op(
        "++",
        string("\"aaaaaaaaaaaaaaaaaaaa\"", 1),
        op(
            "++",
            atom("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 1),
            op(
                "++",
                atom("cccccccccccccccccccccccccc", 1),
                atom("dddddddddddd", 1),
            ),
        ),
    );
    check(
        f(vec![op("=", var("X", 1), chain)]),
        expect![[r#"
            f() ->
                X =
                    "aaaaaaaaaaaaaaaaaaaa" ++ bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ++ cccccccccccccccccccccccccc ++
                        dddddddddddd."#]],
    );
}

#[test]
fn a_call_after_a_match_keeps_its_line() {
    // f() -> Xxxxxxxxxxxxxxxxxxx = foo:bar(aaaa..., bbbb..., cccc...).
    let call_ = call(
        remote(atom("foo", 1), atom("bar", 1)),
        vec![
            atom("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1),
            atom("bbbbbbbbbbbbbbbbbbbbbbbbbb", 1),
            atom("ccccccccccccccccccc", 1),
        ],
        1,
    );
    check(
        f(vec![op("=", var("Xxxxxxxxxxxxxxxxxxx", 1), call_)]),
        expect![[r#"
            f() ->
                Xxxxxxxxxxxxxxxxxxx = foo:bar(
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc
                )."#]],
    );
}

#[test]
fn unary_operators() {
    // f() -> {-X, not X, - -X, -(-X), bnot 1}.
    let values = vec![
        unary("-", var("X", 1), 1),
        unary("not", var("X", 1), 1),
        unary("-", unary("-", var("X", 1), 1), 1),
        unary("-", parens(unary("-", var("X", 1), 1)), 1),
        unary("bnot", int("1", 1), 1),
    ];
    check(
        f(vec![tuple(values, 1, 1)]),
        expect!["f() -> {-X, not X, - -X, -(-X), bnot 1}."],
    );
}

// Attributes.

#[test]
fn spec_with_one_clause() {
    // -spec foo(integer()) -> atom().
    let clause_ = spec_clause(
        args(vec![type_("integer", 1)], 1, 1),
        type_("atom", 1),
        None,
    );
    check(
        attribute(
            "spec",
            Some(vec![spec(atom("foo", 1), vec![clause_])]),
            1,
            1,
        ),
        expect!["-spec foo(integer()) -> atom()."],
    );
}

#[test]
fn spec_with_several_clauses() {
    // -spec foo(integer()) -> atom(); (atom()) -> integer().
    let clauses_ = vec![
        spec_clause(
            args(vec![type_("integer", 1)], 1, 1),
            type_("atom", 1),
            None,
        ),
        spec_clause(
            args(vec![type_("atom", 1)], 1, 1),
            type_("integer", 1),
            None,
        ),
    ];
    check(
        attribute("spec", Some(vec![spec(atom("foo", 1), clauses_)]), 1, 1),
        expect![[r#"
            -spec foo
                (integer()) -> atom();
                (atom()) -> integer()."#]],
    );
}

#[test]
fn record() {
    // -record(rec, {a = 1 :: integer(), b}).
    let field_a = node(
        Kind::RecordField(b(atom("a", 1)), Some(b(int("1", 1)))),
        1,
        1,
    );
    let field_b = node(Kind::RecordField(b(atom("b", 1)), None), 1, 1);
    let fields = tuple(vec![op("::", field_a, type_("integer", 1)), field_b], 1, 1);
    check(
        attribute("record", Some(vec![atom("rec", 1), fields]), 1, 1),
        expect!["-record(rec, {a = 1 :: integer(), b})."],
    );
}

#[test]
fn define() {
    // -define(FOO(X), {X, X}).
    let head = call(var("FOO", 1), vec![var("X", 1)], 1);
    let body = tuple(vec![var("X", 1), var("X", 1)], 1, 1);
    check(
        attribute("define", Some(vec![head, body]), 1, 1),
        expect!["-define(FOO(X), {X, X})."],
    );
}

// Blocks.

#[test]
fn case() {
    // f(X) -> case X of a -> 1; b -> 2 end.
    let case_ = node(
        Kind::Case(
            b(var("X", 1)),
            l(vec![
                clause(atom("a", 1), None, vec![int("1", 1)]),
                clause(atom("b", 1), None, vec![int("2", 1)]),
            ]),
        ),
        1,
        1,
    );
    check(
        f(vec![case_]),
        expect![[r#"
            f() ->
                case X of
                    a -> 1;
                    b -> 2
                end."#]],
    );
}

#[test]
fn try_of_catch_after() {
    // f(X) -> try g(X) of ok -> 1 catch error:R -> R after done end.
    let body = node(
        Kind::Body(l(vec![call(atom("g", 1), vec![var("X", 1)], 1)])),
        1,
        1,
    );
    let of = clauses(vec![clause(atom("ok", 1), None, vec![int("1", 1)])], 1, 1);
    let pattern = node(
        Kind::CatchPattern(l(vec![atom("error", 1), var("R", 1)])),
        1,
        1,
    );
    let catch = clauses(vec![clause(pattern, None, vec![var("R", 1)])], 1, 1);
    let try_ = node(
        Kind::Try {
            body: b(body),
            of: Some(b(of)),
            catch: Some(b(catch)),
            after: l(vec![atom("done", 1)]),
        },
        1,
        1,
    );
    check(
        f(vec![try_]),
        expect![[r#"
            f() ->
                try g(X) of
                    ok -> 1
                catch
                    error:R -> R
                after
                    done
                end."#]],
    );
}

#[test]
fn receive_after() {
    // f() -> receive {a, X} -> X after 100 -> timeout end.
    let clauses_ = clauses(
        vec![clause(
            tuple(vec![atom("a", 1), var("X", 1)], 1, 1),
            None,
            vec![var("X", 1)],
        )],
        1,
        1,
    );
    let after = node(
        Kind::AfterClause(b(int("100", 1)), l(vec![atom("timeout", 1)])),
        1,
        1,
    );
    check(
        f(vec![node(
            Kind::Receive(Some(b(clauses_)), Some(b(after))),
            1,
            1,
        )]),
        expect![[r#"
            f() ->
                receive
                    {a, X} -> X
                after 100 -> timeout
                end."#]],
    );
}

#[test]
fn fun_with_one_clause() {
    // f() -> fun(X) -> X + 1 end.
    let clause_ = clause(
        args(vec![var("X", 1)], 1, 1),
        None,
        vec![op("+", var("X", 1), int("1", 1))],
    );
    check(
        f(vec![node(
            Kind::Fun(FunKind::Clauses(l(vec![clause_]))),
            1,
            1,
        )]),
        expect!["f() -> fun(X) -> X + 1 end."],
    );
}

#[test]
fn comments_of_a_rewritten_operand_go_to_its_first_operand() {
    // f() ->
    //     X = aaaaaaaaaaaaaaaaaaaaaaaaaa ++
    //         % about b
    //         bbbb... ++ cccc... ++ dddd....
    let bc = op(
        "++",
        atom("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 4),
        op(
            "++",
            atom("ccccccccccccccccccccccccccccc", 4),
            atom("ddddddddddddddddddddd", 4),
        ),
    );
    let bc = pre(bc, vec![comment(&["% about b"], 3)]);
    let chain = op("++", atom("aaaaaaaaaaaaaaaaaaaaaaaaaa", 2), bc);
    check(
        f(vec![op("=", var("X", 2), chain)]),
        expect![[r#"
            f() ->
                X =
                    aaaaaaaaaaaaaaaaaaaaaaaaaa ++
                        % about b
                        bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb ++ ccccccccccccccccccccccccccccc ++
                        ddddddddddddddddddddd."#]],
    );
}

#[test]
fn a_list_after_a_match_hugs_it() {
    // f() -> Xxxxxxxxxxxxxxxxxxx = [aaaa..., bbbb..., cccc...].
    let list_ = list(
        vec![
            atom("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1),
            atom("bbbbbbbbbbbbbbbbbbbbbbbbbb", 1),
            atom("ccccccccccccccccccc", 1),
        ],
        1,
        1,
    );
    check(
        f(vec![op("=", var("Xxxxxxxxxxxxxxxxxxx", 1), list_)]),
        expect![[r#"
            f() ->
                Xxxxxxxxxxxxxxxxxxx = [
                    aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbb, ccccccccccccccccccc
                ]."#]],
    );
}

#[test]
fn a_match_in_a_clause_head_indents_twice() {
    // f(X) ->
    //     case X of
    //         {aaaa..., bbbb...} = Yyyy... -> ok
    //     end.
    let head = op(
        "=",
        tuple(
            vec![
                atom("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 3),
                atom("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 3),
            ],
            3,
            3,
        ),
        var("Yyyyyyyyyyyyyyyyyyyyyyyyyyy", 3),
    );
    let case_ = node(
        Kind::Case(
            b(var("X", 2)),
            l(vec![clause(head, None, vec![atom("ok", 3)])]),
        ),
        2,
        4,
    );
    check(
        f(vec![case_]),
        expect![[r#"
            f() ->
                case X of
                    {aaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb} =
                            Yyyyyyyyyyyyyyyyyyyyyyyyyyy ->
                        ok
                end."#]],
    );
}

#[test]
fn comments_before_the_dot() {
    // f() -> ok
    // % before dot
    // .
    let mut function_ = f(vec![atom("ok", 1)]);
    function_.meta.end = Loc::new(3, 2);
    function_.meta.put_pre_dot_comments(
        arena(),
        arena().alloc_slice_copy(&[comment(&["% before dot"], 2)]),
    );
    check(
        function_,
        expect![[r#"
            f() -> ok
            % before dot
            ."#]],
    );
}

#[test]
fn a_string_over_several_lines_becomes_one_string_a_line() {
    // f() -> "abc
    // def
    // ".
    check(
        f(vec![string("\"abc\ndef\n\"", 1)]),
        expect![[r#"
            f() ->
                "abc\n"
                "def\n"."#]],
    );
}

#[test]
fn triple_quoted_strings_are_reindented() {
    // f() ->
    //       """
    //       abc
    //
    //         def
    //       """.
    // (erlfmt on OTP 27; here from its source: the lines keep their indentation
    // relative to the closing quotes, empty lines have none.)
    check(
        f(vec![string(
            "\"\"\"\n      abc\n\n        def\n      \"\"\"",
            2,
        )]),
        expect![[r#"
            f() ->
                """
                abc

                  def
                """."#]],
    );
}

#[test]
fn sigils_are_printed_as_they_are() {
    // f() -> ~b"abc"x.
    let sigil = leaf(
        Kind::Sigil(arena().alloc(Sigil {
            prefix: "b",
            string: "\"abc\"",
            string_meta: meta(1, 1),
            suffix: "x",
        })),
        "",
        1,
    );
    check(f(vec![sigil]), expect![[r#"f() -> ~b"abc"x."#]]);
}

#[test]
fn adjacent_strings() {
    // f() -> "abc" "def"
    //     "ghi".
    let strings = vec![
        string("\"abc\"", 1),
        string("\"def\"", 1),
        string("\"ghi\"", 2),
    ];
    check(
        f(vec![node(Kind::Concat(l(strings)), 1, 2)]),
        expect![[r#"f() -> "abc" "def" "ghi"."#]],
    );
}

#[test]
fn a_define_body_on_the_next_line_still_hugs() {
    // -define(FOO,
    //     [a, b]).
    let body = list(vec![atom("a", 2), atom("b", 2)], 2, 2);
    check(
        attribute("define", Some(vec![var("FOO", 1), body]), 1, 2),
        expect!["-define(FOO, [a, b])."],
    );
}

#[test]
fn export_lists_group_the_arities_of_a_function() {
    // -export([a/1, a/2, b/0, c/1,
    //          c/2]).
    let fa = |name: &'static str, arity: &'static str, line: u32| {
        op("/", atom(name, line), int(arity, line))
    };
    let exports = list(
        vec![
            fa("a", "1", 1),
            fa("a", "2", 1),
            fa("b", "0", 1),
            fa("c", "1", 1),
            fa("c", "2", 2),
        ],
        1,
        2,
    );
    check(
        attribute("export", Some(vec![exports]), 1, 2),
        expect![[r#"
            -export([
                a/1, a/2,
                b/0,
                c/1,
                c/2
            ])."#]],
    );
}

#[test]
fn import() {
    // -import(lists, [map/2, filter/2]).
    let imports = list(
        vec![
            op("/", atom("map", 1), int("2", 1)),
            op("/", atom("filter", 1), int("2", 1)),
        ],
        1,
        1,
    );
    check(
        attribute("import", Some(vec![atom("lists", 1), imports]), 1, 1),
        expect!["-import(lists, [map/2, filter/2])."],
    );
}

#[test]
fn other_attributes() {
    // -endif.
    // -else.
    // -module(m).
    // -doc "abc".
    check(attribute("endif", None, 1, 1), expect!["-endif."]);
    check(attribute("else", None, 1, 1), expect!["-else."]);
    check(
        attribute("module", Some(vec![atom("m", 1)]), 1, 1),
        expect!["-module(m)."],
    );
    check(
        attribute("doc", Some(vec![string("\"abc\"", 1)]), 1, 1),
        expect![[r#"-doc "abc"."#]],
    );
}

#[test]
fn a_long_union_puts_each_alternative_on_its_line() {
    // -type t() :: aaaa... | bbbb... | cccc... | {dddddd, eeeeee}.
    let union = op(
        "|",
        atom("aaaaaaaaaaaaaaaaaaaaaa", 1),
        op(
            "|",
            atom("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 1),
            op(
                "|",
                atom("ccccccccccccccccccccccccccc", 1),
                tuple(vec![atom("dddddd", 1), atom("eeeeee", 1)], 1, 1),
            ),
        ),
    );
    check(
        attribute("type", Some(vec![op("::", type_("t", 1), union)]), 1, 1),
        expect![[r#"
            -type t() ::
                aaaaaaaaaaaaaaaaaaaaaa
                | bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
                | ccccccccccccccccccccccccccc
                | {dddddd, eeeeee}."#]],
    );
}

#[test]
fn fun_types() {
    // -type f() :: fun((integer(), atom()) -> ok) | fun() | fun((...) -> any()).
    let fun_type = |args_: Vec<N>, result: N| {
        let type_meta = meta(1, 1);
        node(
            Kind::Fun(FunKind::Type {
                meta: arena().alloc(type_meta),
                args: b(args(args_, 1, 1)),
                result: b(result),
            }),
            1,
            1,
        )
    };
    let union = op(
        "|",
        fun_type(vec![type_("integer", 1), type_("atom", 1)], atom("ok", 1)),
        op(
            "|",
            node(Kind::Fun(FunKind::AnyType), 1, 1),
            fun_type(vec![node(Kind::Ellipsis, 1, 1)], type_("any", 1)),
        ),
    );
    check(
        attribute("type", Some(vec![op("::", type_("f", 1), union)]), 1, 1),
        expect!["-type f() :: fun((integer(), atom()) -> ok) | fun() | fun((...) -> any())."],
    );
}

#[test]
fn maybe_else() {
    // f() -> maybe {ok, X} ?= g(), X else error -> error end.
    let else_ = node(
        Kind::ElseClause(l(vec![clause(
            atom("error", 1),
            None,
            vec![atom("error", 1)],
        )])),
        1,
        1,
    );
    let maybe_ = node(
        Kind::Maybe(
            l(vec![
                op(
                    "?=",
                    tuple(vec![atom("ok", 1), var("X", 1)], 1, 1),
                    call(atom("g", 1), vec![], 1),
                ),
                var("X", 1),
            ]),
            Some(b(else_)),
        ),
        1,
        1,
    );
    check(
        f(vec![maybe_]),
        expect![[r#"
            f() ->
                maybe
                    {ok, X} ?= g(),
                    X
                else
                    error -> error
                end."#]],
    );
}

#[test]
fn if_() {
    // f(X) -> if X > 0 -> pos; true -> neg end.
    let if_clause = |guard: N, body: N| {
        let guards = guard_or(vec![guard_and(vec![guard])]);
        let first = guards.meta;
        let last = body.meta;
        span(
            Kind::Clause {
                head: None,
                guards: Some(b(guards)),
                body: l(vec![body]),
            },
            &first,
            &last,
        )
    };
    let if_ = node(
        Kind::If(l(vec![
            if_clause(op(">", var("X", 1), int("0", 1)), atom("pos", 1)),
            if_clause(atom("true", 1), atom("neg", 1)),
        ])),
        1,
        1,
    );
    check(
        f(vec![if_]),
        expect![[r#"
            f() ->
                if
                    X > 0 -> pos;
                    true -> neg
                end."#]],
    );
}

#[test]
fn binaries() {
    // f() -> <<A:8, B/binary, "x"/utf8, C:4/little-unit:8>>.
    let element = |expr: N, size: Option<N>, types: Option<Vec<N>>| {
        node(
            Kind::BinElement {
                expr: b(expr),
                size: size.map(b),
                types: types.map(l),
            },
            1,
            1,
        )
    };
    let bin = node(
        Kind::Bin(l(vec![
            element(var("A", 1), Some(int("8", 1)), None),
            element(var("B", 1), None, Some(vec![atom("binary", 1)])),
            element(string("\"x\"", 1), None, Some(vec![atom("utf8", 1)])),
            element(
                var("C", 1),
                Some(int("4", 1)),
                Some(vec![
                    atom("little", 1),
                    remote(atom("unit", 1), int("8", 1)),
                ]),
            ),
        ])),
        1,
        1,
    );
    check(
        f(vec![bin]),
        expect!["f() -> <<A:8, B/binary, \"x\"/utf8, C:4/little-unit:8>>."],
    );
}

#[test]
fn list_comprehension() {
    // f() -> [X || X <- L, X > 0].
    let generate = span(
        Kind::Generate("<-", b(var("X", 1)), b(var("L", 1))),
        &meta(1, 1),
        &meta(1, 1),
    );
    let lc = node(
        Kind::ListComprehension(
            b(var("X", 1)),
            l(vec![generate, op(">", var("X", 1), int("0", 1))]),
        ),
        1,
        1,
    );
    check(f(vec![lc]), expect!["f() -> [X || X <- L, X > 0]."]);
}

#[test]
fn records_and_maps() {
    // f() -> {M#{a := 1}, R#rec{a = 1}, R#rec.a, #rec.a, (1)#rec.a, #{a => 1}#{}}.
    let values = vec![
        node(
            Kind::Map(
                Some(b(var("M", 1))),
                l(vec![span(
                    Kind::MapFieldExact(b(atom("a", 1)), b(int("1", 1))),
                    &meta(1, 1),
                    &meta(1, 1),
                )]),
            ),
            1,
            1,
        ),
        node(
            Kind::Record {
                base: Some(b(var("R", 1))),
                name: b(atom("rec", 1)),
                fields: l(vec![node(
                    Kind::RecordField(b(atom("a", 1)), Some(b(int("1", 1)))),
                    1,
                    1,
                )]),
            },
            1,
            1,
        ),
        node(
            Kind::RecordAccess {
                expr: b(var("R", 1)),
                name: b(atom("rec", 1)),
                field: b(atom("a", 1)),
            },
            1,
            1,
        ),
        node(Kind::RecordIndex(b(atom("rec", 1)), b(atom("a", 1))), 1, 1),
        node(
            Kind::RecordAccess {
                expr: b(parens(int("1", 1))),
                name: b(atom("rec", 1)),
                field: b(atom("a", 1)),
            },
            1,
            1,
        ),
        node(
            Kind::Map(
                Some(b(map(vec![assoc(atom("a", 1), int("1", 1))], 1, 1))),
                l(vec![]),
            ),
            1,
            1,
        ),
    ];
    check(
        f(vec![tuple(values, 1, 1)]),
        expect!["f() -> {M#{a := 1}, R#rec{a = 1}, R#rec.a, #rec.a, (1)#rec.a, #{a => 1}#{}}."],
    );
}

#[test]
fn a_record_base_that_is_an_integer_gets_parentheses() {
    // erlfmt's wrap_if_integer: `1#rec.a` would not scan.
    let access = node(
        Kind::RecordAccess {
            expr: b(int("1", 1)),
            name: b(atom("rec", 1)),
            field: b(atom("a", 1)),
        },
        1,
        1,
    );
    check(f(vec![access]), expect!["f() -> (1)#rec.a."]);
}

#[test]
fn spec_with_a_guard() {
    // -spec foo(X) -> X when X :: integer().
    let guards = guard_or(vec![guard_and(vec![op(
        "::",
        var("X", 1),
        type_("integer", 1),
    )])]);
    let clause_ = spec_clause(args(vec![var("X", 1)], 1, 1), var("X", 1), Some(guards));
    check(
        attribute(
            "spec",
            Some(vec![spec(atom("foo", 1), vec![clause_])]),
            1,
            1,
        ),
        expect!["-spec foo(X) -> X when X :: integer()."],
    );
}

#[test]
fn a_spec_with_a_break_after_the_arrow_keeps_it() {
    // -callback foo(integer()) ->
    //     atom().
    let clause_ = spec_clause(
        args(vec![type_("integer", 1)], 1, 1),
        type_("atom", 2),
        None,
    );
    check(
        attribute(
            "callback",
            Some(vec![spec(atom("foo", 1), vec![clause_])]),
            1,
            2,
        ),
        expect![[r#"
            -callback foo(integer()) ->
                atom()."#]],
    );
}

#[test]
fn fun_with_several_clauses() {
    // f() -> fun(a) -> 1; (b) -> 2 end.
    let clauses_ = vec![
        clause(args(vec![atom("a", 1)], 1, 1), None, vec![int("1", 1)]),
        clause(args(vec![atom("b", 1)], 1, 1), None, vec![int("2", 1)]),
    ];
    check(
        f(vec![node(Kind::Fun(FunKind::Clauses(l(clauses_))), 1, 1)]),
        expect![[r#"
            f() ->
                fun
                    (a) -> 1;
                    (b) -> 2
                end."#]],
    );
}

#[test]
fn try_catch() {
    // f() -> try g() catch _:_ -> ok end.
    let body = node(Kind::Body(l(vec![call(atom("g", 1), vec![], 1)])), 1, 1);
    let pattern = node(Kind::CatchPattern(l(vec![var("_", 1), var("_", 1)])), 1, 1);
    let catch = clauses(vec![clause(pattern, None, vec![atom("ok", 1)])], 1, 1);
    let try_ = node(
        Kind::Try {
            body: b(body),
            of: None,
            catch: Some(b(catch)),
            after: l(vec![]),
        },
        1,
        1,
    );
    check(
        f(vec![try_]),
        expect![[r#"
            f() ->
                try
                    g()
                catch
                    _:_ -> ok
                end."#]],
    );
}

#[test]
fn receive_with_only_after() {
    // f() -> receive after 100 -> ok end.
    let after = node(
        Kind::AfterClause(b(int("100", 1)), l(vec![atom("ok", 1)])),
        1,
        1,
    );
    check(
        f(vec![node(Kind::Receive(None, Some(b(after))), 1, 1)]),
        expect![[r#"
            f() -> receive
                after 100 -> ok
                end."#]],
    );
}

#[test]
fn begin_end() {
    // f() -> begin a, b end.
    check(
        f(vec![node(
            Kind::Block(l(vec![atom("a", 1), atom("b", 1)])),
            1,
            1,
        )]),
        expect![[r#"
            f() ->
                begin
                    a,
                    b
                end."#]],
    );
}

#[test]
fn funs_chars_and_atoms_that_need_quotes() {
    // f() -> fun foo/1, fun m:foo/1, $ , 'maybe', 'else', maybe.
    let body = vec![
        node(
            Kind::Fun(FunKind::Function {
                name: b(atom("foo", 1)),
                arity: b(int("1", 1)),
            }),
            1,
            1,
        ),
        node(
            Kind::Fun(FunKind::RemoteFunction {
                module: b(atom("m", 1)),
                name: b(atom("foo", 1)),
                arity: b(int("1", 1)),
            }),
            1,
            1,
        ),
        leaf(Kind::Char("$ "), "$ ", 1),
        atom("'maybe'", 1),
        atom("'else'", 1),
        atom("maybe", 1),
    ];
    check(
        f(body),
        expect![[r#"
            f() ->
                fun foo/1,
                fun m:foo/1,
                $\s,
                'maybe',
                'else',
                'maybe'."#]],
    );
}

/// A standalone expression form (`{exprs, Meta, [Expr]}`), ended by a dot when `dot`.
fn exprs(expr: N, dot: bool) -> N {
    let mut exprs_ = node(
        Kind::Exprs(l(vec![expr])),
        expr.meta.line(),
        expr.meta.end_line(),
    );
    exprs_.meta.dot = dot;
    exprs_
}

fn sigil(prefix: &'static str, string: &'static str, suffix: &'static str, line: u32) -> N {
    let string_meta = leaf(Kind::String(string), string, line).meta;
    let end_line = string_meta.end_line();
    node(
        Kind::Sigil(arena().alloc(Sigil {
            prefix,
            string,
            string_meta,
            suffix,
        })),
        line,
        end_line,
    )
}

#[test]
fn triple_quoted_strings_lose_the_indentation_of_their_closing_quotes() {
    // From erlfmt's test suite (OTP 27 syntax, so not checked here against erlfmt).
    check(
        exprs(string("\"\"\"\n\t\tTest\n\t\t  Test\n\t\"\"\"", 1), false),
        expect![[r#"
            """
            	Test
            	  Test
            """"#]],
    );
    check(
        exprs(string("\"\"\"\n    Test\n      Test\n    \"\"\"", 1), false),
        expect![[r#"
            """
            Test
              Test
            """"#]],
    );
}

#[test]
fn multiline_sigils_are_kept_and_break_their_container() {
    // From erlfmt's test suite:
    // [~"Hello
    //              there", ok].
    check(
        exprs(sigil("", "\"Hello\n             there\"", "", 1), false),
        expect![[r#"
            ~"Hello
                         there""#]],
    );
    let list_ = list(
        vec![
            sigil("", "\"Hello\n             there\"", "", 1),
            atom("ok", 2),
        ],
        1,
        2,
    );
    check(
        exprs(list_, true),
        expect![[r#"
            [
                ~"Hello
                         there",
                ok
            ]."#]],
    );
    check(
        exprs(sigil("s", "\"\"\"\n\\tabc\n\\tdef\n\"\"\"", "", 1), false),
        expect![[r#"
            ~s"""
            \tabc
            \tdef
            """"#]],
    );
}

#[test]
fn long_operator_chains() {
    // f() -> a ++ a ++ ... ++ a. (right-nested, as parsed)
    let mut chain = atom("a", 1);
    for _ in 0..3000 {
        chain = op("++", atom("a", 1), chain);
    }
    let printed = format(&f(vec![chain]));
    assert_eq!(printed.matches("++").count(), 3000);
}

#[test]
fn shapes_erlfmt_never_builds_do_not_panic() {
    let empty_clause = node(
        Kind::Clause {
            head: None,
            guards: None,
            body: l(vec![]),
        },
        1,
        1,
    );
    let lonely_comment = Node::new(meta(1, 1), Kind::Comment(comment(&["% c"], 1)));
    let odd = vec![
        node(Kind::Function(l(vec![])), 1, 1),
        node(Kind::Function(l(vec![empty_clause])), 1, 1),
        node(Kind::Case(b(var("X", 1)), l(vec![lonely_comment])), 1, 1),
        node(Kind::Spec(b(atom("f", 1)), l(vec![])), 1, 1),
        node(Kind::Spec(b(atom("f", 1)), l(vec![atom("x", 1)])), 1, 1),
        node(Kind::Concat(l(vec![])), 1, 1),
        node(Kind::Concat(l(vec![string("\"a\"", 1)])), 1, 1),
        node(Kind::Block(l(vec![])), 1, 1),
        node(Kind::If(l(vec![])), 1, 1),
        node(Kind::Maybe(l(vec![]), None), 1, 1),
        node(Kind::Receive(None, None), 1, 1),
        node(Kind::Fun(FunKind::Clauses(l(vec![]))), 1, 1),
        node(Kind::Fun(FunKind::Clauses(l(vec![empty_clause]))), 1, 1),
        node(Kind::ListComprehension(b(var("X", 1)), l(vec![])), 1, 1),
        node(Kind::GuardOr(l(vec![])), 1, 1),
        node(Kind::FaGroup(l(vec![])), 1, 1),
        node(Kind::Exprs(l(vec![])), 1, 1),
        node(Kind::Body(l(vec![])), 1, 1),
        node(Kind::CatchPattern(l(vec![])), 1, 1),
        node(
            Kind::List(l(vec![lonely_comment, atom("a", 1), lonely_comment])),
            1,
            1,
        ),
        node(
            Kind::AfterClause(b(pre(int("1", 1), vec![comment(&["%"], 1)])), l(vec![])),
            1,
            1,
        ),
        attribute("define", Some(vec![var("X", 1)]), 1, 1),
        attribute("define", Some(vec![]), 1, 1),
        attribute("export", Some(vec![list(vec![], 1, 1)]), 1, 1),
        attribute("record", Some(vec![atom("r", 1)]), 1, 1),
        string("\"\"\"", 1),
        string("\"\"\"\nabc\n  \"\"\"", 1),
        string("\"\"\"\n  abc\n\t\"\"\"", 1),
        string("\"\"\"\n\n\n\"\"\"", 1),
        string("", 1),
        node(Kind::Empty, 0, u32::MAX),
        post(
            node(Kind::Empty, u32::MAX, u32::MAX),
            vec![Comment {
                loc: Loc::new(u32::MAX, 1),
                end: Loc::new(u32::MAX, 2),
                lines: &["%"],
            }],
        ),
    ];
    for node_ in odd {
        let _ = format(&node_);
    }
}
