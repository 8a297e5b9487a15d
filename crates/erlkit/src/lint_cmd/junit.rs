//! `--format junit`: JUnit XML for CI test reports (GitLab, Jenkins, ...):
//! a test suite per file with a failed test case per finding, or one passing
//! test case when there is no finding, so that a clean run shows too.

use std::io::Write;

use super::human::snippet;
use super::report::{Finding, Report, severity_name};

pub(crate) fn print(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let failures = report.findings.len();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="erlkit lint" tests="{}" failures="{failures}" errors="0">"#,
        failures.max(1)
    )?;
    if report.findings.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="erlkit lint" tests="1" failures="0" errors="0" skipped="0">"#
        )?;
        writeln!(
            out,
            r#"    <testcase name="{} linted, no findings" classname="erlkit lint"/>"#,
            escape(&match report.files {
                1 => "1 file".to_owned(),
                n => format!("{n} files"),
            })
        )?;
        writeln!(out, "  </testsuite>")?;
    }
    for file in report
        .findings
        .chunk_by(|a, b| a.place.path == b.place.path)
    {
        let path = escape(&file[0].place.path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{0}" failures="{0}" errors="0" skipped="0">"#,
            file.len()
        )?;
        for finding in file {
            test_case(out, finding)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")?;
    Ok(())
}

fn test_case(out: &mut impl Write, finding: &Finding) -> anyhow::Result<()> {
    let place = &finding.place;
    let path = escape(&place.path);
    writeln!(
        out,
        r#"    <testcase name="{} {} at {}:{}" classname="{path}" file="{path}" line="{}">"#,
        finding.code,
        finding.code.name(),
        place.start.line,
        place.start.column,
        place.start.line,
    )?;
    let mut details = format!(
        "{}:{}:{}: {}[{}]: {}\n{}\n",
        place.path,
        place.start.line,
        place.start.column,
        severity_name(finding.severity),
        finding.code,
        finding.message,
        snippet(finding)
    );
    for related in &finding.related {
        details.push_str(&format!(
            "  {}:{}:{}: note: {}\n",
            related.place.path,
            related.place.start.line,
            related.place.start.column,
            related.message
        ));
    }
    writeln!(
        out,
        r#"      <failure type="{}" message="{}">{}</failure>"#,
        severity_name(finding.severity),
        escape(&finding.message),
        escape_text(&details)
    )?;
    writeln!(out, "    </testcase>")?;
    Ok(())
}

/// `text` in a double-quoted XML attribute: markup characters as entities,
/// line breaks and tabs as character references (which attributes keep), and
/// characters XML 1.0 cannot hold as U+FFFD.
fn escape(text: &str) -> String {
    escape_xml(text, true)
}

/// `text` as XML text: as [`escape`], but quotes, line breaks and tabs as
/// they are.
fn escape_text(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if attribute => escaped.push_str("&quot;"),
            '\'' if attribute => escaped.push_str("&apos;"),
            '\n' | '\t' if !attribute => escaped.push(c),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\t' => escaped.push_str("&#9;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b> & \"c\" 'd'\n\t\u{1}"),
            "a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;&#9;\u{fffd}"
        );
        assert_eq!(escape_text("'a'\n\t\"b\"\r<"), "'a'\n\t\"b\"&#13;&lt;");
        assert_eq!(escape("é😀"), "é😀");
    }
}
