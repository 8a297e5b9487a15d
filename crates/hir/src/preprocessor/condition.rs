//! `-if` and `-elif` conditions: a guard expression over literals, with
//! `defined(Name)`, evaluated as `epp` does (an error while evaluating makes
//! the condition false; a call that is not allowed in a guard is a badly formed
//! `-if`).

use std::cmp::Ordering;

use smol_str::SmolStr;
use syntax::SyntaxKind;

use super::PpToken;

/// A value of a condition.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i128),
    Float(f64),
    Atom(SmolStr),
    List(Vec<Value>),
    Tuple(Vec<Value>),
}

/// Why evaluation stopped: `epp` makes the condition false.
#[derive(Debug)]
struct Failed;

/// The result of evaluating part of a condition.
type Eval = Result<Value, Failed>;

/// Evaluates the tokens of `-if(...)` (macros expanded, the parentheses
/// included, the dot not). `Err` says why the condition is badly formed.
pub(super) fn evaluate(tokens: &[PpToken], defined: &dyn Fn(&str) -> bool) -> Result<bool, String> {
    let mut parser = Parser {
        tokens,
        position: 0,
        defined,
    };
    let expression = parser.expression(0)?;
    if parser.position != tokens.len() {
        let text = &tokens[parser.position].text;
        return Err(format!("syntax error before: {text}"));
    }
    Ok(matches!(expression, Ok(Value::Atom(ref a)) if a == "true"))
}

struct Parser<'t, 'd> {
    tokens: &'t [PpToken],
    position: usize,
    defined: &'d dyn Fn(&str) -> bool,
}

/// Binary operators: precedence and whether they are right-associative.
fn binary_operator(token: &PpToken) -> Option<(u8, bool)> {
    Some(match token.kind {
        SyntaxKind::ORELSE_KW => (15, true),
        SyntaxKind::ANDALSO_KW => (16, true),
        SyntaxKind::EQ2
        | SyntaxKind::SLASH_EQ
        | SyntaxKind::EQ_COLON_EQ
        | SyntaxKind::EQ_SLASH_EQ
        | SyntaxKind::L_ANGLE
        | SyntaxKind::R_ANGLE
        | SyntaxKind::GT_EQ
        | SyntaxKind::EQ_LT => (20, false),
        SyntaxKind::PLUS2 | SyntaxKind::MINUS2 => (30, true),
        SyntaxKind::PLUS
        | SyntaxKind::MINUS
        | SyntaxKind::BOR_KW
        | SyntaxKind::BXOR_KW
        | SyntaxKind::BSL_KW
        | SyntaxKind::BSR_KW
        | SyntaxKind::OR_KW
        | SyntaxKind::XOR_KW => (40, false),
        SyntaxKind::STAR
        | SyntaxKind::SLASH
        | SyntaxKind::DIV_KW
        | SyntaxKind::REM_KW
        | SyntaxKind::BAND_KW
        | SyntaxKind::AND_KW => (50, false),
        _ => return None,
    })
}

/// Guard BIFs a condition may call.
const GUARD_BIFS: &[(&str, usize)] = &[
    ("abs", 1),
    ("element", 2),
    ("float", 1),
    ("hd", 1),
    ("is_atom", 1),
    ("is_binary", 1),
    ("is_boolean", 1),
    ("is_float", 1),
    ("is_integer", 1),
    ("is_list", 1),
    ("is_number", 1),
    ("is_tuple", 1),
    ("length", 1),
    ("max", 2),
    ("min", 2),
    ("round", 1),
    ("size", 1),
    ("tl", 1),
    ("trunc", 1),
    ("tuple_size", 1),
];

