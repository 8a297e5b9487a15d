//! The module index, and what an edit makes it recompute.

use std::sync::Arc;

use base_db::{FileId, RootDatabase, SourceFile};
use salsa::Setter;
use syntax::{FileKind, OtpRelease};

use super::{App, FilePaths, Workspace, item_tree, module_index};

fn module(db: &RootDatabase, id: u32, text: &str) -> SourceFile {
    SourceFile::new(
        db,
        FileId(id),
        Arc::from(text),
        FileKind::Module,
        OtpRelease(25),
    )
}

fn app(db: &RootDatabase, name: &str, files: Vec<SourceFile>) -> App {
    App::new(db, name.to_owned(), None, files, Vec::new(), Vec::new())
}

#[test]
fn duplicate_module_names_across_applications_are_found() {
    let db = RootDatabase::default();
    let billing = app(
        &db,
        "billing",
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
    let users = app(
        &db,
        "users",
        vec![module(&db, 2, "%% comment\n-module('util').\n"), header],
    );
    let workspace = Workspace::new(&db, vec![billing, users], Arc::default());
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

/// A long module is named from the start of its text, without lexing all of
/// it; the name is the whole file's wherever the attribute is, a name cut by
/// the end of a prefix included.
#[test]
fn long_modules_are_named_from_the_start_of_their_text() {
    let (db, log) = RootDatabase::with_execution_log();
    let body = "f() -> ok.\n".repeat(1000);
    let mut files = vec![module(
        &db,
        0,
        &format!("%% header\n-module(early).\n{body}"),
    )];
    // `-module(` then a name that runs across the first prefix's end (4 KiB).
    for (id, cut_at) in [(1, 4090), (2, 4096), (3, 4100)] {
        let padding = "%".repeat(cut_at - "-module(".len() - 1) + "\n";
        let text = format!("{padding}-module(a_long_module_name).\n{body}");
        files.push(module(&db, id, &text));
    }
    let comment = format!("%{}\n", "x".repeat(70_000));
    files.push(module(&db, 4, &format!("{comment}-module(late).\n{body}")));
    let app = app(&db, "app", files);
    let workspace = Workspace::new(&db, vec![app], Arc::default());
    let index = module_index(&db, workspace);
    let named: Vec<(&str, usize)> = index.iter().map(|(n, l)| (n, l.len())).collect();
    assert_eq!(
        named,
        [("a_long_module_name", 3), ("early", 1), ("late", 1)]
    );
    // The module named early was not lexed whole; the others were (those
    // whose name the first prefix cuts are shorter than the second).
    let lexed = log.take().iter().filter(|q| *q == "file_tokens").count();
    assert_eq!(lexed, 4);
}

#[test]
fn an_edit_inside_a_function_does_not_recompute_the_index() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let a = module(&db, 0, "-module(a).\nf() -> 1.\n");
    let b = module(&db, 1, "-module(b).\ng() -> 2.\n");
    let app = app(&db, "app", vec![a, b]);
    let workspace = Workspace::new(&db, vec![app], Arc::default());
    let _ = module_index(&db, workspace);
    log.take();

    // A body edit that adds lines: the file is parsed again and its module
    // name read again, which is unchanged, so the index is reused.
    a.set_text(&mut db)
        .to(Arc::from("-module(a).\n\n\nf() ->\n    10.\n"));
    let _ = module_index(&db, workspace);
    assert_eq!(log.take(), ["module_name", "file_tokens"]);

    // Renaming the module changes the index.
    a.set_text(&mut db)
        .to(Arc::from("-module(c).\nf() -> 1.\n"));
    let names: Vec<String> = module_index(&db, workspace)
        .iter()
        .map(|(name, _)| name.to_owned())
        .collect();
    assert_eq!(names, ["b", "c"]);
    assert_eq!(log.take(), ["module_name", "file_tokens", "module_index"]);
}

#[test]
fn a_body_edit_reruns_only_the_edited_modules_preprocessing_and_item_tree() {
    let (mut db, log) = RootDatabase::with_execution_log();
    let a = module(
        &db,
        0,
        "-module(a).\n-include(\"h.hrl\").\n-export([f/0]).\nf() -> ?X.\n",
    );
    let b = module(&db, 1, "-module(b).\n-export([g/0]).\ng() -> a:f().\n");
    let header = SourceFile::new(
        &db,
        FileId(2),
        Arc::from("-define(X, 1).\n"),
        FileKind::Header,
        OtpRelease(25),
    );
    let mut paths = FilePaths::default();
    paths.insert("/app/src/a.erl".into(), a);
    paths.insert("/app/src/b.erl".into(), b);
    paths.insert("/app/include/h.hrl".into(), header);
    let app = App::new(
        &db,
        "app".to_owned(),
        Some("/app".into()),
        vec![a, b, header],
        vec!["/app/include".into()],
        Vec::new(),
    );
    let workspace = Workspace::new(&db, vec![app], Arc::new(paths));
    let before_a = item_tree(&db, workspace, a).clone();
    let _ = item_tree(&db, workspace, b);
    assert_eq!(before_a.functions.len(), 1);
    log.take();

    // Lines added above and inside `f`: only a's own queries run again, and
    // its item tree comes out equal.
    a.set_text(&mut db).to(Arc::from(
        "-module(a).\n\n-include(\"h.hrl\").\n-export([f/0]).\n\nf() ->\n    ?X + 1.\n",
    ));
    assert_eq!(*item_tree(&db, workspace, a), before_a);
    let _ = item_tree(&db, workspace, b);
    assert_eq!(
        log.take(),
        [
            "expanded_module",
            "file_tokens",
            "item_tree_with_source_map",
            "item_tree"
        ]
    );

    // An edit to the header reaches the module that includes it, not b.
    header
        .set_text(&mut db)
        .to(Arc::from("-define(X, 1).\n-record(r, {x = ?X}).\n"));
    assert_eq!(item_tree(&db, workspace, a).records.len(), 1);
    let _ = item_tree(&db, workspace, b);
    assert_eq!(
        log.take(),
        [
            "expanded_module",
            "file_tokens",
            "item_tree_with_source_map",
            "item_tree"
        ]
    );
}

#[test]
fn changing_an_exported_arity_recomputes_only_the_callers_resolution() {
    use crate::resolve::{CallTarget, remote_resolution};

    let (mut db, log) = RootDatabase::with_execution_log();
    let a = module(&db, 0, "-module(a).\nf() -> b:g(1) + c:h().\n");
    let b = module(&db, 1, "-module(b).\n-export([g/1]).\ng(X) -> X.\n");
    let c = module(&db, 2, "-module(c).\n-export([h/0]).\nh() -> 2.\n");
    let d = module(&db, 3, "-module(d).\nf() -> c:h().\n");
    let app = app(&db, "app", vec![a, b, c, d]);
    let workspace = Workspace::new(&db, vec![app], Arc::default());
    let targets = |db: &RootDatabase, file| -> Vec<CallTarget> {
        remote_resolution(db, workspace, file)
            .references
            .iter()
            .map(|(_, target)| *target)
            .collect()
    };
    assert_eq!(
        targets(&db, a),
        [CallTarget::Exported, CallTarget::Exported]
    );
    assert_eq!(targets(&db, d), [CallTarget::Exported]);
    log.take();

    // b's g/1 becomes g/2: a's call is no longer to an export; d is untouched.
    b.set_text(&mut db).to(Arc::from(
        "-module(b).\n-export([g/2]).\ng(X, Y) -> X + Y.\n",
    ));
    assert_eq!(
        targets(&db, a),
        [CallTarget::NotExported, CallTarget::Exported]
    );
    assert_eq!(targets(&db, d), [CallTarget::Exported]);
    // b's own queries, its exports, and one resolution: a's (whose answer
    // changed); d's calls c, whose exports did not change.
    let mut executed = log.take();
    executed.sort();
    assert_eq!(
        executed,
        [
            "expanded_module",
            "file_tokens",
            "item_tree",
            "item_tree_with_source_map",
            "module_exports",
            "module_name",
            "remote_resolution",
        ]
    );
}
