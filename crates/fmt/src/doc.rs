//! The document IR: what the Erlang rules build and the printer lays out.
//!
//! A [`Doc`] is a tree in the style of Wadler's "prettier printer" as extended by
//! Prettier (and by Biome's and Ruff's formatters): text, groups that are printed
//! flat when they fit on the line and broken otherwise, indentation, several kinds
//! of line break, `fill`, `if_break`, line suffixes (trailing comments) and
//! verbatim text. [`crate::printer::print`] lays a document out.
//!
//! Build documents with the free functions of this module (`text`, `group`,
//! `indent`, `line`, ... and the [`docs!`](crate::docs) macro). They keep the
//! invariants the printer relies on:
//!
//! - text has no line break and its width in Unicode columns is known (a string
//!   with a line break given to [`text`] becomes [`verbatim`]);
//! - forced breaks (hard lines, [`break_parent`], multi-line verbatim text, groups
//!   that must break) are propagated to the enclosing groups while the tree is
//!   built, so the printer never measures a group that cannot be flat. This is
//!   Prettier's `propagateBreaks` pass, done bottom-up as nodes are made.
//!
//! Documents are cheap to clone (nodes are reference counted) and may borrow
//! their text from the source: `Doc<'a>` holds `&'a str` as well as owned text,
//! so building one allocates little beyond its nodes.

use std::borrow::Cow;
use std::fmt;
use std::num::NonZeroU32;
use std::ops::Deref;
use std::rc::Rc;

use unicode_width::UnicodeWidthStr;

/// A document: build it with the functions of this module, print it with
/// [`crate::printer::print`].
#[derive(Clone, Default)]
pub struct Doc<'a>(pub(crate) Kind<'a>);

