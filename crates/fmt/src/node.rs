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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment<'a> {
    /// Where the first comment starts.
    pub loc: Loc,
    /// Where the last comment ends.
    pub end: Loc,
    /// The text of each comment, `%` included, trailing whitespace removed.
    pub lines: Vec<&'a str>,
}

/// What erlfmt keeps in a node's annotation map.
///
/// Most nodes have no comments; what comments bring (the comments themselves and
/// the node's own start and end once they widen it) sits behind one pointer, so
/// that a node stays small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    attached: Option<Box<Attached<'a>>>,
}

/// The comments attached to a node, and its own extent when they widen it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Attached<'a> {
    /// erlfmt's `inner_location`: where the node itself starts.
    inner_loc: Option<Loc>,
    /// erlfmt's `inner_end_location`: where the node itself ends.
    inner_end: Option<Loc>,
    pre_comments: Vec<Comment<'a>>,
    post_comments: Vec<Comment<'a>>,
    /// Comments between the last clause of a form and its dot.
    pre_dot_comments: Vec<Comment<'a>>,
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
        self.attached
            .as_ref()
            .and_then(|attached| attached.inner_loc)
    }

    /// End of the node itself (erlfmt's `inner_end_location`), if comments moved `end`.
    pub fn inner_end(&self) -> Option<Loc> {
        self.attached
            .as_ref()
            .and_then(|attached| attached.inner_end)
    }

    pub fn inner_line(&self) -> u32 {
        self.inner_loc().unwrap_or(self.loc).line
    }

    pub fn inner_end_line(&self) -> u32 {
        self.inner_end().unwrap_or(self.end).line
    }

    pub fn pre_comments(&self) -> &[Comment<'a>] {
        self.attached
            .as_ref()
            .map_or(&[], |attached| &attached.pre_comments)
    }

    pub fn post_comments(&self) -> &[Comment<'a>] {
        self.attached
            .as_ref()
            .map_or(&[], |attached| &attached.post_comments)
    }

    pub fn pre_dot_comments(&self) -> &[Comment<'a>] {
        self.attached
            .as_ref()
            .map_or(&[], |attached| &attached.pre_dot_comments)
    }

    pub fn has_comments(&self) -> bool {
        !self.pre_comments().is_empty() || !self.post_comments().is_empty()
    }

    fn attached_mut(&mut self) -> &mut Attached<'a> {
        self.attached.get_or_insert_with(Box::default)
    }

    /// erlfmt's put_pre_comments: the comments go before the node, whose location
    /// then starts at the first comment (its own start is kept as `inner_loc`).
    pub fn put_pre_comments(&mut self, comments: impl IntoIterator<Item = Comment<'a>>) {
        let mut comments = comments.into_iter().peekable();
        let Some(first) = comments.peek() else {
            return;
        };
        let loc = self.loc;
        self.loc = loc.min(first.loc);
        let attached = self.attached_mut();
        attached.inner_loc = Some(loc);
        let existing = std::mem::take(&mut attached.pre_comments);
        attached.pre_comments.extend(comments);
        attached.pre_comments.extend(existing);
    }

    /// erlfmt's put_post_comments: the comments go after the node, whose end then
    /// is the last comment's (its own end is kept as `inner_end`).
    pub fn put_post_comments(&mut self, comments: impl IntoIterator<Item = Comment<'a>>) {
        let comments: Vec<Comment<'a>> = comments.into_iter().collect();
        let Some(last) = comments.last() else {
            return;
        };
        let end = self.end;
        self.end = end.max(last.end);
        let attached = self.attached_mut();
        attached.inner_end = Some(end);
        attached.post_comments.extend(comments);
    }

    /// Adds comments before the dot of a form.
    pub fn put_pre_dot_comments(&mut self, comments: impl IntoIterator<Item = Comment<'a>>) {
        let mut comments = comments.into_iter().peekable();
        if comments.peek().is_some() {
            self.attached_mut().pre_dot_comments.extend(comments);
        }
    }

    /// Takes the pre-comments away; `loc` goes back to the node's own start.
    pub fn take_pre_comments(&mut self) -> Vec<Comment<'a>> {
        let Some(attached) = self.attached.as_mut() else {
            return Vec::new();
        };
        if let Some(inner) = attached.inner_loc.take() {
            self.loc = inner;
        }
        std::mem::take(&mut attached.pre_comments)
    }

    /// The pre-comments and post-comments go (erlfmt's `delete_annos`); `loc` and
    /// `end` stay as they are, and so does everything else.
    pub fn without_comments(&self) -> Meta<'a> {
        let mut meta = self.clone();
        if let Some(attached) = meta.attached.as_mut() {
            attached.pre_comments = Vec::new();
            attached.post_comments = Vec::new();
        }
        meta
    }

    /// Replaces the pre-comments and post-comments by others (erlfmt's pragma
    /// handling), keeping locations as they are.
    pub fn set_comments(&mut self, pre: Vec<Comment<'a>>, post: Vec<Comment<'a>>) {
        let attached = self.attached_mut();
        attached.pre_comments = pre;
        attached.post_comments = post;
    }
}

