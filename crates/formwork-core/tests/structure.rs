//! The construct tree and synthesis errors: duplicate ids, logical-ID
//! collisions, dangling and ill-typed references, stack names and template
//! limits. Every error test checks the exact message (path, property, rule).

use formwork_core::assertions::Assertions;
use formwork_core::template::Parameter;
use formwork_core::{App, CfnResource, Error, Expr, Scope};
use serde_json::json;

fn bucket() -> CfnResource {
    CfnResource::new("AWS::S3::Bucket")
}

fn topic() -> CfnResource {
    CfnResource::new("AWS::SNS::Topic")
}

fn string_parameter() -> Parameter {
    Parameter {
        type_name: "String".into(),
        ..Default::default()
    }
}

/// The error text of a failed synthesis.
#[track_caller]
fn synth_error(app: &App) -> String {
    match app.synth() {
        Ok(_) => panic!("synthesis should fail"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn duplicate_construct_id_in_one_scope_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let parent = stack.child("Parent").unwrap();
    parent.add_resource("Bucket", bucket()).unwrap();
    let err = parent.add_resource("Bucket", bucket()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "S/Parent/Bucket: there is already a construct with id \"Bucket\" in scope S/Parent; construct ids must be unique among siblings"
    );
    assert_eq!(err.violations().len(), 1);
    assert_eq!(err.violations()[0].path, "S/Parent/Bucket");

    // A scope (no element) and a resource collide as well.
    let err = stack.add_resource("Parent", bucket()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "S/Parent: there is already a construct with id \"Parent\" in scope S; construct ids must be unique among siblings"
    );

    // The same id under different parents is fine.
    stack
        .child("Other")
        .unwrap()
        .add_resource("Bucket", bucket())
        .unwrap();
    let assembly = app.synth().unwrap();
    Assertions::new(&assembly.stacks[0].template).resource_count_is("AWS::S3::Bucket", 2);
}

#[test]
fn duplicate_output_id_is_reported_at_synth() {
    let app = App::new();
    let stack = app.stack("S");
    stack.output("Out", "a");
    stack.output("Out", "b");
    assert_eq!(
        synth_error(&app),
        "S/Out: there is already a construct with id \"Out\" in scope S; construct ids must be unique among siblings"
    );
}

#[test]
fn invalid_construct_ids() {
    let app = App::new();
    let stack = app.stack("S");
    assert_eq!(
        stack.add_resource("", bucket()).unwrap_err().to_string(),
        "S: construct id must not be empty"
    );
    assert_eq!(
        stack.add_resource("a/b", bucket()).unwrap_err().to_string(),
        "S: construct id \"a/b\" must not contain '/', the path separator"
    );
    stack.add_resource("--", bucket()).unwrap();
    assert_eq!(
        synth_error(&app),
        "S/--: the construct path has no alphanumeric characters to make a logical ID from"
    );
}

#[test]
fn logical_id_collision_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    stack.add_resource("A-B", bucket()).unwrap();
    stack.add_resource("AB", bucket()).unwrap();
    assert_eq!(
        synth_error(&app),
        "S/AB: logical ID AB is also used by S/A-B; rename one of the constructs"
    );
}

#[test]
fn logical_id_collision_through_an_override() {
    let app = App::new();
    let stack = app.stack("S");
    stack.add_resource("Bucket", bucket()).unwrap();
    let other = stack.add_resource("Other", bucket()).unwrap();
    assert_eq!(
        other
            .override_logical_id("Not-Valid")
            .unwrap_err()
            .to_string(),
        "S/Other: logical ID \"Not-Valid\" must be 1-255 alphanumeric characters"
    );
    other.override_logical_id("Bucket").unwrap();
    assert_eq!(
        synth_error(&app),
        "S/Other: logical ID Bucket is also used by S/Bucket; rename one of the constructs"
    );
}

#[test]
fn override_logical_id_is_used() {
    let app = App::new();
    let stack = app.stack("S");
    let scope = stack.child("Site").unwrap();
    let b = scope.add_resource("Resource", bucket()).unwrap();
    b.override_logical_id("LegacyBucket").unwrap();
    stack.output("Name", b.to_ref());
    let assembly = app.synth().unwrap();
    let t = Assertions::new(&assembly.stacks[0].template);
    t.has_resource(
        "AWS::S3::Bucket",
        json!({"Metadata": {"aws:cdk:path": "S/Site/Resource"}}),
    );
    t.has_output("Name", json!({"Value": {"Ref": "LegacyBucket"}}));
    assert!(assembly.stacks[0]
        .template
        .resources
        .contains_key("LegacyBucket"));
}

#[test]
fn dangling_reference_to_another_app_is_an_error() {
    let other = App::new();
    let foreign = other
        .stack("Other")
        .add_resource("Bucket", bucket())
        .unwrap();

    let app = App::new();
    let stack = app.stack("S");
    stack
        .add_resource("Topic", topic().set("DisplayName", foreign.to_ref()))
        .unwrap();
    stack.output("Arn", foreign.get_att("Arn"));
    assert_eq!(
        synth_error(&app),
        "2 validation errors:\n  \
         S/Topic: DisplayName: Ref points to a construct of another App (a dangling reference); create it in this app\n  \
         S/Arn: Value: Fn::GetAtt points to a construct of another App (a dangling reference); create it in this app"
    );
}

#[test]
fn dangling_reference_in_sub_and_depends_on() {
    let other = App::new();
    let foreign = other
        .stack("Other")
        .add_resource("Bucket", bucket())
        .unwrap();

    let app = App::new();
    let stack = app.stack("S");
    let t = topic().set(
        "DisplayName",
        Expr::sub_parts([formwork_core::SubPart::Ref(foreign.element())]),
    );
    stack
        .add_resource("Topic", t)
        .unwrap()
        .add_depends_on(&foreign);
    assert_eq!(
        synth_error(&app),
        "2 validation errors:\n  \
         S/Topic: DisplayName: Ref points to a construct of another App (a dangling reference); create it in this app\n  \
         S/Topic: DependsOn: DependsOn points to a construct of another App (a dangling reference); create it in this app"
    );
}

/// Outputs have no handle (`Stack::output` returns the definition), so a
/// `Ref` to an output cannot be written; conditions and mappings have handles
/// whose `element()` could be misused in `Expr::Ref`.
#[test]
fn ref_to_a_condition_or_mapping_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let p = stack.parameter("Env", string_parameter());
    let c = stack.condition("IsProd", Expr::equals(p.value(), "prod"));
    let m = stack.mapping("Map", json!({"a": {"b": "c"}}));
    // `Ref` of a condition or a mapping is not a valid reference.
    stack
        .add_resource(
            "Topic",
            topic()
                .set("DisplayName", Expr::Ref(c.element()))
                .set("TopicName", Expr::Ref(m.element())),
        )
        .unwrap();
    assert_eq!(
        synth_error(&app),
        "2 validation errors:\n  \
         S/Topic: DisplayName: Ref points to condition S/IsProd, which is not a resource or parameter\n  \
         S/Topic: TopicName: Ref points to mapping S/Map, which is not a resource or parameter"
    );
}

