//! Incremental reparsing: after an edit, lex and parse again only the token or forms it touches.
//!
//! [`Parse::reparse`] gives exactly what [`crate::parse`] gives for the edited text (the
//! same green tree, the same errors in the same order); property tests check this on
//! OTP's sources. It tries, in order:
//!
//! 1. **Token**: the edit lies inside one token, the token relexes (with enough context
//!    on both sides) to one token of the same kind, and the parser provably cannot tell
//!    the difference: no keyword or `maybe_expr` feature text, no attribute name, no
//!    change to whether the next token starts a line. The token is swapped in the green
//!    tree; nothing is parsed.
//! 2. **Forms**: the top-level forms around the edit, cut at `.`s that end a form, are
//!    lexed and parsed on their own with the `maybe_expr` state that holds where they
//!    start, and spliced into the root. The region grows by a form when its edges are
//!    not clean: a neighbour that does not end with a form-ending `.`, an error that
//!    points across the edge, a relexed region that no longer ends with a `.` where the
//!    old one did. When the `maybe_expr` state after the region changes, the region runs
//!    to the end of the file.
//! 3. **Full**: anything else is parsed from scratch.
//!
//! Why a piece of text can be lexed on its own: a token's extent depends on its text and
//! on at most [`LOOKAHEAD`] bytes after it (`1.0e+5`, `16#1.8#e+2`, `=:=`), and the lexer
//! keeps no other state, except at offset 0 (a byte order mark, an escript's shebang). So
//! a relexed window starts at least `LOOKAHEAD` bytes before the edit (for a form region,
//! right after white space that ends before the edit, which no token looks past), and
//! runs at least `LOOKAHEAD` bytes past a boundary where it agrees with the old tokens.

use rowan::{GreenNodeData, GreenToken, GreenTokenData, NodeOrToken, TextRange, TextSize};

use crate::{
    FileKind, Parse, ParseOptions, SyntaxElement, SyntaxError,
    SyntaxKind::{self, *},
    SyntaxNode, SyntaxToken, grammar,
    lexer::{self, LexOptions},
    tree_sink::{ParsedTree, TreeShape},
};

/// One replacement in a text: the bytes in `delete` (offsets into the old text) give way
/// to `insert`.
///
/// A range that reaches past the end of the text is cut at the end, and an offset inside
/// a character moves back to the start of the character; [`TextEdit::apply`] and
/// [`Parse::reparse`] agree on this.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextEdit {
    /// The range of the old text to remove.
    pub delete: TextRange,
    /// The text to put in its place.
    pub insert: String,
}

impl TextEdit {
    /// Replaces `delete` by `insert`.
    pub fn replace(delete: TextRange, insert: impl Into<String>) -> TextEdit {
        TextEdit {
            delete,
            insert: insert.into(),
        }
    }

    /// Inserts `text` at `offset`.
    pub fn insert(offset: TextSize, text: impl Into<String>) -> TextEdit {
        TextEdit::replace(TextRange::empty(offset), text)
    }

    /// Deletes `range`.
    pub fn delete(range: TextRange) -> TextEdit {
        TextEdit::replace(range, String::new())
    }

    /// The one replacement that turns `old` into `new`: what lies between their common
    /// prefix and their common suffix (which do not overlap), cut on char boundaries.
    /// What the caller has of an edit when it holds only the texts before and after.
    pub fn between(old: &str, new: &str) -> TextEdit {
        let (old_bytes, new_bytes) = (old.as_bytes(), new.as_bytes());
        let mut prefix = common_prefix(old_bytes, new_bytes);
        while !old.is_char_boundary(prefix) {
            prefix -= 1;
        }
        let limit = old.len().min(new.len()) - prefix;
        let mut suffix = common_suffix(&old_bytes[prefix..], &new_bytes[prefix..]).min(limit);
        // The suffix's bytes are the same in both texts, so a boundary in one is a
        // boundary in the other.
        while !old.is_char_boundary(old.len() - suffix) {
            suffix -= 1;
        }
        let offset = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
        TextEdit::replace(
            TextRange::new(offset(prefix), offset(old.len() - suffix)),
            &new[prefix..new.len() - suffix],
        )
    }

