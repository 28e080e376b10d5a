//! cdk-nag's `AwsSolutions` serverless rules (`checkServerless`): AppSync
//! and Step Functions.

use crate::js::{field, flag, is_nullish, resolved_bool, str_is};
use crate::resource::{resolve_primitive, Resource};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[ASC3, SF1, SF2];

const STATE_MACHINE: &str = "AWS::StepFunctions::StateMachine";

pub(crate) const ASC3: Rule = Rule {
    id: "ASC3",
    level: Level::Error,
    info: "The GraphQL API does not have request level logging enabled.",
    explanation: "It is important to use CloudWatch Logs to log metrics such as who has accessed the GraphQL API, how the caller accessed the API, and invalid requests.",
    check: app_sync_graphql_request_logging,
};

/// A `LogConfig` with a `CloudWatchLogsRoleArn` and without
/// `ExcludeVerboseContent` true.
fn app_sync_graphql_request_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::AppSync::GraphQLApi" {
        return Ok(Outcome::NotApplicable);
    }
    let config = r.prop("LogConfig");
    if config.is_none() {
        return Ok(Outcome::NonCompliant);
    }
    let exclude = resolved_bool(field(config, "ExcludeVerboseContent")?)?;
    let role = config.and_then(|c| c.get("CloudWatchLogsRoleArn"));
    Ok(compliant_if(role.is_some() && exclude != Some(true)))
}

pub(crate) const SF1: Rule = Rule {
    id: "SF1",
    level: Level::Error,
    info: "The Step Function does not log \"ALL\" events to CloudWatch Logs.",
    explanation:
        "Logging \"ALL\" events to CloudWatch logs help operators troubleshoot and audit systems.",
    check: step_function_state_machine_all_logs_to_cloud_watch,
};

/// A `LoggingConfiguration` with `Level` `ALL`.
fn step_function_state_machine_all_logs_to_cloud_watch(r: &Resource<'_>) -> RuleResult {
    if r.type_name != STATE_MACHINE {
        return Ok(Outcome::NotApplicable);
    }
    let logging = r.prop("LoggingConfiguration");
    if is_nullish(logging) {
        return Ok(Outcome::NonCompliant);
    }
    let level = resolve_primitive(field(logging, "Level")?)?;
    Ok(compliant_if(str_is(level, "ALL")))
}

pub(crate) const SF2: Rule = Rule {
    id: "SF2",
    level: Level::Error,
    info: "The Step Function does not have X-Ray tracing enabled.",
    explanation: "X-Ray provides an end-to-end view of how an application is performing. This helps operators to discover performance issues, detect permission problems, and track requests made to and from other AWS services.",
    check: step_function_state_machine_xray,
};

/// A `TracingConfiguration` with `Enabled` true (truthy).
fn step_function_state_machine_xray(r: &Resource<'_>) -> RuleResult {
    if r.type_name != STATE_MACHINE {
        return Ok(Outcome::NotApplicable);
    }
    let tracing = r.prop("TracingConfiguration");
    if is_nullish(tracing) {
        return Ok(Outcome::NonCompliant);
    }
    let enabled = resolve_primitive(field(tracing, "Enabled")?)?;
    let on = enabled.is_some_and(flag);
    Ok(compliant_if(on))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn api(log_config: Option<Value>) -> Value {
        let mut p = json!({"Name": "a", "AuthenticationType": "AWS_IAM"});
        if let Some(c) = log_config {
            p["LogConfig"] = c;
        }
        json!({"Type": "AWS::AppSync::GraphQLApi", "Properties": p})
    }

    #[test]
    fn asc3_wants_verbose_request_logs() {
        let role = "arn:aws:iam::111122223333:role/logs";
        assert!(findings_of(
            "ASC3",
            &api(Some(
                json!({"CloudWatchLogsRoleArn": role, "FieldLogLevel": "ALL"})
            ))
        )
        .is_empty());
        assert_eq!(findings_of("ASC3", &api(None)), [""]);
        assert_eq!(
            findings_of("ASC3", &api(Some(json!({"FieldLogLevel": "ALL"})))),
            [""]
        );
        assert_eq!(
            findings_of(
                "ASC3",
                &api(Some(
                    json!({"CloudWatchLogsRoleArn": role, "ExcludeVerboseContent": "true"})
                ))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "ASC3",
                &api(Some(
                    json!({"CloudWatchLogsRoleArn": role, "ExcludeVerboseContent": {"Ref": "E"}})
                ))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    fn machine(properties: Value) -> Value {
        json!({"Type": "AWS::StepFunctions::StateMachine", "Properties": properties})
    }

    #[test]
    fn sf1_wants_all_events_logged() {
        assert!(findings_of(
            "SF1",
            &machine(json!({"LoggingConfiguration": {"Level": "ALL"}}))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "SF1",
                &machine(json!({"LoggingConfiguration": {"Level": "ERROR"}}))
            ),
            [""]
        );
        assert_eq!(findings_of("SF1", &machine(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "SF1",
                &machine(json!({"LoggingConfiguration": {"Level": {"Ref": "L"}}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn sf2_wants_tracing() {
        assert!(findings_of(
            "SF2",
            &machine(json!({"TracingConfiguration": {"Enabled": "true"}}))
        )
        .is_empty());
        assert_eq!(
            findings_of("SF2", &machine(json!({"TracingConfiguration": {}}))),
            [""]
        );
        assert_eq!(findings_of("SF2", &machine(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "SF2",
                &machine(json!({"TracingConfiguration": {"Enabled": {"Ref": "T"}}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }
}