/// The node kinds. Private so that every node is made by a builder that keeps the
/// invariants (widths, propagated breaks).
#[derive(Clone, Default)]
pub(crate) enum Kind<'a> {
    /// Nothing.
    #[default]
    Nil,
    /// Text borrowed from the source or static, without line breaks.
    Text { text: &'a str, width: u32 },
    /// Owned text without line breaks.
    OwnedText { text: Rc<str>, width: u32 },
    /// Text printed as it is, possibly over several lines.
    Verbatim(Rc<Verbatim<'a>>),
    /// A line break of some kind.
    Line(LineKind),
    /// Forces the enclosing groups to break; prints nothing.
    BreakParent,
    /// Flushes pending line suffixes with a line break, if there are any.
    LineSuffixBoundary,
    /// Parts printed one after the other.
    Concat { parts: Rc<[Doc<'a>]>, breaks: bool },
    /// Alternating contents and separators, as many on a line as fit.
    Fill { parts: Rc<[Doc<'a>]>, breaks: bool },
    /// Flat if it fits, else broken (or, for a conditional group, the first state that fits).
    Group(Rc<Group<'a>>),
    /// One more level of indentation.
    Indent { contents: Rc<Doc<'a>>, breaks: bool },
    /// Indentation changed otherwise: by spaces, back, to the root, to the column.
    Align {
        align: Align,
        contents: Rc<Doc<'a>>,
        breaks: bool,
    },
    /// One of two documents, by the mode of the enclosing or of a named group.
    IfBreak(Rc<IfBreak<'a>>),
    /// Indented when the named group is broken.
    IndentIfBreak {
        group: GroupId,
        contents: Rc<Doc<'a>>,
        breaks: bool,
    },
    /// Printed at the end of the line, just before the next line break.
    LineSuffix { contents: Rc<Doc<'a>>, breaks: bool },
}

/// The kinds of line break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Nothing when flat, a line break when broken.
    Soft,
    /// A space when flat, a line break when broken.
    Space,
    /// Always a line break.
    Hard,
    /// Always a line break, without indentation after it.
    Literal,
    /// A line break that leaves one blank line, collapsing with line breaks just
    /// printed.
    Empty,
}

/// How [`Kind::Align`] changes the indentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    /// Adds this many spaces.
    Spaces(u32),
    /// Back to the indentation before the innermost indent or align.
    Dedent,
    /// Back to no indentation.
    Root,
    /// To the column where the aligned document starts.
    CurrentColumn,
}

/// Verbatim text with its line structure measured once.
pub(crate) struct Verbatim<'a> {
    pub(crate) text: Str<'a>,
    /// Width of the first line (the text up to the first line break).
    pub(crate) first_line_width: u32,
    /// Width of the last line (the text after the last line break).
    pub(crate) last_line_width: u32,
    /// Whether the text has a line break.
    pub(crate) multiline: bool,
}

/// A group, or a conditional group when `expanded_states` is set.
pub(crate) struct Group<'a> {
    /// What is printed (for a conditional group, its first state).
    pub(crate) contents: Doc<'a>,
    /// Broken whatever the width: asked for, or a forced break inside.
    pub(crate) should_break: bool,
    pub(crate) id: Option<GroupId>,
    /// The states of a conditional group, from the flattest to the most expanded.
    pub(crate) expanded_states: Option<Rc<[Doc<'a>]>>,
}

/// `broken` when the group is broken, else `flat`.
pub(crate) struct IfBreak<'a> {
    pub(crate) broken: Doc<'a>,
    pub(crate) flat: Doc<'a>,
    /// The group whose mode decides; the enclosing group when `None`.
    pub(crate) group: Option<GroupId>,
    pub(crate) breaks: bool,
}

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

/// Names a group so that [`if_break_in_group`] and [`indent_if_break`] elsewhere
/// can depend on whether it is broken. Make them with [`GroupIds`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GroupId(NonZeroU32);

impl GroupId {
    /// A dense index (the printer keeps group modes in a vector).
    pub(crate) fn index(self) -> usize {
        self.0.get() as usize
    }
}

impl fmt::Debug for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Makes distinct [`GroupId`]s; use one for each document.
#[derive(Debug, Default)]
pub struct GroupIds {
    made: u32,
}

impl GroupIds {
    /// A maker whose first id is `#1`.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new id.
    pub fn next_id(&mut self) -> GroupId {
        let id = NonZeroU32::MIN.saturating_add(self.made);
        self.made = self.made.saturating_add(1);
        GroupId(id)
    }
}

/// How a group is made by [`group_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupOptions {
    /// Break the group whatever the width.
    pub should_break: bool,
    /// A name for the group, for [`if_break_in_group`] and [`indent_if_break`].
    pub id: Option<GroupId>,
}

impl<'a> Doc<'a> {
    /// Whether this is the empty document.
    pub fn is_nil(&self) -> bool {
        matches!(self.0, Kind::Nil)
    }

    /// Whether the document forces the groups around it to break: it holds a hard
    /// line, a `break_parent`, multi-line verbatim text or a group that must break
    /// (Prettier's `willBreak`). Constant time: known since the node was built.
    pub fn will_break(&self) -> bool {
        match &self.0 {
            Kind::Nil | Kind::Text { .. } | Kind::OwnedText { .. } | Kind::LineSuffixBoundary => {
                false
            }
            Kind::Line(kind) => {
                matches!(kind, LineKind::Hard | LineKind::Literal | LineKind::Empty)
            }
            Kind::BreakParent => true,
            Kind::Verbatim(verbatim) => verbatim.multiline,
            Kind::Group(group) => group.should_break,
            Kind::IfBreak(if_break) => if_break.breaks,
            Kind::Concat { breaks, .. }
            | Kind::Fill { breaks, .. }
            | Kind::Indent { breaks, .. }
            | Kind::Align { breaks, .. }
            | Kind::IndentIfBreak { breaks, .. }
            | Kind::LineSuffix { breaks, .. } => *breaks,
        }
    }
}

impl<'a> From<&'a str> for Doc<'a> {
    fn from(value: &'a str) -> Self {
        text(value)
    }
}

impl<'a> From<&'a String> for Doc<'a> {
    fn from(value: &'a String) -> Self {
        text(value)
    }
}

impl From<String> for Doc<'_> {
    fn from(value: String) -> Self {
        text(value)
    }
}

impl From<Rc<str>> for Doc<'_> {
    fn from(value: Rc<str>) -> Self {
        text(value)
    }
}

impl<'a> From<Cow<'a, str>> for Doc<'a> {
    fn from(value: Cow<'a, str>) -> Self {
        text(value)
    }
}

