//! What a module means, without its layout: each function's body written
//! out from the HIR, its exports, records, specs, callbacks and behaviours.
//! Two versions of a module with equal shapes differ only in formatting,
//! comments or documentation (`erlkit deploy diff --src`).

use syntax::{NodeOrToken, NodeView, SyntaxNode, TextRange};

use crate::{Analysis, Cancellable, FileId};

/// A module's meaning as plain data; equal for two texts that differ only
/// in whitespace, comments and line numbers (`?LINE` stays symbolic).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleShape {
    pub module: String,
    /// `name/arity`, sorted.
    pub exports: Vec<String>,
    /// Each function (`name/arity`) with its body written out from the HIR.
    pub functions: Vec<(String, String)>,
    /// Each record with its field names, and its declaration's tokens.
    pub records: Vec<RecordShape>,
    /// Each `-spec` (`name/arity`) with its tokens.
    pub specs: Vec<(String, String)>,
    /// Each `-callback` (`name/arity`) with its tokens.
    pub callbacks: Vec<(String, String)>,
    pub behaviours: Vec<String>,
}

/// A record declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordShape {
    pub name: String,
    pub fields: Vec<String>,
    /// The declaration's tokens separated by spaces: defaults and types too.
    pub text: String,
}

impl Analysis {
    /// The shape of module `file_id` (`None` for other files).
    pub fn module_shape(&self, file_id: FileId) -> Cancellable<Option<ModuleShape>> {
        let Some(file) = self.source_file(file_id) else {
            return Ok(None);
        };
        self.with_db(|db, workspace| {
            if *file.kind(db) != syntax::FileKind::Module {
                return None;
            }
            let items = hir::item_tree_with_source_map(db, workspace, file);
            let (items, map) = (&items.0, &items.1);
            let expanded = hir::expanded_module(db, workspace, file);
            let root = expanded.parse().syntax_node();
            let tokens = |range: TextRange| tokens_in(&root, range);
            let mut exports: Vec<String> = items.exports.iter().map(ToString::to_string).collect();
            exports.sort();
            exports.dedup();
            let functions = hir::body::module_functions(db, workspace, file)
                .into_iter()
                .map(|function| {
                    let name = format!("{}/{}", function.name(db), function.arity(db));
                    let body = hir::body::function_body(db, function).pretty(function.name(db));
                    (name, body)
                })
                .collect();
            let records = items
                .records
                .iter()
                .zip(&map.records)
                .map(|(record, ranges)| RecordShape {
                    name: record.name.to_string(),
                    fields: record.fields.iter().map(|f| f.name.to_string()).collect(),
                    text: tokens(ranges.form),
                })
                .collect();
            // `-spec`s and `-callback`s: each name with its tokens.
            let signatures = |specs: &[hir::items::Spec], ranges: &[hir::items::ItemRanges]| {
                specs
                    .iter()
                    .zip(ranges)
                    .map(|(spec, ranges)| (spec.name.to_string(), tokens(ranges.form)))
                    .collect()
            };
            let specs = signatures(&items.specs, &map.specs);
            let callbacks = signatures(&items.callbacks, &map.callbacks);
            Some(ModuleShape {
                module: items
                    .module
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                exports,
                functions,
                records,
                specs,
                callbacks,
                behaviours: items.behaviours.iter().map(ToString::to_string).collect(),
            })
        })
    }
}

/// The tokens of `range` (not trivia), separated by single spaces.
fn tokens_in(root: &SyntaxNode, range: TextRange) -> String {
    let mut text = String::new();
    let node = match root.covering_element(range) {
        NodeOrToken::Node(node) => node,
        NodeOrToken::Token(token) => token.parent().unwrap_or_else(|| root.clone()),
    };
    for token in NodeView::of(&node).tokens() {
        let at = token.text_range();
        if at.end() <= range.start() {
            continue;
        }
        if at.start() >= range.end() {
            break;
        }
        if token.kind().is_trivia() {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(token.text());
    }
    text
}
