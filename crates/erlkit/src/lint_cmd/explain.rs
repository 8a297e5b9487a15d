//! `erlkit explain`: the documentation of a lint code, from the sections of
//! `docs/diagnostics.md` built into the binary.

use std::io::Write;

use ide::DiagnosticCode;

use super::quiet_on_closed_pipe;
use crate::cli::ExplainArgs;

/// The documentation of every code, one `## CODE name` section each.
const DIAGNOSTICS_DOC: &str = include_str!("../../../../docs/diagnostics.md");

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

    use super::{DIAGNOSTICS_DOC, explanation};

    #[test]
    fn every_code_has_exactly_one_section_in_the_documentation() {
        for code in DiagnosticCode::ALL.iter().copied() {
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
