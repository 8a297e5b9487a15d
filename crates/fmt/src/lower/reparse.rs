//! Pieces the tree keeps as raw tokens (macro bodies and arguments) read again inside a made-up form.
//!
//! The parser keeps a `-define` body or a macro argument that is not an
//! expression as `MACRO_TOKENS`, but erlfmt's grammar reads some of them: a
//! guard (`A; B`), `X when G`, `H | T`, a type, a function clause. Their text
//! is parsed again in a form made to hold it (`f() when A; B -> ok.`), and the
//! tree of that form is lowered with a context whose positions are the file's.

use syntax::{FlatNodeView, FlatTokenView, SyntaxKind, SyntaxKind::*, TextRange, TextSize};

use super::Unsupported;
use super::cx::{Cx, Lowered, Required, child_of_kind, first_token, only_child};

/// The non-trivia tokens in `syntax`.
pub(super) fn tokens_in<'g>(
    syntax: &FlatNodeView<'g>,
) -> impl Iterator<Item = FlatTokenView<'g>> + use<'g> {
    syntax.tokens().filter(|token| !token.kind().is_trivia())
}

/// The only child of `syntax` of `kind`.
pub(super) fn only_child_of_kind<'g>(
    syntax: &FlatNodeView<'g>,
    kind: SyntaxKind,
) -> Lowered<FlatNodeView<'g>> {
    let mut found = syntax.children().filter(|child| child.kind() == kind);
    match (found.next(), found.next()) {
        (Some(only), None) => Ok(only),
        _ => Err(Unsupported::new(format!("not one {kind:?}"))),
    }
}

/// A piece of the file parsed again inside a made-up form.
pub(super) struct Reparsed<'i, 'a> {
    /// A context whose positions are the file's.
    pub(super) cx: Cx<'i, 'a>,
    /// The made-up text, and its parse; its only form is the made-up form.
    made_up: String,
    parse: syntax::FlatParse,
    /// Where the piece is in the made-up text.
    piece: TextRange,
}

impl<'i, 'a> Reparsed<'i, 'a> {
    /// Parses the tokens of `piece` between `before` and `after`; an error when
    /// the made-up text does not parse.
    pub(super) fn new(
        cx: Cx<'i, 'a>,
        piece: &FlatNodeView<'_>,
        before: &str,
        after: &str,
    ) -> Lowered<Reparsed<'i, 'a>> {
        let tokens: Vec<FlatTokenView<'_>> = tokens_in(piece).collect();
        let first = tokens.first().required("a token")?;
        let last = tokens.last().required("a token")?;
        let range = TextRange::new(first.text_range().start(), last.text_range().end());
        let piece_text = piece.text();
        let in_piece = range - piece.text_range().start();
        let text = piece_text
            .get(usize::from(in_piece.start())..usize::from(in_piece.end()))
            .required("the text of a piece")?;
        let made_up = format!("{before}{text}{after}");
        let parse = syntax::parse_flat(&made_up, &syntax::ParseOptions::default());
        let at = TextSize::of(before);
        let piece_range = TextRange::at(at, range.len());
        // The made-up form is read with the newest release's lexer: its tokens
        // must be the piece's (`"""` and `~` read differently before OTP 27).
        let root = parse.tree.root(&made_up);
        let same_tokens = tokens_in(&root)
            .filter(|token| piece_range.contains_range(token.text_range()))
            .map(|token| token.text())
            .eq(tokens.iter().map(|token| token.text()));
        if !parse.errors.is_empty() || !same_tokens {
            return Err(Unsupported::new(
                "tokens that do not read as erlfmt reads them",
            ));
        }
        only_child(&root, "form")?;
        Ok(Reparsed {
            cx: cx.shifted(at.into(), range.start().into())?,
            made_up,
            parse,
            piece: piece_range,
        })
    }

    /// The made-up form.
    pub(super) fn form(&self) -> Lowered<FlatNodeView<'_>> {
        self.parse
            .tree
            .root(&self.made_up)
            .first_child()
            .required("form")
    }

    /// The only clause of the made-up function.
    pub(super) fn only_clause(&self) -> Lowered<FlatNodeView<'_>> {
        only_child_of_kind(&self.form()?, FUN_CLAUSE)
    }

    /// Checks that the piece is exactly from the start of `first` to the end of `last`.
    pub(super) fn covers(&self, first: &FlatNodeView<'_>, last: &FlatNodeView<'_>) -> Lowered<()> {
        let start = first_token(first).required("a token")?.text_range().start();
        let end = tokens_in(last)
            .last()
            .required("a token")?
            .text_range()
            .end();
        if TextRange::new(start, end) == self.piece {
            Ok(())
        } else {
            Err(Unsupported::new(
                "tokens that do not read as erlfmt reads them",
            ))
        }
    }

    /// `X when G` read as the only clause of `case a of X when G -> ok end`; see
    /// [`Reparsed::guarded`].
    pub(super) fn with_guard(
        cx: Cx<'i, 'a>,
        piece: &FlatNodeView<'_>,
    ) -> Lowered<Reparsed<'i, 'a>> {
        Reparsed::new(cx, piece, "f() -> case a of ", " -> ok end.")
    }

    /// The pattern and the guard of a piece read by [`Reparsed::with_guard`].
    pub(super) fn guarded(&self) -> Lowered<(FlatNodeView<'_>, FlatNodeView<'_>)> {
        let reparsed = self;
        let clause = reparsed.only_clause()?;
        let body = child_of_kind(&clause, CLAUSE_BODY)?;
        let case = only_child(&body, "`case`")?;
        let case_clause = only_child_of_kind(&case, CR_CLAUSE)?;
        let pattern = case_clause
            .first_child()
            .required("an expression before `when`")?;
        let guard = child_of_kind(&case_clause, GUARD)?;
        reparsed.covers(&pattern, &guard)?;
        Ok((pattern, guard))
    }
}
