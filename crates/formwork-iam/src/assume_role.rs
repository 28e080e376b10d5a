//! The trust relationship a role is assumed through.

use formwork_core::{Expr, ExprMap, Str};

use crate::policy::{Conditions, Effect, QualifiedOperator, Statement};
use crate::principal::Principal;

impl Principal {
    /// A web-identity principal: the provider, assumed with
    /// `sts:AssumeRoleWithWebIdentity` under `conditions`.
    pub fn web_identity(provider: impl Into<Expr>, conditions: Conditions) -> AssumeRole {
        AssumeRole {
            principal: Principal::Federated(provider.into()),
            action: Str::Borrowed("sts:AssumeRoleWithWebIdentity"),
            conditions,
        }
    }
}

/// A trust relationship: who may assume a role, with which action and
/// under which conditions. Build one from a [`Principal`] (`sts:AssumeRole`)
/// or with [`Principal::web_identity`].
#[derive(Clone, Debug, PartialEq)]
pub struct AssumeRole {
    /// The principal trusted.
    pub principal: Principal,
    /// The STS action, e.g. `sts:AssumeRole`.
    pub action: Str,
    /// Conditions on the assumption.
    pub conditions: Conditions,
}

impl AssumeRole {
    /// Adds a condition (builder style).
    #[must_use]
    pub fn with_condition(
        mut self,
        operator: impl Into<QualifiedOperator>,
        key: impl Into<Str>,
        value: impl Into<Expr>,
    ) -> Self {
        self.conditions.add(operator, key, value);
        self
    }

    /// The trust-policy statement.
    pub fn to_statement(&self) -> Statement {
        self.clone().into_statement()
    }

    /// Like [`AssumeRole::to_statement`], consuming the trust relationship.
    pub fn into_statement(self) -> Statement {
        Statement {
            principals: vec![self.principal],
            actions: vec![Expr::Str(self.action)],
            conditions: self.conditions,
            ..Statement::allow()
        }
    }

    /// `self.into_statement().into_expr()`, without the statement's vectors.
    pub(crate) fn into_statement_expr(self) -> Expr {
        let mut m = ExprMap::with_capacity(3 + usize::from(!self.conditions.is_empty()));
        m.push_unchecked("Effect", Expr::from_static(Effect::Allow.as_str()));
        m.push_unchecked("Principal", self.principal.into_block());
        m.push_unchecked("Action", Expr::Str(self.action));
        if !self.conditions.is_empty() {
            m.push_unchecked("Condition", self.conditions.into_expr());
        }
        Expr::Map(m)
    }
}

impl From<Principal> for AssumeRole {
    fn from(principal: Principal) -> Self {
        AssumeRole {
            principal,
            action: Str::Borrowed("sts:AssumeRole"),
            conditions: Conditions::new(),
        }
    }
}
