//! Template values with the semantics cdk-nag's rules give them.
//!
//! cdk-nag's rules are JavaScript reading the L1s `CfnInclude` built from
//! the template, so what a rule sees differs from the raw JSON in small
//! ways these helpers reproduce: `null` is `undefined`; string properties
//! turn numbers and booleans into strings; reading a field of `undefined`
//! throws (the rule then cannot judge the resource); `===` compares objects
//! by identity (two values resolved from the template are never the same
//! object); `==` and `` `${x}` `` convert as JavaScript does; and
//! `resolveResourceFromIntrinsic` and `flattenCfnReference` have their
//! exact behaviour on the short `Fn::GetAtt` form (`"B.Arn"`), which
//! `CfnInclude` keeps as a string.

use std::borrow::Cow;

use serde_json::Value;

use crate::resource::{as_bool, Resource, Unresolved};

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

/// `value.key`: throws (a `TypeError` in cdk-nag's rule) when `value` is
/// `undefined`; `undefined` for a field a string, number or array lacks.
pub(crate) fn field<'a>(value: Js<'a>, key: &str) -> Result<Js<'a>, Unresolved> {
    match defined(value) {
        None => Err(Unresolved::new(&Value::String(format!(
            "cannot read '{key}' of undefined"
        )))),
        Some(v) => Ok(defined(v.get(key))),
    }
}

/// `NagRules.resolveIfPrimitive`: an object or array cannot be judged.
pub(crate) fn primitive(value: Js<'_>) -> Result<Js<'_>, Unresolved> {
    match value {
        Some(v @ (Value::Object(_) | Value::Array(_))) => Err(Unresolved::new(v)),
        other => Ok(other),
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
    let t = s.trim_start_matches(crate::rules::storage::js_regex::is_js_space);
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

/// `value < limit` for a number property as `CfnInclude` reads it
/// (`FromCloudFormation.getNumber`: a string is `parseFloat`ed unless that
/// gives NaN) and JavaScript compares it.
pub(crate) fn number_below(value: Js<'_>, limit: f64) -> bool {
    let n = match value {
        Some(Value::String(s)) => match parse_float(s) {
            n if n.is_nan() => string_to_number(s),
            n => n,
        },
        other => to_number(other),
    };
    n < limit
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

/// `NagRules.resolveResourceFromIntrinsic`: the logical ID a `Ref` or an
/// array-form `Fn::GetAtt` names, else the value itself.
pub(crate) fn resolve_resource(value: Js<'_>) -> Js<'_> {
    let v = value?;
    if let Some(target) = defined(v.get("Ref")) {
        return Some(target);
    }
    if let Some(Value::Array(parts)) = v.get("Fn::GetAtt") {
        if !parts.is_empty() {
            return defined(parts.first());
        }
    }
    Some(v)
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
    let t = s.trim_matches(crate::rules::storage::js_regex::is_js_space);
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

/// `for (const item of value)`: an array's items, a string's characters;
/// anything else is not iterable and throws.
pub(crate) fn for_of(value: Js<'_>) -> Result<Vec<Cow<'_, Value>>, Unresolved> {
    match value {
        Some(Value::Array(items)) => Ok(items.iter().map(Cow::Borrowed).collect()),
        Some(Value::String(s)) => Ok(s
            .chars()
            .map(|c| Cow::Owned(Value::String(c.to_string())))
            .collect()),
        Some(other) => Err(Unresolved::new(other)),
        None => Err(Unresolved::new(&Value::Null)),
    }
}

/// `value.toLowerCase()`: only strings have it.
pub(crate) fn to_lower(value: Js<'_>) -> Result<String, Unresolved> {
    match value {
        Some(Value::String(s)) => Ok(s.to_lowercase()),
        Some(other) => Err(Unresolved::new(other)),
        None => Err(Unresolved::new(&Value::Null)),
    }
}

/// cdk-nag's `flattenCfnReference`, exactly: `Fn::Join` joined, `${X}` of
/// `Fn::Sub` as `<X>`, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>` (its
/// first two characters for the short form `"Id.Attr"`, as JavaScript
/// destructures a string), anything else as JSON.
pub(crate) fn flatten(value: Js<'_>) -> Result<String, Unresolved> {
    fn first_two(value: &Value) -> Result<[Option<Value>; 2], Unresolved> {
        match value {
            Value::Array(items) => Ok([items.first().cloned(), items.get(1).cloned()]),
            Value::String(s) => {
                let mut chars = s.chars().map(|c| Value::String(c.to_string()));
                Ok([chars.next(), chars.next()])
            }
            other => Err(Unresolved::new(other)),
        }
    }
    let Some(v) = defined(value) else {
        return Ok(String::new());
    };
    let key = |k: &str| defined(v.get(k)).filter(|x| truthy(Some(x)));
    match v {
        Value::String(s) => Ok(s.replace("${", "<").replace('}', ">")),
        _ if key("Fn::Join").is_some() => {
            let [delimiter, items] = first_two(&v["Fn::Join"])?;
            let Some(Value::Array(items)) = items else {
                return Err(Unresolved::new(v));
            };
            let delimiter = match delimiter {
                None | Some(Value::Null) => ",".to_owned(),
                d => to_js_string(d.as_ref()),
            };
            let parts = items
                .iter()
                .map(|i| flatten(Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(parts.join(&delimiter))
        }
        _ if key("Fn::Sub").is_some() => flatten(v.get("Fn::Sub")),
        _ if key("Fn::GetAtt").is_some() => {
            let [resource, attribute] = first_two(&v["Fn::GetAtt"])?;
            Ok(format!(
                "<{}.{}>",
                flatten(resource.as_ref())?,
                flatten(attribute.as_ref())?
            ))
        }
        _ if key("Fn::ImportValue").is_some() => flatten(v.get("Fn::ImportValue")),
        _ if key("Ref").is_some() => Ok(format!("<{}>", flatten(v.get("Ref"))?)),
        other => Ok(json_stringify(Some(other)).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn flatten_as_cdk_nag() {
        let join = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Fn::GetAtt": ["B", "Arn"]}]]});
        assert_eq!(
            flatten(Some(&join)).unwrap(),
            "arn:<AWS::Partition>:s3:::<B.Arn>"
        );
        assert_eq!(
            flatten(Some(&json!({"Fn::GetAtt": "Bucket.Arn"}))).unwrap(),
            "<B.u>"
        );
        assert_eq!(
            flatten(Some(&json!({"Fn::Sub": "${B}-logs"}))).unwrap(),
            "<B>-logs"
        );
        assert_eq!(flatten(Some(&json!(5))).unwrap(), "5");
        assert_eq!(flatten(None).unwrap(), "");
        assert!(flatten(Some(&json!({"Fn::Join": ["", {"Ref": "L"}]}))).is_err());
    }

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
            resolve_resource(Some(&json!({"Fn::GetAtt": "B.Arn"}))),
            Some(&json!({"Fn::GetAtt": "B.Arn"}))
        );
        assert_eq!(
            resolve_resource(Some(&json!({"Fn::GetAtt": ["B", "Arn"]}))),
            Some(&json!("B"))
        );
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
    }
}
