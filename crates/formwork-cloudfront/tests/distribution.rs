//! The distribution L2: the CDK's defaults, the origin access control and
//! its bucket policy statement, options, logging, imports, errors, and
//! cfn-lint over a full site template.

use std::time::Duration;

use formwork_cloudfront::{
    AllowedMethods, BehaviorOptions, CachePolicy, CachedMethods, Distribution, DistributionProps,
    GeoRestriction, HttpOrigin, HttpVersion, PriceClass, S3BucketOrigin, SecurityPolicyProtocol,
    ViewerProtocolPolicy,
};
use formwork_core::{App, Expr, Stack, Template};
use formwork_s3::{Bucket, BucketProps, ObjectOwnership};
use serde_json::{json, Value};

// Logical IDs, origin id and OAC name of `Distribution::new(stack
// "SiteStack", "Cdn")` over bucket `Site`: what aws-cdk-lib 2.276.0 writes.
const SITE: &str = "SiteE53D7754";
const SITE_POLICY: &str = "SitePolicyC4000D7D";
const OAC: &str = "CdnOrigin1S3OriginAccessControl6AC0AEFC";
const CDN: &str = "Cdn9963B1AD";
const ORIGIN_ID: &str = "SiteStackCdnOrigin12C30E83E";
const OAC_NAME: &str = "SiteStackCdnOrigin1S3OriginAccessControlDF9F6811";

fn site_props(site: &Bucket) -> DistributionProps {
    DistributionProps::new(BehaviorOptions::new(
        S3BucketOrigin::with_origin_access_control(site),
    ))
}

/// A template of stack `SiteStack` with bucket `Site` and distribution `Cdn`
/// built by `props` from the bucket.
fn template(props: impl FnOnce(&Stack, &Bucket) -> DistributionProps) -> Template {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let p = props(&stack, &site);
    Distribution::new(&stack, "Cdn", p).unwrap();
    app.synth().unwrap().stacks.remove(0).template
}

/// The error of `Distribution::new(stack "SiteStack", "Cdn")` with `props`.
fn error(props: impl FnOnce(&Stack, &Bucket) -> DistributionProps) -> String {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let p = props(&stack, &site);
    let error = Distribution::new(&stack, "Cdn", p).unwrap_err().to_string();
    // Refused before anything was created: the id is still free.
    Distribution::new(&stack, "Cdn", site_props(&site)).unwrap();
    error
}

fn properties(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id].properties).unwrap()
}

fn config(t: &Template) -> Value {
    properties(t, CDN)["DistributionConfig"].clone()
}

fn distribution_arn() -> Value {
    json!({"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Cdn9963B1AD}"})
}

#[test]
fn defaults_are_the_cdks() {
    let t = template(|_, site| site_props(site));
    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(ids, [SITE, SITE_POLICY, OAC, CDN]);
    assert_eq!(
        properties(&t, OAC),
        json!({"OriginAccessControlConfig": {
            "Name": OAC_NAME,
            "OriginAccessControlOriginType": "s3",
            "SigningBehavior": "always",
            "SigningProtocol": "sigv4"
        }})
    );
    assert_eq!(
        config(&t),
        json!({
            "DefaultCacheBehavior": {
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
                "Compress": true,
                "TargetOriginId": ORIGIN_ID,
                "ViewerProtocolPolicy": "redirect-to-https"
            },
            "Enabled": true,
            "HttpVersion": "http2",
            "IPV6Enabled": true,
            "Origins": [{
                "DomainName": {"Fn::GetAtt": [SITE, "RegionalDomainName"]},
                "Id": ORIGIN_ID,
                "OriginAccessControlId": {"Fn::GetAtt": [OAC, "Id"]},
                "S3OriginConfig": {"OriginAccessIdentity": ""}
            }]
        })
    );
}

#[test]
fn the_bucket_policy_lets_only_this_distribution_read() {
    let t = template(|_, site| site_props(site));
    let statements = &properties(&t, SITE_POLICY)["PolicyDocument"]["Statement"];
    assert_eq!(
        statements.as_array().unwrap().len(),
        2,
        "TLS only, then OAC"
    );
    assert_eq!(
        statements[1],
        json!({
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [SITE, "Arn"]}, "/*"]]},
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn()}}
        })
    );
}