/// Auto-imported BIFs that are not guard BIFs: calling one makes a badly
/// formed `-if`.
const NON_GUARD_BIFS: &[&str] = &[
    "apply",
    "atom_to_binary",
    "atom_to_list",
    "binary_to_atom",
    "binary_to_list",
    "integer_to_list",
    "list_to_atom",
    "list_to_integer",
    "list_to_tuple",
    "tuple_to_list",
    "spawn",
    "self",
    "put",
    "get",
    "erase",
    "halt",
    "throw",
    "error",
    "exit",
];

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&PpToken> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<&PpToken> {
        let token = self.tokens.get(self.position);
        self.position += 1;
        token
    }

    fn expect(&mut self, kind: SyntaxKind, what: &str) -> Result<(), String> {
        match self.next() {
            Some(token) if token.kind == kind => Ok(()),
            Some(token) => Err(format!("syntax error before: {}", token.text)),
            None => Err(format!("missing {what}")),
        }
    }

    /// An expression whose operators bind tighter than `min`.
    fn expression(&mut self, min: u8) -> Result<Eval, String> {
        let mut left = self.unary()?;
        while let Some(token) = self.peek() {
            let Some((precedence, right_assoc)) = binary_operator(token) else {
                break;
            };
            if precedence < min {
                break;
            }
            let operator = token.kind;
            self.position += 1;
            let next_min = if right_assoc {
                precedence
            } else {
                precedence + 1
            };
            let right = self.expression(next_min)?;
            left = binary(operator, left, right);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Eval, String> {
        let Some(token) = self.peek() else {
            return Err("unexpected end of condition".to_owned());
        };
        match token.kind {
            SyntaxKind::MINUS | SyntaxKind::PLUS | SyntaxKind::NOT_KW | SyntaxKind::BNOT_KW => {
                let operator = token.kind;
                self.position += 1;
                let operand = self.unary()?;
                Ok(operand.and_then(|value| unary(operator, value)))
            }
            _ => self.primary(),
        }
    }

    fn primary(&mut self) -> Result<Eval, String> {
        let Some(token) = self.next().cloned() else {
            return Err("unexpected end of condition".to_owned());
        };
        match token.kind {
            SyntaxKind::INTEGER => Ok(parse_integer(&token.text).ok_or(Failed)),
            SyntaxKind::FLOAT => Ok(token
                .text
                .replace('_', "")
                .parse::<f64>()
                .map(Value::Float)
                .map_err(|_| Failed)),
            SyntaxKind::CHAR => Ok(char_value(&token.text).ok_or(Failed)),
            SyntaxKind::STRING => {
                let mut text = syntax::ast::string_value(&token.text);
                while self.peek().is_some_and(|t| t.kind == SyntaxKind::STRING) {
                    text.push_str(&syntax::ast::string_value(
                        &self.next().expect("peeked").text,
                    ));
                }
                Ok(Ok(Value::List(
                    text.chars().map(|c| Value::Int(c as i128)).collect(),
                )))
            }
            SyntaxKind::ATOM => {
                let name = syntax::ast::atom_value(&token.text);
                if self.peek().map(|t| t.kind) == Some(SyntaxKind::L_PAREN) {
                    return self.call(&name);
                }
                Ok(Ok(Value::Atom(SmolStr::new(name))))
            }
            SyntaxKind::VAR => Err(format!("variable '{}' is unbound", token.text)),
            SyntaxKind::L_PAREN => {
                let inner = self.expression(0)?;
                self.expect(SyntaxKind::R_PAREN, "')'")?;
                Ok(inner)
            }
            SyntaxKind::L_CURLY => {
                let elements = self.sequence(SyntaxKind::R_CURLY)?;
                Ok(elements.map(Value::Tuple))
            }
            SyntaxKind::L_BRACK => {
                let elements = self.sequence(SyntaxKind::R_BRACK)?;
                Ok(elements.map(Value::List))
            }
            _ => Err(format!("syntax error before: {}", token.text)),
        }
    }

    /// Elements up to `close`, separated by commas (no `|` tails).
    fn sequence(&mut self, close: SyntaxKind) -> Result<Result<Vec<Value>, Failed>, String> {
        let mut values = Vec::new();
        let mut failed = false;
        if self.peek().map(|t| t.kind) == Some(close) {
            self.position += 1;
            return Ok(Ok(values));
        }
        loop {
            match self.expression(0)? {
                Ok(value) => values.push(value),
                Err(Failed) => failed = true,
            }
            match self.next().map(|t| t.kind) {
                Some(SyntaxKind::COMMA) => {}
                Some(kind) if kind == close => break,
                _ => return Err("syntax error in a tuple or list".to_owned()),
            }
        }
        Ok(if failed { Err(Failed) } else { Ok(values) })
    }

    fn call(&mut self, name: &str) -> Result<Eval, String> {
        self.expect(SyntaxKind::L_PAREN, "'('")?;
        if name == "defined" {
            let answer = match self.next() {
                Some(token) if matches!(token.kind, SyntaxKind::ATOM | SyntaxKind::VAR) => {
                    let macro_name = super::macro_name(&token.text);
                    (self.defined)(&macro_name)
                }
                _ => return Err("defined/1 takes a macro name".to_owned()),
            };
            self.expect(SyntaxKind::R_PAREN, "')'")?;
            return Ok(Ok(atom(if answer { "true" } else { "false" })));
        }
        let arguments = self.sequence(SyntaxKind::R_PAREN)?;
        let arity = arguments.as_ref().map_or(0, Vec::len);
        if NON_GUARD_BIFS.contains(&name) {
            return Err(format!("{name}/{arity} is not allowed in a guard"));
        }
        if !GUARD_BIFS.contains(&(name, arity)) {
            // An unknown local function: fails when evaluated.
            return Ok(Err(Failed));
        }
        Ok(arguments.and_then(|arguments| guard_bif(name, &arguments)))
    }
}

fn atom(name: &str) -> Value {
    Value::Atom(SmolStr::new(name))
}

fn boolean(value: bool) -> Value {
    atom(if value { "true" } else { "false" })
}

fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Atom(a) if a == "true" => Some(true),
        Value::Atom(a) if a == "false" => Some(false),
        _ => None,
    }
}

