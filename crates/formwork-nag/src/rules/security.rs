//! cdk-nag's `AwsSolutions` security and compliance rules (`checkSecurityCompliance`).

use serde_json::Value;

use crate::js::{
    self, boolean, field, loose_eq_str, number_below, opt_field, prop, resolve_resource, strict_eq,
    truthy,
};
use crate::resource::{flatten_reference, resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::{compliant_if, findings, push_unique};

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[IAM4, IAM5, COG1, COG2, COG4, COG7, COG8, KMS5, SMG4];

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
            for arn in arns.iter() {
                let arn = flatten_reference(arn)?;
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
            let flat = resource
                .map(flatten_reference)
                .transpose()?
                .unwrap_or_default();
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

const USER_POOL: &str = "AWS::Cognito::UserPool";

pub(crate) const COG1: Rule = Rule {
    id: "COG1",
    level: Level::Error,
    info: "The Cognito user pool does not have a password policy that minimally specify a password length of at least 8 characters, as well as requiring uppercase, numeric, and special characters.",
    explanation: "Strong password policies increase system security by encouraging users to create reliable and secure passwords.",
    check: cognito_user_pool_strong_password_policy,
};

/// A user pool's password policy sets `MinimumLength` of 8 or more and
/// requires uppercase letters, numbers and symbols. Each setting is read in
/// cdk-nag's order, and an intrinsic where it is read cannot be judged.
fn cognito_user_pool_strong_password_policy(r: &Resource<'_>) -> RuleResult {
    if r.type_name != USER_POOL {
        return Ok(Outcome::NotApplicable);
    }
    let Some(policies) = prop(r, "Policies") else {
        return Ok(Outcome::NonCompliant);
    };
    let Some(password) = field(Some(policies), "PasswordPolicy")? else {
        return Ok(Outcome::NonCompliant);
    };
    let password = Some(password);
    let length = resolve_primitive(opt_field(password, "MinimumLength"))?;
    if length.is_none() || number_below(length, 8.0) {
        return Ok(Outcome::NonCompliant);
    }
    for setting in ["RequireUppercase", "RequireNumbers", "RequireSymbols"] {
        if resolve_primitive(boolean(opt_field(password, setting)))? != Some(&Value::Bool(true)) {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const COG2: Rule = Rule {
    id: "COG2",
    level: Level::Warning,
    info: "The Cognito user pool does not require MFA.",
    explanation: "Multi-factor authentication (MFA) increases security for the application by adding another authentication method, and not relying solely on user name and password.",
    check: cognito_user_pool_mfa,
};

/// A user pool sets `MfaConfiguration: ON`.
fn cognito_user_pool_mfa(r: &Resource<'_>) -> RuleResult {
    if r.type_name != USER_POOL {
        return Ok(Outcome::NotApplicable);
    }
    let mfa = resolve_primitive(prop(r, "MfaConfiguration"))?;
    Ok(compliant_if(loose_eq_str(mfa, "ON")))
}

pub(crate) const COG4: Rule = Rule {
    id: "COG4",
    level: Level::Error,
    info: "The API GW method does not use a Cognito user pool authorizer.",
    explanation: "API Gateway validates the tokens from a successful user pool authentication, and uses them to grant your users access to resources including Lambda functions, or your own API.",
    check: cognito_user_pool_apigw_authorizer,
};

/// A REST API method other than `OPTIONS` has `AuthorizationType:
/// COGNITO_USER_POOLS`.
fn cognito_user_pool_apigw_authorizer(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ApiGateway::Method" {
        return Ok(Outcome::NotApplicable);
    }
    let method = js::string(resolve_primitive(prop(r, "HttpMethod"))?);
    if method.as_deref() == Some(&Value::String("OPTIONS".to_owned())) {
        return Ok(Outcome::NotApplicable);
    }
    let authorization = js::string(prop(r, "AuthorizationType"));
    Ok(compliant_if(
        authorization.as_deref() == Some(&Value::String("COGNITO_USER_POOLS".to_owned())),
    ))
}

pub(crate) const COG7: Rule = Rule {
    id: "COG7",
    level: Level::Error,
    info: "The Cognito identity pool allows for unauthenticated logins and does not have a cdk-nag rule suppression with a reason.",
    explanation: "In many cases applications do not warrant unauthenticated guest access applications. Metadata explaining the use case allows for transparency to operators.",
    check: cognito_user_pool_no_unauthenticated_logins,
};

/// An identity pool does not allow unauthenticated identities (a guest
/// access the project means to keep is suppressed with its reason).
fn cognito_user_pool_no_unauthenticated_logins(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::Cognito::IdentityPool" {
        return Ok(Outcome::NotApplicable);
    }
    let allow = resolve_primitive(boolean(prop(r, "AllowUnauthenticatedIdentities")))?;
    Ok(compliant_if(!truthy(allow)))
}

pub(crate) const COG8: Rule = Rule {
    id: "COG8",
    level: Level::Error,
    info: "The Cognito user pool is not on the plus tier / feature plan.",
    explanation: "Plus tier enables advanced security features such as detecting and acting upon malicious sign-in attempts and protecting against unsafe passwords.",
    check: cognito_user_pool_plus_tier,
};

/// A user pool sets `UserPoolTier: PLUS`.
fn cognito_user_pool_plus_tier(r: &Resource<'_>) -> RuleResult {
    if r.type_name != USER_POOL {
        return Ok(Outcome::NotApplicable);
    }
    let tier = resolve_primitive(prop(r, "UserPoolTier"))?;
    Ok(compliant_if(loose_eq_str(tier, "PLUS")))
}

pub(crate) const KMS5: Rule = Rule {
    id: "KMS5",
    level: Level::Error,
    info: "The KMS Symmetric key does not have automatic key rotation enabled.",
    explanation: "KMS key rotation allows a system to set an yearly rotation schedule for a KMS key so when an AWS KMS key is required to encrypt new data, the KMS service can automatically use the latest version of the HSA backing key to perform the encryption.",
    check: kms_backing_key_rotation_enabled,
};

/// A symmetric key (no `KeySpec`, or `SYMMETRIC_DEFAULT`) has
/// `EnableKeyRotation: true`; asymmetric and HMAC keys cannot rotate.
fn kms_backing_key_rotation_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::KMS::Key" {
        return Ok(Outcome::NotApplicable);
    }
    let spec = prop(r, "KeySpec");
    if spec.is_none() || loose_eq_str(spec, "SYMMETRIC_DEFAULT") {
        let rotation = resolve_primitive(boolean(prop(r, "EnableKeyRotation")))?;
        return Ok(compliant_if(rotation == Some(&Value::Bool(true))));
    }
    Ok(Outcome::Compliant)
}

pub(crate) const SMG4: Rule = Rule {
    id: "SMG4",
    level: Level::Error,
    info: "The secret does not have automatic rotation scheduled.",
    explanation: "AWS Secrets Manager can be configured to automatically rotate the secret for a secured service or database.",
    check: secrets_manager_rotation_enabled,
};

/// A rotation schedule of the template targets the secret (directly, or
/// through a target attachment of it), has a rotation function (hosted or
/// its own) and rotation rules with a period or a schedule expression.
fn secrets_manager_rotation_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::SecretsManager::Secret" {
        return Ok(Outcome::NotApplicable);
    }
    let template = r.template;
    let secret = Value::String(r.logical_id.to_owned());
    let target =
        |res: &Resource<'_>| js::string(prop(res, "SecretId")).map(std::borrow::Cow::into_owned);
    let schedules: Vec<_> = template
        .resources_of_type("AWS::SecretsManager::RotationSchedule")
        .collect();
    if schedules.is_empty() {
        return Ok(Outcome::NonCompliant);
    }
    let attachments: Vec<Value> = template
        .resources_of_type("AWS::SecretsManager::SecretTargetAttachment")
        .filter(|a| strict_eq(Some(&secret), resolve_resource(target(a).as_ref())))
        .map(|a| Value::String(a.logical_id.to_owned()))
        .collect();
    let found = schedules.iter().any(|schedule| {
        let target = target(schedule);
        let target = resolve_resource(target.as_ref());
        let ours = strict_eq(target, Some(&secret))
            || attachments.iter().any(|a| strict_eq(target, Some(a)));
        let function = prop(schedule, "HostedRotationLambda").is_some()
            || prop(schedule, "RotationLambdaARN").is_some();
        let rules = prop(schedule, "RotationRules");
        ours && function
            && rules.is_some()
            && (opt_field(rules, "AutomaticallyAfterDays").is_some()
                || opt_field(rules, "ScheduleExpression").is_some())
    });
    Ok(compliant_if(found))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::rules::tests::{findings_in, findings_of};

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

    const FAIL: &str = "CdkNagValidationFailure";

    fn user_pool(properties: serde_json::Value) -> serde_json::Value {
        json!({"Type": "AWS::Cognito::UserPool", "Properties": properties})
    }

    #[test]
    fn cog1_strong_password_policy() {
        let policy = |min: serde_json::Value, symbols: serde_json::Value| {
            user_pool(json!({"Policies": {"PasswordPolicy": {
            "MinimumLength": min, "RequireUppercase": true, "RequireNumbers": "true", "RequireSymbols": symbols}}}))
        };
        assert!(findings_of("COG1", &policy(json!(8), json!(true))).is_empty());
        assert_eq!(findings_of("COG1", &policy(json!("7"), json!(true))), [""]);
        assert_eq!(findings_of("COG1", &policy(json!(12), json!(false))), [""]);
        assert_eq!(findings_of("COG1", &user_pool(json!({}))), [""]);
        assert_eq!(
            findings_of("COG1", &user_pool(json!({"Policies": {}}))),
            [""]
        );
        assert_eq!(
            findings_of("COG1", &policy(json!({"Ref": "P"}), json!(true))),
            [FAIL]
        );
        // Read in order: a short length fails before the intrinsic is reached.
        assert_eq!(
            findings_of("COG1", &policy(json!(6), json!({"Ref": "P"}))),
            [""]
        );
    }

    #[test]
    fn cog2_cog8_mfa_and_plus_tier() {
        assert!(findings_of("COG2", &user_pool(json!({"MfaConfiguration": "ON"}))).is_empty());
        assert_eq!(
            findings_of("COG2", &user_pool(json!({"MfaConfiguration": "OPTIONAL"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "COG2",
                &user_pool(json!({"MfaConfiguration": {"Ref": "P"}}))
            ),
            [FAIL]
        );
        assert!(findings_of("COG8", &user_pool(json!({"UserPoolTier": "PLUS"}))).is_empty());
        assert_eq!(findings_of("COG8", &user_pool(json!({}))), [""]);
        assert_eq!(
            findings_of("COG8", &user_pool(json!({"UserPoolTier": {"Ref": "P"}}))),
            [FAIL]
        );
    }

    #[test]
    fn cog4_cognito_authorizer_on_methods() {
        let method = |verb: serde_json::Value, auth: &str| json!({"Type": "AWS::ApiGateway::Method", "Properties": {"HttpMethod": verb, "AuthorizationType": auth}});
        assert!(findings_of("COG4", &method(json!("GET"), "COGNITO_USER_POOLS")).is_empty());
        assert_eq!(findings_of("COG4", &method(json!("GET"), "AWS_IAM")), [""]);
        assert_eq!(
            findings_of("COG4", &method(json!({"Ref": "P"}), "NONE")),
            [FAIL]
        );
        let report = crate::check(
            &json!({"Resources": {"R": method(json!("OPTIONS"), "NONE")}}),
            &[&crate::AWS_SOLUTIONS],
        )
        .unwrap();
        assert!(!report
            .findings
            .iter()
            .any(|f| f.rule_id == "AwsSolutions-COG4"));
    }

    #[test]
    fn cog7_identity_pools_without_guests() {
        let pool = |allow: serde_json::Value| json!({"Type": "AWS::Cognito::IdentityPool", "Properties": {"AllowUnauthenticatedIdentities": allow}});
        assert!(findings_of("COG7", &pool(json!(false))).is_empty());
        assert_eq!(findings_of("COG7", &pool(json!("true"))), [""]);
        assert_eq!(
            findings_of("COG7", &pool(json!({"Fn::If": ["C", true, false]}))),
            [FAIL]
        );
    }

    #[test]
    fn kms5_symmetric_keys_rotate() {
        let key = |p: serde_json::Value| json!({"Type": "AWS::KMS::Key", "Properties": p});
        assert!(findings_of("KMS5", &key(json!({"EnableKeyRotation": "true"}))).is_empty());
        assert_eq!(findings_of("KMS5", &key(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "KMS5",
                &key(json!({"KeySpec": "SYMMETRIC_DEFAULT", "EnableKeyRotation": false}))
            ),
            [""]
        );
        assert!(findings_of("KMS5", &key(json!({"KeySpec": "RSA_2048"}))).is_empty());
        assert_eq!(
            findings_of("KMS5", &key(json!({"EnableKeyRotation": {"Ref": "P"}}))),
            [FAIL]
        );
    }

    #[test]
    fn smg4_secrets_rotate() {
        let secret = json!({"Type": "AWS::SecretsManager::Secret"});
        let schedule = |target: &str, p: serde_json::Value| {
            let mut properties = json!({"SecretId": {"Ref": target}});
            properties
                .as_object_mut()
                .unwrap()
                .extend(p.as_object().unwrap().clone());
            json!({"Type": "AWS::SecretsManager::RotationSchedule", "Properties": properties})
        };
        let hosted = json!({"HostedRotationLambda": {"RotationType": "MySQLSingleUser"}, "RotationRules": {"AutomaticallyAfterDays": 30}});
        let direct = json!({"Resources": {"S": secret, "R": schedule("S", hosted.clone())}});
        assert!(findings_in("SMG4", &direct, "S").is_empty());
        let attached = json!({"Resources": {"S": secret, "A": {"Type": "AWS::SecretsManager::SecretTargetAttachment",
            "Properties": {"SecretId": {"Ref": "S"}, "TargetId": "db", "TargetType": "AWS::RDS::DBInstance"}}, "R": schedule("A", hosted)}});
        assert!(findings_in("SMG4", &attached, "S").is_empty());
        assert_eq!(findings_of("SMG4", &secret), [""]);
        let no_function = json!({"Resources": {"S": secret, "R": schedule("S", json!({"RotationRules": {"AutomaticallyAfterDays": 30}}))}});
        assert_eq!(findings_in("SMG4", &no_function, "S"), [""]);
    }
}
