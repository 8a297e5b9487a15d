//! What can go wrong reading a `.beam` file.

use std::path::PathBuf;

/// A `.beam` file that could not be read, with its path.
#[derive(Debug, thiserror::Error)]
pub enum BeamError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {reason}", path.display())]
    Format { path: PathBuf, reason: FormatError },
}

/// Why bytes are not a readable `.beam` file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    #[error("not a BEAM file: it does not start with the FOR1 ... BEAM header")]
    NotBeam,
    #[error("truncated: the header says {declared} bytes follow it, the file has {actual}")]
    Truncated { declared: u64, actual: u64 },
    #[error("chunk {id} at byte {offset} declares {size} bytes, past the end of the file")]
    ChunkPastEnd {
        id: String,
        offset: usize,
        size: u32,
    },
    #[error("a chunk header at byte {offset} is cut off by the end of the file")]
    ChunkHeaderCut { offset: usize },
    #[error("the {0} chunk is missing")]
    MissingChunk(String),
    #[error("chunk {id}: {what}")]
    BadChunk { id: String, what: String },
    #[error("compressed file: {0}")]
    Compressed(String),
}

impl FormatError {
    /// A chunk whose content does not decode.
    pub(crate) fn bad(id: &str, what: impl Into<String>) -> FormatError {
        FormatError::BadChunk {
            id: id.to_owned(),
            what: what.into(),
        }
    }
}
