//! The whole Lex web-bot stack, beyond the tutorial: a Lex V2 bot with a
//! published version and an alias, a private S3 bucket for the page served
//! through CloudFront with origin access control, and the Cognito identity
//! pool whose roles may talk to that bot alias only.
//!
//! Typed L1s (`formwork::cfn::*`, generated from the CloudFormation schemas)
//! for Lex, S3 and CloudFront; the hand-written L2s for IAM and Cognito.
//!
//! ```text
//! cargo run --example lex-web-ui                 # synthesize to cdk.out/, print the template
//! cargo run --example lex-web-ui -- synth -o DIR # ... to another directory
//! ```
//!
//! The services it uses are cargo features of `formwork` (`s3`, `lex`,
//! `cloudfront`); this workspace turns them on for its examples and tests
//! through a self dev-dependency. A program of your own enables them in its
//! `Cargo.toml`: `formwork = { version = "0.1", features = ["s3", "lex", "cloudfront"] }`.

use formwork::cfn::cloudfront::{
    distribution, origin_access_control, CfnDistribution, CfnDistributionProps,
    CfnOriginAccessControl, CfnOriginAccessControlProps,
};
use formwork::cfn::lex::{
    bot, bot_alias, bot_version, CfnBot, CfnBotAlias, CfnBotAliasProps, CfnBotProps, CfnBotVersion,
    CfnBotVersionProps,
};
use formwork::cfn::s3::{bucket, CfnBucket, CfnBucketPolicy, CfnBucketPolicyProps, CfnBucketProps};
use formwork::iam::{AssumeRole, ConditionOperator, PolicyDocument, Statement};
use formwork::prelude::*;
use formwork::SubPart;

