//! Template values with the semantics cdk-nag's JavaScript gives them.
//!
//! cdk-nag's rules are JavaScript reading the L1s `CfnInclude` built from
//! the template, so what a rule sees differs from the raw JSON in small
//! ways these helpers reproduce: `null` is `undefined` (`CfnInclude` drops
//! nulls); string properties turn numbers and booleans into strings,
//! boolean ones `"true"`/`"false"` into booleans and number ones numeric
//! strings into numbers; reading a field of `undefined`, iterating a
//! non-list or calling a string method on a non-string throws (a
//! `TypeError`: the rule then cannot judge the resource, which cdk-nag
//! reports as `CdkNagValidationFailure`); `===` compares objects by
//! identity (two values read from the template are never the same object);
//! `==`, truthiness and `` `${x}` `` convert as JavaScript does.

use std::borrow::Cow;

use serde_json::Value;

use crate::js::regex::is_js_space;
use crate::resource::{as_bool, resolve_primitive, Resource, Unresolved};

/// A value cdk-nag's rule reads, `None` for `undefined` (an absent or
/// `null` value: `CfnInclude` drops nulls).
pub(crate) type Js<'a> = Option<&'a Value>;

/// `value` with `null` as `undefined`.
pub(crate) fn defined(value: Option<&Value>) -> Js<'_> {
    value.filter(|v| !v.is_null())
}

/// A property of the resource (`node.someProperty`).
pub(crate) fn prop<'a>(r: &Resource<'a>, name: &str) -> Js<'a> {
    defined(r.prop(name))
}

/// `value?.key`: `undefined` when `value` is.
pub(crate) fn opt_field<'a>(value: Js<'a>, key: &str) -> Js<'a> {
    defined(value?.get(key))
}

/// The error of a JavaScript `TypeError` on `value` (a property of
/// `undefined`, a method the value lacks, iterating a non-list).
pub(crate) fn type_error(value: Js<'_>) -> Unresolved {
    Unresolved::new(value.unwrap_or(&Value::Null))
}

/// `value == undefined` (also true of `null`).
pub(crate) fn is_nullish(value: Js<'_>) -> bool {
    defined(value).is_none()
}

/// `value.key`: throws (a `TypeError` in cdk-nag's rule) when `value` is
/// `undefined`; `undefined` for a field a string, number or array lacks.
pub(crate) fn field<'a>(value: Js<'a>, key: &str) -> Result<Js<'a>, Unresolved> {
    match defined(value) {
        None => Err(type_error(value)),
        Some(v) => Ok(defined(v.get(key))),
    }
}