fn parse_integer(text: &str) -> Option<Value> {
    let text = text.replace('_', "");
    let value = match text.split_once('#') {
        Some((base, digits)) => i128::from_str_radix(digits, base.parse().ok()?).ok()?,
        None => text.parse().ok()?,
    };
    Some(Value::Int(value))
}

fn char_value(text: &str) -> Option<Value> {
    let rest = text.strip_prefix('$')?;
    let value = if rest.starts_with('\\') {
        // The same escapes as in a quoted atom.
        syntax::ast::atom_value(&format!("'{rest}'"))
            .chars()
            .next()?
    } else {
        rest.chars().next()?
    };
    Some(Value::Int(value as i128))
}

fn unary(operator: SyntaxKind, value: Value) -> Eval {
    match (operator, value) {
        (SyntaxKind::MINUS, Value::Int(n)) => Ok(Value::Int(-n)),
        (SyntaxKind::MINUS, Value::Float(f)) => Ok(Value::Float(-f)),
        (SyntaxKind::PLUS, value @ (Value::Int(_) | Value::Float(_))) => Ok(value),
        (SyntaxKind::BNOT_KW, Value::Int(n)) => Ok(Value::Int(!n)),
        (SyntaxKind::NOT_KW, value) => as_bool(&value).map(|b| boolean(!b)).ok_or(Failed),
        _ => Err(Failed),
    }
}

fn binary(operator: SyntaxKind, left: Eval, right: Eval) -> Eval {
    // `andalso`/`orelse` only need the right side when the left does not decide.
    match operator {
        SyntaxKind::ANDALSO_KW => {
            return match as_bool(&left?) {
                Some(false) => Ok(boolean(false)),
                Some(true) => right,
                None => Err(Failed),
            };
        }
        SyntaxKind::ORELSE_KW => {
            return match as_bool(&left?) {
                Some(true) => Ok(boolean(true)),
                Some(false) => right,
                None => Err(Failed),
            };
        }
        _ => {}
    }
    let (left, right) = (left?, right?);
    use SyntaxKind as K;
    match operator {
        K::EQ2 => Ok(boolean(compare(&left, &right) == Ordering::Equal)),
        K::SLASH_EQ => Ok(boolean(compare(&left, &right) != Ordering::Equal)),
        K::EQ_COLON_EQ => Ok(boolean(left == right)),
        K::EQ_SLASH_EQ => Ok(boolean(left != right)),
        K::L_ANGLE => Ok(boolean(compare(&left, &right) == Ordering::Less)),
        K::R_ANGLE => Ok(boolean(compare(&left, &right) == Ordering::Greater)),
        K::EQ_LT => Ok(boolean(compare(&left, &right) != Ordering::Greater)),
        K::GT_EQ => Ok(boolean(compare(&left, &right) != Ordering::Less)),
        K::AND_KW | K::OR_KW | K::XOR_KW => {
            let (a, b) = (
                as_bool(&left).ok_or(Failed)?,
                as_bool(&right).ok_or(Failed)?,
            );
            Ok(boolean(match operator {
                K::AND_KW => a && b,
                K::OR_KW => a || b,
                _ => a ^ b,
            }))
        }
        K::PLUS2 => match (left, right) {
            (Value::List(mut a), Value::List(b)) => {
                a.extend(b);
                Ok(Value::List(a))
            }
            _ => Err(Failed),
        },
        K::MINUS2 => match (left, right) {
            (Value::List(mut a), Value::List(b)) => {
                for value in b {
                    if let Some(position) = a.iter().position(|x| *x == value) {
                        a.remove(position);
                    }
                }
                Ok(Value::List(a))
            }
            _ => Err(Failed),
        },
        _ => arithmetic(operator, left, right),
    }
}

