//! Building the AWS clients from the standard configuration chain.

use std::time::Duration;

use aws_config::retry::RetryConfig;
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
}

/// The AWS clients that deploy, diff and destroy use.
#[derive(Debug, Clone)]
pub struct Clients {
    /// CloudFormation.
    pub cloudformation: aws_sdk_cloudformation::Client,
    /// S3, used to upload templates over the inline size limit.
    pub s3: aws_sdk_s3::Client,
    /// The region, used to build S3 template URLs.
    pub region: String,
}

/// The retry policy: the SDK's standard mode (throttling and transient
/// errors are retried with exponential backoff and jitter).
pub fn default_retry_config() -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(6)
        .with_initial_backoff(Duration::from_millis(500))
        .with_max_backoff(Duration::from_secs(20))
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
        // rustls with ring: no aws-lc-sys to build.
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(http)
            .retry_config(default_retry_config());
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
        Ok(Self::from_config(&config))
    }

    /// Builds the clients from an already loaded configuration. With a custom
    /// endpoint (a local emulator), S3 uses path-style addressing.
    pub fn from_config(config: &SdkConfig) -> Self {
        let s3_config = aws_sdk_s3::config::Builder::from(config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Clients {
            cloudformation: aws_sdk_cloudformation::Client::new(config),
            s3: aws_sdk_s3::Client::from_conf(s3_config),
            region: config
                .region()
                .map_or_else(|| "us-east-1".to_string(), |r| r.to_string()),
        }
    }

    /// Wraps existing clients (for tests with scripted responses, or custom setups).
    pub fn new(
        cloudformation: aws_sdk_cloudformation::Client,
        s3: aws_sdk_s3::Client,
        region: impl Into<String>,
    ) -> Self {
        Clients {
            cloudformation,
            s3,
            region: region.into(),
        }
    }
}
