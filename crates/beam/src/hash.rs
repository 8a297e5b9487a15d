//! The module's MD5 as `beam_lib:md5/1` computes it, which is also what a
//! running system reports as `Mod:module_info(md5)`.

use md5::{Digest, Md5};

use crate::error::FormatError;
use crate::module::BeamFile;

/// The chunks the hash covers, in the order they are hashed.
const HASHED_CHUNKS: [&[u8; 4]; 9] = [
    b"Atom", b"AtU8", b"Code", b"StrT", b"ImpT", b"ExpT", b"FunT", b"LitT", b"Meta",
];

/// The chunks every module has.
const MANDATORY_CHUNKS: [&[u8; 4]; 4] = [b"Code", b"ExpT", b"ImpT", b"StrT"];

/// The MD5 of the data of the hashed chunks that the file has (the first of
/// each id), with each fun's old unique value in `FunT` taken as zero.
pub(crate) fn md5(beam: &BeamFile) -> Result<[u8; 16], FormatError> {
    for id in MANDATORY_CHUNKS {
        if beam.chunk(id).is_none() {
            return Err(FormatError::MissingChunk(
                String::from_utf8_lossy(id).into_owned(),
            ));
        }
    }
    let mut hasher = Md5::new();
    for id in HASHED_CHUNKS {
        let Some(data) = beam.chunk(id) else {
            continue;
        };
        if id == b"FunT" {
            hash_funs(&mut hasher, data);
        } else {
            hasher.update(data);
        }
    }
    Ok(hasher.finalize().into())
}

/// `FunT` with the old unique value (the sixth word of each 24-byte entry)
/// zeroed: it is derived from the code, and the hash must not depend on it.
fn hash_funs(hasher: &mut Md5, data: &[u8]) {
    let Some((count, entries)) = data.split_at_checked(4) else {
        hasher.update(data);
        return;
    };
    hasher.update(count);
    let mut entries = entries.chunks_exact(24);
    for entry in entries.by_ref() {
        hasher.update(&entry[..20]);
        hasher.update([0u8; 4]);
    }
    hasher.update(entries.remainder());
}
