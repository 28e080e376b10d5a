//! Step 1 of synthesis: run the user's code that synthesis owes (aspects,
//! validations, lazy properties), then fix what the templates are made of:
//! the stacks and their elements, logical IDs, annotations, and the exports
//! that cross-stack references need (the CDK's `resolveReferences`
//! pre-pass, so that resolving a stack never changes another one).

use std::collections::{BTreeSet, HashMap};

use indexmap::IndexMap;
use serde_json::Value;

use crate::annotations::Message;
use crate::cfn_resource::LazyProperties;
use crate::error::Violation;
use crate::expr::{ElementRef, Expr, ExprMap};
use crate::logical_id::{logical_id, write_logical_id};
use crate::tree::{Construct, Environment, Kind, Level, NodeId, Tree, Validation};

/// What the later steps work from.
pub(crate) struct Prepared {
    pub(crate) app: u32,
    pub(crate) errors: Vec<Violation>,
    pub(crate) messages: Vec<Message>,
    /// The stacks, in creation order.
    pub(crate) stacks: Vec<PreparedStack>,
    /// The logical ID of every element, by node index.
    pub(crate) ids: Vec<Option<String>>,
    /// The index (into `stacks`) of each element's stack, by node index.
    pub(crate) stack_of: Vec<Option<usize>>,
    /// Lazily rendered properties, by node.
    pub(crate) rendered: HashMap<NodeId, ExprMap>,
    /// The export that carries each cross-stack reference: (element,
    /// attribute) to export name.
    pub(crate) export_names: HashMap<(ElementRef, Option<String>), String>,
}

/// One stack to synthesize.
pub(crate) struct PreparedStack {
    pub(crate) node: NodeId,
    pub(crate) name: String,
    /// Its elements (resources, outputs, ...), in creation order.
    pub(crate) elements: Vec<NodeId>,
    /// The outputs other stacks import, by export name.
    pub(crate) exports: IndexMap<String, Export>,
    /// The stacks this one depends on (indices into `Prepared::stacks`).
    pub(crate) deps: BTreeSet<usize>,
}

/// An output that exports a value for another stack's `Fn::ImportValue`.
pub(crate) struct Export {
    /// The output's logical ID.
    pub(crate) output_id: String,
    /// The output's construct id, under the stack's `Exports` scope.
    pub(crate) construct_id: String,
    /// `{"Ref": id}` or `{"Fn::GetAtt": [id, attribute]}`.
    pub(crate) value: Value,
}

impl Prepared {
    /// The logical ID of the element `r` refers to, and the index of its
    /// stack, when `r` is an element of this app that has one.
    pub(crate) fn locate(&self, r: ElementRef) -> Option<(&str, usize)> {
        if r.app != self.app {
            return None;
        }
        let node = r.node as usize;
        let id = self.ids.get(node)?.as_deref()?;
        Some((id, self.stack_of[node]?))
    }
}

pub(crate) fn prepare(root: &Construct) -> Prepared {
    crate::aspects::invoke(root);
    let mut errors = run_validations(root);
    let rendered = render_lazy_properties(root);

    let tree = root.tree();
    let node_count = tree.nodes.len();
    errors.extend(root.app.settings.borrow().deferred.iter().cloned());
    let mut prepared = Prepared {
        app: root.app.id,
        errors,
        messages: annotations(&tree),
        stacks: Vec::new(),
        ids: vec![None; node_count],
        stack_of: vec![None; node_count],
        rendered,
        export_names: HashMap::new(),
    };
    collect_stacks(&tree, &mut prepared);
    for index in 0..prepared.stacks.len() {
        assign_logical_ids(&tree, &mut prepared, index);
    }
    for index in 0..prepared.stacks.len() {
        register_exports(&tree, &mut prepared, index);
    }
    prepared
}

/// Runs every construct's validations (user code, with the tree released).
fn run_validations(root: &Construct) -> Vec<Violation> {
    let checks: Vec<(NodeId, Validation)> = {
        let tree = root.tree();
        tree.subtree(root.node)
            .into_iter()
            .flat_map(|n| tree.node(n).validations.iter().map(move |v| (n, v.clone())))
            .collect()
    };
    let mut errors = Vec::new();
    for (node, check) in checks {
        for rule in check() {
            errors.push(Violation::new(root.at(node).path(), None, rule));
        }
    }
    errors
}

