//! QuickSight data sources: SSL.

use crate::js::{opt_field, prop, resolved_bool};
use crate::resource::Resource;
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

pub(crate) const QS1: Rule = Rule {
    id: "QS1",
    level: Level::Error,
    info: "The Quicksight data sources connection is not configured to use SSL.",
    explanation: "SSL secures communications to data sources, especially when using public networks. Using SSL with QuickSight requires the use of certificates signed by a publicly-recognized certificate authority.",
    check: quicksight_ssl_connections,
};

/// The data source does not set `SslProperties.DisableSsl` to `true`.
fn quicksight_ssl_connections(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::QuickSight::DataSource" {
        return Ok(Outcome::NotApplicable);
    }
    let Some(ssl) = prop(r, "SslProperties") else {
        return Ok(Outcome::Compliant);
    };
    Ok(compliant_if(
        resolved_bool(opt_field(Some(ssl), "DisableSsl"))? != Some(true),
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::findings_of;

    fn source(ssl: Value) -> Value {
        json!({"Type": "AWS::QuickSight::DataSource", "Properties": {
            "AwsAccountId": "111122223333", "DataSourceId": "d", "Name": "d", "Type": "POSTGRESQL",
            "SslProperties": ssl}})
    }

    #[test]
    fn qs1_reports_disabled_ssl() {
        assert!(findings_of("QS1", &source(Value::Null)).is_empty());
        assert!(findings_of("QS1", &source(json!({"DisableSsl": false}))).is_empty());
        assert_eq!(
            findings_of("QS1", &source(json!({"DisableSsl": "true"}))),
            [""]
        );
        assert_eq!(
            findings_of("QS1", &source(json!({"DisableSsl": {"Ref": "NoSsl"}}))),
            ["CdkNagValidationFailure"]
        );
    }
}
