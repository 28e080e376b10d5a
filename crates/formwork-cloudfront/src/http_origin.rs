//! Origins reached over HTTP(S) by domain name: an API, a load balancer, a
//! website elsewhere (the CDK's `HttpOrigin`).

use std::time::Duration;

use formwork_cfn_networking::cloudfront::distribution;
use formwork_core::Expr;

/// How CloudFront connects to an HTTP origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OriginProtocolPolicy {
    /// HTTPS only (the default, as the CDK's).
    #[default]
    HttpsOnly,
    /// The viewer's protocol.
    MatchViewer,
    /// Plain HTTP: requests and responses cross the internet unencrypted.
    HttpOnly,
}

impl OriginProtocolPolicy {
    fn as_str(self) -> &'static str {
        match self {
            OriginProtocolPolicy::HttpsOnly => "https-only",
            OriginProtocolPolicy::MatchViewer => "match-viewer",
            OriginProtocolPolicy::HttpOnly => "http-only",
        }
    }
}

/// The longest origin read and keep-alive timeouts CloudFront accepts (60 s
/// without a quota increase).
pub const MAX_ORIGIN_TIMEOUT: Duration = Duration::from_secs(180);

/// An origin reached by domain name. The CDK's defaults: HTTPS only,
/// TLSv1.2, CloudFront's ports (80, 443) and timeouts.
///
/// ```
/// use formwork_cloudfront::{HttpOrigin, OriginProtocolPolicy};
/// let api = HttpOrigin {
///     origin_path: Some("/prod".into()),
///     ..HttpOrigin::new("api.example.com")
/// };
/// assert_eq!(api.protocol_policy, OriginProtocolPolicy::HttpsOnly);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct HttpOrigin {
    /// The origin's domain name (no scheme, no path).
    pub domain_name: Expr,
    /// HTTP, HTTPS or the viewer's; [`OriginProtocolPolicy::HttpsOnly`] by default.
    pub protocol_policy: OriginProtocolPolicy,
    /// The HTTP port: 80, 443 or 1024-65535 (CloudFront's 80 when unset).
    pub http_port: Option<u16>,
    /// The HTTPS port: 80, 443 or 1024-65535 (CloudFront's 443 when unset).
    pub https_port: Option<u16>,
    /// A path prefixed to every request, e.g. `/prod` (a leading `/` is
    /// added and a trailing one removed, as the CDK does).
    pub origin_path: Option<String>,
    /// How long CloudFront waits for a response, 1 s to
    /// [`MAX_ORIGIN_TIMEOUT`] (CloudFront's 30 s when unset).
    pub read_timeout: Option<Duration>,
    /// How long CloudFront keeps an idle connection, 1 s to
    /// [`MAX_ORIGIN_TIMEOUT`] (CloudFront's 5 s when unset).
    pub keepalive_timeout: Option<Duration>,
}

impl HttpOrigin {
    /// An origin at `domain_name` with the defaults.
    pub fn new(domain_name: impl Into<Expr>) -> HttpOrigin {
        HttpOrigin {
            domain_name: domain_name.into(),
            protocol_policy: OriginProtocolPolicy::default(),
            http_port: None,
            https_port: None,
            origin_path: None,
            read_timeout: None,
            keepalive_timeout: None,
        }
    }

    /// The first broken rule, as (property under `Origins`, rule).
    pub(crate) fn problem(&self) -> Option<(&'static str, String)> {
        if let Expr::Str(domain) = &self.domain_name {
            if domain.is_empty() || domain.contains('/') {
                return Some((
                    "DomainName",
                    format!("must be a domain name without scheme or path (e.g. \"api.example.com\"), got {:?}", &**domain),
                ));
            }
        }
        let ports = [
            ("CustomOriginConfig.HTTPPort", self.http_port),
            ("CustomOriginConfig.HTTPSPort", self.https_port),
        ];
        for (property, port) in ports {
            if let Some(p) = port {
                if !(p == 80 || p == 443 || p >= 1024) {
                    return Some((property, format!("must be 80, 443 or 1024-65535, got {p}")));
                }
            }
        }
        let timeouts = [
            ("CustomOriginConfig.OriginReadTimeout", self.read_timeout),
            (
                "CustomOriginConfig.OriginKeepaliveTimeout",
                self.keepalive_timeout,
            ),
        ];
        for (property, timeout) in timeouts {
            if let Some(t) = timeout {
                let whole = t.subsec_nanos() == 0;
                if !whole || t < Duration::from_secs(1) || t > MAX_ORIGIN_TIMEOUT {
                    return Some((
                        property,
                        format!(
                            "must be whole seconds from 1 to {}, got {t:?}",
                            MAX_ORIGIN_TIMEOUT.as_secs()
                        ),
                    ));
                }
            }
        }
        None
    }

    /// The origin of the distribution config, with id `origin_id`.
    pub(crate) fn bind(&self, origin_id: &str) -> distribution::Origin {
        let seconds = |t: Option<Duration>| t.map(|t| Expr::from(t.as_secs() as i64).into());
        let config = distribution::CustomOriginConfig {
            http_port: self.http_port.map(|p| Expr::from(i64::from(p)).into()),
            https_port: self.https_port.map(|p| Expr::from(i64::from(p)).into()),
            origin_read_timeout: seconds(self.read_timeout),
            origin_keepalive_timeout: seconds(self.keepalive_timeout),
            origin_ssl_protocols: Some(Expr::List(vec!["TLSv1.2".into()]).into()),
            ..distribution::CustomOriginConfig::new(self.protocol_policy.as_str())
        };
        distribution::Origin {
            custom_origin_config: Some(config.into()),
            origin_path: self
                .origin_path
                .as_deref()
                .map(|p| normalize_path(p).into()),
            ..distribution::Origin::new(self.domain_name.clone(), origin_id)
        }
    }
}

/// `/prod` for `prod`, `/prod/` or `/prod`, as the CDK's `validateOriginPath`.
fn normalize_path(path: &str) -> String {
    let mut p = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    if p.ends_with('/') {
        p.pop();
    }
    p
}
