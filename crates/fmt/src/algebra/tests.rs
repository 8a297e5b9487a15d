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
fn list<'a>(items: &[&'a str]) -> Doc<'a> {
    let mut parts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            parts.push(text(","));
            parts.push(space_break());
        }
        parts.push(text(*item));
    }
    group(concat([
        text("["),
        nest(concat([soft_break(), concat(parts)]), 4),
        soft_break(),
        text("]"),
    ]))
}

#[test]
fn a_group_that_fits_is_flat() {
    check(list(&["a", "b", "c"]), 20, expect!["[a, b, c]"]);
}

#[test]
fn a_group_that_does_not_fit_breaks_every_break() {
    check(
        list(&["alpha", "beta", "gamma"]),
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
    // "[a, b]" is 6 wide; with "," after it, 7: fits in 7, not in 6. What comes after
    // the break that follows is not measured.
    let doc = concat([
        list(&["a", "b"]),
        text(","),
        space_break(),
        text("tail that is long"),
    ]);
    check(doc.clone(), 7, expect!["[a, b], tail that is long"]);
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
    // As in erlfmt: `concat([G, "a", "ffffff"])` has "affffff" after `G`, so `G`
    // does not fit in 3 columns, while `concat([G, "a"])` does.
    let doc = |tail: Vec<Doc<'static>>| {
        let mut parts = vec![group(flex_break(" "))];
        parts.extend(tail);
        print(&concat(parts), 3)
    };
    assert_eq!(doc(vec![text("a"), text("ffffff")]), "\naffffff");
    assert_eq!(doc(vec![text("a")]), " a");
}

#[test]
fn a_group_without_breaks_always_fits() {
    check(
        group(text("a_very_long_atom")),
        4,
        expect!["a_very_long_atom"],
    );
}

#[test]
fn a_line_does_not_break_its_group() {
    // Clauses separated by line(), bodies after `->` with a break: the group stays
    // flat, so each body stays on its clause's line, as erlfmt prints short clauses.
    let clause = |head: &'static str, body: &'static str| {
        concat([
            text(head),
            text(" "),
            nest(concat([text("->"), space_break(), text(body)]), 4),
        ])
    };
    let doc = group(concat([
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
    let doc = group(concat([
        text("f() ->"),
        nest(
            concat([
                space_break(),
                group(concat([force_breaks(), text("a,"), line(), text("b")])),
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
    let doc = |width| {
        print(
            &group(concat([
                text("X ="),
                nest_if_break(concat([space_break(), text("some_long_call()")]), 4),
            ])),
            width,
        )
    };
    assert_eq!(doc(100), "X = some_long_call()");
    assert_eq!(doc(10), "X =\n    some_long_call()");
}

#[test]
fn flex_breaks_fill_lines() {
    let mut parts = vec![text("{")];
    for (i, word) in ["aaa", "bbb", "ccc", "ddd", "eee"].iter().enumerate() {
        if i > 0 {
            parts.push(text(","));
            parts.push(flex_break(" "));
        }
        parts.push(text(*word));
    }
    parts.push(text("}"));
    let doc = group(nest(concat(parts), 4));
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
    // foo(A, [ ...long... ]) keeps `foo(A, [` on the first line: the call's group
    // stays flat (its arguments are nested only when it breaks), the list breaks.
    let arg = list(&["element_one", "element_two", "element_three"]);
    let call = group(concat([
        text("foo("),
        nest_if_break(
            concat([
                soft_break(),
                text("A,"),
                space_break(),
                next_break_fits(arg),
            ]),
            4,
        ),
        soft_break(),
        text(")"),
    ]));
    check(
        next_break_fits_disabled(call),
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
    let doc = concat([
        text("a."),
        lines(2),
        text("b() ->"),
        nest(concat([line(), text("ok.")]), 4),
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
    let doc = |width| {
        print(
            &group(concat([
                text("x"),
                space_break(),
                text("y"),
                if_break(text(","), empty()),
            ])),
            width,
        )
    };
    assert_eq!(doc(10), "x y");
    assert_eq!(doc(2), "x\ny,");
}

#[test]
fn a_line_suffix_goes_before_the_line_break() {
    let doc = concat([
        text("a"),
        line_suffix(text(" % note")),
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
    let doc = group(concat([
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
    // Seven columns: fits in 7, not in 6.
    let doc = group(concat([text("ab"), space_break(), text("日本")]));
    assert_eq!(print(&doc, 6), "ab\n日本");
    assert_eq!(print(&doc, 7), "ab 日本");
}
