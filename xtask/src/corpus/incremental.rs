//! `cargo xtask corpus incremental`: the analysis after edits equals the
//! analysis from scratch, on every OTP module.
//!
//! Each module gets a chain of edits (a seeded random choice per module, so a
//! failure repeats): lines and macro calls inserted in function bodies,
//! integers changed, comments, dots, quotes, directives and random fragments
//! inserted anywhere, text deleted. After each edit the module's
//! `expanded_module` (which reads again only the forms an edit touched, and
//! reparses its text from the last parse) must equal
//! `expanded_module_from_scratch` (the whole module preprocessed and parsed
//! anew), field by field: text, origins, parse, diagnostics, macro calls. The
//! file's own tokens and parse (relexed and reparsed from the last ones) are
//! compared with a full lex and parse too. The check prints how
//! many edits took the incremental way.

use std::time::Instant;

use anyhow::bail;
use base_db::SourceFile;
use hir::Workspace;
use salsa::Setter;
use syntax::{FileKind, ParseOptions, SyntaxKind, SyntaxNode};

use super::otp_db::{load_otp, otp_modules};

#[derive(clap::Args)]
pub(crate) struct IncrementalArgs {
    /// Only OTP files whose path contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Edits made to each module, one after the other.
    #[arg(long, value_name = "N", default_value_t = 6)]
    edits: usize,
    /// Seed of the random choices.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// How many differences to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    show: usize,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Text inserted at random places.
const FRAGMENTS: &[&str] = &[
    "_ = 1,\n    ",
    "?MODULE, ",
    "?LINE",
    "?FUNCTION_NAME",
    "?UNDEFINED_MACRO",
    "?",
    "(",
    ")",
    ".",
    ". ",
    ".\n",
    "\n",
    "\n\n",
    "%% a comment\n",
    "\"",
    "'",
    "x",
    "1",
    "->",
    ";",
    "end",
    "-define(ZZ, 1).\n",
    "-ifdef(ZZ).\n",
    "-endif.\n",
    "-module(zz).\n",
    "-include(\"nowhere.hrl\").\n",
    "f() -> ok.\n",
];

/// One edit: `delete` bytes at `offset` give way to `insert`.
#[derive(Debug, Clone)]
struct Edit {
    offset: usize,
    delete: usize,
    insert: String,
}

impl Edit {
    fn apply(&self, text: &str) -> String {
        format!(
            "{}{}{}",
            &text[..self.offset],
            self.insert,
            &text[self.offset + self.delete..]
        )
    }
}

/// A random edit of `text` (whose tree is `root`): most inside function
/// bodies, as typing is.
fn random_edit(text: &str, root: &SyntaxNode, rng: &mut Rng) -> Edit {
    let floor = |mut offset: usize| {
        offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let bodies = || {
        root.descendants()
            .filter(|node| node.kind() == SyntaxKind::CLAUSE_BODY)
            .collect::<Vec<SyntaxNode>>()
    };
    match rng.below(10) {
        // A line, a macro call, or a changed integer in a function body.
        0..=4 => {
            let bodies = bodies();
            if bodies.is_empty() {
                return Edit {
                    offset: floor(rng.below(text.len() + 1)),
                    delete: 0,
                    insert: "\n".to_owned(),
                };
            }
            let body = &bodies[rng.below(bodies.len())];
            let start = usize::from(body.text_range().start());
            let integer = body
                .descendants_with_tokens()
                .filter_map(|element| element.into_token())
                .find(|token| token.kind() == SyntaxKind::INTEGER);
            match (rng.below(3), integer) {
                (0, Some(integer)) => Edit {
                    offset: usize::from(integer.text_range().start()),
                    delete: integer.text().len(),
                    insert: format!("{}", rng.below(1000)),
                },
                (1, _) => Edit {
                    offset: start,
                    delete: 0,
                    insert: "?MODULE, ".to_owned(),
                },
                _ => Edit {
                    offset: start,
                    delete: 0,
                    insert: format!("_ = {},\n    ", rng.below(100)),
                },
            }
        }
        // A fragment anywhere.
        5..=7 => Edit {
            offset: floor(rng.below(text.len() + 1)),
            delete: 0,
            insert: FRAGMENTS[rng.below(FRAGMENTS.len())].to_owned(),
        },
        // Some text deleted.
        _ => {
            let offset = floor(rng.below(text.len() + 1));
            let end = floor(offset + 1 + rng.below(12));
            Edit {
                offset,
                delete: end - offset,
                insert: String::new(),
            }
        }
    }
}

/// What differs between two expansions, field by field.
fn differences(a: &hir::expanded::ExpandedModule, b: &hir::expanded::ExpandedModule) -> String {
    let mut out = Vec::new();
    if a.text() != b.text() {
        out.push("text");
    }
    if !a.tokens_with_offsets().eq(b.tokens_with_offsets()) {
        out.push("tokens and origins");
    }
    if a.parse() != b.parse() {
        out.push("parse");
    }
    let (pa, pb) = (a.preprocessed(), b.preprocessed());
    if pa.diagnostics != pb.diagnostics {
        out.push("diagnostics");
    }
    if pa.macro_calls != pb.macro_calls {
        out.push("macro calls");
    }
    if pa.includes != pb.includes {
        out.push("includes");
    }
    if pa.definitions != pb.definitions {
        out.push("definitions");
    }
    if pa.main_forms != pb.main_forms {
        out.push("main forms");
    }
    if out.is_empty() {
        out.push("where each form starts");
    }
    out.join(", ")
}

pub(crate) fn run(args: IncrementalArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let (root, release, modules) = otp_modules(args.filter.as_deref())?;
    let mut otp = load_otp(&root, release)?;
    let workspace = Workspace::new(&otp.db, otp.apps.clone(), otp.paths.clone());
    let load_time = started.elapsed();
    let started = Instant::now();
    let before = hir::expansion_counts(&otp.db);
    let mut edits = 0usize;
    let mut differing: Vec<String> = Vec::new();
    let mut slowest: Vec<(std::time::Duration, String)> = Vec::new();
    for path in &modules {
        let Some(&file) = otp.files.get(path) else {
            continue;
        };
        let original = file.text(&otp.db).clone();
        let options = ParseOptions {
            release,
            file_kind: FileKind::Module,
        };
        let _ = hir::expanded_module(&otp.db, workspace, file);
        let _ = base_db::parse(&otp.db, file);
        let mut rng = Rng(args.seed ^ hash(&path.to_string_lossy()));
        let mut text = original.to_string();
        let mut history = Vec::new();
        for _ in 0..args.edits {
            let root = base_db::parse(&otp.db, file).syntax_node();
            let edit = random_edit(&text, &root, &mut rng);
            text = edit.apply(&text);
            history.push(edit);
            edits += 1;
            let checked = Instant::now();
            let result = check(&mut otp.db, workspace, file, &text, &options);
            slowest.push((
                checked.elapsed(),
                format!("{}: {history:?}", path.display()),
            ));
            slowest.sort_by_key(|slow| std::cmp::Reverse(slow.0));
            slowest.truncate(3);
            if let Some(difference) = result {
                differing.push(format!(
                    "{}: after edits {history:?}: {difference}",
                    path.display()
                ));
                break;
            }
        }
        file.set_text(&mut otp.db).to(original.clone());
        if let Some(difference) = check(&mut otp.db, workspace, file, &original, &options) {
            differing.push(format!(
                "{}: back to the original after edits {history:?}: {difference}",
                path.display()
            ));
        }
    }
    let after = hir::expansion_counts(&otp.db);
    let patched = after.patched - before.patched;
    let from_scratch = after.from_scratch - before.from_scratch;
    println!(
        "corpus incremental: {} modules, {edits} edits (seed {}): {} differences from a fresh analysis",
        modules.len(),
        args.seed,
        differing.len()
    );
    println!(
        "  expansions after an edit: {patched} read only the forms the edit touched, {from_scratch} the whole module (the first expansion of each module included)"
    );
    println!(
        "  load {:.1} s, edits and checks {:.1} s",
        load_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    for (time, edits) in &slowest {
        println!("  slowest: {:.1} ms: {edits}", time.as_secs_f64() * 1e3);
    }
    for difference in differing.iter().take(args.show) {
        println!("  DIFFERENT {difference}");
    }
    if !differing.is_empty() {
        bail!(
            "{} modules analysed differently after edits",
            differing.len()
        );
    }
    if patched == 0 {
        bail!("no expansion took the incremental way: the check checked nothing");
    }
    Ok(())
}

/// Sets `file` to `text` and compares the incremental results with fresh
/// ones; what differs, if anything.
fn check(
    db: &mut base_db::RootDatabase,
    workspace: Workspace,
    file: SourceFile,
    text: &str,
    options: &ParseOptions,
) -> Option<String> {
    file.set_text(db).to(text.into());
    let lex_options = syntax::LexOptions {
        release: options.release,
        file_kind: options.file_kind,
    };
    if **hir::file_tokens(db, file) != syntax::tokenize(text, &lex_options).0 {
        return Some("the file's tokens".to_owned());
    }
    let parse = base_db::parse(db, file);
    if *parse != syntax::parse(text, options) {
        return Some("the file's parse".to_owned());
    }
    let incremental = hir::expanded_module(db, workspace, file);
    let fresh = hir::expanded_module_from_scratch(db, workspace, file);
    (**incremental != fresh).then(|| differences(incremental, &fresh))
}

/// A stable hash of `text` (FNV-1a), for each module's seed.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
