//! cdk-nag's `AwsSolutions` application integration rules
//! (`checkApplicationIntegration`): EventBridge, SNS and SQS.

use serde_json::Value;

use crate::js::first_decisive;
use crate::js::{
    self, boolean, field, for_of, opt_field, owned_string, prop, resolve_resource, strict_eq,
    to_js_string, Js,
};
use crate::resource::{Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;
use crate::rules::storage::{denies_without_tls, principal_is_everyone};

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[EVB1, SNS3, SQS2, SQS3, SQS4];

const QUEUE: &str = "AWS::SQS::Queue";

pub(crate) const EVB1: Rule = Rule {
    id: "EVB1",
    level: Level::Error,
    info: "The event bus policy allows for open access.",
    explanation: "An open policy (\"*\" principal without a condition) grants anonymous access to an event bus. Use a condition to limit the permission to accounts that fulfill a certain requirement, such as being a member of a certain AWS organization.",
    check: event_bus_open_access,
};

/// An event bus policy with principal `*` has a complete `Condition` (key,
/// type and value), and its `Statement` does not allow everyone without a
/// condition.
fn event_bus_open_access(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Events::EventBusPolicy" {
        return Ok(Outcome::NotApplicable);
    }
    if owned_string(prop(r, "Principal")) == Some(Value::String("*".to_owned())) {
        let condition = prop(r, "Condition");
        if condition.is_none()
            || ["Key", "Type", "Value"]
                .iter()
                .any(|k| opt_field(condition, k).is_none())
        {
            return Ok(Outcome::NonCompliant);
        }
    }
    let statement = prop(r, "Statement");
    if statement.is_some() {
        let condition = opt_field(statement, "Condition");
        if opt_field(statement, "Effect") == Some(&Value::String("Allow".to_owned()))
            && principal_is_everyone(opt_field(statement, "Principal"))?
            && (condition.is_none() || js::json_stringify(condition).as_deref() == Some("{}"))
        {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

/// cdk-nag's `isMatchingCompliantPolicy` of SNS3 and SQS4: one of the
/// policy's targets (`Topics` or `Queues`) is the resource (by logical ID,
/// or ending with its name), and a statement denies `actions` to everyone
/// without TLS.
fn ssl_policy_of(
    policy: &Resource<'_>,
    targets: &str,
    logical_id: &str,
    name: Js<'_>,
    actions: &[&str],
) -> Result<bool, Unresolved> {
    let id = Value::String(logical_id.to_owned());
    let mut found = false;
    for target in string_list(prop(policy, targets))? {
        let target = resolve_resource(target.as_ref());
        if strict_eq(target, Some(&id)) {
            found = true;
            break;
        }
        if name.is_some() {
            match target {
                Some(Value::String(t)) if t.ends_with(&to_js_string(name)) => {
                    found = true;
                    break;
                }
                Some(Value::String(_)) => {}
                // Only a string has `endsWith`.
                other => return Err(Unresolved::new(other.unwrap_or(&Value::Null))),
            }
        }
    }
    if !found {
        return Ok(false);
    }
    for statement in for_of(field(prop(policy, "PolicyDocument"), "Statement")?)?.iter() {
        if denies_without_tls(Some(statement), actions)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A list of strings as the L1 holds it (`FromCloudFormation.getStringArray`):
/// numbers become strings; an intrinsic in place of the list cannot be
/// read as one; a string is iterated by character.
fn string_list(value: Js<'_>) -> Result<Vec<Option<Value>>, Unresolved> {
    match value {
        Some(Value::Array(items)) => Ok(items
            .iter()
            .map(|i| owned_string(js::defined(Some(i))))
            .collect()),
        Some(v @ Value::String(_)) => {
            Ok(for_of(Some(v))?.iter().map(|c| Some(c.clone())).collect())
        }
        Some(other) => Err(Unresolved::new(other)),
        None => Err(Unresolved::new(&Value::Null)),
    }
}

pub(crate) const SNS3: Rule = Rule {
    id: "SNS3",
    level: Level::Error,
    info: "The SNS Topic does not require publishers to use SSL.",
    explanation: "Without HTTPS (TLS), a network-based attacker can eavesdrop on network traffic or manipulate it, using an attack such as man-in-the-middle. Allow only encrypted connections over HTTPS (TLS) using the aws:SecureTransport condition and the 'sns: Publish' action in the topic policy to force publishers to use SSL. If SSE is already enabled then this control is auto enforced.",
    check: sns_topic_ssl_publish_only,
};

/// A topic is encrypted (`KmsMasterKeyId`), or a topic policy of the
/// template denies `sns:Publish` to everyone without TLS on it.
fn sns_topic_ssl_publish_only(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::SNS::Topic" {
        return Ok(Outcome::NotApplicable);
    }
    if prop(r, "KmsMasterKeyId").is_some() {
        return Ok(Outcome::Compliant);
    }
    let name = owned_string(prop(r, "TopicName"));
    let results = r
        .template
        .resources_of_type("AWS::SNS::TopicPolicy")
        .map(|policy| {
            let verdict = ssl_policy_of(
                &policy,
                "Topics",
                r.logical_id,
                name.as_ref(),
                &["sns:publish"],
            );
            (policy.logical_id, verdict)
        })
        .collect();
    Ok(compliant_if(first_decisive(&r.template, results)?))
}

pub(crate) const SQS2: Rule = Rule {
    id: "SQS2",
    level: Level::Error,
    info: "The SQS Queue does not have server-side encryption enabled.",
    explanation: "Server side encryption adds additional protection of sensitive data delivered as messages to subscribers.",
    check: sqs_queue_sse,
};

/// A queue does not turn SQS-managed encryption off
/// (`SqsManagedSseEnabled: false`) without a `KmsMasterKeyId`.
fn sqs_queue_sse(r: &Resource<'_>) -> RuleResult {
    if r.type_name != QUEUE {
        return Ok(Outcome::NotApplicable);
    }
    let sqs_managed = boolean(prop(r, "SqsManagedSseEnabled"));
    Ok(compliant_if(
        prop(r, "KmsMasterKeyId").is_some() || sqs_managed != Some(&Value::Bool(false)),
    ))
}

pub(crate) const SQS3: Rule = Rule {
    id: "SQS3",
    level: Level::Error,
    info: "The SQS queue is not used as a dead-letter queue (DLQ) and does not have a DLQ enabled.",
    explanation: "Using a DLQ helps maintain the queue flow and avoid losing data by detecting and mitigating failures and service disruptions on time.",
    check: sqs_queue_dlq,
};

/// A queue has a `RedrivePolicy`, or is the dead-letter target of a queue
/// or a Lambda function of the template: its logical ID (not followed by a
/// word character) in the flattened target ARN, or `:<its name>`.
fn sqs_queue_dlq(r: &Resource<'_>) -> RuleResult {
    if r.type_name != QUEUE {
        return Ok(Outcome::NotApplicable);
    }
    if prop(r, "RedrivePolicy").is_some() {
        return Ok(Outcome::Compliant);
    }
    let name = owned_string(prop(r, "QueueName"));
    let dead_letter_of = |target: Js<'_>| -> Result<bool, Unresolved> {
        let target = js::flatten(owned_string(target).as_ref())?;
        Ok(
            js::regex::test(&format!(r"{}(?![\w])", r.logical_id), &target)?
                || (name.is_some()
                    && js::regex::test(
                        &format!(r":{}(?![\w\-_\.])", to_js_string(name.as_ref())),
                        &target,
                    )?),
        )
    };
    let results = r
        .template
        .resources()
        .filter_map(|other| {
            let target = match other.type_name {
                QUEUE => opt_field(prop(&other, "RedrivePolicy"), "deadLetterTargetArn"),
                "AWS::Lambda::Function" => opt_field(prop(&other, "DeadLetterConfig"), "TargetArn"),
                _ => return None,
            };
            Some((other.logical_id, dead_letter_of(target)))
        })
        .collect();
    Ok(compliant_if(first_decisive(&r.template, results)?))
}

pub(crate) const SQS4: Rule = Rule {
    id: "SQS4",
    level: Level::Error,
    info: "The SQS queue does not require requests to use SSL.",
    explanation: "Without HTTPS (TLS), a network-based attacker can eavesdrop on network traffic or manipulate it, using an attack such as man-in-the-middle. Allow only encrypted connections over HTTPS (TLS) using the aws:SecureTransport condition in the queue policy to force requests to use SSL.",
    check: sqs_queue_ssl_requests_only,
};

/// A queue policy of the template denies `sqs:*` (or `*`) to everyone
/// without TLS on the queue.
fn sqs_queue_ssl_requests_only(r: &Resource<'_>) -> RuleResult {
    if r.type_name != QUEUE {
        return Ok(Outcome::NotApplicable);
    }
    let name = owned_string(prop(r, "QueueName"));
    let results = r
        .template
        .resources_of_type("AWS::SQS::QueuePolicy")
        .map(|policy| {
            let verdict = ssl_policy_of(
                &policy,
                "Queues",
                r.logical_id,
                name.as_ref(),
                &["*", "sqs:*"],
            );
            (policy.logical_id, verdict)
        })
        .collect();
    Ok(compliant_if(first_decisive(&r.template, results)?))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const FAIL: &str = "CdkNagValidationFailure";

    fn bus_policy(properties: Value) -> Value {
        json!({"Type": "AWS::Events::EventBusPolicy", "Properties": properties})
    }

    #[test]
    fn evb1_no_open_event_bus_policy() {
        assert_eq!(
            findings_of(
                "EVB1",
                &bus_policy(
                    json!({"StatementId": "s", "Principal": "*", "Action": "events:PutEvents"})
                )
            ),
            [""]
        );
        let condition =
            json!({"Key": "aws:PrincipalOrgID", "Type": "StringEquals", "Value": "o-1"});
        assert!(findings_of(
            "EVB1",
            &bus_policy(json!({"StatementId": "s", "Principal": "*", "Condition": condition}))
        )
        .is_empty());
        assert!(findings_of(
            "EVB1",
            &bus_policy(json!({"StatementId": "s", "Principal": "111122223333"}))
        )
        .is_empty());
        let statement = |s: Value| bus_policy(json!({"StatementId": "s", "Statement": s}));
        assert_eq!(
            findings_of(
                "EVB1",
                &statement(
                    json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Condition": {}})
                )
            ),
            [""]
        );
        assert!(findings_of("EVB1", &statement(json!({"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"k": "v"}}}))).is_empty());
        assert_eq!(
            findings_of("EVB1", &statement(json!({"Effect": "Allow"}))),
            [FAIL]
        );
    }

    fn ssl_deny(action: &str) -> Value {
        json!({"Effect": "Deny", "Principal": "*", "Action": action, "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    }

    #[test]
    fn sns3_encrypted_or_publish_over_tls() {
        let topic = |p: Value| json!({"Type": "AWS::SNS::Topic", "Properties": p});
        assert!(findings_of("SNS3", &topic(json!({"KmsMasterKeyId": "alias/aws/sns"}))).is_empty());
        assert_eq!(findings_of("SNS3", &topic(json!({}))), [""]);
        let with = |topics: Value, action: &str| {
            json!({"Resources": {
                "T": topic(json!({"TopicName": "alerts"})),
                "P": {"Type": "AWS::SNS::TopicPolicy", "Properties": {"Topics": topics, "PolicyDocument": {"Statement": [ssl_deny(action)]}}},
            }})
        };
        assert!(findings_in("SNS3", &with(json!([{"Ref": "T"}]), "SNS:Publish"), "T").is_empty());
        assert!(findings_in(
            "SNS3",
            &with(
                json!(["arn:aws:sns:us-east-1:111122223333:alerts"]),
                "sns:publish"
            ),
            "T"
        )
        .is_empty());
        assert_eq!(
            findings_in("SNS3", &with(json!([{"Ref": "T"}]), "sns:*"), "T"),
            [""]
        );
        // A topic cdk-nag cannot compare with the name (`endsWith` of an object) throws.
        assert_eq!(
            findings_in(
                "SNS3",
                &with(
                    json!([{"Fn::Join": ["", ["arn:", "alerts"]]}]),
                    "sns:Publish"
                ),
                "T"
            ),
            [FAIL]
        );
    }

    fn queue(properties: Value) -> Value {
        json!({"Type": "AWS::SQS::Queue", "Properties": properties})
    }

    #[test]
    fn sqs2_encryption_not_turned_off() {
        assert!(findings_of("SQS2", &queue(json!({}))).is_empty());
        assert!(findings_of(
            "SQS2",
            &queue(json!({"SqsManagedSseEnabled": false, "KmsMasterKeyId": "alias/aws/sqs"}))
        )
        .is_empty());
        assert_eq!(
            findings_of("SQS2", &queue(json!({"SqsManagedSseEnabled": "false"}))),
            [""]
        );
    }

    #[test]
    fn sqs3_dead_letter_queues() {
        let redrive = |arn: Value| json!({"RedrivePolicy": {"deadLetterTargetArn": arn, "maxReceiveCount": 3}});
        assert!(findings_of("SQS3", &queue(redrive(json!("arn")))).is_empty());
        assert_eq!(findings_of("SQS3", &queue(json!({}))), [""]);
        let with =
            |dlq: Value, source: Value| json!({"Resources": {"Dlq": queue(dlq), "Source": source}});
        assert!(findings_in(
            "SQS3",
            &with(
                json!({}),
                queue(redrive(json!({"Fn::GetAtt": ["Dlq", "Arn"]})))
            ),
            "Dlq"
        )
        .is_empty());
        assert!(findings_in(
            "SQS3",
            &with(
                json!({"QueueName": "dead"}),
                queue(redrive(json!("arn:aws:sqs:us-east-1:111122223333:dead")))
            ),
            "Dlq"
        )
        .is_empty());
        assert_eq!(
            findings_in(
                "SQS3",
                &with(
                    json!({"QueueName": "dead"}),
                    queue(redrive(json!("arn:aws:sqs:us-east-1:111122223333:dead-2")))
                ),
                "Dlq"
            ),
            [""]
        );
        let function = json!({"Type": "AWS::Lambda::Function", "Properties": {"DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}}});
        assert!(findings_in("SQS3", &with(json!({}), function), "Dlq").is_empty());
        assert_eq!(
            findings_in(
                "SQS3",
                &with(json!({}), queue(redrive(json!({"Fn::Join": ["", "x"]})))),
                "Dlq"
            ),
            [FAIL]
        );
    }

    #[test]
    fn sqs4_queue_policy_requires_tls() {
        let with = |statement: Value| {
            json!({"Resources": {
                "Q": queue(json!({})),
                "P": {"Type": "AWS::SQS::QueuePolicy", "Properties": {"Queues": [{"Ref": "Q"}], "PolicyDocument": {"Statement": [statement]}}},
            }})
        };
        assert!(findings_in("SQS4", &with(ssl_deny("sqs:*")), "Q").is_empty());
        assert!(findings_in("SQS4", &with(ssl_deny("*")), "Q").is_empty());
        assert_eq!(
            findings_in("SQS4", &with(ssl_deny("sqs:SendMessage")), "Q"),
            [""]
        );
        assert_eq!(findings_of("SQS4", &queue(json!({}))), [""]);
        assert_eq!(
            findings_in(
                "SQS4",
                &with(json!({"Effect": "Deny", "Action": "sqs:*"})),
                "Q"
            ),
            [FAIL]
        );
    }
}
