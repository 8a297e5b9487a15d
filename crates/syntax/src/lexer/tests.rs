//! Tests of the lexer: small expect-test cases per rule, properties, and the OTP corpus.

use std::path::{Path, PathBuf};

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::{LexOptions, tokenize};
use crate::{FileKind, OtpRelease};

const OTP25: LexOptions = LexOptions {
    release: OtpRelease(25),
    file_kind: FileKind::Module,
};
const OTP27: LexOptions = LexOptions {
    release: OtpRelease(27),
    file_kind: FileKind::Module,
};
const OTP28: LexOptions = LexOptions {
    release: OtpRelease(28),
    file_kind: FileKind::Module,
};

/// One token a line, `KIND len "text"`, then the errors.
fn dump(input: &str, options: &LexOptions) -> String {
    let (tokens, errors) = tokenize(input, options);
    let mut out = String::new();
    let mut offset = 0;
    for token in &tokens {
        let end = offset + token.len as usize;
        let text = input.get(offset..end).unwrap_or("<not at a char boundary>");
        out.push_str(&format!("{:?} {} {:?}\n", token.kind, token.len, text));
        offset = end;
    }
    assert_eq!(offset, input.len(), "token lengths do not add up");
    for error in &errors {
        out.push_str(&format!("error {:?}: {}\n", error.range, error.message));
    }
    out
}

fn check(input: &str, expect: Expect) {
    check_with(input, &LexOptions::default(), expect);
}

fn check_with(input: &str, options: &LexOptions, expect: Expect) {
    expect.assert_eq(&dump(input, options));
}

#[test]
fn empty() {
    check("", expect![[""]]);
}