fn arithmetic(operator: SyntaxKind, left: Value, right: Value) -> Eval {
    use SyntaxKind as K;
    match (left, right) {
        (Value::Int(a), Value::Int(b)) => Ok(Value::Int(match operator {
            K::PLUS => a.checked_add(b).ok_or(Failed)?,
            K::MINUS => a.checked_sub(b).ok_or(Failed)?,
            K::STAR => a.checked_mul(b).ok_or(Failed)?,
            K::SLASH => return Ok(Value::Float(a as f64 / nonzero(b as f64)?)),
            K::DIV_KW => a.checked_div(b).ok_or(Failed)?,
            K::REM_KW => a.checked_rem(b).ok_or(Failed)?,
            K::BAND_KW => a & b,
            K::BOR_KW => a | b,
            K::BXOR_KW => a ^ b,
            K::BSL_KW => a
                .checked_shl(u32::try_from(b).map_err(|_| Failed)?)
                .ok_or(Failed)?,
            K::BSR_KW => a
                .checked_shr(u32::try_from(b).map_err(|_| Failed)?)
                .ok_or(Failed)?,
            _ => return Err(Failed),
        })),
        (a, b) => {
            let (a, b) = (as_float(&a)?, as_float(&b)?);
            Ok(Value::Float(match operator {
                K::PLUS => a + b,
                K::MINUS => a - b,
                K::STAR => a * b,
                K::SLASH => a / nonzero(b)?,
                _ => return Err(Failed),
            }))
        }
    }
}

fn nonzero(value: f64) -> Result<f64, Failed> {
    if value == 0.0 { Err(Failed) } else { Ok(value) }
}

fn as_float(value: &Value) -> Result<f64, Failed> {
    match value {
        Value::Int(n) => Ok(*n as f64),
        Value::Float(f) => Ok(*f),
        _ => Err(Failed),
    }
}

/// Erlang's term order: number < atom < tuple < list.
fn compare(left: &Value, right: &Value) -> Ordering {
    fn rank(value: &Value) -> u8 {
        match value {
            Value::Int(_) | Value::Float(_) => 0,
            Value::Atom(_) => 1,
            Value::Tuple(_) => 2,
            Value::List(_) => 3,
        }
    }
    match (left, right) {
        (Value::Int(a), Value::Int(b)) => a.cmp(b),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (a, b) = (
                as_float(left).unwrap_or(0.0),
                as_float(right).unwrap_or(0.0),
            );
            a.partial_cmp(&b).unwrap_or(Ordering::Equal)
        }
        (Value::Atom(a), Value::Atom(b)) => a.cmp(b),
        (Value::Tuple(a), Value::Tuple(b)) => {
            a.len().cmp(&b.len()).then_with(|| compare_elements(a, b))
        }
        (Value::List(a), Value::List(b)) => compare_elements(a, b),
        _ => rank(left).cmp(&rank(right)),
    }
}

fn compare_elements(a: &[Value], b: &[Value]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = compare(x, y);
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

fn guard_bif(name: &str, arguments: &[Value]) -> Eval {
    let first = arguments.first().ok_or(Failed)?;
    Ok(match (name, arguments) {
        ("is_atom", _) => boolean(matches!(first, Value::Atom(_))),
        ("is_boolean", _) => boolean(as_bool(first).is_some()),
        ("is_integer", _) => boolean(matches!(first, Value::Int(_))),
        ("is_float", _) => boolean(matches!(first, Value::Float(_))),
        ("is_number", _) => boolean(matches!(first, Value::Int(_) | Value::Float(_))),
        ("is_list", _) => boolean(matches!(first, Value::List(_))),
        ("is_tuple", _) => boolean(matches!(first, Value::Tuple(_))),
        ("is_binary", _) => boolean(false),
        ("abs", _) => match first {
            Value::Int(n) => Value::Int(n.abs()),
            Value::Float(f) => Value::Float(f.abs()),
            _ => return Err(Failed),
        },
        ("float", _) => Value::Float(as_float(first)?),
        ("trunc", _) => Value::Int(as_float(first)?.trunc() as i128),
        ("round", _) => Value::Int(as_float(first)?.round() as i128),
        ("length", [Value::List(list)]) => Value::Int(list.len() as i128),
        ("hd", [Value::List(list)]) => list.first().cloned().ok_or(Failed)?,
        ("tl", [Value::List(list)]) if !list.is_empty() => Value::List(list[1..].to_vec()),
        ("tuple_size" | "size", [Value::Tuple(elements)]) => Value::Int(elements.len() as i128),
        ("element", [Value::Int(n), Value::Tuple(elements)]) => usize::try_from(*n)
            .ok()
            .and_then(|n| elements.get(n.checked_sub(1)?))
            .cloned()
            .ok_or(Failed)?,
        ("min", [a, b]) => {
            if compare(a, b) == Ordering::Greater {
                b.clone()
            } else {
                a.clone()
            }
        }
        ("max", [a, b]) => {
            if compare(a, b) == Ordering::Less {
                b.clone()
            } else {
                a.clone()
            }
        }
        _ => return Err(Failed),
    })
}
