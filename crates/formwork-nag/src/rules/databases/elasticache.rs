//! ElastiCache cache clusters and replication groups (Redis).

use crate::js::{defined, resolved_flag, resolved_number, resolved_string, text, type_error};
use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

const CACHE_CLUSTER: &str = "AWS::ElastiCache::CacheCluster";
const REPLICATION_GROUP: &str = "AWS::ElastiCache::ReplicationGroup";

pub(crate) const AEC1: Rule = Rule {
    id: "AEC1",
    level: Level::Error,
    info: "The ElastiCache cluster is not provisioned in a VPC.",
    explanation: "Provisioning the cluster within a VPC allows for better flexibility and control over the cache clusters security, availability, traffic routing and more.",
    check: elasticache_cluster_in_vpc,
};

/// Cache clusters and replication groups name a `CacheSubnetGroupName`
/// (an intrinsic function counts as one).
fn elasticache_cluster_in_vpc(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CACHE_CLUSTER && r.type_name != REPLICATION_GROUP {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        text(r.prop("CacheSubnetGroupName")).is_some_and(|name| !name.is_empty()),
    ))
}

pub(crate) const AEC3: Rule = Rule {
    id: "AEC3",
    level: Level::Error,
    info: "The ElastiCache Redis cluster does not have both encryption in transit and at rest enabled.",
    explanation: "Encryption in transit helps secure communications to the cluster. Encryption at rest helps protect data at rest from unauthorized access.",
    check: elasticache_redis_cluster_encryption,
};

/// Replication groups set both `AtRestEncryptionEnabled` and
/// `TransitEncryptionEnabled`, neither false.
fn elasticache_redis_cluster_encryption(r: &Resource<'_>) -> RuleResult {
    if r.type_name != REPLICATION_GROUP {
        return Ok(Outcome::NotApplicable);
    }
    let at_rest = r.prop("AtRestEncryptionEnabled");
    let in_transit = r.prop("TransitEncryptionEnabled");
    if defined(at_rest).is_none() || defined(in_transit).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    let at_rest = resolved_flag(at_rest)?;
    let in_transit = resolved_flag(in_transit)?;
    Ok(compliant_if(
        at_rest != Some(false) && in_transit != Some(false),
    ))
}

pub(crate) const AEC4: Rule = Rule {
    id: "AEC4",
    level: Level::Error,
    info: "The ElastiCache Redis cluster is not deployed in a Multi-AZ configuration.",
    explanation:
        "The cluster should use a Multi-AZ deployment configuration for high availability.",
    check: elasticache_redis_cluster_multi_az,
};

/// Replication groups have `MultiAZEnabled` on.
fn elasticache_redis_cluster_multi_az(r: &Resource<'_>) -> RuleResult {
    if r.type_name != REPLICATION_GROUP {
        return Ok(Outcome::NotApplicable);
    }
    if defined(r.prop("MultiAZEnabled")).is_none() {
        return Ok(Outcome::NonCompliant);
    }
    Ok(compliant_if(
        resolved_flag(r.prop("MultiAZEnabled"))?.unwrap_or(false),
    ))
}

pub(crate) const AEC5: Rule = Rule {
    id: "AEC5",
    level: Level::Error,
    info: "The ElastiCache cluster uses the default endpoint port.",
    explanation: "Port obfuscation (using a non default endpoint port) adds an additional layer of defense against non-targeted attacks (i.e. Redis port 6379 and Memcached port 11211).",
    check: elasticache_cluster_non_default_port,
};

/// A `Port` is set and is not the engine's default: Redis 6379 and
/// Memcached 11211 for cache clusters (whose engine must then be known),
/// 6379 for replication groups of Redis or of an unnamed engine.
fn elasticache_cluster_non_default_port(r: &Resource<'_>) -> RuleResult {
    let cache_cluster = match r.type_name {
        CACHE_CLUSTER => true,
        REPLICATION_GROUP => false,
        _ => return Ok(Outcome::NotApplicable),
    };
    let Some(port) = resolved_number(r.prop("Port"))? else {
        return Ok(Outcome::NonCompliant);
    };
    let engine = resolved_string(r.prop("Engine"))?.map(|e| e.to_lowercase());
    let default = if cache_cluster {
        let engine = engine.ok_or_else(|| type_error(None))?;
        (engine == "redis" && port == 6379.0) || (engine == "memcached" && port == 11211.0)
    } else {
        engine.is_none_or(|e| e == "redis") && port == 6379.0
    };
    Ok(compliant_if(!default))
}

