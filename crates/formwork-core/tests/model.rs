//! The construct model: stacks held at once, cross-stack references between
//! typed handles, tags, aspects, annotations, construct validations,
//! environments, context, escape hatches (overrides) and lazy properties.

use std::cell::RefCell;
use std::rc::Rc;

use formwork_core::assertions::Assertions;
use formwork_core::logical_id::logical_id;
use formwork_core::{
    Annotations, App, Aspect, Aspects, CfnResource, Construct, Context, Environment, Expr, ExprMap,
    Level, Pseudo, RemovalPolicy, ResourceRef, Scope, StackProps, SubPart, Tags,
};
use serde_json::{json, Value};

fn app() -> App {
    App::with_context(Context::empty())
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

fn queue() -> CfnResource {
    CfnResource::new("AWS::SQS::Queue")
}

fn topic() -> CfnResource {
    CfnResource::new("AWS::SNS::Topic")
}

#[track_caller]
fn synth_error(app: &App) -> String {
    match app.synth() {
        Ok(_) => panic!("synthesis should fail"),
        Err(e) => e.to_string(),
    }
}

// ---------------------------------------------------------------------------
// Stacks held at once, typed cross-stack references

/// A typed construct of the producer stack, handed to the consumer.
struct Alerts {
    topic: ResourceRef,
}

impl Alerts {
    fn new(scope: &impl Scope, id: &str) -> Alerts {
        let scope = scope.child(id).unwrap();
        let topic = scope
            .add_resource("Topic", topic().set("DisplayName", "alerts"))
            .unwrap();
        // A plain id, so that the logical ID is readable.
        topic.override_logical_id("Topic").unwrap();
        Alerts { topic }
    }
}

/// A construct of the consumer stack that takes the producer's construct.
fn subscriber(scope: &impl Scope, id: &str, alerts: &Alerts) -> ResourceRef {
    let scope = scope.child(id).unwrap();
    let q = scope.add_resource("Queue", queue()).unwrap();
    scope
        .add_resource(
            "Subscription",
            CfnResource::new("AWS::SNS::Subscription")
                .set("Protocol", "sqs")
                .set("Endpoint", q.get_att("Arn"))
                .set("TopicArn", alerts.topic.to_ref()),
        )
        .unwrap()
}

const EXPORT_REF: &str = "Producer:ExportsOutputRefTopicA7DE468A";
const EXPORT_NAME_ATT: &str = "Producer:ExportsOutputFnGetAttTopicTopicNameAA9FBB33";

#[test]
fn two_stacks_held_at_once_with_a_typed_cross_stack_reference() {
    let app = app();
    let producer = app.stack("Producer");
    let consumer = app.stack("Consumer");
    let alerts = Alerts::new(&producer, "Alerts");
    let subscription = subscriber(&consumer, "Inbox", &alerts);
    consumer.output(
        "Named",
        Expr::sub_parts([
            SubPart::Text("topic ".into()),
            SubPart::GetAtt(alerts.topic.element(), "TopicName".into()),
        ]),
    );
    // Both handles still work after the other stack was changed.
    producer.output("Local", alerts.topic.to_ref());
    assert_eq!(subscription.type_name(), "AWS::SNS::Subscription");
    assert_eq!(app.stacks(), [producer.clone(), consumer.clone()]);
    assert_eq!(app.get_stack("Consumer"), Some(consumer.clone()));
    assert_eq!(app.get_stack("Nope"), None);
    assert_eq!(subscription.path(), "Consumer/Inbox/Subscription");

    let assembly = app.synth().unwrap();
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Producer", "Consumer"]);
    let c = assembly.stack("Consumer").unwrap();
    assert_eq!(c.dependencies, ["Producer"]);
    let queue_id = logical_id(&["Inbox", "Queue"]).unwrap();
    let subscription_id = logical_id(&["Inbox", "Subscription"]).unwrap();
    assert_eq!(
        c.template.resources.keys().collect::<Vec<_>>(),
        [&queue_id, &subscription_id]
    );
    assert_eq!(
        to_value(&c.template.resources[&subscription_id].properties),
        json!({
            "Protocol": "sqs",
            "Endpoint": {"Fn::GetAtt": [queue_id, "Arn"]},
            "TopicArn": {"Fn::ImportValue": EXPORT_REF}
        })
    );
    assert_eq!(
        to_value(&c.template.outputs["Named"].value),
        json!({"Fn::Sub": [
            "topic ${TopicTopicName}",
            {"TopicTopicName": {"Fn::ImportValue": EXPORT_NAME_ATT}}
        ]})
    );

    let p = &assembly.stack("Producer").unwrap().template;
    assert_eq!(
        to_value(&p.outputs["ExportsOutputRefTopicA7DE468A"]),
        json!({"Value": {"Ref": "Topic"}, "Export": {"Name": EXPORT_REF}})
    );
    assert_eq!(
        to_value(&p.outputs["Local"]),
        json!({"Value": {"Ref": "Topic"}})
    );
    let manifest = to_value(&assembly.manifest());
    assert_eq!(
        manifest["artifacts"]["Consumer"]["dependencies"],
        json!(["Producer"])
    );
}

#[test]
fn a_cross_stack_dependency_through_a_handle() {
    let app = app();
    let a = app.stack("A");
    let b = app.stack("B");
    let t = a.add_resource("Topic", topic()).unwrap();
    let q = b.add_resource("Queue", queue()).unwrap();
    q.add_depends_on(&t);
    let local = b.add_resource("Other", queue()).unwrap();
    q.add_depends_on(&local);
    q.add_depends_on(&local);
    let assembly = app.synth().unwrap();
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    let b = assembly.stack("B").unwrap();
    assert_eq!(b.dependencies, ["A"]);
    assert_eq!(b.template.resources["Queue"].depends_on, ["Other"]);
    // A dependency needs no export.
    assert!(assembly.stack("A").unwrap().template.outputs.is_empty());
}

// ---------------------------------------------------------------------------
// Tags

#[cfg(feature = "schema")]
fn ssm_parameter() -> CfnResource {
    CfnResource::new("AWS::SSM::Parameter")
        .set("Type", "String")
        .set("Value", "v")
}

#[cfg(feature = "schema")]
fn managed_policy() -> CfnResource {
    CfnResource::new("AWS::IAM::ManagedPolicy").set(
        "PolicyDocument",
        json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]
        }),
    )
}

