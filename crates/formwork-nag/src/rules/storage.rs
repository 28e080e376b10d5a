//! cdk-nag's `AwsSolutions` storage rules (`checkStorage`): S3 and EFS,
//! and the policy statement checks the SNS and SQS rules share with S10.

use serde_json::Value;

use crate::js::{
    self, boolean, field, first_decisive, for_of, opt_field, prop, resolve_resource, strict_eq,
    string, to_js_string, to_lower, Js, JsRegex,
};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[S1, S2, S5, S10, EFS1];

const BUCKET: &str = "AWS::S3::Bucket";
const BUCKET_POLICY: &str = "AWS::S3::BucketPolicy";

pub(crate) const S1: Rule = Rule {
    id: "S1",
    level: Level::Error,
    info: "The S3 Bucket has server access logs disabled.",
    explanation: "The bucket should have server access logging enabled to provide detailed records for the requests that are made to the bucket.",
    check: s3_bucket_logging_enabled,
};

/// A bucket logs its access (`LoggingConfiguration` with a destination or a
/// prefix), or is itself the log destination of a bucket of the template:
/// its logical ID (not followed by a word character) in the flattened
/// `DestinationBucketName` of any bucket, or its name equal to it.
fn s3_bucket_logging_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != BUCKET {
        return Ok(Outcome::NotApplicable);
    }
    let logging = prop(r, "LoggingConfiguration");
    let configured = logging.is_some_and(|l| {
        opt_field(Some(l), "DestinationBucketName").is_some()
            || opt_field(Some(l), "LogFilePrefix").is_some()
    });
    if configured {
        return Ok(Outcome::Compliant);
    }
    let name = string(prop(r, "BucketName"));
    let pattern = format!(r"{}(?![\w])", r.logical_id);
    let logs_here = |bucket: &Resource<'_>| -> Result<bool, Unresolved> {
        let destination = string(opt_field(
            prop(bucket, "LoggingConfiguration"),
            "DestinationBucketName",
        ));
        let flat = js::flatten(destination.as_deref())?;
        Ok(js::regex::test(&pattern, &flat)?
            || strict_eq(name.as_deref(), Some(&Value::String(flat))))
    };
    let results = r
        .template
        .resources_of_type(BUCKET)
        .map(|b| (b.logical_id, logs_here(&b)))
        .collect();
    Ok(compliant_if(first_decisive(&r.template, results)?))
}

pub(crate) const S2: Rule = Rule {
    id: "S2",
    level: Level::Error,
    info: "The S3 Bucket does not have public access restricted and blocked.",
    explanation: "The bucket should have public access restricted and blocked to prevent unauthorized access.",
    check: s3_bucket_level_public_access_prohibited,
};

/// All four settings of `PublicAccessBlockConfiguration` are `true`; as in
/// cdk-nag, a bucket without the configuration passes (S3 blocks public
/// access by default).
fn s3_bucket_level_public_access_prohibited(r: &Resource<'_>) -> RuleResult {
    if r.type_name != BUCKET {
        return Ok(Outcome::NotApplicable);
    }
    let Some(config) = prop(r, "PublicAccessBlockConfiguration") else {
        return Ok(Outcome::Compliant);
    };
    let mut all = true;
    // cdk-nag resolves all four before comparing, so any intrinsic fails the rule.
    for setting in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        let value = resolve_primitive(boolean(opt_field(Some(config), setting)))?;
        all &= value == Some(&Value::Bool(true));
    }
    Ok(compliant_if(all))
}

pub(crate) const S5: Rule = Rule {
    id: "S5",
    level: Level::Error,
    info: "The S3 static website bucket either has an open world bucket policy or does not use a CloudFront Origin Access Identity (OAI) in the bucket policy for limited getObject and/or putObject permissions.",
    explanation: "An OAI allows you to provide access to content in your S3 static website bucket through CloudFront URLs without enabling public access through an open bucket policy, disabling S3 Block Public Access settings, and/or through object ACLs.",
    check: s3_web_bucket_oai_access,
};

