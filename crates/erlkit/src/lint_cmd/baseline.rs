//! Baselines: the findings a project accepts for now, in a JSON file, so that
//! a run fails only on new ones.
//!
//! A finding is matched by its code, its file (relative to the project's
//! root) and its fingerprint: a hash of the trimmed text of the line it
//! starts on, and its occurrence among the findings of the same code, file
//! and line text (`9f3c0e1a2b4d5c6e:0`). Lines can move, and the same line
//! can be indented again, without the finding being new. The file:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "path": "src/m.erl", "code": "W2101", "fingerprint": "…:0", "message": "…" }
//!   ]
//! }
//! ```
//!
//! sorted by path, code and fingerprint, so that it changes only where the
//! findings change. The message is for people reading it; it is not matched.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::report::{BaselineOutcome, Finding};

/// The version of the file's format this erlkit reads and writes.
const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct BaselineEntry {
    pub(crate) path: String,
    pub(crate) code: String,
    pub(crate) fingerprint: String,
    #[serde(default)]
    pub(crate) message: String,
}

impl BaselineEntry {
    fn of(finding: &Finding) -> BaselineEntry {
        BaselineEntry {
            path: finding.place.path.clone(),
            code: finding.code.code().to_owned(),
            fingerprint: finding.fingerprint.clone(),
            message: finding.message.clone(),
        }
    }

    /// What it is matched by.
    fn key(&self) -> (String, String, String) {
        (
            self.path.clone(),
            self.code.clone(),
            self.fingerprint.clone(),
        )
    }

    /// The order of the file: by path, code, line hash, then occurrence as
    /// a number.
    fn order(&self) -> (&str, &str, &str, u64) {
        let (hash, occurrence) = self
            .fingerprint
            .split_once(':')
            .unwrap_or((&self.fingerprint, ""));
        (
            &self.path,
            &self.code,
            hash,
            occurrence.parse().unwrap_or(u64::MAX),
        )
    }
}

/// The file as written.
#[derive(Debug, Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<BaselineEntry>,
}

/// A baseline read from its file.
#[derive(Debug)]
pub(crate) struct Baseline {
    entries: Vec<BaselineEntry>,
}

impl Baseline {
    /// Reads the file `path`; an error names it.
    pub(crate) fn read(path: &Path) -> anyhow::Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the baseline", path.display()))?;
        let file: BaselineFile = serde_json::from_str(&text).with_context(|| {
            format!(
                "{}: not a baseline that erlkit wrote (`erlkit lint --baseline FILE --write-baseline` writes one)",
                path.display()
            )
        })?;
        if file.version != VERSION {
            anyhow::bail!(
                "{}: a baseline of version {}, but this erlkit reads version {VERSION}; write it again with --write-baseline",
                path.display(),
                file.version
            );
        }
        Ok(Baseline {
            entries: file.findings,
        })
    }

    /// Removes the findings that are in the baseline. `relevant` says which
    /// files this run linted: the entries of those that no finding matched
    /// are no longer present.
    pub(crate) fn apply(
        &self,
        findings: &mut Vec<Finding>,
        relevant: impl Fn(&str) -> bool,
    ) -> BaselineOutcome {
        let mut unmatched: HashMap<(String, String, String), usize> = HashMap::new();
        for (at, entry) in self.entries.iter().enumerate() {
            unmatched.insert(entry.key(), at);
        }
        let before = findings.len();
        findings.retain(|finding| {
            let key = (
                finding.place.path.clone(),
                finding.code.code().to_owned(),
                finding.fingerprint.clone(),
            );
            unmatched.remove(&key).is_none()
        });
        let mut no_longer_present: Vec<BaselineEntry> = unmatched
            .into_values()
            .map(|at| self.entries[at].clone())
            .filter(|entry| relevant(&entry.path))
            .collect();
        no_longer_present.sort_by(|a, b| a.order().cmp(&b.order()));
        BaselineOutcome {
            baselined: before - findings.len(),
            no_longer_present,
        }
    }
}

/// Writes `findings` as the baseline `path`, atomically: into a temporary
/// file in the same directory, then renamed over it. Returns how many.
pub(crate) fn write(path: &Path, findings: &[Finding]) -> anyhow::Result<usize> {
    let mut entries: Vec<BaselineEntry> = findings.iter().map(BaselineEntry::of).collect();
    entries.sort_by(|a, b| a.order().cmp(&b.order()));
    entries.dedup();
    let count = entries.len();
    let mut text = serde_json::to_string_pretty(&BaselineFile {
        version: VERSION,
        findings: entries,
    })?;
    text.push('\n');
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file name", path.display()))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let temporary = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    if let Err(error) = write_and_rename(&temporary, path, &text) {
        let _ = std::fs::remove_file(&temporary);
        return Err(error)
            .with_context(|| format!("{}: cannot write the baseline", path.display()));
    }
    Ok(count)
}

fn write_and_rename(temporary: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::File::create(temporary)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(temporary, path)
}

/// Sets the fingerprint of each of `findings` (sorted by path and position).
pub(crate) fn assign_fingerprints(findings: &mut [Finding]) {
    let mut seen: HashMap<(String, &'static str, u64), u32> = HashMap::new();
    for finding in findings {
        let hash = line_hash(&finding.line_text);
        let occurrence = seen
            .entry((finding.place.path.clone(), finding.code.code(), hash))
            .or_insert(0);
        finding.fingerprint = format!("{hash:016x}:{occurrence}");
        *occurrence += 1;
    }
}

/// FNV-1a (64 bits) of the line's text without the whitespace around it:
/// stable across erlkit versions and systems.
fn line_hash(line: &str) -> u64 {
    line.trim()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::line_hash;

    #[test]
    fn the_line_hash_is_fnv1a_of_the_trimmed_line() {
        // FNV-1a's published test vectors.
        assert_eq!(line_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(line_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(line_hash("foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(line_hash("  foobar\t"), line_hash("foobar"));
    }
}
