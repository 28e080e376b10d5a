//! The bucket L2: secure defaults, options, removal policy, the bucket
//! policy, server access logging, imports, and the exact error of every
//! invalid input.

use formwork_core::assertions::Assertions;
use formwork_core::{App, Expr, RemovalPolicy, Scope, Template};
use formwork_iam::{Principal, Statement};
use formwork_s3::{BlockPublicAccess, Bucket, BucketEncryption, BucketProps, ObjectOwnership};
use serde_json::{json, Value};

// Logical IDs of constructs `Site` and `Logs` (as the CDK computes them).
const SITE: &str = "SiteE53D7754";
const SITE_POLICY: &str = "SitePolicyC4000D7D";
const LOGS: &str = "Logs6819BB44";
const LOGS_POLICY: &str = "LogsPolicy90DB40C9";

fn synth(app: &App) -> Template {
    app.synth().unwrap().stacks.remove(0).template
}

fn site(props: BucketProps) -> Template {
    let app = App::new();
    Bucket::new(&app.stack("S"), "Site", props).unwrap();
    synth(&app)
}

fn error(props: BucketProps) -> String {
    let app = App::new();
    Bucket::new(&app.stack("S"), "Site", props)
        .unwrap_err()
        .to_string()
}

fn resource(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id]).unwrap()
}

fn arn(id: &str) -> Value {
    json!({"Fn::GetAtt": [id, "Arn"]})
}

fn objects(id: &str, pattern: &str) -> Value {
    json!({"Fn::Join": ["", [arn(id), format!("/{pattern}")]]})
}

fn tls_only(id: &str) -> Value {
    json!({
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn(id), objects(id, "*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}
    })
}

#[test]
fn secure_defaults_are_written_out() {
    let t = site(BucketProps::default());
    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(ids, [SITE, SITE_POLICY]);
    assert_eq!(
        resource(&t, SITE),
        json!({
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
                ]},
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": true,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true
                }
            },
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain",
            "Metadata": {"aws:cdk:path": "S/Site/Resource"}
        })
    );
    assert_eq!(
        resource(&t, SITE_POLICY)["Properties"],
        json!({
            "Bucket": {"Ref": SITE},
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [tls_only(SITE)]}
        })
    );
}

#[test]
fn options() {
    let t = site(BucketProps {
        bucket_name: Some("my-site.example.com".into()),
        encryption: BucketEncryption::KmsManaged,
        block_public_access: BlockPublicAccess {
            block_public_policy: false,
            ..BlockPublicAccess::BLOCK_ALL
        },
        object_ownership: ObjectOwnership::ObjectWriter,
        enforce_ssl: false,
        versioned: true,
        removal_policy: RemovalPolicy::Delete,
        ..Default::default()
    });
    // No statement: no policy at all.
    assert_eq!(t.resources.len(), 1);
    assert_eq!(
        resource(&t, SITE),
        json!({
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                    {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}
                ]},
                "BucketName": "my-site.example.com",
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "ObjectWriter"}]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": true,
                    "BlockPublicPolicy": false,
                    "IgnorePublicAcls": true,
                    "RestrictPublicBuckets": true
                },
                "VersioningConfiguration": {"Status": "Enabled"}
            },
            "UpdateReplacePolicy": "Delete",
            "DeletionPolicy": "Delete",
            "Metadata": {"aws:cdk:path": "S/Site/Resource"}
        })
    );
}

#[test]
fn retain_except_on_delete_retains_on_replacement() {
    let t = site(BucketProps {
        removal_policy: RemovalPolicy::RetainExceptOnDelete,
        ..Default::default()
    });
    let r = resource(&t, SITE);
    assert_eq!(r["DeletionPolicy"], "RetainExceptOnDelete");
    assert_eq!(r["UpdateReplacePolicy"], "Retain");
}

