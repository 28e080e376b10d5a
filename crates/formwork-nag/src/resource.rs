//! The template as the rules see it, and the value helpers cdk-nag's rules
//! use (`NagRules.resolveIfPrimitive`, `resolveResourceFromIntrinsic`).
//!
//! cdk-nag reads a template through `CfnInclude`, which turns the strings
//! `"true"`/`"false"` of boolean properties into booleans and numeric
//! strings of number properties into numbers; [`as_bool`] and [`as_f64`]
//! read values the same way, so both tools judge the same template alike.

use serde_json::{Map, Value};

/// A value a rule needs as a literal but which is an intrinsic function or
/// an object; cdk-nag reports it as `CdkNagValidationFailure`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the parameter resolved to a non-primitive value {value}, therefore the rule could not be validated")]
pub struct Unresolved {
    /// The value, as compact JSON.
    pub value: String,
}

impl Unresolved {
    /// The error for `value`.
    pub fn new(value: &Value) -> Unresolved {
        Unresolved {
            value: value.to_string(),
        }
    }
}

/// A whole template: what cross-resource rules look through (bucket
/// policies of a bucket, the log groups of a state machine, ...).
#[derive(Clone, Copy, Debug)]
pub struct Template<'t> {
    root: &'t Value,
}

impl<'t> Template<'t> {
    /// A view of `root`, a template's JSON.
    pub fn new(root: &'t Value) -> Template<'t> {
        Template { root }
    }

    /// The template's JSON.
    pub fn root(&self) -> &'t Value {
        self.root
    }

    /// Every resource, in template order.
    pub fn resources(&self) -> impl Iterator<Item = Resource<'t>> + 't {
        let template = *self;
        self.root
            .get("Resources")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(move |(id, body)| Resource::new(template, id, body))
    }

    /// The resource with logical ID `id`.
    pub fn resource(&self, id: &str) -> Option<Resource<'t>> {
        let (id, body) = self.root.get("Resources")?.as_object()?.get_key_value(id)?;
        Some(Resource::new(*self, id, body))
    }

    /// Resources of one type.
    pub fn resources_of_type<'a>(
        &'a self,
        type_name: &'a str,
    ) -> impl Iterator<Item = Resource<'t>> + 'a {
        self.resources().filter(move |r| r.type_name == type_name)
    }
}

/// One resource of a template.
#[derive(Clone, Copy, Debug)]
pub struct Resource<'t> {
    /// Its logical ID.
    pub logical_id: &'t str,
    /// Its `Type` (empty if missing).
    pub type_name: &'t str,
    /// Its whole JSON (`Type`, `Properties`, `Metadata`, ...).
    pub body: &'t Value,
    /// The template it is in.
    pub template: Template<'t>,
}

impl<'t> Resource<'t> {
    fn new(template: Template<'t>, logical_id: &'t str, body: &'t Value) -> Resource<'t> {
        Resource {
            logical_id,
            type_name: body.get("Type").and_then(Value::as_str).unwrap_or(""),
            body,
            template,
        }
    }

    /// Its `Properties` (`None` when it has none).
    pub fn properties(&self) -> Option<&'t Map<String, Value>> {
        self.body.get("Properties").and_then(Value::as_object)
    }

    /// One property.
    pub fn prop(&self, name: &str) -> Option<&'t Value> {
        self.properties()?.get(name)
    }

    /// A nested property by path: `prop_path(&["VersioningConfiguration", "Status"])`.
    pub fn prop_path(&self, path: &[&str]) -> Option<&'t Value> {
        let (first, rest) = path.split_first()?;
        rest.iter()
            .try_fold(self.prop(first)?, |v, key| v.get(*key))
    }

    /// Whether `self` is `Ref`- or `GetAtt`-referenced by `value` (cdk-nag's
    /// `resolveResourceFromIntrinsic(...) === logicalId`).
    pub fn is_referenced_by(&self, value: &Value) -> bool {
        referenced_id(value) == Some(self.logical_id)
    }
}

/// Fails on an object or array (an intrinsic function): cdk-nag's
/// `NagRules.resolveIfPrimitive`. `None` (an absent property) passes.
pub fn resolve_primitive(value: Option<&Value>) -> Result<Option<&Value>, Unresolved> {
    match value {
        Some(v @ (Value::Object(_) | Value::Array(_))) => Err(Unresolved::new(v)),
        other => Ok(other),
    }
}

/// The logical ID a `{"Ref": id}` or `{"Fn::GetAtt": [id, ..]}` points at:
/// cdk-nag's `NagRules.resolveResourceFromIntrinsic`, for values that are
/// such references. The short form `{"Fn::GetAtt": "Id.Attr"}` is not one
/// (`CfnInclude` keeps it as a string, which cdk-nag does not look into).
pub fn referenced_id(value: &Value) -> Option<&str> {
    let target = crate::js::resolve_resource(Some(value))?;
    if std::ptr::eq(target, value) {
        return None;
    }
    target.as_str()
}

/// A boolean as `CfnInclude` reads it: `true`/`false`, or those strings.
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s == "true" => Some(true),
        Value::String(s) if s == "false" => Some(false),
        _ => None,
    }
}

/// A number as `CfnInclude` reads it: a number, or a numeric string.
pub fn as_f64(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A reference flattened to one string for findings and suppressions, as
/// cdk-nag's `flattenCfnReference`: `Fn::Join` joined, `Fn::Sub`'s `${X}`
/// as `<X>`, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>` (the first two
/// characters of the short form `"Id.Attr"`, as JavaScript destructures a
/// string: `<I.d>`); anything else as JSON. Fails where cdk-nag throws
/// (a `Fn::Join` of something other than a list).
pub fn flatten_reference(value: &Value) -> Result<String, Unresolved> {
    crate::js::flatten(Some(value))
}
