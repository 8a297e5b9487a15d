//! Lowers `erlang.ungram` and the token tables into the model the generators print.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, bail};
use ungrammar::{Grammar, Rule};

use super::kinds_src::{EXTRA_NODES, KEYWORDS, LITERALS, PUNCT, TRIVIA};

/// Everything `kinds.rs` and `nodes.rs` are generated from.
#[derive(Debug)]
pub(crate) struct AstSrc {
    /// `SyntaxKind` variants for nodes, in grammar order, then the extra nodes.
    pub(crate) node_kinds: Vec<String>,
    pub(crate) structs: Vec<AstStruct>,
    pub(crate) enums: Vec<AstEnum>,
    pub(crate) aliases: Vec<AstAlias>,
}

/// `pub type Name = Target;`
#[derive(Debug)]
pub(crate) struct AstAlias {
    pub(crate) name: String,
    pub(crate) target: String,
}

/// A node with its own kind and accessors.
#[derive(Debug)]
pub(crate) struct AstStruct {
    pub(crate) name: String,
    pub(crate) kind: String,
    /// The grammar rule, for the doc comment.
    pub(crate) rule_text: String,
    pub(crate) fields: Vec<Field>,
    /// Labeled references that no positional or token-anchored rule can find; hand-written.
    pub(crate) skipped: Vec<String>,
}

/// An alternation of nodes.
#[derive(Debug)]
pub(crate) struct AstEnum {
    pub(crate) name: String,
    /// Variant names; each is also the name of the variant's type.
    pub(crate) variants: Vec<String>,
}

/// One generated accessor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field {
    /// `fn <name>_token(&self) -> Option<SyntaxToken>`: the first direct token of `kind`.
    Token { method: String, kind: String },
    /// `fn <label>_token(&self) -> Option<SyntaxToken>`: the first direct token with a kind in `kinds`.
    TokenSet { method: String, kinds: Vec<String> },
    /// `fn <method>(&self) -> Option<ty>`.
    Node {
        method: String,
        ty: String,
        locate: Locate,
    },
    /// `fn <method>(&self) -> AstChildren<ty>`.
    Nodes { method: String, ty: String },
}

impl Field {
    pub(crate) fn method(&self) -> &str {
        match self {
            Field::Token { method, .. }
            | Field::TokenSet { method, .. }
            | Field::Node { method, .. }
            | Field::Nodes { method, .. } => method,
        }
    }
}

/// How a single node accessor finds its child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Locate {
    /// The `n`-th child that casts to the type.
    Nth(usize),
    /// The first child that casts to the type after the first direct token of this kind.
    AfterToken(String),
}

/// The kind name of the punctuation, keyword, literal or trivia written `'text'` in the grammar.
pub(crate) fn token_kind(text: &str) -> anyhow::Result<String> {
    let upper = text.to_ascii_uppercase();
    if text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && (LITERALS.contains(&upper.as_str()) || TRIVIA.contains(&upper.as_str()))
    {
        return Ok(upper);
    }
    if KEYWORDS.contains(&text) {
        return Ok(format!("{upper}_KW"));
    }
    match PUNCT.iter().find(|p| p.text == text) {
        Some(p) => Ok(p.name.to_string()),
        None => {
            bail!("token '{text}' in the grammar is not a literal, trivia, keyword or punctuation")
        }
    }
}

/// The start of a token accessor's name: `case` for `CASE_KW`, `l_paren` for `L_PAREN`.
fn token_method_stem(kind: &str) -> String {
    kind.strip_suffix("_KW")
        .unwrap_or(kind)
        .to_ascii_lowercase()
}

/// `FunDecl` -> `FUN_DECL`.
pub(crate) fn to_upper_snake(name: &str) -> String {
    to_lower_snake(name).to_ascii_uppercase()
}

/// `FunDecl` -> `fun_decl`.
pub(crate) fn to_lower_snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// The accessor name for a node type: snake case, `ty` for `Type`.
fn method_name(ty: &str) -> String {
    match ty {
        "Type" => "ty".to_string(),
        _ => to_lower_snake(ty),
    }
}

fn plural(method: &str) -> String {
    if method == "ty" {
        "types".to_string()
    } else {
        format!("{method}s")
    }
}

/// The names of the nodes in the order they are defined in the grammar text.
fn definition_order(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (head, _) = line.split_once('=')?;
            let head = head.trim_end();
            let first = head.chars().next()?;
            (first.is_ascii_uppercase() && head.chars().all(|c| c.is_ascii_alphanumeric()))
                .then(|| head.to_string())
        })
        .collect()
}

