//! IAM constructs for formwork: policy documents, principals, roles and
//! managed policies.
//!
//! Security-relevant defaults are spelled out: a [`Role`] carries no
//! permissions but those attached, managed policy ARNs use `AWS::Partition`,
//! and names are left to CloudFormation unless you set one.

#![warn(missing_docs)]

mod grammar;
mod grant;
mod imported_role;
mod managed_policy;
mod policy;
mod principal;
mod role;

pub use grammar::PolicyKind;
pub use grant::{Grant, Grantable};
pub use imported_role::{ImportOptions, ImportedRole, ROLE_ARN_FORMAT};
pub use managed_policy::{
    CustomerManagedPolicy, ManagedPolicy, ManagedPolicyAttachment, ManagedPolicyProps,
    POLICY_NAME_RULE,
};
pub use policy::{
    ConditionOperator, Conditions, Effect, PolicyDocument, QualifiedOperator, Statement,
    POLICY_VERSION,
};
pub use principal::{AssumeRole, Principal};
pub use role::{
    Role, RoleProps, DESCRIPTION_RULE, MAX_MANAGED_POLICIES, MAX_TRUST_POLICY_CHARS, PATH_RULE,
    ROLE_NAME_RULE,
};
