//! DocumentDB clusters.

use crate::js::{
    defined, resolved_flag, resolved_number, resolved_string, text_list, type_error, TextList,
};
use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::{compliant_if, findings};

const DB_CLUSTER: &str = "AWS::DocDB::DBCluster";

pub(crate) const DOC1: Rule = Rule {
    id: "DOC1",
    level: Level::Error,
    info: "The Document DB cluster does not have encryption at rest enabled.",
    explanation: "Encrypting data-at-rest protects data confidentiality and prevents unauthorized users from accessing sensitive information.",
    check: documentdb_cluster_encryption_at_rest,
};

/// Clusters have `StorageEncrypted` on.
fn documentdb_cluster_encryption_at_rest(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    if defined(r.prop("StorageEncrypted")).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(
        resolved_flag(r.prop("StorageEncrypted"))?.unwrap_or(false),
    ))
}

pub(crate) const DOC2: Rule = Rule {
    id: "DOC2",
    level: Level::Error,
    info: "The Document DB cluster uses the default endpoint port.",
    explanation: "Port obfuscation (using a non default endpoint port) adds an additional layer of defense against non-targeted attacks (i.e. MongoDB port 27017).",
    check: documentdb_cluster_non_default_port,
};

/// Clusters set a `Port` other than 27017.
fn documentdb_cluster_non_default_port(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let port = resolved_number(r.prop("Port"))?;
    Ok(compliant_if(port.is_some_and(|p| p != 27017.0)))
}

pub(crate) const DOC3: Rule = Rule {
    id: "DOC3",
    level: Level::Error,
    info: "The Document DB cluster does not have the username and password stored in Secrets Manager.",
    explanation: "Secrets Manager enables operators to replace hardcoded credentials in your code, including passwords, with an API call to Secrets Manager to retrieve the secret programmatically. This helps ensure the secret can't be compromised by someone examining system code, because the secret no longer exists in the code. Also, operators can configure Secrets Manager to automatically rotate the secret for you according to a specified schedule. This enables you to replace long-term secrets with short-term ones, significantly reducing the risk of compromise.",
    check: documentdb_credentials_in_secrets_manager,
};

/// `MasterUsername` and `MasterUserPassword` are Secrets Manager dynamic
/// references (`{{resolve:secretsmanager...`). cdk-nag needs both as
/// literal strings: an intrinsic function (such as the `Fn::Join` the CDK
/// writes around a secret's ARN) or a missing value it cannot judge,
/// except that a plain user name is a finding before the password is read.
fn documentdb_credentials_in_secrets_manager(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    const SECRET: &str = "{{resolve:secretsmanager";
    let user = resolved_string(r.prop("MasterUsername"))?;
    let password = resolved_string(r.prop("MasterUserPassword"))?;
    if !user.ok_or_else(|| type_error(None))?.contains(SECRET) {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(
        password.ok_or_else(|| type_error(None))?.contains(SECRET),
    ))
}

pub(crate) const DOC4: Rule = Rule {
    id: "DOC4",
    level: Level::Error,
    info: "The Document DB cluster does not have a reasonable minimum backup retention period configured.",
    explanation: "The retention period represents the number of days to retain automated snapshots. A minimum retention period of 7 days is recommended but can be adjust to meet system requirements.",
    check: documentdb_cluster_backup_retention_period,
};

/// Clusters keep backups at least 7 days (`BackupRetentionPeriod`).
fn documentdb_cluster_backup_retention_period(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let days = resolved_number(r.prop("BackupRetentionPeriod"))?;
    // `days == undefined || days < 7`: `NaN` passes, as in JavaScript.
    Ok(compliant_if(days.is_some_and(|d| d >= 7.0 || d.is_nan())))
}

pub(crate) const DOC5: Rule = Rule {
    id: "DOC5",
    level: Level::Error,
    info: "The Document DB cluster does not have authenticate, createIndex, and dropCollection Log Exports enabled.",
    explanation: "This allows operators to use CloudWatch to view logs to help diagnose problems in the database. The events recorded by the AWS DocumentDB audit logs include successful and failed authentication attempts, creating indexes or dropping a collection in a database within the DocumentDB cluster.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'LogExport::<log>' for exported logs. Example: appliesTo: ['LogExport::authenticate'].",
    check: documentdb_cluster_log_exports,
};

