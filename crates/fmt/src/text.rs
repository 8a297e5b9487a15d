//! Text held by layout documents, and its width in Unicode columns.

use std::borrow::Cow;
use std::ops::Deref;
use std::rc::Rc;

use unicode_width::UnicodeWidthStr;

/// Text that a document holds: borrowed (from the source, or static) or owned.
#[derive(Clone, Debug)]
pub enum Str<'a> {
    /// Borrowed text.
    Borrowed(&'a str),
    /// Owned text, shared.
    Owned(Rc<str>),
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Borrowed(text) => text,
            Str::Owned(text) => text,
        }
    }
}

impl<'a> From<&'a str> for Str<'a> {
    fn from(text: &'a str) -> Self {
        Str::Borrowed(text)
    }
}

impl<'a> From<&'a String> for Str<'a> {
    fn from(text: &'a String) -> Self {
        Str::Borrowed(text)
    }
}

impl From<String> for Str<'_> {
    fn from(text: String) -> Self {
        Str::Owned(text.into())
    }
}

impl From<Box<str>> for Str<'_> {
    fn from(text: Box<str>) -> Self {
        Str::Owned(text.into())
    }
}

impl From<Rc<str>> for Str<'_> {
    fn from(text: Rc<str>) -> Self {
        Str::Owned(text)
    }
}

impl<'a> From<Cow<'a, str>> for Str<'a> {
    fn from(text: Cow<'a, str>) -> Self {
        match text {
            Cow::Borrowed(text) => Str::Borrowed(text),
            Cow::Owned(text) => Str::Owned(text.into()),
        }
    }
}

/// The width of a string in Unicode columns: East Asian wide characters and most
/// emoji count 2, combining marks and zero-width characters 0.
pub fn text_width(text: &str) -> u32 {
    let width = if text.is_ascii() {
        text.len()
    } else {
        UnicodeWidthStr::width(text)
    };
    u32::try_from(width).unwrap_or(u32::MAX)
}
