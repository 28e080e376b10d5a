//! OpenSearch Service and Elasticsearch domains: VPC, encryption, access
//! policies, cluster layout and slow logs.

use serde_json::Value;

use crate::js::{
    loose_eq_str, opt_field, prop, resolved_bool, resolved_flag, resolved_length, truthy,
};
use crate::resource::{Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::{compliant_if, findings};

const ELASTICSEARCH: &str = "AWS::Elasticsearch::Domain";
const OPENSEARCH: &str = "AWS::OpenSearchService::Domain";

fn is_domain(r: &Resource<'_>) -> bool {
    r.type_name == ELASTICSEARCH || r.type_name == OPENSEARCH
}

/// The cluster configuration: `ElasticsearchClusterConfig` of an
/// Elasticsearch domain, `ClusterConfig` of an OpenSearch one; `None` for
/// other resources.
fn cluster_config<'t>(r: &Resource<'t>) -> Option<Option<&'t Value>> {
    match r.type_name {
        ELASTICSEARCH => Some(prop(r, "ElasticsearchClusterConfig")),
        OPENSEARCH => Some(prop(r, "ClusterConfig")),
        _ => None,
    }
}

pub(crate) const OS1: Rule = Rule {
    id: "OS1",
    level: Level::Error,
    info: "The OpenSearch Service domain is not provisioned inside a VPC.",
    explanation: "Provisioning the domain within a VPC enables better flexibility and control over the clusters access and security as this feature keeps all traffic between the VPC and OpenSearch domains within the AWS network instead of going over the public Internet.",
    check: open_search_in_vpc_only,
};

/// The domain has `VPCOptions` with at least one subnet (a reference to a
/// list of subnets counts).
fn open_search_in_vpc_only(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let subnets = opt_field(prop(r, "VPCOptions"), "SubnetIds");
    Ok(compliant_if(
        subnets.is_some_and(|s| resolved_length(s) != Some(0)),
    ))
}

pub(crate) const OS2: Rule = Rule {
    id: "OS2",
    level: Level::Error,
    info: "The OpenSearch Service domain does not have node-to-node encryption enabled.",
    explanation: "Enabling the node-to-node encryption feature adds an extra layer of data protection on top of the existing ES security features such as HTTPS client to cluster encryption and data-at-rest encryption.",
    check: open_search_node_to_node_encryption,
};

/// The domain's `NodeToNodeEncryptionOptions.Enabled` is `true`.
fn open_search_node_to_node_encryption(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let Some(options) = prop(r, "NodeToNodeEncryptionOptions") else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        resolved_bool(opt_field(Some(options), "Enabled"))? == Some(true),
    ))
}

/// The statements of the domain's `AccessPolicies` as cdk-nag iterates
/// them: `None` when there are none (absent policy, no `Statement`, or an
/// empty one), else the items (a string's characters are no statements).
/// A `Statement` that is an object (one statement, or an intrinsic
/// function) or another primitive is not iterable: cdk-nag throws.
///
/// cdk-nag first looks for the policy in the custom resource the CDK's
/// `Domain` L2 writes it through (found by construct path,
/// `<domain>/AccessPolicy/Resource/Default`); a template has no construct
/// paths, and under `CfnInclude` cdk-nag never finds one either, so only
/// the domain's own `AccessPolicies` is read.
fn access_statements<'t>(r: &Resource<'t>) -> Result<Option<Vec<&'t Value>>, Unresolved> {
    let Some(statements) = opt_field(prop(r, "AccessPolicies"), "Statement") else {
        return Ok(None);
    };
    if resolved_length(statements) == Some(0) {
        return Ok(None);
    }
    match statements {
        Value::Array(items) => Ok(Some(items.iter().filter(|v| !v.is_null()).collect())),
        Value::String(_) => Ok(Some(Vec::new())),
        other => Err(Unresolved::new(other)),
    }
}

