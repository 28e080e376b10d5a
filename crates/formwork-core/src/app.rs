//! The app: the root of the construct tree, its stacks, its context and its
//! synthesis settings.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::construct::{Construct, Kind, Node, NodeId, Tree};
use crate::context::Context;
use crate::error::Violation;
use crate::resource::Issue;
use crate::stack::{Stack, StackNode, StackProps};

static NEXT_APP_ID: AtomicU32 = AtomicU32::new(1);

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

impl Default for App {
    fn default() -> Self {
        App::new()
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field(
                "stacks",
                &self.stacks().iter().map(Stack::name).collect::<Vec<_>>(),
            )
            .finish()
    }
}

fn default_validators() -> Vec<Arc<dyn ResourceValidator>> {
    #[cfg(feature = "schema")]
    {
        vec![Arc::new(crate::SchemaValidator)]
    }
    #[cfg(not(feature = "schema"))]
    {
        Vec::new()
    }
}

impl App {
    /// An app whose context comes from the environment the CDK CLI and
    /// formwork's command line set: `cdk.json` and `cdk.context.json` in the
    /// current directory, then `CDK_CONTEXT_JSON`, then `-c key=value`
    /// arguments (later sources win). With the `schema` feature, every
    /// resource is validated against its CloudFormation resource schema at
    /// synthesis.
    pub fn new() -> App {
        App::with_context(Context::from_environment())
    }

    /// An app with exactly this context (for tests and embedding), read
    /// from nothing else.
    pub fn with_context(context: Context) -> App {
        let root = Node::new("".into(), None, NodeId::ROOT, Kind::App);
        App {
            shared: Rc::new(AppShared {
                id: NEXT_APP_ID.fetch_add(1, Ordering::Relaxed),
                tree: RefCell::new(Tree { nodes: vec![root] }),
                settings: RefCell::new(Settings {
                    validators: default_validators(),
                    validation: true,
                    context,
                    deferred: Vec::new(),
                }),
                aspects_invoked: RefCell::default(),
            }),
        }
    }

    /// The app's root construct (for [`Tags`](crate::Tags),
    /// [`Aspects`](crate::Aspects) and [`Annotations`](crate::Annotations)
    /// that apply to every stack).
    pub fn construct(&self) -> Construct {
        Construct {
            app: self.shared.clone(),
            node: NodeId::ROOT,
        }
    }

    /// Adds an environment-agnostic stack named `name` and returns it. A
    /// duplicate or invalid name is reported at synthesis.
    pub fn stack(&self, name: impl Into<String>) -> Stack {
        self.stack_with(name, StackProps::default())
    }

    /// Adds a stack with `props` (environment, description, termination
    /// protection).
    pub fn stack_with(&self, name: impl Into<String>, props: StackProps) -> Stack {
        let name = name.into();
        let root = self.construct();
        let mut tree = root.tree_mut();
        let kind = Kind::Stack(StackNode::new(props));
        let taken = tree
            .node(NodeId::ROOT)
            .children
            .iter()
            .any(|&c| tree.node(c).id == name.as_str());
        // Stack names are checked at synthesis (CloudFormation's rule is
        // stricter than a construct id's), so the id is not checked here.
        let node = if taken {
            self.defer(Violation::new(
                name.clone(),
                None,
                "there is already a stack with this name in the app; stack names must be unique",
            ));
            tree.push_detached(NodeId::ROOT, &name, kind)
        } else {
            tree.push(NodeId::ROOT, &name, kind)
        };
        drop(tree);
        Stack {
            construct: root.at(node),
        }
    }

    /// The stack named `name`.
    pub fn get_stack(&self, name: &str) -> Option<Stack> {
        self.stacks().into_iter().find(|s| s.name() == name)
    }

    /// All stacks, in creation order.
    pub fn stacks(&self) -> Vec<Stack> {
        self.construct()
            .children()
            .into_iter()
            .filter_map(Stack::from_construct)
            .collect()
    }

    /// The context value of `key`, if any (see [`App::new`] for where it
    /// comes from).
    pub fn context(&self, key: &str) -> Option<Value> {
        self.shared.settings.borrow().context.get(key).cloned()
    }

    /// Sets a context value (as `-c key=value` would).
    pub fn set_context(&self, key: impl Into<String>, value: impl Into<Value>) {
        self.shared
            .settings
            .borrow_mut()
            .context
            .set(key.into(), value.into());
    }

    /// Adds a validator that checks every synthesized resource.
    pub fn add_validator(&self, validator: Arc<dyn ResourceValidator>) {
        self.shared.settings.borrow_mut().validators.push(validator);
    }

    /// Turns resource validation (validators and construct checks such as
    /// the managed-policy quota) on or off. Structural errors (dangling
    /// references, logical ID collisions, template limits) are always reported.
    pub fn set_validation(&self, enabled: bool) {
        self.shared.settings.borrow_mut().validation = enabled;
    }

    /// Records a problem found while the tree was built, for synthesis to report.
    pub(crate) fn defer(&self, violation: Violation) {
        self.shared.settings.borrow_mut().deferred.push(violation);
    }

    /// Records every violation of `error`.
    pub(crate) fn defer_all(&self, error: crate::Error) {
        let mut settings = self.shared.settings.borrow_mut();
        settings.deferred.extend(error.violations().iter().cloned());
    }
}
