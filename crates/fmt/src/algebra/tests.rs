//! Layouts of small documents, as erlfmt's algebra prints them.

use expect_test::{Expect, expect};

use super::*;

fn check(doc: Doc<'_>, width: u32, expected: Expect) {
    let printed = print(&doc, width);
    assert!(
        printed.lines().all(|l| !l.ends_with(' ')),
        "trailing whitespace in {printed:?}"
    );
    expected.assert_eq(&printed);
}

/// `[a, b, c]` as erlfmt lays out a list: brackets, elements joined by `,` and a break.
fn list<'a>(d: Docs<'a>, items: &[&'a str]) -> Doc<'a> {
    let mut parts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            parts.push(text(","));
            parts.push(space_break());
        }
        parts.push(text(item));
    }
    d.group(d.concat(&[
        text("["),
        d.nest(d.concat(&[soft_break(), d.concat(&parts)]), 4),
        soft_break(),
        text("]"),
    ]))
}

#[test]
fn a_group_that_fits_is_flat() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    check(list(d, &["a", "b", "c"]), 20, expect!["[a, b, c]"]);
}

#[test]
fn a_group_that_does_not_fit_breaks_every_break() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    check(
        list(d, &["alpha", "beta", "gamma"]),
        10,
        expect![[r#"
            [
                alpha,
                beta,
                gamma
            ]"#]],
    );
}

#[test]
fn the_text_right_after_a_group_counts_but_nothing_further() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    // "[a, b]" is 6 wide; with "," after it, 7: fits in 7, not in 6. What comes after
    // the break that follows is not measured.
    let doc = d.concat(&[
        list(d, &["a", "b"]),
        text(","),
        space_break(),
        text("tail that is long"),
    ]);
    check(doc, 7, expect!["[a, b], tail that is long"]);
    check(
        doc,
        6,
        expect![[r#"
            [
                a,
                b
            ], tail that is long"#]],
    );
}

#[test]
fn texts_at_the_end_of_a_concatenation_merge_and_count_together() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    // As in erlfmt: `d.concat(&[G, "a", "ffffff"])` has "affffff" after `G`, so `G`
    // does not fit in 3 columns, while `d.concat(&[G, "a"])` does.
    let doc = |tail: Vec<Doc<'_>>| {
        let mut parts = vec![d.group(flex_break(" "))];
        parts.extend(tail);
        print(&d.concat(&parts), 3)
    };
    assert_eq!(doc(vec![text("a"), text("ffffff")]), "\naffffff");
    assert_eq!(doc(vec![text("a")]), " a");
}

#[test]
fn a_group_without_breaks_always_fits() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    check(
        d.group(text("a_very_long_atom")),
        4,
        expect!["a_very_long_atom"],
    );
}

