//! cdk-nag's `AwsSolutions` analytics rules (`checkAnalytics`): EMR, Glue,
//! Kinesis, MSK, OpenSearch and QuickSight, one module per service.
//!
//! The helpers below find the security configurations EMR clusters and
//! Glue jobs name, as cdk-nag's `isMatchingSecurityConfig` helpers do.

use serde_json::Value;

use crate::js::{defined, prop, resolve_resource};
use crate::resource::Resource;
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

/// What cdk-nag's `resolveResourceFromIntrinsic` makes of a reference to a
/// security configuration: the logical ID of a `Ref`/`Fn::GetAtt`, or the
/// literal name. `None` when absent, or for any other intrinsic (which
/// cdk-nag keeps as an object that matches no configuration).
fn configuration_key(value: Option<&Value>) -> Option<&str> {
    resolve_resource(defined(value))?.as_str()
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
