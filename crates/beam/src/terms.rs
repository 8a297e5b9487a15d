//! Terms in the external term format (the `Attr`, `CInf`, `Dbgi`, `Docs`
//! and `Meta` chunks, each literal of `LitT`), decoded into `eetf` terms.
//!
//! `eetf` trusts its input: a corrupt count makes it allocate that much, a
//! distribution header or an atom cache reference makes it panic, and deep
//! nesting recurses without a bound. So every term is first walked here,
//! iteratively and without allocating per element, and handed to `eetf`
//! only when the walk finds every length inside the bytes, every tag one
//! that `eetf` decodes, and the nesting within [`MAX_DEPTH`].

use std::io::Read;

use crate::error::FormatError;

/// How deep a term may nest. `eetf` decodes (and Rust drops) a term by
/// recursion, one stack frame per level; this bound keeps that well inside
/// a thread's stack. Compile information, attributes and literals stay far
/// below it.
pub const MAX_DEPTH: usize = 2_000;

/// The most bytes a compressed term may expand to.
const MAX_UNCOMPRESSED: usize = 1 << 30;

const VERSION: u8 = 131;
const COMPRESSED: u8 = 80;

/// Decodes the term in `bytes` (`131` first, then a term or a compressed
/// term); `chunk` names where it comes from in errors.
pub fn decode_term(chunk: &str, bytes: &[u8]) -> Result<eetf::Term, FormatError> {
    let bytes = validate_term(chunk, bytes)?;
    eetf::Term::decode(bytes.as_slice())
        .map_err(|error| FormatError::bad(chunk, format!("term: {error}")))
}

/// Checks that `bytes` hold exactly one well-formed term that `eetf` can
/// decode; gives the term's bytes uncompressed (with the version byte).
pub fn validate_term(chunk: &str, bytes: &[u8]) -> Result<Vec<u8>, FormatError> {
    let bad = |what: &str| FormatError::bad(chunk, format!("term: {what}"));
    match bytes {
        [VERSION, COMPRESSED, rest @ ..] => {
            let size = rest
                .get(..4)
                .map(|size| u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize)
                .ok_or_else(|| bad("a compressed term is cut off"))?;
            if size > MAX_UNCOMPRESSED {
                return Err(bad("a compressed term is too large"));
            }
            let mut inner = vec![VERSION];
            flate2::read::ZlibDecoder::new(&rest[4..])
                .take(size as u64 + 1)
                .read_to_end(&mut inner)
                .map_err(|error| bad(&format!("zlib: {error}")))?;
            if inner.len() - 1 != size {
                return Err(bad("a compressed term does not have its declared size"));
            }
            walk(&inner[1..]).map_err(|what| bad(&what))?;
            Ok(inner)
        }
        [VERSION, rest @ ..] => {
            walk(rest).map_err(|what| bad(&what))?;
            Ok(bytes.to_vec())
        }
        _ => Err(bad("it does not start with the version byte 131")),
    }
}

/// Walks one term that must fill `bytes` exactly.
fn walk(bytes: &[u8]) -> Result<(), String> {
    let end = term_end(bytes, 0)?;
    if end != bytes.len() {
        return Err(format!("{} bytes after the term", bytes.len() - end));
    }
    Ok(())
}

