//! Writing a file whole or not at all: a temporary file beside it, then a
//! rename.

use std::path::Path;

use crate::error::DeployError;

/// Writes `bytes` to `path` through `.NAME.tmp` in the same directory.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DeployError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DeployError::Io { path, source }
    };
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temporary, bytes).map_err(io(&temporary))?;
    std::fs::rename(&temporary, path).map_err(io(path))
}