/// A website bucket (`WebsiteConfiguration`) has a bucket policy that
/// grants a CloudFront OAI only `s3:GetObject`/`s3:PutObject` and grants
/// nothing to a `*` principal.
fn s3_web_bucket_oai_access(r: &Resource<'_>) -> RuleResult {
    if r.type_name != BUCKET {
        return Ok(Outcome::NotApplicable);
    }
    if prop(r, "WebsiteConfiguration").is_none() {
        return Ok(Outcome::Compliant);
    }
    let name = string(prop(r, "BucketName"));
    let mut found = false;
    // cdk-nag looks at every policy (no early exit), so a policy it cannot judge always fails the rule.
    for policy in r.template.resources_of_type(BUCKET_POLICY) {
        if oai_policy_of(&policy, r.logical_id, name.as_deref())? {
            found = true;
        }
    }
    Ok(compliant_if(found))
}

/// `bucket`'s policy `policy` grants an OAI limited access and nobody open access.
fn oai_policy_of(
    policy: &Resource<'_>,
    logical_id: &str,
    name: Js<'_>,
) -> Result<bool, Unresolved> {
    let bucket = string(prop(policy, "Bucket"));
    let target = resolve_resource(bucket.as_deref());
    if !strict_eq(target, Some(&Value::String(logical_id.to_owned()))) && !strict_eq(target, name) {
        return Ok(false);
    }
    let mut found = false;
    for statement in for_of(field(prop(policy, "PolicyDocument"), "Statement")?)?.iter() {
        let statement = Some(statement);
        if field(statement, "Effect")? != Some(&Value::String("Allow".into())) {
            continue;
        }
        let principal = field(statement, "Principal")?;
        if js::json_stringify(principal.or(Some(&Value::String(String::new()))))
            .unwrap_or_default()
            .contains('*')
        {
            return Ok(false);
        }
        let aws = field(principal, "AWS")?;
        let oai = js::json_stringify(aws.or(Some(&Value::String(String::new()))))
            .unwrap_or_default()
            .contains("CloudFront Origin Access Identity")
            || js::truthy(opt_field(principal, "CanonicalUser"));
        if oai {
            let action = field(statement, "Action")?;
            let actions: Vec<Js<'_>> = match action {
                Some(Value::Array(items)) => items.iter().map(|i| js::defined(Some(i))).collect(),
                other => vec![other],
            };
            for action in actions {
                let a = to_lower(action)?;
                if a != "s3:getobject" && a != "s3:putobject" {
                    return Ok(false);
                }
            }
            found = true;
        }
    }
    Ok(found)
}

pub(crate) const S10: Rule = Rule {
    id: "S10",
    level: Level::Error,
    info: "The S3 Bucket or bucket policy does not require requests to use SSL.",
    explanation: "You can use HTTPS (TLS) to help prevent potential attackers from eavesdropping on or manipulating network traffic using person-in-the-middle or similar attacks. You should allow only encrypted connections over HTTPS (TLS) using the aws:SecureTransport condition on Amazon S3 bucket policies.",
    check: s3_bucket_ssl_requests_only,
};

/// A bucket has a bucket policy, and a bucket policy has a statement, that
/// denies `s3:*` (or `*`) to every principal when `aws:SecureTransport` is
/// false, on both the bucket and its objects.
fn s3_bucket_ssl_requests_only(r: &Resource<'_>) -> RuleResult {
    if r.type_name == BUCKET {
        let logical_id = Value::String(r.logical_id.to_owned());
        let name = string(prop(r, "BucketName"));
        let name_text = name.as_deref().map(|n| to_js_string(Some(n)));
        let results = r
            .template
            .resources_of_type(BUCKET_POLICY)
            .map(|policy| {
                let bucket = string(prop(&policy, "Bucket"));
                let target = resolve_resource(bucket.as_deref());
                let matching =
                    strict_eq(target, Some(&logical_id)) || strict_eq(target, name.as_deref());
                let verdict = if matching {
                    requires_ssl(&policy, r.logical_id, name_text.clone())
                } else {
                    Ok(false)
                };
                (policy.logical_id, verdict)
            })
            .collect();
        Ok(compliant_if(first_decisive(&r.template, results)?))
    } else if r.type_name == BUCKET_POLICY {
        let bucket = string(prop(r, "Bucket"));
        let logical_id = to_js_string(resolve_resource(bucket.as_deref()));
        // cdk-nag passes the raw property as the bucket name: an intrinsic is
        // then a token string (`${Token[..]}`), a pattern that matches nothing.
        let name = match bucket.as_deref() {
            None => None,
            Some(Value::Object(_)) => Some(r"${Token[TOKEN.0]}".to_owned()),
            Some(other) => Some(to_js_string(Some(other))),
        };
        Ok(compliant_if(requires_ssl(r, &logical_id, name)?))
    } else {
        Ok(Outcome::NotApplicable)
    }
}