    /// The text after the edit.
    pub fn apply(&self, text: &str) -> String {
        let (start, end) = self.clamped(text.len(), |offset| text.is_char_boundary(offset));
        let mut out = String::with_capacity(text.len() - (end - start) + self.insert.len());
        out.push_str(&text[..start]);
        out.push_str(&self.insert);
        out.push_str(&text[end..]);
        out
    }

    /// The deleted range as byte offsets cut to `len` and moved back onto char boundaries.
    fn clamped(&self, len: usize, is_char_boundary: impl Fn(usize) -> bool) -> (usize, usize) {
        let floor = |offset: usize| {
            let mut offset = offset.min(len);
            while offset > 0 && !is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let start = floor(u32::from(self.delete.start()) as usize);
        let end = floor(u32::from(self.delete.end()) as usize);
        (start, end.max(start))
    }
}

/// How many leading bytes `a` and `b` share, compared a block at a time.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len]
        .iter()
        .zip(&b[at..len])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many trailing bytes `a` and `b` share, compared a block at a time.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut end = len;
    while end >= BLOCK && a[end - BLOCK..end] == b[end - BLOCK..end] {
        end -= BLOCK;
    }
    len - end
        + a[..end]
            .iter()
            .rev()
            .zip(b[..end].iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
}

/// Which way a reparse went, for tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) enum ReparsePath {
    /// One token was relexed and swapped; `range` is the new token's.
    Token { range: TextRange },
    /// Only the forms in `range` (of the new text) were lexed and parsed.
    Forms { range: TextRange },
    /// The whole text was parsed.
    Full,
}

impl Parse {
    /// The parse of this parse's text after `edit`: always equal to
    /// `parse(&edit.apply(&old_text), options)`, but usually much cheaper. `options`
    /// must be the ones this parse was made with.
    pub fn reparse(&self, edit: &TextEdit, options: &ParseOptions) -> Parse {
        reparse_with_path(self, edit, options).0
    }
}

/// [`Parse::reparse`], also saying how the work was done.
pub(crate) fn reparse_with_path(
    old: &Parse,
    edit: &TextEdit,
    options: &ParseOptions,
) -> (Parse, ReparsePath) {
    let root = old.syntax_node();
    if let Some(edit) = Edit::new(&root, edit) {
        if let Some((parse, range)) = reparse_token(old, &root, &edit, options) {
            return (parse, ReparsePath::Token { range });
        }
        if let Some((parse, range)) = reparse_forms(old, &root, &edit, options) {
            return (parse, ReparsePath::Forms { range });
        }
    }
    let text = edit.apply(&root.to_string());
    (crate::parse(&text, options), ReparsePath::Full)
}

/// How far past its end the lexer may look to decide where a token ends (at most 4 bytes:
/// the `#e+5` after the digits of a based float), with room to spare.
pub(crate) const LOOKAHEAD: u32 = 8;

/// How many times the region of a form-level reparse may grow before giving up.
const MAX_GROWTH: usize = 16;

/// An edit in the coordinates of the old tree, clamped to it.
struct Edit<'a> {
    /// The old text's length.
    old_len: u32,
    /// The deleted range of the old text.
    start: u32,
    end: u32,
    insert: &'a str,
    /// Where the inserted text ends in the new text.
    new_end: u32,
    /// The new text's length.
    new_len: u32,
    root: SyntaxNode,
}

