//! The tutorial's whole web app, beyond its Cognito step: a Lex V2 bot with
//! a version and an alias, the chat page (`examples/lex-web-ui/site/`) on a
//! private S3 bucket behind CloudFront (origin access control), and a
//! Cognito identity pool whose roles may talk to that bot alias only.
//!
//! ```text
//! cargo run --example lex-web-ui                            # synthesize to cdk.out/
//! cargo run --example lex-web-ui -- deploy --require-approval never
//! ```
//!
//! `deploy` creates the stack, then uploads the page with a `config.json`
//! made from the stack's outputs, then invalidates the distribution; the
//! page is at the `PageUrl` output. It needs the `formwork` command
//! (`cargo install formwork-cli`), or formwork's `deploy` feature.
//!
//! A program of your own enables the services it uses in its `Cargo.toml`:
//! `formwork = { version = "0.1", features = ["lex", "cloudfront", "s3deploy"] }`.

use formwork::cloudfront::{
    BehaviorOptions, Distribution, DistributionProps, HttpVersion, PriceClass, S3BucketOrigin,
};
use formwork::lex::{AliasProps, Bot, BotProps, Intent, LocaleProps, Voice};
use formwork::nag::{AppliesTo, NagSuppressions, Suppression};
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps, ObjectOwnership};
use formwork::s3deploy::{BucketDeployment, BucketDeploymentProps};
use formwork::{Asset, ResourceRef};
use std::path::Path;

/// Why the guests of the pool are deliberate (AwsSolutions-COG7).
const GUESTS: &str = "Visitors chat without signing in; the guest role may only call the Lex \
                      runtime on one bot alias (alias.grant_recognize).";
/// Why the bot's role may call Polly on `*` (AwsSolutions-IAM5).
const POLLY: &str = "polly:SynthesizeSpeech scopes to lexicons only and the bot uses none: \
                     Resource * allows this one action.";
/// Adds the web-UI stack to `app`, with the page's files from the folder
/// `page`. The snapshot and deploy tests build the same stack through this
/// function.
pub fn lex_web_ui(app: &App, page: &Path) -> formwork::Result<()> {
    let stack = app.stack("LexWebUiStack");
    stack.set_description(
        "Lex V2 web bot: the bot and its alias, the page on S3 behind CloudFront (OAC), \
         and a Cognito identity pool limited to that bot alias",
    );

    // ---- The bot: one locale, one intent (the fallback intent is added) ----
    let bot = Bot::new(&stack, "WebBot", BotProps::default())?;
    let locale = bot.add_locale(LocaleProps {
        locale_id: "en_US".into(),
        voice: Some(Voice::neural("Joanna")),
        ..Default::default()
    })?;
    locale.add_intent(
        Intent::new("Greet")
            .utterances(["Hello", "Hi there"])
            .closing_response("Hello! How can I help?"),
    )?;
    // A new version is published whenever the bot's definition changes.
    let alias = bot.add_alias(
        "LiveAlias",
        AliasProps {
            name: Some("live".into()),
            description: Some("What the web UI talks to".into()),
        },
    )?;

    // ---- The page: private bucket, CloudFront with origin access control ---
    // One bucket for the access logs of both: CloudFront's standard logs
    // need ACLs (BucketOwnerPreferred), S3's server access logs do not.
    let logs = Bucket::new(
        &stack,
        "AccessLogs",
        BucketProps {
            object_ownership: ObjectOwnership::BucketOwnerPreferred,
            ..Default::default()
        },
    )?;
    let site = Bucket::new(
        &stack,
        "SiteBucket",
        BucketProps {
            versioned: true,
            server_access_logs_bucket: Some(logs.clone()),
            server_access_logs_prefix: Some("site-bucket/".into()),
            ..Default::default()
        },
    )?;
    let cdn = Distribution::new(
        &stack,
        "SiteDistribution",
        DistributionProps {
            comment: Some("Lex web UI".into()),
            default_root_object: Some("index.html".into()),
            http_version: HttpVersion::Http2And3,
            price_class: PriceClass::PriceClass100,
            enable_logging: true,
            log_bucket: Some(logs),
            log_file_prefix: Some("cloudfront/".into()),
            ..DistributionProps::new(BehaviorOptions::new(
                S3BucketOrigin::with_origin_access_control(&site),
            ))
        },
    )?;

    // ---- Who may talk to the bot: guests of the identity pool -------------
    let pool = IdentityPool::new(
        &stack,
        "WebUiPool",
        IdentityPoolProps {
            identity_pool_name: Some("LexWebUiPool".into()),
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )?;
    // Instead of the tutorial's AmazonLexRunBotsOnly (every bot of the
    // account): the runtime calls the page makes, on this alias only. Signed-in
    // users get the same, so adding a login provider later widens nothing.
    alias.grant_recognize(pool.unauthenticated_role())?;
    alias.grant_recognize(pool.authenticated_role())?;

    // ---- What the rule packs flag here is deliberate; each says why ------
    let acknowledge =
        |scope: &ResourceRef, finding: Suppression| NagSuppressions::add(scope, [finding]);
    let acknowledge_cdn =
        |id: &str, reason: &str| acknowledge(cdn.resource(), Suppression::new(id, reason));
    acknowledge(
        pool.resource(),
        Suppression::new("AwsSolutions-COG7", GUESTS),
    )?;
    if let Some(role) = bot.role().as_role() {
        acknowledge(
            role.resource(),
            Suppression::new("AwsSolutions-IAM5", POLLY)
                .applies_to([AppliesTo::Exact("Resource::*".into())]),
        )?;
    }
    acknowledge_cdn(
        "AwsSolutions-CFR1",
        "A public chat page for any country: no geo restriction.",
    )?;
    acknowledge_cdn(
        "AwsSolutions-CFR2",
        "Static files; Cognito and Lex throttle the API calls.",
    )?;
    acknowledge_cdn(
        "AwsSolutions-CFR4",
        "The default cloudfront.net certificate (no custom domain).",
    )?;

    // ---- The page's files and its config.json, synced by `deploy` ---------
    let files = Asset::from_dir(&stack, "SiteFiles", page)?;
    BucketDeployment::new(
        &stack,
        "DeploySite",
        BucketDeploymentProps {
            sources: vec![files],
            destination_bucket: Some((&site).into()),
            distribution: Some((&cdn).into()),
            ..Default::default()
        }
        .with_cache_control("*.html", "no-cache")
        .with_cache_control("config.json", "no-cache")
        .with_json_file(
            "config.json",
            [
                ("region", Pseudo::Region.into()),
                ("identityPoolId", pool.identity_pool_id()),
                ("botId", bot.bot_id()),
                ("botAliasId", alias.bot_alias_id()),
                ("localeId", locale.locale_id().into()),
            ],
        ),
    )?;

    let url = Expr::join("", ["https://".into(), cdn.distribution_domain_name()]);
    stack.output("PageUrl", url).description("The chat page");
    stack.output("BotId", bot.bot_id());
    stack.output("BotAliasId", alias.bot_alias_id());
    stack.output("IdentityPoolId", pool.identity_pool_id());
    Ok(())
}

#[allow(dead_code)] // unused where the tests include this file
fn main() -> formwork::Result<()> {
    let app = App::new();
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lex-web-ui/site");
    lex_web_ui(&app, &page)?;
    app.run()
}
