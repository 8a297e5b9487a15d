//! The files the analysis sees: each path gets a small, stable [`FileId`], and
//! setting a file's contents records a change, which the analysis host takes
//! and turns into salsa inputs. The only crate that maps ids back to paths.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file known to the [`Vfs`]; ids are never reused, so an id stays valid for
/// as long as the `Vfs` lives, whatever happens to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A change to one file since the last [`Vfs::take_changes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    pub file_id: FileId,
    /// The new contents; `None` when the file is gone.
    pub contents: Option<Arc<str>>,
}

/// Paths, their ids and their contents.
#[derive(Debug, Default)]
pub struct Vfs {
    paths: Vec<PathBuf>,
    ids: HashMap<PathBuf, FileId>,
    contents: Vec<Option<Arc<str>>>,
    changes: Vec<ChangedFile>,
}

impl Vfs {
    /// The id of `path`, given it one if it has none yet.
    pub fn file_id(&mut self, path: &Path) -> FileId {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = FileId(u32::try_from(self.paths.len()).expect("fewer than 4 billion files"));
        self.paths.push(path.to_path_buf());
        self.contents.push(None);
        self.ids.insert(path.to_path_buf(), id);
        id
    }

    /// The id of `path`, if it has one.
    pub fn existing_file_id(&self, path: &Path) -> Option<FileId> {
        self.ids.get(path).copied()
    }

    /// The path of `id`.
    ///
    /// # Panics
    ///
    /// If `id` is not one of this `Vfs`'s.
    pub fn path(&self, id: FileId) -> &Path {
        &self.paths[id.0 as usize]
    }

    /// The contents of `id`; `None` when it does not exist (or was never read).
    pub fn contents(&self, id: FileId) -> Option<&Arc<str>> {
        self.contents.get(id.0 as usize)?.as_ref()
    }

    /// Sets the contents of `path` (`None`: the file is gone) and returns its id.
    /// A change is recorded only when the contents differ.
    pub fn set_file_contents(&mut self, path: &Path, contents: Option<Arc<str>>) -> FileId {
        let id = self.file_id(path);
        let slot = &mut self.contents[id.0 as usize];
        if *slot != contents {
            slot.clone_from(&contents);
            self.changes.push(ChangedFile {
                file_id: id,
                contents,
            });
        }
        id
    }

    /// The changes since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<ChangedFile> {
        std::mem::take(&mut self.changes)
    }

    /// How many files have ids.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::{FileId, Vfs};

    #[test]
    fn ids_are_stable_and_only_real_changes_are_recorded() {
        let mut vfs = Vfs::default();
        let a = vfs.set_file_contents(Path::new("/p/a.erl"), Some(Arc::from("-module(a).")));
        let b = vfs.set_file_contents(Path::new("/p/b.erl"), Some(Arc::from("-module(b).")));
        assert_eq!((a, b), (FileId(0), FileId(1)));
        assert_eq!(vfs.take_changes().len(), 2);
        // The same contents again: no change.
        vfs.set_file_contents(Path::new("/p/a.erl"), Some(Arc::from("-module(a).")));
        assert!(vfs.take_changes().is_empty());
        // Deleted, then its id is still its own.
        assert_eq!(vfs.set_file_contents(Path::new("/p/a.erl"), None), a);
        let changes = vfs.take_changes();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].file_id, a);
        assert_eq!(changes[0].contents, None);
        assert_eq!(vfs.path(b), Path::new("/p/b.erl"));
        assert_eq!(vfs.existing_file_id(Path::new("/p/c.erl")), None);
        assert_eq!(vfs.contents(b).map(|text| &**text), Some("-module(b)."));
        assert_eq!(vfs.len(), 2);
    }
}