#[cfg(feature = "schema")]
#[test]
fn tags_reach_list_and_map_shaped_resources_and_leave_untaggable_ones_alone() {
    let app = app();
    let stack = app.stack("S");
    let group = stack.child("Group").unwrap();
    group.add_resource("Queue", queue()).unwrap();
    group.add_resource("Param", ssm_parameter()).unwrap();
    stack.add_resource("Policy", managed_policy()).unwrap();
    Tags::of(&app.construct()).add("team", "core");
    Tags::of(&group).add("app", "demo");

    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    let q = t
        .resources
        .iter()
        .find(|(_, r)| r.type_name == "AWS::SQS::Queue")
        .unwrap()
        .1;
    assert_eq!(
        to_value(&q.properties),
        json!({"Tags": [{"Key": "app", "Value": "demo"}, {"Key": "team", "Value": "core"}]})
    );
    let p = t
        .resources
        .iter()
        .find(|(_, r)| r.type_name == "AWS::SSM::Parameter")
        .unwrap()
        .1;
    assert_eq!(
        to_value(&p.properties),
        json!({"Type": "String", "Value": "v", "Tags": {"app": "demo", "team": "core"}})
    );
    assert_eq!(
        to_value(&t.resources["Policy"].properties),
        json!({"PolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]
        }})
    );
    // The stack is tagged too (in the manifest), by the app-wide tag only.
    assert_eq!(to_value(&assembly.stacks[0].tags), json!({"team": "core"}));
    assert_eq!(
        to_value(&assembly.manifest())["artifacts"]["S"]["properties"]["tags"],
        json!({"team": "core"})
    );
}