/// Reads the grammar text into the model.
pub(crate) fn lower(text: &str) -> anyhow::Result<AstSrc> {
    let grammar: Grammar = text
        .parse()
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("parsing erlang.ungram")?;
    let mut by_name = BTreeMap::new();
    for node in grammar.iter() {
        by_name.insert(grammar[node].name.clone(), node);
    }
    let order = definition_order(text);
    for name in by_name.keys() {
        if !order.contains(name) {
            bail!("node {name} is referenced in the grammar but never defined");
        }
    }
    if order.len() != by_name.len() {
        bail!("some node of the grammar is defined twice");
    }

    // Classify every node.
    enum Shape<'a> {
        Alias(String),
        Enum(Vec<String>),
        Struct(&'a Rule),
    }
    let mut shapes = BTreeMap::new();
    for name in &order {
        let rule = &grammar[by_name[name]].rule;
        let shape = match rule {
            Rule::Node(target) => Shape::Alias(grammar[*target].name.clone()),
            Rule::Alt(alts) if alts.iter().all(|a| matches!(a, Rule::Node(_))) => Shape::Enum(
                alts.iter()
                    .map(|a| match a {
                        Rule::Node(n) => grammar[*n].name.clone(),
                        _ => unreachable!(),
                    })
                    .collect(),
            ),
            _ => Shape::Struct(rule),
        };
        shapes.insert(name.clone(), shape);
    }

    // Kinds: one per struct, unless the name is already a token kind (`Atom` -> `ATOM`).
    let token_kinds: BTreeSet<String> = PUNCT
        .iter()
        .map(|p| p.name.to_string())
        .chain(
            KEYWORDS
                .iter()
                .map(|k| format!("{}_KW", k.to_ascii_uppercase())),
        )
        .chain(LITERALS.iter().chain(TRIVIA).map(|s| s.to_string()))
        .collect();
    let mut node_kinds = Vec::new();
    let mut struct_kind = BTreeMap::new();
    for name in &order {
        if let Shape::Struct(_) = shapes[name] {
            let kind = to_upper_snake(name);
            if !token_kinds.contains(&kind) && !node_kinds.contains(&kind) {
                node_kinds.push(kind.clone());
            }
            struct_kind.insert(name.clone(), kind);
        }
    }
    for extra in EXTRA_NODES {
        if !node_kinds.iter().any(|k| k == extra) {
            node_kinds.push(extra.to_string());
        }
    }

    // The set of kinds each type casts from.
    fn kind_set(
        name: &str,
        shapes: &BTreeMap<String, Shape<'_>>,
        struct_kind: &BTreeMap<String, String>,
        depth: usize,
    ) -> anyhow::Result<BTreeSet<String>> {
        if depth > 32 {
            bail!("alias or enum cycle through {name}");
        }
        Ok(match &shapes[name] {
            Shape::Struct(_) => BTreeSet::from([struct_kind[name].clone()]),
            Shape::Alias(target) => kind_set(target, shapes, struct_kind, depth + 1)?,
            Shape::Enum(variants) => {
                let mut set = BTreeSet::new();
                for v in variants {
                    set.extend(kind_set(v, shapes, struct_kind, depth + 1)?);
                }
                set
            }
        })
    }
    let mut kinds_of = BTreeMap::new();
    for name in &order {
        kinds_of.insert(name.clone(), kind_set(name, &shapes, &struct_kind, 0)?);
    }

    let mut src = AstSrc {
        node_kinds,
        structs: Vec::new(),
        enums: Vec::new(),
        aliases: Vec::new(),
    };
    for name in &order {
        match &shapes[name] {
            Shape::Alias(target) => src.aliases.push(AstAlias {
                name: name.clone(),
                target: target.clone(),
            }),
            Shape::Enum(variants) => {
                for v in variants {
                    if matches!(shapes[v], Shape::Alias(_)) {
                        bail!(
                            "enum {name} has the alias {v} as a variant; name the target instead"
                        );
                    }
                }
                src.enums.push(AstEnum {
                    name: name.clone(),
                    variants: variants.clone(),
                })
            }
            Shape::Struct(rule) => {
                let rule_text = format_rule(&grammar, rule, true);
                let (fields, skipped) = lower_struct(&grammar, name, rule, &kinds_of)
                    .with_context(|| format!("in the rule for {name}"))?;
                src.structs.push(AstStruct {
                    name: name.clone(),
                    kind: struct_kind[name].clone(),
                    rule_text,
                    fields,
                    skipped,
                });
            }
        }
    }
    Ok(src)
}

/// One occurrence of a node or token in a rule, flattened in text order.
#[derive(Debug)]
struct Occurrence {
    item: Item,
    /// Not always present: inside `?`, `*` or one branch of `|`.
    optional: bool,
    /// Inside `*`.
    repeated: bool,
    /// The token written right before this occurrence in the same sequence, if any.
    after_token: Option<String>,
    /// A token that is one branch of an alternation (`'integer' | 'float'`).
    in_token_alt: bool,
}