/// Renders the lazy properties of L2 resources (user code, with the tree released).
fn render_lazy_properties(root: &Construct) -> HashMap<NodeId, ExprMap> {
    let lazy: Vec<(NodeId, LazyProperties)> = {
        let tree = root.tree();
        tree.subtree(root.node)
            .into_iter()
            .filter_map(|n| match &tree.node(n).kind {
                Kind::Resource(r) => r.lazy.clone().map(|l| (n, l)),
                _ => None,
            })
            .collect()
    };
    lazy.into_iter()
        .map(|(node, render)| (node, render()))
        .collect()
}

/// Every annotation in the tree, in tree order, less the acknowledged warnings.
fn annotations(tree: &Tree) -> Vec<Message> {
    let mut messages = Vec::new();
    for node in tree.subtree(NodeId::ROOT) {
        let annotations = &tree.node(node).annotations;
        if annotations.is_empty() {
            continue;
        }
        let lineage = tree.lineage(node);
        let acknowledged = |id: &str| {
            lineage
                .iter()
                .any(|&a| tree.node(a).acknowledged.iter().any(|(ack, _)| ack == id))
        };
        for a in annotations {
            if a.level == Level::Warning && a.id.as_deref().is_some_and(acknowledged) {
                continue;
            }
            messages.push(Message {
                path: tree.path_or_app(node),
                level: a.level,
                id: a.id.clone(),
                text: a.message.clone(),
            });
        }
    }
    messages
}

/// The stacks and their elements. Elements outside any stack are errors.
fn collect_stacks(tree: &Tree, prepared: &mut Prepared) {
    let mut attached = vec![false; tree.nodes.len()];
    for node in tree.subtree(NodeId::ROOT) {
        attached[node.index()] = true;
    }
    let mut index_of_stack: HashMap<NodeId, usize> = HashMap::new();
    for &child in &tree.node(NodeId::ROOT).children {
        if let Kind::Stack(_) = tree.node(child).kind {
            index_of_stack.insert(child, prepared.stacks.len());
            prepared.stacks.push(PreparedStack {
                node: child,
                name: tree.node(child).id.to_string(),
                elements: Vec::new(),
                exports: IndexMap::new(),
                deps: BTreeSet::new(),
            });
        }
    }
    // In creation order, which is the order of the template.
    for (index, node) in tree.nodes.iter().enumerate() {
        if !attached[index] || node.kind.element_kind().is_none() {
            continue;
        }
        match index_of_stack.get(&node.stack) {
            Some(&stack) => {
                prepared.stacks[stack].elements.push(NodeId(index as u32));
                prepared.stack_of[index] = Some(stack);
            }
            None => prepared.errors.push(Violation::new(
                tree.path_or_app(NodeId(index as u32)),
                None,
                "an element must be inside a stack; add it to a stack or a construct of one",
            )),
        }
    }
}

fn assign_logical_ids(tree: &Tree, prepared: &mut Prepared, stack: usize) {
    let name = &prepared.stacks[stack].name;
    if let Some(problem) = super::stack_name_problem(name) {
        prepared.errors.push(Violation::new(
            name.clone(),
            Some("StackName"),
            format!("{problem}; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters"),
        ));
    }
    let mut seen: HashMap<String, NodeId> = HashMap::new();
    let mut buffer = String::new();
    for &node in &prepared.stacks[stack].elements {
        let id = match &tree.node(node).logical_id_override {
            Some(id) => id.clone(),
            None => {
                write_logical_id(tree.components(node).into_iter(), &mut buffer);
                if buffer.is_empty() {
                    prepared.errors.push(Violation::new(
                        tree.path(node),
                        None,
                        "the construct path has no alphanumeric characters to make a logical ID from",
                    ));
                    continue;
                }
                buffer.clone()
            }
        };
        if let Some(first) = seen.insert(id.clone(), node) {
            prepared.errors.push(Violation::new(
                tree.path(node),
                None,
                format!(
                    "logical ID {id} is also used by {}; rename one of the constructs",
                    tree.path(first)
                ),
            ));
        }
        prepared.ids[node.index()] = Some(id);
    }
}

