//! Tests of the document IR and the printer: small documents and their layout as
//! data, then properties over random documents.

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::{PrintOptions, print};
use crate::doc::{
    Doc, GroupId, GroupIds, GroupOptions, Kind, align, align_to_current_column, break_parent,
    concat, conditional_group, dedent, dedent_to_root, empty_line, fill, group, group_with,
    hardline, if_break, if_break_in_group, indent, indent_if_break, join, line, line_suffix,
    line_suffix_boundary, literalline, nil, softline, text, text_width, verbatim,
};
use crate::docs;

fn options(width: u32) -> PrintOptions {
    PrintOptions {
        width,
        ..PrintOptions::default()
    }
}

/// Prints `doc` at `width` (indentation 4) and compares with `expect`; no line may
/// end in whitespace.
fn check(doc: Doc<'_>, width: u32, expect: Expect) {
    let out = print(&doc, &options(width));
    for line in out.split('\n') {
        assert!(
            !line.ends_with([' ', '\t']),
            "trailing whitespace in {line:?} of\n{out}"
        );
    }
    expect.assert_eq(&out);
}

/// Prints `doc` with `options` and compares the debug form (line ends and trailing
/// spaces visible) with `expect`.
fn check_raw(doc: Doc<'_>, options: &PrintOptions, expect: Expect) {
    expect.assert_eq(&format!("{:?}", print(&doc, options)));
}

fn check_debug(doc: Doc<'_>, expect: Expect) {
    expect.assert_eq(&format!("{doc:?}"));
}

/// `[a, b, c]`, broken one item a line.
fn list<'a>(items: &[&'a str]) -> Doc<'a> {
    group(docs![
        "[",
        indent(docs![
            softline(),
            join(docs![",", line()], items.iter().map(|item| text(*item)))
        ]),
        softline(),
        "]"
    ])
}

/// `name(args)`, broken one argument a line.
fn call<'a>(name: &'a str, args: Vec<Doc<'a>>) -> Doc<'a> {
    group(docs![
        name,
        "(",
        indent(docs![softline(), join(docs![",", line()], args)]),
        softline(),
        ")"
    ])
}

#[test]
fn default_options() {
    let options = PrintOptions::default();
    assert_eq!(
        (options.width, options.indent_width, options.newline),
        (100, 4, "\n")
    );
}

#[test]
fn text_alone() {
    check(text("hello"), 100, expect!["hello"]);
    check(nil(), 100, expect![""]);
}

#[test]
fn group_fits_on_the_line() {
    check(list(&["a", "b", "c"]), 20, expect!["[a, b, c]"]);
}

