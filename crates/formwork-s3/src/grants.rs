//! Grants on a bucket: the CDK's action lists (aws-cdk-lib
//! `aws-s3/lib/perms.js`) on the CDK's resources, added to the grantee's own
//! policy (docs/ARCHITECTURE.md, "Grants").
//!
//! The put actions are the CDK's `BUCKET_PUT_ACTIONS`, not the legacy
//! `s3:PutObject*`: the feature flag `@aws-cdk/aws-s3:grantWriteWithoutAcl`
//! is on in every CDK v2 app (an expired flag, always true), so a write
//! grant never includes `s3:PutObjectAcl`. The buckets here are encrypted
//! with S3-managed keys or the AWS managed key `aws/s3`, whose key policy
//! already lets S3 use it for the account's principals: no `kms:` actions
//! are granted (the CDK adds them only for a customer managed key).

use formwork_core::{Error, Expr, Result};
use formwork_iam::{Grant, Grantable};

use crate::bucket::Bucket;

/// Reading objects and bucket metadata (the CDK's `BUCKET_READ_ACTIONS`).
pub const BUCKET_READ_ACTIONS: [&str; 3] = ["s3:GetObject*", "s3:GetBucket*", "s3:List*"];
/// Writing objects, without ACLs (the CDK's `BUCKET_PUT_ACTIONS`).
pub const BUCKET_PUT_ACTIONS: [&str; 6] = [
    "s3:PutObject",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:Abort*",
];
/// Deleting objects (the CDK's `BUCKET_DELETE_ACTIONS`).
pub const BUCKET_DELETE_ACTIONS: [&str; 1] = ["s3:DeleteObject*"];

/// Where a grant's statement applies.
enum On {
    /// The objects matching the pattern only.
    Objects,
    /// The bucket itself and the objects matching the pattern.
    BucketAndObjects,
}

impl Bucket {
    /// Lets `grantee` read every object and the bucket's metadata:
    /// [`BUCKET_READ_ACTIONS`] on the bucket and `arn/*`.
    pub fn grant_read(&self, grantee: &impl Grantable) -> Result<Grant> {
        self.grant_read_keys(grantee, "*")
    }

    /// Like [`Bucket::grant_read`], on the objects matching `key_pattern`.
    pub fn grant_read_keys(&self, grantee: &impl Grantable, key_pattern: &str) -> Result<Grant> {
        self.grant(
            grantee,
            key_pattern,
            On::BucketAndObjects,
            &[&BUCKET_READ_ACTIONS],
        )
    }

    /// Lets `grantee` write and delete objects: [`BUCKET_DELETE_ACTIONS`]
    /// and [`BUCKET_PUT_ACTIONS`] on the bucket and `arn/*` (the CDK's
    /// `grantWrite`).
    pub fn grant_write(&self, grantee: &impl Grantable) -> Result<Grant> {
        self.grant_write_keys(grantee, "*")
    }

    /// Like [`Bucket::grant_write`], on the objects matching `key_pattern`.
    pub fn grant_write_keys(&self, grantee: &impl Grantable, key_pattern: &str) -> Result<Grant> {
        self.grant(
            grantee,
            key_pattern,
            On::BucketAndObjects,
            &[&BUCKET_DELETE_ACTIONS, &BUCKET_PUT_ACTIONS],
        )
    }

    /// Read and write in one statement: [`BUCKET_READ_ACTIONS`],
    /// [`BUCKET_DELETE_ACTIONS`] and [`BUCKET_PUT_ACTIONS`] on the bucket
    /// and `arn/*`.
    pub fn grant_read_write(&self, grantee: &impl Grantable) -> Result<Grant> {
        self.grant_read_write_keys(grantee, "*")
    }

    /// Like [`Bucket::grant_read_write`], on the objects matching `key_pattern`.
    pub fn grant_read_write_keys(
        &self,
        grantee: &impl Grantable,
        key_pattern: &str,
    ) -> Result<Grant> {
        self.grant(
            grantee,
            key_pattern,
            On::BucketAndObjects,
            &[
                &BUCKET_READ_ACTIONS,
                &BUCKET_DELETE_ACTIONS,
                &BUCKET_PUT_ACTIONS,
            ],
        )
    }

    /// Lets `grantee` put objects: [`BUCKET_PUT_ACTIONS`] on `arn/*` only.
    pub fn grant_put(&self, grantee: &impl Grantable) -> Result<Grant> {
        self.grant_put_keys(grantee, "*")
    }

    /// Like [`Bucket::grant_put`], on the objects matching `key_pattern`.
    pub fn grant_put_keys(&self, grantee: &impl Grantable, key_pattern: &str) -> Result<Grant> {
        self.grant(grantee, key_pattern, On::Objects, &[&BUCKET_PUT_ACTIONS])
    }

    /// Lets `grantee` delete objects: [`BUCKET_DELETE_ACTIONS`] on `arn/*` only.
    pub fn grant_delete(&self, grantee: &impl Grantable) -> Result<Grant> {
        self.grant_delete_keys(grantee, "*")
    }

    /// Like [`Bucket::grant_delete`], on the objects matching `key_pattern`.
    pub fn grant_delete_keys(&self, grantee: &impl Grantable, key_pattern: &str) -> Result<Grant> {
        self.grant(grantee, key_pattern, On::Objects, &[&BUCKET_DELETE_ACTIONS])
    }

    fn grant(
        &self,
        grantee: &impl Grantable,
        key_pattern: &str,
        on: On,
        actions: &[&[&'static str]],
    ) -> Result<Grant> {
        if key_pattern.is_empty() {
            return Err(Error::invalid(
                self.construct().path(),
                Some("key_pattern"),
                "an object key pattern must not be empty; use \"*\" for every object",
            ));
        }
        let objects = self.arn_for_objects(key_pattern);
        let resources: Vec<Expr> = match on {
            On::Objects => vec![objects],
            On::BucketAndObjects => vec![self.bucket_arn(), objects],
        };
        let actions = actions.iter().flat_map(|list| list.iter().copied());
        Grant::add_to_principal(grantee, actions, resources)
    }
}