/// A boolean property as `CfnInclude` reads it (`"true"` is `true`).
pub(crate) fn boolean(value: Js<'_>) -> Js<'_> {
    const TRUE: &Value = &Value::Bool(true);
    const FALSE: &Value = &Value::Bool(false);
    match value {
        Some(v @ Value::String(_)) => match as_bool(v) {
            Some(true) => Some(TRUE),
            Some(false) => Some(FALSE),
            None => Some(v),
        },
        other => other,
    }
}

/// JavaScript's `parseFloat`: the longest numeric prefix, after white space.
fn parse_float(s: &str) -> f64 {
    let t = s.trim_start_matches(is_js_space);
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let sign = if t.starts_with('-') { -1.0 } else { 1.0 };
    if unsigned.starts_with("Infinity") {
        return sign * f64::INFINITY;
    }
    let b = unsigned.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let int_end = digits(0);
    let mut end = int_end;
    if b.get(end) == Some(&b'.') {
        let frac_end = digits(end + 1);
        if frac_end > end + 1 || int_end > 0 {
            end = frac_end;
        }
    }
    if end == 0 || (end == 1 && b[0] == b'.') {
        return f64::NAN;
    }
    if matches!(b.get(end), Some(b'e' | b'E')) {
        let mut i = end + 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_end = digits(i);
        if exp_end > i {
            end = exp_end;
        }
    }
    sign * unsigned[..end].parse::<f64>().unwrap_or(f64::NAN)
}

/// A number property as `CfnInclude` reads it (`FromCloudFormation.getNumber`:
/// a string is `parseFloat`ed unless that gives NaN, and is left a string
/// otherwise) and JavaScript then compares it with a number (`ToNumber`:
/// a blank string is 0, `undefined` and other strings NaN).
pub(crate) fn cfn_number(value: Js<'_>) -> f64 {
    match value {
        Some(Value::String(s)) => match parse_float(s) {
            n if n.is_nan() => string_to_number(s),
            n => n,
        },
        other => to_number(other),
    }
}

/// `value < limit` for a number property (see [`cfn_number`]).
pub(crate) fn number_below(value: Js<'_>, limit: f64) -> bool {
    cfn_number(value) < limit
}

/// `NagRules.resolveIfPrimitive` of a number property, as JavaScript
/// compares it (see [`cfn_number`]); `None` when absent.
pub(crate) fn resolved_number(value: Js<'_>) -> Result<Option<f64>, Unresolved> {
    Ok(defined(resolve_primitive(value)?).map(|v| cfn_number(Some(v))))
}

/// A string property as `CfnInclude` reads it (`FromCloudFormation.getString`):
/// numbers and booleans become strings.
pub(crate) fn string(value: Js<'_>) -> Option<Cow<'_, Value>> {
    match value? {
        v @ (Value::Number(_) | Value::Bool(_)) => {
            Some(Cow::Owned(Value::String(to_js_string(Some(v)))))
        }
        v => Some(Cow::Borrowed(v)),
    }
}

/// [`string`], owned.
pub(crate) fn owned_string(value: Js<'_>) -> Option<Value> {
    string(value).map(Cow::into_owned)
}

/// A string property as `CfnInclude` reads it, as text: `None` for an
/// absent value, an object or a list (an intrinsic function).
pub(crate) fn cfn_string(value: Js<'_>) -> Option<Cow<'_, str>> {
    match defined(value)? {
        Value::String(s) => Some(Cow::Borrowed(s)),
        v @ (Value::Number(_) | Value::Bool(_)) => Some(Cow::Owned(to_js_string(Some(v)))),
        _ => None,
    }
}

/// `value === expected` for a string property read through `CfnInclude`.
pub(crate) fn str_is(value: Js<'_>, expected: &str) -> bool {
    cfn_string(value).is_some_and(|s| s == expected)
}

/// `NagRules.resolveIfPrimitive` of a string property (an intrinsic fails).
pub(crate) fn resolved_string(value: Js<'_>) -> Result<Option<Cow<'_, str>>, Unresolved> {
    Ok(cfn_string(resolve_primitive(value)?))
}

/// `NagRules.resolveIfPrimitive` of a boolean property, `=== true`/`=== false`
/// read through `CfnInclude` (`"true"` is `true`); `None` for anything else.
pub(crate) fn resolved_bool(value: Js<'_>) -> Result<Option<bool>, Unresolved> {
    Ok(resolve_primitive(value)?.and_then(as_bool))
}

/// The truthiness of a boolean property's value after `CfnInclude`: its
/// `"true"`/`"false"` are booleans, other primitives keep JavaScript's
/// truthiness.
pub(crate) fn flag(value: &Value) -> bool {
    as_bool(value).unwrap_or_else(|| truthy(Some(value)))
}

/// `NagRules.resolveIfPrimitive` of a boolean property, as its truthiness
/// ([`flag`]); `None` when absent. For what `CfnInclude` leaves, `!x` and
/// `x == false` agree.
pub(crate) fn resolved_flag(value: Js<'_>) -> Result<Option<bool>, Unresolved> {
    Ok(defined(resolve_primitive(value)?).map(flag))
}

/// `value == false`: `null` and `undefined` are not; other values compare
/// as numbers (`""`, `"0"`, `0`, `[]` are).
pub(crate) fn loosely_false(value: Js<'_>) -> bool {
    defined(value).is_some_and(|v| to_number(Some(v)) == 0.0)
}

/// `value.length` of a value after `Stack.resolve` (which drops `null`
/// items of a list): a list's items, a string's UTF-16 units; `None`
/// (`undefined`) for anything else.
pub(crate) fn resolved_length(value: &Value) -> Option<usize> {
    match value {
        Value::Array(items) => Some(items.iter().filter(|v| !v.is_null()).count()),
        Value::String(s) => Some(s.encode_utf16().count()),
        _ => None,
    }
}

/// `a === b` for values resolved from the template.
pub(crate) fn strict_eq(a: Js<'_>, b: Js<'_>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Value::String(x)), Some(Value::String(y))) => x == y,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x.as_f64() == y.as_f64(),
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
        _ => false,
    }
}

/// JavaScript's `ToNumber` of a string.
fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    let radix = |prefix: &str, radix| {
        t.strip_prefix(prefix)
            .or_else(|| t.strip_prefix(&prefix.to_uppercase()))
            .map(|digits| {
                u64::from_str_radix(digits, radix)
                    .map(|n| n as f64)
                    .unwrap_or(f64::NAN)
            })
    };
    if let Some(n) = radix("0x", 16)
        .or_else(|| radix("0o", 8))
        .or_else(|| radix("0b", 2))
    {
        return n;
    }
    match t {
        "Infinity" | "+Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        _ if t.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') => f64::NAN,
        _ => t.parse().unwrap_or(f64::NAN),
    }
}

/// JavaScript's `ToNumber` of a primitive (`undefined` is NaN).
pub(crate) fn to_number(value: Js<'_>) -> f64 {
    match value {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => string_to_number(s),
        Some(other) => string_to_number(&to_js_string(Some(other))),
    }
}