#[test]
fn group_breaks_when_too_wide() {
    check(
        list(&["a", "b", "c"]),
        8,
        expect![[r#"
            [
                a,
                b,
                c
            ]"#]],
    );
}

#[test]
fn group_fits_exactly_at_the_width() {
    // `[a, b, c]` is 9 columns.
    check(list(&["a", "b", "c"]), 9, expect!["[a, b, c]"]);
    check(
        list(&["a", "b", "c"]),
        8,
        expect![[r#"
            [
                a,
                b,
                c
            ]"#]],
    );
}

#[test]
fn outer_group_breaks_first() {
    let doc = call("f", vec![text("aaaaaaaa"), list(&["b", "c"])]);
    check(doc.clone(), 22, expect!["f(aaaaaaaa, [b, c])"]);
    check(
        doc.clone(),
        16,
        expect![[r#"
            f(
                aaaaaaaa,
                [b, c]
            )"#]],
    );
    check(
        doc,
        8,
        expect![[r#"
            f(
                aaaaaaaa,
                [
                    b,
                    c
                ]
            )"#]],
    );
}

#[test]
fn text_after_a_group_counts_up_to_the_next_line_break() {
    let doc = docs![group(docs!["a", line(), "b"]), " + tail", hardline(), "x"];
    check(
        doc.clone(),
        10,
        expect![[r#"
        a b + tail
        x"#]],
    );
    check(
        doc,
        9,
        expect![[r#"
        a
        b + tail
        x"#]],
    );
}

#[test]
fn text_after_a_possible_break_is_not_measured() {
    // The outer group is broken, so its `line` ends what the inner group must fit.
    let doc = group(docs![
        group(docs!["a", line(), "b"]),
        line(),
        "a long text that does not fit",
        break_parent()
    ]);
    check(
        doc,
        5,
        expect![[r#"
        a b
        a long text that does not fit"#]],
    );
}

#[test]
fn trailing_space_of_a_flat_line_is_not_measured() {
    // The space before the hard line is trimmed, so `a b` fits in 3 columns.
    let doc = docs![group(docs!["a", line(), "b", line()]), hardline(), "c"];
    check(
        doc,
        3,
        expect![[r#"
        a b
        c"#]],
    );
}

#[test]
fn indent_nests() {
    let doc = docs![
        "x",
        indent(docs![
            hardline(),
            "a",
            indent(docs![hardline(), "b"]),
            hardline(),
            "c"
        ]),
        hardline(),
        "d"
    ];
    check(
        doc,
        100,
        expect![[r#"
        x
            a
                b
            c
        d"#]],
    );
}

#[test]
fn align_adds_columns() {
    let doc = docs!["-spec", align(2, docs![hardline(), "a"]), hardline(), "b"];
    check(
        doc,
        100,
        expect![[r#"
        -spec
          a
        b"#]],
    );
}

#[test]
fn dedent_undoes_the_innermost_indentation() {
    let doc = indent(docs![
        "a",
        indent(docs![
            hardline(),
            "b",
            dedent(docs![hardline(), "c"]),
            dedent_to_root(docs![hardline(), "d"]),
            hardline(),
            "e"
        ])
    ]);
    check(
        doc,
        100,
        expect![[r#"
        a
                b
            c
        d
                e"#]],
    );
}

#[test]
fn align_to_current_column_indents_to_where_it_starts() {
    let doc = docs![
        "foo(",
        align_to_current_column(join(docs![",", hardline()], [text("a"), text("b")])),
        ")"
    ];
    check(
        doc,
        100,
        expect![[r#"
        foo(a,
            b)"#]],
    );
}

#[test]
fn hardline_breaks_every_enclosing_group() {
    let doc = group(docs![
        "[",
        group(docs!["a", line(), "b", indent(docs![hardline(), "c"])]),
        line(),
        group(docs!["d", line(), "e"]),
        "]"
    ]);
    check_debug(
        doc.clone(),
        expect![[
            r#"group(["[", group(["a", line, "b", indent([hardline, "c"])], break), line, group(["d", line, "e"]), "]"], break)"#
        ]],
    );
    check(
        doc,
        100,
        expect![[r#"
        [a
        b
            c
        d e]"#]],
    );
}

#[test]
fn break_parent_breaks_enclosing_groups_only() {
    let doc = group(docs![
        group(docs!["a", line(), "b"]),
        line(),
        group(docs!["c", line(), "d", break_parent()])
    ]);
    check(
        doc,
        100,
        expect![[r#"
        a b
        c
        d"#]],
    );
}

#[test]
fn group_that_should_break() {
    let options = GroupOptions {
        should_break: true,
        id: None,
    };
    check(
        group_with(docs!["a", line(), "b"], options),
        100,
        expect![[r#"
        a
        b"#]],
    );
}

#[test]
fn if_break_follows_the_enclosing_group() {
    // A trailing comma when broken.
    let doc = group(docs![
        "[",
        indent(docs![
            softline(),
            join(docs![",", line()], [text("a"), text("b")]),
            if_break(text(","), nil())
        ]),
        softline(),
        "]"
    ]);
    check(doc.clone(), 10, expect!["[a, b]"]);
    check(
        doc,
        4,
        expect![[r#"
        [
            a,
            b,
        ]"#]],
    );
}

#[test]
fn if_break_in_group_follows_the_named_group() {
    let mut ids = GroupIds::new();
    let id = ids.next_id();
    let doc = |head: &'static str| {
        docs![
            group_with(
                docs![head, line(), "x"],
                GroupOptions {
                    should_break: false,
                    id: Some(id)
                }
            ),
            hardline(),
            group(docs![
                "then",
                line(),
                if_break_in_group(id, text("head broke"), text("head flat"))
            ])
        ]
    };
    check(
        doc("short"),
        20,
        expect![[r#"
        short x
        then head flat"#]],
    );
    check(
        doc("a long head"),
        12,
        expect![[r#"
        a long head
        x
        then
        head broke"#]],
    );
}

#[test]
fn if_break_in_group_before_the_group_is_printed_is_flat() {
    let mut ids = GroupIds::new();
    let id = ids.next_id();
    let doc = docs![
        if_break_in_group(id, text("broken"), text("flat")),
        hardline(),
        group_with(
            docs!["a", hardline(), "b"],
            GroupOptions {
                should_break: false,
                id: Some(id)
            }
        )
    ];
    check(
        doc,
        100,
        expect![[r#"
        flat
        a
        b"#]],
    );
}

#[test]
fn indent_if_break_indents_when_the_named_group_breaks() {
    // Prettier's assignment layout: the right side is indented only when the
    // left side broke.
    let mut ids = GroupIds::new();
    let id = ids.next_id();
    let doc = |left: Vec<Doc<'static>>| {
        docs![
            group_with(
                call("f", left),
                GroupOptions {
                    should_break: false,
                    id: Some(id)
                }
            ),
            " ->",
            indent_if_break(id, docs![hardline(), "body"])
        ]
    };
    check(
        doc(vec![text("A")]),
        20,
        expect![[r#"
        f(A) ->
        body"#]],
    );
    check(
        doc(vec![text("Aaaaaaaaaa"), text("Bbbbbbbbbb")]),
        20,
        expect![[r#"
        f(
            Aaaaaaaaaa,
            Bbbbbbbbbb
        ) ->
            body"#]],
    );
}

#[test]
fn fill_puts_as_many_items_on_a_line_as_fit() {
    let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod";
    let doc = fill(parts(join(line(), words.split(' ').map(text))));
    check(
        doc,
        20,
        expect![[r#"
        lorem ipsum dolor
        sit amet consectetur
        adipiscing elit sed
        do eiusmod"#]],
    );
}

#[test]
fn fill_keeps_a_long_item_alone_on_its_line() {
    let doc = docs![
        "[",
        align(
            1,
            fill(vec![
                text("1,"),
                line(),
                text("22,"),
                line(),
                text("a_very_long_item,"),
                line(),
                text("4,"),
                line(),
                text("5")
            ])
        ),
        "]"
    ];
    check(
        doc,
        12,
        expect![[r#"
        [1, 22,
         a_very_long_item,
         4, 5]"#]],
    );
}

#[test]
fn fill_breaks_contents_that_do_not_fit() {
    let doc = fill(vec![
        list(&["a", "b"]),
        text(","),
        list(&["ccc", "ddd", "eee"]),
        text(","),
        list(&["f"]),
    ]);
    check(doc.clone(), 40, expect!["[a, b],[ccc, ddd, eee],[f]"]);
    check(
        doc,
        10,
        expect![[r#"
        [a, b],[
            ccc,
            ddd,
            eee
        ],[f]"#]],
    );
}

#[test]
fn fill_separator_breaks_before_a_content_that_does_not_fit() {
    let doc = fill(vec![
        text("aaaa"),
        line(),
        text("bbbb"),
        softline(),
        text("cc"),
    ]);
    check(doc.clone(), 11, expect!["aaaa bbbbcc"]);
    check(
        doc.clone(),
        10,
        expect![[r#"
        aaaa bbbb
        cc"#]],
    );
    check(
        doc,
        8,
        expect![[r#"
        aaaa
        bbbbcc"#]],
    );
}

#[test]
fn line_suffix_is_printed_before_the_next_line_break() {
    let doc = docs!["a,", line_suffix(text(" % one")), hardline(), "b"];
    check(
        doc,
        100,
        expect![[r#"
        a, % one
        b"#]],
    );
}

#[test]
fn line_suffix_at_the_end_of_the_output() {
    check(docs!["a", line_suffix(text(" % c"))], 100, expect!["a % c"]);
}

#[test]
fn line_suffixes_keep_their_order() {
    let doc = docs![
        "a",
        line_suffix(text(" % 1")),
        "b",
        line_suffix(text(" % 2")),
        hardline(),
        "c"
    ];
    check(
        doc,
        100,
        expect![[r#"
        ab % 1 % 2
        c"#]],
    );
}

#[test]
fn line_suffix_width_does_not_count() {
    // As in Prettier: a trailing comment may pass the width. With a break_parent
    // (a line comment must end its line) the group breaks.
    let items = |comment: Doc<'static>| {
        group(docs![
            "[",
            indent(docs![softline(), "a,", comment, line(), "b"]),
            softline(),
            "]"
        ])
    };
    check(
        items(line_suffix(text(" % a long comment"))),
        10,
        expect!["[a, b] % a long comment"],
    );
    check(
        items(docs![
            line_suffix(text(" % a long comment")),
            break_parent()
        ]),
        10,
        expect![[r#"
            [
                a, % a long comment
                b
            ]"#]],
    );
}

#[test]
fn line_suffix_boundary_flushes_pending_suffixes() {
    let doc = docs!["a", line_suffix(text(" % c")), line_suffix_boundary(), "b"];
    check(
        doc,
        100,
        expect![[r#"
        a % c
        b"#]],
    );
    check(docs!["a", line_suffix_boundary(), "b"], 100, expect!["ab"]);
}

#[test]
fn line_suffix_boundary_with_a_pending_suffix_breaks_the_group() {
    // Prettier's test: the boundary would put a line break inside the flat group.
    let doc = group(docs![
        "foo = [",
        indent(docs![
            softline(),
            docs![line_suffix_boundary(), "item1,"],
            line(),
            docs![
                line_suffix_boundary(),
                "item2,",
                line_suffix(text(" % comment"))
            ],
            line(),
            docs![line_suffix_boundary(), "item3"]
        ]),
        softline(),
        "]."
    ]);
    check(
        doc,
        80,
        expect![[r#"
        foo = [
            item1,
            item2, % comment
            item3
        ]."#]],
    );
}

#[test]
fn multi_line_verbatim_breaks_the_group() {
    let doc = call("f", vec![verbatim("\"a\nb\""), text("X")]);
    check_debug(
        doc.clone(),
        expect![[
            r#"group(["f", "(", indent([softline, [verbatim("\"a\nb\""), [",", line], "X"]]), softline, ")"], break)"#
        ]],
    );
    check(
        doc,
        100,
        expect![[r#"
        f(
            "a
        b",
            X
        )"#]],
    );
}

#[test]
fn column_after_verbatim_is_the_width_of_its_last_line() {
    // `bb cc` fits in 6 columns after the verbatim's last line `bb`.
    let doc = docs![verbatim("aaaaaaaaaa\nbb"), group(docs![line(), "cc"])];
    check(
        doc,
        6,
        expect![[r#"
        aaaaaaaaaa
        bb cc"#]],
    );
    let doc = docs![verbatim("aaaaaaaaaa\nbbbbb"), group(docs![line(), "cc"])];
    check(
        doc,
        6,
        expect![[r#"
        aaaaaaaaaa
        bbbbb
        cc"#]],
    );
}

#[test]
fn verbatim_keeps_its_spaces_and_takes_the_newline_of_the_output() {
    let doc = docs![
        verbatim("\"a  \r\nb  \nc  \""),
        hardline(),
        "d  ",
        hardline(),
        "e"
    ];
    check_raw(
        doc.clone(),
        &options(100),
        expect![[r#""\"a  \nb  \nc  \"\nd\ne""#]],
    );
    let crlf = PrintOptions {
        newline: "\r\n",
        ..options(100)
    };
    check_raw(
        doc,
        &crlf,
        expect![[r#""\"a  \r\nb  \r\nc  \"\r\nd\r\ne""#]],
    );
}

#[test]
fn text_with_a_line_break_is_verbatim() {
    check_debug(text("a\nb"), expect![[r#"verbatim("a\nb")"#]]);
    check_debug(text("ab"), expect![[r#""ab""#]]);
    check_debug(text(String::from("owned")), expect![[r#""owned""#]]);
}

#[test]
fn width_is_counted_in_unicode_columns() {
    assert_eq!(text_width("abc"), 3);
    assert_eq!(text_width("漢字"), 4);
    assert_eq!(text_width("😀"), 2);
    assert_eq!(text_width("e\u{301}"), 1);
    assert_eq!(text_width("\u{200b}"), 0);
    // `漢字 x` is 6 columns (4 bytes more than that).
    let doc = |word: &'static str| group(docs![word, line(), "x"]);
    check(doc("漢字"), 6, expect!["漢字 x"]);
    check(
        doc("漢字"),
        5,
        expect![[r#"
        漢字
        x"#]],
    );
    check(doc("😀😀"), 6, expect!["😀😀 x"]);
    check(
        doc("😀😀"),
        5,
        expect![[r#"
        😀😀
        x"#]],
    );
    // A combining accent takes no column: four accented e and ` x` are 6 columns.
    check(
        doc("e\u{301}e\u{301}e\u{301}e\u{301}"),
        6,
        expect!["e\u{301}e\u{301}e\u{301}e\u{301} x"],
    );
}

#[test]
fn no_trailing_whitespace() {
    let doc = docs![
        "a ",
        hardline(),
        indent(docs![
            hardline(),
            hardline(),
            "b",
            group(docs![line(), line_suffix(text(" ")), break_parent()]),
            "\t",
            hardline()
        ]),
        "c",
        indent(hardline())
    ];
    check_raw(
        doc,
        &options(100),
        expect![[r#""a\n\n\n    b\n\n    c\n""#]],
    );
}

#[test]
fn empty_line_leaves_one_blank_line() {
    check(
        join(empty_line(), [text("a"), text("b")]),
        100,
        expect![[r#"
        a

        b"#]],
    );
    // After a hard line, or another empty line: still one blank line.
    check(
        docs!["a", hardline(), empty_line(), "b"],
        100,
        expect![[r#"
        a

        b"#]],
    );
    check(
        docs!["a", empty_line(), empty_line(), "b"],
        100,
        expect![[r#"
        a

        b"#]],
    );
    // None at the start of the output.
    check(docs![empty_line(), "a"], 100, expect!["a"]);
    // Indented after it, without spaces on the blank line.
    check_raw(
        docs![
            "f() ->",
            indent(docs![hardline(), "a,", empty_line(), "b."])
        ],
        &options(100),
        expect![[r#""f() ->\n    a,\n\n    b.""#]],
    );
    // Hard lines are never collapsed.
    check(
        docs!["a", hardline(), hardline(), hardline(), "b"],
        100,
        expect![[r#"
        a


        b"#]],
    );
}

#[test]
fn literalline_starts_at_column_zero() {
    let doc = indent(docs![
        "a",
        hardline(),
        "b",
        literalline(),
        "c",
        hardline(),
        "d"
    ]);
    check(
        doc,
        100,
        expect![[r#"
        a
            b
        c
            d"#]],
    );
}

#[test]
fn crlf_newline() {
    let crlf = PrintOptions {
        newline: "\r\n",
        ..options(4)
    };
    check_raw(
        docs![list(&["a", "b"]), empty_line(), "c"],
        &crlf,
        expect![[r#""[\r\n    a,\r\n    b\r\n]\r\n\r\nc""#]],
    );
}

#[test]
fn conditional_group_takes_the_first_state_that_fits() {
    // Hug a last argument: `f(A, [` ... `])` before breaking every argument.
    let states = |items: &[&'static str]| {
        let last = list(items);
        let hugged = docs![
            "f(A, ",
            group_with(
                docs![
                    "[",
                    indent(docs![
                        softline(),
                        join(docs![",", line()], items.iter().map(|item| text(*item)))
                    ]),
                    softline(),
                    "]"
                ],
                GroupOptions {
                    should_break: true,
                    id: None
                }
            ),
            ")"
        ];
        conditional_group([
            docs!["f(A, ", last.clone(), ")"],
            hugged,
            call("f", vec![text("A"), last]),
        ])
    };
    check(states(&["b", "c"]), 20, expect!["f(A, [b, c])"]);
    check(
        states(&["bbbbbb", "cccccc"]),
        20,
        expect![[r#"
        f(A, [
            bbbbbb,
            cccccc
        ])"#]],
    );
    check(
        states(&["bbbbbb", "cccccc"]),
        5,
        expect![[r#"
        f(
            A,
            [
                bbbbbb,
                cccccc
            ]
        )"#]],
    );
}

#[test]
fn conditional_group_does_not_propagate_breaks() {
    let doc = group(docs![
        "x",
        line(),
        conditional_group([docs!["a", hardline(), "b"], text("c")])
    ]);
    assert!(!doc.will_break());
}

#[test]
fn erlang_function_with_comments() {
    let clause = docs![
        call("handle", vec![text("Request"), text("State")]),
        " ->",
        line_suffix(text(" % the only clause")),
        break_parent(),
        indent(docs![
            hardline(),
            "Reply = ",
            call(
                "lists:map",
                vec![
                    text("fun transform/1"),
                    list(&["Request", "State", "<<\"payload\">>"])
                ]
            ),
            ",",
            empty_line(),
            "{reply, Reply, State}."
        ])
    ];
    check(
        clause.clone(),
        100,
        expect![[r#"
        handle(Request, State) -> % the only clause
            Reply = lists:map(fun transform/1, [Request, State, <<"payload">>]),

            {reply, Reply, State}."#]],
    );
    check(
        clause,
        40,
        expect![[r#"
        handle(Request, State) -> % the only clause
            Reply = lists:map(
                fun transform/1,
                [Request, State, <<"payload">>]
            ),

            {reply, Reply, State}."#]],
    );
}

#[test]
fn debug_form() {
    let mut ids = GroupIds::new();
    let id = ids.next_id();
    let doc = docs![
        group_with(
            fill(vec![text("a"), line(), text("b")]),
            GroupOptions {
                should_break: false,
                id: Some(id)
            }
        ),
        if_break_in_group(id, text(","), nil()),
        indent_if_break(id, dedent(align(2, dedent_to_root(text("x"))))),
        line_suffix(text(" % c")),
        line_suffix_boundary(),
        literalline(),
        softline(),
    ];
    check_debug(
        doc,
        expect![[
            r#"[group(fill(["a", line, "b"]), id: #1), if_break(",", nil, group: #1), indent_if_break(#1, dedent(align(2, dedent_to_root("x")))), line_suffix(" % c"), line_suffix_boundary, literalline, softline]"#
        ]],
    );
}

#[test]
fn builders_drop_empty_documents() {
    assert!(concat([nil(), nil()]).is_nil());
    assert!(group(nil()).is_nil());
    assert!(indent(nil()).is_nil());
    assert!(text("").is_nil());
    assert!(if_break(nil(), nil()).is_nil());
    check_debug(concat([nil(), text("a"), nil()]), expect![[r#""a""#]]);
}

#[test]
fn doc_is_small() {
    assert_eq!(size_of::<Doc<'_>>(), 24);
}

#[test]
fn deep_nesting_does_not_overflow_the_printer() {
    // The printer is iterative; building and dropping a deep tree recurses, so the
    // test runs on a thread with room for that.
    let worker = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
        let mut doc = text("x");
        for _ in 0..20_000 {
            doc = group(docs!["(", indent(docs![softline(), doc]), softline(), ")"]);
        }
        let out = print(&doc, &options(100));
        (out.len(), out.lines().count())
    });
    let result = worker.map(|handle| handle.join());
    assert!(
        matches!(result, Ok(Ok((_, lines))) if lines > 1000),
        "deep document failed"
    );
}

/// The parts of a concatenation (for building a fill from a join).
fn parts(doc: Doc<'_>) -> Vec<Doc<'_>> {
    match doc.0 {
        Kind::Concat { parts, .. } => parts.to_vec(),
        Kind::Nil => Vec::new(),
        _ => vec![doc],
    }
}

/// The texts of a document in order (what must survive layout), for documents
/// without choices (if_break, conditional groups) or moved parts (line suffixes).
fn texts(doc: &Doc<'_>, out: &mut String) {
    match &doc.0 {
        Kind::Text { text, .. } => out.push_str(text),
        Kind::OwnedText { text, .. } => out.push_str(text),
        Kind::Verbatim(verbatim) => out.push_str(&verbatim.text),
        Kind::Concat { parts, .. } | Kind::Fill { parts, .. } => {
            for part in parts.iter() {
                texts(part, out);
            }
        }
        Kind::Group(group) => texts(&group.contents, out),
        Kind::Indent { contents, .. }
        | Kind::Align { contents, .. }
        | Kind::IndentIfBreak { contents, .. }
        | Kind::LineSuffix { contents, .. } => texts(contents, out),
        Kind::IfBreak(if_break) => texts(&if_break.flat, out),
        Kind::Nil | Kind::Line(_) | Kind::BreakParent | Kind::LineSuffixBoundary => {}
    }
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

const WORDS: &[&str] = &[
    "a", "bb", "ccc", "dddddddd", "漢字", "😀", "e\u{301}", ",", "",
];

fn ids() -> Vec<GroupId> {
    let mut ids = GroupIds::new();
    (0..3).map(|_| ids.next_id()).collect()
}

/// Any document: every node kind, nested.
fn any_doc() -> impl Strategy<Value = Doc<'static>> {
    let leaf = prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(text),
        2 => Just(line()),
        2 => Just(softline()),
        1 => Just(hardline()),
        1 => Just(literalline()),
        1 => Just(empty_line()),
        1 => Just(break_parent()),
        1 => Just(line_suffix_boundary()),
        1 => Just(verbatim("\"x\n  y\"")),
        1 => Just(text(" ")),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(concat),
            prop::collection::vec(inner.clone(), 0..8).prop_map(fill),
            (inner.clone(), any::<bool>(), prop::option::of(0..3usize)).prop_map(
                |(doc, should_break, id)| group_with(
                    doc,
                    GroupOptions {
                        should_break,
                        id: id.map(|id| ids()[id])
                    }
                )
            ),
            prop::collection::vec(inner.clone(), 1..4).prop_map(conditional_group),
            inner.clone().prop_map(indent),
            (0..4u32, inner.clone()).prop_map(|(spaces, doc)| align(spaces, doc)),
            inner.clone().prop_map(dedent),
            inner.clone().prop_map(dedent_to_root),
            inner.clone().prop_map(align_to_current_column),
            (inner.clone(), inner.clone()).prop_map(|(broken, flat)| if_break(broken, flat)),
            (0..3usize, inner.clone(), inner.clone())
                .prop_map(|(id, broken, flat)| if_break_in_group(ids()[id], broken, flat)),
            (0..3usize, inner.clone()).prop_map(|(id, doc)| indent_if_break(ids()[id], doc)),
            inner.clone().prop_map(line_suffix),
        ]
    })
}

/// Documents whose texts all reach the output in order: no choices, no suffixes.
fn plain_doc() -> impl Strategy<Value = Doc<'static>> {
    let leaf = prop_oneof![
        4 => prop::sample::select(WORDS).prop_map(text),
        2 => Just(line()),
        2 => Just(softline()),
        1 => Just(hardline()),
        1 => Just(empty_line()),
        1 => Just(verbatim("\"x\n  y\"")),
    ];
    leaf.prop_recursive(6, 200, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(concat),
            prop::collection::vec(inner.clone(), 0..8).prop_map(fill),
            inner.clone().prop_map(group),
            inner.clone().prop_map(indent),
            inner.clone().prop_map(align_to_current_column),
        ]
    })
}

fn any_options() -> impl Strategy<Value = PrintOptions> {
    (0..40u32, 0..5u32, prop::sample::select(vec!["\n", "\r\n"])).prop_map(
        |(width, indent_width, newline)| PrintOptions {
            width,
            indent_width,
            newline,
        },
    )
}

proptest! {
    #[test]
    fn printing_any_document_never_panics_nor_leaves_trailing_whitespace(
        doc in any_doc(),
        options in any_options(),
    ) {
        let out = print(&doc, &options);
        for line in out.split(options.newline) {
            prop_assert!(!line.ends_with([' ', '\t']), "trailing whitespace in {:?}", line);
        }
        prop_assert_eq!(print(&doc, &options), out);
    }

    #[test]
    fn printing_keeps_every_text_in_order(doc in plain_doc(), options in any_options()) {
        let out = print(&doc, &options);
        let mut expected = String::new();
        texts(&doc, &mut expected);
        prop_assert_eq!(without_whitespace(&out), without_whitespace(&expected));
    }

    #[test]
    fn flat_layout_when_everything_fits(doc in plain_doc()) {
        // At an unbounded width no soft line breaks: only forced ones remain.
        let out = print(&doc, &options(u32::MAX));
        let forced = print(&doc, &options(0)).lines().count();
        prop_assert!(out.lines().count() <= forced);
    }
}
