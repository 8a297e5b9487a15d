//! The preprocessor on multi-file fixtures: each file starts with a
//! `//- /path` line, the first file is the one preprocessed, and OTP's
//! applications live under `/otp/lib/APP-VSN/`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use expect_test::{Expect, expect};
use syntax::{FileKind, LexOptions, LineIndex, OtpRelease};

use super::{
    FileId, FileLoader, LoadedFile, PredefinedMacro, PreprocessOptions, Preprocessed, preprocess,
};

struct Fixture {
    files: Vec<LoadedFile>,
}

impl Fixture {
    fn new(text: &str) -> Fixture {
        let mut files = Vec::new();
        for (index, chunk) in text.split("//- ").skip(1).enumerate() {
            let (path, contents) = chunk.split_once('\n').expect("a path line");
            let text: Arc<str> = Arc::from(contents);
            let (tokens, _) = syntax::tokenize(
                &text,
                &LexOptions {
                    release: OtpRelease(25),
                    file_kind: FileKind::Module,
                },
            );
            files.push(LoadedFile {
                file_id: FileId(index as u32),
                path: PathBuf::from(path.trim()),
                text,
                tokens: Arc::from(tokens),
                forms: Default::default(),
            });
        }
        Fixture { files }
    }

    fn file(&self, id: FileId) -> &LoadedFile {
        &self.files[id.0 as usize]
    }
}

impl FileLoader for Fixture {
    fn load(&self, path: &Path) -> Option<LoadedFile> {
        self.files.iter().find(|f| f.path == path).cloned()
    }

    /// `/APP` for the project's applications, `/otp/lib/APP-VSN` for OTP's.
    fn lib_dir(&self, app: &str) -> Option<PathBuf> {
        let project = Path::new("/").join(app);
        if self.files.iter().any(|f| f.path.starts_with(&project)) {
            return Some(project);
        }
        self.files.iter().find_map(|f| {
            let rest = f.path.strip_prefix("/otp/lib").ok()?;
            let dir = rest.components().next()?.as_os_str().to_str()?;
            let name = dir.split_once('-').map_or(dir, |(name, _)| name);
            (name == app).then(|| Path::new("/otp/lib").join(dir))
        })
    }
}

fn run(fixture: &str, macros: &[(&str, Option<&str>)]) -> (Fixture, Preprocessed) {
    let fixture = Fixture::new(fixture);
    let options = PreprocessOptions {
        include_dirs: vec![PathBuf::from("/app/include")],
        macros: macros
            .iter()
            .map(|(name, value)| PredefinedMacro {
                name: (*name).to_owned(),
                value: value.map(str::to_owned),
            })
            .collect(),
        release: OtpRelease(25),
    };
    let result = preprocess(&fixture.files[0], &options, &fixture);
    (fixture, result)
}

fn render(fixture: &Fixture, result: &Preprocessed) -> String {
    let mut out = String::new();
    for form in &result.forms {
        let texts: Vec<&str> = form.tokens.iter().map(|t| t.text.as_str()).collect();
        out.push_str(&texts.join(" "));
        out.push('\n');
    }
    for diagnostic in &result.diagnostics {
        let file = fixture.file(diagnostic.origin.file);
        let position =
            LineIndex::new(&file.text).line_column(usize::from(diagnostic.origin.range.start()));
        out.push_str(&format!(
            "{}:{}:{}: {}\n",
            file.path.display(),
            position.line,
            position.column,
            diagnostic.kind
        ));
    }
    out
}

fn check(fixture: &str, expect: Expect) {
    let (fixture, result) = run(fixture, &[]);
    expect.assert_eq(&render(&fixture, &result));
}

#[test]
fn macros_with_and_without_arguments_are_expanded() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(ZERO, 0).
-define(ADD(A, B), A + B).
-define(PAIR(X), {X, ??X}).
f() -> ?ADD(?ZERO, 2) * ?MODULE:g(?PAIR(x + 1)).
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> 0 + 2 * a : g ( { x + 1 , "x + 1" } ) .
        "#]],
    );
}

