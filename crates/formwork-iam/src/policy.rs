//! IAM policy documents: statements, effects and typed conditions.

use formwork_core::{Expr, ExprMap, Str};

use crate::one_or_list::one_or_list;
use crate::principal::Principal;

/// The policy language version every document uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Effect {
    /// Grants the actions.
    #[default]
    Allow,
    /// Denies the actions, overriding any allow.
    Deny,
}

impl Effect {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        }
    }
}

/// Defines [`ConditionOperator`] and the names of each operator's forms from
/// one list, so that the two cannot drift apart.
macro_rules! condition_operators {
    ($($op:ident),* $(,)?) => {
        /// A condition operator such as `StringEquals` or `ForAnyValue:StringLike`.
        ///
        /// ```
        /// use formwork_iam::ConditionOperator;
        /// assert_eq!(ConditionOperator::StringLike.for_any_value().name(), "ForAnyValue:StringLike");
        /// assert_eq!(ConditionOperator::Bool.if_exists().name(), "BoolIfExists");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // the variants are IAM's operator names
        pub enum ConditionOperator {
            $($op,)*
        }

        impl ConditionOperator {
            /// The names of the operator's six forms: plain, `IfExists`, and
            /// both again under `ForAnyValue:` and `ForAllValues:`.
            fn names(self) -> &'static [&'static str; 6] {
                match self {
                    $(ConditionOperator::$op => &[
                        stringify!($op),
                        concat!(stringify!($op), "IfExists"),
                        concat!("ForAnyValue:", stringify!($op)),
                        concat!("ForAnyValue:", stringify!($op), "IfExists"),
                        concat!("ForAllValues:", stringify!($op)),
                        concat!("ForAllValues:", stringify!($op), "IfExists"),
                    ],)*
                }
            }
        }
    };
}

condition_operators!(
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
);

impl ConditionOperator {
    /// Applies the operator to any value of a multivalued key.
    pub fn for_any_value(self) -> QualifiedOperator {
        QualifiedOperator {
            op: self,
            set: Some("ForAnyValue"),
            if_exists: false,
        }
    }

    /// Applies the operator to every value of a multivalued key.
    pub fn for_all_values(self) -> QualifiedOperator {
        QualifiedOperator {
            op: self,
            set: Some("ForAllValues"),
            if_exists: false,
        }
    }

    /// The `...IfExists` form.
    pub fn if_exists(self) -> QualifiedOperator {
        QualifiedOperator {
            op: self,
            set: None,
            if_exists: true,
        }
    }

    /// The operator's name in a policy.
    pub fn name(self) -> String {
        QualifiedOperator::from(self).name()
    }
}

/// A condition operator with its set qualifier and `IfExists` suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct QualifiedOperator {
    op: ConditionOperator,
    set: Option<&'static str>,
    if_exists: bool,
}

impl QualifiedOperator {
    /// Adds the `IfExists` suffix.
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    /// The operator's name in a policy, e.g. `ForAnyValue:StringLike`.
    pub fn name(self) -> String {
        self.as_str().to_owned()
    }

    /// Like [`QualifiedOperator::name`], without allocating.
    ///
    /// ```
    /// use formwork_iam::ConditionOperator;
    /// let op = ConditionOperator::StringLike.for_all_values().if_exists();
    /// assert_eq!(op.as_str(), "ForAllValues:StringLikeIfExists");
    /// ```
    pub fn as_str(self) -> &'static str {
        let set = match self.set {
            None => 0,
            Some("ForAnyValue") => 2,
            Some(_) => 4,
        };
        self.op.names()[set + usize::from(self.if_exists)]
    }
}

impl From<ConditionOperator> for QualifiedOperator {
    fn from(op: ConditionOperator) -> Self {
        QualifiedOperator {
            op,
            set: None,
            if_exists: false,
        }
    }
}

/// The `Condition` block of a statement: operator -> key -> value(s).
///
/// ```
/// use formwork_iam::{ConditionOperator, Conditions};
/// let c = Conditions::new()
///     .with(ConditionOperator::StringEquals, "aws:SourceAccount", "123456789012")
///     .with(ConditionOperator::Bool, "aws:SecureTransport", "true");
/// assert_eq!(c.len(), 2);
/// ```
///
/// Operator names and `'static` keys are held without allocating.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions(
    /// Operator name -> `Expr::Map` of key -> value(s), as the policy has it.
    ExprMap,
);

impl Conditions {
    /// No conditions.
    pub fn new() -> Self {
        Conditions::default()
    }

    /// Adds `key: value` under `operator` (builder style). A second value for
    /// the same operator and key turns the value into a list.
    #[must_use]
    pub fn with(
        mut self,
        operator: impl Into<QualifiedOperator>,
        key: impl Into<Str>,
        value: impl Into<Expr>,
    ) -> Self {
        self.add(operator, key, value);
        self
    }

    /// Adds `key: value` under `operator`.
    pub fn add(
        &mut self,
        operator: impl Into<QualifiedOperator>,
        key: impl Into<Str>,
        value: impl Into<Expr>,
    ) {
        let operator = operator.into().as_str();
        let index = match self.0.get_index_of(operator) {
            Some(index) => index,
            None => {
                self.0
                    .push_unchecked(operator, Expr::Map(ExprMap::with_capacity(1)));
                self.0.len() - 1
            }
        };
        let Expr::Map(keys) = &mut self.0[index] else {
            unreachable!("condition operators hold maps")
        };
        let (key, value) = (key.into(), value.into());
        match keys.get_mut(&key) {
            None => keys.push_unchecked(key, value),
            Some(Expr::List(items)) => items.push(value),
            Some(existing) => {
                let first = std::mem::replace(existing, Expr::Null);
                *existing = Expr::List(vec![first, value]);
            }
        }
    }

