//! Helpers for the rules' unit tests: run one rule over one resource.

use serde_json::{json, Value};

use crate::engine::{check, Status};
use crate::rules::AWS_SOLUTIONS;

/// The unsuppressed findings of rule `id` (`IAM4`) on `resource` (one
/// resource's JSON, logical ID `R`), each as its finding id (`""` for a
/// rule without granular findings, `"CdkNagValidationFailure"` when the
/// rule could not judge a value). Panics if the rule does not exist, or
/// if it does not apply to the resource's type.
pub(crate) fn findings_of(id: &str, resource: &Value) -> Vec<String> {
    findings_in(id, &json!({"Resources": {"R": resource}}), "R")
}

/// As [`findings_of`], for resource `logical_id` of a whole template.
pub(crate) fn findings_in(id: &str, template: &Value, logical_id: &str) -> Vec<String> {
    assert!(
        AWS_SOLUTIONS.rules().any(|r| r.id == id),
        "no rule AwsSolutions-{id}"
    );
    let rule_id = format!("AwsSolutions-{id}");
    let report = check(template, &[&AWS_SOLUTIONS]).expect("valid suppressions");
    let verdicts: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule_id == rule_id && f.logical_id == logical_id)
        .collect();
    assert!(
        !verdicts.is_empty(),
        "{rule_id} does not apply to {logical_id}"
    );
    verdicts
        .into_iter()
        .filter_map(|f| match &f.status {
            Status::NonCompliant => Some(f.finding_id.clone()),
            Status::ValidationFailure(_) => Some(crate::VALIDATION_FAILURE_ID.to_owned()),
            _ => None,
        })
        .collect()
}
