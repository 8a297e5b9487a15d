//! Source decoding the way `epp` does it: UTF-8 unless a `coding:` comment says Latin-1.
//!
//! `epp` looks for `coding: <name>` (or `coding=<name>`, as in the Emacs form
//! `-*- coding: latin-1 -*-`) inside a `%` comment on one of the first two lines, within
//! the first 512 bytes. Only names whose `-`-separated parts start with `latin`, `1`
//! (`latin-1`, `LATIN-1-unix`) select Latin-1, and only `utf`, `8` (`utf-8`) select UTF-8;
//! anything else, `latin1` and `iso-8859-1` included, leaves the default, UTF-8.
//! The first declaration decides: a later one is not looked for.

use std::borrow::Cow;

/// How a source file's bytes map to characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceEncoding {
    /// UTF-8, the default since OTP 17.
    Utf8,
    /// ISO 8859-1: one byte per character, U+0000..=U+00FF.
    Latin1,
}

/// Why a file's bytes are not text in the encoding it declares.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The file is (declared or by default) UTF-8, but a byte sequence is not valid UTF-8.
    #[error(
        "invalid UTF-8 at line {line}, column {column} (add `%% coding: latin-1` in the first two lines if the file is Latin-1)"
    )]
    InvalidUtf8 {
        /// 1-based line of the first invalid byte.
        line: u32,
        /// 1-based column, in characters, of the first invalid byte.
        column: u32,
        /// Offset of the first invalid byte.
        byte_offset: usize,
    },
}

/// Why text cannot be written back in an encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A character above U+00FF in text meant for a Latin-1 file.
    #[error(
        "character '{}' (U+{:04X}) at byte offset {byte_offset} cannot be written in Latin-1",
        ch.escape_debug(),
        u32::from(*ch)
    )]
    NotLatin1 {
        /// The character.
        ch: char,
        /// Its offset in the text.
        byte_offset: usize,
    },
}

/// Decodes a source file: Latin-1 if it says so in a `coding:` comment, UTF-8 otherwise.
/// UTF-8 text is borrowed, as is Latin-1 text that is pure ASCII.
pub fn decode_source(bytes: &[u8]) -> Result<(Cow<'_, str>, SourceEncoding), DecodeError> {
    match declared_encoding(bytes) {
        Some(SourceEncoding::Latin1) => Ok((decode_latin1(bytes), SourceEncoding::Latin1)),
        Some(SourceEncoding::Utf8) | None => match std::str::from_utf8(bytes) {
            Ok(text) => Ok((Cow::Borrowed(text), SourceEncoding::Utf8)),
            Err(error) => Err(invalid_utf8(bytes, error.valid_up_to())),
        },
    }
}

/// The inverse of [`decode_source`]: the bytes of `text` in `encoding`. For text decoded
/// from a file, `encode_source(&text, encoding)` gives back the file's exact bytes.
///
/// Latin-1 cannot hold characters above U+00FF (an edit may have added one): that is an
/// error rather than a silent replacement, so a file is never changed behind the user's back.
pub fn encode_source(text: &str, encoding: SourceEncoding) -> Result<Vec<u8>, EncodeError> {
    match encoding {
        SourceEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
        SourceEncoding::Latin1 => {
            let mut bytes = Vec::with_capacity(text.len());
            for (byte_offset, ch) in text.char_indices() {
                match u8::try_from(u32::from(ch)) {
                    Ok(byte) => bytes.push(byte),
                    Err(_) => return Err(EncodeError::NotLatin1 { ch, byte_offset }),
                }
            }
            Ok(bytes)
        }
    }
}

