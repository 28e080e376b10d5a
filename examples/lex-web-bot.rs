//! The Amazon Lex "deploy your bot as a web application" tutorial, step
//! "Set up Amazon Cognito", as a formwork program.
//!
//! ```text
//! cargo run --example lex-web-bot                 # synthesize to cdk.out/, print the template
//! cargo run --example lex-web-bot -- synth -o DIR # ... to another directory
//! cargo run --example lex-web-bot -- list
//! ```

use formwork::prelude::*;

/// Adds the tutorial's stack to `app`. The snapshot tests and the benches
/// build the same stack through this function.
pub fn lex_web_bot(app: &App) -> formwork::Result<()> {
    let stack = app.stack("LexWebBotStack");
    stack.set_description("Amazon Cognito identity pool for the Lex web bot tutorial");

    // Tutorial: "Create an identity pool ... enable access to unauthenticated
    // identities". formwork also creates both roles, each trusting only this pool.
    let pool = IdentityPool::new(
        &stack,
        "BotPool",
        IdentityPoolProps {
            identity_pool_name: Some("BotPool".into()),
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )?;

    // Tutorial: "attach the AmazonLexRunBotsOnly policy to both roles".
    let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
    ManagedPolicyAttachment::new(pool.authenticated_role(), &lex)?;
    ManagedPolicyAttachment::new(pool.unauthenticated_role(), &lex)?;

    // The tutorial's choices are deliberate here, and the rule packs say why
    // they are risky: each is acknowledged with its reason, written into the
    // template as cdk-nag's metadata (docs/ARCHITECTURE.md, "Rule packs").
    NagSuppressions::add(
        pool.resource(),
        [Suppression::new(
            "AwsSolutions-COG7",
            "The tutorial's page lets visitors chat with the bot without signing in, so the \
             pool gives unauthenticated identities credentials on purpose. The safer shape is \
             examples/lex-web-ui.rs: the guest role may only call the Lex runtime on one bot alias.",
        )],
    )?;
    for role in [pool.authenticated_role(), pool.unauthenticated_role()] {
        NagSuppressions::add(
            role.resource(),
            [Suppression::new(
                "AwsSolutions-IAM4",
                "The tutorial asks for the AWS managed policy AmazonLexRunBotsOnly, which allows \
                 the Lex runtime on every bot of the account. The safer option is \
                 examples/lex-web-ui.rs: a role granted only the runtime actions on one bot alias.",
            )
            .applies_to([AppliesTo::Exact(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonLexRunBotsOnly".into(),
            )])],
        )?;
    }

    // Tutorial: "record the identity pool ID and the role names".
    stack
        .output("IdentityPoolId", pool.identity_pool_id())
        .description("Cognito identity pool ID for the web page");
    stack.output(
        "AuthenticatedRoleName",
        pool.authenticated_role().role_name(),
    );
    stack.output(
        "UnauthenticatedRoleName",
        pool.unauthenticated_role().role_name(),
    );
    Ok(())
}

#[allow(dead_code)] // unused where the tests include this file
fn main() -> formwork::Result<()> {
    let app = App::new();
    lex_web_bot(&app)?;
    app.run()
}
