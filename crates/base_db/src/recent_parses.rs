//! The latest parses of a few texts, so that the next parse of an edited text
//! reparses only what the edit touched.
//!
//! An editor wants the new tree of a large module in a millisecond, not in the
//! tens a full parse takes. So the parse queries hand their text here: when a
//! parse of an earlier version of the same text (same options) is kept, the
//! edit between the two texts is found and [`Parse::reparse`] applied, which
//! gives exactly the tree a full parse gives. Kept trees share their untouched
//! nodes with the new ones, which makes dropping the old tree cheap too.

use std::sync::Arc;

use syntax::{Parse, ParseOptions, TextEdit};
use vfs::FileId;

use crate::side_caches::Recent;

/// Which text a parse is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParsedText {
    /// A file's own text.
    File(FileId),
    /// A module's text after preprocessing.
    Expanded(FileId),
}

/// The parses of the texts parsed last (a side cache: see
/// [`crate::SideCaches`]).
#[derive(Debug, Default)]
pub struct RecentParses(Recent<ParsedText, RecentParse>);

#[derive(Debug)]
struct RecentParse {
    options: ParseOptions,
    text: Arc<str>,
    parse: Parse,
}

impl RecentParses {
    /// The parse of `text`, the current version of `of`: reparsed from the
    /// kept parse of an earlier version when there is one, else parsed.
    pub fn parse(&self, of: ParsedText, text: &Arc<str>, options: &ParseOptions) -> Parse {
        let parse = match self.0.take(&of) {
            Some(previous) if previous.options == *options => {
                if previous.text == *text {
                    previous.parse
                } else {
                    let edit = TextEdit::between(&previous.text, text);
                    previous.parse.reparse(&edit, options)
                }
            }
            _ => syntax::parse(text, options),
        };
        self.0.put(
            of,
            RecentParse {
                options: *options,
                text: Arc::clone(text),
                parse: parse.clone(),
            },
        );
        parse
    }
}
