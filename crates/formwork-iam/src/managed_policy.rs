//! Managed policies: AWS managed, existing customer managed, or created in
//! the stack, and their attachment to roles.

use std::sync::Arc;

use formwork_cfn_security::iam::{CfnManagedPolicy, CfnManagedPolicyProps};
use formwork_core::rules::{is_word, StringRule};
use formwork_core::{Error, Expr, Pseudo, ResourceRef, Result, Scope};

use crate::grammar::PolicyKind;
use crate::policy::PolicyDocument;
use crate::role::{check_path, Role};

/// The rule for managed policy names (`ManagedPolicyName`).
pub const POLICY_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 128,
    allowed: |c| is_word(c) || "+=,.@-".contains(c),
    pattern: r"^[\w+=,.@-]+$",
};

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

    /// Creates a customer managed policy (`AWS::IAM::ManagedPolicy`) in `scope`.
    pub fn create(
        scope: &impl Scope,
        id: &str,
        props: ManagedPolicyProps,
    ) -> Result<CustomerManagedPolicy> {
        let path = scope.child_path(id);
        if props.document.is_empty() {
            return Err(Error::invalid(
                path,
                Some("PolicyDocument"),
                "a managed policy needs at least one statement",
            ));
        }
        props
            .document
            .check(PolicyKind::Identity, &path, "PolicyDocument")?;
        if let Some(name) = &props.managed_policy_name {
            POLICY_NAME_RULE.check_str(&path, "ManagedPolicyName", name)?;
        }
        if let Some(p) = &props.path {
            check_path(&path, p)?;
        }
        if let Some(d) = &props.description {
            crate::role::DESCRIPTION_RULE.check_str(&path, "Description", d)?;
        }
        // The generated `PolicyDocument` is typed `Value<String>` (the schema
        // allows a JSON string or an object): the document goes in as an `Expr`.
        let cfn_props = CfnManagedPolicyProps::builder()
            .policy_document(props.document.into_expr())
            .maybe_description(props.description)
            .maybe_managed_policy_name(props.managed_policy_name)
            .maybe_path(props.path)
            .build();
        let resource = CfnManagedPolicy::new(&scope.child(id)?, "Resource", cfn_props)?
            .resource()
            .clone();
        let policy = CustomerManagedPolicy {
            policy: ManagedPolicy::from_arn(resource.to_ref()),
            resource,
        };
        for role in &props.roles {
            role.add_managed_policy(&policy.policy)?;
        }
        Ok(policy)
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

/// Props of a customer managed policy.
#[derive(Clone, Debug, Default)]
pub struct ManagedPolicyProps {
    /// The policy document (required, at least one statement).
    pub document: PolicyDocument,
    /// A fixed name; leave unset so that CloudFormation generates one (a fixed
    /// name needs `CAPABILITY_NAMED_IAM` and blocks replacement).
    pub managed_policy_name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// IAM path.
    pub path: Option<String>,
    /// Roles to attach the policy to.
    pub roles: Vec<Role>,
}

/// A customer managed policy created in the stack.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerManagedPolicy {
    resource: ResourceRef,
    policy: ManagedPolicy,
}

impl CustomerManagedPolicy {
    /// The policy, for attaching to roles.
    pub fn policy(&self) -> &ManagedPolicy {
        &self.policy
    }

    /// The underlying `AWS::IAM::ManagedPolicy`.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }

    /// The policy ARN (`Ref`).
    pub fn policy_arn(&self) -> Expr {
        self.resource.to_ref()
    }
}

impl AsRef<ManagedPolicy> for CustomerManagedPolicy {
    fn as_ref(&self) -> &ManagedPolicy {
        &self.policy
    }
}

impl AsRef<ManagedPolicy> for ManagedPolicy {
    fn as_ref(&self) -> &ManagedPolicy {
        self
    }
}

/// The attachment of a managed policy to a role: a thin way to say
/// `role.add_managed_policy(&policy)`.
///
/// CloudFormation has no resource type that attaches an AWS managed policy
/// to a role, so the attachment renders into the role's `ManagedPolicyArns`
/// (without duplicates), as the CDK's `addManagedPolicy` does.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagedPolicyAttachment {
    /// The role.
    pub role: Role,
    /// The policy.
    pub policy: ManagedPolicy,
}

impl ManagedPolicyAttachment {
    /// Attaches `policy` to `role`.
    pub fn new(role: &Role, policy: impl AsRef<ManagedPolicy>) -> Result<Self> {
        let policy = policy.as_ref();
        role.add_managed_policy(policy)?;
        Ok(ManagedPolicyAttachment {
            role: role.clone(),
            policy: policy.clone(),
        })
    }
}
