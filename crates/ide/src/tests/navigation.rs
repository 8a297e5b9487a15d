//! Symbols, definitions, macro expansions and diagnostics on a multi-file
//! fixture: `//- /path` starts a file, `$0` marks a position (removed).

use std::path::PathBuf;
use std::sync::Arc;

use expect_test::{Expect, expect};
use syntax::{FileKind, LineIndex, OtpRelease, TextRange, TextSize};

use crate::{AnalysisHost, AppData, Change, FileChange, FileId, FileRange, NavigationTarget};

const SHOP: &str = r#"
//- /shop/include/shop.hrl
-record(order, {id, items = []}).
-define(LOG(F, A), logger:info(F, A)).
-type amount() :: non_neg_integer().
//- /shop/src/shop.erl
-module(shop).
-include("shop.hrl").
-export([new/1, total/1]).
-import(lists, [sum/1]).
-spec new(term()) -> #order{}.
new(Id) -> ?LOG("new ~p", [Id]), #order{id = Id}.
total(#order{items = Items}) -> sum(Items) + billing:fee(length(Items)).
//- /billing/src/billing.erl
-module(billing).
-export([fee/1]).
-define(RATE, 3).
fee(N) -> N * ?RATE.
//- /otp/lists/src/lists.erl
-module(lists).
-export([sum/1]).
sum(L) -> lists:foldl(fun erlang:'+'/2, 0, L).
//- /shop/src/shop_server.erl
-module(shop_server).
-behaviour(gen_server).
init(Args) -> {ok, Args}.
//- /otp/stdlib/src/gen_server.erl
-module(gen_server).
-callback init(Args :: term()) -> {ok, State :: term()}.
//- /otp/erlang/src/erlang.erl
-module(erlang).
-export([length/1]).
length(_List) -> erlang:nif_error(undefined).
"#;

/// The fixture's files and their paths and texts.
pub(super) type Files = Vec<(FileId, PathBuf, String)>;

/// The host with the fixture's files; applications by first path component
/// (`/otp/APP/...` ones are library files, of OTP), with the `applications`
/// of an `.app.src` among them. Also the `$0` position, if any.
pub(super) fn host(fixture: &str) -> (AnalysisHost, Files, Option<(FileId, TextSize)>) {
    let mut host = AnalysisHost::new(OtpRelease(25));
    let mut change = Change::default();
    let mut files = Vec::new();
    let mut cursor = None;
    let mut apps: Vec<AppData> = Vec::new();
    for (index, chunk) in fixture.split("//- ").skip(1).enumerate() {
        let (path, text) = chunk.split_once('\n').unwrap();
        let file_id = FileId(index as u32);
        let mut text = text.to_owned();
        if let Some(at) = text.find("$0") {
            text.replace_range(at..at + 2, "");
            cursor = Some((file_id, TextSize::from(at as u32)));
        }
        let path = PathBuf::from(path.trim());
        let mut components = path.components().skip(1);
        let first = components.next().unwrap().as_os_str().to_str().unwrap();
        let (app_name, dir, library) = if first == "otp" {
            let name = components.next().unwrap().as_os_str().to_str().unwrap();
            (name.to_owned(), PathBuf::from("/otp").join(name), true)
        } else {
            (first.to_owned(), PathBuf::from("/").join(first), false)
        };
        let kind = FileKind::from_path(&path).unwrap();
        change.files.push(FileChange {
            file_id,
            path: path.clone(),
            contents: Some(Arc::from(text.as_str())),
            kind,
            library,
        });
        let applications = app_src_applications(&path, &text);
        match apps.iter_mut().find(|app| app.name == app_name) {
            Some(app) => {
                app.files.push(file_id);
                app.applications = app.applications.take().or(applications);
            }
            None => apps.push(AppData {
                name: app_name,
                include_dirs: vec![dir.join("include")],
                dir: Some(dir),
                files: vec![file_id],
                applications,
                otp: library,
                ..AppData::default()
            }),
        }
        files.push((file_id, path, text));
    }
    change.apps = Some(apps);
    host.apply_change(change);
    (host, files, cursor)
}

/// The names in `{applications, [...]}` of an `.app.src` fixture file.
fn app_src_applications(path: &std::path::Path, text: &str) -> Option<Vec<String>> {
    if !path.to_string_lossy().ends_with(".app.src") {
        return None;
    }
    let list = text.split_once("{applications, [")?.1.split_once(']')?.0;
    Some(list.split(',').map(|name| name.trim().to_owned()).collect())
}

pub(super) fn shown(files: &Files, range: FileRange) -> String {
    let (_, path, text) = &files[range.file_id.0 as usize];
    let position = LineIndex::new(text).line_column(usize::from(range.range.start()));
    format!("{}:{}:{}", path.display(), position.line, position.column)
}

fn render_targets(files: &Files, targets: &[NavigationTarget]) -> String {
    targets
        .iter()
        .map(|t| {
            format!(
                "{:?} {} {} ({})\n",
                t.kind,
                t.name,
                shown(files, t.range),
                t.app
            )
        })
        .collect()
}

fn check_symbols(query: &str, include_library: bool, expect: Expect) {
    let (host, files, _) = host(SHOP);
    let targets = host.analysis().symbols(query, include_library, 10).unwrap();
    expect.assert_eq(&render_targets(&files, &targets));
}

/// The definitions of what is at `needle` in `file` of the fixture.
fn check_definition_at(file: &str, needle: &str, expect: Expect) {
    let start = SHOP.find(&format!("//- {file}")).unwrap();
    let at = start + SHOP[start..].find(needle).unwrap();
    let fixture = format!("{}$0{}", &SHOP[..at], &SHOP[at..]);
    let (host, files, cursor) = host(&fixture);
    let (file_id, offset) = cursor.expect("a $0 in the fixture");
    let targets = host.analysis().definitions_at(file_id, offset).unwrap();
    expect.assert_eq(&render_targets(&files, &targets));
}

#[test]
fn symbols_by_name_kind_module_and_application() {
    check_symbols(
        "#order",
        false,
        expect![[r#"
        Record #order /shop/include/shop.hrl:1:9 (shop)
    "#]],
    );
    check_symbols(
        "?LOG",
        false,
        expect![[r#"
        Macro ?LOG/2 /shop/include/shop.hrl:2:9 (shop)
    "#]],
    );
    check_symbols(
        "shop:new/1",
        false,
        expect![[r#"
        Function shop:new/1 /shop/src/shop.erl:6:1 (shop)
    "#]],
    );
    check_symbols(
        "billing/bill",
        false,
        expect![[r#"
        Module billing /billing/src/billing.erl:1:9 (billing)
    "#]],
    );
    check_symbols(
        "FEE",
        false,
        expect![[r#"
        Function billing:fee/1 /billing/src/billing.erl:4:1 (billing)
    "#]],
    );
    check_symbols("sum", false, expect![[r#""#]]);
    check_symbols(
        "sum",
        true,
        expect![[r#"
        Function lists:sum/1 /otp/lists/src/lists.erl:3:1 (lists)
    "#]],
    );
}

#[test]
fn definitions_by_target() {
    let (host, files, _) = host(SHOP);
    let analysis = host.analysis();
    let mut out = String::new();
    for target in [
        "lists:sum/1",
        "#order",
        "?RATE",
        "billing",
        "shop/shop",
        "amount/0",
        "nowhere:f/0",
    ] {
        out.push_str(&format!("{target}:\n"));
        out.push_str(&render_targets(
            &files,
            &analysis.definitions(target).unwrap(),
        ));
    }
    expect![[r#"
        lists:sum/1:
        Function lists:sum/1 /otp/lists/src/lists.erl:3:1 (lists)
        #order:
        Record #order /shop/include/shop.hrl:1:9 (shop)
        ?RATE:
        Macro ?RATE /billing/src/billing.erl:3:9 (billing)
        billing:
        Module billing /billing/src/billing.erl:1:9 (billing)
        shop/shop:
        Module shop /shop/src/shop.erl:1:9 (shop)
        amount/0:
        Type amount/0 /shop/include/shop.hrl:3:7 (shop)
        nowhere:f/0:
    "#]]
    .assert_eq(&out);
}

#[test]
fn definition_at_a_remote_call() {
    check_definition_at(
        "/shop/src/shop.erl",
        "fee(length",
        expect![[r#"
        Function billing:fee/1 /billing/src/billing.erl:4:1 (billing)
    "#]],
    );
}

#[test]
fn definition_at_a_module_name() {
    check_definition_at(
        "/shop/src/shop.erl",
        "billing:fee",
        expect![[r#"
        Module billing /billing/src/billing.erl:1:9 (billing)
    "#]],
    );
}

#[test]
fn definition_at_an_imported_call() {
    check_definition_at(
        "/shop/src/shop.erl",
        "sum(Items)",
        expect![[r#"
        Function lists:sum/1 /otp/lists/src/lists.erl:3:1 (lists)
    "#]],
    );
}

#[test]
fn definition_at_a_function_in_an_export_list() {
    check_definition_at(
        "/shop/src/shop.erl",
        "total/1",
        expect![[r#"
        Function shop:total/1 /shop/src/shop.erl:7:1 (shop)
    "#]],
    );
}

#[test]
fn definition_at_a_record_from_a_header() {
    check_definition_at(
        "/shop/src/shop.erl",
        "order{id",
        expect![[r#"
        Record #order /shop/include/shop.hrl:1:9 (shop)
    "#]],
    );
}

#[test]
fn definition_at_a_macro_call() {
    check_definition_at(
        "/shop/src/shop.erl",
        "LOG(\"new",
        expect![[r#"
        Macro ?LOG /shop/include/shop.hrl:2:9 (shop)
    "#]],
    );
}

#[test]
fn definition_at_an_auto_imported_bif_is_in_erlang() {
    check_definition_at(
        "/shop/src/shop.erl",
        "length(Items)",
        expect![[r#"
        Function erlang:length/1 /otp/erlang/src/erlang.erl:3:1 (erlang)
    "#]],
    );
}

#[test]
fn definition_at_a_type_in_a_spec() {
    check_definition_at(
        "/shop/src/shop.erl",
        "order{}.",
        expect![[r#"
        Record #order /shop/include/shop.hrl:1:9 (shop)
    "#]],
    );
}

#[test]
fn macro_expansions_and_the_module_summary() {
    let (host, files, _) = host(SHOP);
    let analysis = host.analysis();
    let shop = FileId(1);
    let whole = TextRange::up_to(TextSize::of(files[1].2.as_str()));
    let mut out = String::new();
    for expansion in analysis.macro_expansions(shop, whole).unwrap() {
        out.push_str(&format!(
            "{} {} -> {}\n",
            shown(&files, expansion.call),
            expansion.name,
            expansion.expansion
        ));
    }
    let summary = analysis.module_summary(shop).unwrap().unwrap();
    out.push_str(&format!("{summary:?}\n"));
    expect![[r#"
        /shop/src/shop.erl:6:12 LOG -> logger : info ( "new ~p" , [ Id ] )
        ModuleSummary { module: Some("shop"), functions: 2, exports: 2, records: 1, types: 1, specs: 1, callbacks: 0, macro_definitions: 1, macro_calls: 1, includes: 1 }
    "#]].assert_eq(&out);
}

#[test]
fn references_across_modules() {
    let (host, files, _) = host(SHOP);
    let analysis = host.analysis();
    let mut out = String::new();
    for (target, library) in [
        ("billing:fee/1", false),
        ("lists:sum/1", false),
        ("lists:sum/1", true),
        ("billing", false),
        ("#order", false),
        ("?LOG", false),
        ("sum/1", false),
    ] {
        out.push_str(&format!("{target} (library: {library}):\n"));
        match analysis.references(target, library).unwrap() {
            Some(sites) => {
                for site in sites {
                    out.push_str(&format!(
                        "  {:?} {}\n",
                        site.kind,
                        shown(&files, site.range)
                    ));
                }
            }
            None => out.push_str("  not a target\n"),
        }
    }
    expect![[r#"
        billing:fee/1 (library: false):
          Function /shop/src/shop.erl:7:54
          Function /billing/src/billing.erl:2:10
        lists:sum/1 (library: false):
          Function /shop/src/shop.erl:4:17
          Function /shop/src/shop.erl:7:33
        lists:sum/1 (library: true):
          Function /shop/src/shop.erl:4:17
          Function /shop/src/shop.erl:7:33
          Function /otp/lists/src/lists.erl:2:10
        billing (library: false):
          Module /shop/src/shop.erl:7:46
        #order (library: false):
          Record /shop/src/shop.erl:5:23
          Record /shop/src/shop.erl:6:35
          Record /shop/src/shop.erl:7:8
        ?LOG (library: false):
          Macro /shop/src/shop.erl:6:12
        sum/1 (library: false):
          not a target
    "#]]
    .assert_eq(&out);
}

#[test]
fn definition_at_a_callback_implementation_is_the_behaviours_callback() {
    check_definition_at(
        "/shop/src/shop_server.erl",
        "init(Args) ->",
        expect![[r#"
        Function gen_server:init/1 (callback) /otp/stdlib/src/gen_server.erl:2:11 (stdlib)
    "#]],
    );
}

#[test]
fn definition_at_a_behaviour_is_its_module() {
    check_definition_at(
        "/shop/src/shop_server.erl",
        "gen_server).",
        expect![[r#"
        Module gen_server /otp/stdlib/src/gen_server.erl:1:9 (stdlib)
    "#]],
    );
}

#[test]
fn no_auto_import_keeps_a_local_call_from_reaching_the_bif() {
    let fixture = r#"
//- /shop/src/sizes.erl
-module(sizes).
-compile({no_auto_import, [length/1, {size, 1}]}).
f(L) -> length(L) + size(L) + tuple_size(L).
length(_) -> 0.
//- /otp/erlang/src/erlang.erl
-module(erlang).
-export([length/1, size/1, tuple_size/1]).
length(_) -> 0.
size(_) -> 0.
tuple_size(_) -> 0.
"#;
    let (host, files, _) = host(fixture);
    let analysis = host.analysis();
    let text = &files[0].2;
    let mut out = String::new();
    for needle in ["length(L)", "size(L)", "tuple_size(L)"] {
        let offset = TextSize::from(text.find(needle).unwrap() as u32);
        let targets = analysis.definitions_at(FileId(0), offset).unwrap();
        out.push_str(&format!("{needle}: {}", render_targets(&files, &targets)));
        if targets.is_empty() {
            out.push_str("nothing\n");
        }
    }
    expect![[r#"
        length(L): Function sizes:length/1 /shop/src/sizes.erl:4:1 (shop)
        size(L): nothing
        tuple_size(L): Function erlang:tuple_size/1 /otp/erlang/src/erlang.erl:5:1 (erlang)
    "#]]
    .assert_eq(&out);
}
