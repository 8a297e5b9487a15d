//! Preprocessing an edited module again from its previous result: only the
//! forms of its own file that the edit touched are read again.
//!
//! The edit must leave the state of the preprocessor alone: the forms it
//! touches, before and after, are neither directives nor `-module`/`-extends`
//! (see [`MainForm::changes_state`]). Then every other form reads as it did:
//! the macros and conditionals where it starts are the same, and `?LINE` and
//! `?FILE` stay symbolic, so only positions after the edit move. The forms the
//! edit touched are read with the state where they start: none is needed when
//! they call no macro; otherwise the forms before them are read again for
//! their directives only (a form that is not a directive is not expanded).
//! Anything else gives `None`, and the caller preprocesses the whole module.
//!
//! Which tokens the edit changed is not assumed from the lexer's rules: the
//! tokens before and after the touched forms are compared with the previous
//! ones.

use std::ops::Range;

use syntax::{SyntaxKind, TextEdit, TextRange, TextSize, Token};

use super::forms::{RawForm, forms_at, is_trivia};
use super::{
    Conditional, FileLoader, FileReader, LoadedFile, MainForm, PreprocessOptions, Preprocessed,
    Preprocessor, include_path,
};

/// What preprocessing the edited forms of a module gives, to put in place of
/// what they gave before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormsPatch {
    /// The previous forms of the main file that the edit touched (indices into
    /// its [`Preprocessed::main_forms`]); `preprocessed` replaces them.
    pub replaced: Range<usize>,
    /// Positions of the main file at or after this one, in its previous text,
    /// move by `delta`; positions before it stay.
    pub moved_from: TextSize,
    pub delta: i64,
    /// The forms the edit touched, read again: their output forms, macro
    /// calls, diagnostics, and their [`MainForm`]s, whose ranges index these
    /// lists.
    pub preprocessed: Preprocessed,
}

/// The forms `main` (the new text of a module) has in place of those the edit
/// from `previous_text` touched, preprocessed as [`super::preprocess`] would
/// read them; `None` when the edit may change how other forms read.
/// `previous_tokens` and `previous_forms` are what the previous text gave.
pub fn repreprocess(
    previous_text: &str,
    previous_tokens: &[Token],
    previous_forms: &[MainForm],
    main: &LoadedFile,
    options: &PreprocessOptions,
    loader: &dyn FileLoader,
) -> Option<FormsPatch> {
    let edit = TextEdit::between(previous_text, &main.text);
    // The forms the edit touches, or that touch it.
    let first = previous_forms.partition_point(|form| form.span.end() < edit.delete.start());
    let last = previous_forms.partition_point(|form| form.span.start() <= edit.delete.end());
    let replaced = &previous_forms[first..last];
    if replaced.iter().any(|form| form.changes_state) {
        return None;
    }
    // The region between the untouched forms, in the previous text and the new.
    let start = first.checked_sub(1).map_or(TextSize::from(0), |before| {
        previous_forms[before].span.end()
    });
    let previous_end = previous_forms
        .get(last)
        .map_or(TextSize::of(previous_text), |after| after.span.start());
    let delta = main.text.len() as i64 - previous_text.len() as i64;
    let end = shifted(previous_end, delta);

    // The tokens outside the region are the previous ones.
    let tokens_before = token_index_at(previous_tokens, start)?;
    if token_index_at(&main.tokens, start)? != tokens_before
        || previous_tokens[..tokens_before] != main.tokens[..tokens_before]
    {
        return None;
    }
    let tokens_after = token_index_at(&main.tokens, end)?;
    if previous_tokens[token_index_at(previous_tokens, previous_end)?..]
        != main.tokens[tokens_after..]
    {
        return None;
    }
    let region = &main.tokens[tokens_before..tokens_after];
    // The dot before the region still ends its form, and the region's last
    // form ends before the form after it starts.
    let starts_apart = first == 0 || region.first().is_none_or(|token| is_trivia(token.kind));
    let ends_apart =
        last == previous_forms.len() || region.last().is_some_and(|token| is_trivia(token.kind));
    if !starts_apart || !ends_apart {
        return None;
    }
    let forms = forms_at(start, region);
    // A last form without its dot would run on into the form after.
    let ends_with_dot = forms.last().is_none_or(|form| {
        form.tokens
            .last()
            .is_some_and(|token| token.kind == SyntaxKind::DOT)
    });
    if last < previous_forms.len() && !ends_with_dot {
        return None;
    }
    let reader = FileReader {
        file: main,
        conditionals: Vec::new(),
        skipping: Vec::new(),
    };
    if forms
        .iter()
        .any(|form| Preprocessor::changes_state(&reader, form))
    {
        return None;
    }
    let active = match replaced.first() {
        Some(form) => form.active,
        // New forms where there were none: whether they are in an active
        // branch is not known.
        None if !forms.is_empty() => return None,
        None => true,
    };
    let preprocessed = read_region(main, options, loader, tokens_before, &forms, active)?;
    Some(FormsPatch {
        replaced: first..last,
        moved_from: previous_end,
        delta,
        preprocessed,
    })
}

/// Reads `forms` (which start at token `tokens_before` of `main`) as the main
/// file's, in an active branch or not.
fn read_region(
    main: &LoadedFile,
    options: &PreprocessOptions,
    loader: &dyn FileLoader,
    tokens_before: usize,
    forms: &[RawForm],
    active: bool,
) -> Option<Preprocessed> {
    let mut preprocessor = Preprocessor::new(main, options, loader);
    let mut reader = FileReader {
        file: main,
        conditionals: Vec::new(),
        skipping: Vec::new(),
    };
    let mut path = include_path(main, options);
    let calls_macros = forms.iter().any(|form| {
        form.tokens
            .iter()
            .any(|token| matches!(token.kind, SyntaxKind::QUESTION | SyntaxKind::QUESTION2))
    });
    if active && calls_macros {
        // The macros where the region starts: the directives before it, read
        // again.
        preprocessor.replaying = true;
        for form in forms_at(TextSize::from(0), &main.tokens[..tokens_before]) {
            preprocessor.read_form(&mut reader, &form, &mut path, 0);
        }
        if !reader.skipping.is_empty() {
            return None;
        }
        preprocessor.replaying = false;
        preprocessor.out = Preprocessed::default();
    } else if !active {
        // Any conditional being skipped: the forms are skipped in turn.
        reader.skipping.push(Conditional::Ifdef);
    }
    for form in forms {
        preprocessor.read_main_form(&mut reader, form, &mut path);
    }
    Some(preprocessor.out)
}

/// The index of the token of `tokens` that starts at `offset` (the number of
/// tokens when it is the end), if a token starts there.
fn token_index_at(tokens: &[Token], offset: TextSize) -> Option<usize> {
    let offset = u32::from(offset) as usize;
    let mut at = 0usize;
    for (index, token) in tokens.iter().enumerate() {
        if at >= offset {
            return (at == offset).then_some(index);
        }
        at += token.len as usize;
    }
    (at == offset).then_some(tokens.len())
}

/// `offset` moved by `delta`.
pub(crate) fn shifted(offset: TextSize, delta: i64) -> TextSize {
    TextSize::from((i64::from(u32::from(offset)) + delta) as u32)
}

/// `range` moved by `delta` when it starts at or after `from`.
pub(crate) fn moved(range: TextRange, from: TextSize, delta: i64) -> TextRange {
    if range.start() >= from {
        TextRange::new(shifted(range.start(), delta), shifted(range.end(), delta))
    } else {
        range
    }
}
