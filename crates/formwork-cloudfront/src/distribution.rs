//! The distribution L2 construct (`AWS::CloudFront::Distribution`).

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_networking::cloudfront::{distribution, CfnDistribution, CfnDistributionProps};
use formwork_cfn_networking::support::Value;
use formwork_core::{
    CfnResource, Construct, Error, Expr, ExprMap, Pseudo, ResourceRef, Result, Scope, SubPart,
};
use formwork_s3::{Bucket, BucketProps, ObjectOwnership};

use crate::options::{
    AllowedMethods, CachePolicy, CachedMethods, GeoRestriction, HttpVersion, PriceClass,
    SecurityPolicyProtocol, ViewerProtocolPolicy,
};
use crate::origin::Origin;

/// CloudFront's limit on `Comment`, in characters.
pub const MAX_COMMENT_LEN: usize = 128;
/// CloudFront's limit on `DefaultRootObject`, in characters.
pub const MAX_ROOT_OBJECT_LEN: usize = 255;
/// CloudFront's limit on a cache behavior's `PathPattern`, in characters.
pub const MAX_PATH_PATTERN_LEN: usize = 255;

/// How a behavior serves requests: its origin and caching.
#[derive(Clone, Debug)]
pub struct BehaviorOptions {
    /// Where requests go.
    pub origin: Origin,
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
    pub fn new(origin: impl Into<Origin>) -> Self {
        BehaviorOptions {
            origin: origin.into(),
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
    /// The behavior of every path no other behavior matches.
    pub default_behavior: BehaviorOptions,
    /// Behaviors by path pattern (`/api/*`, `*.jpg`), matched in this
    /// order before the default one; more with
    /// [`Distribution::add_behavior`].
    pub additional_behaviors: Vec<(String, BehaviorOptions)>,
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
            additional_behaviors: Vec::new(),
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

/// A CloudFront distribution (`AWS::CloudFront::Distribution`), as the
/// CDK's `Distribution` builds it: a default behavior, more by path, and
/// each origin they use once (`Origin1`, `Origin2`, ... in the order first used).
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
#[derive(Clone, Debug)]
pub struct Distribution {
    resource: ResourceRef,
    state: Rc<RefCell<DistributionState>>,
}

impl PartialEq for Distribution {
    fn eq(&self, other: &Self) -> bool {
        self.resource == other.resource
    }
}

impl Eq for Distribution {}

/// What a distribution holds until synthesis.
#[derive(Debug)]
struct DistributionState {
    /// The props; their `additional_behaviors` are in `behaviors`.
    props: DistributionProps,
    logging: Option<distribution::Logging>,
    /// The origins, in the order first used; the first is the default
    /// behavior's.
    origins: Vec<BoundOrigin>,
    /// The behaviors after the default one, in order.
    behaviors: Vec<Behavior>,
}

#[derive(Debug)]
struct BoundOrigin {
    /// What the user gave: an equal origin is served by this one.
    source: Origin,
    id: String,
    l1: distribution::Origin,
}

#[derive(Debug)]
struct Behavior {
    path_pattern: String,
    options: BehaviorOptions,
    origin_id: String,
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
    /// is `id/Resource`, the default behavior's origin `id/Origin1`).
    pub fn new(scope: &impl Scope, id: &str, props: DistributionProps) -> Result<Distribution> {
        let path = scope.child_path(id);
        check_props(&path, &props)?;
        let mut props = props;
        let additional = std::mem::take(&mut props.additional_behaviors);
        let node = scope.child(id)?;
        let mut origins = Vec::new();
        let default_origin = props.default_behavior.origin.clone();
        bind_origin(&node, &mut origins, &default_origin)?;
        let logging = logging(&node, &props)?;
        let resource =
            node.add_resource("Resource", CfnResource::new(CfnDistribution::TYPE_NAME))?;
        let state = Rc::new(RefCell::new(DistributionState {
            props,
            logging,
            origins,
            behaviors: Vec::new(),
        }));
        let rendered = state.clone();
        resource.set_lazy_properties(move || render(&rendered.borrow()));
        let distribution = Distribution { resource, state };
        default_origin.grant_read(&node, distribution.distribution_arn())?;
        for (path_pattern, options) in additional {
            distribution.add_behavior(&path_pattern, options)?;
        }
        Ok(distribution)
    }

    /// Serves requests whose path matches `path_pattern` (`/api/*`,
    /// `*.jpg`) from `options.origin`, with its caching. Behaviors are
    /// matched in the order added, before the default one (the CDK's
    /// `addBehavior`). An origin already used (the same bucket, an equal
    /// HTTP origin) is used again; a new bucket origin gets its origin
    /// access control and the bucket-policy statement for this distribution.
    pub fn add_behavior(&self, path_pattern: &str, options: BehaviorOptions) -> Result<()> {
        let node = self.construct();
        let mut state = self.state.borrow_mut();
        let taken = state.behaviors.iter().map(|b| b.path_pattern.as_str());
        if let Some((property, rule)) = behavior_problem(path_pattern, &options, taken) {
            return Err(Error::invalid(node.path(), Some(&property), rule));
        }
        let known = state.origins.len();
        let origin_id = bind_origin(&node, &mut state.origins, &options.origin)?;
        let is_new = state.origins.len() > known;
        state.behaviors.push(Behavior {
            path_pattern: path_pattern.to_owned(),
            options: options.clone(),
            origin_id,
        });
        drop(state);
        if is_new {
            options.origin.grant_read(&node, self.distribution_arn())?;
        }
        Ok(())
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

/// The id of `origin` among `origins` of the distribution at `node`,
/// binding it first (as `Origin<N>`) when it is new.
fn bind_origin(
    node: &Construct,
    origins: &mut Vec<BoundOrigin>,
    origin: &Origin,
) -> Result<String> {
    if let Some(bound) = origins.iter().find(|b| &b.source == origin) {
        return Ok(bound.id.clone());
    }
    let scope = node.child(&format!("Origin{}", origins.len() + 1))?;
    // The origin id, as the CDK's `Names.uniqueId` of the origin scope.
    let components: Vec<String> = scope.path().split('/').map(str::to_owned).collect();
    let id = formwork_core::logical_id::logical_id(&components).unwrap_or_default();
    let id = id[id.len().saturating_sub(128)..].to_owned();
    let l1 = origin.bind(&scope, &id)?;
    origins.push(BoundOrigin {
        source: origin.clone(),
        id: id.clone(),
        l1,
    });
    Ok(id)
}

/// The first rule a behavior at `path_pattern` breaks, as (property,
/// rule), when the distribution has behaviors at `taken` already.
fn behavior_problem<'a>(
    path_pattern: &str,
    options: &BehaviorOptions,
    mut taken: impl Iterator<Item = &'a str>,
) -> Option<(String, String)> {
    let pattern = || "DistributionConfig.CacheBehaviors.PathPattern".to_owned();
    if path_pattern == "*" {
        return Some((
            pattern(),
            "only the default behavior matches every path ('*'); give a narrower pattern such as \"/api/*\"".into(),
        ));
    }
    let len = path_pattern.chars().count();
    if len == 0 || len > MAX_PATH_PATTERN_LEN {
        return Some((
            pattern(),
            format!("must be 1-{MAX_PATH_PATTERN_LEN} characters, got {len}"),
        ));
    }
    if taken.any(|t| t == path_pattern) {
        return Some((
            pattern(),
            format!("{path_pattern:?} already has a behavior; a path pattern has one"),
        ));
    }
    origin_problem(&options.origin)
}

/// The first rule `origin` breaks, as (property, rule).
fn origin_problem(origin: &Origin) -> Option<(String, String)> {
    match origin {
        Origin::Http(http) => http
            .problem()
            .map(|(property, rule)| (format!("DistributionConfig.Origins.{property}"), rule)),
        Origin::S3(_) => None,
    }
}

/// Checks the props of the distribution at construct path `path`.
fn check_props(path: &str, props: &DistributionProps) -> Result<()> {
    let invalid = |property: &str, rule: String| Err(Error::invalid(path, Some(property), rule));
    if let Some((property, rule)) = origin_problem(&props.default_behavior.origin) {
        return invalid(&property, rule);
    }
    // The additional behaviors, before anything is created.
    for (i, (path_pattern, options)) in props.additional_behaviors.iter().enumerate() {
        let taken = props.additional_behaviors[..i]
            .iter()
            .map(|(p, _)| p.as_str());
        if let Some((property, rule)) = behavior_problem(path_pattern, options, taken) {
            return invalid(&property, rule);
        }
    }
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

/// The distribution's properties, through the generated L1.
fn render(state: &DistributionState) -> ExprMap {
    let props = CfnDistributionProps::builder()
        .distribution_config(config(state))
        .build();
    CfnResource::from(props).properties
}

/// A behavior's methods, cache policy and compression, as the default and
/// the other behaviors write them alike. GET and HEAD are CloudFront's
/// defaults, left out as the CDK does.
struct Caching {
    allowed_methods: Option<Value<Vec<Value<String>>>>,
    cached_methods: Option<Value<Vec<Value<String>>>>,
    cache_policy_id: Option<Value<String>>,
    compress: Option<Value<bool>>,
}

impl Caching {
    fn of(b: &BehaviorOptions) -> Caching {
        let methods = |m: &[&str]| Expr::List(m.iter().map(|s| Expr::from(*s)).collect()).into();
        Caching {
            allowed_methods: (b.allowed_methods != AllowedMethods::GetHead)
                .then(|| methods(b.allowed_methods.methods())),
            cached_methods: (b.cached_methods != CachedMethods::GetHead)
                .then(|| methods(b.cached_methods.methods())),
            cache_policy_id: Some(b.cache_policy.id().into()),
            compress: Some(b.compress.into()),
        }
    }
}

/// The distribution config, through the generated L1.
fn config(state: &DistributionState) -> distribution::DistributionConfig {
    let props = &state.props;
    let b = &props.default_behavior;
    let caching = Caching::of(b);
    let behavior = distribution::DefaultCacheBehavior {
        allowed_methods: caching.allowed_methods,
        cached_methods: caching.cached_methods,
        cache_policy_id: caching.cache_policy_id,
        compress: caching.compress,
        ..distribution::DefaultCacheBehavior::new(
            state.origins[0].id.as_str(),
            b.viewer_protocol_policy.l1(),
        )
    };
    let cache_behaviors: Vec<distribution::CacheBehavior> = state
        .behaviors
        .iter()
        .map(|behavior| {
            let o = &behavior.options;
            let caching = Caching::of(o);
            distribution::CacheBehavior {
                allowed_methods: caching.allowed_methods,
                cached_methods: caching.cached_methods,
                cache_policy_id: caching.cache_policy_id,
                compress: caching.compress,
                ..distribution::CacheBehavior::new(
                    behavior.path_pattern.as_str(),
                    behavior.origin_id.as_str(),
                    o.viewer_protocol_policy.l1().as_str(),
                )
            }
        })
        .collect();
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
        cache_behaviors: (!cache_behaviors.is_empty()).then(|| cache_behaviors.into()),
        comment: props.comment.as_deref().map(Into::into),
        default_root_object: props.default_root_object.as_deref().map(Into::into),
        http_version: Some(props.http_version.l1().into()),
        ipv6_enabled: Some(props.enable_ipv6.into()),
        logging: state.logging.clone().map(Into::into),
        origins: Some(
            state
                .origins
                .iter()
                .map(|o| o.l1.clone())
                .collect::<Vec<_>>()
                .into(),
        ),
        price_class: props.price_class.l1().map(Into::into),
        restrictions: props.geo_restriction.as_ref().map(|g| g.l1().into()),
        viewer_certificate: certificate,
        web_acl_id: props.web_acl_id.clone().map(Into::into),
        ..distribution::DistributionConfig::new(behavior, props.enabled)
    }
}
