//! The lint cache in `.erlkit/cache/lint.json`: each linted file's findings
//! with the content hashes of every file they were read from, so that a run
//! over unchanged files prints them without analysing anything, and no change
//! to an input can let a stale finding through.
//!
//! What a file's findings depend on: the contents of its lint inputs
//! ([`ide::Analysis::lint_inputs`]: the file, its headers, the modules it
//! names as behaviours or calls), and beyond them things global to the run,
//! hashed into one key: erlkit's version (and its binary's size and time, so
//! that one development build never reads another's cache), the cache's
//! format, the OTP release, the applications as discovery found them (the
//! project's and OTP's), the files that configure them (`erlkit.toml`,
//! `rebar.config`, `erlang.mk`, `Makefile`, every `.app.src`), and the sorted
//! paths of every loaded file (which stands for the set of module names: adding
//! or removing any file invalidates everything). An entry is used only when
//! the key matches and every input's content hash matches today's. (With
//! unused exports, W2306, asked for, a module's lint inputs are every module
//! of the project and its dependencies, so any change to one re-lints all.)
//!
//! Findings are stored as the linter gives them (after suppressions, before
//! `[lint.levels]` and the baseline, which apply later), with byte ranges in
//! files named by their index in the sorted path list; they are located
//! (lines, columns, line text) when printed, from today's texts, which are
//! the texts they were found in. The cache is written atomically (a temporary
//! file renamed over the old one); an unreadable, corrupt or other version's
//! cache is ignored (with a debug log) and rebuilt, never an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ide::{
    DiagnosticCode, FileId, FileRange, FixEdit, LintDiagnostic, LintFix, RelatedInfo, Severity,
};
use serde::{Deserialize, Serialize};
use syntax::{TextRange, TextSize};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

use crate::project_load::LoadedProject;

/// The cache's directory under the project's root.
pub(crate) const DIR: &str = ".erlkit/cache";
/// The file of the lint cache in [`DIR`].
const FILE: &str = "lint.json";
/// The layout of [`OnDisk`]; another number is another format.
const FORMAT: u32 = 1;

/// A 128-bit XXH3 hash.
type Hash = u128;

/// A range of a file (by index) and a text: a related place and what it
/// says, or a fix's edit and its new text.
type Place = (u32, TextRange, String);

/// The cache of one run: what was read, what the run adds.
pub(crate) struct LintCache {
    /// `.erlkit/cache/lint.json` under the root.
    path: PathBuf,
    /// The global key of this run.
    key: Hash,
    table: FileTable,
    /// The entries read, when the key matched, by file index.
    stored: HashMap<u32, Entry>,
    /// The content hashes the stored entries were made with, by file index.
    stored_hashes: Vec<Option<Hash>>,
    /// The entries of files linted in this run, by file index.
    fresh: HashMap<u32, Entry>,
    /// Whether anything read was dropped (another key, or stale entries).
    dirty: bool,
}

/// Every loaded file, sorted by path: a file's index is its place here.
struct FileTable {
    paths: Vec<String>,
    ids: Vec<FileId>,
    index_of: HashMap<FileId, u32>,
    /// Content hashes, computed when first asked for.
    hashes: Vec<OnceLock<Hash>>,
    /// The texts as loaded (empty for a file without contents).
    texts: Vec<std::sync::Arc<str>>,
}

impl FileTable {
    /// The table of the project's loaded files; `None` when a path is not
    /// UTF-8 (the cache is then not used).
    fn new(project: &LoadedProject) -> Option<FileTable> {
        let mut files: Vec<(String, FileId)> = Vec::with_capacity(project.files.len());
        for file in &project.files {
            let path = project.vfs.path(file.file_id).to_str()?.to_owned();
            files.push((path, file.file_id));
        }
        files.sort();
        files.dedup_by(|a, b| a.0 == b.0);
        let texts = files
            .iter()
            .map(|(_, id)| {
                project
                    .vfs
                    .contents(*id)
                    .cloned()
                    .unwrap_or_else(|| std::sync::Arc::from(""))
            })
            .collect();
        let index_of = files
            .iter()
            .enumerate()
            .map(|(index, (_, id))| (*id, index as u32))
            .collect();
        let (paths, ids): (Vec<String>, Vec<FileId>) = files.into_iter().unzip();
        Some(FileTable {
            hashes: (0..paths.len()).map(|_| OnceLock::new()).collect(),
            paths,
            ids,
            index_of,
            texts,
        })
    }

