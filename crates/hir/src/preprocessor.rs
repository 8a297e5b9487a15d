//! The preprocessor, with `epp`'s semantics: reads a module form by form,
//! follows `-include`/`-include_lib`, keeps the macro table (`-define`,
//! `-undef`, the predefined macros, overloading by arity), evaluates the
//! conditionals, and expands macros in the forms that are kept. Every token it
//! gives out knows where it came from: its own text, or the macro call that
//! made it. `?LINE` and `?FILE` are left as they are (symbolic), so that adding a
//! line above a function changes nothing in what the function reads.
//!
//! It knows nothing of salsa: files come through a [`FileLoader`].

mod condition;
mod expand;
mod forms;
pub(crate) mod incremental;
mod macros;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use base_db::FileId;
use smol_str::SmolStr;
use syntax::{OtpRelease, SyntaxKind, TextRange, Token};

use self::forms::{RawForm, RawToken, file_forms};
pub use self::incremental::{FormsPatch, repreprocess};
use self::macros::{MacroTable, UserMacro};

/// Where a token of the preprocessed text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The file that holds `range`.
    pub file: FileId,
    /// The token's text, or the whole macro call that made it.
    pub range: TextRange,
    /// Whether the token was made by expanding the macro call at `range`.
    pub from_macro: bool,
}

/// One token after preprocessing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PpToken {
    pub kind: SyntaxKind,
    pub text: SmolStr,
    pub origin: Origin,
}

/// A form after preprocessing: its tokens, ending with its dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PpForm {
    pub tokens: Vec<PpToken>,
}

/// A file as the preprocessor reads it.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub file_id: FileId,
    pub path: PathBuf,
    pub text: Arc<str>,
    /// The lexer's tokens of `text` (trivia included).
    pub tokens: Arc<[Token]>,
    /// The file cut into forms, once for every module that includes it
    /// (share it between the `LoadedFile`s of the same text and tokens).
    pub forms: FileForms,
}

/// A file's forms, cut out of its tokens when first read, with what its
/// `-define` forms define (the same wherever the file is included).
#[derive(Debug, Clone, Default)]
pub struct FileForms(Arc<std::sync::OnceLock<Box<[RawForm]>>>);

impl FileForms {
    fn get(&self, text: &str, tokens: &[Token]) -> &[RawForm] {
        self.0
            .get_or_init(|| file_forms(text, tokens).into_boxed_slice())
    }
}

/// A `-define` form read: the macro it defines, or what is wrong with it
/// and where in its file.
#[derive(Debug, Clone)]
enum ParsedDefine {
    Macro {
        name: SmolStr,
        name_range: TextRange,
        arity: Option<u32>,
        site: MacroDefSite,
        definition: Arc<UserMacro>,
    },
    Bad {
        at: TextRange,
        kind: PpDiagnosticKind,
    },
}

/// Where the preprocessor finds included files.
pub trait FileLoader {
    /// The file at `path` (already normalised), if there is one.
    fn load(&self, path: &Path) -> Option<LoadedFile>;
    /// The directory of the application `app`, as `code:lib_dir/1` gives it.
    fn lib_dir(&self, app: &str) -> Option<PathBuf>;
}

/// A macro defined before the module is read, as `{d, Name}` or
/// `{d, Name, Value}` in the compiler's options.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PredefinedMacro {
    pub name: String,
    /// The value as Erlang term text; `None` for `true`.
    pub value: Option<String>,
}

/// What the preprocessor needs besides the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreprocessOptions {
    /// The include path after the file's own directory (`{i, Dir}` options).
    pub include_dirs: Vec<PathBuf>,
    pub macros: Vec<PredefinedMacro>,
    /// `?OTP_RELEASE`, and whether `maybe` is on by default.
    pub release: OtpRelease,
}

/// A problem the preprocessor found; the rest of the file is still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PpDiagnostic {
    pub origin: Origin,
    pub kind: PpDiagnosticKind,
}

