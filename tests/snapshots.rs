//! Snapshots (in `snapshots/`, reviewed like code) of the lex-web-bot and
//! lex-web-ui templates, of each IdentityPool variant and of a cross-stack app. Each
//! template is also written to `$FORMWORK_LINT_DIR` for cfn-lint.
//!
//! The key facts of docs/ARCHITECTURE.md §5 are asserted explicitly as well, so that an
//! accepted-by-mistake snapshot cannot hide a regression of them.

mod support;

#[path = "../examples/lex-web-bot.rs"]
mod lex_web_bot_example;

#[path = "../examples/lex-web-ui.rs"]
mod lex_web_ui_example;

use clap::Parser;
use formwork::assertions::Assertions;
use formwork::cognito::{
    AuthenticationProviders, IdentityPool, IdentityPoolProps, MatchType, ProviderUrl, RoleMapping,
    RoleMappingRule, TwitterProvider, UserPoolProvider,
};
use formwork::iam::{
    ConditionOperator, Conditions, ManagedPolicy, ManagedPolicyAttachment, PolicyDocument,
    Principal, Role, RoleProps, Statement,
};
use formwork::{
    App, CfnResource, Expr, Pseudo, RemovalPolicy, ResourceRef, Scope, Stack, Template,
};
use serde_json::{json, Value};
use support::{snapshot_json, snapshot_template};

#[track_caller]
fn synth_one(app: &App) -> Template {
    let mut assembly = app.synth().unwrap();
    assert_eq!(assembly.stacks.len(), 1);
    assembly.stacks.remove(0).template
}

/// The default role trust policy of docs/ARCHITECTURE.md §5.
fn cognito_trust(pool: &str, amr: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": {"Ref": pool}},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]
    })
}

fn aws_managed_arn(name: &str) -> Value {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":iam::aws:policy/{name}")]]})
}

#[test]
fn lex_web_bot() {
    let app = App::new();
    // Checked as `cargo run` checks it: no error finding, the tutorial's
    // choices acknowledged in the template.
    app.enable_rule_packs();
    lex_web_bot_example::lex_web_bot(&app).unwrap();
    let t = synth_one(&app);

    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(
        ids,
        [
            "BotPool952BDFC5",
            "BotPoolAuthenticatedRoleA72E555F",
            "BotPoolUnauthenticatedRole06643A7A",
            "BotPoolDefaultRoleAttachmentC701EF11"
        ]
    );
    let a = Assertions::new(&t);
    a.has_resource_properties(
        "AWS::Cognito::IdentityPool",
        json!({"AllowUnauthenticatedIdentities": true, "IdentityPoolName": "BotPool"}),
    );
    for (id, amr) in [
        ("BotPoolAuthenticatedRoleA72E555F", "authenticated"),
        ("BotPoolUnauthenticatedRole06643A7A", "unauthenticated"),
    ] {
        assert_eq!(
            serde_json::to_value(&t.resources[id].properties).unwrap(),
            json!({
                "AssumeRolePolicyDocument": cognito_trust("BotPool952BDFC5", amr),
                "ManagedPolicyArns": [aws_managed_arn("AmazonLexRunBotsOnly")]
            })
        );
    }
    a.has_resource_properties(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        json!({
            "IdentityPoolId": {"Ref": "BotPool952BDFC5"},
            "Roles": {
                "authenticated": {"Fn::GetAtt": ["BotPoolAuthenticatedRoleA72E555F", "Arn"]},
                "unauthenticated": {"Fn::GetAtt": ["BotPoolUnauthenticatedRole06643A7A", "Arn"]}
            }
        }),
    );
    a.has_output(
        "IdentityPoolId",
        json!({"Value": {"Ref": "BotPool952BDFC5"}}),
    );
    a.has_output(
        "AuthenticatedRoleName",
        json!({"Value": {"Ref": "BotPoolAuthenticatedRoleA72E555F"}}),
    );
    a.has_output(
        "UnauthenticatedRoleName",
        json!({"Value": {"Ref": "BotPoolUnauthenticatedRole06643A7A"}}),
    );
    // No CDK-only noise.
    assert!(t.parameters.is_empty() && t.conditions.is_empty() && t.metadata.is_empty());
    assert!(!t.resources.contains_key("CDKMetadata"));

    snapshot_template("lex_web_bot", &t);
}

