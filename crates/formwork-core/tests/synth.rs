//! What synthesis produces: cross-stack references, intrinsics, resource
//! options, key order, the manifest, the written assembly, determinism.

use std::path::PathBuf;

use formwork_core::assembly::Manifest;
use formwork_core::assertions::Assertions;
use formwork_core::template::Parameter;
use formwork_core::{App, CfnResource, Expr, Pseudo, RemovalPolicy, Scope, SubPart};
use serde_json::{json, Value};

/// These tests are about the rendering of intrinsics and options, with
/// placeholder property values; schema validation (on when the workspace
/// builds formwork-core with its `schema` feature) is tested elsewhere.
fn new_app() -> App {
    let app = App::new();
    app.set_validation(false);
    app
}

fn bucket() -> CfnResource {
    CfnResource::new("AWS::S3::Bucket")
}

fn topic() -> CfnResource {
    CfnResource::new("AWS::SNS::Topic")
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

/// A fresh directory under cargo's per-target temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("formwork-core-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

// The CDK names an export `<Producer>:<makeUniqueId(["Exports", "Output" + JSON])>`:
// md5(`Exports/Output{"Ref":"Bucket"}`) starts with 239F7DF2 and
// md5(`Exports/Output{"Fn::GetAtt":["Bucket","Arn"]}`) with 436138FE.
const EXPORT_REF: &str = "Producer:ExportsOutputRefBucket239F7DF2";
const EXPORT_ARN: &str = "Producer:ExportsOutputFnGetAttBucketArn436138FE";

/// A consumer stack created *before* its producer, referencing the
/// producer's bucket by `Ref` and `Fn::GetAtt`, twice each.
fn cross_stack_app() -> App {
    let app = new_app();
    let consumer = app.stack("Consumer");
    let producer = app.stack("Producer");
    let b = producer.add_resource("Bucket", bucket()).unwrap();
    consumer
        .add_resource(
            "Topic",
            topic()
                .set("DisplayName", b.to_ref())
                .set("TopicName", b.get_att("Arn")),
        )
        .unwrap();
    consumer.output("BucketName", b.to_ref());
    consumer.output("BucketArn", b.get_att("Arn"));
    app
}

#[test]
fn cross_stack_reference_exports_and_imports() {
    let assembly = cross_stack_app().synth().unwrap();
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Producer", "Consumer"], "producers deploy first");

    let producer = &assembly.stack("Producer").unwrap().template;
    assert_eq!(
        to_value(&producer.outputs),
        json!({
            "ExportsOutputRefBucket239F7DF2": {
                "Value": {"Ref": "Bucket"},
                "Export": {"Name": EXPORT_REF}
            },
            "ExportsOutputFnGetAttBucketArn436138FE": {
                "Value": {"Fn::GetAtt": ["Bucket", "Arn"]},
                "Export": {"Name": EXPORT_ARN}
            }
        })
    );

    let consumer = assembly.stack("Consumer").unwrap();
    let t = Assertions::new(&consumer.template);
    t.has_resource_properties(
        "AWS::SNS::Topic",
        json!({
            "DisplayName": {"Fn::ImportValue": EXPORT_REF},
            "TopicName": {"Fn::ImportValue": EXPORT_ARN}
        }),
    );
    t.has_output(
        "BucketName",
        json!({"Value": {"Fn::ImportValue": EXPORT_REF}}),
    );
    t.has_output(
        "BucketArn",
        json!({"Value": {"Fn::ImportValue": EXPORT_ARN}}),
    );
    assert!(consumer.template.outputs["BucketName"].export.is_none());
    assert_eq!(consumer.dependencies, ["Producer"]);
    assert!(assembly.stack("Producer").unwrap().dependencies.is_empty());

    let manifest = to_value(&assembly.manifest());
    assert_eq!(
        manifest["artifacts"]["Consumer"]["dependencies"],
        json!(["Producer"])
    );
    assert!(manifest["artifacts"]["Producer"]
        .get("dependencies")
        .is_none());
    let order: Vec<&String> = manifest["artifacts"].as_object().unwrap().keys().collect();
    assert_eq!(order, ["Producer", "Consumer"]);
}

#[test]
fn cross_stack_reference_inside_sub() {
    let app = new_app();
    let producer = app.stack("Producer");
    let b = producer.add_resource("Bucket", bucket()).unwrap();
    let consumer = app.stack("Consumer");
    consumer.output(
        "Url",
        Expr::sub_parts([
            SubPart::Text("s3://".into()),
            SubPart::Ref(b.element()),
            SubPart::Text("/".into()),
            SubPart::GetAtt(b.element(), "Arn".into()),
            SubPart::Text(" in ".into()),
            SubPart::Pseudo(Pseudo::Region),
        ]),
    );
    let local = consumer.add_resource("Local", bucket()).unwrap();
    consumer.output(
        "LocalUrl",
        Expr::sub_parts([
            SubPart::Text("s3://".into()),
            SubPart::Ref(local.element()),
            SubPart::Text("/".into()),
            SubPart::GetAtt(local.element(), "Arn".into()),
        ]),
    );
    let assembly = app.synth().unwrap();
    let consumer = &assembly.stack("Consumer").unwrap().template;
    assert_eq!(
        to_value(&consumer.outputs["Url"].value),
        json!({"Fn::Sub": [
            "s3://${Bucket}/${BucketArn} in ${AWS::Region}",
            {
                "Bucket": {"Fn::ImportValue": EXPORT_REF},
                "BucketArn": {"Fn::ImportValue": EXPORT_ARN}
            }
        ]})
    );
    // Local references need no variables: the plain string form.
    assert_eq!(
        to_value(&consumer.outputs["LocalUrl"].value),
        json!({"Fn::Sub": "s3://${Local}/${Local.Arn}"})
    );
    let producer = &assembly.stack("Producer").unwrap().template;
    assert_eq!(producer.outputs.len(), 2);
    assert_eq!(
        assembly.stack("Consumer").unwrap().dependencies,
        ["Producer"]
    );
}

#[test]
fn cross_stack_depends_on_becomes_a_stack_dependency() {
    let app = new_app();
    let b = app
        .stack("Producer")
        .add_resource("Bucket", bucket())
        .unwrap();
    let t = app
        .stack("Consumer")
        .add_resource("Topic", topic())
        .unwrap();
    t.add_depends_on(&b);
    let assembly = app.synth().unwrap();
    let consumer = assembly.stack("Consumer").unwrap();
    assert_eq!(consumer.dependencies, ["Producer"]);
    assert!(consumer.template.resources["Topic"].depends_on.is_empty());
    assert!(assembly
        .stack("Producer")
        .unwrap()
        .template
        .outputs
        .is_empty());
}

#[test]
fn reference_cycle_between_stacks_is_an_error() {
    let app = new_app();
    let (a, b) = (app.stack("A"), app.stack("B"));
    let x = a.add_resource("X", bucket()).unwrap();
    let y = b.add_resource("Y", bucket()).unwrap();
    a.output("UsesY", y.to_ref());
    b.output("UsesX", x.to_ref());
    assert_eq!(
        app.synth().unwrap_err().to_string(),
        "A: cross-stack references form a cycle (A -> B -> A); move the shared resources into one stack"
    );
}

#[test]
fn three_stacks_deploy_in_dependency_order() {
    let app = new_app();
    let web = app.stack("Web");
    let api = app.stack("Api");
    let db = app.stack("Db").add_resource("Table", bucket()).unwrap();
    let api = api
        .add_resource("Fn", topic().set("DisplayName", db.to_ref()))
        .unwrap();
    web.output("Api", api.get_att("TopicArn"));
    let assembly = app.synth().unwrap();
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Db", "Api", "Web"]);
    assert_eq!(assembly.stack("Web").unwrap().dependencies, ["Api"]);
    assert_eq!(assembly.stack("Api").unwrap().dependencies, ["Db"]);
}

/// A stack that uses every intrinsic function and pseudo parameter.
fn intrinsics_app() -> App {
    let app = new_app();
    let stack = app.stack("Intrinsics");
    let env = stack.parameter(
        "Env",
        Parameter {
            type_name: "String".into(),
            default: Some("dev".into()),
            allowed_values: vec!["dev".into(), "prod".into()],
            ..Default::default()
        },
    );
    let is_prod = stack.condition("IsProd", Expr::equals(env.value(), "prod"));
    let is_dev = stack.condition("IsDev", Expr::not(is_prod.to_expr()));
    stack.condition(
        "Combined",
        Expr::And(vec![
            is_prod.to_expr(),
            Expr::Or(vec![
                is_dev.to_expr(),
                Expr::equals(Pseudo::Region, "us-east-1"),
            ]),
        ]),
    );
    let sizes = stack.mapping(
        "Sizes",
        json!({"dev": {"Name": "small"}, "prod": {"Name": "large"}}),
    );
    let b = stack.add_resource("Bucket", bucket()).unwrap();
    stack
        .add_resource(
            "Topic",
            topic()
                .set(
                    "Join",
                    Expr::join("-", [Pseudo::StackName.into(), b.to_ref()]),
                )
                .set("SubText", Expr::sub("arn:${AWS::Partition}:s3:::literal"))
                .set(
                    "SubVars",
                    Expr::Sub(Box::new(formwork_core::Sub {
                        parts: vec![SubPart::Text("${Name}-".into()), SubPart::Ref(b.element())],
                        variables: [("Name".to_owned(), env.value())].into_iter().collect(),
                    })),
                )
                .set("Select", Expr::select(1, Expr::get_azs("")))
                .set("Split", Expr::select(0, Expr::split(",", "a,b")))
                .set("If", Expr::if_(is_prod, "big", Pseudo::NoValue))
                .set("Import", Expr::import_value("Shared:Value"))
                .set("Base64", Expr::base64("echo hi"))
                .set("FindInMap", sizes.find(env.value(), "Name"))
                .set(
                    "Pseudo",
                    Expr::List(vec![
                        Pseudo::AccountId.into(),
                        Pseudo::NotificationArns.into(),
                        Pseudo::NoValue.into(),
                        Pseudo::Partition.into(),
                        Pseudo::Region.into(),
                        Pseudo::StackId.into(),
                        Pseudo::StackName.into(),
                        Pseudo::UrlSuffix.into(),
                    ]),
                ),
        )
        .unwrap();
    app
}

#[test]
fn intrinsics_render_as_cloudformation_expects() {
    let assembly = intrinsics_app().synth().unwrap();
    let t = &assembly.stacks[0].template;
    assert_eq!(
        to_value(&t.conditions),
        json!({
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Combined": {"Fn::And": [
                {"Condition": "IsProd"},
                {"Fn::Or": [
                    {"Condition": "IsDev"},
                    {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
                ]}
            ]}
        })
    );
    assert_eq!(
        to_value(&t.mappings),
        json!({"Sizes": {"dev": {"Name": "small"}, "prod": {"Name": "large"}}})
    );
    assert_eq!(
        to_value(&t.parameters),
        json!({"Env": {"Type": "String", "Default": "dev", "AllowedValues": ["dev", "prod"]}})
    );
    assert_eq!(
        to_value(&t.resources["Topic"].properties),
        json!({
            "Join": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, {"Ref": "Bucket"}]]},
            "SubText": {"Fn::Sub": "arn:${AWS::Partition}:s3:::literal"},
            "SubVars": {"Fn::Sub": ["${Name}-${Bucket}", {"Name": {"Ref": "Env"}}]},
            "Select": {"Fn::Select": [1, {"Fn::GetAZs": ""}]},
            "Split": {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]},
            "If": {"Fn::If": ["IsProd", "big", {"Ref": "AWS::NoValue"}]},
            "Import": {"Fn::ImportValue": "Shared:Value"},
            "Base64": {"Fn::Base64": "echo hi"},
            "FindInMap": {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Name"]},
            "Pseudo": [
                {"Ref": "AWS::AccountId"},
                {"Ref": "AWS::NotificationARNs"},
                {"Ref": "AWS::NoValue"},
                {"Ref": "AWS::Partition"},
                {"Ref": "AWS::Region"},
                {"Ref": "AWS::StackId"},
                {"Ref": "AWS::StackName"},
                {"Ref": "AWS::URLSuffix"}
            ]
        })
    );
}

