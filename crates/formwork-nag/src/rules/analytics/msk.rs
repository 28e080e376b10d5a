//! MSK clusters: TLS between clients and brokers and between brokers, and
//! broker logs.

use serde_json::Value;

use crate::js::{opt_field, prop, resolved_bool, resolved_flag};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

const CLUSTER: &str = "AWS::MSK::Cluster";

/// `EncryptionInfo.EncryptionInTransit`, when both are there.
fn encryption_in_transit<'t>(r: &Resource<'t>) -> Option<&'t Value> {
    opt_field(prop(r, "EncryptionInfo"), "EncryptionInTransit")
}

pub(crate) const MSK2: Rule = Rule {
    id: "MSK2",
    level: Level::Error,
    info: "The MSK cluster uses plaintext communication between clients and brokers.",
    explanation: "TLS only communication secures data-in-transit by encrypting the connection between the clients and brokers.",
    check: msk_client_to_broker_tls,
};

/// The cluster does not set `EncryptionInTransit.ClientBroker` to anything
/// but `TLS` (absent means MSK's default, TLS).
fn msk_client_to_broker_tls(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(transit) = encryption_in_transit(r) else {
        return Ok(Outcome::Compliant);
    };
    let client_broker = resolve_primitive(opt_field(Some(transit), "ClientBroker"))?;
    Ok(compliant_if(
        client_broker.is_none_or(|v| v.as_str() == Some("TLS")),
    ))
}

pub(crate) const MSK3: Rule = Rule {
    id: "MSK3",
    level: Level::Error,
    info: "The MSK cluster uses plaintext communication between brokers.",
    explanation:
        "TLS communication secures data-in-transit by encrypting the connection between brokers.",
    check: msk_broker_to_broker_tls,
};

/// The cluster does not set `EncryptionInTransit.InCluster` to `false`.
fn msk_broker_to_broker_tls(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(transit) = encryption_in_transit(r) else {
        return Ok(Outcome::Compliant);
    };
    Ok(compliant_if(
        resolved_bool(opt_field(Some(transit), "InCluster"))? != Some(false),
    ))
}

pub(crate) const MSK6: Rule = Rule {
    id: "MSK6",
    level: Level::Error,
    info: "The MSK cluster does not send broker logs to a supported destination.",
    explanation: "Broker logs enable operators to troubleshoot Apache Kafka applications and to analyze their communications with the MSK cluster. The cluster can deliver logs to the following resources: a CloudWatch log group, an S3 bucket, a Kinesis Data Firehose delivery stream.",
    check: msk_broker_logging,
};

/// The cluster's `LoggingInfo.BrokerLogs` enables at least one of `S3`,
/// `CloudWatchLogs` and `Firehose`. cdk-nag reads `BrokerLogs` (required)
/// unconditionally: without it, or with `LoggingInfo` an intrinsic
/// function, the rule cannot be validated.
fn msk_broker_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(logging) = prop(r, "LoggingInfo") else {
        return Ok(Outcome::NonCompliant);
    };
    let Some(broker_logs) = opt_field(Some(logging), "BrokerLogs") else {
        return Err(Unresolved::new(logging));
    };
    let mut enabled = false;
    // Every destination is read, so an intrinsic `Enabled` fails the rule
    // even when another destination is enabled, as in cdk-nag.
    for destination in ["S3", "CloudWatchLogs", "Firehose"] {
        if let Some(destination) = opt_field(Some(broker_logs), destination) {
            enabled |= resolved_flag(opt_field(Some(destination), "Enabled"))? == Some(true);
        }
    }
    Ok(compliant_if(enabled))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn cluster(extra: Value) -> Value {
        let mut props = json!({"ClusterName": "c", "KafkaVersion": "3.6.0", "NumberOfBrokerNodes": 2,
            "BrokerNodeGroupInfo": {"ClientSubnets": ["subnet-1", "subnet-2"], "InstanceType": "kafka.m5.large"}});
        props
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"Type": "AWS::MSK::Cluster", "Properties": props})
    }

    fn transit(settings: Value) -> Value {
        cluster(json!({"EncryptionInfo": {"EncryptionInTransit": settings}}))
    }

    #[test]
    fn msk2_reports_a_client_broker_setting_other_than_tls() {
        assert!(findings_of("MSK2", &cluster(json!({}))).is_empty());
        assert!(findings_of("MSK2", &transit(json!({"ClientBroker": "TLS"}))).is_empty());
        assert_eq!(
            findings_of("MSK2", &transit(json!({"ClientBroker": "TLS_PLAINTEXT"}))),
            [""]
        );
        assert_eq!(
            findings_of("MSK2", &transit(json!({"ClientBroker": {"Ref": "Mode"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn msk3_reports_in_cluster_false() {
        assert!(findings_of("MSK3", &transit(json!({"InCluster": true}))).is_empty());
        assert!(findings_of("MSK3", &transit(json!({}))).is_empty());
        assert_eq!(
            findings_of("MSK3", &transit(json!({"InCluster": "false"}))),
            [""]
        );
        assert_eq!(
            findings_of("MSK3", &transit(json!({"InCluster": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn msk6_wants_one_enabled_destination() {
        let logs = |b: Value| cluster(json!({"LoggingInfo": {"BrokerLogs": b}}));
        let firehose = logs(
            json!({"S3": {"Enabled": false}, "Firehose": {"Enabled": true, "DeliveryStream": "d"}}),
        );
        assert!(findings_of("MSK6", &firehose).is_empty());
        assert_eq!(
            findings_of("MSK6", &logs(json!({"S3": {"Enabled": false}}))),
            [""]
        );
        assert_eq!(findings_of("MSK6", &cluster(json!({}))), [""]);
        let unknown =
            logs(json!({"S3": {"Enabled": true}, "CloudWatchLogs": {"Enabled": {"Ref": "On"}}}));
        assert_eq!(findings_of("MSK6", &unknown), ["CdkNagValidationFailure"]);
        let conditional = cluster(json!({"LoggingInfo": {"Fn::If": ["C", {}, {}]}}));
        assert_eq!(
            findings_of("MSK6", &conditional),
            ["CdkNagValidationFailure"]
        );
    }
}