#[test]
fn lex_web_bot_through_the_cli() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lex-web-bot-cli");
    let _ = std::fs::remove_dir_all(&dir);
    let app = App::new();
    lex_web_bot_example::lex_web_bot(&app).unwrap();
    let expected = synth_one(&app).to_json();
    let cli =
        formwork::cli::Cli::parse_from(["lex-web-bot", "synth", "--output", dir.to_str().unwrap()]);
    let mut stdout = Vec::new();
    formwork::cli::run_to(app, cli, &mut stdout).unwrap();
    assert_eq!(String::from_utf8(stdout).unwrap(), format!("{expected}\n"));
    assert_eq!(
        std::fs::read_to_string(dir.join("LexWebBotStack.template.json")).unwrap(),
        expected
    );
    let manifest = formwork::assembly::Manifest::read(&dir).unwrap();
    let artifact = &manifest.artifacts["LexWebBotStack"];
    assert_eq!(artifact.artifact_type, "aws:cloudformation:stack");
    assert_eq!(
        artifact.properties.stack().unwrap().template_file,
        "LexWebBotStack.template.json"
    );
    assert_eq!(
        artifact.metadata["/LexWebBotStack/BotPool/Resource"][0].data,
        json!("BotPool952BDFC5")
    );
}

/// The lex-web-ui example: the security facts of the stack, asserted one by
/// one, then the snapshot.
#[test]
fn lex_web_ui() {
    let app = App::new();
    app.enable_rule_packs();
    lex_web_ui_example::lex_web_ui(
        &app,
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/lex-web-ui/site"
        )),
    )
    .unwrap();
    // Synthesized with schema validation on (the default).
    let t = synth_one(&app);

    let types: Vec<(&str, &str)> = t
        .resources
        .iter()
        .map(|(id, r)| (id.as_str(), r.type_name.as_str()))
        .collect();
    let version = "WebBotVersion943F7BBBf5ece61db6ee96c0";
    let alias = "WebBotLiveAliasCF4DF336";
    assert_eq!(
        types,
        [
            ("WebBotRoleF2C428C2", "AWS::IAM::Role"),
            ("WebBot891A2C18", "AWS::Lex::Bot"),
            (version, "AWS::Lex::BotVersion"),
            (alias, "AWS::Lex::BotAlias"),
            ("AccessLogs8B620ECA", "AWS::S3::Bucket"),
            ("AccessLogsPolicyABDC4D2D", "AWS::S3::BucketPolicy"),
            ("SiteBucket397A1860", "AWS::S3::Bucket"),
            ("SiteBucketPolicy3AC1D0F8", "AWS::S3::BucketPolicy"),
            (
                "SiteDistributionOrigin1S3OriginAccessControl7D960FE6",
                "AWS::CloudFront::OriginAccessControl"
            ),
            ("SiteDistribution3FF9535D", "AWS::CloudFront::Distribution"),
            ("WebUiPoolB4E89AC8", "AWS::Cognito::IdentityPool"),
            ("WebUiPoolAuthenticatedRole4B8B6298", "AWS::IAM::Role"),
            ("WebUiPoolUnauthenticatedRoleCB8B2FFE", "AWS::IAM::Role"),
            (
                "WebUiPoolDefaultRoleAttachmentA7D2793A",
                "AWS::Cognito::IdentityPoolRoleAttachment"
            ),
            (
                "WebUiPoolUnauthenticatedRoleDefaultPolicy5C66BF6B",
                "AWS::IAM::Policy"
            ),
            (
                "WebUiPoolAuthenticatedRoleDefaultPolicyB3E3212E",
                "AWS::IAM::Policy"
            ),
        ]
    );
    let a = Assertions::new(&t);
    let props = |id: &str| serde_json::to_value(&t.resources[id].properties).unwrap();

    // The bot: run by a role only Lex (of this account) may assume, one
    // locale with its intent and the fallback intent added by the L2; the
    // version's logical ID carries the hash of the bot's definition.
    assert_eq!(
        props("WebBotRoleF2C428C2")["AssumeRolePolicyDocument"]["Statement"][0]["Condition"],
        json!({"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}})
    );
    let intents = &props("WebBot891A2C18")["BotLocales"][0]["Intents"];
    assert_eq!(intents[0]["Name"], "Greet");
    assert_eq!(intents[1]["ParentIntentSignature"], "AMAZON.FallbackIntent");
    assert_eq!(intents.as_array().unwrap().len(), 2);
    a.has_resource_properties(
        "AWS::Lex::BotAlias",
        json!({
            "BotAliasName": "live",
            "BotId": {"Ref": "WebBot891A2C18"},
            "BotVersion": {"Fn::GetAtt": [version, "BotVersion"]}
        }),
    );

    // The page: both buckets private, encrypted, TLS only, kept when the
    // stack goes; the site bucket logs to the log bucket.
    for bucket in ["AccessLogs8B620ECA", "SiteBucket397A1860"] {
        let r = &t.resources[bucket];
        assert_eq!(r.deletion_policy, Some(RemovalPolicy::Retain));
        assert_eq!(
            props(bucket)["PublicAccessBlockConfiguration"],
            json!({"BlockPublicAcls": true, "BlockPublicPolicy": true,
                   "IgnorePublicAcls": true, "RestrictPublicBuckets": true})
        );
    }
    assert_eq!(
        props("SiteBucket397A1860")["LoggingConfiguration"],
        json!({"DestinationBucketName": {"Ref": "AccessLogs8B620ECA"}, "LogFilePrefix": "site-bucket/"})
    );
    // Reads by CloudFront for this distribution only (origin access
    // control), and nothing over plain HTTP.
    let objects = json!({"Fn::Join": ["", [{"Fn::GetAtt": ["SiteBucket397A1860", "Arn"]}, "/*"]]});
    assert_eq!(
        props("SiteBucketPolicy3AC1D0F8")["PolicyDocument"]["Statement"],
        json!([
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [{"Fn::GetAtt": ["SiteBucket397A1860", "Arn"]}, objects],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudfront.amazonaws.com"},
                "Action": "s3:GetObject",
                "Resource": objects,
                "Condition": {"StringEquals": {"AWS:SourceArn": {"Fn::Sub":
                    "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SiteDistribution3FF9535D}"
                }}}
            }
        ])
    );
    let cdn = &props("SiteDistribution3FF9535D")["DistributionConfig"];
    assert_eq!(
        cdn["Origins"][0]["OriginAccessControlId"],
        json!({"Fn::GetAtt": ["SiteDistributionOrigin1S3OriginAccessControl7D960FE6", "Id"]})
    );
    assert_eq!(
        cdn["Origins"][0]["S3OriginConfig"],
        json!({"OriginAccessIdentity": ""})
    );
    assert_eq!(
        cdn["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "redirect-to-https"
    );
    assert_eq!(cdn["DefaultRootObject"], "index.html");

    // The identity pool: unauthenticated identities allowed; each role
    // trusts only this pool (aud) and its own amr, and may call the Lex
    // runtime on this bot alias only: no managed policy, no wildcard.
    let pool = "WebUiPoolB4E89AC8";
    for (role, policy, amr) in [
        (
            "WebUiPoolAuthenticatedRole4B8B6298",
            "WebUiPoolAuthenticatedRoleDefaultPolicyB3E3212E",
            "authenticated",
        ),
        (
            "WebUiPoolUnauthenticatedRoleCB8B2FFE",
            "WebUiPoolUnauthenticatedRoleDefaultPolicy5C66BF6B",
            "unauthenticated",
        ),
    ] {
        assert_eq!(
            props(role),
            json!({"AssumeRolePolicyDocument": cognito_trust(pool, amr)})
        );
        let policy = props(policy);
        assert_eq!(policy["Roles"], json!([{"Ref": role}]));
        assert_eq!(
            policy["PolicyDocument"]["Statement"],
            json!([{
                "Effect": "Allow",
                "Action": [
                    "lex:RecognizeText",
                    "lex:RecognizeUtterance",
                    "lex:PutSession",
                    "lex:GetSession",
                    "lex:DeleteSession"
                ],
                "Resource": {"Fn::GetAtt": [alias, "Arn"]}
            }])
        );
    }
    let text = t.to_json();
    assert!(!text.contains("ManagedPolicyArns") && !text.contains("AmazonLexRunBotsOnly"));
    assert!(!text.contains("\"lex:*\""));

    // What the page needs: config.json's values, as outputs the deploy reads.
    for (id, value) in [
        ("DeploySiteFile0Value0", json!({"Ref": "AWS::Region"})),
        ("DeploySiteFile0Value1", json!({"Ref": pool})),
        ("DeploySiteFile0Value2", json!({"Ref": "WebBot891A2C18"})),
        (
            "DeploySiteFile0Value3",
            json!({"Fn::GetAtt": [alias, "BotAliasId"]}),
        ),
        ("DeploySiteFile0Value4", json!("en_US")),
        (
            "DeploySiteDistributionId",
            json!({"Ref": "SiteDistribution3FF9535D"}),
        ),
    ] {
        assert_eq!(t.outputs[id].value, value, "{id}");
    }
    assert!(t.parameters.is_empty() && t.conditions.is_empty());

    snapshot_template("lex_web_ui", &t);
}

#[test]
fn identity_pool_minimal() {
    let app = App::new();
    let stack = app.stack("IdentityPoolMinimal");
    IdentityPool::new(
        &stack,
        "TestIdentityPoolMinimal",
        IdentityPoolProps::default(),
    )
    .unwrap();
    let t = synth_one(&app);
    let pool = "TestIdentityPoolMinimal44837852";
    assert_eq!(
        serde_json::to_value(&t.resources[pool].properties).unwrap(),
        json!({"AllowUnauthenticatedIdentities": false, "AllowClassicFlow": false})
    );
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::IAM::Role", 2);
    a.has_resource_properties(
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": cognito_trust(pool, "authenticated")}),
    );
    a.has_resource_properties(
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": cognito_trust(pool, "unauthenticated")}),
    );
    snapshot_template("identity_pool_minimal", &t);
}

/// Makes `role` trust only identities of `pool` (with `amr`). Roles that a
/// pool's props refer to must exist before the pool, so their trust policy
/// is completed afterwards through the L1 escape hatch.
fn trust_only(role: &Role, pool: &IdentityPool, amr: &str) {
    let statement = Principal::web_identity(
        "cognito-identity.amazonaws.com",
        Conditions::new()
            .with(
                ConditionOperator::StringEquals,
                "cognito-identity.amazonaws.com:aud",
                pool.identity_pool_id(),
            )
            .with(
                ConditionOperator::StringLike.for_any_value(),
                "cognito-identity.amazonaws.com:amr",
                amr,
            ),
    )
    .to_statement();
    role.resource().add_property_override(
        "AssumeRolePolicyDocument",
        PolicyDocument::new([statement]).to_expr(),
    );
}

fn placeholder_role(stack: &Stack, id: &str) -> Role {
    Role::new(
        &stack,
        id,
        RoleProps {
            assumed_by: Some(Principal::federated("cognito-identity.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn user_pool(stack: &Stack) -> (ResourceRef, ResourceRef) {
    let pool = stack
        .add_resource("UserPool", CfnResource::new("AWS::Cognito::UserPool"))
        .unwrap();
    let client = stack
        .add_resource(
            "UserPoolClient",
            CfnResource::new("AWS::Cognito::UserPoolClient").set("UserPoolId", pool.to_ref()),
        )
        .unwrap();
    (pool, client)
}

#[test]
fn identity_pool_role_mappings() {
    let app = App::new();
    let stack = app.stack("IdentityPoolRoleMappings");
    let admins = placeholder_role(&stack, "AdminRole");
    let (user_pool, client) = user_pool(&stack);
    let rule = |claim: &str, value: &str, match_type| RoleMappingRule {
        claim: claim.into(),
        claim_value: value.into(),
        match_type,
        mapped_role: admins.clone(),
    };
    let mut user_pool_mapping = RoleMapping::token(ProviderUrl::UserPool(Expr::join(
        "",
        [
            UserPoolProvider::provider_name_for(user_pool.to_ref()),
            ":".into(),
            client.to_ref(),
        ],
    )));
    user_pool_mapping.mapping_key = Some("userpool".into());
    user_pool_mapping.resolve_ambiguous_roles = true;
    let pool = IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            authentication_providers: AuthenticationProviders {
                google: Some("123.apps.googleusercontent.com".into()),
                facebook: Some("1234567890".into()),
                user_pools: vec![UserPoolProvider::new(user_pool.to_ref(), client.to_ref())],
                ..Default::default()
            },
            role_mappings: vec![
                RoleMapping::token(ProviderUrl::Facebook),
                RoleMapping::rules(
                    ProviderUrl::Google,
                    vec![
                        rule("email", "admin@example.com", MatchType::Equals),
                        rule("hd", "example.com", MatchType::Contains),
                    ],
                ),
                user_pool_mapping,
            ],
            ..Default::default()
        },
    )
    .unwrap();
    trust_only(&admins, &pool, "authenticated");
    let t = synth_one(&app);

    let roles = Assertions::new(&t).find_resources(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        json!({"RoleMappings": {
            "graph.facebook.com": {"Type": "Token", "AmbiguousRoleResolution": "Deny"},
            "accounts.google.com": {"Type": "Rules", "RulesConfiguration": {"Rules": [
                {"Claim": "email", "RoleARN": {"Fn::GetAtt": ["AdminRole38563C57", "Arn"]}},
                {"Claim": "hd", "MatchType": "Contains"}
            ]}},
            "userpool": {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"}
        }}),
    );
    assert_eq!(roles.len(), 1);
    snapshot_template("identity_pool_role_mappings", &t);
}

#[test]
fn identity_pool_providers() {
    let app = App::new();
    let stack = app.stack("IdentityPoolProviders");
    let (user_pool, client) = user_pool(&stack);
    IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            identity_pool_name: Some("Providers pool".into()),
            allow_classic_flow: true,
            authentication_providers: AuthenticationProviders {
                amazon: Some("amzn1.application.0123456789abcdef".into()),
                google: Some("123.apps.googleusercontent.com".into()),
                facebook: Some("1234567890".into()),
                apple: Some("com.example.app".into()),
                twitter: Some(TwitterProvider {
                    consumer_key: "consumer-key".into(),
                    consumer_secret: "consumer-secret".into(),
                }),
                user_pools: vec![UserPoolProvider::new(user_pool.to_ref(), client.to_ref())],
                open_id_connect_providers: vec![Expr::sub(
                    "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/login.example.com",
                )],
                saml_providers: vec!["arn:aws:iam::123456789012:saml-provider/Corp".into()],
                custom_provider: Some("login.example.app".into()),
            },
            ..Default::default()
        },
    )
    .unwrap();
    let t = synth_one(&app);
    Assertions::new(&t).has_resource_properties(
        "AWS::Cognito::IdentityPool",
        json!({
            "SupportedLoginProviders": {
                "www.amazon.com": "amzn1.application.0123456789abcdef",
                "accounts.google.com": "123.apps.googleusercontent.com",
                "graph.facebook.com": "1234567890",
                "appleid.apple.com": "com.example.app",
                "api.twitter.com": "consumer-key;consumer-secret"
            },
            "CognitoIdentityProviders": [{
                "ClientId": {"Ref": "UserPoolClient"},
                "ProviderName": {"Fn::Sub": "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}"},
                "ServerSideTokenCheck": true
            }],
            "DeveloperProviderName": "login.example.app"
        }),
    );
    snapshot_template("identity_pool_providers", &t);
}

#[test]
fn identity_pool_user_roles() {
    let app = App::new();
    let stack = app.stack("IdentityPoolUserRoles");
    let auth = placeholder_role(&stack, "UsersRole");
    let guest = placeholder_role(&stack, "GuestsRole");
    ManagedPolicyAttachment::new(&auth, ManagedPolicy::aws_managed("AmazonLexRunBotsOnly"))
        .unwrap();
    let pool = IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            allow_unauthenticated_identities: true,
            authenticated_role: Some(auth.clone()),
            unauthenticated_role: Some(guest.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    trust_only(&auth, &pool, "authenticated");
    trust_only(&guest, &pool, "unauthenticated");
    let t = synth_one(&app);
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::IAM::Role", 2);
    let roles = a.find_resources("AWS::IAM::Role", Value::Null);
    let ids: Vec<&str> = roles.iter().map(|(id, _)| *id).collect();
    assert!(ids[0].starts_with("UsersRole") && ids[1].starts_with("GuestsRole"));
    a.has_resource_properties(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        json!({"Roles": {
            "authenticated": {"Fn::GetAtt": [ids[0], "Arn"]},
            "unauthenticated": {"Fn::GetAtt": [ids[1], "Arn"]}
        }}),
    );
    snapshot_template("identity_pool_user_roles", &t);
}

#[test]
fn cross_stack_app() {
    let app = App::new();
    let auth = app.stack("AuthStack");
    let pool = IdentityPool::new(
        &auth,
        "Pool",
        IdentityPoolProps {
            identity_pool_name: Some("Shared".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let consumer = app.stack("AppStack");
    let worker = Role::new(
        &consumer,
        "Worker",
        RoleProps {
            assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap();
    worker
        .add_inline_policy(
            "DescribePool",
            PolicyDocument::new([Statement::allow()
                .actions(["cognito-identity:DescribeIdentityPool"])
                .resources([pool.identity_pool_arn()])]),
        )
        .unwrap();
    // (An output whose value is only an import draws cfn-lint's W6001, so
    // the imports feed resources.)
    consumer
        .add_resource(
            "PoolIdParameter",
            CfnResource::new("AWS::SSM::Parameter")
                .set("Type", "String")
                .set("Value", pool.identity_pool_id()),
        )
        .unwrap();
    consumer
        .add_resource(
            "PoolNameParameter",
            CfnResource::new("AWS::SSM::Parameter")
                .set("Type", "String")
                .set(
                    "Value",
                    Expr::join("/", [Pseudo::Region.into(), pool.identity_pool_name()]),
                ),
        )
        .unwrap();
    consumer.output("WorkerArn", worker.role_arn());

    let assembly = app.synth().unwrap();
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["AuthStack", "AppStack"]);
    let producer = &assembly.stacks[0].template;
    let consumer = &assembly.stacks[1].template;
    let export_ref = "AuthStack:ExportsOutputRefPoolD3F588B86FF122B2";
    let a = Assertions::new(producer);
    a.has_output(
        "ExportsOutputRefPoolD3F588B86FF122B2",
        json!({"Value": {"Ref": "PoolD3F588B8"}, "Export": {"Name": export_ref}}),
    );
    let c = Assertions::new(consumer);
    c.has_resource_properties(
        "AWS::SSM::Parameter",
        json!({"Value": {"Fn::ImportValue": export_ref}}),
    );
    c.has_resource_properties(
        "AWS::SSM::Parameter",
        json!({"Value": {"Fn::Join": ["/", [
            {"Ref": "AWS::Region"},
            {"Fn::ImportValue": "AuthStack:ExportsOutputFnGetAttPoolD3F588B8NameC25666AE"}
        ]]}}),
    );
    c.has_resource_properties(
        "AWS::IAM::Role",
        json!({"Policies": [{"PolicyDocument": {"Statement": [{
            "Resource": {"Fn::Sub": [
                "arn:${AWS::Partition}:cognito-identity:${AWS::Region}:${AWS::AccountId}:identitypool/${PoolD3F588B8}",
                {"PoolD3F588B8": {"Fn::ImportValue": export_ref}}
            ]}
        }]}}]}),
    );
    assert_eq!(assembly.stacks[1].dependencies, ["AuthStack"]);

    snapshot_template("cross_stack_producer", producer);
    snapshot_template("cross_stack_consumer", consumer);
    snapshot_json("cross_stack_manifest", &assembly.manifest());
}

/// Every intrinsic function, a condition tree, a mapping and the resource
/// options, in a template cfn-lint can judge.
#[test]
fn intrinsics() {
    use formwork::template::Parameter;
    use formwork::{RemovalPolicy, Sub, SubPart};

    let app = App::new();
    let stack = app.stack("Intrinsics");
    let env = stack.parameter(
        "Env",
        Parameter {
            type_name: "String".into(),
            default: Some("dev".into()),
            allowed_values: vec!["dev".into(), "prod".into()],
            description: Some("Deployment environment".into()),
            ..Default::default()
        },
    );
    let is_prod = stack.condition("IsProd", Expr::equals(env.value(), "prod"));
    let is_not_prod = stack.condition("IsNotProd", Expr::not(is_prod.to_expr()));
    let prod_in_us_east = stack.condition(
        "IsProdInUsEast",
        Expr::And(vec![
            is_prod.to_expr(),
            Expr::Or(vec![
                Expr::equals(Pseudo::Region, "us-east-1"),
                Expr::equals(Pseudo::Region, "us-east-2"),
            ]),
        ]),
    );
    let sizes = stack.mapping(
        "Sizes",
        json!({"dev": {"Name": "small"}, "prod": {"Name": "large"}}),
    );
    let mut bucket_resource = CfnResource::new("AWS::S3::Bucket");
    bucket_resource.apply_removal_policy(RemovalPolicy::Retain);
    let bucket = stack.add_resource("Bucket", bucket_resource).unwrap();
    let mut topic = CfnResource::new("AWS::SNS::Topic");
    topic.condition = Some(prod_in_us_east);
    topic.add_depends_on(&bucket);
    topic
        .metadata
        .insert("Purpose", "conditional resource".into());
    stack.add_resource("Alerts", topic).unwrap();

    let values: Vec<(&str, Expr)> = vec![
        (
            "Joined",
            Expr::join("-", [Pseudo::StackName.into(), bucket.to_ref()]),
        ),
        (
            "SubText",
            Expr::sub("arn:${AWS::Partition}:s3:::example-${AWS::Region}"),
        ),
        (
            "SubParts",
            Expr::sub_parts([
                SubPart::Text("arn:".into()),
                SubPart::Pseudo(Pseudo::Partition),
                SubPart::Text(":s3:::".into()),
                SubPart::Ref(bucket.element()),
                SubPart::Text("/".into()),
                SubPart::GetAtt(bucket.element(), "DomainName".into()),
            ]),
        ),
        (
            "SubVariables",
            Expr::Sub(Box::new(Sub {
                parts: vec![
                    SubPart::Text("${Name}-".into()),
                    SubPart::Ref(bucket.element()),
                ],
                variables: [("Name".to_owned(), env.value())].into_iter().collect(),
            })),
        ),
        ("Az", Expr::select(0, Expr::get_azs(""))),
        ("Split", Expr::select(1, Expr::split(",", "a,b,c"))),
        ("IfValue", Expr::if_(is_prod, "big", "small")),
        ("Sized", sizes.find(env.value(), "Name")),
        ("Encoded", Expr::base64("hello")),
        ("Imported", Expr::import_value("SharedStack:Value")),
        (
            "Pseudo",
            Expr::join(
                ",",
                [
                    Pseudo::AccountId.into(),
                    Pseudo::Partition.into(),
                    Pseudo::Region.into(),
                    Pseudo::StackId.into(),
                    Pseudo::StackName.into(),
                    Pseudo::UrlSuffix.into(),
                ],
            ),
        ),
        // `Expr::Join` takes its parts as a literal list, so a join over a
        // list-valued expression needs the JSON escape hatch.
        (
            "Notifications",
            json!({"Fn::Join": [",", {"Ref": "AWS::NotificationARNs"}]}).into(),
        ),
    ];
    for (id, value) in values {
        stack
            .add_resource(
                id,
                CfnResource::new("AWS::SSM::Parameter")
                    .set("Type", "String")
                    .set("Value", value)
                    .set("Description", Expr::if_(is_prod, "prod", Pseudo::NoValue)),
            )
            .unwrap();
    }
    stack
        .output("BucketName", bucket.to_ref())
        .description("only outside prod")
        .condition(is_not_prod)
        .export_name(Expr::sub("${AWS::StackName}-bucket"));

    let t = synth_one(&app);
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::SSM::Parameter", 12);
    a.has_resource(
        "AWS::SNS::Topic",
        json!({"DependsOn": ["Bucket"], "Condition": "IsProdInUsEast"}),
    );
    a.has_resource_properties(
        "AWS::SSM::Parameter",
        json!({"Value": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${Bucket.DomainName}"}}),
    );
    a.has_output(
        "BucketName",
        json!({"Condition": "IsNotProd", "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-bucket"}}}),
    );
    snapshot_template("intrinsics", &t);
}