#[test]
fn literal_conversions() {
    let app = new_app();
    app.stack("S")
        .add_resource(
            "R",
            CfnResource::new("Custom::Thing")
                .set("Null", Expr::Null)
                .set("Bool", true)
                .set("Int", 42)
                .set("Float", 1.5)
                .set("List", vec!["a", "b"])
                .set("Map", Expr::map().with("k", "v"))
                .set("Json", json!({"raw": [1, 2]}))
                .set("None", None::<String>)
                .set("Some", Some("x"))
                .set_opt("Unset", None::<String>),
        )
        .unwrap();
    let assembly = app.synth().unwrap();
    assert_eq!(
        to_value(&assembly.stacks[0].template.resources["R"].properties),
        json!({
            "Null": null,
            "Bool": true,
            "Int": 42,
            "Float": 1.5,
            "List": ["a", "b"],
            "Map": {"k": "v"},
            "Json": {"raw": [1, 2]},
            "None": {"Ref": "AWS::NoValue"},
            "Some": "x"
        })
    );
}

#[test]
fn if_and_find_in_map_must_use_local_elements() {
    let other = new_app();
    let s = other.stack("O");
    let c = s.condition("C", Expr::equals("a", "b"));
    let m = s.mapping("M", json!({"a": {"b": "c"}}));
    let app = new_app();
    app.stack("S").output("X", Expr::if_(c, "a", "b"));
    app.stack("S2").output("Y", m.find("a", "b"));
    assert_eq!(
        app.synth().unwrap_err().to_string(),
        "2 validation errors:\n  \
         S/X: Value: Fn::If must name a condition of the same stack\n  \
         S2/Y: Value: Fn::FindInMap must name a mapping of the same stack"
    );
}

