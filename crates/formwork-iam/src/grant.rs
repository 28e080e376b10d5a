//! Grants: permissions given to a principal by the resource they are on,
//! as the CDK's `IGrantable` and `Grant` (docs/ARCHITECTURE.md, "Grants").
//!
//! A resource's `grant_*` method builds the statement (its actions on its
//! own ARNs) and hands it to the grantee, which adds it to its own policy:
//! for a [`Role`], its `DefaultPolicy`. The statement refers to the resource
//! by `Expr`, so a grantee in another stack gets an export and an import,
//! like any other cross-stack reference.

use formwork_core::{Expr, Result};

use crate::policy::Statement;
use crate::role::Role;

/// A principal that permissions can be granted to (the CDK's `IGrantable`).
pub trait Grantable {
    /// Adds `statement` to the principal's own policy. Returns the statement
    /// as added, or `None` when this principal's policy cannot be changed
    /// (an imported role whose policies are managed elsewhere).
    fn add_to_principal_policy(&self, statement: Statement) -> Result<Option<Statement>>;
}

impl Grantable for Role {
    fn add_to_principal_policy(&self, statement: Statement) -> Result<Option<Statement>> {
        self.add_to_policy(statement).map(Some)
    }
}

/// What a grant added: the statements, in the grantee's policy (the CDK's `Grant`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grant {
    statements: Vec<Statement>,
}

impl Grant {
    /// Allows `actions` on `resources` to `grantee`, through its own policy.
    ///
    /// ```
    /// use formwork_core::App;
    /// use formwork_iam::{Grant, Principal, Role, RoleProps};
    /// let app = App::new();
    /// let stack = app.stack("Demo");
    /// let role = Role::new(&stack, "Reader", RoleProps {
    ///     assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
    ///     ..Default::default()
    /// }).unwrap();
    /// let grant = Grant::add_to_principal(&role, ["sqs:ReceiveMessage"], ["arn:aws:sqs:us-east-1:111122223333:jobs"]).unwrap();
    /// assert!(grant.success());
    /// assert_eq!(grant.statements().len(), 1);
    /// ```
    pub fn add_to_principal<A, R>(
        grantee: &impl Grantable,
        actions: impl IntoIterator<Item = A>,
        resources: impl IntoIterator<Item = R>,
    ) -> Result<Grant>
    where
        A: Into<Expr>,
        R: Into<Expr>,
    {
        let statement = Statement::allow().actions(actions).resources(resources);
        let statements = grantee
            .add_to_principal_policy(statement)?
            .into_iter()
            .collect();
        Ok(Grant { statements })
    }

    /// The statements added, in the order they were added.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// Whether the grant added anything (false for an immutable import).
    pub fn success(&self) -> bool {
        !self.statements.is_empty()
    }

    /// Both grants' statements, as one grant (e.g. a bucket's read and write).
    pub fn combine(mut self, other: Grant) -> Grant {
        self.statements.extend(other.statements);
        self
    }
}