#[test]
fn includes_are_found_beside_the_file_then_on_the_include_path_then_in_applications() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-include("local.hrl").
-include("shared.hrl").
-include_lib("app/include/shared.hrl").
-include_lib("kernel/include/file.hrl").
-include("missing.hrl").
-include_lib("nowhere/include/x.hrl").
f() -> {?LOCAL, ?SHARED, ?NESTED, ?KERNEL}.
//- /app/src/local.hrl
-define(LOCAL, local).
//- /app/include/shared.hrl
-ifndef(SHARED).
-define(SHARED, shared).
-include("nested.hrl").
-endif.
//- /app/include/nested.hrl
-define(NESTED, nested).
//- /otp/lib/kernel-8.5.3/include/file.hrl
-record(file_info, {size, type}).
-define(KERNEL, kernel).
"#,
        expect![[r#"
            - module ( a ) .
            - record ( file_info , { size , type } ) .
            f ( ) -> { local , shared , nested , kernel } .
            /app/src/a.erl:6:10: can't find include file "missing.hrl"
            /app/src/a.erl:7:14: can't find include lib "nowhere/include/x.hrl"
        "#]],
    );
}

#[test]
fn conditionals_follow_epp() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(DEBUG, true).
-ifdef(DEBUG).
debug() -> on.
-else.
debug() -> off.
-endif.
-ifndef(DEBUG).
-this_is_skipped(?UNDEFINED).
-else.
-ifdef(NOT_DEFINED).
nested() -> skipped.
-endif.
taken() -> else_branch.
-endif.
-if(?OTP_RELEASE >= 26).
release() -> new.
-elif(?OTP_RELEASE >= 25 andalso defined(DEBUG)).
release() -> current.
-else.
release() -> old.
-endif.
-if(is_atom(?MODULE) andalso length("ab") =:= 2 orelse 1/0).
guard() -> true.
-endif.
-if(1/0).
divide() -> never.
-endif.
-if(atom_to_list(a)).
bad() -> bad.
-endif.
-undef(DEBUG).
-ifdef(DEBUG).
gone() -> gone.
-endif.
"#,
        expect![[r#"
            - module ( a ) .
            debug ( ) -> on .
            taken ( ) -> else_branch .
            release ( ) -> current .
            guard ( ) -> true .
            /app/src/a.erl:29:2: badly formed 'if': atom_to_list/1 is not allowed in a guard
        "#]],
    );
}

#[test]
fn unbalanced_and_unterminated_conditionals_are_reported() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-endif.
-else.
-ifdef(X).
-else.
-else.
-endif.
-ifdef(Y).
"#,
        expect![[r#"
            - module ( a ) .
            /app/src/a.erl:2:2: unbalanced 'endif'
            /app/src/a.erl:3:2: unbalanced 'else'
            /app/src/a.erl:6:2: repeated 'else'
            /app/src/a.erl:9:1: unterminated 'ifdef'
        "#]],
    );
}

#[test]
fn macros_are_overloaded_by_arity() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(F, f0).
-define(F(), f00).
-define(F(X), {f1, X}).
-define(G, g).
-define(H(X), X).
f() -> {?F, ?F(), ?F(1), ?F(1, 2), ?G(1), ?H, ?H(1)}.
-define(F(X), again).
-define(MODULE, no).
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> { f0 , f00 , { f1 , 1 } , ? F ( 1 , 2 ) , g ( 1 ) , ? H , 1 } .
            /app/src/a.erl:7:26: argument mismatch for macro 'F'
            /app/src/a.erl:7:43: argument mismatch for macro 'H'
            /app/src/a.erl:8:9: redefining macro 'F'
            /app/src/a.erl:9:9: redefining predefined macro 'MODULE'
        "#]],
    );
}

#[test]
fn circular_and_undefined_macros_are_reported_and_the_form_is_kept() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(A, ?B).
-define(B, ?A).
-define(SELF(X), ?SELF(X)).
-define(OK(X), ?NOT_SELF(X)).
-define(NOT_SELF(X), [X]).
f() -> {?A, ?SELF(1), ?OK(1), ?MISSING, ?MISSING(1), ?OK(,)}.
g() -> ok.
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> { ? A , ? SELF ( 1 ) , [ 1 ] , ? MISSING , ? MISSING ( 1 ) , ? OK ( , ) } .
            g ( ) -> ok .
            /app/src/a.erl:7:9: circular macro 'A'
            /app/src/a.erl:7:13: circular macro 'SELF/1'
            /app/src/a.erl:7:31: undefined macro 'MISSING'
            /app/src/a.erl:7:41: undefined macro 'MISSING/1'
            /app/src/a.erl:7:54: badly formed argument for macro 'OK'
        "#]],
    );
}

