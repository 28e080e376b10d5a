//! Scope-wide tags, as the AWS CDK's `Tags.of(scope)`: a tag added to a
//! scope reaches every taggable resource below it, in the shape its schema
//! wants, and the stacks below it (as stack tags in the cloud assembly).

use crate::construct::Scope;
use crate::tree::Construct;
use crate::tree::TagOp;

/// Options of [`Tags::add_with`] and [`Tags::remove_with`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TagProps {
    /// Priority: the highest wins, and at equal priority the operation
    /// nearest the resource wins. Default 100 for add, 200 for remove.
    pub priority: Option<u32>,
    /// Only resources of these types (all when empty).
    pub include_resource_types: Vec<String>,
    /// Never resources of these types.
    pub exclude_resource_types: Vec<String>,
}

/// The priority the CDK gives tags set in a resource's own properties.
pub(crate) const INITIAL_PRIORITY: u32 = 50;

/// Tags of a scope: `Tags::of(&scope).add("team", "bots")`.
///
/// ```
/// use formwork_core::{App, CfnResource, Scope, Tags};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// stack.add_resource("Queue", CfnResource::new("AWS::SQS::Queue")).unwrap();
/// Tags::of(&app.construct()).add("team", "bots");
/// # #[cfg(feature = "schema")] {
/// let template = &app.synth().unwrap().stacks[0].template;
/// assert_eq!(
///     template.resources["Queue"].properties["Tags"],
///     serde_json::json!([{"Key": "team", "Value": "bots"}])
/// );
/// # }
/// ```
pub struct Tags {
    scope: Construct,
}

impl Tags {
    /// The tags of `scope`.
    pub fn of(scope: &(impl Scope + ?Sized)) -> Tags {
        Tags {
            scope: scope.construct().clone(),
        }
    }

    /// Adds `key = value` to every taggable resource and stack below the scope.
    pub fn add(&self, key: impl Into<String>, value: impl Into<String>) -> &Self {
        self.add_with(key, value, TagProps::default())
    }

    /// Adds a tag with a priority and resource-type filters.
    pub fn add_with(
        &self,
        key: impl Into<String>,
        value: impl Into<String>,
        props: TagProps,
    ) -> &Self {
        self.push(key.into(), Some(value.into()), props, 100)
    }

    /// Removes `key` from every resource and stack below the scope, including
    /// tags set further down with a lower priority.
    pub fn remove(&self, key: impl Into<String>) -> &Self {
        self.remove_with(key, TagProps::default())
    }

    /// Removes a tag with a priority and resource-type filters.
    pub fn remove_with(&self, key: impl Into<String>, props: TagProps) -> &Self {
        self.push(key.into(), None, props, 200)
    }

    fn push(&self, key: String, value: Option<String>, props: TagProps, default: u32) -> &Self {
        let op = TagOp {
            key,
            value,
            priority: props.priority.unwrap_or(default),
            include: props.include_resource_types,
            exclude: props.exclude_resource_types,
        };
        self.scope
            .tree_mut()
            .node_mut(self.scope.node)
            .tags
            .push(op);
        self
    }
}

/// The tags in force after `ops` (root first, then down the tree), for a
/// resource of `type_name` (`None`: a stack) that starts with `initial`:
/// `(key, value)` sorted by key, as the CDK renders them.
pub(crate) fn effective<'a>(
    initial: impl IntoIterator<Item = (String, String)>,
    ops: impl IntoIterator<Item = &'a TagOp>,
    type_name: Option<&str>,
) -> Vec<(String, String)> {
    let mut tags: std::collections::BTreeMap<String, (u32, Option<String>)> = initial
        .into_iter()
        .map(|(k, v)| (k, (INITIAL_PRIORITY, Some(v))))
        .collect();
    for op in ops {
        if !op.applies_to(type_name) {
            continue;
        }
        let entry = tags.entry(op.key.clone()).or_insert((0, None));
        if op.priority >= entry.0 {
            *entry = (op.priority, op.value.clone());
        }
    }
    tags.into_iter()
        .filter_map(|(k, (_, v))| v.map(|v| (k, v)))
        .collect()
}
