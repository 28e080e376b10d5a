//! Scripted-response tests (aws-smithy-mocks) for the behaviours that moto
//! cannot exercise: rollbacks, failures, empty and failed change sets,
//! throttling, an endpoint that is down, IAM approval, DELETE_FAILED.
//!
//! A small in-memory CloudFormation (`support::cloudformation::Fake`)
//! answers every call from shared state, scripted per test; every call is
//! logged, so each test can assert that no stack holding resources was
//! deleted.

mod support;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{Stack, StackStatus};
use aws_sdk_cloudformation::Client;
use aws_smithy_mocks::mock;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::body::SdkBody;
use formwork_deploy::{
    deploy_stack, destroy_stack, Clients, DeployError, DeployEvent, DeployOptions, DeployOutcome,
    DestroyOptions, StackSpec,
};
use serde_json::json;
use support::cloudformation::{change, step, unused_s3, Fake, Step, STACK, STACK_ID};
use support::{collect, yes};

fn template() -> serde_json::Value {
    json!({"Resources": {
        "Param": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "v1"}},
        "Queue": {"Type": "AWS::SQS::Queue"}
    }})
}

fn iam_template() -> serde_json::Value {
    json!({"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "lambda.amazonaws.com"}}]}}}}})
}

fn spec(t: &serde_json::Value) -> StackSpec {
    StackSpec {
        stack_name: STACK.into(),
        template_body: serde_json::to_string(t).unwrap(),
        construct_paths: HashMap::from([
            ("Param".to_string(), "/AppStack/Param/Resource".to_string()),
            ("Queue".to_string(), "/AppStack/Queue/Resource".to_string()),
        ]),
        ..Default::default()
    }
}

#[tokio::test(start_paused = true)]
async fn rollback_complete_stack_is_deleted_and_created_again() {
    let fake = Fake::with(|st| {
        st.status = Some("ROLLBACK_COMPLETE".into());
        st.set_resources(&[("Param", "AWS::SSM::Parameter", "DELETE_COMPLETE", None)]);
        st.add_event(
            "Param",
            "AWS::SSM::Parameter",
            "CREATE_FAILED",
            Some("old failure"),
        );
        st.on_delete = vec![step("DELETE_IN_PROGRESS"), step("DELETE_COMPLETE")];
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Param", "AWS::SSM::Parameter")],
        );
        st.on_execute = vec![
            Step {
                status: "CREATE_IN_PROGRESS",
                events: vec![("Param", "AWS::SSM::Parameter", "CREATE_IN_PROGRESS", None)],
                ..Default::default()
            },
            Step {
                status: "CREATE_COMPLETE",
                events: vec![("Param", "AWS::SSM::Parameter", "CREATE_COMPLETE", None)],
                resources: Some(vec![(
                    "Param",
                    "AWS::SSM::Parameter",
                    "CREATE_COMPLETE",
                    None,
                )]),
                outputs: None,
            },
        ];
        st.outputs = vec![("ParamName".into(), "p-123".into())];
    });
    let (events, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let out = result.expect("deploy succeeds after recreating");
    assert_eq!(out.outcome, DeployOutcome::Deployed);
    assert_eq!(out.status, "CREATE_COMPLETE");
    assert_eq!(
        out.outputs,
        BTreeMap::from([("ParamName".into(), "p-123".into())])
    );
    assert!(events.contains(&DeployEvent::Recreating {
        stack: STACK.into(),
        status: "ROLLBACK_COMPLETE".into()
    }));
    let line = formwork_deploy::cli::format_event(&events[1]);
    assert!(line.contains("deleting it and creating it again"), "{line}");
    // The only delete was of the rolled-back stack, which held no live resources.
    assert_eq!(
        fake.deletes(),
        ["DeleteStack status=ROLLBACK_COMPLETE live_resources=0"]
    );
    assert!(
        fake.calls()
            .contains(&"CreateChangeSet CREATE []".to_string()),
        "{:?}",
        fake.calls()
    );
    // Events from before the change set (the old failure) are not replayed.
    let resource_events: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            DeployEvent::Resource {
                event, progress, ..
            } => Some((event.status.clone(), *progress)),
            _ => None,
        })
        .collect();
    assert!(
        !resource_events.iter().any(|(s, _)| s == "CREATE_FAILED"),
        "{resource_events:?}"
    );
    assert_eq!(resource_events.last().unwrap().0, "CREATE_COMPLETE");
    assert_eq!(resource_events.last().unwrap().1.done, 1);
    assert_eq!(resource_events.last().unwrap().1.total, 1);
}

