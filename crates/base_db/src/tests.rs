//! The inputs and `parse`, and what an edit makes salsa run again.

use std::sync::Arc;

use salsa::{Durability, Setter};
use syntax::{FileKind, OtpRelease};

use super::{FileId, RootDatabase, SourceFile, parse};

fn file(db: &RootDatabase, id: u32, text: &str) -> SourceFile {
    SourceFile::new(
        db,
        FileId(id),
        Arc::from(text),
        FileKind::Module,
        OtpRelease(25),
    )
}

#[test]
fn an_edit_reparses_that_file_only() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let a = file(&db, 0, "-module(a).\nf() -> 1.\n");
    let b = file(&db, 1, "-module(b).\ng() -> 2.\n");
    assert!(parse(&db, a).is_ok());
    assert!(parse(&db, b).is_ok());
    assert_eq!(log.take(), ["parse", "parse"]);

    a.set_text(&mut db)
        .to(Arc::from("-module(a).\nf() -> 10.\n"));
    let tree = parse(&db, a).syntax_node().to_string();
    assert_eq!(tree, "-module(a).\nf() -> 10.\n");
    let _ = parse(&db, b);
    assert_eq!(log.take(), ["parse"]);
}

#[test]
fn a_syntax_error_is_a_value_and_an_unchanged_otp_file_is_not_reparsed() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let otp = SourceFile::builder(
        FileId(0),
        Arc::from("-module(lists).\n"),
        FileKind::Module,
        OtpRelease(25),
    )
    .durability(Durability::HIGH)
    .new(&db);
    let mine = file(&db, 1, "f( -> .\n");
    assert!(!parse(&db, mine).errors().is_empty());
    let _ = parse(&db, otp);
    log.take();
    mine.set_text(&mut db).to(Arc::from("f() -> ok.\n"));
    assert!(parse(&db, mine).is_ok());
    let _ = parse(&db, otp);
    assert_eq!(log.take(), ["parse"]);
}