impl<'a> Edit<'a> {
    fn new(root: &SyntaxNode, edit: &'a TextEdit) -> Option<Edit<'a>> {
        let old_len = u32::from(root.text_range().end());
        let (start, end) = edit.clamped(old_len as usize, |offset| {
            is_char_boundary(root, TextSize::from(offset as u32))
        });
        let (start, end) = (start as u32, end as u32);
        let insert_len = u32::try_from(edit.insert.len()).ok()?;
        let new_len = (old_len - (end - start)).checked_add(insert_len)?;
        Some(Edit {
            old_len,
            start,
            end,
            insert: &edit.insert,
            new_end: start + insert_len,
            new_len,
            root: root.clone(),
        })
    }

    /// Where an old offset at or after the deleted range ends up.
    fn shift(&self, old: TextSize) -> TextSize {
        debug_assert!(u32::from(old) >= self.end);
        old - TextSize::from(self.end) + TextSize::from(self.new_end)
    }

    /// The new text from `start` (an offset before the edit) to `end` (an old offset
    /// after it).
    fn new_text(&self, start: u32, old_end: u32) -> Option<String> {
        let mut text = old_text(&self.root, start, self.start)?;
        text.push_str(self.insert);
        text.push_str(&old_text(&self.root, self.end, old_end)?);
        Some(text)
    }

    fn lex_options(&self, start: u32, options: &ParseOptions) -> LexOptions {
        // A shebang exists only at the very start of an escript.
        let file_kind = if start > 0 && options.file_kind == FileKind::Escript {
            FileKind::Module
        } else {
            options.file_kind
        };
        LexOptions {
            release: options.release,
            file_kind,
        }
    }
}

fn is_char_boundary(root: &SyntaxNode, offset: TextSize) -> bool {
    token_at(root, u32::from(offset)).is_none_or(|token| {
        let local = u32::from(offset - token.text_range().start()) as usize;
        token.text().is_char_boundary(local)
    })
}

/// The token that holds the byte at `offset`, found by binary search at each level
/// (`SyntaxNode::token_at_offset` walks the root's children one by one).
fn token_at(root: &SyntaxNode, offset: u32) -> Option<SyntaxToken> {
    // Tokens are never empty, so one byte lies in exactly one child at each level.
    let byte = TextRange::at(TextSize::from(offset), TextSize::from(1));
    let mut node = root.clone();
    loop {
        match node.child_or_token_at_range(byte)? {
            NodeOrToken::Node(child) => node = child,
            NodeOrToken::Token(token) => return Some(token),
        }
    }
}

/// The old text from `start` to `end`; `None` when the ends are not on char boundaries.
fn old_text(root: &SyntaxNode, start: u32, end: u32) -> Option<String> {
    let mut text = String::with_capacity(end.saturating_sub(start) as usize);
    if start >= end {
        return Some(text);
    }
    let mut token = token_at(root, start)?;
    loop {
        let range = token.text_range();
        let (token_start, token_end) = (u32::from(range.start()), u32::from(range.end()));
        let from = start.max(token_start) - token_start;
        let to = end.min(token_end) - token_start;
        if from < to {
            text.push_str(token.text().get(from as usize..to as usize)?);
        }
        if token_end >= end {
            return Some(text);
        }
        token = next_token(root, &token)?;
    }
}

/// The token after `token`. (`SyntaxToken::next_token` stops at an empty node, and broken
/// code has those.)
fn next_token(root: &SyntaxNode, token: &SyntaxToken) -> Option<SyntaxToken> {
    if let Some(next) = token.next_token() {
        return Some(next);
    }
    token_at(root, end_of(token))
}

/// The token before `token`, past empty nodes too.
fn prev_token(root: &SyntaxNode, token: &SyntaxToken) -> Option<SyntaxToken> {
    if let Some(prev) = token.prev_token() {
        return Some(prev);
    }
    token_at(root, start_of(token).checked_sub(1)?)
}

fn start_of(token: &SyntaxToken) -> u32 {
    u32::from(token.text_range().start())
}

fn end_of(token: &SyntaxToken) -> u32 {
    u32::from(token.text_range().end())
}

// ---------------------------------------------------------------------------------------
// Token level
// ---------------------------------------------------------------------------------------

/// Swaps the one token the edit lies in, when that cannot change anything else.
fn reparse_token(
    old: &Parse,
    root: &SyntaxNode,
    edit: &Edit<'_>,
    options: &ParseOptions,
) -> Option<(Parse, TextRange)> {
    // The token before the edit's start when it starts between two tokens, then the one
    // at its start.
    let right = token_at(root, edit.start);
    let left = match &right {
        Some(right) if start_of(right) < edit.start => None,
        _ => edit
            .start
            .checked_sub(1)
            .and_then(|offset| token_at(root, offset)),
    };
    left.into_iter()
        .chain(right)
        .find_map(|token| swap_token(old, edit, options, &token))
}

fn swap_token(
    old: &Parse,
    edit: &Edit<'_>,
    options: &ParseOptions,
    token: &SyntaxToken,
) -> Option<(Parse, TextRange)> {
    let (ts, te) = (start_of(token), end_of(token));
    if edit.start < ts || edit.end > te {
        return None;
    }
    let kind = token.kind();
    if kind == ERROR {
        return None;
    }
    let old_token = token.text();
    let new_token = format!(
        "{}{}{}",
        old_token.get(..(edit.start - ts) as usize)?,
        edit.insert,
        old_token.get((edit.end - ts) as usize..)?
    );
    if new_token.is_empty() {
        return None;
    }
    let new_te = ts + new_token.len() as u32;
    if !parser_blind_to(edit, token, old_token, &new_token) {
        return None;
    }

    // The tokens from at least LOOKAHEAD bytes before the edit: the lexer restarts there.
    let mut first = token.clone();
    while edit.start - start_of(&first) < LOOKAHEAD {
        match prev_token(&edit.root, &first) {
            Some(prev) => first = prev,
            None => break,
        }
    }
    let mut before = Vec::new();
    let mut cursor = first.clone();
    while start_of(&cursor) < ts {
        before.push((cursor.kind(), cursor.text().len() as u32));
        cursor = next_token(&edit.root, &cursor)?;
    }
    // ... to at least LOOKAHEAD bytes after it, so the new token's end is certain.
    let mut last = token.clone();
    while end_of(&last) - te < LOOKAHEAD {
        match next_token(&edit.root, &last) {
            Some(next) => last = next,
            None => break,
        }
    }
    let window_start = start_of(&first);
    let window_end = end_of(&last);
    let window = edit.new_text(window_start, window_end)?;
    if window_start > 0 && window.starts_with('\u{FEFF}') {
        return None;
    }
    let (tokens, lex_errors) = lexer::tokenize(&window, &edit.lex_options(window_start, options));
    let same_before = tokens.len() > before.len()
        && tokens
            .iter()
            .zip(&before)
            .all(|(new, &(kind, len))| new.kind == kind && new.len == len);
    let relexed = tokens.get(before.len())?;
    if !same_before || relexed.kind != kind || relexed.len as usize != new_token.len() {
        return None;
    }
    let local = TextRange::new(
        TextSize::from(ts - window_start),
        TextSize::from(new_te - window_start),
    );
    if lex_errors.iter().any(|e| local.contains(e.range.start())) {
        return None;
    }

    // Errors: those before the token stay, those after it move; an error on the token
    // itself is a parser error pointing at it (a lexical one would make us give up).
    let old_range = token.text_range();
    let new_range = TextRange::new(TextSize::from(ts), TextSize::from(new_te));
    let mut errors = Vec::with_capacity(old.errors.len());
    let mut on_token = false;
    for error in &old.errors {
        let range = error.range();
        let range = if range.end() <= old_range.start() {
            range
        } else if range.start() >= old_range.end() {
            TextRange::new(edit.shift(range.start()), edit.shift(range.end()))
        } else if range == old_range {
            on_token = true;
            new_range
        } else {
            return None;
        };
        errors.push(SyntaxError::new(error.message(), range));
    }
    if on_token {
        let old_window = old_text(&edit.root, window_start, window_end)?;
        let (_, old_lex_errors) =
            lexer::tokenize(&old_window, &edit.lex_options(window_start, options));
        let local = old_range - TextSize::from(window_start);
        if old_lex_errors
            .iter()
            .any(|e| local.contains(e.range.start()))
        {
            return None;
        }
    }

    let green = token.replace_with(GreenToken::new(kind.into(), &new_token));
    if u32::from(green.text_len()) != edit.new_len {
        return None;
    }
    Some((Parse { green, errors }, new_range))
}

/// Whether the parser acts the same when `token` reads `new_token` instead of `old_token`
/// (of the same kind).
fn parser_blind_to(edit: &Edit<'_>, token: &SyntaxToken, old_token: &str, new_token: &str) -> bool {
    match token.kind() {
        // The parser reads these texts: contextual keywords, `-feature(...)`, and attribute
        // names (`-define`, `-record`, ...).
        ATOM => {
            !is_sensitive_atom(old_token)
                && !is_sensitive_atom(new_token)
                && previous_non_trivia(&edit.root, token).is_none_or(|t| t.kind() != MINUS)
        }
        // Whether the next token starts a line (form recovery looks at that).
        WHITESPACE => {
            old_token.ends_with('\n') == new_token.ends_with('\n')
                || next_token(&edit.root, token).is_none_or(|next| next.kind().is_trivia())
        }
        _ => true,
    }
}

/// Atom texts the parser looks at.
fn is_sensitive_atom(text: &str) -> bool {
    const TEXTS: [&str; 6] = [
        "maybe",
        "else",
        "feature",
        "maybe_expr",
        "enable",
        "disable",
    ];
    TEXTS.contains(&text) || TEXTS.contains(&unquote(text))
}

fn previous_non_trivia(root: &SyntaxNode, token: &SyntaxToken) -> Option<SyntaxToken> {
    let mut token = prev_token(root, token)?;
    while token.kind().is_trivia() {
        token = prev_token(root, &token)?;
    }
    Some(token)
}

fn next_non_trivia(root: &SyntaxNode, token: &SyntaxToken) -> Option<SyntaxToken> {
    let mut token = next_token(root, token)?;
    while token.kind().is_trivia() {
        token = next_token(root, &token)?;
    }
    Some(token)
}

/// The text of an atom without its quotes, as `grammar::attributes` reads attribute names.
fn unquote(text: &str) -> &str {
    text.strip_prefix('\'')
        .and_then(|t| t.strip_suffix('\''))
        .unwrap_or(text)
}

// ---------------------------------------------------------------------------------------
// Form level
// ---------------------------------------------------------------------------------------

/// A child of the root that is not trivia: a form, or a broken piece of one.
struct Unit {
    /// Its index among the root's children.
    index: usize,
    range: TextRange,
}

impl Unit {
    fn start(&self) -> u32 {
        u32::from(self.range.start())
    }

