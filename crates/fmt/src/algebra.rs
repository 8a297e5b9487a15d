//! erlfmt's layout algebra: Wadler's documents with the fitting rules of Elixir's
//! `Inspect.Algebra`, which erlfmt uses and whose exact behaviour its layouts rely on.
//!
//! It differs from Prettier's model (`crate::doc`, `crate::printer`) in ways
//! that change the output, so the Erlang rules build these documents:
//!
//! - a group is printed flat when its own content, flat, plus the length of the one
//!   text that follows it, fits the rest of the line (Prettier measures everything
//!   up to the next possible line break);
//! - a group without any break always "fits": there is nothing to break;
//! - [`line`] is a newline that does not break the group around it (a group fits
//!   when each of its lines fits); only [`force_breaks`] forces groups to break;
//! - a [`flex_break`] is decided on its own, when it is reached: it breaks only if
//!   what follows up to the next break does not fit; after a group breaks, the next
//!   flex break breaks too;
//! - [`next_break_fits`] makes a document count as fitting as soon as its first
//!   break is reached, which lets a last argument hug its brackets;
//! - [`nest_if_break`] indents only when the enclosing group is broken.
//!
//! Widths are measured in Unicode columns ([`crate::doc::text_width`]); erlfmt
//! counts characters, which differs only for wide characters.

use std::rc::Rc;

use crate::doc::{Str, text_width};

/// A document of the algebra. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Doc<'a>(Node<'a>);

#[derive(Clone, Debug, Default)]
enum Node<'a> {
    #[default]
    Nil,
    /// Text without line breaks.
    Text {
        text: Str<'a>,
        width: u32,
    },
    /// Text printed as it is, possibly over several lines.
    Verbatim {
        text: Str<'a>,
        last_line_width: u32,
        multiline: bool,
    },
    Concat(Rc<[Doc<'a>]>),
    /// `indent` more spaces after each line break inside; with `only_when_broken`,
    /// only if the enclosing group is broken.
    Nest {
        doc: Rc<Doc<'a>>,
        indent: u32,
        only_when_broken: bool,
    },
    /// `text` when flat, a line break when broken.
    Break {
        text: &'static str,
        flex: bool,
    },
    /// `count` line breaks, whatever the mode.
    Line {
        count: u32,
    },
    Group(Rc<Doc<'a>>),
    /// Makes the enclosing groups break.
    ForceBreaks,
    /// `next_break_fits` (enabled) or its cancellation (disabled).
    Fits {
        doc: Rc<Doc<'a>>,
        enabled: bool,
    },
    /// `broken` in a broken group, else `flat`.
    IfBreak {
        broken: Rc<Doc<'a>>,
        flat: Rc<Doc<'a>>,
    },
    /// Printed at the end of the current line, before the next line break.
    LineSuffix(Rc<Doc<'a>>),
}

/// Nothing.
pub fn empty<'a>() -> Doc<'a> {
    Doc(Node::Nil)
}

/// Text. As in erlfmt, a text may hold line breaks (a quoted atom or a sigil
/// written over lines): it is printed as it is and counts as one line as wide as
/// all of it, each line break one column; use [`verbatim`] for text that should
/// count as the lines it has.
pub fn text<'a>(text: impl Into<Str<'a>>) -> Doc<'a> {
    let text = text.into();
    let width = if text.contains('\n') {
        let lines = text.split('\n');
        lines.map(text_width).sum::<u32>() + text.matches('\n').count() as u32
    } else {
        text_width(&text)
    };
    Doc(Node::Text { text, width })
}

/// Text printed exactly as it is, over several lines if it has line breaks.
pub fn verbatim<'a>(text: impl Into<Str<'a>>) -> Doc<'a> {
    let text = text.into();
    let (last_line_width, multiline) = match text.rfind('\n') {
        Some(at) => (text_width(&text[at + 1..]), true),
        None => (text_width(&text), false),
    };
    Doc(Node::Verbatim {
        text,
        last_line_width,
        multiline,
    })
}