pub(crate) const AEC6: Rule = Rule {
    id: "AEC6",
    level: Level::Error,
    info: "The ElastiCache Redis cluster does not use Redis AUTH for user authentication.",
    explanation: "Redis authentication tokens enable Redis to require a token (password) before allowing clients to execute commands, thereby improving data security.",
    check: elasticache_redis_cluster_redis_auth,
};

/// Replication groups set a non-empty `AuthToken`.
fn elasticache_redis_cluster_redis_auth(r: &Resource<'_>) -> RuleResult {
    if r.type_name != REPLICATION_GROUP {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        text(r.prop("AuthToken")).is_some_and(|token| !token.is_empty()),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    const NONE: [&str; 0] = [];

    fn cache_cluster(props: Value) -> Value {
        json!({"Type": "AWS::ElastiCache::CacheCluster", "Properties": props})
    }

    fn group(props: Value) -> Value {
        json!({"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": props})
    }

    #[test]
    fn aec1_clusters_are_in_a_vpc() {
        assert_eq!(findings_of("AEC1", &cache_cluster(json!({}))), [""]);
        assert_eq!(
            findings_of("AEC1", &group(json!({"CacheSubnetGroupName": ""}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "AEC1",
                &group(json!({"CacheSubnetGroupName": {"Ref": "Subnets"}}))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "AEC1",
                &cache_cluster(json!({"CacheSubnetGroupName": "subnets"}))
            ),
            NONE
        );
    }

    #[test]
    fn aec3_groups_encrypt_at_rest_and_in_transit() {
        assert_eq!(
            findings_of("AEC3", &group(json!({"AtRestEncryptionEnabled": true}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "AEC3",
                &group(
                    json!({"AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": "false"})
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "AEC3",
                &group(json!({"AtRestEncryptionEnabled": true, "TransitEncryptionEnabled": true}))
            ),
            NONE
        );
        assert_eq!(
            findings_of(
                "AEC3",
                &group(
                    json!({"AtRestEncryptionEnabled": {"Ref": "P"}, "TransitEncryptionEnabled": false})
                )
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn aec4_groups_are_multi_az() {
        assert_eq!(findings_of("AEC4", &group(json!({}))), [""]);
        assert_eq!(
            findings_of("AEC4", &group(json!({"MultiAZEnabled": false}))),
            [""]
        );
        assert_eq!(
            findings_of("AEC4", &group(json!({"MultiAZEnabled": true}))),
            NONE
        );
        assert_eq!(
            findings_of("AEC4", &group(json!({"MultiAZEnabled": {"Ref": "P"}}))),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn aec5_clusters_use_non_default_ports() {
        assert_eq!(
            findings_of("AEC5", &cache_cluster(json!({"Engine": "redis"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "AEC5",
                &cache_cluster(json!({"Engine": "Memcached", "Port": 11211}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "AEC5",
                &cache_cluster(json!({"Engine": "memcached", "Port": 6379}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("AEC5", &cache_cluster(json!({"Port": 6380}))),
            ["CdkNagValidationFailure"]
        );
        assert_eq!(findings_of("AEC5", &group(json!({"Port": "6379"}))), [""]);
        assert_eq!(
            findings_of("AEC5", &group(json!({"Engine": "valkey", "Port": 6379}))),
            NONE
        );
        assert_eq!(
            findings_of(
                "AEC5",
                &group(json!({"Engine": {"Ref": "E"}, "Port": 6380}))
            ),
            ["CdkNagValidationFailure"]
        );
    }

    #[test]
    fn aec6_groups_use_redis_auth() {
        assert_eq!(findings_of("AEC6", &group(json!({}))), [""]);
        assert_eq!(findings_of("AEC6", &group(json!({"AuthToken": ""}))), [""]);
        assert_eq!(
            findings_of(
                "AEC6",
                &group(json!({"AuthToken": "{{resolve:secretsmanager:redis:SecretString:token}}"}))
            ),
            NONE
        );
        assert_eq!(
            findings_of("AEC6", &group(json!({"AuthToken": {"Ref": "Token"}}))),
            NONE
        );
    }
}