    fn end(&self) -> u32 {
        u32::from(self.range.end())
    }

    /// The unit in the tree (`None` for an empty node).
    fn element(&self, root: &SyntaxNode) -> Option<SyntaxElement> {
        if self.range.is_empty() {
            return None;
        }
        root.child_or_token_at_range(self.range)
            .filter(|element| element.index() == self.index)
    }

    /// The first token (`None` if the unit starts with an empty node).
    fn first_token(&self, root: &SyntaxNode) -> Option<SyntaxToken> {
        match self.element(root)? {
            NodeOrToken::Node(node) => node.first_token(),
            NodeOrToken::Token(token) => Some(token),
        }
    }

    /// The last token (`None` if the unit ends with an empty node).
    fn last_token(&self, root: &SyntaxNode) -> Option<SyntaxToken> {
        match self.element(root)? {
            NodeOrToken::Node(node) => node.last_token(),
            NodeOrToken::Token(token) => Some(token),
        }
    }

    /// Whether the unit ends with a `.` that ends a form (one followed by trivia), so the
    /// parser starts afresh after it whatever came before.
    fn ends_form(&self, root: &SyntaxNode) -> bool {
        self.last_token(root).is_some_and(|dot| {
            dot.kind() == DOT && next_token(root, &dot).is_some_and(|t| t.kind().is_trivia())
        })
    }
}

/// The children of `root` that are not trivia, read off the green tree (no cursors).
fn units(root: &GreenNodeData) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut offset = TextSize::from(0);
    for (index, child) in root.children().enumerate() {
        let range = TextRange::at(offset, child.text_len());
        offset = range.end();
        if !kind_of(child.kind()).is_trivia() {
            units.push(Unit { index, range });
        }
    }
    units
}

