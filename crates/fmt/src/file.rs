//! Formats a whole file as erlfmt does: cuts it into top-level nodes with their
//! comments, formats each one (or keeps it verbatim), and joins them.
//!
//! erlfmt reads a file form by form: a node is a form up to its dot, with the
//! comments before it and the comments on the line of its dot. Comments after the
//! last form make a node of their own, kept as written. Between two nodes at most
//! one blank line is kept. A node that does not parse, or that follows an
//! `erlfmt:ignore` comment, is kept as written. The `@format` / `@noformat`
//! pragmas are read from the comments of the first node.
//!
//! A form's nodes and its layout's documents are made in one arena, which is
//! reset once the form is printed; the comments of the whole file, cut up front
//! with the chunks, are in another.

use std::cell::OnceCell;

use bumpalo::Bump;
use syntax::{FlatNodeView, LineIndex, NodeOrToken, ParseOptions, SyntaxKind, TextRange, TextSize};

use self::tokens::TokenCursor;
use crate::node::{Comment, Kind, Loc, Meta, Node, joined};
use crate::{FormatOptions, Formatted, PragmaMode, SkippedForm, SourceKind};

/// One top-level piece of the file, as erlfmt cuts it.
struct Chunk<'a> {
    /// The form, or `None` for the comments after the last form.
    form: Option<FlatNodeView<'a>>,
    /// The text of the chunk: its comments, its form and the comments on the line
    /// of its dot.
    range: TextRange,
    /// The comment blocks of the chunk, in order.
    comments: &'a [Comment<'a>],
    /// The chunk is an escript's `#!` line (with its `%%!` line as a comment).
    shebang: bool,
    /// The form holds an `ERROR` node or token (found while its tokens are read
    /// for the comments, which spares lowering another walk over the form).
    has_error: bool,
}

/// A top-level node, formatted or kept as it was.
enum TopNode<'a> {
    /// A node to format; `source` is where the form is, `raw` the node kept verbatim,
    /// should the formatted form fail the safety check.
    Formatted {
        node: Node<'a>,
        source: TextRange,
        raw: Box<TopNode<'a>>,
        /// The node was read from the file's tree, whose tokens at `source` the
        /// safety check compares with the formatted text's; not when it was read
        /// another way (the shebang, a form read again without `maybe`).
        in_tree: bool,
    },
    Raw {
        text: &'a str,
        loc: Loc,
        end: Loc,
    },
}

impl TopNode<'_> {
    fn line(&self) -> u32 {
        match self {
            TopNode::Formatted { node, .. } => node.meta.loc.line,
            TopNode::Raw { loc, .. } => loc.line,
        }
    }

    fn end_line(&self) -> u32 {
        match self {
            TopNode::Formatted { node, .. } => node.meta.end.line,
            TopNode::Raw { end, .. } => end.line,
        }
    }
}

/// erlfmt's ignore states: after `erlfmt:ignore` one form is kept, between
/// `erlfmt:ignore-begin` and `-end` all are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ignore {
    No,
    Next,
    Section,
}

