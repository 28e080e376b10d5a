//! The core of formwork: the construct tree, typed intrinsics, the template
//! model, synthesis and the cloud-assembly writer.
//!
//! Nothing here knows a resource type by name: construct libraries such as
//! `formwork-iam` build on [`CfnResource`] and [`Scope`]. Nothing here knows
//! the AWS SDK: deploying is `formwork-deploy`'s job. The architecture is
//! described in docs/ARCHITECTURE.md.
//!
//! ```
//! use formwork_core::{App, CfnResource, Expr, Pseudo, Scope};
//!
//! let app = App::new();
//! let stack = app.stack("Demo");
//! let site = stack.child("Site").unwrap();
//! let bucket = site.add_resource("Resource", CfnResource::new("AWS::S3::Bucket")).unwrap();
//! stack.output("BucketArn", bucket.get_att("Arn"));
//! stack.output("Where", Expr::join("-", [Pseudo::Region.into(), bucket.to_ref()]));
//!
//! let assembly = app.synth().unwrap();
//! let template = &assembly.stacks[0].template;
//! assert!(template.resources.contains_key("SiteE53D7754"));
//! ```

#![warn(missing_docs)]

mod annotations;
mod app;
mod aspects;
pub mod assembly;
pub mod assertions;
pub mod asset;
mod cfn_resource;
mod construct;
mod context;
mod element;
mod error;
mod expr;
pub mod logical_id;
#[cfg(feature = "nag")]
pub mod nag;
mod resource;
pub mod rules;
#[cfg(feature = "schema")]
mod schema_validation;
mod stack;
mod synth;
mod tags;
pub mod template;
mod tree;

pub use annotations::{Annotations, Message};
pub use aspects::Aspects;
pub use asset::Asset;
pub use cfn_resource::{CfnResource, Issue, LazyProperties, ResourceCheck};
pub use construct::Scope;
pub use context::{context_arguments, Context, CONTEXT_ENV, RULE_PACKS_CONTEXT};
pub use element::{ConditionRef, MappingRef, Output, ParameterRef};
pub use error::{Error, Result, Violation};
pub use expr::{ElementRef, Expr, ExprMap, ExprMapIter, Pseudo, Str, Sub, SubPart};
#[cfg(feature = "schema")]
pub use schema_validation::SchemaValidator;
pub use synth::{
    is_valid_stack_name, limits, Assembly, AssemblyFile, RenderFile, SynthesizedAsset,
    SynthesizedStack,
};
pub use tags::{TagProps, Tags};
pub use template::{RemovalPolicy, Template};
pub use tree::{
    App, Aspect, AssetPackaging, Construct, Environment, Level, NodeId, ResourceRef,
    ResourceValidator, Stack, StackProps, TagFormat, TagShape,
};
