//! Compiled Erlang modules: `.beam` files read without an Erlang VM.
//!
//! [`BeamFile::parse`] reads the IFF container (`FOR1` ... `BEAM`) and its
//! chunks; the accessors decode the chunks that the deploy planner needs
//! (atoms, imports, exports, locals, funs, literals, attributes, compile
//! information, debug information) and [`BeamFile::md5`] computes the hash
//! that `beam_lib:md5/1` and `Mod:module_info(md5)` give. Nothing here
//! panics on bad input: a truncated, foreign or corrupt file is a
//! [`FormatError`], and [`read`] names the file in its [`BeamError`].

mod atoms;
mod container;
mod error;
mod hash;
mod module;
mod tables;
mod terms;

use std::path::Path;

pub use container::Chunk;
pub use error::{BeamError, FormatError};
pub use module::{BeamFile, Fun, Import, Labeled};
pub use terms::{MAX_DEPTH, abstract_forms, decode_term, validate_term};

/// Reads and parses the `.beam` file at `path`.
pub fn read(path: &Path) -> Result<BeamFile, BeamError> {
    let bytes = std::fs::read(path).map_err(|source| BeamError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    BeamFile::parse(bytes).map_err(|reason| BeamError::Format {
        path: path.to_path_buf(),
        reason,
    })
}
