//! Synthesis: from the construct tree to templates, in three steps, each a
//! module (see docs/ARCHITECTURE.md, "The synthesis pipeline"):
//!
//! 1. [`prepare`]: aspects run, construct validations run, lazy properties
//!    are rendered (all user code, with the tree released); then every
//!    element gets its logical ID and every cross-stack reference becomes an
//!    export of its producer, in one pre-pass;
//! 2. [`resolve`]: each stack is resolved once into the [`Template`] model,
//!    references becoming logical IDs or `Fn::ImportValue`, tags and
//!    overrides applied;
//! 3. [`validate`]: construct checks, schema validators, template limits,
//!    stack order and annotations read that model;
//! 4. `nag` (feature `nag`): the rule packs read each template, their
//!    findings become annotations and their reports files of the assembly.
//!
//! Writing the cloud assembly is [`crate::assembly`]'s job.

#[cfg(feature = "nag")]
mod nag;
mod prepare;
mod resolve;
mod validate;

use std::collections::BTreeMap;

use crate::annotations::Message;
use crate::error::{Error, Result};
use crate::template::Template;
use crate::tree::{App, AssetPackaging, Environment, Level};

/// CloudFormation's per-template quotas.
pub mod limits {
    /// Resources per template.
    pub const MAX_RESOURCES: usize = 500;
    /// Outputs per template.
    pub const MAX_OUTPUTS: usize = 200;
    /// Parameters per template.
    pub const MAX_PARAMETERS: usize = 200;
    /// Stack name length.
    pub const MAX_STACK_NAME: usize = 128;
}

/// The result of synthesis: one template per stack, in dependency order,
/// and the annotations that did not fail it.
#[derive(Clone, Debug, Default)]
pub struct Assembly {
    /// The stacks, producers before their consumers.
    pub stacks: Vec<SynthesizedStack>,
    /// Warnings and informational messages (errors fail synthesis), in
    /// tree order.
    pub messages: Vec<Message>,
}

/// One synthesized stack.
#[derive(Clone, Debug, PartialEq)]
pub struct SynthesizedStack {
    /// The stack name.
    pub name: String,
    /// The template.
    pub template: Template,
    /// `(construct path, logical ID)` of every element, in template order.
    pub logical_ids: Vec<(String, String)>,
    /// Names of the stacks this one imports from (deploy them first).
    pub dependencies: Vec<String>,
    /// Stack tags (from [`Tags`](crate::Tags) on the stack or above).
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection is requested.
    pub termination_protection: bool,
    /// Where the stack is deployed.
    pub environment: Environment,
    /// The file assets of the stack's constructs, in tree order, each hash once.
    pub assets: Vec<SynthesizedAsset>,
    /// `(construct path, type, data)` of the metadata entries added with
    /// [`Construct::add_metadata`](crate::Construct::add_metadata), in tree order.
    pub metadata: Vec<(String, String, serde_json::Value)>,
    /// Files written into the assembly beside the template: the rule packs'
    /// reports (`AwsSolutions-<Stack>-NagReport.csv` and `.json`, feature `nag`).
    pub reports: Vec<AssemblyFile>,
}

/// A file of the cloud assembly that is neither a template nor a manifest
/// (a rule pack's report), rendered by [`Assembly::write`] straight into
/// the file: an assembly holds the report's verdicts, not their text (for
/// 5,000 roles the text of the reports is 6.5 MB; BENCHMARKS.md).
#[derive(Clone)]
pub struct AssemblyFile {
    /// The file name inside the assembly directory.
    pub name: String,
    /// Writes its content.
    pub render: RenderFile,
}

/// Writes a file's content into the writer given.
pub type RenderFile =
    std::sync::Arc<dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Send + Sync>;

impl AssemblyFile {
    /// Its content, rendered.
    pub fn contents(&self) -> String {
        let mut out = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = (self.render)(&mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl std::fmt::Debug for AssemblyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssemblyFile")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Files are equal when their names and contents are.
impl PartialEq for AssemblyFile {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.contents() == other.contents()
    }
}

/// A file asset of a stack, as the assembly writer stages it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthesizedAsset {
    /// The SHA-256 of its content (hex).
    pub hash: String,
    /// Where it is read from.
    pub source: std::path::PathBuf,
    /// How it is packaged.
    pub packaging: AssetPackaging,
    /// The construct path of the (first) asset construct with this hash.
    pub path: String,
}

impl Assembly {
    /// The stack named `name`.
    pub fn stack(&self, name: &str) -> Option<&SynthesizedStack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// Warnings and informational messages.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The warnings alone.
    pub fn warnings(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter().filter(|m| m.level == Level::Warning)
    }
}

impl SynthesizedStack {
    /// The construct path of the element with `logical_id`.
    pub fn path_of(&self, logical_id: &str) -> Option<&str> {
        self.logical_ids
            .iter()
            .find(|(_, id)| id == logical_id)
            .map(|(p, _)| p.as_str())
    }

    /// The template as the JSON text written to the assembly.
    pub fn template_json(&self) -> String {
        self.template.to_json()
    }

    /// The template file name inside the assembly.
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.name)
    }
}

/// True when CloudFormation accepts `name` as a stack name.
pub fn is_valid_stack_name(name: &str) -> bool {
    stack_name_problem(name).is_none()
}

/// What is wrong with a stack name, for the error message.
pub(crate) fn stack_name_problem(name: &str) -> Option<String> {
    let len = name.chars().count();
    if name.is_empty() {
        Some("the name is empty".to_owned())
    } else if len > limits::MAX_STACK_NAME {
        Some(format!("the name is {len} characters long"))
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some(format!("{:?} does not start with a letter", name))
    } else {
        name.chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || c == '-'))
            .map(|c| format!("{c:?} is not allowed in {name:?}"))
    }
}

impl App {
    /// Synthesizes every stack into a template, resolving references.
    ///
    /// All problems are collected and returned together as
    /// [`Error::Invalid`]; annotation errors are among them. Warnings and
    /// informational annotations are in [`Assembly::messages`].
    pub fn synth(&self) -> Result<Assembly> {
        let root = self.construct();
        let mut prepared = prepare::prepare(&root);
        let settings = self.shared.settings.borrow();
        let mut stacks = {
            let tree = root.tree();
            resolve::resolve(&tree, &mut prepared, &settings)
        };
        let mut errors = std::mem::take(&mut prepared.errors);
        validate::validate(&settings, &mut stacks, &mut errors);
        let order = validate::order(&prepared, &stacks, &mut errors);
        #[cfg(feature = "nag")]
        {
            let tree = root.tree();
            let mut messages = std::mem::take(&mut prepared.messages);
            nag::check(
                &tree,
                &prepared,
                &settings,
                &mut stacks,
                &mut errors,
                &mut messages,
            );
            prepared.messages = messages;
        }
        let (fatal, messages): (Vec<Message>, Vec<Message>) = prepared
            .messages
            .into_iter()
            .partition(|m| m.level == Level::Error);
        errors.extend(
            fatal
                .into_iter()
                .map(|m| crate::Violation::new(m.path, None, m.text)),
        );
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        let mut stacks: Vec<Option<SynthesizedStack>> =
            stacks.into_iter().map(|s| Some(s.stack)).collect();
        Ok(Assembly {
            stacks: order.into_iter().filter_map(|i| stacks[i].take()).collect(),
            messages,
        })
    }
}