/// The documents one after the other.
///
/// As in erlfmt, texts at the end are merged into one (`concat([G, "a", "b"])` is
/// `G` then `"ab"`): the width of the text right after a group decides whether the
/// group fits, so this is part of the layout, not an optimisation.
pub fn concat<'a>(docs: impl IntoIterator<Item = Doc<'a>>) -> Doc<'a> {
    let mut parts: Vec<Doc<'a>> = docs.into_iter().collect();
    // Fold from the right like `erlfmt_algebra:concat/1`: a text merges with the
    // text that follows only when everything after it is that one text.
    while parts.len() >= 2 {
        let n = parts.len();
        let (Node::Text { text: left, .. }, Node::Text { text: right, .. }) =
            (&parts[n - 2].0, &parts[n - 1].0)
        else {
            break;
        };
        let merged = format!("{}{}", &**left, &**right);
        parts.truncate(n - 2);
        parts.push(text(merged));
    }
    match parts.len() {
        0 => empty(),
        1 => parts.into_iter().next().unwrap_or_default(),
        _ => Doc(Node::Concat(parts.into())),
    }
}

/// Indents the line breaks inside `doc` by `indent` more spaces.
pub fn nest(doc: Doc<'_>, indent: u32) -> Doc<'_> {
    if indent == 0 {
        return doc;
    }
    Doc(Node::Nest {
        doc: Rc::new(doc),
        indent,
        only_when_broken: false,
    })
}

/// Like [`nest`], but only where the enclosing group is broken.
pub fn nest_if_break(doc: Doc<'_>, indent: u32) -> Doc<'_> {
    if indent == 0 {
        return doc;
    }
    Doc(Node::Nest {
        doc: Rc::new(doc),
        indent,
        only_when_broken: true,
    })
}

/// A space when the group is flat, a line break when it is broken.
pub fn space_break<'a>() -> Doc<'a> {
    break_with(" ")
}

/// Nothing when the group is flat, a line break when it is broken.
pub fn soft_break<'a>() -> Doc<'a> {
    break_with("")
}

/// `text` when the group is flat, a line break when it is broken.
pub fn break_with<'a>(text: &'static str) -> Doc<'a> {
    Doc(Node::Break { text, flex: false })
}

/// A break decided on its own when reached: `text` if what follows fits, else a
/// line break.
pub fn flex_break<'a>(text: &'static str) -> Doc<'a> {
    Doc(Node::Break { text, flex: true })
}

/// A line break, whatever the group's mode; it does not break the group.
pub fn line<'a>() -> Doc<'a> {
    Doc(Node::Line { count: 1 })
}

/// `count` line breaks (`2` leaves one blank line).
pub fn lines<'a>(count: u32) -> Doc<'a> {
    Doc(Node::Line {
        count: count.max(1),
    })
}

/// Tries to print `doc` flat, else broken.
pub fn group(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::Group(Rc::new(doc)))
}

/// Forces the groups around it to break.
pub fn force_breaks<'a>() -> Doc<'a> {
    Doc(Node::ForceBreaks)
}

/// `doc` counts as fitting as soon as its first break is reached (forced breaks
/// inside it are ignored while measuring).
pub fn next_break_fits(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::Fits {
        doc: Rc::new(doc),
        enabled: true,
    })
}

/// Cancels a surrounding [`next_break_fits`] for `doc`.
pub fn next_break_fits_disabled(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::Fits {
        doc: Rc::new(doc),
        enabled: false,
    })
}

/// `broken` when the enclosing group is broken, else `flat`.
pub fn if_break<'a>(broken: Doc<'a>, flat: Doc<'a>) -> Doc<'a> {
    Doc(Node::IfBreak {
        broken: Rc::new(broken),
        flat: Rc::new(flat),
    })
}

/// Printed at the end of the line (before the next line break): a trailing comment.
pub fn line_suffix(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::LineSuffix(Rc::new(doc)))
}

/// How a document is being printed or measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Flat,
    Break,
    /// Measuring: flat, and may not switch to broken.
    FlatNoBreak,
    /// Measuring: broken, and may not switch to flat.
    BreakNoFlat,
}

/// One document waiting to be printed.
#[derive(Clone, Copy)]
struct Entry<'d, 'a> {
    indent: u32,
    mode: Mode,
    doc: &'d Doc<'a>,
    /// A flex break that a broken group turned strict.
    forced_strict: bool,
}

/// What the measuring stack holds.
enum Fits<'d, 'a> {
    Entry(u32, Mode, &'d Doc<'a>),
    /// After a group's content: restores whether a break was seen before it.
    Tail(bool),
}