    fn hash(&self, index: u32) -> Hash {
        let index = index as usize;
        *self.hashes[index].get_or_init(|| xxh3_128(self.texts[index].as_bytes()))
    }

    fn text(&self, index: u32) -> &str {
        &self.texts[index as usize]
    }
}

/// One file's findings and what they were read from.
#[derive(Debug, Clone)]
struct Entry {
    /// File indices, sorted.
    inputs: Vec<u32>,
    findings: Vec<CachedFinding>,
}

#[derive(Debug, Clone)]
struct CachedFinding {
    code: DiagnosticCode,
    severity: Severity,
    file: u32,
    range: TextRange,
    message: String,
    related: Vec<Place>,
    /// The label of the fix and its edits.
    fix: Option<(String, Vec<Place>)>,
}

/// The cache file as written.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: u32,
    erlkit: String,
    /// The global key, in hex.
    key: String,
    /// Every loaded file's path, sorted: a file is its index here.
    files: Vec<String>,
    /// The content hash (hex) of every file some entry reads, by index.
    hashes: Vec<Option<String>>,
    entries: Vec<OnDiskEntry>,
}

#[derive(Serialize, Deserialize)]
struct OnDiskEntry {
    file: u32,
    inputs: Vec<u32>,
    findings: Vec<OnDiskFinding>,
}

#[derive(Serialize, Deserialize)]
struct OnDiskFinding {
    code: String,
    severity: String,
    file: u32,
    start: u32,
    end: u32,
    message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    related: Vec<OnDiskRelated>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<OnDiskFix>,
}

/// A related place (`message` what it says) or a fix's edit (`message` the
/// new text).
#[derive(Serialize, Deserialize)]
struct OnDiskRelated {
    file: u32,
    start: u32,
    end: u32,
    message: String,
}

#[derive(Serialize, Deserialize)]
struct OnDiskFix {
    label: String,
    edits: Vec<OnDiskRelated>,
}

impl LintCache {
    /// The cache of the project at its root, with what is on disk when it
    /// can be used; `None` when the cache cannot work for this project (a
    /// path that is not UTF-8).
    pub(crate) fn open(project: &LoadedProject) -> Option<LintCache> {
        let Some(table) = FileTable::new(project) else {
            tracing::debug!("lint cache: a loaded path is not UTF-8; not caching");
            return None;
        };
        let key = global_key(project, &table);
        let path = project.root.join(DIR).join(FILE);
        let mut cache = LintCache {
            path,
            key,
            stored_hashes: vec![None; table.paths.len()],
            table,
            stored: HashMap::new(),
            fresh: HashMap::new(),
            dirty: false,
        };
        cache.read();
        Some(cache)
    }