fn kind_of(raw: rowan::SyntaxKind) -> SyntaxKind {
    <crate::ErlangLanguage as rowan::Language>::kind_from_raw(raw)
}

/// What came of one try at a region.
enum Attempt {
    Done(Parse, TextRange),
    /// The relexed region does not end where the old one did: take one more form.
    GrowEnd,
    /// The `maybe_expr` state after the region changed: reparse to the end of the file.
    ToEnd,
}

/// Reparses the forms the edit touches, when that can be done exactly.
fn reparse_forms(
    old: &Parse,
    root: &SyntaxNode,
    edit: &Edit<'_>,
    options: &ParseOptions,
) -> Option<(Parse, TextRange)> {
    let units = units(root.green());
    // `None` for `first`: from the start of the file; for `last`: to its end.
    // A region starts after white space that ends before the edit: that white space ends
    // where it did, as the byte after it is unchanged.
    let mut first = units.iter().rposition(|u| u.start() < edit.start);
    let mut last = units
        .iter()
        .position(|u| u.end() >= edit.end && u.end() > edit.start);
    for _ in 0..MAX_GROWTH {
        if first == Some(0) {
            first = None;
        }
        if last.is_some_and(|l| l + 1 >= units.len()) {
            last = None;
        }
        if first.is_none() && last.is_none() {
            return None;
        }
        if let Some(f) = first
            && !clean_start(old, root, &units, f)
        {
            first = Some(f - 1);
            continue;
        }
        if let Some(l) = last
            && !clean_end(old, root, &units, l)
        {
            last = Some(l + 1);
            continue;
        }
        match reparse_region(old, root, edit, options, &units, first, last)? {
            Attempt::Done(parse, range) => return Some((parse, range)),
            Attempt::GrowEnd => last = last.map(|l| l + 1),
            Attempt::ToEnd => last = None,
        }
    }
    None
}

