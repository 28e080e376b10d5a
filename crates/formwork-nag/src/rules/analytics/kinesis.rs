//! Kinesis: Data Analytics (Flink) checkpointing, Data Firehose and Data
//! Streams server-side encryption.

use serde_json::Value;

use crate::js::{opt_field, prop, resolved_flag};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

pub(crate) const KDA3: Rule = Rule {
    id: "KDA3",
    level: Level::Warning,
    info: "The Kinesis Data Analytics Flink Application does not have checkpointing enabled.",
    explanation: "Checkpoints are backups of application state that KDA automatically creates periodically and uses to restore from faults.",
    check: kinesis_data_analytics_flink_checkpointing,
};

/// A Flink application (its `RuntimeEnvironment` starts with `flink`, in any
/// case) has a `CheckpointConfiguration`, and a `CUSTOM` one enables
/// checkpointing.
fn kinesis_data_analytics_flink_checkpointing(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::KinesisAnalyticsV2::Application" {
        return Ok(Outcome::NotApplicable);
    }
    match prop(r, "RuntimeEnvironment") {
        // cdk-nag calls `toLowerCase()` on the required property.
        None => return Err(Unresolved::new(&Value::Null)),
        Some(Value::String(runtime)) if runtime.to_lowercase().starts_with("flink") => {}
        // Another runtime; `CfnInclude` makes an intrinsic function a token
        // string (`${Token[..]}`) and a number or boolean a string, none of
        // which starts with `flink`.
        Some(_) => return Ok(Outcome::Compliant),
    }
    let configuration = prop(r, "ApplicationConfiguration");
    let flink = opt_field(configuration, "FlinkApplicationConfiguration");
    let Some(checkpoint) = opt_field(flink, "CheckpointConfiguration") else {
        return Ok(Outcome::NonCompliant);
    };
    let kind = resolve_primitive(opt_field(Some(checkpoint), "ConfigurationType"))?;
    if kind.and_then(Value::as_str) == Some("CUSTOM")
        && resolved_flag(opt_field(Some(checkpoint), "CheckpointingEnabled"))? != Some(true)
    {
        return Ok(Outcome::NonCompliant);
    }
    Ok(Outcome::Compliant)
}

pub(crate) const KDF1: Rule = Rule {
    id: "KDF1",
    level: Level::Error,
    info: "The Kinesis Data Firehose delivery stream does not have server-side encryption enabled.",
    explanation: "This allows the system to meet strict regulatory requirements and enhance the security of system data.",
    check: kinesis_data_firehose_sse,
};

/// The delivery stream has a `DeliveryStreamEncryptionConfigurationInput`.
fn kinesis_data_firehose_sse(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::KinesisFirehose::DeliveryStream" {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        prop(r, "DeliveryStreamEncryptionConfigurationInput").is_some(),
    ))
}

pub(crate) const KDS1: Rule = Rule {
    id: "KDS1",
    level: Level::Error,
    info: "The Kinesis Data Stream does not has server-side encryption enabled.",
    explanation: "Data is encrypted before it's written to the Kinesis stream storage layer, and decrypted after it’s retrieved from storage. This allows the system to meet strict regulatory requirements and enhance the security of system data.",
    check: kinesis_data_stream_sse,
};

/// The stream has a `StreamEncryption`.
fn kinesis_data_stream_sse(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Kinesis::Stream" {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(prop(r, "StreamEncryption").is_some()))
}

pub(crate) const KDS3: Rule = Rule {
    id: "KDS3",
    level: Level::Warning,
    info: "The Kinesis Data Stream specifies server-side encryption and does not use the \"aws/kinesis\" key.",
    explanation: "Customer Managed Keys can incur additional costs that scale with the amount of consumers and producers. Ensure that Customer Managed Keys are required for compliance before using them (https://docs.aws.amazon.com/streams/latest/dev/costs-performance.html).",
    check: kinesis_data_stream_default_key_when_sse,
};

