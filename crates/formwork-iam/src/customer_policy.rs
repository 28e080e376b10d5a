//! Customer managed policies created in the stack, and the attachment of
//! a managed policy to a role.

use formwork_cfn_security::iam::{CfnManagedPolicy, CfnManagedPolicyProps};
use formwork_core::{Error, Expr, ResourceRef, Result, Scope};

use crate::grammar::PolicyKind;
use crate::managed_policy::ManagedPolicy;
use crate::names::{check_path, DESCRIPTION_RULE, POLICY_NAME_RULE};
use crate::policy::PolicyDocument;
use crate::role::Role;

impl ManagedPolicy {
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
            DESCRIPTION_RULE.check_str(&path, "Description", d)?;
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
