//! Vendored CloudFormation resource schemas and a synth-time validator.
//!
//! The schemas are the CloudFormation registry schemas shipped with a pinned
//! cfn-lint release (see `data/SOURCE.json` and `data/CFN_LINT_VERSION`),
//! preprocessed by `scripts/refresh.py`: one minified JSON document per
//! resource type, embedded with `include_str!` and parsed lazily the first
//! time the type is used. Nothing is read from disk or the network at run time.
//!
//! ```
//! use formwork_schema::{validate_properties, Rule};
//! use serde_json::json;
//!
//! let props = json!({"RoleName": "bad name!", "AssumeRolePolicyDocument": {}});
//! let violations = validate_properties("AWS::IAM::Role", Some(&props));
//! assert_eq!(violations.len(), 1);
//! assert_eq!(violations[0].property_path, "RoleName");
//! assert_eq!(violations[0].rule, Rule::Pattern);
//! ```
//!
//! Values are CloudFormation template JSON, so they may contain intrinsic
//! functions. An object with exactly one key that is `Ref` or starts with
//! `Fn::` is an intrinsic: only its shape is checked (for example that
//! `Fn::Join` takes a delimiter and a list), never the value rules that would
//! apply to its result. Both branches of an `Fn::If` are validated against the
//! schema, and `{"Ref": "AWS::NoValue"}` counts as an absent property.
//!
//! [`validate_instance`] validates any JSON-shaped value (an [`Instance`]),
//! not only a `serde_json::Value`, with the same results.
//!
//! Scalars follow cfn-lint's (and CloudFormation's) lenient typing: `"true"`
//! is a boolean, `"5"` a number or integer, and a number is accepted where a
//! string is expected.

#![warn(missing_docs)]

mod attributes;
mod compile;
mod instance;
#[rustfmt::skip]
mod generated_index;
mod intrinsics;
mod patterns;
mod store;
mod suggest;
mod tagging;
mod validate;
mod violation;

pub use attributes::{attribute_names, check_attribute};
pub use instance::{Instance, Node, Returns};
pub use intrinsics::is_intrinsic_name;
pub use patterns::{pattern_support, PatternSupport};
pub use store::{has_type, resource_schema, type_names, SchemaError, SOURCE_CFN_LINT_VERSION};
pub use tagging::{tag_property, TagFormat};
pub use validate::{validate_instance, validate_properties};
pub use violation::{PathSegment, Rule, Violation};
