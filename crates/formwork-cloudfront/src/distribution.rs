//! The distribution L2 construct (`AWS::CloudFront::Distribution`).

use formwork_cfn_networking::cloudfront::{distribution, CfnDistribution, CfnDistributionProps};
use formwork_core::{Construct, Error, Expr, Pseudo, ResourceRef, Result, Scope, SubPart};
use formwork_s3::{Bucket, BucketProps, ObjectOwnership};

use crate::options::{
    AllowedMethods, CachePolicy, CachedMethods, GeoRestriction, HttpVersion, PriceClass,
    SecurityPolicyProtocol, ViewerProtocolPolicy,
};
use crate::origin::S3BucketOrigin;

/// CloudFront's limit on `Comment`, in characters.
pub const MAX_COMMENT_LEN: usize = 128;
/// CloudFront's limit on `DefaultRootObject`, in characters.
pub const MAX_ROOT_OBJECT_LEN: usize = 255;

/// How a behavior serves requests: its origin and caching.
#[derive(Clone, Debug)]
pub struct BehaviorOptions {
    /// Where requests go.
    pub origin: S3BucketOrigin,
    /// HTTP or HTTPS; [`ViewerProtocolPolicy::RedirectToHttps`] by default.
    pub viewer_protocol_policy: ViewerProtocolPolicy,
    /// Methods forwarded; [`AllowedMethods::GetHead`] by default.
    pub allowed_methods: AllowedMethods,
    /// Methods cached; [`CachedMethods::GetHead`] by default.
    pub cached_methods: CachedMethods,
    /// The cache policy; [`CachePolicy::CachingOptimized`] by default.
    pub cache_policy: CachePolicy,
    /// Whether CloudFront compresses responses (`true` by default).
    pub compress: bool,
}

impl BehaviorOptions {
    /// A behavior serving `origin` with the defaults: HTTPS redirect, `GET`
    /// and `HEAD`, `CachingOptimized`, compressed.
    pub fn new(origin: S3BucketOrigin) -> Self {
        BehaviorOptions {
            origin,
            viewer_protocol_policy: ViewerProtocolPolicy::default(),
            allowed_methods: AllowedMethods::default(),
            cached_methods: CachedMethods::default(),
            cache_policy: CachePolicy::default(),
            compress: true,
        }
    }
}

/// Props of a [`Distribution`]. Start from [`DistributionProps::new`], which
/// holds the defaults (as the CDK's), and set what differs:
///
/// ```
/// # use formwork_core::App;
/// # use formwork_s3::{Bucket, BucketProps};
/// use formwork_cloudfront::{BehaviorOptions, DistributionProps, PriceClass, S3BucketOrigin};
/// # let app = App::new();
/// # let stack = app.stack("Demo");
/// # let site = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
/// let props = DistributionProps {
///     default_root_object: Some("index.html".into()),
///     price_class: PriceClass::PriceClass100,
///     ..DistributionProps::new(BehaviorOptions::new(S3BucketOrigin::with_origin_access_control(&site)))
/// };
/// ```
#[derive(Clone, Debug)]
pub struct DistributionProps {
    /// The behavior of every path.
    pub default_behavior: BehaviorOptions,
    /// The object served for `/` (e.g. `index.html`, no leading `/`).
    pub default_root_object: Option<String>,
    /// A comment, at most 128 characters.
    pub comment: Option<String>,
    /// Whether the distribution serves requests (`true` by default).
    pub enabled: bool,
    /// Edge locations used; [`PriceClass::All`] (not written) by default.
    pub price_class: PriceClass,
    /// Highest HTTP version; [`HttpVersion::Http2`] by default.
    pub http_version: HttpVersion,
    /// Whether CloudFront answers over IPv6 too (`true` by default).
    pub enable_ipv6: bool,
    /// Alternate domain names; they need `certificate`.
    pub domain_names: Vec<String>,
    /// An ACM certificate ARN (in us-east-1) for `domain_names`. Without
    /// one, CloudFront's default certificate serves `*.cloudfront.net`,
    /// whose TLS policy is fixed.
    pub certificate: Option<Expr>,
    /// The viewer TLS policy with `certificate`;
    /// [`SecurityPolicyProtocol::TlsV1_2_2021`] when unset. Needs `certificate`.
    pub minimum_protocol_version: Option<SecurityPolicyProtocol>,
    /// Countries served or refused; none by default.
    pub geo_restriction: Option<GeoRestriction>,
    /// An AWS WAF web ACL (WAFv2: its ARN, in us-east-1 with global scope).
    pub web_acl_id: Option<Expr>,
    /// Standard (access) logging: to `log_bucket`, or, when unset, to a
    /// bucket created as `<Distribution>/LoggingBucket` (S3-managed
    /// encryption, ACLs on: `ObjectWriter`, as CloudFront's standard
    /// logging needs).
    pub enable_logging: bool,
    /// The bucket the access logs go to (turns logging on). It must accept
    /// ACLs (`ObjectOwnership::ObjectWriter` or `BucketOwnerPreferred`).
    pub log_bucket: Option<Bucket>,
    /// The key prefix of the access logs.
    pub log_file_prefix: Option<String>,
    /// Whether the access logs include cookies (`false` by default).
    pub log_includes_cookies: bool,
}