/// The expressions of an element that may refer to other elements, and
/// its `DependsOn`.
fn element_exprs<'t>(
    tree: &'t Tree,
    rendered: &'t HashMap<NodeId, ExprMap>,
    node: NodeId,
) -> (Vec<&'t Expr>, &'t [ElementRef]) {
    match &tree.node(node).kind {
        Kind::Resource(r) => {
            let properties = rendered.get(&node).unwrap_or(&r.resource.properties);
            let mut exprs: Vec<&Expr> = properties.values().collect();
            exprs.extend(r.resource.metadata.values());
            exprs.extend(r.resource.creation_policy.iter());
            exprs.extend(r.resource.update_policy.iter());
            exprs.extend(r.overrides.iter().filter_map(|(_, v)| v.as_ref()));
            (exprs, &r.resource.depends_on)
        }
        Kind::Output(o) => (
            std::iter::once(&o.value)
                .chain(o.export_name.iter())
                .collect(),
            &[],
        ),
        Kind::Condition(c) => (vec![c], &[]),
        _ => (Vec::new(), &[]),
    }
}

/// Registers the exports and stack dependencies that `stack`'s references
/// into other stacks need.
fn register_exports(tree: &Tree, prepared: &mut Prepared, stack: usize) {
    let elements = prepared.stacks[stack].elements.clone();
    let mut wanted: Vec<(NodeId, ElementRef, Option<String>)> = Vec::new();
    let mut deps: Vec<usize> = Vec::new();
    for node in elements {
        let (exprs, depends_on) = element_exprs(tree, &prepared.rendered, node);
        for e in exprs {
            e.for_each_reference(&mut |r, attribute| {
                wanted.push((node, r, attribute.map(str::to_owned)));
            });
        }
        for &d in depends_on {
            if let Some((_, producer)) = prepared.locate(d) {
                deps.push(producer);
            }
        }
    }
    let consumer_env = environment(tree, prepared.stacks[stack].node);
    let mut reported: BTreeSet<(NodeId, usize)> = BTreeSet::new();
    for (consumer, r, attribute) in wanted {
        let Some((logical_id, producer)) = prepared.locate(r) else {
            continue;
        };
        if producer == stack {
            continue;
        }
        let producer_env = environment(tree, prepared.stacks[producer].node);
        if producer_env != consumer_env {
            // An export is visible only in its own account and region.
            if reported.insert((consumer, producer)) {
                prepared.errors.push(Violation::new(
                    tree.path(consumer),
                    None,
                    format!(
                        "references {} in stack {} ({}), but this stack is {}: \
                         Fn::ImportValue reaches only stacks of the same account and region; \
                         give both stacks the same environment, or pass the value as a literal",
                        tree.path(NodeId(r.node)),
                        prepared.stacks[producer].name,
                        producer_env.to_uri(),
                        consumer_env.to_uri(),
                    ),
                ));
            }
            continue;
        }
        deps.push(producer);
        let logical_id = logical_id.to_owned();
        let key = (r, attribute);
        if prepared.export_names.contains_key(&key) {
            continue;
        }
        let (name, export) = export(
            &prepared.stacks[producer].name,
            &logical_id,
            key.1.as_deref(),
        );
        prepared.stacks[producer]
            .exports
            .insert(name.clone(), export);
        prepared.export_names.insert(key, name);
    }
    for d in deps {
        if d != stack {
            prepared.stacks[stack].deps.insert(d);
        }
    }
}

/// The environment of the stack at `node`.
fn environment(tree: &Tree, node: NodeId) -> &Environment {
    match &tree.node(node).kind {
        Kind::Stack(s) => &s.props.env,
        _ => unreachable!("prepared stacks are stack nodes"),
    }
}

/// The export of the element `target` (a logical ID), or of its
/// `attribute`, of stack `producer`,
/// named as the AWS CDK names it so that ported apps keep their exports.
fn export(producer: &str, target: &str, attribute: Option<&str>) -> (String, Export) {
    let value = match attribute {
        None => serde_json::json!({ "Ref": target }),
        Some(a) => serde_json::json!({ "Fn::GetAtt": [target, a] }),
    };
    let construct_id = format!("Output{value}");
    // Never empty: "Exports" alone gives the human part.
    let output_id = logical_id(&["Exports", construct_id.as_str()]).unwrap_or_default();
    let mut name = format!("{producer}:{output_id}");
    if name.len() > 255 {
        let cut = name.len() - 255;
        name = format!("{producer}:{}", &output_id[cut.min(output_id.len())..]);
    }
    (
        name,
        Export {
            output_id,
            construct_id,
            value,
        },
    )
}
