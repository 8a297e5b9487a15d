//! `erlkit lint` and `erlkit explain`: the linter's findings over a project,
//! printed for people or as JSON, and the documentation of each code (the
//! sections of `docs/diagnostics.md`, built into the binary).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use ide::{DiagnosticCode, LintDiagnostic, Severity};
use project_model::layout::AppOrigin;
use syntax::LineIndex;

use crate::analyze_cmd::{BATCH, in_parallel};
use crate::cli::{ExplainArgs, LintArgs, LintFormat};
use crate::navigate_cmd::location;
use crate::project_load::{LoadedFile, LoadedProject, load_project, relative};

/// The documentation of every code, one `## CODE name` section each.
const DIAGNOSTICS_DOC: &str = include_str!("../../../docs/diagnostics.md");

/// Runs `erlkit lint`: 0 when no finding is at or above the fail level, 1
/// otherwise.
pub(crate) fn run(args: &LintArgs) -> anyhow::Result<u8> {
    let mut project = load_project(&args.root, args.engine.load_options())?;
    let wanted: Vec<PathBuf> = args
        .paths
        .iter()
        .map(|path| {
            std::fs::canonicalize(path)
                .map_err(|error| anyhow::anyhow!("{}: {error}", path.display()))
        })
        .collect::<anyhow::Result<_>>()?;
    let files: Vec<LoadedFile> = project
        .files
        .iter()
        .filter(|file| file.origin == AppOrigin::Project)
        .filter(|file| {
            wanted.is_empty() || {
                let path = project.vfs.path(file.file_id);
                let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                wanted.iter().any(|wanted| path.starts_with(wanted))
            }
        })
        .cloned()
        .collect();
    if !args.paths.is_empty() && files.is_empty() {
        anyhow::bail!("no file of the project's applications is under the paths given");
    }
    let mut findings: Vec<LintDiagnostic> = Vec::new();
    for batch in files.chunks(BATCH) {
        let analysis = project.host.analysis();
        let batch: Vec<&LoadedFile> = batch.iter().collect();
        let found = in_parallel(&analysis, &batch, |analysis, file| {
            analysis.lint(file.file_id)
        })
        .map_err(|_| anyhow::anyhow!("the analysis was cancelled"))?;
        findings.extend(found.into_iter().flatten());
        drop(analysis);
        project.host.collect_garbage();
    }
    // A header's finding is reported once, however many modules include it.
    findings.sort_by(|a, b| {
        (
            project.shown(a.range.file_id),
            a.range.range.start(),
            a.code,
        )
            .cmp(&(
                project.shown(b.range.file_id),
                b.range.range.start(),
                b.code,
            ))
    });
    findings.dedup();

    let fail_on_warnings = args.deny.as_deref() == Some("warnings");
    let failing = findings
        .iter()
        .any(|finding| finding.severity == Severity::Error || fail_on_warnings);
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        LintFormat::Human => print_human(&mut out, &project, &findings, files.len()),
        LintFormat::Json => print_json(&mut out, &project, &findings, files.len()),
        LintFormat::Github => print_github(&mut out, &project, &findings),
    };
    quiet_on_closed_pipe(printed)?;
    Ok(u8::from(failing))
}

