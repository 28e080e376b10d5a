//! Neptune DB clusters and instances.

use serde_json::Value;

use crate::js::{defined, resolved_flag, resolved_number, text_list};
use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

const DB_CLUSTER: &str = "AWS::Neptune::DBCluster";

/// A flag that must be on: non-compliant when absent or false; an
/// intrinsic function cannot be judged.
fn flag_on(flag: Option<&Value>) -> RuleResult {
    if defined(flag).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(resolved_flag(flag)?.unwrap_or(false)))
}

pub(crate) const N1: Rule = Rule {
    id: "N1",
    level: Level::Error,
    info: "The Neptune DB cluster is not deployed in a Multi-AZ configuration.",
    explanation:
        "The cluster should use a Multi-AZ deployment configuration for high availability.",
    check: neptune_cluster_multi_az,
};

/// Clusters name a `DBSubnetGroupName`, and list at least two
/// `AvailabilityZones` if they list any. cdk-nag counts the list
/// unresolved: `Fn::GetAZs` (a list of one token to the CDK) is a finding,
/// a `Ref` (an object without length) is not.
fn neptune_cluster_multi_az(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    if defined(r.prop("DBSubnetGroupName")).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    let zones = text_list(r.prop("AvailabilityZones"));
    Ok(compliant_if(!zones.is_some_and(|z| z.shorter_than(2))))
}

pub(crate) const N2: Rule = Rule {
    id: "N2",
    level: Level::Error,
    info: "The Neptune DB instance does not have Auto Minor Version Upgrade enabled.",
    explanation: "The Neptune service regularly releases engine updates. Enabling Auto Minor Version Upgrade will allow the service to automatically apply these upgrades to DB Instances.",
    check: neptune_cluster_automatic_minor_version_upgrade,
};

/// DB instances have `AutoMinorVersionUpgrade` on.
fn neptune_cluster_automatic_minor_version_upgrade(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Neptune::DBInstance" {
        return Ok(Outcome::NotApplicable);
    }
    flag_on(r.prop("AutoMinorVersionUpgrade"))
}

pub(crate) const N3: Rule = Rule {
    id: "N3",
    level: Level::Error,
    info: "The Neptune DB cluster does not have a reasonable minimum backup retention period configured.",
    explanation: "The retention period represents the number of days to retain automated snapshots. A minimum retention period of 7 days is recommended but can be adjust to meet system requirements.",
    check: neptune_cluster_backup_retention_period,
};

/// Clusters keep backups at least 7 days (`BackupRetentionPeriod`).
fn neptune_cluster_backup_retention_period(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let days = resolved_number(r.prop("BackupRetentionPeriod"))?;
    // `days == undefined || days < 7`: `NaN` passes, as in JavaScript.
    Ok(compliant_if(days.is_some_and(|d| d >= 7.0 || d.is_nan())))
}

pub(crate) const N4: Rule = Rule {
    id: "N4",
    level: Level::Error,
    info: "The Neptune DB cluster does not have encryption at rest enabled.",
    explanation: "Encrypting data-at-rest protects data confidentiality and prevents unauthorized users from accessing sensitive information.",
    check: neptune_cluster_encryption_at_rest,
};

/// Clusters have `StorageEncrypted` on.
fn neptune_cluster_encryption_at_rest(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    flag_on(r.prop("StorageEncrypted"))
}

pub(crate) const N5: Rule = Rule {
    id: "N5",
    level: Level::Error,
    info: "The Neptune DB cluster does not have IAM Database Authentication enabled.",
    explanation: "With IAM Database Authentication enabled, the system doesn't have to use a password when connecting to the cluster.",
    check: neptune_cluster_iam_auth,
};

/// Clusters have `IamAuthEnabled` on.
fn neptune_cluster_iam_auth(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DB_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    flag_on(r.prop("IamAuthEnabled"))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    const NONE: [&str; 0] = [];

    fn cluster(props: Value) -> Value {
        json!({"Type": "AWS::Neptune::DBCluster", "Properties": props})
    }

    #[test]
    fn n1_clusters_span_availability_zones() {
        assert_eq!(findings_of("N1", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("N1", &cluster(json!({"DBSubnetGroupName": "g"}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "N1",
                &cluster(json!({"DBSubnetGroupName": "g", "AvailabilityZones": ["us-east-1a"]}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "N1",
                &cluster(
                    json!({"DBSubnetGroupName": {"Ref": "G"}, "AvailabilityZones": ["us-east-1a", "us-east-1b"]})
                )
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "N1",
                &cluster(
                    json!({"DBSubnetGroupName": "g", "AvailabilityZones": {"Fn::GetAZs": ""}})
                )
            ),
            [""]
        );
        // A `Ref` is an object to cdk-nag, without a length.
        let zones = json!({"DBSubnetGroupName": "g", "AvailabilityZones": {"Ref": "Zones"}});
        assert_eq!(findings_of("N1", &cluster(zones)), NONE);
    }

    #[test]
    fn n2_instances_upgrade_minor_versions() {
        let instance =
            |props: Value| json!({"Type": "AWS::Neptune::DBInstance", "Properties": props});
        assert_eq!(
            findings_of("N2", &instance(json!({"DBInstanceClass": "db.r5.large"}))),
            [""]
        );
        assert_eq!(
            findings_of("N2", &instance(json!({"AutoMinorVersionUpgrade": false}))),
            [""]
        );
        assert_eq!(
            findings_of("N2", &instance(json!({"AutoMinorVersionUpgrade": "true"}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "N2",
                &instance(json!({"AutoMinorVersionUpgrade": {"Ref": "P"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn n3_clusters_keep_a_week_of_backups() {
        assert_eq!(findings_of("N3", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("N3", &cluster(json!({"BackupRetentionPeriod": 6}))),
            [""]
        );
        assert_eq!(
            findings_of("N3", &cluster(json!({"BackupRetentionPeriod": "7"}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "N3",
                &cluster(json!({"BackupRetentionPeriod": {"Ref": "D"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn n4_n5_clusters_encrypt_and_use_iam_authentication() {
        assert_eq!(findings_of("N4", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("N4", &cluster(json!({"StorageEncrypted": true}))),
            NONE
        );
        assert_eq!(
            findings_of("N4", &cluster(json!({"StorageEncrypted": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of("N5", &cluster(json!({"IamAuthEnabled": false}))),
            [""]
        );
        assert_eq!(
            findings_of("N5", &cluster(json!({"IamAuthEnabled": true}))),
            NONE
        );
    }
}