/// Clusters export the `authenticate`, `createIndex` and `dropCollection`
/// logs: `LogExport::<log>` for each missing one. cdk-nag reads the list
/// unresolved: an intrinsic function in it exports nothing, and one in
/// place of it is a token list or string (all three findings) or an
/// object, whose `includes` throws.
fn documentdb_cluster_log_exports(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let exported =
        text_list(r.prop("EnableCloudwatchLogsExports")).unwrap_or(TextList::Items(Vec::new()));
    let mut missing = Vec::new();
    for log in ["authenticate", "createIndex", "dropCollection"] {
        match exported.includes(log) {
            Some(true) => {}
            Some(false) => missing.push(format!("LogExport::{log}")),
            None => return Err(type_error(None)),
        }
    }
    Ok(findings(missing))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    const NONE: [&str; 0] = [];

    fn cluster(props: Value) -> Value {
        json!({"Type": "AWS::DocDB::DBCluster", "Properties": props})
    }

    #[test]
    fn doc1_clusters_are_encrypted() {
        assert_eq!(findings_of("DOC1", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("DOC1", &cluster(json!({"StorageEncrypted": "false"}))),
            [""]
        );
        assert_eq!(
            findings_of("DOC1", &cluster(json!({"StorageEncrypted": true}))),
            NONE
        );
        assert_eq!(
            findings_of("DOC1", &cluster(json!({"StorageEncrypted": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn doc2_clusters_use_non_default_ports() {
        assert_eq!(findings_of("DOC2", &cluster(json!({}))), [""]);
        assert_eq!(findings_of("DOC2", &cluster(json!({"Port": 27017}))), [""]);
        assert_eq!(findings_of("DOC2", &cluster(json!({"Port": 27018}))), NONE);
        assert_eq!(
            findings_of("DOC2", &cluster(json!({"Port": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn doc3_credentials_come_from_secrets_manager() {
        let secret = "{{resolve:secretsmanager:db:SecretString:password}}";
        assert_eq!(
            findings_of(
                "DOC3",
                &cluster(json!({"MasterUsername": secret, "MasterUserPassword": secret}))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "DOC3",
                &cluster(json!({"MasterUsername": "admin", "MasterUserPassword": secret}))
            ),
            [""]
        );
        // A plain user name is a finding before the (missing) password is read.
        assert_eq!(
            findings_of("DOC3", &cluster(json!({"MasterUsername": "admin"}))),
            [""]
        );
        assert_eq!(
            findings_of("DOC3", &cluster(json!({"MasterUsername": secret}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of("DOC3", &cluster(json!({}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of(
                "DOC3",
                &cluster(
                    json!({"MasterUsername": "admin", "MasterUserPassword": {"Fn::Join": ["", ["{{resolve:secretsmanager:", {"Ref": "S"}, ":SecretString:password::}}"]]}})
                )
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn doc4_clusters_keep_a_week_of_backups() {
        assert_eq!(findings_of("DOC4", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("DOC4", &cluster(json!({"BackupRetentionPeriod": 1}))),
            [""]
        );
        assert_eq!(
            findings_of("DOC4", &cluster(json!({"BackupRetentionPeriod": 35}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "DOC4",
                &cluster(json!({"BackupRetentionPeriod": {"Ref": "D"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn doc5_clusters_export_audit_logs() {
        assert_eq!(
            findings_of("DOC5", &cluster(json!({}))),
            [
                "LogExport::authenticate",
                "LogExport::createIndex",
                "LogExport::dropCollection"
            ]
        );
        assert_eq!(
            findings_of(
                "DOC5",
                &cluster(json!({"EnableCloudwatchLogsExports": ["authenticate", {"Ref": "L"}]}))
            ),
            ["LogExport::createIndex", "LogExport::dropCollection"]
        );
        assert_eq!(
            findings_of(
                "DOC5",
                &cluster(
                    json!({"EnableCloudwatchLogsExports": ["authenticate", "createIndex", "dropCollection"]})
                )
            ),
            NONE
        );
        // In place of the list, a token list exports nothing; an object cannot be searched.
        let split = json!({"EnableCloudwatchLogsExports": {"Fn::Split": [",", {"Ref": "Logs"}]}});
        assert_eq!(findings_of("DOC5", &cluster(split)).len(), 3);
        assert_eq!(
            findings_of(
                "DOC5",
                &cluster(json!({"EnableCloudwatchLogsExports": {"Ref": "Logs"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }
}
