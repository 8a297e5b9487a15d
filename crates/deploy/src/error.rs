//! What can go wrong reading builds.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{}: no .beam files (give an ebin directory or a release root with lib/*/ebin)", path.display())]
    NoBeams { path: PathBuf },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Beam(#[from] beam::BeamError),
    #[error("application {app}: its version is unknown ({why}), so its .appup cannot be written")]
    NoAppVersion { app: String, why: String },
    #[error("module {module} is in two places of the same build: {} and {}", first.display(), second.display())]
    DuplicateModule {
        module: String,
        first: PathBuf,
        second: PathBuf,
    },
}
