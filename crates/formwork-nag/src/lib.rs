//! Security and best-practice rules over CloudFormation templates: the
//! `AwsSolutions` pack of cdk-nag, with the same rule ids, levels and
//! granular findings, and cdk-nag's suppressions
//! (`Metadata.cdk_nag.rules_to_suppress`), so that formwork and cdk-nag
//! agree on any template (docs/ARCHITECTURE.md, "Rule packs").
//!
//! The rules read the synthesized template (serde_json values), so they
//! cover L2s, L1s, raw resources and templates formwork did not write.
//!
//! ```
//! let template = serde_json::json!({"Resources": {"Reader": {"Type": "AWS::IAM::Role",
//!     "Properties": {"AssumeRolePolicyDocument": {}, "ManagedPolicyArns": [
//!         "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]}}}});
//! let report = formwork_nag::check(&template, &[&formwork_nag::AWS_SOLUTIONS]).unwrap();
//! let found: Vec<_> = report.unsuppressed().map(|f| f.display_id()).collect();
//! assert!(found.contains(&"AwsSolutions-IAM4[Policy::arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]".to_owned()));
//! ```

#![warn(missing_docs)]

mod engine;
mod js;
mod report;
mod resource;
mod rule;
pub mod rules;
mod suppression;

pub use engine::{check, Finding, Report, Status, UnusedSuppression};
pub use report::{to_tsv_lines, write_csv, write_json};
pub use resource::{
    as_bool, as_f64, flatten_reference, referenced_id, resolve_primitive, Resource, Template,
    Unresolved,
};
pub use rule::{Level, Outcome, Pack, Rule, RuleResult};
pub use rules::AWS_SOLUTIONS;
pub use suppression::{AppliesTo, Suppression, SuppressionError, VALIDATION_FAILURE_ID};
