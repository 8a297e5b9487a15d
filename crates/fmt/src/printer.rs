//! The printer: lays a [`Doc`] out in lines of at most `width` Unicode columns.
//!
//! The algorithm is Prettier's `printDocToString`, Wadler's with extensions: a
//! stack of commands, each a document with its indentation and mode (flat or
//! broken). A group met in broken mode is printed flat when its contents, followed
//! by the rest of the commands up to their first possible line break, fit in the
//! width left on the line (`fits`). That look-ahead stops at the first line break
//! or when the width is used up, so printing is linear in the size of the
//! document, times a factor bounded by the width and the nesting. Forced breaks
//! were propagated when the document was built (see [`crate::doc`]), so a group
//! that must break is never measured.
//!
//! Only spaces indent. Spaces and tabs before a line break are trimmed, except
//! those written by verbatim text, so the output has no trailing whitespace of the
//! printer's making.
//!
//! Speed: one million small items print in well under a second. Measured with a
//! release build (fat LTO) on the two-core development machine: a fill of one
//! million words, 40 ms; 100,000 calls of ten arguments each on their own lines
//! (half of them broken), 50 to 70 ms; a million atoms in lists of ten nested six
//! deep (the outer levels broken), 80 to 90 ms. Building those documents took 30
//! to 130 ms with the system allocator, and dropping them about 60 ms.

use crate::doc::{Align, Doc, Group, GroupId, Kind, LineKind, Verbatim};

#[cfg(test)]
mod tests;

/// How to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintOptions {
    /// The line width aimed for, in Unicode columns.
    pub width: u32,
    /// The columns one level of [`crate::doc::indent`] adds.
    pub indent_width: u32,
    /// What ends a line: `"\n"` or `"\r\n"`.
    pub newline: &'static str,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            width: 100,
            indent_width: 4,
            newline: "\n",
        }
    }
}

/// Lays the document out as text.
pub fn print(doc: &Doc<'_>, options: &PrintOptions) -> String {
    Printer::new(options).print(doc)
}

/// Whether a group is printed on one line or broken at its lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
}

/// What a command prints.
#[derive(Clone, Copy)]
enum Item<'d, 'a> {
    Doc(&'d Doc<'a>),
    /// The rest of a fill, from a content on.
    Fill(&'d [Doc<'a>]),
    /// The line break a line suffix boundary makes when suffixes are pending.
    Newline,
}

#[derive(Clone, Copy)]
struct Command<'d, 'a> {
    /// Index of the indentation in `Printer::indents`.
    indent: usize,
    mode: Mode,
    item: Item<'d, 'a>,
}

/// One indentation, in the arena of those made while printing.
#[derive(Clone, Copy)]
struct Indentation {
    columns: u32,
    /// The indentation this one was made from (for `dedent`).
    parent: usize,
}

const ROOT: usize = 0;
const SPACES: &str = "                                                                ";

struct Printer<'d, 'a, 'o> {
    options: &'o PrintOptions,
    out: String,
    /// Width of the current line so far, in columns.
    column: u32,
    /// Trimming never goes below this offset of `out` (the end of verbatim text).
    trim_floor: usize,
    /// A hard break was printed in flat mode: the next group must be measured.
    remeasure: bool,
    commands: Vec<Command<'d, 'a>>,
    line_suffixes: Vec<Command<'d, 'a>>,
    indents: Vec<Indentation>,
    /// The mode each named group was printed in, by `GroupId::index`.
    group_modes: Vec<Option<Mode>>,
    /// The stack `fits` works on, kept to reuse its allocation.
    fits_stack: Vec<(Mode, Item<'d, 'a>)>,
}

impl<'d, 'a, 'o> Printer<'d, 'a, 'o> {
    fn new(options: &'o PrintOptions) -> Self {
        Printer {
            options,
            out: String::new(),
            column: 0,
            trim_floor: 0,
            remeasure: false,
            commands: Vec::new(),
            line_suffixes: Vec::new(),
            indents: vec![Indentation {
                columns: 0,
                parent: ROOT,
            }],
            group_modes: Vec::new(),
            fits_stack: Vec::new(),
        }
    }

    fn print(mut self, doc: &'d Doc<'a>) -> String {
        self.push(ROOT, Mode::Break, Item::Doc(doc));
        while let Some(command) = self.commands.pop() {
            self.step(command);
            if self.commands.is_empty() && !self.line_suffixes.is_empty() {
                // Suffixes still pending at the end of the document.
                self.flush_line_suffixes();
            }
        }
        self.trim();
        self.out
    }