#[test]
fn statements_are_added_to_one_policy_rendered_late() {
    let app = App::new();
    let stack = app.stack("S");
    let bucket = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let read = Statement::allow()
        .principal(Principal::account("111122223333"))
        .actions(["s3:GetObject"])
        .resources([bucket.arn_for_objects("public/*")]);
    assert!(bucket.add_to_resource_policy(read.clone()).unwrap());
    // The same statement is kept once.
    assert!(bucket.add_to_resource_policy(read).unwrap());
    assert_eq!(bucket.policy_statements().len(), 2);
    // Handles dropped before synthesis: the policy keeps its statements.
    drop(bucket);
    let t = synth(&app);
    let statements = &resource(&t, SITE_POLICY)["Properties"]["PolicyDocument"]["Statement"];
    assert_eq!(statements.as_array().unwrap().len(), 2);
    assert_eq!(statements[1]["Resource"], objects(SITE, "public/*"));
    assert_eq!(
        t.resources[SITE_POLICY].metadata["aws:cdk:path"],
        json!("S/Site/Policy/Resource")
    );
}

#[test]
fn a_resource_policy_statement_needs_a_principal() {
    let app = App::new();
    let bucket = Bucket::new(&app.stack("S"), "Site", BucketProps::default()).unwrap();
    let e = bucket
        .add_to_resource_policy(
            Statement::allow()
                .actions(["s3:GetObject"])
                .resources(["*"]),
        )
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("S/Site/Policy: PolicyDocument: statement 1: "),
        "{e}"
    );
    assert!(e.contains("Principal"), "{e}");
}

#[test]
fn attributes() {
    let app = App::new();
    let stack = app.stack("S");
    let b = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    stack.output("Name", b.bucket_name());
    stack.output("Arn", b.bucket_arn());
    stack.output("Regional", b.bucket_regional_domain_name());
    stack.output("Domain", b.bucket_domain_name());
    stack.output("Uploads", b.arn_for_objects("uploads/*"));
    let t = synth(&app);
    let out = |k: &str| serde_json::to_value(&t.outputs[k].value).unwrap();
    assert_eq!(out("Name"), json!({"Ref": SITE}));
    assert_eq!(out("Arn"), arn(SITE));
    assert_eq!(
        out("Regional"),
        json!({"Fn::GetAtt": [SITE, "RegionalDomainName"]})
    );
    assert_eq!(out("Domain"), json!({"Fn::GetAtt": [SITE, "DomainName"]}));
    assert_eq!(out("Uploads"), objects(SITE, "uploads/*"));
}

