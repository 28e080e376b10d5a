//! cdk-nag's `AwsSolutions` security and compliance rules (`checkSecurityCompliance`).

use serde_json::Value;

use crate::resource::{flatten_reference, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::{findings, push_unique};

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[IAM4, IAM5];

const IAM_PRINCIPALS: [&str; 3] = ["AWS::IAM::Group", "AWS::IAM::User", "AWS::IAM::Role"];

pub(crate) const IAM4: Rule = Rule {
    id: "IAM4",
    level: Level::Error,
    info: "The IAM user, role, or group uses AWS managed policies.",
    explanation: "An AWS managed policy is a standalone policy that is created and administered by AWS. Currently, many AWS managed policies do not restrict resource scope. Replace AWS managed policies with system specific (customer) managed policies.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'Policy::<policy>' for AWS managed policies. Example: appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/foo'].",
    check: iam_no_managed_policies,
};

/// `Policy::<arn>` for each AWS managed policy (`:iam::aws:` in the flattened ARN).
fn iam_no_managed_policies(r: &Resource<'_>) -> RuleResult {
    if !IAM_PRINCIPALS.contains(&r.type_name) {
        return Ok(Outcome::NotApplicable);
    }
    let mut found = Vec::new();
    match r.prop("ManagedPolicyArns") {
        None => {}
        Some(Value::Array(arns)) => {
            for arn in arns.iter().map(flatten_reference) {
                if arn.contains(":iam::aws:") {
                    push_unique(&mut found, format!("Policy::{arn}"));
                }
            }
        }
        Some(other) => return Err(Unresolved::new(other)),
    }
    Ok(findings(found))
}

pub(crate) const IAM5: Rule = Rule {
    id: "IAM5",
    level: Level::Error,
    info: "The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission.",
    explanation: "Metadata explaining the evidence (e.g. via supporting links) for wildcard permissions allows for transparency to operators. This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'Action::<action>' for policy actions and 'Resource::<resource>' for resources. Example: appliesTo: ['Action::s3:*'].",
    check: iam_no_wildcard_permissions,
};

/// `Action::<a>` and `Resource::<r>` for each wildcard in an `Allow`
/// statement of the entity's inline policies, or of the policy itself.
fn iam_no_wildcard_permissions(r: &Resource<'_>) -> RuleResult {
    let mut found = Vec::new();
    if IAM_PRINCIPALS.contains(&r.type_name) {
        match r.prop("Policies") {
            None => {}
            Some(Value::Array(policies)) => {
                for policy in policies {
                    wildcards(policy.get("PolicyDocument"), &mut found)?;
                }
            }
            Some(other) => return Err(Unresolved::new(other)),
        }
    } else if matches!(r.type_name, "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy") {
        wildcards(r.prop("PolicyDocument"), &mut found)?;
    } else {
        return Ok(Outcome::NotApplicable);
    }
    Ok(findings(found))
}

/// The wildcard findings of one policy document. As cdk-nag, a statement
/// without `Action` (a `NotAction` one) or with a non-string action cannot
/// be judged.
fn wildcards(document: Option<&Value>, found: &mut Vec<String>) -> Result<(), Unresolved> {
    let statements = match document.and_then(|d| d.get("Statement")) {
        None => return Ok(()),
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(other) => return Err(Unresolved::new(other)),
    };
    for statement in statements {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        for action in one_or_many(statement.get("Action")) {
            match action {
                Some(Value::String(a)) if a.contains('*') => {
                    push_unique(found, format!("Action::{a}"))
                }
                Some(Value::String(_)) => {}
                Some(other) => return Err(Unresolved::new(other)),
                None => return Err(Unresolved::new(&Value::Null)),
            }
        }
        for resource in one_or_many(statement.get("Resource")) {
            let flat = resource.map(flatten_reference).unwrap_or_default();
            if flat.contains('*') {
                push_unique(found, format!("Resource::{flat}"));
            }
        }
    }
    Ok(())
}

/// A value or each item of a list (`undefined` stays one `None` item, as
/// cdk-nag's `normalizeArray`).
fn one_or_many(value: Option<&Value>) -> Vec<Option<&Value>> {
    match value {
        Some(Value::Array(items)) => items.iter().map(Some).collect(),
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::rules::tests::findings_of;

    #[test]
    fn iam4_reports_each_aws_managed_policy() {
        let role = json!({"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {},
        "ManagedPolicyArns": [
            {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonLexRunBotsOnly"]]},
            "arn:aws:iam::111122223333:policy/Mine"
        ]}});
        assert_eq!(
            findings_of("IAM4", &role),
            ["Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonLexRunBotsOnly"]
        );
        let own = json!({"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": ["arn:aws:iam::111122223333:policy/Mine"]}});
        assert!(findings_of("IAM4", &own).is_empty());
    }

    #[test]
    fn iam5_reports_wildcard_actions_and_resources_of_allow_statements() {
        let policy = json!({"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"], "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}},
            {"Effect": "Deny", "Action": "*", "Resource": "*"}
        ]}}});
        assert_eq!(
            findings_of("IAM5", &policy),
            ["Action::s3:Get*", "Resource::<B.Arn>/*"]
        );
        let exact = json!({"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["Q", "Arn"]}}
        ]}}});
        assert!(findings_of("IAM5", &exact).is_empty());
    }
}
