//! The construct tree's data: the arena of an app, what each node records,
//! and the handle types that point into it (`App`, `Construct`, `Stack`,
//! `ResourceRef`). Their behaviour lives in the modules named after them;
//! this module depends on none of them, so the crate's modules form no
//! circle (see docs/ARCHITECTURE.md §3).
//!
//! Handles share the arena (an `Rc` of a `RefCell`), so a program holds any
//! number of stacks and constructs at once, as in the AWS CDK. Every borrow
//! of the arena is taken and released inside one method of this crate; none
//! is held while user code runs (aspects, lazy properties and validations
//! are called with the arena released), so a borrow can never clash.

use std::cell::{Ref, RefCell, RefMut};
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use serde_json::Value;

use crate::cfn_resource::{CfnResource, Issue, LazyProperties};
use crate::context::Context;
use crate::error::{Error, Result, Violation};
use crate::expr::{ElementRef, Expr, Str};
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
    /// A file asset (a folder), staged into the cloud assembly.
    Asset(AssetNode),
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
            Kind::App | Kind::Stack(_) | Kind::Scope | Kind::Asset(_) => None,
        }
    }
}

/// How an asset is packaged, in the asset manifest's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssetPackaging {
    /// One file, uploaded as it is (`"file"`).
    File,
    /// A folder (`"zip"`: the CDK CLI zips it when it publishes it).
    ZipDirectory,
}

impl AssetPackaging {
    /// `"file"` or `"zip"`, as `<Stack>.assets.json` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetPackaging::File => "file",
            AssetPackaging::ZipDirectory => "zip",
        }
    }
}

/// A file asset as the tree holds it: where it is read from, and the
/// SHA-256 of its content, taken when the construct was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AssetNode {
    pub(crate) source: std::path::PathBuf,
    pub(crate) hash: String,
    pub(crate) packaging: AssetPackaging,
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
    /// Metadata entries for the cloud assembly (`Construct::add_metadata`),
    /// written under this node's path in its stack artifact.
    pub(crate) metadata: Vec<(String, Value)>,
    /// Rule-pack suppressions (`NagSuppressions::add`), rendered at
    /// synthesis as cdk-nag's `Metadata.cdk_nag` of the template (on a
    /// stack or the app) or of every resource at and below this node.
    #[cfg(feature = "nag")]
    pub(crate) nag_suppressions: Vec<formwork_nag::Suppression>,
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
            metadata: Vec::new(),
            #[cfg(feature = "nag")]
            nag_suppressions: Vec::new(),
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

    /// `node` and its ancestors up to, not including, its stack (or the
    /// app): the scopes whose settings reach a resource, innermost first.
    #[cfg(feature = "nag")]
    pub(crate) fn scopes_below_stack(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(Some(node), |&n| self.node(n).parent)
            .take_while(|&n| !matches!(self.node(n).kind, Kind::Stack(_) | Kind::App))
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

/// A check that runs on every synthesized resource of an app, such as the
/// resource-schema validator. Plugged in with [`App::add_validator`].
pub trait ResourceValidator {
    /// Appends the problems found in the `Properties` of a resource of
    /// `type_name` (`None` when it has none) to `issues`.
    fn validate(&self, type_name: &str, properties: Option<&Value>, issues: &mut Vec<Issue>);

    /// Checks that resources of `type_name` have the attribute `attribute`
    /// (for `Fn::GetAtt`); returns the rule broken, if any.
    fn check_attribute(&self, _type_name: &str, _attribute: &str) -> Option<String> {
        None
    }

    /// How resources of `type_name` take tags, when they do (for
    /// [`Tags`](crate::Tags)).
    fn tag_shape(&self, _type_name: &str) -> Option<crate::TagShape> {
        None
    }
}

/// What an app's handles share: the arena and the settings.
pub(crate) struct AppShared {
    pub(crate) id: u32,
    pub(crate) tree: RefCell<Tree>,
    pub(crate) settings: RefCell<Settings>,
    /// The (aspect, node) pairs visited already, so that synthesizing
    /// again does not run an aspect twice on one construct.
    pub(crate) aspects_invoked: RefCell<std::collections::HashSet<(usize, u32)>>,
}

pub(crate) struct Settings {
    pub(crate) validators: Vec<Arc<dyn ResourceValidator>>,
    pub(crate) validation: bool,
    pub(crate) context: Context,
    /// Problems found while the tree was built, reported at synthesis.
    pub(crate) deferred: Vec<Violation>,
    /// Whether synthesis runs the rule packs (`App::enable_rule_packs`:
    /// formwork's command line turns them on for every app).
    pub(crate) rule_packs: bool,
    /// Rule packs turned off with `App::disable_rule_pack`.
    #[cfg(feature = "nag")]
    pub(crate) disabled_rule_packs: Vec<String>,
}

/// The root of a formwork program: a set of stacks, synthesized together so
/// that references between them become exports and imports.
///
/// `App` is a cheap handle: clone it freely. Stacks and constructs are
/// handles too, so a program holds as many of them as it likes:
///
/// ```
/// use formwork_core::{App, CfnResource, Scope};
/// let app = App::new();
/// let storage = app.stack("Storage");
/// let compute = app.stack("Compute");
/// let bucket = storage.add_resource("Bucket", CfnResource::new("AWS::S3::Bucket")).unwrap();
/// compute.output("BucketName", bucket.to_ref());
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.stacks.len(), 2);
/// ```
#[derive(Clone)]
pub struct App {
    pub(crate) shared: Rc<AppShared>,
}

