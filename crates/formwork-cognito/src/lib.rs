//! Amazon Cognito identity pool constructs for formwork.
//!
//! [`IdentityPool`] builds what the AWS CDK's `IdentityPool` builds: the
//! pool, its authenticated and unauthenticated roles (trusting this pool
//! only), and the role attachment, with role mappings and login providers.

#![warn(missing_docs)]

mod identity_pool;
mod imported_pool;
mod providers;
mod role_mapping;

pub use identity_pool::{
    IdentityPool, IdentityPoolProps, COGNITO_IDENTITY_PRINCIPAL, IDENTITY_POOL_NAME_RULE,
};
pub use imported_pool::{ImportedIdentityPool, IDENTITY_POOL_ID_FORMAT};
pub use providers::{
    provider_keys, AuthenticationProviders, TwitterProvider, UserPoolProvider,
    DEVELOPER_PROVIDER_RULE,
};
pub use role_mapping::{MatchType, ProviderUrl, RoleMapping, RoleMappingRule};