/// Whether a region may start at `units[f]` (`f > 0`): the parser starts afresh there, and
/// no error from before points at it.
fn clean_start(old: &Parse, root: &SyntaxNode, units: &[Unit], f: usize) -> bool {
    let unit = &units[f];
    let Some(token) = unit.first_token(root) else {
        return false;
    };
    start_of(&token) == unit.start()
        && !token.kind().is_trivia()
        // A byte order mark is white space only at offset 0.
        && !token.text().starts_with('\u{FEFF}')
        && units[f - 1].ends_form(root)
        && !errors_start_in(old, unit.start(), unit.start())
}

/// Whether a region may end after `units[l]` (`l + 1 < units.len()`): it ends with a
/// form-ending `.`, and no error points at the trivia or the token after it.
fn clean_end(old: &Parse, root: &SyntaxNode, units: &[Unit], l: usize) -> bool {
    let unit = &units[l];
    let next = unit
        .last_token(root)
        .and_then(|t| next_non_trivia(root, &t));
    unit.ends_form(root)
        && next.is_some_and(|next| !errors_start_in(old, unit.end(), start_of(&next)))
}

/// Whether some old error starts in `from..=to`.
fn errors_start_in(old: &Parse, from: u32, to: u32) -> bool {
    let i = old
        .errors
        .partition_point(|e| u32::from(e.range().start()) < from);
    old.errors
        .get(i)
        .is_some_and(|e| u32::from(e.range().start()) <= to)
}

