//! Amazon S3 constructs for formwork: a [`Bucket`] with secure defaults,
//! its bucket policy, grants and imports.
//!
//! A new bucket is encrypted (S3-managed keys), blocks all public access,
//! disables ACLs (`BucketOwnerEnforced`), denies requests without TLS in its
//! bucket policy, and is retained when it leaves the stack
//! ([`BucketProps::default`] spells each default out).
//!
//! ```
//! use formwork_core::App;
//! use formwork_iam::{Principal, Role, RoleProps};
//! use formwork_s3::{Bucket, BucketProps};
//! let app = App::new();
//! let stack = app.stack("Demo");
//! let uploads = Bucket::new(&stack, "Uploads", BucketProps::default()).unwrap();
//! let worker = Role::new(&stack, "Worker", RoleProps {
//!     assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
//!     ..Default::default()
//! }).unwrap();
//! uploads.grant_read_write(&worker).unwrap();
//! let shared = Bucket::from_bucket_name(&stack, "Shared", "shared-reference-data").unwrap();
//! shared.grant_read(&worker).unwrap();
//! app.synth().unwrap();
//! ```

#![warn(missing_docs)]

mod bucket;
mod grants;
mod import;
mod join;
mod name;
mod policy;
mod props;

pub use bucket::Bucket;
pub use grants::{BUCKET_DELETE_ACTIONS, BUCKET_PUT_ACTIONS, BUCKET_READ_ACTIONS};
pub use policy::LOG_DELIVERY_PRINCIPAL;
pub use props::{BlockPublicAccess, BucketEncryption, BucketProps, ObjectOwnership};
