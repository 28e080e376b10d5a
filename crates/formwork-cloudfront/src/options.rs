//! The small option types of a distribution and its behaviors.

use formwork_cfn_networking::cloudfront::distribution;
use formwork_core::Expr;

/// How viewers may reach the distribution.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ViewerProtocolPolicy {
    /// HTTP requests are redirected to HTTPS (the default, as the CDK's
    /// recommended `defaultViewerProtocolPolicyRedirectToHttps`).
    #[default]
    RedirectToHttps,
    /// HTTPS only; HTTP requests get a 403.
    HttpsOnly,
    /// HTTP and HTTPS.
    AllowAll,
}

impl ViewerProtocolPolicy {
    pub(crate) fn l1(self) -> distribution::DefaultCacheBehaviorViewerProtocolPolicy {
        use distribution::DefaultCacheBehaviorViewerProtocolPolicy as P;
        match self {
            ViewerProtocolPolicy::RedirectToHttps => P::RedirectToHttps,
            ViewerProtocolPolicy::HttpsOnly => P::HttpsOnly,
            ViewerProtocolPolicy::AllowAll => P::AllowAll,
        }
    }
}

/// The HTTP methods CloudFront forwards to the origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllowedMethods {
    /// `GET`, `HEAD` (the default: read only).
    #[default]
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS`.
    GetHeadOptions,
    /// Every method, `POST`, `PUT`, `PATCH` and `DELETE` included.
    All,
}

impl AllowedMethods {
    /// The methods, as CloudFront lists them.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            AllowedMethods::GetHead => &["GET", "HEAD"],
            AllowedMethods::GetHeadOptions => &["GET", "HEAD", "OPTIONS"],
            AllowedMethods::All => &["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
        }
    }
}

/// The methods whose responses CloudFront caches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CachedMethods {
    /// `GET`, `HEAD` (the default).
    #[default]
    GetHead,
    /// `GET`, `HEAD`, `OPTIONS`.
    GetHeadOptions,
}

impl CachedMethods {
    /// The methods, as CloudFront lists them.
    pub fn methods(self) -> &'static [&'static str] {
        match self {
            CachedMethods::GetHead => &["GET", "HEAD"],
            CachedMethods::GetHeadOptions => &["GET", "HEAD", "OPTIONS"],
        }
    }
}

/// The cache policy of a behavior: one of CloudFront's managed policies, or
/// the id of another.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum CachePolicy {
    /// `Managed-CachingOptimized` (the default, as the CDK).
    #[default]
    CachingOptimized,
    /// `Managed-CachingOptimizedForUncompressedObjects`.
    CachingOptimizedForUncompressedObjects,
    /// `Managed-CachingDisabled`.
    CachingDisabled,
    /// `UseOriginCacheControlHeaders`.
    UseOriginCacheControlHeaders,
    /// `UseOriginCacheControlHeaders-QueryStrings`.
    UseOriginCacheControlHeadersQueryStrings,
    /// A cache policy by id (e.g. an `AWS::CloudFront::CachePolicy`'s `Ref`).
    Id(Expr),
}

impl CachePolicy {
    /// The policy id.
    pub fn id(&self) -> Expr {
        let managed = match self {
            CachePolicy::CachingOptimized => "658327ea-f89d-4fab-a63d-7e88639e58f6",
            CachePolicy::CachingOptimizedForUncompressedObjects => {
                "b2884449-e4de-46a7-ac36-70bc7f1ddd6d"
            }
            CachePolicy::CachingDisabled => "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            CachePolicy::UseOriginCacheControlHeaders => "83da9c7e-98b4-4e11-a168-04f0df8e2c65",
            CachePolicy::UseOriginCacheControlHeadersQueryStrings => {
                "4cc15a8a-d715-48a4-82b8-cc0b614638fe"
            }
            CachePolicy::Id(id) => return id.clone(),
        };
        Expr::from_static(managed)
    }
}

/// Which edge locations serve the distribution (and what it costs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PriceClass {
    /// Every edge location (CloudFront's default, as the CDK's: not written).
    #[default]
    All,
    /// North America, Europe, Asia, the Middle East and Africa.
    PriceClass200,
    /// North America and Europe only.
    PriceClass100,
}

impl PriceClass {
    pub(crate) fn l1(self) -> Option<distribution::DistributionConfigPriceClass> {
        use distribution::DistributionConfigPriceClass as P;
        match self {
            PriceClass::All => None,
            PriceClass::PriceClass200 => Some(P::PriceClass200),
            PriceClass::PriceClass100 => Some(P::PriceClass100),
        }
    }
}

/// The highest HTTP version viewers may use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HttpVersion {
    /// HTTP/1.1 only.
    Http1_1,
    /// HTTP/2 (the default, as the CDK).
    #[default]
    Http2,
    /// HTTP/2 and HTTP/3.
    Http2And3,
    /// HTTP/3.
    Http3,
}

impl HttpVersion {
    pub(crate) fn l1(self) -> distribution::DistributionConfigHttpVersion {
        use distribution::DistributionConfigHttpVersion as V;
        match self {
            HttpVersion::Http1_1 => V::Http11,
            HttpVersion::Http2 => V::Http2,
            HttpVersion::Http2And3 => V::Http2and3,
            HttpVersion::Http3 => V::Http3,
        }
    }
}

/// The viewer TLS security policy of a distribution with its own
/// certificate. Only TLS 1.2 and later are offered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecurityPolicyProtocol {
    /// `TLSv1.2_2018`.
    TlsV1_2_2018,
    /// `TLSv1.2_2019`.
    TlsV1_2_2019,
    /// `TLSv1.2_2021` (the default, as the CDK's
    /// `defaultSecurityPolicyTLSv1.2_2021`).
    #[default]
    TlsV1_2_2021,
    /// `TLSv1.2_2025`.
    TlsV1_2_2025,
    /// `TLSv1.3_2025`.
    TlsV1_3_2025,
}

impl SecurityPolicyProtocol {
    pub(crate) fn l1(self) -> distribution::ViewerCertificateMinimumProtocolVersion {
        use distribution::ViewerCertificateMinimumProtocolVersion as V;
        match self {
            SecurityPolicyProtocol::TlsV1_2_2018 => V::TLSv122018,
            SecurityPolicyProtocol::TlsV1_2_2019 => V::TLSv122019,
            SecurityPolicyProtocol::TlsV1_2_2021 => V::TLSv122021,
            SecurityPolicyProtocol::TlsV1_2_2025 => V::TLSv122025,
            SecurityPolicyProtocol::TlsV1_3_2025 => V::TLSv132025,
        }
    }
}

/// Countries (ISO 3166-1 alpha-2 codes, e.g. `"DE"`) the distribution
/// serves, or refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GeoRestriction {
    /// Only viewers in these countries.
    Allowlist(Vec<String>),
    /// Everyone but viewers in these countries.
    Denylist(Vec<String>),
}

impl GeoRestriction {
    /// Only viewers in `countries`.
    pub fn allowlist<S: Into<String>>(countries: impl IntoIterator<Item = S>) -> Self {
        GeoRestriction::Allowlist(countries.into_iter().map(Into::into).collect())
    }

    /// Everyone but viewers in `countries`.
    pub fn denylist<S: Into<String>>(countries: impl IntoIterator<Item = S>) -> Self {
        GeoRestriction::Denylist(countries.into_iter().map(Into::into).collect())
    }

    pub(crate) fn countries(&self) -> &[String] {
        match self {
            GeoRestriction::Allowlist(c) | GeoRestriction::Denylist(c) => c,
        }
    }

    pub(crate) fn l1(&self) -> distribution::Restrictions {
        use distribution::GeoRestrictionRestrictionType as T;
        let kind = match self {
            GeoRestriction::Allowlist(_) => T::Whitelist,
            GeoRestriction::Denylist(_) => T::Blacklist,
        };
        let locations: Vec<Expr> = self
            .countries()
            .iter()
            .map(|c| Expr::from(c.clone()))
            .collect();
        distribution::Restrictions::new(distribution::GeoRestriction {
            locations: Some(Expr::List(locations).into()),
            ..distribution::GeoRestriction::new(kind)
        })
    }
}
