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
//! - [`Docs::next_break_fits`] makes a document count as fitting as soon as its
//!   first break is reached, which lets a last argument hug its brackets;
//! - [`Docs::nest_if_break`] indents only when the enclosing group is broken.
//!
//! Widths are measured in Unicode columns ([`crate::text::text_width`]); erlfmt
//! counts characters, which differs only for wide characters.
//!
//! The documents live in an arena ([`bumpalo::Bump`]): a [`Doc`] is a small `Copy`
//! value, and the documents that hold other documents, or text made on the way,
//! are made by a [`Docs`] handle on the arena. The formatter builds the document
//! of one form, prints it and resets the arena for the next form, so building
//! allocates little and dropping costs nothing.

use std::fmt;

pub use bumpalo::Bump;

use crate::text::text_width;

/// A document of the algebra; its parts and texts are in an arena (`'d`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Doc<'d>(Node<'d>);

#[derive(Clone, Copy, Debug, Default)]
enum Node<'d> {
    #[default]
    Nil,
    /// Text without line breaks.
    Text {
        text: &'d str,
        width: u32,
    },
    /// Text as `concat([empty(), text])` is: the group before it does not count
    /// it as the text that follows (`next_text_width`) and it does not merge
    /// with text before it. See [`Docs::after_empty`].
    TextAfterEmpty {
        text: &'d str,
        width: u32,
    },
    /// Text printed as it is, possibly over several lines.
    Verbatim {
        text: &'d str,
        last_line_width: u32,
        multiline: bool,
    },
    Concat(Parts<'d>),
    /// `indent` more spaces after each line break inside; with `only_when_broken`,
    /// only if the enclosing group is broken.
    Nest {
        doc: Parts<'d>,
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
    Group(&'d GroupDoc<'d>),
    /// Makes the enclosing groups break.
    ForceBreaks,
    /// `next_break_fits` (enabled) or its cancellation (disabled).
    Fits {
        doc: Parts<'d>,
        enabled: bool,
    },
    /// `broken` in a broken group, else `flat`.
    IfBreak {
        broken: &'d Doc<'d>,
        flat: &'d Doc<'d>,
    },
    /// Printed at the end of the current line, before the next line break.
    LineSuffix(&'d Doc<'d>),
}

/// A group: its contents and what measuring them flat gives.
#[derive(Debug)]
struct GroupDoc<'d> {
    contents: Parts<'d>,
    flat: FlatMeasure,
}

/// What measuring a group's contents flat gives, worked out when the group is
/// made so that [`fits`] need not walk them each time the group is measured (every
/// group is measured when it is printed, and again inside each enclosing one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FlatMeasure {
    /// Contents `width` columns wide on one line. A too long line fails only while
    /// a break has been seen: a break directly in the contents counts to their end,
    /// one inside a nested group to that group's end; `break_reach` is the furthest
    /// such end (relative to the start), `None` without breaks.
    Line {
        width: u32,
        break_reach: Option<u32>,
    },
    /// The contents force a break: they never fit flat.
    Fails,
    /// Line breaks, `next_break_fits` or multi-line verbatim text: measured by walking.
    Walk,
}

impl FlatMeasure {
    /// How `contents` measure flat, from their nested groups' measures.
    fn of(contents: Parts<'_>) -> FlatMeasure {
        let mut line = LineMeasure {
            width: 0,
            break_reach: None,
            direct_break: false,
            stopped: FlatMeasure::Walk,
        };
        if !line.add_all(contents) {
            return line.stopped;
        }
        FlatMeasure::Line {
            width: line.width,
            break_reach: if line.direct_break {
                Some(line.width)
            } else {
                line.break_reach
            },
        }
    }
}

/// [`FlatMeasure::of`] on its way through the contents.
struct LineMeasure {
    width: u32,
    break_reach: Option<u32>,
    direct_break: bool,
    /// The measure of the whole once a part decided it (`add` returned false).
    stopped: FlatMeasure,
}

impl LineMeasure {
    fn add_all(&mut self, docs: Parts<'_>) -> bool {
        docs.iter().all(|doc| self.add(doc))
    }

