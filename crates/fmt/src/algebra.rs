//! erlfmt's layout algebra: Wadler's documents with the fitting rules of Elixir's
//! `Inspect.Algebra`, which erlfmt uses and whose exact behaviour its layouts rely on.
//!
//! It differs from Prettier's model in ways that change the output, and the
//! Erlang rules rely on them:
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
//! Widths are measured in Unicode columns ([`crate::text::text_width`]); erlfmt
//! counts characters, which differs only for wide characters.

use std::rc::Rc;

use crate::text::{Str, text_width};

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
    /// Text as `concat([empty(), text])` is: the group before it does not count
    /// it as the text that follows (`next_text_width`) and it does not merge
    /// with text before it. See [`after_empty`].
    TextAfterEmpty {
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
        doc: Parts<'a>,
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
    Group(Parts<'a>),
    /// Makes the enclosing groups break.
    ForceBreaks,
    /// `next_break_fits` (enabled) or its cancellation (disabled).
    Fits {
        doc: Parts<'a>,
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

/// The contents of a nest, group or `next_break_fits`: the parts of a
/// concatenation, printed one after the other. A concatenation given to them
/// lends its parts, which saves an allocation for the most common documents.
type Parts<'a> = Rc<[Doc<'a>]>;

fn into_parts(doc: Doc<'_>) -> Parts<'_> {
    match doc.0 {
        Node::Concat(parts) => parts,
        node => Rc::new([Doc(node)]),
    }
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
    // Most concatenations have a few parts: they are gathered on the stack and
    // moved once into the shared slice (collecting them into a `Vec` and
    // converting it would allocate twice). Longer ones go through a `Vec`.
    let mut docs = docs.into_iter();
    let mut inline: [Doc<'a>; 8] = Default::default();
    let mut len = 0;
    for doc in docs.by_ref() {
        inline[len] = doc;
        len += 1;
        if len == inline.len() {
            break;
        }
    }
    match docs.next() {
        None => concat_parts(&mut inline[..len]),
        Some(next) => {
            let mut parts: Vec<Doc<'a>> = inline.into_iter().chain([next]).chain(docs).collect();
            concat_parts(&mut parts)
        }
    }
}

/// The document of `parts` (left empty).
fn concat_parts<'a>(parts: &mut [Doc<'a>]) -> Doc<'a> {
    // Fold from the right like `erlfmt_algebra:concat/1`: a text merges with the
    // text that follows only when everything after it is that one text.
    let mut len = parts.len();
    while len >= 2 {
        let (Node::Text { text: left, .. }, Node::Text { text: right, .. }) =
            (&parts[len - 2].0, &parts[len - 1].0)
        else {
            break;
        };
        let mut merged = String::with_capacity(left.len() + right.len());
        merged.push_str(left);
        merged.push_str(right);
        parts[len - 2] = text(merged);
        parts[len - 1] = empty();
        len -= 1;
    }
    match &mut parts[..len] {
        [] => empty(),
        [only] => std::mem::take(only),
        parts => Doc(Node::Concat(parts.iter_mut().map(std::mem::take).collect())),
    }
}

/// `concat([empty(), doc])`, without allocating when it can: the empty document
/// in front matters only to a group right before (which then sees no text after
/// it) and to text merging, so a text becomes `Node::TextAfterEmpty`, a
/// concatenation keeps the empty document, and any other document is the same.
pub fn after_empty(doc: Doc<'_>) -> Doc<'_> {
    match doc.0 {
        Node::Nil => empty(),
        Node::Text { text, width } => Doc(Node::TextAfterEmpty { text, width }),
        Node::Concat(_) => concat([empty(), doc]),
        _ => doc,
    }
}

/// Indents the line breaks inside `doc` by `indent` more spaces.
pub fn nest(doc: Doc<'_>, indent: u32) -> Doc<'_> {
    if indent == 0 {
        return doc;
    }
    Doc(Node::Nest {
        doc: into_parts(doc),
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
        doc: into_parts(doc),
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
    Doc(Node::Group(into_parts(doc)))
}

/// Forces the groups around it to break.
pub fn force_breaks<'a>() -> Doc<'a> {
    Doc(Node::ForceBreaks)
}

/// `doc` counts as fitting as soon as its first break is reached (forced breaks
/// inside it are ignored while measuring).
pub fn next_break_fits(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::Fits {
        doc: into_parts(doc),
        enabled: true,
    })
}

/// Cancels a surrounding [`next_break_fits`] for `doc`.
pub fn next_break_fits_disabled(doc: Doc<'_>) -> Doc<'_> {
    Doc(Node::Fits {
        doc: into_parts(doc),
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
    // One measuring stack for every `fits` call, so that measuring allocates only
    // when the stack grows past what an earlier call needed.
    let mut measure: Vec<Fits<'_, '_>> = Vec::new();
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
            Node::Text { text, width: w } | Node::TextAfterEmpty { text, width: w } => {
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
            Node::Fits { doc, .. } => push_parts(&mut stack, doc, indent, mode),
            Node::Break { text, flex } => {
                let breaks = if *flex && !entry.forced_strict {
                    let after = column + text_width(text);
                    measure.clear();
                    mode != Mode::Flat && !fits(i64::from(width), after, true, &mut measure, &stack)
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
                push_parts(&mut stack, doc, indent, mode);
            }
            Node::Group(contents) => {
                let next = next_text_width(&stack);
                measure.clear();
                measure.extend(
                    contents
                        .iter()
                        .rev()
                        .map(|part| Fits::Entry(indent, Mode::Flat, part)),
                );
                let flat = fits(
                    i64::from(width) - i64::from(next),
                    column,
                    false,
                    &mut measure,
                    &[],
                );
                if !flat {
                    force_next_flex_break(&mut stack);
                }
                let mode = if flat { Mode::Flat } else { Mode::Break };
                push_parts(&mut stack, contents, indent, mode);
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
        if let Node::Text { text, .. }
        | Node::TextAfterEmpty { text, .. }
        | Node::Verbatim { text, .. } = &entry.doc.0
        {
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

/// Schedules `parts` to be printed one after the other.
fn push_parts<'d, 'a>(
    stack: &mut Vec<Entry<'d, 'a>>,
    parts: &'d [Doc<'a>],
    indent: u32,
    mode: Mode,
) {
    stack.extend(parts.iter().rev().map(|doc| Entry {
        indent,
        mode,
        doc,
        forced_strict: false,
    }));
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

/// Schedules `parts` to be measured one after the other.
fn push_measured<'d, 'a>(
    entries: &mut Vec<Fits<'d, 'a>>,
    parts: &'d [Doc<'a>],
    indent: u32,
    mode: Mode,
) {
    entries.extend(
        parts
            .iter()
            .rev()
            .map(|part| Fits::Entry(indent, mode, part)),
    );
}

/// Whether the entries (then `rest`, from its top) fit in `width` from `column`, as
/// `erlfmt_algebra:fits/4` decides: at least one break must be seen for a too long
/// line not to fit.
fn fits<'d, 'a>(
    width: i64,
    column: u32,
    mut has_breaks: bool,
    entries: &mut Vec<Fits<'d, 'a>>,
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
                push_measured(entries, doc, indent, Mode::FlatNoBreak);
            }
            (Node::Fits { doc, enabled: true }, _) => {
                push_measured(entries, doc, indent, Mode::BreakNoFlat);
            }
            (Node::ForceBreaks, Mode::BreakNoFlat) => {}
            (Node::Break { .. } | Node::Line { .. }, Mode::BreakNoFlat | Mode::Break) => {
                return true;
            }
            (Node::Group(contents), Mode::Break) => {
                entries.push(Fits::Tail(has_breaks));
                push_measured(entries, contents, indent, Mode::Flat);
            }
            (Node::Line { .. }, _) => {
                column = i64::from(indent);
                has_breaks = false;
            }
            (Node::Nil | Node::LineSuffix(_), _) => {}
            (Node::Text { width: w, .. } | Node::TextAfterEmpty { width: w, .. }, _) => {
                column += i64::from(*w)
            }
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
                push_measured(entries, doc, indent, mode);
            }
            (Node::Concat(parts), _) => push_measured(entries, parts, indent, mode),
            (Node::Group(contents), _) => {
                entries.push(Fits::Tail(has_breaks));
                push_measured(entries, contents, indent, mode);
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
