//! Building the AWS clients from the standard configuration chain, with the
//! retry and timeout policy of [`ClientTuning`].

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudformation::config::ProvideCredentials;
use aws_smithy_http_client::tls;

use crate::error::DeployError;

/// Where to find credentials and which region to use. `None` fields fall back
/// to the standard chain (`AWS_PROFILE`, `AWS_REGION`, `~/.aws/config`, ...).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    /// A named profile (`--profile`).
    pub profile: Option<String>,
    /// A region (`--region`).
    pub region: Option<String>,
    /// Retries and timeouts of every call.
    pub tuning: ClientTuning,
}

/// How every AWS call is retried and bounded.
///
/// Every SDK call gets a connect timeout, a read timeout, a timeout per
/// attempt and a timeout for the whole call including retries, so that an
/// endpoint that accepts a connection and never answers cannot hang a
/// deploy. Throttling is retried in the SDK's *adaptive* mode (exponential
/// backoff with jitter plus a client-side rate limiter that slows down when
/// the service throttles), with many attempts and a long maximum backoff, so
/// that a throttling storm of a few minutes is ridden out the way the AWS CDK
/// CLI rides it out. A stalled attempt is a transient error: it is retried
/// like a throttled one, until the call's own timeout.
///
/// The whole operation (`--timeout`) bounds all of this from the outside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientTuning {
    /// Attempts per call, the first included (`--max-retries` + 1).
    pub max_attempts: u32,
    /// The first backoff between attempts.
    pub initial_backoff: Duration,
    /// The longest backoff between attempts.
    pub max_backoff: Duration,
    /// Establishing a TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// Waiting for the first byte of a response once the request is sent.
    pub read_timeout: Duration,
    /// One attempt of a call, from request to parsed response.
    pub attempt_timeout: Duration,
    /// One call, all attempts and backoffs included.
    pub call_timeout: Duration,
}

impl Default for ClientTuning {
    /// 21 attempts with backoffs of up to 20 s: with full jitter, about three
    /// minutes of throttling are ridden out. An attempt gets 60 s (the
    /// CloudFormation calls used here answer in well under a second), a
    /// call 5 minutes.
    fn default() -> Self {
        ClientTuning {
            max_attempts: 21,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            attempt_timeout: Duration::from_secs(60),
            call_timeout: Duration::from_secs(300),
        }
    }
}

impl ClientTuning {
    /// The default tuning with `retries` retries (so `retries + 1` attempts).
    pub fn with_max_retries(retries: u32) -> Self {
        ClientTuning {
            max_attempts: retries.saturating_add(1),
            ..Default::default()
        }
    }

    /// The retry policy: the SDK's adaptive mode.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::adaptive()
            .with_max_attempts(self.max_attempts.max(1))
            .with_initial_backoff(self.initial_backoff)
            .with_max_backoff(self.max_backoff)
    }

    /// The timeouts of every call.
    pub fn timeout_config(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .read_timeout(self.read_timeout)
            .operation_attempt_timeout(self.attempt_timeout)
            .operation_timeout(self.call_timeout)
            .build()
    }
}

/// The AWS clients that deploy, diff and destroy use.
#[derive(Debug, Clone)]
pub struct Clients {
    /// CloudFormation.
    pub cloudformation: aws_sdk_cloudformation::Client,
    /// S3, used to upload templates over the inline size limit and by
    /// bucket deployments.
    pub s3: aws_sdk_s3::Client,
    /// CloudFront, used to invalidate distributions after a bucket deployment.
    pub cloudfront: aws_sdk_cloudfront::Client,
    /// STS, asked for the credentials' account when a stack's environment
    /// names one.
    pub sts: aws_sdk_sts::Client,
    /// The region, used to build S3 template URLs.
    pub region: String,
    /// The endpoint the clients talk to, named in connection errors: the
    /// configured endpoint URL, or CloudFormation's regional endpoint.
    pub endpoint: String,
    /// The configuration these clients were built from, and the tuning
    /// applied over it, so that [`Clients::in_region`] can build the same
    /// clients for another region; `None` for clients wrapped by
    /// [`Clients::new`], which stay in their region.
    origin: Option<(SdkConfig, Option<ClientTuning>)>,
}

/// The default retry policy: [`ClientTuning::default`]'s.
pub fn default_retry_config() -> RetryConfig {
    ClientTuning::default().retry_config()
}

/// The HTTP client: hyper with rustls on ring (HTTP and HTTPS), so that no
/// aws-lc-sys has to be built.
pub fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

