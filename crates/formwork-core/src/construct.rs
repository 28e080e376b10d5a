//! The construct tree: one arena of nodes per [`App`], and [`Construct`],
//! the cheap handle through which a program adds to it.
//!
//! Handles share the arena (an `Rc` of a `RefCell`), so a program holds any
//! number of stacks and constructs at once, as in the AWS CDK. Every borrow
//! of the arena is taken and released inside one method of this crate;
//! none is held while user code runs (aspects, lazy properties and
//! validations are called with the arena released), so a borrow can never
//! clash. See docs/ARCHITECTURE.md, "The construct tree".

use std::cell::{Ref, RefMut};
use std::fmt;
use std::rc::Rc;

use crate::annotations::Annotation;
use crate::app::{App, AppShared};
use crate::aspects::Aspect;
use crate::error::{Error, Result};
use crate::expr::{ElementRef, Expr, Str};
use crate::resource::{CfnResource, ResourceNode, ResourceRef};
use crate::stack::{Stack, StackNode};
use crate::tags::TagOp;
use crate::template;

/// The index of a node in its app's arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The app itself, the root of the tree.
    pub(crate) const ROOT: NodeId = NodeId(0);

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a node of the tree is.
pub(crate) enum Kind {
    /// The app, the root.
    App,
    /// A stack: a child of the app.
    Stack(StackNode),
    /// A plain construct scope (an L2 construct, a group).
    Scope,
    /// A CloudFormation resource.
    Resource(ResourceNode),
    /// A template output.
    Output(OutputNode),
    /// A template parameter.
    Parameter(template::Parameter),
    /// A template condition.
    Condition(Expr),
    /// A template mapping.
    Mapping(serde_json::Value),
}

impl Kind {
    /// The element kind, for error messages; `None` for scopes.
    pub(crate) fn element_kind(&self) -> Option<&'static str> {
        match self {
            Kind::Resource(_) => Some("resource"),
            Kind::Output(_) => Some("output"),
            Kind::Parameter(_) => Some("parameter"),
            Kind::Condition(_) => Some("condition"),
            Kind::Mapping(_) => Some("mapping"),
            Kind::App | Kind::Stack(_) | Kind::Scope => None,
        }
    }
}

/// A template output, as the stack holds it.
#[derive(Clone, Debug)]
pub(crate) struct OutputNode {
    pub(crate) value: Expr,
    pub(crate) description: Option<String>,
    pub(crate) export_name: Option<Expr>,
    pub(crate) condition: Option<ElementRef>,
}

/// A check registered with [`Construct::add_validation`].
pub(crate) type Validation = Rc<dyn Fn() -> Vec<String>>;

/// One node: its construct id, its place in the tree, what it is, and what
/// scope-wide operations were registered on it.
pub(crate) struct Node {
    pub(crate) id: Str,
    pub(crate) parent: Option<NodeId>,
    /// The stack this node belongs to (itself for a stack, the root for the app).
    pub(crate) stack: NodeId,
    pub(crate) children: Vec<NodeId>,
    pub(crate) kind: Kind,
    pub(crate) tags: Vec<TagOp>,
    pub(crate) aspects: Vec<Rc<dyn Aspect>>,
    pub(crate) annotations: Vec<Annotation>,
    /// Warning ids acknowledged on this scope and its children, with reasons.
    pub(crate) acknowledged: Vec<(String, String)>,
    /// Checks registered with [`Construct::add_validation`].
    pub(crate) validations: Vec<Validation>,
    pub(crate) logical_id_override: Option<String>,
}

impl Node {
    pub(crate) fn new(id: Str, parent: Option<NodeId>, stack: NodeId, kind: Kind) -> Node {
        Node {
            id,
            parent,
            stack,
            children: Vec::new(),
            kind,
            tags: Vec::new(),
            aspects: Vec::new(),
            annotations: Vec::new(),
            acknowledged: Vec::new(),
            validations: Vec::new(),
            logical_id_override: None,
        }
    }
}

/// The arena of an app.
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
}

