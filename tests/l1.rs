//! Generated L1 constructs synthesized through `formwork::App`.

use formwork::cfn::iam::{role, CfnRole, CfnRoleProps};
use formwork::cfn::lex::{bot, CfnBot, CfnBotProps};
use formwork::cfn::s3::{bucket, CfnBucket, CfnBucketProps};
use formwork::cfn::support::Value;
use formwork::{App, Expr, Pseudo, Scope};
use serde_json::{json, Value as Json};

fn synth(app: &App) -> Json {
    let assembly = app.synth().expect("synth");
    serde_json::from_str(&assembly.stacks[0].template.to_json()).expect("json")
}

#[test]
fn s3_bucket_with_versioning_enum_and_get_att() {
    let app = App::new();
    let stack = app.stack("Site");
    let bucket = CfnBucket::new(
        &stack,
        "Bucket",
        CfnBucketProps::builder()
            .versioning_configuration(bucket::VersioningConfiguration::new(
                bucket::VersioningConfigurationStatus::Enabled,
            ))
            .public_access_block_configuration(bucket::PublicAccessBlockConfiguration {
                block_public_acls: Some(true.into()),
                block_public_policy: Some(true.into()),
                ignore_public_acls: Some(true.into()),
                restrict_public_buckets: Some(true.into()),
            })
            .bucket_name(Expr::sub("site-${AWS::AccountId}"))
            .tags(vec![bucket::Tag::new("team", "web")])
            .build(),
    )
    .unwrap();
    assert_eq!(CfnBucket::TYPE_NAME, "AWS::S3::Bucket");
    stack.output("BucketArn", bucket.attr_arn());
    stack.output("BucketName", bucket.to_ref());
    stack.output("Regional", bucket.attr_regional_domain_name());

    // L1s add the resource directly under their id: the path is Site/Bucket.
    assert_eq!(bucket.resource().path(), "Site/Bucket");

    let t = synth(&app);
    let r = &t["Resources"]["Bucket"];
    assert_eq!(r["Type"], "AWS::S3::Bucket");
    assert_eq!(
        r["Properties"],
        json!({
            "BucketName": {"Fn::Sub": "site-${AWS::AccountId}"},
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": true,
                "BlockPublicPolicy": true,
                "IgnorePublicAcls": true,
                "RestrictPublicBuckets": true
            },
            "Tags": [{"Key": "team", "Value": "web"}],
            "VersioningConfiguration": {"Status": "Enabled"}
        })
    );
    // Alphabetical key order, as the CDK writes it.
    let keys: Vec<&String> = r["Properties"].as_object().unwrap().keys().collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        t["Outputs"]["BucketArn"]["Value"],
        json!({"Fn::GetAtt": ["Bucket", "Arn"]})
    );
    assert_eq!(
        t["Outputs"]["BucketName"]["Value"],
        json!({"Ref": "Bucket"})
    );
    assert_eq!(
        t["Outputs"]["Regional"]["Value"],
        json!({"Fn::GetAtt": ["Bucket", "RegionalDomainName"]})
    );
}

#[test]
fn nested_attribute_names() {
    let app = App::new();
    let stack = app.stack("Db");
    let bucket = CfnBucket::new(&stack, "B", CfnBucketProps::default()).unwrap();
    assert_eq!(
        bucket.attr_metadata_table_configuration_s3_tables_destination_table_arn(),
        bucket
            .resource()
            .get_att("MetadataTableConfiguration.S3TablesDestination.TableArn")
    );
}

#[test]
fn an_enum_property_accepts_an_expression() {
    let app = App::new();
    // A value newer than the vendored schema: the escape hatch, with schema
    // validation (which would reject it) turned off.
    app.set_validation(false);
    let stack = app.stack("S");
    let status = stack.parameter(
        "Status",
        formwork::template::Parameter {
            type_name: "String".into(),
            ..Default::default()
        },
    );
    CfnBucket::new(
        &stack,
        "B",
        CfnBucketProps {
            versioning_configuration: Some(
                bucket::VersioningConfiguration {
                    status: status.value().into(),
                }
                .into(),
            ),
            access_control: Some(Value::Expr("SomeFutureValue".into())),
            ..Default::default()
        },
    )
    .unwrap();
    let t = synth(&app);
    assert_eq!(
        t["Resources"]["B"]["Properties"],
        json!({
            "AccessControl": "SomeFutureValue",
            "VersioningConfiguration": {"Status": {"Ref": "Status"}}
        })
    );
}

#[test]
fn iam_role() {
    let app = App::new();
    let stack = app.stack("Iam");
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lexv2.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    });
    let managed = Expr::join(
        "",
        [
            "arn:".into(),
            Pseudo::Partition.into(),
            ":iam::aws:policy/AmazonLexRunBotsOnly".into(),
        ],
    );
    let role = CfnRole::new(
        &stack,
        "BotRole",
        CfnRoleProps::builder()
            .assume_role_policy_document(trust.clone())
            .managed_policy_arns(vec![managed])
            .max_session_duration(3600)
            .policies(vec![role::Policy::new(
                json!({"Version": "2012-10-17", "Statement": []}),
                "inline",
            )])
            .build(),
    )
    .unwrap();
    stack.output("RoleArn", role.attr_arn());
    let t = synth(&app);
    assert_eq!(
        t["Resources"]["BotRole"],
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": trust,
                "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonLexRunBotsOnly"]]}],
                "MaxSessionDuration": 3600,
                "Policies": [{"PolicyDocument": {"Version": "2012-10-17", "Statement": []}, "PolicyName": "inline"}]
            },
            "Metadata": {"aws:cdk:path": "Iam/BotRole"}
        })
    );
}

