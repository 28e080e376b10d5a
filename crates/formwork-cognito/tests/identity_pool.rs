//! The identity pool L2: resources, default roles and their trust policy,
//! providers, role mappings, user-supplied roles, handles, and the exact
//! error of every invalid input.

use formwork_cognito::{
    AuthenticationProviders, IdentityPool, IdentityPoolProps, MatchType, ProviderUrl, RoleMapping,
    RoleMappingRule, TwitterProvider, UserPoolProvider,
};
use formwork_core::assertions::Assertions;
use formwork_core::{App, CfnResource, Expr, Scope, Template};
use formwork_iam::{Principal, Role, RoleProps};
use serde_json::{json, Value};

// Logical IDs of construct `Pool` (md5 of the paths below the stack).
const POOL: &str = "PoolD3F588B8";
const AUTH: &str = "PoolAuthenticatedRoleF46F2D22";
const UNAUTH: &str = "PoolUnauthenticatedRoleD84FEE8E";
const ATTACHMENT: &str = "PoolDefaultRoleAttachmentB0D1A3B7";

#[track_caller]
fn pool_template(props: IdentityPoolProps) -> Template {
    let app = App::new();
    IdentityPool::new(&app.stack("S"), "Pool", props).unwrap();
    app.synth().unwrap().stacks.remove(0).template
}

#[track_caller]
fn pool_error(props: IdentityPoolProps) -> String {
    let app = App::new();
    IdentityPool::new(&app.stack("S"), "Pool", props)
        .unwrap_err()
        .to_string()
}

fn properties(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id].properties).unwrap()
}

fn trust_policy(amr: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": {"Ref": POOL}},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}
            }
        }]
    })
}

fn providers(p: AuthenticationProviders) -> IdentityPoolProps {
    IdentityPoolProps {
        authentication_providers: p,
        ..Default::default()
    }
}

#[test]
fn minimal_pool_builds_what_the_cdk_builds() {
    let t = pool_template(IdentityPoolProps::default());
    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(ids, [POOL, AUTH, UNAUTH, ATTACHMENT]);
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::Cognito::IdentityPool", 1);
    a.resource_count_is("AWS::IAM::Role", 2);
    a.resource_count_is("AWS::Cognito::IdentityPoolRoleAttachment", 1);
    assert_eq!(
        properties(&t, POOL),
        json!({"AllowUnauthenticatedIdentities": false, "AllowClassicFlow": false}),
        "AllowUnauthenticatedIdentities is always written"
    );
    // The default roles trust only this pool and carry no permissions.
    assert_eq!(
        properties(&t, AUTH),
        json!({"AssumeRolePolicyDocument": trust_policy("authenticated")})
    );
    assert_eq!(
        properties(&t, UNAUTH),
        json!({"AssumeRolePolicyDocument": trust_policy("unauthenticated")})
    );
    assert_eq!(
        properties(&t, ATTACHMENT),
        json!({
            "IdentityPoolId": {"Ref": POOL},
            "Roles": {
                "authenticated": {"Fn::GetAtt": [AUTH, "Arn"]},
                "unauthenticated": {"Fn::GetAtt": [UNAUTH, "Arn"]}
            }
        })
    );
    a.has_resource(
        "AWS::Cognito::IdentityPoolRoleAttachment",
        json!({"Metadata": {"aws:cdk:path": "S/Pool/DefaultRoleAttachment/Resource"}}),
    );
}

#[test]
fn name_and_flags() {
    let t = pool_template(IdentityPoolProps {
        identity_pool_name: Some("My pool_1+=,.@-".into()),
        allow_unauthenticated_identities: true,
        allow_classic_flow: true,
        ..Default::default()
    });
    assert_eq!(
        properties(&t, POOL),
        json!({
            "AllowUnauthenticatedIdentities": true,
            "AllowClassicFlow": true,
            "IdentityPoolName": "My pool_1+=,.@-"
        })
    );
}