/// `result`, except that a reader that stopped reading (`| head`) is no
/// error.
fn quiet_on_closed_pipe(result: anyhow::Result<()>) -> anyhow::Result<()> {
    match result {
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn counts(findings: &[LintDiagnostic]) -> (usize, usize) {
    let errors = findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .count();
    (errors, findings.len() - errors)
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `path:line:col: severity[CODE]: message`, the line with the range
/// underlined, and the related places; then the counts.
fn print_human(
    out: &mut impl Write,
    project: &LoadedProject,
    findings: &[LintDiagnostic],
    files: usize,
) -> anyhow::Result<()> {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    for finding in findings {
        let severity = match finding.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
        };
        writeln!(
            out,
            "{}: {severity}[{}]: {}",
            location(project, finding.range),
            finding.code,
            finding.message
        )?;
        if let Some(snippet) = snippet(project, finding) {
            writeln!(out, "{snippet}")?;
        }
        for related in &finding.related {
            writeln!(
                out,
                "  {}: note: {}",
                location(project, related.range),
                related.message
            )?;
        }
    }
    let (errors, warnings) = counts(findings);
    writeln!(
        out,
        "{errors} {}, {warnings} {} in {files} {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(files, "file", "files"),
    )?;
    Ok(())
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The finding's line, numbered, and `^` under its range (to the end of the
/// line when it runs past it).
fn snippet(project: &LoadedProject, finding: &LintDiagnostic) -> Option<String> {
    let text = project.vfs.contents(finding.range.file_id)?;
    let index = LineIndex::new(text);
    let start = usize::from(finding.range.range.start()).min(text.len());
    let end = usize::from(finding.range.range.end()).min(text.len());
    let position = index.line_column(start);
    let line_start = text[..start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let before = text[line_start..start].chars().count();
    let width = text[start..end.clamp(start, line_end)]
        .chars()
        .count()
        .max(1);
    let number = position.line.to_string();
    let gutter = " ".repeat(number.len());
    Some(format!(
        "{number} | {line}\n{gutter} | {}{}",
        " ".repeat(before),
        "^".repeat(width)
    ))
}

fn print_json(
    out: &mut impl Write,
    project: &LoadedProject,
    findings: &[LintDiagnostic],
    files: usize,
) -> anyhow::Result<()> {
    let place = |range: ide::FileRange| {
        let text = project.vfs.contents(range.file_id);
        let (start, end) = text.map_or(((1, 1), (1, 1)), |text| {
            let index = LineIndex::new(text);
            let at = |offset: syntax::TextSize| {
                let position = index.line_column(usize::from(offset));
                (position.line, position.column)
            };
            (at(range.range.start()), at(range.range.end()))
        });
        serde_json::json!({
            "path": project.shown(range.file_id),
            "line": start.0,
            "column": start.1,
            "end_line": end.0,
            "end_column": end.1,
        })
    };
    let findings_json: Vec<serde_json::Value> = findings
        .iter()
        .map(|finding| {
            let mut value = place(finding.range);
            value["code"] = finding.code.code().into();
            value["name"] = finding.code.name().into();
            value["severity"] = severity_name(finding.severity).into();
            value["message"] = finding.message.clone().into();
            value["related"] = finding
                .related
                .iter()
                .map(|related| {
                    let mut value = place(related.range);
                    value["message"] = related.message.clone().into();
                    value
                })
                .collect();
            value
        })
        .collect();
    let (errors, warnings) = counts(findings);
    let document = serde_json::json!({
        "findings": findings_json,
        "errors": errors,
        "warnings": warnings,
        "files": files,
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}

/// One GitHub Actions workflow command per finding, its path relative to
/// the current directory (a workflow's is the repository's root).
fn print_github(
    out: &mut impl Write,
    project: &LoadedProject,
    findings: &[LintDiagnostic],
) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().ok();
    for finding in findings {
        let path = project.vfs.path(finding.range.file_id);
        let path = cwd
            .as_deref()
            .map_or_else(|| path.display().to_string(), |cwd| relative(path, cwd));
        let (start, end) = match project.vfs.contents(finding.range.file_id) {
            Some(text) => {
                let index = LineIndex::new(text);
                (
                    index.line_column(usize::from(finding.range.range.start())),
                    index.line_column(usize::from(finding.range.range.end())),
                )
            }
            None => continue,
        };
        writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            severity_name(finding.severity),
            escape_property(&path),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(&format!("{} {}", finding.code, finding.code.name())),
            escape_data(&finding.message),
        )?;
    }
    Ok(())
}

/// A workflow command's message, escaped as GitHub's toolkit does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value, escaped as GitHub's toolkit does.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Runs `erlkit explain`: prints the code's section of the documentation.
pub(crate) fn explain(args: &ExplainArgs) -> anyhow::Result<u8> {
    let Some(code) = DiagnosticCode::from_code_or_name(&args.code) else {
        anyhow::bail!(
            "unknown code {:?}; the codes are {}",
            args.code,
            DiagnosticCode::ALL
                .iter()
                .map(|code| code.code())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let section = explanation(code)
        .ok_or_else(|| anyhow::anyhow!("{code} has no entry in docs/diagnostics.md"))?;
    quiet_on_closed_pipe(writeln!(std::io::stdout(), "{section}").map_err(Into::into))?;
    Ok(0)
}

/// The section `## CODE name` of the documentation, up to the next one.
pub(crate) fn explanation(code: DiagnosticCode) -> Option<&'static str> {
    let heading = format!("\n## {} {}\n", code.code(), code.name());
    let start = DIAGNOSTICS_DOC.find(&heading)? + 1;
    let end = DIAGNOSTICS_DOC[start + 1..]
        .find("\n## ")
        .map_or(DIAGNOSTICS_DOC.len(), |n| start + 1 + n);
    Some(DIAGNOSTICS_DOC[start..end].trim_end())
}

#[cfg(test)]
mod tests {
    use ide::DiagnosticCode;

    use super::{DIAGNOSTICS_DOC, escape_data, escape_property, explanation};

    #[test]
    fn workflow_commands_are_escaped_as_githubs_toolkit_does() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b, c%"), "a%3Ab%2C c%25");
    }

    #[test]
    fn every_code_has_exactly_one_section_in_the_documentation() {
        for code in DiagnosticCode::ALL {
            let section = explanation(code)
                .unwrap_or_else(|| panic!("docs/diagnostics.md has no section for {code}"));
            assert!(
                section.contains("```erlang"),
                "{code}'s section has no example"
            );
        }
        let sections = DIAGNOSTICS_DOC.matches("\n## ").count();
        assert_eq!(
            sections,
            DiagnosticCode::ALL.len(),
            "docs/diagnostics.md has sections for codes erlkit does not have"
        );
    }
}
