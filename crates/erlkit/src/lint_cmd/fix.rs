//! `erlkit lint --fix`: applies the findings' safe fixes to their files,
//! each file written atomically, and says what it changed.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ide::{FileId, LintDiagnostic};

use crate::fmt_cmd::atomic_write::{Snapshot, replace_contents};
use crate::project_load::LoadedProject;

/// What `--fix` did.
#[derive(Debug, Default)]
pub(crate) struct FixOutcome {
    /// For each finding given, whether its fix was applied.
    pub(crate) fixed: Vec<bool>,
    /// Each file written, with how many fixes went into it.
    pub(crate) files: Vec<(PathBuf, usize)>,
    /// Files left as they were, with why.
    pub(crate) failures: Vec<(PathBuf, String)>,
}

/// Applies the fixes of `findings`: in each file, the fixes whose edits
/// overlap no fix applied before them (in the order of the findings). A file
/// that changed since it was read is left alone.
pub(crate) fn apply(project: &LoadedProject, findings: &[LintDiagnostic]) -> FixOutcome {
    let mut outcome = FixOutcome {
        fixed: vec![false; findings.len()],
        ..FixOutcome::default()
    };
    // The fixes of each file, as (finding index, edits sorted by start).
    let mut by_file: BTreeMap<FileId, Vec<usize>> = BTreeMap::new();
    for (index, finding) in findings.iter().enumerate() {
        let Some(fix) = &finding.fix else { continue };
        let files: Vec<FileId> = fix.edits.iter().map(|edit| edit.range.file_id).collect();
        // A fix spans one file; one that does not is not applied.
        if let Some(&first) = files.first()
            && files.iter().all(|&file| file == first)
        {
            by_file.entry(first).or_default().push(index);
        }
    }
    for (file_id, indices) in by_file {
        let path = project.vfs.path(file_id).to_path_buf();
        let Some(loaded) = project.vfs.contents(file_id) else {
            continue;
        };
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut edits: Vec<(usize, usize, &str)> = Vec::new();
        let mut applied: Vec<usize> = Vec::new();
        for index in indices {
            let Some(fix) = &findings[index].fix else {
                continue;
            };
            let ranges: Vec<(usize, usize)> = fix
                .edits
                .iter()
                .map(|edit| {
                    (
                        edit.range.range.start().into(),
                        edit.range.range.end().into(),
                    )
                })
                .collect();
            let overlaps = ranges.iter().any(|&(start, end)| {
                taken
                    .iter()
                    .any(|&(s, e)| start < e && s < end || (start == end && start == s))
            });
            let in_text = ranges.iter().all(|&(start, end)| {
                end <= loaded.len()
                    && loaded.is_char_boundary(start)
                    && loaded.is_char_boundary(end)
            });
            if overlaps || !in_text {
                continue;
            }
            taken.extend(&ranges);
            for (edit, &(start, end)) in fix.edits.iter().zip(&ranges) {
                edits.push((start, end, edit.new_text.as_str()));
            }
            applied.push(index);
        }
        if applied.is_empty() {
            continue;
        }
        let (bytes, snapshot) = match read(&path) {
            Ok(read) => read,
            Err(error) => {
                outcome.failures.push((path, error.to_string()));
                continue;
            }
        };
        if bytes != loaded.as_bytes() {
            outcome.failures.push((
                path,
                "the file changed since it was linted; it is left as it is".to_owned(),
            ));
            continue;
        }
        edits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let mut text = loaded.to_string();
        for (start, end, new_text) in edits {
            text.replace_range(start..end, new_text);
        }
        match replace_contents(&path, text.as_bytes(), snapshot) {
            Ok(()) => {
                for &index in &applied {
                    outcome.fixed[index] = true;
                }
                outcome.files.push((path, applied.len()));
            }
            Err(error) => outcome.failures.push((path, error.to_string())),
        }
    }
    outcome
}

fn read(path: &std::path::Path) -> std::io::Result<(Vec<u8>, Snapshot)> {
    let metadata = std::fs::metadata(path)?;
    let bytes = std::fs::read(path)?;
    Ok((bytes, Snapshot::of(&metadata)))
}