/// Formats `text`; see the crate documentation.
pub fn format_file(text: &str, kind: SourceKind, options: &FormatOptions) -> Formatted {
    // The file is walked once, form by form: a flat tree is built much faster
    // than rowan's, and freed in one go.
    let parse = syntax::parse_flat(
        text,
        &ParseOptions {
            release: kind.release,
            file_kind: kind.file_kind,
        },
    );
    let tokens = &parse.tokens;
    let index = LineIndex::new(text);
    let root = parse.tree.root(text);
    let comments = Bump::new();
    // A tree without errors has no `ERROR` node: the lexer's tokens then tell
    // all that the chunks need of each form.
    let form_tokens = parse.errors.is_empty().then_some(tokens.as_slice());
    let chunks = split_chunks(root, text, &index, &comments, form_tokens);
    let mut skipped = Vec::new();
    let mut ignore = Ignore::No;
    let source = Source {
        text,
        index: &index,
        errors: &parse.errors,
        without_maybe: OnceCell::new(),
    };
    let unchanged = |skipped| Formatted {
        text: text.to_owned(),
        skipped,
    };
    let mut printer = Printer::new(
        text,
        tokens,
        options.print_width,
        syntax::LexOptions {
            release: kind.release,
            file_kind: kind.file_kind,
        },
    );
    // Each node is lowered just before it is printed, into an arena that its
    // documents share and that is reset once it is printed: the nodes of a
    // whole file are never held at once, and each form reuses the memory (still
    // in the cache) of the one before.
    let mut arena = Bump::new();
    let mut chunks = chunks.into_iter();
    {
        let mut lower = |chunk| chunk_node(chunk, &source, &arena, &mut ignore, &mut skipped);
        // The pragma is read from the first node, or the one after a shebang.
        let mut ahead: Vec<TopNode<'_>> = chunks.next().map(&mut lower).into_iter().collect();
        let first = usize::from(matches!(
            ahead.first(),
            Some(TopNode::Formatted { node, .. }) if matches!(node.kind, Kind::Shebang(_))
        ));
        if first == 1 {
            ahead.extend(chunks.next().map(&mut lower));
        }
        let pragma = ahead.get(first).map_or(Pragma::None, pragma_of);
        match (pragma, options.pragma) {
            (Pragma::NoFormat, _) => return unchanged(Vec::new()),
            (Pragma::None, PragmaMode::Require | PragmaMode::Delete) => {
                return unchanged(Vec::new());
            }
            (Pragma::None, PragmaMode::Insert) => {
                if let Some(TopNode::Formatted { node, .. }) = ahead.get_mut(first) {
                    insert_pragma(&arena, node);
                }
            }
            (Pragma::Format, PragmaMode::Delete) => {
                if let Some(TopNode::Formatted { node, .. }) = ahead.get_mut(first) {
                    delete_pragma(&arena, node);
                }
            }
            _ => {}
        }
        for node in &ahead {
            printer.print(node, &arena);
        }
    }
    arena.reset();
    for chunk in chunks {
        let node = chunk_node(chunk, &source, &arena, &mut ignore, &mut skipped);
        printer.print(&node, &arena);
        drop(node);
        arena.reset();
    }
    let (text, layout_skipped) = printer.finish();
    skipped.extend(layout_skipped);
    skipped.sort_by_key(|form| form.range.start());
    Formatted { text, skipped }
}

