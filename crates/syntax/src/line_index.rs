//! Turns byte offsets into the 1-based line and column numbers that `erlc` prints.
//!
//! A line ends at `\n` (a `\r` before it is an ordinary character, as in
//! `erl_scan`). A column counts Unicode scalar values from the start of the
//! line, so a tab and a multi-byte character are one column each, like `erlc`.

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    /// The line, from 1.
    pub line: u32,
    /// The column in characters, from 1.
    pub column: u32,
}

/// The start offsets of the lines of one text.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// All of the text is ASCII, so a column is a count of bytes.
    ascii: bool,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        LineIndex {
            text,
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// The line and column of byte `offset`. Offsets past the end mean the end
    /// of the text; an offset inside a character means that character.
    pub fn line_column(&self, offset: usize) -> LineColumn {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        self.column_on(line, offset)
    }

    /// [`line_column`](Self::line_column), looking first at line `near` (0-based)
    /// and the next one, then `near` becomes the line of `offset`. Callers that
    /// ask for offsets in order (a walk over a tree) mostly skip the binary search.
    pub fn line_column_near(&self, offset: usize, near: &mut usize) -> LineColumn {
        let offset = self.clamp(offset);
        let on_line = |line: usize| {
            self.line_starts
                .get(line)
                .is_some_and(|&start| start <= offset)
                && self
                    .line_starts
                    .get(line + 1)
                    .is_none_or(|&next| offset < next)
        };
        let line = if on_line(*near) {
            *near
        } else if on_line(*near + 1) {
            *near + 1
        } else {
            self.line_starts.partition_point(|&start| start <= offset) - 1
        };
        *near = line;
        self.column_on(line, offset)
    }

    /// The position of `offset` (a character boundary) on 0-based `line`.
    fn column_on(&self, line: usize, offset: usize) -> LineColumn {
        let start = self.line_starts[line];
        let column = if self.ascii {
            offset - start + 1
        } else {
            self.text[start..offset].chars().count() + 1
        };
        LineColumn {
            line: saturate(line + 1),
            column: saturate(column),
        }
    }

    /// The line of byte `offset`, as [`line_column`](Self::line_column) gives it.
    pub fn line(&self, offset: usize) -> u32 {
        let offset = self.clamp(offset);
        saturate(self.line_starts.partition_point(|&start| start <= offset))
    }

    /// `offset` moved back to the start of its character, and no further than the end.
    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
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

    #[test]
    fn line_alone_agrees_with_line_column() {
        let text = "ab\ncd\u{e9}f\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line(0), 1);
        assert_eq!(index.line(2), 1);
        assert_eq!(index.line(3), 2);
        assert_eq!(at(text, 8), (2, 5));
        assert_eq!(index.line(text.len()), 3);
        assert_eq!(index.line(text.len() + 5), 3);
        for offset in 0..=text.len() + 1 {
            assert_eq!(index.line(offset), index.line_column(offset).line);
        }
    }

    #[test]
    fn near_agrees_with_line_column_from_any_line() {
        let text = "ab\n\ncd\u{e9}f\nxyz";
        let index = LineIndex::new(text);
        for near in 0..6 {
            for offset in 0..=text.len() + 1 {
                let mut hint = near;
                let found = index.line_column_near(offset, &mut hint);
                assert_eq!(
                    found,
                    index.line_column(offset),
                    "offset {offset} near {near}"
                );
                assert_eq!(hint + 1, found.line as usize);
            }
        }
    }
}
