//! Redshift clusters and their parameter groups.

use serde_json::Value;

use crate::js::{
    cfn_string, defined, resolve_resource, resolved_flag, resolved_number, resolved_string, text,
    type_error,
};
use crate::resource::{as_bool, resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

const CLUSTER: &str = "AWS::Redshift::Cluster";
const PARAMETER_GROUP: &str = "AWS::Redshift::ClusterParameterGroup";

/// The parameter groups of the template that the cluster's
/// `ClusterParameterGroupName` names, as cdk-nag matches them: through
/// `resolveResourceFromIntrinsic`, a `Ref`/`Fn::GetAtt` to the group or a
/// literal equal to its logical ID. `None` when the cluster names none.
fn named_parameter_groups<'t>(r: &Resource<'t>) -> Option<Vec<Resource<'t>>> {
    let name = defined(r.prop("ClusterParameterGroupName"))?;
    let named = |id: &str| resolve_resource(Some(name)).and_then(Value::as_str) == Some(id);
    Some(
        r.template
            .resources_of_type(PARAMETER_GROUP)
            .filter(|group| named(group.logical_id))
            .collect(),
    )
}

/// A parameter group's `Parameters`, or `None` without any; an intrinsic
/// function in place of the list cannot be iterated.
fn parameters<'t>(group: &Resource<'t>) -> Result<Option<&'t [Value]>, Unresolved> {
    match defined(group.prop("Parameters")) {
        None => Ok(None),
        Some(Value::Array(list)) => Ok(Some(list)),
        Some(other) => Err(Unresolved::new(other)),
    }
}

pub(crate) const RS1: Rule = Rule {
    id: "RS1",
    level: Level::Error,
    info: "The Redshift cluster does not require TLS/SSL encryption.",
    explanation: "Enabling the \"require_ssl\" parameter secures data-in-transit by encrypting the connection between the clients and the Redshift clusters.",
    check: redshift_require_tls_ssl,
};

/// Clusters use a parameter group of the template that sets `require_ssl`
/// to `true` (both compared case-insensitively).
fn redshift_require_tls_ssl(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(groups) = named_parameter_groups(r) else {
        return Ok(Outcome::NonCompliant);
    };
    for group in groups {
        if requires_ssl(&group)? {
            return Ok(Outcome::Compliant);
        }
    }
    Ok(Outcome::NonCompliant)
}

/// Whether a group sets `require_ssl` to `true`. cdk-nag lower-cases each
/// parameter's name, and the value of a `require_ssl` one, so a missing or
/// non-literal one cannot be judged.
fn requires_ssl(group: &Resource<'_>) -> Result<bool, Unresolved> {
    let lower = |value: Option<&Value>| -> Result<String, Unresolved> {
        match resolved_string(value)? {
            Some(s) => Ok(s.to_lowercase()),
            None => Err(type_error(None)),
        }
    };
    for parameter in parameters(group)?.unwrap_or_default() {
        if lower(parameter.get("ParameterName"))? == "require_ssl"
            && lower(parameter.get("ParameterValue"))? == "true"
        {
            return Ok(true);
        }
    }
    Ok(false)
}

pub(crate) const RS2: Rule = Rule {
    id: "RS2",
    level: Level::Error,
    info: "The Redshift cluster is not provisioned in a VPC.",
    explanation: "Provisioning the cluster within a VPC allows for better flexibility and control over the Redshift clusters security, availability, traffic routing and more.",
    check: redshift_cluster_in_vpc,
};

/// Clusters name a `ClusterSubnetGroupName` (an intrinsic function counts).
fn redshift_cluster_in_vpc(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        text(r.prop("ClusterSubnetGroupName")).is_some_and(|name| !name.is_empty()),
    ))
}

pub(crate) const RS3: Rule = Rule {
    id: "RS3",
    level: Level::Error,
    info: "The Redshift cluster uses the default \"awsuser\" username.",
    explanation: "Using a custom master user name instead of the default master user name (i.e. \"awsuser\") provides an additional layer of defense against non-targeted attacks.",
    check: redshift_cluster_non_default_username,
};

/// Clusters do not use `awsuser` as `MasterUsername`.
fn redshift_cluster_non_default_username(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let user = resolved_string(r.prop("MasterUsername"))?;
    Ok(compliant_if(user.as_deref() != Some("awsuser")))
}

pub(crate) const RS4: Rule = Rule {
    id: "RS4",
    level: Level::Error,
    info: "The Redshift cluster uses the default endpoint port.",
    explanation: "Port obfuscation (using a non default endpoint port) adds an additional layer of defense against non-targeted attacks (i.e. Redshift port 5439).",
    check: redshift_cluster_non_default_port,
};