/// A resource with every option set, to check options and key order.
fn options_app() -> App {
    let app = new_app();
    let stack = app.stack("Options");
    let env = stack.parameter(
        "Env",
        Parameter {
            type_name: "String".into(),
            ..Default::default()
        },
    );
    let cond = stack.condition("IsProd", Expr::equals(env.value(), "prod"));
    let first = stack.add_resource("First", bucket()).unwrap();
    let second = stack.add_resource("Second", bucket()).unwrap();
    let mut r = bucket().set("BucketName", "b");
    r.creation_policy = Some(json!({"ResourceSignal": {"Count": 1}}).into());
    r.update_policy = Some(json!({"AutoScalingReplacingUpdate": {"WillReplace": true}}).into());
    r.apply_removal_policy(RemovalPolicy::Retain);
    r.metadata.insert("Owner", "team".into());
    r.condition = Some(cond);
    let kept = stack.add_resource("Kept", r).unwrap();
    kept.add_depends_on(&first);
    kept.add_depends_on(&second);
    kept.add_depends_on(&first);
    stack
        .output("Name", first.to_ref())
        .description("the first bucket")
        .export_name(Expr::sub("${AWS::StackName}-first"))
        .condition(cond);
    let mut snap = bucket();
    snap.deletion_policy = Some(RemovalPolicy::Snapshot);
    snap.update_replace_policy = Some(RemovalPolicy::RetainExceptOnDelete);
    stack.add_resource("Snap", snap).unwrap();
    app
}

