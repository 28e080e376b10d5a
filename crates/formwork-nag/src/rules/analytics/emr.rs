//! EMR clusters: S3 logging, the security configuration's encryption, and
//! SSH authentication.

use serde_json::Value;

use super::{configuration_key, configurations};
use crate::js::{opt_field, prop};
use crate::resource::{Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

const CLUSTER: &str = "AWS::EMR::Cluster";
const SECURITY_CONFIGURATION: &str = "AWS::EMR::SecurityConfiguration";

pub(crate) const EMR2: Rule = Rule {
    id: "EMR2",
    level: Level::Error,
    info: "The EMR cluster does not have S3 logging enabled.",
    explanation: "Uploading logs to S3 enables the system to keep the logging data for historical purposes or to track and analyze the clusters behavior.",
    check: emr_s3_access_logging,
};

/// The cluster has a `LogUri`.
fn emr_s3_access_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(prop(r, "LogUri").is_some()))
}

pub(crate) const EMR4: Rule = Rule {
    id: "EMR4",
    level: Level::Error,
    info: "The EMR cluster does not use a security configuration with local disk encryption enabled.",
    explanation: "Local disk encryption uses a combination of open-source HDFS encryption and LUKS encryption to secure data at rest.",
    check: emr_local_disk_encryption,
};

/// The cluster's security configuration (a resource of the template, by
/// reference or name) enables at-rest encryption with a local disk key
/// provider.
fn emr_local_disk_encryption(r: &Resource<'_>) -> RuleResult {
    emr_security_configuration(r, |sc| {
        opt_field(sc, "EnableAtRestEncryption") == Some(&Value::Bool(true))
            && opt_field(
                opt_field(
                    opt_field(sc, "AtRestEncryptionConfiguration"),
                    "LocalDiskEncryptionConfiguration",
                ),
                "EncryptionKeyProviderType",
            )
            .is_some()
    })
}

pub(crate) const EMR5: Rule = Rule {
    id: "EMR5",
    level: Level::Error,
    info: "The EMR cluster does not use a security configuration with encryption in transit enabled and configured.",
    explanation: "EMR Clusters should have a method for encrypting data in transit using Transport Layer Security (TLS).",
    check: emr_encryption_in_transit,
};

/// The cluster's security configuration enables in-transit encryption with
/// a TLS certificate provider.
fn emr_encryption_in_transit(r: &Resource<'_>) -> RuleResult {
    emr_security_configuration(r, |sc| {
        opt_field(sc, "EnableInTransitEncryption") == Some(&Value::Bool(true))
            && opt_field(
                opt_field(
                    opt_field(sc, "InTransitEncryptionConfiguration"),
                    "TLSCertificateConfiguration",
                ),
                "CertificateProviderType",
            )
            .is_some()
    })
}

/// Whether a security configuration of the template that the cluster's
/// `SecurityConfiguration` designates passes `passes`.
///
/// As cdk-nag, `passes` reads the configuration's `SecurityConfiguration`
/// JSON at its top level (where EMR itself nests these settings under
/// `EncryptionConfiguration`), and only a JSON `true` enables (the JSON
/// property is not converted by `CfnInclude`, so `"true"` does not).
fn emr_security_configuration(
    r: &Resource<'_>,
    passes: impl Fn(Option<&Value>) -> bool,
) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let Some(key) = configuration_key(r.prop("SecurityConfiguration")) else {
        return Ok(Outcome::NonCompliant);
    };
    Ok(compliant_if(
        configurations(r, SECURITY_CONFIGURATION, key)
            .any(|c| passes(prop(&c, "SecurityConfiguration"))),
    ))
}

pub(crate) const EMR6: Rule = Rule {
    id: "EMR6",
    level: Level::Error,
    info: "The EMR cluster does not implement authentication via an EC2 Key Pair or Kerberos.",
    explanation: "SSH clients can use an EC2 key pair to authenticate to cluster instances. Alternatively, with EMR release version 5.10.0 or later, solutions can configure Kerberos to authenticate users and SSH connections to the master node.",
    check: emr_auth_ec2_key_pair_or_kerberos,
};

