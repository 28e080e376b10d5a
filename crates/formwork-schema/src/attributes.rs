//! `Fn::GetAtt` attribute names.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::store::resource_schema;
use crate::suggest::closest;
use crate::violation::{Rule, Violation};

fn derive(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let list = schema.get("readOnlyProperties").and_then(Value::as_array);
    for p in list.into_iter().flatten().filter_map(Value::as_str) {
        let Some(rest) = p.strip_prefix("/properties/") else {
            continue;
        };
        if rest.contains('*') || rest.is_empty() {
            continue;
        }
        let name = rest.replace('/', ".");
        // An object-valued attribute can also be read member by member
        // (`Endpoint` -> `Endpoint.Address`), one level deep.
        let pointer = format!("/properties/{}", rest.replace('/', "/properties/"));
        let mut sub = schema.pointer(&pointer);
        if let Some(r) = sub.and_then(|s| s.get("$ref")).and_then(Value::as_str) {
            sub = r.strip_prefix('#').and_then(|p| schema.pointer(p));
        }
        if let Some(members) = sub
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
        {
            for m in members.keys() {
                let nested = format!("{name}.{m}");
                if !out.contains(&nested) {
                    out.push(nested);
                }
            }
        }
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The `Fn::GetAtt` attribute names of a type, from its schema's
/// `readOnlyProperties`: `"Arn"`, `"RoleId"`, nested ones as
/// `"Endpoint.Address"`. `None` for an unknown type, and for custom resources
/// (`Custom::*`, `AWS::CloudFormation::CustomResource`), whose attributes are
/// whatever the provider returns. Computed once per type.
pub fn attribute_names(type_name: &str) -> Option<&'static [String]> {
    if type_name.starts_with("Custom::") || type_name == crate::store::CUSTOM_RESOURCE {
        return None;
    }
    static CACHE: OnceLock<Mutex<HashMap<String, &'static [String]>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|m| m.get(type_name).copied()) {
        return Some(found);
    }
    let schema = resource_schema(type_name).ok()?;
    // Leaked once per type, like the schemas themselves: bounded by the
    // number of vendored types.
    let names: &'static [String] = Box::leak(derive(schema).into_boxed_slice());
    if let Ok(mut m) = cache.lock() {
        m.insert(type_name.to_owned(), names);
    }
    Some(names)
}

/// Check `Fn::GetAtt` of `attribute` on a resource of `type_name`. Returns a
/// [`Rule::UnknownAttribute`] violation (with a suggestion) when the type
/// has no such attribute, and [`Rule::UnknownType`] for an unknown type.
/// Custom resources accept any attribute, and `AWS::CloudFormation::Stack`
/// also accepts `Outputs.<Name>`.
pub fn check_attribute(type_name: &str, attribute: &str) -> Option<Violation> {
    if type_name.starts_with("Custom::") || type_name == crate::store::CUSTOM_RESOURCE {
        return None;
    }
    if type_name == "AWS::CloudFormation::Stack" && attribute.starts_with("Outputs.") {
        return None;
    }
    let Some(names) = attribute_names(type_name) else {
        let e = resource_schema(type_name).err()?;
        let suggestion = match &e {
            crate::store::SchemaError::UnknownType { suggestion, .. } => suggestion.clone(),
            _ => None,
        };
        return Some(Violation {
            property_path: String::new(),
            path: Vec::new(),
            rule: Rule::UnknownType { suggestion },
            message: e.to_string(),
        });
    };
    if names.iter().any(|n| n == attribute) {
        return None;
    }
    let suggestion = closest(attribute, names.iter().map(String::as_str));
    let mut message = format!("{type_name} has no attribute {attribute:?}");
    match &suggestion {
        Some(s) => message.push_str(&format!(" (did you mean {s:?}?)")),
        None if names.is_empty() => message.push_str("; it has no attributes"),
        None => message.push_str(&format!("; it has {}", names.join(", "))),
    }
    Some(Violation {
        property_path: String::new(),
        path: Vec::new(),
        rule: Rule::UnknownAttribute { suggestion },
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            attribute_names("AWS::IAM::Role").unwrap(),
            ["Arn", "RoleId"]
        );
        let pool = attribute_names("AWS::Cognito::IdentityPool").unwrap();
        assert!(pool.iter().any(|n| n == "Name"), "{pool:?}");
        assert!(check_attribute("AWS::IAM::Role", "Arn").is_none());
        let v = check_attribute("AWS::IAM::Role", "Arm").unwrap();
        assert_eq!(
            v.rule,
            Rule::UnknownAttribute {
                suggestion: Some("Arn".into())
            }
        );
        assert!(check_attribute("Custom::Thing", "Whatever").is_none());
        assert!(attribute_names("AWS::Nope::Nope").is_none());
        let rds = attribute_names("AWS::RDS::DBInstance").unwrap();
        assert!(rds.iter().any(|n| n == "Endpoint.Address"), "{rds:?}");
    }
}
