//! The host and its snapshots.

use std::sync::Arc;

use syntax::{FileKind, OtpRelease};

use super::{AnalysisHost, AppData, Change, FileChange, FileId};

fn file(id: u32, text: &str) -> FileChange {
    FileChange {
        file_id: FileId(id),
        path: format!("/app/src/m{id}.erl").into(),
        contents: Some(Arc::from(text)),
        kind: FileKind::Module,
        library: false,
    }
}

fn app(name: &str, files: &[u32]) -> AppData {
    AppData {
        name: name.to_owned(),
        files: files.iter().map(|&id| FileId(id)).collect(),
        ..AppData::default()
    }
}

#[test]
fn modules_and_duplicates_come_out_as_plain_data() {
    let mut host = AnalysisHost::new(OtpRelease(25));
    host.apply_change(Change {
        files: vec![
            file(0, "-module(a).\n"),
            file(1, "-module(util).\n"),
            file(2, "-module(util).\n"),
        ],
        apps: Some(vec![app("one", &[0, 1]), app("two", &[2])]),
    });
    let analysis = host.analysis();
    let modules: Vec<String> = analysis
        .modules()
        .unwrap()
        .iter()
        .map(|m| format!("{} in {} ({:?})", m.name, m.app, m.file_id))
        .collect();
    assert_eq!(
        modules,
        [
            "a in one (FileId(0))",
            "util in one (FileId(1))",
            "util in two (FileId(2))"
        ]
    );
    let duplicates = analysis.duplicate_modules().unwrap();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].len(), 2);
}

#[test]
fn a_snapshot_does_not_see_later_changes_and_a_new_one_does() {
    let mut host = AnalysisHost::new(OtpRelease(25));
    host.apply_change(Change {
        files: vec![file(0, "-module(a).\n")],
        apps: Some(vec![app("one", &[0])]),
    });
    let before = host.analysis();
    assert_eq!(before.modules().unwrap()[0].name, "a");
    drop(before);
    host.apply_change(Change {
        files: vec![file(0, "-module(b).\n")],
        apps: None,
    });
    assert_eq!(host.analysis().modules().unwrap()[0].name, "b");
}

mod lint;
mod navigation;
mod suppression;