/// The encoding that a `coding:` comment declares, as `epp:read_encoding/1` finds it.
pub fn declared_encoding(bytes: &[u8]) -> Option<SourceEncoding> {
    /// `epp` reads 16 chunks of 32 bytes and gives up after them.
    const LIMIT: usize = 512;
    let truncated = bytes.len() > LIMIT;
    let head = &bytes[..bytes.len().min(LIMIT)];
    let mut i = 0;
    for _line in 0..2 {
        // Outside a comment: look for `%` or the end of the line.
        loop {
            match head.get(i)? {
                b'\n' => break,
                b'%' => {
                    i += 1;
                    // Inside a comment: look for `coding`, then `:` or `=`.
                    loop {
                        match head.get(i)? {
                            b'\n' => break,
                            b'c' if head[i + 1..].starts_with(b"oding") => {
                                i += "coding".len();
                                while head.get(i) == Some(&b' ') {
                                    i += 1;
                                }
                                if matches!(head.get(i)?, b':' | b'=') {
                                    i += 1;
                                    while head.get(i) == Some(&b' ') {
                                        i += 1;
                                    }
                                    return encoding_name(&head[i..], truncated);
                                }
                            }
                            _ => i += 1,
                        }
                    }
                    break;
                }
                _ => i += 1,
            }
        }
        i += 1;
    }
    None
}

/// Reads the name after `coding:`; `truncated` says whether `text` was cut at 512 bytes.
fn encoding_name(text: &[u8], truncated: bool) -> Option<SourceEncoding> {
    let end = text
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'));
    if end.is_none() && truncated {
        // `epp` would need to read past its limit to see the end of the name.
        return None;
    }
    let name = &text[..end.unwrap_or(text.len())];
    let mut parts = name.split(|&b| b == b'-');
    let first = parts.next().unwrap_or_default();
    let second = parts.next().unwrap_or_default();
    if first.eq_ignore_ascii_case(b"latin") && second == b"1" {
        Some(SourceEncoding::Latin1)
    } else if first.eq_ignore_ascii_case(b"utf") && second == b"8" {
        Some(SourceEncoding::Utf8)
    } else {
        None
    }
}

fn decode_latin1(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) if bytes.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