/// Clusters set a `Port` other than 5439.
fn redshift_cluster_non_default_port(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let port = resolved_number(r.prop("Port"))?;
    Ok(compliant_if(port.is_some_and(|p| p != 5439.0)))
}

pub(crate) const RS5: Rule = Rule {
    id: "RS5",
    level: Level::Error,
    info: "The Redshift cluster does not have audit logging enabled.",
    explanation: "Audit logging helps operators troubleshoot issues and ensure security.",
    check: redshift_cluster_audit_logging,
};

/// Clusters have `LoggingProperties` (whatever they hold).
fn redshift_cluster_audit_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(defined(r.prop("LoggingProperties")).is_some()))
}

pub(crate) const RS6: Rule = Rule {
    id: "RS6",
    level: Level::Error,
    info: "The Redshift cluster does not have encryption at rest enabled.",
    explanation: "Encrypting data-at-rest protects data confidentiality.",
    check: redshift_cluster_encryption_at_rest,
};

/// Clusters have `Encrypted` on.
fn redshift_cluster_encryption_at_rest(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    if defined(r.prop("Encrypted")).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(
        resolved_flag(r.prop("Encrypted"))?.unwrap_or(false),
    ))
}

pub(crate) const RS8: Rule = Rule {
    id: "RS8",
    level: Level::Error,
    info: "The Redshift cluster is publicly accessible.",
    explanation: "Disabling public accessibility helps minimize security risks.",
    check: redshift_cluster_public_access,
};

/// Clusters are not `PubliclyAccessible` (only a literal `true` is a finding).
fn redshift_cluster_public_access(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let public = resolve_primitive(r.prop("PubliclyAccessible"))?;
    Ok(compliant_if(public.and_then(as_bool) != Some(true)))
}

pub(crate) const RS9: Rule = Rule {
    id: "RS9",
    level: Level::Error,
    info: "The Redshift cluster does not have version upgrade enabled.",
    explanation: "Version Upgrade must enabled to enable the cluster to automatically receive upgrades during the maintenance window.",
    check: redshift_cluster_version_upgrade,
};

/// Clusters do not turn `AllowVersionUpgrade` off (only a literal `false`
/// is a finding).
fn redshift_cluster_version_upgrade(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let upgrade = resolve_primitive(r.prop("AllowVersionUpgrade"))?;
    Ok(compliant_if(upgrade.and_then(as_bool) != Some(false)))
}

pub(crate) const RS10: Rule = Rule {
    id: "RS10",
    level: Level::Error,
    info: "The Redshift cluster does not have a retention period for automated snapshots configured.",
    explanation: "The retention period represents the number of days to retain automated snapshots. A positive retention period should be set to configure this feature.",
    check: redshift_backup_enabled,
};

/// Clusters do not set `AutomatedSnapshotRetentionPeriod` to 0.
fn redshift_backup_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let days = resolved_number(r.prop("AutomatedSnapshotRetentionPeriod"))?;
    Ok(compliant_if(days != Some(0.0)))
}

pub(crate) const RS11: Rule = Rule {
    id: "RS11",
    level: Level::Error,
    info: "The Redshift cluster does not have user activity logging enabled.",
    explanation: "User activity logging logs each query before it is performed on the clusters database. To enable this feature associate a Redshift Cluster Parameter Group with the \"enable_user_activity_logging\" parameter set to \"true\".",
    check: redshift_cluster_user_activity_logging,
};

