//! Managed policies by ARN: AWS managed or existing customer managed
//! (created in the stack: `customer_policy.rs`).

use std::sync::Arc;

use formwork_core::rules::{is_word, StringRule};
use formwork_core::{Expr, Pseudo, Result};

/// AWS managed policy names may carry a path, e.g. `service-role/AWSLambdaRole`.
const AWS_MANAGED_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 640,
    allowed: |c| is_word(c) || "+=,.@-/".contains(c),
    pattern: r"^[\w+=,.@/-]+$",
};

/// A managed policy that can be attached to roles, identified by its ARN.
///
/// ```
/// use formwork_iam::ManagedPolicy;
/// let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
/// assert_eq!(lex.name(), Some("AmazonLexRunBotsOnly"));
/// ```
///
/// Cloning is cheap (a reference count): attaching one policy to many
/// roles shares it.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedPolicy(Arc<PolicyInner>);

#[derive(Debug, PartialEq)]
struct PolicyInner {
    arn: Expr,
    aws_managed_name: Option<String>,
    /// Whether `aws_managed_name` passes its rule, found once rather than
    /// at every attachment.
    name_ok: bool,
}

impl ManagedPolicy {
    fn from_parts(arn: Expr, aws_managed_name: Option<String>) -> Self {
        let name_ok = aws_managed_name
            .as_deref()
            .is_none_or(|name| AWS_MANAGED_NAME_RULE.check_str("", "", name).is_ok());
        ManagedPolicy(Arc::new(PolicyInner {
            arn,
            aws_managed_name,
            name_ok,
        }))
    }
}

impl ManagedPolicy {
    /// An AWS managed policy by name. The ARN uses `AWS::Partition`, so the
    /// template works in every partition (China, GovCloud, ...).
    pub fn aws_managed(name: impl Into<String>) -> Self {
        let name = name.into();
        let arn = Expr::join(
            "",
            [
                Expr::from_static("arn:"),
                Pseudo::Partition.into(),
                format!(":iam::aws:policy/{name}").into(),
            ],
        );
        ManagedPolicy::from_parts(arn, Some(name))
    }

    /// A policy by ARN (any account).
    pub fn from_arn(arn: impl Into<Expr>) -> Self {
        ManagedPolicy::from_parts(arn.into(), None)
    }

    /// A customer managed policy of the deploying account, by name.
    pub fn from_name(name: impl Into<String>) -> Self {
        let suffix = format!(":policy/{}", name.into());
        let arn = Expr::join(
            "",
            [
                Expr::from_static("arn:"),
                Pseudo::Partition.into(),
                Expr::from_static(":iam::"),
                Pseudo::AccountId.into(),
                suffix.into(),
            ],
        );
        ManagedPolicy::from_parts(arn, None)
    }

    /// The policy ARN.
    pub fn arn(&self) -> &Expr {
        &self.0.arn
    }

    /// The name, for AWS managed policies.
    pub fn name(&self) -> Option<&str> {
        self.0.aws_managed_name.as_deref()
    }

    /// Checks the name of an AWS managed policy used as `property`.
    pub(crate) fn check(&self, path: &str, property: &str) -> Result<()> {
        match &self.0.aws_managed_name {
            Some(name) if !self.0.name_ok => AWS_MANAGED_NAME_RULE.check_str(path, property, name),
            _ => Ok(()),
        }
    }
}

impl AsRef<ManagedPolicy> for ManagedPolicy {
    fn as_ref(&self) -> &ManagedPolicy {
        self
    }
}
