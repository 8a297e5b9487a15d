//! `cargo xtask corpus beam`: every `.beam` file of the installed OTP read
//! by the `beam` crate and by OTP's own `beam_lib`, which must agree on the
//! module hash (`beam_lib:md5/1`), the module's name, its atoms, labeled
//! exports, imports, labeled locals, attribute and compile-information keys
//! and compiler version. The file is also read whole (funs, literals,
//! attributes, compile information) without an error.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};

use super::erlang_helper;

#[derive(clap::Args)]
pub(crate) struct BeamArgs {
    /// Show at most this many differences.
    #[arg(long, default_value_t = 20)]
    show: usize,
}

pub(crate) fn run(args: BeamArgs) -> anyhow::Result<()> {
    let root = crate::otp::root()?;
    let mut files = Vec::new();
    find_beams(&root, &mut files)?;
    files.sort();
    if files.is_empty() {
        bail!("no .beam file under {}", root.display());
    }
    let started = Instant::now();
    let input: String = files
        .iter()
        .map(|path| format!("{}\n", path.display()))
        .collect();
    let output = erlang_helper::run("beam_oracle.erl", &input)?;
    let oracle_time = started.elapsed();
    let started = Instant::now();
    let mut ours = Vec::with_capacity(files.len());
    for path in &files {
        ours.push(describe(path));
    }
    let our_time = started.elapsed();
    let mut differences = Vec::new();
    let mut compared = 0;
    let mut deep_forms = 0;
    let lines: Vec<&str> = output.lines().collect();
    if lines.len() != files.len() {
        bail!(
            "beam_oracle.erl gave {} lines for {} files",
            lines.len(),
            files.len()
        );
    }
    for ((path, ours), judged) in files.iter().zip(&ours).zip(&lines) {
        compared += 1;
        let judged_fields: Vec<&str> = judged.split('\t').collect();
        let our_fields: Vec<&str> = ours.split('\t').collect();
        deep_forms += our_fields.get(FORMS_FIELD).map_or(0, |forms| {
            forms.split(',').filter(|form| *form == DEEP).count()
        });
        if !same_fields(&judged_fields, &our_fields) {
            let field = judged_fields
                .iter()
                .zip(&our_fields)
                .position(|(a, b)| a != b)
                .unwrap_or(judged_fields.len().min(our_fields.len()));
            differences.push(format!(
                "{}: field {} ({}): beam_lib {:?}, erlkit {:?}",
                path.display(),
                field,
                FIELDS.get(field).unwrap_or(&"count"),
                shorten(judged_fields.get(field).copied().unwrap_or("(none)")),
                shorten(our_fields.get(field).copied().unwrap_or("(none)")),
            ));
        }
    }
    println!(
        "corpus beam: {compared} .beam files under {}: {} identical to beam_lib, {} differences",
        root.display(),
        compared - differences.len(),
        differences.len()
    );
    println!(
        "  abstract code: {deep_forms} forms nested deeper than the {} levels erlkit decodes, left out of the comparison",
        beam::MAX_DEPTH
    );
    println!(
        "  time: beam_lib {:.1} s (md5 and chunks, one erl), erlkit {:.2} s (parse, md5, every table and term chunk)",
        oracle_time.as_secs_f64(),
        our_time.as_secs_f64()
    );
    for difference in differences.iter().take(args.show) {
        println!("  {difference}");
    }
    if !differences.is_empty() {
        bail!(
            "{} files where erlkit and beam_lib differ",
            differences.len()
        );
    }
    Ok(())
}

const FIELDS: [&str; 11] = [
    "path",
    "md5",
    "module",
    "atoms",
    "labeled exports",
    "imports",
    "labeled locals",
    "attribute keys",
    "compile_info keys",
    "compiler version",
    "abstract code forms",
];

/// The field of the abstract code's forms, and how erlkit writes a form too
/// deep to decode (which matches any form).
const FORMS_FIELD: usize = 10;
const DEEP: &str = "?";

/// Whether the fields agree, a form erlkit could not decode matching any.
fn same_fields(judged: &[&str], ours: &[&str]) -> bool {
    judged.len() == ours.len()
        && judged.iter().zip(ours).enumerate().all(|(index, (a, b))| {
            if index != FORMS_FIELD || a == b {
                return a == b;
            }
            let (a, b): (Vec<&str>, Vec<&str>) = (a.split(',').collect(), b.split(',').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(a, b)| a == b || *b == DEEP)
        })
}