/// Cuts the file into erlfmt's chunks; their comments go into `bump`.
fn split_chunks<'a>(
    root: FlatNodeView<'a>,
    text: &'a str,
    index: &LineIndex<'a>,
    bump: &'a Bump,
    tokens: Option<&[syntax::Token]>,
) -> Vec<Chunk<'a>> {
    let mut tokens = tokens.map(TokenCursor::new);
    let mut chunks = Vec::new();
    // The comments waiting for the next form, and where the chunk starts.
    let mut pending: Vec<TextRange> = Vec::new();
    let mut chunk_start: Option<TextSize> = None;
    // The line of the last chunk's dot, while it still takes the comments on that line.
    let mut dot_line: Option<u32> = None;
    let shebang = shebang_chunk(root, text, index, bump);
    // The blocks of each chunk in turn, in buffers used again for the next.
    let mut blocks = CommentBlocks::new(text, index, bump);
    let consumed = shebang
        .as_ref()
        .map_or(TextSize::new(0), |chunk| chunk.range.end());
    chunks.extend(shebang);
    for element in root.children_with_tokens() {
        let element_end = match &element {
            NodeOrToken::Node(node) => node.text_range().end(),
            NodeOrToken::Token(token) => token.text_range().end(),
        };
        if element_end <= consumed {
            continue;
        }
        match element {
            NodeOrToken::Token(token) => match token.kind() {
                SyntaxKind::WHITESPACE => {}
                SyntaxKind::COMMENT | SyntaxKind::SHEBANG => {
                    let range = token.text_range();
                    let line = index.line(usize::from(range.start()));
                    if token.kind() == SyntaxKind::COMMENT
                        && dot_line == Some(line)
                        && let Some(last) = chunks.last_mut()
                    {
                        let last: &mut Chunk<'a> = last;
                        last.range = last.range.cover(range);
                        let block = bump.alloc_slice_copy(&[comment(text, index, range, bump)]);
                        last.comments = joined(bump, last.comments, block);
                        continue;
                    }
                    dot_line = None;
                    chunk_start.get_or_insert(range.start());
                    pending.push(range);
                }
                _ => {
                    // A stray token at the top level: a chunk of its own, kept verbatim.
                    dot_line = None;
                    let range = token.text_range();
                    let start = chunk_start.take().unwrap_or(range.start());
                    pending.drain(..).for_each(|range| blocks.comment(range));
                    chunks.push(Chunk {
                        form: None,
                        range: TextRange::new(start, range.end()),
                        comments: blocks.finish(),
                        shebang: false,
                        has_error: false,
                    });
                }
            },
            NodeOrToken::Node(form) => {
                let range = form.text_range();
                let start = chunk_start.take().unwrap_or(range.start());
                dot_line = Some(index.line(usize::from(range.end()).saturating_sub(1)));
                pending.drain(..).for_each(|range| blocks.comment(range));
                let mut has_error_token = false;
                let mut visit = |kind, range| match kind {
                    SyntaxKind::WHITESPACE => {}
                    SyntaxKind::COMMENT => blocks.comment(range),
                    _ => {
                        has_error_token |= kind == SyntaxKind::ERROR;
                        blocks.token(range);
                    }
                };
                let has_error_node = match tokens.as_mut().and_then(|tokens| tokens.covering(range))
                {
                    Some((run, start)) => {
                        let mut at = TextSize::try_from(start).unwrap_or_default();
                        for token in run {
                            let len = TextSize::new(token.len);
                            visit(token.kind, TextRange::at(at, len));
                            at += len;
                        }
                        false
                    }
                    None => for_each_token(&form, visit),
                };
                let has_error = has_error_token || has_error_node;
                chunks.push(Chunk {
                    form: Some(form),
                    range: TextRange::new(start, range.end()),
                    comments: blocks.finish(),
                    shebang: false,
                    has_error,
                });
            }
        }
    }
    if let Some(start) = chunk_start {
        // erlfmt keeps everything after the last form, up to the end of the file.
        let end = root.text_range().end();
        pending.drain(..).for_each(|range| blocks.comment(range));
        chunks.push(Chunk {
            form: None,
            range: TextRange::new(start, end),
            comments: blocks.finish(),
            shebang: false,
            has_error: false,
        });
    }
    chunks
}

/// Calls `visit` with the kind and range of each token of `node`, in order, and
/// tells whether `node` holds an `ERROR` node.
fn for_each_token(node: &FlatNodeView<'_>, mut visit: impl FnMut(SyntaxKind, TextRange)) -> bool {
    let mut has_error = false;
    for element in node.descendants_with_tokens() {
        match element {
            NodeOrToken::Node(node) => has_error |= node.kind() == SyntaxKind::ERROR,
            NodeOrToken::Token(token) => visit(token.kind(), token.text_range()),
        }
    }
    has_error
}

/// erlfmt's second try at a form that does not parse: with `maybe` and `else`
/// read as atoms (`-define(NEW, maybe).`). The file is read again (once) with the
/// syntax of OTP 25, where they are atoms, and the form at the same place is lowered.
fn lower_without_maybe<'a>(
    form: &FlatNodeView<'_>,
    source: &Source<'_, 'a>,
    bump: &'a Bump,
) -> Option<Node<'a>> {
    let has_keywords = form
        .tokens()
        .any(|token| matches!(token.kind(), SyntaxKind::MAYBE_KW | SyntaxKind::ELSE_KW));
    if !has_keywords {
        return None;
    }
    let parse = source.without_maybe.get_or_init(|| {
        let options = ParseOptions {
            release: syntax::OtpRelease(25),
            file_kind: syntax::FileKind::Module,
        };
        syntax::parse_flat(source.text, &options)
    });
    let again = parse
        .tree
        .root(source.text)
        .children()
        .find(|node| node.text_range() == form.text_range())?;
    let has_errors = parse
        .errors
        .iter()
        .any(|error| again.text_range().contains_range(error.range()));
    if has_errors {
        return None;
    }
    crate::lower::lower_form(&again, source.index, source.text, bump).ok()
}

