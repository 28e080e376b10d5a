//! IAM roles.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_security::iam::{role, CfnPolicy, CfnPolicyProps, CfnRole, CfnRoleProps};
use formwork_core::rules::check_range;
use formwork_core::{
    CfnResource, Construct, Error, Expr, ExprMap, Issue, ResourceRef, Result, Scope,
};
use indexmap::IndexMap;

use crate::assume_role::AssumeRole;
use crate::grammar::PolicyKind;
use crate::managed_policy::ManagedPolicy;
use crate::names::{check_path, DESCRIPTION_RULE, POLICY_NAME_RULE, ROLE_NAME_RULE};
use crate::policy::{document_expr, PolicyDocument, Statement};

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

/// An IAM role (`AWS::IAM::Role`).
///
/// The role starts with no permissions: only what is attached to it. It
/// keeps its managed policies, inline policies and default-policy
/// statements as typed state, rendered into the template at synthesis, so
/// they can be added at any time (as the CDK's `Role` does).
///
/// ```
/// use formwork_core::App;
/// use formwork_iam::{ManagedPolicy, Principal, Role, RoleProps, Statement};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let role = Role::new(&stack, "Worker", RoleProps {
///     assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
///     ..Default::default()
/// }).unwrap();
/// role.add_managed_policy(&ManagedPolicy::aws_managed("service-role/AWSLambdaBasicExecutionRole")).unwrap();
/// role.add_to_policy(Statement::allow().actions(["sqs:SendMessage"]).resources(["*"])).unwrap();
/// stack.output("RoleArn", role.role_arn());
/// let template = &app.synth().unwrap().stacks[0].template;
/// assert_eq!(template.resources.len(), 2); // the role and its DefaultPolicy
/// ```
#[derive(Clone, Debug)]
pub struct Role {
    resource: ResourceRef,
    state: Rc<RefCell<RoleState>>,
}

impl PartialEq for Role {
    fn eq(&self, other: &Self) -> bool {
        self.resource == other.resource
    }
}

impl Eq for Role {}

/// What a role holds until synthesis.
#[derive(Debug)]
struct RoleState {
    props: RoleProps,
    /// Statements of the role's `DefaultPolicy`, created with the first one.
    /// (Not its `ResourceRef`: the tree holds this state through the role's
    /// lazy properties, and a handle here would keep the app alive forever.)
    default_policy: Option<Vec<Statement>>,
}

impl Role {
    /// Creates a role as construct `id` of `scope` (its resource is `id/Resource`).
    pub fn new(scope: &impl Scope, id: &str, props: RoleProps) -> Result<Role> {
        // The construct path is only built for an error message.
        if check_props("", &props).is_err() {
            check_props(&scope.child_path(id), &props)?;
        }
        let mut props = props;
        dedup_managed(&mut props.managed_policies);
        let node = scope.child(id)?;
        let resource = node.add_resource("Resource", CfnResource::new(CfnRole::TYPE_NAME))?;
        resource.add_check(check_quotas);
        let state = Rc::new(RefCell::new(RoleState {
            props,
            default_policy: None,
        }));
        let rendered = state.clone();
        resource.set_lazy_properties(move || render(&rendered.borrow().props));
        Ok(Role { resource, state })
    }

    /// The underlying resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }

