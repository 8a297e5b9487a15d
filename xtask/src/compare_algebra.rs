//! `cargo xtask compare-algebra`: erlkit's layout algebra against erlfmt's own, on random documents.
//!
//! The formatter's layouts are only as faithful as its printer, so this builds
//! random documents from every primitive erlfmt has (text, concat, group, nest,
//! nest-if-break, strict and flex breaks, lines, forced breaks, next-break-fits),
//! prints each with `fmt::algebra::print` and with `erlfmt_algebra:format/2` (from
//! an erlfmt build: `--ebin DIR`, `ERLFMT_EBIN`, or found from the `erlfmt` on PATH)
//! and compares the texts.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use fmt::algebra::{self, Bump, Doc, Docs};

#[derive(clap::Args)]
pub(crate) struct CompareAlgebraArgs {
    /// How many random documents.
    #[arg(long, default_value_t = 5000)]
    docs: usize,
    /// The seed of the random documents.
    #[arg(long, default_value_t = 0x9E37_79B9_7F4A_7C15)]
    seed: u64,
    /// erlfmt's `ebin` directory (holding `erlfmt_algebra.beam`).
    #[arg(long)]
    ebin: Option<PathBuf>,
}

pub(crate) fn run(args: CompareAlgebraArgs) -> anyhow::Result<()> {
    let ebin = match args
        .ebin
        .or_else(|| std::env::var_os("ERLFMT_EBIN").map(PathBuf::from))
    {
        Some(ebin) => ebin,
        None => ebin_of_erlfmt_on_path()?,
    };
    if !ebin.join("erlfmt_algebra.beam").is_file() {
        bail!("no erlfmt_algebra.beam in {}", ebin.display());
    }
    let mut rng = XorShift(args.seed.max(1));
    let mut expressions = String::new();
    let mut ours = Vec::with_capacity(args.docs);
    let mut bump = Bump::new();
    for index in 0..args.docs {
        let (doc, expression) = random_doc(Docs::new(&bump), &mut rng, 7);
        let width = 3 + rng.below(30) as u32;
        expressions.push_str(&format!("{{{index}, {width}, {expression}}}.\n"));
        ours.push(algebra::print(&doc, width));
        bump.reset();
    }
    let dir = std::env::temp_dir().join(format!("erlkit-compare-algebra-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = run_oracle(&dir, &ebin, &expressions);
    let _ = std::fs::remove_dir_all(&dir);
    let theirs = result?;
    if theirs.len() != ours.len() {
        bail!(
            "erlfmt printed {} documents, expected {}",
            theirs.len(),
            ours.len()
        );
    }
    let lines: Vec<&str> = expressions.lines().collect();
    let differing: Vec<usize> = (0..ours.len()).filter(|&i| ours[i] != theirs[i]).collect();
    for &i in differing.iter().take(5) {
        println!("document {i}: {}", lines[i]);
        println!("  erlkit: {:?}", ours[i]);
        println!("  erlfmt: {:?}", theirs[i]);
    }
    println!(
        "compare-algebra: {}/{} documents print the same (seed {})",
        ours.len() - differing.len(),
        ours.len(),
        args.seed
    );
    if !differing.is_empty() {
        bail!("{} documents differ", differing.len());
    }
    Ok(())
}

/// `erlfmt` on PATH is an escript at `<build>/bin/erlfmt`; its modules are in
/// `<build>/lib/erlfmt/ebin`.
pub(crate) fn ebin_of_erlfmt_on_path() -> anyhow::Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join("erlfmt");
        if let Ok(real) = std::fs::canonicalize(&candidate)
            && let Some(build) = real.parent().and_then(Path::parent)
        {
            let ebin = build.join("lib").join("erlfmt").join("ebin");
            if ebin.is_dir() {
                return Ok(ebin);
            }
        }
    }
    bail!(
        "erlfmt's ebin not found: build erlfmt (see docs/benchmarks.md) and put it on PATH, \
         or pass --ebin DIR or set ERLFMT_EBIN"
    )
}

