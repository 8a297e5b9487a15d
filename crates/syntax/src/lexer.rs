//! The Erlang lexer: splits text into tokens, trivia included, the way OTP's `erl_scan` does.
//!
//! Tokens cover the text exactly and in order, so the tree built from them is lossless.
//! The lexer never fails: a malformed piece becomes a token (often `ERROR`) plus a
//! [`LexError`]. It works on bytes; every token boundary falls on a `char` boundary.
//!
//! Where the rules depend on the release, [`LexOptions::release`] decides: triple-quoted
//! strings and sigils exist from OTP 27; based floats (`16#1.8#e2`), `&&`, `<:-` and `<:=`
//! from OTP 28. `maybe` and `else` are always lexed as `ATOM`; the parser makes them keywords
//! where the `maybe_expr` feature is on.
//!
//! Choices worth knowing, all about text that `erl_scan` rejects or that the parser must
//! see differently:
//! - `erl_scan` stops at the first error; this lexer reports it and goes on.
//! - An exponent is taken only when digits follow: `1.0e` is `FLOAT` `1.0`, then `ATOM` `e`
//!   (with an error, as `erl_scan` rejects the float).
//! - A triple-quoted string whose opening line has more than white space after the quotes
//!   is still one `STRING` (up to its closing line), with an error, as in `erl_scan`.
//! - `??` is one `QUESTION2` token (`erl_scan` makes two `?`, which `epp` joins).
//! - A `\r` right before a `\n` is not part of a comment or shebang but of the whitespace.
//! - Characters that `erl_scan` turns into punctuation atoms but no parser accepts
//!   (`@`, `\`, `^`, `` ` ``, a single `&`, `¡`..`¿`, `×`, `÷`) are `ERROR` tokens.

#[cfg(test)]
pub(crate) mod tests;

use rowan::{TextRange, TextSize};

use crate::{FileKind, OtpRelease, SyntaxKind};

/// One token: its kind and length in bytes. Tokens cover the text exactly, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What the token is.
    pub kind: SyntaxKind,
    /// Its length in bytes; never zero.
    pub len: u32,
}

/// What the lexer needs besides the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LexOptions {
    /// The release whose syntax applies.
    pub release: OtpRelease,
    /// The kind of file; only escripts have a shebang line.
    pub file_kind: FileKind,
}

/// A lexical error: a message and the range of text it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// What is wrong, in words.
    pub message: String,
    /// Where.
    pub range: TextRange,
}

/// Splits `text` into tokens. The lengths of the tokens add up to `text.len()`, no token is
/// empty, and no input makes it panic.
pub fn tokenize(text: &str, options: &LexOptions) -> (Vec<Token>, Vec<LexError>) {
    if text.len() > u32::MAX as usize {
        return too_large(text);
    }
    let mut lexer = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        release: options.release,
        // A token every two bytes or more: a preprocessed text puts a space
        // between every two tokens.
        tokens: Vec::with_capacity(text.len() / 2 + 1),
        errors: Vec::new(),
    };
    lexer.run(options.file_kind);
    // Errors come out in the order the text was read, which can put a token's
    // "unterminated" error after errors inside it.
    lexer.errors.sort_by_key(|error| error.range.start());
    (lexer.tokens, lexer.errors)
}

/// Text beyond what a `u32` offset can address: `ERROR` tokens of at most 4 GiB each.
fn too_large(text: &str) -> (Vec<Token>, Vec<LexError>) {
    let mut tokens = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let mut end = start.saturating_add(u32::MAX as usize).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        tokens.push(Token {
            kind: SyntaxKind::ERROR,
            len: (end - start) as u32,
        });
        start = end;
    }
    let error = LexError {
        message: "the file is larger than 4 GiB and cannot be lexed".to_owned(),
        range: TextRange::empty(TextSize::from(0)),
    };
    (tokens, vec![error])
}

/// End of input, as returned by [`Lexer::byte`]; `0xFF` never occurs in UTF-8.
const EOF_BYTE: u8 = 0xFF;