    /// Number of operators.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no conditions.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_expr(self) -> Expr {
        Expr::Map(self.0)
    }
}

/// One statement of a policy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Statement {
    /// Optional statement id.
    pub sid: Option<String>,
    /// Allow or deny.
    pub effect: Effect,
    /// Who the statement applies to (trust and resource policies only).
    pub principals: Vec<Principal>,
    /// Everyone except these (rarely what you want).
    pub not_principals: Vec<Principal>,
    /// Actions, e.g. `lex:RecognizeText`.
    pub actions: Vec<Expr>,
    /// Every action except these.
    pub not_actions: Vec<Expr>,
    /// Resource ARNs.
    pub resources: Vec<Expr>,
    /// Every resource except these.
    pub not_resources: Vec<Expr>,
    /// Conditions.
    pub conditions: Conditions,
}

impl Statement {
    /// An `Allow` statement with no actions yet.
    pub fn allow() -> Self {
        Statement::default()
    }

    /// A `Deny` statement with no actions yet.
    pub fn deny() -> Self {
        Statement {
            effect: Effect::Deny,
            ..Statement::default()
        }
    }

    /// Adds actions.
    #[must_use]
    pub fn actions<I: IntoIterator<Item = T>, T: Into<Expr>>(mut self, actions: I) -> Self {
        self.actions.extend(actions.into_iter().map(Into::into));
        self
    }

    /// Adds resources.
    #[must_use]
    pub fn resources<I: IntoIterator<Item = T>, T: Into<Expr>>(mut self, resources: I) -> Self {
        self.resources.extend(resources.into_iter().map(Into::into));
        self
    }

    /// Adds a principal.
    #[must_use]
    pub fn principal(mut self, principal: Principal) -> Self {
        self.principals.push(principal);
        self
    }

    /// Adds a condition.
    #[must_use]
    pub fn condition(
        mut self,
        operator: impl Into<QualifiedOperator>,
        key: impl Into<Str>,
        value: impl Into<Expr>,
    ) -> Self {
        self.conditions.add(operator, key, value);
        self
    }

    /// Sets the statement id.
    #[must_use]
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }

    /// The statement as a policy JSON object, keys in the order of the IAM
    /// documentation. A single action or resource is written as a string.
    pub fn to_expr(&self) -> Expr {
        self.clone().into_expr()
    }

    /// Like [`Statement::to_expr`], consuming the statement (no copies).
    pub fn into_expr(self) -> Expr {
        // Sized exactly: a role holds its trust policy for the life of the app.
        let len = usize::from(self.sid.is_some())
            + 1
            + usize::from(!self.principals.is_empty())
            + usize::from(!self.not_principals.is_empty())
            + [
                &self.actions,
                &self.not_actions,
                &self.resources,
                &self.not_resources,
            ]
            .iter()
            .filter(|v| !v.is_empty())
            .count()
            + usize::from(!self.conditions.is_empty());
        let mut m = ExprMap::with_capacity(len);
        // Every key is distinct: pushed without look-ups.
        if let Some(sid) = self.sid {
            m.push_unchecked("Sid", Expr::from(sid));
        }
        m.push_unchecked("Effect", Expr::from_static(self.effect.as_str()));
        if !self.principals.is_empty() {
            m.push_unchecked("Principal", Principal::merge(self.principals));
        }
        if !self.not_principals.is_empty() {
            m.push_unchecked("NotPrincipal", Principal::merge(self.not_principals));
        }
        for (key, values) in [
            ("Action", self.actions),
            ("NotAction", self.not_actions),
            ("Resource", self.resources),
            ("NotResource", self.not_resources),
        ] {
            if !values.is_empty() {
                m.push_unchecked(key, one_or_list(values));
            }
        }
        if !self.conditions.is_empty() {
            m.push_unchecked("Condition", self.conditions.into_expr());
        }
        Expr::Map(m)
    }
}

/// A policy document's JSON, from its statements' JSON.
pub(crate) fn document_expr(statements: Vec<Expr>) -> Expr {
    Expr::from([
        ("Version", Expr::from_static(POLICY_VERSION)),
        ("Statement", Expr::List(statements)),
    ])
}

/// A policy document: a version and a list of statements.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyDocument {
    /// The statements.
    pub statements: Vec<Statement>,
}

impl PolicyDocument {
    /// A document with these statements.
    pub fn new(statements: impl IntoIterator<Item = Statement>) -> Self {
        PolicyDocument {
            statements: statements.into_iter().collect(),
        }
    }

    /// Adds a statement.
    pub fn add_statement(&mut self, statement: Statement) {
        self.statements.push(statement);
    }

    /// True when the document has no statements.
    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    /// The document as policy JSON.
    pub fn to_expr(&self) -> Expr {
        self.clone().into_expr()
    }

    /// Like [`PolicyDocument::to_expr`], consuming the document (no copies).
    pub fn into_expr(self) -> Expr {
        // Not `collect()`: it would reuse the larger allocation of the
        // statements, spare capacity and all.
        let mut statements = Vec::with_capacity(self.statements.len());
        statements.extend(self.statements.into_iter().map(Statement::into_expr));
        document_expr(statements)
    }
}
