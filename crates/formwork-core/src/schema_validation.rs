//! Synth-time validation of every resource against its CloudFormation
//! resource schema (feature `schema`), through `formwork-schema`.

use serde_json::Value;

use crate::cfn_resource::Issue;
use crate::tree::{ResourceValidator, TagFormat, TagShape};

/// Checks resolved properties against the vendored resource schemas:
/// required properties, types, enums, patterns, lengths, ranges, item counts,
/// unknown properties (with a suggestion), unknown types and `Fn::GetAtt`
/// attributes. Intrinsic functions are checked for their shape only. It also
/// tells [`Tags`](crate::Tags) which property of a type takes tags.
///
/// [`App::new`](crate::App::new) installs it when the `schema` feature is on;
/// [`App::set_validation`](crate::App::set_validation) turns the checks off.
#[derive(Clone, Copy, Debug, Default)]
pub struct SchemaValidator;

/// SAM types only exist before the `AWS::Serverless` transform runs; the
/// registry has no schema for them.
fn is_transform_type(type_name: &str) -> bool {
    type_name.starts_with("AWS::Serverless::")
}

impl ResourceValidator for SchemaValidator {
    fn validate(&self, type_name: &str, properties: Option<&Value>, issues: &mut Vec<Issue>) {
        if is_transform_type(type_name) {
            return;
        }
        issues.extend(
            formwork_schema::validate_properties(type_name, properties)
                .into_iter()
                .map(|v| Issue {
                    property: (!v.property_path.is_empty()).then_some(v.property_path),
                    rule: v.message,
                }),
        );
    }

    fn check_attribute(&self, type_name: &str, attribute: &str) -> Option<String> {
        if is_transform_type(type_name) {
            return None;
        }
        formwork_schema::check_attribute(type_name, attribute).map(|v| v.message)
    }

    fn tag_shape(&self, type_name: &str) -> Option<TagShape> {
        let (property, format) = formwork_schema::tag_property(type_name)?;
        Some(TagShape {
            property: property.to_owned(),
            format: match format {
                formwork_schema::TagFormat::KeyValueList => TagFormat::KeyValueList,
                formwork_schema::TagFormat::Map => TagFormat::Map,
            },
        })
    }
}
