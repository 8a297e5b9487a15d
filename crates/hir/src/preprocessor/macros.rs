//! The macro table as `epp` keeps it: predefined macros, user macros
//! overloaded by arity, and which macros each definition uses (to find
//! circular definitions before expanding them).

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use smol_str::SmolStr;
use syntax::{LexOptions, OtpRelease, SyntaxKind, TextRange};

use super::{FileId, MacroDefSite, Origin, PpDiagnosticKind, PpToken, PredefinedMacro};

/// A user's macro (or one given as `{d, Name, Value}`).
#[derive(Debug, Clone)]
pub(super) struct UserMacro {
    /// `None` for `-define(M, ...)`, `Some(0)` for `-define(M(), ...)`.
    pub(super) arity: Option<u32>,
    pub(super) params: Vec<SmolStr>,
    pub(super) body: Arc<[PpToken]>,
    /// Where its `-define` names it; `None` for compiler options.
    pub(super) site: Option<MacroDefSite>,
}

/// The predefined macros whose value the preprocessor computes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Builtin {
    /// `?LINE`, `?FILE`: left symbolic in forms.
    Symbolic,
    /// `?FUNCTION_NAME`, `?FUNCTION_ARITY`: from the form being read.
    Function,
    /// A fixed expansion (`?MACHINE`, `?OTP_RELEASE`, `?MODULE` once known).
    Value(Arc<[PpToken]>),
    /// Predefined but without a value yet (`?MODULE` before `-module`).
    Undefined,
}

#[derive(Debug, Clone)]
pub(super) enum MacroEntry {
    Builtin(Builtin),
    /// By arity (`None`: no parentheses), in definition order.
    User(Vec<(Option<u32>, Arc<UserMacro>)>),
}

/// A macro reference as `epp` records it: a name and the arity of the call.
type MacroKey = (SmolStr, Option<u32>);

/// The macros in effect at a point of the file.
pub(super) struct MacroTable {
    entries: FxHashMap<SmolStr, MacroEntry>,
    /// Macros known not to be circular since the table last changed.
    acyclic: FxHashSet<MacroKey>,
    release: OtpRelease,
    maybe_enabled: bool,
}

/// A token made by the preprocessor itself (no text of its own in a file).
fn made_token(kind: SyntaxKind, text: &str) -> PpToken {
    PpToken {
        kind,
        text: SmolStr::new(text),
        origin: Origin {
            file: FileId(u32::MAX),
            range: TextRange::default(),
            from_macro: true,
        },
    }
}

impl MacroTable {
    pub(super) fn new(release: OtpRelease) -> MacroTable {
        let mut entries = FxHashMap::default();
        let mut builtin = |name: &str, value: Builtin| {
            entries.insert(SmolStr::new(name), MacroEntry::Builtin(value));
        };
        builtin("LINE", Builtin::Symbolic);
        builtin("FILE", Builtin::Symbolic);
        builtin("FUNCTION_NAME", Builtin::Function);
        builtin("FUNCTION_ARITY", Builtin::Function);
        for name in [
            "MODULE",
            "MODULE_STRING",
            "BASE_MODULE",
            "BASE_MODULE_STRING",
        ] {
            builtin(name, Builtin::Undefined);
        }
        builtin(
            "MACHINE",
            Builtin::Value(Arc::from([made_token(SyntaxKind::ATOM, "'BEAM'")])),
        );
        builtin(
            "BEAM",
            Builtin::Value(Arc::from([made_token(SyntaxKind::ATOM, "true")])),
        );
        builtin(
            "OTP_RELEASE",
            Builtin::Value(Arc::from([made_token(
                SyntaxKind::INTEGER,
                &release.0.to_string(),
            )])),
        );
        let mut table = MacroTable {
            entries,
            acyclic: FxHashSet::default(),
            release,
            maybe_enabled: release.0 >= 27,
        };
        // `maybe_expr` is available from OTP 25 (and permanent from 27).
        let available = release.0 >= 25;
        table.set_feature_macro("FEATURE_AVAILABLE", available);
        table.set_feature_macro("FEATURE_ENABLED", table.maybe_enabled);
        table
    }