#[tokio::test(start_paused = true)]
async fn clients_fixed_to_a_region_refuse_a_stack_of_another() {
    let fake = Fake::with(|_| {});
    let pinned = StackSpec {
        region: Some("eu-west-1".into()),
        ..spec(&template())
    };
    let (events, result) = collect(deploy_stack(fake.clients(&[]), pinned, yes())).await;
    let err = result.unwrap_err();
    assert!(
        err.to_string().starts_with(
            "AppStack is for region eu-west-1 (its environment), but these clients are fixed to us-east-1"
        ),
        "{err}"
    );
    assert!(
        fake.calls().is_empty(),
        "nothing was called: {:?}",
        fake.calls()
    );
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test(start_paused = true)]
async fn update_rollback_failed_is_refused_with_guidance() {
    let fake = Fake::with(|st| st.status = Some("UPDATE_ROLLBACK_FAILED".into()));
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, DeployError::UpdateRollbackFailed { .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("UPDATE_ROLLBACK_FAILED"), "{msg}");
    assert!(
        msg.contains("continue-update-rollback --stack-name AppStack"),
        "{msg}"
    );
    assert!(fake.deletes().is_empty());
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.starts_with("CreateChangeSet")));
}

#[tokio::test(start_paused = true)]
async fn resource_failure_names_the_root_cause_not_the_cancellations() {
    let fake = Fake::with(|st| {
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![
                change("Add", "Param", "AWS::SSM::Parameter"),
                change("Add", "Queue", "AWS::SQS::Queue"),
            ],
        );
        st.on_execute = vec![
            Step {
                status: "CREATE_IN_PROGRESS",
                events: vec![
                    (STACK, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", Some("User Initiated")),
                    ("Param", "AWS::SSM::Parameter", "CREATE_IN_PROGRESS", None),
                    ("Queue", "AWS::SQS::Queue", "CREATE_IN_PROGRESS", None),
                ],
                ..Default::default()
            },
            Step {
                status: "ROLLBACK_IN_PROGRESS",
                events: vec![
                    // The cancelled sibling is reported first: it is not the cause.
                    ("Queue", "AWS::SQS::Queue", "CREATE_FAILED", Some("Resource creation cancelled")),
                    ("Param", "AWS::SSM::Parameter", "CREATE_FAILED",
                        Some("Resource handler returned message: \"Parameter name must not begin with aws\" (HandlerErrorCode: InvalidRequest)")),
                    (STACK, "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS",
                        Some("The following resource(s) failed to create: [Queue, Param].")),
                ],
                ..Default::default()
            },
            Step {
                status: "ROLLBACK_COMPLETE",
                events: vec![
                    ("Queue", "AWS::SQS::Queue", "DELETE_COMPLETE", None),
                    ("Param", "AWS::SSM::Parameter", "DELETE_COMPLETE", None),
                    (STACK, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", None),
                ],
                resources: Some(vec![]),
                outputs: None,
            },
        ];
    });
    let (events, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let err = result.unwrap_err();
    let DeployError::StackFailed {
        status,
        first_failure,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status, "ROLLBACK_COMPLETE");
    let root = first_failure.as_ref().unwrap();
    assert_eq!(root.logical_id, "Param");
    assert_eq!(
        root.construct_path.as_deref(),
        Some("/AppStack/Param/Resource")
    );
    let msg = err.to_string();
    assert_eq!(
        msg,
        "stack AppStack failed: Param (AWS::SSM::Parameter, /AppStack/Param/Resource) CREATE_FAILED: Resource handler returned message: \"Parameter name must not begin with aws\" (HandlerErrorCode: InvalidRequest). Final stack status: ROLLBACK_COMPLETE"
    );
    // Every event was streamed, with construct paths.
    let streamed = events
        .iter()
        .filter(|e| matches!(e, DeployEvent::Resource { .. }))
        .count();
    assert_eq!(streamed, 9);
    // The failed stack is left for inspection: no delete.
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn empty_change_set_is_a_success_with_current_outputs() {
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        // Deployed template differs textually (so no skip), but CloudFormation sees no change.
        st.template = Some(json!({"Resources": {}}).to_string());
        st.outputs = vec![("Out".into(), "value".into())];
        st.change_set = (
            "FAILED".into(),
            Some("The submitted information didn't contain changes. Submit different information to create a change set.".into()),
            vec![],
        );
    });
    let (events, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let out = result.expect("no changes is a success");
    assert_eq!(out.outcome, DeployOutcome::NoChanges);
    assert_eq!(
        out.outputs,
        BTreeMap::from([("Out".into(), "value".into())])
    );
    assert!(events.contains(&DeployEvent::NoChanges {
        stack: STACK.into()
    }));
    let calls = fake.calls();
    assert!(calls.contains(&"DeleteChangeSet".to_string()), "{calls:?}");
    assert!(!calls.contains(&"ExecuteChangeSet".to_string()));
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn change_set_failing_for_another_reason_is_an_error() {
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        st.template = Some(json!({"Resources": {}}).to_string());
        st.change_set = (
            "FAILED".into(),
            Some("Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template".into()),
            vec![],
        );
    });
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, DeployError::ChangeSetFailed { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the change set for stack AppStack failed: Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template"
    );
    assert!(!fake.calls().contains(&"ExecuteChangeSet".to_string()));
    assert!(fake.deletes().is_empty());
}

fn throttling_response() -> HttpResponse {
    HttpResponse::new(
        400.try_into().unwrap(),
        SdkBody::from(
            "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
        ),
    )
}

#[tokio::test(start_paused = true)]
async fn throttling_is_retried() {
    let t = template();
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        st.template = Some(serde_json::to_string(&t).unwrap());
    });
    // The first DescribeStacks attempt and its first retry are throttled.
    let throttled = mock!(Client::describe_stacks)
        .sequence()
        .http_response(throttling_response)
        .times(2)
        .output(|| {
            DescribeStacksOutput::builder()
                .stacks(
                    Stack::builder()
                        .stack_name(STACK)
                        .stack_id(STACK_ID)
                        .stack_status(StackStatus::UpdateComplete)
                        .creation_time(DateTime::from_secs(1_800_000_000))
                        .build(),
                )
                .build()
        })
        .build();
    let (_, result) = collect(deploy_stack(
        fake.clients(std::slice::from_ref(&throttled)),
        spec(&t),
        yes(),
    ))
    .await;
    let out = result.expect("throttling is retried by the SDK");
    assert_eq!(out.outcome, DeployOutcome::Skipped);
    assert_eq!(throttled.num_calls(), 3);
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn throttling_that_persists_is_reported() {
    let throttled = mock!(Client::describe_stacks)
        .sequence()
        .http_response(throttling_response)
        .times(3)
        .build();
    let fake = Fake::default();
    let (_, result) = collect(deploy_stack(
        fake.clients(std::slice::from_ref(&throttled)),
        spec(&template()),
        yes(),
    ))
    .await;
    let err = result.unwrap_err();
    assert_eq!(
        err.to_string(),
        "DescribeStacks failed: Throttling: Rate exceeded (still throttled after every retry: try again later, or raise --max-retries)"
    );
    assert_eq!(throttled.num_calls(), 3);
    assert!(fake.deletes().is_empty());
}

