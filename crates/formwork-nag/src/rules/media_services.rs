//! cdk-nag's `AwsSolutions` media services rules (`checkMediaServices`):
//! MediaStore containers.

use serde_json::Value;

use crate::js::{field, for_of, is_nullish, resolved_bool, str_is, to_lower, type_error};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[MS1, MS3, MS4, MS7, MS8, MS10];

const CONTAINER: &str = "AWS::MediaStore::Container";

pub(crate) const MS1: Rule = Rule {
    id: "MS1",
    level: Level::Error,
    info: "The MediaStore container does not have container access logging enabled.",
    explanation: "The container should have access logging enabled to provide detailed records for the requests that are made to the container.",
    check: media_store_container_access_logging,
};

/// `AccessLoggingEnabled` true.
fn media_store_container_access_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        resolved_bool(r.prop("AccessLoggingEnabled"))? == Some(true),
    ))
}

pub(crate) const MS3: Rule = Rule {
    id: "MS3",
    level: Level::Error,
    info: "The MediaStore container does not require requests to use SSL.",
    explanation: "You can use HTTPS (TLS) to help prevent potential attackers from eavesdropping on or manipulating network traffic using person-in-the-middle or similar attacks. You should allow only encrypted connections over HTTPS (TLS) using the aws:SecureTransport condition on MediaStore container policies.",
    check: media_store_container_ssl_requests_only,
};

