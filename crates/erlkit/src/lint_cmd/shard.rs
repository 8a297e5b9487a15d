//! `--shard I/N`: which files a part of a split run lints and which findings
//! it reports, so that the N parts together report exactly what one run
//! reports, each finding once.
//!
//! Every finding is reported by the shard that owns the file it is in. The
//! files linted are dealt out in the order of their paths (relative to the
//! project's root): the k-th (from 0) belongs to shard k mod N + 1, which
//! keeps shards the same size. Any other file (a dependency's header) belongs
//! to the shard its path's FNV-1a hash gives. A module's findings can be in
//! the headers it includes, which may be another shard's: so a shard also
//! lints the modules of other shards that may include one of its files
//! (found by the names in their `-include` and `-include_lib` directives,
//! followed through headers; a directive naming its file by a macro may
//! include anything), and keeps only the findings in its own files.

use std::collections::{HashMap, HashSet};

use syntax::FileKind;

use super::report::shown;
use crate::cli::Shard;
use crate::project_load::{LoadedFile, LoadedProject};

/// What a run lints, and which findings it reports.
pub(crate) struct Plan {
    /// The files to lint: the run's own, then (for a shard) the modules of
    /// other shards that may include one of its files.
    pub(crate) lint: Vec<LoadedFile>,
    /// How many of `lint` are the run's own.
    pub(crate) own: usize,
    /// The shown paths of the run's own files.
    own_paths: HashSet<String>,
    /// The shard's owners of paths; `None` for a whole run.
    owners: Option<Owners>,
}

struct Owners {
    /// From 0.
    index: u32,
    count: u32,
    /// The shard (from 0) of each linted file's shown path.
    by_path: HashMap<String, u32>,
}

impl Owners {
    fn shard_of(&self, path: &str) -> u32 {
        self.by_path
            .get(path)
            .copied()
            .unwrap_or_else(|| (path_hash(path) % u64::from(self.count)) as u32)
    }

    fn owns(&self, path: &str) -> bool {
        self.shard_of(path) == self.index
    }
}

impl Plan {
    /// The plan of a run over `files` (the project's files selected), or of
    /// its part `shard`.
    pub(crate) fn new(
        project: &LoadedProject,
        files: Vec<LoadedFile>,
        shard: Option<Shard>,
    ) -> Plan {
        let Some(shard) = shard else {
            return Plan {
                own: files.len(),
                own_paths: files
                    .iter()
                    .map(|file| shown(project, file.file_id))
                    .collect(),
                lint: files,
                owners: None,
            };
        };
        let mut sorted: Vec<(String, LoadedFile)> = files
            .into_iter()
            .map(|file| (shown(project, file.file_id), file))
            .collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let owners = Owners {
            index: shard.index - 1,
            count: shard.count,
            by_path: sorted
                .iter()
                .enumerate()
                .map(|(k, (path, _))| (path.clone(), (k % shard.count as usize) as u32))
                .collect(),
        };
        let (own, others): (Vec<_>, Vec<_>) =
            sorted.into_iter().partition(|(path, _)| owners.owns(path));
        let mut includes = IncludeGraph::new(project);
        let extra: Vec<LoadedFile> = others
            .into_iter()
            .filter(|(_, file)| {
                file.kind == FileKind::Module && includes.may_reach(file, |path| owners.owns(path))
            })
            .map(|(_, file)| file)
            .collect();
        let own_paths = own.iter().map(|(path, _)| path.clone()).collect();
        let own: Vec<LoadedFile> = own.into_iter().map(|(_, file)| file).collect();
        Plan {
            own: own.len(),
            own_paths,
            lint: own.into_iter().chain(extra).collect(),
            owners: Some(owners),
        }
    }

    /// Whether this run reports the findings in the file shown as `path`.
    pub(crate) fn owns(&self, path: &str) -> bool {
        self.owners.as_ref().is_none_or(|owners| owners.owns(path))
    }

