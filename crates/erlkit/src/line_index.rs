//! Turns byte offsets into the 1-based line and column numbers that `erlc` prints.
//!
//! A line ends at `\n` (a `\r` before it is an ordinary character, as in
//! `erl_scan`). A column counts Unicode scalar values from the start of the
//! line, so a tab and a multi-byte character are one column each, like `erlc`.

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct LineColumn {
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// The start offsets of the lines of one text.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, byte)| byte == b'\n')
                .map(|(at, _)| at + 1),
        );
        LineIndex { text, line_starts }
    }

    /// The line and column of byte `offset`. Offsets past the end mean the end
    /// of the text; an offset inside a character means that character.
    pub(crate) fn line_column(&self, offset: usize) -> LineColumn {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text[start..offset].chars().count() + 1;
        LineColumn {
            line: saturate(line + 1),
            column: saturate(column),
        }
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{LineColumn, LineIndex};

    fn at(text: &str, offset: usize) -> (u32, u32) {
        let LineColumn { line, column } = LineIndex::new(text).line_column(offset);
        (line, column)
    }

    #[test]
    fn first_character_is_line_1_column_1() {
        assert_eq!(at("-module(a).", 0), (1, 1));
        assert_eq!(at("", 0), (1, 1));
    }

    #[test]
    fn newline_belongs_to_the_line_it_ends() {
        let text = "ab\ncd\n";
        assert_eq!(at(text, 2), (1, 3));
        assert_eq!(at(text, 3), (2, 1));
        assert_eq!(at(text, 5), (2, 3));
        assert_eq!(at(text, 6), (3, 1));
    }

    #[test]
    fn carriage_return_is_an_ordinary_character() {
        assert_eq!(at("a\r\nb", 1), (1, 2));
        assert_eq!(at("a\r\nb", 3), (2, 1));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "\"héllo→\" x";
        let x = text.find('x').unwrap();
        assert_eq!(at(text, x), (1, 10));
        assert_eq!(at("\tx", 1), (1, 2));
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_clamped() {
        assert_eq!(at("é", 1), (1, 1));
        assert_eq!(at("ab", 10), (1, 3));
    }
}