#[test]
fn a_line_does_not_break_its_group() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    // Clauses separated by line(), bodies after `->` with a break: the group stays
    // flat, so each body stays on its clause's line, as erlfmt prints short clauses.
    let clause = |head: &'static str, body: &'static str| {
        d.concat(&[
            text(head),
            text(" "),
            d.nest(d.concat(&[text("->"), space_break(), text(body)]), 4),
        ])
    };
    let doc = d.group(d.concat(&[
        clause("f(a)", "ok"),
        text(";"),
        line(),
        clause("f(b)", "error"),
        text("."),
    ]));
    check(
        doc,
        100,
        expect![[r#"
            f(a) -> ok;
            f(b) -> error."#]],
    );
}

#[test]
fn force_breaks_breaks_the_enclosing_groups() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = d.group(d.concat(&[
        text("f() ->"),
        d.nest(
            d.concat(&[
                space_break(),
                d.group(d.concat(&[force_breaks(), text("a,"), line(), text("b")])),
            ]),
            4,
        ),
    ]));
    check(
        doc,
        100,
        expect![[r#"
            f() ->
                a,
                b"#]],
    );
}

#[test]
fn nest_if_break_indents_only_in_a_broken_group() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = |width| {
        print(
            &d.group(d.concat(&[
                text("X ="),
                d.nest_if_break(d.concat(&[space_break(), text("some_long_call()")]), 4),
            ])),
            width,
        )
    };
    assert_eq!(doc(100), "X = some_long_call()");
    assert_eq!(doc(10), "X =\n    some_long_call()");
}

#[test]
fn flex_breaks_fill_lines() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let mut parts = vec![text("{")];
    for (i, word) in ["aaa", "bbb", "ccc", "ddd", "eee"].iter().enumerate() {
        if i > 0 {
            parts.push(text(","));
            parts.push(flex_break(" "));
        }
        parts.push(text(word));
    }
    parts.push(text("}"));
    let doc = d.group(d.nest(d.concat(&parts), 4));
    check(
        doc,
        12,
        // "    ccc, ddd," would be 13 columns: the comma after the next element
        // counts when a flex break is decided.
        expect![[r#"
            {aaa, bbb,
                ccc,
                ddd,
                eee}"#]],
    );
}

#[test]
fn next_break_fits_lets_a_last_argument_hug() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    // foo(A, [ ...long... ]) keeps `foo(A, [` on the first line: the call's group
    // stays flat (its arguments are nested only when it breaks), the list breaks.
    let arg = list(d, &["element_one", "element_two", "element_three"]);
    let call = d.group(d.concat(&[
        text("foo("),
        d.nest_if_break(
            d.concat(&[
                soft_break(),
                text("A,"),
                space_break(),
                d.next_break_fits(arg),
            ]),
            4,
        ),
        soft_break(),
        text(")"),
    ]));
    check(
        d.next_break_fits_disabled(call),
        30,
        expect![[r#"
            foo(A, [
                element_one,
                element_two,
                element_three
            ])"#]],
    );
}

#[test]
fn blank_lines_and_indentation() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = d.concat(&[
        text("a."),
        lines(2),
        text("b() ->"),
        d.nest(d.concat(&[line(), text("ok.")]), 4),
    ]);
    check(
        doc,
        100,
        expect![[r#"
            a.

            b() ->
                ok."#]],
    );
}

#[test]
fn if_break_follows_the_group() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = |width| {
        print(
            &d.group(d.concat(&[
                text("x"),
                space_break(),
                text("y"),
                d.if_break(text(","), empty()),
            ])),
            width,
        )
    };
    assert_eq!(doc(10), "x y");
    assert_eq!(doc(2), "x\ny,");
}

#[test]
fn a_line_suffix_goes_before_the_line_break() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = d.concat(&[
        text("a"),
        d.line_suffix(text(" % note")),
        text(","),
        line(),
        text("b"),
    ]);
    check(
        doc,
        100,
        expect![[r#"
            a, % note
            b"#]],
    );
}

#[test]
fn verbatim_text_keeps_its_lines_and_moves_the_column() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let doc = d.group(d.concat(&[
        verbatim("x = \"\"\"\n  text\n  \"\"\""),
        text(","),
        space_break(),
        text("y"),
    ]));
    check(
        doc,
        100,
        expect![[r#"
            x = """
              text
              """, y"#]],
    );
}

#[test]
fn wide_characters_count_two_columns() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    // Seven columns: fits in 7, not in 6.
    let doc = d.group(d.concat(&[text("ab"), space_break(), text("日本")]));
    assert_eq!(print(&doc, 6), "ab\n日本");
    assert_eq!(print(&doc, 7), "ab 日本");
}

#[test]
fn a_document_is_three_words() {
    // Documents are copied around and held in slices: keep them small.
    assert!(
        std::mem::size_of::<Doc<'_>>() <= 24,
        "{}",
        std::mem::size_of::<Doc<'_>>()
    );
}

#[test]
fn texts_made_on_the_way_live_in_the_arena() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let owned = String::from("owned");
    let doc = d.concat(&[text(d.str(&owned)), text(d.format(format_args!("-{}", 42)))]);
    drop(owned);
    assert_eq!(print(&doc, 100), "owned-42");
}

#[test]
fn a_break_in_a_nested_group_counts_only_to_that_groups_end() {
    let bump = Bump::new();
    let d = Docs::new(&bump);
    let inner = d.group(d.concat(&[text("aa"), space_break(), text("bb")]));
    // The outer group is 9 wide, but its only break is inside `inner`, which
    // ends at column 5: it fits. `inner` then sees `cccc` right after it and breaks.
    let outer = d.group(d.concat(&[inner, text("cccc")]));
    check(
        outer,
        8,
        expect![[r#"
            aa
            bbcccc"#]],
    );
    // A break of the outer group's own counts to the end of it.
    let outer = d.group(d.concat(&[inner, space_break(), text("cccc")]));
    check(
        outer,
        8,
        expect![[r#"
            aa bb
            cccc"#]],
    );
}
