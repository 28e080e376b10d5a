//! The identity pool L2 construct.

use formwork_cfn_security::cognito::{
    CfnIdentityPool, CfnIdentityPoolProps, CfnIdentityPoolRoleAttachment,
    CfnIdentityPoolRoleAttachmentProps,
};
use formwork_core::rules::StringRule;
use formwork_core::{Expr, Pseudo, ResourceRef, Result, Scope, SubPart};
use formwork_iam::{ConditionOperator, Conditions, Principal, Role, RoleProps};

use crate::providers::AuthenticationProviders;
use crate::role_mapping::{self, RoleMapping};

/// `IdentityPoolName`: `^[\w\s+=,.@-]+$`, 1–128 characters.
pub const IDENTITY_POOL_NAME_RULE: StringRule = StringRule {
    min: 1,
    max: 128,
    allowed: |c| {
        formwork_core::rules::is_word(c) || c.is_ascii_whitespace() || "+=,.@-".contains(c)
    },
    pattern: r"^[\w\s+=,.@-]+$",
};

/// The federated principal of Cognito identity pools.
pub const COGNITO_IDENTITY_PRINCIPAL: &str = "cognito-identity.amazonaws.com";

/// Props of an [`IdentityPool`].
#[derive(Clone, Debug, Default)]
pub struct IdentityPoolProps {
    /// The pool name; CloudFormation generates one when unset.
    pub identity_pool_name: Option<String>,
    /// Whether guests (unauthenticated identities) may get credentials, with
    /// the unauthenticated role. Off by default.
    pub allow_unauthenticated_identities: bool,
    /// Whether the classic (basic) authflow is allowed. Off by default: the
    /// enhanced flow applies the role's session policy scope-down.
    pub allow_classic_flow: bool,
    /// The role authenticated users get. A role that trusts this pool only is
    /// created when unset.
    pub authenticated_role: Option<Role>,
    /// The role guests get. A role that trusts this pool only is created when unset.
    pub unauthenticated_role: Option<Role>,
    /// Identity providers users sign in with.
    pub authentication_providers: AuthenticationProviders,
    /// Role mappings by provider.
    pub role_mappings: Vec<RoleMapping>,
}

/// An Amazon Cognito identity pool (`AWS::Cognito::IdentityPool`), with its
/// authenticated and unauthenticated roles and the attachment that binds
/// them, as the CDK's `IdentityPool` builds it.
///
/// The default roles carry no permissions, and trust only this pool: their
/// trust policy requires `cognito-identity.amazonaws.com:aud` to equal the
/// pool id, and the `amr` claim to say `authenticated` (or `unauthenticated`).
/// Without the `aud` condition, any identity pool in any account could
/// assume them.
///
/// ```
/// use formwork_core::App;
/// use formwork_cognito::{IdentityPool, IdentityPoolProps};
/// let app = App::new();
/// let stack = app.stack("Demo");
/// let pool = IdentityPool::new(&stack, "Pool", IdentityPoolProps {
///     allow_unauthenticated_identities: true,
///     ..Default::default()
/// }).unwrap();
/// stack.output("PoolId", pool.identity_pool_id());
/// let assembly = app.synth().unwrap();
/// assert_eq!(assembly.stacks[0].template.resources.len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPool {
    resource: ResourceRef,
    authenticated_role: Role,
    unauthenticated_role: Role,
    role_attachment: ResourceRef,
}

