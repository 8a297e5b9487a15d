//! The token and node kinds that `cargo xtask codegen` turns into `SyntaxKind`.

/// One punctuation token: its text and the name of its `SyntaxKind` variant.
pub(crate) struct Punct {
    pub(crate) text: &'static str,
    pub(crate) name: &'static str,
}

const fn punct(text: &'static str, name: &'static str) -> Punct {
    Punct { text, name }
}

/// Every punctuation token of Erlang, longest spellings included.
pub(crate) const PUNCT: &[Punct] = &[
    punct("(", "L_PAREN"),
    punct(")", "R_PAREN"),
    punct("[", "L_BRACK"),
    punct("]", "R_BRACK"),
    punct("{", "L_CURLY"),
    punct("}", "R_CURLY"),
    punct(",", "COMMA"),
    punct(".", "DOT"),
    punct("..", "DOT2"),
    punct("...", "DOT3"),
    punct(";", "SEMICOLON"),
    punct(":", "COLON"),
    punct("::", "COLON2"),
    punct("->", "ARROW"),
    punct("=>", "FAT_ARROW"),
    punct(":=", "COLON_EQ"),
    punct("<-", "L_ARROW"),
    punct("<=", "L_DOUBLE_ARROW"),
    punct("<:-", "L_ARROW_STRICT"),
    punct("<:=", "L_DOUBLE_ARROW_STRICT"),
    punct("&&", "AMP2"),
    punct("||", "PIPE2"),
    punct("|", "PIPE"),
    punct("!", "BANG"),
    punct("=", "EQ"),
    punct("==", "EQ2"),
    punct("/=", "SLASH_EQ"),
    punct("=:=", "EQ_COLON_EQ"),
    punct("=/=", "EQ_SLASH_EQ"),
    punct("<", "L_ANGLE"),
    punct(">", "R_ANGLE"),
    punct(">=", "GT_EQ"),
    punct("=<", "EQ_LT"),
    punct("+", "PLUS"),
    punct("-", "MINUS"),
    punct("*", "STAR"),
    punct("/", "SLASH"),
    punct("++", "PLUS2"),
    punct("--", "MINUS2"),
    punct("#", "POUND"),
    punct("?", "QUESTION"),
    punct("??", "QUESTION2"),
    punct("?=", "QUESTION_EQ"),
    punct("<<", "L_DOUBLE_ANGLE"),
    punct(">>", "R_DOUBLE_ANGLE"),
];

/// Reserved words; each becomes `<WORD>_KW`. `maybe` and `else` are keywords only
/// where the `maybe_expr` feature is on: the lexer emits them as `ATOM` and the
/// parser remaps them.
pub(crate) const KEYWORDS: &[&str] = &[
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
    "rem", "try", "when", "xor", "maybe", "else",
];

/// Tokens with variable text. In the grammar they are written in lower case ('atom').
pub(crate) const LITERALS: &[&str] = &[
    "ATOM",
    "VAR",
    "INTEGER",
    "FLOAT",
    "CHAR",
    "STRING",
    "SIGIL_STRING",
];

/// Tokens the parser never sees: they are attached to the tree around real tokens.
pub(crate) const TRIVIA: &[&str] = &["WHITESPACE", "COMMENT", "SHEBANG"];

/// Node kinds that the grammar does not describe (error recovery, raw token groups).
pub(crate) const EXTRA_NODES: &[&str] = &["ERROR", "MACRO_TOKENS"];