#[test]
fn attributes() {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let cdn = Distribution::new(&stack, "Cdn", site_props(&site)).unwrap();
    stack.output("Id", cdn.distribution_id());
    stack.output("Domain", cdn.distribution_domain_name());
    stack.output("Arn", cdn.distribution_arn());
    assert_eq!(cdn.construct().path(), "SiteStack/Cdn");
    let t = app.synth().unwrap().stacks.remove(0).template;
    let out = |k: &str| serde_json::to_value(&t.outputs[k].value).unwrap();
    assert_eq!(out("Id"), json!({"Ref": CDN}));
    assert_eq!(out("Domain"), json!({"Fn::GetAtt": [CDN, "DomainName"]}));
    assert_eq!(out("Arn"), distribution_arn());
}

#[test]
fn options() {
    let t = template(|_, site| {
        DistributionProps {
        default_root_object: Some("index.html".into()),
        comment: Some("The site".into()),
        enabled: false,
        price_class: PriceClass::PriceClass100,
        http_version: HttpVersion::Http2And3,
        enable_ipv6: false,
        domain_names: vec!["www.example.com".into()],
        certificate: Some(
            "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012"
                .into(),
        ),
        minimum_protocol_version: Some(SecurityPolicyProtocol::TlsV1_2_2025),
        geo_restriction: Some(GeoRestriction::allowlist(["DE", "FR"])),
        web_acl_id: Some(
            "arn:aws:wafv2:us-east-1:111122223333:global/webacl/site/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
                .into(),
        ),
        default_behavior: BehaviorOptions {
            viewer_protocol_policy: ViewerProtocolPolicy::HttpsOnly,
            allowed_methods: AllowedMethods::GetHeadOptions,
            cached_methods: CachedMethods::GetHeadOptions,
            cache_policy: CachePolicy::CachingDisabled,
            compress: false,
            ..BehaviorOptions::new(S3BucketOrigin::with_origin_access_control(site))
        },
        ..site_props(site)
    }
    });
    let c = config(&t);
    assert_eq!(
        c["DefaultCacheBehavior"],
        json!({
            "AllowedMethods": ["GET", "HEAD", "OPTIONS"],
            "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            "CachedMethods": ["GET", "HEAD", "OPTIONS"],
            "Compress": false,
            "TargetOriginId": ORIGIN_ID,
            "ViewerProtocolPolicy": "https-only"
        })
    );
    assert_eq!(c["Aliases"], json!(["www.example.com"]));
    assert_eq!(c["Comment"], "The site");
    assert_eq!(c["DefaultRootObject"], "index.html");
    assert_eq!(c["Enabled"], false);
    assert_eq!(c["HttpVersion"], "http2and3");
    assert_eq!(c["IPV6Enabled"], false);
    assert_eq!(c["PriceClass"], "PriceClass_100");
    assert_eq!(
        c["Restrictions"],
        json!({"GeoRestriction": {"Locations": ["DE", "FR"], "RestrictionType": "whitelist"}})
    );
    assert_eq!(
        c["ViewerCertificate"],
        json!({
            "AcmCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012",
            "MinimumProtocolVersion": "TLSv1.2_2025",
            "SslSupportMethod": "sni-only"
        })
    );
    assert!(c["WebACLId"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:wafv2:us-east-1:"));
}

#[test]
fn a_certificate_defaults_to_tls_1_2_2021() {
    let t = template(|_, site| DistributionProps {
        domain_names: vec!["www.example.com".into()],
        certificate: Some(Expr::import_value("Certs-SiteCertificateArn")),
        ..site_props(site)
    });
    assert_eq!(
        config(&t)["ViewerCertificate"]["MinimumProtocolVersion"],
        "TLSv1.2_2021"
    );
}

#[test]
fn enable_logging_creates_an_acl_enabled_log_bucket() {
    let t = template(|_, site| DistributionProps {
        enable_logging: true,
        log_file_prefix: Some("cdn/".into()),
        ..site_props(site)
    });
    let log_bucket = "CdnLoggingBucket7341C58D";
    let ids: Vec<&str> = t.resources.keys().map(String::as_str).collect();
    assert!(ids.contains(&log_bucket), "{ids:?}");
    assert_eq!(
        properties(&t, log_bucket)["OwnershipControls"],
        json!({"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    );
    assert_eq!(
        config(&t)["Logging"],
        json!({
            "Bucket": {"Fn::GetAtt": [log_bucket, "RegionalDomainName"]},
            "Prefix": "cdn/"
        })
    );
}

#[test]
fn an_imported_bucket_origin_warns_and_adds_nothing() {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::from_bucket_name(&stack, "Site", "existing-site-bucket").unwrap();
    let cdn = Distribution::new(&stack, "Cdn", site_props(&site)).unwrap();
    stack.output("Domain", cdn.distribution_domain_name());
    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(ids, [OAC, CDN]);
    assert_eq!(
        config(t)["Origins"][0]["DomainName"],
        json!({"Fn::Join": ["", ["existing-site-bucket.s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}]]})
    );
    let warning = assembly
        .messages
        .iter()
        .find(|m| m.id.as_deref() == Some("@formwork/cloudfront:updateImportedBucketPolicyOac"))
        .expect("a warning");
    assert_eq!(warning.path, "SiteStack/Cdn");
}

/// Props built from the stack and the site bucket.
type PropsFn = dyn FnOnce(&Stack, &Bucket) -> DistributionProps;

#[test]
fn invalid_props_name_path_property_and_rule() {
    let cases: Vec<(Box<PropsFn>, &str)> = vec![
        (
            Box::new(|_, s| DistributionProps {
                additional_behaviors: vec![
                    ("/api/*".into(), BehaviorOptions::new(HttpOrigin::new("api.example.com"))),
                    ("/api/*".into(), BehaviorOptions::new(HttpOrigin::new("other.example.com"))),
                ],
                ..site_props(s)
            }),
            "SiteStack/Cdn: DistributionConfig.CacheBehaviors.PathPattern: \"/api/*\" already has a behavior; a path pattern has one",
        ),
        (
            Box::new(|_, s| DistributionProps { comment: Some("x".repeat(129)), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.Comment: must be at most 128 characters, got 129",
        ),
        (
            Box::new(|_, s| DistributionProps { default_root_object: Some("/index.html".into()), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.DefaultRootObject: must be an object key of 1-255 characters without a leading '/' (e.g. \"index.html\"), got \"/index.html\"",
        ),
        (
            Box::new(|_, s| DistributionProps { minimum_protocol_version: Some(SecurityPolicyProtocol::TlsV1_2_2021), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.ViewerCertificate.MinimumProtocolVersion: needs a certificate: with CloudFront's default certificate the TLS policy is fixed",
        ),
        (
            Box::new(|_, s| DistributionProps { domain_names: vec!["www.example.com".into()], ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.Aliases: alternate domain names need a certificate that covers them",
        ),
        (
            Box::new(|_, s| DistributionProps {
                domain_names: vec!["www.example.com".into()],
                certificate: Some("arn:aws:acm:eu-west-1:111122223333:certificate/abc".into()),
                ..site_props(s)
            }),
            "SiteStack/Cdn: DistributionConfig.ViewerCertificate.AcmCertificateArn: a CloudFront certificate must be an ACM certificate in us-east-1, got \"arn:aws:acm:eu-west-1:111122223333:certificate/abc\"",
        ),
        (
            Box::new(|_, s| DistributionProps {
                web_acl_id: Some("arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/y".into()),
                ..site_props(s)
            }),
            "SiteStack/Cdn: DistributionConfig.WebACLId: a CloudFront web ACL must be a global (us-east-1) WAFv2 web ACL, got \"arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/y\"",
        ),
        (
            Box::new(|_, s| DistributionProps { geo_restriction: Some(GeoRestriction::denylist(["de"])), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.Restrictions.GeoRestriction.Locations: countries are ISO 3166-1 alpha-2 codes (two upper-case letters, e.g. \"DE\"), got \"de\"",
        ),
        (
            Box::new(|_, s| DistributionProps { geo_restriction: Some(GeoRestriction::allowlist(Vec::<String>::new())), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.Restrictions.GeoRestriction.Locations: a geo restriction needs at least one country",
        ),
        (
            Box::new(|_, s| DistributionProps { log_file_prefix: Some("cdn/".into()), ..site_props(s) }),
            "SiteStack/Cdn: DistributionConfig.Logging.Prefix: a log file prefix needs logging: set enable_logging or log_bucket",
        ),
        (
            Box::new(|stack, s| DistributionProps {
                log_bucket: Some(Bucket::new(stack, "Logs", BucketProps::default()).unwrap()),
                ..site_props(s)
            }),
            "SiteStack/Cdn: DistributionConfig.Logging.Bucket: CloudFront standard logging writes with ACLs, and SiteStack/Logs disables them (BucketOwnerEnforced); use ObjectOwnership::ObjectWriter or BucketOwnerPreferred",
        ),
    ];
    for (props, expected) in cases {
        assert_eq!(error(props), expected);
    }
}

/// Behaviors by path: an HTTP API, a second bucket, and the site bucket
/// again, as aws-cdk-lib 2.276.0 names and orders them for the same
/// `addBehavior` calls (origin ids, OAC logical ID, `OriginPath`, the HTTP
/// origin's config).
#[test]
fn behaviors_by_path_reuse_an_origin_and_bind_new_ones() {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let assets = Bucket::new(&stack, "Assets", BucketProps::default()).unwrap();
    let site_origin = S3BucketOrigin::with_origin_access_control(&site);
    let api = HttpOrigin {
        origin_path: Some("prod/".into()),
        https_port: Some(8443),
        read_timeout: Some(Duration::from_secs(45)),
        ..HttpOrigin::new("api.example.com")
    };
    let cdn = Distribution::new(
        &stack,
        "Cdn",
        DistributionProps {
            additional_behaviors: vec![(
                "/api/*".into(),
                BehaviorOptions {
                    allowed_methods: AllowedMethods::All,
                    cache_policy: CachePolicy::CachingDisabled,
                    ..BehaviorOptions::new(api)
                },
            )],
            ..DistributionProps::new(BehaviorOptions::new(site_origin.clone()))
        },
    )
    .unwrap();
    cdn.add_behavior(
        "/assets/*",
        BehaviorOptions::new(S3BucketOrigin::with_origin_access_control(&assets)),
    )
    .unwrap();
    cdn.add_behavior("/more/*", BehaviorOptions::new(site_origin))
        .unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    let ids: Vec<&str> = t.resources.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            SITE,
            SITE_POLICY,
            "Assets9A31D427",
            "AssetsPolicy206C37E3",
            OAC,
            CDN,
            "CdnOrigin3S3OriginAccessControlB2EAFAFA"
        ]
    );
    let c = config(&t);
    let behaviors: Vec<(&str, &str)> = c["CacheBehaviors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["PathPattern"].as_str().unwrap(),
                b["TargetOriginId"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        behaviors,
        [
            ("/api/*", "SiteStackCdnOrigin2536C55FB"),
            ("/assets/*", "SiteStackCdnOrigin3C0770540"),
            ("/more/*", ORIGIN_ID),
        ]
    );
    assert_eq!(
        c["CacheBehaviors"][0],
        json!({
            "AllowedMethods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
            "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            "Compress": true,
            "PathPattern": "/api/*",
            "TargetOriginId": "SiteStackCdnOrigin2536C55FB",
            "ViewerProtocolPolicy": "redirect-to-https"
        })
    );
    assert_eq!(
        c["Origins"][1],
        json!({
            "CustomOriginConfig": {
                "HTTPSPort": 8443,
                "OriginProtocolPolicy": "https-only",
                "OriginReadTimeout": 45,
                "OriginSSLProtocols": ["TLSv1.2"]
            },
            "DomainName": "api.example.com",
            "Id": "SiteStackCdnOrigin2536C55FB",
            "OriginPath": "/prod"
        })
    );
    assert_eq!(c["Origins"].as_array().unwrap().len(), 3);
    // The second bucket lets this distribution read, as the first does.
    let statement = &properties(&t, "AssetsPolicy206C37E3")["PolicyDocument"]["Statement"][1];
    assert_eq!(
        statement["Condition"]["StringEquals"]["AWS:SourceArn"],
        distribution_arn()
    );
    assert_eq!(
        statement["Principal"]["Service"],
        "cloudfront.amazonaws.com"
    );
}

#[test]
fn invalid_behaviors_name_path_property_and_rule() {
    let app = App::new();
    let stack = app.stack("SiteStack");
    let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let cdn = Distribution::new(&stack, "Cdn", site_props(&site)).unwrap();
    let api = |f: fn(&mut HttpOrigin)| {
        let mut o = HttpOrigin::new("api.example.com");
        f(&mut o);
        BehaviorOptions::new(o)
    };
    cdn.add_behavior("/api/*", api(|_| {})).unwrap();
    let cases: Vec<(&str, BehaviorOptions, &str)> = vec![
        ("*", api(|_| {}), "SiteStack/Cdn: DistributionConfig.CacheBehaviors.PathPattern: only the default behavior matches every path ('*'); give a narrower pattern such as \"/api/*\""),
        ("/api/*", api(|_| {}), "SiteStack/Cdn: DistributionConfig.CacheBehaviors.PathPattern: \"/api/*\" already has a behavior; a path pattern has one"),
        ("", api(|_| {}), "SiteStack/Cdn: DistributionConfig.CacheBehaviors.PathPattern: must be 1-255 characters, got 0"),
        ("/a/*", api(|o| o.domain_name = "https://api.example.com".into()), "SiteStack/Cdn: DistributionConfig.Origins.DomainName: must be a domain name without scheme or path (e.g. \"api.example.com\"), got \"https://api.example.com\""),
        ("/b/*", api(|o| o.http_port = Some(81)), "SiteStack/Cdn: DistributionConfig.Origins.CustomOriginConfig.HTTPPort: must be 80, 443 or 1024-65535, got 81"),
        ("/c/*", api(|o| o.read_timeout = Some(Duration::from_secs(181))), "SiteStack/Cdn: DistributionConfig.Origins.CustomOriginConfig.OriginReadTimeout: must be whole seconds from 1 to 180, got 181s"),
        ("/d/*", api(|o| o.keepalive_timeout = Some(Duration::from_millis(1500))), "SiteStack/Cdn: DistributionConfig.Origins.CustomOriginConfig.OriginKeepaliveTimeout: must be whole seconds from 1 to 180, got 1.5s"),
    ];
    for (pattern, options, expected) in cases {
        assert_eq!(
            cdn.add_behavior(pattern, options).unwrap_err().to_string(),
            expected
        );
    }
    // Nothing was added by the refused calls.
    let t = app.synth().unwrap().stacks.remove(0).template;
    assert_eq!(config(&t)["CacheBehaviors"].as_array().unwrap().len(), 1);
    assert_eq!(config(&t)["Origins"].as_array().unwrap().len(), 2);
}

/// The site the cfn-lint check runs on: a content bucket logging to a log
/// bucket, which also receives the distribution's logs, and the distribution
/// with its origin access control, and an API behind `/api/*`.
fn full_site() -> Template {
    let app = App::new();
    let stack = app.stack("FormworkSiteStack");
    let logs = Bucket::new(
        &stack,
        "Logs",
        BucketProps {
            object_ownership: ObjectOwnership::ObjectWriter,
            ..Default::default()
        },
    )
    .unwrap();
    let site = Bucket::new(
        &stack,
        "Site",
        BucketProps {
            versioned: true,
            server_access_logs_bucket: Some(logs.clone()),
            server_access_logs_prefix: Some("s3/".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let cdn = Distribution::new(
        &stack,
        "Cdn",
        DistributionProps {
            default_root_object: Some("index.html".into()),
            comment: Some("formwork site".into()),
            price_class: PriceClass::PriceClass100,
            log_bucket: Some(logs),
            log_file_prefix: Some("cdn/".into()),
            ..site_props(&site)
        },
    )
    .unwrap();
    cdn.add_behavior(
        "/api/*",
        BehaviorOptions {
            allowed_methods: AllowedMethods::All,
            cache_policy: CachePolicy::CachingDisabled,
            ..BehaviorOptions::new(HttpOrigin::new("api.example.com"))
        },
    )
    .unwrap();
    stack.output("DistributionDomainName", cdn.distribution_domain_name());
    stack.output("BucketName", site.bucket_name());
    app.synth().unwrap().stacks.remove(0).template
}

#[test]
fn the_full_site_passes_cfn_lint() {
    let t = full_site();
    assert_eq!(
        t.resources.len(),
        6,
        "two buckets, two policies, OAC, distribution"
    );
    let json = t.to_json();
    // CI lints every template written to $FORMWORK_LINT_DIR (.ci/run).
    if let Some(dir) = std::env::var_os("FORMWORK_LINT_DIR") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("cloudfront-s3-site.template.json"), &json).unwrap();
    }
    // Run here when FORMWORK_CFN_LINT names the cfn-lint binary.
    let Some(cfn_lint) = std::env::var_os("FORMWORK_CFN_LINT") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("formwork-cloudfront-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("FormworkSiteStack.template.json");
    std::fs::write(&path, &json).unwrap();
    let out = std::process::Command::new(cfn_lint)
        .arg(&path)
        .output()
        .expect("cfn-lint runs");
    std::fs::remove_dir_all(&dir).unwrap();
    // Exit code bitmask: 2 errors, 4 warnings; 8 alone (informational) is fine.
    assert!(
        matches!(out.status.code(), Some(0 | 8)),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
