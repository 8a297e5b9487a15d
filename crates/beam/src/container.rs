//! The IFF container of a `.beam` file: the `FOR1` header, then chunks
//! (a four-letter id, a big-endian size, the data, padding to four bytes).

use std::io::Read;

use crate::error::FormatError;

/// One chunk: its id and where its data is in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub id: [u8; 4],
    /// Where the data starts (after the id and the size).
    pub offset: usize,
    pub size: usize,
}

impl Chunk {
    /// The id as text (`"Code"`, `"AtU8"`); a foreign id is shown lossily.
    pub fn name(&self) -> String {
        String::from_utf8_lossy(&self.id).into_owned()
    }
}

/// The largest `.beam` file accepted once decompressed: far above any real
/// module, it keeps a corrupt size from asking for all memory.
const MAX_UNCOMPRESSED: u64 = 1 << 30;

/// The file's bytes as the loader reads them: a gzip-compressed file (the
/// `compressed` compiler option) is decompressed first.
pub(crate) fn uncompressed(bytes: Vec<u8>) -> Result<Vec<u8>, FormatError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .take(MAX_UNCOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|error| FormatError::Compressed(error.to_string()))?;
    if out.len() as u64 > MAX_UNCOMPRESSED {
        return Err(FormatError::Compressed(format!(
            "more than {MAX_UNCOMPRESSED} bytes once decompressed"
        )));
    }
    Ok(out)
}

/// The chunks of a `.beam` file, in the order of the file. As `beam_lib`
/// does, the chunks are read up to the end of the file, and the last one
/// may lack its padding.
pub(crate) fn chunks(bytes: &[u8]) -> Result<Vec<Chunk>, FormatError> {
    if bytes.len() < 12 || &bytes[0..4] != b"FOR1" || &bytes[8..12] != b"BEAM" {
        return Err(FormatError::NotBeam);
    }
    let declared = u64::from(be_u32(&bytes[4..8]));
    let actual = bytes.len() as u64 - 8;
    if declared > actual {
        return Err(FormatError::Truncated { declared, actual });
    }
    let mut chunks = Vec::new();
    let mut at = 12;
    while at < bytes.len() {
        let Some(header) = bytes.get(at..at + 8) else {
            return Err(FormatError::ChunkHeaderCut { offset: at });
        };
        let id: [u8; 4] = [header[0], header[1], header[2], header[3]];
        let size = be_u32(&header[4..8]);
        let offset = at + 8;
        let end = offset.checked_add(size as usize);
        if end.is_none_or(|end| end > bytes.len()) {
            return Err(FormatError::ChunkPastEnd {
                id: String::from_utf8_lossy(&id).into_owned(),
                offset: at,
                size,
            });
        }
        chunks.push(Chunk {
            id,
            offset,
            size: size as usize,
        });
        // The data is padded to a multiple of four bytes.
        at = offset + (size as usize).div_ceil(4) * 4;
    }
    Ok(chunks)
}

pub(crate) fn be_u32(bytes: &[u8]) -> u32 {
    u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// A cursor over a chunk's data that reads big-endian words and reports
/// running out as an error of that chunk.
pub(crate) struct Reader<'a> {
    id: &'static str,
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(id: &'static str, data: &'a [u8]) -> Reader<'a> {
        Reader { id, data, at: 0 }
    }

    pub(crate) fn u8(&mut self) -> Result<u8, FormatError> {
        Ok(self.bytes(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(be_u32(self.bytes(4)?))
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Result<&'a [u8], FormatError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|&end| end <= self.data.len());
        let Some(end) = end else {
            return Err(FormatError::bad(
                self.id,
                format!("cut off at byte {} (needs {len} more)", self.at),
            ));
        };
        let bytes = &self.data[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    /// How many bytes are left.
    pub(crate) fn remaining(&self) -> usize {
        self.data.len() - self.at
    }

    /// A count read from the data, checked against what is left: each item
    /// takes at least `item_size` bytes, so a corrupt count cannot ask for
    /// more memory than the file could fill.
    pub(crate) fn count(&mut self, item_size: usize) -> Result<usize, FormatError> {
        let count = self.u32()? as usize;
        if count.saturating_mul(item_size) > self.remaining() {
            return Err(FormatError::bad(
                self.id,
                format!(
                    "{count} entries of {item_size} bytes do not fit in the {} bytes left",
                    self.remaining()
                ),
            ));
        }
        Ok(count)
    }

    pub(crate) fn error(&self, what: impl Into<String>) -> FormatError {
        FormatError::bad(self.id, what)
    }
}