#[test]
fn get_att_of_a_parameter_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let p = stack.parameter("Env", string_parameter());
    stack.output("Bad", Expr::GetAtt(p.element(), "Arn".into()));
    stack.output("Good", p.value());
    assert_eq!(
        synth_error(&app),
        "S/Bad: Value: Fn::GetAtt points to parameter S/Env, which is not a resource"
    );
}

#[test]
fn condition_of_another_app_is_an_error() {
    let app = App::new();
    let stack = app.stack("S");
    let other = App::new();
    let foreign_condition = other.stack("O").condition("C", Expr::equals("a", "b"));
    let mut r = bucket();
    r.condition = Some(foreign_condition);
    stack.add_resource("Bucket", r).unwrap();
    assert_eq!(
        synth_error(&app),
        "S/Bucket: Condition must name a condition of the same stack"
    );
}

#[test]
fn stack_names_that_cloudformation_refuses() {
    let long = format!("a{}", "b".repeat(128));
    let cases = [
        (
            "1abc",
            "1abc: StackName: \"1abc\" does not start with a letter; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters".to_owned(),
        ),
        (
            "a_b",
            "a_b: StackName: '_' is not allowed in \"a_b\"; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters".to_owned(),
        ),
        (
            "",
            ": StackName: the name is empty; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters".to_owned(),
        ),
        (
            long.as_str(),
            format!("{long}: StackName: the name is 129 characters long; a stack name must start with a letter and contain only letters, digits and '-', at most 128 characters"),
        ),
    ];
    for (name, expected) in cases {
        let app = App::new();
        app.stack(name);
        assert_eq!(synth_error(&app), expected, "stack name {name:?}");
        assert!(!formwork_core::is_valid_stack_name(name));
    }
    for ok in [
        "a",
        "A-1",
        "LexWebBotStack",
        &format!("a{}", "b".repeat(127)),
    ] {
        let app = App::new();
        app.stack(ok);
        assert!(app.synth().is_ok(), "{ok:?} should be valid");
        assert!(formwork_core::is_valid_stack_name(ok));
    }
}

