//! Glue crawlers and jobs: the encryption settings of their security
//! configuration.

use serde_json::Value;

use super::{configuration_key, configurations};
use crate::js::{opt_field, prop};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};

const CRAWLER: &str = "AWS::Glue::Crawler";
const JOB: &str = "AWS::Glue::Job";
const SECURITY_CONFIGURATION: &str = "AWS::Glue::SecurityConfiguration";

pub(crate) const GL1: Rule = Rule {
    id: "GL1",
    level: Level::Warning,
    info: "The Glue crawler or job does not use a security configuration with CloudWatch Log encryption enabled.",
    explanation: "Enabling encryption at rest helps prevent unauthorized users from getting access to the logging data published to CloudWatch Logs.",
    check: glue_encrypted_cloud_watch_logs,
};

/// The crawler's `CrawlerSecurityConfiguration` or the job's
/// `SecurityConfiguration` designates a security configuration of the
/// template with `SSE-KMS` CloudWatch encryption.
fn glue_encrypted_cloud_watch_logs(r: &Resource<'_>) -> RuleResult {
    let reference = match r.type_name {
        CRAWLER => r.prop("CrawlerSecurityConfiguration"),
        JOB => r.prop("SecurityConfiguration"),
        _ => return Ok(Outcome::NotApplicable),
    };
    glue_security_configuration(
        r,
        reference,
        "CloudWatchEncryption",
        "CloudWatchEncryptionMode",
        "SSE-KMS",
    )
}

pub(crate) const GL3: Rule = Rule {
    id: "GL3",
    level: Level::Warning,
    info:
        "The Glue job does not use a security configuration with job bookmark encryption enabled.",
    explanation:
        "Job bookmark encryption encrypts bookmark data before it is sent to Amazon S3 for storage.",
    check: glue_job_bookmark_encrypted,
};

/// The job's security configuration encrypts job bookmarks (`CSE-KMS`).
fn glue_job_bookmark_encrypted(r: &Resource<'_>) -> RuleResult {
    if r.type_name != JOB {
        return Ok(Outcome::NotApplicable);
    }
    glue_security_configuration(
        r,
        r.prop("SecurityConfiguration"),
        "JobBookmarksEncryption",
        "JobBookmarksEncryptionMode",
        "CSE-KMS",
    )
}

/// Whether a security configuration designated by `reference` sets
/// `EncryptionConfiguration.<setting>.<mode>` to `wanted`.
///
/// The configurations are tried in template order until one passes; as in
/// cdk-nag, a matching one whose mode is an intrinsic function cannot be
/// validated, and one without its (required) `EncryptionConfiguration`
/// neither.
fn glue_security_configuration(
    r: &Resource<'_>,
    reference: Option<&Value>,
    setting: &str,
    mode: &str,
    wanted: &str,
) -> RuleResult {
    let Some(key) = configuration_key(reference) else {
        return Ok(Outcome::NonCompliant);
    };
    for configuration in configurations(r, SECURITY_CONFIGURATION, key) {
        let Some(encryption) = prop(&configuration, "EncryptionConfiguration") else {
            return Err(Unresolved::new(&Value::Null));
        };
        if let Some(setting) = opt_field(Some(encryption), setting) {
            if resolve_primitive(opt_field(Some(setting), mode))?.and_then(Value::as_str)
                == Some(wanted)
            {
                return Ok(Outcome::Compliant);
            }
        }
    }
    Ok(Outcome::NonCompliant)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_in;

    fn template(job_reference: Value, encryption: Value) -> Value {
        json!({"Resources": {
            "J": {"Type": "AWS::Glue::Job", "Properties": {
                "Role": "r", "Command": {"Name": "glueetl"}, "SecurityConfiguration": job_reference}},
            "Cr": {"Type": "AWS::Glue::Crawler", "Properties": {
                "Role": "r", "Targets": {}, "CrawlerSecurityConfiguration": {"Ref": "SC"}}},
            "SC": {"Type": "AWS::Glue::SecurityConfiguration", "Properties": {
                "Name": "secure", "EncryptionConfiguration": encryption}}
        }})
    }

    #[test]
    fn gl1_wants_sse_kms_cloudwatch_encryption() {
        let good = json!({"CloudWatchEncryption": {"CloudWatchEncryptionMode": "SSE-KMS"}});
        let t = template(json!("secure"), good);
        assert!(findings_in("GL1", &t, "J").is_empty());
        assert!(findings_in("GL1", &t, "Cr").is_empty());
        let off = json!({"CloudWatchEncryption": {"CloudWatchEncryptionMode": "DISABLED"}});
        let t = template(json!({"Ref": "SC"}), off);
        assert_eq!(findings_in("GL1", &t, "J"), [""]);
        assert_eq!(findings_in("GL1", &t, "Cr"), [""]);
        let unknown =
            json!({"CloudWatchEncryption": {"CloudWatchEncryptionMode": {"Ref": "Mode"}}});
        let t = template(json!("unknown-name"), unknown);
        assert_eq!(findings_in("GL1", &t, "J"), [""]);
        assert_eq!(findings_in("GL1", &t, "Cr"), ["CdkNagValidationFailure"]);
    }

    #[test]
    fn gl3_wants_cse_kms_job_bookmarks() {
        let good = json!({"JobBookmarksEncryption": {"JobBookmarksEncryptionMode": "CSE-KMS"}});
        assert!(findings_in("GL3", &template(json!({"Ref": "SC"}), good), "J").is_empty());
        let t = template(json!({"Ref": "SC"}), json!({}));
        assert_eq!(findings_in("GL3", &t, "J"), [""]);
        let t = template(
            json!("secure"),
            json!({"JobBookmarksEncryption": {"JobBookmarksEncryptionMode": {"Ref": "Mode"}}}),
        );
        assert_eq!(findings_in("GL3", &t, "J"), ["CdkNagValidationFailure"]);
        let no_reference = json!({"Resources": {"J": {"Type": "AWS::Glue::Job", "Properties": {"Role": "r", "Command": {}}}}});
        assert_eq!(findings_in("GL3", &no_reference, "J"), [""]);
    }
}
