//! # formwork
//!
//! Infrastructure as code for Rust, in the style of the AWS CDK: build a tree
//! of typed constructs, and formwork synthesizes CloudFormation templates
//! (and, with the `deploy` feature, deploys them).
//!
//! ```no_run
//! use formwork::prelude::*;
//! use formwork::cognito::{IdentityPool, IdentityPoolProps};
//! use formwork::iam::{ManagedPolicy, ManagedPolicyAttachment};
//!
//! fn main() -> formwork::Result<()> {
//!     let app = App::new();
//!     let stack = app.stack("LexWebBotStack");
//!     let pool = IdentityPool::new(&stack, "BotPool", IdentityPoolProps {
//!         identity_pool_name: Some("BotPool".into()),
//!         allow_unauthenticated_identities: true,
//!         ..Default::default()
//!     })?;
//!     let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
//!     pool.authenticated_role().add_managed_policy(&lex)?;
//!     ManagedPolicyAttachment::new(pool.unauthenticated_role(), &lex)?;
//!     stack.output("IdentityPoolId", pool.identity_pool_id());
//!     app.run()
//! }
//! ```
//!
//! ## Features
//! - `iam` (default): [`iam`], roles and policies.
//! - `cognito` (default): [`cognito`], identity pools.
//! - `lex`: [`lex`], Amazon Lex V2 bots (and the L1s in `cfn::lex`).
//! - `cli` (default): `app.run()` with `synth` and `list`.
//! - `deploy` (default): `deploy`, `diff` and `destroy` verbs and [`deploy`],
//!   through the AWS SDK for Rust (the only part that needs tokio and the SDK).
//! - `s3`: [`s3`], buckets with secure defaults, grants and imports (and
//!   the L1s `cfn::s3`).
//! - `cloudfront`: [`cloudfront`], distributions with an origin access
//!   control S3 origin (and the L1s `cfn::cloudfront`; turns on `s3`).
//! - `s3deploy`: [`s3deploy`], a folder synced to a bucket (and a CloudFront
//!   invalidation) by `deploy`, without a Lambda custom resource.
//! - `validate` (default): every resource checked against its CloudFormation
//!   resource schema at synth.
//! - Generated L1 constructs in [`cfn`]: one feature per common
//!   CloudFormation service (`lambda`, `sqs`, ...; `iam`, `cognito`, `s3`,
//!   `cloudfront` and `lex` turn on their L1 modules too), `all-<group>`
//!   for every service of a group crate (`all-storage`, `all-ml`, ...) and
//!   `all-services` for every one of them. Any other service: enable it on
//!   its group crate (see [`cfn`]).
//!
//! With `default-features = false`, only the core is compiled: the
//! construct tree, [`Expr`], the template model and synthesis.

pub use formwork_core::*;

/// IAM: policy documents, principals, roles, managed policies.
#[cfg(feature = "iam")]
pub mod iam {
    pub use formwork_iam::*;
}

/// Files synced to S3 when their stack is deployed ([`s3deploy::BucketDeployment`]).
#[cfg(feature = "s3deploy")]
pub mod s3deploy {
    pub use formwork_s3deploy::*;
}

/// Amazon Cognito identity pools.
#[cfg(feature = "cognito")]
pub mod cognito {
    pub use formwork_cognito::*;
}

/// Amazon S3: [`s3::Bucket`] with secure defaults, its bucket policy,
/// grants and imports.
#[cfg(feature = "s3")]
pub mod s3 {
    pub use formwork_s3::*;
}

/// Amazon CloudFront: [`cloudfront::Distribution`] serving a private bucket
/// through an origin access control.
#[cfg(feature = "cloudfront")]
pub mod cloudfront {
    pub use formwork_cloudfront::*;
}

/// Amazon Lex V2 bots: locales, intents, versions, aliases and grants.
#[cfg(feature = "lex")]
pub mod lex {
    pub use formwork_lex::*;
}

/// L1 constructs generated from the CloudFormation resource schemas, one
/// module per service: `formwork::cfn::s3::CfnBucket`,
/// `formwork::cfn::lex::CfnBot`, ... A service is compiled only when its
/// feature is on: `formwork`'s own feature for the common services (`s3`,
/// `lambda`, ...), `all-<group>` or `all-services`, or, for any service, the
/// feature of the same name on its group crate
/// (`formwork-cfn-iot = { version = "0.1", features = ["iotwireless"] }`),
/// which then shows here too. See the formwork-cfn README.
///
/// Props are built with a builder: required properties are named and
/// checked at compile time, and every setter converts its argument.
///
/// ```
/// # #[cfg(feature = "iam")] {
/// use formwork::cfn::iam::{CfnRole, CfnRoleProps};
/// use formwork::prelude::*;
///
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let trust = serde_json::json!({"Version": "2012-10-17", "Statement": []});
/// let role = CfnRole::new(
///     &stack,
///     "Role",
///     CfnRoleProps::builder()
///         .assume_role_policy_document(trust)
///         .description("demo")
///         .max_session_duration(3600)
///         .build(),
/// )
/// .unwrap();
/// stack.output("RoleArn", role.attr_arn());
/// # }
/// ```
///
/// Leaving out a required property (here the trust policy) does not compile:
///
/// ```compile_fail
/// # #[cfg(feature = "iam")] {
/// use formwork::cfn::iam::CfnRoleProps;
/// let props = CfnRoleProps::builder().description("demo").build();
/// # }
/// # #[cfg(not(feature = "iam"))] compile_error!("needs the iam feature");
/// ```
pub mod cfn {
    // A group crate with none of its services enabled has nothing to
    // re-export but `support` (the same item as below).
    #![allow(unused_imports)]
    pub use formwork_cfn::support;
    // BEGIN generated cfn re-exports
    pub use formwork_cfn_analytics::*;
    pub use formwork_cfn_compute::*;
    pub use formwork_cfn_database::*;
    pub use formwork_cfn_devtools::*;
    pub use formwork_cfn_integration::*;
    pub use formwork_cfn_iot::*;
    pub use formwork_cfn_management::*;
    pub use formwork_cfn_ml::*;
    pub use formwork_cfn_networking::*;
    pub use formwork_cfn_other::*;
    pub use formwork_cfn_security::*;
    pub use formwork_cfn_storage::*;
    // END generated cfn re-exports
}

/// The command line behind `app.run()`.
#[cfg(feature = "cli")]
pub mod cli {
    pub use formwork_cli::*;
}

/// Deploying from code: change sets, event streams, diff and destroy.
#[cfg(feature = "deploy")]
pub mod deploy {
    pub use formwork_deploy::*;
}

/// The names most programs need.
pub mod prelude {
    #[cfg(feature = "cli")]
    pub use formwork_cli::Run as _;
    #[cfg(feature = "cognito")]
    pub use formwork_cognito::{IdentityPool, IdentityPoolProps};
    pub use formwork_core::{
        Annotations, App, Aspects, CfnResource, Construct, Environment, Expr, Pseudo, Scope, Stack,
        StackProps, Tags,
    };
    #[cfg(feature = "iam")]
    pub use formwork_iam::{
        Grant, Grantable, ManagedPolicy, ManagedPolicyAttachment, PolicyDocument, Principal, Role,
        RoleProps, Statement,
    };
}

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "cli", feature = "cognito"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
