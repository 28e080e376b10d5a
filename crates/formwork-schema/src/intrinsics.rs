//! Recognising intrinsic functions and checking their shape.

use serde_json::Value;

use crate::violation::PathSegment;

/// Whether an object whose only key is `key` is an intrinsic function:
/// `key` is `Ref` or starts with `Fn::`.
///
/// ```
/// assert!(formwork_schema::is_intrinsic_name("Fn::Join"));
/// assert!(!formwork_schema::is_intrinsic_name("Condition"));
/// ```
pub fn is_intrinsic_name(key: &str) -> bool {
    key == "Ref" || key.starts_with("Fn::")
}

/// `Some((name, argument))` when `v` is an intrinsic function: an object with
/// exactly one key that is `Ref` or starts with `Fn::`.
pub(crate) fn as_intrinsic(v: &Value) -> Option<(&str, &Value)> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (k, arg) = obj.iter().next()?;
    is_intrinsic_name(k).then_some((k.as_str(), arg))
}

/// `{"Ref": "AWS::NoValue"}`: the property is treated as absent.
pub(crate) fn is_no_value(v: &Value) -> bool {
    matches!(as_intrinsic(v), Some(("Ref", Value::String(s))) if s == "AWS::NoValue")
}

pub(crate) use crate::instance::Returns;

/// The result kind of intrinsic `name` (called with `arg`).
pub(crate) fn returns(name: &str, arg: &Value) -> Returns {
    match name {
        "Fn::Join" | "Fn::Sub" | "Fn::Base64" | "Fn::ToJsonString" => Returns::String,
        "Fn::GetAZs" | "Fn::Split" | "Fn::Cidr" => Returns::List,
        "Fn::Length" => Returns::Integer,
        "Ref" => match arg.as_str() {
            Some("AWS::NotificationARNs") => Returns::List,
            Some(p) if p.starts_with("AWS::") => Returns::String,
            _ => Returns::Unknown,
        },
        _ => Returns::Unknown,
    }
}

/// Whether `v` contains an intrinsic function anywhere.
pub(crate) fn contains_intrinsic(v: &Value) -> bool {
    if as_intrinsic(v).is_some() {
        return true;
    }
    match v {
        Value::Array(a) => a.iter().any(contains_intrinsic),
        Value::Object(o) => o.values().any(contains_intrinsic),
        _ => false,
    }
}

fn is_str_or_fn(v: &Value) -> bool {
    v.is_string() || as_intrinsic(v).is_some()
}

fn is_list_or_fn(v: &Value) -> bool {
    v.is_array() || as_intrinsic(v).is_some()
}

/// The shape problems of intrinsic `name` with argument `arg`, including
/// intrinsics nested in its arguments. Each is (path below the intrinsic's
/// own value, message).
pub(crate) fn shape_errors(name: &str, arg: &Value) -> Vec<(Vec<PathSegment>, String)> {
    let mut out = Vec::new();
    // The common case, a well-formed intrinsic, allocates nothing.
    if well_formed(name, arg) {
        return out;
    }
    check(name, arg, &mut Vec::new(), &mut out);
    out
}

/// What [`check`] thinks of one intrinsic, its nested ones aside.
enum Verdict {
    Ok,
    WrongShape,
    /// `Fn::Equals`, `Fn::And`, ...: only valid in conditions.
    Condition,
    Unknown,
}