#[tokio::test]
async fn an_endpoint_that_is_down_is_a_clear_error() {
    // Port 9 (discard) on localhost: nothing listens there.
    let config = aws_sdk_cloudformation::Config::builder()
        .behavior_version(aws_sdk_cloudformation::config::BehaviorVersion::latest())
        .region(aws_sdk_cloudformation::config::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:9")
        .credentials_provider(aws_sdk_cloudformation::config::Credentials::for_tests())
        .http_client(formwork_deploy::http_client())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    let clients = Clients::new(Client::from_conf(config), unused_s3(), "us-east-1")
        .with_endpoint("http://127.0.0.1:9");
    let (_, result) = collect(deploy_stack(clients, spec(&template()), yes())).await;
    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            DeployError::Unreachable {
                operation: "DescribeStacks",
                ..
            }
        ),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with(
            "could not reach the AWS endpoint http://127.0.0.1:9 during DescribeStacks: "
        ),
        "{msg}"
    );
    assert!(
        msg.contains("dispatch failure") || msg.contains("connect"),
        "{msg}"
    );
}

#[tokio::test(start_paused = true)]
async fn iam_changes_without_a_tty_are_refused() {
    let fake = Fake::with(|st| {
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Role", "AWS::IAM::Role")],
        );
    });
    let options = DeployOptions::default(); // Broadening, no approver: not on a terminal.
    let (events, result) = collect(deploy_stack(
        fake.clients(&[]),
        spec(&iam_template()),
        options,
    ))
    .await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, DeployError::ApprovalRequired { .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("IAM changes (1)"), "{msg}");
    assert!(msg.contains("--require-approval never (or --yes)"), "{msg}");
    // The IAM change was shown before refusing.
    let listed = events
        .iter()
        .find_map(|e| match e {
            DeployEvent::ChangesListed { iam_changes, .. } => Some(iam_changes.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(listed[0].logical_id, "Role");
    let calls = fake.calls();
    assert!(
        calls.contains(&"CreateChangeSet CREATE [\"CAPABILITY_IAM\"]".to_string()),
        "{calls:?}"
    );
    assert!(!calls.contains(&"ExecuteChangeSet".to_string()));
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn iam_changes_with_an_approver_are_asked_and_can_be_declined() {
    let fake = Fake::with(|st| {
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Role", "AWS::IAM::Role")],
        );
    });
    let asked = Arc::new(Mutex::new(Vec::new()));
    let a = asked.clone();
    let options = DeployOptions {
        approver: Some(Arc::new(move |req: &formwork_deploy::ApprovalRequest| {
            a.lock().unwrap().push(req.iam_changes.len());
            false
        })),
        ..Default::default()
    };
    let (_, result) = collect(deploy_stack(
        fake.clients(&[]),
        spec(&iam_template()),
        options,
    ))
    .await;
    assert!(
        matches!(result, Err(DeployError::ApprovalDenied { .. })),
        "{result:?}"
    );
    assert_eq!(*asked.lock().unwrap(), [1]);
    assert!(!fake.calls().contains(&"ExecuteChangeSet".to_string()));
    // The declined change set is deleted, and the message says so (it used
    // to say the change set was left, and the next deploy then blamed "an
    // earlier failed attempt").
    assert!(fake.calls().contains(&"DeleteChangeSet".to_string()));
    assert!(result
        .unwrap_err()
        .to_string()
        .ends_with("was deleted and nothing was changed"),);
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn review_in_progress_gets_a_new_create_change_set_and_is_never_deleted() {
    let fake = Fake::with(|st| {
        st.status = Some("REVIEW_IN_PROGRESS".into());
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Param", "AWS::SSM::Parameter")],
        );
        st.on_execute = vec![step("CREATE_IN_PROGRESS"), step("CREATE_COMPLETE")];
    });
    let (events, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    assert_eq!(result.unwrap().outcome, DeployOutcome::Deployed);
    assert!(fake.deletes().is_empty(), "{:?}", fake.calls());
    assert!(fake
        .calls()
        .contains(&"CreateChangeSet CREATE []".to_string()));
    assert!(!events
        .iter()
        .any(|e| matches!(e, DeployEvent::Recreating { .. })));
    let line = formwork_deploy::cli::format_event(&events[0]);
    assert!(
        line.contains("a new CREATE change set is made on it"),
        "{line}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_change_set_overtaken_by_another_deployment_is_not_executed() {
    // The stack is REVIEW_IN_PROGRESS when formwork looks; by the time its
    // change set is ready, another deployment has executed its own.
    let fake = Fake::with(|st| {
        st.status = Some("REVIEW_IN_PROGRESS".into());
        st.script = VecDeque::from([step("REVIEW_IN_PROGRESS"), step("CREATE_COMPLETE")]);
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Param", "AWS::SSM::Parameter")],
        );
    });
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, DeployError::ConcurrentDeploy { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("the stack is CREATE_COMPLETE instead of REVIEW_IN_PROGRESS"),
        "{err}"
    );
    let calls = fake.calls();
    assert!(
        !calls.contains(&"ExecuteChangeSet".to_string()),
        "{calls:?}"
    );
    assert!(calls.contains(&"DeleteChangeSet".to_string()), "{calls:?}");
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn rollback_failed_stack_that_holds_resources_is_never_deleted() {
    let fake = Fake::with(|st| {
        st.status = Some("ROLLBACK_FAILED".into());
        st.set_resources(&[
            ("Param", "AWS::SSM::Parameter", "DELETE_COMPLETE", None),
            (
                "Queue",
                "AWS::SQS::Queue",
                "DELETE_FAILED",
                Some("Access denied"),
            ),
        ]);
    });
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    let err = result.unwrap_err();
    assert!(
        matches!(err, DeployError::StackHoldsResources { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "stack AppStack is in ROLLBACK_FAILED and still holds resources (Queue); it is not deleted automatically. Inspect it, delete it yourself (aws cloudformation delete-stack --stack-name AppStack) and deploy again"
    );
    assert!(fake.deletes().is_empty(), "{:?}", fake.calls());
    assert!(!fake
        .calls()
        .iter()
        .any(|c| c.starts_with("CreateChangeSet")));
}

#[tokio::test(start_paused = true)]
async fn rollback_complete_is_rechecked_by_stack_id_right_before_deleting() {
    // Between formwork's first look and its re-check, another deployment
    // deleted the failed stack: formwork must not delete anything, and goes
    // on to create it.
    let fake = Fake::with(|st| {
        st.status = Some("ROLLBACK_COMPLETE".into());
        st.script = VecDeque::from([step("ROLLBACK_COMPLETE"), step("DELETE_COMPLETE")]);
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            vec![change("Add", "Param", "AWS::SSM::Parameter")],
        );
        st.on_execute = vec![step("CREATE_COMPLETE")];
    });
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    assert_eq!(result.unwrap().outcome, DeployOutcome::Deployed);
    assert!(fake.deletes().is_empty(), "{:?}", fake.calls());
    let targets = fake.0.lock().unwrap().targets.clone();
    assert_eq!(targets[0], format!("DescribeStacks {STACK}"));
    assert_eq!(
        targets[1],
        format!("DescribeStacks {STACK_ID}"),
        "the re-check goes by stack ID"
    );

    // Without the race, the deletion itself goes by stack ID too.
    let fake = Fake::with(|st| {
        st.status = Some("ROLLBACK_COMPLETE".into());
        st.on_delete = vec![step("DELETE_COMPLETE")];
        st.change_set = ("CREATE_COMPLETE".into(), None, vec![]);
        st.on_execute = vec![step("CREATE_COMPLETE")];
    });
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), yes())).await;
    assert_eq!(result.unwrap().outcome, DeployOutcome::Deployed);
    let targets = fake.0.lock().unwrap().targets.clone();
    let deletes: Vec<_> = targets
        .iter()
        .filter(|t| t.starts_with("DeleteStack"))
        .collect();
    assert_eq!(deletes, [&format!("DeleteStack {STACK_ID}")]);
}

#[tokio::test(start_paused = true)]
async fn a_yaml_deployed_template_is_read_not_shown_as_missing() {
    // The same template as `template()`, as the AWS CDK CLI or a person
    // would have uploaded it.
    let yaml = "Resources:\n  Param:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: v1\n  Queue:\n    Type: AWS::SQS::Queue\n";
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        st.template = Some(yaml.into());
    });
    let clients = fake.clients(&[]);
    let d = formwork_deploy::diff_stack(&clients, &spec(&template()))
        .await
        .unwrap();
    assert!(d.exists);
    assert!(d.diff.is_empty(), "{}", d.diff.render());
    let (_, result) = collect(deploy_stack(clients, spec(&template()), yes())).await;
    assert_eq!(result.unwrap().outcome, DeployOutcome::Skipped);

    // A real difference in a YAML template with short forms is a real diff.
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        st.template = Some(yaml.replace("Value: v1", "Value: !Sub '${AWS::Region}'"));
    });
    let d = formwork_deploy::diff_stack(&fake.clients(&[]), &spec(&template()))
        .await
        .unwrap();
    assert!(d.exists);
    assert_eq!(d.diff.resources.len(), 1);
    assert_eq!(
        d.diff.resources[0].changes[0].old,
        Some(json!({"Fn::Sub": "${AWS::Region}"}))
    );
}

