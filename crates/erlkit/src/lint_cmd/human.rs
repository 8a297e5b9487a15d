//! `--format human`: `path:line:col: severity[CODE]: message`, the line with
//! the range underlined, the related places, and a summary.

use std::io::Write;

use ide::Severity;

use super::report::{Finding, Report, plural};

/// Prints `report`; in colour when `colour`.
pub(crate) fn print(out: &mut impl Write, report: &Report, colour: bool) -> anyhow::Result<()> {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    };
    for finding in &report.findings {
        let severity = match finding.severity {
            Severity::Error => paint("1;31", "error"),
            Severity::Warning => paint("1;33", "warning"),
        };
        let place = &finding.place;
        writeln!(
            out,
            "{}:{}:{}: {severity}[{}]: {}",
            place.path, place.start.line, place.start.column, finding.code, finding.message
        )?;
        writeln!(out, "{}", snippet(finding))?;
        for related in &finding.related {
            let place = &related.place;
            writeln!(
                out,
                "  {}:{}:{}: note: {}",
                place.path, place.start.line, place.start.column, related.message
            )?;
        }
    }
    if let Some(baseline) = &report.baseline
        && !baseline.no_longer_present.is_empty()
    {
        let absent = baseline.no_longer_present.len();
        writeln!(
            out,
            "{absent} {} of the baseline no longer present (--write-baseline drops {}):",
            plural(absent, "finding", "findings"),
            plural(absent, "it", "them"),
        )?;
        for entry in &baseline.no_longer_present {
            writeln!(out, "  {}: {}: {}", entry.path, entry.code, entry.message)?;
        }
    }
    let (errors, warnings) = report.counts();
    write!(
        out,
        "{errors} {}, {warnings} {} in {} {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        report.files,
        plural(report.files, "file", "files"),
    )?;
    if let Some(baseline) = &report.baseline {
        write!(out, ", {} baselined", baseline.baselined)?;
    }
    writeln!(out)?;
    Ok(())
}

/// The finding's line, numbered, and `^` under its range (to the end of the
/// line when it runs past it).
pub(super) fn snippet(finding: &Finding) -> String {
    let (start, end) = (finding.place.start, finding.place.end);
    let line = finding.line_text.as_str();
    let before = start.column.saturating_sub(1) as usize;
    let width = if end.line == start.line {
        end.column.saturating_sub(start.column) as usize
    } else {
        line.chars().count().saturating_sub(before)
    }
    .max(1);
    let number = start.line.to_string();
    let gutter = " ".repeat(number.len());
    format!(
        "{number} | {line}\n{gutter} | {}{}",
        " ".repeat(before),
        "^".repeat(width)
    )
}