/// Clusters use a parameter group of the template that sets
/// `enable_user_activity_logging` to `true` (exactly). cdk-nag judges the
/// first group the cluster names and stops there.
fn redshift_cluster_user_activity_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(groups) = named_parameter_groups(r) else {
        return Ok(Outcome::NonCompliant);
    };
    let Some(group) = groups.first() else {
        return Ok(Outcome::NonCompliant);
    };
    let Some(list) = parameters(group)? else {
        return Ok(Outcome::NonCompliant);
    };
    // Strict comparisons of the resolved values: intrinsics never match.
    let literal =
        |parameter: &Value, key: &str| cfn_string(parameter.get(key)).map(|s| s.into_owned());
    let logs = list.iter().any(|parameter| {
        literal(parameter, "ParameterName").as_deref() == Some("enable_user_activity_logging")
            && literal(parameter, "ParameterValue").as_deref() == Some("true")
    });
    Ok(compliant_if(logs))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const NONE: [&str; 0] = [];

    fn cluster(props: Value) -> Value {
        json!({"Type": "AWS::Redshift::Cluster", "Properties": props})
    }

    fn with_group(name: Value, parameters: Value) -> Value {
        json!({"Resources": {
            "C": cluster(json!({"ClusterParameterGroupName": name})),
            "G": {"Type": "AWS::Redshift::ClusterParameterGroup", "Properties": {
                "Description": "d", "ParameterGroupFamily": "redshift-1.0", "Parameters": parameters}}
        }})
    }

    #[test]
    fn rs1_clusters_require_ssl() {
        assert_eq!(findings_of("RS1", &cluster(json!({}))), [""]);
        let ssl = json!([{"ParameterName": "Require_SSL", "ParameterValue": "TRUE"}]);
        assert_eq!(
            findings_in("RS1", &with_group(json!({"Ref": "G"}), ssl.clone()), "C"),
            NONE
        );
        // A literal name equal to the group's logical ID is matched too.
        assert_eq!(
            findings_in("RS1", &with_group(json!("G"), ssl.clone()), "C"),
            NONE
        );
        assert_eq!(
            findings_in("RS1", &with_group(json!("my-group"), ssl), "C"),
            [""]
        );
        assert_eq!(
            findings_in(
                "RS1",
                &with_group(
                    json!({"Ref": "G"}),
                    json!([{"ParameterName": "require_ssl", "ParameterValue": "false"}])
                ),
                "C"
            ),
            [""]
        );
        assert_eq!(
            findings_in(
                "RS1",
                &with_group(
                    json!({"Ref": "G"}),
                    json!([{"ParameterName": "require_ssl", "ParameterValue": {"Ref": "V"}}])
                ),
                "C"
            ),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_in(
                "RS1",
                &with_group(json!({"Ref": "G"}), json!([{"ParameterValue": "true"}])),
                "C"
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rs2_to_rs10_cluster_settings() {
        assert_eq!(findings_of("RS2", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "RS2",
                &cluster(json!({"ClusterSubnetGroupName": {"Ref": "S"}}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("RS3", &cluster(json!({"MasterUsername": "awsuser"}))),
            [""]
        );
        assert_eq!(
            findings_of("RS3", &cluster(json!({"MasterUsername": "admin"}))),
            NONE
        );
        assert_eq!(
            findings_of("RS3", &cluster(json!({"MasterUsername": {"Ref": "U"}}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(findings_of("RS4", &cluster(json!({}))), [""]);
        assert_eq!(findings_of("RS4", &cluster(json!({"Port": "5439"}))), [""]);
        assert_eq!(findings_of("RS4", &cluster(json!({"Port": 5440}))), NONE);
        assert_eq!(findings_of("RS5", &cluster(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "RS5",
                &cluster(json!({"LoggingProperties": {"BucketName": "logs"}}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("RS6", &cluster(json!({"Encrypted": false}))),
            [""]
        );
        assert_eq!(
            findings_of("RS6", &cluster(json!({"Encrypted": true}))),
            NONE
        );
        assert_eq!(
            findings_of("RS8", &cluster(json!({"PubliclyAccessible": "true"}))),
            [""]
        );
        assert_eq!(findings_of("RS8", &cluster(json!({}))), NONE);
        assert_eq!(
            findings_of("RS8", &cluster(json!({"PubliclyAccessible": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(
            findings_of("RS9", &cluster(json!({"AllowVersionUpgrade": false}))),
            [""]
        );
        assert_eq!(findings_of("RS9", &cluster(json!({}))), NONE);
        assert_eq!(
            findings_of(
                "RS10",
                &cluster(json!({"AutomatedSnapshotRetentionPeriod": 0}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "RS10",
                &cluster(json!({"AutomatedSnapshotRetentionPeriod": 1}))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "RS10",
                &cluster(json!({"AutomatedSnapshotRetentionPeriod": {"Ref": "D"}}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn rs11_clusters_log_user_activity() {
        assert_eq!(findings_of("RS11", &cluster(json!({}))), [""]);
        let logging =
            json!([{"ParameterName": "enable_user_activity_logging", "ParameterValue": "true"}]);
        assert_eq!(
            findings_in("RS11", &with_group(json!({"Ref": "G"}), logging), "C"),
            NONE
        );
        // Exact comparison, unlike RS1; a boolean value is read as the string "true".
        assert_eq!(
            findings_in(
                "RS11",
                &with_group(
                    json!({"Ref": "G"}),
                    json!([{"ParameterName": "enable_user_activity_logging", "ParameterValue": "TRUE"}])
                ),
                "C"
            ),
            [""]
        );
        assert_eq!(
            findings_in(
                "RS11",
                &with_group(
                    json!("G"),
                    json!([{"ParameterName": "enable_user_activity_logging", "ParameterValue": true}])
                ),
                "C"
            ),
            NONE
        );
        assert_eq!(
            findings_in(
                "RS11",
                &with_group(json!({"Ref": "G"}), json!({"Ref": "Params"})),
                "C"
            ),
            ["CdkNagValidationFailure"]
        );
    }
}
