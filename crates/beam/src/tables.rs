//! The function tables: imports (`ImpT`), exports (`ExpT`), local
//! functions (`LocT`) and funs (`FunT`), each a count then big-endian words.

use crate::container::Reader;
use crate::error::FormatError;

/// An entry of `ImpT` as atom indexes: `module:function/arity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawImport {
    pub(crate) module: u32,
    pub(crate) function: u32,
    pub(crate) arity: u32,
}

/// An entry of `ExpT` or `LocT`: a function (atom index), its arity, the
/// label of its entry point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawLabeled {
    pub(crate) function: u32,
    pub(crate) arity: u32,
    pub(crate) label: u32,
}

/// An entry of `FunT`: the function a fun's code is in, its arity (free
/// variables included), its label, its index, the number of free
/// variables, and its old unique value (which `beam_lib:md5/1` leaves out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawFun {
    pub(crate) function: u32,
    pub(crate) arity: u32,
    pub(crate) label: u32,
    pub(crate) index: u32,
    pub(crate) free: u32,
    pub(crate) old_uniq: u32,
}

pub(crate) fn imports(data: &[u8]) -> Result<Vec<RawImport>, FormatError> {
    let mut reader = Reader::new("ImpT", data);
    let count = reader.count(12)?;
    (0..count)
        .map(|_| {
            Ok(RawImport {
                module: reader.u32()?,
                function: reader.u32()?,
                arity: reader.u32()?,
            })
        })
        .collect()
}

/// `ExpT` or `LocT` (named by `id`).
pub(crate) fn labeled(id: &'static str, data: &[u8]) -> Result<Vec<RawLabeled>, FormatError> {
    let mut reader = Reader::new(id, data);
    let count = reader.count(12)?;
    (0..count)
        .map(|_| {
            Ok(RawLabeled {
                function: reader.u32()?,
                arity: reader.u32()?,
                label: reader.u32()?,
            })
        })
        .collect()
}

pub(crate) fn funs(data: &[u8]) -> Result<Vec<RawFun>, FormatError> {
    let mut reader = Reader::new("FunT", data);
    let count = reader.count(24)?;
    (0..count)
        .map(|_| {
            Ok(RawFun {
                function: reader.u32()?,
                arity: reader.u32()?,
                label: reader.u32()?,
                index: reader.u32()?,
                free: reader.u32()?,
                old_uniq: reader.u32()?,
            })
        })
        .collect()
}

/// The terms of a `LitT` chunk, each the external term format (starting
/// with 131). The table is zlib-compressed after its uncompressed size; a
/// size of 0 means it is stored as it is.
pub(crate) fn literals(data: &[u8]) -> Result<Vec<Vec<u8>>, FormatError> {
    use std::io::Read;
    let mut reader = Reader::new("LitT", data);
    let size = reader.u32()? as usize;
    let rest = reader.bytes(reader.remaining())?;
    let table = if size == 0 {
        rest.to_vec()
    } else {
        let mut table = Vec::with_capacity(size.min(rest.len().saturating_mul(64)));
        flate2::read::ZlibDecoder::new(rest)
            .take(size as u64 + 1)
            .read_to_end(&mut table)
            .map_err(|error| FormatError::bad("LitT", format!("zlib: {error}")))?;
        if table.len() != size {
            return Err(FormatError::bad(
                "LitT",
                format!(
                    "{} bytes once uncompressed, the chunk says {size}",
                    table.len()
                ),
            ));
        }
        table
    };
    let mut reader = Reader::new("LitT", &table);
    let count = reader.count(4)?;
    let mut literals = Vec::with_capacity(count);
    for _ in 0..count {
        let len = reader.u32()? as usize;
        literals.push(reader.bytes(len)?.to_vec());
    }
    Ok(literals)
}
