//! Macro expansion, as `epp`'s `expand_macros`: a call with arguments is
//! replaced by its body with the arguments put in, and expanded again with the
//! rest of the form; a call without is expanded on its own first. A failed
//! call is reported and left in place, so the rest of the form is still read.

use std::sync::Arc;

use smol_str::SmolStr;
use syntax::{SyntaxKind, TextRange};

use super::macros::{Builtin, MacroEntry, UserMacro, quote_string};
use super::{
    EvalContext, FileReader, MacroCall, Origin, PpDiagnostic, PpDiagnosticKind, PpToken,
    Preprocessor, macro_name,
};

/// Expansions allowed in one form before it is given up as runaway.
const MAX_EXPANSIONS_PER_FORM: usize = 200_000;
/// Tokens a form may grow to.
const MAX_FORM_TOKENS: usize = 2_000_000;

/// Why a call's arguments could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ArgError {
    /// `?M(,` or `?M(a,)` or no closing parenthesis.
    Malformed,
}

/// Tokens read ahead by position: a form in order, or the expander's stack
/// of tokens still to read (whose next token is its last).
pub(super) trait Ahead {
    fn kind(&self, index: usize) -> Option<SyntaxKind>;
}

impl Ahead for [PpToken] {
    fn kind(&self, index: usize) -> Option<SyntaxKind> {
        self.get(index).map(|t| t.kind)
    }
}

/// The expander's stack of tokens still to read, seen in reading order.
struct Stack<'a>(&'a [PpToken]);

impl Ahead for Stack<'_> {
    fn kind(&self, index: usize) -> Option<SyntaxKind> {
        let len = self.0.len();
        (index < len).then(|| self.0[len - 1 - index].kind)
    }
}