/// The cluster has `KerberosAttributes`, or an `Ec2KeyName` in its
/// `Instances` (which cdk-nag reads unconditionally: without `Instances`
/// the rule cannot be validated).
fn emr_auth_ec2_key_pair_or_kerberos(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    if prop(r, "KerberosAttributes").is_some() {
        return Ok(Outcome::Compliant);
    }
    let Some(instances) = prop(r, "Instances") else {
        return Err(Unresolved::new(&Value::Null));
    };
    Ok(compliant_if(
        opt_field(Some(instances), "Ec2KeyName").is_some(),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    fn cluster(extra: Value) -> Value {
        let mut props = json!({
            "Name": "c", "JobFlowRole": "r", "ServiceRole": "s", "ReleaseLabel": "emr-6.15.0",
            "Instances": {}
        });
        props
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"Type": "AWS::EMR::Cluster", "Properties": props})
    }

    #[test]
    fn emr2_wants_a_log_uri() {
        assert!(findings_of("EMR2", &cluster(json!({"LogUri": "s3://logs/emr/"}))).is_empty());
        assert_eq!(findings_of("EMR2", &cluster(json!({}))), [""]);
        assert_eq!(findings_of("EMR2", &cluster(json!({"LogUri": null}))), [""]);
    }

    fn with_configuration(reference: Value, configuration: Value) -> Value {
        json!({"Resources": {
            "C": cluster(json!({"SecurityConfiguration": reference})),
            "SC": {"Type": "AWS::EMR::SecurityConfiguration", "Properties": {
                "Name": "secure", "SecurityConfiguration": configuration}}
        }})
    }

    #[test]
    fn emr4_follows_the_security_configuration_by_reference_or_name() {
        let good = json!({"EnableAtRestEncryption": true, "AtRestEncryptionConfiguration": {
            "LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms"}}});
        for reference in [json!({"Ref": "SC"}), json!("secure"), json!("SC")] {
            let t = with_configuration(reference, good.clone());
            assert!(findings_in("EMR4", &t, "C").is_empty());
        }
        // A name matching no configuration, or another intrinsic.
        for reference in [json!("other"), json!({"Fn::Sub": "secure"})] {
            let t = with_configuration(reference, good.clone());
            assert_eq!(findings_in("EMR4", &t, "C"), [""]);
        }
        assert_eq!(findings_of("EMR4", &cluster(json!({}))), [""]);
    }

    #[test]
    fn emr4_wants_json_true_and_a_key_provider_at_the_top_level() {
        let string_true = json!({"EnableAtRestEncryption": "true", "AtRestEncryptionConfiguration": {
            "LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms"}}});
        let no_provider = json!({"EnableAtRestEncryption": true});
        let nested = json!({"EncryptionConfiguration": {"EnableAtRestEncryption": true,
            "AtRestEncryptionConfiguration": {"LocalDiskEncryptionConfiguration": {"EncryptionKeyProviderType": "AwsKms"}}}});
        for configuration in [string_true, no_provider, nested] {
            let t = with_configuration(json!({"Ref": "SC"}), configuration);
            assert_eq!(findings_in("EMR4", &t, "C"), [""]);
        }
    }

    #[test]
    fn emr5_wants_in_transit_encryption_with_a_certificate_provider() {
        let good = json!({"EnableInTransitEncryption": true, "InTransitEncryptionConfiguration": {
            "TLSCertificateConfiguration": {"CertificateProviderType": "PEM"}}});
        let t = with_configuration(json!({"Fn::GetAtt": ["SC", "Name"]}), good);
        assert!(findings_in("EMR5", &t, "C").is_empty());
        let off = json!({"EnableInTransitEncryption": false, "InTransitEncryptionConfiguration": {
            "TLSCertificateConfiguration": {"CertificateProviderType": "PEM"}}});
        let t = with_configuration(json!({"Ref": "SC"}), off);
        assert_eq!(findings_in("EMR5", &t, "C"), [""]);
    }

    #[test]
    fn emr6_wants_kerberos_or_a_key_pair() {
        let kerberos = cluster(
            json!({"KerberosAttributes": {"Realm": "EC2.INTERNAL", "KdcAdminPassword": "x"}}),
        );
        assert!(findings_of("EMR6", &kerberos).is_empty());
        let key = cluster(json!({"Instances": {"Ec2KeyName": {"Ref": "Key"}}}));
        assert!(findings_of("EMR6", &key).is_empty());
        assert_eq!(findings_of("EMR6", &cluster(json!({}))), [""]);
        let conditional = cluster(json!({"Instances": {"Fn::If": ["C", {"Ec2KeyName": "k"}, {}]}}));
        assert_eq!(findings_of("EMR6", &conditional), [""]);
        let no_instances = json!({"Type": "AWS::EMR::Cluster", "Properties": {"Name": "c"}});
        assert_eq!(
            findings_of("EMR6", &no_instances),
            ["CdkNagValidationFailure"]
        );
    }
}