/// A stream with `StreamEncryption` uses the literal key
/// `alias/aws/kinesis` (any other key, or a reference, is reported).
fn kinesis_data_stream_default_key_when_sse(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Kinesis::Stream" {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(match prop(r, "StreamEncryption") {
        None => true,
        encryption => {
            opt_field(encryption, "KeyId").and_then(Value::as_str) == Some("alias/aws/kinesis")
        }
    }))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn application(runtime: Value, configuration: Value) -> Value {
        json!({"Type": "AWS::KinesisAnalyticsV2::Application", "Properties": {
            "RuntimeEnvironment": runtime, "ServiceExecutionRole": "arn:aws:iam::111122223333:role/r",
            "ApplicationConfiguration": configuration}})
    }

    fn checkpoint(c: Value) -> Value {
        json!({"FlinkApplicationConfiguration": {"CheckpointConfiguration": c}})
    }

    #[test]
    fn kda3_checks_flink_applications_only() {
        let default = checkpoint(json!({"ConfigurationType": "DEFAULT"}));
        assert!(findings_of("KDA3", &application(json!("FLINK-1_18"), default)).is_empty());
        let custom_on =
            checkpoint(json!({"ConfigurationType": "CUSTOM", "CheckpointingEnabled": "true"}));
        assert!(findings_of("KDA3", &application(json!("FLINK-1_18"), custom_on)).is_empty());
        let custom_off =
            checkpoint(json!({"ConfigurationType": "CUSTOM", "CheckpointingEnabled": false}));
        assert_eq!(
            findings_of(
                "KDA3",
                &application(json!("FLINK-1_18"), custom_off.clone())
            ),
            [""]
        );
        assert!(findings_of("KDA3", &application(json!("SQL-1_0"), custom_off)).is_empty());
        let referenced = application(json!({"Ref": "Runtime"}), json!({}));
        assert!(findings_of("KDA3", &referenced).is_empty());
        assert_eq!(
            findings_of("KDA3", &application(json!("flink-1_15"), json!({}))),
            [""]
        );
    }

    #[test]
    fn kda3_cannot_judge_an_intrinsic_checkpoint_setting() {
        let custom = checkpoint(
            json!({"ConfigurationType": "CUSTOM", "CheckpointingEnabled": {"Ref": "On"}}),
        );
        assert_eq!(
            findings_of("KDA3", &application(json!("FLINK-1_18"), custom)),
            ["CdkNagValidationFailure"]
        );
        let kind = checkpoint(json!({"ConfigurationType": {"Ref": "Kind"}}));
        assert_eq!(
            findings_of("KDA3", &application(json!("FLINK-1_18"), kind)),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn kdf1_wants_an_encryption_configuration() {
        let encrypted = json!({"Type": "AWS::KinesisFirehose::DeliveryStream", "Properties": {
            "DeliveryStreamEncryptionConfigurationInput": {"KeyType": "AWS_OWNED_CMK"}}});
        assert!(findings_of("KDF1", &encrypted).is_empty());
        let plain = json!({"Type": "AWS::KinesisFirehose::DeliveryStream", "Properties": {}});
        assert_eq!(findings_of("KDF1", &plain), [""]);
    }

    fn stream(encryption: Value) -> Value {
        json!({"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1, "StreamEncryption": encryption}})
    }

    #[test]
    fn kds1_and_kds3_read_the_stream_encryption() {
        let default_key = stream(json!({"EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"}));
        assert!(findings_of("KDS1", &default_key).is_empty());
        assert!(findings_of("KDS3", &default_key).is_empty());
        let own_key =
            stream(json!({"EncryptionType": "KMS", "KeyId": {"Fn::GetAtt": ["Key", "Arn"]}}));
        assert!(findings_of("KDS1", &own_key).is_empty());
        assert_eq!(findings_of("KDS3", &own_key), [""]);
        let plain = stream(Value::Null);
        assert_eq!(findings_of("KDS1", &plain), [""]);
        assert!(findings_of("KDS3", &plain).is_empty());
    }
}