impl Clients {
    /// Loads the configuration with `aws_config::defaults(BehaviorVersion::latest())`
    /// (honouring `AWS_ENDPOINT_URL` and friends), applies `options`, and
    /// checks that a region and credentials exist, so that their absence is a
    /// one-line error rather than a failure on the first call.
    pub async fn connect(options: &ConnectOptions) -> Result<Self, DeployError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http_client())
            .retry_config(options.tuning.retry_config())
            .timeout_config(options.tuning.timeout_config());
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        let config = loader.load().await;
        if config.region().is_none() {
            return Err(DeployError::NoRegion);
        }
        let Some(provider) = config.credentials_provider() else {
            return Err(DeployError::NoCredentials {
                detail: "no credentials provider".into(),
            });
        };
        if let Err(e) = provider.provide_credentials().await {
            return Err(DeployError::NoCredentials {
                detail: crate::error::error_chain(&e),
            });
        }
        Ok(Self::from_config_tuned(&config, &options.tuning))
    }

    /// Builds the clients from an already loaded configuration, keeping its
    /// retry and timeout settings. With a custom endpoint (a local
    /// emulator), S3 uses path-style addressing.
    pub fn from_config(config: &SdkConfig) -> Self {
        Self::build(config, None)
    }

    /// Like [`Clients::from_config`], with the retries and timeouts of `tuning`.
    pub fn from_config_tuned(config: &SdkConfig, tuning: &ClientTuning) -> Self {
        Self::build(config, Some(*tuning))
    }

    fn build(config: &SdkConfig, tuning: Option<ClientTuning>) -> Self {
        // Each service's builder takes the shared configuration, then the
        // tuning over the configuration's own retries and timeouts.
        macro_rules! tuned {
            ($builder:expr) => {{
                let builder = $builder;
                match &tuning {
                    Some(t) => builder
                        .retry_config(t.retry_config())
                        .timeout_config(t.timeout_config()),
                    None => builder,
                }
                .build()
            }};
        }
        let cfn = tuned!(aws_sdk_cloudformation::config::Builder::from(config));
        let s3 = tuned!(aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some()));
        let cloudfront = tuned!(aws_sdk_cloudfront::config::Builder::from(config));
        let sts = tuned!(aws_sdk_sts::config::Builder::from(config));
        let region = config
            .region()
            .map_or_else(|| "us-east-1".to_string(), |r| r.to_string());
        let endpoint = config
            .endpoint_url()
            .map(str::to_string)
            .unwrap_or_else(|| regional_endpoint(&region));
        Clients {
            cloudformation: aws_sdk_cloudformation::Client::from_conf(cfn),
            s3: aws_sdk_s3::Client::from_conf(s3),
            cloudfront: aws_sdk_cloudfront::Client::from_conf(cloudfront),
            sts: aws_sdk_sts::Client::from_conf(sts),
            region,
            endpoint,
            origin: Some((config.clone(), tuning)),
        }
    }

    /// The same clients for `region`: these clients when they are for it
    /// already, else clients built anew from the same configuration (profile,
    /// credentials, endpoint, retries and timeouts). `None` when these
    /// clients were wrapped by [`Clients::new`] for another region.
    pub fn in_region(&self, region: &str) -> Option<Clients> {
        if region == self.region {
            return Some(self.clone());
        }
        let (config, tuning) = self.origin.as_ref()?;
        let config = config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build();
        Some(Self::build(&config, *tuning))
    }

    /// Wraps existing clients (for tests with scripted responses, or custom
    /// setups). The CloudFront and STS clients are built for `region`
    /// without credentials; give working ones with
    /// [`Clients::with_cloudfront`] and [`Clients::with_sts`].
    pub fn new(
        cloudformation: aws_sdk_cloudformation::Client,
        s3: aws_sdk_s3::Client,
        region: impl Into<String>,
    ) -> Self {
        let region = region.into();
        let cloudfront = aws_sdk_cloudfront::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .http_client(http_client());
        let sts = aws_sdk_sts::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .http_client(http_client());
        Clients {
            cloudformation,
            s3,
            cloudfront: aws_sdk_cloudfront::Client::from_conf(cloudfront.build()),
            sts: aws_sdk_sts::Client::from_conf(sts.build()),
            endpoint: regional_endpoint(&region),
            region,
            origin: None,
        }
    }

    /// The same clients with another CloudFront client.
    pub fn with_cloudfront(mut self, cloudfront: aws_sdk_cloudfront::Client) -> Self {
        self.cloudfront = cloudfront;
        self
    }

    /// The same clients with another STS client.
    pub fn with_sts(mut self, sts: aws_sdk_sts::Client) -> Self {
        self.sts = sts;
        self
    }

    /// The same clients, naming `endpoint` in connection errors.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }
}

/// CloudFormation's public endpoint in a region (what the SDK resolves to
/// when no endpoint URL is configured).
fn regional_endpoint(region: &str) -> String {
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://cloudformation.{region}.{domain}")
}
