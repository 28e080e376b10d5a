//! cdk-nag's `AwsSolutions` analytics rules (`checkAnalytics`): EMR, Glue,
//! Kinesis, MSK, OpenSearch and QuickSight, one module per service.
//!
//! The helpers below read values as cdk-nag sees them after `CfnInclude`
//! and `Stack.resolve`: a `null` reads as absent (JS `== undefined`), an
//! intrinsic function stays an object, and nested property names are the
//! template's (cdk-nag's camelCase L1 names map to them one to one).

use serde_json::Value;

use crate::resource::{as_bool, referenced_id, resolve_primitive, Resource, Unresolved};
use crate::rule::Rule;

mod emr;
mod glue;
mod kinesis;
mod msk;
mod opensearch;
mod quicksight;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[
    emr::EMR2,
    emr::EMR4,
    emr::EMR5,
    emr::EMR6,
    glue::GL1,
    glue::GL3,
    kinesis::KDA3,
    kinesis::KDF1,
    kinesis::KDS1,
    kinesis::KDS3,
    msk::MSK2,
    msk::MSK3,
    msk::MSK6,
    opensearch::OS1,
    opensearch::OS2,
    opensearch::OS3,
    opensearch::OS4,
    opensearch::OS5,
    opensearch::OS7,
    opensearch::OS8,
    opensearch::OS9,
    quicksight::QS1,
];

/// A value that is there: `null` reads as absent, as `CfnInclude` and
/// `Stack.resolve` drop it before cdk-nag looks.
fn defined(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| !v.is_null())
}

/// A property of the resource, `null` read as absent.
fn prop<'t>(r: &Resource<'t>, name: &str) -> Option<&'t Value> {
    defined(r.prop(name))
}

/// A key of `value` when it is an object (JS `value?.key`, which is
/// `undefined` on a string, an array or an intrinsic function), `null`
/// read as absent.
fn field<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    defined(value?.get(key))
}

/// `NagRules.resolveIfPrimitive` then JS truthiness (`if (enabled)`), for a
/// boolean property: `CfnInclude` reads `"true"`/`"false"` as booleans, and
/// passes numbers through.
fn truthy(value: Option<&Value>) -> Result<bool, Unresolved> {
    Ok(match resolve_primitive(defined(value))? {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(v @ Value::String(s)) => as_bool(v).unwrap_or(!s.is_empty()),
        // `resolve_primitive` let no object or array through.
        Some(_) => true,
    })
}

/// `NagRules.resolveIfPrimitive(...) === true` (or `=== false` when
/// `expected` is false), for a boolean property read through `CfnInclude`.
fn is_bool(value: Option<&Value>, expected: bool) -> Result<bool, Unresolved> {
    Ok(resolve_primitive(defined(value))?.and_then(as_bool) == Some(expected))
}

/// What cdk-nag's `resolveResourceFromIntrinsic` makes of a reference to a
/// security configuration: the logical ID of a `Ref`/`Fn::GetAtt`, or the
/// literal name. `None` when absent, or for any other intrinsic (which
/// cdk-nag keeps as an object that matches no configuration).
fn configuration_key(value: Option<&Value>) -> Option<&str> {
    let value = defined(value)?;
    referenced_id(value).or_else(|| value.as_str())
}

/// The security configurations of type `type_name` in the template that
/// `key` designates, as cdk-nag's `isMatchingSecurityConfig` helpers: by
/// logical ID, or by their literal `Name`.
fn configurations<'t>(
    r: &Resource<'t>,
    type_name: &'static str,
    key: &'t str,
) -> impl Iterator<Item = Resource<'t>> + 't {
    let template = r.template;
    let matching = move |c: &Resource<'t>| {
        c.logical_id == key || prop(c, "Name").and_then(Value::as_str) == Some(key)
    };
    // `resources_of_type` borrows the template view; walk all resources instead.
    template
        .resources()
        .filter(move |c| c.type_name == type_name)
        .filter(matching)
}