#[cfg(feature = "schema")]
#[test]
fn tags_set_in_properties_take_part_with_a_low_priority() {
    let app = app();
    let stack = app.stack("S");
    stack
        .add_resource(
            "Queue",
            queue().set(
                "Tags",
                json!([{"Key": "owner", "Value": "me"}, {"Key": "team", "Value": "old"}]),
            ),
        )
        .unwrap();
    stack.add_tag("team", "core");
    let t = &app.synth().unwrap().stacks[0].template;
    assert_eq!(
        to_value(&t.resources["Queue"].properties["Tags"]),
        json!([{"Key": "owner", "Value": "me"}, {"Key": "team", "Value": "core"}])
    );
}

#[cfg(feature = "schema")]
#[test]
fn tag_priorities() {
    let app = app();
    let stack = app.stack("S");
    let a = stack.add_resource("A", queue()).unwrap();
    let b = stack.add_resource("B", queue()).unwrap();
    let c = stack.add_resource("C", queue()).unwrap();

    // Equal priority: the operation nearest the resource wins.
    Tags::of(&app.construct()).add("env", "app");
    Tags::of(&stack).add("env", "stack");
    // A remove (priority 200) above beats an add (100) below ...
    Tags::of(&stack).remove("secret");
    Tags::of(&a).add("secret", "x");
    // ... unless the add has the higher priority.
    Tags::of(&b).add_with(
        "secret",
        "y",
        formwork_core::TagProps {
            priority: Some(300),
            ..Default::default()
        },
    );
    // A higher priority far away beats a nearer lower one.
    Tags::of(&app.construct()).add_with(
        "level",
        "forced",
        formwork_core::TagProps {
            priority: Some(150),
            ..Default::default()
        },
    );
    Tags::of(&c).add("level", "mine");

    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    let tags = |id: &str| to_value(&t.resources[id].properties["Tags"]);
    assert_eq!(
        tags("A"),
        json!([{"Key": "env", "Value": "stack"}, {"Key": "level", "Value": "forced"}])
    );
    assert_eq!(
        tags("B"),
        json!([
            {"Key": "env", "Value": "stack"},
            {"Key": "level", "Value": "forced"},
            {"Key": "secret", "Value": "y"}
        ])
    );
    assert_eq!(
        tags("C"),
        json!([{"Key": "env", "Value": "stack"}, {"Key": "level", "Value": "forced"}])
    );
    assert_eq!(
        to_value(&assembly.stacks[0].tags),
        json!({"env": "stack", "level": "forced"})
    );
}

#[cfg(feature = "schema")]
#[test]
fn a_removed_tag_leaves_no_empty_tag_property() {
    let app = app();
    let stack = app.stack("S");
    let q = stack.add_resource("Queue", queue()).unwrap();
    Tags::of(&stack).add("a", "1");
    Tags::of(&q).remove("a");
    let t = &app.synth().unwrap().stacks[0].template;
    assert!(t.resources["Queue"].properties.is_empty());
}

#[cfg(feature = "schema")]
#[test]
fn tag_resource_type_filters() {
    let app = app();
    let stack = app.stack("S");
    stack.add_resource("Queue", queue()).unwrap();
    stack.add_resource("Param", ssm_parameter()).unwrap();
    Tags::of(&stack).add_with(
        "only-queues",
        "1",
        formwork_core::TagProps {
            include_resource_types: vec!["AWS::SQS::Queue".into()],
            ..Default::default()
        },
    );
    Tags::of(&stack).add_with(
        "not-queues",
        "2",
        formwork_core::TagProps {
            exclude_resource_types: vec!["AWS::SQS::Queue".into()],
            ..Default::default()
        },
    );
    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    assert_eq!(
        to_value(&t.resources["Queue"].properties),
        json!({"Tags": [{"Key": "only-queues", "Value": "1"}]})
    );
    assert_eq!(
        to_value(&t.resources["Param"].properties),
        json!({"Type": "String", "Value": "v", "Tags": {"not-queues": "2"}})
    );
    // An include filter names resource types, so it does not reach the stack;
    // an exclude filter does not exclude it.
    assert_eq!(
        to_value(&assembly.stacks[0].tags),
        json!({"not-queues": "2"})
    );
}