/// Lays `doc` out for lines of `width` columns.
pub fn print(doc: &Doc<'_>, width: u32) -> String {
    let mut out = String::new();
    let mut column: u32 = 0;
    let mut pending_suffixes: Vec<Entry<'_, '_>> = Vec::new();
    let mut stack = vec![Entry {
        indent: 0,
        mode: Mode::Flat,
        doc,
        forced_strict: false,
    }];
    while let Some(entry) = stack.pop() {
        let Entry {
            indent, mode, doc, ..
        } = entry;
        match &doc.0 {
            Node::Nil | Node::ForceBreaks => {}
            Node::Text { text, width: w } => {
                out.push_str(text);
                column += w;
            }
            Node::Verbatim {
                text,
                last_line_width,
                multiline,
            } => {
                out.push_str(text);
                column = if *multiline {
                    *last_line_width
                } else {
                    column + last_line_width
                };
            }
            Node::Line { count } => {
                if flush_suffixes(&mut pending_suffixes, &mut stack, entry) {
                    continue;
                }
                for _ in 1..*count {
                    newline(&mut out, 0);
                }
                newline(&mut out, indent);
                column = indent;
            }
            Node::Concat(parts) => {
                for part in parts.iter().rev() {
                    stack.push(Entry {
                        indent,
                        mode,
                        doc: part,
                        forced_strict: false,
                    });
                }
            }
            Node::Fits { doc, .. } => stack.push(Entry {
                indent,
                mode,
                doc,
                forced_strict: false,
            }),
            Node::Break { text, flex } => {
                let breaks = if *flex && !entry.forced_strict {
                    let after = column + text_width(text);
                    mode != Mode::Flat && !fits(i64::from(width), after, true, Vec::new(), &stack)
                } else {
                    mode == Mode::Break
                };
                if breaks {
                    if flush_suffixes(&mut pending_suffixes, &mut stack, entry) {
                        continue;
                    }
                    newline(&mut out, indent);
                    column = indent;
                } else {
                    out.push_str(text);
                    column += text_width(text);
                }
            }
            Node::Nest {
                doc,
                indent: more,
                only_when_broken,
            } => {
                let indent = if !only_when_broken || mode == Mode::Break {
                    indent + more
                } else {
                    indent
                };
                stack.push(Entry {
                    indent,
                    mode,
                    doc,
                    forced_strict: false,
                });
            }
            Node::Group(contents) => {
                let next = next_text_width(&stack);
                let flat = fits(
                    i64::from(width) - i64::from(next),
                    column,
                    false,
                    vec![Fits::Entry(indent, Mode::Flat, contents)],
                    &[],
                );
                if !flat {
                    force_next_flex_break(&mut stack);
                }
                stack.push(Entry {
                    indent,
                    mode: if flat { Mode::Flat } else { Mode::Break },
                    doc: contents,
                    forced_strict: false,
                });
            }
            Node::IfBreak { broken, flat } => {
                let doc = if mode == Mode::Break { broken } else { flat };
                stack.push(Entry {
                    indent,
                    mode,
                    doc,
                    forced_strict: false,
                });
            }
            Node::LineSuffix(contents) => pending_suffixes.push(Entry {
                indent,
                mode,
                doc: contents,
                forced_strict: false,
            }),
        }
    }
    for suffix in pending_suffixes.drain(..).rev() {
        stack.push(suffix);
    }
    // Suffixes left at the end of the document are printed as they are.
    while let Some(entry) = stack.pop() {
        if let Node::Text { text, .. } | Node::Verbatim { text, .. } = &entry.doc.0 {
            out.push_str(text);
        } else if let Node::Concat(parts) = &entry.doc.0 {
            for part in parts.iter().rev() {
                stack.push(Entry { doc: part, ..entry });
            }
        }
    }
    trim_trailing_spaces(&mut out);
    out
}

/// Schedules pending line suffixes before the line break of `entry`; true if it did.
fn flush_suffixes<'d, 'a>(
    pending: &mut Vec<Entry<'d, 'a>>,
    stack: &mut Vec<Entry<'d, 'a>>,
    entry: Entry<'d, 'a>,
) -> bool {
    if pending.is_empty() {
        return false;
    }
    stack.push(entry);
    for suffix in pending.drain(..).rev() {
        stack.push(suffix);
    }
    true
}

fn newline(out: &mut String, indent: u32) {
    trim_trailing_spaces(out);
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent as usize));
}

fn trim_trailing_spaces(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
}