pub(crate) const OS3: Rule = Rule {
    id: "OS3",
    level: Level::Error,
    info: "The OpenSearch Service domain does not only grant access via allowlisted IP addresses.",
    explanation:
        "Using allowlisted IP addresses helps protect the domain against unauthorized access.",
    check: open_search_allowlisted_ips,
};

/// Every `Allow` statement of the domain's `AccessPolicies` has a
/// non-empty `Condition.IpAddress.aws:sourceIp` (keys matched exactly, as
/// cdk-nag does; a reference counts).
fn open_search_allowlisted_ips(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let Some(statements) = access_statements(r)? else {
        return Ok(Outcome::NonCompliant);
    };
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let condition = opt_field(Some(statement), "Condition");
        let allowed = opt_field(opt_field(condition, "IpAddress"), "aws:sourceIp");
        if allowed.is_none_or(|a| resolved_length(a) == Some(0)) {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const OS4: Rule = Rule {
    id: "OS4",
    level: Level::Error,
    info: "The OpenSearch Service domain does not use dedicated master nodes.",
    explanation: "Using dedicated master nodes helps improve environmental stability by offloading all the management tasks from the data nodes.",
    check: open_search_dedicated_master_node,
};

/// The domain's cluster configuration enables `DedicatedMasterEnabled`.
fn open_search_dedicated_master_node(r: &Resource<'_>) -> RuleResult {
    let Some(config) = cluster_config(r) else {
        return Ok(Outcome::NotApplicable);
    };
    let Some(config) = config else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        resolved_flag(opt_field(Some(config), "DedicatedMasterEnabled"))? == Some(true),
    ))
}

pub(crate) const OS5: Rule = Rule {
    id: "OS5",
    level: Level::Error,
    info: "The OpenSearch Service domain allows for unsigned requests or anonymous access.",
    explanation: "Restricting public access helps prevent unauthorized access and prevents any unsigned requests to be made to the resources.",
    check: open_search_no_unsigned_or_anonymous_access,
};

/// No `Allow` statement of the domain's `AccessPolicies` has a `*`
/// anywhere in its `Principal` (as JSON text).
fn open_search_no_unsigned_or_anonymous_access(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let Some(statements) = access_statements(r)? else {
        return Ok(Outcome::NonCompliant);
    };
    for statement in statements {
        if !loose_eq_str(statement.get("Effect"), "Allow") {
            continue;
        }
        let principal = statement.get("Principal");
        if truthy(principal) && principal.is_some_and(|p| p.to_string().contains('*')) {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const OS7: Rule = Rule {
    id: "OS7",
    level: Level::Error,
    info: "The OpenSearch Service domain does not have Zone Awareness enabled.",
    explanation: "Enabling cross-zone replication (Zone Awareness) increases the availability of the OpenSearch Service domain by allocating the nodes and replicate the data across two AZs in the same region in order to prevent data loss and minimize downtime in the event of node or AZ failure.",
    check: open_search_zone_awareness,
};

/// The domain's cluster configuration enables `ZoneAwarenessEnabled`.
fn open_search_zone_awareness(r: &Resource<'_>) -> RuleResult {
    let Some(config) = cluster_config(r) else {
        return Ok(Outcome::NotApplicable);
    };
    let Some(config) = config else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        resolved_flag(opt_field(Some(config), "ZoneAwarenessEnabled"))? == Some(true),
    ))
}

pub(crate) const OS8: Rule = Rule {
    id: "OS8",
    level: Level::Error,
    info: "The OpenSearch Service domain does not have encryption at rest enabled.",
    explanation: "Encrypting data-at-rest protects data confidentiality and prevents unauthorized users from accessing sensitive information.",
    check: open_search_encrypted_at_rest,
};

/// The domain's `EncryptionAtRestOptions.Enabled` is `true`.
fn open_search_encrypted_at_rest(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let Some(options) = prop(r, "EncryptionAtRestOptions") else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        resolved_bool(opt_field(Some(options), "Enabled"))? == Some(true),
    ))
}

