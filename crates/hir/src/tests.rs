//! The module index, and what an edit makes it recompute.

use std::sync::Arc;

use base_db::{FileId, RootDatabase, SourceFile};
use salsa::Setter;
use syntax::{FileKind, OtpRelease};

use super::{App, Workspace, module_index};

fn module(db: &RootDatabase, id: u32, text: &str) -> SourceFile {
    SourceFile::new(
        db,
        FileId(id),
        Arc::from(text),
        FileKind::Module,
        OtpRelease(25),
    )
}

#[test]
fn duplicate_module_names_across_applications_are_found() {
    let db = RootDatabase::default();
    let billing = App::new(
        &db,
        "billing".to_owned(),
        vec![
            module(&db, 0, "-module(invoice).\n"),
            module(&db, 1, "-module(util).\n"),
        ],
    );
    let header = SourceFile::new(
        &db,
        FileId(3),
        Arc::from("-define(X, 1).\n"),
        FileKind::Header,
        OtpRelease(25),
    );
    let users = App::new(
        &db,
        "users".to_owned(),
        vec![module(&db, 2, "%% comment\n-module('util').\n"), header],
    );
    let workspace = Workspace::new(&db, vec![billing, users]);
    let index = module_index(&db, workspace);
    let names: Vec<&str> = index.iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["invoice", "util"]);
    let duplicates: Vec<(&str, Vec<String>)> = index
        .duplicates()
        .map(|(name, locations)| {
            let apps = locations.iter().map(|l| l.app.name(&db).clone()).collect();
            (name, apps)
        })
        .collect();
    assert_eq!(
        duplicates,
        [("util", vec!["billing".to_owned(), "users".to_owned()])]
    );
    assert_eq!(index.get("invoice").len(), 1);
    assert!(index.get("missing").is_empty());
}

#[test]
fn an_edit_inside_a_function_does_not_recompute_the_index() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let a = module(&db, 0, "-module(a).\nf() -> 1.\n");
    let b = module(&db, 1, "-module(b).\ng() -> 2.\n");
    let app = App::new(&db, "app".to_owned(), vec![a, b]);
    let workspace = Workspace::new(&db, vec![app]);
    let _ = module_index(&db, workspace);
    log.take();

    // A body edit that adds lines: the file is parsed again and its module
    // name read again, which is unchanged, so the index is reused.
    a.set_text(&mut db)
        .to(Arc::from("-module(a).\n\n\nf() ->\n    10.\n"));
    let _ = module_index(&db, workspace);
    assert_eq!(log.take(), ["parse", "module_name"]);

    // Renaming the module changes the index.
    a.set_text(&mut db)
        .to(Arc::from("-module(c).\nf() -> 1.\n"));
    let names: Vec<String> = module_index(&db, workspace)
        .iter()
        .map(|(name, _)| name.to_owned())
        .collect();
    assert_eq!(names, ["b", "c"]);
    assert_eq!(log.take(), ["parse", "module_name", "module_index"]);
}
