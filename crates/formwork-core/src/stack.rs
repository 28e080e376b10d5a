//! Stacks: the units of deployment, each synthesized into one template.

use crate::tree::{Environment, Stack, StackProps};
use serde_json::Value;

use crate::construct::Scope;
use crate::element::{ConditionRef, MappingRef, Output, ParameterRef};
use crate::expr::{Expr, Pseudo};
use crate::template;
use crate::tree::{Construct, Kind, OutputNode};

impl Scope for Stack {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

impl Stack {
    fn with_props<T>(&self, f: impl FnOnce(&mut StackProps) -> T) -> T {
        let mut tree = self.construct.tree_mut();
        match &mut tree.node_mut(self.construct.node).kind {
            Kind::Stack(s) => f(&mut s.props),
            _ => unreachable!("a Stack handle always points at a stack node"),
        }
    }

    /// The stack name (also its construct id).
    pub fn name(&self) -> String {
        self.construct.id()
    }

    /// The stack's environment.
    pub fn environment(&self) -> Environment {
        self.with_props(|p| p.env.clone())
    }

    /// The region: a literal when the environment names one, else
    /// `{"Ref": "AWS::Region"}` (as the CDK's `stack.region`).
    pub fn region(&self) -> Expr {
        self.environment()
            .region
            .map_or(Pseudo::Region.into(), Expr::from)
    }

    /// The account: a literal when the environment names one, else
    /// `{"Ref": "AWS::AccountId"}` (as the CDK's `stack.account`).
    pub fn account(&self) -> Expr {
        self.environment()
            .account
            .map_or(Pseudo::AccountId.into(), Expr::from)
    }

    /// Sets the template `Description`.
    pub fn set_description(&self, text: impl Into<String>) {
        let text = text.into();
        self.with_props(|p| p.description = Some(text));
    }

    /// Turns termination protection on or off for the deployed stack.
    pub fn set_termination_protection(&self, enabled: bool) {
        self.with_props(|p| p.termination_protection = enabled);
    }

    /// Whether termination protection is requested.
    pub fn termination_protection(&self) -> bool {
        self.with_props(|p| p.termination_protection)
    }

    /// Tags the stack and every taggable resource in it:
    /// `Tags::of(&stack).add(key, value)`.
    pub fn add_tag(&self, key: impl Into<String>, value: impl Into<String>) {
        crate::Tags::of(self).add(key, value);
    }

    /// Number of nodes in the stack's construct tree, the stack included.
    pub fn node_count(&self) -> usize {
        self.construct.tree().subtree(self.construct.node).len()
    }

    /// Adds an output whose logical ID is `id` (non-alphanumerics removed).
    /// Returns it for setting a description, an export name or a condition.
    ///
    /// ```
    /// # use formwork_core::App;
    /// let app = App::new();
    /// let stack = app.stack("Demo");
    /// stack.output("Region", formwork_core::Pseudo::Region).description("Where it runs");
    /// ```
    pub fn output(&self, id: &str, value: impl Into<Expr>) -> Output {
        let kind = Kind::Output(OutputNode {
            value: value.into(),
            description: None,
            export_name: None,
            condition: None,
        });
        Output {
            construct: self.add_element_kind(id, kind),
        }
    }

    /// Adds a template parameter.
    pub fn parameter(&self, id: &str, parameter: template::Parameter) -> ParameterRef {
        ParameterRef(
            self.add_element_kind(id, Kind::Parameter(parameter))
                .element(),
        )
    }

    /// Adds a condition (an expression of `Fn::Equals`, `Fn::And`, ...).
    pub fn condition(&self, id: &str, expression: Expr) -> ConditionRef {
        ConditionRef(
            self.add_element_kind(id, Kind::Condition(expression))
                .element(),
        )
    }

    /// Adds a mapping (`{TopKey: {SecondKey: value}}`).
    pub fn mapping(&self, id: &str, mapping: Value) -> MappingRef {
        MappingRef(self.add_element_kind(id, Kind::Mapping(mapping)).element())
    }

    /// Adds a top-level element. A bad or duplicate id is recorded as a
    /// deferred error, and the element is kept detached from the tree
    /// (synthesis skips it), so that its handle still works.
    fn add_element_kind(&self, id: &str, kind: Kind) -> Construct {
        let mut tree = self.construct.tree_mut();
        let node = match tree.check_child(self.construct.node, id) {
            Ok(()) => tree.push(self.construct.node, id, kind),
            Err(e) => {
                self.construct.app.defer_all(e);
                tree.push_detached(self.construct.node, id, kind)
            }
        };
        drop(tree);
        self.construct.at(node)
    }
}