pub(crate) const OS9: Rule = Rule {
    id: "OS9",
    level: Level::Error,
    info: "The OpenSearch Service domain does not minimally publish SEARCH_SLOW_LOGS and INDEX_SLOW_LOGS to CloudWatch Logs.",
    explanation: "These logs enable operators to gain full insight into the performance of these operations.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'LogExport::<log>' for exported logs. Example: appliesTo: ['LogExport::SEARCH_SLOW_LOGS'].",
    check: open_search_slow_logs_to_cloud_watch,
};

/// `LogExport::<log>` for each of `SEARCH_SLOW_LOGS` and `INDEX_SLOW_LOGS`
/// not enabled in the domain's `LogPublishingOptions`.
fn open_search_slow_logs_to_cloud_watch(r: &Resource<'_>) -> RuleResult {
    if !is_domain(r) {
        return Ok(Outcome::NotApplicable);
    }
    let options = prop(r, "LogPublishingOptions");
    let mut found = Vec::new();
    for log in ["SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS"] {
        if resolved_flag(opt_field(opt_field(options, log), "Enabled"))? != Some(true) {
            found.push(format!("LogExport::{log}"));
        }
    }
    Ok(findings(found))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn opensearch(props: Value) -> Value {
        json!({"Type": "AWS::OpenSearchService::Domain", "Properties": props})
    }

    fn elasticsearch(props: Value) -> Value {
        json!({"Type": "AWS::Elasticsearch::Domain", "Properties": props})
    }

    #[test]
    fn os1_wants_subnets() {
        let vpc = opensearch(json!({"VPCOptions": {"SubnetIds": ["subnet-1"]}}));
        assert!(findings_of("OS1", &vpc).is_empty());
        let listed = elasticsearch(json!({"VPCOptions": {"SubnetIds": {"Ref": "Subnets"}}}));
        assert!(findings_of("OS1", &listed).is_empty());
        let empty = opensearch(json!({"VPCOptions": {"SubnetIds": []}}));
        assert_eq!(findings_of("OS1", &empty), [""]);
        assert_eq!(findings_of("OS1", &opensearch(json!({}))), [""]);
    }

    #[test]
    fn os2_and_os8_want_enabled_true() {
        let on = opensearch(json!({"NodeToNodeEncryptionOptions": {"Enabled": "true"},
            "EncryptionAtRestOptions": {"Enabled": true}}));
        assert!(findings_of("OS2", &on).is_empty());
        assert!(findings_of("OS8", &on).is_empty());
        let off = elasticsearch(json!({"NodeToNodeEncryptionOptions": {},
            "EncryptionAtRestOptions": {"Enabled": false}}));
        assert_eq!(findings_of("OS2", &off), [""]);
        assert_eq!(findings_of("OS8", &off), [""]);
        assert_eq!(findings_of("OS2", &opensearch(json!({}))), [""]);
        assert_eq!(findings_of("OS8", &opensearch(json!({}))), [""]);
        let unknown = opensearch(
            json!({"NodeToNodeEncryptionOptions": {"Enabled": {"Ref": "P"}},
            "EncryptionAtRestOptions": {"Enabled": {"Fn::If": ["C", true, false]}}}),
        );
        assert_eq!(findings_of("OS2", &unknown), ["CdkNagValidationFailure"]);
        assert_eq!(findings_of("OS8", &unknown), ["CdkNagValidationFailure"]);
    }

    fn policy(statement: Value) -> Value {
        opensearch(json!({"AccessPolicies": {"Version": "2012-10-17", "Statement": statement}}))
    }

    #[test]
    fn os3_wants_a_source_ip_condition_on_each_allow() {
        let allowlisted = policy(json!([
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:ESHttpGet",
             "Condition": {"IpAddress": {"aws:sourceIp": ["192.0.2.0/24"]}}},
            {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "es:*"}
        ]));
        assert!(findings_of("OS3", &allowlisted).is_empty());
        let open = policy(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "es:*"}]),
        );
        assert_eq!(findings_of("OS3", &open), [""]);
        let other_case = policy(json!([{"Effect": "Allow", "Action": "es:*",
            "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.1"}}}]));
        assert_eq!(findings_of("OS3", &other_case), [""]);
        assert_eq!(findings_of("OS3", &policy(json!([]))), [""]);
        assert_eq!(findings_of("OS3", &opensearch(json!({}))), [""]);
        let single = policy(json!({"Effect": "Allow", "Action": "es:*"}));
        assert_eq!(findings_of("OS3", &single), ["CdkNagValidationFailure"]);
    }

    #[test]
    fn os5_reports_a_wildcard_principal_on_allow() {
        let named = policy(
            json!([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "es:*"},
            {"Effect": "Deny", "Principal": "*", "Action": "es:*"}]),
        );
        assert!(findings_of("OS5", &named).is_empty());
        let anyone =
            policy(json!([{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "es:*"}]));
        assert_eq!(findings_of("OS5", &anyone), [""]);
        // Loose equality: `["Allow"] == "Allow"` in JS.
        let listed = policy(json!([{"Effect": ["Allow"], "Principal": "*", "Action": "es:*"}]));
        assert_eq!(findings_of("OS5", &listed), [""]);
        assert_eq!(findings_of("OS5", &opensearch(json!({}))), [""]);
        let characters = policy(json!("not a statement list"));
        assert!(findings_of("OS5", &characters).is_empty());
    }

    #[test]
    fn os4_and_os7_read_the_cluster_config_of_each_engine() {
        let es = elasticsearch(
            json!({"ElasticsearchClusterConfig": {"DedicatedMasterEnabled": true, "ZoneAwarenessEnabled": "true"}}),
        );
        assert!(findings_of("OS4", &es).is_empty());
        assert!(findings_of("OS7", &es).is_empty());
        // The other engine's property name does not count.
        let misnamed = opensearch(
            json!({"ElasticsearchClusterConfig": {"DedicatedMasterEnabled": true, "ZoneAwarenessEnabled": true}}),
        );
        assert_eq!(findings_of("OS4", &misnamed), [""]);
        assert_eq!(findings_of("OS7", &misnamed), [""]);
        let os = opensearch(json!({"ClusterConfig": {"DedicatedMasterEnabled": false}}));
        assert_eq!(findings_of("OS4", &os), [""]);
        assert_eq!(findings_of("OS7", &os), [""]);
        let unknown = opensearch(
            json!({"ClusterConfig": {"DedicatedMasterEnabled": {"Ref": "P"}, "ZoneAwarenessEnabled": {"Ref": "P"}}}),
        );
        assert_eq!(findings_of("OS4", &unknown), ["CdkNagValidationFailure"]);
        assert_eq!(findings_of("OS7", &unknown), ["CdkNagValidationFailure"]);
    }

    #[test]
    fn os9_reports_each_missing_slow_log() {
        let both = opensearch(json!({"LogPublishingOptions": {
            "SEARCH_SLOW_LOGS": {"Enabled": true, "CloudWatchLogsLogGroupArn": "arn"},
            "INDEX_SLOW_LOGS": {"Enabled": true, "CloudWatchLogsLogGroupArn": "arn"}}}));
        assert!(findings_of("OS9", &both).is_empty());
        let search_only =
            opensearch(json!({"LogPublishingOptions": {"SEARCH_SLOW_LOGS": {"Enabled": true}}}));
        assert_eq!(
            findings_of("OS9", &search_only),
            ["LogExport::INDEX_SLOW_LOGS"]
        );
        assert_eq!(
            findings_of("OS9", &elasticsearch(json!({}))),
            ["LogExport::SEARCH_SLOW_LOGS", "LogExport::INDEX_SLOW_LOGS"]
        );
        let unknown = opensearch(
            json!({"LogPublishingOptions": {"INDEX_SLOW_LOGS": {"Enabled": {"Ref": "P"}}}}),
        );
        assert_eq!(findings_of("OS9", &unknown), ["CdkNagValidationFailure"]);
    }
}