#[test]
fn lex_bot_with_an_intent() {
    let app = App::new();
    let stack = app.stack("Bot");
    let role = CfnRole::new(
        &stack,
        "Role",
        CfnRoleProps::builder()
            .assume_role_policy_document(json!({"Version": "2012-10-17", "Statement": []}))
            .build(),
    )
    .unwrap();
    let intent = bot::Intent {
        sample_utterances: Some(vec![bot::SampleUtterance::new("hello")].into()),
        ..bot::Intent::new("Greet")
    };
    let fallback = bot::Intent {
        parent_intent_signature: Some("AMAZON.FallbackIntent".into()),
        ..bot::Intent::new("FallbackIntent")
    };
    let locale = bot::BotLocale {
        intents: Some(vec![intent, fallback].into()),
        ..bot::BotLocale::new("en_US", 0.4)
    };
    let lex = CfnBot::new(
        &stack,
        "WebBot",
        CfnBotProps::builder()
            .data_privacy(bot::DataPrivacy::new(false))
            .idle_session_ttl_in_seconds(300)
            .name("WebBot")
            .role_arn(role.attr_arn())
            .bot_locales(vec![locale])
            .auto_build_bot_locales(true)
            .build(),
    )
    .unwrap();
    stack.output("BotId", lex.to_ref());
    stack.output("BotArn", lex.attr_arn());
    let t = synth(&app);
    let props = &t["Resources"]["WebBot"]["Properties"];
    assert_eq!(t["Resources"]["WebBot"]["Type"], "AWS::Lex::Bot");
    assert_eq!(props["DataPrivacy"], json!({"ChildDirected": false}));
    assert_eq!(props["IdleSessionTTLInSeconds"], json!(300));
    assert_eq!(props["RoleArn"], json!({"Fn::GetAtt": ["Role", "Arn"]}));
    assert_eq!(
        props["BotLocales"],
        json!([{
            "Intents": [
                {"Name": "Greet", "SampleUtterances": [{"Utterance": "hello"}]},
                {"Name": "FallbackIntent", "ParentIntentSignature": "AMAZON.FallbackIntent"}
            ],
            "LocaleId": "en_US",
            "NluConfidenceThreshold": 0.4
        }])
    );
    assert_eq!(
        t["Outputs"]["BotArn"]["Value"],
        json!({"Fn::GetAtt": ["WebBot", "Arn"]})
    );
}

#[test]
fn duplicate_ids_are_errors_not_panics() {
    let app = App::new();
    let stack = app.stack("S");
    CfnBucket::new(&stack, "B", CfnBucketProps::default()).unwrap();
    assert!(CfnBucket::new(&stack, "B", CfnBucketProps::default()).is_err());
    let child = stack.child("Site").unwrap();
    let b = CfnBucket::new(&child, "Bucket", CfnBucketProps::default()).unwrap();
    assert_eq!(b.resource().path(), "S/Site/Bucket");
}

#[test]
fn escape_hatches_through_the_resource_handle() {
    let app = App::new();
    let stack = app.stack("S");
    let bucket = CfnBucket::new(&stack, "B", CfnBucketProps::default()).unwrap();
    let role = CfnRole::new(
        &stack,
        "R",
        CfnRoleProps::builder()
            .assume_role_policy_document(json!({"Version": "2012-10-17", "Statement": []}))
            .build(),
    )
    .unwrap();
    // L1 handles are Clone: a copy is the same resource.
    let again = role.clone();
    assert_eq!(again.resource(), role.resource());
    assert_eq!(role.resource().type_name(), "AWS::IAM::Role");
    assert!(role
        .resource()
        .properties()
        .contains_key("AssumeRolePolicyDocument"));
    role.resource()
        .add_property_override("Description", "overridden");
    role.resource().add_depends_on(bucket.resource());
    bucket
        .resource()
        .apply_removal_policy(formwork::RemovalPolicy::Retain);
    bucket.resource().override_logical_id("Adopted").unwrap();
    stack.output("RoleArn", again.attr_arn());
    let t = synth(&app);
    assert_eq!(
        t["Resources"]["R"]["Properties"]["Description"],
        "overridden"
    );
    assert_eq!(t["Resources"]["R"]["DependsOn"], json!(["Adopted"]));
    assert_eq!(t["Resources"]["Adopted"]["DeletionPolicy"], "Retain");
    assert_eq!(t["Resources"]["Adopted"]["UpdateReplacePolicy"], "Retain");
    assert_eq!(
        t["Outputs"]["RoleArn"]["Value"],
        json!({"Fn::GetAtt": ["R", "Arn"]})
    );
}

/// A service the facade has no feature for, enabled on its group crate
/// (this workspace's dev-dependency on formwork-cfn-management with `oam`),
/// is reachable as `formwork::cfn::<service>`, with builders like any other.
#[test]
fn a_service_enabled_on_its_group_crate_shows_in_the_facade() {
    use formwork::cfn::oam::{CfnSink, CfnSinkProps};
    let app = App::new();
    let stack = app.stack("Obs");
    let sink = CfnSink::new(
        &stack,
        "Sink",
        CfnSinkProps::builder().name("central").build(),
    )
    .unwrap();
    stack.output("SinkArn", sink.attr_arn());
    let t = synth(&app);
    assert_eq!(
        t["Resources"]["Sink"],
        json!({
            "Type": "AWS::Oam::Sink",
            "Properties": {"Name": "central"},
            "Metadata": {"aws:cdk:path": "Obs/Sink"}
        })
    );
}
