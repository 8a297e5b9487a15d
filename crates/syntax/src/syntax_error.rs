//! A syntax error: a message and the range of text it is about.

use rowan::TextRange;

/// One syntax error. Errors are values: parsing never fails.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SyntaxError {
    message: String,
    range: TextRange,
}

impl SyntaxError {
    /// A new error about `range`.
    pub fn new(message: impl Into<String>, range: TextRange) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            range,
        }
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where, as a byte range of the source text.
    pub fn range(&self) -> TextRange {
        self.range
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {:?}", self.message, self.range)
    }
}