    /// `?NAME(X)`: `(X == maybe_expr)` when the feature is on, else `false`.
    fn set_feature_macro(&mut self, name: &str, on: bool) {
        let body: Vec<PpToken> = if on {
            vec![
                made_token(SyntaxKind::L_PAREN, "("),
                made_token(SyntaxKind::VAR, "X"),
                made_token(SyntaxKind::EQ2, "=="),
                made_token(SyntaxKind::ATOM, "maybe_expr"),
                made_token(SyntaxKind::R_PAREN, ")"),
            ]
        } else {
            vec![made_token(SyntaxKind::ATOM, "false")]
        };
        let definition = UserMacro {
            arity: Some(1),
            params: vec![SmolStr::new("X")],
            body: Arc::from(body),
            site: None,
        };
        self.entries.insert(
            SmolStr::new(name),
            MacroEntry::User(vec![(Some(1), Arc::new(definition))]),
        );
        self.acyclic.clear();
    }

    /// `-feature(maybe_expr, enable | disable)`.
    pub(super) fn set_maybe_enabled(&mut self, enabled: bool) {
        self.maybe_enabled = enabled || self.release.0 >= 27;
        self.set_feature_macro("FEATURE_ENABLED", self.maybe_enabled);
    }

    /// A `{d, Name}` or `{d, Name, Value}` option. Its value is lexed as
    /// Erlang; an option that cannot be read is left out.
    pub(super) fn define_predefined(&mut self, predefined: &PredefinedMacro, file: FileId) {
        let text = predefined.value.as_deref().unwrap_or("true");
        let (tokens, errors) = syntax::tokenize(text, &LexOptions::default());
        if !errors.is_empty() {
            return;
        }
        let mut offset = 0u32;
        let mut body = Vec::new();
        for token in tokens {
            let start = offset;
            offset += token.len;
            if matches!(token.kind, SyntaxKind::WHITESPACE | SyntaxKind::COMMENT) {
                continue;
            }
            let mut made = made_token(token.kind, &text[start as usize..offset as usize]);
            made.origin.file = file;
            body.push(made);
        }
        let definition = UserMacro {
            arity: None,
            params: Vec::new(),
            body: Arc::from(body),
            site: None,
        };
        let name = SmolStr::new(&predefined.name);
        // A later option for the same name replaces an earlier one.
        self.entries
            .insert(name, MacroEntry::User(vec![(None, Arc::new(definition))]));
        self.acyclic.clear();
    }

    /// Room for `additional` more names.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// `-define`: adds `definition` unless the name and arity are taken.
    pub(super) fn define(
        &mut self,
        name: &SmolStr,
        arity: Option<u32>,
        definition: Arc<UserMacro>,
    ) -> Result<(), PpDiagnosticKind> {
        use std::collections::hash_map::Entry;
        match self.entries.entry(name.clone()) {
            Entry::Occupied(entry) => match entry.into_mut() {
                MacroEntry::Builtin(_) => {
                    return Err(PpDiagnosticKind::RedefinedPredefinedMacro {
                        name: name.to_string(),
                    });
                }
                MacroEntry::User(definitions) => {
                    if definitions.iter().any(|(a, _)| *a == arity) {
                        return Err(PpDiagnosticKind::RedefinedMacro {
                            name: name.to_string(),
                        });
                    }
                    definitions.push((arity, definition));
                }
            },
            Entry::Vacant(entry) => {
                entry.insert(MacroEntry::User(vec![(arity, definition)]));
            }
        }
        if !self.acyclic.is_empty() {
            self.acyclic.clear();
        }
        Ok(())
    }

    /// `-undef`: removes every definition of the name (predefined ones too).
    pub(super) fn undefine(&mut self, name: &SmolStr) {
        self.entries.remove(name);
        self.acyclic.clear();
    }

    /// Whether `-ifdef(Name)` holds.
    pub(super) fn is_defined(&self, name: &str) -> bool {
        match self.entries.get(name) {
            None | Some(MacroEntry::Builtin(Builtin::Undefined)) => false,
            // `?FUNCTION_NAME` outside a function: epp has it as undefined.
            Some(MacroEntry::Builtin(Builtin::Function)) => false,
            Some(_) => true,
        }
    }

    pub(super) fn get(&self, name: &str) -> Option<&MacroEntry> {
        self.entries.get(name)
    }

