//! References between resources as cdk-nag's helpers read them:
//! `NagRules.resolveResourceFromIntrinsic` (which resource a value
//! designates) and `flattenCfnReference` (a reference as one string, for
//! findings and for the regexes cross-resource rules match).
//!
//! `CfnInclude` keeps the short `Fn::GetAtt` form (`"B.Arn"`) as a string,
//! so `resolveResourceFromIntrinsic` does not take it for a reference, and
//! `flattenCfnReference`, which destructures `[resource, attribute]` out of
//! it, reads its first two characters (`<B..>`).

use serde_json::Value;

use crate::js::value::{defined, json_stringify, to_js_string, truthy, Js};
use crate::resource::Unresolved;

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

/// cdk-nag's `flattenCfnReference`, exactly: `Fn::Join` joined, `${X}` of
/// `Fn::Sub` as `<X>`, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>` (its
/// first two characters for the short form `"Id.Attr"`, as JavaScript
/// destructures a string), anything else as JSON. A `Fn::Join` whose
/// list is not a list throws.
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
        // Every `${` and every `}` (not only those of a `${X}`).
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
    fn only_refs_and_list_get_atts_designate_a_resource() {
        assert_eq!(
            resolve_resource(Some(&json!({"Fn::GetAtt": "B.Arn"}))),
            Some(&json!({"Fn::GetAtt": "B.Arn"}))
        );
        assert_eq!(
            resolve_resource(Some(&json!({"Fn::GetAtt": ["B", "Arn"]}))),
            Some(&json!("B"))
        );
        assert_eq!(
            resolve_resource(Some(&json!({"Ref": "B"}))),
            Some(&json!("B"))
        );
        assert_eq!(resolve_resource(Some(&json!("name"))), Some(&json!("name")));
    }
}