impl IdentityPool {
    /// Creates the pool as construct `id` of `scope`.
    pub fn new(scope: &impl Scope, id: &str, props: IdentityPoolProps) -> Result<IdentityPool> {
        let path = scope.child_path(id);
        if let Some(name) = &props.identity_pool_name {
            IDENTITY_POOL_NAME_RULE.check_str(&path, "IdentityPoolName", name)?;
        }
        // CloudFormation requires AllowUnauthenticatedIdentities: it is a
        // required field of the L1, so it is always written.
        let mut pool = CfnIdentityPoolProps::builder()
            .allow_unauthenticated_identities(props.allow_unauthenticated_identities)
            .allow_classic_flow(props.allow_classic_flow)
            .maybe_identity_pool_name(props.identity_pool_name)
            .build();
        props.authentication_providers.apply(&path, &mut pool)?;
        let mappings = (!props.role_mappings.is_empty())
            .then(|| {
                role_mapping::render(
                    &format!("{path}/DefaultRoleAttachment"),
                    &props.role_mappings,
                )
            })
            .transpose()?;

        let scope = scope.child(id)?;
        let resource = CfnIdentityPool::new(&scope, "Resource", pool)?
            .resource()
            .clone();
        let authenticated_role = match props.authenticated_role {
            Some(role) => role,
            None => default_role(&scope, &resource, "Authenticated")?,
        };
        let unauthenticated_role = match props.unauthenticated_role {
            Some(role) => role,
            None => default_role(&scope, &resource, "Unauthenticated")?,
        };
        let attachment = CfnIdentityPoolRoleAttachmentProps::builder()
            .identity_pool_id(resource.to_ref())
            .maybe_role_mappings(mappings)
            .roles([
                ("authenticated", authenticated_role.role_arn()),
                ("unauthenticated", unauthenticated_role.role_arn()),
            ])
            .build();
        let role_attachment = CfnIdentityPoolRoleAttachment::new(
            &scope.child("DefaultRoleAttachment")?,
            "Resource",
            attachment,
        )?
        .resource()
        .clone();
        Ok(IdentityPool {
            resource,
            authenticated_role,
            unauthenticated_role,
            role_attachment,
        })
    }

    /// The identity pool id (`Ref`), e.g. `us-east-1:0123...`.
    pub fn identity_pool_id(&self) -> Expr {
        self.resource.to_ref()
    }

    /// The identity pool name (`Fn::GetAtt Name`).
    pub fn identity_pool_name(&self) -> Expr {
        self.resource.get_att("Name")
    }

    /// The identity pool ARN,
    /// `arn:${AWS::Partition}:cognito-identity:${AWS::Region}:${AWS::AccountId}:identitypool/<id>`.
    pub fn identity_pool_arn(&self) -> Expr {
        Expr::sub_parts([
            SubPart::Text("arn:".into()),
            SubPart::Pseudo(Pseudo::Partition),
            SubPart::Text(":cognito-identity:".into()),
            SubPart::Pseudo(Pseudo::Region),
            SubPart::Text(":".into()),
            SubPart::Pseudo(Pseudo::AccountId),
            SubPart::Text(":identitypool/".into()),
            SubPart::Ref(self.resource.element()),
        ])
    }

    /// The role authenticated users get.
    pub fn authenticated_role(&self) -> &Role {
        &self.authenticated_role
    }

    /// The role guests get.
    pub fn unauthenticated_role(&self) -> &Role {
        &self.unauthenticated_role
    }

    /// The `AWS::Cognito::IdentityPool` resource.
    pub fn resource(&self) -> &ResourceRef {
        &self.resource
    }

    /// The `AWS::Cognito::IdentityPoolRoleAttachment` resource.
    pub fn role_attachment(&self) -> &ResourceRef {
        &self.role_attachment
    }
}

/// A role that only identities of this pool, with the given `amr`, can assume.
fn default_role(scope: &impl Scope, pool: &ResourceRef, kind: &str) -> Result<Role> {
    let amr = kind.to_ascii_lowercase();
    let conditions = Conditions::new()
        .with(
            ConditionOperator::StringEquals,
            "cognito-identity.amazonaws.com:aud",
            pool.to_ref(),
        )
        .with(
            ConditionOperator::StringLike.for_any_value(),
            "cognito-identity.amazonaws.com:amr",
            amr,
        );
    Role::new(
        scope,
        &format!("{kind}Role"),
        RoleProps {
            assumed_by: Some(Principal::web_identity(
                COGNITO_IDENTITY_PRINCIPAL,
                conditions,
            )),
            ..Default::default()
        },
    )
}