    /// Reads the cache file; anything wrong with it leaves the cache empty.
    fn read(&mut self) {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) => {
                tracing::debug!(path = %self.path.display(), %error, "lint cache: not read");
                self.dirty = true;
                return;
            }
        };
        let on_disk: OnDisk = match serde_json::from_slice(&bytes) {
            Ok(on_disk) => on_disk,
            Err(error) => {
                tracing::debug!(path = %self.path.display(), %error, "lint cache: unreadable, rebuilt");
                self.dirty = true;
                return;
            }
        };
        if on_disk.format != FORMAT || on_disk.key != hex(self.key) {
            tracing::debug!(
                path = %self.path.display(),
                format = on_disk.format,
                erlkit = %on_disk.erlkit,
                "lint cache: of another version, project layout or set of files; rebuilt"
            );
            self.dirty = true;
            return;
        }
        match self.accept(on_disk) {
            Ok(()) => tracing::debug!(
                path = %self.path.display(),
                entries = self.stored.len(),
                "lint cache: read"
            ),
            Err(problem) => {
                tracing::debug!(path = %self.path.display(), problem, "lint cache: corrupt, rebuilt");
                self.stored.clear();
                self.stored_hashes.iter_mut().for_each(|hash| *hash = None);
                self.dirty = true;
            }
        }
    }

    /// Takes the entries of a cache file whose key matches, checking that
    /// every index and range in it makes sense.
    fn accept(&mut self, on_disk: OnDisk) -> Result<(), &'static str> {
        let count = self.table.paths.len();
        if on_disk.files != self.table.paths || on_disk.hashes.len() != count {
            return Err("the file list does not match the key");
        }
        for (slot, hash) in self.stored_hashes.iter_mut().zip(&on_disk.hashes) {
            *slot = match hash {
                Some(text) => Some(Hash::from_str_radix(text, 16).map_err(|_| "a bad hash")?),
                None => None,
            };
        }
        let index = |index: u32| {
            if (index as usize) < count {
                Ok(index)
            } else {
                Err("a file index out of range")
            }
        };
        let range = |start: u32, end: u32| {
            if start <= end {
                Ok(TextRange::new(TextSize::from(start), TextSize::from(end)))
            } else {
                Err("a range that ends before it starts")
            }
        };
        let places = |places: Vec<OnDiskRelated>| {
            places
                .into_iter()
                .map(|place| {
                    Ok((
                        index(place.file)?,
                        range(place.start, place.end)?,
                        place.message,
                    ))
                })
                .collect::<Result<Vec<_>, &'static str>>()
        };
        for entry in on_disk.entries {
            let file = index(entry.file)?;
            let inputs = entry
                .inputs
                .into_iter()
                .map(|input| {
                    let input = index(input)?;
                    if self.stored_hashes[input as usize].is_some() {
                        Ok(input)
                    } else {
                        Err("an input without a hash")
                    }
                })
                .collect::<Result<Vec<u32>, _>>()?;
            let findings = entry
                .findings
                .into_iter()
                .map(|finding| {
                    Ok(CachedFinding {
                        code: DiagnosticCode::from_code_or_name(&finding.code)
                            .ok_or("an unknown code")?,
                        severity: match finding.severity.as_str() {
                            "error" => Severity::Error,
                            "warning" => Severity::Warning,
                            _ => return Err("an unknown severity"),
                        },
                        file: index(finding.file)?,
                        range: range(finding.start, finding.end)?,
                        message: finding.message,
                        related: places(finding.related)?,
                        fix: match finding.fix {
                            Some(fix) => Some((fix.label, places(fix.edits)?)),
                            None => None,
                        },
                    })
                })
                .collect::<Result<Vec<CachedFinding>, &'static str>>()?;
            self.stored.insert(file, Entry { inputs, findings });
        }
        Ok(())
    }

    /// The cached findings of `file_id` when its entry holds, as
    /// [`ide::Analysis::lint`] gave them.
    pub(crate) fn findings(&self, file_id: FileId) -> Option<Vec<LintDiagnostic>> {
        let index = *self.table.index_of.get(&file_id)?;
        let entry = self.stored.get(&index)?;
        if !holds(&self.table, &self.stored_hashes, entry) {
            return None;
        }
        let file_range = |file: u32, range: TextRange| FileRange {
            file_id: self.table.ids[file as usize],
            range,
        };
        Some(
            entry
                .findings
                .iter()
                .map(|finding| LintDiagnostic {
                    code: finding.code,
                    severity: finding.severity,
                    range: file_range(finding.file, finding.range),
                    message: finding.message.clone(),
                    related: finding
                        .related
                        .iter()
                        .map(|(file, range, message)| RelatedInfo {
                            range: file_range(*file, *range),
                            message: message.clone(),
                        })
                        .collect(),
                    fix: finding.fix.as_ref().map(|(label, edits)| LintFix {
                        label: label.clone(),
                        edits: edits
                            .iter()
                            .map(|(file, range, new_text)| FixEdit {
                                range: file_range(*file, *range),
                                new_text: new_text.clone(),
                            })
                            .collect(),
                    }),
                })
                .collect(),
        )
    }

    /// The lint inputs of `file_id` as its entry says, when the entry holds.
    pub(crate) fn inputs(&self, file_id: FileId) -> Option<Vec<FileId>> {
        let index = *self.table.index_of.get(&file_id)?;
        let entry = self.stored.get(&index)?;
        holds(&self.table, &self.stored_hashes, entry).then(|| {
            entry
                .inputs
                .iter()
                .map(|&input| self.table.ids[input as usize])
                .collect()
        })
    }

    /// Records what linting `file_id` found and read. A file whose findings
    /// or inputs lie outside the loaded files is not recorded.
    pub(crate) fn insert(
        &mut self,
        file_id: FileId,
        inputs: &[FileId],
        findings: &[LintDiagnostic],
    ) {
        let table = &self.table;
        let index_of = |id: FileId| table.index_of.get(&id).copied();
        let Some(file) = index_of(file_id) else {
            return;
        };
        let mut indices: Vec<u32> = Vec::with_capacity(inputs.len() + 1);
        let mut cached = Vec::with_capacity(findings.len());
        let known = (|| {
            indices.push(file);
            for &input in inputs {
                indices.push(index_of(input)?);
            }
            for finding in findings {
                let at = index_of(finding.range.file_id)?;
                // A finding's text is an input, whatever the linter says.
                indices.push(at);
                let mut related = Vec::with_capacity(finding.related.len());
                for info in &finding.related {
                    let at = index_of(info.range.file_id)?;
                    indices.push(at);
                    related.push((at, info.range.range, info.message.clone()));
                }
                let fix = match &finding.fix {
                    Some(fix) => {
                        let mut edits = Vec::with_capacity(fix.edits.len());
                        for edit in &fix.edits {
                            let at = index_of(edit.range.file_id)?;
                            indices.push(at);
                            edits.push((at, edit.range.range, edit.new_text.clone()));
                        }
                        Some((fix.label.clone(), edits))
                    }
                    None => None,
                };
                cached.push(CachedFinding {
                    code: finding.code,
                    severity: finding.severity,
                    file: at,
                    range: finding.range.range,
                    message: finding.message.clone(),
                    related,
                    fix,
                });
            }
            Some(())
        })();
        if known.is_none() {
            tracing::debug!(file = %table.paths[file as usize], "lint cache: an input outside the loaded files; not cached");
            return;
        }
        indices.sort_unstable();
        indices.dedup();
        self.fresh.insert(
            file,
            Entry {
                inputs: indices,
                findings: cached,
            },
        );
    }

    /// Writes the cache when anything changed: the entries of this run, and
    /// those read that still hold. A failure is logged, not an error.
    pub(crate) fn save(self) {
        if self.fresh.is_empty() && !self.dirty {
            tracing::debug!("lint cache: unchanged");
            return;
        }
        let LintCache {
            path,
            key,
            table,
            stored,
            stored_hashes,
            fresh,
            dirty: _,
        } = self;
        let mut entries: Vec<(u32, Entry)> = stored
            .into_iter()
            .filter(|(file, entry)| {
                !fresh.contains_key(file) && holds(&table, &stored_hashes, entry)
            })
            .collect();
        entries.extend(fresh);
        entries.sort_by_key(|(file, _)| *file);
        let mut hashes: Vec<Option<String>> = vec![None; table.paths.len()];
        for (_, entry) in &entries {
            for &input in &entry.inputs {
                let slot = &mut hashes[input as usize];
                if slot.is_none() {
                    *slot = Some(hex(table.hash(input)));
                }
            }
        }
        let on_disk = OnDisk {
            format: FORMAT,
            erlkit: env!("CARGO_PKG_VERSION").to_owned(),
            key: hex(key),
            files: table.paths,
            hashes,
            entries: entries
                .into_iter()
                .map(|(file, entry)| OnDiskEntry {
                    file,
                    inputs: entry.inputs,
                    findings: entry.findings.into_iter().map(on_disk_finding).collect(),
                })
                .collect(),
        };
        match write(&path, &on_disk) {
            Ok(()) => tracing::debug!(path = %path.display(), "lint cache: written"),
            Err(error) => {
                tracing::debug!(path = %path.display(), %error, "lint cache: not written")
            }
        }
    }
}