/// cdk-nag's `checkMatchingAction`: `*` or `mediastore:*`, alone or in a list.
fn all_actions(actions: Option<&Value>) -> Result<bool, Unresolved> {
    let is_all = |a: &Value| -> Result<bool, Unresolved> {
        Ok(a.as_str() == Some("*") || to_lower(Some(a))? == "mediastore:*")
    };
    match actions {
        Some(Value::Array(list)) => {
            for action in list {
                if is_all(action)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Some(action) => is_all(action),
        None => Err(type_error(None)),
    }
}

/// cdk-nag's `checkMatchingPrincipal`: `*`, or `*` among the `AWS` principals.
fn all_principals(principals: Option<&Value>) -> Result<bool, Unresolved> {
    if principals.and_then(Value::as_str) == Some("*") {
        return Ok(true);
    }
    Ok(match field(principals, "AWS")? {
        Some(Value::Array(list)) => list.iter().any(|p| p.as_str() == Some("*")),
        Some(p) => p.as_str() == Some("*"),
        None => false,
    })
}

/// A `Policy` (a JSON string) with a statement denying all actions to all
/// principals when `aws:SecureTransport` is false. A policy that is not a
/// JSON text with a list of statements fails, as cdk-nag's `JSON.parse`
/// and `for ... of` do.
fn media_store_container_ssl_requests_only(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(policy) = r.prop("Policy") else {
        return Ok(Outcome::NonCompliant);
    };
    let text = match policy {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => policy.to_string(),
        other => return Err(type_error(Some(other))),
    };
    let parsed: Value = serde_json::from_str(&text).map_err(|_| type_error(Some(policy)))?;
    let statements = parsed.get("Statement");
    for statement in for_of(statements)?.iter() {
        let secure_transport = statement
            .get("Condition")
            .and_then(|c| c.get("Bool"))
            .and_then(|b| b.get("aws:SecureTransport"));
        if field(Some(statement), "Effect")?.and_then(Value::as_str) == Some("Deny")
            && all_actions(statement.get("Action"))?
            && all_principals(statement.get("Principal"))?
            && (secure_transport == Some(&Value::Bool(false))
                || secure_transport.and_then(Value::as_str) == Some("false"))
        {
            return Ok(Outcome::Compliant);
        }
    }
    Ok(Outcome::NonCompliant)
}

pub(crate) const MS4: Rule = Rule {
    id: "MS4",
    level: Level::Warning,
    info: "The MediaStore container does not define a metric policy to send metrics to CloudWatch.",
    explanation: "Using a combination of MediaStore metrics and CloudWatch alarms helps operators gain better insights into container operations.",
    check: media_store_cloud_watch_metric_policy,
};

/// A `MetricPolicy` with `ContainerLevelMetrics` `ENABLED`.
fn media_store_cloud_watch_metric_policy(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    let policy = r.prop("MetricPolicy");
    if is_nullish(policy) {
        return Ok(Outcome::NonCompliant);
    }
    let metrics = resolve_primitive(field(policy, "ContainerLevelMetrics")?)?;
    Ok(compliant_if(str_is(metrics, "ENABLED")))
}

pub(crate) const MS7: Rule = Rule {
    id: "MS7",
    level: Level::Warning,
    info: "The MediaStore container does not define a container policy.",
    explanation: "Using a container policy helps follow the standard security advice of granting least privilege, or granting only the permissions required to allow needed access to the container.",
    check: media_store_container_has_container_policy,
};

/// A `Policy`.
fn media_store_container_has_container_policy(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(!is_nullish(r.prop("Policy"))))
}

pub(crate) const MS8: Rule = Rule {
    id: "MS8",
    level: Level::Warning,
    info: "The MediaStore container does not define a CORS policy.",
    explanation: "Using a CORS policy helps follow the standard security advice of granting least privilege, or granting only the permissions required to allow needed access to the container.",
    check: media_store_container_cors_policy,
};

/// A non-empty `CorsPolicy` (an intrinsic passes: it has no length).
fn media_store_container_cors_policy(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    let policy = r.prop("CorsPolicy");
    let empty = match policy {
        None | Some(Value::Null) => true,
        Some(Value::Array(rules)) => rules.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    };
    Ok(compliant_if(!empty))
}

pub(crate) const MS10: Rule = Rule {
    id: "MS10",
    level: Level::Warning,
    info: "The MediaStore container does not define a lifecycle policy.",
    explanation: "Many use cases warrant the usage of lifecycle configurations to manage container objects during their lifetime.",
    check: media_store_container_lifecycle_policy,
};

/// A `LifecyclePolicy`.
fn media_store_container_lifecycle_policy(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CONTAINER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(!is_nullish(r.prop("LifecyclePolicy"))))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn container(properties: Value) -> Value {
        let mut p = json!({"ContainerName": "c"});
        p.as_object_mut()
            .unwrap()
            .extend(properties.as_object().unwrap().clone());
        json!({"Type": "AWS::MediaStore::Container", "Properties": p})
    }

    fn policy(statements: Value) -> Value {
        json!({"Policy": json!({"Version": "2012-10-17", "Statement": statements}).to_string()})
    }

    #[test]
    fn ms1_wants_access_logging() {
        assert!(findings_of("MS1", &container(json!({"AccessLoggingEnabled": "true"}))).is_empty());
        assert_eq!(findings_of("MS1", &container(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "MS1",
                &container(json!({"AccessLoggingEnabled": {"Ref": "L"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn ms3_wants_a_deny_without_secure_transport() {
        let deny = |action: Value, principal: Value, secure: Value| {
            json!([{"Effect": "Deny", "Action": action, "Principal": principal, "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": secure}}}])
        };
        let ok = container(policy(deny(
            json!(["MediaStore:*"]),
            json!({"AWS": ["*"]}),
            json!("false"),
        )));
        assert!(findings_of("MS3", &ok).is_empty());
        let ok = container(policy(deny(json!("*"), json!("*"), json!(false))));
        assert!(findings_of("MS3", &ok).is_empty());
        let narrow = container(policy(deny(
            json!("mediastore:GetObject"),
            json!("*"),
            json!("false"),
        )));
        assert_eq!(findings_of("MS3", &narrow), [""]);
        assert_eq!(findings_of("MS3", &container(json!({}))), [""]);
        // No Action (a NotAction statement), a policy that is not JSON, an intrinsic.
        let not_action = container(policy(
            json!([{"Effect": "Deny", "NotAction": "x", "Principal": "*"}]),
        ));
        assert_eq!(findings_of("MS3", &not_action), ["CdkNagValidationFailure"]);
        assert_eq!(
            findings_of("MS3", &container(json!({"Policy": "{"}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of("MS3", &container(json!({"Policy": {"Fn::Sub": "{}"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn ms4_wants_container_metrics() {
        assert!(findings_of(
            "MS4",
            &container(json!({"MetricPolicy": {"ContainerLevelMetrics": "ENABLED"}}))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "MS4",
                &container(json!({"MetricPolicy": {"ContainerLevelMetrics": "DISABLED"}}))
            ),
            [""]
        );
        assert_eq!(findings_of("MS4", &container(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "MS4",
                &container(json!({"MetricPolicy": {"ContainerLevelMetrics": {"Ref": "M"}}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn ms7_ms8_ms10_want_the_policies() {
        let full = container(
            json!({"Policy": "{}", "CorsPolicy": [{"AllowedOrigins": ["*"]}], "LifecyclePolicy": "{}"}),
        );
        for id in ["MS7", "MS8", "MS10"] {
            assert!(findings_of(id, &full).is_empty(), "{id}");
            assert_eq!(findings_of(id, &container(json!({}))), [""], "{id}");
        }
        assert_eq!(
            findings_of("MS8", &container(json!({"CorsPolicy": []}))),
            [""]
        );
        // An intrinsic has no length: it passes.
        assert!(findings_of("MS8", &container(json!({"CorsPolicy": {"Ref": "Cors"}}))).is_empty());
    }
}