    /// Adds `doc` as [`fits`] walks it flat; false once the measure of the whole
    /// is decided (in `stopped`).
    fn add(&mut self, doc: &Doc<'_>) -> bool {
        match &doc.0 {
            Node::Text { width, .. } | Node::TextAfterEmpty { width, .. } => {
                self.width += width;
            }
            Node::Concat(parts) | Node::Nest { doc: parts, .. } => return self.add_all(parts),
            Node::Break { text, .. } => {
                self.width += text_width(text);
                self.direct_break = true;
            }
            Node::Group(group) => match group.flat {
                FlatMeasure::Line { width, break_reach } => {
                    if let Some(reach) = break_reach {
                        let end = self.width + reach;
                        self.break_reach = Some(self.break_reach.map_or(end, |r| r.max(end)));
                    }
                    self.width += width;
                }
                other => {
                    self.stopped = other;
                    return false;
                }
            },
            Node::Nil | Node::LineSuffix(_) => {}
            Node::IfBreak { flat, .. } => return self.add(flat),
            Node::Verbatim {
                last_line_width,
                multiline: false,
                ..
            } => self.width += last_line_width,
            Node::Verbatim {
                multiline: true, ..
            }
            | Node::Line { .. }
            | Node::Fits { .. } => return false,
            Node::ForceBreaks => {
                self.stopped = FlatMeasure::Fails;
                return false;
            }
        }
        true
    }
}

/// The contents of a concatenation, nest, group or `next_break_fits`: documents
/// printed one after the other. A concatenation given to a nest, group or
/// `next_break_fits` lends its parts, which saves an allocation for the most
/// common documents.
type Parts<'d> = &'d [Doc<'d>];

/// Makes the documents that hold other documents, or text of their own, in an
/// arena. A copyable handle: pass it by value.
#[derive(Clone, Copy)]
pub struct Docs<'d> {
    bump: &'d Bump,
}

/// Nothing.
pub fn empty<'d>() -> Doc<'d> {
    Doc(Node::Nil)
}

/// Text. As in erlfmt, a text may hold line breaks (a quoted atom or a sigil
/// written over lines): it is printed as it is and counts as one line as wide as
/// all of it, each line break one column; use [`verbatim`] for text that should
/// count as the lines it has. Text made on the way goes into the arena first
/// ([`Docs::str`], [`Docs::format`]).
pub fn text(text: &str) -> Doc<'_> {
    // ASCII: each line break counts one column, like any other character.
    let width = if text.is_ascii() {
        u32::try_from(text.len()).unwrap_or(u32::MAX)
    } else if text.contains('\n') {
        let lines = text.split('\n');
        lines.map(text_width).sum::<u32>() + text.matches('\n').count() as u32
    } else {
        text_width(text)
    };
    Doc(Node::Text { text, width })
}

/// Text printed exactly as it is, over several lines if it has line breaks.
pub fn verbatim(text: &str) -> Doc<'_> {
    let (last_line_width, multiline) = match text.rfind('\n') {
        Some(at) => (text_width(&text[at + 1..]), true),
        None => (text_width(text), false),
    };
    Doc(Node::Verbatim {
        text,
        last_line_width,
        multiline,
    })
}

impl<'d> Docs<'d> {
    /// A handle that makes documents in `bump`.
    pub fn new(bump: &'d Bump) -> Docs<'d> {
        Docs { bump }
    }

    /// `text` copied into the arena, for a [`text`] or [`verbatim`] that
    /// outlives the string it was made from.
    pub fn str(self, text: &str) -> &'d str {
        self.bump.alloc_str(text)
    }

