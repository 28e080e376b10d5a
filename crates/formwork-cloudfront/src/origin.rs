//! Origins: S3 buckets served through an origin access control (OAC), as
//! the CDK's `S3BucketOrigin.withOriginAccessControl` (aws-cdk-lib
//! `aws-cloudfront-origins`) builds them, and the [`Origin`] a behavior takes.

use formwork_cfn_networking::cloudfront::{
    distribution, origin_access_control, CfnOriginAccessControl, CfnOriginAccessControlProps,
};
use formwork_core::{Annotations, Construct, Expr, Result, Scope};
use formwork_iam::{ConditionOperator, Principal, Statement};
use formwork_s3::Bucket;

use crate::http_origin::HttpOrigin;
use crate::naming::unique_resource_name;

/// The service principal CloudFront signs origin requests as.
pub const CLOUDFRONT_PRINCIPAL: &str = "cloudfront.amazonaws.com";
/// OAC names: at most 64 characters, unique per account.
pub const MAX_OAC_NAME_LEN: usize = 64;

/// Where a behavior's requests go: a private bucket or an HTTP origin.
/// Both convert into it.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A bucket behind an origin access control.
    S3(S3BucketOrigin),
    /// A domain reached over HTTP(S).
    Http(HttpOrigin),
}

impl From<S3BucketOrigin> for Origin {
    fn from(origin: S3BucketOrigin) -> Self {
        Origin::S3(origin)
    }
}

impl From<HttpOrigin> for Origin {
    fn from(origin: HttpOrigin) -> Self {
        Origin::Http(origin)
    }
}

impl Origin {
    /// Creates what the origin needs under `scope` (the origin's construct)
    /// and returns the origin of the distribution config, with id `origin_id`.
    pub(crate) fn bind(&self, scope: &Construct, origin_id: &str) -> Result<distribution::Origin> {
        match self {
            Origin::S3(s3) => s3.bind(scope, origin_id),
            Origin::Http(http) => Ok(http.bind(origin_id)),
        }
    }

    /// Lets the distribution whose ARN is `distribution_arn` read a bucket
    /// origin; nothing for an HTTP origin.
    pub(crate) fn grant_read(&self, scope: &Construct, distribution_arn: Expr) -> Result<()> {
        match self {
            Origin::S3(s3) => s3.grant_read(scope, distribution_arn),
            Origin::Http(_) => Ok(()),
        }
    }
}

/// A private bucket served by CloudFront through an origin access control:
/// CloudFront signs every request (SigV4, always), and the bucket policy
/// allows `s3:GetObject` to `cloudfront.amazonaws.com` for this
/// distribution only (`AWS:SourceArn`). The bucket stays private.
#[derive(Clone, Debug, PartialEq)]
pub struct S3BucketOrigin {
    bucket: Bucket,
}

impl S3BucketOrigin {
    /// `bucket` behind a new origin access control (the distribution
    /// creates it as `<Distribution>/Origin<N>/S3OriginAccessControl`; a
    /// distribution serving the bucket in several behaviors makes one).
    ///
    /// An imported bucket cannot be given the policy statement: the
    /// distribution then warns, and the statement must be added where the
    /// bucket is managed.
    pub fn with_origin_access_control(bucket: &Bucket) -> S3BucketOrigin {
        S3BucketOrigin {
            bucket: bucket.clone(),
        }
    }

    /// The bucket served.
    pub fn bucket(&self) -> &Bucket {
        &self.bucket
    }

    /// Creates the OAC under `scope` (the origin's construct) and returns
    /// the origin of the distribution config, with id `origin_id`.
    pub(crate) fn bind(&self, scope: &Construct, origin_id: &str) -> Result<distribution::Origin> {
        let oac_scope = scope.child("S3OriginAccessControl")?;
        let stack_relative: Vec<String> = oac_scope.path().split('/').map(str::to_owned).collect();
        let components: Vec<&str> = stack_relative.iter().map(String::as_str).collect();
        let name = unique_resource_name(&components, MAX_OAC_NAME_LEN);
        let oac = CfnOriginAccessControl::new(
            &oac_scope,
            "Resource",
            CfnOriginAccessControlProps::builder()
                .origin_access_control_config(
                    origin_access_control::OriginAccessControlConfig::new(
                        name, "s3", "always", "sigv4",
                    ),
                )
                .build(),
        )?;
        Ok(distribution::Origin {
            origin_access_control_id: Some(oac.attr_id().into()),
            // With OAC, the origin access identity must be present and empty.
            s3_origin_config: Some(
                distribution::S3OriginConfig {
                    origin_access_identity: Some("".into()),
                    ..Default::default()
                }
                .into(),
            ),
            ..distribution::Origin::new(self.bucket.bucket_regional_domain_name(), origin_id)
        })
    }

    /// Adds the bucket policy statement that lets the distribution whose
    /// ARN is `distribution_arn` read objects; warns on `scope` when the
    /// bucket is imported.
    pub(crate) fn grant_read(&self, scope: &Construct, distribution_arn: Expr) -> Result<()> {
        let statement = Statement::allow()
            .principal(Principal::service(CLOUDFRONT_PRINCIPAL))
            .actions(["s3:GetObject"])
            .resources([self.bucket.arn_for_objects("*")])
            .condition(
                ConditionOperator::StringEquals,
                "AWS:SourceArn",
                distribution_arn,
            );
        if !self.bucket.add_to_resource_policy(statement)? {
            Annotations::of(scope).add_warning_v2(
                "@formwork/cloudfront:updateImportedBucketPolicyOac",
                format!(
                    "cannot add the origin access control statement to the policy of the imported bucket {}: allow s3:GetObject on its objects to {CLOUDFRONT_PRINCIPAL} with AWS:SourceArn = this distribution's ARN there",
                    self.bucket.construct().path()
                ),
            );
        }
        Ok(())
    }
}
