//! Terms written as Erlang writes them (`~p` without the line breaks):
//! strings as `"..."`, atoms quoted only when they must be, so that what a
//! node answered reads as it would in its shell.

use std::fmt::Write;

use eetf::Term;

/// `term` in Erlang's syntax, cut after `limit` characters.
pub fn show(term: &Term, limit: usize) -> String {
    let mut out = String::new();
    write_term(&mut out, term);
    if out.chars().count() > limit {
        let cut: String = out.chars().take(limit).collect();
        return format!("{cut}...");
    }
    out
}

fn write_term(out: &mut String, term: &Term) {
    match term {
        Term::Atom(atom) => write_atom(out, &atom.name),
        Term::FixInteger(n) => {
            let _ = write!(out, "{}", n.value);
        }
        Term::BigInteger(n) => {
            let _ = write!(out, "{}", n.value);
        }
        Term::Float(x) => {
            let _ = write!(out, "{:?}", x.value);
        }
        Term::ByteList(bytes) => write_string(out, bytes.bytes.iter().map(|&b| u32::from(b))),
        Term::List(list) => {
            let codes: Option<Vec<u32>> = list.elements.iter().map(printable_code).collect();
            match codes {
                Some(codes) if !codes.is_empty() => write_string(out, codes.into_iter()),
                _ => write_seq(out, "[", &list.elements, "]"),
            }
        }
        Term::ImproperList(list) => {
            write_seq(out, "[", &list.elements, "");
            out.push('|');
            write_term(out, &list.last);
            out.push(']');
        }
        Term::Tuple(tuple) => write_seq(out, "{", &tuple.elements, "}"),
        Term::Binary(binary) => {
            if !binary.bytes.is_empty() && binary.bytes.iter().all(|&b| printable(u32::from(b))) {
                out.push_str("<<");
                write_string(out, binary.bytes.iter().map(|&b| u32::from(b)));
                out.push_str(">>");
            } else {
                let bytes: Vec<String> = binary.bytes.iter().map(u8::to_string).collect();
                let _ = write!(out, "<<{}>>", bytes.join(","));
            }
        }
        Term::Map(map) => {
            out.push_str("#{");
            for (index, (key, value)) in map.map.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_term(out, key);
                out.push_str(" => ");
                write_term(out, value);
            }
            out.push('}');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

fn write_seq(out: &mut String, open: &str, elements: &[Term], close: &str) {
    out.push_str(open);
    for (index, element) in elements.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_term(out, element);
    }
    out.push_str(close);
}

fn printable(code: u32) -> bool {
    (32..127).contains(&code) || matches!(code, 9 | 10 | 13)
}

fn printable_code(term: &Term) -> Option<u32> {
    match term {
        Term::FixInteger(n) => u32::try_from(n.value).ok().filter(|&c| printable(c)),
        _ => None,
    }
}

fn write_string(out: &mut String, codes: impl Iterator<Item = u32>) {
    out.push('"');
    for code in codes {
        match char::from_u32(code) {
            Some('"') => out.push_str("\\\""),
            Some('\\') => out.push_str("\\\\"),
            Some('\n') => out.push_str("\\n"),
            Some('\t') => out.push_str("\\t"),
            Some('\r') => out.push_str("\\r"),
            Some(c) if printable(code) => out.push(c),
            _ => {
                let _ = write!(out, "\\x{{{code:x}}}");
            }
        }
    }
    out.push('"');
}

/// Erlang's reserved words: as atoms they are quoted.
const RESERVED: [&str; 28] = [
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
    "catch", "cond", "div", "end", "fun", "if", "let", "maybe", "not", "of", "or", "orelse",
    "receive", "rem", "try", "when", "xor",
];

fn write_atom(out: &mut String, name: &str) {
    let bare = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
        && !RESERVED.contains(&name);
    if bare {
        out.push_str(name);
    } else {
        out.push('\'');
        for c in name.chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c => out.push(c),
            }
        }
        out.push('\'');
    }
}

#[cfg(test)]
mod tests {
    use eetf::{Atom, FixInteger, List, Tuple};
    use expect_test::expect;

    use super::*;

    fn int(n: i32) -> Term {
        Term::from(FixInteger::from(n))
    }

    #[test]
    fn strings_atoms_and_nesting_read_as_in_erlang() {
        let term = Term::from(Tuple::from(vec![
            Term::from(Atom::from("error")),
            Term::from(Atom::from("EXIT")),
            Term::from(List::from(vec![int(49)])),
            Term::from(List::from(vec![int(1), int(2)])),
            Term::from(Atom::from("end")),
            Term::from(Atom::from("node@host")),
            Term::from(List::nil()),
        ]));
        expect![[r#"{error,'EXIT',"1",[1,2],'end',node@host,[]}"#]].assert_eq(&show(&term, 200));
        expect![[r#"{error,'E..."#]].assert_eq(&show(&term, 9));
    }
}