fn run_oracle(dir: &Path, ebin: &Path, expressions: &str) -> anyhow::Result<Vec<String>> {
    let input = dir.join("docs.txt");
    let output = dir.join("out.txt");
    std::fs::write(&input, expressions)?;
    let source = crate::project_root().join("xtask/erlang/algebra_oracle.erl");
    let status = Command::new("erlc")
        .arg("-o")
        .arg(dir)
        .arg(&source)
        .status()
        .context("running erlc")?;
    if !status.success() {
        bail!("erlc failed on {}", source.display());
    }
    let status = Command::new("erl")
        .arg("-noshell")
        .arg("-pa")
        .arg(ebin)
        .arg("-pa")
        .arg(dir)
        .args(["-run", "algebra_oracle", "main"])
        .arg(&input)
        .arg(&output)
        .status()
        .context("running erl")?;
    if !status.success() {
        bail!("the Erlang side failed ({status})");
    }
    let text = std::fs::read_to_string(&output)?;
    let mut docs: Vec<String> = text.split("\n@@@@\n").map(str::to_string).collect();
    docs.pop(); // after the last separator
    Ok(docs)
}

/// A small deterministic random number generator (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random document and the Erlang expression that builds the same one.
fn random_doc<'d>(d: Docs<'d>, rng: &mut XorShift, depth: u32) -> (Doc<'d>, String) {
    const WORDS: [&str; 7] = ["a", "bb", "ccc", "dddd", "eeeee,", "ffffff", "->"];
    let choice = if depth == 0 {
        rng.below(4)
    } else {
        rng.below(12)
    };
    match choice {
        0 | 1 => {
            let word = WORDS[rng.below(WORDS.len() as u64) as usize];
            (algebra::text(word), format!("<<\"{word}\">>"))
        }
        2 | 3 => {
            let separator = if rng.below(2) == 0 { " " } else { "" };
            if choice == 2 {
                let doc = algebra::break_with(separator);
                (doc, format!("erlfmt_algebra:break(<<\"{separator}\">>)"))
            } else {
                let doc = algebra::flex_break(separator);
                (
                    doc,
                    format!("erlfmt_algebra:flex_break(<<\"{separator}\">>)"),
                )
            }
        }
        4 => (algebra::line(), "erlfmt_algebra:line()".to_string()),
        5 => (
            algebra::force_breaks(),
            "erlfmt_algebra:force_breaks()".to_string(),
        ),
        6 | 7 => {
            let count = 1 + rng.below(4);
            let (docs, expressions): (Vec<_>, Vec<_>) =
                (0..count).map(|_| random_doc(d, rng, depth - 1)).unzip();
            let expression = format!("erlfmt_algebra:concat([{}])", expressions.join(","));
            (d.concat(&docs), expression)
        }
        8 => {
            let (doc, expression) = random_doc(d, rng, depth - 1);
            (d.group(doc), format!("erlfmt_algebra:group({expression})"))
        }
        9 => {
            let (doc, expression) = random_doc(d, rng, depth - 1);
            let indent = 1 + rng.below(4) as u32;
            if rng.below(2) == 0 {
                let nested = d.nest(doc, indent);
                (
                    nested,
                    format!("erlfmt_algebra:nest({expression},{indent},always)"),
                )
            } else {
                let nested = d.nest_if_break(doc, indent);
                (
                    nested,
                    format!("erlfmt_algebra:nest({expression},{indent},break)"),
                )
            }
        }
        10 => {
            let (doc, expression) = random_doc(d, rng, depth - 1);
            if rng.below(2) == 0 {
                let fits = d.next_break_fits(doc);
                (
                    fits,
                    format!("erlfmt_algebra:next_break_fits({expression},enabled)"),
                )
            } else {
                let fits = d.next_break_fits_disabled(doc);
                (
                    fits,
                    format!("erlfmt_algebra:next_break_fits({expression},disabled)"),
                )
            }
        }
        _ => (algebra::lines(2), "erlfmt_algebra:line(2)".to_string()),
    }
}
