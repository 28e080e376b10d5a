//! cdk-nag's `AwsSolutions` management and governance rules
//! (`checkManagementGovernance`): Auto Scaling groups.

use serde_json::Value;

use crate::js::{cfn_string, field, is_nullish, str_is, type_error};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[AS1, AS2, AS3];

const ASG: &str = "AWS::AutoScaling::AutoScalingGroup";

pub(crate) const AS1: Rule = Rule {
    id: "AS1",
    level: Level::Error,
    info: "The Auto Scaling Group does not have a cooldown period.",
    explanation: "A cooldown period temporarily suspends any scaling activities in order to allow the newly launched EC2 instance(s) some time to start handling the application traffic.",
    check: auto_scaling_group_cooldown_period,
};

/// Whether JavaScript's `parseInt(text)` is 0: leading white space, a
/// sign, a `0x` prefix (hexadecimal), then the digits up to the first
/// other character; no digit at all is `NaN`.
fn parse_int_is_zero(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (digits, radix) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (t, 10),
    };
    let run: Vec<char> = digits.chars().take_while(|c| c.is_digit(radix)).collect();
    !run.is_empty() && run.iter().all(|c| *c == '0')
}

/// No `Cooldown` of 0 (an absent one is the 300 s default).
fn auto_scaling_group_cooldown_period(r: &Resource<'_>) -> RuleResult {
    if r.type_name != ASG {
        return Ok(Outcome::NotApplicable);
    }
    let cooldown = resolve_primitive(r.prop("Cooldown"))?;
    let zero = cooldown
        .and_then(|c| cfn_string(Some(c)))
        .is_some_and(|c| parse_int_is_zero(&c));
    Ok(compliant_if(!zero))
}

pub(crate) const AS2: Rule = Rule {
    id: "AS2",
    level: Level::Error,
    info: "The Auto Scaling Group does not have properly configured health checks.",
    explanation: "The health check feature enables the service to detect whether its registered EC2 instances are healthy or not.",
    check: auto_scaling_group_health_check,
};

/// An `ELB` health check has a `HealthCheckGracePeriod`.
fn auto_scaling_group_health_check(r: &Resource<'_>) -> RuleResult {
    if r.type_name != ASG {
        return Ok(Outcome::NotApplicable);
    }
    let check_type = resolve_primitive(r.prop("HealthCheckType"))?;
    let grace = resolve_primitive(r.prop("HealthCheckGracePeriod"))?;
    Ok(compliant_if(
        !(str_is(check_type, "ELB") && is_nullish(grace)),
    ))
}

pub(crate) const AS3: Rule = Rule {
    id: "AS3",
    level: Level::Error,
    info: "The Auto Scaling Group does not have notifications configured for all scaling events.",
    explanation: "Notifications on EC2 instance launch, launch error, termination, and termination errors allow operators to gain better insights into systems attributes such as activity and health.",
    check: auto_scaling_group_scaling_notifications,
};

/// The scaling events every group must notify (the CDK's `ScalingEvent`).
const SCALING_EVENTS: [&str; 4] = [
    "autoscaling:EC2_INSTANCE_LAUNCH",
    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
    "autoscaling:EC2_INSTANCE_TERMINATE",
    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
];

/// Whether one notification configuration's `NotificationTypes` includes
/// `event` (`types?.includes(event)`: a list holds it, a string contains
/// it; an intrinsic has no `includes`).
fn notifies(config: &Value, event: &str) -> Result<bool, Unresolved> {
    match field(Some(config), "NotificationTypes")? {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Array(types)) => Ok(types.iter().any(|t| str_is(Some(t), event))),
        Some(Value::String(s)) => Ok(s.contains(event)),
        Some(other) => Err(type_error(Some(other))),
    }
}

/// Each of the four scaling events in some `NotificationConfigurations`
/// entry. As cdk-nag (`every` of `some`), the configurations are read for
/// each event in turn, up to the first that notifies it.
fn auto_scaling_group_scaling_notifications(r: &Resource<'_>) -> RuleResult {
    if r.type_name != ASG {
        return Ok(Outcome::NotApplicable);
    }
    let configs = r.prop("NotificationConfigurations");
    if is_nullish(configs) {
        return Ok(Outcome::NonCompliant);
    }
    // `.some` exists on lists only.
    let Some(Value::Array(configs)) = configs else {
        return Err(type_error(configs));
    };
    for event in SCALING_EVENTS {
        let mut found = false;
        for config in configs {
            if notifies(config, event)? {
                found = true;
                break;
            }
        }
        if !found {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::parse_int_is_zero;
    use crate::rules::tests::findings_of;

    fn group(properties: Value) -> Value {
        let mut p = json!({"MinSize": "1", "MaxSize": "2", "LaunchConfigurationName": "c"});
        p.as_object_mut()
            .unwrap()
            .extend(properties.as_object().unwrap().clone());
        json!({"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": p})
    }

    #[test]
    fn parse_int_reads_a_prefix_as_javascript() {
        for zero in ["0", " 0", "-0", "00", "0 seconds", "0x0", "0.5"] {
            assert!(parse_int_is_zero(zero), "{zero}");
        }
        for other in ["", "x0", "1", "0x", "300", "1e0"] {
            assert!(!parse_int_is_zero(other), "{other}");
        }
    }

    #[test]
    fn as1_rejects_a_cooldown_of_zero() {
        assert!(findings_of("AS1", &group(json!({}))).is_empty());
        assert!(findings_of("AS1", &group(json!({"Cooldown": "300"}))).is_empty());
        assert_eq!(findings_of("AS1", &group(json!({"Cooldown": "0"}))), [""]);
        assert_eq!(findings_of("AS1", &group(json!({"Cooldown": 0}))), [""]);
        assert_eq!(
            findings_of("AS1", &group(json!({"Cooldown": {"Ref": "C"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn as2_wants_a_grace_period_for_elb_health_checks() {
        assert!(findings_of("AS2", &group(json!({"HealthCheckType": "EC2"}))).is_empty());
        assert!(findings_of(
            "AS2",
            &group(json!({"HealthCheckType": "ELB", "HealthCheckGracePeriod": "60"}))
        )
        .is_empty());
        assert_eq!(
            findings_of("AS2", &group(json!({"HealthCheckType": "ELB"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "AS2",
                &group(json!({"HealthCheckType": "EC2", "HealthCheckGracePeriod": {"Ref": "G"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn as3_wants_every_scaling_event_notified() {
        let all = group(json!({"NotificationConfigurations": [
            {"TopicARN": "t", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"]},
            {"TopicARN": "t", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR", "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"]}
        ]}));
        assert!(findings_of("AS3", &all).is_empty());
        let some = group(json!({"NotificationConfigurations": [
            {"TopicARN": "t", "NotificationTypes": ["autoscaling:EC2_INSTANCE_LAUNCH"]}
        ]}));
        assert_eq!(findings_of("AS3", &some), [""]);
        assert_eq!(findings_of("AS3", &group(json!({}))), [""]);
        // A list parameter has no `includes`.
        let unresolved = group(json!({"NotificationConfigurations": [
            {"TopicARN": "t", "NotificationTypes": {"Ref": "Types"}}
        ]}));
        assert_eq!(findings_of("AS3", &unresolved), ["CdkNagValidationFailure"]);
    }
}
