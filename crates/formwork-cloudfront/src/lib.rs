//! Amazon CloudFront constructs for formwork: a [`Distribution`] serving a
//! private S3 [`Bucket`](formwork_s3::Bucket) through an origin access
//! control ([`S3BucketOrigin::with_origin_access_control`]), with more
//! behaviors by path for other buckets or [`HttpOrigin`]s
//! ([`Distribution::add_behavior`]).
//!
//! The defaults are the CDK's: viewers redirected to HTTPS, `GET`/`HEAD`,
//! the managed `CachingOptimized` policy, compression, HTTP/2, IPv6, every
//! edge location. The bucket stays private: its policy lets
//! `cloudfront.amazonaws.com` read objects for this distribution only.

#![warn(missing_docs)]

mod distribution;
mod http_origin;
mod naming;
mod options;
mod origin;

pub use distribution::{
    BehaviorOptions, Distribution, DistributionProps, MAX_COMMENT_LEN, MAX_ROOT_OBJECT_LEN,
};
pub use http_origin::{HttpOrigin, OriginProtocolPolicy, MAX_ORIGIN_TIMEOUT};
pub use options::{
    AllowedMethods, CachePolicy, CachedMethods, GeoRestriction, HttpVersion, PriceClass,
    SecurityPolicyProtocol, ViewerProtocolPolicy,
};
pub use origin::{Origin, S3BucketOrigin, CLOUDFRONT_PRINCIPAL, MAX_OAC_NAME_LEN};
