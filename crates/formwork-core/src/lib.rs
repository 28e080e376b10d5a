//! The core of formwork: the construct tree, typed intrinsics, the template
//! model, synthesis and the cloud-assembly writer.
//!
//! Nothing here knows a resource type by name: construct libraries such as
//! `formwork-iam` build on [`CfnResource`] and [`Scope`]. Nothing here knows
//! the AWS SDK: deploying is `formwork-deploy`'s job.
//!
//! ```
//! use formwork_core::{App, CfnResource, Expr, Pseudo, Scope};
//!
//! let mut app = App::new();
//! let stack = app.stack("Demo");
//! let mut site = stack.child("Site").unwrap();
//! let bucket = site.add_resource("Resource", CfnResource::new("AWS::S3::Bucket")).unwrap();
//! stack.output("BucketArn", bucket.get_att("Arn"));
//! stack.output("Where", Expr::join("-", [Pseudo::Region.into(), bucket.to_ref()]));
//!
//! let assembly = app.synth().unwrap();
//! let template = &assembly.stacks[0].template;
//! assert!(template.resources.contains_key("SiteE53D7754"));
//! ```

#![warn(missing_docs)]

mod app;
pub mod assembly;
pub mod assertions;
mod element;
mod error;
mod expr;
mod json_format;
pub mod logical_id;
mod resolved;
pub mod rules;
#[cfg(feature = "schema")]
mod schema_validation;
mod stack;
mod synth;
pub mod template;

pub use app::{App, ResourceValidator};
pub use element::{
    CfnResource, ConditionRef, Issue, MappingRef, OutputDef, ParameterRef, ResourceCheck,
    ResourceRef,
};
pub use error::{Error, Result, Violation};
pub use expr::{ElementRef, Expr, ExprMap, ExprMapIter, Pseudo, Str, Sub, SubPart};
pub use resolved::Resolved;
#[cfg(feature = "schema")]
pub use schema_validation::SchemaValidator;
pub use stack::{NodeId, Scope, ScopeMut, Stack};
pub use synth::{is_valid_stack_name, limits, Assembly, SynthesizedStack};
pub use template::{RemovalPolicy, Template};
