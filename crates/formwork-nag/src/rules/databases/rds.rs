//! RDS: DB instances, Aurora DB clusters and DB security groups.

use serde_json::Value;

use crate::js::{defined, resolved_flag, resolved_number, resolved_string, text, type_error};
use crate::resource::{Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::{compliant_if, findings};

const DB_CLUSTER: &str = "AWS::RDS::DBCluster";
const DB_INSTANCE: &str = "AWS::RDS::DBInstance";

/// A required engine name, resolved and in lower case (cdk-nag's
/// `resolveIfPrimitive(node, node.engine).toLowerCase()`, which throws
/// when there is none).
fn resolved_engine(r: &Resource<'_>) -> Result<String, Unresolved> {
    resolved_string(r.prop("Engine"))?
        .map(|e| e.to_lowercase())
        .ok_or_else(|| type_error(None))
}

/// Whether an optional resolved engine is an Aurora one.
fn is_aurora(engine: Option<&str>) -> bool {
    engine.is_some_and(|e| e.to_lowercase().contains("aurora"))
}

pub(crate) const RDS2: Rule = Rule {
    id: "RDS2",
    level: Level::Error,
    info: "The RDS instance or Aurora DB cluster does not have storage encryption enabled.",
    explanation: "Storage encryption helps protect data-at-rest by encrypting the underlying storage, automated backups, read replicas, and snapshots for the database.",
    check: rds_storage_encrypted,
};

/// Clusters: `StorageEncrypted` set and not false. Instances: encrypted,
/// unless the (unresolved) engine is an Aurora one, whose storage the
/// cluster encrypts.
fn rds_storage_encrypted(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        DB_CLUSTER => enabled_and_not_false(r.prop("StorageEncrypted")),
        DB_INSTANCE => {
            let encrypted = resolved_flag(r.prop("StorageEncrypted"))?.unwrap_or(false);
            let aurora = text(r.prop("Engine")).is_some_and(|e| e.lower_contains("aurora"));
            Ok(compliant_if(encrypted || aurora))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

/// cdk-nag's cluster checks: non-compliant when the flag is absent or
/// false; an intrinsic cannot be judged.
fn enabled_and_not_false(flag: Option<&Value>) -> RuleResult {
    if defined(flag).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(resolved_flag(flag)? != Some(false)))
}

pub(crate) const RDS3: Rule = Rule {
    id: "RDS3",
    level: Level::Error,
    info: "The non-Aurora RDS DB instance does not have multi-AZ support enabled.",
    explanation: "Use multi-AZ deployment configurations for high availability and automatic failover support fully managed by AWS.",
    check: rds_multi_az_support,
};

/// Non-Aurora DB instances have `MultiAZ` on.
fn rds_multi_az_support(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_INSTANCE {
        return Ok(Outcome::NotApplicable);
    }
    let multi_az = resolved_flag(r.prop("MultiAZ"))?.unwrap_or(false);
    let engine = resolved_string(r.prop("Engine"))?;
    Ok(compliant_if(multi_az || is_aurora(engine.as_deref())))
}

pub(crate) const RDS6: Rule = Rule {
    id: "RDS6",
    level: Level::Error,
    info: "The RDS Aurora MySQL/PostgresSQL cluster does not have IAM Database Authentication enabled.",
    explanation: "With IAM Database Authentication enabled, the system doesn't have to use a password when connecting to the MySQL/PostgreSQL database instances, instead it uses an authentication token.",
    check: aurora_mysql_postgres_iam_auth,
};

/// Aurora clusters have `EnableIAMDatabaseAuthentication` set and not
/// false; clusters without an engine are not checked, and other engines
/// pass (an intrinsic engine is a token, which names no engine).
fn aurora_mysql_postgres_iam_auth(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    match text(r.prop("Engine")) {
        None => Ok(Outcome::NotApplicable),
        Some(engine) if engine.is_empty() => Ok(Outcome::NotApplicable),
        Some(engine) if engine.lower_contains("aurora") => {
            enabled_and_not_false(r.prop("EnableIAMDatabaseAuthentication"))
        }
        Some(_) => Ok(Outcome::Compliant),
    }
}

pub(crate) const RDS8: Rule = Rule {
    id: "RDS8",
    level: Level::Error,
    info: "The RDS DB Security Group allows for 0.0.0.0/0 inbound access.",
    explanation: "RDS DB security groups should not allow access from 0.0.0.0/0 (i.e. anywhere, every machine that has the ability to establish a connection) in order to reduce the risk of unauthorized access.",
    check: rds_restricted_inbound,
};

/// No ingress of a DB security group (inline, or a
/// `DBSecurityGroupIngress`) has a `CIDRIP` containing `/0`; cdk-nag stops
/// at the first such rule, and fails on an intrinsic `CIDRIP` met before.
fn rds_restricted_inbound(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        "AWS::RDS::DBSecurityGroup" => match defined(r.prop("DBSecurityGroupIngress")) {
            None => Ok(Outcome::Compliant),
            Some(Value::Array(rules)) => {
                for rule in rules {
                    if open_to_world(rule.get("CIDRIP"))? {
                        return Ok(Outcome::NonCompliant);
                    }
                }
                Ok(Outcome::Compliant)
            }
            // `for ... of` over an intrinsic function's object.
            Some(other) => Err(Unresolved::new(other)),
        },
        "AWS::RDS::DBSecurityGroupIngress" => Ok(compliant_if(!open_to_world(r.prop("CIDRIP"))?)),
        _ => Ok(Outcome::NotApplicable),
    }
}

/// Whether a resolved CIDR contains `/0`.
fn open_to_world(cidr: Option<&Value>) -> Result<bool, Unresolved> {
    Ok(resolved_string(cidr)?.is_some_and(|c| c.contains("/0")))
}

pub(crate) const RDS10: Rule = Rule {
    id: "RDS10",
    level: Level::Error,
    info: "The RDS instance or Aurora DB cluster does not have deletion protection enabled.",
    explanation: "Enabling Deletion Protection at the cluster level for Amazon Aurora databases or instance level for non Aurora instances helps protect from accidental deletion.",
    check: rds_instance_deletion_protection_enabled,
};

/// Clusters: `DeletionProtection` set and not false. Instances: on, unless
/// the engine is an Aurora one (the cluster protects them).
fn rds_instance_deletion_protection_enabled(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        DB_CLUSTER => enabled_and_not_false(r.prop("DeletionProtection")),
        DB_INSTANCE => {
            let protection = resolved_flag(r.prop("DeletionProtection"))?.unwrap_or(false);
            let engine = resolved_string(r.prop("Engine"))?;
            Ok(compliant_if(protection || is_aurora(engine.as_deref())))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const RDS11: Rule = Rule {
    id: "RDS11",
    level: Level::Error,
    info: "The RDS instance or Aurora DB cluster uses the default endpoint port.",
    explanation: "Port obfuscation (using a non default endpoint port) adds an additional layer of defense against non-targeted attacks (i.e. MySQL/Aurora port 3306, SQL Server port 1433, PostgreSQL port 5432, etc).",
    check: rds_non_default_port,
};

/// The port is set and is not the engine's default. Clusters: no port is
/// a finding; a provisioned (or modeless) Aurora cluster on 3306 is one;
/// otherwise Aurora MySQL on 3306 and Aurora PostgreSQL on 5432 are (as
/// cdk-nag, a provisioned Aurora PostgreSQL cluster on 5432 passes).
/// Instances: no engine is a finding; no port is one unless the engine is
/// Aurora; MySQL/MariaDB 3306, PostgreSQL 5432, Oracle 1521 and SQL Server
/// 1433 are.
fn rds_non_default_port(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        DB_CLUSTER => {
            if defined(r.prop("Port")).is_none() {
                return Ok(Outcome::NonCompliant);
            }
            let port = resolved_number(r.prop("Port"))?;
            let engine = resolved_engine(r)?;
            let mode = resolved_string(r.prop("EngineMode"))?;
            let default = if mode.is_none_or(|m| m.to_lowercase() == "provisioned") {
                engine.contains("aurora") && port == Some(3306.0)
            } else {
                (matches!(engine.as_str(), "aurora" | "aurora-mysql") && port == Some(3306.0))
                    || (engine == "aurora-postgresql" && port == Some(5432.0))
            };
            Ok(compliant_if(!default))
        }
        DB_INSTANCE => {
            if defined(r.prop("Engine")).is_none() {
                return Ok(Outcome::NonCompliant);
            }
            let port = resolved_number(r.prop("Port"))?;
            let engine = resolved_engine(r)?;
            let default = match port {
                None => !engine.contains("aurora"),
                Some(port) => {
                    (matches!(engine.as_str(), "mariadb" | "mysql") && port == 3306.0)
                        || (engine == "postgres" && port == 5432.0)
                        || (engine.contains("oracle") && port == 1521.0)
                        || (engine.contains("sqlserver") && port == 1433.0)
                }
            };
            Ok(compliant_if(!default))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const RDS13: Rule = Rule {
    id: "RDS13",
    level: Level::Error,
    info: "The RDS instance is not configured for automated backups.",
    explanation: "Automated backups allow for point-in-time recovery.",
    check: rds_instance_backup_enabled,
};

/// DB instances do not set `BackupRetentionPeriod` to 0 (or less).
fn rds_instance_backup_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_INSTANCE {
        return Ok(Outcome::NotApplicable);
    }
    let retention = resolved_number(r.prop("BackupRetentionPeriod"))?;
    Ok(compliant_if(!retention.is_some_and(|days| days <= 0.0)))
}

pub(crate) const RDS14: Rule = Rule {
    id: "RDS14",
    level: Level::Error,
    info: "The RDS Aurora MySQL cluster does not have Backtrack enabled.",
    explanation:
        "Backtrack helps order to rewind cluster tables to a specific time, without using backups.",
    check: aurora_mysql_backtrack,
};

/// Aurora MySQL clusters (`aurora`, `aurora-mysql`) have a non-zero
/// `BacktrackWindow`. cdk-nag resolves the engine and the window of every
/// cluster first, so a cluster without an engine, or with an intrinsic
/// engine or window, cannot be judged whatever its engine.
fn aurora_mysql_backtrack(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let engine = resolved_engine(r)?;
    let window = resolved_number(r.prop("BacktrackWindow"))?;
    let mysql = matches!(engine.as_str(), "aurora" | "aurora-mysql");
    Ok(compliant_if(!mysql || window.is_some_and(|w| w != 0.0)))
}

pub(crate) const RDS16: Rule = Rule {
    id: "RDS16",
    level: Level::Error,
    info: "The RDS Aurora MySQL serverless cluster does not have audit, error, general, and slowquery Log Exports enabled.",
    explanation: "This allows operators to use CloudWatch to view logs to help diagnose problems in the database.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'LogExport::<log>' for exported logs. Example: appliesTo: ['LogExport::audit'].",
    check: aurora_mysql_logging,
};

/// Serverless Aurora MySQL clusters export the `audit`, `error`, `general`
/// and `slowquery` logs: `LogExport::<log>` for each missing one.
fn aurora_mysql_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let engine = resolved_engine(r)?;
    let mode = resolved_string(r.prop("EngineMode"))?;
    let serverless = mode.is_some_and(|m| m.to_lowercase() == "serverless");
    if !serverless || !matches!(engine.as_str(), "aurora" | "aurora-mysql") {
        return Ok(Outcome::Compliant);
    }
    // `Stack.resolve(...)`: literal items stay strings, intrinsic items become objects.
    let exported: &[Value] = match defined(r.prop("EnableCloudwatchLogsExports")) {
        None => &[],
        Some(Value::Array(items)) => items,
        // `.includes` of an intrinsic function's object.
        Some(other) => return Err(Unresolved::new(other)),
    };
    let missing = ["audit", "error", "general", "slowquery"]
        .into_iter()
        .filter(|log| !exported.iter().any(|e| e.as_str() == Some(log)))
        .map(|log| format!("LogExport::{log}"))
        .collect();
    Ok(findings(missing))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    const NONE: [&str; 0] = [];

    fn cluster(props: Value) -> Value {
        json!({"Type": "AWS::RDS::DBCluster", "Properties": props})
    }

    fn instance(props: Value) -> Value {
        json!({"Type": "AWS::RDS::DBInstance", "Properties": props})
    }

    #[test]
    fn rds2_clusters_and_non_aurora_instances_are_encrypted() {
        assert_eq!(
            findings_of("RDS2", &cluster(json!({"Engine": "aurora-mysql"}))),
            [""]
        );
        assert_eq!(
            findings_of("RDS2", &cluster(json!({"StorageEncrypted": "false"}))),
            [""]
        );
        assert_eq!(
            findings_of("RDS2", &cluster(json!({"StorageEncrypted": true}))),
            NONE
        );
        assert_eq!(
            findings_of("RDS2", &cluster(json!({"StorageEncrypted": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of("RDS2", &instance(json!({"Engine": "mysql"}))),
            [""]
        );
        assert_eq!(findings_of("RDS2", &instance(json!({}))), [""]);
        assert_eq!(
            findings_of("RDS2", &instance(json!({"Engine": "aurora-postgresql"}))),
            NONE
        );
        // An intrinsic engine is a token string, which names no engine...
        assert_eq!(
            findings_of("RDS2", &instance(json!({"Engine": {"Ref": "E"}}))),
            [""]
        );
        // ... but names what it refers to, which may look like one.
        let aurora = instance(json!({"Engine": {"Ref": "AuroraEngine"}}));
        assert_eq!(findings_of("RDS2", &aurora), NONE);
        assert_eq!(
            findings_of(
                "RDS2",
                &instance(json!({"Engine": "mysql", "StorageEncrypted": true}))
            ),
            NONE
        );
    }

    #[test]
    fn rds3_non_aurora_instances_are_multi_az() {
        assert_eq!(
            findings_of("RDS3", &instance(json!({"Engine": "postgres"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS3",
                &instance(json!({"Engine": "postgres", "MultiAZ": "true"}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("RDS3", &instance(json!({"Engine": "Aurora"}))),
            NONE
        );
        assert_eq!(
            findings_of("RDS3", &instance(json!({"Engine": {"Ref": "E"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds6_aurora_clusters_use_iam_authentication() {
        assert_eq!(
            findings_of("RDS6", &cluster(json!({"Engine": "aurora-postgresql"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS6",
                &cluster(
                    json!({"Engine": "aurora-mysql", "EnableIAMDatabaseAuthentication": false})
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS6",
                &cluster(
                    json!({"Engine": "aurora-mysql", "EnableIAMDatabaseAuthentication": true})
                )
            ),
            NONE
        );
        assert_eq!(
            findings_of("RDS6", &cluster(json!({"Engine": "mysql"}))),
            NONE
        );
        assert_eq!(
            findings_of("RDS6", &cluster(json!({"Engine": {"Ref": "E"}}))),
            NONE
        );
        let aurora = cluster(json!({"Engine": {"Fn::GetAtt": ["AuroraSettings", "Engine"]}}));
        assert_eq!(findings_of("RDS6", &aurora), [""]);
        assert_eq!(
            findings_of(
                "RDS6",
                &cluster(
                    json!({"Engine": "aurora", "EnableIAMDatabaseAuthentication": {"Ref": "P"}})
                )
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    #[should_panic(expected = "does not apply")]
    fn rds6_does_not_check_clusters_without_an_engine() {
        findings_of("RDS6", &cluster(json!({})));
    }

    #[test]
    fn rds8_security_groups_are_not_open_to_the_world() {
        let group = |ingress: Value| {
            json!({"Type": "AWS::RDS::DBSecurityGroup", "Properties": {
                "GroupDescription": "g", "DBSecurityGroupIngress": ingress}})
        };
        assert_eq!(
            findings_of(
                "RDS8",
                &group(json!([{"CIDRIP": "10.0.0.0/16"}, {"CIDRIP": "0.0.0.0/0"}]))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS8",
                &group(json!([{"CIDRIP": "10.0.0.0/16"}, {"EC2SecurityGroupId": "sg-1"}]))
            ),
            NONE
        );
        // cdk-nag returns at the first open rule, before a later intrinsic.
        assert_eq!(
            findings_of(
                "RDS8",
                &group(json!([{"CIDRIP": "0.0.0.0/0"}, {"CIDRIP": {"Ref": "C"}}]))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS8",
                &group(json!([{"CIDRIP": {"Ref": "C"}}, {"CIDRIP": "0.0.0.0/0"}]))
            ),
            ["CdkNagValidationFailure"]
        );
        let ingress = |cidr: Value| {
            json!({"Type": "AWS::RDS::DBSecurityGroupIngress", "Properties": {
                "DBSecurityGroupName": "g", "CIDRIP": cidr}})
        };
        assert_eq!(findings_of("RDS8", &ingress(json!("::/0"))), [""]);
        assert_eq!(findings_of("RDS8", &ingress(json!("192.168.0.0/24"))), NONE);
    }

    #[test]
    fn rds10_deletion_protection() {
        assert_eq!(
            findings_of("RDS10", &cluster(json!({"Engine": "aurora"}))),
            [""]
        );
        assert_eq!(
            findings_of("RDS10", &cluster(json!({"DeletionProtection": true}))),
            NONE
        );
        assert_eq!(
            findings_of("RDS10", &instance(json!({"Engine": "mysql"}))),
            [""]
        );
        assert_eq!(
            findings_of("RDS10", &instance(json!({"Engine": "aurora-mysql"}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "RDS10",
                &instance(json!({"DeletionProtection": {"Ref": "P"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds11_clusters_use_non_default_ports() {
        let c = |props: Value| findings_of("RDS11", &cluster(props));
        assert_eq!(c(json!({"Engine": "aurora-mysql"})), [""]);
        assert_eq!(c(json!({"Engine": "aurora-mysql", "Port": 3306})), [""]);
        assert_eq!(c(json!({"Engine": "aurora-mysql", "Port": "3307"})), NONE);
        assert_eq!(
            c(json!({"Engine": "aurora-mysql", "EngineMode": "serverless", "Port": 3306})),
            [""]
        );
        assert_eq!(
            c(json!({"Engine": "aurora-postgresql", "EngineMode": "serverless", "Port": 5432})),
            [""]
        );
        // cdk-nag's provisioned branch only looks for 3306.
        assert_eq!(
            c(json!({"Engine": "aurora-postgresql", "Port": 5432})),
            NONE
        );
        assert_eq!(c(json!({"Port": 3306})), ["CdkNagValidationFailure"]);
        assert_eq!(
            c(json!({"Engine": "aurora", "Port": {"Ref": "P"}})),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds11_instances_use_non_default_ports() {
        let i = |props: Value| findings_of("RDS11", &instance(props));
        assert_eq!(i(json!({})), [""]);
        assert_eq!(i(json!({"Engine": "mysql"})), [""]);
        assert_eq!(i(json!({"Engine": "aurora-mysql"})), NONE);
        assert_eq!(i(json!({"Engine": "MariaDB", "Port": "3306"})), [""]);
        assert_eq!(i(json!({"Engine": "postgres", "Port": 5432})), [""]);
        assert_eq!(i(json!({"Engine": "oracle-ee", "Port": 1521})), [""]);
        assert_eq!(i(json!({"Engine": "sqlserver-se", "Port": 1433})), [""]);
        assert_eq!(i(json!({"Engine": "sqlserver-se", "Port": 1533})), NONE);
        assert_eq!(
            i(json!({"Engine": {"Ref": "E"}})),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds13_instances_keep_backups() {
        assert_eq!(
            findings_of("RDS13", &instance(json!({"BackupRetentionPeriod": 0}))),
            [""]
        );
        assert_eq!(
            findings_of("RDS13", &instance(json!({"BackupRetentionPeriod": "7"}))),
            NONE
        );
        assert_eq!(findings_of("RDS13", &instance(json!({}))), NONE);
        assert_eq!(
            findings_of(
                "RDS13",
                &instance(json!({"BackupRetentionPeriod": {"Ref": "D"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds14_aurora_mysql_clusters_backtrack() {
        assert_eq!(
            findings_of("RDS14", &cluster(json!({"Engine": "aurora-mysql"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS14",
                &cluster(json!({"Engine": "aurora", "BacktrackWindow": 0}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "RDS14",
                &cluster(json!({"Engine": "aurora-mysql", "BacktrackWindow": 3600}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("RDS14", &cluster(json!({"Engine": "aurora-postgresql"}))),
            NONE
        );
        assert_eq!(
            findings_of("RDS14", &cluster(json!({}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of(
                "RDS14",
                &cluster(json!({"Engine": "postgres", "BacktrackWindow": {"Ref": "W"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rds16_serverless_aurora_mysql_exports_its_logs() {
        let serverless = |exports: Value| {
            cluster(json!({"Engine": "aurora-mysql", "EngineMode": "serverless",
                "EnableCloudwatchLogsExports": exports}))
        };
        assert_eq!(
            findings_of("RDS16", &serverless(json!(["error", {"Ref": "L"}]))),
            [
                "LogExport::audit",
                "LogExport::general",
                "LogExport::slowquery"
            ]
        );
        assert_eq!(
            findings_of(
                "RDS16",
                &serverless(json!(["audit", "error", "general", "slowquery"]))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "RDS16",
                &serverless(json!({"Fn::If": ["C", ["audit"], []]}))
            ),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of(
                "RDS16",
                &cluster(json!({"Engine": "aurora", "EngineMode": "Serverless"}))
            )
            .len(),
            4
        );
        assert_eq!(
            findings_of("RDS16", &cluster(json!({"Engine": "aurora-mysql"}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "RDS16",
                &cluster(json!({"Engine": "aurora-mysql", "EngineMode": {"Ref": "M"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }
}