/// ASCII bytes that continue an atom or variable name: letters, digits, `_` and `@`.
static NAME_CONTINUE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize || b == b'@' as usize;
        b += 1;
    }
    table
};

/// How backslashes behave inside a quoted text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escapes {
    /// Strings, quoted atoms and `~`, `~b`, `~s` sigils: `\` starts an escape sequence.
    Full,
    /// Verbatim sigils (`~B`, `~S`, ...): only `\` before the closing delimiter escapes it.
    DelimiterOnly,
}

/// How an escape sequence ended.
enum Escape {
    /// A complete, valid escape.
    Valid,
    /// Malformed; already reported.
    Invalid,
    /// The input ended right after the backslash (or `\^`, `\x`).
    Eof,
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    release: OtpRelease,
    tokens: Vec<Token>,
    errors: Vec<LexError>,
}

impl Lexer<'_> {
    fn run(&mut self, file_kind: FileKind) {
        if file_kind == FileKind::Escript && self.bytes.starts_with(b"#!") {
            self.pos = self.line_end_without_cr(0);
            self.push(SyntaxKind::SHEBANG, 0);
        }
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let kind = self.token(start);
            debug_assert!(self.pos > start, "empty token at {start}");
            if self.pos <= start {
                // Cannot happen; guards against an endless loop all the same.
                self.pos = start + self.char_len(start);
            }
            self.push(kind, start);
        }
    }

    /// The byte at `i`, or [`EOF_BYTE`] past the end.
    #[inline]
    fn byte(&self, i: usize) -> u8 {
        match self.bytes.get(i) {
            Some(&b) => b,
            None => EOF_BYTE,
        }
    }

    #[inline]
    fn push(&mut self, kind: SyntaxKind, start: usize) {
        // `tokenize` checked that every offset fits in a `u32`.
        self.tokens.push(Token {
            kind,
            len: (self.pos - start) as u32,
        });
    }

    fn error(&mut self, message: impl Into<String>, start: usize, end: usize) {
        let end = end.max(start);
        self.errors.push(LexError {
            message: message.into(),
            range: TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32)),
        });
    }

    /// The length in bytes of the character starting at `i` (1 past the end).
    #[inline]
    fn char_len(&self, i: usize) -> usize {
        let len = match self.byte(i) {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        len.min(self.bytes.len().saturating_sub(i)).max(1)
    }

    /// The character starting at `i`, if any.
    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next()
    }

    /// The offset of the `\n` ending the line that `i` is on, or the end of the text.
    fn line_end(&self, i: usize) -> usize {
        match self
            .bytes
            .get(i..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
        {
            Some(n) => i + n,
            None => self.bytes.len(),
        }
    }

    /// Like [`Lexer::line_end`], but a `\r` right before the `\n` is left out.
    fn line_end_without_cr(&self, i: usize) -> usize {
        let end = self.line_end(i);
        if end > i + 1 && end < self.bytes.len() && self.bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        }
    }

    /// Lexes one token starting at `start` and returns its kind; `self.pos` ends up after it.
    fn token(&mut self, start: usize) -> SyntaxKind {
        use SyntaxKind::*;
        let b = self.bytes[start];
        let (kind, len) = match b {
            0..=b' ' => {
                self.pos = start + 1;
                self.whitespace();
                return WHITESPACE;
            }
            b'%' => {
                self.pos = self.line_end_without_cr(start);
                return COMMENT;
            }
            b'a'..=b'z' => return self.atom(start),
            b'A'..=b'Z' | b'_' => return self.variable(start, 1),
            b'0'..=b'9' => return self.number(start),
            b'\'' => return self.quoted_atom(start),
            b'"' => return self.string(start),
            b'$' => return self.char_literal(start),
            b'~' => return self.sigil(start),
            b'(' => (L_PAREN, 1),
            b')' => (R_PAREN, 1),
            b'[' => (L_BRACK, 1),
            b']' => (R_BRACK, 1),
            b'{' => (L_CURLY, 1),
            b'}' => (R_CURLY, 1),
            b',' => (COMMA, 1),
            b';' => (SEMICOLON, 1),
            b'!' => (BANG, 1),
            b'*' => (STAR, 1),
            b'#' => (POUND, 1),
            b'.' => match (self.byte(start + 1), self.byte(start + 2)) {
                (b'.', b'.') => (DOT3, 3),
                (b'.', _) => (DOT2, 2),
                _ => (DOT, 1),
            },
            b':' => match self.byte(start + 1) {
                b'=' => (COLON_EQ, 2),
                b':' => (COLON2, 2),
                _ => (COLON, 1),
            },
            b'-' => match self.byte(start + 1) {
                b'>' => (ARROW, 2),
                b'-' => (MINUS2, 2),
                _ => (MINUS, 1),
            },
            b'+' => match self.byte(start + 1) {
                b'+' => (PLUS2, 2),
                _ => (PLUS, 1),
            },
            b'=' => match (self.byte(start + 1), self.byte(start + 2)) {
                (b':', b'=') => (EQ_COLON_EQ, 3),
                (b'/', b'=') => (EQ_SLASH_EQ, 3),
                (b'<', _) => (EQ_LT, 2),
                (b'>', _) => (FAT_ARROW, 2),
                (b'=', _) => (EQ2, 2),
                _ => (EQ, 1),
            },
            b'<' => match (self.byte(start + 1), self.byte(start + 2)) {
                (b'<', _) => (L_DOUBLE_ANGLE, 2),
                (b'-', _) => (L_ARROW, 2),
                (b'=', _) => (L_DOUBLE_ARROW, 2),
                (b':', b'-') if self.release.0 >= 28 => (L_ARROW_STRICT, 3),
                (b':', b'=') if self.release.0 >= 28 => (L_DOUBLE_ARROW_STRICT, 3),
                _ => (L_ANGLE, 1),
            },
            b'>' => match self.byte(start + 1) {
                b'>' => (R_DOUBLE_ANGLE, 2),
                b'=' => (GT_EQ, 2),
                _ => (R_ANGLE, 1),
            },
            b'/' => match self.byte(start + 1) {
                b'=' => (SLASH_EQ, 2),
                _ => (SLASH, 1),
            },
            b'|' => match self.byte(start + 1) {
                b'|' => (PIPE2, 2),
                _ => (PIPE, 1),
            },
            b'?' => match (self.byte(start + 1), self.byte(start + 2)) {
                (b'=', _) => (QUESTION_EQ, 2),
                // `erl_scan` reads `??=` as `?` `?=`.
                (b'?', b'=') => (QUESTION, 1),
                (b'?', _) => (QUESTION2, 2),
                _ => (QUESTION, 1),
            },
            b'&' if self.byte(start + 1) == b'&' && self.release.0 >= 28 => (AMP2, 2),
            // U+0080..=U+00A0 are white space to `erl_scan`.
            0xC2 if (0x80..=0xA0).contains(&self.byte(start + 1)) => {
                self.pos = start + 2;
                self.whitespace();
                return WHITESPACE;
            }
            // Latin-1 letters U+00C0..=U+00FF, except `×` (U+00D7) and `÷` (U+00F7).
            0xC3 => match self.byte(start + 1) {
                0x80..=0x9E if self.byte(start + 1) != 0x97 => {
                    return self.variable(start, 2);
                }
                0x9F..=0xBF if self.byte(start + 1) != 0xB7 => {
                    self.pos = start + 2;
                    self.name_rest();
                    self.check_name_length(start, "atom");
                    return ATOM;
                }
                _ => return self.unexpected_char(start),
            },
            // A byte order mark at the very start is white space.
            0xEF if start == 0 && self.bytes.starts_with("\u{FEFF}".as_bytes()) => {
                self.pos = 3;
                self.whitespace();
                return WHITESPACE;
            }
            _ => return self.unexpected_char(start),
        };
        self.pos = start + len;
        kind
    }

    /// Consumes white space from `self.pos` on.
    fn whitespace(&mut self) {
        loop {
            let b = self.byte(self.pos);
            if b <= b' ' {
                self.pos += 1;
            } else if b == 0xC2 && (0x80..=0xA0).contains(&self.byte(self.pos + 1)) {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    /// The length of the white-space character at `i`, newlines excepted; 0 if there is none.
    #[inline]
    fn inline_white_space_len(&self, i: usize) -> usize {
        match self.byte(i) {
            b'\n' => 0,
            0..=b' ' => 1,
            0xC2 if (0x80..=0xA0).contains(&self.byte(i + 1)) => 2,
            _ => 0,
        }
    }

    fn unexpected_char(&mut self, start: usize) -> SyntaxKind {
        self.pos = start + self.char_len(start);
        let message = match self.char_at(start) {
            Some(c) => format!("unexpected character '{}'", c.escape_debug()),
            None => "unexpected character".to_owned(),
        };
        self.error(message, start, self.pos);
        SyntaxKind::ERROR
    }

    /// Consumes the rest of a name: letters (Latin-1 ones too), digits, `_` and `@`.
    #[inline]
    fn name_rest(&mut self) {
        loop {
            let b = self.byte(self.pos);
            if NAME_CONTINUE[b as usize] {
                self.pos += 1;
            } else if b == 0xC3
                && matches!(self.byte(self.pos + 1), 0x80..=0xBF)
                && !matches!(self.byte(self.pos + 1), 0x97 | 0xB7)
            {
                self.pos += 2;
            } else {
                break;
            }
        }
    }

    /// Atoms and variables longer than 255 characters are errors, as in `erl_scan`.
    #[inline(always)]
    fn check_name_length(&mut self, start: usize, what: &str) {
        if self.pos - start > 255 {
            self.long_name(start, what);
        }
    }

    #[cold]
    fn long_name(&mut self, start: usize, what: &str) {
        let text = self.text.get(start..self.pos).unwrap_or("");
        if text.chars().count() > 255 {
            self.error(
                format!("{what} name longer than 255 characters"),
                start,
                self.pos,
            );
        }
    }

    fn atom(&mut self, start: usize) -> SyntaxKind {
        self.pos = start + 1;
        self.name_rest();
        let len = self.pos - start;
        if (2..=7).contains(&len) {
            match self.text.get(start..self.pos) {
                // Keywords only where the `maybe_expr` feature is on: the parser decides.
                Some("maybe" | "else") | None => {}
                Some(word) => {
                    if let Some(kind) = SyntaxKind::from_keyword(word) {
                        return kind;
                    }
                }
            }
        }
        self.check_name_length(start, "atom");
        SyntaxKind::ATOM
    }

    fn variable(&mut self, start: usize, first_len: usize) -> SyntaxKind {
        self.pos = start + first_len;
        self.name_rest();
        self.check_name_length(start, "variable");
        SyntaxKind::VAR
    }

    /// Consumes digits accepted by `is_digit`, with single `_` between two digits.
    /// The byte at `self.pos` must be such a digit.
    #[inline]
    fn digits(&mut self, is_digit: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        loop {
            let b = self.byte(self.pos);
            if is_digit(b) {
                self.pos += 1;
            } else if b == b'_'
                && self.pos > start
                && is_digit(self.byte(self.pos - 1))
                && is_digit(self.byte(self.pos + 1))
            {
                self.pos += 2;
            } else {
                return self.pos - start;
            }
        }
    }

    /// Consumes `[eE][+-]?digits` if it is there. An `e` without digits is left alone
    /// (it lexes as the start of an atom or variable) but reported, as `erl_scan` rejects it.
    /// Returns whether there was an exponent.
    fn exponent(&mut self, start: usize) -> bool {
        if !matches!(self.byte(self.pos), b'e' | b'E') {
            return false;
        }
        let mut p = self.pos + 1;
        if matches!(self.byte(p), b'+' | b'-') {
            p += 1;
        }
        if !self.byte(p).is_ascii_digit() {
            self.error("illegal float: no digits in the exponent", start, p);
            return false;
        }
        self.pos = p;
        self.digits(|b| b.is_ascii_digit());
        true
    }

    fn number(&mut self, start: usize) -> SyntaxKind {
        self.pos = start;
        self.digits(|b| b.is_ascii_digit());
        match self.byte(self.pos) {
            b'#' => self.based_number(start),
            b'.' if self.byte(self.pos + 1).is_ascii_digit() => {
                self.pos += 1;
                self.digits(|b| b.is_ascii_digit());
                self.exponent(start);
                SyntaxKind::FLOAT
            }
            _ => SyntaxKind::INTEGER,
        }
    }

    /// `Base#Digits`, and from OTP 28 `Base#Digits.Digits` with an optional `#e±Exp`.
    fn based_number(&mut self, start: usize) -> SyntaxKind {
        let base = self.bytes[start..self.pos]
            .iter()
            .filter(|b| b.is_ascii_digit())
            .fold(0u32, |acc, b| {
                acc.saturating_mul(10).saturating_add(u32::from(b - b'0'))
            });
        if !(2..=36).contains(&base) {
            let text = self.text.get(start..self.pos).unwrap_or("");
            self.error(format!("illegal base '{text}'"), start, self.pos);
            return SyntaxKind::INTEGER;
        }
        let is_digit = move |b: u8| based_digit_value(b).is_some_and(|v| v < base);
        self.pos += 1;
        if !is_digit(self.byte(self.pos)) {
            self.error(format!("no base-{base} digits after '#'"), start, self.pos);
            return SyntaxKind::INTEGER;
        }
        self.digits(is_digit);
        if self.release.0 >= 28 && self.byte(self.pos) == b'.' && is_digit(self.byte(self.pos + 1))
        {
            self.pos += 1;
            self.digits(is_digit);
            if self.byte(self.pos) == b'#' {
                let hash = self.pos;
                self.pos += 1;
                if !self.exponent(start) {
                    // Not an exponent: the `#` is a token of its own.
                    self.pos = hash;
                    if !matches!(self.byte(hash + 1), b'e' | b'E') {
                        self.error(
                            "illegal based float: '#' must start an exponent",
                            start,
                            hash + 1,
                        );
                    }
                }
            }
            return SyntaxKind::FLOAT;
        }
        SyntaxKind::INTEGER
    }

    fn quoted_atom(&mut self, start: usize) -> SyntaxKind {
        self.pos = start + 1;
        if !self.quoted_body(b'\'', Escapes::Full) {
            self.error("unterminated quoted atom", start, start + 1);
        } else if self.pos - start > 257 {
            let inside = self.text.get(start + 1..self.pos - 1).unwrap_or("");
            if unescaped_char_count(inside) > 255 {
                self.error("atom name longer than 255 characters", start, self.pos);
            }
        }
        SyntaxKind::ATOM
    }

    fn string(&mut self, start: usize) -> SyntaxKind {
        if self.release.has_triple_quoted_strings()
            && self.byte(start + 1) == b'"'
            && self.byte(start + 2) == b'"'
        {
            self.triple_quoted(start, true);
            return SyntaxKind::STRING;
        }
        self.pos = start + 1;
        if !self.quoted_body(b'"', Escapes::Full) {
            self.error("unterminated string", start, start + 1);
        }
        SyntaxKind::STRING
    }

    /// Consumes text up to and including the unescaped `close` byte; `false` if the input
    /// ends first (then everything is consumed).
    fn quoted_body(&mut self, close: u8, escapes: Escapes) -> bool {
        loop {
            let rest = &self.bytes[self.pos..];
            let Some(n) = memchr::memchr2(close, b'\\', rest) else {
                self.pos = self.bytes.len();
                return false;
            };
            self.pos += n;
            if self.bytes[self.pos] == close {
                self.pos += 1;
                return true;
            }
            match escapes {
                Escapes::Full => {
                    if let Escape::Eof = self.escape() {
                        return false;
                    }
                }
                Escapes::DelimiterOnly => {
                    self.pos += if self.byte(self.pos + 1) == close {
                        2
                    } else {
                        1
                    };
                }
            }
        }
    }

    /// Consumes an escape sequence; `self.pos` is at the backslash. Reports malformed ones.
    fn escape(&mut self) -> Escape {
        let start = self.pos;
        self.pos += 1;
        match self.byte(self.pos) {
            EOF_BYTE => return Escape::Eof,
            b'0'..=b'7' => {
                self.pos += 1;
                for _ in 0..2 {
                    if matches!(self.byte(self.pos), b'0'..=b'7') {
                        self.pos += 1;
                    }
                }
            }
            b'x' => {
                self.pos += 1;
                match self.byte(self.pos) {
                    EOF_BYTE => return Escape::Eof,
                    b'{' => {
                        self.pos += 1;
                        let digits_start = self.pos;
                        while self.byte(self.pos).is_ascii_hexdigit() {
                            self.pos += 1;
                        }
                        let digits = &self.bytes[digits_start..self.pos];
                        if self.byte(self.pos) == EOF_BYTE {
                            return Escape::Eof;
                        }
                        if self.byte(self.pos) != b'}' {
                            self.error("invalid escape sequence: missing '}'", start, self.pos);
                            return Escape::Invalid;
                        }
                        self.pos += 1;
                        let value = digits.iter().fold(0u32, |acc, &b| {
                            acc.saturating_mul(16).saturating_add(hex_value(b))
                        });
                        if digits.is_empty() || !is_erlang_unicode(value) {
                            self.error(
                                "invalid escape sequence: not a Unicode character",
                                start,
                                self.pos,
                            );
                            return Escape::Invalid;
                        }
                    }
                    h1 if h1.is_ascii_hexdigit() && self.byte(self.pos + 1).is_ascii_hexdigit() => {
                        self.pos += 2;
                    }
                    _ => {
                        self.error(
                            "invalid escape sequence: expected two hex digits or '{' after '\\x'",
                            start,
                            self.pos,
                        );
                        return Escape::Invalid;
                    }
                }
            }
            b'^' => {
                self.pos += 1;
                if self.byte(self.pos) == EOF_BYTE {
                    return Escape::Eof;
                }
                self.pos += self.char_len(self.pos);
            }
            _ => self.pos += self.char_len(self.pos),
        }
        Escape::Valid
    }

    fn char_literal(&mut self, start: usize) -> SyntaxKind {
        self.pos = start + 1;
        match self.byte(self.pos) {
            EOF_BYTE => self.error("unterminated character", start, self.pos),
            b'\\' => {
                if let Escape::Eof = self.escape() {
                    self.pos = self.bytes.len();
                    self.error("unterminated character", start, self.pos);
                }
            }
            _ => {
                let c = self.char_at(self.pos);
                self.pos += self.char_len(self.pos);
                if matches!(c, Some('\u{FFFE}' | '\u{FFFF}')) {
                    self.error("illegal character", start, self.pos);
                }
            }
        }
        SyntaxKind::CHAR
    }

    /// A `"""` string from OTP 27: `start` is at the first of three or more quotes.
    /// Returns whether it was terminated.
    fn triple_quoted(&mut self, start: usize, verbatim: bool) -> bool {
        let mut p = start;
        while self.byte(p) == b'"' {
            p += 1;
        }
        let quotes = p - start;
        let first_line_end = self.line_end(p);
        let mut i = p;
        while i < first_line_end {
            let n = self.inline_white_space_len(i);
            if n == 0 {
                self.error(
                    "non-whitespace after start of triple-quoted string",
                    i,
                    self.line_end_without_cr(i),
                );
                break;
            }
            i += n;
        }
        let content_start = first_line_end + 1;
        let mut line = content_start;
        while line <= self.bytes.len() {
            let mut i = line;
            loop {
                let n = self.inline_white_space_len(i);
                if n == 0 {
                    break;
                }
                i += n;
            }
            let indent_end = i;
            while i - indent_end < quotes && self.byte(i) == b'"' {
                i += 1;
            }
            if i - indent_end == quotes {
                self.pos = i;
                self.check_indentation(content_start, line, indent_end, verbatim);
                return true;
            }
            line = self.line_end(line) + 1;
        }
        self.pos = self.bytes.len();
        self.error("unterminated triple-quoted string", start, p);
        false
    }

    /// Every content line of a triple-quoted string must start with the indentation of the
    /// closing line (`closing..indent_end`), empty lines excepted.
    fn check_indentation(
        &mut self,
        content_start: usize,
        closing: usize,
        indent_end: usize,
        verbatim: bool,
    ) {
        let indent = &self.bytes[closing..indent_end];
        if indent.is_empty() {
            return;
        }
        let mut line = content_start;
        while line < closing {
            let end = self.line_end(line).min(closing);
            let content = &self.bytes[line..end];
            if !content.is_empty() && content != b"\r" && !content.starts_with(indent) {
                let mismatch = content.iter().zip(indent).position(|(a, b)| a != b);
                // An escape sequence in a non-verbatim string may produce the indentation.
                let escaped = !verbatim && mismatch.is_some_and(|m| content[m] == b'\\');
                if !escaped {
                    let line_end = self.line_end_without_cr(line).min(closing);
                    self.error("bad indentation in triple-quoted string", line, line_end);
                    return;
                }
            }
            line = end + 1;
        }
    }

    /// `~` from OTP 27: a sigil prefix, a delimited string and a suffix, as one token.
    fn sigil(&mut self, start: usize) -> SyntaxKind {
        if !self.release.has_triple_quoted_strings() {
            return self.unexpected_char(start);
        }
        self.pos = start + 1;
        self.name_rest();
        let prefix = &self.bytes[start + 1..self.pos];
        let plain = matches!(prefix, b"" | b"b" | b"s");
        let delimiter_start = self.pos;
        let open = self.byte(self.pos);
        let terminated =
            if open == b'"' && self.byte(self.pos + 1) == b'"' && self.byte(self.pos + 2) == b'"' {
                // In triple-quoted sigils only `~b` and `~s` have escape sequences.
                let verbatim = !matches!(prefix, b"b" | b"s");
                self.triple_quoted(delimiter_start, verbatim)
            } else {
                let close = match open {
                    b'(' => b')',
                    b'[' => b']',
                    b'{' => b'}',
                    b'<' => b'>',
                    b'"' | b'\'' | b'/' | b'|' | b'`' | b'#' => open,
                    _ => {
                        let text = self.text.get(start..self.pos).unwrap_or("~");
                        self.error(
                            format!("expected a string delimiter after sigil prefix '{text}'"),
                            start,
                            self.pos,
                        );
                        return SyntaxKind::ERROR;
                    }
                };
                self.pos += 1;
                let escapes = if plain {
                    Escapes::Full
                } else {
                    Escapes::DelimiterOnly
                };
                let terminated = self.quoted_body(close, escapes);
                if !terminated {
                    self.error("unterminated sigil string", start, delimiter_start + 1);
                }
                terminated
            };
        if terminated {
            self.name_rest();
        }
        SyntaxKind::SIGIL_STRING
    }
}

fn based_digit_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'a'..=b'z' => Some(u32::from(b - b'a') + 10),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

fn hex_value(b: u8) -> u32 {
    based_digit_value(b).unwrap_or(0)
}

/// What `erl_scan` accepts as a character code.
fn is_erlang_unicode(c: u32) -> bool {
    c < 0xD800 || (0xDFFF < c && c < 0xFFFE) || (0xFFFF < c && c <= 0x10FFFF)
}

/// The number of characters `text` (the inside of a quoted atom) stands for once its escape
/// sequences are replaced by the characters they denote.
fn unescaped_char_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 1;
            match bytes.get(i) {
                Some(b'0'..=b'7') => {
                    i += 1;
                    for _ in 0..2 {
                        if matches!(bytes.get(i), Some(b'0'..=b'7')) {
                            i += 1;
                        }
                    }
                }
                Some(b'x') if bytes.get(i + 1) == Some(&b'{') => {
                    i += 2;
                    while bytes.get(i).is_some_and(|b| b.is_ascii_hexdigit()) {
                        i += 1;
                    }
                    if bytes.get(i) == Some(&b'}') {
                        i += 1;
                    }
                }
                Some(b'x') => i += 3,
                Some(b'^') => i += 2,
                Some(_) => i += 1,
                None => {}
            }
            count += 1;
            while i < bytes.len() && !text.is_char_boundary(i) {
                i += 1;
            }
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            count += 1;
        }
    }
    count
}
