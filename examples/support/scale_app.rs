//! The apps behind `examples/scale.rs`, shared with the benchmarks
//! (`benches/synth.rs`) and the tests (`tests/scale.rs`) through `#[path]`,
//! so that what is measured is exactly what the example runs.
//!
//! - `pool N`: N copies of the lex-web-bot pattern (an identity pool, its two
//!   default roles and their attachment, `AmazonLexRunBotsOnly` on both
//!   roles), [`POOLS_PER_STACK`] copies per stack.
//! - `roles N`: N IAM roles trusting a Cognito identity pool of their stack
//!   (the `aud`/`amr` web-identity trust policy) with `AmazonLexRunBotsOnly`
//!   attached, [`ROLES_PER_STACK`] roles per stack.
//!
//! Stacks stay within CloudFormation's quotas: 4 resources and 1 output per
//! pool copy (400 resources, 100 outputs per stack); 400 roles plus the pool
//! and 1 output per roles stack.

#![allow(dead_code)] // each includer uses a different part

use formwork::cognito::{IdentityPool, IdentityPoolProps, COGNITO_IDENTITY_PRINCIPAL};
use formwork::iam::{
    ConditionOperator, Conditions, ManagedPolicy, ManagedPolicyAttachment, Principal, Role,
    RoleProps,
};
use formwork::nag::{AppliesTo, NagSuppressions, Suppression};
use formwork::{App, CfnResource, Result, Scope, Stack};

/// Pool copies per stack (4 resources and 1 output each).
pub const POOLS_PER_STACK: usize = 100;
/// Roles per stack (plus one identity pool).
pub const ROLES_PER_STACK: usize = 400;

/// What to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// N copies of the lex-web-bot pattern.
    Pool(usize),
    /// N roles.
    Roles(usize),
}

impl Scale {
    /// Parses `pool N` / `roles N`.
    pub fn parse(kind: &str, n: &str) -> Option<Scale> {
        let n: usize = n.replace('_', "").parse().ok()?;
        match kind {
            "pool" | "pools" => Some(Scale::Pool(n)),
            "roles" | "role" => Some(Scale::Roles(n)),
            _ => None,
        }
    }

    /// Number of stacks the app will have.
    pub fn stack_count(self) -> usize {
        match self {
            Scale::Pool(n) => n.div_ceil(POOLS_PER_STACK),
            Scale::Roles(n) => n.div_ceil(ROLES_PER_STACK),
        }
    }

    /// An app with the stacks of this scale.
    pub fn app(self) -> Result<App> {
        let app = App::new();
        self.build(&app)?;
        Ok(app)
    }

    /// Adds the stacks of this scale to `app`.
    pub fn build(self, app: &App) -> Result<()> {
        match self {
            Scale::Pool(n) => build_pools(app, n),
            Scale::Roles(n) => build_roles(app, n),
        }
    }
}

/// The rule-pack findings of the lex-web-bot pattern, acknowledged once per
/// stack (template `Metadata`, so the resources stay as they are): guests
/// in the pool, and the tutorial's AWS managed policy.
fn acknowledge_tutorial_choices(stack: &Stack) -> Result<()> {
    NagSuppressions::add(
        stack,
        [
            Suppression::new(
                "AwsSolutions-COG7",
                "A synthesis benchmark: copies of the lex-web-bot tutorial's pool, which admits \
                 guests on purpose (see examples/lex-web-bot.rs).",
            ),
            Suppression::new(
                "AwsSolutions-IAM4",
                "A synthesis benchmark: copies of the lex-web-bot tutorial's roles, which use this \
                 AWS managed policy (see examples/lex-web-bot.rs and the safer lex-web-ui.rs).",
            )
            .applies_to([AppliesTo::Exact(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonLexRunBotsOnly".into(),
            )]),
        ],
    )
}

/// `n` copies of the lex-web-bot pattern, split into stacks `ScalePool1`, `ScalePool2`, ...
pub fn build_pools(app: &App, n: usize) -> Result<()> {
    let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
    for (s, first) in (0..n).step_by(POOLS_PER_STACK).enumerate() {
        let stack = app.stack(format!("ScalePool{}", s + 1));
        acknowledge_tutorial_choices(&stack)?;
        for i in first..n.min(first + POOLS_PER_STACK) {
            let id = format!("BotPool{i}");
            let pool = bot_pool(&stack, &id, &lex)?;
            stack.output(&format!("{id}Id"), pool.identity_pool_id());
        }
    }
    Ok(())
}

/// The lex-web-bot pattern: an identity pool allowing guests, with
/// `policy` attached to both of its default roles.
pub fn bot_pool(stack: &Stack, id: &str, policy: &ManagedPolicy) -> Result<IdentityPool> {
    let pool = IdentityPool::new(
        stack,
        id,
        IdentityPoolProps {
            identity_pool_name: Some(id.to_owned()),
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )?;
    ManagedPolicyAttachment::new(pool.authenticated_role(), policy)?;
    ManagedPolicyAttachment::new(pool.unauthenticated_role(), policy)?;
    Ok(pool)
}

/// `n` roles, split into stacks `ScaleRoles1`, `ScaleRoles2`, ..., each stack
/// with one identity pool that its roles trust (alternately as
/// `authenticated` and `unauthenticated` identities).
pub fn build_roles(app: &App, n: usize) -> Result<()> {
    let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
    for (s, first) in (0..n).step_by(ROLES_PER_STACK).enumerate() {
        let stack = app.stack(format!("ScaleRoles{}", s + 1));
        acknowledge_tutorial_choices(&stack)?;
        let pool = stack.add_resource(
            "Pool",
            CfnResource::new("AWS::Cognito::IdentityPool")
                .set("AllowUnauthenticatedIdentities", true),
        )?;
        stack.output("IdentityPoolId", pool.to_ref());
        for i in first..n.min(first + ROLES_PER_STACK) {
            let amr = if i % 2 == 0 {
                "authenticated"
            } else {
                "unauthenticated"
            };
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
            let role = Role::new(
                &stack,
                &format!("Role{i}"),
                RoleProps {
                    assumed_by: Some(Principal::web_identity(
                        COGNITO_IDENTITY_PRINCIPAL,
                        conditions,
                    )),
                    ..Default::default()
                },
            )?;
            ManagedPolicyAttachment::new(&role, &lex)?;
        }
    }
    Ok(())
}
