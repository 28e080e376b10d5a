//! IAM roles.

use formwork_cfn::iam::{role, CfnRole, CfnRoleProps};
use formwork_cfn::support::Value;
use formwork_core::rules::{check_range, is_word, StringRule};
use formwork_core::{Error, Expr, Issue, Resolved, ResourceRef, Result, Scope, Stack};
use indexmap::IndexMap;

use crate::managed_policy::{ManagedPolicy, POLICY_NAME_RULE};
use crate::policy::{document_expr, PolicyDocument, Statement};
use crate::principal::AssumeRole;

/// `RoleName`: `^[\w+=,.@-]+$`, 1–64 characters.
pub const ROLE_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 64,
    allowed: |c| is_word(c) || "+=,.@-".contains(c),
    pattern: r"^[\w+=,.@-]+$",
};

/// `Path`: `/` or `/.../`, printable ASCII, 1–512 characters.
pub const PATH_RULE: StringRule = StringRule {
    min: 1,
    max: 512,
    allowed: |c| ('\u{21}'..='\u{7e}').contains(&c),
    pattern: r"^(/|/[\x21-\x7E]+/)$",
};

/// `Description`: up to 1,000 characters of printable Latin-1.
pub const DESCRIPTION_RULE: StringRule = StringRule {
    min: 0,
    max: 1000,
    allowed: |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}'),
    pattern: r"^[\t\n\r\x20-\x7E\xA1-\xFF]*$",
};

/// The default quota of managed policies per role (it can be raised to 20
/// through Service Quotas; turn validation off for such accounts).
pub const MAX_MANAGED_POLICIES: usize = 10;
/// The default quota of a role trust policy, in characters, whitespace excluded.
pub const MAX_TRUST_POLICY_CHARS: usize = 2048;

/// Props of a [`Role`].
#[derive(Clone, Debug, Default)]
pub struct RoleProps {
    /// Who may assume the role. Required unless `trust_policy` is given.
    pub assumed_by: Option<AssumeRole>,
    /// An explicit trust policy; `assumed_by`, when also given, is added to it.
    pub trust_policy: Option<PolicyDocument>,
    /// A fixed role name. Leave unset so that CloudFormation generates one:
    /// a fixed name needs `CAPABILITY_NAMED_IAM` and prevents replacement.
    pub role_name: Option<String>,
    /// IAM path, `/` by default.
    pub path: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Maximum session duration in seconds, 3600–43200 (1 hour by default).
    pub max_session_duration: Option<u32>,
    /// A permissions boundary.
    pub permissions_boundary: Option<ManagedPolicy>,
    /// Inline policies, by policy name.
    pub inline_policies: IndexMap<String, PolicyDocument>,
    /// Managed policies to attach.
    pub managed_policies: Vec<ManagedPolicy>,
}

/// An IAM role (`AWS::IAM::Role`): a cheap handle to the resource.
///
/// The role starts with no permissions: only what is attached to it.
///
/// ```
/// use formwork_core::App;
/// use formwork_iam::{ManagedPolicy, Principal, Role, RoleProps};
/// let mut app = App::new();
/// let stack = app.stack("Demo");
/// let role = Role::new(stack, "Worker", RoleProps {
///     assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
///     ..Default::default()
/// }).unwrap();
/// role.add_managed_policy(stack, &ManagedPolicy::aws_managed("service-role/AWSLambdaBasicExecutionRole")).unwrap();
/// stack.output("RoleArn", role.role_arn());
/// assert!(app.synth().is_ok());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Role {
    resource: ResourceRef,
}

impl Role {
    /// Creates a role as construct `id` of `scope` (its resource is `id/Resource`).
    pub fn new(scope: &mut impl Scope, id: &str, props: RoleProps) -> Result<Role> {
        // The construct path is only built for an error message.
        if check_props("", &props).is_err() {
            check_props(&scope.child_path(id), &props)?;
        }
        let props = cfn_props(props);
        let mut scope = scope.child(id)?;
        let resource = CfnRole::new(&mut scope, "Resource", props)?.resource();
        scope
            .stack_mut()
            .resource_mut(resource)?
            .add_check(check_quotas);
        Ok(Role { resource })
    }

    /// A role handle over an existing `AWS::IAM::Role` resource of the tree.
    pub fn from_resource(resource: ResourceRef) -> Role {
        Role { resource }
    }

    /// The underlying resource.
    pub fn resource(&self) -> ResourceRef {
        self.resource
    }

    /// The role name (`Ref`).
    pub fn role_name(&self) -> Expr {
        self.resource.to_ref()
    }

    /// The role ARN (`Fn::GetAtt Arn`).
    pub fn role_arn(&self) -> Expr {
        self.resource.get_att("Arn")
    }

    /// The role's unique id (`Fn::GetAtt RoleId`).
    pub fn role_id(&self) -> Expr {
        self.resource.get_att("RoleId")
    }

    /// Attaches a managed policy, unless it is attached already. Returns
    /// whether it was added. The role must belong to `stack`.
    pub fn add_managed_policy(&self, stack: &mut Stack, policy: &ManagedPolicy) -> Result<bool> {
        if policy.check("", "ManagedPolicyArns").is_err() {
            // The construct path is only built for the error message.
            let path = stack
                .path_of_element(self.resource.element())
                .unwrap_or_else(|| stack.name().to_owned());
            policy.check(&path, "ManagedPolicyArns")?;
        }
        let role = stack.resource_mut(self.resource)?;
        Ok(role.push_unique("ManagedPolicyArns", policy.arn().clone()))
    }

