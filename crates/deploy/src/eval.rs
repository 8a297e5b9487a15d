//! Running Erlang on a node: expressions read with `erl_scan` and
//! `erl_parse` there and run by `erl_eval`, with values passed in as
//! bindings; and the few term builders the rest of the crate needs.

use eetf::{Atom, List, Term, Tuple};

use crate::apply::ApplyError;
use crate::remote::Connection;
use crate::show::show;

/// Evaluates Erlang `text` (expressions ending with `.`) on the node with
/// the variables of `bindings` bound:
/// one round trip runs a whole step, however many processes or modules it
/// is about.
pub fn eval_with(
    connection: &mut Connection,
    text: &str,
    bindings: Vec<(&str, Term)>,
) -> Result<Term, ApplyError> {
    let fail = |what: &str, answer: &Term| {
        let shown: String = text.chars().take(120).collect();
        ApplyError::Failed(format!(
            "evaluating `{shown}` on the node: {what}: {}",
            show(answer, 400)
        ))
    };
    // An orddict, which erl_eval takes in every release (newer ones also
    // take a map): made here, the values cross the network once.
    let mut bindings = bindings;
    bindings.sort_by(|a, b| a.0.cmp(b.0));
    let bound = list(
        bindings
            .into_iter()
            .map(|(name, value)| tuple(vec![atom(name), value]))
            .collect(),
    );
    let scanned = connection.call("erl_scan", "string", vec![string(text)])?;
    let tokens = second_of(&scanned, "ok").ok_or_else(|| fail("erl_scan", &scanned))?;
    let parsed = connection.call("erl_parse", "parse_exprs", vec![tokens])?;
    let exprs = second_of(&parsed, "ok").ok_or_else(|| fail("erl_parse", &parsed))?;
    let value = connection.call("erl_eval", "exprs", vec![exprs, bound])?;
    second_of(&value, "value").ok_or_else(|| fail("erl_eval", &value))
}

/// `X` of `{Tag, X, ...}`.
pub(crate) fn second_of(term: &Term, tag: &str) -> Option<Term> {
    match term {
        Term::Tuple(tuple)
            if tuple
                .elements
                .first()
                .is_some_and(|first| is_atom(first, tag)) =>
        {
            tuple.elements.get(1).cloned()
        }
        _ => None,
    }
}

pub(crate) fn is_atom(term: &Term, name: &str) -> bool {
    matches!(term, Term::Atom(atom) if atom.name == name)
}

pub(crate) fn atom(name: &str) -> Term {
    Term::from(Atom::from(name))
}

pub(crate) fn tuple(elements: Vec<Term>) -> Term {
    Term::from(Tuple::from(elements))
}

pub(crate) fn list(elements: Vec<Term>) -> Term {
    Term::from(List::from(elements))
}

/// An Erlang string: a list of code points.
pub(crate) fn string(text: &str) -> Term {
    list(
        text.chars()
            .map(|c| Term::from(eetf::FixInteger::from(c as i32)))
            .collect(),
    )
}

/// The elements of a list, none for anything else.
pub(crate) fn elements(term: &Term) -> &[Term] {
    match term {
        Term::List(list) => &list.elements,
        _ => &[],
    }
}

/// A binary's bytes in lowercase hexadecimal (a module hash).
pub(crate) fn hex(term: &Term) -> Option<String> {
    match term {
        Term::Binary(binary) => Some(binary.bytes.iter().map(|b| format!("{b:02x}")).collect()),
        _ => None,
    }
}
