//! CloudFormation resources: [`CfnResource`] (what every construct renders
//! to), the tree's record of one, and [`ResourceRef`], the handle to it.

use crate::cfn_resource::{CfnResource, LazyProperties, ResourceCheck};
use crate::tree::{ResourceNode, ResourceRef};
use std::rc::Rc;

use crate::construct::Scope;
use crate::error::{Error, Result};
use crate::expr::{ElementRef, Expr, ExprMap};
use crate::template::RemovalPolicy;
use crate::tree::{Construct, Kind};

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
    /// The construct that owns this resource: an L2's construct, whose
    /// `Resource` child it is (`Bucket/Resource` -> `Bucket`); its own
    /// construct when it has no parent construct.
    pub fn owner(&self) -> Construct {
        self.construct
            .parent()
            .unwrap_or_else(|| self.construct.clone())
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
