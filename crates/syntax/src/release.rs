//! What a parse is for: the OTP release whose syntax applies and the kind of file.

/// The major OTP release the code is written for. It decides which syntax exists:
/// triple-quoted strings and sigils from OTP 27, `maybe` on by default from OTP 27.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OtpRelease(pub u32);

impl OtpRelease {
    /// The newest release whose syntax erlkit knows.
    pub const LATEST: OtpRelease = OtpRelease(28);

    /// Whether `"""` strings and `~` sigils exist.
    pub fn has_triple_quoted_strings(self) -> bool {
        self.0 >= 27
    }

    /// Whether the `maybe_expr` feature is on without `-feature(maybe_expr, enable).`
    pub fn maybe_expr_by_default(self) -> bool {
        self.0 >= 27
    }
}

impl Default for OtpRelease {
    fn default() -> Self {
        OtpRelease::LATEST
    }
}

/// The kinds of file that share the Erlang grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FileKind {
    /// A module, `.erl`.
    #[default]
    Module,
    /// An include file, `.hrl`.
    Header,
    /// An escript: a shebang line, optional `%%` lines, then forms.
    Escript,
    /// A file of terms each ended by `.`: `rebar.config`, `*.app.src`, `sys.config`.
    Terms,
}

impl FileKind {
    /// The kind of file a path names, from its name alone; `None` for non-Erlang files.
    pub fn from_path(path: &std::path::Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext {
            "erl" => Some(FileKind::Module),
            "hrl" => Some(FileKind::Header),
            "escript" => Some(FileKind::Escript),
            "config" | "app" | "appup" | "relup" | "rel" => Some(FileKind::Terms),
            "src" if name.ends_with(".app.src") => Some(FileKind::Terms),
            "script" if name.ends_with(".config.script") || name.ends_with(".app.src.script") => {
                None
            }
            _ if name == "rebar.lock" => Some(FileKind::Terms),
            _ => None,
        }
    }
}

/// Everything `parse` needs besides the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// The release whose syntax applies.
    pub release: OtpRelease,
    /// The kind of file.
    pub file_kind: FileKind,
}