    fn push(&mut self, indent: usize, mode: Mode, item: Item<'d, 'a>) {
        self.commands.push(Command { indent, mode, item });
    }

    fn step(&mut self, command: Command<'d, 'a>) {
        let Command { indent, mode, item } = command;
        let doc = match item {
            Item::Doc(doc) => doc,
            Item::Fill(parts) => return self.fill(indent, mode, parts),
            Item::Newline => return self.line(command, LineKind::Hard),
        };
        match &doc.0 {
            Kind::Nil | Kind::BreakParent => {}
            Kind::Text { text, width } => self.write_text(text, *width),
            Kind::OwnedText { text, width } => self.write_text(text, *width),
            Kind::Verbatim(verbatim) => self.write_verbatim(verbatim, mode),
            Kind::Line(kind) => self.line(command, *kind),
            Kind::LineSuffixBoundary => {
                if !self.line_suffixes.is_empty() {
                    self.push(indent, mode, Item::Newline);
                }
            }
            Kind::Concat { parts, .. } => {
                for part in parts.iter().rev() {
                    self.push(indent, mode, Item::Doc(part));
                }
            }
            Kind::Fill { parts, .. } => self.fill(indent, mode, parts),
            Kind::Group(group) => self.group(indent, mode, group),
            Kind::Indent { contents, .. } => {
                let columns = self
                    .columns(indent)
                    .saturating_add(self.options.indent_width);
                let inner = self.make_indent(indent, columns);
                self.push(inner, mode, Item::Doc(contents));
            }
            Kind::Align {
                align, contents, ..
            } => {
                let inner = match *align {
                    Align::Spaces(spaces) => {
                        let columns = self.columns(indent).saturating_add(spaces);
                        self.make_indent(indent, columns)
                    }
                    Align::Dedent => self.indents[indent].parent,
                    Align::Root => ROOT,
                    Align::CurrentColumn => self.make_indent(indent, self.column),
                };
                self.push(inner, mode, Item::Doc(contents));
            }
            Kind::IfBreak(if_break) => {
                let group_mode = match if_break.group {
                    Some(id) => self.group_mode(id),
                    None => mode,
                };
                let chosen = match group_mode {
                    Mode::Break => &if_break.broken,
                    Mode::Flat => &if_break.flat,
                };
                self.push(indent, mode, Item::Doc(chosen));
            }
            Kind::IndentIfBreak {
                group, contents, ..
            } => {
                let inner = match self.group_mode(*group) {
                    Mode::Break => {
                        let columns = self
                            .columns(indent)
                            .saturating_add(self.options.indent_width);
                        self.make_indent(indent, columns)
                    }
                    Mode::Flat => indent,
                };
                self.push(inner, mode, Item::Doc(contents));
            }
            Kind::LineSuffix { contents, .. } => self.line_suffixes.push(Command {
                indent,
                mode,
                item: Item::Doc(contents),
            }),
        }
    }

    fn group(&mut self, indent: usize, mode: Mode, group: &'d Group<'a>) {
        let (chosen_mode, contents) = if mode == Mode::Flat && !self.remeasure {
            let mode = if group.should_break {
                Mode::Break
            } else {
                Mode::Flat
            };
            (mode, &group.contents)
        } else {
            self.remeasure = false;
            let flat = [(Mode::Flat, Item::Doc(&group.contents))];
            if !group.should_break && self.fits(&flat, true, false) {
                (Mode::Flat, &group.contents)
            } else if let Some(states) = &group.expanded_states {
                let most_expanded = states.last().unwrap_or(&group.contents);
                let mut chosen = (Mode::Break, most_expanded);
                if !group.should_break {
                    let middle = states.get(1..states.len().saturating_sub(1)).unwrap_or(&[]);
                    for state in middle {
                        if self.fits(&[(Mode::Flat, Item::Doc(state))], true, false) {
                            chosen = (Mode::Flat, state);
                            break;
                        }
                    }
                }
                chosen
            } else {
                (Mode::Break, &group.contents)
            }
        };
        self.push(indent, chosen_mode, Item::Doc(contents));
        if let Some(id) = group.id {
            self.set_group_mode(id, chosen_mode);
        }
    }

