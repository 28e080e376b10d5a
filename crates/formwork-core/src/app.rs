//! The app: the root of the construct tree, holding one or more stacks.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::element::Issue;
use crate::error::{Result, Violation};
use crate::resolved::Resolved;
use crate::stack::Stack;
use crate::synth::{self, Assembly};

static NEXT_APP_ID: AtomicU32 = AtomicU32::new(1);

/// A check that runs on every synthesized resource of an app, such as the
/// resource-schema validator. Plugged in with [`App::add_validator`].
pub trait ResourceValidator: Send + Sync {
    /// Appends the problems found in the resolved `Properties` of a resource
    /// of `type_name` to `issues`. The properties are read in place
    /// ([`Resolved::to_value`] copies them out, at a cost, when that is easier).
    fn validate(&self, type_name: &str, properties: Resolved<'_>, issues: &mut Vec<Issue>);

    /// Checks that resources of `type_name` have the attribute `attribute`
    /// (for `Fn::GetAtt`); returns the rule broken, if any.
    fn check_attribute(&self, _type_name: &str, _attribute: &str) -> Option<String> {
        None
    }
}

/// The root of a formwork program: a set of stacks, synthesized together so
/// that references between them become exports and imports.
///
/// ```
/// use formwork_core::{App, CfnResource, Scope};
/// let mut app = App::new();
/// let stack = app.stack("Storage");
/// stack.add_resource("Bucket", CfnResource::new("AWS::S3::Bucket")).unwrap();
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.stacks[0].template.resources.len(), 1);
/// ```
pub struct App {
    pub(crate) id: u32,
    pub(crate) stacks: Vec<Stack>,
    pub(crate) validators: Vec<Arc<dyn ResourceValidator>>,
    pub(crate) validation: bool,
    pub(crate) deferred: Vec<Violation>,
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
                &self.stacks.iter().map(Stack::name).collect::<Vec<_>>(),
            )
            .field("validators", &self.validators.len())
            .field("validation", &self.validation)
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
    /// An empty app. With the `schema` feature, every resource is validated
    /// against its CloudFormation resource schema at synthesis.
    pub fn new() -> App {
        App {
            id: NEXT_APP_ID.fetch_add(1, Ordering::Relaxed),
            stacks: Vec::new(),
            validators: default_validators(),
            validation: true,
            deferred: Vec::new(),
        }
    }

    /// Adds a stack named `name` and returns it. A duplicate or invalid name
    /// is reported at synthesis.
    pub fn stack(&mut self, name: impl Into<String>) -> &mut Stack {
        let name = name.into();
        if self.stacks.iter().any(|s| s.name == name) {
            self.deferred.push(Violation::new(
                name.clone(),
                None,
                "there is already a stack with this name in the app; stack names must be unique",
            ));
        }
        let index = self.stacks.len() as u32;
        self.stacks.push(Stack::new(self.id, index, name));
        self.stacks.last_mut().expect("just pushed")
    }

    /// The stack named `name`.
    pub fn get_stack(&self, name: &str) -> Option<&Stack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// The stack named `name`, mutably (to add to a stack created earlier).
    pub fn get_stack_mut(&mut self, name: &str) -> Option<&mut Stack> {
        self.stacks.iter_mut().find(|s| s.name == name)
    }

    /// All stacks, in creation order.
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// Adds a validator that checks every synthesized resource.
    pub fn add_validator(&mut self, validator: Arc<dyn ResourceValidator>) {
        self.validators.push(validator);
    }

    /// Turns resource validation (validators and construct checks such as
    /// the managed-policy quota) on or off. Structural errors (dangling
    /// references, logical ID collisions, template limits) are always reported.
    pub fn set_validation(&mut self, enabled: bool) {
        self.validation = enabled;
    }

    /// Synthesizes every stack into a template, resolving references.
    ///
    /// All problems are collected and returned together as
    /// [`Error::Invalid`](crate::Error::Invalid).
    pub fn synth(&self) -> Result<Assembly> {
        Ok(Assembly {
            stacks: synth::synthesize(self, |stack| Ok(stack.into_json()))?,
        })
    }

    /// Synthesizes every stack like [`App::synth`], handing each stack to
    /// `f` as soon as its template is final, and returns what `f` returned,
    /// in the order of [`Assembly::stacks`] (producers before consumers).
    ///
    /// This lets a caller serialize a template and drop it before the next
    /// stack is synthesized, so that memory holds one template at a time
    /// rather than all of them. ([`App::write_assembly`] works the same way,
    /// and also skips the copy into `serde_json` data: it serializes each
    /// template straight from the construct tree.)
    /// A template is final once every stack that may import from it has been
    /// resolved (an import adds an export to the producer's outputs), so a
    /// producer's template is held back until its last importer is done.
    ///
    /// With several stacks, `f` runs on a second thread, next to the one
    /// resolving and validating the following stack (hence `Send`).
    ///
    /// The stacks are those [`App::synth`] returns, byte for byte. Once a
    /// problem has been found `f` is no longer called; when synthesis fails,
    /// `f` may have been called for some stacks, the values it returned are
    /// dropped and the problems are returned, as by [`App::synth`]. An error
    /// from `f` stops synthesis and is returned as is.
    ///
    /// ```
    /// use formwork_core::{App, CfnResource, Scope};
    /// let mut app = App::new();
    /// for name in ["A", "B"] {
    ///     let stack = app.stack(name);
    ///     stack.add_resource("Topic", CfnResource::new("AWS::SNS::Topic")).unwrap();
    /// }
    /// let sizes = app.synth_each(|stack| Ok((stack.name, stack.template.to_json().len()))).unwrap();
    /// assert_eq!(sizes.len(), 2);
    /// assert_eq!(sizes[0].0, "A");
    /// ```
    pub fn synth_each<T: Send>(
        &self,
        f: impl FnMut(crate::SynthesizedStack) -> Result<T> + Send,
    ) -> Result<Vec<T>> {
        let mut f = f;
        synth::synthesize(self, |stack| f(stack.into_json()))
    }
}
