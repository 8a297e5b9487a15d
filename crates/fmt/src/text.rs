//! The width of text in Unicode columns, as the layout measures it.

use unicode_width::UnicodeWidthStr;

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
