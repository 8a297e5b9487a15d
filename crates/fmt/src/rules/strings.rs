//! Strings, triple-quoted strings, sigils and adjacent strings (`concat`).

use crate::algebra::{Doc, force_breaks, line, lines, text};
use crate::node::Node;

use super::Layout;
use super::{break_2, expr_to_algebra, fold_doc, has_break_between, line_2};

pub(super) fn string_to_algebra<'a>(d: Layout<'a>, text_: &'a str) -> Doc<'a> {
    let lines_: Vec<&str> = text_.split('\n').collect();
    match lines_.as_slice() {
        [quote, rest @ ..] if quote.starts_with("\"\"\"") && !rest.is_empty() => {
            tripple_quoted_to_algebra(d, quote, rest)
        }
        [line_] => text(line_),
        [first, "\""] => text(d.format(format_args!("{first}\\n\""))),
        [first, lines_ @ ..] => {
            let first_d = text(d.format(format_args!("{first}\\n\"")));
            let lines_d = string_lines_to_algebra(d, lines_);
            d.concat(&[force_breaks(), first_d, line(), lines_d])
        }
        [] => text(text_),
    }
}

/// tripple-quoted string might have actually more than tripple quotes
/// indentation to remove from each line is given from the closing parenteses per documentation
/// see: https://www.erlang.org/doc/system/data_types#string
fn tripple_quoted_to_algebra<'a>(
    d: Layout<'a>,
    quote: &'a str,
    lines_with_final_quote: &[&'a str],
) -> Doc<'a> {
    let Some((final_quote, lines_)) = lines_with_final_quote.split_last() else {
        return text(quote);
    };
    let indent_to_remove = calculate_indentation(quote, final_quote);
    let mut cleaned_lines_d = Vec::with_capacity(lines_.len() + 2);
    cleaned_lines_d.push(quote);
    cleaned_lines_d.extend(
        lines_
            .iter()
            .map(|line_| format_tripple_line(line_, indent_to_remove)),
    );
    cleaned_lines_d.push(quote);
    join_tripple_lines(d, &cleaned_lines_d)
}

/// The indentation before the closing quotes. (erlfmt fails on a closing line
/// that does not end with the opening quotes; its leading spaces are used then.)
fn calculate_indentation<'a>(quote: &str, final_quote: &'a str) -> &'a str {
    match final_quote.strip_suffix(quote) {
        Some(indentation) => indentation,
        None => {
            let trimmed = final_quote.trim_start_matches([' ', '\t']);
            &final_quote[..final_quote.len() - trimmed.len()]
        }
    }
}

/// empty lines have no indentation
fn format_tripple_line<'a>(line_: &'a str, indent: &str) -> &'a str {
    if line_.is_empty() {
        line_
    } else {
        remove_indentation(line_, indent)
    }
}

/// (erlfmt fails on a line that does not start with the indentation; what it
/// has of it is removed then.)
fn remove_indentation<'a>(line_: &'a str, indent: &str) -> &'a str {
    match line_.strip_prefix(indent) {
        Some(rest) => rest,
        None => {
            let common = line_
                .char_indices()
                .zip(indent.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((at, c), _)| at + c.len_utf8());
            &line_[common..]
        }
    }
}

/// The lines joined by line breaks; an empty line adds a line break to the one
/// before it (so that it has no indentation).
fn join_tripple_lines<'a>(d: Layout<'a>, lines_: &[&'a str]) -> Doc<'a> {
    // (line, how many line breaks follow it), the empty lines folded in.
    let mut runs: Vec<(&'a str, u32)> = Vec::with_capacity(lines_.len());
    for line_ in lines_ {
        match runs.last_mut() {
            Some((_, empty_lines)) if line_.is_empty() => *empty_lines += 1,
            _ => runs.push((line_, 1)),
        }
    }
    let mut runs = runs.into_iter().rev();
    let Some((last, _)) = runs.next() else {
        return text("");
    };
    let mut acc = text(last);
    for (line_, empty_lines) in runs {
        acc = d.concat(&[text(line_), lines(empty_lines), acc]);
    }
    acc
}

fn string_lines_to_algebra<'a>(d: Layout<'a>, lines_: &[&str]) -> Doc<'a> {
    let count = lines_.len();
    let mut lines_d = Vec::with_capacity(count);
    for (at, line_) in lines_.iter().enumerate() {
        if at + 1 == count {
            lines_d.push(text(d.format(format_args!("\"{line_}"))));
        } else if at + 2 == count && lines_[at + 1] == "\"" {
            lines_d.push(text(d.format(format_args!("\"{line_}\\n\""))));
            break;
        } else {
            lines_d.push(text(d.format(format_args!("\"{line_}\\n\""))));
        }
    }
    fold_doc(d, lines_d, line_2)
}

/// there's always at least two elements in concat
pub(super) fn concat_to_algebra<'a>(d: Layout<'a>, values: &[Node<'a>]) -> Doc<'a> {
    let values_d = values.iter().map(|expr| expr_to_algebra(d, expr));
    match values {
        [value1, value2, ..] if has_break_between(&value1.meta, &value2.meta) => {
            d.concat(&[force_breaks(), d.group(fold_doc(d, values_d, line_2))])
        }
        _ => d.group(fold_doc(d, values_d, break_2)),
    }
}

/// erlfmt's `do_expr_to_algebra` of a `sigil`: one text.
pub(super) fn sigil_to_algebra<'a>(
    d: Layout<'a>,
    prefix: &str,
    string: &str,
    suffix: &str,
) -> Doc<'a> {
    let sigil_doc = text(d.format(format_args!("~{prefix}{string}{suffix}")));
    if is_multiline_string(string) {
        d.concat(&[force_breaks(), sigil_doc])
    } else {
        sigil_doc
    }
}

pub(super) fn is_multiline_string(text_: &str) -> bool {
    let mut lines_ = text_.split('\n');
    lines_.next();
    !matches!(
        (lines_.next(), lines_.next()),
        (None, _) | (Some("\""), None)
    )
}