#[test]
fn name_errors() {
    let named = |name: &str| IdentityPoolProps {
        identity_pool_name: Some(name.into()),
        ..Default::default()
    };
    assert_eq!(
        pool_error(named("Bot!")),
        "S/Pool: IdentityPoolName: must match ^[\\w\\s+=,.@-]+$; '!' is not allowed in \"Bot!\""
    );
    assert_eq!(
        pool_error(named("")),
        "S/Pool: IdentityPoolName: must be 1-128 characters long, got 0 (\"\")"
    );
    let long = "p".repeat(129);
    assert_eq!(
        pool_error(named(&long)),
        format!("S/Pool: IdentityPoolName: must be 1-128 characters long, got 129 ({long:?})")
    );
    pool_template(named(&"p".repeat(128)));
}

#[test]
fn handles() {
    let app = App::new();
    let stack = app.stack("S");
    let pool = IdentityPool::new(&stack, "Pool", IdentityPoolProps::default()).unwrap();
    stack.output("Id", pool.identity_pool_id());
    stack.output("Name", pool.identity_pool_name());
    stack.output("Arn", pool.identity_pool_arn());
    stack.output("Auth", pool.authenticated_role().role_arn());
    stack.output("Attachment", pool.role_attachment().to_ref());
    assert_eq!(pool.resource().to_ref(), pool.identity_pool_id());
    let t = app.synth().unwrap().stacks.remove(0).template;
    let a = Assertions::new(&t);
    a.has_output("Id", json!({"Value": {"Ref": POOL}}));
    a.has_output("Name", json!({"Value": {"Fn::GetAtt": [POOL, "Name"]}}));
    a.has_output(
        "Arn",
        json!({"Value": {"Fn::Sub": format!(
            "arn:${{AWS::Partition}}:cognito-identity:${{AWS::Region}}:${{AWS::AccountId}}:identitypool/${{{POOL}}}"
        )}}),
    );
    a.has_output("Auth", json!({"Value": {"Fn::GetAtt": [AUTH, "Arn"]}}));
    a.has_output("Attachment", json!({"Value": {"Ref": ATTACHMENT}}));
}

#[test]
fn every_login_provider() {
    let t = pool_template(providers(AuthenticationProviders {
        amazon: Some("amzn1.application.1".into()),
        google: Some("123.apps.googleusercontent.com".into()),
        facebook: Some("1234567890".into()),
        apple: Some("com.example.app".into()),
        twitter: Some(TwitterProvider {
            consumer_key: "key".into(),
            consumer_secret: "secret".into(),
        }),
        ..Default::default()
    }));
    assert_eq!(
        properties(&t, POOL)["SupportedLoginProviders"],
        json!({
            "www.amazon.com": "amzn1.application.1",
            "accounts.google.com": "123.apps.googleusercontent.com",
            "graph.facebook.com": "1234567890",
            "appleid.apple.com": "com.example.app",
            "api.twitter.com": "key;secret"
        })
    );
}

#[test]
fn user_pools_oidc_saml_and_developer_provider() {
    let app = App::new();
    let stack = app.stack("S");
    let user_pool = stack
        .add_resource("UserPool", CfnResource::new("AWS::Cognito::UserPool"))
        .unwrap();
    let client = stack
        .add_resource(
            "Client",
            CfnResource::new("AWS::Cognito::UserPoolClient").set("UserPoolId", user_pool.to_ref()),
        )
        .unwrap();
    let mut literal = UserPoolProvider::new("us-east-1_abc", "client1");
    literal.server_side_token_check = false;
    IdentityPool::new(
        &stack,
        "Pool",
        providers(AuthenticationProviders {
            user_pools: vec![
                UserPoolProvider::new(user_pool.to_ref(), client.to_ref()),
                literal,
            ],
            open_id_connect_providers: vec![
                "arn:aws:iam::123456789012:oidc-provider/example.com".into()
            ],
            saml_providers: vec!["arn:aws:iam::123456789012:saml-provider/Corp".into()],
            custom_provider: Some("login.example.app".into()),
            ..Default::default()
        }),
    )
    .unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    let props = properties(&t, POOL);
    assert_eq!(
        props["CognitoIdentityProviders"],
        json!([
            {
                "ClientId": {"Ref": "Client"},
                "ProviderName": {"Fn::Sub": "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}"},
                "ServerSideTokenCheck": true
            },
            {
                "ClientId": "client1",
                "ProviderName": {"Fn::Sub": "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/us-east-1_abc"},
                "ServerSideTokenCheck": false
            }
        ])
    );
    assert_eq!(
        props["OpenIdConnectProviderARNs"],
        json!(["arn:aws:iam::123456789012:oidc-provider/example.com"])
    );
    assert_eq!(
        props["SamlProviderARNs"],
        json!(["arn:aws:iam::123456789012:saml-provider/Corp"])
    );
    assert_eq!(props["DeveloperProviderName"], json!("login.example.app"));
    assert!(props.get("SupportedLoginProviders").is_none());
}

