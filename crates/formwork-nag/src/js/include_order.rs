//! The order in which cdk-nag's rules meet the other resources of a stack.
//!
//! A cross-resource rule walks `Stack.of(node).node.findAll()` and stops at
//! the first resource that satisfies it, so when one resource satisfies the
//! rule and another makes it throw, the verdict (compliant, or not judged)
//! depends on which comes first. Under `CfnInclude` that is the order it
//! creates the L1s in: template order, except that a resource first creates
//! the resources its `Properties` reference (`Ref`, `Fn::GetAtt`,
//! `Fn::Sub`, in document order), and after itself those of its
//! `Metadata` and `DependsOn`.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::resource::{Template, Unresolved};

struct Walk<'t> {
    resources: &'t Map<String, Value>,
    parameters: HashSet<&'t str>,
    started: HashSet<&'t str>,
    order: Vec<&'t str>,
}

impl<'t> Walk<'t> {
    fn create(&mut self, id: &str) {
        let Some((id, body)) = self.resources.get_key_value(id) else {
            return;
        };
        if !self.started.insert(id.as_str()) {
            return;
        }
        if let Some(properties) = body.get("Properties") {
            self.visit(properties);
        }
        self.order.push(id);
        for attribute in ["CreationPolicy", "UpdatePolicy", "Metadata"] {
            if let Some(value) = body.get(attribute) {
                self.visit(value);
            }
        }
        match body.get("DependsOn") {
            Some(Value::String(dep)) => self.create(dep),
            Some(Value::Array(deps)) => {
                for dep in deps.iter().filter_map(Value::as_str) {
                    self.create(dep);
                }
            }
            _ => {}
        }
    }

    /// A `Ref` (or a `${X}` of `Fn::Sub`) to `target`: parameters and pseudo
    /// parameters are not resources.
    fn reference(&mut self, target: &str) {
        if !self.parameters.contains(target) && !target.contains("::") {
            self.create(target);
        }
    }

    /// `CfnParser.parseValue`: references in document order.
    fn visit(&mut self, value: &Value) {
        match value {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i)),
            Value::Object(map) => {
                let intrinsic = (map.len() == 1)
                    .then(|| map.iter().next())
                    .flatten()
                    .filter(|(k, _)| *k == "Ref" || k.starts_with("Fn::"));
                match intrinsic {
                    Some((key, Value::String(target))) if key == "Ref" => self.reference(target),
                    Some((key, attribute)) if key == "Fn::GetAtt" => {
                        let target = match attribute {
                            Value::String(s) => s.split('.').next(),
                            Value::Array(parts) => parts.first().and_then(Value::as_str),
                            _ => None,
                        };
                        if let Some(target) = target {
                            self.create(target);
                        }
                    }
                    Some((key, sub)) if key == "Fn::Sub" => {
                        self.visit(sub);
                        let (text, variables) = match sub {
                            Value::String(s) => (s.as_str(), None),
                            Value::Array(parts) => (
                                parts.first().and_then(Value::as_str).unwrap_or(""),
                                parts.get(1).and_then(Value::as_object),
                            ),
                            _ => ("", None),
                        };
                        self.sub_references(text, variables);
                    }
                    Some((_, inner)) => self.visit(inner),
                    None => map.values().for_each(|v| self.visit(v)),
                }
            }
            _ => {}
        }
    }

    /// The `${X}` and `${X.Attr}` of an `Fn::Sub` string, as `parseFnSubString`.
    fn sub_references(&mut self, mut text: &str, variables: Option<&Map<String, Value>>) {
        while let Some(start) = text.find("${") {
            let Some(len) = text[start..].find('}') else {
                return;
            };
            let target = text[start + 2..start + len].trim();
            text = &text[start + len + 1..];
            if target.starts_with('!') || variables.is_some_and(|v| v.contains_key(target)) {
                continue;
            }
            match target.split_once('.') {
                _ if self.parameters.contains(target) || target.contains("::") => {}
                None => self.reference(target),
                Some((id, _)) => self.create(id),
            }
        }
    }
}

/// Logical IDs in the order `CfnInclude` creates their L1s.
pub(crate) fn construct_order<'t>(template: &Template<'t>) -> Vec<&'t str> {
    let root = template.root();
    let Some(resources) = root.get("Resources").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut walk = Walk {
        resources,
        parameters: root
            .get("Parameters")
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default(),
        started: HashSet::new(),
        order: Vec::new(),
    };
    for id in resources.keys() {
        walk.create(id);
    }
    walk.order
}

/// The verdict of a cross-resource loop that stops at the first resource
/// satisfying the rule: `results` holds, for each candidate resource (by
/// logical ID), whether it satisfies the rule or makes it throw. Without a
/// throw, or without a match, order does not matter; with both, the first
/// of them in construct order decides.
pub(crate) fn first_decisive(
    template: &Template<'_>,
    results: Vec<(&str, Result<bool, Unresolved>)>,
) -> Result<bool, Unresolved> {
    let found = results.iter().any(|(_, r)| matches!(r, Ok(true)));
    let threw = results.iter().any(|(_, r)| r.is_err());
    if found && threw {
        let order = construct_order(template);
        let position = |id: &str| order.iter().position(|o| *o == id).unwrap_or(usize::MAX);
        let first = results
            .into_iter()
            .filter(|(_, r)| !matches!(r, Ok(false)))
            .min_by_key(|(id, _)| position(id));
        return first.map_or(Ok(false), |(_, r)| r);
    }
    if found {
        return Ok(true);
    }
    results
        .into_iter()
        .find_map(|(_, r)| r.err())
        .map_or(Ok(false), Err)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn referenced_resources_come_first() {
        let root = json!({"Parameters": {"P": {"Type": "String"}}, "Resources": {
            "Policy": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": {"Ref": "Bucket"}, "X": {"Fn::Sub": "${P}-${Other.Arn}-${AWS::Region}"}}},
            "Late": {"Type": "AWS::SQS::Queue", "DependsOn": "Last"},
            "Bucket": {"Type": "AWS::S3::Bucket"},
            "Other": {"Type": "AWS::S3::Bucket"},
            "Last": {"Type": "AWS::SQS::Queue"},
        }});
        let template = Template::new(&root);
        assert_eq!(
            construct_order(&template),
            ["Bucket", "Other", "Policy", "Late", "Last"]
        );
    }

    #[test]
    fn a_throw_before_a_match_decides() {
        let root = json!({"Resources": {
            "A": {"Type": "T", "Properties": {"R": {"Ref": "B"}}},
            "B": {"Type": "T"},
        }});
        let template = Template::new(&root);
        let err = || Err(Unresolved::new(&json!("x")));
        // B is created before A.
        assert!(first_decisive(&template, vec![("A", Ok(true)), ("B", err())]).is_err());
        assert_eq!(
            first_decisive(&template, vec![("A", err()), ("B", Ok(true))]),
            Ok(true)
        );
        assert!(first_decisive(&template, vec![("A", Ok(false)), ("B", err())]).is_err());
        assert_eq!(first_decisive(&template, vec![("A", Ok(false))]), Ok(false));
    }
}