impl Tree {
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub(crate) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id.index()]
    }

    /// The construct path of `node`: the ids from its stack down, joined
    /// with `/` (the app, the root, has no id in paths, as in the CDK).
    pub(crate) fn path(&self, node: NodeId) -> String {
        let mut ids = Vec::new();
        let mut at = Some(node);
        while let Some(n) = at {
            let n = self.node(n);
            if n.parent.is_none() {
                break;
            }
            ids.push(&*n.id);
            at = n.parent;
        }
        ids.reverse();
        ids.join("/")
    }

    /// The ids below the stack down to `node` (what logical IDs are made of).
    pub(crate) fn components(&self, node: NodeId) -> Vec<&str> {
        let mut ids = Vec::new();
        let mut at = node;
        while !matches!(self.node(at).kind, Kind::Stack(_) | Kind::App) {
            let n = self.node(at);
            ids.push(&*n.id);
            match n.parent {
                Some(p) => at = p,
                None => break,
            }
        }
        ids.reverse();
        ids
    }

    /// `node` and its ancestors, from the root down.
    pub(crate) fn lineage(&self, node: NodeId) -> Vec<NodeId> {
        let mut out = vec![node];
        let mut at = node;
        while let Some(p) = self.node(at).parent {
            out.push(p);
            at = p;
        }
        out.reverse();
        out
    }

    /// The nodes of the subtree at `root`, parents before children, in
    /// creation order among siblings.
    pub(crate) fn subtree(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut todo = vec![root];
        while let Some(n) = todo.pop() {
            out.push(n);
            todo.extend(self.node(n).children.iter().rev());
        }
        out
    }

    /// Adds a node `id` under `parent`, checking the id.
    pub(crate) fn insert(&mut self, parent: NodeId, id: &str, kind: Kind) -> Result<NodeId> {
        self.check_child(parent, id)?;
        Ok(self.push(parent, id, kind))
    }

    /// Checks that `id` is a valid construct id, free under `parent`.
    pub(crate) fn check_child(&self, parent: NodeId, id: &str) -> Result<()> {
        if let Some(rule) = id_problem(id) {
            return Err(Error::invalid(self.path_or_app(parent), None, rule));
        }
        let siblings = &self.node(parent).children;
        if let Some(&existing) = siblings.iter().find(|&&c| self.node(c).id == id) {
            return Err(Error::invalid(
                self.path(existing),
                None,
                format!(
                    "there is already a construct with id {id:?} in scope {}; construct ids must be unique among siblings",
                    self.path_or_app(parent)
                ),
            ));
        }
        Ok(())
    }

    /// Adds a node that `parent` does not list as a child: reachable
    /// through its handle, invisible to synthesis (for elements whose id
    /// was refused, reported as a deferred error).
    pub(crate) fn push_detached(&mut self, parent: NodeId, id: &str, kind: Kind) -> NodeId {
        let node = self.push(parent, id, kind);
        self.node_mut(parent).children.pop();
        node
    }

    /// Adds a node without checking its id (the caller did, or reports the
    /// problem itself).
    pub(crate) fn push(&mut self, parent: NodeId, id: &str, kind: Kind) -> NodeId {
        let node = NodeId(self.nodes.len() as u32);
        let stack = match kind {
            Kind::Stack(_) => node,
            _ => self.node(parent).stack,
        };
        let id: Str = match id {
            // The id of nearly every L2's main resource.
            "Resource" => Str::Borrowed("Resource"),
            _ => Str::Owned(id.to_owned()),
        };
        self.nodes.push(Node::new(id, Some(parent), stack, kind));
        self.node_mut(parent).children.push(node);
        node
    }

    /// The path of `node`, or "App" for the root (which has no path).
    pub(crate) fn path_or_app(&self, node: NodeId) -> String {
        if node == NodeId::ROOT {
            "App".to_owned()
        } else {
            self.path(node)
        }
    }
}

/// What is wrong with a construct id, if anything.
fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        Some("construct id must not be empty".to_owned())
    } else if id.contains('/') {
        Some(format!(
            "construct id {id:?} must not contain '/', the path separator"
        ))
    } else {
        None
    }
}

/// A handle to one node of an app's construct tree: a stack, a construct
/// scope, a resource or another element. Cloning it is cheap, and any number
/// of handles may be held and used at once.
#[derive(Clone)]
pub struct Construct {
    pub(crate) app: Rc<AppShared>,
    pub(crate) node: NodeId,
}

impl fmt::Debug for Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Construct({})", self.path())
    }
}

impl PartialEq for Construct {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.app, &other.app) && self.node == other.node
    }
}

impl Eq for Construct {}

impl std::hash::Hash for Construct {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.app.id.hash(state);
        self.node.hash(state);
    }
}

impl Construct {
    pub(crate) fn tree(&self) -> Ref<'_, Tree> {
        self.app.tree.borrow()
    }

    pub(crate) fn tree_mut(&self) -> RefMut<'_, Tree> {
        self.app.tree.borrow_mut()
    }

    pub(crate) fn at(&self, node: NodeId) -> Construct {
        Construct {
            app: self.app.clone(),
            node,
        }
    }

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

    /// The resource at this node, when it is one (for aspects and escape hatches).
    pub fn as_resource(&self) -> Option<ResourceRef> {
        matches!(self.tree().node(self.node).kind, Kind::Resource(_))
            .then(|| ResourceRef::from_construct(self.clone()))
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
        Ok(ResourceRef::from_construct(construct))
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
