//! How a resource type takes tags, read from its schema's `tagging` section.

use serde_json::Value;

use crate::store::resource_schema;

/// The shape of a resource type's tag property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// A list of `{"Key": k, "Value": v}` objects (most types).
    KeyValueList,
    /// An object of `key: value` strings (e.g. `AWS::SSM::Parameter`).
    Map,
}

/// The top-level property through which resources of `type_name` take
/// tags, and its shape; `None` when the type is not taggable, or takes tags
/// only in a nested property (such as `TagSpecifications/*/Tags`).
///
/// ```
/// use formwork_schema::{tag_property, TagFormat};
/// assert_eq!(tag_property("AWS::S3::Bucket"), Some(("Tags", TagFormat::KeyValueList)));
/// assert_eq!(tag_property("AWS::SSM::Parameter"), Some(("Tags", TagFormat::Map)));
/// assert_eq!(tag_property("AWS::IAM::ManagedPolicy"), None);
/// ```
pub fn tag_property(type_name: &str) -> Option<(&'static str, TagFormat)> {
    let schema = resource_schema(type_name).ok()?;
    let tagging = schema.get("tagging")?;
    if tagging.get("taggable").and_then(Value::as_bool) != Some(true) {
        return None;
    }
    let path = tagging
        .get("tagProperty")
        .and_then(Value::as_str)
        .unwrap_or("/properties/Tags");
    let name = path.strip_prefix("/properties/")?;
    if name.contains('/') {
        return None;
    }
    let (name, property) = schema.get("properties")?.as_object()?.get_key_value(name)?;
    let property = deref(schema, property);
    match property.get("type").and_then(Value::as_str) {
        Some("array") => Some((name.as_str(), TagFormat::KeyValueList)),
        Some("object") => Some((name.as_str(), TagFormat::Map)),
        _ => None,
    }
}

/// Follows a local `$ref` (`#/definitions/X`).
fn deref<'a>(schema: &'a Value, value: &'a Value) -> &'a Value {
    let Some(target) = value.get("$ref").and_then(Value::as_str) else {
        return value;
    };
    target
        .strip_prefix("#/")
        .and_then(|p| p.split('/').try_fold(schema, |v, k| v.get(k)))
        .unwrap_or(value)
}
