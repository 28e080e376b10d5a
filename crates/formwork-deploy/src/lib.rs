//! # formwork-deploy
//!
//! Deploy, diff and destroy CloudFormation stacks through the official AWS
//! SDK, the way a careful CLI does (see docs/ARCHITECTURE.md): change sets, the
//! exact capabilities the template needs, IAM approval, live events with
//! progress, root-cause reporting, recovery from failed earlier attempts,
//! S3 upload for large templates, and bucket deployments (folders synced to
//! S3 after their stack is deployed, CloudFront invalidated).
//!
//! It is the only formwork crate that knows the AWS SDK or tokio. Its input
//! is a plain [`StackSpec`] per stack, which the CLI builds from the cloud
//! assembly.
//!
//! The API follows `cloudformatious`: [`deploy_stack`] (and
//! [`deploy_stacks`], [`destroy_stack`], [`destroy_stacks`]) return an
//! [`Operation`], a [`futures::Stream`] of [`DeployEvent`]s that ends in a
//! typed result:
//!
//! ```no_run
//! # async fn demo(spec: formwork_deploy::StackSpec) -> Result<(), formwork_deploy::DeployError> {
//! use futures::StreamExt;
//! use formwork_deploy::{deploy_stack, Clients, ConnectOptions, DeployOptions};
//!
//! let clients = Clients::connect(&ConnectOptions::default()).await?;
//! let mut op = deploy_stack(clients, spec, DeployOptions::default());
//! while let Some(event) = op.next().await {
//!     println!("{event:?}");
//! }
//! let output = op.output().await?;
//! println!("{:?}", output.outputs);
//! # Ok(()) }
//! ```
//!
//! The [`cli`] module is a thin front end over this API, with clap argument
//! structs and `run_*` functions for the formwork CLI.

#![warn(missing_docs)]

use std::collections::{BTreeMap, HashMap};

mod bucket;
pub mod cli;
mod client;
mod deadline;
mod deploy;
mod destroy;
pub mod diff;
mod error;
mod events;
mod humane;
mod multi;
mod op;
pub mod parameters;
pub mod reader;
mod stack;
pub mod template;

pub use bucket::{
    bucket_deployments, content_type, glob_match, BucketDeploymentOutput, BucketDeploymentSpec,
    CacheControlRule, GeneratedFileSpec, GeneratedValue, BUCKET_DEPLOYMENT_METADATA,
    DEFAULT_INVALIDATION_TIMEOUT, SHA256_METADATA,
};
pub use client::{default_retry_config, http_client, ClientTuning, Clients, ConnectOptions};
pub use deploy::{
    deploy_stack, template_url, ApprovalRequest, Approver, DeployOptions, DeployOutcome,
    DeployOutput, RequireApproval,
};
pub use destroy::{destroy_stack, diff_stack, DestroyOptions, DestroyOutput, StackDiff};
pub use error::DeployError;
pub use events::{
    ChangeSetKind, DeployEvent, ObjectChange, Progress, ResourceChange, ResourceEvent,
};
pub use humane::humane;
pub use multi::{dependency_order, deploy_stacks, destroy_stacks, select_stacks};
pub use op::{Finished, Operation};
pub use parameters::ParameterArg;

/// One stack to deploy, as the CLI reads it from the cloud assembly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StackSpec {
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// The exact JSON written to `<stack>.template.json`.
    pub template_body: String,
    /// Logical ID -> construct path (from the manifest's `aws:cdk:logicalId` metadata).
    pub construct_paths: HashMap<String, String>,
    /// Names of the stacks this one depends on (deploy order).
    pub dependencies: Vec<String>,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Stack parameters.
    pub parameters: BTreeMap<String, String>,
    /// Whether termination protection should be enabled.
    pub termination_protection: bool,
    /// The account of the stack's environment (`aws://ACCOUNT/REGION` in
    /// the manifest), when it names one: the credentials must be for it.
    pub account: Option<String>,
    /// The region of the stack's environment, when it names one: the stack
    /// goes there, whatever the default region. `None`: the clients' region
    /// (`--region`, `AWS_REGION`, the profile).
    pub region: Option<String>,
    /// The bucket deployments of the stack, synced after it is deployed
    /// (from the manifest's `formwork:bucket-deployment` metadata, see
    /// [`bucket_deployments`]).
    pub deployments: Vec<BucketDeploymentSpec>,
}