#[test]
fn duplicate_stack_names_are_an_error() {
    let app = App::new();
    app.stack("S");
    app.stack("S");
    assert_eq!(
        synth_error(&app),
        "S: there is already a stack with this name in the app; stack names must be unique"
    );
}

#[test]
fn more_than_500_resources() {
    let app = App::new();
    let stack = app.stack("Big");
    for i in 0..500 {
        stack.add_resource(&format!("T{i}"), topic()).unwrap();
    }
    assert_eq!(app.synth().unwrap().stacks[0].template.resources.len(), 500);
    stack.add_resource("T500", topic()).unwrap();
    assert_eq!(
        synth_error(&app),
        "Big: the template has 501 resources; CloudFormation allows at most 500 per stack, so split it into several stacks"
    );
}

#[test]
fn more_than_200_outputs() {
    let app = App::new();
    let stack = app.stack("Big");
    for i in 0..200 {
        stack.output(&format!("O{i}"), "v");
    }
    assert!(app.synth().is_ok());
    stack.output("O200", "v");
    assert_eq!(
        synth_error(&app),
        "Big: the template has 201 outputs; CloudFormation allows at most 200 per stack, so split it into several stacks"
    );
}

#[test]
fn exports_count_towards_the_output_limit() {
    let app = App::new();
    let producer = app.stack("Producer");
    for i in 0..200 {
        producer.output(&format!("O{i}"), "v");
    }
    let b = producer.add_resource("Bucket", bucket()).unwrap();
    app.stack("Consumer").output("Name", b.to_ref());
    assert_eq!(
        synth_error(&app),
        "Producer: the template has 201 outputs; CloudFormation allows at most 200 per stack, so split it into several stacks"
    );
}

#[test]
fn more_than_200_parameters() {
    let app = App::new();
    let stack = app.stack("Big");
    for i in 0..201 {
        stack.parameter(&format!("P{i}"), string_parameter());
    }
    assert_eq!(
        synth_error(&app),
        "Big: the template has 201 parameters; CloudFormation allows at most 200 per stack, so split it into several stacks"
    );
}

#[test]
fn all_errors_are_reported_together() {
    let app = App::new();
    let stack = app.stack("1bad");
    stack.add_resource("A-B", bucket()).unwrap();
    stack.add_resource("AB", bucket()).unwrap();
    let err = app.synth().unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    let rules: Vec<(&str, Option<&str>)> = err
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.property.as_deref()))
        .collect();
    assert_eq!(rules, [("1bad", Some("StackName")), ("1bad/AB", None)]);
    // Debug prints the same text as Display (for `fn main() -> Result`).
    assert_eq!(format!("{err:?}"), err.to_string());
}