#[test]
fn stack_tags_are_in_the_manifest() {
    let app = app();
    let a = app.stack("A");
    let b = app.stack("B");
    Tags::of(&app.construct()).add("team", "core");
    a.add_tag("app", "demo");
    Tags::of(&b).remove("team");
    let manifest = to_value(&app.synth().unwrap().manifest());
    assert_eq!(
        manifest["artifacts"]["A"]["properties"]["tags"],
        json!({"app": "demo", "team": "core"})
    );
    assert!(manifest["artifacts"]["B"]["properties"]
        .get("tags")
        .is_none());
}

// ---------------------------------------------------------------------------
// Aspects

#[test]
fn aspects_visit_every_construct_including_the_ones_they_add() {
    let app = app();
    let stack = app.stack("S");
    let group = stack.child("Group").unwrap();
    group.add_resource("Queue", queue()).unwrap();
    stack.output("Out", "x");
    let other = app.stack("Other");

    let visited: Rc<RefCell<Vec<String>>> = Rc::default();
    let seen = visited.clone();
    Aspects::of(&app.construct()).add(move |c: &Construct| seen.borrow_mut().push(c.path()));

    /// Adds a topic to every stack, once.
    struct AddTopic;
    impl Aspect for AddTopic {
        fn visit(&self, node: &Construct) {
            if node.parent().is_some_and(|p| p.parent().is_none())
                && !node.children().iter().any(|c| c.id() == "Added")
            {
                node.add_resource("Added", topic()).unwrap();
            }
        }
    }
    Aspects::of(&stack).add(AddTopic);

    let assembly = app.synth().unwrap();
    assert_eq!(
        *visited.borrow(),
        [
            "App",
            "S",
            "S/Group",
            "S/Group/Queue",
            "S/Out",
            "Other",
            "S/Added"
        ]
    );
    Assertions::new(&assembly.stack("S").unwrap().template).resource_count_is("AWS::SNS::Topic", 1);
    Assertions::new(&assembly.stack("Other").unwrap().template)
        .resource_count_is("AWS::SNS::Topic", 0);
    assert!(other.construct().children().is_empty());

    // A second synthesis visits only what is new.
    visited.borrow_mut().clear();
    let again = app.synth().unwrap();
    assert!(visited.borrow().is_empty(), "{:?}", visited.borrow());
    assert_eq!(
        again.stack("S").unwrap().template_json(),
        assembly.stack("S").unwrap().template_json()
    );
    other.add_resource("Late", queue()).unwrap();
    app.synth().unwrap();
    assert_eq!(*visited.borrow(), ["Other/Late"]);
}

#[test]
fn aspects_can_annotate_and_change_resources() {
    let app = app();
    let stack = app.stack("S");
    stack.add_resource("Queue", queue()).unwrap();
    stack.add_resource("Topic", topic()).unwrap();
    Aspects::of(&stack).add(|c: &Construct| {
        if let Some(r) = c.as_resource() {
            if r.type_name() == "AWS::SQS::Queue" {
                Annotations::of(c).add_warning_v2("demo:queue", "queues are costly");
                r.apply_removal_policy(RemovalPolicy::Retain);
            }
        }
    });
    let assembly = app.synth().unwrap();
    let t = &assembly.stacks[0].template;
    assert_eq!(
        t.resources["Queue"].deletion_policy,
        Some(RemovalPolicy::Retain)
    );
    assert_eq!(t.resources["Topic"].deletion_policy, None);
    let messages: Vec<String> = assembly
        .messages()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        ["[warning] S/Queue: queues are costly [ack: demo:queue]"]
    );
    // Synthesizing again does not annotate twice.
    let again = app.synth().unwrap();
    assert_eq!(again.messages(), assembly.messages());
    assert_eq!(again.manifest(), assembly.manifest());
}

