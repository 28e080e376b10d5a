//! The template assertions fail when they should, with a useful message.

use formwork_core::assertions::Assertions;
use formwork_core::{App, CfnResource, Scope, Template};
use serde_json::{json, Value};

fn template() -> Template {
    let app = App::new();
    let stack = app.stack("S");
    let q = stack
        .add_resource(
            "Queue",
            CfnResource::new("AWS::SQS::Queue")
                .set("FifoQueue", true)
                .set("Tags", json!([{"Key": "a", "Value": "1"}])),
        )
        .unwrap();
    stack.output("Url", q.to_ref()).description("queue url");
    app.synth().unwrap().stacks.remove(0).template
}

#[test]
fn passing_assertions() {
    let t = template();
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::SQS::Queue", 1);
    a.resource_count_is("AWS::SNS::Topic", 0);
    a.has_resource_properties("AWS::SQS::Queue", json!({"FifoQueue": true}));
    a.has_resource_properties("AWS::SQS::Queue", json!({"Tags": [{"Key": "a"}]}));
    a.has_resource(
        "AWS::SQS::Queue",
        json!({"Metadata": {"aws:cdk:path": "S/Queue"}}),
    );
    a.has_output("Url", json!({"Value": {"Ref": "Queue"}}));
    assert_eq!(a.find_resources("AWS::SQS::Queue", Value::Null).len(), 1);
    assert_eq!(
        a.find_resources("AWS::SQS::Queue", json!({"FifoQueue": false}))
            .len(),
        0
    );
    let found = a.find_resources("AWS::SQS::Queue", json!({}));
    assert_eq!(found[0].0, "Queue");
}

#[test]
#[should_panic(expected = "expected 2 resources of type AWS::SQS::Queue, found 1")]
fn resource_count_mismatch() {
    Assertions::new(&template()).resource_count_is("AWS::SQS::Queue", 2);
}

#[test]
#[should_panic(expected = "no AWS::SQS::Queue has properties matching")]
fn property_mismatch() {
    Assertions::new(&template())
        .has_resource_properties("AWS::SQS::Queue", json!({"FifoQueue": false}));
}

#[test]
#[should_panic(expected = "(none of that type)")]
fn property_match_on_a_missing_type() {
    Assertions::new(&template()).has_resource_properties("AWS::SNS::Topic", json!({}));
}

#[test]
#[should_panic(expected = "no AWS::SQS::Queue matches")]
fn resource_mismatch() {
    Assertions::new(&template())
        .has_resource("AWS::SQS::Queue", json!({"DeletionPolicy": "Retain"}));
}

#[test]
#[should_panic(expected = "no output Missing; outputs are [\"Url\"]")]
fn missing_output() {
    Assertions::new(&template()).has_output("Missing", json!({}));
}

#[test]
#[should_panic(expected = "output Url is")]
fn output_mismatch() {
    Assertions::new(&template()).has_output("Url", json!({"Description": "other"}));
}