#[tokio::test(start_paused = true)]
async fn delete_failed_names_the_resources_left() {
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_COMPLETE".into());
        st.set_resources(&[
            ("Bucket", "AWS::S3::Bucket", "UPDATE_COMPLETE", None),
            ("Param", "AWS::SSM::Parameter", "CREATE_COMPLETE", None),
        ]);
        st.on_delete = vec![
            Step {
                status: "DELETE_IN_PROGRESS",
                events: vec![(
                    STACK,
                    "AWS::CloudFormation::Stack",
                    "DELETE_IN_PROGRESS",
                    Some("User Initiated"),
                )],
                ..Default::default()
            },
            Step {
                status: "DELETE_FAILED",
                events: vec![
                    ("Param", "AWS::SSM::Parameter", "DELETE_COMPLETE", None),
                    (
                        "Bucket",
                        "AWS::S3::Bucket",
                        "DELETE_FAILED",
                        Some("The bucket you tried to delete is not empty"),
                    ),
                    (
                        STACK,
                        "AWS::CloudFormation::Stack",
                        "DELETE_FAILED",
                        Some("The following resource(s) failed to delete: [Bucket]."),
                    ),
                ],
                resources: Some(vec![
                    (
                        "Bucket",
                        "AWS::S3::Bucket",
                        "DELETE_FAILED",
                        Some("The bucket you tried to delete is not empty"),
                    ),
                    ("Param", "AWS::SSM::Parameter", "DELETE_COMPLETE", None),
                ]),
                outputs: None,
            },
        ];
    });
    let (_, result) = collect(destroy_stack(
        fake.clients(&[]),
        spec(&template()),
        DestroyOptions::default(),
    ))
    .await;
    let err = result.unwrap_err();
    let DeployError::DeleteFailed { resources, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(resources.len(), 1);
    assert_eq!(
        err.to_string(),
        "stack AppStack could not be deleted (DELETE_FAILED); these resources remain:\n  - Bucket (AWS::S3::Bucket): The bucket you tried to delete is not empty"
    );
    // Exactly the one delete that was asked for.
    assert_eq!(
        fake.deletes(),
        ["DeleteStack status=UPDATE_COMPLETE live_resources=2"]
    );
}