// ---------------------------------------------------------------------------
// Annotations and validations

#[test]
fn an_annotation_error_fails_synthesis_with_the_path() {
    let app = app();
    let stack = app.stack("S");
    let q = stack.add_resource("Queue", queue()).unwrap();
    Annotations::of(&q).add_error("queues are not allowed here");
    assert_eq!(synth_error(&app), "S/Queue: queues are not allowed here");

    let g = stack.child("G").unwrap();
    Annotations::of(&g).add_error("and no groups");
    assert_eq!(
        synth_error(&app),
        "2 validation errors:\n  \
         S/Queue: queues are not allowed here\n  \
         S/G: and no groups"
    );
}

#[test]
fn warnings_and_infos_are_messages_and_manifest_metadata() {
    let app = app();
    let stack = app.stack("S");
    let q = stack.add_resource("Queue", queue()).unwrap();
    let g = stack.child("G").unwrap();
    Annotations::of(&q).add_warning_v2("demo:open", "the queue is open");
    Annotations::of(&q).add_warning("plain warning");
    Annotations::of(&g).add_info("for information");
    Annotations::of(&stack).add_warning_v2("demo:stack", "stack-wide");

    let assembly = app.synth().unwrap();
    let summary: Vec<(&str, Level, Option<&str>, &str)> = assembly
        .messages()
        .iter()
        .map(|m| (m.path.as_str(), m.level, m.id.as_deref(), m.text.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("S", Level::Warning, Some("demo:stack"), "stack-wide"),
            (
                "S/Queue",
                Level::Warning,
                Some("demo:open"),
                "the queue is open"
            ),
            ("S/Queue", Level::Warning, None, "plain warning"),
            ("S/G", Level::Info, None, "for information"),
        ]
    );
    assert_eq!(assembly.warnings().count(), 3);
    let manifest = to_value(&assembly.manifest());
    assert_eq!(
        manifest["artifacts"]["S"]["metadata"],
        json!({
            "/S/Queue": [
                {"type": "aws:cdk:logicalId", "data": "Queue"},
                {"type": "aws:cdk:warning", "data": "the queue is open [ack: demo:open]"},
                {"type": "aws:cdk:warning", "data": "plain warning"}
            ],
            "/S": [{"type": "aws:cdk:warning", "data": "stack-wide [ack: demo:stack]"}],
            "/S/G": [{"type": "aws:cdk:info", "data": "for information"}]
        })
    );
}

#[test]
fn an_acknowledgement_silences_the_warning_on_children() {
    let app = app();
    let stack = app.stack("S");
    let g = stack.child("G").unwrap();
    let q = g.add_resource("Queue", queue()).unwrap();
    let other = stack.add_resource("Other", queue()).unwrap();
    Annotations::of(&q).add_warning_v2("demo:open", "the queue is open");
    Annotations::of(&q).add_warning_v2("demo:other", "something else");
    Annotations::of(&other).add_warning_v2("demo:open", "this one too");
    Annotations::of(&g).acknowledge_warning("demo:open", "reviewed");

    let assembly = app.synth().unwrap();
    let messages: Vec<String> = assembly
        .messages()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        [
            "[warning] S/G/Queue: something else [ack: demo:other]",
            "[warning] S/Other: this one too [ack: demo:open]",
        ]
    );
    // Acknowledged at the app, nothing is left.
    Annotations::of(&app.construct()).acknowledge_warning("demo:open", "all of them");
    Annotations::of(&app.construct()).acknowledge_warning("demo:other", "all of them");
    assert!(app.synth().unwrap().messages().is_empty());
}