/// The `#!` line of an escript, with the `%%!` comment line that may follow it
/// (erlfmt's split_shebang).
fn shebang_chunk<'a>(
    root: FlatNodeView<'_>,
    text: &'a str,
    index: &LineIndex<'a>,
    bump: &'a Bump,
) -> Option<Chunk<'a>> {
    let mut tokens = root
        .children_with_tokens()
        .filter_map(NodeOrToken::into_token)
        .filter(|token| token.kind() != SyntaxKind::WHITESPACE);
    let shebang = tokens
        .next()
        .filter(|token| token.kind() == SyntaxKind::SHEBANG)?;
    let mut range = shebang.text_range();
    let comments: Vec<_> = tokens
        .take(2)
        .take_while(|token| token.kind() == SyntaxKind::COMMENT)
        .map(|token| token.text_range())
        .collect();
    let is_flags = |range: &TextRange| text[*range].starts_with("%%!");
    let mut blocks = CommentBlocks::new(text, index, bump);
    let taken = match comments.as_slice() {
        [first, ..] if is_flags(first) => &comments[..1],
        [_, second] if is_flags(second) => &comments[..2],
        _ => &[],
    };
    for &comment in taken {
        blocks.comment(comment);
        range = range.cover(comment);
    }
    Some(Chunk {
        form: None,
        range,
        comments: blocks.finish(),
        shebang: true,
        has_error: false,
    })
}

/// Groups the comments of a chunk into blocks as erlfmt_scan does: a comment on
/// the line of the token before it stands alone; any other comment starts a block
/// that takes the comments on the lines right after it.
struct CommentBlocks<'t, 'a> {
    text: &'a str,
    index: &'t LineIndex<'a>,
    /// Where the blocks go.
    bump: &'a Bump,
    /// Each block's extent and its lines in `lines`; the lines of all blocks are
    /// gathered in one buffer, which goes into the arena at its final size.
    blocks: Vec<(Loc, Loc, std::ops::Range<usize>)>,
    lines: Vec<&'a str>,
    /// The last block still takes comments on the next line.
    open: bool,
    /// Where the last token starts; its line is looked up only when a comment
    /// follows, as most tokens are not followed by one.
    token_start: Option<usize>,
}

impl<'t, 'a> CommentBlocks<'t, 'a> {
    fn new(text: &'a str, index: &'t LineIndex<'a>, bump: &'a Bump) -> Self {
        CommentBlocks {
            text,
            index,
            bump,
            blocks: Vec::new(),
            lines: Vec::new(),
            open: false,
            token_start: None,
        }
    }

    fn comment(&mut self, range: TextRange) {
        let (body, loc, end) = comment_at(self.text, self.index, range);
        let token_line = self.token_start.map(|start| self.index.line(start));
        let at = self.lines.len();
        self.lines.push(body);
        if token_line == Some(loc.line) {
            self.blocks.push((loc, end, at..at + 1));
            self.open = false;
            return;
        }
        match self.blocks.last_mut() {
            Some((_, block_end, lines)) if self.open && block_end.line + 1 == loc.line => {
                *block_end = end;
                lines.end = at + 1;
            }
            _ => {
                self.blocks.push((loc, end, at..at + 1));
                self.open = true;
            }
        }
    }

    fn token(&mut self, range: TextRange) {
        self.open = false;
        self.token_start = Some(usize::from(range.start()));
    }

