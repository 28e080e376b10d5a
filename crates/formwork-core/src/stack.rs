//! Stacks and the construct tree inside them.

use std::collections::BTreeMap;

use hashbrown::HashTable;

use serde_json::Value;

use crate::element::{
    CfnResource, ConditionRef, Element, MappingRef, OutputDef, ParameterRef, ResourceRef,
};
use crate::error::{Error, Result, Violation};
use crate::expr::{ElementRef, Expr, Str};
use crate::template;

/// Parent of nodes whose id was a duplicate: kept so their handles stay
/// valid, but outside the tree and never synthesized.
pub(crate) const DETACHED: u32 = u32::MAX;

/// A node of a stack's construct tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NodeId(pub(crate) u32);

impl NodeId {
    /// The stack itself.
    pub const ROOT: NodeId = NodeId(0);
}

#[derive(Clone, Debug)]
pub(crate) struct Node {
    /// The construct id (the common `Resource` is held without allocating).
    pub(crate) id: Str,
    pub(crate) parent: u32,
    /// Boxed: most nodes are plain scopes, and an inline `Element` would make
    /// every node as large as a resource.
    pub(crate) element: Option<Box<Element>>,
    pub(crate) logical_id_override: Option<String>,
}

/// A CloudFormation stack: the root of a construct tree, synthesized into
/// one template.
///
/// Constructs are added through the [`Scope`] trait, which `Stack` and
/// [`ScopeMut`] implement. Outputs, parameters, conditions and mappings are
/// added directly; their errors (a duplicate id, say) surface at synthesis so
/// that a program reads top to bottom without `?` on every line.
#[derive(Debug)]
pub struct Stack {
    pub(crate) app: u32,
    pub(crate) index: u32,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) tags: BTreeMap<String, String>,
    pub(crate) termination_protection: bool,
    pub(crate) nodes: Vec<Node>,
    /// Every attached node below the root, by (parent, id), for
    /// duplicate-id detection in O(1). It holds node indices only: the ids
    /// are read from `nodes`.
    children: HashTable<u32>,
    pub(crate) deferred: Vec<Violation>,
}

impl Stack {
    pub(crate) fn new(app: u32, index: u32, name: String) -> Stack {
        Stack {
            app,
            index,
            nodes: vec![Node {
                id: Str::Owned(name.clone()),
                parent: 0,
                element: None,
                logical_id_override: None,
            }],
            name,
            description: None,
            tags: BTreeMap::new(),
            termination_protection: false,
            children: HashTable::new(),
            deferred: Vec::new(),
        }
    }

    /// The stack name (also its construct id).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the template `Description`.
    pub fn set_description(&mut self, text: impl Into<String>) {
        self.description = Some(text.into());
    }

    /// Adds a stack-level tag; CloudFormation propagates it to the resources
    /// that support tags.
    pub fn add_tag(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.tags.insert(key.into(), value.into());
    }

    /// The stack's tags.
    pub fn tags(&self) -> &BTreeMap<String, String> {
        &self.tags
    }

    /// Turns termination protection on or off for the deployed stack.
    pub fn set_termination_protection(&mut self, enabled: bool) {
        self.termination_protection = enabled;
    }

    /// Whether termination protection is requested.
    pub fn termination_protection(&self) -> bool {
        self.termination_protection
    }

    /// Number of nodes in the construct tree, the stack itself included.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The construct path of `node`, starting with the stack name.
    pub fn path_of(&self, node: NodeId) -> String {
        let mut components = Vec::new();
        self.components_into(node.0, &mut components);
        self.join_path(&components)
    }

