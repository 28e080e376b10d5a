//! Annotations, as the AWS CDK's `Annotations.of(scope)`: messages attached
//! to a construct and shown at synthesis with its path. Errors fail
//! synthesis; warnings are printed (and fail `synth --strict`) unless
//! acknowledged by id on the construct or a scope above it.

use crate::construct::Scope;
use crate::tree::Construct;
use crate::tree::{Annotation, Level};

/// An annotation as synthesis reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The construct path.
    pub path: String,
    /// Its level.
    pub level: Level,
    /// The id that acknowledges it, for warnings added with an id.
    pub id: Option<String>,
    /// The text.
    pub text: String,
}

impl Message {
    /// The text as the cloud assembly records it: the CDK appends
    /// ` [ack: <id>]` to warnings that can be acknowledged.
    pub fn assembly_text(&self) -> String {
        match &self.id {
            Some(id) => format!("{} [ack: {id}]", self.text),
            None => self.text.clone(),
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        write!(f, "[{level}] {}: {}", self.path, self.assembly_text())
    }
}

/// The annotations of a construct.
///
/// ```
/// use formwork_core::{Annotations, App, Level};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// Annotations::of(&stack).add_warning_v2("demo:open", "this stack is open to the world");
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.messages().len(), 1);
/// assert_eq!(assembly.messages()[0].level, Level::Warning);
///
/// Annotations::of(&stack).acknowledge_warning("demo:open", "on purpose, for the demo");
/// assert!(app.synth().unwrap().messages().is_empty());
/// ```
pub struct Annotations {
    scope: Construct,
}

impl Annotations {
    /// The annotations of `scope`.
    pub fn of(scope: &(impl Scope + ?Sized)) -> Annotations {
        Annotations {
            scope: scope.construct().clone(),
        }
    }

    fn push(&self, level: Level, id: Option<String>, message: String) {
        self.scope
            .tree_mut()
            .node_mut(self.scope.node)
            .annotations
            .push(super::annotations::Annotation { level, id, message });
    }

    /// Adds an informational message.
    pub fn add_info(&self, message: impl Into<String>) {
        self.push(Level::Info, None, message.into());
    }

    /// Adds a warning that cannot be acknowledged.
    pub fn add_warning(&self, message: impl Into<String>) {
        self.push(Level::Warning, None, message.into());
    }

    /// Adds a warning that [`Annotations::acknowledge_warning`] can silence by `id`.
    pub fn add_warning_v2(&self, id: impl Into<String>, message: impl Into<String>) {
        self.push(Level::Warning, Some(id.into()), message.into());
    }

    /// Adds an error: synthesis fails with it.
    pub fn add_error(&self, message: impl Into<String>) {
        self.push(Level::Error, None, message.into());
    }

    /// Silences the warnings with `id` on this construct and below it.
    /// The reason is kept in the cloud assembly, for reviewers.
    pub fn acknowledge_warning(&self, id: impl Into<String>, reason: impl Into<String>) {
        self.scope
            .tree_mut()
            .node_mut(self.scope.node)
            .acknowledged
            .push((id.into(), reason.into()));
    }
}
