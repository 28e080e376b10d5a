//! IAM constructs for formwork: policy documents, principals, roles and
//! managed policies.
//!
//! Security-relevant defaults are spelled out: a [`Role`] carries no
//! permissions but those attached, managed policy ARNs use `AWS::Partition`,
//! and names are left to CloudFormation unless you set one.

#![warn(missing_docs)]

mod any_role;
mod assume_role;
mod customer_policy;
mod grammar;
mod grant;
mod imported_role;
mod managed_policy;
mod names;
mod one_or_list;
mod policy;
mod principal;
mod role;

pub use any_role::AnyRole;
pub use assume_role::AssumeRole;
pub use customer_policy::{CustomerManagedPolicy, ManagedPolicyAttachment, ManagedPolicyProps};
pub use grammar::PolicyKind;
pub use grant::{Grant, Grantable};
pub use imported_role::{ImportOptions, ImportedRole, ROLE_ARN_FORMAT};
pub use managed_policy::ManagedPolicy;
pub use names::{DESCRIPTION_RULE, PATH_RULE, POLICY_NAME_RULE, ROLE_NAME_RULE};
pub use policy::{
    ConditionOperator, Conditions, Effect, PolicyDocument, QualifiedOperator, Statement,
    POLICY_VERSION,
};
pub use principal::Principal;
pub use role::{Role, RoleProps, MAX_MANAGED_POLICIES, MAX_TRUST_POLICY_CHARS};
