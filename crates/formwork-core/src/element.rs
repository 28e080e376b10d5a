//! The elements a stack holds: resources, outputs, parameters, conditions
//! and mappings, and the typed handles that refer to them.

use serde_json::Value;

use crate::expr::{ElementRef, Expr, ExprMap, Str};
use crate::resolved::Resolved;
use crate::template::{self, RemovalPolicy};

/// A problem a [`ResourceCheck`] or a validator found in one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// The property path, e.g. `ManagedPolicyArns`, when one is at fault.
    pub property: Option<String>,
    /// The rule broken, with the offending value.
    pub rule: String,
}

impl Issue {
    /// An issue with `property`.
    pub fn property(property: impl Into<String>, rule: impl Into<String>) -> Self {
        Issue {
            property: Some(property.into()),
            rule: rule.into(),
        }
    }
}

/// A check that runs on the synthesized `Properties` of one resource, where
/// every reference is resolved (for rules such as the 2,048-character trust
/// policy quota, which only the final JSON can tell).
pub type ResourceCheck = fn(Resolved<'_>, &mut Vec<Issue>);

/// A CloudFormation resource of any type: the L1 layer every construct
/// renders to, and the escape hatch for types without a construct.
///
/// ```
/// use formwork_core::{App, CfnResource, Scope};
/// let mut app = App::new();
/// let stack = app.stack("Demo");
/// let topic = stack
///     .add_resource("Topic", CfnResource::new("AWS::SNS::Topic").set("DisplayName", "alerts"))
///     .unwrap();
/// stack.output("TopicArn", topic.to_ref());
/// let assembly = app.synth().unwrap();
/// assert!(assembly.stacks[0].template.resources.contains_key("Topic"));
/// ```
#[derive(Clone, Debug)]
pub struct CfnResource {
    /// The resource type, e.g. `AWS::S3::Bucket`.
    pub type_name: Str,
    /// `Properties`, in insertion order.
    pub properties: ExprMap,
    /// Resources this one must be created after.
    pub depends_on: Vec<ElementRef>,
    /// `CreationPolicy`.
    pub creation_policy: Option<Expr>,
    /// `UpdatePolicy`.
    pub update_policy: Option<Expr>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<RemovalPolicy>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<RemovalPolicy>,
    /// Extra `Metadata` entries (formwork adds `aws:cdk:path`).
    pub metadata: ExprMap,
    /// A condition that decides whether the resource is created.
    pub condition: Option<ConditionRef>,
    pub(crate) checks: Checks,
}

/// The checks of a resource: nearly always none or one, held without
/// allocating.
#[derive(Clone, Debug, Default)]
pub(crate) struct Checks {
    first: Option<ResourceCheck>,
    rest: Vec<ResourceCheck>,
}

impl Checks {
    fn contains(&self, check: &ResourceCheck) -> bool {
        self.first.as_ref() == Some(check) || self.rest.contains(check)
    }

    fn push(&mut self, check: ResourceCheck) {
        match self.first {
            None => self.first = Some(check),
            Some(_) => self.rest.push(check),
        }
    }
}

impl<'a> IntoIterator for &'a Checks {
    type Item = &'a ResourceCheck;
    type IntoIter =
        std::iter::Chain<std::option::Iter<'a, ResourceCheck>, std::slice::Iter<'a, ResourceCheck>>;
    fn into_iter(self) -> Self::IntoIter {
        self.first.iter().chain(self.rest.iter())
    }
}

impl CfnResource {
    /// A resource of `type_name` with no properties.
    pub fn new(type_name: impl Into<Str>) -> Self {
        CfnResource {
            type_name: type_name.into(),
            properties: ExprMap::new(),
            depends_on: Vec::new(),
            creation_policy: None,
            update_policy: None,
            update_replace_policy: None,
            deletion_policy: None,
            metadata: ExprMap::new(),
            condition: None,
            checks: Checks::default(),
        }
    }

    /// Sets a property (builder style).
    #[must_use]
    pub fn set(mut self, name: impl Into<Str>, value: impl Into<Expr>) -> Self {
        self.properties.insert(name.into(), value.into());
        self
    }

    /// Sets a property when `value` is `Some` (builder style).
    #[must_use]
    pub fn set_opt(mut self, name: impl Into<Str>, value: Option<impl Into<Expr>>) -> Self {
        if let Some(value) = value {
            self.properties.insert(name.into(), value.into());
        }
        self
    }

    /// Sets a property in place.
    pub fn insert(&mut self, name: impl Into<Str>, value: impl Into<Expr>) {
        self.properties.insert(name.into(), value.into());
    }

    /// Appends `value` to the list property `name` unless an equal value is
    /// already there. Returns whether it was added. A non-list value under
    /// `name` is replaced by a one-element list holding the old and new values.
    pub fn push_unique(&mut self, name: impl Into<Str>, value: Expr) -> bool {
        let name = name.into();
        let slot = match self.properties.get_index_of(&name) {
            Some(index) => &mut self.properties[index],
            None => {
                // A new list holds exactly the value.
                self.properties
                    .insert(name, Expr::List(Vec::with_capacity(1)));
                let last = self.properties.len() - 1;
                &mut self.properties[last]
            }
        };
        if !matches!(slot, Expr::List(_)) {
            let old = std::mem::replace(slot, Expr::List(Vec::new()));
            if let Expr::List(items) = slot {
                items.push(old);
            }
        }
        match slot {
            Expr::List(items) if !items.contains(&value) => {
                items.push(value);
                true
            }
            _ => false,
        }
    }

    /// Adds a dependency on another resource.
    pub fn add_depends_on(&mut self, other: ResourceRef) {
        if !self.depends_on.contains(&other.0) {
            self.depends_on.push(other.0);
        }
    }

    /// Registers a check that runs on the synthesized resource.
    pub fn add_check(&mut self, check: ResourceCheck) {
        if !self.checks.contains(&check) {
            self.checks.push(check);
        }
    }

    /// Sets `DeletionPolicy` and `UpdateReplacePolicy` together, as the CDK's
    /// `applyRemovalPolicy` does.
    pub fn apply_removal_policy(&mut self, policy: RemovalPolicy) {
        self.deletion_policy = Some(policy);
        self.update_replace_policy = Some(policy);
    }
}

/// An output of a stack.
#[derive(Clone, Debug)]
pub struct OutputDef {
    /// `Value`.
    pub value: Expr,
    /// `Description`.
    pub description: Option<String>,
    /// `Export.Name`.
    pub export_name: Option<Expr>,
    /// `Condition`.
    pub condition: Option<ConditionRef>,
}

impl OutputDef {
    /// Sets the description.
    pub fn description(&mut self, text: impl Into<String>) -> &mut Self {
        self.description = Some(text.into());
        self
    }

    /// Exports the value under `name` for other stacks' `Fn::ImportValue`.
    pub fn export_name(&mut self, name: impl Into<Expr>) -> &mut Self {
        self.export_name = Some(name.into());
        self
    }

    /// Makes the output conditional.
    pub fn condition(&mut self, condition: ConditionRef) -> &mut Self {
        self.condition = Some(condition);
        self
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Element {
    Resource(CfnResource),
    Output(OutputDef),
    Parameter(template::Parameter),
    Condition(Expr),
    Mapping(Value),
}

impl Element {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Element::Resource(_) => "resource",
            Element::Output(_) => "output",
            Element::Parameter(_) => "parameter",
            Element::Condition(_) => "condition",
            Element::Mapping(_) => "mapping",
        }
    }
}

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $name(pub(crate) ElementRef);

        impl $name {
            /// The underlying element reference.
            pub fn element(self) -> ElementRef {
                self.0
            }
        }

        impl From<$name> for ElementRef {
            fn from(h: $name) -> ElementRef {
                h.0
            }
        }
    };
}

