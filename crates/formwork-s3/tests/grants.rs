//! Grants on a bucket: each grant's actions (the CDK's lists) and resources,
//! on owned and imported buckets, and to a role in another stack.

use formwork_core::{App, Stack, Template};
use formwork_iam::{Principal, Role, RoleProps};
use formwork_s3::{Bucket, BucketProps};
use serde_json::{json, Value};

const SITE: &str = "SiteE53D7754";
const ROLE_POLICY: &str = "ReaderDefaultPolicy151F3818";

const READ: [&str; 3] = ["s3:GetObject*", "s3:GetBucket*", "s3:List*"];
const PUT: [&str; 6] = [
    "s3:PutObject",
    "s3:PutObjectLegalHold",
    "s3:PutObjectRetention",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionTagging",
    "s3:Abort*",
];
const DELETE: &str = "s3:DeleteObject*";

fn reader(stack: &Stack) -> Role {
    Role::new(
        stack,
        "Reader",
        RoleProps {
            assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
            ..Default::default()
        },
    )
    .unwrap()
}

fn arn() -> Value {
    json!({"Fn::GetAtt": [SITE, "Arn"]})
}

fn objects(pattern: &str) -> Value {
    json!({"Fn::Join": ["", [arn(), format!("/{pattern}")]]})
}

/// The statements of the role's default policy after `grant`.
fn granted(grant: impl Fn(&Bucket, &Role)) -> Value {
    let app = App::new();
    let stack = app.stack("S");
    let bucket = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let role = reader(&stack);
    grant(&bucket, &role);
    let t = app.synth().unwrap().stacks.remove(0).template;
    statements(&t)
}

fn statements(t: &Template) -> Value {
    serde_json::to_value(&t.resources[ROLE_POLICY].properties).unwrap()["PolicyDocument"]
        ["Statement"]
        .clone()
}

fn allow(actions: Value, resource: Value) -> Value {
    json!({"Effect": "Allow", "Action": actions, "Resource": resource})
}

fn list(parts: &[&[&str]]) -> Value {
    json!(parts.concat())
}

#[test]
fn grant_read() {
    let s = granted(|b, r| {
        let g = b.grant_read(r).unwrap();
        assert!(g.success());
        assert_eq!(g.statements().len(), 1);
    });
    assert_eq!(
        s,
        json!([allow(list(&[&READ]), json!([arn(), objects("*")]))])
    );
}

#[test]
fn grant_write() {
    let s = granted(|b, r| {
        b.grant_write(r).unwrap();
    });
    assert_eq!(
        s,
        json!([allow(
            list(&[&[DELETE], &PUT]),
            json!([arn(), objects("*")])
        )])
    );
}

#[test]
fn grant_read_write() {
    let s = granted(|b, r| {
        b.grant_read_write(r).unwrap();
    });
    assert_eq!(
        s,
        json!([allow(
            list(&[&READ, &[DELETE], &PUT]),
            json!([arn(), objects("*")])
        )])
    );
}

#[test]
fn grant_put_is_on_objects_only() {
    let s = granted(|b, r| {
        b.grant_put(r).unwrap();
    });
    assert_eq!(s, json!([allow(list(&[&PUT]), objects("*"))]));
}

#[test]
fn grant_delete_is_on_objects_only() {
    let s = granted(|b, r| {
        b.grant_delete(r).unwrap();
    });
    assert_eq!(s, json!([allow(json!(DELETE), objects("*"))]));
}

#[test]
fn key_patterns() {
    let s = granted(|b, r| {
        b.grant_read_keys(r, "public/*").unwrap();
        b.grant_write_keys(r, "uploads/*").unwrap();
        b.grant_read_write_keys(r, "work/*").unwrap();
        b.grant_put_keys(r, "inbox/*").unwrap();
        b.grant_delete_keys(r, "tmp/*").unwrap();
    });
    assert_eq!(
        s,
        json!([
            allow(list(&[&READ]), json!([arn(), objects("public/*")])),
            allow(
                list(&[&[DELETE], &PUT]),
                json!([arn(), objects("uploads/*")])
            ),
            allow(
                list(&[&READ, &[DELETE], &PUT]),
                json!([arn(), objects("work/*")])
            ),
            allow(list(&[&PUT]), objects("inbox/*")),
            allow(json!(DELETE), objects("tmp/*")),
        ])
    );
}

#[test]
fn an_empty_key_pattern_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let bucket = Bucket::new(&stack, "Site", BucketProps::default()).unwrap();
    let e = bucket
        .grant_read_keys(&reader(&stack), "")
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "S/Site: key_pattern: an object key pattern must not be empty; use \"*\" for every object"
    );
}

#[test]
fn grants_on_imported_buckets() {
    let app = App::new();
    let stack = app.stack("S");
    let role = reader(&stack);
    let by_name = Bucket::from_bucket_name(&stack, "Imp", "my-imported-bucket").unwrap();
    let by_arn = Bucket::from_bucket_arn(&stack, "Imp2", "arn:aws:s3:::other-bucket").unwrap();
    by_name.grant_read(&role).unwrap();
    by_arn.grant_put(&role).unwrap();
    let t = app.synth().unwrap().stacks.remove(0).template;
    // Only the role and its policy: the imports create nothing.
    assert_eq!(t.resources.len(), 2);
    let partition_arn = |suffix: &str| json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":s3:::my-imported-bucket{suffix}")]]});
    assert_eq!(
        statements(&t),
        json!([
            allow(
                list(&[&READ]),
                json!([partition_arn(""), partition_arn("/*")])
            ),
            allow(list(&[&PUT]), json!("arn:aws:s3:::other-bucket/*")),
        ])
    );
}

#[test]
fn a_grant_to_a_role_in_another_stack_imports_the_bucket_arn() {
    let app = App::new();
    let data = app.stack("Data");
    let compute = app.stack("Compute");
    let bucket = Bucket::new(&data, "Site", BucketProps::default()).unwrap();
    let role = reader(&compute);
    bucket.grant_read(&role).unwrap();
    let assembly = app.synth().unwrap();
    let (data_t, compute_s) = (&assembly.stacks[0].template, &assembly.stacks[1]);
    assert_eq!(assembly.stacks[0].name, "Data");
    assert_eq!(compute_s.dependencies, ["Data"]);

    // The producer exports the ARN and gets no IAM resource.
    let outputs = serde_json::to_value(&data_t.outputs).unwrap();
    let (_, output) = outputs
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, o)| o["Value"] == arn())
        .expect("an export of the bucket ARN");
    let export = output["Export"]["Name"].as_str().unwrap();
    assert!(
        export.starts_with("Data:ExportsOutputFnGetAttSiteE53D7754Arn"),
        "{export}"
    );
    assert!(data_t
        .resources
        .values()
        .all(|r| r.type_name != "AWS::IAM::Policy"));

    // The statement lands in the consumer's DefaultPolicy, through the import.
    let imported = json!({"Fn::ImportValue": export});
    assert_eq!(
        statements(&compute_s.template),
        json!([allow(
            list(&[&READ]),
            json!([imported, {"Fn::Join": ["", [imported, "/*"]]}])
        )])
    );
}
