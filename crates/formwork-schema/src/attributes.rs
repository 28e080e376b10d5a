//! `Fn::GetAtt` attribute names.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::store::resource_schema;
use crate::suggest::closest;
use crate::violation::{Rule, Violation};

fn strings(schema: &'static Value, key: &str) -> Vec<&'static str> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The `Fn::GetAtt` attribute names of a type: `"Arn"`, `"RoleId"`, nested
/// ones as `"Endpoint.Address"`. They are the schema's `readOnlyProperties`,
/// adjusted as cfn-lint does (for some types every scalar property can be
/// read; a few have extra attributes), precomputed by `scripts/refresh.py`.
/// A few types also accept attributes by pattern (`Outputs.<Name>` of
/// `AWS::CloudFormation::Stack`); [`check_attribute`] knows those.
///
/// `None` for an unknown type, and for custom resources (`Custom::*`,
/// `AWS::CloudFormation::CustomResource`), whose attributes are whatever the
/// provider returns.
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
    let owned: Vec<String> = strings(schema, "x-getAtts")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let names: &'static [String] = Box::leak(owned.into_boxed_slice());
    if let Ok(mut m) = cache.lock() {
        m.insert(type_name.to_owned(), names);
    }
    Some(names)
}

/// Check `Fn::GetAtt` of `attribute` on a resource of `type_name`. Returns a
/// [`Rule::UnknownAttribute`] violation (with a suggestion) when the type
/// has no such attribute, and [`Rule::UnknownType`] for an unknown type.
/// Custom resources accept any attribute, and `AWS::CloudFormation::Stack`
/// accepts `Outputs.<Name>`.
pub fn check_attribute(type_name: &str, attribute: &str) -> Option<Violation> {
    if type_name.starts_with("Custom::") || type_name == crate::store::CUSTOM_RESOURCE {
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
    if let Ok(schema) = resource_schema(type_name) {
        for p in strings(schema, "x-getAttPatterns") {
            // cfn-lint matches these as whole-string regular expressions.
            if crate::patterns::is_match(&format!("^(?:{p})$"), attribute) == Some(true) {
                return None;
            }
        }
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
        assert!(check_attribute("AWS::CloudFormation::Stack", "Outputs.BucketName").is_none());
        assert!(check_attribute("AWS::CloudFormation::Stack", "Output.BucketName").is_some());
        // cfn-lint lets every scalar property of a queue be read.
        assert!(check_attribute("AWS::SQS::Queue", "QueueName").is_none());
        assert!(check_attribute("AWS::SQS::Queue", "Arn").is_none());
    }
}