#[derive(Debug)]
enum Item {
    Node { ty: String, label: Option<String> },
    Token { kind: String },
    LabeledTokens { label: String, kinds: Vec<String> },
}

fn flatten(
    grammar: &Grammar,
    rule: &Rule,
    optional: bool,
    repeated: bool,
    after_token: Option<String>,
    out: &mut Vec<Occurrence>,
) -> anyhow::Result<()> {
    match rule {
        Rule::Node(node) => out.push(Occurrence {
            item: Item::Node {
                ty: grammar[*node].name.clone(),
                label: None,
            },
            optional,
            repeated,
            after_token,
            in_token_alt: false,
        }),
        Rule::Token(token) => out.push(Occurrence {
            item: Item::Token {
                kind: token_kind(&grammar[*token].name)?,
            },
            optional,
            repeated,
            after_token,
            in_token_alt: false,
        }),
        Rule::Labeled { label, rule } => {
            flatten_labeled(grammar, label, rule, optional, repeated, after_token, out)?
        }
        Rule::Seq(rules) => {
            let mut prev = after_token;
            for r in rules {
                flatten(grammar, r, optional, repeated, prev.take(), out)?;
                prev = match r {
                    Rule::Token(token) => Some(token_kind(&grammar[*token].name)?),
                    _ => None,
                };
            }
        }
        Rule::Alt(rules) => {
            let optional = optional || rules.len() > 1;
            for r in rules {
                flatten(grammar, r, optional, repeated, after_token.clone(), out)?;
                if let (Rule::Token(_), Some(last)) = (r, out.last_mut()) {
                    last.in_token_alt = true;
                }
            }
        }
        Rule::Opt(rule) => flatten(grammar, rule, true, repeated, after_token, out)?,
        Rule::Rep(rule) => flatten(grammar, rule, true, true, None, out)?,
    }
    Ok(())
}

/// `label:Node`, `label:'token'`, `label:('a' | 'b')` or `label:Node?`.
fn flatten_labeled(
    grammar: &Grammar,
    label: &str,
    rule: &Rule,
    optional: bool,
    repeated: bool,
    after_token: Option<String>,
    out: &mut Vec<Occurrence>,
) -> anyhow::Result<()> {
    let item = match rule {
        Rule::Node(node) => Item::Node {
            ty: grammar[*node].name.clone(),
            label: Some(label.to_string()),
        },
        Rule::Token(token) => Item::LabeledTokens {
            label: label.to_string(),
            kinds: vec![token_kind(&grammar[*token].name)?],
        },
        Rule::Alt(alts) => {
            let mut kinds = Vec::new();
            for alt in alts {
                match alt {
                    Rule::Token(token) => kinds.push(token_kind(&grammar[*token].name)?),
                    _ => bail!("label {label}: only a node, a token or tokens can be labeled"),
                }
            }
            Item::LabeledTokens {
                label: label.to_string(),
                kinds,
            }
        }
        // `base:Expr?` means `(base:Expr)?`.
        Rule::Opt(inner) => {
            return flatten_labeled(grammar, label, inner, true, repeated, after_token, out);
        }
        _ => bail!("label {label}: only a node, a token or tokens can be labeled"),
    };
    if repeated && matches!(item, Item::Node { .. }) {
        bail!("label {label}: a labeled node inside `*` is not supported");
    }
    out.push(Occurrence {
        item,
        optional,
        repeated,
        after_token,
        in_token_alt: false,
    });
    Ok(())
}