    /// The construct ids from below the stack down to `node`, into `out`
    /// (cleared first, so that a caller walking many nodes reuses it).
    pub(crate) fn components_into<'s>(&'s self, node: u32, out: &mut Vec<&'s str>) {
        out.clear();
        let mut at = node;
        while at != 0 && at != DETACHED {
            let n = &self.nodes[at as usize];
            out.push(&n.id);
            at = n.parent;
        }
        out.reverse();
    }

    /// `StackName/c1/c2/...`, built with one allocation of the right size.
    pub(crate) fn join_path(&self, components: &[&str]) -> String {
        let len = self.name.len() + components.iter().map(|c| c.len() + 1).sum::<usize>();
        let mut path = String::with_capacity(len);
        path.push_str(&self.name);
        for c in components {
            path.push('/');
            path.push_str(c);
        }
        path
    }

    pub(crate) fn element_ref(&self, node: u32) -> ElementRef {
        ElementRef {
            app: self.app,
            stack: self.index,
            node,
        }
    }

    pub(crate) fn insert_node(
        &mut self,
        parent: NodeId,
        id: &str,
        element: Option<Element>,
    ) -> Result<NodeId> {
        let (index, hash) = self.free_slot(parent, id)?;
        self.push_node(id, parent.0, element);
        self.index_child(index, hash);
        Ok(NodeId(index))
    }

    /// Checks that `id` can be added under `parent`, and returns the new
    /// node's index and the hash it is indexed under.
    fn free_slot(&self, parent: NodeId, id: &str) -> Result<(u32, u64)> {
        if id.is_empty() {
            return Err(Error::invalid(
                self.path_of(parent),
                None,
                "construct id must not be empty",
            ));
        }
        if id.contains('/') {
            return Err(Error::invalid(
                self.path_of(parent),
                None,
                format!("construct id {id:?} must not contain '/', the path separator"),
            ));
        }
        let index = u32::try_from(self.nodes.len()).map_err(|_| {
            Error::invalid(
                self.name.clone(),
                None,
                "too many constructs in one stack (more than 4,294,967,295)",
            )
        })?;
        let hash = sibling_hash(parent.0, id);
        let sibling = |&n: &u32| {
            let n = &self.nodes[n as usize];
            n.parent == parent.0 && n.id == id
        };
        if let Some(&existing) = self.children.find(hash, sibling) {
            return Err(Error::invalid(
                self.path_of(NodeId(existing)),
                None,
                format!(
                    "there is already a construct with id {id:?} in scope {}; construct ids must be unique among siblings",
                    self.path_of(parent)
                ),
            ));
        }
        Ok((index, hash))
    }

    /// Indexes the node at `index`, pushed already, under `hash`.
    fn index_child(&mut self, index: u32, hash: u64) {
        let nodes = &self.nodes;
        self.children.insert_unique(hash, index, |&n| {
            let n = &nodes[n as usize];
            sibling_hash(n.parent, &n.id)
        });
    }

    fn push_node(&mut self, id: &str, parent: u32, element: Option<Element>) {
        let id = match id {
            // The id of nearly every L2's main resource.
            "Resource" => Str::Borrowed("Resource"),
            _ => Str::Owned(id.to_owned()),
        };
        self.nodes.push(Node {
            id,
            parent,
            element: element.map(Box::new),
            logical_id_override: None,
        });
    }

    /// Adds an element directly under the stack, recording a duplicate id as
    /// a deferred error (reported at synthesis).
    fn add_top_level(&mut self, id: &str, element: Element) -> u32 {
        match self.free_slot(NodeId::ROOT, id) {
            Ok((index, hash)) => {
                self.push_node(id, 0, Some(element));
                self.index_child(index, hash);
            }
            Err(e) => {
                self.deferred.extend(e.violations().iter().cloned());
                // Keep the element reachable through its handle, detached from
                // the tree; synthesis skips detached nodes.
                self.push_node(id, DETACHED, Some(element));
            }
        }
        (self.nodes.len() - 1) as u32
    }

    /// Adds an output whose logical ID is `id` (non-alphanumerics removed).
    /// Returns it for setting a description, an export name or a condition.
    ///
    /// ```
    /// # use formwork_core::App;
    /// let mut app = App::new();
    /// let stack = app.stack("Demo");
    /// stack.output("Region", formwork_core::Pseudo::Region).description("Where it runs");
    /// ```
    pub fn output(&mut self, id: &str, value: impl Into<Expr>) -> &mut OutputDef {
        let node = self.add_top_level(
            id,
            Element::Output(OutputDef {
                value: value.into(),
                description: None,
                export_name: None,
                condition: None,
            }),
        );
        match self.nodes[node as usize].element.as_deref_mut() {
            Some(Element::Output(o)) => o,
            _ => unreachable!("the node was just created as an output"),
        }
    }

    /// Adds a template parameter.
    pub fn parameter(&mut self, id: &str, parameter: template::Parameter) -> ParameterRef {
        let node = self.add_top_level(id, Element::Parameter(parameter));
        ParameterRef(self.element_ref(node))
    }

    /// Adds a condition (an expression of `Fn::Equals`, `Fn::And`, ...).
    pub fn condition(&mut self, id: &str, expression: Expr) -> ConditionRef {
        let node = self.add_top_level(id, Element::Condition(expression));
        ConditionRef(self.element_ref(node))
    }

    /// Adds a mapping (`{TopKey: {SecondKey: value}}`).
    pub fn mapping(&mut self, id: &str, mapping: Value) -> MappingRef {
        let node = self.add_top_level(id, Element::Mapping(mapping));
        MappingRef(self.element_ref(node))
    }

    /// The resource behind `handle`, when it belongs to this stack.
    pub fn resource(&self, handle: ResourceRef) -> Option<&CfnResource> {
        let r = handle.0;
        if r.app != self.app || r.stack != self.index {
            return None;
        }
        match self.nodes.get(r.node as usize)?.element.as_deref()? {
            Element::Resource(res) => Some(res),
            _ => None,
        }
    }

    /// The resource behind `handle`, for changes after creation (an added
    /// managed policy, a dependency). Fails when the handle belongs to
    /// another stack.
    pub fn resource_mut(&mut self, handle: ResourceRef) -> Result<&mut CfnResource> {
        let r = handle.0;
        if r.app != self.app || r.stack != self.index || self.nodes.len() <= r.node as usize {
            return Err(Error::invalid(
                self.name.clone(),
                None,
                "the resource handle belongs to another stack or app; change it through the stack that holds it",
            ));
        }
        match self.nodes[r.node as usize].element.as_deref_mut() {
            Some(Element::Resource(res)) => Ok(res),
            _ => Err(Error::invalid(
                self.name.clone(),
                None,
                "the handle does not refer to a resource",
            )),
        }
    }

    /// The construct path of the element behind `handle` (in this stack).
    pub fn path_of_element(&self, element: ElementRef) -> Option<String> {
        (element.app == self.app
            && element.stack == self.index
            && (element.node as usize) < self.nodes.len())
        .then(|| self.path_of(NodeId(element.node)))
    }

    /// Overrides the logical ID of an element, as the CDK's
    /// `overrideLogicalId` does (for adopting resources of an existing template).
    pub fn override_logical_id(
        &mut self,
        element: impl Into<ElementRef>,
        logical_id: impl Into<String>,
    ) -> Result<()> {
        let element = element.into();
        if element.app != self.app
            || element.stack != self.index
            || self.nodes.len() <= element.node as usize
        {
            return Err(Error::invalid(
                self.name.clone(),
                None,
                "the element belongs to another stack or app",
            ));
        }
        let logical_id = logical_id.into();
        if !crate::logical_id::is_valid_logical_id(&logical_id) {
            return Err(Error::invalid(
                self.path_of(NodeId(element.node)),
                None,
                format!("logical ID {logical_id:?} must be 1-255 alphanumeric characters"),
            ));
        }
        self.nodes[element.node as usize].logical_id_override = Some(logical_id);
        Ok(())
    }
}