/// The problems, with `epp`'s wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PpDiagnosticKind {
    IncludeNotFound { name: String, lib: bool },
    IncludeTooDeep,
    UndefinedMacro { name: String, arity: Option<u32> },
    ArgumentMismatch { name: String },
    BadMacroArguments { name: String },
    CircularMacro { name: String, arity: Option<u32> },
    ExpansionTooLarge { name: String },
    RedefinedMacro { name: String },
    RedefinedPredefinedMacro { name: String },
    DuplicatedArgument { name: String },
    BadDirective { directive: &'static str },
    MissingParenthesis,
    MissingComma,
    Unbalanced { directive: &'static str },
    Unterminated { directive: &'static str },
    RepeatedElse,
    ElifAfterElse,
    BadCondition { reason: String },
    IllegalFunctionMacro { name: String },
    ErrorDirective { message: String },
    WarningDirective { message: String },
}

impl PpDiagnostic {
    /// Whether `erlc` treats it as an error (it does for all but `-warning`).
    pub fn is_error(&self) -> bool {
        !matches!(self.kind, PpDiagnosticKind::WarningDirective { .. })
    }
}

fn arity_suffix(arity: Option<u32>) -> String {
    arity.map_or_else(String::new, |n| format!("/{n}"))
}

impl fmt::Display for PpDiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PpDiagnosticKind::*;
        match self {
            IncludeNotFound { name, lib: false } => write!(f, "can't find include file \"{name}\""),
            IncludeNotFound { name, lib: true } => write!(f, "can't find include lib \"{name}\""),
            IncludeTooDeep => write!(f, "include files nested more than 8 levels deep"),
            UndefinedMacro { name, arity } => {
                write!(f, "undefined macro '{name}{}'", arity_suffix(*arity))
            }
            ArgumentMismatch { name } => write!(f, "argument mismatch for macro '{name}'"),
            BadMacroArguments { name } => write!(f, "badly formed argument for macro '{name}'"),
            CircularMacro { name, arity } => {
                write!(f, "circular macro '{name}{}'", arity_suffix(*arity))
            }
            ExpansionTooLarge { name } => {
                write!(f, "the expansion of macro '{name}' is too large")
            }
            RedefinedMacro { name } => write!(f, "redefining macro '{name}'"),
            RedefinedPredefinedMacro { name } => {
                write!(f, "redefining predefined macro '{name}'")
            }
            DuplicatedArgument { name } => write!(f, "argument '{name}' already used"),
            BadDirective { directive } => write!(f, "badly formed '{directive}'"),
            MissingParenthesis => write!(f, "badly formed 'define': missing ')'"),
            MissingComma => write!(f, "badly formed 'define': missing ','"),
            Unbalanced { directive } => write!(f, "unbalanced '{directive}'"),
            Unterminated { directive } => write!(f, "unterminated '{directive}'"),
            RepeatedElse => write!(f, "repeated 'else'"),
            ElifAfterElse => write!(f, "'elif' following 'else'"),
            BadCondition { reason } => write!(f, "badly formed 'if': {reason}"),
            IllegalFunctionMacro { name } => {
                write!(f, "?{name} can only be used within a function")
            }
            ErrorDirective { message } => write!(f, "-error({message})."),
            WarningDirective { message } => write!(f, "-warning({message})."),
        }
    }
}

/// An `-include` or `-include_lib` that was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The directive's string.
    pub origin: Origin,
    pub file: FileId,
    pub path: PathBuf,
}

/// A macro definition: where its name is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MacroDefSite {
    pub file: FileId,
    pub range: TextRange,
}

/// A `-define` that was read (in an active branch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroDefinition {
    pub name: SmolStr,
    pub arity: Option<u32>,
    pub site: MacroDefSite,
}

/// A macro call in an active form and the definition it used (`None` for a
/// predefined macro or an undefined one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroCall {
    /// `?NAME`, with the arguments when there are some.
    pub origin: Origin,
    pub name: SmolStr,
    pub arity: Option<u32>,
    pub definition: Option<MacroDefSite>,
}