#[test]
fn construct_validations_run_at_synthesis() {
    let app = app();
    let stack = app.stack("S");
    let group = stack.child("Group").unwrap();
    let members: Rc<RefCell<Vec<String>>> = Rc::default();
    let state = members.clone();
    group.add_validation(move || {
        if state.borrow().is_empty() {
            vec!["the group has no members".to_owned()]
        } else {
            Vec::new()
        }
    });
    stack
        .construct()
        .add_validation(|| vec!["first".to_owned(), "second".to_owned()]);
    assert_eq!(
        synth_error(&app),
        "3 validation errors:\n  \
         S: first\n  \
         S: second\n  \
         S/Group: the group has no members"
    );

    // The check sees the state as it is at synthesis.
    members.borrow_mut().push("alice".to_owned());
    assert_eq!(
        synth_error(&app),
        "2 validation errors:\n  \
         S: first\n  \
         S: second"
    );
}

// ---------------------------------------------------------------------------
// Environments and context

#[test]
fn environments_in_the_manifest_and_the_template() {
    let app = app();
    let pinned = app.stack_with(
        "Pinned",
        StackProps {
            env: Environment::new("123456789012", "eu-west-1"),
            description: Some("pinned stack".into()),
            termination_protection: true,
        },
    );
    let half = app.stack_with(
        "Half",
        StackProps {
            env: Environment {
                account: None,
                region: Some("us-east-1".into()),
            },
            ..Default::default()
        },
    );
    let agnostic = app.stack("Agnostic");
    for s in [&pinned, &half, &agnostic] {
        s.output("Region", s.region());
        s.output("Account", s.account());
    }
    assert_eq!(pinned.region(), Expr::from("eu-west-1"));
    assert_eq!(agnostic.region(), Expr::from(Pseudo::Region));
    assert_eq!(
        pinned.environment(),
        Environment::new("123456789012", "eu-west-1")
    );
    assert!(pinned.termination_protection());

    let assembly = app.synth().unwrap();
    let outputs = |name: &str| {
        let t = &assembly.stack(name).unwrap().template;
        (
            to_value(&t.outputs["Region"].value),
            to_value(&t.outputs["Account"].value),
        )
    };
    assert_eq!(
        outputs("Pinned"),
        (json!("eu-west-1"), json!("123456789012"))
    );
    assert_eq!(
        outputs("Half"),
        (json!("us-east-1"), json!({"Ref": "AWS::AccountId"}))
    );
    assert_eq!(
        outputs("Agnostic"),
        (
            json!({"Ref": "AWS::Region"}),
            json!({"Ref": "AWS::AccountId"})
        )
    );
    assert_eq!(
        assembly
            .stack("Pinned")
            .unwrap()
            .template
            .description
            .as_deref(),
        Some("pinned stack")
    );

    let manifest = to_value(&assembly.manifest());
    let artifacts = &manifest["artifacts"];
    assert_eq!(
        artifacts["Pinned"]["environment"],
        "aws://123456789012/eu-west-1"
    );
    assert_eq!(
        artifacts["Pinned"]["properties"]["terminationProtection"],
        true
    );
    assert_eq!(
        artifacts["Half"]["environment"],
        "aws://unknown-account/us-east-1"
    );
    assert_eq!(
        artifacts["Agnostic"]["environment"],
        "aws://unknown-account/unknown-region"
    );
    assert!(artifacts["Agnostic"]["properties"]
        .get("terminationProtection")
        .is_none());
}