/// The hash of a node's (parent, id), for [`Stack`]'s sibling index: FNV-1a
/// over the bytes, then a final mix so that every bit of the result depends
/// on every input bit (the table uses both the low and the high bits).
/// Not DoS-resistant, and need not be: ids come from the program itself, and
/// a collision only costs a comparison.
fn sibling_hash(parent: u32, id: &str) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(parent);
    for &b in id.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    // The finalizer of MurmurHash3.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Something constructs can be added to: a [`Stack`], or a construct inside it
/// ([`ScopeMut`]).
///
/// Construct libraries take `&mut impl Scope`, so that `Role::new(stack, ..)`
/// and `Role::new(&mut my_construct_scope, ..)` both work.
pub trait Scope {
    /// The stack this scope belongs to.
    fn stack(&self) -> &Stack;
    /// The stack, mutably.
    fn stack_mut(&mut self) -> &mut Stack;
    /// This scope's node in the stack's tree.
    fn node(&self) -> NodeId;

    /// The construct path of this scope.
    fn path(&self) -> String {
        self.stack().path_of(self.node())
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
    fn child(&mut self, id: &str) -> Result<ScopeMut<'_>> {
        let parent = self.node();
        let node = self.stack_mut().insert_node(parent, id, None)?;
        Ok(ScopeMut {
            stack: self.stack_mut(),
            node,
        })
    }

    /// Adds a resource with the given construct id under this scope.
    fn add_resource(&mut self, id: &str, resource: CfnResource) -> Result<ResourceRef> {
        let parent = self.node();
        let stack = self.stack_mut();
        let node = stack.insert_node(parent, id, Some(Element::Resource(resource)))?;
        Ok(ResourceRef(stack.element_ref(node.0)))
    }
}

impl Scope for Stack {
    fn stack(&self) -> &Stack {
        self
    }
    fn stack_mut(&mut self) -> &mut Stack {
        self
    }
    fn node(&self) -> NodeId {
        NodeId::ROOT
    }
}

/// A construct scope inside a stack: where a construct adds its children.
#[derive(Debug)]
pub struct ScopeMut<'a> {
    stack: &'a mut Stack,
    node: NodeId,
}

impl Scope for ScopeMut<'_> {
    fn stack(&self) -> &Stack {
        self.stack
    }
    fn stack_mut(&mut self) -> &mut Stack {
        self.stack
    }
    fn node(&self) -> NodeId {
        self.node
    }
}