/// What the preprocessor makes of a module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preprocessed {
    /// The forms that are compiled, in order, macros expanded (and the
    /// `-feature` forms, which the parser needs).
    pub forms: Vec<PpForm>,
    pub diagnostics: Vec<PpDiagnostic>,
    pub includes: Vec<Include>,
    pub definitions: Vec<MacroDefinition>,
    pub macro_calls: Vec<MacroCall>,
    /// Each form of the module's own file, in order, and what it gave.
    pub main_forms: Vec<MainForm>,
}

/// A form of the module's own file (not of an include), and what reading it
/// gave: the ranges index [`Preprocessed`]'s lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MainForm {
    /// From its first token to its dot.
    pub span: TextRange,
    /// Whether reading it may change how the forms after it are read: a
    /// directive, or an attribute that may name the module.
    pub changes_state: bool,
    /// Whether it was read in an active branch of the conditionals.
    pub active: bool,
    pub forms: Range<u32>,
    pub macro_calls: Range<u32>,
    pub diagnostics: Range<u32>,
}

/// Include files nest at most this deep, as in `epp`.
const MAX_INCLUDE_DEPTH: usize = 8;

/// Preprocesses `main` as `epp:parse_file/2` would with `options`.
pub fn preprocess(
    main: &LoadedFile,
    options: &PreprocessOptions,
    loader: &dyn FileLoader,
) -> Preprocessed {
    let mut preprocessor = Preprocessor::new(main, options, loader);
    let mut path = include_path(main, options);
    preprocessor.read_file(main, &mut path, 0);
    preprocessor.out
}

/// The include path of `main`: its own directory, then the options'.
fn include_path(main: &LoadedFile, options: &PreprocessOptions) -> Vec<PathBuf> {
    let mut path = vec![parent_dir(&main.path)];
    path.extend(options.include_dirs.iter().cloned());
    path
}

/// A conditional the reader is inside of, as `epp`'s `istk` has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conditional {
    Ifdef,
    Ifndef,
    If,
    Else,
    Elif,
}

impl Conditional {
    fn directive(self) -> &'static str {
        match self {
            Conditional::Ifdef => "ifdef",
            Conditional::Ifndef => "ifndef",
            Conditional::If => "if",
            Conditional::Else => "else",
            Conditional::Elif => "elif",
        }
    }
}

/// The directives `epp` acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Directive {
    Define,
    Undef,
    Include,
    IncludeLib,
    Ifdef,
    Ifndef,
    If,
    Elif,
    Else,
    Endif,
    Error,
    Warning,
    File,
    Feature,
}

struct Preprocessor<'a> {
    loader: &'a dyn FileLoader,
    macros: MacroTable,
    out: Preprocessed,
    /// Only the state is wanted (the macros, the conditionals), to read some
    /// forms of the main file again: forms that cannot change it are not
    /// expanded.
    replaying: bool,
}

impl<'a> Preprocessor<'a> {
    /// A preprocessor for `main` with the predefined macros of `options`.
    fn new(
        main: &LoadedFile,
        options: &PreprocessOptions,
        loader: &'a dyn FileLoader,
    ) -> Preprocessor<'a> {
        let mut preprocessor = Preprocessor {
            loader,
            macros: MacroTable::new(options.release),
            out: Preprocessed::default(),
            replaying: false,
        };
        for predefined in &options.macros {
            preprocessor
                .macros
                .define_predefined(predefined, main.file_id);
        }
        preprocessor
    }
}

/// The state of one file being read.
struct FileReader<'f> {
    file: &'f LoadedFile,
    conditionals: Vec<Conditional>,
    /// While skipping: the conditionals being skipped, innermost last.
    skipping: Vec<Conditional>,
}