#[test]
fn whitespace() {
    check(
        " \t\n\r\n\x0b\x0c\0\u{1f}x\u{a0}\u{85}\u{80} y",
        expect![[r#"
            WHITESPACE 9 " \t\n\r\n\u{b}\u{c}\0\u{1f}"
            ATOM 1 "x"
            WHITESPACE 7 "\u{a0}\u{85}\u{80} "
            ATOM 1 "y"
        "#]],
    );
}

#[test]
fn byte_order_mark() {
    check(
        "\u{feff}-module(m).",
        expect![[r#"
            WHITESPACE 3 "\u{feff}"
            MINUS 1 "-"
            ATOM 6 "module"
            L_PAREN 1 "("
            ATOM 1 "m"
            R_PAREN 1 ")"
            DOT 1 "."
        "#]],
    );
    check(
        "a\u{feff}",
        expect![[r#"
            ATOM 1 "a"
            ERROR 3 "\u{feff}"
            error 1..4: unexpected character '\u{feff}'
        "#]],
    );
}

#[test]
fn comments() {
    check(
        "% one\n%% two\r\nx % three\n%",
        expect![[r#"
            COMMENT 5 "% one"
            WHITESPACE 1 "\n"
            COMMENT 6 "%% two"
            WHITESPACE 2 "\r\n"
            ATOM 1 "x"
            WHITESPACE 1 " "
            COMMENT 7 "% three"
            WHITESPACE 1 "\n"
            COMMENT 1 "%"
        "#]],
    );
    check(
        "%\r\n%\r",
        expect![[r#"
            COMMENT 1 "%"
            WHITESPACE 2 "\r\n"
            COMMENT 2 "%\r"
        "#]],
    );
}

#[test]
fn shebang() {
    let escript = LexOptions {
        file_kind: FileKind::Escript,
        ..LexOptions::default()
    };
    check_with(
        "#!/usr/bin/env escript\r\n%%! -smp\nmain(_) -> ok.\n",
        &escript,
        expect![[r##"
            SHEBANG 22 "#!/usr/bin/env escript"
            WHITESPACE 2 "\r\n"
            COMMENT 8 "%%! -smp"
            WHITESPACE 1 "\n"
            ATOM 4 "main"
            L_PAREN 1 "("
            VAR 1 "_"
            R_PAREN 1 ")"
            WHITESPACE 1 " "
            ARROW 2 "->"
            WHITESPACE 1 " "
            ATOM 2 "ok"
            DOT 1 "."
            WHITESPACE 1 "\n"
        "##]],
    );
    check_with(
        "#!",
        &escript,
        expect![[r##"
            SHEBANG 2 "#!"
        "##]],
    );
    check(
        "#!/bin/sh",
        expect![[r##"
            POUND 1 "#"
            BANG 1 "!"
            SLASH 1 "/"
            ATOM 3 "bin"
            SLASH 1 "/"
            ATOM 2 "sh"
        "##]],
    );
    check_with(
        "x.\n#!/bin/sh",
        &escript,
        expect![[r##"
            ATOM 1 "x"
            DOT 1 "."
            WHITESPACE 1 "\n"
            POUND 1 "#"
            BANG 1 "!"
            SLASH 1 "/"
            ATOM 3 "bin"
            SLASH 1 "/"
            ATOM 2 "sh"
        "##]],
    );
}

#[test]
fn atoms() {
    check(
        "foo fooBar@baz_1 ßa ÿ øÀ a×b",
        expect![[r#"
            ATOM 3 "foo"
            WHITESPACE 1 " "
            ATOM 12 "fooBar@baz_1"
            WHITESPACE 1 " "
            ATOM 3 "ßa"
            WHITESPACE 1 " "
            ATOM 2 "ÿ"
            WHITESPACE 1 " "
            ATOM 4 "øÀ"
            WHITESPACE 1 " "
            ATOM 1 "a"
            ERROR 2 "×"
            ATOM 1 "b"
            error 30..32: unexpected character '×'
        "#]],
    );
}

#[test]
fn keywords() {
    check(
        "case of end fun maybe else andalso orelse bnot cond let catch casey",
        expect![[r#"
            CASE_KW 4 "case"
            WHITESPACE 1 " "
            OF_KW 2 "of"
            WHITESPACE 1 " "
            END_KW 3 "end"
            WHITESPACE 1 " "
            FUN_KW 3 "fun"
            WHITESPACE 1 " "
            ATOM 5 "maybe"
            WHITESPACE 1 " "
            ATOM 4 "else"
            WHITESPACE 1 " "
            ANDALSO_KW 7 "andalso"
            WHITESPACE 1 " "
            ORELSE_KW 6 "orelse"
            WHITESPACE 1 " "
            BNOT_KW 4 "bnot"
            WHITESPACE 1 " "
            COND_KW 4 "cond"
            WHITESPACE 1 " "
            LET_KW 3 "let"
            WHITESPACE 1 " "
            CATCH_KW 5 "catch"
            WHITESPACE 1 " "
            ATOM 5 "casey"
        "#]],
    );
}

#[test]
fn quoted_atoms() {
    check(
        r"'a b' 'it\'s' '\\' 'case' ''",
        expect![[r#"
            ATOM 5 "'a b'"
            WHITESPACE 1 " "
            ATOM 7 "'it\\'s'"
            WHITESPACE 1 " "
            ATOM 4 "'\\\\'"
            WHITESPACE 1 " "
            ATOM 6 "'case'"
            WHITESPACE 1 " "
            ATOM 2 "''"
        "#]],
    );
    check(
        "'multi\nline' x",
        expect![[r#"
            ATOM 12 "'multi\nline'"
            WHITESPACE 1 " "
            ATOM 1 "x"
        "#]],
    );
    check(
        "f('abc).\n",
        expect![[r#"
            ATOM 1 "f"
            L_PAREN 1 "("
            ATOM 7 "'abc).\n"
            error 2..3: unterminated quoted atom
        "#]],
    );
    check(
        r"'ab\",
        expect![[r#"
            ATOM 4 "'ab\\"
            error 0..1: unterminated quoted atom
        "#]],
    );
}

#[test]
fn long_names() {
    let long = "a".repeat(255);
    check(
        &long,
        expect![[r#"
        ATOM 255 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    "#]],
    );
    let (_, errors) = tokenize(&format!("{long}a"), &LexOptions::default());
    assert_eq!(errors.len(), 1);
    let (_, errors) = tokenize(&format!("X{long}"), &LexOptions::default());
    assert_eq!(errors.len(), 1);
    let (_, errors) = tokenize(&format!("'{}'", "ä".repeat(255)), &LexOptions::default());
    assert!(errors.is_empty());
    let (_, errors) = tokenize(&format!("'{}'", r"\n".repeat(255)), &LexOptions::default());
    assert!(errors.is_empty());
    let (_, errors) = tokenize(
        &format!("'{}'", r"\x{1F600}".repeat(256)),
        &LexOptions::default(),
    );
    assert_eq!(errors.len(), 1);
}

#[test]
fn variables() {
    check(
        "X _ _Foo Foo_Bar@1 Àb Øyvind Þ",
        expect![[r#"
            VAR 1 "X"
            WHITESPACE 1 " "
            VAR 1 "_"
            WHITESPACE 1 " "
            VAR 4 "_Foo"
            WHITESPACE 1 " "
            VAR 9 "Foo_Bar@1"
            WHITESPACE 1 " "
            VAR 3 "Àb"
            WHITESPACE 1 " "
            VAR 7 "Øyvind"
            WHITESPACE 1 " "
            VAR 2 "Þ"
        "#]],
    );
}

#[test]
fn integers() {
    check(
        "123 1_000_000 1__0 1_ 16#FF 2#1010 36#zz 2#102 1_6#f_F 16#_1",
        expect![[r#"
            INTEGER 3 "123"
            WHITESPACE 1 " "
            INTEGER 9 "1_000_000"
            WHITESPACE 1 " "
            INTEGER 1 "1"
            VAR 3 "__0"
            WHITESPACE 1 " "
            INTEGER 1 "1"
            VAR 1 "_"
            WHITESPACE 1 " "
            INTEGER 5 "16#FF"
            WHITESPACE 1 " "
            INTEGER 6 "2#1010"
            WHITESPACE 1 " "
            INTEGER 5 "36#zz"
            WHITESPACE 1 " "
            INTEGER 4 "2#10"
            INTEGER 1 "2"
            WHITESPACE 1 " "
            INTEGER 7 "1_6#f_F"
            WHITESPACE 1 " "
            INTEGER 3 "16#"
            VAR 2 "_1"
            error 55..58: no base-16 digits after '#'
        "#]],
    );
    check(
        "1#0 37#1 0#",
        expect![[r##"
            INTEGER 1 "1"
            POUND 1 "#"
            INTEGER 1 "0"
            WHITESPACE 1 " "
            INTEGER 2 "37"
            POUND 1 "#"
            INTEGER 1 "1"
            WHITESPACE 1 " "
            INTEGER 1 "0"
            POUND 1 "#"
            error 0..1: illegal base '1'
            error 4..6: illegal base '37'
            error 9..10: illegal base '0'
        "##]],
    );
}

#[test]
fn floats() {
    check(
        "1.5 1.0e10 2.5E-3 1_0.0_1 1.5e+5_0 0.0",
        expect![[r#"
            FLOAT 3 "1.5"
            WHITESPACE 1 " "
            FLOAT 6 "1.0e10"
            WHITESPACE 1 " "
            FLOAT 6 "2.5E-3"
            WHITESPACE 1 " "
            FLOAT 7 "1_0.0_1"
            WHITESPACE 1 " "
            FLOAT 8 "1.5e+5_0"
            WHITESPACE 1 " "
            FLOAT 3 "0.0"
        "#]],
    );
}

#[test]
fn float_edges() {
    check(
        "1.\n2.e5 3.0e 4.0E+ 5._1 6.0e_1",
        expect![[r#"
            INTEGER 1 "1"
            DOT 1 "."
            WHITESPACE 1 "\n"
            INTEGER 1 "2"
            DOT 1 "."
            ATOM 2 "e5"
            WHITESPACE 1 " "
            FLOAT 3 "3.0"
            ATOM 1 "e"
            WHITESPACE 1 " "
            FLOAT 3 "4.0"
            VAR 1 "E"
            PLUS 1 "+"
            WHITESPACE 1 " "
            INTEGER 1 "5"
            DOT 1 "."
            VAR 2 "_1"
            WHITESPACE 1 " "
            FLOAT 3 "6.0"
            ATOM 3 "e_1"
            error 8..12: illegal float: no digits in the exponent
            error 13..18: illegal float: no digits in the exponent
            error 24..28: illegal float: no digits in the exponent
        "#]],
    );
    check(
        "X = [1..2], 1...",
        expect![[r#"
            VAR 1 "X"
            WHITESPACE 1 " "
            EQ 1 "="
            WHITESPACE 1 " "
            L_BRACK 1 "["
            INTEGER 1 "1"
            DOT2 2 ".."
            INTEGER 1 "2"
            R_BRACK 1 "]"
            COMMA 1 ","
            WHITESPACE 1 " "
            INTEGER 1 "1"
            DOT3 3 "..."
        "#]],
    );
}

#[test]
fn based_floats_from_otp_28() {
    let input = "16#1.8#e2 2#0.1 16#ff.ff 2#1.1#E-3 16#1.0#x 16#1.0#e";
    check_with(
        input,
        &OTP28,
        expect![[r##"
            FLOAT 9 "16#1.8#e2"
            WHITESPACE 1 " "
            FLOAT 5 "2#0.1"
            WHITESPACE 1 " "
            FLOAT 8 "16#ff.ff"
            WHITESPACE 1 " "
            FLOAT 9 "2#1.1#E-3"
            WHITESPACE 1 " "
            FLOAT 6 "16#1.0"
            POUND 1 "#"
            ATOM 1 "x"
            WHITESPACE 1 " "
            FLOAT 6 "16#1.0"
            POUND 1 "#"
            ATOM 1 "e"
            error 35..42: illegal based float: '#' must start an exponent
            error 44..52: illegal float: no digits in the exponent
        "##]],
    );
    check_with(
        "16#1.8#e2 2#0.1",
        &OTP27,
        expect![[r#"
            INTEGER 4 "16#1"
            DOT 1 "."
            INTEGER 2 "8#"
            ATOM 2 "e2"
            WHITESPACE 1 " "
            INTEGER 3 "2#0"
            DOT 1 "."
            INTEGER 1 "1"
            error 5..7: no base-8 digits after '#'
        "#]],
    );
}

#[test]
fn chars() {
    check(
        r#"$a $\n $\\ $\' $\" $\s $\d $\e $\7 $\17 $\177 $\1777 $\x41 $\x{1F600} $\^A $\^a $€"#,
        expect![[r#"
            CHAR 2 "$a"
            WHITESPACE 1 " "
            CHAR 3 "$\\n"
            WHITESPACE 1 " "
            CHAR 3 "$\\\\"
            WHITESPACE 1 " "
            CHAR 3 "$\\'"
            WHITESPACE 1 " "
            CHAR 3 "$\\\""
            WHITESPACE 1 " "
            CHAR 3 "$\\s"
            WHITESPACE 1 " "
            CHAR 3 "$\\d"
            WHITESPACE 1 " "
            CHAR 3 "$\\e"
            WHITESPACE 1 " "
            CHAR 3 "$\\7"
            WHITESPACE 1 " "
            CHAR 4 "$\\17"
            WHITESPACE 1 " "
            CHAR 5 "$\\177"
            WHITESPACE 1 " "
            CHAR 5 "$\\177"
            INTEGER 1 "7"
            WHITESPACE 1 " "
            CHAR 5 "$\\x41"
            WHITESPACE 1 " "
            CHAR 10 "$\\x{1F600}"
            WHITESPACE 1 " "
            CHAR 4 "$\\^A"
            WHITESPACE 1 " "
            CHAR 4 "$\\^a"
            WHITESPACE 1 " "
            CHAR 4 "$€"
        "#]],
    );
    check(
        "$ $\n$\t$%$\"$'$$",
        expect![[r#"
            CHAR 2 "$ "
            CHAR 2 "$\n"
            CHAR 2 "$\t"
            CHAR 2 "$%"
            CHAR 2 "$\""
            CHAR 2 "$'"
            CHAR 2 "$$"
        "#]],
    );
}

#[test]
fn char_errors() {
    check(
        "$",
        expect![[r#"
            CHAR 1 "$"
            error 0..1: unterminated character
        "#]],
    );
    check(
        "$\\",
        expect![[r#"
            CHAR 2 "$\\"
            error 0..2: unterminated character
        "#]],
    );
    check(
        r"$\x{110000} $\xg $\x{} $\x{41 x",
        expect![[r#"
            CHAR 11 "$\\x{110000}"
            WHITESPACE 1 " "
            CHAR 3 "$\\x"
            ATOM 1 "g"
            WHITESPACE 1 " "
            CHAR 5 "$\\x{}"
            WHITESPACE 1 " "
            CHAR 6 "$\\x{41"
            WHITESPACE 1 " "
            ATOM 1 "x"
            error 1..11: invalid escape sequence: not a Unicode character
            error 13..15: invalid escape sequence: expected two hex digits or '{' after '\x'
            error 18..22: invalid escape sequence: not a Unicode character
            error 24..29: invalid escape sequence: missing '}'
        "#]],
    );
    check(
        "$\\^",
        expect![[r#"
            CHAR 3 "$\\^"
            error 0..3: unterminated character
        "#]],
    );
}

#[test]
fn strings() {
    check(
        r#""abc" "a\"b" "\\" "" "€""#,
        expect![[r#"
            STRING 5 "\"abc\""
            WHITESPACE 1 " "
            STRING 6 "\"a\\\"b\""
            WHITESPACE 1 " "
            STRING 4 "\"\\\\\""
            WHITESPACE 1 " "
            STRING 2 "\"\""
            WHITESPACE 1 " "
            STRING 5 "\"€\""
        "#]],
    );
    check(
        "\"line one\nline two\" x",
        expect![[r#"
            STRING 19 "\"line one\nline two\""
            WHITESPACE 1 " "
            ATOM 1 "x"
        "#]],
    );
    check(
        "f(\"abc).\n",
        expect![[r#"
            ATOM 1 "f"
            L_PAREN 1 "("
            STRING 7 "\"abc).\n"
            error 2..3: unterminated string
        "#]],
    );
    check(
        r#""\x{zz}" "ok""#,
        expect![[r#"
            STRING 8 "\"\\x{zz}\""
            WHITESPACE 1 " "
            STRING 4 "\"ok\""
            error 1..4: invalid escape sequence: missing '}'
        "#]],
    );
}

#[test]
fn triple_quoted_strings() {
    check(
        "X = \"\"\"\n  Hello\n    \"world\"\n\n  \"\"\".",
        expect![[r#"
            VAR 1 "X"
            WHITESPACE 1 " "
            EQ 1 "="
            WHITESPACE 1 " "
            STRING 30 "\"\"\"\n  Hello\n    \"world\"\n\n  \"\"\""
            DOT 1 "."
        "#]],
    );
    check(
        "\"\"\"\" \n  \"\"\" still inside\n  \"\"\"\"\n",
        expect![[r#"
            STRING 31 "\"\"\"\" \n  \"\"\" still inside\n  \"\"\"\""
            WHITESPACE 1 "\n"
        "#]],
    );
    check(
        "\"\"\"\r\n  a\r\n\r\n  \"\"\"\"",
        expect![[r#"
            STRING 17 "\"\"\"\r\n  a\r\n\r\n  \"\"\""
            STRING 1 "\""
            error 17..18: unterminated string
        "#]],
    );
}

#[test]
fn triple_quoted_errors() {
    check(
        "\"\"\"abc\"\"\"\nx\n\"\"\"",
        expect![[r#"
            STRING 15 "\"\"\"abc\"\"\"\nx\n\"\"\""
            error 3..9: non-whitespace after start of triple-quoted string
        "#]],
    );
    check(
        "\"\"\"\n  a\n b\n  \"\"\"",
        expect![[r#"
            STRING 16 "\"\"\"\n  a\n b\n  \"\"\""
            error 8..10: bad indentation in triple-quoted string
        "#]],
    );
    check(
        "\"\"\"\n  a\n \"\"",
        expect![[r#"
            STRING 11 "\"\"\"\n  a\n \"\""
            error 0..3: unterminated triple-quoted string
        "#]],
    );
    check(
        "\"\"\"",
        expect![[r#"
            STRING 3 "\"\"\""
            error 0..3: unterminated triple-quoted string
        "#]],
    );
}

#[test]
fn triple_quotes_before_otp_27() {
    check_with(
        "\"\"\"\n  a\n  \"\"\"",
        &OTP25,
        expect![[r#"
            STRING 2 "\"\""
            STRING 9 "\"\n  a\n  \""
            STRING 2 "\"\""
        "#]],
    );
}

#[test]
fn sigils() {
    check(
        r#"~"abc" ~b"a\"b" ~s(a\)b) ~B"a\"b" ~S[\]] ~<a> ~/re/ ~|x| ~'x' ~`x` ~#x# ~{x}"#,
        expect![[r#"
            SIGIL_STRING 6 "~\"abc\""
            WHITESPACE 1 " "
            SIGIL_STRING 8 "~b\"a\\\"b\""
            WHITESPACE 1 " "
            SIGIL_STRING 8 "~s(a\\)b)"
            WHITESPACE 1 " "
            SIGIL_STRING 8 "~B\"a\\\"b\""
            WHITESPACE 1 " "
            SIGIL_STRING 6 "~S[\\]]"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~<a>"
            WHITESPACE 1 " "
            SIGIL_STRING 5 "~/re/"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~|x|"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~'x'"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~`x`"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~#x#"
            WHITESPACE 1 " "
            SIGIL_STRING 4 "~{x}"
        "#]],
    );
    check(
        "~\"x\"foo_1 ~r/a/i, ~B\"\"\"\n  \\x\n  \"\"\"sfx ~(a(b)c)",
        expect![[r#"
            SIGIL_STRING 9 "~\"x\"foo_1"
            WHITESPACE 1 " "
            SIGIL_STRING 6 "~r/a/i"
            COMMA 1 ","
            WHITESPACE 1 " "
            SIGIL_STRING 19 "~B\"\"\"\n  \\x\n  \"\"\"sfx"
            WHITESPACE 1 " "
            SIGIL_STRING 7 "~(a(b)c"
            R_PAREN 1 ")"
        "#]],
    );
}

#[test]
fn sigil_errors() {
    check(
        r"~B[\\] ~b[\\] ~x ~",
        expect![[r#"
            SIGIL_STRING 18 "~B[\\\\] ~b[\\\\] ~x ~"
            error 0..3: unterminated sigil string
        "#]],
    );
    check(
        r"~b[\\] ~x ~",
        expect![[r#"
            SIGIL_STRING 6 "~b[\\\\]"
            WHITESPACE 1 " "
            ERROR 2 "~x"
            WHITESPACE 1 " "
            ERROR 1 "~"
            error 7..9: expected a string delimiter after sigil prefix '~x'
            error 10..11: expected a string delimiter after sigil prefix '~'
        "#]],
    );
    check_with(
        r#"~"abc""#,
        &OTP25,
        expect![[r#"
            ERROR 1 "~"
            STRING 5 "\"abc\""
            error 0..1: unexpected character '~'
        "#]],
    );
}

#[test]
fn punctuation() {
    check(
        "( ) [ ] { } , ; . .. ... : :: := -> => <- <= <:- <:= && || | ! = == /= =:= =/= < > >= =< + - * / ++ -- # ? ?? ?= << >>",
        expect![[r##"
            L_PAREN 1 "("
            WHITESPACE 1 " "
            R_PAREN 1 ")"
            WHITESPACE 1 " "
            L_BRACK 1 "["
            WHITESPACE 1 " "
            R_BRACK 1 "]"
            WHITESPACE 1 " "
            L_CURLY 1 "{"
            WHITESPACE 1 " "
            R_CURLY 1 "}"
            WHITESPACE 1 " "
            COMMA 1 ","
            WHITESPACE 1 " "
            SEMICOLON 1 ";"
            WHITESPACE 1 " "
            DOT 1 "."
            WHITESPACE 1 " "
            DOT2 2 ".."
            WHITESPACE 1 " "
            DOT3 3 "..."
            WHITESPACE 1 " "
            COLON 1 ":"
            WHITESPACE 1 " "
            COLON2 2 "::"
            WHITESPACE 1 " "
            COLON_EQ 2 ":="
            WHITESPACE 1 " "
            ARROW 2 "->"
            WHITESPACE 1 " "
            FAT_ARROW 2 "=>"
            WHITESPACE 1 " "
            L_ARROW 2 "<-"
            WHITESPACE 1 " "
            L_DOUBLE_ARROW 2 "<="
            WHITESPACE 1 " "
            L_ARROW_STRICT 3 "<:-"
            WHITESPACE 1 " "
            L_DOUBLE_ARROW_STRICT 3 "<:="
            WHITESPACE 1 " "
            AMP2 2 "&&"
            WHITESPACE 1 " "
            PIPE2 2 "||"
            WHITESPACE 1 " "
            PIPE 1 "|"
            WHITESPACE 1 " "
            BANG 1 "!"
            WHITESPACE 1 " "
            EQ 1 "="
            WHITESPACE 1 " "
            EQ2 2 "=="
            WHITESPACE 1 " "
            SLASH_EQ 2 "/="
            WHITESPACE 1 " "
            EQ_COLON_EQ 3 "=:="
            WHITESPACE 1 " "
            EQ_SLASH_EQ 3 "=/="
            WHITESPACE 1 " "
            L_ANGLE 1 "<"
            WHITESPACE 1 " "
            R_ANGLE 1 ">"
            WHITESPACE 1 " "
            GT_EQ 2 ">="
            WHITESPACE 1 " "
            EQ_LT 2 "=<"
            WHITESPACE 1 " "
            PLUS 1 "+"
            WHITESPACE 1 " "
            MINUS 1 "-"
            WHITESPACE 1 " "
            STAR 1 "*"
            WHITESPACE 1 " "
            SLASH 1 "/"
            WHITESPACE 1 " "
            PLUS2 2 "++"
            WHITESPACE 1 " "
            MINUS2 2 "--"
            WHITESPACE 1 " "
            POUND 1 "#"
            WHITESPACE 1 " "
            QUESTION 1 "?"
            WHITESPACE 1 " "
            QUESTION2 2 "??"
            WHITESPACE 1 " "
            QUESTION_EQ 2 "?="
            WHITESPACE 1 " "
            L_DOUBLE_ANGLE 2 "<<"
            WHITESPACE 1 " "
            R_DOUBLE_ANGLE 2 ">>"
        "##]],
    );
}

#[test]
fn longest_match() {
    check(
        "B=<<1>> ....=:=/=/ =:x ??X ??= ?=? <<<",
        expect![[r#"
            VAR 1 "B"
            EQ_LT 2 "=<"
            L_ANGLE 1 "<"
            INTEGER 1 "1"
            R_DOUBLE_ANGLE 2 ">>"
            WHITESPACE 1 " "
            DOT3 3 "..."
            DOT 1 "."
            EQ_COLON_EQ 3 "=:="
            SLASH_EQ 2 "/="
            SLASH 1 "/"
            WHITESPACE 1 " "
            EQ 1 "="
            COLON 1 ":"
            ATOM 1 "x"
            WHITESPACE 1 " "
            QUESTION2 2 "??"
            VAR 1 "X"
            WHITESPACE 1 " "
            QUESTION 1 "?"
            QUESTION_EQ 2 "?="
            WHITESPACE 1 " "
            QUESTION_EQ 2 "?="
            QUESTION 1 "?"
            WHITESPACE 1 " "
            L_DOUBLE_ANGLE 2 "<<"
            L_ANGLE 1 "<"
        "#]],
    );
}

#[test]
fn otp_28_operators_before_otp_28() {
    check_with(
        "X <:- Y, A <:= B, C && D",
        &OTP27,
        expect![[r#"
            VAR 1 "X"
            WHITESPACE 1 " "
            L_ANGLE 1 "<"
            COLON 1 ":"
            MINUS 1 "-"
            WHITESPACE 1 " "
            VAR 1 "Y"
            COMMA 1 ","
            WHITESPACE 1 " "
            VAR 1 "A"
            WHITESPACE 1 " "
            L_ANGLE 1 "<"
            COLON_EQ 2 ":="
            WHITESPACE 1 " "
            VAR 1 "B"
            COMMA 1 ","
            WHITESPACE 1 " "
            VAR 1 "C"
            WHITESPACE 1 " "
            ERROR 1 "&"
            ERROR 1 "&"
            WHITESPACE 1 " "
            VAR 1 "D"
            error 20..21: unexpected character '&'
            error 21..22: unexpected character '&'
        "#]],
    );
}

#[test]
fn unexpected_characters() {
    check(
        "a & @ \\ ^ ` € 😀 ¡",
        expect![[r#"
            ATOM 1 "a"
            WHITESPACE 1 " "
            ERROR 1 "&"
            WHITESPACE 1 " "
            ERROR 1 "@"
            WHITESPACE 1 " "
            ERROR 1 "\\"
            WHITESPACE 1 " "
            ERROR 1 "^"
            WHITESPACE 1 " "
            ERROR 1 "`"
            WHITESPACE 1 " "
            ERROR 3 "€"
            WHITESPACE 1 " "
            ERROR 4 "😀"
            WHITESPACE 1 " "
            ERROR 2 "¡"
            error 2..3: unexpected character '&'
            error 4..5: unexpected character '@'
            error 6..7: unexpected character '\\'
            error 8..9: unexpected character '^'
            error 10..11: unexpected character '`'
            error 12..15: unexpected character '€'
            error 16..20: unexpected character '😀'
            error 21..23: unexpected character '¡'
        "#]],
    );
}

#[test]
fn a_small_module() {
    check(
        "-module(m).\n-export([f/1]).\n\nf(X) when X > 0 -> {ok, X#r.a};\nf(_) -> ok.\n",
        expect![[r##"
            MINUS 1 "-"
            ATOM 6 "module"
            L_PAREN 1 "("
            ATOM 1 "m"
            R_PAREN 1 ")"
            DOT 1 "."
            WHITESPACE 1 "\n"
            MINUS 1 "-"
            ATOM 6 "export"
            L_PAREN 1 "("
            L_BRACK 1 "["
            ATOM 1 "f"
            SLASH 1 "/"
            INTEGER 1 "1"
            R_BRACK 1 "]"
            R_PAREN 1 ")"
            DOT 1 "."
            WHITESPACE 2 "\n\n"
            ATOM 1 "f"
            L_PAREN 1 "("
            VAR 1 "X"
            R_PAREN 1 ")"
            WHITESPACE 1 " "
            WHEN_KW 4 "when"
            WHITESPACE 1 " "
            VAR 1 "X"
            WHITESPACE 1 " "
            R_ANGLE 1 ">"
            WHITESPACE 1 " "
            INTEGER 1 "0"
            WHITESPACE 1 " "
            ARROW 2 "->"
            WHITESPACE 1 " "
            L_CURLY 1 "{"
            ATOM 2 "ok"
            COMMA 1 ","
            WHITESPACE 1 " "
            VAR 1 "X"
            POUND 1 "#"
            ATOM 1 "r"
            DOT 1 "."
            ATOM 1 "a"
            R_CURLY 1 "}"
            SEMICOLON 1 ";"
            WHITESPACE 1 "\n"
            ATOM 1 "f"
            L_PAREN 1 "("
            VAR 1 "_"
            R_PAREN 1 ")"
            WHITESPACE 1 " "
            ARROW 2 "->"
            WHITESPACE 1 " "
            ATOM 2 "ok"
            DOT 1 "."
            WHITESPACE 1 "\n"
        "##]],
    );
}

/// Checks the invariants every tokenization must keep.
fn assert_invariants(text: &str, options: &LexOptions) {
    let (tokens, errors) = tokenize(text, options);
    let mut offset = 0usize;
    for token in &tokens {
        assert!(
            token.len > 0,
            "empty token {token:?} at {offset} in {text:?}"
        );
        offset += token.len as usize;
        assert!(
            text.is_char_boundary(offset),
            "token ends inside a char at {offset} in {text:?}"
        );
    }
    assert_eq!(offset, text.len(), "lengths do not add up for {text:?}");
    for error in &errors {
        assert!(
            usize::from(error.range.end()) <= text.len(),
            "{error:?} out of {text:?}"
        );
    }
    assert!(
        errors
            .windows(2)
            .all(|w| w[0].range.start() <= w[1].range.start())
    );
}

const FRAGMENTS: &[&str] = &[
    " ", "\n", "\r\n", "\t", "\u{a0}", "\u{feff}", "%", "%%c\n", "#!", "a", "Foo", "_", "ß", "Ø",
    "×", "case", "maybe", "'", "\"", "\"\"\"", "\"\"\"\n", "  \"\"\"", "$", "$\\", "\\", "\\x",
    "\\x{", "}", "\\^", "0", "1_", "16#", "#", ".", "e", "E", "+", "-", "~", "~b", "~B", "~s", "(",
    ")", "[", "]", "{", "<", ">", "/", "|", "`", "=", ":", "?", "&", "<:", "€", "😀", "\0",
];

fn release_strategy() -> impl Strategy<Value = LexOptions> {
    (
        prop::sample::select(vec![24u32, 25, 26, 27, 28, 29]),
        any::<bool>(),
    )
        .prop_map(|(release, escript)| LexOptions {
            release: OtpRelease(release),
            file_kind: if escript {
                FileKind::Escript
            } else {
                FileKind::Module
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_text_never_panics(text in any::<String>(), options in release_strategy()) {
        assert_invariants(&text, &options);
    }

    #[test]
    fn erlang_fragments_never_panic(
        parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..40),
        options in release_strategy(),
    ) {
        assert_invariants(&parts.concat(), &options);
    }
}

/// The root of the installed OTP, from `erl` itself; `None` when there is no `erl`.
pub(crate) fn otp_root() -> Option<(PathBuf, u32)> {
    let output = std::process::Command::new("erl")
        .args([
            "-noshell",
            "-eval",
            "io:format(\"~s~n~s\",[code:root_dir(),erlang:system_info(otp_release)]),halt().",
        ])
        .output()
        .ok()?;
    let stdout = String::from_utf8(output.stdout).ok()?;
    let mut lines = stdout.lines();
    let root = PathBuf::from(lines.next()?.trim());
    let release = lines.next()?.trim().parse().ok()?;
    root.join("lib").is_dir().then_some((root, release))
}

/// Every `.erl` and `.hrl` file under `dir`, sorted.
pub(crate) fn erlang_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                stack.push(path);
            } else if file_type.is_file()
                && matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("erl" | "hrl")
                )
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether `path` is under `lib/<app>/src` or `lib/<app>/include` of the OTP root.
fn is_otp_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root.join("lib")) else {
        return false;
    };
    let parts: Vec<_> = relative.components().collect();
    parts.len() >= 3 && matches!(parts[1].as_os_str().to_str(), Some("src" | "include"))
}

#[test]
fn lexes_all_of_otp() {
    let Some((root, release)) = otp_root() else {
        eprintln!("SKIPPED lexes_all_of_otp: no `erl` found, OTP is not installed");
        return;
    };
    let files = erlang_files(&root.join("lib"));
    assert!(
        !files.is_empty(),
        "no .erl/.hrl files under {}",
        root.display()
    );
    let mut bytes = 0;
    let mut in_sources = Vec::new();
    let mut elsewhere = Vec::new();
    for release in [release, OtpRelease::LATEST.0] {
        let options = LexOptions {
            release: OtpRelease(release),
            file_kind: FileKind::Module,
        };
        for path in &files {
            let Ok(raw) = std::fs::read(path) else {
                continue;
            };
            let text = match crate::decode_source(&raw) {
                Ok((text, _)) => text,
                Err(err) => {
                    elsewhere.push(format!("{}: {err}", path.display()));
                    continue;
                }
            };
            bytes += text.len();
            assert_invariants(&text, &options);
            let (_, errors) = tokenize(&text, &options);
            for error in errors.iter().take(3) {
                let line = text[..usize::from(error.range.start())]
                    .matches('\n')
                    .count()
                    + 1;
                let report = format!(
                    "OTP {release}: {}:{line}: {}",
                    path.display(),
                    error.message
                );
                if is_otp_source(&root, path) {
                    in_sources.push(report);
                } else {
                    elsewhere.push(report);
                }
            }
        }
    }
    eprintln!(
        "lexed {} files, {} MB, twice",
        files.len(),
        bytes / 2_000_000
    );
    for report in &elsewhere {
        eprintln!("lex error outside lib/*/src and lib/*/include: {report}");
    }
    assert!(
        in_sources.is_empty(),
        "lex errors in OTP sources:\n{}",
        in_sources.join("\n")
    );
}