fn invalid_utf8(bytes: &[u8], byte_offset: usize) -> DecodeError {
    let valid = &bytes[..byte_offset];
    let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    // Everything before `byte_offset` is valid UTF-8.
    let column = std::str::from_utf8(&valid[line_start..])
        .map_or(byte_offset - line_start, |text| text.chars().count())
        + 1;
    DecodeError::InvalidUtf8 {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        byte_offset,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoding_of(text: &[u8]) -> Option<SourceEncoding> {
        declared_encoding(text)
    }

    #[test]
    fn declarations() {
        use SourceEncoding::*;
        assert_eq!(encoding_of(b"%% coding: latin-1\n"), Some(Latin1));
        assert_eq!(
            encoding_of(b"-module(m).\n%% coding: latin-1\n"),
            Some(Latin1)
        );
        assert_eq!(encoding_of(b"%% -*- coding: latin-1 -*-\n"), Some(Latin1));
        assert_eq!(
            encoding_of(b"%% -*- mode: erlang; coding: LATIN-1-unix -*-"),
            Some(Latin1)
        );
        assert_eq!(encoding_of(b"%% coding=latin-1"), Some(Latin1));
        assert_eq!(encoding_of(b"%% encoding  :  latin-1"), Some(Latin1));
        assert_eq!(encoding_of(b"%% vim: fileencoding=latin-1"), Some(Latin1));
        assert_eq!(encoding_of(b"%% coding: utf-8\n"), Some(Utf8));
        // Not what `epp` recognises.
        assert_eq!(encoding_of(b"%% coding: latin1\n"), None);
        assert_eq!(encoding_of(b"%% coding: iso-8859-1\n"), None);
        assert_eq!(encoding_of(b"%% coding:\tlatin-1\n"), None);
        assert_eq!(encoding_of(b"%% Coding: latin-1\n"), None);
        assert_eq!(encoding_of(b"\n\n%% coding: latin-1\n"), None);
        assert_eq!(encoding_of(b"coding: latin-1\n"), None);
        // The first declaration decides.
        assert_eq!(encoding_of(b"%% coding: foo, coding: latin-1\n"), None);
        // `coding` without a separator does not count, the search goes on.
        assert_eq!(
            encoding_of(b"%% coding is latin, coding: latin-1\n"),
            Some(Latin1)
        );
        assert_eq!(encoding_of(b"%% coding"), None);
        assert_eq!(encoding_of(b"%% c"), None);
        // Only the first 512 bytes count.
        let mut long = vec![b'%'; 600];
        long.extend_from_slice(b"coding: latin-1");
        assert_eq!(encoding_of(&long), None);
        let mut cut = vec![b'%'; 500];
        cut.extend_from_slice(b"coding: latin-1");
        cut.extend_from_slice(&[b' '; 100]);
        assert_eq!(encoding_of(&cut), None);
    }

    #[test]
    fn decodes_utf8_by_default() {
        let (text, encoding) = decode_source("x() -> \"ö\".".as_bytes()).unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
        assert_eq!(text, "x() -> \"ö\".");
        assert_eq!(encoding, SourceEncoding::Utf8);
    }

    #[test]
    fn decodes_latin1() {
        let bytes = b"%% coding: latin-1\nx() -> \"\xf6\xff\".";
        let (text, encoding) = decode_source(bytes).unwrap();
        assert_eq!(text, "%% coding: latin-1\nx() -> \"öÿ\".");
        assert_eq!(encoding, SourceEncoding::Latin1);
        assert_eq!(encode_source(&text, encoding).unwrap(), bytes);

        let (text, _) = decode_source(b"%% coding: latin-1\nx.").unwrap();
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn invalid_utf8() {
        let error = decode_source(b"-module(m).\nx() -> \"\xc3\xb6\xf6\".").unwrap_err();
        assert_eq!(
            error,
            DecodeError::InvalidUtf8 {
                line: 2,
                column: 10,
                byte_offset: 22
            }
        );
        assert_eq!(
            error.to_string(),
            "invalid UTF-8 at line 2, column 10 (add `%% coding: latin-1` in the first two \
             lines if the file is Latin-1)"
        );
        let error = decode_source(b"%% coding: utf-8\n\xff").unwrap_err();
        assert_eq!(
            error,
            DecodeError::InvalidUtf8 {
                line: 2,
                column: 1,
                byte_offset: 17
            }
        );
    }

    #[test]
    fn encodes() {
        assert_eq!(
            encode_source("ö€", SourceEncoding::Utf8).unwrap(),
            "ö€".as_bytes()
        );
        let error = encode_source("ö€", SourceEncoding::Latin1).unwrap_err();
        assert_eq!(
            error,
            EncodeError::NotLatin1 {
                ch: '€',
                byte_offset: 2
            }
        );
        assert_eq!(
            error.to_string(),
            "character '€' (U+20AC) at byte offset 2 cannot be written in Latin-1"
        );
    }

    #[test]
    fn round_trips_all_of_otp() {
        let Some((root, _)) = crate::lexer::tests::otp_root() else {
            eprintln!("SKIPPED round_trips_all_of_otp: no `erl` found, OTP is not installed");
            return;
        };
        let files = crate::lexer::tests::erlang_files(&root.join("lib"));
        assert!(
            !files.is_empty(),
            "no .erl/.hrl files under {}",
            root.display()
        );
        let mut latin1 = Vec::new();
        let mut failures = Vec::new();
        for path in &files {
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            match decode_source(&bytes) {
                Ok((text, encoding)) => {
                    if encoding == SourceEncoding::Latin1 {
                        latin1.push(path.display().to_string());
                    }
                    if encode_source(&text, encoding).ok().as_deref() != Some(&bytes[..]) {
                        failures.push(format!("{}: round trip changed the bytes", path.display()));
                    }
                }
                Err(error) => failures.push(format!("{}: {error}", path.display())),
            }
        }
        // OTP 25 has no Latin-1 sources left; older releases had a few.
        eprintln!(
            "decoded {} OTP files, {} of them Latin-1: {latin1:?}",
            files.len(),
            latin1.len()
        );
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