handle!(
    /// A handle to a resource: `Ref` and `Fn::GetAtt` come from it.
    ResourceRef
);
handle!(
    /// A handle to a template parameter.
    ParameterRef
);
handle!(
    /// A handle to a condition, for `Fn::If` and `Condition`.
    ConditionRef
);
handle!(
    /// A handle to a mapping, for `Fn::FindInMap`.
    MappingRef
);

impl ResourceRef {
    /// `{"Ref": LogicalId}`: the resource's primary identifier.
    pub fn to_ref(self) -> Expr {
        Expr::Ref(self.0)
    }

    /// `{"Fn::GetAtt": [LogicalId, attribute]}`.
    pub fn get_att(self, attribute: impl Into<String>) -> Expr {
        Expr::GetAtt(self.0, attribute.into())
    }
}

impl ParameterRef {
    /// `{"Ref": Parameter}`: the parameter's value.
    pub fn value(self) -> Expr {
        Expr::Ref(self.0)
    }
}

impl ConditionRef {
    /// `{"Condition": Name}`, for use inside other conditions.
    pub fn to_expr(self) -> Expr {
        Expr::Condition(self.0)
    }
}

impl MappingRef {
    /// `{"Fn::FindInMap": [Mapping, top, second]}`.
    pub fn find(self, top: impl Into<Expr>, second: impl Into<Expr>) -> Expr {
        Expr::FindInMap {
            mapping: self.0,
            top: Box::new(top.into()),
            second: Box::new(second.into()),
        }
    }
}
