//! [`CfnResource`]: a CloudFormation resource as every construct renders
//! it, and the checks that run on its synthesized properties.

use std::rc::Rc;

use serde_json::Value;

use crate::expr::{ElementRef, Expr, ExprMap, Str};
use crate::template::RemovalPolicy;

/// A problem a [`ResourceCheck`] or a validator found in one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The property path, e.g. `ManagedPolicyArns`, when one is at fault.
    pub property: Option<String>,
    /// The rule broken, with the offending value.
    pub rule: String,
}

impl Issue {
    /// An issue with `property`.
    pub fn property(property: impl Into<String>, rule: impl Into<String>) -> Self {
        Issue {
            property: Some(property.into()),
            rule: rule.into(),
        }
    }
}

/// A check that runs on the synthesized `Properties` of one resource (as in
/// the template, every reference resolved), for rules that only the final
/// JSON can tell, such as the 2,048-character trust-policy quota.
pub type ResourceCheck = fn(&serde_json::Map<String, Value>, &mut Vec<Issue>);

/// A CloudFormation resource of any type: the L1 layer every construct
/// renders to, and the escape hatch for types without a construct.
///
/// ```
/// use formwork_core::{App, CfnResource, Scope};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let topic = stack
///     .add_resource("Topic", CfnResource::new("AWS::SNS::Topic").set("DisplayName", "alerts"))
///     .unwrap();
/// stack.output("TopicArn", topic.to_ref());
/// let assembly = app.synth().unwrap();
/// assert!(assembly.stacks[0].template.resources.contains_key("Topic"));
/// ```
#[derive(Clone, Debug)]
pub struct CfnResource {
    /// The resource type, e.g. `AWS::S3::Bucket`.
    pub type_name: Str,
    /// `Properties`, in insertion order.
    pub properties: ExprMap,
    /// Resources this one must be created after.
    pub depends_on: Vec<ElementRef>,
    /// `CreationPolicy`.
    pub creation_policy: Option<Expr>,
    /// `UpdatePolicy`.
    pub update_policy: Option<Expr>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<RemovalPolicy>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<RemovalPolicy>,
    /// Extra `Metadata` entries (formwork adds `aws:cdk:path`).
    pub metadata: ExprMap,
    /// A condition that decides whether the resource is created.
    pub condition: Option<crate::ConditionRef>,
    /// Checks run on the synthesized properties.
    pub checks: Vec<ResourceCheck>,
}

impl CfnResource {
    /// A resource of `type_name` with no properties.
    pub fn new(type_name: impl Into<Str>) -> Self {
        CfnResource {
            type_name: type_name.into(),
            properties: ExprMap::new(),
            depends_on: Vec::new(),
            creation_policy: None,
            update_policy: None,
            update_replace_policy: None,
            deletion_policy: None,
            metadata: ExprMap::new(),
            condition: None,
            checks: Vec::new(),
        }
    }

    /// Sets a property (builder style).
    #[must_use]
    pub fn set(mut self, name: impl Into<Str>, value: impl Into<Expr>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// Sets a property when `value` is `Some` (builder style).
    #[must_use]
    pub fn set_opt(mut self, name: impl Into<Str>, value: Option<impl Into<Expr>>) -> Self {
        if let Some(value) = value {
            self.properties.insert(name.into(), value.into());
        }
        self
    }

    /// Sets a property in place.
    pub fn insert(&mut self, name: impl Into<Str>, value: impl Into<Expr>) {
        self.properties.insert(name.into(), value.into());
    }

    /// Adds a dependency on another resource.
    pub fn add_depends_on(&mut self, other: impl Into<ElementRef>) {
        let other = other.into();
        if !self.depends_on.contains(&other) {
            self.depends_on.push(other);
        }
    }

    /// Registers a check that runs on the synthesized resource.
    pub fn add_check(&mut self, check: ResourceCheck) {
        if !self.checks.contains(&check) {
            self.checks.push(check);
        }
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` together, as the CDK's
    /// `applyRemovalPolicy` does. `UpdateReplacePolicy` has no
    /// `RetainExceptOnDelete`: a replaced resource is then retained.
    pub fn apply_removal_policy(&mut self, policy: RemovalPolicy) {
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(match policy {
            RemovalPolicy::RetainExceptOnDelete => RemovalPolicy::Retain,
            other => other,
        });
    }
}

/// Properties computed at synthesis from a construct's typed state (the
/// CDK's lazy values): called once, with the tree released.
pub type LazyProperties = Rc<dyn Fn() -> ExprMap>;