    /// The formatted text, written into the arena (`format!` without a `String`).
    pub fn format(self, args: fmt::Arguments<'_>) -> &'d str {
        if let Some(text) = args.as_str() {
            return text;
        }
        let mut text = bumpalo::collections::String::new_in(self.bump);
        // Writing into a string fails only if a `Display` implementation does.
        let _ = fmt::Write::write_fmt(&mut text, args);
        text.into_bump_str()
    }

    /// The documents one after the other.
    ///
    /// As in erlfmt, texts at the end are merged into one (`concat([G, "a", "b"])` is
    /// `G` then `"ab"`): the width of the text right after a group decides whether the
    /// group fits, so this is part of the layout, not an optimisation.
    pub fn concat(self, docs: &[Doc<'d>]) -> Doc<'d> {
        // Fold from the right like `erlfmt_algebra:concat/1`: a text merges with the
        // text that follows only when everything after it is that one text, so the
        // texts that end the parts become one.
        let texts = docs
            .iter()
            .rev()
            .take_while(|doc| matches!(doc.0, Node::Text { .. }))
            .count();
        if texts < 2 {
            return match docs {
                [] => empty(),
                [only] => *only,
                docs => Doc(Node::Concat(self.bump.alloc_slice_copy(docs))),
            };
        }
        let (head, tail) = docs.split_at(docs.len() - texts);
        let merged = self.merge_texts(tail);
        if head.is_empty() {
            return merged;
        }
        let parts = self
            .bump
            .alloc_slice_fill_with(head.len() + 1, |at| head.get(at).copied().unwrap_or(merged));
        Doc(Node::Concat(parts))
    }

    /// The texts of `texts` (all [`Node::Text`]) as one text.
    fn merge_texts(self, texts: &[Doc<'d>]) -> Doc<'d> {
        let text_of = |doc: &Doc<'d>| match doc.0 {
            Node::Text { text, .. } => text,
            _ => "",
        };
        let len = texts.iter().map(|doc| text_of(doc).len()).sum();
        let mut merged = bumpalo::collections::String::with_capacity_in(len, self.bump);
        for doc in texts {
            merged.push_str(text_of(doc));
        }
        text(merged.into_bump_str())
    }

    /// `concat([empty(), doc])`, without allocating when it can: the empty document
    /// in front matters only to a group right before (which then sees no text after
    /// it) and to text merging, so a text becomes `Node::TextAfterEmpty`, a
    /// concatenation keeps the empty document, and any other document is the same.
    pub fn after_empty(self, doc: Doc<'d>) -> Doc<'d> {
        match doc.0 {
            Node::Nil => empty(),
            Node::Text { text, width } => Doc(Node::TextAfterEmpty { text, width }),
            Node::Concat(_) => self.concat(&[empty(), doc]),
            _ => doc,
        }
    }

    /// The parts of `doc`: those of a concatenation, else `doc` alone.
    fn parts(self, doc: Doc<'d>) -> Parts<'d> {
        match doc.0 {
            Node::Concat(parts) => parts,
            _ => std::slice::from_ref(self.bump.alloc(doc)),
        }
    }

    /// Indents the line breaks inside `doc` by `indent` more spaces.
    pub fn nest(self, doc: Doc<'d>, indent: u32) -> Doc<'d> {
        if indent == 0 {
            return doc;
        }
        Doc(Node::Nest {
            doc: self.parts(doc),
            indent,
            only_when_broken: false,
        })
    }

    /// Like [`Docs::nest`], but only where the enclosing group is broken.
    pub fn nest_if_break(self, doc: Doc<'d>, indent: u32) -> Doc<'d> {
        if indent == 0 {
            return doc;
        }
        Doc(Node::Nest {
            doc: self.parts(doc),
            indent,
            only_when_broken: true,
        })
    }

    /// Tries to print `doc` flat, else broken.
    pub fn group(self, doc: Doc<'d>) -> Doc<'d> {
        let contents = self.parts(doc);
        let flat = FlatMeasure::of(contents);
        Doc(Node::Group(self.bump.alloc(GroupDoc { contents, flat })))
    }

    /// `doc` counts as fitting as soon as its first break is reached (forced breaks
    /// inside it are ignored while measuring).
    pub fn next_break_fits(self, doc: Doc<'d>) -> Doc<'d> {
        Doc(Node::Fits {
            doc: self.parts(doc),
            enabled: true,
        })
    }

    /// Cancels a surrounding [`Docs::next_break_fits`] for `doc`.
    pub fn next_break_fits_disabled(self, doc: Doc<'d>) -> Doc<'d> {
        Doc(Node::Fits {
            doc: self.parts(doc),
            enabled: false,
        })
    }

    /// `broken` when the enclosing group is broken, else `flat`.
    pub fn if_break(self, broken: Doc<'d>, flat: Doc<'d>) -> Doc<'d> {
        let [broken, flat] = self.bump.alloc([broken, flat]);
        Doc(Node::IfBreak { broken, flat })
    }

    /// Printed at the end of the line (before the next line break): a trailing comment.
    pub fn line_suffix(self, doc: Doc<'d>) -> Doc<'d> {
        Doc(Node::LineSuffix(self.bump.alloc(doc)))
    }
}

/// A space when the group is flat, a line break when it is broken.
pub fn space_break<'d>() -> Doc<'d> {
    break_with(" ")
}

/// Nothing when the group is flat, a line break when it is broken.
pub fn soft_break<'d>() -> Doc<'d> {
    break_with("")
}

/// `text` when the group is flat, a line break when it is broken.
pub fn break_with<'d>(text: &'static str) -> Doc<'d> {
    Doc(Node::Break { text, flex: false })
}

/// A break decided on its own when reached: `text` if what follows fits, else a
/// line break.
pub fn flex_break<'d>(text: &'static str) -> Doc<'d> {
    Doc(Node::Break { text, flex: true })
}

/// A line break, whatever the group's mode; it does not break the group.
pub fn line<'d>() -> Doc<'d> {
    Doc(Node::Line { count: 1 })
}

/// `count` line breaks (`2` leaves one blank line).
pub fn lines<'d>(count: u32) -> Doc<'d> {
    Doc(Node::Line {
        count: count.max(1),
    })
}

/// Forces the groups around it to break.
pub fn force_breaks<'d>() -> Doc<'d> {
    Doc(Node::ForceBreaks)
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

/// One document taken from the print stack.
#[derive(Clone, Copy)]
struct Entry<'d, 'a> {
    indent: u32,
    mode: Mode,
    doc: &'d Doc<'a>,
    /// A flex break that a broken group turned strict (or a concatenation
    /// holding it).
    forced_strict: bool,
}

/// Documents waiting to be printed one after the other: the stack holds a
/// concatenation's parts as one entry (never empty), taken one by one.
#[derive(Clone, Copy)]
struct Pending<'d, 'a> {
    indent: u32,
    mode: Mode,
    parts: &'d [Doc<'a>],
    /// The part that a broken group marked (see [`force_next_flex_break`]): parts
    /// of one slice are told apart by their address.
    forced: Option<&'d Doc<'a>>,
}

/// What the measuring stack holds.
enum Fits<'d, 'a> {
    /// Documents to measure one after the other (never empty): the stack holds a
    /// concatenation's parts as one entry, taken one by one.
    Parts(u32, Mode, &'d [Doc<'a>]),
    /// After a group's content: restores whether a break was seen before it.
    Tail(bool),
}

/// Lays `doc` out for lines of `width` columns.
pub fn print(doc: &Doc<'_>, width: u32) -> String {
    let mut out = String::with_capacity(1024);
    print_into(doc, width, &mut out);
    out
}

/// Lays `doc` out for lines of `width` columns at the end of `out`, which must be
/// empty or end with a line break.
pub fn print_into(doc: &Doc<'_>, width: u32, out: &mut String) {
    // The stacks start with room for a typical form, so that they seldom grow.
    let mut column: u32 = 0;
    let mut pending_suffixes: Vec<Entry<'_, '_>> = Vec::new();
    // One measuring stack for every `fits` call, so that measuring allocates only
    // when the stack grows past what an earlier call needed.
    let mut measure: Vec<Fits<'_, '_>> = Vec::with_capacity(64);
    let mut stack: Vec<Pending<'_, '_>> = Vec::with_capacity(64);
    push_parts(&mut stack, std::slice::from_ref(doc), 0, Mode::Flat);
    while let Some(entry) = take_next(&mut stack) {
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
                    newline(out, 0);
                }
                newline(out, indent);
                column = indent;
            }
            Node::Concat(parts) => {
                push_parts(&mut stack, parts, indent, mode);
                if entry.forced_strict
                    && !parts.is_empty()
                    && let Some(top) = stack.last_mut()
                {
                    // The mark goes on to the part holding the first break.
                    top.forced = parts.iter().find(|part| first_break(part).is_some());
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
                    newline(out, indent);
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
            Node::Group(group) => {
                let contents = group.contents;
                let room = i64::from(width) - i64::from(next_text_width(&stack));
                let flat = match group.flat {
                    FlatMeasure::Line { break_reach, .. } => {
                        break_reach.is_none_or(|reach| i64::from(column) + i64::from(reach) <= room)
                    }
                    FlatMeasure::Fails => false,
                    FlatMeasure::Walk => {
                        measure.clear();
                        push_measured(&mut measure, contents, indent, Mode::Flat);
                        fits(room, column, false, &mut measure, &[])
                    }
                };
                if !flat {
                    force_next_flex_break(&mut stack);
                }
                let mode = if flat { Mode::Flat } else { Mode::Break };
                push_parts(&mut stack, contents, indent, mode);
            }
            Node::IfBreak { broken, flat } => {
                let doc = if mode == Mode::Break { broken } else { flat };
                push_parts(&mut stack, std::slice::from_ref(doc), indent, mode);
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
        push_entry(&mut stack, suffix);
    }
    // Suffixes left at the end of the document are printed as they are.
    while let Some(entry) = take_next(&mut stack) {
        if let Node::Text { text, .. }
        | Node::TextAfterEmpty { text, .. }
        | Node::Verbatim { text, .. } = &entry.doc.0
        {
            out.push_str(text);
        } else if let Node::Concat(parts) = &entry.doc.0 {
            push_parts(&mut stack, parts, entry.indent, entry.mode);
        }
    }
    trim_trailing_spaces(out);
}

/// Takes the next document to print off the stack.
fn take_next<'d, 'a>(stack: &mut Vec<Pending<'d, 'a>>) -> Option<Entry<'d, 'a>> {
    loop {
        let top = stack.last_mut()?;
        let Some((doc, others)) = top.parts.split_first() else {
            stack.pop();
            continue;
        };
        let entry = Entry {
            indent: top.indent,
            mode: top.mode,
            doc,
            forced_strict: top.forced.is_some_and(|forced| std::ptr::eq(forced, doc)),
        };
        if others.is_empty() {
            stack.pop();
        } else {
            top.parts = others;
        }
        return Some(entry);
    }
}

/// Schedules `parts` to be printed one after the other.
fn push_parts<'d, 'a>(
    stack: &mut Vec<Pending<'d, 'a>>,
    parts: &'d [Doc<'a>],
    indent: u32,
    mode: Mode,
) {
    if !parts.is_empty() {
        stack.push(Pending {
            indent,
            mode,
            parts,
            forced: None,
        });
    }
}

/// Puts a document taken off the stack back on it, with its mark.
fn push_entry<'d, 'a>(stack: &mut Vec<Pending<'d, 'a>>, entry: Entry<'d, 'a>) {
    stack.push(Pending {
        indent: entry.indent,
        mode: entry.mode,
        parts: std::slice::from_ref(entry.doc),
        forced: entry.forced_strict.then_some(entry.doc),
    });
}

/// Schedules pending line suffixes before the line break of `entry`; true if it did.
fn flush_suffixes<'d, 'a>(
    pending: &mut Vec<Entry<'d, 'a>>,
    stack: &mut Vec<Pending<'d, 'a>>,
    entry: Entry<'d, 'a>,
) -> bool {
    if pending.is_empty() {
        return false;
    }
    push_entry(stack, entry);
    for suffix in pending.drain(..).rev() {
        push_entry(stack, suffix);
    }
    true
}

fn newline(out: &mut String, indent: u32) {
    const SPACES: &str = "                                                                ";
    trim_trailing_spaces(out);
    out.push('\n');
    let mut indent = indent as usize;
    while indent > 0 {
        let run = indent.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        indent -= run;
    }
}

fn trim_trailing_spaces(out: &mut String) {
    let trimmed = out.trim_end_matches(' ').len();
    out.truncate(trimmed);
}

/// The width of the text that comes next on the stack, if text comes next.
fn next_text_width(stack: &[Pending<'_, '_>]) -> u32 {
    let Some(mut doc) = stack.last().and_then(|pending| pending.parts.first()) else {
        return 0;
    };
    loop {
        match &doc.0 {
            Node::Text { width, .. } => return *width,
            Node::Concat(parts) => match parts.first() {
                Some(first) => doc = first,
                None => return 0,
            },
            _ => return 0,
        }
    }
}

/// After a group breaks, the next flex break (up to the next strict break) breaks too.
///
/// The break is the first one found through concatenations only, document after
/// document, as erlfmt looks for it. The part of the stack holding it is marked
/// rather than expanded in place (which moved the rest of the stack each time):
/// when a marked concatenation is printed, the mark goes on to its part holding
/// the break.
fn force_next_flex_break(stack: &mut [Pending<'_, '_>]) {
    for pending in stack.iter_mut().rev() {
        for part in pending.parts {
            match first_break(part) {
                Some(true) => {
                    pending.forced = Some(part);
                    return;
                }
                Some(false) => return,
                None => {}
            }
        }
    }
}

/// Whether the first break reached through concatenations only is a flex one
/// (`None` when there is none).
fn first_break(doc: &Doc<'_>) -> Option<bool> {
    match &doc.0 {
        Node::Break { flex, .. } => Some(*flex),
        Node::Concat(parts) => parts.iter().find_map(first_break),
        _ => None,
    }
}

/// Schedules `parts` to be measured one after the other.
fn push_measured<'d, 'a>(
    entries: &mut Vec<Fits<'d, 'a>>,
    parts: &'d [Doc<'a>],
    indent: u32,
    mode: Mode,
) {
    if !parts.is_empty() {
        entries.push(Fits::Parts(indent, mode, parts));
    }
}

/// Whether the entries (then `rest`, from its top) fit in `width` from `column`, as
/// `erlfmt_algebra:fits/4` decides: at least one break must be seen for a too long
/// line not to fit.
fn fits<'d, 'a>(
    width: i64,
    column: u32,
    mut has_breaks: bool,
    entries: &mut Vec<Fits<'d, 'a>>,
    rest: &[Pending<'d, 'a>],
) -> bool {
    let mut rest = rest.iter().rev().flat_map(|pending| {
        pending
            .parts
            .iter()
            .map(move |doc| (pending.indent, pending.mode, doc))
    });
    let mut column = i64::from(column);
    loop {
        if column > width && has_breaks {
            return false;
        }
        let (indent, mode, doc) = match entries.last_mut() {
            Some(Fits::Parts(indent, mode, parts)) => {
                let (indent, mode) = (*indent, *mode);
                let Some((first, others)) = parts.split_first() else {
                    entries.pop();
                    continue;
                };
                if others.is_empty() {
                    entries.pop();
                } else {
                    *parts = others;
                }
                (indent, mode, first)
            }
            Some(Fits::Tail(breaks)) => {
                has_breaks = *breaks;
                entries.pop();
                continue;
            }
            None => match rest.next() {
                Some(next) => next,
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
            (Node::Group(group), Mode::Break | Mode::Flat | Mode::FlatNoBreak)
                if group.flat != FlatMeasure::Walk =>
            {
                // Measured flat, as `Walk` would: a too long line fails from a
                // break on, and the group's breaks count only inside it.
                let FlatMeasure::Line {
                    width: group_width,
                    break_reach,
                } = group.flat
                else {
                    return false;
                };
                let reach = if has_breaks {
                    Some(group_width)
                } else {
                    break_reach
                };
                if reach.is_some_and(|reach| column + i64::from(reach) > width) {
                    return false;
                }
                column += i64::from(group_width);
            }
            (Node::Group(group), Mode::Break) => {
                entries.push(Fits::Tail(has_breaks));
                push_measured(entries, group.contents, indent, Mode::Flat);
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
            (Node::Group(group), _) => {
                entries.push(Fits::Tail(has_breaks));
                push_measured(entries, group.contents, indent, mode);
            }
            (Node::IfBreak { broken, flat }, _) => {
                let doc = if matches!(mode, Mode::Break | Mode::BreakNoFlat) {
                    broken
                } else {
                    flat
                };
                entries.push(Fits::Parts(indent, mode, std::slice::from_ref(doc)));
            }
        }
    }
}

#[cfg(test)]
mod tests;
