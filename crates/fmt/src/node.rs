//! erlfmt's view of a form: the node shapes its parser builds, with the locations
//! and comments that its layout decisions read.
//!
//! The layout rules (`crate::rules`) are a port of erlfmt's, and erlfmt decides
//! much of a layout from where its nodes start and end (is there a line break
//! between these two elements? an empty line?) and from which node a comment is
//! attached to. So the rules do not read the lossless tree directly: `crate::lower`
//! builds these nodes from it, one top-level form at a time, with erlfmt's shapes
//! and erlfmt's locations, and `crate::recomment` attaches the comments as
//! erlfmt does. Each variant of [`Kind`] names the erlfmt node it stands for.
//!
//! The nodes live in an arena (a [`Bump`]): children are shared references into
//! it, and every type here is `Copy`, so nothing is freed node by node; the arena
//! is dropped or reset as a whole. The few changes made once a node is built
//! (comments attached, pragmas) copy what they change into the arena.

use bumpalo::Bump;

pub mod dump;

/// A position: 1-based line and column (columns count characters, as erl_scan's do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    pub line: u32,
    pub col: u32,
}

impl Loc {
    pub fn new(line: u32, col: u32) -> Loc {
        Loc { line, col }
    }
}

/// A block of comments on consecutive lines (erlfmt's `{comment, Anno, Lines}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment<'a> {
    /// Where the first comment starts.
    pub loc: Loc,
    /// Where the last comment ends.
    pub end: Loc,
    /// The text of each comment, `%` included, trailing whitespace removed.
    pub lines: &'a [&'a str],
}

/// What erlfmt keeps in a node's annotation map.
///
/// Most nodes have no comments; what comments bring (the comments themselves and
/// the node's own start and end once they widen it) sits behind one pointer, so
/// that a node stays small. What is behind it is never changed: adding or taking
/// comments puts a new one in the arena.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Meta<'a> {
    /// Start of the node, or of its first pre-comment once comments are attached.
    pub loc: Loc,
    /// End of the node (exclusive column), or of its last post-comment.
    pub end: Loc,
    /// Written in parentheses (the location is still the inner expression's).
    pub parens: bool,
    /// `?MACRO{...}` and friends: a record whose name is a macro, written without `#`.
    pub macro_record: bool,
    /// A standalone expression form ended by a dot.
    pub dot: bool,
    attached: Option<&'a Attached<'a>>,
}

/// The comments attached to a node, and its own extent when they widen it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Attached<'a> {
    /// erlfmt's `inner_location`: where the node itself starts.
    inner_loc: Option<Loc>,
    /// erlfmt's `inner_end_location`: where the node itself ends.
    inner_end: Option<Loc>,
    pre_comments: &'a [Comment<'a>],
    post_comments: &'a [Comment<'a>],
    /// Comments between the last clause of a form and its dot.
    pre_dot_comments: &'a [Comment<'a>],
}

