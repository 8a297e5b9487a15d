//! Replaces a file's contents atomically: a temporary file in the same directory,
//! renamed over the original, keeping its permissions.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a file looked like when it was read, to notice a change made since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snapshot {
    len: u64,
    modified: Option<SystemTime>,
}

impl Snapshot {
    pub(crate) fn of(metadata: &fs::Metadata) -> Snapshot {
        Snapshot {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }
}

/// Replaces the contents of `path` with `bytes`.
///
/// Readers see either the old or the new contents, never a mix: the bytes go to
/// `.<name>.erlkit-tmp-<pid>` beside the file, and that file is renamed over the
/// original. If erlkit is killed half-way the original is intact.
///
/// There is no `fsync`: like rustfmt, erlfmt, efmt and editors' saves, durability
/// across a power cut is left to the file system (ext4 and btrfs flush a file renamed
/// over another before committing the rename). It cost 5% of a run's CPU time.
pub(crate) fn replace_contents(path: &Path, bytes: &[u8], read_as: Snapshot) -> io::Result<()> {
    let target = if fs::symlink_metadata(path)?.file_type().is_symlink() {
        fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let metadata = fs::metadata(&target)?;
    if metadata.permissions().readonly() {
        return Err(io::Error::other("the file is read-only"));
    }
    if Snapshot::of(&metadata) != read_as {
        return Err(io::Error::other(
            "the file changed while it was being formatted; it is left as it is now",
        ));
    }
    let temp = temporary_path(&target)?;
    let written =
        write_temporary(&temp, bytes, &metadata).and_then(|()| fs::rename(&temp, &target));
    if written.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = fs::remove_file(&temp);
    }
    written
}

/// `dir/.name.erlkit-tmp-<pid>` for `dir/name`.
fn temporary_path(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the path does not name a file")
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".erlkit-tmp-{}", std::process::id()));
    Ok(target.with_file_name(temp_name))
}

fn write_temporary(temp: &Path, bytes: &[u8], original: &fs::Metadata) -> io::Result<()> {
    let create = || OpenOptions::new().write(true).create_new(true).open(temp);
    let mut file = match create() {
        // A file of this name can only be left over from a crashed run with our pid.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(temp)?;
            create()?
        }
        opened => opened?,
    };
    file.write_all(bytes)?;
    file.set_permissions(original.permissions())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; anyone may keep their own. Not fatal.
        let _ = std::os::unix::fs::fchown(&file, Some(original.uid()), Some(original.gid()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Snapshot, replace_contents};
    use std::fs;

    fn snapshot(path: &std::path::Path) -> Snapshot {
        Snapshot::of(&fs::metadata(path).unwrap())
    }

    #[test]
    fn contents_are_replaced_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.erl");
        fs::write(&path, "old").unwrap();
        replace_contents(&path, b"new text", snapshot(&path)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new text");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.erl"]);
    }

    #[test]
    fn a_temporary_file_left_by_a_crashed_run_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.erl");
        fs::write(&path, "old").unwrap();
        let stale = super::temporary_path(&path).unwrap();
        fs::write(&stale, "half written").unwrap();
        replace_contents(&path, b"new text", snapshot(&path)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new text");
        assert!(!stale.exists());
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.erl");
        fs::write(&path, "old").unwrap();
        let read_as = snapshot(&path);
        fs::write(&path, "edited meanwhile").unwrap();
        let error = replace_contents(&path, b"new", read_as).unwrap_err();
        assert!(error.to_string().contains("changed while"), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited meanwhile");
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_kept_and_links_are_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.erl");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o754)).unwrap();
        let link = dir.path().join("link.erl");
        std::os::unix::fs::symlink("real.erl", &link).unwrap();
        replace_contents(&link, b"new", snapshot(&link)).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let mode = fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o754);
    }

    #[test]
    fn read_only_files_are_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.erl");
        fs::write(&path, "old").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        let error = replace_contents(&path, b"new", snapshot(&path)).unwrap_err();
        assert_eq!(error.to_string(), "the file is read-only");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }
}
