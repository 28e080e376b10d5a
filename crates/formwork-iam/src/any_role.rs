//! A role of this app or an imported one, for whatever takes "a role" (the
//! CDK's `IRole`): a Lex bot's role, say.

use formwork_core::{Expr, Result};

use crate::grant::Grantable;
use crate::imported_role::ImportedRole;
use crate::policy::Statement;
use crate::role::Role;

/// A [`Role`] of this app, or an [`ImportedRole`]. Both convert into it,
/// owned or by reference.
///
/// ```
/// use formwork_core::App;
/// use formwork_iam::{AnyRole, ImportOptions, Role};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let arn = "arn:aws:iam::111122223333:role/aws-service-role/lexv2.amazonaws.com/AWSServiceRoleForLexV2Bots";
/// let imported = Role::from_role_arn(&stack, "LexRole", arn, ImportOptions::default()).unwrap();
/// let role: AnyRole = (&imported).into();
/// assert_eq!(role.role_arn(), arn.into());
/// assert!(role.as_role().is_none());
/// ```
#[derive(Clone, Debug)]
pub enum AnyRole {
    /// A role of this app.
    Own(Role),
    /// A role imported by ARN.
    Imported(ImportedRole),
}

impl AnyRole {
    /// The role ARN.
    pub fn role_arn(&self) -> Expr {
        match self {
            AnyRole::Own(r) => r.role_arn(),
            AnyRole::Imported(r) => r.role_arn(),
        }
    }

    /// The role name.
    pub fn role_name(&self) -> Expr {
        match self {
            AnyRole::Own(r) => r.role_name(),
            AnyRole::Imported(r) => r.role_name(),
        }
    }

    /// The role, when it is one of this app's.
    pub fn as_role(&self) -> Option<&Role> {
        match self {
            AnyRole::Own(r) => Some(r),
            AnyRole::Imported(_) => None,
        }
    }
}

impl Grantable for AnyRole {
    fn add_to_principal_policy(&self, statement: Statement) -> Result<Option<Statement>> {
        match self {
            AnyRole::Own(r) => r.add_to_principal_policy(statement),
            AnyRole::Imported(r) => r.add_to_principal_policy(statement),
        }
    }
}

impl From<Role> for AnyRole {
    fn from(role: Role) -> Self {
        AnyRole::Own(role)
    }
}

impl From<&Role> for AnyRole {
    fn from(role: &Role) -> Self {
        AnyRole::Own(role.clone())
    }
}

impl From<ImportedRole> for AnyRole {
    fn from(role: ImportedRole) -> Self {
        AnyRole::Imported(role)
    }
}

impl From<&ImportedRole> for AnyRole {
    fn from(role: &ImportedRole) -> Self {
        AnyRole::Imported(role.clone())
    }
}