fn reparse_region(
    old: &Parse,
    root: &SyntaxNode,
    edit: &Edit<'_>,
    options: &ParseOptions,
    units: &[Unit],
    first: Option<usize>,
    last: Option<usize>,
) -> Option<Attempt> {
    let region_start = first.map_or(0, |f| units[f].start());
    let child_start = first.map_or(0, |f| units[f].index);
    // The end of the region in the old text, the index after its last child, the first
    // token after it, and how far to lex so the tokens up to the region's end are certain.
    let (old_end, child_end, next_token, lex_end) = match last {
        Some(l) => {
            let unit = &units[l];
            let dot = unit.last_token(root)?;
            let mut lex_until = dot.clone();
            while end_of(&lex_until) - unit.end() < LOOKAHEAD {
                match next_token(root, &lex_until) {
                    Some(next) => lex_until = next,
                    None => break,
                }
            }
            (
                unit.end(),
                unit.index + 1,
                next_non_trivia(root, &dot),
                end_of(&lex_until),
            )
        }
        None => (
            edit.old_len,
            root.green().children().len(),
            None,
            edit.old_len,
        ),
    };
    let new_end = u32::from(edit.shift(TextSize::from(old_end)));
    let region_len = new_end - region_start;

    let window = edit.new_text(region_start, lex_end)?;
    let (mut tokens, lex_errors) =
        lexer::tokenize(&window, &edit.lex_options(region_start, options));
    if last.is_some() {
        // The region must still end with a form-ending `.` where the old one did.
        let mut len = 0;
        let mut count = 0;
        while len < region_len && count < tokens.len() {
            len += tokens[count].len;
            count += 1;
        }
        if len != region_len || count == 0 || tokens[count - 1].kind != DOT {
            return Some(Attempt::GrowEnd);
        }
        tokens.truncate(count);
    }
    let lex_errors: Vec<SyntaxError> = lex_errors
        .into_iter()
        .filter(|e| u32::from(e.range.start()) < region_len)
        .map(|e| SyntaxError::new(e.message, e.range))
        .collect();
    let text = window.get(..region_len as usize)?;
    let at_line_start = match first {
        None => true,
        Some(f) => {
            let token = units[f].first_token(root)?;
            prev_token(root, &token)?.text().ends_with('\n')
        }
    };

    let terms = options.file_kind == FileKind::Terms;
    let initial = options.release.maybe_expr_by_default();
    let maybe_at_start = if terms {
        initial
    } else {
        fold_features(root.green().children().take(child_start), initial)
    };
    let next_token_local = next_token.as_ref().map(|token| {
        TextRange::at(
            edit.shift(token.text_range().start()) - TextSize::from(region_start),
            token.text_range().len(),
        )
    });
    let grammar::FormsParse {
        tree: region,
        errors: region_errors,
        maybe_enabled: maybe_at_end,
        error_before_first_node,
    } = grammar::parse_forms(
        text,
        &tokens,
        lex_errors,
        options,
        grammar::Region {
            at_line_start,
            maybe_enabled: maybe_at_start,
            next_token: next_token_local,
        },
        TreeShape::Green,
    );
    let ParsedTree::Green(region) = region else {
        unreachable!("a green tree was asked for")
    };
    if error_before_first_node && first.is_some() {
        return None;
    }
    let region_root = SyntaxNode::new_root(region.clone());
    if last.is_some() && ends_with_empty_node(&region_root) {
        // A node that starts after the last `.` takes in the trivia that follows it.
        return Some(Attempt::GrowEnd);
    }
    if !terms {
        // The parser's own answer, as a check on `fold_features`.
        let folded = fold_features(region.children(), maybe_at_start);
        debug_assert_eq!(
            folded, maybe_at_end,
            "fold_features disagrees with the parser on the `maybe_expr` state"
        );
        if folded != maybe_at_end {
            return None;
        }
    }
    if last.is_some() {
        let old_state = if terms {
            initial
        } else {
            fold_features(
                root.green()
                    .children()
                    .skip(child_start)
                    .take(child_end - child_start),
                maybe_at_start,
            )
        };
        if old_state != maybe_at_end {
            return Some(Attempt::ToEnd);
        }
    }

    let green = root.green().splice_children(
        child_start..child_end,
        region.children().map(|child| child.to_owned()),
    );
    if u32::from(green.text_len()) != edit.new_len {
        return None;
    }

    // Errors: before the region they stay, inside they are the new ones, after it they
    // move.
    let region_start_size = TextSize::from(region_start);
    let mut errors: Vec<SyntaxError> = Vec::with_capacity(old.errors.len());
    for error in &old.errors {
        if error.range().start() >= region_start_size {
            break;
        }
        if error.range().end() > region_start_size {
            return None;
        }
        errors.push(error.clone());
    }
    errors.extend(
        region_errors
            .into_iter()
            .map(|error| SyntaxError::new(error.message(), error.range() + region_start_size)),
    );
    if last.is_some() {
        let old_end_size = TextSize::from(old_end);
        let from = old
            .errors
            .partition_point(|e| e.range().start() < old_end_size);
        errors.extend(old.errors[from..].iter().map(|error| {
            let range = error.range();
            SyntaxError::new(
                error.message(),
                TextRange::new(edit.shift(range.start()), edit.shift(range.end())),
            )
        }));
    }
    errors.sort_by_key(|e| (e.range().start(), e.range().end()));
    let range = TextRange::new(region_start_size, TextSize::from(new_end));
    Some(Attempt::Done(Parse { green, errors }, range))
}

