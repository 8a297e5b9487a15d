//! The state of a process module as the abstract code shows it: the record
//! `init/1` returns the state in, that record's fields, and whether
//! `code_change` exists and changes anything.

use std::collections::HashMap;

use eetf::Term;

/// The `-on_load(F/A)` of the module's abstract code, as `F/A`.
pub(crate) fn on_load(beam: &beam::BeamFile) -> Option<String> {
    let forms = beam.abstract_forms().ok()??;
    forms
        .iter()
        .filter_map(|form| form.as_ref().ok())
        .find_map(|form| {
            let elements = tuple(form)?;
            if atom(elements.first()) != Some("attribute")
                || atom(elements.get(2)) != Some("on_load")
            {
                return None;
            }
            match elements.get(3).and_then(tuple).map(Vec::as_slice) {
                Some([name, Term::FixInteger(arity)]) => {
                    Some(format!("{}/{}", atom(Some(name))?, arity.value))
                }
                _ => None,
            }
        })
}

/// What the debug information says about a module's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StateShape {
    /// The state record: the record `init/1` returns in `{ok, ...}`, else a
    /// record named `state`; with its fields in order.
    pub(crate) record: Option<(String, Vec<String>)>,
    pub(crate) code_change: CodeChange,
}

/// The module's `code_change` (arity 3, or 4 for gen_statem).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeChange {
    Missing,
    /// Every clause returns its state argument as it came.
    Identity,
    Changes,
}

/// The state shape of a module, `None` without decodable debug
/// information.
pub(crate) fn state_shape(beam: &beam::BeamFile) -> Option<StateShape> {
    let forms = beam.abstract_forms().ok()??;
    let forms: Vec<Term> = forms.into_iter().filter_map(Result::ok).collect();
    let mut records: HashMap<String, Vec<String>> = HashMap::new();
    let mut functions: HashMap<(String, i32), &Term> = HashMap::new();
    for form in &forms {
        let Some(elements) = tuple(form) else {
            continue;
        };
        match atom(elements.first()) {
            Some("attribute") if atom(elements.get(2)) == Some("record") => {
                if let Some([name, fields]) = elements.get(3).and_then(tuple).map(|t| t.as_slice())
                    && let (Some(name), Some(fields)) = (atom(Some(name)), list(fields))
                {
                    records
                        .entry(name.to_owned())
                        .or_insert_with(|| fields.iter().filter_map(field_name).collect());
                }
            }
            Some("function") => {
                if let (Some(name), Some(Term::FixInteger(arity))) =
                    (atom(elements.get(2)), elements.get(3))
                {
                    functions.insert((name.to_owned(), arity.value), form);
                }
            }
            _ => {}
        }
    }
    let state_record = functions
        .get(&("init".to_owned(), 1))
        .and_then(|init| returned_record(init))
        .or_else(|| records.contains_key("state").then(|| "state".to_owned()));
    let record = state_record.and_then(|name| {
        let fields = records.get(&name)?.clone();
        Some((name, fields))
    });
    let code_change = match functions
        .get(&("code_change".to_owned(), 3))
        .map(|f| (f, 3))
        .or_else(|| {
            functions
                .get(&("code_change".to_owned(), 4))
                .map(|f| (f, 4))
        }) {
        None => CodeChange::Missing,
        Some((function, arity)) if is_identity(function, arity) => CodeChange::Identity,
        Some(_) => CodeChange::Changes,
    };
    Some(StateShape {
        record,
        code_change,
    })
}

fn tuple(term: &Term) -> Option<&Vec<Term>> {
    match term {
        Term::Tuple(tuple) => Some(&tuple.elements),
        _ => None,
    }
}

fn list(term: &Term) -> Option<&[Term]> {
    match term {
        Term::List(list) => Some(&list.elements),
        _ => None,
    }
}

fn atom(term: Option<&Term>) -> Option<&str> {
    match term {
        Some(Term::Atom(atom)) => Some(&atom.name),
        _ => None,
    }
}

/// `{record_field, _, {atom, _, F}, ...}` or `{typed_record_field, Field, Type}`.
fn field_name(field: &Term) -> Option<String> {
    let elements = tuple(field)?;
    match atom(elements.first())? {
        "typed_record_field" => field_name(elements.get(1)?),
        "record_field" => {
            let name = tuple(elements.get(2)?)?;
            atom(name.get(2)).map(str::to_owned)
        }
        _ => None,
    }
}

/// The record of a `{ok, ..., #rec{...}, ...}` anywhere in `function`.
fn returned_record(function: &Term) -> Option<String> {
    let mut stack = vec![function];
    while let Some(term) = stack.pop() {
        match term {
            Term::Tuple(t) => {
                let elements = &t.elements;
                if atom(elements.first()) == Some("tuple")
                    && let Some(items) = elements.get(2).and_then(list)
                    && is_atom_expr(items.first(), "ok")
                {
                    for item in &items[1..] {
                        if let Some(record) = tuple(item)
                            && atom(record.first()) == Some("record")
                            && record.len() == 4
                            && let Some(name) = atom(record.get(2))
                        {
                            return Some(name.to_owned());
                        }
                    }
                }
                stack.extend(elements.iter().rev());
            }
            Term::List(list) => stack.extend(list.elements.iter().rev()),
            _ => {}
        }
    }
    None
}

/// `{atom, _, Name}`.
fn is_atom_expr(term: Option<&Term>, name: &str) -> bool {
    term.and_then(tuple)
        .is_some_and(|e| atom(e.first()) == Some("atom") && atom(e.get(2)) == Some(name))
}

/// `{var, _, Name}`'s name.
fn var_name(term: Option<&Term>) -> Option<&str> {
    let elements = term.and_then(tuple)?;
    if atom(elements.first()) != Some("var") {
        return None;
    }
    atom(elements.get(2)).filter(|name| *name != "_")
}

/// Whether every clause of `code_change/arity` returns `{ok, State}` (or
/// `{ok, StateName, Data}` for arity 4) with its arguments as they came.
fn is_identity(function: &Term, arity: usize) -> bool {
    let Some(clauses) = tuple(function).and_then(|f| f.get(4)).and_then(list) else {
        return false;
    };
    !clauses.is_empty()
        && clauses.iter().all(|clause| {
            let Some(clause) = tuple(clause) else {
                return false;
            };
            let (Some(args), Some(body)) =
                (clause.get(2).and_then(list), clause.get(4).and_then(list))
            else {
                return false;
            };
            let [last] = body else {
                return false;
            };
            let Some(returned) = tuple(last)
                .filter(|t| atom(t.first()) == Some("tuple"))
                .and_then(|t| t.get(2))
                .and_then(list)
            else {
                return false;
            };
            // The state arguments: the second (and, for gen_statem, the third).
            let kept: Vec<Option<&str>> = (1..arity - 1).map(|i| var_name(args.get(i))).collect();
            returned.len() == kept.len() + 1
                && is_atom_expr(returned.first(), "ok")
                && kept
                    .iter()
                    .zip(&returned[1..])
                    .all(|(arg, value)| arg.is_some() && *arg == var_name(Some(value)))
        })
}
