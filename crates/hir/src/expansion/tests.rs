//! Expanding a module again after an edit: which way each kind of edit goes,
//! and that every way gives what preprocessing from scratch gives.

use std::path::PathBuf;
use std::sync::Arc;

use base_db::{FileId, RootDatabase, SourceFile};
use expect_test::{Expect, expect};
use salsa::Setter;
use syntax::{FileKind, OtpRelease};

use crate::{App, FilePaths, Workspace, expanded_module, expanded_module_from_scratch};

const MODULE: &str = "\
-module(m).
-include(\"h.hrl\").
-define(DOUBLE(X), X * 2).

f(A) ->
    ?DOUBLE(A) + ?H.

g() ->
    ?FUNCTION_NAME.

-ifdef(NOT_DEFINED).
h() -> skipped.
-endif.

k() -> 1.
";

struct Project {
    db: RootDatabase,
    workspace: Workspace,
    module: SourceFile,
    header: SourceFile,
}

impl Project {
    fn new() -> Project {
        let db = RootDatabase::default();
        let file = |id, text: &str, kind| {
            SourceFile::new(&db, FileId(id), Arc::from(text), kind, OtpRelease(25))
        };
        let module = file(0, MODULE, FileKind::Module);
        let header = file(1, "-define(H, 42).\n", FileKind::Header);
        let mut paths = FilePaths::default();
        paths.insert(PathBuf::from("/app/src/m.erl"), module);
        paths.insert(PathBuf::from("/app/src/h.hrl"), header);
        let app = App::new(
            &db,
            "app".to_owned(),
            Some(PathBuf::from("/app")),
            vec![module, header],
            Vec::new(),
            Vec::new(),
        );
        let workspace = Workspace::new(&db, vec![app], Arc::new(paths));
        Project {
            db,
            workspace,
            module,
            header,
        }
    }

    /// Sets `file`'s text, expands the module again and compares the result
    /// with one from scratch; says which way the expansion went.
    fn edit(&mut self, file: SourceFile, text: &str) -> &'static str {
        file.set_text(&mut self.db).to(Arc::from(text));
        let before = crate::expansion_counts(&self.db);
        let expanded = expanded_module(&self.db, self.workspace, self.module);
        let after = crate::expansion_counts(&self.db);
        let fresh = expanded_module_from_scratch(&self.db, self.workspace, self.module);
        assert_eq!(**expanded, fresh, "after setting the text to\n{text}");
        if after.patched > before.patched {
            "patched"
        } else {
            "from scratch"
        }
    }
}

fn check(edits: &[(&str, &str, &str)], expect: Expect) {
    let mut project = Project::new();
    let _ = expanded_module(&project.db, project.workspace, project.module);
    let mut module = MODULE.to_owned();
    let mut header = "-define(H, 42).\n".to_owned();
    let mut out = String::new();
    for (what, from, to) in edits {
        let (file, text) = if what.starts_with("header") {
            (project.header, &mut header)
        } else {
            (project.module, &mut module)
        };
        assert!(text.contains(from), "{from:?} is not in the text");
        *text = text.replacen(from, to, 1);
        let text = text.clone();
        let way = project.edit(file, &text);
        out.push_str(&format!("{what}: {way}\n"));
    }
    expect.assert_eq(&out);
}

#[test]
fn edits_that_leave_the_preprocessor_alone_reread_only_their_forms() {
    check(
        &[
            ("a body without macros", "k() -> 1.", "k() -> 10 + 1."),
            ("a line added to a body", "k() ->", "k() ->\n    _ = 2,"),
            (
                "a macro call added",
                "?DOUBLE(A) + ?H.",
                "?DOUBLE(A) + ?H + ?DOUBLE(3).",
            ),
            ("?FUNCTION_NAME's function renamed", "g() ->", "gg() ->"),
            ("a function in a skipped branch", "skipped", "still_skipped"),
            ("a comment between functions", "\nk()", "\n%% k\nk()"),
            ("a new function after one", "%% k\n", "%% k\nj() -> 0.\n"),
            ("header: an edit to the header", "42", "43"),
            ("a body after the header edit", "+ 1.", "+ 2."),
            ("a macro defined", "\nk()", "\n-define(Z, 1).\nk()"),
            ("a string opened", "still_skipped", "\"still_skipped"),
            (
                "the string closed again",
                "\"still_skipped",
                "still_skipped",
            ),
            ("a dot typed in a body", "?DOUBLE(3).", "?DOUBLE(3). ."),
            ("the module renamed", "-module(m).", "-module(n)."),
        ],
        expect![[r#"
            a body without macros: patched
            a line added to a body: patched
            a macro call added: patched
            ?FUNCTION_NAME's function renamed: patched
            a function in a skipped branch: patched
            a comment between functions: patched
            a new function after one: patched
            header: an edit to the header: from scratch
            a body after the header edit: patched
            a macro defined: from scratch
            a string opened: from scratch
            the string closed again: from scratch
            a dot typed in a body: patched
            the module renamed: from scratch
        "#]],
    );
}
