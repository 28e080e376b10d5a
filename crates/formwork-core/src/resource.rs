//! CloudFormation resources: [`CfnResource`] (what every construct renders
//! to), the tree's record of one, and [`ResourceRef`], the handle to it.

use std::rc::Rc;

use serde_json::Value;

use crate::construct::{Construct, Kind, Scope};
use crate::error::{Error, Result};
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
    pub fn add_depends_on(&mut self, other: &ResourceRef) {
        let other = other.element();
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
    /// `applyRemovalPolicy` does.
    pub fn apply_removal_policy(&mut self, policy: RemovalPolicy) {
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(policy);
    }
}

/// Properties computed at synthesis from a construct's typed state (the
/// CDK's lazy values): called once, with the tree released.
pub type LazyProperties = Rc<dyn Fn() -> ExprMap>;

/// A resource as the tree holds it.
pub(crate) struct ResourceNode {
    pub(crate) resource: CfnResource,
    /// When set, replaces `resource.properties` at synthesis.
    pub(crate) lazy: Option<LazyProperties>,
    /// Raw overrides (`Properties.A.B`, `DeletionPolicy`, ...), applied to
    /// the resource's JSON last, in order; `None` deletes.
    pub(crate) overrides: Vec<(String, Option<Expr>)>,
}

impl ResourceNode {
    pub(crate) fn new(resource: CfnResource) -> ResourceNode {
        ResourceNode {
            resource,
            lazy: None,
            overrides: Vec::new(),
        }
    }
}

/// A handle to a resource of the tree: `Ref` and `Fn::GetAtt` come from it,
/// and so do the escape hatches (overrides, dependencies, removal policy).
/// Cloning it is cheap.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceRef {
    construct: Construct,
}

impl Scope for ResourceRef {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

impl From<&ResourceRef> for ElementRef {
    fn from(r: &ResourceRef) -> ElementRef {
        r.element()
    }
}

impl From<ResourceRef> for ElementRef {
    fn from(r: ResourceRef) -> ElementRef {
        r.element()
    }
}

impl ResourceRef {
    /// A handle over `construct`, which the caller knows to be a resource.
    pub(crate) fn from_construct(construct: Construct) -> ResourceRef {
        ResourceRef { construct }
    }

    /// The underlying element reference.
    pub fn element(&self) -> ElementRef {
        self.construct.element()
    }

    /// `{"Ref": LogicalId}`: the resource's primary identifier.
    pub fn to_ref(&self) -> Expr {
        Expr::Ref(self.element())
    }

    /// `{"Fn::GetAtt": [LogicalId, attribute]}`.
    pub fn get_att(&self, attribute: impl Into<String>) -> Expr {
        Expr::GetAtt(self.element(), attribute.into())
    }

    /// The resource type, e.g. `AWS::S3::Bucket`.
    pub fn type_name(&self) -> String {
        self.with(|r| r.resource.type_name.to_string())
    }

    /// The resource's properties as last set (before lazy properties are
    /// rendered and overrides applied), for aspects that inspect them.
    pub fn properties(&self) -> ExprMap {
        self.with(|r| r.resource.properties.clone())
    }

    fn with<T>(&self, f: impl FnOnce(&mut ResourceNode) -> T) -> T {
        let mut tree = self.construct.tree_mut();
        match &mut tree.node_mut(self.construct.node).kind {
            Kind::Resource(r) => f(r),
            _ => unreachable!("a ResourceRef always points at a resource node"),
        }
    }

    /// Changes the resource itself (dependencies, policies, metadata, and
    /// its properties unless they are computed by its construct).
    pub fn update(&self, f: impl FnOnce(&mut CfnResource)) {
        self.with(|r| f(&mut r.resource));
    }

    /// Makes the properties lazy: `render` computes them at synthesis from
    /// the owning construct's typed state. For L2 constructs.
    pub fn set_lazy_properties(&self, render: impl Fn() -> ExprMap + 'static) {
        let render: LazyProperties = Rc::new(render);
        self.with(|r| r.lazy = Some(render));
    }

    /// Sets `Properties.<path>` in the synthesized template, whatever the
    /// construct renders (the CDK's `addPropertyOverride`). `path` is
    /// dot-separated (`VersioningConfiguration.Status`); a `.` inside a key
    /// is written `\.`.
    pub fn add_property_override(&self, path: &str, value: impl Into<Expr>) {
        self.add_override(&format!("Properties.{path}"), value);
    }

    /// Removes `Properties.<path>` from the synthesized template.
    pub fn add_property_deletion_override(&self, path: &str) {
        let path = format!("Properties.{path}");
        self.with(|r| r.overrides.push((path, None)));
    }

    /// Sets any part of the resource's template entry by path
    /// (`Properties.X`, `DeletionPolicy`, `Metadata.Y`, ...), as the CDK's
    /// `addOverride`.
    pub fn add_override(&self, path: &str, value: impl Into<Expr>) {
        let value = value.into();
        self.with(|r| r.overrides.push((path.to_owned(), Some(value))));
    }

    /// Adds a dependency on another resource (of this stack, or of another
    /// stack, which then becomes a dependency between the stacks).
    pub fn add_depends_on(&self, other: &ResourceRef) {
        self.update(|r| r.add_depends_on(other));
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` together.
    pub fn apply_removal_policy(&self, policy: RemovalPolicy) {
        self.update(|r| r.apply_removal_policy(policy));
    }

    /// Registers a check that runs on the synthesized resource.
    pub fn add_check(&self, check: ResourceCheck) {
        self.update(|r| r.add_check(check));
    }

    /// Overrides the logical ID, as the CDK's `overrideLogicalId` does (for
    /// adopting resources of an existing template).
    pub fn override_logical_id(&self, logical_id: impl Into<String>) -> Result<()> {
        let logical_id = logical_id.into();
        if !crate::logical_id::is_valid_logical_id(&logical_id) {
            return Err(Error::invalid(
                self.construct.path(),
                None,
                format!("logical ID {logical_id:?} must be 1-255 alphanumeric characters"),
            ));
        }
        self.construct
            .tree_mut()
            .node_mut(self.construct.node)
            .logical_id_override = Some(logical_id);
        Ok(())
    }
}
