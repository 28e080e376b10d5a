//! [`Construct`], the handle to a node of the tree, and [`Scope`], what
//! constructs are added to (docs/ARCHITECTURE.md §3).

use std::rc::Rc;

use crate::cfn_resource::CfnResource;
use crate::error::Result;
use crate::expr::ElementRef;
use crate::tree::{App, Construct, Kind, NodeId, ResourceNode, ResourceRef, Stack};

impl Construct {
    /// This node's construct id.
    pub fn id(&self) -> String {
        self.tree().node(self.node).id.to_string()
    }

    /// The construct path, starting with the stack name (e.g.
    /// `LexWebBotStack/BotPool/AuthenticatedRole`).
    pub fn path(&self) -> String {
        self.tree().path_or_app(self.node)
    }

    /// The app this construct belongs to.
    pub fn app(&self) -> App {
        App {
            shared: self.app.clone(),
        }
    }

    /// The stack this construct belongs to; `None` for the app itself.
    pub fn stack(&self) -> Option<Stack> {
        let stack = self.tree().node(self.node).stack;
        (stack != NodeId::ROOT).then(|| Stack {
            construct: self.at(stack),
        })
    }

    /// The parent construct; `None` for the app.
    pub fn parent(&self) -> Option<Construct> {
        let parent = self.tree().node(self.node).parent;
        parent.map(|p| self.at(p))
    }

    /// The direct children, in creation order.
    pub fn children(&self) -> Vec<Construct> {
        let children = self.tree().node(self.node).children.clone();
        children.into_iter().map(|c| self.at(c)).collect()
    }

    /// The stack at this node, when it is one.
    pub fn as_stack(&self) -> Option<Stack> {
        let is_stack = matches!(self.tree().node(self.node).kind, Kind::Stack(_));
        is_stack.then(|| Stack {
            construct: self.clone(),
        })
    }

    /// The resource at this node, when it is one (for aspects and escape hatches).
    pub fn as_resource(&self) -> Option<ResourceRef> {
        matches!(self.tree().node(self.node).kind, Kind::Resource(_)).then(|| ResourceRef {
            construct: self.clone(),
        })
    }

    /// The [`ElementRef`] of this node, for building expressions.
    pub fn element(&self) -> ElementRef {
        ElementRef {
            app: self.app.id,
            node: self.node.0,
        }
    }

    /// Registers a check that runs at synthesis, before the templates are
    /// made (the CDK's `node.addValidation`): each string it returns is an
    /// error reported with this construct's path.
    pub fn add_validation(&self, check: impl Fn() -> Vec<String> + 'static) {
        self.tree_mut()
            .node_mut(self.node)
            .validations
            .push(Rc::new(check));
    }

    /// Adds a metadata entry for the cloud assembly (the CDK's
    /// `node.addMetadata`): `{"type": entry_type, "data": data}` under this
    /// construct's path in its stack artifact of `manifest.json`. Tools that
    /// do not know `entry_type` skip it; the cloud-assembly schema allows
    /// free-form data. Nothing is written for the app itself.
    pub fn add_metadata(&self, entry_type: impl Into<String>, data: serde_json::Value) {
        self.tree_mut()
            .node_mut(self.node)
            .metadata
            .push((entry_type.into(), data));
    }

    pub(crate) fn add_child(&self, id: &str, kind: Kind) -> Result<Construct> {
        let node = self.tree_mut().insert(self.node, id, kind)?;
        Ok(self.at(node))
    }
}

/// Something constructs can be added to: a [`Stack`], a [`Construct`], or an
/// L2 construct that exposes its scope.
///
/// Construct libraries take `&impl Scope`, so that `Role::new(&stack, ..)`
/// and `Role::new(&my_construct, ..)` both work.
pub trait Scope {
    /// This scope's node.
    fn construct(&self) -> &Construct;

    /// The construct path of this scope.
    fn path(&self) -> String {
        self.construct().path()
    }

    /// The path a child `id` of this scope would have (for error messages
    /// before the child exists).
    fn child_path(&self, id: &str) -> String {
        let mut p = self.path();
        p.push('/');
        p.push_str(id);
        p
    }

    /// Creates a child construct scope with the given id.
    fn child(&self, id: &str) -> Result<Construct> {
        self.construct().add_child(id, Kind::Scope)
    }

    /// Adds a resource with the given construct id under this scope.
    fn add_resource(&self, id: &str, resource: CfnResource) -> Result<ResourceRef> {
        let construct = self
            .construct()
            .add_child(id, Kind::Resource(ResourceNode::new(resource)))?;
        Ok(ResourceRef { construct })
    }

    /// The stack this scope belongs to. Constructs can only be added below
    /// a stack, so this is `None` for the app alone.
    fn stack(&self) -> Option<Stack> {
        self.construct().stack()
    }
}

impl Scope for Construct {
    fn construct(&self) -> &Construct {
        self
    }
}

impl<T: Scope + ?Sized> Scope for &T {
    fn construct(&self) -> &Construct {
        (**self).construct()
    }
}