impl FileReader<'_> {
    fn text(&self, token: RawToken) -> &str {
        &self.file.text[token.range]
    }

    fn origin(&self, range: TextRange) -> Origin {
        Origin {
            file: self.file.file_id,
            range,
            from_macro: false,
        }
    }

    /// The 1-based line of `origin` in this file (1 if it is elsewhere).
    fn line_of(&self, origin: Origin) -> usize {
        if origin.file != self.file.file_id {
            return 1;
        }
        let start = usize::from(origin.range.start()).min(self.file.text.len());
        1 + self.file.text.as_bytes()[..start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn pp_token(&self, token: RawToken) -> PpToken {
        PpToken {
            kind: token.kind,
            text: SmolStr::new(self.text(token)),
            origin: self.origin(token.range),
        }
    }
}

impl Preprocessor<'_> {
    fn read_file(&mut self, file: &LoadedFile, path: &mut Vec<PathBuf>, depth: usize) {
        let mut reader = FileReader {
            file,
            conditionals: Vec::new(),
            skipping: Vec::new(),
        };
        let forms = file.forms.get(&file.text, &file.tokens);
        if depth > 0 {
            // A header of thousands of macros (`wx.hrl`) would otherwise
            // grow the table, and rehash it, many times in every module.
            let defines = forms
                .iter()
                .filter(|form| match form.tokens.as_slice() {
                    [minus, name, ..] => {
                        minus.kind == SyntaxKind::MINUS && &file.text[name.range] == "define"
                    }
                    _ => false,
                })
                .count();
            self.macros.reserve(defines);
            self.out.definitions.reserve(defines);
        }
        for form in forms {
            if depth == 0 {
                self.read_main_form(&mut reader, form, path);
            } else {
                self.read_form(&mut reader, form, path, depth);
            }
        }
        let end = TextRange::empty(syntax::TextSize::of(&*file.text));
        for conditional in reader
            .skipping
            .iter()
            .chain(reader.conditionals.iter().rev())
        {
            self.diagnostic(
                reader.origin(end),
                PpDiagnosticKind::Unterminated {
                    directive: conditional.directive(),
                },
            );
        }
    }

    fn read_form(
        &mut self,
        reader: &mut FileReader<'_>,
        form: &RawForm,
        path: &mut Vec<PathBuf>,
        depth: usize,
    ) {
        if reader.skipping.is_empty() {
            self.scan_form(reader, form, path, depth);
        } else {
            self.skip_form(reader, form);
        }
    }

    /// Reads a form of the main file, noting what it gave.
    fn read_main_form(
        &mut self,
        reader: &mut FileReader<'_>,
        form: &RawForm,
        path: &mut Vec<PathBuf>,
    ) {
        let counts = |out: &Preprocessed| {
            [
                out.forms.len(),
                out.macro_calls.len(),
                out.diagnostics.len(),
            ]
            .map(|n| n as u32)
        };
        let active = reader.skipping.is_empty();
        let before = counts(&self.out);
        self.read_form(reader, form, path, 0);
        let after = counts(&self.out);
        self.out.main_forms.push(MainForm {
            span: form.span(),
            changes_state: Self::changes_state(reader, form),
            active,
            forms: before[0]..after[0],
            macro_calls: before[1]..after[1],
            diagnostics: before[2]..after[2],
        });
    }

    /// Whether reading `form` may change how the forms after it are read.
    fn changes_state(reader: &FileReader<'_>, form: &RawForm) -> bool {
        Self::directive(reader, form).is_some() || Self::may_name_module(reader, form)
    }

    /// Whether `form` is `-module(...)` or `-extends(...)`, or may expand to
    /// one: they define `?MODULE` and `?BASE_MODULE`.
    fn may_name_module(reader: &FileReader<'_>, form: &RawForm) -> bool {
        match form.tokens.as_slice() {
            [minus, name, ..] if minus.kind == SyntaxKind::MINUS => match name.kind {
                SyntaxKind::ATOM => matches!(
                    syntax::ast::atom_value(reader.text(*name)).as_str(),
                    "module" | "extends"
                ),
                SyntaxKind::QUESTION | SyntaxKind::QUESTION2 => true,
                _ => false,
            },
            _ => false,
        }
    }

    fn diagnostic(&mut self, origin: Origin, kind: PpDiagnosticKind) {
        self.out.diagnostics.push(PpDiagnostic { origin, kind });
    }

    fn directive(reader: &FileReader<'_>, form: &RawForm) -> Option<Directive> {
        let [minus, name, ..] = form.tokens.as_slice() else {
            return None;
        };
        if minus.kind != SyntaxKind::MINUS {
            return None;
        }
        let directive = match name.kind {
            SyntaxKind::IF_KW => Directive::If,
            SyntaxKind::ATOM => match syntax::ast::atom_value(reader.text(*name)).as_str() {
                "define" => Directive::Define,
                "undef" => Directive::Undef,
                "include" => Directive::Include,
                "include_lib" => Directive::IncludeLib,
                "ifdef" => Directive::Ifdef,
                "ifndef" => Directive::Ifndef,
                "elif" => Directive::Elif,
                "else" => Directive::Else,
                "endif" => Directive::Endif,
                "error" => Directive::Error,
                "warning" => Directive::Warning,
                "file" => Directive::File,
                "feature" => Directive::Feature,
                _ => return None,
            },
            SyntaxKind::ELSE_KW => Directive::Else,
            _ => return None,
        };
        Some(directive)
    }

    fn scan_form(
        &mut self,
        reader: &mut FileReader<'_>,
        form: &RawForm,
        path: &mut Vec<PathBuf>,
        depth: usize,
    ) {
        let Some(directive) = Self::directive(reader, form) else {
            self.expand_form(reader, form);
            return;
        };
        let name_token = form.tokens[1];
        let args = &form.tokens[2..];
        let at = reader.origin(name_token.range);
        match directive {
            Directive::Define => self.define(reader, form),
            Directive::Undef => match args {
                [open, name, close, _dot]
                    if open.kind == SyntaxKind::L_PAREN
                        && close.kind == SyntaxKind::R_PAREN
                        && is_name(name.kind) =>
                {
                    let name = macro_name(reader.text(*name));
                    self.macros.undefine(&name);
                }
                _ => self.diagnostic(at, PpDiagnosticKind::BadDirective { directive: "undef" }),
            },
            Directive::Include | Directive::IncludeLib => {
                let lib = directive == Directive::IncludeLib;
                self.include(reader, form, lib, path, depth);
            }
            Directive::Ifdef | Directive::Ifndef => {
                let (kind, name) = if directive == Directive::Ifdef {
                    (Conditional::Ifdef, "ifdef")
                } else {
                    (Conditional::Ifndef, "ifndef")
                };
                match args {
                    [open, macro_token, close, _dot]
                        if open.kind == SyntaxKind::L_PAREN
                            && close.kind == SyntaxKind::R_PAREN
                            && is_name(macro_token.kind) =>
                    {
                        let defined = self
                            .macros
                            .is_defined(&macro_name(reader.text(*macro_token)));
                        if defined == (kind == Conditional::Ifdef) {
                            reader.conditionals.push(kind);
                        } else {
                            reader.skipping.push(kind);
                        }
                    }
                    _ => {
                        self.diagnostic(at, PpDiagnosticKind::BadDirective { directive: name });
                        reader.skipping.push(kind);
                    }
                }
            }
            Directive::If => self.scan_if(reader, form, at),
            Directive::Elif => match reader.conditionals.pop() {
                Some(Conditional::Else) => {
                    self.diagnostic(at, PpDiagnosticKind::Unbalanced { directive: "elif" });
                    reader.skipping.push(Conditional::Else);
                }
                Some(_) => reader.skipping.push(Conditional::Elif),
                None => self.diagnostic(at, PpDiagnosticKind::Unbalanced { directive: "elif" }),
            },
            Directive::Else => {
                if args.len() != 1 {
                    self.diagnostic(at, PpDiagnosticKind::BadDirective { directive: "else" });
                    return;
                }
                match reader.conditionals.pop() {
                    Some(Conditional::Else) => {
                        self.diagnostic(at, PpDiagnosticKind::RepeatedElse);
                        reader.skipping.push(Conditional::Else);
                    }
                    Some(_) => reader.skipping.push(Conditional::Else),
                    None => self.diagnostic(at, PpDiagnosticKind::Unbalanced { directive: "else" }),
                }
            }
            Directive::Endif => {
                if args.len() != 1 {
                    self.diagnostic(at, PpDiagnosticKind::BadDirective { directive: "endif" });
                } else if reader.conditionals.pop().is_none() {
                    self.diagnostic(at, PpDiagnosticKind::Unbalanced { directive: "endif" });
                }
            }
            Directive::Error | Directive::Warning => {
                let message = self.directive_message(reader, args);
                let kind = if directive == Directive::Error {
                    PpDiagnosticKind::ErrorDirective { message }
                } else {
                    PpDiagnosticKind::WarningDirective { message }
                };
                self.diagnostic(at, kind);
            }
            Directive::File => {}
            Directive::Feature => {
                if let [_, feature, _, setting, ..] = args
                    && reader.text(*feature) == "maybe_expr"
                {
                    let enabled = reader.text(*setting) == "enable";
                    self.macros.set_maybe_enabled(enabled);
                }
                // The parser of the expanded text needs to see it too.
                self.out.forms.push(PpForm {
                    tokens: form.tokens.iter().map(|t| reader.pp_token(*t)).collect(),
                });
            }
        }
    }

    /// The text of `-error(...)`/`-warning(...)`'s term, macros expanded.
    fn directive_message(&mut self, reader: &FileReader<'_>, args: &[RawToken]) -> String {
        let tokens: Vec<PpToken> = args.iter().map(|t| reader.pp_token(*t)).collect();
        let expanded = self.expand_tokens(reader, tokens, None);
        let inner = expanded
            .get(1..expanded.len().saturating_sub(2))
            .unwrap_or_default();
        inner
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn skip_form(&mut self, reader: &mut FileReader<'_>, form: &RawForm) {
        let Some(directive) = Self::directive(reader, form) else {
            return;
        };
        let at = reader.origin(form.tokens[1].range);
        match directive {
            Directive::Ifdef => reader.skipping.push(Conditional::Ifdef),
            Directive::Ifndef => reader.skipping.push(Conditional::Ifndef),
            Directive::If => reader.skipping.push(Conditional::If),
            Directive::Else => match reader.skipping.as_slice() {
                [.., Conditional::Else] => self.diagnostic(at, PpDiagnosticKind::RepeatedElse),
                [.., Conditional::Elif] => {
                    reader.skipping.pop();
                    reader.skipping.push(Conditional::Else);
                }
                [_] => {
                    reader.skipping.clear();
                    reader.conditionals.push(Conditional::Else);
                }
                _ => {}
            },
            Directive::Elif => match reader.skipping.as_slice() {
                [.., Conditional::Else] => self.diagnostic(at, PpDiagnosticKind::ElifAfterElse),
                [_] => {
                    reader.skipping.clear();
                    self.scan_if(reader, form, at);
                }
                _ => {}
            },
            Directive::Endif => {
                reader.skipping.pop();
            }
            _ => {}
        }
    }

    fn scan_if(&mut self, reader: &mut FileReader<'_>, form: &RawForm, at: Origin) {
        let args = &form.tokens[2..];
        if args.first().map(|t| t.kind) != Some(SyntaxKind::L_PAREN) {
            self.diagnostic(at, PpDiagnosticKind::BadDirective { directive: "if" });
            reader.skipping.push(Conditional::If);
            return;
        }
        // Everything but the dot: `(Expr)`.
        let tokens: Vec<PpToken> = args[..args.len() - 1]
            .iter()
            .map(|t| reader.pp_token(*t))
            .collect();
        let expanded = self.expand_tokens(reader, tokens, Some(EvalContext));
        match condition::evaluate(&expanded, &|name| self.macros.is_defined(name)) {
            Ok(true) => reader.conditionals.push(Conditional::If),
            Ok(false) => reader.skipping.push(Conditional::If),
            Err(reason) => {
                self.diagnostic(at, PpDiagnosticKind::BadCondition { reason });
                reader.skipping.push(Conditional::If);
            }
        }
    }

    fn define(&mut self, reader: &FileReader<'_>, form: &RawForm) {
        match form.define.get_or_init(|| Self::parse_define(reader, form)) {
            ParsedDefine::Bad { at, kind } => {
                let kind = kind.clone();
                self.diagnostic(reader.origin(*at), kind);
            }
            ParsedDefine::Macro {
                name,
                name_range,
                arity,
                site,
                definition,
            } => match self.macros.define(name, *arity, Arc::clone(definition)) {
                Ok(()) => self.out.definitions.push(MacroDefinition {
                    name: name.clone(),
                    arity: *arity,
                    site: *site,
                }),
                Err(kind) => self.diagnostic(reader.origin(*name_range), kind),
            },
        }
    }

    /// What a `-define` form defines (the same in every module).
    fn parse_define(reader: &FileReader<'_>, form: &RawForm) -> ParsedDefine {
        let args = &form.tokens[2..];
        let at_range = form.tokens[1].range;
        let (name_token, rest) = match args {
            [open, name, rest @ ..] if open.kind == SyntaxKind::L_PAREN && is_name(name.kind) => {
                (*name, rest)
            }
            _ => {
                return ParsedDefine::Bad {
                    at: at_range,
                    kind: PpDiagnosticKind::BadDirective {
                        directive: "define",
                    },
                };
            }
        };
        let name = macro_name(reader.text(name_token));
        let (params, rest) = match rest.first().map(|t| t.kind) {
            Some(SyntaxKind::COMMA) => (None, &rest[1..]),
            Some(SyntaxKind::L_PAREN) => {
                let mut params: Vec<SmolStr> = Vec::new();
                let mut index = 1;
                let mut expect_param = true;
                loop {
                    let Some(token) = rest.get(index) else {
                        return ParsedDefine::Bad {
                            at: at_range,
                            kind: PpDiagnosticKind::BadDirective {
                                directive: "define",
                            },
                        };
                    };
                    index += 1;
                    match token.kind {
                        SyntaxKind::R_PAREN if expect_param == params.is_empty() => break,
                        SyntaxKind::VAR if expect_param => {
                            let param = SmolStr::new(reader.text(*token));
                            if params.contains(&param) {
                                return ParsedDefine::Bad {
                                    at: token.range,
                                    kind: PpDiagnosticKind::DuplicatedArgument {
                                        name: param.to_string(),
                                    },
                                };
                            }
                            params.push(param);
                            expect_param = false;
                        }
                        SyntaxKind::COMMA if !expect_param => expect_param = true,
                        _ => {
                            return ParsedDefine::Bad {
                                at: token.range,
                                kind: PpDiagnosticKind::BadDirective {
                                    directive: "define",
                                },
                            };
                        }
                    }
                }
                if rest.get(index).map(|t| t.kind) != Some(SyntaxKind::COMMA) {
                    return ParsedDefine::Bad {
                        at: at_range,
                        kind: PpDiagnosticKind::MissingComma,
                    };
                }
                (Some(params), &rest[index + 1..])
            }
            _ => {
                return ParsedDefine::Bad {
                    at: at_range,
                    kind: PpDiagnosticKind::BadDirective {
                        directive: "define",
                    },
                };
            }
        };
        // The body: everything before the final `)` and the dot.
        let body = match rest {
            [body @ .., close, _dot] if close.kind == SyntaxKind::R_PAREN => body,
            _ => {
                return ParsedDefine::Bad {
                    at: at_range,
                    kind: PpDiagnosticKind::MissingParenthesis,
                };
            }
        };
        let body: Vec<PpToken> = body.iter().map(|t| reader.pp_token(*t)).collect();
        let arity = params.as_ref().map(|p| p.len() as u32);
        let site = MacroDefSite {
            file: reader.file.file_id,
            range: name_token.range,
        };
        let definition = UserMacro {
            arity,
            params: params.unwrap_or_default(),
            body: Arc::from(body),
            site: Some(site),
        };
        ParsedDefine::Macro {
            name,
            name_range: name_token.range,
            arity,
            site,
            definition: Arc::new(definition),
        }
    }

    fn include(
        &mut self,
        reader: &FileReader<'_>,
        form: &RawForm,
        lib: bool,
        path: &mut Vec<PathBuf>,
        depth: usize,
    ) {
        let directive = if lib { "include_lib" } else { "include" };
        let args = &form.tokens[2..];
        let at = reader.origin(form.tokens[1].range);
        // `("a" "b")`: adjacent strings are joined, as epp does.
        let strings = match args {
            [open, strings @ .., close, _dot]
                if open.kind == SyntaxKind::L_PAREN
                    && close.kind == SyntaxKind::R_PAREN
                    && !strings.is_empty()
                    && strings.iter().all(|t| t.kind == SyntaxKind::STRING) =>
            {
                strings
            }
            _ => {
                self.diagnostic(at, PpDiagnosticKind::BadDirective { directive });
                return;
            }
        };
        let name: String = strings
            .iter()
            .map(|t| syntax::ast::string_value(reader.text(*t)))
            .collect();
        let string_range = strings[0].range.cover(strings[strings.len() - 1].range);
        let string_origin = reader.origin(string_range);
        if depth >= MAX_INCLUDE_DEPTH {
            self.diagnostic(at, PpDiagnosticKind::IncludeTooDeep);
            return;
        }
        let found = self
            .find_in_path(path, &name)
            .or_else(|| if lib { self.find_in_lib(&name) } else { None });
        let Some(included) = found else {
            self.diagnostic(
                string_origin,
                PpDiagnosticKind::IncludeNotFound { name, lib },
            );
            return;
        };
        self.out.includes.push(Include {
            origin: string_origin,
            file: included.file_id,
            path: included.path.clone(),
        });
        // Inside the included file, its own directory replaces the includer's
        // at the head of the path.
        let saved_head = std::mem::replace(&mut path[0], parent_dir(&included.path));
        self.read_file(&included, path, depth + 1);
        path[0] = saved_head;
    }

    fn find_in_path(&self, path: &[PathBuf], name: &str) -> Option<LoadedFile> {
        let name = Path::new(name);
        if name.is_absolute() {
            return self.loader.load(&normalise(name));
        }
        path.iter()
            .find_map(|dir| self.loader.load(&normalise(&dir.join(name))))
    }

    /// `include_lib("app/rest")`: `rest` in the application `app`'s directory.
    fn find_in_lib(&self, name: &str) -> Option<LoadedFile> {
        let mut components = Path::new(name).components();
        let app = match components.next()? {
            Component::Normal(app) => app.to_str()?,
            _ => return None,
        };
        let dir = self.loader.lib_dir(app)?;
        self.loader
            .load(&normalise(&dir.join(components.as_path())))
    }

    fn expand_form(&mut self, reader: &FileReader<'_>, form: &RawForm) {
        if self.replaying && !Self::may_name_module(reader, form) {
            return;
        }
        let tokens: Vec<PpToken> = form.tokens.iter().map(|t| reader.pp_token(*t)).collect();
        let expanded = self.expand_tokens(reader, tokens, None);
        self.macros.note_module(&expanded);
        self.out.forms.push(PpForm { tokens: expanded });
    }
}

/// Macros are expanded for an `-if` condition: `?LINE` and `?FILE` get their
/// values instead of staying symbolic.
#[derive(Debug, Clone, Copy)]
struct EvalContext;

fn is_name(kind: SyntaxKind) -> bool {
    matches!(kind, SyntaxKind::ATOM | SyntaxKind::VAR)
}

/// A macro's name from its token (a variable, or an atom, quoted or not).
fn macro_name(text: &str) -> SmolStr {
    if text.starts_with('\'') {
        SmolStr::new(syntax::ast::atom_value(text))
    } else {
        SmolStr::new(text)
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with `.` and `dir/..` removed, as the file system would resolve it
/// without symbolic links.
pub fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
