//! Handles to a stack's template elements other than resources: outputs,
//! parameters, conditions and mappings.

use crate::expr::{ElementRef, Expr};
use crate::tree::{Construct, Kind, OutputNode};

/// A template output, returned by [`Stack::output`](crate::Stack::output)
/// for setting its description, export name or condition.
#[derive(Clone, Debug)]
pub struct Output {
    pub(crate) construct: Construct,
}

impl Output {
    fn edit(&self, f: impl FnOnce(&mut OutputNode)) -> &Self {
        let mut tree = self.construct.tree_mut();
        if let Kind::Output(o) = &mut tree.node_mut(self.construct.node).kind {
            f(o);
        }
        self
    }

    /// Sets the description.
    pub fn description(&self, text: impl Into<String>) -> &Self {
        let text = text.into();
        self.edit(|o| o.description = Some(text))
    }

    /// Exports the value under `name` for other stacks' `Fn::ImportValue`.
    pub fn export_name(&self, name: impl Into<Expr>) -> &Self {
        let name = name.into();
        self.edit(|o| o.export_name = Some(name))
    }

    /// Makes the output conditional.
    pub fn condition(&self, condition: ConditionRef) -> &Self {
        self.edit(|o| o.condition = Some(condition.0))
    }

    /// The output's node.
    pub fn construct(&self) -> &Construct {
        &self.construct
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