#[tokio::test(start_paused = true)]
async fn in_progress_stack_is_refused_with_no_wait_and_waited_for_otherwise() {
    let fake = Fake::with(|st| st.status = Some("UPDATE_IN_PROGRESS".into()));
    let options = DeployOptions {
        no_wait: true,
        ..yes()
    };
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), options)).await;
    assert_eq!(
        result.unwrap_err().to_string(),
        "stack AppStack is busy (UPDATE_IN_PROGRESS); not waiting because of --no-wait"
    );

    let t = template();
    let fake = Fake::with(|st| {
        st.status = Some("UPDATE_IN_PROGRESS".into());
        st.template = Some(serde_json::to_string(&t).unwrap());
        st.script = VecDeque::from([step("UPDATE_IN_PROGRESS"), step("UPDATE_COMPLETE")]);
    });
    let (events, result) = collect(deploy_stack(fake.clients(&[]), spec(&t), yes())).await;
    assert_eq!(result.unwrap().outcome, DeployOutcome::Skipped);
    assert!(events.contains(&DeployEvent::WaitingForStack {
        stack: STACK.into(),
        status: "UPDATE_IN_PROGRESS".into()
    }));
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn timeout_stops_waiting_without_cancelling() {
    let fake = Fake::with(|st| st.status = Some("UPDATE_IN_PROGRESS".into()));
    let options = DeployOptions {
        timeout: Some(Duration::from_secs(30)),
        ..yes()
    };
    let (_, result) = collect(deploy_stack(fake.clients(&[]), spec(&template()), options)).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DeployError::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("last known state: UPDATE_IN_PROGRESS. Nothing was cancelled"),
        "{err}"
    );
    assert!(fake.deletes().is_empty());
}

#[tokio::test(start_paused = true)]
async fn large_template_without_bucket_names_the_flag() {
    let fake = Fake::default();
    let mut s = spec(&template());
    s.template_body = format!(
        "{{\"Description\": \"{}\", \"Resources\": {{}}}}",
        "x".repeat(60_000)
    );
    let (_, result) = collect(deploy_stack(fake.clients(&[]), s, yes())).await;
    let msg = result.unwrap_err().to_string();
    assert!(msg.contains("--template-bucket BUCKET"), "{msg}");
    assert!(fake.calls().is_empty());
}