/// A node: its annotation and its shape.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunKind<'a> {
    /// `fun name/Arity`: `{function, Anno, Name, Arity}`.
    Function {
        name: Box<Node<'a>>,
        arity: Box<Node<'a>>,
    },
    /// `fun mod:name/Arity`: `{function, Anno, Mod, Name, Arity}`.
    RemoteFunction {
        module: Box<Node<'a>>,
        name: Box<Node<'a>>,
        arity: Box<Node<'a>>,
    },
    /// `fun (...) -> ... end`: `{clauses, Anno, Clauses}` (the same anno as the fun).
    Clauses(Vec<Node<'a>>),
    /// The type `fun()`.
    AnyType,
    /// The type `fun((Args) -> Result)`: `{type, Anno, Args, Result}`, `Args` being an
    /// [`Kind::Args`] node (whose only element is [`Kind::Ellipsis`] for `(...)`).
    Type {
        meta: Meta<'a>,
        args: Box<Node<'a>>,
        result: Box<Node<'a>>,
    },
}

/// The node shapes of erlfmt_parse.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// `{sigil, Anno, Prefix, String, Suffix}`: `~b"..."`; `prefix` excludes the `~`.
    Sigil {
        prefix: &'a str,
        string: &'a str,
        string_meta: Box<Meta<'a>>,
        suffix: &'a str,
    },
    /// `{concat, Anno, Values}`: adjacent strings, variables and macros.
    Concat(Vec<Node<'a>>),
    /// `{op, Anno, Op, Expr}`: `-X`, `not X`, `bnot X`, `catch X`.
    UnaryOp(&'a str, Box<Node<'a>>),
    /// `{op, Anno, Op, Left, Right}`, also `|`, `..`, `::` and `when` in types and macros.
    BinaryOp(&'a str, Box<Node<'a>>, Box<Node<'a>>),
    /// `{tuple, Anno, Values}`.
    Tuple(Vec<Node<'a>>),
    /// `{list, Anno, Values}`; the last value may be a [`Kind::Cons`].
    List(Vec<Node<'a>>),
    /// `{cons, Anno, Head, Tail}`: `Head | Tail` at the end of a list.
    Cons(Box<Node<'a>>, Box<Node<'a>>),
    /// `{bin, Anno, Elements}`.
    Bin(Vec<Node<'a>>),
    /// `{bin_element, Anno, Expr, Size, Types}`; `None` is erlfmt's `default`.
    BinElement {
        expr: Box<Node<'a>>,
        size: Option<Box<Node<'a>>>,
        types: Option<Vec<Node<'a>>>,
    },
    /// `{bin_size, Anno, Left, Right}`: `_:_*8` in binary types.
    BinSize(Box<Node<'a>>, Box<Node<'a>>),
    /// `{map, Anno, Fields}` or `{map, Anno, Expr, Fields}`.
    Map(Option<Box<Node<'a>>>, Vec<Node<'a>>),
    /// `{map_field_assoc, Anno, Key, Value}`: `K => V`.
    MapFieldAssoc(Box<Node<'a>>, Box<Node<'a>>),
    /// `{map_field_exact, Anno, Key, Value}`: `K := V`.
    MapFieldExact(Box<Node<'a>>, Box<Node<'a>>),
    /// `{record, Anno, Name, Fields}` or `{record, Anno, Expr, Name, Fields}`.
    Record {
        base: Option<Box<Node<'a>>>,
        name: Box<Node<'a>>,
        fields: Vec<Node<'a>>,
    },
    /// `{record_field, Anno, Name, Value}` (`a = 1`) or, in record declarations,
    /// `{record_field, Anno, Name}` (`a`).
    RecordField(Box<Node<'a>>, Option<Box<Node<'a>>>),
    /// `{record_index, Anno, Name, Field}`: `#rec.field`.
    RecordIndex(Box<Node<'a>>, Box<Node<'a>>),
    /// `{record_field, Anno, Expr, Name, Field}`: `X#rec.field`.
    RecordAccess {
        expr: Box<Node<'a>>,
        name: Box<Node<'a>>,
        field: Box<Node<'a>>,
    },
    /// `{record_name, Anno, Name}`: a `-define` body that is just `#name`.
    RecordName(Box<Node<'a>>),
    /// `{lc, Anno, Expr, Qualifiers}`.
    ListComprehension(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{bc, Anno, Expr, Qualifiers}`.
    BinaryComprehension(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{mc, Anno, Expr, Qualifiers}`.
    MapComprehension(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{generate, Anno, Op, Left, Right}`: `<-`, `<=`, `<:-`, `<:=`.
    Generate(&'a str, Box<Node<'a>>, Box<Node<'a>>),
    /// `{call, Anno, Name, Args}`.
    Call(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{macro_call, Anno, Name, Args}`; `None` is `none` (no parentheses).
    MacroCall(Box<Node<'a>>, Option<Vec<Node<'a>>>),
    /// `{macro_string, Anno, Name}`: `??X`.
    MacroString(Box<Node<'a>>),
    /// `{remote, Anno, Left, Right}`: `m:f`.
    Remote(Box<Node<'a>>, Box<Node<'a>>),
    /// `{block, Anno, Exprs}`: `begin ... end`.
    Block(Vec<Node<'a>>),
    /// `{'fun', Anno, ...}`.
    Fun(FunKind<'a>),
    /// `{args, Anno, Values}`: the arguments of a fun clause head, a spec clause, a
    /// `-define` body `()`.
    Args(Vec<Node<'a>>),
    /// `{'case', Anno, Expr, Clauses}`.
    Case(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{'maybe', Anno, Exprs}` or `{'maybe', Anno, Exprs, ElseClause}`.
    Maybe(Vec<Node<'a>>, Option<Box<Node<'a>>>),
    /// `{else_clause, Anno, Clauses}`.
    ElseClause(Vec<Node<'a>>),
    /// `{'receive', Anno, Clauses}` / `{'receive', Anno, Clauses, After}`; the clauses
    /// are a [`Kind::Clauses`] node, `None` is `empty`.
    Receive(Option<Box<Node<'a>>>, Option<Box<Node<'a>>>),
    /// `{after_clause, Anno, Expr, Body}`.
    AfterClause(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{'try', Anno, Body, OfClauses, CatchClauses, After}`: `body` is a
    /// [`Kind::Body`] node, `of` and `catch` are [`Kind::Clauses`] nodes (`None` is
    /// `none`), `after` is a list of expressions (empty when there is no `after`).
    Try {
        body: Box<Node<'a>>,
        of: Option<Box<Node<'a>>>,
        catch: Option<Box<Node<'a>>>,
        after: Vec<Node<'a>>,
    },
    /// `{body, Anno, Exprs}`.
    Body(Vec<Node<'a>>),
    /// `{clauses, Anno, Clauses}`.
    Clauses(Vec<Node<'a>>),
    /// `{'catch', Anno, [Class, Reason]}` or `[Class, Reason, Stack]`: a catch pattern.
    CatchPattern(Vec<Node<'a>>),
    /// `{'if', Anno, Clauses}`.
    If(Vec<Node<'a>>),
    /// `{spec, Anno, Name, Clauses}`: the value of `-spec` and `-callback`.
    Spec(Box<Node<'a>>, Vec<Node<'a>>),
    /// `{'...', Anno}`.
    Ellipsis,
    /// `{clause, Anno, Head, Guards, Body}`; `None` is `empty` (no head in `if`
    /// clauses, no guards). Function clause heads are [`Kind::Call`] nodes, fun
    /// clause heads are [`Kind::Args`] nodes.
    Clause {
        head: Option<Box<Node<'a>>>,
        guards: Option<Box<Node<'a>>>,
        body: Vec<Node<'a>>,
    },
    /// `{spec_clause, Anno, Head, Body, Guards}`: `(Args) -> Result when Guards`; the
    /// head is an [`Kind::Args`] node, the guards a [`Kind::GuardOr`] node.
    SpecClause {
        head: Box<Node<'a>>,
        body: Box<Node<'a>>,
        guards: Option<Box<Node<'a>>>,
    },
    /// `{guard_or, Anno, Guards}`: guards separated by `;`.
    GuardOr(Vec<Node<'a>>),
    /// `{guard_and, Anno, Tests}`: tests separated by `,`.
    GuardAnd(Vec<Node<'a>>),
    /// `{fa_group, Anno, Values}`: consecutive `name/N` of one name in an export
    /// list, built by the layout rules.
    FaGroup(Vec<Node<'a>>),
    /// `{exprs, Anno, Exprs}`: a form made of expressions (term files, macro bodies
    /// that stand alone).
    Exprs(Vec<Node<'a>>),
    /// A comment block standing alone as the last element of a container.
    Comment(Comment<'a>),
    /// `empty`: the missing body of `-define(X,).`
    Empty,
    /// `{function, Anno, Clauses}`.
    Function(Vec<Node<'a>>),
    /// `{attribute, Anno, Name, Values}`; `None` is `no_parens` (`-endif.`).
    Attribute {
        name: Box<Node<'a>>,
        values: Option<Vec<Node<'a>>>,
    },
    /// `{shebang, Anno, Text}`.
    Shebang(&'a str),
}