impl<'a> Meta<'a> {
    pub fn new(loc: Loc, end: Loc) -> Meta<'a> {
        Meta {
            loc,
            end,
            ..Meta::default()
        }
    }

    pub fn line(&self) -> u32 {
        self.loc.line
    }

    pub fn end_line(&self) -> u32 {
        self.end.line
    }

    /// Start of the node itself (erlfmt's `inner_location`), if comments moved `loc`.
    pub fn inner_loc(&self) -> Option<Loc> {
        self.attached.and_then(|attached| attached.inner_loc)
    }

    /// End of the node itself (erlfmt's `inner_end_location`), if comments moved `end`.
    pub fn inner_end(&self) -> Option<Loc> {
        self.attached.and_then(|attached| attached.inner_end)
    }

    pub fn inner_line(&self) -> u32 {
        self.inner_loc().unwrap_or(self.loc).line
    }

    pub fn inner_end_line(&self) -> u32 {
        self.inner_end().unwrap_or(self.end).line
    }

    pub fn pre_comments(&self) -> &'a [Comment<'a>] {
        self.attached.map_or(&[], |attached| attached.pre_comments)
    }

    pub fn post_comments(&self) -> &'a [Comment<'a>] {
        self.attached.map_or(&[], |attached| attached.post_comments)
    }

    pub fn pre_dot_comments(&self) -> &'a [Comment<'a>] {
        self.attached
            .map_or(&[], |attached| attached.pre_dot_comments)
    }

    pub fn has_comments(&self) -> bool {
        !self.pre_comments().is_empty() || !self.post_comments().is_empty()
    }

    /// What is attached to the node (nothing when nothing is).
    fn attached(&self) -> Attached<'a> {
        self.attached.copied().unwrap_or_default()
    }

    /// Attaches `attached` instead of what was attached, putting it in `bump`.
    fn attach(&mut self, bump: &'a Bump, attached: Attached<'a>) {
        self.attached = Some(bump.alloc(attached));
    }

    /// erlfmt's put_pre_comments: the comments go before the node, whose location
    /// then starts at the first comment (its own start is kept as `inner_loc`).
    pub fn put_pre_comments(&mut self, bump: &'a Bump, comments: &'a [Comment<'a>]) {
        let Some(first) = comments.first() else {
            return;
        };
        let loc = self.loc;
        self.loc = loc.min(first.loc);
        let mut attached = self.attached();
        attached.inner_loc = Some(loc);
        attached.pre_comments = joined(bump, comments, attached.pre_comments);
        self.attach(bump, attached);
    }

    /// erlfmt's put_post_comments: the comments go after the node, whose end then
    /// is the last comment's (its own end is kept as `inner_end`).
    pub fn put_post_comments(&mut self, bump: &'a Bump, comments: &'a [Comment<'a>]) {
        let Some(last) = comments.last() else {
            return;
        };
        let end = self.end;
        self.end = end.max(last.end);
        let mut attached = self.attached();
        attached.inner_end = Some(end);
        attached.post_comments = joined(bump, attached.post_comments, comments);
        self.attach(bump, attached);
    }

    /// Adds comments before the dot of a form.
    pub fn put_pre_dot_comments(&mut self, bump: &'a Bump, comments: &'a [Comment<'a>]) {
        if !comments.is_empty() {
            let mut attached = self.attached();
            attached.pre_dot_comments = joined(bump, attached.pre_dot_comments, comments);
            self.attach(bump, attached);
        }
    }

    /// Takes the pre-comments away; `loc` goes back to the node's own start.
    pub fn take_pre_comments(&mut self, bump: &'a Bump) -> &'a [Comment<'a>] {
        let Some(&attached) = self.attached else {
            return &[];
        };
        if let Some(inner) = attached.inner_loc {
            self.loc = inner;
        }
        self.attach(
            bump,
            Attached {
                inner_loc: None,
                pre_comments: &[],
                ..attached
            },
        );
        attached.pre_comments
    }

    /// The pre-comments and post-comments go (erlfmt's `delete_annos`); `loc` and
    /// `end` stay as they are, and so does everything else.
    pub fn without_comments(&self, bump: &'a Bump) -> Meta<'a> {
        let mut meta = *self;
        if let Some(&attached) = self.attached
            && !(attached.pre_comments.is_empty() && attached.post_comments.is_empty())
        {
            meta.attach(
                bump,
                Attached {
                    pre_comments: &[],
                    post_comments: &[],
                    ..attached
                },
            );
        }
        meta
    }

    /// Replaces the pre-comments and post-comments by others (erlfmt's pragma
    /// handling), keeping locations as they are.
    pub fn set_comments(
        &mut self,
        bump: &'a Bump,
        pre: &'a [Comment<'a>],
        post: &'a [Comment<'a>],
    ) {
        let attached = Attached {
            pre_comments: pre,
            post_comments: post,
            ..self.attached()
        };
        self.attach(bump, attached);
    }
}

/// The comments `first` then `second`, in `bump` unless one of them is empty.
pub(crate) fn joined<'a>(
    bump: &'a Bump,
    first: &'a [Comment<'a>],
    second: &'a [Comment<'a>],
) -> &'a [Comment<'a>] {
    match (first, second) {
        ([], only) | (only, []) => only,
        _ => {
            let mut both =
                bumpalo::collections::Vec::with_capacity_in(first.len() + second.len(), bump);
            both.extend_from_slice(first);
            both.extend_from_slice(second);
            both.into_bump_slice()
        }
    }
}

/// A node: its annotation and its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node<'a> {
    pub meta: Meta<'a>,
    pub kind: Kind<'a>,
}

impl<'a> Node<'a> {
    pub fn new(meta: Meta<'a>, kind: Kind<'a>) -> Node<'a> {
        Node { meta, kind }
    }
}

/// The kind of a `fun`: erlfmt's `{'fun', Anno, What}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunKind<'a> {
    /// `fun name/Arity`: `{function, Anno, Name, Arity}`.
    Function {
        name: &'a Node<'a>,
        arity: &'a Node<'a>,
    },
    /// `fun mod:name/Arity`: `{function, Anno, Mod, Name, Arity}`.
    RemoteFunction {
        module: &'a Node<'a>,
        name: &'a Node<'a>,
        arity: &'a Node<'a>,
    },
    /// `fun (...) -> ... end`: `{clauses, Anno, Clauses}` (the same anno as the fun).
    Clauses(&'a [Node<'a>]),
    /// The type `fun()`.
    AnyType,
    /// The type `fun((Args) -> Result)`: `{type, Anno, Args, Result}`, `Args` being an
    /// [`Kind::Args`] node (whose only element is [`Kind::Ellipsis`] for `(...)`).
    Type {
        meta: &'a Meta<'a>,
        args: &'a Node<'a>,
        result: &'a Node<'a>,
    },
}