/// `value == literal` for a string literal: `undefined` is never equal,
/// numbers and booleans compare as numbers, objects as their string form.
pub(crate) fn loose_eq_str(value: Js<'_>, literal: &str) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => s == literal,
        Some(v @ (Value::Number(_) | Value::Bool(_))) => {
            to_number(Some(v)) == string_to_number(literal)
        }
        Some(other) => to_js_string(Some(other)) == literal,
    }
}

/// JavaScript's truthiness.
pub(crate) fn truthy(value: Js<'_>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// How JavaScript prints a number.
fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{}", n as i128)
    } else {
        format!("{n}")
    }
}

/// `` `${value}` ``: `undefined`, `[object Object]`, arrays joined with commas.
pub(crate) fn to_js_string(value: Js<'_>) -> String {
    match value {
        None => "undefined".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.as_f64().map(js_number).unwrap_or_default(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::Null => String::new(),
                other => to_js_string(Some(other)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".to_owned(),
    }
}

/// `JSON.stringify(value)` of a value resolved from the template (`None`
/// for `undefined`, which `JSON.stringify` does not turn into a string).
pub(crate) fn json_stringify(value: Js<'_>) -> Option<String> {
    fn write(value: &Value, out: &mut String) {
        match value {
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                // `CfnInclude` turns null into undefined, which `JSON.stringify` leaves out.
                for (i, (key, item)) in map.iter().filter(|(_, v)| !v.is_null()).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(key.clone()).to_string());
                    out.push(':');
                    write(item, out);
                }
                out.push('}');
            }
            Value::Number(n) => out.push_str(&n.as_f64().map(js_number).unwrap_or_default()),
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    write(value?, &mut out);
    Some(out)
}

/// `for (const item of value)`: a list's items, a string's characters;
/// anything else is not iterable and throws.
pub(crate) fn for_of(value: Js<'_>) -> Result<Cow<'_, [Value]>, Unresolved> {
    match value {
        Some(Value::Array(items)) => Ok(Cow::Borrowed(items)),
        Some(Value::String(s)) => Ok(Cow::Owned(
            s.chars().map(|c| Value::String(c.to_string())).collect(),
        )),
        other => Err(type_error(other)),
    }
}

/// `value.toLowerCase()`: only strings have it.
pub(crate) fn to_lower(value: Js<'_>) -> Result<String, Unresolved> {
    match value {
        Some(Value::String(s)) => Ok(s.to_lowercase()),
        other => Err(type_error(other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn javascript_conversions() {
        assert_eq!(to_js_string(Some(&json!({"Ref": "X"}))), "[object Object]");
        assert_eq!(to_js_string(Some(&json!(12.0))), "12");
        assert_eq!(to_js_string(None), "undefined");
        assert!(loose_eq_str(Some(&json!(["*"])), "*"));
        assert!(!loose_eq_str(None, "none"));
        assert!(strict_eq(None, None));
        assert!(!strict_eq(
            Some(&json!({"Ref": "X"})),
            Some(&json!({"Ref": "X"}))
        ));
        assert_eq!(
            json_stringify(Some(&json!({"a": null, "b": [null, 1.0]}))).unwrap(),
            r#"{"b":[null,1]}"#
        );
        assert!(to_number(Some(&json!("abc"))).is_nan());
        assert_eq!(to_number(Some(&json!(""))), 0.0);
        assert!(number_below(Some(&json!("7abc")), 8.0));
        assert!(number_below(Some(&json!("")), 8.0));
        assert!(!number_below(Some(&json!("abc")), 8.0));
        assert!(!number_below(Some(&json!(" 1e1")), 8.0));
        assert!(!number_below(None, 8.0));
        assert!(loosely_false(Some(&json!("0x0"))));
        assert!(loosely_false(Some(&json!([]))));
        assert!(!loosely_false(Some(&json!({}))));
        assert!(!loosely_false(Some(&Value::Null)));
        assert_eq!(resolved_number(Some(&json!("3306"))), Ok(Some(3306.0)));
        assert!(resolved_number(Some(&json!({"Ref": "P"}))).is_err());
        assert_eq!(resolved_flag(Some(&json!("false"))), Ok(Some(false)));
        assert_eq!(resolved_flag(None), Ok(None));
        assert_eq!(parse_float(" 7days"), 7.0);
        assert_eq!(parse_float("1e3x"), 1000.0);
        assert_eq!(parse_float("1e"), 1.0);
        assert!(parse_float("e5").is_nan());
        assert!(parse_float("+-1").is_nan());
        assert_eq!(parse_float("-Infinity"), f64::NEG_INFINITY);
        assert!(str_is(Some(&json!(5.0)), "5"));
    }
}