impl<'a> From<Vec<Doc<'a>>> for Doc<'a> {
    fn from(value: Vec<Doc<'a>>) -> Self {
        concat(value)
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

/// The empty document.
pub fn nil<'a>() -> Doc<'a> {
    Doc(Kind::Nil)
}

/// Text on one line. Text with a line break in it is kept as [`verbatim`].
pub fn text<'a>(text: impl Into<Str<'a>>) -> Doc<'a> {
    let text = text.into();
    if text.is_empty() {
        return nil();
    }
    if text.contains('\n') {
        return verbatim(text);
    }
    let width = text_width(&text);
    match text {
        Str::Borrowed(text) => Doc(Kind::Text { text, width }),
        Str::Owned(text) => Doc(Kind::OwnedText { text, width }),
    }
}

/// Text printed exactly as it is, line breaks and trailing spaces included: a
/// multi-line string or comment, or a form kept unformatted. Its line breaks
/// (`\n` or `\r\n`) are written with the printer's newline. Text after it
/// continues from the end of its last line, and when it spans lines it forces the
/// groups around it to break.
pub fn verbatim<'a>(text: impl Into<Str<'a>>) -> Doc<'a> {
    let text = text.into();
    if text.is_empty() {
        return nil();
    }
    let (first_line, last_line, multiline) = match (text.find('\n'), text.rfind('\n')) {
        (Some(first), Some(last)) => (
            text[..first].strip_suffix('\r').unwrap_or(&text[..first]),
            &text[last + 1..],
            true,
        ),
        _ => (&*text, &*text, false),
    };
    let first_line_width = text_width(first_line);
    let last_line_width = text_width(last_line);
    Doc(Kind::Verbatim(Rc::new(Verbatim {
        first_line_width,
        last_line_width,
        multiline,
        text,
    })))
}

/// The parts one after the other (empty parts are dropped).
pub fn concat<'a>(parts: impl IntoIterator<Item = Doc<'a>>) -> Doc<'a> {
    let mut parts: Vec<Doc<'a>> = parts.into_iter().filter(|part| !part.is_nil()).collect();
    match parts.len() {
        0 => nil(),
        1 => parts.pop().unwrap_or_default(),
        _ => {
            let breaks = parts.iter().any(Doc::will_break);
            Doc(Kind::Concat {
                parts: parts.into(),
                breaks,
            })
        }
    }
}

/// Concatenates documents; a string literal or `String` stands for its [`text`].
///
/// ```
/// use fmt::doc::{group, indent, softline};
/// let call = group(fmt::docs!["f(", indent(fmt::docs![softline(), "X"]), softline(), ")"]);
/// # let _ = call;
/// ```
#[macro_export]
macro_rules! docs {
    ($($part:expr),* $(,)?) => {
        $crate::doc::concat([$($crate::doc::Doc::from($part)),*])
    };
}

/// The documents with `separator` between each two.
pub fn join<'a>(separator: Doc<'a>, docs: impl IntoIterator<Item = Doc<'a>>) -> Doc<'a> {
    let docs = docs.into_iter();
    let mut parts = Vec::with_capacity(docs.size_hint().0.saturating_mul(2));
    for (index, doc) in docs.enumerate() {
        if index > 0 {
            parts.push(separator.clone());
        }
        parts.push(doc);
    }
    concat(parts)
}

/// Printed flat (each [`line`] a space, each [`softline`] nothing) if it fits on
/// the rest of the line, else broken (each line of its own a line break).
/// Enclosing groups break first.
pub fn group(contents: Doc<'_>) -> Doc<'_> {
    group_with(contents, GroupOptions::default())
}

/// A group that may be forced to break or named (see [`GroupOptions`]).
pub fn group_with(contents: Doc<'_>, options: GroupOptions) -> Doc<'_> {
    if contents.is_nil() && options.id.is_none() && !options.should_break {
        return contents;
    }
    let should_break = options.should_break || contents.will_break();
    Doc(Kind::Group(Rc::new(Group {
        contents,
        should_break,
        id: options.id,
        expanded_states: None,
    })))
}

/// Prettier's `conditionalGroup`: the first state if it fits flat, else the first
/// of the others whose first line fits (each tried flat, so a forced break inside
/// it ends the measure), else the last one, broken. Forced breaks inside do not
/// propagate out of it: the states say what they need. Costly when nested; use it
/// sparingly (for example to hug a last argument).
pub fn conditional_group<'a>(states: impl IntoIterator<Item = Doc<'a>>) -> Doc<'a> {
    let mut states: Vec<Doc<'a>> = states.into_iter().collect();
    match states.len() {
        0 => nil(),
        1 => group(states.pop().unwrap_or_default()),
        _ => Doc(Kind::Group(Rc::new(Group {
            contents: states[0].clone(),
            should_break: false,
            id: None,
            expanded_states: Some(states.into()),
        }))),
    }
}

