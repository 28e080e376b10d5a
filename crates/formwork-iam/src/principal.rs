//! Principals: who a statement applies to.

use formwork_core::{Expr, ExprMap, Pseudo};

use crate::one_or_list::one_or_list;

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
    pub(crate) fn into_block(self) -> Expr {
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