fn verdict(name: &str, arg: &Value) -> Verdict {
    let ok = match name {
        "Ref" => matches!(arg, Value::String(s) if !s.is_empty()),
        "Fn::GetAtt" => match arg {
            Value::String(s) => s
                .split_once('.')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty()),
            Value::Array(a) => a.len() == 2 && a[0].is_string() && is_str_or_fn(&a[1]),
            _ => false,
        },
        "Fn::Join" => {
            matches!(arg, Value::Array(a) if a.len() == 2 && a[0].is_string() && is_list_or_fn(&a[1]))
        }
        "Fn::Sub" => match arg {
            Value::String(_) => true,
            Value::Array(a) => a.len() == 2 && a[0].is_string() && a[1].is_object(),
            _ => false,
        },
        "Fn::If" => matches!(arg, Value::Array(a) if a.len() == 3 && a[0].is_string()),
        "Fn::Select" => matches!(arg, Value::Array(a) if a.len() == 2
            && (a[0].is_u64() || a[0].is_string() || as_intrinsic(&a[0]).is_some())
            && is_list_or_fn(&a[1])),
        "Fn::Split" => {
            matches!(arg, Value::Array(a) if a.len() == 2 && a[0].is_string() && is_str_or_fn(&a[1]))
        }
        "Fn::ImportValue" | "Fn::GetAZs" | "Fn::Base64" => is_str_or_fn(arg),
        "Fn::FindInMap" => match arg {
            Value::Array(a) if a.len() == 3 => a.iter().all(is_str_or_fn),
            Value::Array(a) if a.len() == 4 => a[..3].iter().all(is_str_or_fn) && a[3].is_object(),
            _ => false,
        },
        "Fn::Cidr" => matches!(arg, Value::Array(a) if a.len() == 3),
        "Fn::ToJsonString" => arg.is_object() || arg.is_array(),
        "Fn::Length" => is_list_or_fn(arg),
        "Fn::Transform" => arg.is_object(),
        "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => return Verdict::Condition,
        _ => return Verdict::Unknown,
    };
    if ok {
        Verdict::Ok
    } else {
        Verdict::WrongShape
    }
}

/// Whether [`check`] would find nothing.
fn well_formed(name: &str, arg: &Value) -> bool {
    matches!(verdict(name, arg), Verdict::Ok) && nested_well_formed(arg)
}

/// Whether [`nested`] would find nothing.
fn nested_well_formed(v: &Value) -> bool {
    if let Some((name, arg)) = as_intrinsic(v) {
        return well_formed(name, arg);
    }
    match v {
        Value::Array(a) => a.iter().all(nested_well_formed),
        Value::Object(o) => o.values().all(nested_well_formed),
        _ => true,
    }
}

fn check(
    name: &str,
    arg: &Value,
    path: &mut Vec<PathSegment>,
    out: &mut Vec<(Vec<PathSegment>, String)>,
) {
    match verdict(name, arg) {
        Verdict::Ok => {}
        Verdict::Condition => {
            out.push((
                path.clone(),
                format!(
                    "condition function {name} is only valid in Conditions and Fn::If conditions"
                ),
            ));
            return;
        }
        Verdict::Unknown => {
            out.push((path.clone(), format!("unknown intrinsic function {name}")));
            return;
        }
        Verdict::WrongShape => {
            out.push((
                path.clone(),
                format!("{name} has the wrong shape: {}", crate::validate::show(arg)),
            ));
            return;
        }
    }
    // Nested intrinsics in the arguments.
    path.push(PathSegment::Key(name.to_owned()));
    nested(arg, path, out);
    path.pop();
}

fn nested(v: &Value, path: &mut Vec<PathSegment>, out: &mut Vec<(Vec<PathSegment>, String)>) {
    if let Some((name, arg)) = as_intrinsic(v) {
        check(name, arg, path, out);
        return;
    }
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(PathSegment::Index(i));
                nested(x, path, out);
                path.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                path.push(PathSegment::Key(k.clone()));
                nested(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shapes() {
        assert!(shape_errors("Fn::Join", &json!(["", ["a", {"Ref": "AWS::Region"}]])).is_empty());
        assert_eq!(shape_errors("Fn::Join", &json!(["", "a"])).len(), 1);
        assert!(shape_errors("Fn::GetAtt", &json!("Role.Arn")).is_empty());
        assert!(shape_errors("Fn::GetAtt", &json!(["Role", "Arn"])).is_empty());
        assert_eq!(shape_errors("Fn::GetAtt", &json!("RoleArn")).len(), 1);
        assert!(shape_errors("Fn::Sub", &json!(["${A}", {"A": "x"}])).is_empty());
        assert_eq!(shape_errors("Fn::Nope", &json!("x")).len(), 1);
        // nested
        let e = shape_errors("Fn::Join", &json!(["", [{"Fn::Select": "x"}]]));
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].0,
            vec![
                PathSegment::Key("Fn::Join".into()),
                PathSegment::Index(1),
                PathSegment::Index(0)
            ]
        );
        assert!(is_no_value(&json!({"Ref": "AWS::NoValue"})));
        assert!(as_intrinsic(&json!({"Ref": "X", "Other": 1})).is_none());
    }
}