/// Whether the stored entry `entry` holds today: every input has the hash
/// `stored_hashes` gives it, and every range lies on character boundaries of
/// its file's text (which, its file being an input, is the text it was found
/// in).
fn holds(table: &FileTable, stored_hashes: &[Option<Hash>], entry: &Entry) -> bool {
    let range_fits = |file: u32, range: TextRange| {
        let text = table.text(file);
        let (start, end) = (usize::from(range.start()), usize::from(range.end()));
        end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
    };
    entry
        .inputs
        .iter()
        .all(|&input| stored_hashes[input as usize] == Some(table.hash(input)))
        && entry.findings.iter().all(|finding| {
            range_fits(finding.file, finding.range)
                && finding
                    .related
                    .iter()
                    .chain(finding.fix.iter().flat_map(|(_, edits)| edits))
                    .all(|(file, range, _)| range_fits(*file, *range))
        })
}

fn on_disk_finding(finding: CachedFinding) -> OnDiskFinding {
    OnDiskFinding {
        code: finding.code.code().to_owned(),
        severity: super::report::severity_name(finding.severity).to_owned(),
        file: finding.file,
        start: finding.range.start().into(),
        end: finding.range.end().into(),
        message: finding.message,
        related: finding.related.into_iter().map(on_disk_place).collect(),
        fix: finding.fix.map(|(label, edits)| OnDiskFix {
            label,
            edits: edits.into_iter().map(on_disk_place).collect(),
        }),
    }
}