/// Whether a node (empty, as it comes after the last token) ends the tree: the tree
/// builder puts the trivia before a node's start into its parent, so in the whole file
/// the trivia after the region would go into the region's last form.
fn ends_with_empty_node(root: &SyntaxNode) -> bool {
    let mut node = root.clone();
    loop {
        match node.last_child_or_token() {
            Some(NodeOrToken::Node(child)) if child.text_range().is_empty() => return true,
            Some(NodeOrToken::Node(child)) => node = child,
            Some(NodeOrToken::Token(_)) | None => return false,
        }
    }
}

/// The `maybe_expr` state after `forms` (children of a root), starting from `state`.
fn fold_features<'a>(
    forms: impl Iterator<Item = NodeOrToken<&'a GreenNodeData, &'a GreenTokenData>>,
    mut state: bool,
) -> bool {
    for form in forms {
        if let NodeOrToken::Node(form) = form
            && let Some(enabled) = feature_effect(form)
        {
            state = enabled;
        }
    }
    state
}

/// What a top-level form does to the `maybe_expr` state, as `grammar::attributes`
/// decides it: a `-feature(...)` attribute (any node that is not an `ERROR` and starts
/// with `-` and the atom `feature`) whose tokens include `maybe_expr` turns it on if they
/// include `enable`, else off if they include `disable`.
fn feature_effect(form: &GreenNodeData) -> Option<bool> {
    if kind_of(form.kind()) == ERROR {
        return None;
    }
    let mut tokens = non_trivia_tokens(form);
    if kind_of(tokens.next()?.kind()) != MINUS || unquote(tokens.next()?.text()) != "feature" {
        return None;
    }
    let (mut maybe_expr, mut enable, mut disable) = (false, false, false);
    for token in non_trivia_tokens(form) {
        match token.text() {
            "maybe_expr" => maybe_expr = true,
            "enable" => enable = true,
            "disable" => disable = true,
            _ => {}
        }
    }
    match (maybe_expr, enable, disable) {
        (true, true, _) => Some(true),
        (true, false, true) => Some(false),
        _ => None,
    }
}

/// The tokens under `node` that are not trivia, in order.
fn non_trivia_tokens(node: &GreenNodeData) -> impl Iterator<Item = &GreenTokenData> {
    let mut stack = vec![node.children()];
    std::iter::from_fn(move || {
        loop {
            match stack.last_mut()?.next() {
                None => {
                    stack.pop();
                }
                Some(NodeOrToken::Node(child)) => stack.push(child.children()),
                Some(NodeOrToken::Token(token)) if !kind_of(token.kind()).is_trivia() => {
                    return Some(token);
                }
                Some(NodeOrToken::Token(_)) => {}
            }
        }
    })
}