    /// Adds an inline policy named `name`. The role must belong to `stack`.
    pub fn add_inline_policy(
        &self,
        stack: &mut Stack,
        name: &str,
        document: &PolicyDocument,
    ) -> Result<()> {
        let path = stack
            .path_of_element(self.resource.element())
            .unwrap_or_else(|| stack.name().to_owned());
        POLICY_NAME_RULE.check_str(&path, "Policies.PolicyName", name)?;
        let role = stack.resource_mut(self.resource)?;
        let entry = inline_policy(name, document);
        if let Some(Expr::List(existing)) = role.properties.get("Policies") {
            if existing.iter().any(
                |p| matches!(p, Expr::Map(m) if m.get("PolicyName") == Some(&Expr::from(name))),
            ) {
                return Err(Error::invalid(
                    path,
                    Some("Policies"),
                    format!("an inline policy named {name:?} exists already"),
                ));
            }
        }
        role.push_unique("Policies", entry);
        Ok(())
    }
}

/// An entry of the role's `Policies`, rendered as the L1's `Policy` renders it.
fn inline_policy(name: &str, document: &PolicyDocument) -> Expr {
    use formwork_cfn::support::Render;
    role::Policy::new(document.to_expr(), name).render()
}

/// Checks an IAM `Path`: [`PATH_RULE`]'s length and characters, and the
/// `/.../` shape that a character class cannot say.
pub(crate) fn check_path(path: &str, value: &str) -> Result<()> {
    PATH_RULE.check_str(path, "Path", value)?;
    if value.starts_with('/') && value.ends_with('/') {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            Some("Path"),
            format!("must be \"/\" or start and end with '/', got {value:?}"),
        ))
    }
}

/// Checks the props of the role at construct path `path`.
fn check_props(path: &str, props: &RoleProps) -> Result<()> {
    if props.assumed_by.is_none() && props.trust_policy.as_ref().is_none_or(|t| t.is_empty()) {
        return Err(Error::invalid(
            path,
            Some("AssumeRolePolicyDocument"),
            "a role needs a trust policy: set assumed_by (or trust_policy) to say who may assume it",
        ));
    }
    if let Some(name) = &props.role_name {
        ROLE_NAME_RULE.check_str(path, "RoleName", name)?;
    }
    if let Some(p) = &props.path {
        check_path(path, p)?;
    }
    if let Some(d) = &props.description {
        DESCRIPTION_RULE.check_str(path, "Description", d)?;
    }
    if let Some(seconds) = props.max_session_duration {
        check_range(path, "MaxSessionDuration", &seconds.into(), 3600, 43200)?;
    }
    for policy in &props.managed_policies {
        policy.check(path, "ManagedPolicyArns")?;
    }
    if let Some(boundary) = &props.permissions_boundary {
        boundary.check(path, "PermissionsBoundary")?;
    }
    for name in props.inline_policies.keys() {
        POLICY_NAME_RULE.check_str(path, "Policies.PolicyName", name)?;
    }
    Ok(())
}

/// Converts checked props to the props of the generated `AWS::IAM::Role`
/// L1 (which renders them in alphabetical order, as the CDK does).
fn cfn_props(props: RoleProps) -> CfnRoleProps {
    // The trust policy: the explicit statements, then `assumed_by`'s.
    let explicit = props.trust_policy.map_or(Vec::new(), |t| t.statements);
    let mut statements =
        Vec::with_capacity(explicit.len() + usize::from(props.assumed_by.is_some()));
    statements.extend(explicit.into_iter().map(Statement::into_expr));
    if let Some(assumed_by) = props.assumed_by {
        statements.push(assumed_by.into_statement_expr());
    }
    let trust = document_expr(statements);

    let mut policies = Vec::with_capacity(props.inline_policies.len());
    for (name, document) in props.inline_policies {
        policies.push(Value::Literal(role::Policy::new(
            document.into_expr(),
            name,
        )));
    }
    let mut managed: Vec<Value<String>> = Vec::with_capacity(props.managed_policies.len());
    for p in &props.managed_policies {
        let arn = Value::Expr(p.arn().clone());
        if !managed.contains(&arn) {
            managed.push(arn);
        }
    }
    CfnRoleProps {
        description: props.description.map(Into::into),
        managed_policy_arns: (!managed.is_empty()).then(|| managed.into()),
        max_session_duration: props.max_session_duration.map(Into::into),
        path: props.path.map(Into::into),
        permissions_boundary: props
            .permissions_boundary
            .map(|p| Value::Expr(p.arn().clone())),
        policies: (!policies.is_empty()).then(|| policies.into()),
        role_name: props.role_name.map(Into::into),
        ..CfnRoleProps::new(trust)
    }
}

/// Quotas that only the synthesized role can tell: attachments may come
/// after creation, and the trust policy's size depends on resolved references.
fn check_quotas(properties: Resolved<'_>, issues: &mut Vec<Issue>) {
    if let Some(count) = properties
        .get("ManagedPolicyArns")
        .and_then(|arns| arns.list_len())
    {
        if count > MAX_MANAGED_POLICIES {
            issues.push(Issue::property(
                "ManagedPolicyArns",
                format!(
                    "{count} managed policies attached; IAM allows at most {MAX_MANAGED_POLICIES} per role by default (combine policies, or raise the quota in Service Quotas and call App::set_validation(false))"
                ),
            ));
        }
    }
    if let Some(doc) = properties.get("AssumeRolePolicyDocument") {
        if let Some(chars) = doc.non_whitespace_chars_over(MAX_TRUST_POLICY_CHARS) {
            issues.push(Issue::property(
                "AssumeRolePolicyDocument",
                format!("the trust policy is {chars} characters (whitespace excluded); IAM allows at most {MAX_TRUST_POLICY_CHARS}"),
            ));
        }
    }
}
