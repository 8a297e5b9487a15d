//! The two output formats of `erlkit parse`: `path:line:col: message` text and one JSON document.

use std::io::{self, Write};

use serde::Serialize;
use syntax::{FileKind, OtpRelease};

use crate::otp_release::ReleaseSource;
use crate::parse_cmd::{FileOutcome, FileReport, Summary};
use crate::walk::PathError;

/// Receives the parsed files in path order, then the totals.
pub(crate) trait ParseOutput {
    /// One parsed file (files that could not be read go to `finish`).
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    /// The end of the run.
    fn finish(
        &mut self,
        out: &mut dyn Write,
        summary: &Summary,
        input_errors: &[PathError],
    ) -> io::Result<()>;
}

/// `path:line:column: message` per syntax error, preceded by `=== path` and the
/// tree when trees are dumped.
pub(crate) struct TextOutput;

impl ParseOutput for TextOutput {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let FileOutcome::Parsed { errors, tree, .. } = &report.outcome else {
            return Ok(());
        };
        let path = report.path.display();
        if let Some(tree) = tree {
            writeln!(out, "=== {path}")?;
            out.write_all(tree.as_bytes())?;
        }
        for error in errors {
            writeln!(
                out,
                "{path}:{}:{}: {}",
                error.start.line, error.start.column, error.message
            )?;
        }
        Ok(())
    }

    fn finish(
        &mut self,
        _out: &mut dyn Write,
        _summary: &Summary,
        _input_errors: &[PathError],
    ) -> io::Result<()> {
        Ok(())
    }
}

/// One JSON object, written as the files arrive, one file per line:
/// `{"otp_release": .., "otp_release_source": .., "files": [..], "input_errors": [..], "summary": {..}}`.
pub(crate) struct JsonOutput {
    header: JsonHeader,
    files_written: usize,
}

#[derive(Serialize)]
struct JsonHeader {
    otp_release: u32,
    otp_release_source: String,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: String,
    kind: &'static str,
    bytes: u64,
    errors: Vec<JsonError<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tree: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonInputError<'a> {
    path: String,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    bytes: u64,
    files_with_syntax_errors: usize,
    syntax_errors: usize,
    input_errors: usize,
}

impl JsonOutput {
    pub(crate) fn new(release: OtpRelease, source: &ReleaseSource) -> JsonOutput {
        let otp_release_source = match source {
            ReleaseSource::CommandLine => "command_line".to_owned(),
            ReleaseSource::Installation(installation) => installation.root.display().to_string(),
            ReleaseSource::Newest => "newest".to_owned(),
        };
        JsonOutput {
            header: JsonHeader {
                otp_release: release.0,
                otp_release_source,
            },
            files_written: 0,
        }
    }

    fn write_header(&self, out: &mut dyn Write) -> io::Result<()> {
        let header = serde_json::to_string(&self.header)?;
        // Reopen the header object to append the files array.
        let open = header.strip_suffix('}').unwrap_or(&header);
        write!(out, "{open},\"files\":[")
    }
}

fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Module => "module",
        FileKind::Header => "header",
        FileKind::Escript => "escript",
        FileKind::Terms => "terms",
    }
}

impl ParseOutput for JsonOutput {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        let FileOutcome::Parsed {
            bytes,
            errors,
            tree,
        } = &report.outcome
        else {
            return Ok(());
        };
        if self.files_written == 0 {
            self.write_header(out)?;
            writeln!(out)?;
        } else {
            writeln!(out, ",")?;
        }
        let file = JsonFile {
            path: report.path.to_string_lossy().into_owned(),
            kind: kind_name(report.kind),
            bytes: *bytes,
            errors: errors
                .iter()
                .map(|error| JsonError {
                    line: error.start.line,
                    column: error.start.column,
                    end_line: error.end.line,
                    end_column: error.end.column,
                    message: &error.message,
                })
                .collect(),
            tree: tree.as_deref(),
        };
        serde_json::to_writer(&mut *out, &file)?;
        self.files_written += 1;
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut dyn Write,
        summary: &Summary,
        input_errors: &[PathError],
    ) -> io::Result<()> {
        if self.files_written == 0 {
            self.write_header(out)?;
        }
        let input_errors: Vec<JsonInputError<'_>> = input_errors
            .iter()
            .map(|error| JsonInputError {
                path: error.path.to_string_lossy().into_owned(),
                message: &error.message,
            })
            .collect();
        let summary = JsonSummary {
            files: summary.files,
            bytes: summary.bytes,
            files_with_syntax_errors: summary.files_with_syntax_errors,
            syntax_errors: summary.syntax_errors,
            input_errors: summary.unreadable,
        };
        writeln!(
            out,
            "\n],\"input_errors\":{},\"summary\":{}}}",
            serde_json::to_string(&input_errors)?,
            serde_json::to_string(&summary)?
        )
    }
}
