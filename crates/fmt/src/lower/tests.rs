//! The dump of lowered forms for constructs whose erlfmt nodes are easy to get wrong.
//!
//! Every expected dump here is what `xtask/erlang/erlfmt_nodes_oracle.erl` prints
//! for the same text (`cargo xtask compare-erlfmt-nodes` checks whole corpora).

use expect_test::{Expect, expect};
use syntax::{FileKind, OtpRelease};

use crate::SourceKind;
use crate::node::dump::debug_lowered_forms;

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&debug_lowered_forms(text, SourceKind::default()));
}

fn check_terms(text: &str, expected: Expect) {
    let kind = SourceKind {
        file_kind: FileKind::Terms,
        release: OtpRelease::LATEST,
    };
    expected.assert_eq(&debug_lowered_forms(text, kind));
}

#[test]
fn clause_heads_guards_and_parentheses() {
    // The head is a call up to `)`; a clause ends with its last body expression,
    // which counts from inside its parentheses.
    check(
        "f((X)) when X > 1; is_atom(X), X -> (X + 1).\n",
        expect![[r#"
            1:1 (function 1:1-1:45 [(clause 1:1-1:43 (call 1:1-1:7 (atom 1:1-1:2 "f") [(var 1:4-1:5 p "X")]) (guard_or 1:13-1:33 [(guard_and 1:13-1:18 [(op 1:13-1:18 > (var 1:13-1:14 "X") (integer 1:17-1:18 "1"))]) (guard_and 1:20-1:33 [(call 1:20-1:30 (atom 1:20-1:27 "is_atom") [(var 1:28-1:29 "X")]) (var 1:32-1:33 "X")])]) [(op 1:38-1:43 p + (var 1:38-1:39 "X") (integer 1:42-1:43 "1"))])])
        "#]],
    );
}

#[test]
fn map_fields_bind_tighter_than_other_operators() {
    check(
        "f() -> #{K := V + 1, -1 => a, not X => Y}.\n\
         -type t() :: #{Name :: key() => value()}.\n",
        expect![[r#"
            1:1 (function 1:1-1:43 [(clause 1:1-1:42 (call 1:1-1:4 (atom 1:1-1:2 "f") []) empty [(map 1:8-1:42 [(op 1:10-1:20 + (map_field_exact 1:10-1:16 (var 1:10-1:11 "K") (var 1:15-1:16 "V")) (integer 1:19-1:20 "1")) (op 1:22-1:29 - (map_field_assoc 1:23-1:29 (integer 1:23-1:24 "1") (atom 1:28-1:29 "a"))) (op 1:31-1:41 not (map_field_assoc 1:35-1:41 (var 1:35-1:36 "X") (var 1:40-1:41 "Y")))])])])
            2:1 (attribute 2:1-2:42 (atom 2:2-2:6 "type") [(op 2:7-2:41 :: (call 2:7-2:10 (atom 2:7-2:8 "t") []) (map 2:14-2:41 [(op 2:16-2:40 :: (var 2:16-2:20 "Name") (map_field_assoc 2:24-2:40 (call 2:24-2:29 (atom 2:24-2:27 "key") []) (call 2:33-2:40 (atom 2:33-2:38 "value") [])))]))])
        "#]],
    );
}

#[test]
fn prefix_operators_in_types_take_ranges_and_unions() {
    check(
        "-type t() :: -1..1 | -2.\n",
        expect![[r#"
            1:1 (attribute 1:1-1:25 (atom 1:2-1:6 "type") [(op 1:7-1:24 :: (call 1:7-1:10 (atom 1:7-1:8 "t") []) (op 1:14-1:24 - (op 1:15-1:24 | (op 1:15-1:19 .. (integer 1:15-1:16 "1") (integer 1:18-1:19 "1")) (op 1:22-1:24 - (integer 1:23-1:24 "2")))))])
        "#]],
    );
}

#[test]
fn receive_and_try_ranges_stop_before_the_next_keyword() {
    check(
        "f() ->\n    receive X -> X after 1 -> ok end,\n    try a of B -> B catch _ -> c after d end.\n",
        expect![[r#"
            1:1 (function 1:1-3:46 [(clause 1:1-3:45 (call 1:1-1:4 (atom 1:1-1:2 "f") []) empty [(receive 2:5-2:37 (clauses 2:5-2:19 [(clause 2:13-2:19 (var 2:13-2:14 "X") empty [(var 2:18-2:19 "X")])]) (after_clause 2:20-2:37 (integer 2:26-2:27 "1") [(atom 2:31-2:33 "ok")])) (try 3:5-3:45 (body 3:5-3:10 [(atom 3:9-3:10 "a")]) (clauses 3:11-3:20 [(clause 3:14-3:20 (var 3:14-3:15 "B") empty [(var 3:19-3:20 "B")])]) (clauses 3:21-3:39 [(clause 3:27-3:33 (var 3:27-3:28 "_") empty [(atom 3:32-3:33 "c")])]) [(atom 3:40-3:41 "d")])])])
        "#]],
    );
}

#[test]
fn record_declarations_use_record_fields() {
    check(
        "-record(r, {a, b = 1, c :: t(), d = 2 :: t(), ?F}).\n",
        expect![[r#"
            1:1 (attribute 1:1-1:52 (atom 1:2-1:8 "record") [(atom 1:9-1:10 "r") (tuple 1:12-1:50 [(record_field 1:13-1:14 (atom 1:13-1:14 "a")) (record_field 1:16-1:21 (atom 1:16-1:17 "b") (integer 1:20-1:21 "1")) (op 1:23-1:31 :: (record_field 1:23-1:24 (atom 1:23-1:24 "c")) (call 1:28-1:31 (atom 1:28-1:29 "t") [])) (op 1:33-1:45 :: (record_field 1:33-1:38 (atom 1:33-1:34 "d") (integer 1:37-1:38 "2")) (call 1:42-1:45 (atom 1:42-1:43 "t") [])) (record_field 1:47-1:49 (macro_call 1:47-1:49 (var 1:48-1:49 "F") none))])])
        "#]],
    );
}

#[test]
fn define_bodies() {
    check(
        "-define(A, ).\n\
         -define(B(X), X, X).\n\
         -define(C(X), is_atom(X); X > 1).\n\
         -define(D(X), X when X > 1).\n\
         -define(E, #r).\n\
         -define(F, ()).\n\
         -define(G, 1..2).\n\
         -define(H, f(X) -> X).\n",
        expect![[r#"
            1:1 (attribute 1:1-1:14 (atom 1:2-1:8 "define") [(var 1:9-1:10 "A") empty])
            2:1 (attribute 2:1-2:21 (atom 2:2-2:8 "define") [(call 2:9-2:13 (var 2:9-2:10 "B") [(var 2:11-2:12 "X")]) (guard_or 2:15-2:19 [(guard_and 2:15-2:19 [(var 2:15-2:16 "X") (var 2:18-2:19 "X")])])])
            3:1 (attribute 3:1-3:34 (atom 3:2-3:8 "define") [(call 3:9-3:13 (var 3:9-3:10 "C") [(var 3:11-3:12 "X")]) (guard_or 3:15-3:32 [(guard_and 3:15-3:25 [(call 3:15-3:25 (atom 3:15-3:22 "is_atom") [(var 3:23-3:24 "X")])]) (guard_and 3:27-3:32 [(op 3:27-3:32 > (var 3:27-3:28 "X") (integer 3:31-3:32 "1"))])])])
            4:1 (attribute 4:1-4:29 (atom 4:2-4:8 "define") [(call 4:9-4:13 (var 4:9-4:10 "D") [(var 4:11-4:12 "X")]) (op 4:15-4:27 when (var 4:15-4:16 "X") (guard_or 4:22-4:27 [(guard_and 4:22-4:27 [(op 4:22-4:27 > (var 4:22-4:23 "X") (integer 4:26-4:27 "1"))])]))])
            5:1 (attribute 5:1-5:16 (atom 5:2-5:8 "define") [(var 5:9-5:10 "E") (record_name 5:12-5:14 (atom 5:13-5:14 "r"))])
            6:1 (attribute 6:1-6:16 (atom 6:2-6:8 "define") [(var 6:9-6:10 "F") (args 6:12-6:14 [])])
            7:1 (attribute 7:1-7:18 (atom 7:2-7:8 "define") [(var 7:9-7:10 "G") (op 7:12-7:16 .. (integer 7:12-7:13 "1") (integer 7:15-7:16 "2"))])
            8:1 (attribute 8:1-8:23 (atom 8:2-8:8 "define") [(var 8:9-8:10 "H") (clause 8:12-8:21 (call 8:12-8:16 (atom 8:12-8:13 "f") [(var 8:14-8:15 "X")]) empty [(var 8:20-8:21 "X")])])
        "#]],
    );
}

#[test]
fn generic_attributes() {
    check(
        "-export([f/1]).\n-module((m)).\n-if(?A > 1).\n-else.\n-endif().\n-doc \"x\".\n",
        expect![[r#"
            1:1 (attribute 1:1-1:16 (atom 1:2-1:8 "export") [(list 1:9-1:14 [(op 1:10-1:13 / (atom 1:10-1:11 "f") (integer 1:12-1:13 "1"))])])
            2:1 (attribute 2:1-2:14 (atom 2:2-2:8 "module") [(atom 2:10-2:11 "m")])
            3:1 (attribute 3:1-3:13 (atom 3:2-3:4 "if") [(op 3:5-3:11 > (macro_call 3:5-3:7 (var 3:6-3:7 "A") none) (integer 3:10-3:11 "1"))])
            4:1 (attribute 4:1-4:7 (atom 4:2-4:6 "else") no_parens)
            5:1 (attribute 5:1-5:10 (atom 5:2-5:7 "endif") [])
            6:1 (attribute 6:1-6:10 (atom 6:2-6:5 "doc") [(string 6:6-6:9 "\"x\"")])
        "#]],
    );
}

#[test]
fn specs_run_from_the_name_to_the_last_clause() {
    check(
        "-spec m:f(A) -> A when A :: atom(); (b) -> c.\n-callback(g() -> ok).\n",
        expect![[r#"
            1:1 (attribute 1:1-1:46 (atom 1:2-1:6 "spec") [(spec 1:7-1:45 (remote 1:7-1:10 (atom 1:7-1:8 "m") (atom 1:9-1:10 "f")) [(spec_clause 1:10-1:35 (args 1:10-1:13 [(var 1:11-1:12 "A")]) (var 1:17-1:18 "A") (guard_or 1:24-1:35 [(guard_and 1:24-1:35 [(op 1:24-1:35 :: (var 1:24-1:25 "A") (call 1:29-1:35 (atom 1:29-1:33 "atom") []))])])) (spec_clause 1:37-1:45 (args 1:37-1:40 [(atom 1:38-1:39 "b")]) (atom 1:44-1:45 "c") empty)])])
            2:1 (attribute 2:1-2:22 (atom 2:2-2:10 "callback") [(spec 2:11-2:20 (atom 2:11-2:12 "g") [(spec_clause 2:12-2:20 (args 2:12-2:14 []) (atom 2:18-2:20 "ok") empty)])])
        "#]],
    );
}

#[test]
fn types_of_funs_lists_and_remote_macros() {
    check(
        "-type t() :: fun((...) -> a) | fun() | [x, ...] | ?M:?T(a) | <<_:_*8>>.\n",
        expect![[r#"
            1:1 (attribute 1:1-1:72 (atom 1:2-1:6 "type") [(op 1:7-1:71 :: (call 1:7-1:10 (atom 1:7-1:8 "t") []) (op 1:14-1:71 | (fun 1:14-1:29 (type 1:18-1:28 (args 1:18-1:23 [(... 1:19-1:22)]) (atom 1:27-1:28 "a"))) (op 1:32-1:71 | (fun 1:32-1:37 type) (op 1:40-1:71 | (list 1:40-1:48 [(atom 1:41-1:42 "x") (... 1:44-1:47)]) (op 1:51-1:71 | (call 1:51-1:59 (remote 1:51-1:56 (macro_call 1:51-1:53 (var 1:52-1:53 "M") none) (macro_call 1:54-1:56 (var 1:55-1:56 "T") none)) [(atom 1:57-1:58 "a")]) (bin 1:62-1:71 [(bin_element 1:64-1:69 (var 1:64-1:65 "_") (bin_size 1:66-1:69 (var 1:66-1:67 "_") (integer 1:68-1:69 "8")) default)]))))))])
        "#]],
    );
}

#[test]
fn remote_names_nest_to_the_right() {
    check(
        "f() -> a:b:c(), fun m:f/1.\n",
        expect![[r#"
            1:1 (function 1:1-1:27 [(clause 1:1-1:26 (call 1:1-1:4 (atom 1:1-1:2 "f") []) empty [(call 1:8-1:15 (remote 1:8-1:13 (atom 1:8-1:9 "a") (remote 1:10-1:13 (atom 1:10-1:11 "b") (atom 1:12-1:13 "c"))) []) (fun 1:17-1:26 (function 1:17-1:26 (atom 1:21-1:22 "m") (atom 1:23-1:24 "f") (integer 1:25-1:26 "1")))])])
        "#]],
    );
}

#[test]
fn binary_elements_without_size_take_the_value_s_range() {
    check(
        "f() -> <<(X), Y:8/little-unit:8, -1>>.\n",
        expect![[r#"
            1:1 (function 1:1-1:39 [(clause 1:1-1:38 (call 1:1-1:4 (atom 1:1-1:2 "f") []) empty [(bin 1:8-1:38 [(bin_element 1:11-1:12 (var 1:11-1:12 p "X") default default) (bin_element 1:15-1:32 (var 1:15-1:16 "Y") (integer 1:17-1:18 "8") [(atom 1:19-1:25 "little") (remote 1:26-1:32 (atom 1:26-1:30 "unit") (integer 1:31-1:32 "8"))]) (bin_element 1:34-1:36 (op 1:34-1:36 - (integer 1:35-1:36 "1")) default default)])])])
        "#]],
    );
}

#[test]
fn macro_calls_forms_and_arguments() {
    check(
        "?X(a) -> ok.\n?Y(b).\nf() -> ?Z(A when A > 1; A, [H | T]), ?M(H | T).\n",
        expect![[r#"
            1:1 (function 1:1-1:13 [(clause 1:1-1:12 (call 1:1-1:6 (macro_call 1:1-1:3 (var 1:2-1:3 "X") none) [(atom 1:4-1:5 "a")]) empty [(atom 1:10-1:12 "ok")])])
            2:1 (function 2:1-2:7 [(macro_call 2:1-2:6 (var 2:2-2:3 "Y") [(atom 2:4-2:5 "b")])])
            3:1 (function 3:1-3:48 [(clause 3:1-3:47 (call 3:1-3:4 (atom 3:1-3:2 "f") []) empty [(macro_call 3:8-3:36 (var 3:9-3:10 "Z") [(op 3:11-3:26 when (var 3:11-3:12 "A") (guard_or 3:18-3:26 [(op 3:18-3:23 > (var 3:18-3:19 "A") (integer 3:22-3:23 "1")) (var 3:25-3:26 "A")])) (list 3:28-3:35 [(cons 3:29-3:34 (var 3:29-3:30 "H") (var 3:33-3:34 "T"))])]) (macro_call 3:38-3:47 (var 3:39-3:40 "M") [(op 3:41-3:46 | (var 3:41-3:42 "H") (var 3:45-3:46 "T"))])])])
        "#]],
    );
}

#[test]
fn term_files_hold_expression_forms_ended_by_a_dot() {
    check_terms(
        "{deps, [a]}.\n(x).\n-x.\n",
        expect![[r#"
            1:1 (exprs 1:1-1:13 d [(tuple 1:1-1:12 [(atom 1:2-1:6 "deps") (list 1:8-1:11 [(atom 1:9-1:10 "a")])])])
            2:1 (exprs 2:1-2:5 d [(atom 2:2-2:3 p "x")])
            3:1 unsupported: an expression that erlfmt reads as an attribute
        "#]],
    );
}

#[test]
fn forms_erlfmt_cannot_read_are_refused() {
    let deep = format!("f() -> {}x{}.\n", "[".repeat(300), "]".repeat(300));
    check(
        &format!("f() -> .\n-record(r, {{A}}).\n-spec f/1 :: t.\n{deep}"),
        expect![[r#"
            1:1 unsupported: a syntax error
            2:1 unsupported: a bad record field
            3:1 unsupported: a syntax error
            4:1 unsupported: expressions nested too deep
        "#]],
    );
}