/// The bot's only locale.
const LOCALE: &str = "en_US";
/// The id of the S3 origin inside the distribution.
const SITE_ORIGIN: &str = "SiteBucketOrigin";
/// CloudFront's managed cache policy `Managed-CachingOptimized`.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/// Adds the web-UI stack to `app`. The snapshot tests build the same stack
/// through this function.
pub fn lex_web_ui(app: &App) -> formwork::Result<()> {
    let stack = app.stack("LexWebUiStack");
    stack.set_description(
        "Lex V2 web bot: the bot and its alias, the page on S3 behind CloudFront (OAC), \
         and a Cognito identity pool limited to that bot alias",
    );

    // ---- The bot ---------------------------------------------------------

    // The role Lex runs the bot with. Lex needs Polly to speak its replies
    // (the page can talk, through RecognizeUtterance); nothing else. The
    // source-account condition keeps other accounts' bots from using it.
    let bot_role = Role::new(
        &stack,
        "BotRole",
        RoleProps {
            assumed_by: Some(
                AssumeRole::from(Principal::service("lexv2.amazonaws.com")).with_condition(
                    ConditionOperator::StringEquals,
                    "aws:SourceAccount",
                    Pseudo::AccountId,
                ),
            ),
            description: Some("Runs the Lex web bot".into()),
            inline_policies: [(
                "SynthesizeSpeech".to_owned(),
                PolicyDocument::new([Statement::allow()
                    .actions(["polly:SynthesizeSpeech"])
                    .resources(["*"])]),
            )]
            .into_iter()
            .collect(),
            ..Default::default()
        },
    )?;

    NagSuppressions::add(
        bot_role.resource(),
        [Suppression::new(
            "AwsSolutions-IAM5",
            "polly:SynthesizeSpeech names no resource but lexicons, and Lex speaks with the \
             default voices: the statement allows this one action alone.",
        )
        .applies_to([AppliesTo::Exact("Resource::*".into())])],
    )?;

    let greet = bot::Intent {
        description: Some("Says hello back".into()),
        sample_utterances: Some(
            vec![
                bot::SampleUtterance::new("Hello"),
                bot::SampleUtterance::new("Hi there"),
            ]
            .into(),
        ),
        intent_closing_setting: Some(
            bot::IntentClosingSetting {
                closing_response: Some(
                    bot::ResponseSpecification::new(vec![bot::MessageGroup::new(bot::Message {
                        plain_text_message: Some(
                            bot::PlainTextMessage::new("Hello! How can I help?").into(),
                        ),
                        ..Default::default()
                    })])
                    .into(),
                ),
                ..Default::default()
            }
            .into(),
        ),
        ..bot::Intent::new("Greet")
    };
    // Lex V2 needs the built-in fallback intent in every locale, and the
    // template declares the whole locale, so it is listed here.
    let fallback = bot::Intent {
        description: Some("Default intent when no other intent matches".into()),
        parent_intent_signature: Some("AMAZON.FallbackIntent".into()),
        ..bot::Intent::new("FallbackIntent")
    };
    let locale = bot::BotLocale {
        intents: Some(vec![greet, fallback].into()),
        voice_settings: Some(
            bot::VoiceSettings {
                engine: Some(bot::VoiceSettingsEngine::Neural.into()),
                ..bot::VoiceSettings::new("Joanna")
            }
            .into(),
        ),
        ..bot::BotLocale::new(LOCALE, 0.4)
    };
    // Bot names are unique per account and region, as stack names are:
    // derive it from the stack name, known (and so validated) at synth.
    let bot_name = format!("{}-WebBot", stack.name());
    let lex_bot = CfnBot::new(
        &stack,
        "WebBot",
        CfnBotProps::builder()
            .name(bot_name)
            .role_arn(bot_role.role_arn())
            // COPPA: the page is not directed at children.
            .data_privacy(bot::DataPrivacy::new(false))
            .idle_session_ttl_in_seconds(300)
            // Build the locale on create/update, so that a version can be
            // published from the draft.
            .auto_build_bot_locales(true)
            .bot_locales(vec![locale])
            .description("The bot behind the web UI")
            .build(),
    )?;

    // An alias must point at a numbered version (only the built-in test
    // alias may use DRAFT). CloudFormation publishes a version when this
    // resource is created or its properties change; change the description
    // to publish the bot again after editing it.
    let version = CfnBotVersion::new(
        &stack,
        "WebBotVersion",
        CfnBotVersionProps::builder()
            .bot_id(lex_bot.to_ref())
            .bot_version_locale_specification(vec![
                bot_version::BotVersionLocaleSpecification::new(
                    bot_version::BotVersionLocaleDetails::new("DRAFT"),
                    LOCALE,
                ),
            ])
            .description("Published by the LexWebUiStack stack")
            .build(),
    )?;
    let alias = CfnBotAlias::new(
        &stack,
        "WebBotAlias",
        CfnBotAliasProps::builder()
            .bot_alias_name("live")
            .bot_id(lex_bot.to_ref())
            .bot_alias_locale_settings(vec![bot_alias::BotAliasLocaleSettingsItem::new(
                bot_alias::BotAliasLocaleSettings::new(true),
                LOCALE,
            )])
            .bot_version(version.attr_bot_version())
            .description("What the web UI talks to")
            .build(),
    )?;

    // ---- The page: private bucket, CloudFront with origin access control --

    let site = CfnBucket::new(
        &stack,
        "SiteBucket",
        CfnBucketProps::builder()
            .bucket_encryption(bucket::BucketEncryption::new(vec![
                bucket::ServerSideEncryptionRule {
                    server_side_encryption_by_default: Some(
                        bucket::ServerSideEncryptionByDefault::new(
                            bucket::ServerSideEncryptionByDefaultSSEAlgorithm::Aes256,
                        )
                        .into(),
                    ),
                    ..Default::default()
                },
            ]))
            // No ACLs at all: the bucket owner owns every object.
            .ownership_controls(bucket::OwnershipControls::new(vec![
                bucket::OwnershipControlsRule {
                    object_ownership: Some(
                        bucket::OwnershipControlsRuleObjectOwnership::BucketOwnerEnforced.into(),
                    ),
                },
            ]))
            .public_access_block_configuration(bucket::PublicAccessBlockConfiguration {
                block_public_acls: Some(true.into()),
                block_public_policy: Some(true.into()),
                ignore_public_acls: Some(true.into()),
                restrict_public_buckets: Some(true.into()),
            })
            .versioning_configuration(bucket::VersioningConfiguration::new(
                bucket::VersioningConfigurationStatus::Enabled,
            ))
            .build(),
    )?;

    // OAC names are unique per account (CloudFront is global), so the name
    // carries the stack name: at most 64 characters.
    let mut oac_name = format!("{}-SiteOac", stack.name());
    oac_name.truncate(64);
    let oac = CfnOriginAccessControl::new(
        &stack,
        "SiteOac",
        CfnOriginAccessControlProps::builder()
            .origin_access_control_config(origin_access_control::OriginAccessControlConfig {
                description: Some("CloudFront signs its requests to the site bucket".into()),
                ..origin_access_control::OriginAccessControlConfig::new(
                    oac_name, "s3", "always", "sigv4",
                )
            })
            .build(),
    )?;

    let cdn = CfnDistribution::new(
        &stack,
        "SiteDistribution",
        CfnDistributionProps::builder()
            .distribution_config(distribution::DistributionConfig {
                comment: Some("Lex web UI".into()),
                default_root_object: Some("index.html".into()),
                http_version: Some(distribution::DistributionConfigHttpVersion::Http2and3.into()),
                origins: Some(
                    vec![distribution::Origin {
                        origin_access_control_id: Some(oac.attr_id().into()),
                        // With OAC, the origin access identity must be empty.
                        s3_origin_config: Some(
                            distribution::S3OriginConfig {
                                origin_access_identity: Some("".into()),
                                ..Default::default()
                            }
                            .into(),
                        ),
                        ..distribution::Origin::new(site.attr_regional_domain_name(), SITE_ORIGIN)
                    }]
                    .into(),
                ),
                price_class: Some(distribution::DistributionConfigPriceClass::PriceClass100.into()),
                ..distribution::DistributionConfig::new(
                    distribution::DefaultCacheBehavior {
                        allowed_methods: Some(vec!["GET", "HEAD"].into()),
                        cache_policy_id: Some(CACHING_OPTIMIZED.into()),
                        cached_methods: Some(vec!["GET", "HEAD"].into()),
                        compress: Some(true.into()),
                        ..distribution::DefaultCacheBehavior::new(
                            SITE_ORIGIN,
                            distribution::DefaultCacheBehaviorViewerProtocolPolicy::RedirectToHttps,
                        )
                    },
                    true,
                )
            })
            .build(),
    )?;

    // Acknowledged for this demo (error-level findings only); production
    // would add the logs and a custom domain.
    NagSuppressions::add(
        site.resource(),
        [Suppression::new(
            "AwsSolutions-S1",
            "Only CloudFront reads the bucket (OAC, all public access blocked); this demo keeps \
             no second bucket for server access logs.",
        )],
    )?;
    NagSuppressions::add(
        cdn.resource(),
        [
            Suppression::new(
                "AwsSolutions-CFR3",
                "This demo page keeps no visitor logs; CloudFront's standard logging needs a \
                 separate log bucket with ACLs enabled.",
            ),
            Suppression::new(
                "AwsSolutions-CFR4",
                "The demo is served on the default cloudfront.net certificate (no custom \
                 domain), whose minimum viewer protocol is TLSv1 whatever the settings; a custom \
                 domain with an ACM certificate (sni-only, TLSv1.2_2021) fixes it.",
            ),
        ],
    )?;

    // arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}
    let distribution_arn = Expr::sub_parts([
        SubPart::Text("arn:".into()),
        SubPart::Pseudo(Pseudo::Partition),
        SubPart::Text(":cloudfront::".into()),
        SubPart::Pseudo(Pseudo::AccountId),
        SubPart::Text(":distribution/".into()),
        SubPart::Ref(cdn.resource().element()),
    ]);
    let objects = Expr::join("", [site.attr_arn(), "/*".into()]);
    CfnBucketPolicy::new(
        &stack,
        "SiteBucketPolicy",
        CfnBucketPolicyProps::builder()
            .bucket(site.to_ref())
            .policy_document(
                PolicyDocument::new([
                    // Reads through this distribution only (origin access control).
                    Statement::allow()
                        .sid("AllowCloudFrontServicePrincipalReadOnly")
                        .principal(Principal::service("cloudfront.amazonaws.com"))
                        .actions(["s3:GetObject"])
                        .resources([objects.clone()])
                        .condition(
                            ConditionOperator::StringEquals,
                            "AWS:SourceArn",
                            distribution_arn,
                        ),
                    // And nothing over plain HTTP.
                    Statement::deny()
                        .sid("DenyInsecureTransport")
                        .principal(Principal::Any)
                        .actions(["s3:*"])
                        .resources([site.attr_arn(), objects])
                        .condition(ConditionOperator::Bool, "aws:SecureTransport", "false"),
                ])
                .into_expr(),
            )
            .build(),
    )?;

    // ---- Who may talk to the bot: the identity pool ------------------------

    let pool = IdentityPool::new(
        &stack,
        "WebUiPool",
        IdentityPoolProps {
            identity_pool_name: Some("LexWebUiPool".into()),
            allow_unauthenticated_identities: true,
            ..Default::default()
        },
    )?;

    NagSuppressions::add(
        pool.resource(),
        [Suppression::new(
            "AwsSolutions-COG7",
            "The page lets visitors chat without signing in; the guest role may only call the \
             Lex runtime on this bot alias (TalkToWebBot below).",
        )],
    )?;

    // Instead of the tutorial's broad AmazonLexRunBotsOnly (every bot of the
    // account): the runtime calls the page makes, on this alias only. The
    // alias's `Arn` attribute is
    // arn:${AWS::Partition}:lex:${AWS::Region}:${AWS::AccountId}:bot-alias/${BotId}/${BotAliasId}.
    let talk_to_bot = PolicyDocument::new([Statement::allow()
        .actions([
            "lex:RecognizeText",
            "lex:RecognizeUtterance",
            "lex:PutSession",
            "lex:GetSession",
            "lex:DeleteSession",
        ])
        .resources([alias.attr_arn()])]);
    pool.unauthenticated_role()
        .add_inline_policy("TalkToWebBot", talk_to_bot.clone())?;
    // Signed-in users get the same, and no more: the page talks to the same
    // bot whether or not the visitor signs in, so adding a login provider to
    // the pool later must not break the chat (nor widen anything). Both
    // roles trust only this pool (`aud`) and their own `amr`.
    pool.authenticated_role()
        .add_inline_policy("TalkToWebBot", talk_to_bot.clone())?;

    // ---- What the page needs to know ---------------------------------------

    stack
        .output("IdentityPoolId", pool.identity_pool_id())
        .description("Cognito identity pool ID for the web page");
    stack
        .output("BotId", lex_bot.to_ref())
        .description("Lex V2 bot ID");
    stack
        .output("BotAliasId", alias.attr_bot_alias_id())
        .description("Lex V2 bot alias ID");
    stack
        .output("BotLocaleId", LOCALE)
        .description("Lex V2 bot locale");
    stack
        .output("DistributionDomainName", cdn.attr_domain_name())
        .description("Where the page is served (HTTPS)");
    stack
        .output("BucketName", site.to_ref())
        .description("Upload index.html and the page's assets here");
    Ok(())
}

#[allow(dead_code)] // unused where the tests include this file
fn main() -> formwork::Result<()> {
    let app = App::new();
    lex_web_ui(&app)?;
    app.run()
}
