//! OTP's sources in one analysis database, for the corpus checks that
//! compare `hir` with OTP's own tools (`corpus epp`, `corpus scopes`): every
//! `.erl` and `.hrl` under `lib/`, in applications named by their directories,
//! and for each module a workspace in which its application has the options
//! the module was really compiled with.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use base_db::{FileId, RootDatabase, SourceFile};
use hir::preprocessor::{PredefinedMacro, normalise};
use hir::{App, FilePaths, Workspace};
use syntax::{FileKind, OtpRelease};

use super::epp_oracle::EppModule;

/// OTP's sources in a database.
pub(super) struct OtpDatabase {
    pub(super) db: RootDatabase,
    pub(super) apps: Vec<App>,
    pub(super) paths: Arc<FilePaths>,
    pub(super) files: HashMap<PathBuf, SourceFile>,
    /// Each file's path (normalised) and text, by id (for lines).
    pub(super) by_id: HashMap<FileId, (PathBuf, Arc<str>)>,
}

/// The OTP installation a corpus check runs on: its root, the release it is
/// (25 if it does not say), and its `.erl` files whose path contains `filter`.
pub(super) fn otp_modules(
    filter: Option<&str>,
) -> anyhow::Result<(PathBuf, OtpRelease, Vec<PathBuf>)> {
    let root = crate::otp::root()?;
    let release = project_model::otp::read_installation(&root)
        .map(|otp| otp.release())
        .unwrap_or(OtpRelease(25));
    let modules = crate::otp::source_files(&root)?
        .into_iter()
        .filter(|path| path.extension().is_some_and(|e| e == "erl"))
        .filter(|path| filter.is_none_or(|filter| path.to_string_lossy().contains(filter)))
        .collect();
    Ok((root, release, modules))
}

/// Loads every `.erl` and `.hrl` under `root/lib`.
pub(super) fn load_otp(root: &Path, release: OtpRelease) -> anyhow::Result<OtpDatabase> {
    let db = RootDatabase::default();
    let mut paths = FilePaths::default();
    let mut files = HashMap::new();
    let mut by_id = HashMap::new();
    let mut by_app: BTreeMap<PathBuf, Vec<SourceFile>> = BTreeMap::new();
    for (index, path) in crate::otp::source_files(root)?.into_iter().enumerate() {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let Ok((text, _)) = syntax::decode_source(&bytes) else {
            continue;
        };
        let kind = if path.extension().is_some_and(|e| e == "hrl") {
            FileKind::Header
        } else {
            FileKind::Module
        };
        let text: Arc<str> = Arc::from(text);
        let id = FileId(index as u32);
        let file = SourceFile::new(&db, id, text.clone(), kind, release);
        let app_dir = path
            .strip_prefix(root.join("lib"))
            .ok()
            .and_then(|rest| rest.components().next())
            .map(|dir| root.join("lib").join(dir));
        if let Some(app_dir) = app_dir {
            by_app.entry(app_dir).or_default().push(file);
        }
        by_id.insert(id, (normalise(&path), text));
        paths.insert(path.clone(), file);
        files.insert(path, file);
    }
    let apps = by_app
        .into_iter()
        .map(|(dir, files)| {
            let dir_name = dir.file_name().unwrap_or_default().to_string_lossy();
            let name = dir_name
                .split_once('-')
                .map_or(&*dir_name, |(name, _)| name)
                .to_owned();
            App::new(&db, name, Some(dir), files, Vec::new(), Vec::new())
        })
        .collect();
    Ok(OtpDatabase {
        db,
        apps,
        paths: Arc::new(paths),
        files,
        by_id,
    })
}

/// A workspace where `file`'s application has `module`'s include path (after
/// the file's own directory) and `{d, ...}` macros, as the oracle found them.
pub(super) fn module_workspace(
    otp: &OtpDatabase,
    module: &EppModule,
    file: SourceFile,
) -> Workspace {
    let macros: Vec<PredefinedMacro> = module
        .macros
        .iter()
        .map(|m| PredefinedMacro {
            name: m.name.clone(),
            value: (m.value != "true").then(|| m.value.clone()),
        })
        .collect();
    let include_dirs: Vec<PathBuf> = module.includes.iter().skip(1).cloned().collect();
    let mut apps = otp.apps.clone();
    if let Some(own) = apps
        .iter()
        .position(|app| app.files(&otp.db).contains(&file))
    {
        let app = apps[own];
        apps[own] = App::new(
            &otp.db,
            app.name(&otp.db).clone(),
            app.dir(&otp.db).clone(),
            app.files(&otp.db).clone(),
            include_dirs,
            macros,
        );
    }
    Workspace::new(&otp.db, apps, otp.paths.clone())
}

/// The OTP modules a check compares: those with a beam that `epp` reads
/// without error (files without a beam, and modules whose headers are missing
/// from the installation, are left out).
pub(super) struct CompiledModules<'a> {
    pub(super) modules: Vec<&'a EppModule>,
    pub(super) without_beam: usize,
    pub(super) epp_errors: usize,
}

pub(super) fn compiled_modules(epp: &[EppModule]) -> CompiledModules<'_> {
    let fails = |m: &EppModule| m.errors.iter().any(|e| e.contains(": error: "));
    CompiledModules {
        modules: epp
            .iter()
            .filter(|m| m.options_from.is_some() && !fails(m))
            .collect(),
        without_beam: epp.iter().filter(|m| m.options_from.is_none()).count(),
        epp_errors: epp
            .iter()
            .filter(|m| m.options_from.is_some() && fails(m))
            .count(),
    }
}

/// Each of `modules` with its file and a workspace giving it its options.
pub(super) fn module_jobs<'a>(
    otp: &OtpDatabase,
    modules: &[&'a EppModule],
) -> anyhow::Result<Vec<(&'a EppModule, Workspace, SourceFile)>> {
    modules
        .iter()
        .map(|&module| {
            let Some(&file) = otp.files.get(&module.file) else {
                anyhow::bail!("{} was not loaded", module.file.display());
            };
            Ok((module, module_workspace(otp, module, file), file))
        })
        .collect()
}
