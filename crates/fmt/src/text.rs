//! The width of text in Unicode columns, as the layout measures it.

use unicode_width::UnicodeWidthStr;

/// The width of a string in Unicode columns: East Asian wide characters and most
/// emoji count 2, combining marks and zero-width characters 0.
#[inline]
pub fn text_width(text: &str) -> u32 {
    if text.is_ascii() {
        u32::try_from(text.len()).unwrap_or(u32::MAX)
    } else {
        unicode_text_width(text)
    }
}

fn unicode_text_width(text: &str) -> u32 {
    u32::try_from(UnicodeWidthStr::width(text)).unwrap_or(u32::MAX)
}
