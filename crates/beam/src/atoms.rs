//! The atom table (`AtU8`, or `Atom` in files from before OTP 20): atom 1
//! is the module's name, and the other tables refer to atoms by index.

use crate::container::Reader;
use crate::error::FormatError;

/// The atoms of an `AtU8` chunk (`utf8`) or an `Atom` chunk (Latin-1).
///
/// A negative count (OTP 26 and later) means each atom's length is written
/// in the compact encoding of the code; before, it is one byte.
pub(crate) fn decode(data: &[u8], utf8: bool) -> Result<Vec<String>, FormatError> {
    let id = if utf8 { "AtU8" } else { "Atom" };
    let mut reader = Reader::new(id, data);
    let raw = reader.u32()? as i32;
    let compact = raw < 0;
    let count = raw.unsigned_abs() as usize;
    if count > reader.remaining() {
        return Err(reader.error(format!("{count} atoms do not fit in the chunk")));
    }
    let mut atoms = Vec::with_capacity(count);
    for _ in 0..count {
        let len = if compact {
            compact_length(&mut reader)?
        } else {
            usize::from(reader.u8()?)
        };
        let bytes = reader.bytes(len)?;
        let atom = if utf8 {
            std::str::from_utf8(bytes)
                .map_err(|_| reader.error("an atom is not valid UTF-8"))?
                .to_owned()
        } else {
            bytes.iter().map(|&byte| char::from(byte)).collect()
        };
        atoms.push(atom);
    }
    Ok(atoms)
}

/// A non-negative integer in the compact encoding of BEAM code (the tag in
/// the low three bits is ignored).
fn compact_length(reader: &mut Reader<'_>) -> Result<usize, FormatError> {
    let first = reader.u8()?;
    if first & 0x08 == 0 {
        return Ok(usize::from(first >> 4));
    }
    if first & 0x10 == 0 {
        let low = reader.u8()?;
        return Ok((usize::from(first & 0xe0) << 3) | usize::from(low));
    }
    let bytes = usize::from(first >> 5) + 2;
    if bytes > 4 {
        return Err(reader.error("an atom length does not fit in four bytes"));
    }
    let mut value = 0usize;
    for &byte in reader.bytes(bytes)? {
        value = (value << 8) | usize::from(byte);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_byte_and_compact_lengths_give_the_same_atoms() {
        let classic = [&3u32.to_be_bytes()[..], b"\x01m\x02ab\x03xyz"].concat();
        assert_eq!(decode(&classic, true).unwrap(), ["m", "ab", "xyz"]);
        // -3, then lengths 1, 2, 3 as compact `u` values (value << 4).
        let compact = [&(-3i32).to_be_bytes()[..], b"\x10m\x20ab\x30xyz"].concat();
        assert_eq!(decode(&compact, true).unwrap(), ["m", "ab", "xyz"]);
        // A length of 300 in two bytes: 0b001_01_000 then 44.
        let long = "a".repeat(300);
        let mut data = (-1i32).to_be_bytes().to_vec();
        data.extend([0b0010_1000, 44]);
        data.extend(long.as_bytes());
        assert_eq!(decode(&data, true).unwrap(), [long]);
    }

    #[test]
    fn latin1_atoms_are_decoded_byte_by_byte() {
        let data = [&1u32.to_be_bytes()[..], b"\x02\xe5a"].concat();
        assert_eq!(decode(&data, false).unwrap(), ["åa"]);
    }

    #[test]
    fn a_cut_or_oversized_table_is_an_error() {
        let data = [&2u32.to_be_bytes()[..], b"\x01m\x05ab"].concat();
        assert!(decode(&data, true).is_err());
        let data = u32::MAX.to_be_bytes();
        assert!(decode(&data, true).is_err());
        assert!(decode(b"\x00\x00", true).is_err());
    }
}
