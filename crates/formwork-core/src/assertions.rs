//! Template assertions for tests, after the CDK's `aws-cdk-lib/assertions`.
//!
//! Matching is partial for objects (every expected key must be present and
//! match; extra keys are fine), at any depth. Lists must have the same
//! length, element by element. Failures panic with the closest candidates,
//! as an `assert!` does.
//!
//! ```
//! use formwork_core::{assertions::Assertions, App, CfnResource, Scope};
//! use serde_json::json;
//! let app = App::new();
//! let stack = app.stack("Demo");
//! stack.add_resource("Q", CfnResource::new("AWS::SQS::Queue").set("FifoQueue", true).set("QueueName", "q.fifo")).unwrap();
//! let assembly = app.synth().unwrap();
//! let t = Assertions::new(&assembly.stacks[0].template);
//! t.resource_count_is("AWS::SQS::Queue", 1);
//! t.has_resource_properties("AWS::SQS::Queue", json!({"FifoQueue": true}));
//! ```

use serde_json::Value;

use crate::template::{Resource, Template};

/// Assertions over one template.
#[derive(Clone, Copy, Debug)]
pub struct Assertions<'a> {
    template: &'a Template,
}

/// True when `actual` matches `expected` partially: objects may have extra
/// keys, at any depth; lists and scalars must match exactly in shape.
pub fn object_like(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, ev)| a.get(k).is_some_and(|av| object_like(ev, av))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| object_like(ev, av))
        }
        _ => expected == actual,
    }
}

impl<'a> Assertions<'a> {
    /// Assertions over `template`.
    pub fn new(template: &'a Template) -> Self {
        Assertions { template }
    }

    /// Resources of `type_name` whose `Properties` match `properties`
    /// partially (`Value::Null` matches every resource of the type).
    pub fn find_resources(
        &self,
        type_name: &str,
        properties: Value,
    ) -> Vec<(&'a str, &'a Resource)> {
        self.template
            .resources
            .iter()
            .filter(|(_, r)| r.type_name == type_name)
            .filter(|(_, r)| properties.is_null() || object_like(&properties, &properties_of(r)))
            .map(|(id, r)| (id.as_str(), r))
            .collect()
    }

    /// Panics unless exactly `count` resources have type `type_name`.
    #[track_caller]
    pub fn resource_count_is(&self, type_name: &str, count: usize) {
        let found = self
            .template
            .resources
            .values()
            .filter(|r| r.type_name == type_name)
            .count();
        assert_eq!(
            found, count,
            "expected {count} resources of type {type_name}, found {found}"
        );
    }

    /// Panics unless some resource of `type_name` has `Properties` that match
    /// `properties` partially.
    #[track_caller]
    pub fn has_resource_properties(&self, type_name: &str, properties: Value) {
        if !self
            .find_resources(type_name, properties.clone())
            .is_empty()
        {
            return;
        }
        let candidates: Vec<String> = self
            .template
            .resources
            .iter()
            .filter(|(_, r)| r.type_name == type_name)
            .map(|(id, r)| {
                format!(
                    "{id}: {}",
                    serde_json::to_string_pretty(&properties_of(r)).unwrap_or_default()
                )
            })
            .collect();
        panic!(
            "no {type_name} has properties matching\n{}\ncandidates:\n{}",
            serde_json::to_string_pretty(&properties).unwrap_or_default(),
            if candidates.is_empty() {
                "(none of that type)".to_owned()
            } else {
                candidates.join("\n")
            }
        );
    }

    /// Panics unless some resource of `type_name` matches `resource` (the whole
    /// resource: `Properties`, `DependsOn`, `DeletionPolicy`, ...) partially.
    #[track_caller]
    pub fn has_resource(&self, type_name: &str, resource: Value) {
        let found = self.template.resources.values().any(|r| {
            r.type_name == type_name
                && serde_json::to_value(r).is_ok_and(|actual| object_like(&resource, &actual))
        });
        assert!(
            found,
            "no {type_name} matches {}",
            serde_json::to_string_pretty(&resource).unwrap_or_default()
        );
    }

    /// Panics unless output `id` exists and matches `output` partially
    /// (`{"Value": ..., "Export": ...}`).
    #[track_caller]
    pub fn has_output(&self, id: &str, output: Value) {
        let Some(actual) = self.template.outputs.get(id) else {
            let ids: Vec<&String> = self.template.outputs.keys().collect();
            panic!("no output {id}; outputs are {ids:?}");
        };
        let actual = serde_json::to_value(actual).unwrap_or_default();
        assert!(
            object_like(&output, &actual),
            "output {id} is\n{}\nexpected to match\n{}",
            serde_json::to_string_pretty(&actual).unwrap_or_default(),
            serde_json::to_string_pretty(&output).unwrap_or_default()
        );
    }
}

fn properties_of(r: &Resource) -> Value {
    Value::Object(
        r.properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::object_like;
    use serde_json::json;

    #[test]
    fn objects_match_partially_lists_exactly() {
        assert!(object_like(
            &json!({"a": {"b": 1}}),
            &json!({"a": {"b": 1, "c": 2}, "d": 3})
        ));
        assert!(!object_like(
            &json!({"a": {"b": 2}}),
            &json!({"a": {"b": 1}})
        ));
        assert!(!object_like(&json!([1]), &json!([1, 2])));
        assert!(object_like(&json!([{"a": 1}]), &json!([{"a": 1, "b": 2}])));
        assert!(!object_like(&json!({"missing": null}), &json!({})));
    }
}