impl DistributionProps {
    /// Props with `default_behavior` and the defaults, as the CDK's: enabled,
    /// HTTP/2, IPv6, every edge location, no logging, CloudFront's
    /// default certificate.
    pub fn new(default_behavior: BehaviorOptions) -> Self {
        DistributionProps {
            default_behavior,
            default_root_object: None,
            comment: None,
            enabled: true,
            price_class: PriceClass::default(),
            http_version: HttpVersion::default(),
            enable_ipv6: true,
            domain_names: Vec::new(),
            certificate: None,
            minimum_protocol_version: None,
            geo_restriction: None,
            web_acl_id: None,
            enable_logging: false,
            log_bucket: None,
            log_file_prefix: None,
            log_includes_cookies: false,
        }
    }
}

/// A CloudFront distribution (`AWS::CloudFront::Distribution`) with one
/// origin, as the CDK's `Distribution` builds it.
///
/// ```
/// use formwork_core::App;
/// use formwork_s3::{Bucket, BucketProps};
/// use formwork_cloudfront::{BehaviorOptions, Distribution, DistributionProps, S3BucketOrigin};
/// let app = App::new();
/// let stack = app.stack("Site");
/// let site = Bucket::new(&stack, "Content", BucketProps::default()).unwrap();
/// let cdn = Distribution::new(&stack, "Cdn", DistributionProps {
///     default_root_object: Some("index.html".into()),
///     ..DistributionProps::new(BehaviorOptions::new(S3BucketOrigin::with_origin_access_control(&site)))
/// }).unwrap();
/// stack.output("Url", cdn.distribution_domain_name());
/// let template = &app.synth().unwrap().stacks[0].template;
/// // The bucket, its policy, the origin access control and the distribution.
/// assert_eq!(template.resources.len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    resource: ResourceRef,
}

/// The distribution's resource, for what takes one: a bucket deployment's
/// `distribution` to invalidate, say (`Some((&cdn).into())`).
impl From<&Distribution> for ResourceRef {
    fn from(distribution: &Distribution) -> Self {
        distribution.resource.clone()
    }
}

impl Distribution {
    /// Creates the distribution as construct `id` of `scope` (its resource
    /// is `id/Resource`, its origin `id/Origin1`).
    pub fn new(scope: &impl Scope, id: &str, props: DistributionProps) -> Result<Distribution> {
        check_props(&scope.child_path(id), &props)?;
        let node = scope.child(id)?;
        // The origin id, as the CDK's `Names.uniqueId` of the origin scope.
        let origin_scope = node.child("Origin1")?;
        let components: Vec<String> = origin_scope.path().split('/').map(str::to_owned).collect();
        let origin_id = formwork_core::logical_id::logical_id(&components).unwrap_or_default();
        let origin_id = origin_id[origin_id.len().saturating_sub(128)..].to_owned();
        let origin = props
            .default_behavior
            .origin
            .bind(&origin_scope, &origin_id)?;
        let logging = logging(&node, &props)?;
        let l1 = CfnDistribution::new(
            &node,
            "Resource",
            CfnDistributionProps::builder()
                .distribution_config(config(&props, origin, &origin_id, logging))
                .build(),
        )?;
        let distribution = Distribution {
            resource: l1.resource().clone(),
        };
        props
            .default_behavior
            .origin
            .grant_read(&node, distribution.distribution_arn())?;
        Ok(distribution)
    }

