//! Principals, and the trust relationship a role is assumed through.

use formwork_core::{Expr, ExprMap, Pseudo, Str};

use crate::policy::{one_or_list, Conditions, Effect, QualifiedOperator, Statement};

/// Who a statement applies to.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// An AWS service, e.g. `lambda.amazonaws.com`.
    Service(String),
    /// An AWS account or IAM ARN (`{"AWS": ...}`).
    Aws(Expr),
    /// A federated identity provider, e.g. `cognito-identity.amazonaws.com`
    /// or a SAML/OIDC provider ARN.
    Federated(Expr),
    /// An S3 canonical user id.
    CanonicalUser(String),
    /// Everyone (`"*"`).
    Any,
}

impl Principal {
    /// A service principal.
    pub fn service(name: impl Into<String>) -> Self {
        Principal::Service(name.into())
    }

    /// The root of an account: `arn:${AWS::Partition}:iam::<id>:root`.
    pub fn account(account_id: impl Into<String>) -> Self {
        let suffix = format!(":iam::{}:root", account_id.into());
        Principal::Aws(Expr::join(
            "",
            [
                Expr::from_static("arn:"),
                Pseudo::Partition.into(),
                suffix.into(),
            ],
        ))
    }

    /// An IAM ARN (role, user, ...).
    pub fn arn(arn: impl Into<Expr>) -> Self {
        Principal::Aws(arn.into())
    }

    /// A federated provider.
    pub fn federated(provider: impl Into<Expr>) -> Self {
        Principal::Federated(provider.into())
    }

    /// A web-identity principal: the provider, assumed with
    /// `sts:AssumeRoleWithWebIdentity` under `conditions`.
    pub fn web_identity(provider: impl Into<Expr>, conditions: Conditions) -> AssumeRole {
        AssumeRole {
            principal: Principal::Federated(provider.into()),
            action: Str::Borrowed("sts:AssumeRoleWithWebIdentity"),
            conditions,
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Principal::Service(_) => "Service",
            Principal::Aws(_) | Principal::Any => "AWS",
            Principal::Federated(_) => "Federated",
            Principal::CanonicalUser(_) => "CanonicalUser",
        }
    }

    fn into_value(self) -> Expr {
        match self {
            Principal::Service(s) | Principal::CanonicalUser(s) => Expr::from(s),
            Principal::Aws(e) | Principal::Federated(e) => e,
            Principal::Any => Expr::from_static("*"),
        }
    }

    /// The `Principal` block of one principal.
    fn into_block(self) -> Expr {
        if self == Principal::Any {
            return Expr::from_static("*");
        }
        let mut block = ExprMap::with_capacity(1);
        block.push_unchecked(self.key(), self.into_value());
        Expr::Map(block)
    }

    /// The `Principal` block for several principals, grouped by kind.
    pub(crate) fn merge(mut principals: Vec<Principal>) -> Expr {
        if principals.len() == 1 {
            if let Some(p) = principals.pop() {
                return p.into_block();
            }
        }
        let mut grouped: Vec<(&'static str, Vec<Expr>)> = Vec::new();
        for p in principals {
            let key = p.key();
            match grouped.iter_mut().find(|(k, _)| *k == key) {
                Some((_, values)) => values.push(p.into_value()),
                None => grouped.push((key, vec![p.into_value()])),
            }
        }
        let mut block = ExprMap::with_capacity(grouped.len());
        for (k, v) in grouped {
            block.push_unchecked(k, one_or_list(v));
        }
        Expr::Map(block)
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
