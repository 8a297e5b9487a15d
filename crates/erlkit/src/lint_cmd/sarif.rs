//! `--format sarif`: the findings as a SARIF 2.1.0 log (OASIS's Static
//! Analysis Results Interchange Format), which GitHub code scanning and other
//! viewers read. One run; a rule for every code; columns in UTF-16 code units.

use std::io::Write;

use ide::{DiagnosticCode, Severity};
use serde_json::{Value, json};

use super::explain::explanation;
use super::report::{Place, Report, severity_name};

/// The schema of SARIF 2.1.0 as OASIS published it (with its errata).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of erlkit's fingerprint in `partialFingerprints`.
pub(crate) const FINGERPRINT_KEY: &str = "erlkitLineHash/v1";

pub(crate) fn print(out: &mut impl Write, report: &Report) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)?;
    Ok(())
}

/// The SARIF log of `report`.
fn log(report: &Report) -> Value {
    let rules: Vec<Value> = DiagnosticCode::ALL.iter().map(|&code| rule(code)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let rule_index = DiagnosticCode::ALL
                .iter()
                .position(|&code| code == finding.code)
                .unwrap_or(0);
            let mut result = json!({
                "ruleId": finding.code.code(),
                "ruleIndex": rule_index,
                "level": severity_name(finding.severity),
                "message": { "text": finding.message },
                "locations": [{ "physicalLocation": physical_location(&finding.place) }],
                "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
            });
            if !finding.related.is_empty() {
                result["relatedLocations"] = finding
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, related)| {
                        json!({
                            "id": id,
                            "physicalLocation": physical_location(&related.place),
                            "message": { "text": related.message },
                        })
                    })
                    .collect();
            }
            if let Some(fix) = &finding.fix {
                result["fixes"] = json!([{
                    "description": { "text": fix.label },
                    "artifactChanges": artifact_changes(&fix.edits),
                }]);
            }
            if report.baseline.is_some() {
                result["baselineState"] = "new".into();
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "erlkit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}

/// The rule of `code`: its names, its documentation and its default level.
fn rule(code: DiagnosticCode) -> Value {
    let section = explanation(code).unwrap_or_default();
    let summary = first_paragraph(section);
    let summary = if summary.is_empty() {
        code.name().to_owned()
    } else {
        summary
    };
    let level = match code.default_severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut rule = json!({
        "id": code.code(),
        "name": code.name(),
        "shortDescription": { "text": summary },
        "defaultConfiguration": { "level": level },
    });
    if !section.is_empty() {
        rule["help"] = json!({ "text": section, "markdown": section });
    }
    rule
}

/// The first paragraph of a documentation section (after its heading), on
/// one line.
fn first_paragraph(section: &str) -> String {
    section
        .split("\n\n")
        .nth(1)
        .unwrap_or("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fix's edits as SARIF's artifact changes: one per file, in the order
/// the files first appear.
fn artifact_changes(edits: &[(Place, String)]) -> Vec<Value> {
    let mut changes: Vec<(&str, Value, Vec<Value>)> = Vec::new();
    for (place, new_text) in edits {
        let location = physical_location(place);
        let replacement = json!({
            "deletedRegion": location["region"],
            "insertedContent": { "text": new_text },
        });
        match changes.iter_mut().find(|(path, ..)| *path == place.path) {
            Some((.., replacements)) => replacements.push(replacement),
            None => changes.push((
                &place.path,
                location["artifactLocation"].clone(),
                vec![replacement],
            )),
        }
    }
    changes
        .into_iter()
        .map(|(_, artifact, replacements)| {
            json!({ "artifactLocation": artifact, "replacements": replacements })
        })
        .collect()
}

/// Where a place is: its file (relative to `%SRCROOT%`, the project's root,
/// when under it) and region.
fn physical_location(place: &Place) -> Value {
    let artifact = if place.under_root {
        json!({ "uri": uri_path(&place.path), "uriBaseId": "%SRCROOT%" })
    } else {
        let path = place.absolute.to_string_lossy().replace('\\', "/");
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        json!({ "uri": format!("file://{}", uri_path(&path)) })
    };
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": place.start.line,
            "startColumn": place.start.utf16_column,
            "endLine": place.end.line,
            "endColumn": place.end.utf16_column,
        }
    })
}

/// A path as a URI's path: every byte but unreserved characters and `/`
/// percent-encoded.
fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use ide::DiagnosticCode;

    use super::{rule, uri_path};

    #[test]
    fn paths_become_uris() {
        assert_eq!(uri_path("apps/a b/src/m.erl"), "apps/a%20b/src/m.erl");
        assert_eq!(uri_path("src/é.erl"), "src/%C3%A9.erl");
    }

    #[test]
    fn every_rule_has_a_summary_and_its_documentation() {
        for code in DiagnosticCode::ALL.iter().copied() {
            let rule = rule(code);
            let summary = rule["shortDescription"]["text"].as_str().unwrap();
            assert!(summary.ends_with('.'), "{code}: {summary:?}");
            let help = rule["help"]["markdown"].as_str().unwrap();
            assert!(help.starts_with(&format!("## {code} ")), "{code}");
        }
    }
}