fn shorten(text: &str) -> String {
    if text.len() > 160 {
        format!("{}...", &text[..text.floor_char_boundary(160)])
    } else {
        text.to_owned()
    }
}

fn find_beams(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        let kind = entry.file_type()?;
        if kind.is_dir() {
            find_beams(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "beam") {
            out.push(path);
        }
    }
    Ok(())
}

/// The forms of the abstract code as `beam_oracle.erl` writes them.
fn forms(beam: &beam::BeamFile) -> Result<String, beam::FormatError> {
    let name = |text: &str| -> String { text.bytes().map(|b| format!("{b:02x}")).collect() };
    let Some(forms) = beam.abstract_forms()? else {
        return Ok("-".to_owned());
    };
    let atom = |term: Option<&eetf::Term>| match term {
        Some(eetf::Term::Atom(atom)) => Some(atom.name.clone()),
        _ => None,
    };
    let described: Vec<String> = forms
        .iter()
        .map(|form| {
            let Ok(eetf::Term::Tuple(tuple)) = form else {
                return DEEP.to_owned();
            };
            let elements = &tuple.elements;
            match atom(elements.first()).as_deref() {
                Some("attribute") => match atom(elements.get(2)) {
                    Some(attribute) => format!("attribute/{}", name(&attribute)),
                    None => "error".to_owned(),
                },
                Some("function") => match (atom(elements.get(2)), elements.get(3)) {
                    (Some(function), Some(eetf::Term::FixInteger(arity))) => {
                        format!("function/{}/{}", name(&function), arity.value)
                    }
                    _ => "error".to_owned(),
                },
                Some(tag) => name(tag),
                None => "error".to_owned(),
            }
        })
        .collect();
    Ok(described.join(","))
}

/// The line `beam_oracle.erl` prints for `path`, from the `beam` crate.
fn describe(path: &Path) -> String {
    let beam = match beam::read(path) {
        Ok(beam) => beam,
        Err(error) => return format!("{}\terror\t{error}", path.display()),
    };
    let md5 = beam.md5_hex().unwrap_or_else(|_| "error".to_owned());
    match tables(&beam) {
        Ok(fields) => format!("{}\t{md5}\t{fields}", path.display()),
        Err(error) => format!("{}\t{md5}\terror\t{error}", path.display()),
    }
}

fn tables(beam: &beam::BeamFile) -> Result<String, beam::FormatError> {
    let name = |text: &str| -> String { text.bytes().map(|b| format!("{b:02x}")).collect() };
    let items = |items: Vec<Vec<String>>| -> String {
        items
            .iter()
            .map(|item| item.join("/"))
            .collect::<Vec<_>>()
            .join(",")
    };
    // `beam_lib` sorts these tables; the file keeps them in its own order.
    let mut exports = beam.exports()?;
    exports.sort();
    let mut imports = beam.imports()?;
    imports.sort();
    let mut locals = beam.locals()?;
    locals.sort();
    let attributes = beam.attributes()?;
    let info = beam.compile_info()?;
    // Read the rest too: a file erlkit cannot read whole is a difference.
    beam.funs()?;
    beam.literals()?;
    for id in [b"Docs", b"Meta"] {
        beam.term_chunk(id)?;
    }
    let version = info
        .iter()
        .find(|(key, _)| key == "version")
        .and_then(|(_, value)| match value {
            eetf::Term::ByteList(bytes) => String::from_utf8(bytes.bytes.clone()).ok(),
            _ => None,
        })
        .unwrap_or_else(|| "-".to_owned());
    let labeled = |functions: &[beam::Labeled]| {
        items(
            functions
                .iter()
                .map(|f| vec![name(&f.function), f.arity.to_string(), f.label.to_string()])
                .collect(),
        )
    };
    Ok([
        name(beam.module()),
        items(beam.atoms().iter().map(|atom| vec![name(atom)]).collect()),
        labeled(&exports),
        items(
            imports
                .iter()
                .map(|i| vec![name(&i.module), name(&i.function), i.arity.to_string()])
                .collect(),
        ),
        labeled(&locals),
        // `beam_lib` groups the attributes by name, in the order of names.
        items(
            attributes
                .iter()
                .map(|(key, _)| key.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|key| vec![name(key)])
                .collect(),
        ),
        items(info.iter().map(|(key, _)| vec![name(key)]).collect()),
        version,
        forms(beam)?,
    ]
    .join("\t"))
}
