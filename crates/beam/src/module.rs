//! A parsed `.beam` file and its decoded tables.

use crate::atoms;
use crate::container::{self, Chunk};
use crate::error::FormatError;
use crate::hash;
use crate::tables;
use crate::terms;

/// A `.beam` file: its bytes, its chunks and its atoms.
#[derive(Debug, Clone)]
pub struct BeamFile {
    bytes: Vec<u8>,
    chunks: Vec<Chunk>,
    atoms: Vec<String>,
}

/// An imported function, `module:function/arity`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Import {
    pub module: String,
    pub function: String,
    pub arity: u32,
}

/// An exported or local function with the label of its entry point.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Labeled {
    pub function: String,
    pub arity: u32,
    pub label: u32,
}

/// A fun defined in the module.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fun {
    /// The generated function that holds the fun's code (`-f/1-fun-0-`).
    pub function: String,
    /// Its arity, free variables included.
    pub arity: u32,
    pub label: u32,
    pub index: u32,
    /// How many variables it captures.
    pub free: u32,
    pub old_uniq: u32,
}

impl BeamFile {
    /// Reads the container and the atom table of a `.beam` file's bytes
    /// (gzip-compressed or not).
    pub fn parse(bytes: Vec<u8>) -> Result<BeamFile, FormatError> {
        let bytes = container::uncompressed(bytes)?;
        let chunks = container::chunks(&bytes)?;
        let mut beam = BeamFile {
            bytes,
            chunks,
            atoms: Vec::new(),
        };
        beam.atoms = match (beam.chunk(b"AtU8"), beam.chunk(b"Atom")) {
            (Some(data), _) => atoms::decode(data, true)?,
            (None, Some(data)) => atoms::decode(data, false)?,
            (None, None) => return Err(FormatError::MissingChunk("AtU8".to_owned())),
        };
        if beam.atoms.is_empty() {
            return Err(FormatError::bad("AtU8", "no atoms: the module has no name"));
        }
        Ok(beam)
    }

    /// The chunks, in the order of the file.
    pub fn chunks(&self) -> &[Chunk] {
        &self.chunks
    }

    /// The data of the first chunk with this id.
    pub fn chunk(&self, id: &[u8; 4]) -> Option<&[u8]> {
        self.chunks
            .iter()
            .find(|chunk| &chunk.id == id)
            .map(|chunk| &self.bytes[chunk.offset..chunk.offset + chunk.size])
    }

    /// The module's name (atom 1).
    pub fn module(&self) -> &str {
        &self.atoms[0]
    }

    /// The atom table; atom `n` of the code is `atoms()[n - 1]`.
    pub fn atoms(&self) -> &[String] {
        &self.atoms
    }

    /// The MD5 of the module, as `beam_lib:md5/1` computes it.
    pub fn md5(&self) -> Result<[u8; 16], FormatError> {
        hash::md5(self)
    }

    /// [`BeamFile::md5`] in lower-case hexadecimal.
    pub fn md5_hex(&self) -> Result<String, FormatError> {
        Ok(self
            .md5()?
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect())
    }

    fn atom(&self, chunk: &str, index: u32) -> Result<&str, FormatError> {
        index
            .checked_sub(1)
            .and_then(|index| self.atoms.get(index as usize))
            .map(String::as_str)
            .ok_or_else(|| {
                FormatError::bad(chunk, format!("atom {index} is not in the atom table"))
            })
    }

    fn required(&self, id: &[u8; 4]) -> Result<&[u8], FormatError> {
        self.chunk(id)
            .ok_or_else(|| FormatError::MissingChunk(String::from_utf8_lossy(id).into_owned()))
    }

    /// The imported functions (`ImpT`), in the order of the table.
    pub fn imports(&self) -> Result<Vec<Import>, FormatError> {
        tables::imports(self.required(b"ImpT")?)?
            .into_iter()
            .map(|raw| {
                Ok(Import {
                    module: self.atom("ImpT", raw.module)?.to_owned(),
                    function: self.atom("ImpT", raw.function)?.to_owned(),
                    arity: raw.arity,
                })
            })
            .collect()
    }

    /// The exported functions (`ExpT`).
    pub fn exports(&self) -> Result<Vec<Labeled>, FormatError> {
        self.labeled("ExpT", self.required(b"ExpT")?)
    }

    /// The local functions (`LocT`; empty when the chunk was stripped).
    pub fn locals(&self) -> Result<Vec<Labeled>, FormatError> {
        match self.chunk(b"LocT") {
            Some(data) => self.labeled("LocT", data),
            None => Ok(Vec::new()),
        }
    }