/// The width of the text that comes next on the stack, if text comes next.
fn next_text_width(stack: &[Entry<'_, '_>]) -> u32 {
    let Some(mut entry) = stack.last().map(|e| e.doc) else {
        return 0;
    };
    loop {
        match &entry.0 {
            Node::Text { width, .. } => return *width,
            Node::Concat(parts) => match parts.first() {
                Some(first) => entry = first,
                None => return 0,
            },
            _ => return 0,
        }
    }
}

/// After a group breaks, the next flex break (up to the next strict break) breaks too.
fn force_next_flex_break(stack: &mut Vec<Entry<'_, '_>>) {
    let mut index = stack.len();
    while index > 0 {
        index -= 1;
        let entry = stack[index];
        match &entry.doc.0 {
            Node::Break { flex: true, .. } => {
                stack[index].forced_strict = true;
                return;
            }
            Node::Break { flex: false, .. } => return,
            Node::Concat(parts) => {
                // Expand the concatenation in place and look at its first part.
                let expanded = parts.iter().rev().map(|part| Entry {
                    doc: part,
                    forced_strict: false,
                    ..entry
                });
                stack.splice(index..=index, expanded);
                index = stack.len().min(index + parts.len());
            }
            _ => {}
        }
    }
}

/// Whether the entries (then `rest`, from its top) fit in `width` from `column`, as
/// `erlfmt_algebra:fits/4` decides: at least one break must be seen for a too long
/// line not to fit.
fn fits<'d, 'a>(
    width: i64,
    column: u32,
    mut has_breaks: bool,
    mut entries: Vec<Fits<'d, 'a>>,
    rest: &[Entry<'d, 'a>],
) -> bool {
    let mut rest = rest.iter().rev();
    let mut column = i64::from(column);
    loop {
        if column > width && has_breaks {
            return false;
        }
        let (indent, mode, doc) = match entries.pop() {
            Some(Fits::Entry(indent, mode, doc)) => (indent, mode, doc),
            Some(Fits::Tail(breaks)) => {
                has_breaks = breaks;
                continue;
            }
            None => match rest.next() {
                Some(entry) => (entry.indent, entry.mode, entry.doc),
                None => return true,
            },
        };
        match (&doc.0, mode) {
            (
                Node::Fits {
                    doc,
                    enabled: false,
                },
                _,
            )
            | (Node::Fits { doc, .. }, Mode::FlatNoBreak) => {
                entries.push(Fits::Entry(indent, Mode::FlatNoBreak, doc));
            }
            (Node::Fits { doc, enabled: true }, _) => {
                entries.push(Fits::Entry(indent, Mode::BreakNoFlat, doc));
            }
            (Node::ForceBreaks, Mode::BreakNoFlat) => {}
            (Node::Break { .. } | Node::Line { .. }, Mode::BreakNoFlat | Mode::Break) => {
                return true;
            }
            (Node::Group(contents), Mode::Break) => {
                entries.push(Fits::Tail(has_breaks));
                entries.push(Fits::Entry(indent, Mode::Flat, contents));
            }
            (Node::Line { .. }, _) => {
                column = i64::from(indent);
                has_breaks = false;
            }
            (Node::Nil | Node::LineSuffix(_), _) => {}
            (Node::Text { width: w, .. }, _) => column += i64::from(*w),
            (
                Node::Verbatim {
                    last_line_width,
                    multiline,
                    ..
                },
                _,
            ) => {
                if *multiline {
                    column = i64::from(*last_line_width);
                    has_breaks = false;
                } else {
                    column += i64::from(*last_line_width);
                }
            }
            (Node::ForceBreaks, _) => return false,
            (Node::Break { text, .. }, _) => {
                column += i64::from(text_width(text));
                has_breaks = true;
            }
            (
                Node::Nest {
                    doc,
                    indent: more,
                    only_when_broken,
                },
                _,
            ) => {
                let indent = if *only_when_broken {
                    indent
                } else {
                    indent + more
                };
                entries.push(Fits::Entry(indent, mode, doc));
            }
            (Node::Concat(parts), _) => {
                for part in parts.iter().rev() {
                    entries.push(Fits::Entry(indent, mode, part));
                }
            }
            (Node::Group(contents), _) => {
                entries.push(Fits::Tail(has_breaks));
                entries.push(Fits::Entry(indent, mode, contents));
            }
            (Node::IfBreak { broken, flat }, _) => {
                let doc = if matches!(mode, Mode::Break | Mode::BreakNoFlat) {
                    broken
                } else {
                    flat
                };
                entries.push(Fits::Entry(indent, mode, doc));
            }
        }
    }
}

#[cfg(test)]
mod tests;