    /// The underlying resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }

    /// The distribution's construct (the scope of its resource and origin).
    pub fn construct(&self) -> Construct {
        self.resource.owner()
    }

    /// The distribution id (`Ref`), e.g. `E1A2B3C4D5E6F7`.
    pub fn distribution_id(&self) -> Expr {
        self.resource.to_ref()
    }

    /// The distribution's domain name, `d111111abcdef8.cloudfront.net`
    /// (`Fn::GetAtt DomainName`).
    pub fn distribution_domain_name(&self) -> Expr {
        self.resource.get_att("DomainName")
    }

    /// `arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Id}`.
    pub fn distribution_arn(&self) -> Expr {
        Expr::sub_parts([
            SubPart::Text("arn:".into()),
            SubPart::Pseudo(Pseudo::Partition),
            SubPart::Text(":cloudfront::".into()),
            SubPart::Pseudo(Pseudo::AccountId),
            SubPart::Text(":distribution/".into()),
            SubPart::Ref(self.resource.element()),
        ])
    }
}

/// Checks the props of the distribution at construct path `path`.
fn check_props(path: &str, props: &DistributionProps) -> Result<()> {
    let invalid = |property: &str, rule: String| Err(Error::invalid(path, Some(property), rule));
    if let Some(comment) = &props.comment {
        let len = comment.chars().count();
        if len > MAX_COMMENT_LEN {
            return invalid(
                "DistributionConfig.Comment",
                format!("must be at most {MAX_COMMENT_LEN} characters, got {len}"),
            );
        }
    }
    if let Some(root) = &props.default_root_object {
        let len = root.chars().count();
        if root.starts_with('/') || len == 0 || len > MAX_ROOT_OBJECT_LEN {
            return invalid(
                "DistributionConfig.DefaultRootObject",
                format!("must be an object key of 1-{MAX_ROOT_OBJECT_LEN} characters without a leading '/' (e.g. \"index.html\"), got {root:?}"),
            );
        }
    }
    if props.minimum_protocol_version.is_some() && props.certificate.is_none() {
        return invalid(
            "DistributionConfig.ViewerCertificate.MinimumProtocolVersion",
            "needs a certificate: with CloudFront's default certificate the TLS policy is fixed"
                .into(),
        );
    }
    if !props.domain_names.is_empty() && props.certificate.is_none() {
        return invalid(
            "DistributionConfig.Aliases",
            "alternate domain names need a certificate that covers them".into(),
        );
    }
    if let Some(Expr::Str(arn)) = &props.certificate {
        if arn_region(arn) != Some("us-east-1") {
            return invalid(
                "DistributionConfig.ViewerCertificate.AcmCertificateArn",
                format!(
                    "a CloudFront certificate must be an ACM certificate in us-east-1, got {:?}",
                    &**arn
                ),
            );
        }
    }
    if let Some(Expr::Str(acl)) = &props.web_acl_id {
        if acl.starts_with("arn:") && arn_region(acl) != Some("us-east-1") {
            return invalid(
                "DistributionConfig.WebACLId",
                format!(
                    "a CloudFront web ACL must be a global (us-east-1) WAFv2 web ACL, got {:?}",
                    &**acl
                ),
            );
        }
    }
    if let Some(geo) = &props.geo_restriction {
        if geo.countries().is_empty() {
            return invalid(
                "DistributionConfig.Restrictions.GeoRestriction.Locations",
                "a geo restriction needs at least one country".into(),
            );
        }
        if let Some(bad) = geo
            .countries()
            .iter()
            .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return invalid(
                "DistributionConfig.Restrictions.GeoRestriction.Locations",
                format!("countries are ISO 3166-1 alpha-2 codes (two upper-case letters, e.g. \"DE\"), got {bad:?}"),
            );
        }
    }
    let logging_on = props.enable_logging || props.log_bucket.is_some();
    if props.log_file_prefix.is_some() && !logging_on {
        return invalid(
            "DistributionConfig.Logging.Prefix",
            "a log file prefix needs logging: set enable_logging or log_bucket".into(),
        );
    }
    if let Some(bucket) = &props.log_bucket {
        if bucket.object_ownership() == Some(ObjectOwnership::BucketOwnerEnforced) {
            return invalid(
                "DistributionConfig.Logging.Bucket",
                format!(
                    "CloudFront standard logging writes with ACLs, and {} disables them (BucketOwnerEnforced); use ObjectOwnership::ObjectWriter or BucketOwnerPreferred",
                    bucket.construct().path()
                ),
            );
        }
    }
    Ok(())
}