/// The contents, one indentation level further in (after its line breaks).
pub fn indent(contents: Doc<'_>) -> Doc<'_> {
    if contents.is_nil() {
        return contents;
    }
    let breaks = contents.will_break();
    Doc(Kind::Indent {
        contents: Rc::new(contents),
        breaks,
    })
}

fn align_with(align: Align, contents: Doc<'_>) -> Doc<'_> {
    if contents.is_nil() {
        return contents;
    }
    let breaks = contents.will_break();
    Doc(Kind::Align {
        align,
        contents: Rc::new(contents),
        breaks,
    })
}

/// The contents, indented by `spaces` more columns.
pub fn align(spaces: u32, contents: Doc<'_>) -> Doc<'_> {
    if spaces == 0 {
        return contents;
    }
    align_with(Align::Spaces(spaces), contents)
}

/// The contents with the indentation in force before the innermost [`indent`] or
/// [`align`].
pub fn dedent(contents: Doc<'_>) -> Doc<'_> {
    align_with(Align::Dedent, contents)
}

/// The contents without indentation.
pub fn dedent_to_root(contents: Doc<'_>) -> Doc<'_> {
    align_with(Align::Root, contents)
}

/// The contents, its lines indented to the column where it starts (Wadler and
/// Leijen's `align`, Elixir's `nest(doc, :cursor)`).
pub fn align_to_current_column(contents: Doc<'_>) -> Doc<'_> {
    align_with(Align::CurrentColumn, contents)
}

/// A space when flat, a line break when broken.
pub fn line<'a>() -> Doc<'a> {
    Doc(Kind::Line(LineKind::Space))
}

/// Nothing when flat, a line break when broken.
pub fn softline<'a>() -> Doc<'a> {
    Doc(Kind::Line(LineKind::Soft))
}

/// Always a line break; the enclosing groups break.
pub fn hardline<'a>() -> Doc<'a> {
    Doc(Kind::Line(LineKind::Hard))
}

/// Always a line break, with no indentation after it; the enclosing groups break.
pub fn literalline<'a>() -> Doc<'a> {
    Doc(Kind::Line(LineKind::Literal))
}

/// A line break that leaves one blank line: ends the current line and adds line
/// breaks until there is a blank line before the next, counting those just
/// printed, so that it never makes two blank lines in a row by itself (nor one at
/// the start of the output). The enclosing groups break.
pub fn empty_line<'a>() -> Doc<'a> {
    Doc(Kind::Line(LineKind::Empty))
}

/// Breaks the enclosing groups; prints nothing.
pub fn break_parent<'a>() -> Doc<'a> {
    Doc(Kind::BreakParent)
}

/// `broken` when the enclosing group is broken, `flat` when it is flat.
pub fn if_break<'a>(broken: Doc<'a>, flat: Doc<'a>) -> Doc<'a> {
    if_break_with(None, broken, flat)
}

/// `broken` when the group named `group` is broken, `flat` when it is flat (or
/// not printed yet).
pub fn if_break_in_group<'a>(group: GroupId, broken: Doc<'a>, flat: Doc<'a>) -> Doc<'a> {
    if_break_with(Some(group), broken, flat)
}

fn if_break_with<'a>(group: Option<GroupId>, broken: Doc<'a>, flat: Doc<'a>) -> Doc<'a> {
    if broken.is_nil() && flat.is_nil() {
        return nil();
    }
    // As in Prettier, a forced break in either branch breaks the enclosing groups.
    let breaks = broken.will_break() || flat.will_break();
    Doc(Kind::IfBreak(Rc::new(IfBreak {
        broken,
        flat,
        group,
        breaks,
    })))
}

/// The contents, indented when the group named `group` is broken.
pub fn indent_if_break(group: GroupId, contents: Doc<'_>) -> Doc<'_> {
    if contents.is_nil() {
        return contents;
    }
    let breaks = contents.will_break();
    Doc(Kind::IndentIfBreak {
        group,
        contents: Rc::new(contents),
        breaks,
    })
}

/// Prettier's `fill`: `parts` alternate contents and separators (`[c, s, c, s, c]`,
/// the separators usually [`line`] or [`softline`]). Each separator is flat when
/// the content after it fits on the line too, else broken; a content is printed
/// flat when it fits on the line, else broken.
pub fn fill<'a>(parts: impl IntoIterator<Item = Doc<'a>>) -> Doc<'a> {
    let parts: Vec<Doc<'a>> = parts.into_iter().collect();
    if parts.is_empty() {
        return nil();
    }
    let breaks = parts.iter().any(Doc::will_break);
    Doc(Kind::Fill {
        parts: parts.into(),
        breaks,
    })
}

/// Printed at the end of the line, just before the next line break (or at the end
/// of the output): a trailing comment. Its width does not count when measuring
/// whether a group fits. A line comment should come with a [`break_parent`] (its
/// line must end after it).
pub fn line_suffix(contents: Doc<'_>) -> Doc<'_> {
    if contents.is_nil() {
        return contents;
    }
    let breaks = contents.will_break();
    Doc(Kind::LineSuffix {
        contents: Rc::new(contents),
        breaks,
    })
}

/// A line break if line suffixes are pending (so that the trailing comment stays
/// before what follows), else nothing.
pub fn line_suffix_boundary<'a>() -> Doc<'a> {
    Doc(Kind::LineSuffixBoundary)
}

impl fmt::Debug for Doc<'_> {
    /// Prettier's doc-debug style: `group(["f(", indent([softline, "X"]), ")"])`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Nil => f.write_str("nil"),
            Kind::Text { text, .. } => write!(f, "{text:?}"),
            Kind::OwnedText { text, .. } => write!(f, "{:?}", &**text),
            Kind::Verbatim(verbatim) => write!(f, "verbatim({:?})", &*verbatim.text),
            Kind::Line(kind) => f.write_str(match kind {
                LineKind::Soft => "softline",
                LineKind::Space => "line",
                LineKind::Hard => "hardline",
                LineKind::Literal => "literalline",
                LineKind::Empty => "empty_line",
            }),
            Kind::BreakParent => f.write_str("break_parent"),
            Kind::LineSuffixBoundary => f.write_str("line_suffix_boundary"),
            Kind::Concat { parts, .. } => f.debug_list().entries(parts.iter()).finish(),
            Kind::Fill { parts, .. } => {
                f.write_str("fill(")?;
                f.debug_list().entries(parts.iter()).finish()?;
                f.write_str(")")
            }
            Kind::Group(group) => {
                match &group.expanded_states {
                    Some(states) => {
                        f.write_str("conditional_group(")?;
                        f.debug_list().entries(states.iter()).finish()?;
                    }
                    None => write!(f, "group({:?}", group.contents)?,
                }
                if group.should_break {
                    f.write_str(", break")?;
                }
                if let Some(id) = group.id {
                    write!(f, ", id: {id:?}")?;
                }
                f.write_str(")")
            }
            Kind::Indent { contents, .. } => write!(f, "indent({contents:?})"),
            Kind::Align {
                align, contents, ..
            } => match align {
                Align::Spaces(spaces) => write!(f, "align({spaces}, {contents:?})"),
                Align::Dedent => write!(f, "dedent({contents:?})"),
                Align::Root => write!(f, "dedent_to_root({contents:?})"),
                Align::CurrentColumn => write!(f, "align_to_current_column({contents:?})"),
            },
            Kind::IfBreak(if_break) => {
                write!(f, "if_break({:?}, {:?}", if_break.broken, if_break.flat)?;
                if let Some(id) = if_break.group {
                    write!(f, ", group: {id:?}")?;
                }
                f.write_str(")")
            }
            Kind::IndentIfBreak {
                group, contents, ..
            } => write!(f, "indent_if_break({group:?}, {contents:?})"),
            Kind::LineSuffix { contents, .. } => write!(f, "line_suffix({contents:?})"),
        }
    }
}