    fn labeled(&self, id: &'static str, data: &[u8]) -> Result<Vec<Labeled>, FormatError> {
        tables::labeled(id, data)?
            .into_iter()
            .map(|raw| {
                Ok(Labeled {
                    function: self.atom(id, raw.function)?.to_owned(),
                    arity: raw.arity,
                    label: raw.label,
                })
            })
            .collect()
    }

    /// The funs the module defines (`FunT`; empty when it has none).
    pub fn funs(&self) -> Result<Vec<Fun>, FormatError> {
        let Some(data) = self.chunk(b"FunT") else {
            return Ok(Vec::new());
        };
        tables::funs(data)?
            .into_iter()
            .map(|raw| {
                Ok(Fun {
                    function: self.atom("FunT", raw.function)?.to_owned(),
                    arity: raw.arity,
                    label: raw.label,
                    index: raw.index,
                    free: raw.free,
                    old_uniq: raw.old_uniq,
                })
            })
            .collect()
    }

    /// The literals of the code (`LitT`), each decoded.
    pub fn literals(&self) -> Result<Vec<eetf::Term>, FormatError> {
        let Some(data) = self.chunk(b"LitT") else {
            return Ok(Vec::new());
        };
        tables::literals(data)?
            .iter()
            .map(|bytes| terms::decode_term("LitT", bytes))
            .collect()
    }

    /// The term of a term chunk (`Attr`, `CInf`, `Dbgi`, `Abst`, `Docs`,
    /// `Meta`), `None` when the file does not have it.
    pub fn term_chunk(&self, id: &[u8; 4]) -> Result<Option<eetf::Term>, FormatError> {
        let Some(data) = self.chunk(id) else {
            return Ok(None);
        };
        // An `Abst` chunk stripped of its code is empty.
        if data.is_empty() {
            return Ok(None);
        }
        let name = String::from_utf8_lossy(id).into_owned();
        terms::decode_term(&name, data).map(Some)
    }

    /// The attributes (`Attr`): `[{Name, Value}]` as `Mod:module_info(attributes)`
    /// gives them.
    pub fn attributes(&self) -> Result<Vec<(String, eetf::Term)>, FormatError> {
        self.key_values(b"Attr")
    }

    /// The compile information (`CInf`): `[{Key, Value}]` (`version`,
    /// `options`, `source`).
    pub fn compile_info(&self) -> Result<Vec<(String, eetf::Term)>, FormatError> {
        self.key_values(b"CInf")
    }

    fn key_values(&self, id: &[u8; 4]) -> Result<Vec<(String, eetf::Term)>, FormatError> {
        let name = String::from_utf8_lossy(id).into_owned();
        let Some(term) = self.term_chunk(id)? else {
            return Ok(Vec::new());
        };
        let eetf::Term::List(list) = term else {
            if matches!(&term, eetf::Term::ByteList(bytes) if bytes.bytes.is_empty()) {
                return Ok(Vec::new());
            }
            return Err(FormatError::bad(&name, "not a list"));
        };
        list.elements
            .into_iter()
            .map(|element| match element {
                eetf::Term::Tuple(tuple) if tuple.elements.len() == 2 => {
                    let mut elements = tuple.elements.into_iter();
                    match (elements.next(), elements.next()) {
                        (Some(eetf::Term::Atom(key)), Some(value)) => Ok((key.name, value)),
                        _ => Err(FormatError::bad(&name, "an entry's key is not an atom")),
                    }
                }
                _ => Err(FormatError::bad(
                    &name,
                    "an entry is not a {Key, Value} pair",
                )),
            })
            .collect()
    }

    /// The forms of the abstract code in the debug information, each decoded
    /// on its own (see [`terms::abstract_forms`]); `None` without debug
    /// information that holds Erlang abstract code.
    pub fn abstract_forms(
        &self,
    ) -> Result<Option<Vec<Result<eetf::Term, FormatError>>>, FormatError> {
        for id in [b"Dbgi", b"Abst"] {
            if let Some(data) = self.chunk(id).filter(|data| !data.is_empty()) {
                let name = String::from_utf8_lossy(id).into_owned();
                return terms::abstract_forms(&name, data);
            }
        }
        Ok(None)
    }

    /// Whether the file has debug information that holds the abstract code
    /// (a `Dbgi` chunk, or an `Abst` chunk from before OTP 20).
    pub fn has_debug_info(&self) -> bool {
        self.chunk(b"Dbgi").is_some_and(|data| !data.is_empty())
            || self.chunk(b"Abst").is_some_and(|data| !data.is_empty())
    }
}
