//! The app: the root of the construct tree, its stacks, its context and its
//! synthesis settings.

use crate::tree::{App, AppShared, ResourceValidator, Settings};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde_json::Value;

use crate::context::Context;
use crate::error::Violation;
use crate::tree::{Construct, Kind, Node, NodeId, Stack, StackNode, StackProps, Tree};

static NEXT_APP_ID: AtomicU32 = AtomicU32::new(1);

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
                    rule_packs: false,
                    #[cfg(feature = "nag")]
                    disabled_rule_packs: Vec::new(),
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
            self.shared.defer(Violation::new(
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
            .filter_map(|c| c.as_stack())
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

    /// Runs the rule packs (cdk-nag's `AwsSolutions`, with the `nag`
    /// feature) when this app is synthesized: findings become annotations
    /// and errors fail the synthesis (docs/ARCHITECTURE.md, "Rule packs").
    ///
    /// formwork's command line (`app.run()`: `cargo run`, `synth`,
    /// `deploy`, the CDK CLI) turns them on for every app, so a program is
    /// checked whenever it is synthesized for use. A library's or a
    /// program's own tests that call [`App::synth`] directly are not
    /// checked unless they call this, as in the CDK, where cdk-nag is an
    /// aspect the app adds. The context key `formwork:rulePacks` and
    /// `App::disable_rule_pack` still choose which packs run.
    pub fn enable_rule_packs(&self) {
        self.shared.settings.borrow_mut().rule_packs = true;
    }
}