    /// The blocks, in the arena; the buffers are left empty for the next chunk.
    fn finish(&mut self) -> &'a [Comment<'a>] {
        self.open = false;
        self.token_start = None;
        if self.blocks.is_empty() {
            return &[];
        }
        let lines: &'a [&'a str] = self.bump.alloc_slice_copy(&self.lines);
        self.lines.clear();
        self.bump
            .alloc_slice_fill_iter(self.blocks.drain(..).map(|(loc, end, range)| Comment {
                loc,
                end,
                lines: &lines[range],
            }))
    }
}

/// One comment (erlfmt keeps its text without trailing whitespace).
fn comment<'a>(
    text: &'a str,
    index: &LineIndex<'a>,
    range: TextRange,
    bump: &'a Bump,
) -> Comment<'a> {
    let (body, loc, end) = comment_at(text, index, range);
    Comment {
        loc,
        end,
        lines: std::slice::from_ref(bump.alloc(body)),
    }
}

/// The text of the comment at `range`, where it starts and where it ends.
fn comment_at<'a>(text: &'a str, index: &LineIndex<'a>, range: TextRange) -> (&'a str, Loc, Loc) {
    let body = text[range].trim_end();
    let start = usize::from(range.start());
    (body, loc(index, start), loc(index, start + body.len()))
}

fn loc(index: &LineIndex<'_>, offset: usize) -> Loc {
    let at = index.line_column(offset);
    Loc::new(at.line, at.column)
}

/// The file being formatted, as the chunks need it.
struct Source<'t, 'a> {
    text: &'a str,
    index: &'t LineIndex<'a>,
    /// The parse's errors.
    errors: &'t [syntax::SyntaxError],
    /// The file read again with `maybe` and `else` as atoms, once some form needs it.
    without_maybe: OnceCell<syntax::FlatParse>,
}

/// The node of one chunk: the formatted form (its nodes in `bump`), or its text.
fn chunk_node<'a>(
    chunk: Chunk<'a>,
    source: &Source<'_, 'a>,
    bump: &'a Bump,
    ignore: &mut Ignore,
    skipped: &mut Vec<SkippedForm>,
) -> TopNode<'a> {
    let (text, index, errors) = (source.text, source.index, source.errors);
    let raw = |chunk: &Chunk<'a>| {
        let full = &text[chunk.range];
        let from_start = full.trim_start_matches('\n');
        let start = usize::from(chunk.range.start()) + (full.len() - from_start.len());
        let body = from_start.trim_end_matches('\n');
        TopNode::Raw {
            text: body,
            loc: loc(index, start),
            end: loc(index, start + body.len()),
        }
    };
    let Some(form) = &chunk.form else {
        if chunk.shebang {
            let shebang = &text[chunk.range];
            let line = shebang.split('\n').next().unwrap_or(shebang);
            let start = usize::from(chunk.range.start());
            let mut meta = Meta::new(loc(index, start), loc(index, start + line.len()));
            let raw = Box::new(raw(&chunk));
            meta.put_post_comments(bump, chunk.comments);
            return TopNode::Formatted {
                node: Node::new(meta, Kind::Shebang(line.trim_end())),
                source: chunk.range,
                raw,
                in_tree: false,
            };
        }
        return raw(&chunk);
    };
    let form_line = index.line(usize::from(form.text_range().start()));
    let pre_comments = chunk
        .comments
        .iter()
        .take_while(|c| c.end.line <= form_line);
    let state = ignore_state(pre_comments, *ignore);
    *ignore = if state == Ignore::Next {
        Ignore::No
    } else {
        state
    };
    if state != Ignore::No {
        return raw(&chunk);
    }
    // Errors inside tokens (a bad escape in a string) leave the tree intact.
    let form_range = form.text_range();
    if let Some(error) = errors
        .iter()
        .find(|error| form_range.contains_range(error.range()))
    {
        skipped.push(SkippedForm {
            range: form_range,
            reason: error.message().to_owned(),
        });
        return raw(&chunk);
    }
    let lowered = if chunk.has_error {
        crate::lower::lower_form(form, index, text, bump)
    } else {
        crate::lower::lower_form_without_errors(form, index, text, bump)
    };
    let (lowered, in_tree) = match lowered {
        Ok(node) => (Ok(node), true),
        Err(unsupported) => (
            lower_without_maybe(form, source, bump).ok_or(unsupported),
            false,
        ),
    };
    match lowered {
        Ok(mut node) => {
            let raw = Box::new(raw(&chunk));
            crate::recomment::recomment(bump, &mut node, chunk.comments);
            TopNode::Formatted {
                node,
                source: form.text_range(),
                raw,
                in_tree,
            }
        }
        Err(unsupported) => {
            skipped.push(SkippedForm {
                range: form.text_range(),
                reason: unsupported.reason,
            });
            raw(&chunk)
        }
    }
}