/// One statement of `policy` denies every S3 action to everyone without
/// TLS, on the bucket (`logical_id` or `name`) and on its objects.
fn requires_ssl(
    policy: &Resource<'_>,
    logical_id: &str,
    name: Option<String>,
) -> Result<bool, Unresolved> {
    for statement in for_of(field(prop(policy, "PolicyDocument"), "Statement")?)?.iter() {
        let statement = Some(statement);
        if !denies_without_tls(statement, &["*", "s3:*"])? {
            continue;
        }
        if bucket_and_objects(logical_id, name.as_deref(), field(statement, "Resource")?)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The start of cdk-nag's SSL checks of a policy statement (S10, SNS3,
/// SQS4): `Effect` is `Deny`, an action is one of `actions` (compared in
/// lower case, except `*`), the principal is everyone (`*` or `{"AWS": "*"}`)
/// and the condition `Bool` `aws:SecureTransport` is `false`. Evaluated in
/// cdk-nag's order, since each step can throw.
pub(crate) fn denies_without_tls(statement: Js<'_>, actions: &[&str]) -> Result<bool, Unresolved> {
    let secure_transport = opt_field(
        opt_field(opt_field(statement, "Condition"), "Bool"),
        "aws:SecureTransport",
    );
    if field(statement, "Effect")? != Some(&Value::String("Deny".to_owned()))
        || !action_matches(field(statement, "Action")?, actions)?
        || !principal_is_everyone(field(statement, "Principal")?)?
    {
        return Ok(false);
    }
    Ok(match secure_transport {
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s == "false",
        _ => false,
    })
}

/// One of `actions` is the statement's action (or one of its actions):
/// `*` exactly, others in lower case. A non-string action throws in
/// cdk-nag, unless a match came before it.
fn action_matches(action: Js<'_>, actions: &[&str]) -> Result<bool, Unresolved> {
    let one = |a: Js<'_>| -> Result<bool, Unresolved> {
        if actions.contains(&"*") && a == Some(&Value::String("*".to_owned())) {
            return Ok(true);
        }
        let lower = to_lower(a)?;
        Ok(actions.iter().any(|x| *x != "*" && lower == *x))
    };
    match action {
        Some(Value::Array(items)) => {
            for item in items {
                if one(js::defined(Some(item)))? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => one(other),
    }
}

/// `Principal` is `*`, or its `AWS` is (or contains) `*`; an absent
/// principal throws in cdk-nag.
pub(crate) fn principal_is_everyone(principal: Js<'_>) -> Result<bool, Unresolved> {
    let star = Value::String("*".to_owned());
    if principal == Some(&star) {
        return Ok(true);
    }
    Ok(match field(principal, "AWS")? {
        Some(Value::Array(accounts)) => accounts.contains(&star),
        aws => aws == Some(&star),
    })
}

/// cdk-nag's `checkMatchingResources`: among `resources` (an array), one
/// names the bucket without a `/` and one names its objects (`.../*`, one
/// `/`), matched as regexes on the JSON of each resource.
fn bucket_and_objects(
    logical_id: &str,
    name: Option<&str>,
    resources: Js<'_>,
) -> Result<bool, Unresolved> {
    let Some(Value::Array(resources)) = resources else {
        return Ok(false);
    };
    let mut bucket_patterns = vec![format!(r"({logical_id}(?![\w\-]))")];
    let mut object_patterns = vec![format!(r"({logical_id}(?![\w\-]).*\/\*)")];
    if let Some(name) = name {
        bucket_patterns.push(format!(r"({name}(?![\w\-]))"));
        object_patterns.push(format!(r"({name}(?![\w\-]).*\/\*)"));
    }
    let compile = |patterns: Vec<String>| JsRegex::new(&patterns.join("|"), "");
    let bucket_regex = compile(bucket_patterns)?;
    let objects_regex = compile(object_patterns)?;
    let (mut bucket, mut objects) = (false, false);
    for resource in resources {
        // `JSON.stringify(undefined)` is not a string: testing it tests
        // "undefined", and its `includes` throws.
        let text = js::json_stringify(js::defined(Some(resource)));
        let tested = text.as_deref().unwrap_or("undefined");
        if !bucket && bucket_regex.test(tested)? && !includes_slash(text.as_deref(), resource)? {
            bucket = true;
        } else if !objects
            && objects_regex.test(tested)?
            && text
                .as_deref()
                .ok_or_else(|| Unresolved::new(resource))?
                .matches('/')
                .count()
                == 1
        {
            objects = true;
        }
        if bucket && objects {
            return Ok(true);
        }
    }
    Ok(false)
}

fn includes_slash(text: Option<&str>, resource: &Value) -> Result<bool, Unresolved> {
    text.map(|t| t.contains('/'))
        .ok_or_else(|| Unresolved::new(resource))
}

pub(crate) const EFS1: Rule = Rule {
    id: "EFS1",
    level: Level::Error,
    info: "The EFS is not configured for encryption at rest.",
    explanation: "By using an encrypted file system, data and metadata are automatically encrypted before being written to the file system. Similarly, as data and metadata are read, they are automatically decrypted before being presented to the application. These processes are handled transparently by EFS without requiring modification of applications.",
    check: efs_encrypted,
};

/// A file system is not explicitly unencrypted (`Encrypted: false`); as in
/// cdk-nag, leaving `Encrypted` out passes.
fn efs_encrypted(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::EFS::FileSystem" {
        return Ok(Outcome::NotApplicable);
    }
    let encrypted = resolve_primitive(boolean(prop(r, "Encrypted")))?;
    Ok(compliant_if(encrypted != Some(&Value::Bool(false))))
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const FAIL: &str = "CdkNagValidationFailure";

    fn bucket(properties: Value) -> Value {
        json!({"Type": "AWS::S3::Bucket", "Properties": properties})
    }

    fn policy(bucket: Value, statements: Value) -> Value {
        json!({"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": bucket, "PolicyDocument": {"Statement": statements}}})
    }

    fn ssl_statement(resources: Value) -> Value {
        json!({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": resources,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    }

    #[test]
    fn s1_logging_or_log_destination() {
        assert!(findings_of(
            "S1",
            &bucket(json!({"LoggingConfiguration": {"LogFilePrefix": "x/"}}))
        )
        .is_empty());
        assert_eq!(findings_of("S1", &bucket(json!({}))), [""]);
        // A bucket other buckets log to passes, by logical ID or by name.
        let template = json!({"Resources": {
            "Logs": bucket(json!({"BucketName": "my-logs"})),
            "Data": bucket(json!({"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}})),
            "Named": bucket(json!({"BucketName": "named-logs"})),
            "Other": bucket(json!({"LoggingConfiguration": {"DestinationBucketName": "named-logs"}})),
        }});
        assert!(findings_in("S1", &template, "Logs").is_empty());
        assert!(findings_in("S1", &template, "Named").is_empty());
        // cdk-nag's regex is not anchored at the start: `Logs` is found in `<AppLogs>`.
        let template = json!({"Resources": {
            "Logs": bucket(json!({})),
            "Data": bucket(json!({"LoggingConfiguration": {"DestinationBucketName": {"Ref": "AppLogs"}}})),
            "AppLogs": bucket(json!({"LoggingConfiguration": {"LogFilePrefix": "self/"}})),
        }});
        assert!(findings_in("S1", &template, "Logs").is_empty());
        // A destination cdk-nag cannot flatten (`Fn::Join` of a non-list) cannot be judged.
        let template = json!({"Resources": {
            "Logs": bucket(json!({})),
            "Data": bucket(json!({"LoggingConfiguration": {"DestinationBucketName": {"Fn::Join": ["", {"Ref": "L"}]}}})),
        }});
        assert_eq!(findings_in("S1", &template, "Logs"), [FAIL]);
    }

    #[test]
    fn s2_all_four_blocks_or_none() {
        let all = |v: Value| json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": v, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}});
        assert!(findings_of("S2", &bucket(json!({}))).is_empty());
        assert!(findings_of("S2", &bucket(all(json!("true")))).is_empty());
        assert_eq!(findings_of("S2", &bucket(all(json!(false)))), [""]);
        assert_eq!(
            findings_of(
                "S2",
                &bucket(json!({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true}}))
            ),
            [""]
        );
        assert_eq!(
            findings_of("S2", &bucket(all(json!({"Fn::If": ["C", true, false]})))),
            [FAIL]
        );
    }

    #[test]
    fn s5_website_buckets_use_an_oai_policy() {
        let site = bucket(json!({"WebsiteConfiguration": {"IndexDocument": "index.html"}}));
        let oai = json!({"Effect": "Allow", "Principal": {"CanonicalUser": "abc"}, "Action": "s3:GetObject", "Resource": "*"});
        let open =
            json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"});
        let with = |statements: Value| json!({"Resources": {"Site": site, "P": policy(json!({"Ref": "Site"}), statements)}});
        assert!(findings_in("S5", &with(json!([oai])), "Site").is_empty());
        assert_eq!(findings_in("S5", &with(json!([oai, open])), "Site"), [""]);
        assert_eq!(findings_of("S5", &site), [""]);
        assert!(findings_of("S5", &bucket(json!({}))).is_empty());
        // An OAI statement granting more than get/put fails; one without a principal cannot be judged.
        let list = json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E1"}, "Action": ["s3:GetObject", "s3:ListBucket"]});
        assert_eq!(findings_in("S5", &with(json!([list])), "Site"), [""]);
        assert_eq!(
            findings_in(
                "S5",
                &with(json!([{"Effect": "Allow", "Action": "s3:GetObject"}])),
                "Site"
            ),
            [FAIL]
        );
    }

    #[test]
    fn s10_policies_deny_requests_without_tls() {
        let good = ssl_statement(
            json!([{"Fn::GetAtt": ["B", "Arn"]}, {"Fn::Join": ["", [{"Fn::GetAtt": ["B", "Arn"]}, "/*"]]}]),
        );
        let template = json!({"Resources": {"B": bucket(json!({})), "P": policy(json!({"Ref": "B"}), json!([good]))}});
        assert!(findings_in("S10", &template, "B").is_empty());
        assert!(findings_in("S10", &template, "P").is_empty());
        assert_eq!(findings_of("S10", &bucket(json!({}))), [""]);
        // Both the bucket and its objects, by name too.
        let objects_only = ssl_statement(json!(["arn:aws:s3:::b-name/*"]));
        let named = json!({"Resources": {"B": bucket(json!({"BucketName": "b-name"})), "P": policy(json!("b-name"), json!([objects_only]))}});
        assert_eq!(findings_in("S10", &named, "B"), [""]);
        let both = ssl_statement(json!(["arn:aws:s3:::b-name", "arn:aws:s3:::b-name/*"]));
        let named = json!({"Resources": {"B": bucket(json!({"BucketName": "b-name"})), "P": policy(json!("b-name"), json!([both]))}});
        assert!(findings_in("S10", &named, "B").is_empty());
        assert!(findings_in("S10", &named, "P").is_empty());
        let unjudged = json!({"Resources": {"B": bucket(json!({})), "P": policy(json!({"Ref": "B"}), json!({"Fn::If": ["C", [], []]}))}});
        assert_eq!(findings_in("S10", &unjudged, "B"), [FAIL]);
        assert_eq!(findings_in("S10", &unjudged, "P"), [FAIL]);
    }

    #[test]
    fn efs1_not_explicitly_unencrypted() {
        let fs = |p: Value| json!({"Type": "AWS::EFS::FileSystem", "Properties": p});
        assert!(findings_of("EFS1", &fs(json!({}))).is_empty());
        assert!(findings_of("EFS1", &fs(json!({"Encrypted": true}))).is_empty());
        assert_eq!(
            findings_of("EFS1", &fs(json!({"Encrypted": "false"}))),
            [""]
        );
        assert_eq!(
            findings_of("EFS1", &fs(json!({"Encrypted": {"Ref": "P"}}))),
            [FAIL]
        );
    }
}
