//! `--format json`: one JSON object with the findings and their counts.

use std::io::Write;

use serde_json::{Value, json};

use super::report::{Place, Report, severity_name};

pub(crate) fn print(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    let place = |place: &Place| {
        json!({
            "path": place.path,
            "line": place.start.line,
            "column": place.start.column,
            "end_line": place.end.line,
            "end_column": place.end.column,
        })
    };
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let mut value = place(&finding.place);
            value["code"] = finding.code.code().into();
            value["name"] = finding.code.name().into();
            value["severity"] = severity_name(finding.severity).into();
            value["message"] = finding.message.clone().into();
            value["fingerprint"] = finding.fingerprint.clone().into();
            value["related"] = finding
                .related
                .iter()
                .map(|related| {
                    let mut value = place(&related.place);
                    value["message"] = related.message.clone().into();
                    value
                })
                .collect();
            value["fix"] = match &finding.fix {
                Some(fix) => json!({
                    "label": fix.label,
                    "edits": fix
                        .edits
                        .iter()
                        .map(|(at, new_text)| {
                            let mut value = place(at);
                            value["new_text"] = new_text.clone().into();
                            value
                        })
                        .collect::<Vec<Value>>(),
                }),
                None => Value::Null,
            };
            value
        })
        .collect();
    let (errors, warnings) = report.counts();
    let mut document = json!({
        "findings": findings,
        "errors": errors,
        "warnings": warnings,
        "files": report.files,
    });
    if let Some(baseline) = &report.baseline {
        document["baselined"] = baseline.baselined.into();
        document["no_longer_present"] = serde_json::to_value(&baseline.no_longer_present)?;
    }
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)?;
    Ok(())
}