/// The parts of a [`Kind::Sigil`]; `prefix` excludes the `~`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sigil<'a> {
    pub prefix: &'a str,
    pub string: &'a str,
    pub string_meta: Meta<'a>,
    pub suffix: &'a str,
}

/// The node shapes of erlfmt_parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    // Atomic nodes keep their text as written.
    /// `{atom, Anno, Value}`.
    Atom(&'a str),
    /// `{var, Anno, Name}`.
    Var(&'a str),
    /// `{integer, Anno, Value}`.
    Integer(&'a str),
    /// `{float, Anno, Value}`.
    Float(&'a str),
    /// `{char, Anno, Value}`.
    Char(&'a str),
    /// `{string, Anno, Value}`; the text may span lines.
    String(&'a str),
    /// `{sigil, Anno, Prefix, String, Suffix}`: `~b"..."` (its parts are behind a
    /// reference: sigils are rare, and the parts would make every node larger).
    Sigil(&'a Sigil<'a>),
    /// `{concat, Anno, Values}`: adjacent strings, variables and macros.
    Concat(&'a [Node<'a>]),
    /// `{op, Anno, Op, Expr}`: `-X`, `not X`, `bnot X`, `catch X`.
    UnaryOp(&'a str, &'a Node<'a>),
    /// `{op, Anno, Op, Left, Right}`, also `|`, `..`, `::` and `when` in types and macros.
    BinaryOp(&'a str, &'a Node<'a>, &'a Node<'a>),
    /// `{tuple, Anno, Values}`.
    Tuple(&'a [Node<'a>]),
    /// `{list, Anno, Values}`; the last value may be a [`Kind::Cons`].
    List(&'a [Node<'a>]),
    /// `{cons, Anno, Head, Tail}`: `Head | Tail` at the end of a list.
    Cons(&'a Node<'a>, &'a Node<'a>),
    /// `{bin, Anno, Elements}`.
    Bin(&'a [Node<'a>]),
    /// `{bin_element, Anno, Expr, Size, Types}`; `None` is erlfmt's `default`.
    BinElement {
        expr: &'a Node<'a>,
        size: Option<&'a Node<'a>>,
        types: Option<&'a [Node<'a>]>,
    },
    /// `{bin_size, Anno, Left, Right}`: `_:_*8` in binary types.
    BinSize(&'a Node<'a>, &'a Node<'a>),
    /// `{map, Anno, Fields}` or `{map, Anno, Expr, Fields}`.
    Map(Option<&'a Node<'a>>, &'a [Node<'a>]),
    /// `{map_field_assoc, Anno, Key, Value}`: `K => V`.
    MapFieldAssoc(&'a Node<'a>, &'a Node<'a>),
    /// `{map_field_exact, Anno, Key, Value}`: `K := V`.
    MapFieldExact(&'a Node<'a>, &'a Node<'a>),
    /// `{record, Anno, Name, Fields}` or `{record, Anno, Expr, Name, Fields}`.
    Record {
        base: Option<&'a Node<'a>>,
        name: &'a Node<'a>,
        fields: &'a [Node<'a>],
    },
    /// `{record_field, Anno, Name, Value}` (`a = 1`) or, in record declarations,
    /// `{record_field, Anno, Name}` (`a`).
    RecordField(&'a Node<'a>, Option<&'a Node<'a>>),
    /// `{record_index, Anno, Name, Field}`: `#rec.field`.
    RecordIndex(&'a Node<'a>, &'a Node<'a>),
    /// `{record_field, Anno, Expr, Name, Field}`: `X#rec.field`.
    RecordAccess {
        expr: &'a Node<'a>,
        name: &'a Node<'a>,
        field: &'a Node<'a>,
    },
    /// `{record_name, Anno, Name}`: a `-define` body that is just `#name`.
    RecordName(&'a Node<'a>),
    /// `{lc, Anno, Expr, Qualifiers}`.
    ListComprehension(&'a Node<'a>, &'a [Node<'a>]),
    /// `{bc, Anno, Expr, Qualifiers}`.
    BinaryComprehension(&'a Node<'a>, &'a [Node<'a>]),
    /// `{mc, Anno, Expr, Qualifiers}`.
    MapComprehension(&'a Node<'a>, &'a [Node<'a>]),
    /// `{generate, Anno, Op, Left, Right}`: `<-`, `<=`, `<:-`, `<:=`.
    Generate(&'a str, &'a Node<'a>, &'a Node<'a>),
    /// `{call, Anno, Name, Args}`.
    Call(&'a Node<'a>, &'a [Node<'a>]),
    /// `{macro_call, Anno, Name, Args}`; `None` is `none` (no parentheses).
    MacroCall(&'a Node<'a>, Option<&'a [Node<'a>]>),
    /// `{macro_string, Anno, Name}`: `??X`.
    MacroString(&'a Node<'a>),
    /// `{remote, Anno, Left, Right}`: `m:f`.
    Remote(&'a Node<'a>, &'a Node<'a>),
    /// `{block, Anno, Exprs}`: `begin ... end`.
    Block(&'a [Node<'a>]),
    /// `{'fun', Anno, ...}`.
    Fun(FunKind<'a>),
    /// `{args, Anno, Values}`: the arguments of a fun clause head, a spec clause, a
    /// `-define` body `()`.
    Args(&'a [Node<'a>]),
    /// `{'case', Anno, Expr, Clauses}`.
    Case(&'a Node<'a>, &'a [Node<'a>]),
    /// `{'maybe', Anno, Exprs}` or `{'maybe', Anno, Exprs, ElseClause}`.
    Maybe(&'a [Node<'a>], Option<&'a Node<'a>>),
    /// `{else_clause, Anno, Clauses}`.
    ElseClause(&'a [Node<'a>]),
    /// `{'receive', Anno, Clauses}` / `{'receive', Anno, Clauses, After}`; the clauses
    /// are a [`Kind::Clauses`] node, `None` is `empty`.
    Receive(Option<&'a Node<'a>>, Option<&'a Node<'a>>),
    /// `{after_clause, Anno, Expr, Body}`.
    AfterClause(&'a Node<'a>, &'a [Node<'a>]),
    /// `{'try', Anno, Body, OfClauses, CatchClauses, After}`: `body` is a
    /// [`Kind::Body`] node, `of` and `catch` are [`Kind::Clauses`] nodes (`None` is
    /// `none`), `after` is a list of expressions (empty when there is no `after`).
    Try {
        body: &'a Node<'a>,
        of: Option<&'a Node<'a>>,
        catch: Option<&'a Node<'a>>,
        after: &'a [Node<'a>],
    },
    /// `{body, Anno, Exprs}`.
    Body(&'a [Node<'a>]),
    /// `{clauses, Anno, Clauses}`.
    Clauses(&'a [Node<'a>]),
    /// `{'catch', Anno, [Class, Reason]}` or `[Class, Reason, Stack]`: a catch pattern.
    CatchPattern(&'a [Node<'a>]),
    /// `{'if', Anno, Clauses}`.
    If(&'a [Node<'a>]),
    /// `{spec, Anno, Name, Clauses}`: the value of `-spec` and `-callback`.
    Spec(&'a Node<'a>, &'a [Node<'a>]),
    /// `{'...', Anno}`.
    Ellipsis,
    /// `{clause, Anno, Head, Guards, Body}`; `None` is `empty` (no head in `if`
    /// clauses, no guards). Function clause heads are [`Kind::Call`] nodes, fun
    /// clause heads are [`Kind::Args`] nodes.
    Clause {
        head: Option<&'a Node<'a>>,
        guards: Option<&'a Node<'a>>,
        body: &'a [Node<'a>],
    },
    /// `{spec_clause, Anno, Head, Body, Guards}`: `(Args) -> Result when Guards`; the
    /// head is an [`Kind::Args`] node, the guards a [`Kind::GuardOr`] node.
    SpecClause {
        head: &'a Node<'a>,
        body: &'a Node<'a>,
        guards: Option<&'a Node<'a>>,
    },
    /// `{guard_or, Anno, Guards}`: guards separated by `;`.
    GuardOr(&'a [Node<'a>]),
    /// `{guard_and, Anno, Tests}`: tests separated by `,`.
    GuardAnd(&'a [Node<'a>]),
    /// `{fa_group, Anno, Values}`: consecutive `name/N` of one name in an export
    /// list, built by the layout rules.
    FaGroup(&'a [Node<'a>]),
    /// `{exprs, Anno, Exprs}`: a form made of expressions (term files, macro bodies
    /// that stand alone).
    Exprs(&'a [Node<'a>]),
    /// A comment block standing alone as the last element of a container.
    Comment(Comment<'a>),
    /// `empty`: the missing body of `-define(X,).`
    Empty,
    /// `{function, Anno, Clauses}`.
    Function(&'a [Node<'a>]),
    /// `{attribute, Anno, Name, Values}`; `None` is `no_parens` (`-endif.`).
    Attribute {
        name: &'a Node<'a>,
        values: Option<&'a [Node<'a>]>,
    },
    /// `{shebang, Anno, Text}`.
    Shebang(&'a str),
}

#[cfg(test)]
mod tests {
    /// A form has as many nodes as tokens, give or take: they stay small.
    #[test]
    fn a_node_takes_at_most_80_bytes() {
        assert!(size_of::<super::Node<'_>>() <= 80);
    }
}