#[test]
fn user_pool_id_given_as_another_expression_is_joined() {
    let name = UserPoolProvider::provider_name_for(Expr::import_value("Shared:UserPoolId"));
    let app = App::new();
    app.stack("S").output("N", name);
    let t = app.synth().unwrap().stacks.remove(0).template;
    assert_eq!(
        t.outputs["N"].value,
        json!({"Fn::Join": ["", [
            {"Fn::Sub": "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/"},
            {"Fn::ImportValue": "Shared:UserPoolId"}
        ]]})
    );
}

#[test]
fn provider_errors() {
    assert_eq!(
        pool_error(providers(AuthenticationProviders {
            google: Some(" ".into()),
            ..Default::default()
        })),
        "S/Pool: SupportedLoginProviders: the accounts.google.com app/client id is empty"
    );
    for (key, secret) in [("", "s"), ("k", ""), ("k;x", "s")] {
        assert_eq!(
            pool_error(providers(AuthenticationProviders {
                twitter: Some(TwitterProvider {
                    consumer_key: key.into(),
                    consumer_secret: secret.into(),
                }),
                ..Default::default()
            })),
            "S/Pool: SupportedLoginProviders: Twitter needs a consumer key (without ';') and a consumer secret"
        );
    }
    assert_eq!(
        pool_error(providers(AuthenticationProviders {
            open_id_connect_providers: vec!["example.com".into()],
            ..Default::default()
        })),
        "S/Pool: OpenIdConnectProviderARNs: must be provider ARNs of 20-2048 characters, got \"example.com\""
    );
    assert_eq!(
        pool_error(providers(AuthenticationProviders {
            saml_providers: vec!["not-an-arn-but-long-enough".into()],
            ..Default::default()
        })),
        "S/Pool: SamlProviderARNs: must be provider ARNs of 20-2048 characters, got \"not-an-arn-but-long-enough\""
    );
    assert_eq!(
        pool_error(providers(AuthenticationProviders {
            custom_provider: Some("login example".into()),
            ..Default::default()
        })),
        "S/Pool: DeveloperProviderName: must match ^[\\w._-]+$; ' ' is not allowed in \"login example\""
    );
    let long = "d".repeat(129);
    assert_eq!(
        pool_error(providers(AuthenticationProviders {
            custom_provider: Some(long.clone()),
            ..Default::default()
        })),
        format!("S/Pool: DeveloperProviderName: must be 1-128 characters long, got 129 ({long:?})")
    );
}

