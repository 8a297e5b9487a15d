//! The arguments an `io:format` format string needs, read as `erl_lint`'s
//! `check_format_string/1` reads them (ported from OTP 25's `erl_lint.erl`).

/// What one control sequence takes from the argument list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FormatArg {
    Int,
    Float,
    String,
    Term,
}

/// The arguments `format` needs, in order, or why it is invalid (`erl_lint`'s
/// words: `"truncated"`, `"invalid control ~q"`).
pub(super) fn format_arguments(format: &str) -> Result<Vec<FormatArg>, String> {
    let chars: Vec<char> = format.chars().collect();
    let mut need = Vec::new();
    let mut at = 0;
    while let Some(tilde) = chars[at..].iter().position(|&c| c == '~') {
        at = sequence(&chars, at + tilde + 1, &mut need)?;
    }
    Ok(need)
}

fn is_digit(c: Option<&char>) -> bool {
    c.is_some_and(char::is_ascii_digit)
}

/// Reads the control sequence after a `~` at `at`; gives where it ends.
fn sequence(chars: &[char], mut at: usize, need: &mut Vec<FormatArg>) -> Result<usize, String> {
    let get = |i: usize| chars.get(i);
    let digits = |mut i: usize| {
        while is_digit(chars.get(i)) {
            i += 1;
        }
        i
    };
    // Field width: `-`? digits, or `-`? `*`.
    match (get(at), get(at + 1)) {
        (Some('-'), c) if is_digit(c) => at = digits(at + 1),
        (c, _) if is_digit(c) => at = digits(at),
        (Some('-'), Some('*')) => {
            need.push(FormatArg::Int);
            at += 2;
        }
        (Some('*'), _) => {
            need.push(FormatArg::Int);
            at += 1;
        }
        _ => {}
    }
    // Precision: `.` digits, `.*` or `.` alone; then the padding character.
    let mut padding = false;
    match (get(at), get(at + 1)) {
        (Some('.'), c) if is_digit(c) => {
            at = digits(at + 1);
            padding = true;
        }
        (Some('.'), Some('*')) => {
            need.push(FormatArg::Int);
            at += 2;
            padding = true;
        }
        (Some('.'), _) => {
            at += 1;
            padding = true;
        }
        _ => {}
    }
    if padding {
        match (get(at), get(at + 1)) {
            (Some('.'), Some('*')) => {
                need.push(FormatArg::Int);
                at += 2;
            }
            (Some('.'), Some(_)) => at += 2,
            _ => {}
        }
    }
    // Modifiers `t` and `l`.
    match (get(at), get(at + 1), get(at + 2)) {
        (Some('t'), Some('l'), _) | (Some('l'), Some('t'), _) => match get(at + 2) {
            Some('p' | 'P') => at += 2,
            Some(&c) => return Err(format!("invalid control ~lt{c}")),
            None => return Err("invalid control ~lt".to_owned()),
        },
        (Some('t'), Some('c' | 's' | 'p' | 'P' | 'w' | 'W'), _) => at += 1,
        (Some('t'), Some(&c), _) => return Err(format!("invalid control ~t{c}")),
        (Some('l'), Some('p' | 'P'), _) => at += 1,
        (Some('l'), Some(&c), _) => return Err(format!("invalid control ~l{c}")),
        _ => {}
    }
    let Some(&control) = get(at) else {
        return Err("truncated".to_owned());
    };
    let taken: &[FormatArg] = match control {
        '~' | 'n' => &[],
        'c' | 'b' | 'B' => &[FormatArg::Int],
        'f' | 'e' | 'g' => &[FormatArg::Float],
        's' => &[FormatArg::String],
        'w' | 'p' | '+' | '#' | 'i' => &[FormatArg::Term],
        'W' | 'P' => &[FormatArg::Term, FormatArg::Int],
        'x' | 'X' => &[FormatArg::Int, FormatArg::String],
        _ => return Err(format!("invalid control ~{control}")),
    };
    need.extend_from_slice(taken);
    Ok(at + 1)
}

#[cfg(test)]
mod tests {
    use super::format_arguments;

    fn count(format: &str) -> Result<usize, String> {
        format_arguments(format).map(|need| need.len())
    }

    #[test]
    fn counts_arguments_as_erl_lint_does() {
        assert_eq!(count("hello~n"), Ok(0));
        assert_eq!(count("~p ~s~n"), Ok(2));
        assert_eq!(count("~*.*.0f"), Ok(3));
        assert_eq!(count("~-10.3.xs ~P ~tp ~lp ~ltp ~~"), Ok(6));
        assert_eq!(count("~x ~10.16B ~#"), Ok(4));
        assert_eq!(count("~"), Err("truncated".to_owned()));
        assert_eq!(count("~q"), Err("invalid control ~q".to_owned()));
        assert_eq!(count("~tq"), Err("invalid control ~tq".to_owned()));
        assert_eq!(count("~lq"), Err("invalid control ~lq".to_owned()));
        assert_eq!(count("~ltq"), Err("invalid control ~ltq".to_owned()));
        assert_eq!(count("~."), Err("truncated".to_owned()));
    }
}