    /// The role's construct (the scope of its resource and default policy).
    pub fn construct(&self) -> Construct {
        self.resource.owner()
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

    /// The managed policies attached so far.
    pub fn managed_policies(&self) -> Vec<ManagedPolicy> {
        self.state.borrow().props.managed_policies.clone()
    }

    /// Attaches a managed policy, unless it is attached already. Returns
    /// whether it was added.
    pub fn add_managed_policy(&self, policy: &ManagedPolicy) -> Result<bool> {
        if policy.check("", "ManagedPolicyArns").is_err() {
            // The path (of the resource, as before) is only built for the message.
            policy.check(&self.resource.path(), "ManagedPolicyArns")?;
        }
        let mut state = self.state.borrow_mut();
        let managed = &mut state.props.managed_policies;
        if managed.iter().any(|p| p.arn() == policy.arn()) {
            return Ok(false);
        }
        managed.push(policy.clone());
        Ok(true)
    }

    /// Adds an inline policy named `name` to the role's `Policies`.
    pub fn add_inline_policy(&self, name: &str, document: PolicyDocument) -> Result<()> {
        // Errors name the role's resource, as they always have.
        let path = self.resource.path();
        POLICY_NAME_RULE.check_str(&path, "Policies.PolicyName", name)?;
        document.check(PolicyKind::Identity, &path, &format!("Policies.{name}"))?;
        let mut state = self.state.borrow_mut();
        let policies = &mut state.props.inline_policies;
        if policies.contains_key(name) {
            return Err(Error::invalid(
                path,
                Some("Policies"),
                format!("an inline policy named {name:?} exists already"),
            ));
        }
        policies.insert(name.to_owned(), document);
        Ok(())
    }

    /// Adds a statement to the role's default policy (an `AWS::IAM::Policy`
    /// named `DefaultPolicy` under the role, created with the first
    /// statement, as the CDK's `addToPrincipalPolicy`). Returns the
    /// statement as added.
    pub fn add_to_policy(&self, statement: Statement) -> Result<Statement> {
        PolicyDocument::new([statement.clone()]).check(
            PolicyKind::Identity,
            &self.resource.path(),
            "DefaultPolicy",
        )?;
        let mut state = self.state.borrow_mut();
        if state.default_policy.is_none() {
            self.create_default_policy()?;
            state.default_policy = Some(Vec::new());
        }
        if let Some(statements) = &mut state.default_policy {
            if !statements.contains(&statement) {
                statements.push(statement.clone());
            }
        }
        Ok(statement)
    }

    /// The `DefaultPolicy` resource, rendered from the role's statements.
    fn create_default_policy(&self) -> Result<ResourceRef> {
        let scope = self.construct().child("DefaultPolicy")?;
        let state = Rc::downgrade(&self.state);
        // Named after its logical ID, as the CDK names it.
        let components = scope
            .path()
            .split('/')
            .skip(1)
            .map(str::to_owned)
            .collect::<Vec<_>>();
        attached_policy(&scope, &components, self.role_name(), move || {
            state
                .upgrade()
                .and_then(|s| s.borrow().default_policy.clone())
                .unwrap_or_default()
        })
    }
}

/// An `AWS::IAM::Policy` as `scope/Resource`, attached to `role_name`,
/// whose statements `statements` gives at synthesis. Its `PolicyName` is
/// the logical ID of `components` + `Resource` (at most 128 characters).
pub(crate) fn attached_policy(
    scope: &Construct,
    components: &[String],
    role_name: Expr,
    statements: impl Fn() -> Vec<Statement> + 'static,
) -> Result<ResourceRef> {
    let policy = scope.add_resource("Resource", CfnResource::new(CfnPolicy::TYPE_NAME))?;
    let mut components = components.to_vec();
    components.push("Resource".to_owned());
    let name = formwork_core::logical_id::logical_id(&components).unwrap_or_default();
    let name: String = name.chars().take(128).collect();
    policy.set_lazy_properties(move || {
        let props = CfnPolicyProps::builder()
            .policy_document(PolicyDocument::new(statements()).into_expr())
            .policy_name(name.as_str())
            .roles(vec![role_name.clone()])
            .build();
        CfnResource::from(props).properties
    });
    Ok(policy)
}

/// Keeps the first of each managed policy (by ARN).
fn dedup_managed(policies: &mut Vec<ManagedPolicy>) {
    let mut seen: Vec<Expr> = Vec::with_capacity(policies.len());
    policies.retain(|p| {
        let new = !seen.contains(p.arn());
        if new {
            seen.push(p.arn().clone());
        }
        new
    });
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
    for (name, document) in &props.inline_policies {
        POLICY_NAME_RULE.check_str(path, "Policies.PolicyName", name)?;
        document.check(PolicyKind::Identity, path, &format!("Policies.{name}"))?;
    }
    if let Some(trust) = &props.trust_policy {
        trust.check(PolicyKind::Trust, path, "AssumeRolePolicyDocument")?;
    }
    Ok(())
}

/// The role's properties, through the generated `AWS::IAM::Role` L1
/// (which renders them in alphabetical order, as the CDK does).
fn render(props: &RoleProps) -> ExprMap {
    // The trust policy: the explicit statements, then `assumed_by`'s.
    let mut statements: Vec<Expr> = props
        .trust_policy
        .iter()
        .flat_map(|t| t.statements.iter().map(Statement::to_expr))
        .collect();
    if let Some(assumed_by) = &props.assumed_by {
        statements.push(assumed_by.clone().into_statement_expr());
    }
    let trust = document_expr(statements);
    let policies: Vec<role::Policy> = props
        .inline_policies
        .iter()
        .map(|(name, document)| role::Policy::new(document.to_expr(), name.as_str()))
        .collect();
    let managed: Vec<Expr> = props
        .managed_policies
        .iter()
        .map(|p| p.arn().clone())
        .collect();
    let props = CfnRoleProps::builder()
        .assume_role_policy_document(trust)
        .maybe_description(props.description.clone())
        .maybe_managed_policy_arns((!managed.is_empty()).then_some(managed))
        .maybe_max_session_duration(props.max_session_duration)
        .maybe_path(props.path.clone())
        .maybe_permissions_boundary(props.permissions_boundary.as_ref().map(|p| p.arn().clone()))
        .maybe_policies((!policies.is_empty()).then_some(policies))
        .maybe_role_name(props.role_name.clone())
        .build();
    CfnResource::from(props).properties
}

/// Quotas that only the synthesized role can tell: attachments may come
/// after creation, and the trust policy's size depends on resolved references.
fn check_quotas(properties: &serde_json::Map<String, serde_json::Value>, issues: &mut Vec<Issue>) {
    if let Some(count) = properties
        .get("ManagedPolicyArns")
        .and_then(|arns| arns.as_array())
        .map(Vec::len)
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
        let chars = non_whitespace_chars(doc);
        if chars > MAX_TRUST_POLICY_CHARS {
            issues.push(Issue::property(
                "AssumeRolePolicyDocument",
                format!("the trust policy is {chars} characters (whitespace excluded); IAM allows at most {MAX_TRUST_POLICY_CHARS}"),
            ));
        }
    }
}

/// The characters IAM counts against a policy quota: those of the compact
/// JSON, whitespace excluded.
fn non_whitespace_chars(document: &serde_json::Value) -> usize {
    serde_json::to_string(document)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}
