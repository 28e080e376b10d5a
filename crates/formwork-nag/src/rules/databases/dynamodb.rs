//! DynamoDB tables and DAX clusters.

use serde_json::Value;

use crate::js::{defined, resolved_flag};
use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// A nested flag that must be on: non-compliant when the property, or the
/// flag in it, is absent or false (a whole property given by an intrinsic
/// function has no such key); an intrinsic flag cannot be judged.
fn nested_flag_on(property: Option<&Value>, flag: &str) -> RuleResult {
    let Some(property) = defined(property) else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        resolved_flag(property.get(flag))?.unwrap_or(false),
    ))
}

pub(crate) const DDB3: Rule = Rule {
    id: "DDB3",
    level: Level::Warning,
    info: "The DynamoDB table does not have Point-in-time Recovery enabled.",
    explanation: "DynamoDB continuous backups represent an additional layer of insurance against accidental loss of data on top of on-demand backups. The DynamoDB service can back up the data with per-second granularity and restore it to any single second from the time PITR was enabled up to the prior 35 days.",
    check: dynamodb_pitr_enabled,
};

/// Tables have `PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled` on.
fn dynamodb_pitr_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::DynamoDB::Table" {
        return Ok(Outcome::NotApplicable);
    }
    nested_flag_on(
        r.prop("PointInTimeRecoverySpecification"),
        "PointInTimeRecoveryEnabled",
    )
}

pub(crate) const DDB4: Rule = Rule {
    id: "DDB4",
    level: Level::Error,
    info: "The DAX cluster does not have server-side encryption enabled.",
    explanation: "Data in cache, configuration data and log files should be encrypted using Server-Side Encryption in order to protect from unauthorized access to the underlying storage.",
    check: dax_encrypted,
};

/// DAX clusters have `SSESpecification.SSEEnabled` on.
fn dax_encrypted(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::DAX::Cluster" {
        return Ok(Outcome::NotApplicable);
    }
    nested_flag_on(r.prop("SSESpecification"), "SSEEnabled")
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    const NONE: [&str; 0] = [];

    fn table(props: Value) -> Value {
        json!({"Type": "AWS::DynamoDB::Table", "Properties": props})
    }

    #[test]
    fn ddb3_tables_have_point_in_time_recovery() {
        assert_eq!(findings_of("DDB3", &table(json!({}))), [""]);
        let pitr = |enabled: Value| {
            table(
                json!({"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": enabled}}),
            )
        };
        assert_eq!(findings_of("DDB3", &pitr(json!(false))), [""]);
        assert_eq!(findings_of("DDB3", &pitr(json!("true"))), NONE);
        assert_eq!(
            findings_of("DDB3", &pitr(json!({"Ref": "P"}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of(
                "DDB3",
                &table(json!({"PointInTimeRecoverySpecification": {}}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "DDB3",
                &table(
                    json!({"PointInTimeRecoverySpecification": {"Fn::If": ["C", {"PointInTimeRecoveryEnabled": true}, {"Ref": "AWS::NoValue"}]}})
                )
            ),
            [""]
        );
    }

    #[test]
    fn ddb4_dax_clusters_are_encrypted() {
        let dax = |props: Value| json!({"Type": "AWS::DAX::Cluster", "Properties": props});
        assert_eq!(findings_of("DDB4", &dax(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "DDB4",
                &dax(json!({"SSESpecification": {"SSEEnabled": false}}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "DDB4",
                &dax(json!({"SSESpecification": {"SSEEnabled": true}}))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "DDB4",
                &dax(json!({"SSESpecification": {"SSEEnabled": {"Ref": "P"}}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }
}