/// The ignore state after the comments before a form.
fn ignore_state<'c, 'a: 'c>(
    comments: impl Iterator<Item = &'c Comment<'a>>,
    mut state: Ignore,
) -> Ignore {
    for comment in comments {
        for line in comment.lines {
            let directive = line.trim_start_matches(['%', ' ']);
            let is = |word: &str| {
                directive.strip_prefix(word).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with(' ') || rest.starts_with('%')
                })
            };
            if is("erlfmt-ignore") || is("erlfmt:ignore") || is("erlkit:fmt-ignore") {
                state = Ignore::Next;
            } else if is("erlfmt-ignore-begin")
                || is("erlfmt:ignore-begin")
                || is("erlkit:fmt-ignore-begin")
            {
                state = Ignore::Section;
            } else if is("erlfmt-ignore-end")
                || is("erlfmt:ignore-end")
                || is("erlkit:fmt-ignore-end")
            {
                state = Ignore::No;
            }
        }
    }
    state
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pragma {
    None,
    Format,
    NoFormat,
}

/// The pragma in the comments of the first node.
fn pragma_of(node: &TopNode<'_>) -> Pragma {
    let TopNode::Formatted { node, .. } = node else {
        return Pragma::None;
    };
    let comments = node
        .meta
        .pre_comments()
        .iter()
        .chain(node.meta.post_comments());
    let mut pragma = Pragma::None;
    for comment in comments {
        for line in comment.lines {
            if line.contains("@noformat") {
                return Pragma::NoFormat;
            }
            if line.contains("@format") {
                pragma = Pragma::Format;
            }
        }
    }
    pragma
}

/// Adds `%% @format` before the first node (erlfmt's insert_pragma_node).
fn insert_pragma<'a>(bump: &'a Bump, node: &mut Node<'a>) {
    let pre = node.meta.pre_comments();
    let post = node.meta.post_comments();
    let pre = match pre.split_last() {
        None => {
            let at = node.meta.loc;
            bump.alloc_slice_copy(&[Comment {
                loc: at,
                end: at,
                lines: &["%%% % @format", ""],
            }])
        }
        Some((block, before)) => {
            // erlfmt adds the leading `%`s of the block's last line, then ` % @format`.
            let last = block.lines.last().copied().unwrap_or("%");
            let prefix_len = last.len() - last.trim_start_matches('%').len();
            const LINES: [&str; 5] = [
                " % @format",
                "% % @format",
                "%% % @format",
                "%%% % @format",
                "%%%% % @format",
            ];
            let pragma = [LINES[prefix_len.min(LINES.len() - 1)]];
            let block = Comment {
                lines: joined_lines(bump, block.lines, &pragma),
                ..*block
            };
            joined(bump, before, bump.alloc_slice_copy(&[block]))
        }
    };
    node.meta.set_comments(bump, pre, post);
}

