//! cdk-nag's `AwsSolutions` networking and content delivery rules
//! (`checkNetworkDelivery`): VPC, CloudFront and API Gateway.

use serde_json::Value;

use crate::js::first_decisive;
use crate::js::JsRegex;
use crate::js::{
    self, boolean, field, for_of, loose_eq_str, opt_field, owned_string, prop, resolve_resource,
    strict_eq, to_js_string, to_lower, truthy, Js,
};
use crate::resource::{resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[
    VPC3, VPC7, CFR1, CFR2, CFR3, CFR4, CFR5, CFR6, CFR7, APIG1, APIG2, APIG3, APIG4, APIG6,
];

const DISTRIBUTION: &str = "AWS::CloudFront::Distribution";
const STREAMING_DISTRIBUTION: &str = "AWS::CloudFront::StreamingDistribution";
const REST_STAGE: &str = "AWS::ApiGateway::Stage";

/// `value.replace(/\s/g, '').length == 0`; only a string has `replace`.
fn blank(value: Js<'_>) -> Result<bool, Unresolved> {
    match value {
        Some(Value::String(s)) => Ok(s.chars().all(js::regex::is_js_space)),
        Some(other) => Err(Unresolved::new(other)),
        None => Err(Unresolved::new(&Value::Null)),
    }
}

pub(crate) const VPC3: Rule = Rule {
    id: "VPC3",
    level: Level::Warning,
    info: "A Network ACL or Network ACL entry has been implemented.",
    explanation: "Network ACLs should be used sparingly for the following reasons: they can be complex to manage, they are stateless, every IP address must be explicitly opened in each (inbound/outbound) direction, and they affect a complete subnet. Use security groups when possible as they are stateful and easier to manage.",
    check: vpc_no_nacls,
};

/// Every network ACL and network ACL entry is a finding.
fn vpc_no_nacls(r: &Resource<'_>) -> RuleResult {
    Ok(match r.type_name {
        "AWS::EC2::NetworkAcl" | "AWS::EC2::NetworkAclEntry" => Outcome::NonCompliant,
        _ => Outcome::NotApplicable,
    })
}

pub(crate) const VPC7: Rule = Rule {
    id: "VPC7",
    level: Level::Error,
    info: "The VPC does not have an associated Flow Log.",
    explanation: "VPC Flow Logs capture network flow information for a VPC, subnet, or network interface and stores it in Amazon CloudWatch Logs. Flow log data can help customers troubleshoot network issues; for example, to diagnose why specific traffic is not reaching an instance, which might be a result of overly restrictive security group rules.",
    check: vpc_flow_logs_enabled,
};

/// A flow log of the template has `ResourceType: VPC` and references the
/// VPC in `ResourceId`.
fn vpc_flow_logs_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::EC2::VPC" {
        return Ok(Outcome::NotApplicable);
    }
    let vpc = Value::String(r.logical_id.to_owned());
    let found = r
        .template
        .resources_of_type("AWS::EC2::FlowLog")
        .any(|log| {
            let resource_id = owned_string(prop(&log, "ResourceId"));
            owned_string(prop(&log, "ResourceType")) == Some(Value::String("VPC".to_owned()))
                && strict_eq(resolve_resource(resource_id.as_ref()), Some(&vpc))
        });
    Ok(compliant_if(found))
}

pub(crate) const CFR1: Rule = Rule {
    id: "CFR1",
    level: Level::Warning,
    info: "The CloudFront distribution may require Geo restrictions.",
    explanation: "Geo restriction may need to be enabled for the distribution in order to allow or deny a country in order to allow or restrict users in specific locations from accessing content.",
    check: cloudfront_distribution_geo_restrictions,
};

/// A distribution has `Restrictions` whose geo restriction type is not `none`.
fn cloudfront_distribution_geo_restrictions(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let Some(restrictions) = field(prop(r, "DistributionConfig"), "Restrictions")? else {
        return Ok(Outcome::NonCompliant);
    };
    let geo = field(Some(restrictions), "GeoRestriction")?;
    let restriction_type = resolve_primitive(field(geo, "RestrictionType")?)?;
    Ok(compliant_if(!loose_eq_str(restriction_type, "none")))
}