fn lower_struct(
    grammar: &Grammar,
    name: &str,
    rule: &Rule,
    kinds_of: &BTreeMap<String, BTreeSet<String>>,
) -> anyhow::Result<(Vec<Field>, Vec<String>)> {
    let mut occs = Vec::new();
    flatten(grammar, rule, false, false, None, &mut occs)?;

    let mut fields: Vec<Field> = Vec::new();
    let mut skipped = Vec::new();
    let push = |fields: &mut Vec<Field>, field: Field| -> anyhow::Result<()> {
        if let Some(old) = fields.iter().find(|f| f.method() == field.method()) {
            if *old == field {
                return Ok(());
            }
            bail!("two accessors named {} in {name}", field.method());
        }
        fields.push(field);
        Ok(())
    };

    // How often each token kind is written.
    let mut token_count: BTreeMap<&str, usize> = BTreeMap::new();
    for occ in &occs {
        match &occ.item {
            Item::Token { kind } => *token_count.entry(kind).or_default() += 1,
            Item::LabeledTokens { kinds, .. } => {
                for k in kinds {
                    *token_count.entry(k).or_default() += 1;
                }
            }
            Item::Node { .. } => {}
        }
    }

    let repeated_tokens: BTreeSet<&str> = occs
        .iter()
        .filter_map(|occ| match &occ.item {
            Item::Token { kind } if occ.repeated => Some(kind.as_str()),
            _ => None,
        })
        .collect();

    // Unlabeled node types that are many: repeated or written more than once.
    let mut unlabeled_count: BTreeMap<&str, (usize, bool)> = BTreeMap::new();
    for occ in &occs {
        if let Item::Node { ty, label: None } = &occ.item {
            let entry = unlabeled_count.entry(ty).or_default();
            entry.0 += 1;
            entry.1 |= occ.repeated;
        }
    }

    let overlaps = |a: &str, b: &str| !kinds_of[a].is_disjoint(&kinds_of[b]);
    let subset = |a: &str, b: &str| kinds_of[a].is_subset(&kinds_of[b]);

    for (i, occ) in occs.iter().enumerate() {
        match &occ.item {
            Item::Token { kind } => {
                // Separators inside `*` and alternatives of single tokens get no accessor.
                if occ.in_token_alt || repeated_tokens.contains(kind.as_str()) {
                    continue;
                }
                let method = format!("{}_token", token_method_stem(kind));
                push(
                    &mut fields,
                    Field::Token {
                        method,
                        kind: kind.clone(),
                    },
                )?;
            }
            Item::LabeledTokens { label, kinds } => {
                let method = format!("{label}_token");
                push(
                    &mut fields,
                    Field::TokenSet {
                        method,
                        kinds: kinds.clone(),
                    },
                )?;
            }
            Item::Node { ty, label } => {
                let many = label.is_none() && {
                    let (count, repeated) = unlabeled_count[ty.as_str()];
                    count > 1 || repeated
                };
                if many {
                    let method = plural(&method_name(ty));
                    push(
                        &mut fields,
                        Field::Nodes {
                            method,
                            ty: ty.clone(),
                        },
                    )?;
                    continue;
                }
                let method = label.clone().unwrap_or_else(|| method_name(ty));
                match locate(&occs, i, &overlaps, &subset, &token_count) {
                    Some(locate) => push(
                        &mut fields,
                        Field::Node {
                            method,
                            ty: ty.clone(),
                            locate,
                        },
                    )?,
                    None => skipped.push(format!("{method}: {ty}")),
                }
            }
        }
    }
    Ok((fields, skipped))
}

/// Finds a rule that picks out occurrence `i` among the children, if the grammar allows one.
fn locate(
    occs: &[Occurrence],
    i: usize,
    overlaps: &dyn Fn(&str, &str) -> bool,
    subset: &dyn Fn(&str, &str) -> bool,
    token_count: &BTreeMap<&str, usize>,
) -> Option<Locate> {
    let occ = &occs[i];
    let Item::Node { ty, .. } = &occ.item else {
        return None;
    };
    let others = |range: &mut dyn Iterator<Item = &Occurrence>| -> Vec<(String, bool)> {
        range
            .filter_map(|o| match &o.item {
                Item::Node { ty: other, .. } if overlaps(other, ty) => {
                    Some((other.clone(), o.optional || o.repeated))
                }
                _ => None,
            })
            .collect()
    };
    let before = others(&mut occs[..i].iter());
    let after = others(&mut occs[i + 1..].iter());
    let positional = before
        .iter()
        .all(|(other, unsure)| !unsure && subset(other, ty))
        && (!occ.optional || after.is_empty());
    if positional {
        return Some(Locate::Nth(before.len()));
    }
    // `'=' Expr`: the first such child after a token written once in the rule.
    let token = occ.after_token.as_ref()?;
    // The token must be there exactly when the child is: not `'x' Foo?`.
    let same_group = i > 0 && occs[i - 1].optional == occ.optional;
    (token_count.get(token.as_str()) == Some(&1) && !occ.repeated && same_group)
        .then(|| Locate::AfterToken(token.clone()))
}

/// The rule as text, for doc comments.
pub(crate) fn format_rule(grammar: &Grammar, rule: &Rule, top: bool) -> String {
    match rule {
        Rule::Labeled { label, rule } => format!("{label}:{}", format_rule(grammar, rule, false)),
        Rule::Node(n) => grammar[*n].name.clone(),
        Rule::Token(t) => format!("'{}'", grammar[*t].name),
        Rule::Seq(rules) => {
            let inner: Vec<_> = rules
                .iter()
                .map(|r| format_rule(grammar, r, false))
                .collect();
            if top {
                inner.join(" ")
            } else {
                format!("({})", inner.join(" "))
            }
        }
        Rule::Alt(rules) => {
            let inner: Vec<_> = rules
                .iter()
                .map(|r| format_rule(grammar, r, false))
                .collect();
            if top {
                inner.join(" | ")
            } else {
                format!("({})", inner.join(" | "))
            }
        }
        Rule::Opt(rule) => format!("{}?", format_rule(grammar, rule, false)),
        Rule::Rep(rule) => format!("{}*", format_rule(grammar, rule, false)),
    }
}