/// Where the term that starts at `start` ends: its bytes walked, every
/// length checked, the nesting bounded.
fn term_end(bytes: &[u8], start: usize) -> Result<usize, String> {
    let mut at = start;
    // How many terms are still to read at each level of nesting.
    let mut pending: Vec<usize> = vec![1];
    while let Some(left) = pending.last_mut() {
        if *left == 0 {
            pending.pop();
            continue;
        }
        *left -= 1;
        let tag = take(bytes, &mut at, 1)?[0];
        let children = match tag {
            // SMALL_INTEGER, INTEGER, NEW_FLOAT, FLOAT
            97 => skip(bytes, &mut at, 1)?,
            98 => skip(bytes, &mut at, 4)?,
            70 => skip(bytes, &mut at, 8)?,
            99 => skip(bytes, &mut at, 31)?,
            // ATOM, ATOM_UTF8, STRING: a 16-bit length
            100 | 118 | 107 => {
                let len = u16_at(bytes, &mut at)?;
                skip(bytes, &mut at, len)?
            }
            // SMALL_ATOM, SMALL_ATOM_UTF8
            115 | 119 => {
                let len = usize::from(take(bytes, &mut at, 1)?[0]);
                skip(bytes, &mut at, len)?
            }
            // BINARY
            109 => {
                let len = u32_at(bytes, &mut at)?;
                skip(bytes, &mut at, len)?
            }
            // BIT_BINARY: a length, the bits of the last byte, the bytes
            77 => {
                let len = u32_at(bytes, &mut at)?;
                skip(bytes, &mut at, 1 + len)?
            }
            // SMALL_BIG, LARGE_BIG: the digit count, a sign, the digits
            110 => {
                let len = usize::from(take(bytes, &mut at, 1)?[0]);
                skip(bytes, &mut at, 1 + len)?
            }
            111 => {
                let len = u32_at(bytes, &mut at)?;
                skip(bytes, &mut at, 1 + len)?
            }
            106 => 0,
            104 => usize::from(take(bytes, &mut at, 1)?[0]),
            105 => u32_at(bytes, &mut at)?,
            // MAP: pairs
            116 => u32_at(bytes, &mut at)?.saturating_mul(2),
            // LIST: the elements and the tail
            108 => u32_at(bytes, &mut at)?.saturating_add(1),
            // PID, NEW_PID, PORT, NEW_PORT, V4_PORT: the node, then numbers
            103 => node_then(bytes, &mut at, 9)?,
            88 => node_then(bytes, &mut at, 12)?,
            102 => node_then(bytes, &mut at, 5)?,
            89 => node_then(bytes, &mut at, 8)?,
            120 => node_then(bytes, &mut at, 12)?,
            // REFERENCE: the node, an id, a creation
            101 => node_then(bytes, &mut at, 5)?,
            // NEW_REFERENCE, NEWER_REFERENCE: an id count, the node, ...
            114 | 90 => {
                let ids = u16_at(bytes, &mut at)?;
                let creation = if tag == 114 { 1 } else { 4 };
                node_then(bytes, &mut at, creation + 4 * ids)?
            }
            // EXPORT: a module, a function, an arity
            113 => 3,
            // NEW_FUN: its size, arity, uniq, index, free count; then the
            // module, old index, old uniq, pid and the free variables
            112 => {
                skip(bytes, &mut at, 4 + 1 + 16 + 4)?;
                let free = u32_at(bytes, &mut at)?;
                free.saturating_add(4)
            }
            // FUN: the free count, then pid, module, index, uniq, free
            117 => u32_at(bytes, &mut at)?.saturating_add(4),
            other => return Err(format!("unsupported tag {other} at byte {at}")),
        };
        if children > 0 {
            // Every term takes at least one byte.
            if children > bytes.len() - at {
                return Err(format!("{children} elements cannot fit at byte {at}"));
            }
            if pending.len() > MAX_DEPTH {
                return Err(format!("nested deeper than {MAX_DEPTH} levels"));
            }
            pending.push(children);
        }
    }
    Ok(at)
}

/// The elements of the abstract code in a debug information chunk, each
/// decoded on its own: `{debug_info_v1, erl_abstract_code, {Forms, _}}`
/// (`Dbgi`, OTP 20 and later) or `{raw_abstract_v1, Forms}` (`Abst`). A form
/// too deep to decode is an error of its own and leaves the others readable.
/// `None` when the chunk holds no Erlang abstract code (another backend, or
/// the code stripped).
pub fn abstract_forms(
    chunk: &str,
    bytes: &[u8],
) -> Result<Option<Vec<Result<eetf::Term, FormatError>>>, FormatError> {
    let term = validate_term(chunk, bytes)?;
    let bad = |what: &str| FormatError::bad(chunk, format!("abstract code: {what}"));
    let mut at = 1;
    let tuple = |at: &mut usize| -> Result<usize, FormatError> {
        match take(&term, at, 1).map_err(|e| bad(&e))?[0] {
            104 => Ok(usize::from(take(&term, at, 1).map_err(|e| bad(&e))?[0])),
            _ => Err(bad("not a tuple")),
        }
    };
    let arity = tuple(&mut at)?;
    let first = atom_at(&term, &mut at).map_err(|e| bad(&e))?;
    match (first.as_str(), arity) {
        ("debug_info_v1", 3) => {
            if atom_at(&term, &mut at).map_err(|e| bad(&e))? != "erl_abstract_code" {
                return Ok(None);
            }
            // `{Forms, Options}`, or `none` when the code was left out.
            if term.get(at) != Some(&104) {
                return Ok(None);
            }
            tuple(&mut at)?;
        }
        ("raw_abstract_v1", 2) => {}
        _ => return Ok(None),
    }
    let count = match take(&term, &mut at, 1).map_err(|e| bad(&e))?[0] {
        106 => return Ok(Some(Vec::new())),
        108 => u32_at(&term, &mut at).map_err(|e| bad(&e))?,
        _ => return Err(bad("the forms are not a list")),
    };
    let mut forms = Vec::new();
    for _ in 0..count {
        let end = term_end(&term, at).map_err(|e| bad(&e))?;
        let mut form = Vec::with_capacity(end - at + 1);
        form.push(VERSION);
        form.extend_from_slice(&term[at..end]);
        forms.push(decode_term(chunk, &form));
        at = end;
    }
    Ok(Some(forms))
}