pub(crate) const CFR2: Rule = Rule {
    id: "CFR2",
    level: Level::Warning,
    info: "The CloudFront distribution may require integration with AWS WAF.",
    explanation: "The Web Application Firewall can help protect against application-layer attacks that can compromise the security of the system or place unnecessary load on them.",
    check: cloudfront_distribution_waf_integration,
};

/// A distribution has a `WebACLId`.
fn cloudfront_distribution_waf_integration(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let web_acl = field(prop(r, "DistributionConfig"), "WebACLId")?;
    Ok(compliant_if(web_acl.is_some()))
}

pub(crate) const CFR3: Rule = Rule {
    id: "CFR3",
    level: Level::Error,
    info: "The CloudFront distribution does not have access logging enabled.",
    explanation: "Enabling access logs helps operators track all viewer requests for the content delivered through the Content Delivery Network.",
    check: cloudfront_distribution_access_logging,
};

/// A distribution has `Logging`; a streaming distribution has `Logging`
/// with `Enabled` true.
fn cloudfront_distribution_access_logging(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        DISTRIBUTION => {
            let logging = field(prop(r, "DistributionConfig"), "Logging")?;
            Ok(compliant_if(logging.is_some()))
        }
        STREAMING_DISTRIBUTION => {
            let Some(logging) = field(prop(r, "StreamingDistributionConfig"), "Logging")? else {
                return Ok(Outcome::NonCompliant);
            };
            let enabled = resolve_primitive(boolean(field(Some(logging), "Enabled")?))?;
            Ok(compliant_if(truthy(enabled)))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const CFR4: Rule = Rule {
    id: "CFR4",
    level: Level::Error,
    info: "The CloudFront distribution allows for SSLv3 or TLSv1 for HTTPS viewer connections.",
    explanation: "Vulnerabilities have been and continue to be discovered in the deprecated SSL and TLS protocols. Help protect viewer connections by specifying a viewer certificate that enforces a minimum of TLSv1.1 or TLSv1.2 in the security policy. Distributions that use the default CloudFront viewer certificate or use 'vip' for the 'SslSupportMethod' are non-compliant with this rule, as the minimum security policy is set to TLSv1 regardless of the specified 'MinimumProtocolVersion'.",
    check: cloudfront_distribution_https_viewer_no_outdated_ssl,
};

/// A distribution has a viewer certificate that is not CloudFront's
/// default, uses SNI (not `vip`), and sets a minimum protocol version other
/// than SSLv3, TLSv1 and TLSv1_2016.
fn cloudfront_distribution_https_viewer_no_outdated_ssl(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let Some(certificate) = field(prop(r, "DistributionConfig"), "ViewerCertificate")? else {
        return Ok(Outcome::NonCompliant);
    };
    let certificate = Some(certificate);
    let minimum = owned_string(opt_field(certificate, "MinimumProtocolVersion"));
    let method = owned_string(opt_field(certificate, "SslSupportMethod"));
    let default_certificate = boolean(opt_field(certificate, "CloudFrontDefaultCertificate"));
    // cdk-nag's `||` chain, in its order: each `toLowerCase` throws on an intrinsic.
    if default_certificate == Some(&Value::Bool(true)) || method.is_none() {
        return Ok(Outcome::NonCompliant);
    }
    if to_lower(method.as_ref())? == "vip" || minimum.is_none() {
        return Ok(Outcome::NonCompliant);
    }
    let minimum = to_lower(minimum.as_ref())?;
    Ok(compliant_if(
        !["sslv3", "tlsv1", "tlsv1_2016"].contains(&minimum.as_str()),
    ))
}

pub(crate) const CFR5: Rule = Rule {
    id: "CFR5",
    level: Level::Error,
    info: "The CloudFront distributions uses SSLv3 or TLSv1 for communication to the origin.",
    explanation: "Vulnerabilities have been and continue to be discovered in the deprecated SSL and TLS protocols. Using a security policy with minimum TLSv1.1 or TLSv1.2 and appropriate security ciphers for HTTPS helps protect viewer connections.",
    check: cloudfront_distribution_no_outdated_ssl,
};

/// Every custom origin of a distribution is `https-only` and lists its
/// `OriginSSLProtocols`, none of them SSLv3 or TLSv1.
fn cloudfront_distribution_no_outdated_ssl(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let Some(origins) = field(prop(r, "DistributionConfig"), "Origins")? else {
        return Ok(Outcome::Compliant);
    };
    for origin in for_of(Some(origins))?.iter() {
        let Some(custom) = field(Some(origin), "CustomOriginConfig")? else {
            continue;
        };
        let policy = resolve_primitive(field(Some(custom), "OriginProtocolPolicy")?)?;
        if !loose_eq_str(policy, "https-only") {
            return Ok(Outcome::NonCompliant);
        }
        let protocols = match field(Some(custom), "OriginSSLProtocols")? {
            None => return Ok(Outcome::NonCompliant),
            // `.map` exists on arrays only.
            Some(Value::Array(items)) => items,
            Some(other) => return Err(Unresolved::new(other)),
        };
        let lower = protocols
            .iter()
            .map(|p| to_lower(owned_string(js::defined(Some(p))).as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        if lower.iter().any(|p| p == "sslv3" || p == "tlsv1") {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const CFR6: Rule = Rule {
    id: "CFR6",
    level: Level::Error,
    info: "The CloudFront Streaming distribution does not use an origin access identity with an S3 origin.",
    explanation: "Origin access identities help with security by restricting any direct access to objects through S3 URLs.",
    check: cloudfront_distribution_s3_origin_access_identity,
};

/// A streaming distribution's S3 origin has a non-blank `OriginAccessIdentity`.
fn cloudfront_distribution_s3_origin_access_identity(r: &Resource<'_>) -> RuleResult {
    if r.type_name != STREAMING_DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let origin = field(prop(r, "StreamingDistributionConfig"), "S3Origin")?;
    let identity = owned_string(field(origin, "OriginAccessIdentity")?);
    Ok(compliant_if(!blank(identity.as_ref())?))
}

pub(crate) const CFR7: Rule = Rule {
    id: "CFR7",
    level: Level::Error,
    info: "The CloudFront distribution does not use an origin access control with an S3 origin.",
    explanation: "Origin access controls help with security by restricting any direct access to objects through S3 URLs.",
    check: cloudfront_distribution_s3_origin_access_control,
};

/// Every origin whose `DomainName` references a bucket of the template
/// (`Ref` or array-form `Fn::GetAtt`) has a non-blank `OriginAccessControlId`.
fn cloudfront_distribution_s3_origin_access_control(r: &Resource<'_>) -> RuleResult {
    if r.type_name != DISTRIBUTION {
        return Ok(Outcome::NotApplicable);
    }
    let Some(origins) = field(prop(r, "DistributionConfig"), "Origins")? else {
        return Ok(Outcome::Compliant);
    };
    for origin in for_of(Some(origins))?.iter() {
        let origin = Some(origin);
        let domain = owned_string(field(origin, "DomainName")?);
        let target = resolve_resource(domain.as_ref());
        for bucket in r.template.resources_of_type("AWS::S3::Bucket") {
            if strict_eq(target, Some(&Value::String(bucket.logical_id.to_owned()))) {
                let control = owned_string(field(origin, "OriginAccessControlId")?);
                let control = resolve_resource(control.as_ref());
                if control.is_none() || blank(control)? {
                    return Ok(Outcome::NonCompliant);
                }
            }
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const APIG1: Rule = Rule {
    id: "APIG1",
    level: Level::Error,
    info: "The API does not have access logging enabled.",
    explanation: "Enabling access logs helps operators view who accessed an API and how the caller accessed the API.",
    check: apigw_access_logging,
};

/// A REST or HTTP/WebSocket API stage has access log settings with a
/// destination and a format.
fn apigw_access_logging(r: &Resource<'_>) -> RuleResult {
    let settings = match r.type_name {
        REST_STAGE => prop(r, "AccessLogSetting"),
        "AWS::ApiGatewayV2::Stage" => prop(r, "AccessLogSettings"),
        _ => return Ok(Outcome::NotApplicable),
    };
    Ok(compliant_if(
        settings.is_some()
            && opt_field(settings, "DestinationArn").is_some()
            && opt_field(settings, "Format").is_some(),
    ))
}

pub(crate) const APIG2: Rule = Rule {
    id: "APIG2",
    level: Level::Error,
    info: "The REST API does not have request validation enabled.",
    explanation: "The API should have basic request validation enabled. If the API is integrated with custom source (Lambda, ECS, etc..) in the backend, deeper input validation should be considered for implementation.",
    check: apigw_request_validation,
};

/// A request validator of the template references the REST API and
/// validates both the body and the parameters.
fn apigw_request_validation(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ApiGateway::RestApi" {
        return Ok(Outcome::NotApplicable);
    }
    let api = Value::String(r.logical_id.to_owned());
    let found = r
        .template
        .resources_of_type("AWS::ApiGateway::RequestValidator")
        .any(|v| {
            let rest_api = owned_string(prop(&v, "RestApiId"));
            strict_eq(resolve_resource(rest_api.as_ref()), Some(&api))
                && boolean(prop(&v, "ValidateRequestBody")) == Some(&Value::Bool(true))
                && boolean(prop(&v, "ValidateRequestParameters")) == Some(&Value::Bool(true))
        });
    Ok(compliant_if(found))
}

pub(crate) const APIG3: Rule = Rule {
    id: "APIG3",
    level: Level::Warning,
    info: "The REST API stage is not associated with AWS WAFv2 web ACL.",
    explanation: "AWS WAFv2 is a web application firewall that helps protect web applications and APIs from attacks by allowing configured rules to allow, block, or monitor (count) web requests based on customizable rules and conditions that are defined.",
    check: apigw_associated_with_waf,
};

/// A WAFv2 web ACL association of the template has a `ResourceArn` whose
/// JSON matches `<rest api id>.+<stage logical ID or name>` (cdk-nag's
/// regex, multiline).
fn apigw_associated_with_waf(r: &Resource<'_>) -> RuleResult {
    if r.type_name != REST_STAGE {
        return Ok(Outcome::NotApplicable);
    }
    let stage_name = owned_string(prop(r, "StageName"));
    let stage_name = resolve_resource(stage_name.as_ref());
    let rest_api = owned_string(prop(r, "RestApiId"));
    let rest_api = to_js_string(resolve_resource(rest_api.as_ref()));
    let mut patterns = vec![format!(r"{rest_api}.+{}(?![\w])", r.logical_id)];
    if stage_name.is_some() {
        patterns.push(format!(r"{rest_api}.+{}(?![\w])", to_js_string(stage_name)));
    }
    let pattern = patterns.join("|");
    let results = r
        .template
        .resources_of_type("AWS::WAFv2::WebACLAssociation")
        .map(|association| {
            // cdk-nag builds the regex for each association.
            let verdict = JsRegex::new(&pattern, "gm").and_then(|regex| {
                let arn = owned_string(prop(&association, "ResourceArn"));
                let arn = js::json_stringify(arn.as_ref());
                regex.test(arn.as_deref().unwrap_or("undefined"))
            });
            (association.logical_id, verdict)
        })
        .collect();
    Ok(compliant_if(first_decisive(&r.template, results)?))
}

pub(crate) const APIG4: Rule = Rule {
    id: "APIG4",
    level: Level::Error,
    info: "The API does not implement authorization.",
    explanation: "In most cases an API needs to have an authentication and authorization implementation strategy. This includes using such approaches as IAM, Cognito User Pools, Custom authorizer, etc.",
    check: apigw_authorization,
};

/// A REST method or an HTTP/WebSocket route has an `AuthorizationType`
/// other than `NONE`. An `OPTIONS` method whose every method response is a
/// `204` with an `Access-Control-Allow-*` header is a CORS preflight, and
/// not checked.
fn apigw_authorization(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        "AWS::ApiGateway::Method" => {
            let http_method = resolve_primitive(prop(r, "HttpMethod"))?;
            if http_method == Some(&Value::String("OPTIONS".to_owned())) && cors_preflight(r)? {
                return Ok(Outcome::NotApplicable);
            }
        }
        "AWS::ApiGatewayV2::Route" => {}
        _ => return Ok(Outcome::NotApplicable),
    }
    let authorization = owned_string(resolve_primitive(prop(r, "AuthorizationType"))?);
    Ok(compliant_if(
        authorization.is_some() && !loose_eq_str(authorization.as_ref(), "NONE"),
    ))
}

/// cdk-nag's `checkCORSMethodResponses`: `MethodResponses?.every(..)`.
fn cors_preflight(r: &Resource<'_>) -> Result<bool, Unresolved> {
    let responses = match prop(r, "MethodResponses") {
        None => return Ok(false),
        Some(Value::Array(items)) => items,
        // Only arrays have `every`.
        Some(other) => return Err(Unresolved::new(other)),
    };
    for response in responses {
        let response = js::defined(Some(response));
        let parameters = field(response, "ResponseParameters")?;
        let cors_header = match parameters.filter(|p| truthy(Some(p))) {
            Some(Value::Object(map)) => map.iter().any(|(key, value)| {
                key.starts_with("method.response.header.Access-Control-Allow-")
                    && boolean(Some(value)) == Some(&Value::Bool(true))
            }),
            // `Object.entries` of a string or an array: index keys, never a header name.
            _ => false,
        };
        let status = owned_string(field(response, "StatusCode")?);
        if !(status == Some(Value::String("204".to_owned())) && cors_header) {
            return Ok(false);
        }
    }
    Ok(true)
}

pub(crate) const APIG6: Rule = Rule {
    id: "APIG6",
    level: Level::Error,
    info: "The REST API Stage does not have CloudWatch logging enabled for all methods.",
    explanation: "Enabling CloudWatch logs at the stage level helps operators to track and analyze execution behavior at the API stage level.",
    check: apigw_execution_logging_enabled,
};

/// A REST API stage has a method setting for `*` `/*` with logging level
/// `ERROR` or `INFO`.
fn apigw_execution_logging_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != REST_STAGE {
        return Ok(Outcome::NotApplicable);
    }
    let Some(settings) = prop(r, "MethodSettings") else {
        return Ok(Outcome::NonCompliant);
    };
    for setting in for_of(Some(settings))?.iter() {
        let setting = Some(setting);
        let level = opt_field(setting, "LoggingLevel");
        if loose_eq_str(opt_field(setting, "HttpMethod"), "*")
            && loose_eq_str(opt_field(setting, "ResourcePath"), "/*")
            && (loose_eq_str(level, "ERROR") || loose_eq_str(level, "INFO"))
        {
            return Ok(Outcome::Compliant);
        }
    }
    Ok(Outcome::NonCompliant)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const FAIL: &str = "CdkNagValidationFailure";

    fn distribution(config: Value) -> Value {
        json!({"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": config}})
    }

    /// Whether `rule` gives no verdict at all on resource `R` (not applicable).
    fn not_applicable(rule: &str, resource: &Value) -> bool {
        let report = crate::check(
            &json!({"Resources": {"R": resource}}),
            &[&crate::AWS_SOLUTIONS],
        )
        .unwrap();
        let id = format!("AwsSolutions-{rule}");
        !report.findings.iter().any(|f| f.rule_id == id)
    }

    #[test]
    fn vpc3_every_network_acl() {
        assert_eq!(
            findings_of(
                "VPC3",
                &json!({"Type": "AWS::EC2::NetworkAcl", "Properties": {"VpcId": "vpc-1"}})
            ),
            [""]
        );
        assert_eq!(
            findings_of("VPC3", &json!({"Type": "AWS::EC2::NetworkAclEntry"})),
            [""]
        );
        assert!(not_applicable("VPC3", &json!({"Type": "AWS::EC2::Subnet"})));
    }

    #[test]
    fn vpc7_flow_log_of_the_vpc() {
        let log = |kind: &str| json!({"Type": "AWS::EC2::FlowLog", "Properties": {"ResourceId": {"Ref": "V"}, "ResourceType": kind}});
        let vpc = json!({"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}});
        assert!(findings_in(
            "VPC7",
            &json!({"Resources": {"V": vpc, "L": log("VPC")}}),
            "V"
        )
        .is_empty());
        assert_eq!(
            findings_in(
                "VPC7",
                &json!({"Resources": {"V": vpc, "L": log("Subnet")}}),
                "V"
            ),
            [""]
        );
        assert_eq!(findings_of("VPC7", &vpc), [""]);
    }

    #[test]
    fn cfr1_geo_restrictions() {
        let geo = |t: Value| {
            distribution(json!({"Restrictions": {"GeoRestriction": {"RestrictionType": t}}}))
        };
        assert!(findings_of("CFR1", &geo(json!("whitelist"))).is_empty());
        assert_eq!(findings_of("CFR1", &geo(json!("none"))), [""]);
        assert_eq!(findings_of("CFR1", &distribution(json!({}))), [""]);
        assert_eq!(findings_of("CFR1", &geo(json!({"Ref": "P"}))), [FAIL]);
        // A `Restrictions` without `GeoRestriction` throws in cdk-nag.
        assert_eq!(
            findings_of("CFR1", &distribution(json!({"Restrictions": {}}))),
            [FAIL]
        );
    }

    #[test]
    fn cfr2_web_acl() {
        assert!(findings_of("CFR2", &distribution(json!({"WebACLId": "arn"}))).is_empty());
        assert_eq!(findings_of("CFR2", &distribution(json!({}))), [""]);
    }

    #[test]
    fn cfr3_access_logging() {
        assert!(findings_of("CFR3", &distribution(json!({"Logging": {"Bucket": "b"}}))).is_empty());
        assert_eq!(findings_of("CFR3", &distribution(json!({}))), [""]);
        let streaming = |logging: Value| json!({"Type": "AWS::CloudFront::StreamingDistribution", "Properties": {"StreamingDistributionConfig": {"Logging": logging}}});
        assert!(findings_of("CFR3", &streaming(json!({"Enabled": "true"}))).is_empty());
        assert_eq!(
            findings_of("CFR3", &streaming(json!({"Enabled": false}))),
            [""]
        );
        assert_eq!(
            findings_of("CFR3", &streaming(json!({"Enabled": {"Ref": "P"}}))),
            [FAIL]
        );
    }

    #[test]
    fn cfr4_viewer_tls() {
        let cert = |c: Value| distribution(json!({"ViewerCertificate": c}));
        assert!(findings_of("CFR4", &cert(json!({"AcmCertificateArn": "arn", "SslSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}))).is_empty());
        assert_eq!(findings_of("CFR4", &distribution(json!({}))), [""]);
        assert_eq!(
            findings_of("CFR4", &cert(json!({"CloudFrontDefaultCertificate": true}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR4",
                &cert(json!({"SslSupportMethod": "vip", "MinimumProtocolVersion": "TLSv1.2_2021"}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR4",
                &cert(
                    json!({"SslSupportMethod": "sni-only", "MinimumProtocolVersion": "tlsv1_2016"})
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR4",
                &cert(
                    json!({"SslSupportMethod": {"Ref": "P"}, "MinimumProtocolVersion": "TLSv1.2_2021"})
                )
            ),
            [FAIL]
        );
    }

    #[test]
    fn cfr5_custom_origin_tls() {
        let origin = |custom: Value| {
            distribution(
                json!({"Origins": [{"Id": "a", "DomainName": "a.example.com", "CustomOriginConfig": custom}]}),
            )
        };
        assert!(findings_of(
            "CFR5",
            &origin(
                json!({"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1.2"]})
            )
        )
        .is_empty());
        assert!(findings_of("CFR5", &distribution(json!({}))).is_empty());
        assert_eq!(
            findings_of(
                "CFR5",
                &origin(
                    json!({"OriginProtocolPolicy": "https-only", "OriginSSLProtocols": ["TLSv1", "TLSv1.2"]})
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR5",
                &origin(json!({"OriginProtocolPolicy": "https-only"}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR5",
                &origin(
                    json!({"OriginProtocolPolicy": "match-viewer", "OriginSSLProtocols": ["TLSv1.2"]})
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "CFR5",
                &origin(json!({"OriginProtocolPolicy": {"Ref": "P"}}))
            ),
            [FAIL]
        );
    }

    #[test]
    fn cfr6_streaming_origin_access_identity() {
        let streaming = |oai: Value| json!({"Type": "AWS::CloudFront::StreamingDistribution", "Properties": {"StreamingDistributionConfig": {"S3Origin": {"DomainName": "b.s3.amazonaws.com", "OriginAccessIdentity": oai}}}});
        assert!(findings_of(
            "CFR6",
            &streaming(json!("origin-access-identity/cloudfront/E1"))
        )
        .is_empty());
        assert_eq!(findings_of("CFR6", &streaming(json!(" \t"))), [""]);
        assert_eq!(
            findings_of(
                "CFR6",
                &streaming(json!({"Fn::Sub": "origin-access-identity/cloudfront/${I}"}))
            ),
            [FAIL]
        );
    }

    #[test]
    fn cfr7_bucket_origins_use_an_origin_access_control() {
        let with = |origin: Value| json!({"Resources": {"B": {"Type": "AWS::S3::Bucket"}, "D": distribution(json!({"Origins": [origin]}))}});
        let domain = json!({"Fn::GetAtt": ["B", "RegionalDomainName"]});
        assert!(findings_in(
            "CFR7",
            &with(
                json!({"DomainName": domain, "OriginAccessControlId": {"Fn::GetAtt": ["O", "Id"]}})
            ),
            "D"
        )
        .is_empty());
        assert_eq!(
            findings_in(
                "CFR7",
                &with(
                    json!({"DomainName": domain, "S3OriginConfig": {"OriginAccessIdentity": "x"}})
                ),
                "D"
            ),
            [""]
        );
        assert_eq!(
            findings_in(
                "CFR7",
                &with(json!({"DomainName": domain, "OriginAccessControlId": ""})),
                "D"
            ),
            [""]
        );
        assert_eq!(
            findings_in(
                "CFR7",
                &with(
                    json!({"DomainName": domain, "OriginAccessControlId": {"Fn::GetAtt": "O.Id"}})
                ),
                "D"
            ),
            [FAIL]
        );
        // Origins that are not buckets of the template (cdk-nag does not see the short `Fn::GetAtt` form as one).
        assert!(findings_in("CFR7", &with(json!({"DomainName": "example.com"})), "D").is_empty());
        assert!(findings_in(
            "CFR7",
            &with(json!({"DomainName": {"Fn::GetAtt": "B.RegionalDomainName"}})),
            "D"
        )
        .is_empty());
    }

    #[test]
    fn apig1_access_logs() {
        let stage = |p: Value| json!({"Type": "AWS::ApiGateway::Stage", "Properties": p});
        assert!(findings_of("APIG1", &stage(json!({"AccessLogSetting": {"DestinationArn": "arn", "Format": "$context.requestId"}}))).is_empty());
        assert_eq!(
            findings_of(
                "APIG1",
                &stage(json!({"AccessLogSetting": {"DestinationArn": "arn"}}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "APIG1",
                &json!({"Type": "AWS::ApiGatewayV2::Stage", "Properties": {}})
            ),
            [""]
        );
        assert!(findings_of("APIG1", &json!({"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"AccessLogSettings": {"DestinationArn": "arn", "Format": "f"}}})).is_empty());
    }

    #[test]
    fn apig2_request_validator() {
        let with = |parameters: Value| {
            json!({"Resources": {"A": {"Type": "AWS::ApiGateway::RestApi"}, "V": {"Type": "AWS::ApiGateway::RequestValidator",
            "Properties": {"RestApiId": {"Ref": "A"}, "ValidateRequestBody": true, "ValidateRequestParameters": parameters}}}})
        };
        assert!(findings_in("APIG2", &with(json!("true")), "A").is_empty());
        assert_eq!(findings_in("APIG2", &with(json!(false)), "A"), [""]);
    }

    #[test]
    fn apig3_web_acl_association() {
        let stage = |api: Value| json!({"Type": "AWS::ApiGateway::Stage", "Properties": {"RestApiId": api, "StageName": "prod"}});
        let association = |arn: Value| json!({"Type": "AWS::WAFv2::WebACLAssociation", "Properties": {"ResourceArn": arn, "WebACLArn": "arn"}});
        let by_name = json!({"Fn::Join": ["", ["arn:aws:apigateway:us-east-1::/restapis/", {"Ref": "A"}, "/stages/prod"]]});
        let with =
            |api: Value, arn: Value| json!({"Resources": {"S": stage(api), "W": association(arn)}});
        assert!(findings_in("APIG3", &with(json!({"Ref": "A"}), by_name.clone()), "S").is_empty());
        assert!(findings_in(
            "APIG3",
            &with(
                json!({"Ref": "A"}),
                json!({"Fn::Sub": "arn:aws:apigateway:us-east-1::/restapis/${A}/stages/${S}"})
            ),
            "S"
        )
        .is_empty());
        assert_eq!(
            findings_in("APIG3", &with(json!({"Ref": "Other"}), by_name), "S"),
            [""]
        );
        assert_eq!(findings_of("APIG3", &stage(json!({"Ref": "A"}))), [""]);
        // The API id goes into cdk-nag's regex as is: one JavaScript rejects cannot be judged.
        assert_eq!(
            findings_in("APIG3", &with(json!("api("), json!("arn")), "S"),
            [FAIL]
        );
    }

    #[test]
    fn apig4_authorization() {
        let method = |p: Value| json!({"Type": "AWS::ApiGateway::Method", "Properties": p});
        assert!(findings_of(
            "APIG4",
            &method(json!({"HttpMethod": "GET", "AuthorizationType": "AWS_IAM"}))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "APIG4",
                &method(json!({"HttpMethod": "GET", "AuthorizationType": "NONE"}))
            ),
            [""]
        );
        assert_eq!(
            findings_of("APIG4", &method(json!({"HttpMethod": "GET"}))),
            [""]
        );
        assert_eq!(
            findings_of(
                "APIG4",
                &json!({"Type": "AWS::ApiGatewayV2::Route", "Properties": {"RouteKey": "GET /"}})
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "APIG4",
                &method(json!({"HttpMethod": "GET", "AuthorizationType": {"Ref": "P"}}))
            ),
            [FAIL]
        );
        // A CORS preflight is not checked; an OPTIONS method answering 200 is.
        let preflight = |status: Value| {
            method(
                json!({"HttpMethod": "OPTIONS", "AuthorizationType": "NONE", "MethodResponses": [
            {"StatusCode": status, "ResponseParameters": {"method.response.header.Access-Control-Allow-Origin": "true"}}]}),
            )
        };
        assert!(not_applicable("APIG4", &preflight(json!(204))));
        assert_eq!(findings_of("APIG4", &preflight(json!("200"))), [""]);
        assert_eq!(
            findings_of(
                "APIG4",
                &method(json!({"HttpMethod": "OPTIONS", "MethodResponses": {"Ref": "P"}}))
            ),
            [FAIL]
        );
    }

    #[test]
    fn apig6_execution_logging() {
        let stage = |settings: Value| json!({"Type": "AWS::ApiGateway::Stage", "Properties": {"MethodSettings": settings}});
        assert!(findings_of(
            "APIG6",
            &stage(json!([{"HttpMethod": "*", "ResourcePath": "/*", "LoggingLevel": "INFO"}]))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "APIG6",
                &stage(
                    json!([{"HttpMethod": "GET", "ResourcePath": "/*", "LoggingLevel": "ERROR"}])
                )
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "APIG6",
                &json!({"Type": "AWS::ApiGateway::Stage", "Properties": {}})
            ),
            [""]
        );
        assert_eq!(
            findings_of("APIG6", &stage(json!({"Fn::If": ["C", [], []]}))),
            [FAIL]
        );
    }
}
