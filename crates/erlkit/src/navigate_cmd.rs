//! `erlkit symbols QUERY` and `erlkit def TARGET`: the module index's
//! answers, with locations.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ide::{FileRange, NavigationTarget};
use syntax::{LineIndex, TextSize};

use crate::cli::{DefArgs, RefsArgs, SymbolsArgs};
use crate::project_load::{LoadOptions, LoadedProject, load_project};

/// `erlkit symbols`: 0 when something matches, 1 when nothing does.
pub(crate) fn symbols(args: &SymbolsArgs) -> anyhow::Result<u8> {
    let project = load_project(&args.root, args.engine.load_options())?;
    let targets = project
        .host
        .analysis()
        .symbols(&args.query, args.all, args.limit)
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
    print_targets(&project, &targets, args.json)?;
    if targets.is_empty() {
        eprintln!("no symbol matches `{}`", args.query);
    }
    Ok(u8::from(targets.is_empty()))
}

/// `erlkit def`: 0 when the target is defined somewhere, 1 when not.
pub(crate) fn def(args: &DefArgs) -> anyhow::Result<u8> {
    let position = parse_position(&args.target);
    let project = load_for(&args.root, &position, args.engine.load_options())?;
    let targets = definitions(&project, &args.target, &position)?;
    print_targets(&project, &targets, args.json)?;
    if targets.is_empty() {
        eprintln!("no definition found for `{}`", args.target);
    }
    Ok(u8::from(targets.is_empty()))
}

/// `erlkit refs`: 0 when there is a reference, 1 when there is none.
pub(crate) fn refs(args: &RefsArgs) -> anyhow::Result<u8> {
    let position = parse_position(&args.target);
    let project = load_for(&args.root, &position, args.engine.load_options())?;
    // At a position: the references of what the name there refers to.
    let target = match &position {
        Some(_) => match definitions(&project, &args.target, &position)?.first() {
            Some(definition) => definition.name.clone(),
            None => bail!("nothing with references at {}", args.target),
        },
        None => args.target.clone(),
    };
    let Some(sites) = project
        .host
        .analysis()
        .references(&target, args.all)
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?
    else {
        bail!("`{target}`: give a module's function (`m:f/2`), a module, `#record` or `?MACRO`");
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let json: Vec<serde_json::Value> = sites
            .iter()
            .map(|site| {
                serde_json::json!({
                    "kind": format!("{:?}", site.kind).to_lowercase(),
                    "location": location(&project, site.range),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for site in &sites {
            let at = location(&project, site.range);
            writeln!(out, "{at}: {}", line_text(&project, site.range))?;
        }
    }
    out.flush()?;
    match sites.len() {
        0 => eprintln!("no reference to `{target}`"),
        1 => eprintln!("1 reference to `{target}`"),
        n => eprintln!("{n} references to `{target}`"),
    }
    Ok(u8::from(sites.is_empty()))
}

/// The line of text a range starts on, trimmed.
fn line_text(project: &LoadedProject, range: FileRange) -> String {
    let Some(text) = project.vfs.contents(range.file_id) else {
        return String::new();
    };
    let offset = usize::from(range.range.start()).min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |n| n + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |n| offset + n);
    text[start..end].trim().to_owned()
}

/// Loads the project a command works on: `--root`, else the project of a
/// position's file, else the current directory.
fn load_for(
    root: &Option<PathBuf>,
    position: &Option<(PathBuf, u32, u32)>,
    options: LoadOptions,
) -> anyhow::Result<LoadedProject> {
    let root = match (root, position) {
        (Some(root), _) => root.clone(),
        (None, Some((file, _, _))) => crate::expand_cmd::project_root(
            &file
                .canonicalize()
                .with_context(|| format!("cannot open {}", file.display()))?,
        ),
        (None, None) => PathBuf::from("."),
    };
    load_project(&root, options)
}

/// The definitions of a target: a name, or what is at a position.
fn definitions(
    project: &LoadedProject,
    target: &str,
    position: &Option<(PathBuf, u32, u32)>,
) -> anyhow::Result<Vec<NavigationTarget>> {
    let analysis = project.host.analysis();
    match position {
        Some((file, line, column)) => {
            let file = file.canonicalize()?;
            let Some(file_id) = project.vfs.existing_file_id(&file) else {
                bail!(
                    "{} is not a source file of the project at {}",
                    file.display(),
                    project.root.display()
                );
            };
            let text = project.vfs.contents(file_id).cloned().unwrap_or_default();
            let Some(offset) = offset_of(&text, *line, *column) else {
                bail!("{} has no line {line} column {column}", file.display());
            };
            analysis.definitions_at(file_id, offset)
        }
        None => analysis.definitions(target),
    }
    .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))
}

fn print_targets(
    project: &LoadedProject,
    targets: &[NavigationTarget],
    json: bool,
) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        let json: Vec<serde_json::Value> = targets
            .iter()
            .map(|target| {
                serde_json::json!({
                    "kind": format!("{:?}", target.kind).to_lowercase(),
                    "name": target.name,
                    "app": target.app,
                    "location": location(project, target.range),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for target in targets {
            let kind = format!("{:?}", target.kind).to_lowercase();
            writeln!(
                out,
                "{kind:<8} {:<40} {} ({})",
                target.name,
                location(project, target.range),
                target.app
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// `path:line:column` of a range's start.
pub(crate) fn location(project: &LoadedProject, range: FileRange) -> String {
    let position = project.vfs.contents(range.file_id).map(|text| {
        let offset = usize::from(range.range.start()).min(text.len());
        LineIndex::new(text).line_column(offset)
    });
    match position {
        Some(p) => format!("{}:{}:{}", project.shown(range.file_id), p.line, p.column),
        None => project.shown(range.file_id),
    }
}

/// `file.erl:LINE:COL` (or `.hrl`), split; `None` for other targets.
fn parse_position(target: &str) -> Option<(PathBuf, u32, u32)> {
    let (rest, column) = target.rsplit_once(':')?;
    let (file, line) = rest.rsplit_once(':')?;
    let path = Path::new(file);
    if !path
        .extension()
        .is_some_and(|ext| ext == "erl" || ext == "hrl")
    {
        return None;
    }
    Some((path.to_path_buf(), line.parse().ok()?, column.parse().ok()?))
}

/// The offset of 1-based `line` and character `column` in `text`.
fn offset_of(text: &str, line: u32, column: u32) -> Option<TextSize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0usize;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |n| start + n)];
    let within: usize = line_text
        .chars()
        .take(column as usize - 1)
        .map(char::len_utf8)
        .sum();
    TextSize::try_from(start + within).ok()
}