fn log_delivery(target: &str, prefix: &str, source: Option<&str>) -> Value {
    let mut s = json!({
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": objects(target, &format!("{prefix}*"))
    });
    if let Some(source) = source {
        s["Condition"] = json!({
            "ArnLike": {"aws:SourceArn": arn(source)},
            "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        });
    }
    s
}

#[test]
fn server_access_logs_go_to_the_target_with_its_policy_statement() {
    let app = App::new();
    let stack = app.stack("S");
    let logs = Bucket::new(&stack, "Logs", BucketProps::default()).unwrap();
    Bucket::new(
        &stack,
        "Site",
        BucketProps {
            server_access_logs_bucket: Some(logs),
            server_access_logs_prefix: Some("site/".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let t = synth(&app);
    assert_eq!(
        resource(&t, SITE)["Properties"]["LoggingConfiguration"],
        json!({"DestinationBucketName": {"Ref": LOGS}, "LogFilePrefix": "site/"})
    );
    assert_eq!(
        resource(&t, LOGS_POLICY)["Properties"]["PolicyDocument"]["Statement"],
        json!([tls_only(LOGS), log_delivery(LOGS, "site/", Some(SITE))])
    );
}

#[test]
fn a_prefix_alone_logs_into_the_bucket_itself() {
    let t = site(BucketProps {
        server_access_logs_prefix: Some("logs/".into()),
        ..Default::default()
    });
    assert_eq!(
        resource(&t, SITE)["Properties"]["LoggingConfiguration"],
        json!({"LogFilePrefix": "logs/"})
    );
    assert_eq!(
        resource(&t, SITE_POLICY)["Properties"]["PolicyDocument"]["Statement"],
        json!([tls_only(SITE), log_delivery(SITE, "logs/", Some(SITE))])
    );
}

#[test]
fn a_log_bucket_in_another_stack_gets_no_source_conditions() {
    let app = App::new();
    let logs = Bucket::new(&app.stack("Shared"), "Logs", BucketProps::default()).unwrap();
    Bucket::new(
        &app.stack("S"),
        "Site",
        BucketProps {
            server_access_logs_bucket: Some(logs),
            ..Default::default()
        },
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    let shared = &assembly.stacks[0].template;
    assert_eq!(
        resource(shared, LOGS_POLICY)["Properties"]["PolicyDocument"]["Statement"][1],
        log_delivery(LOGS, "", None)
    );
    let site = &assembly.stacks[1].template;
    assert_eq!(
        resource(site, SITE)["Properties"]["LoggingConfiguration"]["DestinationBucketName"],
        json!({"Fn::ImportValue": "Shared:ExportsOutputRefLogs6819BB446A932AEA"})
    );
}

#[test]
fn an_imported_log_bucket_gets_a_warning_instead_of_a_statement() {
    let app = App::new();
    let stack = app.stack("S");
    let logs = Bucket::from_bucket_name(&stack, "Logs", "central-access-logs").unwrap();
    Bucket::new(
        &stack,
        "Site",
        BucketProps {
            server_access_logs_bucket: Some(logs),
            ..Default::default()
        },
    )
    .unwrap();
    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    assert_eq!(
        resource(t, SITE)["Properties"]["LoggingConfiguration"],
        json!({"DestinationBucketName": "central-access-logs"})
    );
    let warning = assembly
        .messages
        .iter()
        .find(|m| m.id.as_deref() == Some("@formwork/s3:accessLogsPolicyNotAdded"))
        .expect("a warning");
    assert_eq!(warning.path, "S/Site");
    assert!(warning.text.contains("S/Logs"), "{}", warning.text);
}

#[test]
fn kms_encrypted_buckets_cannot_receive_access_logs() {
    let app = App::new();
    let stack = app.stack("S");
    let logs = Bucket::new(
        &stack,
        "Logs",
        BucketProps {
            encryption: BucketEncryption::KmsManaged,
            ..Default::default()
        },
    )
    .unwrap();
    let e = Bucket::new(
        &stack,
        "Site",
        BucketProps {
            server_access_logs_bucket: Some(logs),
            ..Default::default()
        },
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        e,
        "S/Site: LoggingConfiguration: S3 delivers server access logs only to buckets encrypted with S3-managed keys; S/Logs uses KMS (BucketEncryption::KmsManaged)"
    );
    let e = error(BucketProps {
        encryption: BucketEncryption::KmsManaged,
        server_access_logs_prefix: Some("logs/".into()),
        ..Default::default()
    });
    assert!(
        e.starts_with("S/Site: LoggingConfiguration: S3 delivers"),
        "{e}"
    );
}

#[test]
fn invalid_props_name_path_property_and_rule() {
    assert_eq!(
        error(BucketProps {
            bucket_name: Some("My_Site".into()),
            ..Default::default()
        }),
        "S/Site: BucketName: a bucket name may hold only lowercase letters, digits, '.' and '-' (^[a-z0-9][a-z0-9.-]*[a-z0-9]$); 'M' at offset 0 is not allowed, got \"My_Site\""
    );
    assert_eq!(
        error(BucketProps {
            bucket_name: Some("10.0.0.1".into()),
            ..Default::default()
        }),
        "S/Site: BucketName: a bucket name must not be formatted as an IP address, got \"10.0.0.1\""
    );
    assert_eq!(
        error(BucketProps {
            removal_policy: RemovalPolicy::Snapshot,
            ..Default::default()
        }),
        "S/Site: DeletionPolicy: AWS::S3::Bucket does not support Snapshot; use Retain, RetainExceptOnDelete or Delete"
    );
}

#[test]
fn imports_create_nothing_and_have_no_policy() {
    let app = App::new();
    let stack = app.stack("S");
    let by_name = Bucket::from_bucket_name(&stack, "ByName", "my-imported-bucket").unwrap();
    let by_arn = Bucket::from_bucket_arn(&stack, "ByArn", "arn:aws:s3:::other-bucket").unwrap();
    assert!(by_name.is_imported() && by_arn.is_imported());
    assert!(by_name.resource().is_none());
    let tls = Statement::deny()
        .principal(Principal::Any)
        .actions(["s3:*"])
        .resources(["*"]);
    assert!(!by_name.add_to_resource_policy(tls).unwrap());
    assert!(by_name.policy_statements().is_empty());
    assert_eq!(by_arn.bucket_name(), Expr::from("other-bucket"));
    stack.output("Arn", by_name.bucket_arn());
    stack.output("Objects", by_name.arn_for_objects("*"));
    stack.output("Regional", by_name.bucket_regional_domain_name());
    stack.output("Domain", by_name.bucket_domain_name());
    stack.output("ArnArn", by_arn.bucket_arn());
    let t = synth(&app);
    assert!(t.resources.is_empty());
    let out = |k: &str| serde_json::to_value(&t.outputs[k].value).unwrap();
    // The CDK's exact values.
    assert_eq!(
        out("Arn"),
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::my-imported-bucket"]]})
    );
    assert_eq!(
        out("Objects"),
        json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::my-imported-bucket/*"]]})
    );
    assert_eq!(
        out("Regional"),
        json!({"Fn::Join": ["", ["my-imported-bucket.s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}]]})
    );
    assert_eq!(
        out("Domain"),
        json!({"Fn::Join": ["", ["my-imported-bucket.s3.", {"Ref": "AWS::URLSuffix"}]]})
    );
    assert_eq!(out("ArnArn"), json!("arn:aws:s3:::other-bucket"));
}

#[test]
fn imports_are_checked() {
    let app = App::new();
    let stack = app.stack("S");
    let e = Bucket::from_bucket_name(&stack, "Bad", "no")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "S/Bad: BucketName: a bucket name must be 3-63 characters long (it is 2), got \"no\""
    );
    let e = Bucket::from_bucket_arn(&stack, "Bad", "arn:aws:s3:::bucket/key")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "S/Bad: BucketArn: a bucket ARN is arn:<partition>:s3:::<bucket-name> (no object key), got \"arn:aws:s3:::bucket/key\""
    );
    // Legacy names (upper case, '_') are accepted for imports, as the CDK does.
    Bucket::from_bucket_name(&stack, "Legacy", "Old_Bucket").unwrap();
    // A parameter or import is only known at deploy time.
    let name = Expr::import_value("Shared-BucketName");
    let b = Bucket::from_bucket_name(&stack, "Param", name.clone()).unwrap();
    assert_eq!(
        b.bucket_arn(),
        Expr::join(
            "",
            [
                "arn:".into(),
                formwork_core::Pseudo::Partition.into(),
                ":s3:::".into(),
                name
            ]
        )
    );
}

#[test]
fn counts_and_construct_paths() {
    let t = site(BucketProps::default());
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::S3::Bucket", 1);
    a.resource_count_is("AWS::S3::BucketPolicy", 1);
    let app = App::new();
    let stack = app.stack("S");
    let scope = stack.child("Nested").unwrap();
    let b = Bucket::new(&scope, "B", BucketProps::default()).unwrap();
    assert_eq!(b.construct().path(), "S/Nested/B");
    assert_eq!(b.resource().unwrap().path(), "S/Nested/B/Resource");
}
