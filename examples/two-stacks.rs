//! Two stacks held at once, with a typed reference from one to the other:
//! formwork turns it into an export of the first stack and an
//! `Fn::ImportValue` in the second, and deploys the first one first.
//! The `stage` context value (`-c stage=prod`, or `CDK_CONTEXT_JSON` when
//! the CDK CLI runs the program) tags every resource and both stacks.
//!
//! ```text
//! cargo run --example two-stacks -- list
//! cargo run --example two-stacks -- synth BotWeb -c stage=prod
//! npx cdk ls --app target/debug/examples/two-stacks -c stage=prod
//! ```

use formwork::prelude::*;

/// Adds both stacks to `app`.
pub fn two_stacks(app: &App) -> formwork::Result<()> {
    let stage = match app.context("stage") {
        Some(serde_json::Value::String(stage)) => stage,
        Some(other) => other.to_string(),
        None => "dev".to_owned(),
    };
    let identity = app.stack("BotIdentity");
    let web = app.stack("BotWeb");

    let pool = IdentityPool::new(
        &identity,
        "BotPool",
        IdentityPoolProps {
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )?;

    NagSuppressions::add(
        pool.resource(),
        [Suppression::new(
            "AwsSolutions-COG7",
            "The bot's page admits guests, as in the lex-web-bot tutorial; here the guest \
             role carries no permission at all.",
        )],
    )?;

    // A role of the second stack may describe the pool of the first: the
    // ARN is a typed expression, imported across the stacks.
    let reader = Role::new(
        &web,
        "PoolReader",
        RoleProps {
            assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
            ..Default::default()
        },
    )?;
    reader.add_to_policy(
        Statement::allow()
            .actions(["cognito-identity:DescribeIdentityPool"])
            .resources([pool.identity_pool_arn()]),
    )?;
    web.add_resource(
        "PoolIdParameter",
        CfnResource::new("AWS::SSM::Parameter")
            .set("Type", "String")
            .set("Value", pool.identity_pool_id()),
    )?;
    web.output("PoolReaderArn", reader.role_arn());

    Tags::of(&app.construct()).add("stage", stage);
    Ok(())
}

#[allow(dead_code)] // unused where the tests include this file
fn main() -> formwork::Result<()> {
    let app = App::new();
    two_stacks(&app)?;
    app.run()
}
