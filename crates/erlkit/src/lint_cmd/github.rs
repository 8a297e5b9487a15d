//! `--format github`: one GitHub Actions workflow command per finding, which
//! GitHub shows as an annotation on the line.

use std::io::Write;

use super::report::{Report, severity_name};
use crate::project_load::relative;

/// The findings as `::error file=...::message` commands, their paths relative
/// to the current directory (a workflow's is the repository's root).
pub(crate) fn print(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().ok();
    for finding in &report.findings {
        let place = &finding.place;
        let path = cwd.as_deref().map_or_else(
            || place.absolute.display().to_string(),
            |cwd| relative(&place.absolute, cwd),
        );
        writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            severity_name(finding.severity),
            escape_property(&path),
            place.start.line,
            place.end.line,
            place.start.column,
            place.end.column,
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

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property};

    #[test]
    fn workflow_commands_are_escaped_as_githubs_toolkit_does() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b, c%"), "a%3Ab%2C c%25");
    }
}
