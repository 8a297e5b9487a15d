//! `erlkit expand FILE:LINE`: what the macro calls on a line expand to, as the
//! preprocessor sees them with the project's include path and macros.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use syntax::{TextRange, TextSize};

use crate::cli::ExpandArgs;
use crate::navigate_cmd::location;
use crate::project_load::load_project;

/// Runs the command: 0 when the line has a macro call, 1 when it has none.
pub(crate) fn run(args: &ExpandArgs) -> anyhow::Result<u8> {
    let (file, line) = parse_location(&args.location)?;
    let file = file
        .canonicalize()
        .with_context(|| format!("cannot open {}", file.display()))?;
    let root = match &args.root {
        Some(root) => root.clone(),
        None => project_root(&file),
    };
    let project = load_project(&root, args.engine.load_options())?;
    let Some(file_id) = project.vfs.existing_file_id(&file) else {
        bail!(
            "{} is not a source file of the project at {} (see `erlkit modules`)",
            file.display(),
            project.root.display()
        );
    };
    let text = project.vfs.contents(file_id).cloned().unwrap_or_default();
    let Some(range) = line_range(&text, line) else {
        bail!("{} has no line {line}", file.display());
    };
    let expansions = project
        .host
        .analysis()
        .macro_expansions(file_id, range)
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let json: Vec<serde_json::Value> = expansions
            .iter()
            .map(|expansion| {
                serde_json::json!({
                    "call": location(&project, expansion.call),
                    "macro": expansion.name,
                    "arity": expansion.arity,
                    "definition": expansion.definition.map(|d| location(&project, d)),
                    "expansion": expansion.expansion,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for expansion in &expansions {
            let call = &text[expansion.call.range];
            let definition = match expansion.definition {
                Some(definition) => format!("defined at {}", location(&project, definition)),
                None => "predefined".to_owned(),
            };
            writeln!(
                out,
                "{}: {call} ({definition})",
                location(&project, expansion.call)
            )?;
            writeln!(out, "  {}", expansion.expansion)?;
        }
    }
    out.flush()?;
    if expansions.is_empty() {
        eprintln!("no macro call on line {line} of {}", project.shown(file_id));
    }
    Ok(u8::from(expansions.is_empty()))
}

/// `path:line` split.
fn parse_location(location: &str) -> anyhow::Result<(PathBuf, u32)> {
    let Some((path, line)) = location.rsplit_once(':') else {
        bail!("expected FILE:LINE, got `{location}`");
    };
    let line: u32 = line
        .parse()
        .ok()
        .filter(|&line| line > 0)
        .with_context(|| format!("`{line}` is not a line number (FILE:LINE, from 1)"))?;
    Ok((PathBuf::from(path), line))
}

/// The range of 1-based line `line` of `text`.
fn line_range(text: &str, line: u32) -> Option<TextRange> {
    let mut start = 0usize;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    Some(TextRange::new(
        TextSize::try_from(start).ok()?,
        TextSize::try_from(end).ok()?,
    ))
}

/// The project a file belongs to: the nearest directory above it with a
/// `rebar.config`, `erlkit.toml` or `erlang.mk`, or the umbrella above that
/// when it is an application in `apps/` or `lib/`; without one, the directory
/// above the file's.
pub(crate) fn project_root(file: &Path) -> PathBuf {
    let is_root = |dir: &Path| {
        ["rebar.config", "erlkit.toml", "erlang.mk"]
            .iter()
            .any(|marker| dir.join(marker).is_file())
    };
    let Some(nearest) = file.ancestors().skip(1).find(|dir| is_root(dir)) else {
        let parent = file.parent().unwrap_or(file);
        return parent.parent().unwrap_or(parent).to_path_buf();
    };
    let umbrella = nearest.parent().filter(|parent| {
        parent
            .file_name()
            .is_some_and(|name| name == "apps" || name == "lib")
    });
    match umbrella.and_then(Path::parent) {
        Some(above) if is_root(above) => above.to_path_buf(),
        _ => nearest.to_path_buf(),
    }
}
