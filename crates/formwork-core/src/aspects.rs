//! Aspects, as the AWS CDK's `Aspects.of(scope).add(aspect)`: a visitor
//! called with every construct below a scope before synthesis, which may
//! inspect it, annotate it, change it or add to it.

use std::rc::Rc;

use crate::construct::Scope;
use crate::tree::{Aspect, Construct, NodeId};

/// The aspects of a scope.
pub struct Aspects {
    scope: Construct,
}

impl Aspects {
    /// The aspects of `scope`.
    pub fn of(scope: &(impl Scope + ?Sized)) -> Aspects {
        Aspects {
            scope: scope.construct().clone(),
        }
    }

    /// Adds an aspect that visits every construct below the scope at synthesis.
    pub fn add(&self, aspect: impl Aspect + 'static) {
        self.scope
            .tree_mut()
            .node_mut(self.scope.node)
            .aspects
            .push(Rc::new(aspect));
    }
}

/// Runs every aspect over its scope until no aspect has a construct left to
/// visit: each (aspect, construct) pair is visited once in the app's life
/// (a second synthesis visits only what is new), and constructs added by
/// aspects are visited in a later round. No borrow of the tree is held
/// while an aspect runs.
pub(crate) fn invoke(root: &Construct) {
    loop {
        // Every (aspect, node) pair in force now, found with the tree
        // borrowed: a walk from `root` down, parents before children, that
        // carries the aspects of the ancestors (none above `root`, the app).
        let pending: Vec<(Rc<dyn Aspect>, Construct)> = {
            let tree = root.tree();
            let mut done = root.app.aspects_invoked.borrow_mut();
            let mut pending = Vec::new();
            let mut todo: Vec<(NodeId, Vec<Rc<dyn Aspect>>)> = vec![(root.node, Vec::new())];
            while let Some((node, mut in_force)) = todo.pop() {
                let n = tree.node(node);
                in_force.extend(n.aspects.iter().cloned());
                for aspect in &in_force {
                    let key = (Rc::as_ptr(aspect) as *const () as usize, node.0);
                    if done.insert(key) {
                        pending.push((aspect.clone(), root.at(node)));
                    }
                }
                todo.extend(n.children.iter().rev().map(|&c| (c, in_force.clone())));
            }
            pending
        };
        if pending.is_empty() {
            return;
        }
        for (aspect, node) in pending {
            aspect.visit(&node);
        }
    }
}