/// Whether the token at `index` opens a bracket that `epp` matches in macro
/// arguments, and the kind that closes it.
fn closer(tokens: &(impl Ahead + ?Sized), index: usize) -> Option<SyntaxKind> {
    Some(match tokens.kind(index)? {
        SyntaxKind::L_PAREN => SyntaxKind::R_PAREN,
        SyntaxKind::L_DOUBLE_ANGLE => SyntaxKind::R_DOUBLE_ANGLE,
        SyntaxKind::L_BRACK => SyntaxKind::R_BRACK,
        SyntaxKind::L_CURLY => SyntaxKind::R_CURLY,
        SyntaxKind::BEGIN_KW
        | SyntaxKind::IF_KW
        | SyntaxKind::CASE_KW
        | SyntaxKind::RECEIVE_KW
        | SyntaxKind::TRY_KW
        | SyntaxKind::COND_KW => SyntaxKind::END_KW,
        SyntaxKind::FUN_KW => match tokens.kind(index + 1) {
            Some(SyntaxKind::L_PAREN) => SyntaxKind::END_KW,
            Some(SyntaxKind::VAR) if tokens.kind(index + 2) == Some(SyntaxKind::L_PAREN) => {
                SyntaxKind::END_KW
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// The end (exclusive) of the macro argument that starts at `start`: the
/// index of the `,` or `)` after it, or the end of the tokens.
fn argument_end(tokens: &(impl Ahead + ?Sized), start: usize) -> usize {
    let mut expected: Vec<SyntaxKind> = Vec::new();
    let mut index = start;
    while let Some(kind) = tokens.kind(index) {
        if expected.is_empty() && matches!(kind, SyntaxKind::COMMA | SyntaxKind::R_PAREN) {
            return index;
        }
        if let Some(close) = closer(tokens, index) {
            expected.push(close);
        } else if expected.last() == Some(&kind) {
            expected.pop();
        }
        index += 1;
    }
    index
}

/// A call's arguments: each one's range of positions, and the position just
/// after the closing `)`.
type CallArgs = (Vec<(usize, usize)>, usize);

/// The arguments of a call whose tokens after the name are `rest`: `None`
/// when no `(` follows; else each argument's range of positions and the
/// position just after the closing `)`.
fn split_args(rest: &(impl Ahead + ?Sized)) -> Result<Option<CallArgs>, ArgError> {
    if rest.kind(0) != Some(SyntaxKind::L_PAREN) {
        return Ok(None);
    }
    if rest.kind(1) == Some(SyntaxKind::R_PAREN) {
        return Ok(Some((Vec::new(), 2)));
    }
    let mut args = Vec::new();
    let mut start = 1;
    loop {
        let end = argument_end(rest, start);
        if end == start {
            // `?M(,` or `?M(a,)`.
            return Err(ArgError::Malformed);
        }
        args.push((start, end));
        match rest.kind(end) {
            Some(SyntaxKind::R_PAREN) => return Ok(Some((args, end + 1))),
            Some(SyntaxKind::COMMA) => start = end + 1,
            _ => return Err(ArgError::Malformed),
        }
    }
}

/// How many arguments the call whose tokens after the name are `rest` has
/// (`None`: no parentheses).
pub(super) fn count_args(rest: &[PpToken]) -> Result<Option<u32>, ArgError> {
    Ok(split_args(rest)?.map(|(args, _)| args.len() as u32))
}

/// The name and arity of the function a form defines, for `?FUNCTION_NAME`.
#[derive(Debug, Clone)]
enum FunctionName {
    NotYetKnown,
    Known(Option<(SmolStr, u32)>),
    /// While finding it out: the macros are not expanded.
    Disabled,
}

/// The expansion of one form (or directive argument).
struct Expander<'p, 'a, 'r, 'f> {
    preprocessor: &'p mut Preprocessor<'a>,
    reader: &'r FileReader<'f>,
    eval: bool,
    /// The form's tokens before expansion.
    form: Vec<PpToken>,
    function: FunctionName,
    expansions: usize,
    /// Reports problems and calls (not while working out `?FUNCTION_NAME`).
    report: bool,
    gave_up: bool,
}

impl Preprocessor<'_> {
    /// Expands the macros in `tokens`, the tokens of a form or of a directive's
    /// arguments.
    pub(super) fn expand_tokens(
        &mut self,
        reader: &FileReader<'_>,
        tokens: Vec<PpToken>,
        eval: Option<EvalContext>,
    ) -> Vec<PpToken> {
        if !tokens.iter().any(|t| t.kind == SyntaxKind::QUESTION) {
            return tokens;
        }
        let mut expander = Expander {
            preprocessor: self,
            reader,
            eval: eval.is_some(),
            form: tokens.clone(),
            function: FunctionName::NotYetKnown,
            expansions: 0,
            report: true,
            gave_up: false,
        };
        expander.expand(tokens)
    }
}

impl Expander<'_, '_, '_, '_> {
    fn diagnostic(&mut self, origin: Origin, kind: PpDiagnosticKind) {
        if self.report {
            self.preprocessor
                .out
                .diagnostics
                .push(PpDiagnostic { origin, kind });
        }
    }

    /// Expands `tokens` fully. A call without arguments is expanded on its
    /// own before what follows it (as `epp` does): its body becomes a new
    /// input on a stack of inputs, all writing to one output, so that a chain
    /// of thousands of macros needs no deep recursion.
    fn expand(&mut self, tokens: Vec<PpToken>) -> Vec<PpToken> {
        let mut output = Vec::with_capacity(tokens.len());
        // The inputs being read, innermost last; each one's next token last.
        let mut inputs: Vec<Vec<PpToken>> = vec![tokens.into_iter().rev().collect()];
        while let Some(input) = inputs.last_mut() {
            let Some(token) = input.pop() else {
                inputs.pop();
                continue;
            };
            let is_call = token.kind == SyntaxKind::QUESTION
                && !self.gave_up
                && input
                    .last()
                    .is_some_and(|t| matches!(t.kind, SyntaxKind::ATOM | SyntaxKind::VAR));
            if !is_call {
                output.push(token);
                continue;
            }
            let name_token = input.pop().expect("checked above");
            if let Some(body) = self.expand_call(token, name_token, input, &mut output) {
                inputs.push(body.into_iter().rev().collect());
            }
            let pending: usize = inputs.iter().map(Vec::len).sum();
            if pending + output.len() > MAX_FORM_TOKENS {
                self.give_up(&output);
            }
        }
        output
    }

    fn give_up(&mut self, output: &[PpToken]) {
        if !self.gave_up {
            self.gave_up = true;
            let origin = output
                .first()
                .map_or_else(|| self.reader.origin(TextRange::default()), |t| t.origin);
            self.diagnostic(
                origin,
                PpDiagnosticKind::ExpansionTooLarge {
                    name: String::new(),
                },
            );
        }
    }

    /// The origin of tokens made by a call from `question` to `last`.
    fn call_origin(question: &PpToken, last: &PpToken) -> Origin {
        if question.origin.from_macro {
            return question.origin;
        }
        let mut origin = question.origin;
        if last.origin.file == origin.file
            && !last.origin.from_macro
            && last.origin.range.end() >= origin.range.start()
        {
            origin.range = origin.range.cover(last.origin.range);
        }
        origin.from_macro = true;
        origin
    }

    fn made(&self, kind: SyntaxKind, text: &str, origin: Origin) -> PpToken {
        PpToken {
            kind,
            text: SmolStr::new(text),
            origin,
        }
    }

    /// Expands the call `?NAME` whose arguments (if any) are next in
    /// `input`: a call with arguments is put back into `input`, substituted;
    /// the body of a call without is returned, to be expanded on its own.
    fn expand_call(
        &mut self,
        question: PpToken,
        name_token: PpToken,
        input: &mut Vec<PpToken>,
        output: &mut Vec<PpToken>,
    ) -> Option<Vec<PpToken>> {
        let name = macro_name(&name_token.text);
        let name_origin = Self::call_origin(&question, &name_token);
        if name_token.kind == SyntaxKind::VAR {
            match name.as_str() {
                "LINE" => {
                    if self.eval {
                        let line = self.reader.line_of(question.origin);
                        output.push(self.made(SyntaxKind::INTEGER, &line.to_string(), name_origin));
                    } else {
                        output.push(question);
                        output.push(name_token);
                    }
                    return None;
                }
                "FUNCTION_NAME" | "FUNCTION_ARITY" => {
                    match self.function_name(&name_token) {
                        Some((function, arity)) => {
                            let made = if name == "FUNCTION_NAME" {
                                self.made(SyntaxKind::ATOM, &function, name_origin)
                            } else {
                                self.made(SyntaxKind::INTEGER, &arity.to_string(), name_origin)
                            };
                            output.push(made);
                        }
                        None => {
                            output.push(question);
                            output.push(name_token);
                        }
                    }
                    return None;
                }
                _ => {}
            }
        }
        if matches!(self.function, FunctionName::Disabled)
            && matches!(name.as_str(), "FUNCTION_NAME" | "FUNCTION_ARITY")
        {
            output.push(question);
            output.push(name_token);
            return None;
        }
        let args = match split_args(&Stack(input)) {
            Ok(args) => args,
            Err(ArgError::Malformed) => {
                self.diagnostic(
                    name_origin,
                    PpDiagnosticKind::BadMacroArguments {
                        name: name.to_string(),
                    },
                );
                output.push(question);
                output.push(name_token);
                return None;
            }
        };
        let call_arity = args.as_ref().map(|(args, _)| args.len() as u32);
        let entry = self.preprocessor.macros.get(&name).cloned();
        let definition: Arc<UserMacro> = match entry {
            None | Some(MacroEntry::Builtin(Builtin::Undefined)) => {
                self.diagnostic(
                    name_origin,
                    PpDiagnosticKind::UndefinedMacro {
                        name: name.to_string(),
                        arity: call_arity,
                    },
                );
                self.record_call(name_origin, &name, call_arity, None);
                output.push(question);
                output.push(name_token);
                return None;
            }
            Some(MacroEntry::Builtin(Builtin::Symbolic | Builtin::Function)) => {
                if self.eval && name == "FILE" {
                    let path = self.reader.file.path.to_string_lossy().into_owned();
                    output.push(self.made(SyntaxKind::STRING, &quote_string(&path), name_origin));
                } else {
                    output.push(question);
                    output.push(name_token);
                }
                return None;
            }
            Some(MacroEntry::Builtin(Builtin::Value(body))) => Arc::new(UserMacro {
                arity: None,
                params: Vec::new(),
                body,
                site: None,
            }),
            Some(MacroEntry::User(definitions)) => match definitions.as_slice() {
                [(None, only)] => only.clone(),
                _ => match definitions.iter().find(|(arity, _)| *arity == call_arity) {
                    Some((_, definition)) => definition.clone(),
                    None => {
                        self.diagnostic(
                            name_origin,
                            PpDiagnosticKind::ArgumentMismatch {
                                name: name.to_string(),
                            },
                        );
                        output.push(question);
                        output.push(name_token);
                        return None;
                    }
                },
            },
        };
        let def_arity = definition.arity;
        if self
            .preprocessor
            .macros
            .is_circular(&(name.clone(), def_arity))
        {
            self.diagnostic(
                name_origin,
                PpDiagnosticKind::CircularMacro {
                    name: name.to_string(),
                    arity: def_arity,
                },
            );
            output.push(question);
            output.push(name_token);
            return None;
        }
        self.expansions += 1;
        if self.expansions > MAX_EXPANSIONS_PER_FORM {
            self.give_up(output);
            output.push(question);
            output.push(name_token);
            return None;
        }
        match def_arity {
            None => {
                self.record_call(name_origin, &name, None, definition.site);
                let body = definition
                    .body
                    .iter()
                    .map(|t| PpToken {
                        origin: name_origin,
                        ..t.clone()
                    })
                    .collect();
                Some(body)
            }
            Some(_) => {
                let (arg_ranges, after) = args.expect("a call with arguments");
                // The call's tokens after the name, in order.
                let call: Vec<PpToken> =
                    input[input.len() - after..].iter().rev().cloned().collect();
                input.truncate(input.len() - after);
                let origin = Self::call_origin(&question, &call[after - 1]);
                self.record_call(origin, &name, call_arity, definition.site);
                let arguments: Vec<&[PpToken]> =
                    arg_ranges.iter().map(|&(s, e)| &call[s..e]).collect();
                let substituted = substitute(&definition, &arguments, origin);
                input.extend(substituted.into_iter().rev());
                None
            }
        }
    }

    fn record_call(
        &mut self,
        origin: Origin,
        name: &SmolStr,
        arity: Option<u32>,
        definition: Option<super::MacroDefSite>,
    ) {
        if self.report && !self.eval {
            self.preprocessor.out.macro_calls.push(MacroCall {
                origin,
                name: name.clone(),
                arity,
                definition,
            });
        }
    }

    /// `?FUNCTION_NAME`'s function: the name and arity of the clause head the
    /// form starts with, macros expanded.
    fn function_name(&mut self, token: &PpToken) -> Option<(SmolStr, u32)> {
        match &self.function {
            FunctionName::Known(known) => return known.clone(),
            FunctionName::Disabled => return None,
            FunctionName::NotYetKnown => {}
        }
        let mut inner = Expander {
            preprocessor: &mut *self.preprocessor,
            reader: self.reader,
            eval: false,
            form: Vec::new(),
            function: FunctionName::Disabled,
            expansions: 0,
            report: false,
            gave_up: false,
        };
        let head = inner.expand(self.form.clone());
        let known = match head.as_slice() {
            [name, open, rest @ ..]
                if name.kind == SyntaxKind::ATOM && open.kind == SyntaxKind::L_PAREN =>
            {
                // The name as written: a quoted atom stays quoted.
                Some((name.text.clone(), head_arity(rest)))
            }
            _ => {
                self.diagnostic(
                    token.origin,
                    PpDiagnosticKind::IllegalFunctionMacro {
                        name: token.text.to_string(),
                    },
                );
                None
            }
        };
        self.function = FunctionName::Known(known.clone());
        known
    }
}

/// The number of arguments of a clause head whose tokens after `(` are
/// `rest` (`epp`'s `update_fun_name_1`).
fn head_arity(rest: &[PpToken]) -> u32 {
    let mut depth = 1;
    let mut arity = 0;
    for token in rest {
        match token.kind {
            SyntaxKind::COMMA if depth == 1 => arity += 1,
            SyntaxKind::L_PAREN
            | SyntaxKind::L_CURLY
            | SyntaxKind::L_BRACK
            | SyntaxKind::L_DOUBLE_ANGLE => depth += 1,
            SyntaxKind::R_PAREN
            | SyntaxKind::R_CURLY
            | SyntaxKind::R_BRACK
            | SyntaxKind::R_DOUBLE_ANGLE => {
                if depth == 1 {
                    return arity;
                }
                depth -= 1;
            }
            _ => {
                if arity == 0 {
                    arity = 1;
                }
            }
        }
    }
    arity
}

/// The body of `definition` with `arguments` put in for its parameters:
/// the body's own tokens take the call's origin, an argument's keep theirs,
/// and `??Param` becomes a string of the argument's text.
fn substitute(definition: &UserMacro, arguments: &[&[PpToken]], origin: Origin) -> Vec<PpToken> {
    let param = |text: &str| definition.params.iter().position(|p| p == text);
    let mut out = Vec::with_capacity(definition.body.len());
    let mut index = 0;
    let body = &definition.body;
    while index < body.len() {
        let token = &body[index];
        if token.kind == SyntaxKind::VAR
            && let Some(position) = param(&token.text)
        {
            out.extend(arguments[position].iter().cloned());
            index += 1;
            continue;
        }
        if token.kind == SyntaxKind::QUESTION2
            && let Some(next) = body.get(index + 1)
            && next.kind == SyntaxKind::VAR
            && let Some(position) = param(&next.text)
        {
            let text: Vec<&str> = arguments[position]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            out.push(PpToken {
                kind: SyntaxKind::STRING,
                text: SmolStr::new(quote_string(&text.join(" "))),
                origin,
            });
            index += 2;
            continue;
        }
        out.push(PpToken {
            origin,
            ..token.clone()
        });
        index += 1;
    }
    out
}