#[test]
fn references_cross_only_between_stacks_of_one_environment() {
    let app = app();
    let in_region = |name: &str, region: &str| {
        app.stack_with(
            name,
            StackProps {
                env: Environment::new("123456789012", region),
                ..Default::default()
            },
        )
    };
    let ireland = in_region("Ireland", "eu-west-1");
    let also_ireland = in_region("AlsoIreland", "eu-west-1");
    let virginia = in_region("Virginia", "us-east-1");
    let agnostic = app.stack("Agnostic");
    let queue = ireland.add_resource("Queue", queue()).unwrap();
    also_ireland
        .add_resource(
            "Topic",
            topic().set("DisplayName", queue.get_att("QueueName")),
        )
        .unwrap();
    virginia
        .add_resource(
            "Topic",
            topic().set("DisplayName", queue.get_att("QueueName")),
        )
        .unwrap();
    agnostic.output("QueueUrl", queue.to_ref());

    let error = synth_error(&app);
    assert!(
        error.contains(
            "Virginia/Topic: references Ireland/Queue in stack Ireland \
             (aws://123456789012/eu-west-1), but this stack is aws://123456789012/us-east-1: \
             Fn::ImportValue reaches only stacks of the same account and region"
        ),
        "{error}"
    );
    // An environment-agnostic stack may be deployed anywhere: not the same environment.
    assert!(
        error.contains("Agnostic/QueueUrl: references Ireland/Queue in stack Ireland"),
        "{error}"
    );
    assert!(!error.contains("AlsoIreland"), "{error}");
}

#[test]
fn context_from_pairs() {
    let app = App::with_context(Context::from_pairs([
        "stage=prod",
        "count=3",
        "flag=true",
        "list=[1,2]",
        "url=https://a=b",
    ]));
    assert_eq!(app.context("stage"), Some(json!("prod")));
    assert_eq!(app.context("count"), Some(json!(3)));
    assert_eq!(app.context("flag"), Some(json!(true)));
    assert_eq!(app.context("list"), Some(json!([1, 2])));
    assert_eq!(app.context("url"), Some(json!("https://a=b")));
    assert_eq!(app.context("missing"), None);

    // Set later, read through another handle of the same app.
    let handle = app.clone();
    handle.set_context("stage", "dev");
    handle.set_context("extra", json!({"a": 1}));
    assert_eq!(app.context("stage"), Some(json!("dev")));
    assert_eq!(app.context("extra"), Some(json!({"a": 1})));

    // Constructs read the context of their app.
    let stack = app.stack("S");
    assert_eq!(stack.construct().app().context("count"), Some(json!(3)));
    assert_eq!(Context::empty().get("stage"), None);
}

// ---------------------------------------------------------------------------
// Escape hatches and lazy properties

#[test]
fn overrides_edit_the_synthesized_resource() {
    let app = app();
    app.set_validation(false);
    let stack = app.stack("S");
    let other = stack.add_resource("Other", topic()).unwrap();
    let r = stack
        .add_resource(
            "Thing",
            CfnResource::new("Custom::Thing")
                .set("Keep", "k")
                .set("Drop", "d")
                .set("Config", json!({"A": 1, "Nested": {"X": 1, "Y": 2}})),
        )
        .unwrap();
    r.add_property_override("Config.B", 2);
    r.add_property_override("Config.Nested.Y", other.to_ref());
    r.add_property_deletion_override("Config.Nested.X");
    r.add_property_override("New.Deep.Path", true);
    r.add_property_override("Dotted\\.Key.Inner", "dots");
    r.add_property_deletion_override("Drop");
    r.add_override("DeletionPolicy", "Retain");
    r.add_override("Metadata.Owner", "team");
    r.add_override("Properties.Keep", "kept");

    let t = &app.synth().unwrap().stacks[0].template;
    let thing = &t.resources["Thing"];
    assert_eq!(
        to_value(thing),
        json!({
            "Type": "Custom::Thing",
            "Properties": {
                "Keep": "kept",
                "Config": {"A": 1, "Nested": {"Y": {"Ref": "Other"}}, "B": 2},
                "New": {"Deep": {"Path": true}},
                "Dotted.Key": {"Inner": "dots"}
            },
            "DeletionPolicy": "Retain",
            "Metadata": {"aws:cdk:path": "S/Thing", "Owner": "team"}
        })
    );
    assert_eq!(thing.deletion_policy, Some(RemovalPolicy::Retain));
    // What the construct set is unchanged: overrides apply at synthesis.
    assert_eq!(r.properties().len(), 3);
}