    /// Whether `path` is one of the files this run lints as its own.
    pub(crate) fn lints_as_own(&self, path: &str) -> bool {
        self.own_paths.contains(path)
    }
}

/// What every loaded file may include, by the file names its directives give.
struct IncludeGraph<'a> {
    project: &'a LoadedProject,
    /// Each loaded file by its file name.
    by_name: HashMap<&'a str, Vec<&'a LoadedFile>>,
    /// The file names each file's directives give; `None` for a macro.
    names: HashMap<ide::FileId, Option<Vec<String>>>,
}

impl<'a> IncludeGraph<'a> {
    fn new(project: &'a LoadedProject) -> IncludeGraph<'a> {
        let mut by_name: HashMap<&str, Vec<&LoadedFile>> = HashMap::new();
        for file in &project.files {
            if let Some(name) = project
                .vfs
                .path(file.file_id)
                .file_name()
                .and_then(|name| name.to_str())
            {
                by_name.entry(name).or_default().push(file);
            }
        }
        IncludeGraph {
            project,
            by_name,
            names: HashMap::new(),
        }
    }

    fn names_of(&mut self, file: ide::FileId) -> Option<Vec<String>> {
        let project = self.project;
        self.names
            .entry(file)
            .or_insert_with(|| {
                project
                    .vfs
                    .contents(file)
                    .map_or(Some(Vec::new()), |text| included_names(text))
            })
            .clone()
    }

    /// Whether `module` may include, directly or through headers, a file
    /// whose shown path `wanted` accepts.
    fn may_reach(&mut self, module: &LoadedFile, wanted: impl Fn(&str) -> bool) -> bool {
        let mut visited: HashSet<ide::FileId> = HashSet::from([module.file_id]);
        let mut names = match self.names_of(module.file_id) {
            Some(names) => names,
            None => return true,
        };
        while let Some(name) = names.pop() {
            let candidates: Vec<ide::FileId> = self
                .by_name
                .get(name.as_str())
                .map(|files| files.iter().map(|file| file.file_id).collect())
                .unwrap_or_default();
            for candidate in candidates {
                if wanted(&shown(self.project, candidate)) {
                    return true;
                }
                if visited.insert(candidate) {
                    match self.names_of(candidate) {
                        Some(more) => names.extend(more),
                        None => return true,
                    }
                }
            }
        }
        false
    }
}

/// The file names (the last component) that the `-include("...")` and
/// `-include_lib("...")` directives of `text` give; `None` when one gives its
/// file by a macro.
fn included_names(text: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        let line = text[line_start..line_end].trim_start();
        if let Some(rest) = line.strip_prefix('-') {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("include_lib")
                .or_else(|| rest.strip_prefix("include"));
            if let Some(rest) = rest {
                // The argument may be on the next lines.
                let after = &text[line_end - rest.len()..];
                if let Some(argument) = after.trim_start().strip_prefix('(') {
                    let argument = argument.trim_start();
                    if let Some(string) = argument.strip_prefix('"') {
                        let path = string.split('"').next().unwrap_or("");
                        let name = path.rsplit('/').next().unwrap_or(path);
                        names.push(name.to_owned());
                    } else if argument.starts_with('?') {
                        return None;
                    }
                }
            }
        }
        line_start = line_end + 1;
    }
    Some(names)
}

/// FNV-1a (64 bits) of a path: stable across runs, machines and versions.
fn path_hash(path: &str) -> u64 {
    path.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::included_names;

    #[test]
    fn include_directives_give_file_names() {
        assert_eq!(
            included_names(
                "-module(m).\n-include(\"a.hrl\").\n  - include_lib ( \"kernel/include/file.hrl\").\n\
                 -include(\n    \"sub/b.hrl\").\n% -include(\"c.hrl\").\n-included(x).\n"
            ),
            Some(vec![
                "a.hrl".to_owned(),
                "file.hrl".to_owned(),
                "b.hrl".to_owned()
            ])
        );
        assert_eq!(included_names("-include(?HEADER).\n"), None);
        assert_eq!(included_names(""), Some(Vec::new()));
    }
}
