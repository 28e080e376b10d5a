//! cdk-nag's `AwsSolutions` machine learning rules (`checkMachineLearning`):
//! Lex and SageMaker.

use serde_json::Value;

use crate::js::{
    self, boolean, field, for_of, loose_eq_str, opt_field, prop, resolve_resource, strict_eq,
    type_error,
};
use crate::resource::{resolve_primitive, Resource};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[LEX4, SM1, SM2, SM3];

const NOTEBOOK: &str = "AWS::SageMaker::NotebookInstance";

pub(crate) const LEX4: Rule = Rule {
    id: "LEX4",
    level: Level::Error,
    info: "Lex conversation logs are enabled and not encrypted with a KMS key.",
    explanation: "You can use encryption to help protect the contents of your conversation logs. For text and audio logs, you can use AWS KMS customer managed CMKs to encrypt data in your CloudWatch Logs log group and S3 bucket.",
    check: lex_bot_alias_encrypted_conversation_logs,
};

/// The enabled conversation logs of a bot alias (or of a bot's test alias)
/// are encrypted: audio logs name a `KmsKeyArn`, and text logs go to a log
/// group of the template that has a `KmsKeyId`. A text log group that is
/// not in the template cannot be judged.
fn lex_bot_alias_encrypted_conversation_logs(r: &Resource<'_>) -> RuleResult {
    let settings = match r.type_name {
        "AWS::Lex::BotAlias" => prop(r, "ConversationLogSettings"),
        "AWS::Lex::Bot" => opt_field(prop(r, "TestBotAliasSettings"), "ConversationLogSettings"),
        _ => return Ok(Outcome::NotApplicable),
    };
    if settings.is_none() {
        return Ok(Outcome::Compliant);
    }
    let empty = Value::Array(Vec::new());
    let audio = field(settings, "AudioLogSettings")?.unwrap_or(&empty);
    for log in for_of(Some(audio))?.iter() {
        let log = Some(log);
        if boolean(field(log, "Enabled")?) == Some(&Value::Bool(true)) {
            let bucket = field(field(log, "Destination")?, "S3Bucket")?;
            if field(bucket, "KmsKeyArn")?.is_none() {
                return Ok(Outcome::NonCompliant);
            }
        }
    }
    let text = field(settings, "TextLogSettings")?.unwrap_or(&empty);
    for log in for_of(Some(text))?.iter() {
        let log = Some(log);
        if boolean(field(log, "Enabled")?) != Some(&Value::Bool(true)) {
            continue;
        }
        let cloudwatch = field(field(log, "Destination")?, "CloudWatch")?;
        let arn = js::string(field(cloudwatch, "CloudWatchLogGroupArn")?);
        let group = resolve_resource(arn.as_deref());
        match r
            .template
            .resources_of_type("AWS::Logs::LogGroup")
            .find(|g| strict_eq(group, Some(&Value::String(g.logical_id.to_owned()))))
        {
            Some(g) if prop(&g, "KmsKeyId").is_none() => return Ok(Outcome::NonCompliant),
            Some(_) => {}
            None => return Err(type_error(group)),
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const SM1: Rule = Rule {
    id: "SM1",
    level: Level::Error,
    info: "The SageMaker notebook instance is not provisioned inside a VPC.",
    explanation: "Provisioning the notebook instances inside a VPC enables the notebook to access VPC-only resources such as EFS file systems.",
    check: sagemaker_notebook_in_vpc,
};

/// A notebook instance has a `SubnetId`.
fn sagemaker_notebook_in_vpc(r: &Resource<'_>) -> RuleResult {
    if r.type_name != NOTEBOOK {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(prop(r, "SubnetId").is_some()))
}

pub(crate) const SM2: Rule = Rule {
    id: "SM2",
    level: Level::Error,
    info: "The SageMaker notebook instance does not have an encrypted storage volume.",
    explanation: "Encrypting storage volumes helps protect SageMaker data-at-rest.",
    check: sagemaker_notebook_instance_kms_key_configured,
};

/// A notebook instance has a `KmsKeyId`.
fn sagemaker_notebook_instance_kms_key_configured(r: &Resource<'_>) -> RuleResult {
    if r.type_name != NOTEBOOK {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(prop(r, "KmsKeyId").is_some()))
}

pub(crate) const SM3: Rule = Rule {
    id: "SM3",
    level: Level::Error,
    info: "The SageMaker notebook instance has direct internet access enabled.",
    explanation: "Disabling public accessibility helps minimize security risks.",
    check: sagemaker_notebook_no_direct_internet_access,
};

/// A notebook instance sets `DirectInternetAccess: Disabled` (the default
/// is `Enabled`).
fn sagemaker_notebook_no_direct_internet_access(r: &Resource<'_>) -> RuleResult {
    if r.type_name != NOTEBOOK {
        return Ok(Outcome::NotApplicable);
    }
    let access = resolve_primitive(prop(r, "DirectInternetAccess"))?;
    Ok(compliant_if(loose_eq_str(access, "Disabled")))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const FAIL: &str = "CdkNagValidationFailure";

    fn alias(settings: Value) -> Value {
        json!({"Type": "AWS::Lex::BotAlias", "Properties": {"BotId": "B", "BotAliasName": "live", "ConversationLogSettings": settings}})
    }

    fn text_logs(group: Value) -> Value {
        json!({"TextLogSettings": [{"Enabled": true, "Destination": {"CloudWatch": {"CloudWatchLogGroupArn": group, "LogPrefix": "p"}}}]})
    }

    #[test]
    fn lex4_encrypted_conversation_logs() {
        let template = |group: Value| {
            json!({"Resources": {
                "A": alias(text_logs(json!({"Fn::GetAtt": ["G", "Arn"]}))),
                "G": {"Type": "AWS::Logs::LogGroup", "Properties": group},
            }})
        };
        assert!(findings_in(
            "LEX4",
            &template(json!({"KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/k"})),
            "A"
        )
        .is_empty());
        assert_eq!(findings_in("LEX4", &template(json!({})), "A"), [""]);
        // A log group outside the template cannot be judged.
        assert_eq!(
            findings_of(
                "LEX4",
                &alias(text_logs(json!(
                    "arn:aws:logs:us-east-1:111122223333:log-group:x"
                )))
            ),
            [FAIL]
        );
        let audio = |bucket: Value| json!({"AudioLogSettings": [{"Enabled": "true", "Destination": {"S3Bucket": bucket}}]});
        assert!(findings_of(
            "LEX4",
            &alias(audio(json!({"S3BucketArn": "arn", "KmsKeyArn": "key"})))
        )
        .is_empty());
        assert_eq!(
            findings_of("LEX4", &alias(audio(json!({"S3BucketArn": "arn"})))),
            [""]
        );
        let disabled = json!({"AudioLogSettings": [{"Enabled": false, "Destination": {"S3Bucket": {"S3BucketArn": "arn"}}}]});
        assert!(findings_of("LEX4", &alias(disabled)).is_empty());
        // A bot's test alias too.
        let bot = |settings: Value| json!({"Type": "AWS::Lex::Bot", "Properties": {"TestBotAliasSettings": {"ConversationLogSettings": settings}}});
        assert_eq!(
            findings_of("LEX4", &bot(audio(json!({"S3BucketArn": "arn"})))),
            [""]
        );
        assert!(
            findings_of("LEX4", &json!({"Type": "AWS::Lex::Bot", "Properties": {}})).is_empty()
        );
    }

    fn notebook(properties: Value) -> Value {
        json!({"Type": "AWS::SageMaker::NotebookInstance", "Properties": properties})
    }

    #[test]
    fn sm1_sm2_sm3_notebook_isolation() {
        let private = notebook(
            json!({"SubnetId": "subnet-1", "KmsKeyId": "key", "DirectInternetAccess": "Disabled"}),
        );
        for rule in ["SM1", "SM2", "SM3"] {
            assert!(findings_of(rule, &private).is_empty(), "{rule}");
            assert_eq!(findings_of(rule, &notebook(json!({}))), [""], "{rule}");
        }
        assert_eq!(
            findings_of("SM3", &notebook(json!({"DirectInternetAccess": "Enabled"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "SM3",
                &notebook(json!({"DirectInternetAccess": {"Ref": "P"}}))
            ),
            [FAIL]
        );
    }
}