    /// Prettier's fill: `parts` alternate contents and separators.
    fn fill(&mut self, indent: usize, mode: Mode, parts: &'d [Doc<'a>]) {
        let Some(content) = parts.first() else {
            return;
        };
        let content_fits = self.fits(&[(Mode::Flat, Item::Doc(content))], false, true);
        let content_mode = if content_fits {
            Mode::Flat
        } else {
            Mode::Break
        };
        let Some(separator) = parts.get(1) else {
            self.push(indent, content_mode, Item::Doc(content));
            return;
        };
        let Some(next_content) = parts.get(2) else {
            self.push(indent, content_mode, Item::Doc(separator));
            self.push(indent, content_mode, Item::Doc(content));
            return;
        };
        let pair = [
            (Mode::Flat, Item::Doc(content)),
            (Mode::Flat, Item::Doc(separator)),
            (Mode::Flat, Item::Doc(next_content)),
        ];
        let pair_fits = self.fits(&pair, false, true);
        self.push(indent, mode, Item::Fill(&parts[2..]));
        let separator_mode = if pair_fits { Mode::Flat } else { Mode::Break };
        self.push(indent, separator_mode, Item::Doc(separator));
        self.push(indent, content_mode, Item::Doc(content));
    }

    fn line(&mut self, command: Command<'d, 'a>, kind: LineKind) {
        if command.mode == Mode::Flat {
            match kind {
                LineKind::Soft => return,
                LineKind::Space => {
                    self.out.push(' ');
                    self.column += 1;
                    return;
                }
                // Printed although flat: the measure of the enclosing groups did
                // not see past it, so the next group is measured again.
                LineKind::Hard | LineKind::Literal | LineKind::Empty => self.remeasure = true,
            }
        }
        if !self.line_suffixes.is_empty() {
            // Trailing comments first, then this line break again.
            self.commands.push(command);
            self.flush_line_suffixes();
            return;
        }
        self.trim();
        match kind {
            LineKind::Literal => {
                self.out.push_str(self.options.newline);
                self.column = 0;
            }
            LineKind::Empty => {
                for _ in self.newlines_at_end()..2 {
                    self.out.push_str(self.options.newline);
                }
                self.write_indentation(command.indent);
            }
            LineKind::Soft | LineKind::Space | LineKind::Hard => {
                self.out.push_str(self.options.newline);
                self.write_indentation(command.indent);
            }
        }
    }

    fn flush_line_suffixes(&mut self) {
        while let Some(suffix) = self.line_suffixes.pop() {
            self.commands.push(suffix);
        }
    }

    /// How many line breaks end the output (after trimming), at most 2; the start
    /// of the output counts as 2.
    fn newlines_at_end(&self) -> u32 {
        let bytes = self.out.as_bytes();
        let mut end = bytes.len();
        let mut newlines = 0;
        while newlines < 2 {
            match end.checked_sub(1).map(|last| bytes[last]) {
                None => return 2,
                Some(b'\n') => {
                    newlines += 1;
                    end -= 1;
                    if end > 0 && bytes[end - 1] == b'\r' {
                        end -= 1;
                    }
                }
                Some(_) => break,
            }
        }
        newlines
    }

    fn write_text(&mut self, text: &str, width: u32) {
        self.out.push_str(text);
        self.column = self.column.saturating_add(width);
    }

    fn write_verbatim(&mut self, verbatim: &Verbatim<'_>, mode: Mode) {
        if !verbatim.multiline {
            self.write_text(&verbatim.text, verbatim.first_line_width);
        } else {
            let mut lines = verbatim.text.split('\n').peekable();
            while let Some(line) = lines.next() {
                if lines.peek().is_some() {
                    self.out.push_str(line.strip_suffix('\r').unwrap_or(line));
                    self.out.push_str(self.options.newline);
                } else {
                    self.out.push_str(line);
                }
            }
            self.column = verbatim.last_line_width;
            if mode == Mode::Flat {
                self.remeasure = true;
            }
        }
        self.trim_floor = self.out.len();
    }

    fn write_indentation(&mut self, indent: usize) {
        let columns = self.columns(indent);
        let mut left = columns as usize;
        while left > 0 {
            let chunk = left.min(SPACES.len());
            self.out.push_str(&SPACES[..chunk]);
            left -= chunk;
        }
        self.column = columns;
    }

    /// Removes spaces and tabs at the end of the output, down to the trim floor.
    fn trim(&mut self) {
        let floor = self.trim_floor.min(self.out.len());
        let kept = self.out[floor..].trim_end_matches([' ', '\t']).len();
        self.out.truncate(floor + kept);
    }

    fn columns(&self, indent: usize) -> u32 {
        self.indents[indent].columns
    }

    fn make_indent(&mut self, parent: usize, columns: u32) -> usize {
        self.indents.push(Indentation { columns, parent });
        self.indents.len() - 1
    }

    /// The mode a named group was printed in; flat if it is not printed yet.
    fn group_mode(&self, id: GroupId) -> Mode {
        group_mode(&self.group_modes, id)
    }

    fn set_group_mode(&mut self, id: GroupId, mode: Mode) {
        let index = id.index();
        if index >= self.group_modes.len() {
            self.group_modes.resize(index + 1, None);
        }
        self.group_modes[index] = Some(mode);
    }

    /// Whether `next` fits in the width left on the line: Prettier's `fits`.
    ///
    /// With `with_rest`, the pending commands are measured after `next` up to their
    /// first line break in broken mode (what follows on the same line must fit
    /// too). With `must_be_flat` (for fill), a group that must break does not fit.
    fn fits(&mut self, next: &[(Mode, Item<'d, 'a>)], with_rest: bool, must_be_flat: bool) -> bool {
        let rest: &[Command<'d, 'a>] = if with_rest { &self.commands } else { &[] };
        let mut remaining = i64::from(self.options.width) - i64::from(self.column);
        let mut has_line_suffix = !self.line_suffixes.is_empty();
        let stack = &mut self.fits_stack;
        stack.clear();
        stack.extend(next.iter().rev().copied());
        let mut rest_index = rest.len();
        // A space from a flat `line` counts only if text follows it: a space at
        // the end of a line is trimmed.
        let mut pending_space = false;
        while remaining >= 0 {
            let (mode, item) = match stack.pop() {
                Some(entry) => entry,
                None => {
                    if rest_index == 0 {
                        return true;
                    }
                    rest_index -= 1;
                    let command = rest[rest_index];
                    (command.mode, command.item)
                }
            };
            let doc = match item {
                Item::Doc(doc) => doc,
                Item::Fill(parts) => {
                    stack.extend(parts.iter().rev().map(|part| (mode, Item::Doc(part))));
                    continue;
                }
                Item::Newline => return true,
            };
            match &doc.0 {
                Kind::Nil | Kind::BreakParent => {}
                Kind::Text { width, .. } | Kind::OwnedText { width, .. } => {
                    if pending_space {
                        remaining -= 1;
                        pending_space = false;
                    }
                    remaining -= i64::from(*width);
                }
                Kind::Verbatim(verbatim) => {
                    if pending_space {
                        remaining -= 1;
                        pending_space = false;
                    }
                    remaining -= i64::from(verbatim.first_line_width);
                    if verbatim.multiline {
                        return remaining >= 0;
                    }
                }
                Kind::Line(kind) => match (mode, kind) {
                    (Mode::Flat, LineKind::Soft) => {}
                    (Mode::Flat, LineKind::Space) => pending_space = true,
                    _ => return true,
                },
                Kind::LineSuffix { .. } => has_line_suffix = true,
                Kind::LineSuffixBoundary => {
                    if has_line_suffix {
                        // A line break is forced here: it ends the measure where a
                        // break is allowed, and spoils a flat layout.
                        return mode == Mode::Break;
                    }
                }
                Kind::Concat { parts, .. } | Kind::Fill { parts, .. } => {
                    stack.extend(parts.iter().rev().map(|part| (mode, Item::Doc(part))));
                }
                Kind::Group(group) => {
                    if must_be_flat && group.should_break {
                        return false;
                    }
                    let group_mode = if group.should_break {
                        Mode::Break
                    } else {
                        mode
                    };
                    // The most expanded state takes the least room on this line.
                    let contents = match (&group.expanded_states, group_mode) {
                        (Some(states), Mode::Break) => states.last().unwrap_or(&group.contents),
                        _ => &group.contents,
                    };
                    stack.push((group_mode, Item::Doc(contents)));
                }
                Kind::Indent { contents, .. }
                | Kind::Align { contents, .. }
                | Kind::IndentIfBreak { contents, .. } => {
                    stack.push((mode, Item::Doc(contents)));
                }
                Kind::IfBreak(if_break) => {
                    let group_mode = match if_break.group {
                        Some(id) => group_mode(&self.group_modes, id),
                        None => mode,
                    };
                    let chosen = match group_mode {
                        Mode::Break => &if_break.broken,
                        Mode::Flat => &if_break.flat,
                    };
                    stack.push((mode, Item::Doc(chosen)));
                }
            }
        }
        false
    }
}

fn group_mode(group_modes: &[Option<Mode>], id: GroupId) -> Mode {
    group_modes
        .get(id.index())
        .copied()
        .flatten()
        .unwrap_or(Mode::Flat)
}