#[test]
fn resource_options() {
    let assembly = options_app().synth().unwrap();
    let t = Assertions::new(&assembly.stacks[0].template);
    t.has_resource(
        "AWS::S3::Bucket",
        json!({
            "Properties": {"BucketName": "b"},
            "DependsOn": ["First", "Second"],
            "UpdateReplacePolicy": "Retain",
            "DeletionPolicy": "Retain",
            "Metadata": {"aws:cdk:path": "Options/Kept", "Owner": "team"},
            "Condition": "IsProd"
        }),
    );
    t.has_resource(
        "AWS::S3::Bucket",
        json!({"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "RetainExceptOnDelete"}),
    );
    t.has_output(
        "Name",
        json!({
            "Description": "the first bucket",
            "Value": {"Ref": "First"},
            "Export": {"Name": {"Fn::Sub": "${AWS::StackName}-first"}},
            "Condition": "IsProd"
        }),
    );
}

#[test]
fn template_json_text_has_the_cdk_key_order() {
    let assembly = options_app().synth().unwrap();
    let text = assembly.stacks[0].template_json();
    let expected = r#"{
 "Parameters": {
  "Env": {
   "Type": "String"
  }
 },
 "Conditions": {
  "IsProd": {
   "Fn::Equals": [
    {
     "Ref": "Env"
    },
    "prod"
   ]
  }
 },
 "Resources": {
  "First": {
   "Type": "AWS::S3::Bucket",
   "Metadata": {
    "aws:cdk:path": "Options/First"
   }
  },
  "Second": {
   "Type": "AWS::S3::Bucket",
   "Metadata": {
    "aws:cdk:path": "Options/Second"
   }
  },
  "Kept": {
   "Type": "AWS::S3::Bucket",
   "Properties": {
    "BucketName": "b"
   },
   "DependsOn": [
    "First",
    "Second"
   ],
   "CreationPolicy": {
    "ResourceSignal": {
     "Count": 1
    }
   },
   "UpdatePolicy": {
    "AutoScalingReplacingUpdate": {
     "WillReplace": true
    }
   },
   "UpdateReplacePolicy": "Retain",
   "DeletionPolicy": "Retain",
   "Metadata": {
    "aws:cdk:path": "Options/Kept",
    "Owner": "team"
   },
   "Condition": "IsProd"
  },
  "Snap": {
   "Type": "AWS::S3::Bucket",
   "UpdateReplacePolicy": "RetainExceptOnDelete",
   "DeletionPolicy": "Snapshot",
   "Metadata": {
    "aws:cdk:path": "Options/Snap"
   }
  }
 },
 "Outputs": {
  "Name": {
   "Description": "the first bucket",
   "Value": {
    "Ref": "First"
   },
   "Export": {
    "Name": {
     "Fn::Sub": "${AWS::StackName}-first"
    }
   },
   "Condition": "IsProd"
  }
 }
}"#;
    assert_eq!(text, expected);
    // The text parses back into the same template.
    let parsed = formwork_core::Template::from_json(&text).unwrap();
    assert_eq!(parsed, assembly.stacks[0].template);
}

#[test]
fn stack_description_is_the_template_description() {
    let app = new_app();
    let s = app.stack("S");
    s.set_description("hello");
    s.add_resource("B", bucket()).unwrap();
    let t = &app.synth().unwrap().stacks[0].template;
    assert_eq!(t.description.as_deref(), Some("hello"));
    assert!(t
        .to_json()
        .starts_with("{\n \"Description\": \"hello\",\n \"Resources\""));
    // No CDK-only noise.
    assert!(t.parameters.is_empty() && t.outputs.is_empty() && t.metadata.is_empty());
    assert!(t.format_version.is_none());
}

#[test]
fn manifest_content() {
    let app = cross_stack_app();
    let producer = app.get_stack("Producer").unwrap();
    producer.add_tag("team", "core");
    producer.add_tag("app", "demo");
    producer.set_termination_protection(true);
    let assembly = app.synth().unwrap();
    assert_eq!(
        to_value(&assembly.manifest()),
        json!({
            "version": "36.0.0",
            "artifacts": {
                "Producer": {
                    "type": "aws:cloudformation:stack",
                    "environment": "aws://unknown-account/unknown-region",
                    "properties": {
                        "templateFile": "Producer.template.json",
                        "stackName": "Producer",
                        "tags": {"app": "demo", "team": "core"},
                        "terminationProtection": true,
                        "validateOnSynth": false
                    },
                    "metadata": {
                        "/Producer/Bucket": [{"type": "aws:cdk:logicalId", "data": "Bucket"}],
                        "/Producer/Exports/Output{\"Ref\":\"Bucket\"}":
                            [{"type": "aws:cdk:logicalId", "data": "ExportsOutputRefBucket239F7DF2"}],
                        "/Producer/Exports/Output{\"Fn::GetAtt\":[\"Bucket\",\"Arn\"]}":
                            [{"type": "aws:cdk:logicalId", "data": "ExportsOutputFnGetAttBucketArn436138FE"}]
                    },
                    "displayName": "Producer"
                },
                "Consumer": {
                    "type": "aws:cloudformation:stack",
                    "environment": "aws://unknown-account/unknown-region",
                    "properties": {
                        "templateFile": "Consumer.template.json",
                        "stackName": "Consumer",
                        "validateOnSynth": false
                    },
                    "dependencies": ["Producer"],
                    "metadata": {
                        "/Consumer/Topic": [{"type": "aws:cdk:logicalId", "data": "Topic"}],
                        "/Consumer/BucketName": [{"type": "aws:cdk:logicalId", "data": "BucketName"}],
                        "/Consumer/BucketArn": [{"type": "aws:cdk:logicalId", "data": "BucketArn"}]
                    },
                    "displayName": "Consumer"
                }
            }
        })
    );
    let consumer = assembly.stack("Consumer").unwrap();
    assert_eq!(consumer.path_of("Topic"), Some("Consumer/Topic"));
    assert_eq!(consumer.path_of("Nope"), None);
}

#[test]
fn assembly_write_output_files() {
    let dir = temp_dir("write");
    let assembly = cross_stack_app().synth().unwrap();
    let written = assembly.write(&dir).unwrap();
    assert_eq!(
        written,
        [
            dir.join("Producer.template.json"),
            dir.join("Consumer.template.json")
        ]
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "Consumer.template.json",
            "Producer.template.json",
            "cdk.out",
            "manifest.json"
        ]
    );
    for stack in &assembly.stacks {
        let text = std::fs::read_to_string(dir.join(stack.template_file())).unwrap();
        assert_eq!(text, stack.template_json());
    }
    assert_eq!(Manifest::read(&dir).unwrap(), assembly.manifest());
    let marker: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cdk.out")).unwrap()).unwrap();
    assert_eq!(marker, json!({"version": "36.0.0"}));
}

