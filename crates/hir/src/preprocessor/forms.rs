//! A file cut into forms as `io:scan_erl_form` reads them: the tokens up to
//! each dot that ends a form, trivia left out.

use std::sync::OnceLock;

use syntax::{SyntaxKind, TextRange, TextSize, Token};

use super::ParsedDefine;

/// A token of a file: its kind and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RawToken {
    pub(super) kind: SyntaxKind,
    pub(super) range: TextRange,
}

/// The tokens of one form, the last one its dot (unless the file ends first).
#[derive(Debug, Clone, Default)]
pub(super) struct RawForm {
    pub(super) tokens: Vec<RawToken>,
    /// What the form defines when it is a `-define`, once read.
    pub(super) define: OnceLock<ParsedDefine>,
}

impl RawForm {
    /// From its first token to its last.
    pub(super) fn span(&self) -> TextRange {
        match (self.tokens.first(), self.tokens.last()) {
            (Some(first), Some(last)) => first.range.cover(last.range),
            _ => TextRange::default(),
        }
    }
}

pub(super) fn is_trivia(kind: SyntaxKind) -> bool {
    matches!(
        kind,
        SyntaxKind::WHITESPACE | SyntaxKind::COMMENT | SyntaxKind::SHEBANG
    )
}

/// The forms of a file with these `tokens`. A `.` ends a form when white space,
/// a comment or the end of the file follows it, as in `erl_scan`.
pub(super) fn file_forms(text: &str, tokens: &[Token]) -> Vec<RawForm> {
    debug_assert_eq!(
        tokens.iter().map(|t| t.len as usize).sum::<usize>(),
        text.len()
    );
    forms_at(TextSize::from(0), tokens)
}

/// The forms of `tokens`, the first of which starts at `offset` of the file.
/// A last `.` counts as ending a form, as at the end of a file.
pub(super) fn forms_at(mut offset: TextSize, tokens: &[Token]) -> Vec<RawForm> {
    let mut forms = Vec::new();
    // The form being read, copied out at its end in one allocation.
    let mut current: Vec<RawToken> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let range = TextRange::at(offset, TextSize::from(token.len));
        offset = range.end();
        if is_trivia(token.kind) {
            continue;
        }
        current.push(RawToken {
            kind: token.kind,
            range,
        });
        let ends_form = token.kind == SyntaxKind::DOT
            && tokens
                .get(index + 1)
                .is_none_or(|next| is_trivia(next.kind));
        if ends_form {
            forms.push(RawForm {
                tokens: current.as_slice().to_vec(),
                define: OnceLock::new(),
            });
            current.clear();
        }
    }
    if !current.is_empty() {
        forms.push(RawForm {
            tokens: current,
            define: OnceLock::new(),
        });
    }
    forms
}