#[test]
fn predefined_macros() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(FN, {?FUNCTION_NAME, ?FUNCTION_ARITY}).
f(A, {B, C}, [D]) -> {?FN, ?LINE, ?FILE, ?MODULE_STRING, ?MACHINE, ?BEAM}.
g() when ?FUNCTION_ARITY =:= 0 -> ?FEATURE_AVAILABLE(maybe_expr).
-attr(?FUNCTION_NAME).
'quoted atom'() -> ?FUNCTION_NAME.
-ifdef(MODULE).
h() -> {?BASE_MODULE}.
-endif.
"#,
        expect![[r#"
            - module ( a ) .
            f ( A , { B , C } , [ D ] ) -> { { f , 3 } , ? LINE , ? FILE , "a" , 'BEAM' , true } .
            g ( ) when 0 =:= 0 -> ( maybe_expr == maybe_expr ) .
            - attr ( ? FUNCTION_NAME ) .
            'quoted atom' ( ) -> 'quoted atom' .
            h ( ) -> { ? BASE_MODULE } .
            /app/src/a.erl:5:8: ?FUNCTION_NAME can only be used within a function
            /app/src/a.erl:8:9: undefined macro 'BASE_MODULE'
        "#]],
    );
}

#[test]
fn macros_from_compiler_options() {
    let (fixture, result) = run(
        r#"
//- /app/src/a.erl
-module(a).
-ifdef(TEST).
test() -> {?TEST, ?VSN}.
-endif.
"#,
        &[("TEST", None), ("VSN", Some("\"1.2.3\""))],
    );
    expect![[r#"
        - module ( a ) .
        test ( ) -> { true , "1.2.3" } .
    "#]]
    .assert_eq(&render(&fixture, &result));
}

#[test]
fn include_cycles_stop_at_eight_levels() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-include("loop.hrl").
f() -> ok.
//- /app/src/loop.hrl
-include("loop.hrl").
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> ok .
            /app/src/loop.hrl:1:2: include files nested more than 8 levels deep
        "#]],
    );
}

#[test]
fn directives_that_are_badly_formed() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-define(.
-define(X).
-define(Y, 1.
-define(Z(A, A), A).
-define(W(A) A).
-undef(X, Y).
-include(foo).
-ifdef(1).
-endif.
-error("stop here").
-warning({careful, ?MODULE}).
-if(X + ).
-endif.
f() -> ok.
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> ok .
            /app/src/a.erl:2:2: badly formed 'define'
            /app/src/a.erl:3:2: badly formed 'define'
            /app/src/a.erl:4:2: badly formed 'define': missing ')'
            /app/src/a.erl:5:14: argument 'A' already used
            /app/src/a.erl:6:2: badly formed 'define': missing ','
            /app/src/a.erl:7:2: badly formed 'undef'
            /app/src/a.erl:8:2: badly formed 'include'
            /app/src/a.erl:9:2: badly formed 'ifdef'
            /app/src/a.erl:11:2: -error("stop here").
            /app/src/a.erl:12:2: -warning({ careful , a }).
            /app/src/a.erl:13:2: badly formed 'if': variable 'X' is unbound
        "#]],
    );
}

/// A header with `count` macros, each defined by the one before it.
fn chained_macros(count: usize) -> String {
    let mut text = String::from("//- /app/src/a.erl\n-module(a).\n-include(\"chain.hrl\").\n");
    text.push_str(&format!(
        "f() -> ?M{}.\n//- /app/src/chain.hrl\n-define(M0, 0).\n",
        count - 1
    ));
    for n in 1..count {
        text.push_str(&format!("-define(M{n}, ?M{} + 1).\n", n - 1));
    }
    text
}

#[test]
fn thousands_of_chained_macros_expand_without_deep_recursion() {
    let count = 20_000;
    let fixture = chained_macros(count);
    // On a small stack, as on a worker thread.
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let (_, result) = run(&fixture, &[]);
            (result.forms[1].tokens.len(), result.diagnostics.len())
        })
        .unwrap();
    let (tokens, diagnostics) = handle.join().expect("no stack overflow");
    // `f ( ) -> 0 + 1 + ... + 1 .`
    assert_eq!(tokens, 4 + 1 + 2 * (count - 1) + 1);
    assert_eq!(diagnostics, 0);
}

#[test]
fn an_include_cycle_of_two_files_stops_at_the_depth_limit() {
    check(
        r#"
//- /app/src/a.erl
-module(a).
-include("x.hrl").
f() -> ok.
//- /app/src/x.hrl
-include("y.hrl").
//- /app/src/y.hrl
-include("x.hrl").
"#,
        expect![[r#"
            - module ( a ) .
            f ( ) -> ok .
            /app/src/y.hrl:1:2: include files nested more than 8 levels deep
        "#]],
    );
}
