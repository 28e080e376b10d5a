//! Roles defined elsewhere, imported by ARN (the CDK's `Role.fromRoleArn`).

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::{Construct, Error, Expr, Result, Scope};

use crate::grammar::PolicyKind;
use crate::grant::Grantable;
use crate::names::{PATH_RULE, ROLE_NAME_RULE};
use crate::policy::{PolicyDocument, Statement};
use crate::role::{attached_policy, Role};

/// What a role ARN must look like (quoted in errors).
pub const ROLE_ARN_FORMAT: &str =
    "arn:<partition>:iam::<12-digit account>:role/<optional path/>name";

/// Options of [`Role::from_role_arn`].
#[derive(Clone, Copy, Debug)]
pub struct ImportOptions {
    /// Whether grants may add statements to the role, through an
    /// `AWS::IAM::Policy` created in the importing stack (`true` by default,
    /// as the CDK's `mutable`). An immutable role is left as it is: grants
    /// to it add nothing and report no statements.
    pub mutable: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { mutable: true }
    }
}

/// A role defined outside this app (or another stack's role known only by
/// ARN), from [`Role::from_role_arn`].
///
/// A mutable import takes grants as the CDK's `ImportedRole` does: the first
/// statement creates `<id>/Policy/Resource`, an `AWS::IAM::Policy` attached
/// to the role by name in the importing stack. Its `PolicyName` is the
/// logical ID of its path *with* the stack name, so that two stacks
/// importing the same role at the same construct path do not overwrite
/// each other's inline policy (the CDK's
/// `@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName`).
///
/// ```
/// use formwork_core::App;
/// use formwork_iam::{Grant, ImportOptions, Role};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let role = Role::from_role_arn(&stack, "Ops", "arn:aws:iam::111122223333:role/ops/Deployer", ImportOptions::default()).unwrap();
/// assert_eq!(role.role_name().as_str(), Some("Deployer"));
/// let grant = Grant::add_to_principal(&role, ["sqs:SendMessage"], ["*"]).unwrap();
/// assert!(grant.success());
/// let template = &app.synth().unwrap().stacks[0].template;
/// assert_eq!(template.resources.len(), 1); // Ops/Policy/Resource
/// ```
#[derive(Clone, Debug)]
pub struct ImportedRole {
    construct: Construct,
    arn: Expr,
    name: Expr,
    /// Statements of `<id>/Policy`, created with the first; `None` when
    /// immutable.
    policy: Option<Rc<RefCell<Option<Vec<Statement>>>>>,
}

impl Role {
    /// Imports the role `arn` as construct `id` of `scope`.
    ///
    /// A literal ARN is checked ([`ROLE_ARN_FORMAT`]) and the role name is
    /// its last `/` segment; any other value (a parameter, an import) gives
    /// the name `Fn::Select [1, Fn::Split ["/", Fn::Select [5, Fn::Split
    /// [":", arn]]]]`, as the CDK's, which assumes no path. As the CDK, a
    /// role of another account than the stack's (both known) is imported
    /// immutable: the importing account cannot change its policies.
    pub fn from_role_arn(
        scope: &impl Scope,
        id: &str,
        arn: impl Into<Expr>,
        options: ImportOptions,
    ) -> Result<ImportedRole> {
        let arn = arn.into();
        let (name, account) = match arn.as_str() {
            Some(literal) => {
                let parsed = parse_role_arn(&scope.child_path(id), literal)?;
                (Expr::from(parsed.name), Some(parsed.account))
            }
            None => {
                let resource = Expr::select(5, Expr::split(":", arn.clone()));
                (Expr::select(1, Expr::split("/", resource)), None)
            }
        };
        let stack_account = scope.stack().and_then(|s| s.environment().account);
        let other_account = matches!((&account, &stack_account), (Some(a), Some(s)) if a != s);
        let construct = scope.child(id)?;
        let policy = (options.mutable && !other_account).then(|| Rc::new(RefCell::new(None)));
        Ok(ImportedRole {
            construct,
            arn,
            name,
            policy,
        })
    }
}

impl ImportedRole {
    /// The role ARN, as given.
    pub fn role_arn(&self) -> Expr {
        self.arn.clone()
    }

    /// The role name: a literal for a literal ARN.
    pub fn role_name(&self) -> Expr {
        self.name.clone()
    }

    /// Whether grants add statements to the role's policy here.
    pub fn is_mutable(&self) -> bool {
        self.policy.is_some()
    }
}

/// The import's construct: the scope of its policy.
impl Scope for ImportedRole {
    fn construct(&self) -> &Construct {
        &self.construct
    }
}

impl Grantable for ImportedRole {
    fn add_to_principal_policy(&self, statement: Statement) -> Result<Option<Statement>> {
        let Some(policy) = &self.policy else {
            return Ok(None);
        };
        let path = self.construct.path();
        PolicyDocument::new([statement.clone()]).check(PolicyKind::Identity, &path, "Policy")?;
        let mut statements = policy.borrow_mut();
        if statements.is_none() {
            let scope = self.construct.child("Policy")?;
            let components: Vec<String> = scope.path().split('/').map(str::to_owned).collect();
            let state = Rc::downgrade(policy);
            attached_policy(&scope, &components, self.name.clone(), move || {
                state
                    .upgrade()
                    .and_then(|s| s.borrow().clone())
                    .unwrap_or_default()
            })?;
            *statements = Some(Vec::new());
        }
        if let Some(statements) = statements.as_mut() {
            if !statements.contains(&statement) {
                statements.push(statement.clone());
            }
        }
        Ok(Some(statement))
    }
}

/// The parts of a role ARN that an import needs.
struct RoleArn<'a> {
    account: String,
    name: &'a str,
}

/// Checks a literal role ARN against [`ROLE_ARN_FORMAT`].
fn parse_role_arn<'a>(path: &str, arn: &'a str) -> Result<RoleArn<'a>> {
    let invalid = |why: &str| {
        Error::invalid(
            path,
            Some("RoleArn"),
            format!("must be {ROLE_ARN_FORMAT}: {why}, got {arn:?}"),
        )
    };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts[..] else {
        return Err(invalid("it needs six ':'-separated fields"));
    };
    if prefix != "arn" {
        return Err(invalid("it must start with \"arn:\""));
    }
    // aws, aws-cn, aws-us-gov, aws-iso-b, ...
    let partition_ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|rest| {
            rest.split('-')
                .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        });
    if !partition_ok {
        return Err(invalid("the partition must be aws or aws-<name>"));
    }
    if service != "iam" {
        return Err(invalid("the service must be iam"));
    }
    if !region.is_empty() {
        return Err(invalid("IAM is global: the region field must be empty"));
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("the account must be 12 digits"));
    }
    let Some(role) = resource.strip_prefix("role/") else {
        return Err(invalid("the resource must be role/<name>"));
    };
    let (role_path, name) = match role.rfind('/') {
        Some(i) => (&role[..=i], &role[i + 1..]),
        None => ("", role),
    };
    if !role_path.is_empty() {
        PATH_RULE.check_str(path, "RoleArn (path)", &format!("/{role_path}"))?;
    }
    ROLE_NAME_RULE.check_str(path, "RoleArn (role name)", name)?;
    Ok(RoleArn {
        account: account.to_owned(),
        name,
    })
}