#[test]
fn assembly_write_and_read_errors_name_the_path() {
    let dir = temp_dir("errors");
    std::fs::create_dir_all(&dir).unwrap();
    let blocker = dir.join("file");
    std::fs::write(&blocker, "not a dir").unwrap();
    let assembly = cross_stack_app().synth().unwrap();
    let err = assembly
        .write(&blocker.join("out"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(&format!(
            "cannot create {}: ",
            blocker.join("out").display()
        )),
        "{err}"
    );
    let err = Manifest::read(&dir).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "cannot read {}: ",
            dir.join("manifest.json").display()
        )),
        "{err}"
    );
    std::fs::write(dir.join("manifest.json"), "{").unwrap();
    let err = Manifest::read(&dir).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{} is not a valid cloud assembly file: ",
            dir.join("manifest.json").display()
        )),
        "{err}"
    );
}

#[test]
fn synthesis_is_deterministic() {
    let a = cross_stack_app().synth().unwrap();
    let b = cross_stack_app().synth().unwrap();
    for (x, y) in a.stacks.iter().zip(&b.stacks) {
        assert_eq!(x.template_json(), y.template_json());
    }
    let (da, db) = (temp_dir("det-a"), temp_dir("det-b"));
    a.write(&da).unwrap();
    b.write(&db).unwrap();
    for f in [
        "Producer.template.json",
        "Consumer.template.json",
        "manifest.json",
        "cdk.out",
    ] {
        assert_eq!(
            std::fs::read(da.join(f)).unwrap(),
            std::fs::read(db.join(f)).unwrap(),
            "{f} differs between two syntheses"
        );
    }
    // Synthesizing the same app twice gives the same bytes too.
    let app = intrinsics_app();
    assert_eq!(
        app.synth().unwrap().stacks[0].template_json(),
        app.synth().unwrap().stacks[0].template_json()
    );
}