/// The text of the atom at `at`.
fn atom_at(bytes: &[u8], at: &mut usize) -> Result<String, String> {
    let len = match take(bytes, at, 1)?[0] {
        100 | 118 => u16_at(bytes, at)?,
        115 | 119 => usize::from(take(bytes, at, 1)?[0]),
        other => return Err(format!("tag {other} where an atom was expected")),
    };
    Ok(String::from_utf8_lossy(take(bytes, at, len)?).into_owned())
}

fn take<'a>(bytes: &'a [u8], at: &mut usize, len: usize) -> Result<&'a [u8], String> {
    let end = at
        .checked_add(len)
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| format!("cut off at byte {at}"))?;
    let slice = &bytes[*at..end];
    *at = end;
    Ok(slice)
}

/// Skips `len` bytes; no child terms.
fn skip(bytes: &[u8], at: &mut usize, len: usize) -> Result<usize, String> {
    take(bytes, at, len)?;
    Ok(0)
}

fn u16_at(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
    let b = take(bytes, at, 2)?;
    Ok(usize::from(u16::from_be_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: &mut usize) -> Result<usize, String> {
    let b = take(bytes, at, 4)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// A node name (an atom, walked here) followed by `len` bytes; no child
/// terms left to read.
fn node_then(bytes: &[u8], at: &mut usize, len: usize) -> Result<usize, String> {
    let tag = take(bytes, at, 1)?[0];
    match tag {
        100 | 118 => {
            let name = u16_at(bytes, at)?;
            take(bytes, at, name)?;
        }
        115 | 119 => {
            let name = usize::from(take(bytes, at, 1)?[0]);
            take(bytes, at, name)?;
        }
        other => return Err(format!("a node name has tag {other}, not an atom")),
    }
    skip(bytes, at, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<String, FormatError> {
        decode_term("test", bytes).map(|term| term.to_string())
    }

    #[test]
    fn terms_decode_and_errors_are_errors() {
        // {ok, [1, <<"a">>], "hi"}
        let term = [
            131, 104, 3, 100, 0, 2, b'o', b'k', 108, 0, 0, 0, 2, 97, 1, 109, 0, 0, 0, 1, b'a', 106,
            107, 0, 2, b'h', b'i',
        ];
        assert_eq!(decode(&term).unwrap(), "{'ok',[1,<<97>>],[104,105]}");
        // Cut anywhere: an error, never a panic.
        for len in 0..term.len() {
            assert!(decode(&term[..len]).is_err(), "{len}");
        }
        // A list that claims four billion elements.
        assert!(decode(&[131, 108, 255, 255, 255, 255, 106]).is_err());
        // An atom cache reference and a distribution header (eetf panics).
        assert!(decode(&[131, 82, 0]).is_err());
        assert!(decode(&[131, 68, 0]).is_err());
        // Trailing bytes.
        assert!(decode(&[131, 106, 106]).is_err());
    }

    #[test]
    fn nesting_is_bounded() {
        let mut deep = vec![131];
        for _ in 0..MAX_DEPTH + 10 {
            deep.extend([104, 1]);
        }
        deep.push(106);
        let error = decode(&deep).unwrap_err().to_string();
        assert!(error.contains("nested deeper"), "{error}");
    }
}
