//! The parser never panics and always round-trips: OTP's sources with random tokens deleted,
//! duplicated and inserted, and random text and bytes.
//!
//! The random cases come from a fixed seed per file, so a failure repeats on every run;
//! proptest shrinks it to a few token operations and prints them with the file.

use proptest::{prelude::*, sample::Index, test_runner::TestCaseError};

use super::incremental_props::{CorpusFile, POOL, corpus, runner, scale};
use crate::{
    FileKind, LexOptions, NodeView, OtpRelease, ParseOptions, flat_tree_difference, parse,
    parse_flat, tokenize,
};

/// One change to a file's token list.
#[derive(Debug, Clone)]
enum TokenOp {
    Delete(Index),
    Duplicate(Index),
    /// Inserts a copy of a token from elsewhere in the file.
    Copy {
        at: Index,
        from: Index,
    },
    /// Inserts a text from [`POOL`].
    Pool {
        at: Index,
        text: usize,
    },
}

fn token_op() -> impl Strategy<Value = TokenOp> {
    prop_oneof![
        2 => any::<Index>().prop_map(TokenOp::Delete),
        1 => any::<Index>().prop_map(TokenOp::Duplicate),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(at, from)| TokenOp::Copy { at, from }),
        1 => (any::<Index>(), 0..POOL.len()).prop_map(|(at, text)| TokenOp::Pool { at, text }),
    ]
}

/// The file's text with `ops` applied to its tokens.
fn mutate(tokens: &[&str], ops: &[TokenOp]) -> String {
    let mut tokens: Vec<&str> = tokens.to_vec();
    for op in ops {
        match op {
            TokenOp::Delete(i) if !tokens.is_empty() => {
                tokens.remove(i.index(tokens.len()));
            }
            TokenOp::Duplicate(i) if !tokens.is_empty() => {
                let i = i.index(tokens.len());
                tokens.insert(i, tokens[i]);
            }
            TokenOp::Copy { at, from } if !tokens.is_empty() => {
                let token = tokens[from.index(tokens.len())];
                tokens.insert(at.index(tokens.len() + 1), token);
            }
            TokenOp::Pool { at, text } => tokens.insert(at.index(tokens.len() + 1), POOL[*text]),
            _ => {}
        }
    }
    tokens.concat()
}

fn check_round_trip(name: &str, text: &str, options: &ParseOptions) -> Result<(), TestCaseError> {
    let parse = parse(text, options);
    let back = parse.syntax_node().to_string();
    if back != text {
        return Err(TestCaseError::fail(format!(
            "{name} ({options:?}): the tree does not give back the text:\n{text:?}\ngives\n{back:?}"
        )));
    }
    // The flat tree, which the parser builds through the same grammar, must be
    // the same tree.
    let flat = parse_flat(text, options);
    let root = parse.syntax_node();
    if let Some(difference) = flat_tree_difference(NodeView::of(&root), flat.tree.root(text)) {
        return Err(TestCaseError::fail(format!(
            "{name} ({options:?}): {difference} in\n{text:?}"
        )));
    }
    if flat.errors != parse.errors() {
        return Err(TestCaseError::fail(format!(
            "{name} ({options:?}): the flat parse has other errors in\n{text:?}"
        )));
    }
    Ok(())
}

fn check_token_mutations(test: &str, shards: usize, shard: usize) {
    let files = corpus((5 / scale() as usize).max(1), test);
    let strategy = prop::collection::vec(token_op(), 1..8);
    let mut cases = 0;
    for (i, file) in files.iter().enumerate().skip(shard).step_by(shards) {
        let CorpusFile {
            name,
            text,
            options,
            ..
        } = file;
        let lex_options = LexOptions {
            release: options.release,
            file_kind: options.file_kind,
        };
        let (tokens, _) = tokenize(text, &lex_options);
        let mut offset = 0;
        let tokens: Vec<&str> = tokens
            .iter()
            .map(|token| {
                let start = offset;
                offset += token.len as usize;
                &text[start..offset]
            })
            .collect();
        let result = runner(12, 1000 + i as u64).run(&strategy, |ops| {
            let mutated = mutate(&tokens, &ops);
            check_round_trip(name, &mutated, options)
        });
        if let Err(error) = result {
            panic!("{test}: {name}: {error}");
        }
        cases += 12 * scale();
    }
    eprintln!("{test}: {cases} mutated files parsed");
}

#[test]
fn token_mutations_of_otp_never_panic_and_round_trip_a() {
    check_token_mutations("token_mutations_of_otp_never_panic_and_round_trip_a", 2, 0);
}

#[test]
fn token_mutations_of_otp_never_panic_and_round_trip_b() {
    check_token_mutations("token_mutations_of_otp_never_panic_and_round_trip_b", 2, 1);
}

fn all_options() -> Vec<ParseOptions> {
    let mut options = Vec::new();
    for release in [OtpRelease(25), OtpRelease(27), OtpRelease::LATEST] {
        for file_kind in [
            FileKind::Module,
            FileKind::Header,
            FileKind::Escript,
            FileKind::Terms,
        ] {
            options.push(ParseOptions { release, file_kind });
        }
    }
    options
}

#[test]
fn random_bytes_never_panic_and_round_trip() {
    let strategy = (
        prop::collection::vec(any::<u8>(), 0..200),
        prop::sample::select(all_options()),
    );
    let result = runner(3000, 1).run(&strategy, |(bytes, options)| {
        let text = String::from_utf8_lossy(&bytes);
        check_round_trip("random bytes", &text, &options)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[test]
fn random_erlang_fragments_never_panic_and_round_trip() {
    let fragment = prop_oneof![
        3 => (0..POOL.len()).prop_map(|i| POOL[i].to_string()),
        1 => "[a-zA-Z0-9_ .,;:()\\[\\]{}<>=+*/\"'%$#?!|~&^@\\\\\n\t\r-]{1,5}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    let strategy = (
        prop::collection::vec(fragment, 0..60).prop_map(|parts| parts.concat()),
        prop::sample::select(all_options()),
    );
    let result = runner(3000, 2).run(&strategy, |(text, options)| {
        check_round_trip("random fragments", &text, &options)
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
