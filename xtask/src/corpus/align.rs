//! Lining up erlkit's forms with `epp_dodger`'s and finding where they differ.
//!
//! Both lists are in file order and carry each form's first line. Where
//! `epp_dodger` reports an error, the forms it gave up on are unknown: all of
//! our forms that start before its next good form are skipped. Elsewhere the
//! lists are walked together; on a difference the form that starts earlier is
//! the one the other side lacks, and forms on the same line are a mismatch.

use super::forms::{Form, FormKind};

/// One place where the two lists differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    pub(crate) line: u32,
    pub(crate) ours: Option<Form>,
    pub(crate) theirs: Option<Form>,
}

/// The outcome of comparing one file's forms.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    /// Forms found alike on both sides.
    pub(crate) agreed: usize,
    /// `epp_dodger`'s error forms.
    pub(crate) their_errors: usize,
    /// Our forms skipped because they fall where `epp_dodger` reported an error.
    pub(crate) skipped_ours: usize,
    pub(crate) mismatches: Vec<Mismatch>,
}

/// Compares our forms with `epp_dodger`'s (`theirs`).
pub(crate) fn compare(ours: &[Form], theirs: &[Form]) -> Comparison {
    let mut result = Comparison::default();
    let (mut i, mut j) = (0, 0);
    loop {
        match (ours.get(i), theirs.get(j)) {
            (None, None) => break,
            (_, Some(t)) if t.kind == FormKind::Error => {
                let next_good = theirs[j..].iter().position(|t| t.kind != FormKind::Error);
                let next_good = next_good.map_or(theirs.len(), |k| j + k);
                result.their_errors += next_good - j;
                let bound = theirs.get(next_good).map_or(u32::MAX, |t| t.line);
                while ours.get(i).is_some_and(|o| o.line < bound) {
                    i += 1;
                    result.skipped_ours += 1;
                }
                j = next_good;
            }
            (Some(o), Some(t)) if o == t => {
                result.agreed += 1;
                i += 1;
                j += 1;
            }
            (Some(o), Some(t)) if o.line < t.line => {
                result.mismatches.push(Mismatch {
                    line: o.line,
                    ours: Some(o.clone()),
                    theirs: None,
                });
                i += 1;
            }
            (Some(o), Some(t)) if o.line > t.line => {
                result.mismatches.push(Mismatch {
                    line: t.line,
                    ours: None,
                    theirs: Some(t.clone()),
                });
                j += 1;
            }
            (ours_form, theirs_form) => {
                let line = ours_form.or(theirs_form).map_or(0, |f| f.line);
                result.mismatches.push(Mismatch {
                    line,
                    ours: ours_form.cloned(),
                    theirs: theirs_form.cloned(),
                });
                i += usize::from(ours_form.is_some());
                j += usize::from(theirs_form.is_some());
            }
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fun(name: &str, arity: usize, line: u32) -> Form {
        Form {
            kind: FormKind::Function {
                name: name.to_owned(),
                arity,
            },
            line,
        }
    }

    fn attr(name: &str, line: u32) -> Form {
        Form {
            kind: FormKind::Attribute {
                name: name.to_owned(),
            },
            line,
        }
    }

    fn error(line: u32) -> Form {
        Form {
            kind: FormKind::Error,
            line,
        }
    }

    #[test]
    fn equal_lists_agree() {
        let forms = [attr("module", 1), fun("f", 0, 3)];
        let c = compare(&forms, &forms);
        assert_eq!(c.agreed, 2);
        assert!(c.mismatches.is_empty());
    }

    #[test]
    fn our_forms_inside_their_errors_are_skipped() {
        let ours = [
            attr("module", 1),
            fun("f", 1, 3),
            fun("g", 0, 5),
            fun("h", 0, 9),
        ];
        let theirs = [attr("module", 1), error(3), error(6), fun("h", 0, 9)];
        let c = compare(&ours, &theirs);
        assert_eq!((c.agreed, c.their_errors, c.skipped_ours), (2, 2, 2));
        assert!(c.mismatches.is_empty());
    }

    #[test]
    fn a_trailing_error_skips_the_rest() {
        let ours = [
            fun("f", 1, 3),
            Form {
                kind: FormKind::MacroForm { name: "?m".into() },
                line: 5,
            },
        ];
        let c = compare(&ours, &[fun("f", 1, 3), error(5)]);
        assert_eq!((c.agreed, c.skipped_ours), (1, 1));
        assert!(c.mismatches.is_empty());
    }

    #[test]
    fn differences_are_reported_once_each() {
        let ours = [
            attr("module", 1),
            fun("f", 2, 3),
            fun("extra", 0, 4),
            fun("h", 0, 9),
        ];
        let theirs = [
            attr("module", 1),
            fun("f", 1, 3),
            fun("g", 0, 7),
            fun("h", 0, 9),
        ];
        let c = compare(&ours, &theirs);
        assert_eq!(c.agreed, 2);
        let lines: Vec<_> = c
            .mismatches
            .iter()
            .map(|m| (m.line, m.ours.is_some(), m.theirs.is_some()))
            .collect();
        assert_eq!(lines, [(3, true, true), (4, true, false), (7, false, true)]);
    }
}
