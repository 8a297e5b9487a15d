//! A build: the `.beam` files of ebin directories or of a release.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use beam::BeamFile;
use rayon::prelude::*;

use crate::error::DeployError;

/// One module of a build.
#[derive(Debug, Clone)]
pub struct ModuleBuild {
    pub path: PathBuf,
    /// The application, from the ebin directory's `.app` file or from a
    /// `lib/NAME-VSN/ebin` path.
    pub app: Option<String>,
    /// `beam_lib:md5/1` in hexadecimal: what decides whether it is loaded.
    pub md5: String,
    /// A hash of the whole file: a file whose module hash is unchanged but
    /// whose bytes changed differs only in metadata (debug information,
    /// compile information, line numbers).
    pub file_hash: u64,
    pub beam: BeamFile,
}

/// The modules of a build by name.
#[derive(Debug, Clone, Default)]
pub struct Build {
    pub modules: BTreeMap<String, ModuleBuild>,
}

impl Build {
    /// Reads every `.beam` file of `inputs`: each an ebin directory (its
    /// `.beam` files), an application's directory (its `ebin`), a release
    /// root or a `lib` directory (every `lib/*/ebin` under it), or one
    /// `.beam` file.
    pub fn scan(inputs: &[PathBuf]) -> Result<Build, DeployError> {
        let mut files = Vec::new();
        for input in inputs {
            let found = beam_files(input)?;
            if found.is_empty() {
                return Err(DeployError::NoBeams {
                    path: input.clone(),
                });
            }
            files.extend(found);
        }
        // Read and hashed on all cores; added in the order of the inputs, so
        // that the first of two files of one module is the one kept.
        let read: Vec<Result<ModuleBuild, DeployError>> =
            files.into_par_iter().map(read_module).collect();
        let mut build = Build::default();
        for module in read {
            let module = module?;
            let name = module.beam.module().to_owned();
            if let Some(first) = build.modules.get(&name) {
                return Err(DeployError::DuplicateModule {
                    module: name,
                    first: first.path.clone(),
                    second: module.path,
                });
            }
            build.modules.insert(name, module);
        }
        Ok(build)
    }
}

/// Reads, parses and hashes one `.beam` file.
fn read_module(path: PathBuf) -> Result<ModuleBuild, DeployError> {
    let bytes = std::fs::read(&path).map_err(|source| DeployError::Io {
        path: path.clone(),
        source,
    })?;
    let file_hash = fnv1a(&bytes);
    let beam = BeamFile::parse(bytes).map_err(|reason| beam::BeamError::Format {
        path: path.clone(),
        reason,
    })?;
    let md5 = beam.md5_hex().map_err(|reason| beam::BeamError::Format {
        path: path.clone(),
        reason,
    })?;
    let app = app_of(&path);
    Ok(ModuleBuild {
        path,
        app,
        md5,
        file_hash,
        beam,
    })
}

/// The `.beam` files `input` stands for, sorted.
fn beam_files(input: &Path) -> Result<Vec<PathBuf>, DeployError> {
    if input.is_file() {
        return Ok(vec![input.to_path_buf()]);
    }
    let mut files = beams_in(input)?;
    // An application's directory.
    if files.is_empty() && input.join("ebin").is_dir() {
        files = beams_in(&input.join("ebin"))?;
    }
    if files.is_empty() {
        // A release root (`lib/*/ebin`) or its `lib` directory.
        let lib = if input.join("lib").is_dir() {
            input.join("lib")
        } else {
            input.to_path_buf()
        };
        for app in sorted_entries(&lib)? {
            let ebin = app.join("ebin");
            if ebin.is_dir() {
                files.extend(beams_in(&ebin)?);
            }
        }
    }
    Ok(files)
}

fn beams_in(dir: &Path) -> Result<Vec<PathBuf>, DeployError> {
    Ok(sorted_entries(dir)?
        .into_iter()
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "beam"))
        .collect())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, DeployError> {
    let io = |source| DeployError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        entries.push(entry.map_err(io)?.path());
    }
    entries.sort();
    Ok(entries)
}

/// The application of a `.beam` file: the name of the `.app` file beside
/// it, else `NAME` of a `NAME-VSN/ebin` directory.
fn app_of(path: &Path) -> Option<String> {
    let ebin = path.parent()?;
    if let Ok(entries) = std::fs::read_dir(ebin) {
        let mut apps: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "app"))
            .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
            .collect();
        apps.sort();
        if let Some(app) = apps.into_iter().next() {
            return Some(app);
        }
    }
    if ebin.file_name()? != "ebin" {
        return None;
    }
    let dir = ebin.parent()?.file_name()?.to_str()?;
    Some(match dir.rsplit_once('-') {
        Some((name, vsn)) if vsn.starts_with(|c: char| c.is_ascii_digit()) => name.to_owned(),
        _ => dir.to_owned(),
    })
}

/// FNV-1a over the file's bytes: tells two files apart, nothing more.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
