//! Timestream databases.

use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

pub(crate) const TS3: Rule = Rule {
    id: "TS3",
    level: Level::Warning,
    info: "The Timestream database does not use a Customer Managed KMS Key for at rest encryption.",
    explanation: "All Timestream tables in a database are encrypted at rest by default using AWS Managed Key. These keys are rotated every three years. Data at rest must be encrypted using CMKs if you require more control over the permissions and lifecycle of your keys, including the ability to have them automatically rotated on an annual basis.",
    check: timestream_database_customer_managed_key,
};

/// Databases name a `KmsKeyId` (any value: cdk-nag only checks it is there).
fn timestream_database_customer_managed_key(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Timestream::Database" {
        return Ok(Outcome::NotApplicable);
    }
    // `node.kmsKeyId === undefined`: strict, as cdk-nag.
    Ok(compliant_if(r.prop("KmsKeyId").is_some()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::rules::tests::findings_of;

    #[test]
    fn ts3_databases_use_a_customer_managed_key() {
        let database =
            json!({"Type": "AWS::Timestream::Database", "Properties": {"DatabaseName": "d"}});
        assert_eq!(findings_of("TS3", &database), [""]);
        let keyed = json!({"Type": "AWS::Timestream::Database", "Properties": {"KmsKeyId": {"Ref": "Key"}}});
        assert!(findings_of("TS3", &keyed).is_empty());
        let bare = json!({"Type": "AWS::Timestream::Database"});
        assert_eq!(findings_of("TS3", &bare), [""]);
    }
}