fn on_disk_place((file, range, message): Place) -> OnDiskRelated {
    OnDiskRelated {
        file,
        start: range.start().into(),
        end: range.end().into(),
        message,
    }
}

/// Writes `on_disk` to `path` atomically: a temporary file beside it, renamed
/// over it. The directory gets a `.gitignore` that ignores everything in it.
fn write(path: &Path, on_disk: &OnDisk) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, "# erlkit's cache: not for version control.\n*\n")?;
    }
    let bytes = serde_json::to_vec(on_disk).map_err(std::io::Error::other)?;
    let temporary = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

fn hex(hash: Hash) -> String {
    format!("{hash:032x}")
}

/// The key of everything global that findings depend on (see the module's
/// documentation).
fn global_key(project: &LoadedProject, table: &FileTable) -> Hash {
    let mut hasher = Xxh3::new();
    let mut field = |name: &str, bytes: &[u8]| {
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    field("format", &FORMAT.to_le_bytes());
    field("erlkit", env!("CARGO_PKG_VERSION").as_bytes());
    field("binary", build_identity().as_bytes());
    field("release", &project.release.0.to_le_bytes());
    field("root", project.root.as_os_str().as_encoded_bytes());
    field("apps", format!("{:?}", project.layout.apps).as_bytes());
    field(
        "build system",
        format!("{:?}", project.layout.build_system).as_bytes(),
    );
    field("otp apps", format!("{:?}", project.otp_apps).as_bytes());
    for file in settings_files(project) {
        let contents = std::fs::read(&file);
        field("settings file", file.as_os_str().as_encoded_bytes());
        match contents {
            Ok(bytes) => field("contents", &bytes),
            Err(_) => field("absent", &[]),
        }
    }
    for path in &table.paths {
        field("file", path.as_bytes());
    }
    hasher.digest128()
}

/// erlkit's binary's size and modification time: a rebuilt binary (whose
/// linter may differ under the same version) reads no cache of the old one.
fn build_identity() -> String {
    let metadata = std::env::current_exe().and_then(std::fs::metadata);
    match metadata {
        Ok(metadata) => {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |time| time.as_nanos());
            format!("{} {modified}", metadata.len())
        }
        Err(_) => String::new(),
    }
}

/// The files that configure the project's applications: the `erlkit.toml`
/// that applies, the root's build files, and every application's `.app.src`
/// (and `.app.src.script`), sorted.
fn settings_files(project: &LoadedProject) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = [
        "rebar.config",
        "rebar.config.script",
        "rebar.lock",
        "erlang.mk",
        "Makefile",
        "erlkit.toml",
    ]
    .iter()
    .map(|name| project.root.join(name))
    .collect();
    files.extend(project_model::config::find_config_file(&project.root));
    for app in &project.layout.apps {
        for name in ["rebar.config", "Makefile"] {
            files.push(app.dir.join(name));
        }
        for dir in app.src_dirs.iter().chain([&app.dir.join("ebin")]) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.ends_with(".app.src")
                    || name.ends_with(".app.src.script")
                    || name.ends_with(".app")
                {
                    files.push(entry.path());
                }
            }
        }
    }
    files.sort();
    files.dedup();
    files
}