/// The region of an ARN (its fourth field).
fn arn_region(arn: &str) -> Option<&str> {
    arn.split(':').nth(3)
}

/// The logging config, creating the log bucket when none is given.
fn logging(node: &Construct, props: &DistributionProps) -> Result<Option<distribution::Logging>> {
    let bucket = match (&props.log_bucket, props.enable_logging) {
        (Some(bucket), _) => bucket.clone(),
        (None, true) => Bucket::new(
            node,
            "LoggingBucket",
            BucketProps {
                object_ownership: ObjectOwnership::ObjectWriter,
                ..Default::default()
            },
        )?,
        (None, false) => return Ok(None),
    };
    Ok(Some(distribution::Logging {
        bucket: Some(bucket.bucket_regional_domain_name().into()),
        include_cookies: props.log_includes_cookies.then(|| true.into()),
        prefix: props.log_file_prefix.as_deref().map(Into::into),
    }))
}

/// The distribution config, through the generated L1.
fn config(
    props: &DistributionProps,
    origin: distribution::Origin,
    origin_id: &str,
    logging: Option<distribution::Logging>,
) -> distribution::DistributionConfig {
    let b = &props.default_behavior;
    let methods = |m: &[&str]| {
        m.iter()
            .map(|s| Expr::from(s.to_string()))
            .collect::<Vec<_>>()
    };
    let behavior = distribution::DefaultCacheBehavior {
        // GET and HEAD are CloudFront's defaults, left out as the CDK does.
        allowed_methods: (b.allowed_methods != AllowedMethods::GetHead)
            .then(|| Expr::List(methods(b.allowed_methods.methods())).into()),
        cached_methods: (b.cached_methods != CachedMethods::GetHead)
            .then(|| Expr::List(methods(b.cached_methods.methods())).into()),
        cache_policy_id: Some(b.cache_policy.id().into()),
        compress: Some(b.compress.into()),
        ..distribution::DefaultCacheBehavior::new(origin_id, b.viewer_protocol_policy.l1())
    };
    let certificate = props.certificate.as_ref().map(|arn| {
        distribution::ViewerCertificate {
            acm_certificate_arn: Some(arn.clone().into()),
            minimum_protocol_version: Some(
                props
                    .minimum_protocol_version
                    .unwrap_or_default()
                    .l1()
                    .into(),
            ),
            ssl_support_method: Some(
                distribution::ViewerCertificateSslSupportMethod::SniOnly.into(),
            ),
            ..Default::default()
        }
        .into()
    });
    distribution::DistributionConfig {
        aliases: (!props.domain_names.is_empty()).then(|| props.domain_names.clone().into()),
        comment: props.comment.as_deref().map(Into::into),
        default_root_object: props.default_root_object.as_deref().map(Into::into),
        http_version: Some(props.http_version.l1().into()),
        ipv6_enabled: Some(props.enable_ipv6.into()),
        logging: logging.map(Into::into),
        origins: Some(vec![origin].into()),
        price_class: props.price_class.l1().map(Into::into),
        restrictions: props.geo_restriction.as_ref().map(|g| g.l1().into()),
        viewer_certificate: certificate,
        web_acl_id: props.web_acl_id.clone().map(Into::into),
        ..distribution::DistributionConfig::new(behavior, props.enabled)
    }
}