fn admin_role(stack: &impl Scope) -> Role {
    Role::new(
        &stack,
        "Admin",
        RoleProps {
            assumed_by: Some(Principal::federated("cognito-identity.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn rule(claim: &str, value: &str, match_type: MatchType, role: Role) -> RoleMappingRule {
    RoleMappingRule {
        claim: claim.into(),
        claim_value: value.into(),
        match_type,
        mapped_role: role,
    }
}

#[test]
fn role_mappings_token_and_rules() {
    let app = App::new();
    let stack = app.stack("S");
    let admin = admin_role(&stack);
    let user_pool = stack
        .add_resource("UserPool", CfnResource::new("AWS::Cognito::UserPool"))
        .unwrap();
    let mut facebook = RoleMapping::token(ProviderUrl::Facebook);
    facebook.resolve_ambiguous_roles = true;
    let mut by_ref = RoleMapping::token(ProviderUrl::UserPool(
        UserPoolProvider::provider_name_for(user_pool.to_ref()),
    ));
    by_ref.mapping_key = Some("userpool".into());
    IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            role_mappings: vec![
                facebook,
                RoleMapping::rules(
                    ProviderUrl::Google,
                    vec![
                        rule(
                            "email",
                            "admin@example.com",
                            MatchType::Equals,
                            admin.clone(),
                        ),
                        rule("hd", "example", MatchType::Contains, admin.clone()),
                        rule("sub", "1", MatchType::StartsWith, admin.clone()),
                        rule("aud", "x", MatchType::NotEqual, admin.clone()),
                    ],
                ),
                by_ref,
            ],
            ..Default::default()
        },
    )
    .unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    let admin_arn = json!({"Fn::GetAtt": ["AdminC75D2A91", "Arn"]});
    assert_eq!(
        properties(&t, ATTACHMENT)["RoleMappings"],
        json!({
            "graph.facebook.com": {
                "AmbiguousRoleResolution": "AuthenticatedRole",
                "IdentityProvider": "graph.facebook.com",
                "Type": "Token"
            },
            "accounts.google.com": {
                "AmbiguousRoleResolution": "Deny",
                "IdentityProvider": "accounts.google.com",
                "Type": "Rules",
                "RulesConfiguration": {"Rules": [
                    {"Claim": "email", "MatchType": "Equals", "RoleARN": admin_arn, "Value": "admin@example.com"},
                    {"Claim": "hd", "MatchType": "Contains", "RoleARN": admin_arn, "Value": "example"},
                    {"Claim": "sub", "MatchType": "StartsWith", "RoleARN": admin_arn, "Value": "1"},
                    {"Claim": "aud", "MatchType": "NotEqual", "RoleARN": admin_arn, "Value": "x"}
                ]}
            },
            "userpool": {
                "AmbiguousRoleResolution": "Deny",
                "IdentityProvider": {"Fn::Sub": "cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}"},
                "Type": "Token"
            }
        })
    );
}

#[test]
fn every_provider_url_renders_its_key() {
    let urls = [
        (ProviderUrl::Amazon, "www.amazon.com"),
        (ProviderUrl::Apple, "appleid.apple.com"),
        (ProviderUrl::Twitter, "api.twitter.com"),
        (
            ProviderUrl::OpenIdConnect("oidc.example.com".into()),
            "oidc.example.com",
        ),
        (
            ProviderUrl::Saml("arn:aws:iam::1:saml-provider/Corp".into()),
            "arn:aws:iam::1:saml-provider/Corp",
        ),
        (
            ProviderUrl::Custom("custom.example".into()),
            "custom.example",
        ),
        (
            ProviderUrl::UserPool("cognito-idp.us-east-1.amazonaws.com/us-east-1_a:c".into()),
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_a:c",
        ),
    ];
    let t = pool_template(IdentityPoolProps {
        role_mappings: urls
            .iter()
            .map(|(u, _)| RoleMapping::token(u.clone()))
            .collect(),
        ..Default::default()
    });
    let mappings = properties(&t, ATTACHMENT)["RoleMappings"].clone();
    let keys: Vec<&String> = mappings.as_object().unwrap().keys().collect();
    let expected: Vec<&str> = urls.iter().map(|(_, k)| *k).collect();
    assert_eq!(keys, expected);
    for (_, key) in urls {
        assert_eq!(mappings[key]["IdentityProvider"], json!(key));
    }
}

#[test]
fn role_mapping_errors() {
    let app = App::new();
    let stack = app.stack("S");
    let admin = admin_role(&stack);
    let user_pool = stack
        .add_resource("UserPool", CfnResource::new("AWS::Cognito::UserPool"))
        .unwrap();
    let mut id = 0;
    let mut err = |mappings: Vec<RoleMapping>| {
        id += 1;
        IdentityPool::new(
            &stack,
            &format!("Pool{id}"),
            IdentityPoolProps {
                role_mappings: mappings,
                ..Default::default()
            },
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        err(vec![RoleMapping::token(ProviderUrl::UserPool(
            user_pool.to_ref()
        ))]),
        "S/Pool1/DefaultRoleAttachment: RoleMappings: a role mapping whose provider is a reference (not a literal) needs a mapping_key, a literal key for RoleMappings such as the provider name"
    );
    assert_eq!(
        err(vec![
            RoleMapping::token(ProviderUrl::Facebook),
            RoleMapping::token(ProviderUrl::Facebook)
        ]),
        "S/Pool2/DefaultRoleAttachment: RoleMappings: two role mappings use the key \"graph.facebook.com\""
    );
    let mut custom = RoleMapping::token(ProviderUrl::Google);
    custom.mapping_key = Some("graph.facebook.com".into());
    assert_eq!(
        err(vec![RoleMapping::token(ProviderUrl::Facebook), custom]),
        "S/Pool3/DefaultRoleAttachment: RoleMappings: two role mappings use the key \"graph.facebook.com\""
    );
    assert_eq!(
        err(vec![RoleMapping::rules(ProviderUrl::Google, vec![])]),
        "S/Pool4/DefaultRoleAttachment: RoleMappings: mapping \"accounts.google.com\" of type Rules needs 1-25 rules, got 0"
    );
    let many: Vec<RoleMappingRule> = (0..26)
        .map(|i| rule("c", &i.to_string(), MatchType::Equals, admin.clone()))
        .collect();
    assert_eq!(
        err(vec![RoleMapping::rules(ProviderUrl::Google, many.clone())]),
        "S/Pool5/DefaultRoleAttachment: RoleMappings: mapping \"accounts.google.com\" of type Rules needs 1-25 rules, got 26"
    );
    let mut both = RoleMapping::token(ProviderUrl::Amazon);
    both.rules = many[..1].to_vec();
    assert_eq!(
        err(vec![both]),
        "S/Pool6/DefaultRoleAttachment: RoleMappings: mapping \"www.amazon.com\" uses the token, so it cannot also have rules"
    );
    assert_eq!(
        err(vec![RoleMapping::rules(
            ProviderUrl::Google,
            vec![rule("", "x", MatchType::Equals, admin.clone())]
        )]),
        "S/Pool7/DefaultRoleAttachment: RoleMappings.RulesConfiguration.Rules: mapping \"accounts.google.com\": a rule's claim must be 1-64 characters and its value 1-128, got \"\" and \"x\""
    );
    let mut empty = RoleMapping::token(ProviderUrl::Amazon);
    empty.mapping_key = Some(String::new());
    assert_eq!(
        err(vec![empty]),
        "S/Pool8/DefaultRoleAttachment: RoleMappings: the mapping key must not be empty"
    );
    // 25 rules are fine.
    IdentityPool::new(
        &stack,
        "Ok",
        IdentityPoolProps {
            role_mappings: vec![RoleMapping::rules(ProviderUrl::Google, many[..25].to_vec())],
            ..Default::default()
        },
    )
    .unwrap();
    // Invalid props are rejected before anything is added to the stack.
    let t = app.synth().unwrap().stacks.remove(0).template;
    Assertions::new(&t).resource_count_is("AWS::Cognito::IdentityPool", 1);
}

#[test]
fn user_supplied_roles_replace_the_default_roles() {
    let app = App::new();
    let stack = app.stack("S");
    let auth = Role::new(
        &stack,
        "MyAuth",
        RoleProps {
            assumed_by: Some(Principal::federated("cognito-identity.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap();
    let unauth = Role::new(
        &stack,
        "MyUnauth",
        RoleProps {
            assumed_by: Some(Principal::federated("cognito-identity.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap();
    let pool = IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            authenticated_role: Some(auth.clone()),
            unauthenticated_role: Some(unauth.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(pool.authenticated_role(), &auth);
    assert_eq!(pool.unauthenticated_role(), &unauth);
    let t = app.synth().unwrap().stacks.remove(0).template;
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::IAM::Role", 2);
    assert!(!t.resources.contains_key(AUTH) && !t.resources.contains_key(UNAUTH));
    let roles = a.find_resources("AWS::IAM::Role", Value::Null);
    let ids: Vec<&str> = roles.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        properties(&t, ATTACHMENT)["Roles"],
        json!({
            "authenticated": {"Fn::GetAtt": [ids[0], "Arn"]},
            "unauthenticated": {"Fn::GetAtt": [ids[1], "Arn"]}
        })
    );
    assert!(ids[0].starts_with("MyAuth") && ids[1].starts_with("MyUnauth"));
}

#[test]
fn one_user_supplied_role_keeps_the_other_default() {
    let app = App::new();
    let stack = app.stack("S");
    let auth = admin_role(&stack);
    IdentityPool::new(
        &stack,
        "Pool",
        IdentityPoolProps {
            authenticated_role: Some(auth),
            ..Default::default()
        },
    )
    .unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    Assertions::new(&t).resource_count_is("AWS::IAM::Role", 2);
    assert!(!t.resources.contains_key(AUTH));
    assert_eq!(
        properties(&t, UNAUTH),
        json!({"AssumeRolePolicyDocument": trust_policy("unauthenticated")})
    );
    assert_eq!(
        properties(&t, ATTACHMENT)["Roles"]["authenticated"],
        json!({"Fn::GetAtt": ["AdminC75D2A91", "Arn"]})
    );
}

#[test]
fn pool_in_a_nested_scope() {
    let app = App::new();
    let stack = app.stack("S");
    let group = stack.child("Auth").unwrap();
    IdentityPool::new(&group, "Pool", IdentityPoolProps::default()).unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    Assertions::new(&t).has_resource(
        "AWS::Cognito::IdentityPool",
        json!({"Metadata": {"aws:cdk:path": "S/Auth/Pool/Resource"}}),
    );
    assert_eq!(
        formwork_core::logical_id::logical_id(&["Auth", "Pool", "Resource"]).unwrap(),
        *t.resources.keys().next().unwrap()
    );
}

#[test]
fn duplicate_pool_id_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    IdentityPool::new(&stack, "Pool", IdentityPoolProps::default()).unwrap();
    assert_eq!(
        IdentityPool::new(&stack, "Pool", IdentityPoolProps::default())
            .unwrap_err()
            .to_string(),
        "S/Pool: there is already a construct with id \"Pool\" in scope S; construct ids must be unique among siblings"
    );
}

#[test]
fn default_roles_take_permissions_after_creation() {
    let app = App::new();
    let stack = app.stack("S");
    let pool = IdentityPool::new(&stack, "Pool", IdentityPoolProps::default()).unwrap();
    let copy = pool.clone();
    assert_eq!(copy, pool);
    assert_eq!(copy.role_attachment(), pool.role_attachment());
    stack.output("Auth", pool.authenticated_role().role_arn());
    copy.authenticated_role()
        .add_to_policy(
            formwork_iam::Statement::allow()
                .actions(["lex:RecognizeText"])
                .resources(["*"]),
        )
        .unwrap();
    pool.unauthenticated_role()
        .add_managed_policy(&formwork_iam::ManagedPolicy::aws_managed(
            "AmazonLexRunBotsOnly",
        ))
        .unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    let policy_id = formwork_core::logical_id::logical_id(&[
        "Pool",
        "AuthenticatedRole",
        "DefaultPolicy",
        "Resource",
    ])
    .unwrap();
    assert_eq!(
        properties(&t, &policy_id),
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "lex:RecognizeText", "Resource": "*"}]
            },
            "PolicyName": policy_id,
            "Roles": [{"Ref": AUTH}]
        })
    );
    assert_eq!(
        properties(&t, UNAUTH)["ManagedPolicyArns"],
        json!([{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonLexRunBotsOnly"]]}])
    );
    // The authenticated role's own properties are unchanged.
    assert_eq!(
        properties(&t, AUTH),
        json!({"AssumeRolePolicyDocument": trust_policy("authenticated")})
    );
}
