//! Principals, and the trust relationship a role is assumed through.

use formwork_core::{Expr, Pseudo};
use indexmap::IndexMap;

use crate::policy::{one_or_list, Conditions, QualifiedOperator, Statement};

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
            ["arn:".into(), Pseudo::Partition.into(), suffix.into()],
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
            action: "sts:AssumeRoleWithWebIdentity".into(),
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
            Principal::Any => Expr::from("*"),
        }
    }

    /// The `Principal` block for several principals, grouped by kind.
    pub(crate) fn merge(principals: Vec<Principal>) -> Expr {
        if principals.len() == 1 && principals[0] == Principal::Any {
            return Expr::from("*");
        }
        let mut grouped: IndexMap<&'static str, Vec<Expr>> = IndexMap::new();
        for p in principals {
            grouped.entry(p.key()).or_default().push(p.into_value());
        }
        Expr::Map(
            grouped
                .into_iter()
                .map(|(k, v)| (k.to_owned(), one_or_list(v)))
                .collect(),
        )
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
    pub action: String,
    /// Conditions on the assumption.
    pub conditions: Conditions,
}

impl AssumeRole {
    /// Adds a condition (builder style).
    #[must_use]
    pub fn with_condition(
        mut self,
        operator: impl Into<QualifiedOperator>,
        key: impl Into<String>,
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
            actions: vec![Expr::from(self.action)],
            conditions: self.conditions,
            ..Statement::allow()
        }
    }
}

impl From<Principal> for AssumeRole {
    fn from(principal: Principal) -> Self {
        AssumeRole {
            principal,
            action: "sts:AssumeRole".into(),
            conditions: Conditions::new(),
        }
    }
}
