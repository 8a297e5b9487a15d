//! The compiler options that switch warnings on and off, as `erl_lint` reads
//! them: the application's (`erl_opts`), then the module's `-compile(...)`
//! attributes; the last mention of an option wins.

use syntax::{FileKind, LexOptions, OtpRelease, SyntaxKind};

/// Which of the variable warnings are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WarningOptions {
    pub(crate) unused_vars: bool,
    pub(crate) shadow_vars: bool,
    pub(crate) export_vars: bool,
    pub(crate) underscore_match: bool,
}

impl Default for WarningOptions {
    /// `erl_lint`'s defaults.
    fn default() -> WarningOptions {
        WarningOptions {
            unused_vars: true,
            shadow_vars: true,
            export_vars: false,
            underscore_match: true,
        }
    }
}

impl WarningOptions {
    /// The options after the application's `switches` (`warn_*`/`nowarn_*`
    /// atoms) and then the `-compile` attributes whose argument texts are
    /// `compile_options`, in order.
    pub(crate) fn new(switches: &[String], compile_options: &[String]) -> WarningOptions {
        let mut options = WarningOptions::default();
        for switch in switches {
            options.apply(switch);
        }
        for text in compile_options {
            for atom in option_atoms(text) {
                options.apply(&atom);
            }
        }
        options
    }

    fn apply(&mut self, option: &str) {
        let (on, name) = match option.strip_prefix("nowarn_") {
            Some(name) => (false, name),
            None => match option.strip_prefix("warn_") {
                Some(name) => (true, name),
                None => return,
            },
        };
        match name {
            "unused_vars" => self.unused_vars = on,
            "shadow_vars" => self.shadow_vars = on,
            "export_vars" => self.export_vars = on,
            "underscore_match" => self.underscore_match = on,
            _ => {}
        }
    }
}

/// The atoms that are options in a `-compile` argument: the atom itself, or
/// the atoms of its list (not those inside tuples, which carry their own
/// arguments, like `{nowarn_unused_function, [f/1]}`).
fn option_atoms(text: &str) -> Vec<String> {
    let options = LexOptions {
        release: OtpRelease::LATEST,
        file_kind: FileKind::Module,
    };
    let (tokens, _) = syntax::tokenize(text, &options);
    let mut atoms = Vec::new();
    let mut offset = 0usize;
    let (mut lists, mut tuples) = (0usize, 0usize);
    for token in tokens {
        let token_text = &text[offset..offset + token.len as usize];
        offset += token.len as usize;
        match token.kind {
            SyntaxKind::L_BRACK => lists += 1,
            SyntaxKind::R_BRACK => lists = lists.saturating_sub(1),
            SyntaxKind::L_CURLY => tuples += 1,
            SyntaxKind::R_CURLY => tuples = tuples.saturating_sub(1),
            SyntaxKind::ATOM if tuples == 0 && lists <= 1 => {
                atoms.push(syntax::ast::atom_value(token_text));
            }
            _ => {}
        }
    }
    atoms
}

#[cfg(test)]
mod tests {
    use super::WarningOptions;

    #[test]
    fn compile_attributes_switch_variable_warnings() {
        let options = WarningOptions::new(
            &[
                "nowarn_underscore_match".to_owned(),
                "nowarn_export_vars".to_owned(),
            ],
            &[
                "[nowarn_unused_vars, {nowarn_unused_function, [warn_shadow_vars/0]}]".to_owned(),
                "warn_export_vars".to_owned(),
                "[nowarn_shadow_vars, 'warn_shadow_vars']".to_owned(),
            ],
        );
        assert_eq!(
            options,
            WarningOptions {
                unused_vars: false,
                shadow_vars: true,
                export_vars: true,
                underscore_match: false,
            }
        );
    }
}
