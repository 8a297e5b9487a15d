//! Tests of how a file is cut into erlfmt's chunks and comment blocks.

use expect_test::{Expect, expect};
use syntax::{LineIndex, ParseOptions};

use super::{Ignore, ignore_state, split_chunks};

/// Each chunk: its text, then its comment blocks as `line-line: text | text`.
/// The chunks are the same whether a form's tokens are read from the lexer's
/// or from the tree.
fn check_chunks(text: &str, expected: Expect) {
    let from_tree = chunks(text, false);
    assert_eq!(chunks(text, true), from_tree);
    expected.assert_eq(&from_tree);
}

fn chunks(text: &str, lexer_tokens: bool) -> String {
    let parse = syntax::parse_flat(text, &ParseOptions::default());
    let index = LineIndex::new(text);
    let bump = bumpalo::Bump::new();
    let mut out = String::new();
    let tokens = lexer_tokens.then_some(parse.tokens.as_slice());
    for chunk in split_chunks(parse.tree.root(text), text, &index, &bump, tokens) {
        out.push_str(&format!("{:?}\n", &text[chunk.range]));
        for block in chunk.comments {
            out.push_str(&format!(
                "  {}-{}: {}\n",
                block.loc.line,
                block.end.line,
                block.lines.join(" | ")
            ));
        }
    }
    out
}

#[test]
fn comments_before_a_form_and_on_the_line_of_its_dot_are_its_own() {
    check_chunks(
        "%% a\n%% b\n\n%% c\n-module(x). % d\n% e\nf() -> ok.\n% tail\n",
        expect![[r#"
            "%% a\n%% b\n\n%% c\n-module(x). % d"
              1-2: %% a | %% b
              4-4: %% c
              5-5: % d
            "% e\nf() -> ok."
              6-6: % e
            "% tail\n"
              8-8: % tail
        "#]],
    );
}

#[test]
fn a_comment_after_a_token_on_its_line_stands_alone() {
    check_chunks(
        "f() ->\n    a, % one\n       % two\n    % three\n    b.\n",
        expect![[r#"
            "f() ->\n    a, % one\n       % two\n    % three\n    b."
              2-2: % one
              3-4: % two | % three
        "#]],
    );
}

#[test]
fn ignore_comments_follow_erlfmt_states() {
    let comment = |text: &'static str| super::Comment {
        loc: Default::default(),
        end: Default::default(),
        lines: vec![text].leak(),
    };
    let after = |text: &'static str, state| ignore_state([comment(text)].iter(), state);
    assert_eq!(after("% erlfmt:ignore", Ignore::No), Ignore::Next);
    assert_eq!(after("%% erlfmt-ignore because", Ignore::No), Ignore::Next);
    assert_eq!(after("% erlkit:fmt-ignore", Ignore::No), Ignore::Next);
    assert_eq!(after("% erlfmt:ignore-begin", Ignore::No), Ignore::Section);
    assert_eq!(after("% erlfmt:ignore-end", Ignore::Section), Ignore::No);
    assert_eq!(after("% erlfmt:ignored", Ignore::No), Ignore::No);
    assert_eq!(after("% a comment", Ignore::Section), Ignore::Section);
}