/// Removes the `@format` pragma line (erlfmt's remove_pragma_node).
fn delete_pragma<'a>(bump: &'a Bump, node: &mut Node<'a>) {
    let without_pragma = |comments: &'a [Comment<'a>]| -> &'a [Comment<'a>] {
        let mut kept = bumpalo::collections::Vec::with_capacity_in(comments.len(), bump);
        for block in comments {
            let lines = match block.lines.iter().position(|line| line.contains("@format")) {
                Some(at) => joined_lines(bump, &block.lines[..at], &block.lines[at + 1..]),
                None => block.lines,
            };
            if !lines.is_empty() {
                kept.push(Comment { lines, ..*block });
            }
        }
        kept.into_bump_slice()
    };
    let pre = without_pragma(node.meta.pre_comments());
    let post = without_pragma(node.meta.post_comments());
    node.meta.set_comments(bump, pre, post);
}

/// The lines of comments `first` then `second`, in `bump`.
fn joined_lines<'a>(bump: &'a Bump, first: &[&'a str], second: &[&'a str]) -> &'a [&'a str] {
    let mut lines = bumpalo::collections::Vec::with_capacity_in(first.len() + second.len(), bump);
    lines.extend_from_slice(first);
    lines.extend_from_slice(second);
    lines.into_bump_slice()
}

/// Prints the nodes one after the other: one line break between two, two where
/// the input had a blank line.
struct Printer<'t> {
    out: String,
    /// The whole file.
    text: &'t str,
    /// The lexer's tokens of the whole file (forms come in the order of the text).
    tokens: TokenCursor<'t>,
    print_width: u32,
    lex: syntax::LexOptions,
    /// The forms whose layout would change their tokens, kept as they were.
    skipped: Vec<SkippedForm>,
    /// The last line of the node printed last.
    end_line: Option<u32>,
}

impl<'t> Printer<'t> {
    fn new(
        text: &'t str,
        tokens: &'t [syntax::Token],
        print_width: u32,
        lex: syntax::LexOptions,
    ) -> Printer<'t> {
        Printer {
            out: String::with_capacity(text.len() + text.len() / 8),
            text,
            tokens: TokenCursor::new(tokens),
            print_width,
            lex,
            skipped: Vec::new(),
            end_line: None,
        }
    }

    /// Prints `node`, its layout's documents made in `bump`.
    fn print(&mut self, node: &TopNode<'_>, bump: &Bump) {
        let file_tokens = match node {
            TopNode::Formatted {
                source,
                in_tree: true,
                ..
            } => self.tokens.covering(*source).map(|(run, _)| run),
            _ => None,
        };
        let out = &mut self.out;
        if let Some(end_line) = self.end_line
            && end_line + 1 < node.line()
        {
            out.push('\n');
        }
        match node {
            TopNode::Formatted {
                node, source, raw, ..
            } => {
                let doc = crate::rules::form_to_algebra(bump, node);
                let start = out.len();
                crate::algebra::print_into(&doc, self.print_width, out);
                let printed = &out[start..];
                let unchanged = matches!(**raw, TopNode::Raw { text, .. } if text == printed);
                let lex = &self.lex;
                let original = &self.text[*source];
                let same = match file_tokens {
                    // A form printed as it was written keeps its tokens.
                    _ if unchanged => true,
                    Some(tokens) => crate::verify::same_tokens_as(original, tokens, printed, lex),
                    None => crate::verify::same_tokens(original, printed, lex),
                };
                if !same {
                    out.truncate(start);
                }
                if let (false, TopNode::Raw { text: raw_text, .. }) = (same, &**raw) {
                    self.skipped.push(SkippedForm {
                        range: *source,
                        reason: "erlkit's layout of this form would change its tokens (a bug in \
                                 erlkit: please report it); the form is kept as it was"
                            .to_owned(),
                    });
                    out.push_str(raw_text);
                }
            }
            TopNode::Raw { text, .. } => out.push_str(text),
        }
        out.push('\n');
        self.end_line = Some(node.end_line());
    }

    /// The text printed, and the forms kept as they were.
    fn finish(self) -> (String, Vec<SkippedForm>) {
        (self.out, self.skipped)
    }
}

mod tokens;

#[cfg(test)]
mod tests;