    /// After a form is read: `-module(Name)` defines `?MODULE` and
    /// `?MODULE_STRING`, `-extends(Name)` the `BASE_` ones.
    pub(super) fn note_module(&mut self, form: &[PpToken]) {
        let [minus, attribute, open, name, next, ..] = form else {
            return;
        };
        if minus.kind != SyntaxKind::MINUS
            || open.kind != SyntaxKind::L_PAREN
            || name.kind != SyntaxKind::ATOM
            || !matches!(next.kind, SyntaxKind::R_PAREN | SyntaxKind::COMMA)
        {
            return;
        }
        let (atom_macro, string_macro) = match attribute.text.as_str() {
            "module" => ("MODULE", "MODULE_STRING"),
            "extends" => ("BASE_MODULE", "BASE_MODULE_STRING"),
            _ => return,
        };
        let value = syntax::ast::atom_value(&name.text);
        let string = PpToken {
            kind: SyntaxKind::STRING,
            text: SmolStr::new(quote_string(&value)),
            origin: name.origin,
        };
        self.entries.insert(
            SmolStr::new(atom_macro),
            MacroEntry::Builtin(Builtin::Value(Arc::from([name.clone()]))),
        );
        self.entries.insert(
            SmolStr::new(string_macro),
            MacroEntry::Builtin(Builtin::Value(Arc::from([string]))),
        );
    }

    /// Whether expanding `key` could go on forever: a path through the
    /// definitions' uses that leads back to it (`epp`'s `check_uses`). A
    /// depth-first search with its own stack, so that a chain of thousands of
    /// macros needs no deep recursion; what it proves acyclic is remembered
    /// until the table changes.
    pub(super) fn is_circular(&mut self, key: &MacroKey) -> bool {
        if self.acyclic.contains(key) {
            return false;
        }
        let mut on_path: FxHashSet<MacroKey> = FxHashSet::default();
        let mut done: FxHashSet<MacroKey> = FxHashSet::default();
        // Each macro on the path, with the index of the next use to visit.
        let mut path: Vec<(MacroKey, usize)> = vec![(key.clone(), 0)];
        on_path.insert(key.clone());
        while let Some((node, next)) = path.last_mut() {
            let uses = self.uses_of(node);
            let Some(used) = uses.into_iter().nth(*next) else {
                let (node, _) = path.pop().expect("not empty");
                on_path.remove(&node);
                done.insert(node);
                continue;
            };
            *next += 1;
            if on_path.contains(&used) {
                return true;
            }
            if done.contains(&used) || self.acyclic.contains(&used) {
                continue;
            }
            on_path.insert(used.clone());
            path.push((used, 0));
        }
        self.acyclic.extend(done);
        false
    }

    /// The macros that the definition `epp` would expand for `key` calls
    /// (worked out when asked: most definitions are never expanded).
    fn uses_of(&self, (name, arity): &MacroKey) -> Vec<MacroKey> {
        let Some(MacroEntry::User(by_arity)) = self.entries.get(name) else {
            return Vec::new();
        };
        by_arity
            .iter()
            .find(|(a, _)| a == arity)
            .or_else(|| by_arity.iter().find(|(a, _)| a.is_none()))
            // Compiler options and feature macros are values, never calls.
            .filter(|(_, definition)| definition.site.is_some())
            .map_or_else(Vec::new, |(_, definition)| macro_uses(&definition.body))
    }
}

/// `"text"` with the escapes a string literal needs.
pub(super) fn quote_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The macros `body` calls, each with the arity of the call (`epp`'s
/// `macro_uses`).
fn macro_uses(body: &[PpToken]) -> Vec<MacroKey> {
    let mut uses = Vec::new();
    let mut index = 0;
    while index < body.len() {
        if body[index].kind == SyntaxKind::QUESTION
            && let Some(name) = body.get(index + 1)
            && matches!(name.kind, SyntaxKind::ATOM | SyntaxKind::VAR)
        {
            let arity = super::expand::count_args(&body[index + 2..]).ok().flatten();
            uses.push((super::macro_name(&name.text), arity));
            index += 2;
            continue;
        }
        index += 1;
    }
    uses.sort();
    uses.dedup();
    uses
}