#[test]
fn an_override_that_breaks_the_resource_is_an_error() {
    let app = app();
    app.set_validation(false);
    let stack = app.stack("S");
    let r = stack
        .add_resource("Thing", CfnResource::new("Custom::Thing"))
        .unwrap();
    r.add_override("DeletionPolicy", "Sometimes");
    let err = synth_error(&app);
    assert!(
        err.starts_with("S/Thing: override: the overrides leave an invalid resource: "),
        "{err}"
    );
}

#[test]
fn lazy_properties_reflect_state_changed_after_creation() {
    let app = app();
    app.set_validation(false);
    let producer = app.stack("Producer");
    let stack = app.stack("S");
    let shared = producer.add_resource("Topic", topic()).unwrap();
    let names: Rc<RefCell<Vec<Expr>>> = Rc::new(RefCell::new(vec!["first".into()]));
    let r = stack
        .add_resource("Thing", CfnResource::new("Custom::Thing").set("Ignored", 1))
        .unwrap();
    let state = names.clone();
    r.set_lazy_properties(move || {
        let items = state.borrow();
        [
            ("Count", Expr::from(items.len() as u64)),
            ("Names", Expr::List(items.clone())),
        ]
        .into_iter()
        .collect::<ExprMap>()
    });
    // Changed after the resource was made, and after the lazy render was set.
    names.borrow_mut().push("second".into());
    names.borrow_mut().push(shared.to_ref());
    r.update(|res| {
        res.metadata.insert("Note", "updated".into());
    });

    let assembly = app.synth().unwrap();
    let s = assembly.stack("S").unwrap();
    let thing = &s.template.resources["Thing"];
    assert_eq!(
        to_value(&thing.properties),
        json!({
            "Count": 3,
            "Names": ["first", "second", {"Fn::ImportValue": "Producer:ExportsOutputRefTopicA7DE468A"}]
        })
    );
    assert_eq!(thing.metadata["Note"], json!("updated"));
    // The reference inside the lazy properties made the stacks depend.
    assert_eq!(s.dependencies, ["Producer"]);
    assert_eq!(assembly.stacks[0].name, "Producer");

    // Rendered again at every synthesis.
    names.borrow_mut().truncate(1);
    let again = app.synth().unwrap();
    assert_eq!(
        to_value(&again.stack("S").unwrap().template.resources["Thing"].properties),
        json!({"Count": 1, "Names": ["first"]})
    );
    assert!(again.stack("S").unwrap().dependencies.is_empty());
}

#[test]
fn a_resource_handle_reads_and_updates_its_resource() {
    let app = app();
    app.set_validation(false);
    let stack = app.stack("S");
    let q = stack
        .add_resource("Queue", queue().set("DelaySeconds", 5))
        .unwrap();
    assert_eq!(q.type_name(), "AWS::SQS::Queue");
    assert_eq!(q.properties().get("DelaySeconds"), Some(&Expr::from(5)));
    q.update(|r| r.insert("VisibilityTimeout", 60));
    let from_tree = stack.construct().children()[0].as_resource().unwrap();
    assert_eq!(from_tree, q);
    assert_eq!(from_tree.properties().len(), 2);
    assert!(stack.construct().as_resource().is_none());
    let t = &app.synth().unwrap().stacks[0].template;
    assert_eq!(
        to_value(&t.resources["Queue"].properties),
        json!({"DelaySeconds": 5, "VisibilityTimeout": 60})
    );
}