/// Where a stack is deployed. Either part may be left unknown, which makes
/// the stack environment-agnostic in that respect: the template then uses
/// `AWS::AccountId` / `AWS::Region`, and the deploying credentials decide.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    /// The 12-digit account id.
    pub account: Option<String>,
    /// The region, e.g. `eu-west-1`.
    pub region: Option<String>,
}

impl Environment {
    /// An environment with both parts known.
    pub fn new(account: impl Into<String>, region: impl Into<String>) -> Environment {
        Environment {
            account: Some(account.into()),
            region: Some(region.into()),
        }
    }

    /// `aws://account/region` as the cloud assembly writes it, with
    /// `unknown-account` / `unknown-region` for the parts left open.
    pub fn to_uri(&self) -> String {
        format!(
            "aws://{}/{}",
            self.account.as_deref().unwrap_or("unknown-account"),
            self.region.as_deref().unwrap_or("unknown-region")
        )
    }
}

/// Options of a stack, given when it is created ([`App::stack_with`](crate::App::stack_with)).
#[derive(Clone, Debug, Default)]
pub struct StackProps {
    /// Where it is deployed; environment-agnostic by default.
    pub env: Environment,
    /// The template `Description`.
    pub description: Option<String>,
    /// Termination protection for the deployed stack.
    pub termination_protection: bool,
}

/// A stack as the tree holds it.
pub(crate) struct StackNode {
    pub(crate) props: StackProps,
}

impl StackNode {
    pub(crate) fn new(props: StackProps) -> StackNode {
        StackNode { props }
    }
}

/// A CloudFormation stack: a [`Scope`] for constructs, and the outputs,
/// parameters, conditions and mappings of its template.
///
/// A cheap handle: clone it freely. Outputs, parameters, conditions and
/// mappings are added without `?`; their errors (a duplicate id, say)
/// surface at synthesis, so that a program reads top to bottom.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Stack {
    pub(crate) construct: Construct,
}

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
    pub(crate) construct: Construct,
}

/// How a resource type takes tags: its tag property and that property's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagShape {
    /// The property, usually `Tags`.
    pub property: String,
    /// List of `{Key, Value}` or map.
    pub format: TagFormat,
}

/// The shape of a tag property.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TagFormat {
    /// `[{"Key": k, "Value": v}, ...]`.
    KeyValueList,
    /// `{"k": "v", ...}`.
    Map,
}

/// One tag operation registered on a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TagOp {
    pub(crate) key: String,
    /// `None` removes the tag.
    pub(crate) value: Option<String>,
    pub(crate) priority: u32,
    pub(crate) include: Vec<String>,
    pub(crate) exclude: Vec<String>,
}

impl TagOp {
    /// Whether the operation reaches a resource of `type_name` (`None`: a stack).
    pub(crate) fn applies_to(&self, type_name: Option<&str>) -> bool {
        match type_name {
            None => self.include.is_empty(),
            Some(t) => {
                (self.include.is_empty() || self.include.iter().any(|i| i == t))
                    && !self.exclude.iter().any(|e| e == t)
            }
        }
    }
}

/// How serious an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// For information.
    Info,
    /// Worth a look; fails `synth --strict`.
    Warning,
    /// Fails synthesis.
    Error,
}

impl Level {
    /// The cloud-assembly metadata type: `aws:cdk:info`, `aws:cdk:warning`, `aws:cdk:error`.
    pub fn metadata_type(self) -> &'static str {
        match self {
            Level::Info => "aws:cdk:info",
            Level::Warning => "aws:cdk:warning",
            Level::Error => "aws:cdk:error",
        }
    }
}

/// One annotation as the tree holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub(crate) level: Level,
    pub(crate) id: Option<String>,
    pub(crate) message: String,
}

/// A visitor of constructs, run at synthesis before anything is rendered.
///
/// ```
/// use formwork_core::{Annotations, App, Aspect, Aspects, CfnResource, Construct, Scope};
/// struct NoQueues;
/// impl Aspect for NoQueues {
///     fn visit(&self, node: &Construct) {
///         if node.as_resource().is_some_and(|r| r.type_name() == "AWS::SQS::Queue") {
///             Annotations::of(node).add_error("queues are not allowed here");
///         }
///     }
/// }
/// let app = App::new();
/// let stack = app.stack("Demo");
/// stack.add_resource("Queue", CfnResource::new("AWS::SQS::Queue")).unwrap();
/// Aspects::of(&stack).add(NoQueues);
/// let error = app.synth().unwrap_err().to_string();
/// assert_eq!(error, "Demo/Queue: queues are not allowed here");
/// ```
pub trait Aspect {
    /// Called once with each construct of the scope it was added to (the
    /// scope itself included), parents before children. Constructs an aspect
    /// adds are visited too.
    fn visit(&self, node: &Construct);
}

impl<F: Fn(&Construct)> Aspect for F {
    fn visit(&self, node: &Construct) {
        self(node)
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
}

impl AppShared {
    /// Records a problem found while the tree was built, for synthesis to report.
    pub(crate) fn defer(&self, violation: Violation) {
        self.settings.borrow_mut().deferred.push(violation);
    }

    /// Records every violation of `error`.
    pub(crate) fn defer_all(&self, error: Error) {
        let mut settings = self.settings.borrow_mut();
        settings.deferred.extend(error.violations().iter().cloned());
    }
}
