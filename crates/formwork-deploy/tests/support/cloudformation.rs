//! A small in-memory CloudFormation: every call is answered from shared
//! state, scripted per test, and logged, so each test can assert which
//! calls were made (e.g. that no stack holding resources was deleted).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_cloudformation::config::retry::RetryConfig;
use aws_sdk_cloudformation::error::ErrorMetadata;
use aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput;
use aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput;
use aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput;
use aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput;
use aws_sdk_cloudformation::operation::describe_stack_resources::DescribeStackResourcesOutput;
use aws_sdk_cloudformation::operation::describe_stacks::{
    DescribeStacksError, DescribeStacksOutput,
};
use aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput;
use aws_sdk_cloudformation::operation::get_template::GetTemplateOutput;
use aws_sdk_cloudformation::operation::update_termination_protection::UpdateTerminationProtectionOutput;
use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, Output, Replacement, ResourceStatus, Stack, StackEvent,
    StackResource, StackStatus,
};
use aws_sdk_cloudformation::Client;
use aws_smithy_mocks::{mock, mock_client, MockResponse, Rule, RuleMode};
use formwork_deploy::Clients;

use super::CallLog;

/// The stack of a [`Fake`] unless [`State::set_stack`] names another.
pub const STACK: &str = "AppStack";
/// Its stack ID.
pub const STACK_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/AppStack/1111";
/// The ARN of every change set.
pub const CS_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/2222";

/// `(logical id, type, status, reason)` of an event or a resource.
pub type Row = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

/// One step of the script: the status the next `DescribeStacks` reports,
/// the events that appear with it, and optionally the new resource list.
#[derive(Clone, Default)]
pub struct Step {
    pub status: &'static str,
    pub events: Vec<Row>,
    pub resources: Option<Vec<Row>>,
    /// The outputs from this step on (CloudFormation shows them once the
    /// stack is complete).
    pub outputs: Option<Vec<(String, String)>>,
}

/// A step to `status` with no events.
pub fn step(status: &'static str) -> Step {
    Step {
        status,
        ..Default::default()
    }
}

/// What the fake CloudFormation holds; tests script it through [`Fake::with`].
pub struct State {
    /// The stack's name and ID (see [`State::set_stack`]).
    pub stack_name: String,
    pub stack_id: String,
    /// `None`: the stack does not exist.
    pub status: Option<String>,
    pub outputs: Vec<(String, String)>,
    /// The deployed template (`GetTemplate`).
    pub template: Option<String>,
    /// The statuses the next `DescribeStacks` calls step through.
    pub script: VecDeque<Step>,
    /// Steps added to the script by `ExecuteChangeSet`, and by `DeleteStack`.
    pub on_execute: Vec<Step>,
    pub on_delete: Vec<Step>,
    pub events: Vec<StackEvent>,
    pub resources: Vec<StackResource>,
    /// Status, reason and changes of the change set.
    pub change_set: (String, Option<String>, Vec<Change>),
    pub clock: i64,
    /// The calls logged (may be shared with the S3 and CloudFront scripts).
    pub calls: CallLog,
    /// The `StackName` of each `DescribeStacks` and `DeleteStack` call.
    pub targets: Vec<String>,
}

impl Default for State {
    fn default() -> Self {
        State {
            stack_name: STACK.into(),
            stack_id: STACK_ID.into(),
            status: None,
            outputs: Vec::new(),
            template: None,
            script: VecDeque::new(),
            on_execute: Vec::new(),
            on_delete: Vec::new(),
            events: Vec::new(),
            resources: Vec::new(),
            change_set: Default::default(),
            clock: 0,
            calls: CallLog::default(),
            targets: Vec::new(),
        }
    }
}

impl State {
    /// Names the stack `name` (its ID follows).
    pub fn set_stack(&mut self, name: &str) {
        self.stack_name = name.into();
        self.stack_id = format!("arn:aws:cloudformation:us-east-1:123456789012:stack/{name}/1111");
    }

    pub fn tick(&mut self) -> DateTime {
        self.clock += 1;
        DateTime::from_secs(1_800_000_000 + self.clock)
    }

    pub fn add_event(&mut self, logical: &str, ty: &str, status: &str, reason: Option<&str>) {
        let ts = self.tick();
        let n = self.events.len();
        self.events.push(
            StackEvent::builder()
                .event_id(format!("ev-{n}"))
                .stack_id(&self.stack_id)
                .stack_name(&self.stack_name)
                .logical_resource_id(logical)
                .resource_type(ty)
                .timestamp(ts)
                .resource_status(ResourceStatus::from(status))
                .set_resource_status_reason(reason.map(str::to_string))
                .build(),
        );
    }

    pub fn set_resources(&mut self, list: &[(&str, &str, &str, Option<&str>)]) {
        self.resources = list
            .iter()
            .map(|(id, ty, st, reason)| {
                StackResource::builder()
                    .logical_resource_id(*id)
                    .resource_type(*ty)
                    .resource_status(ResourceStatus::from(*st))
                    .set_resource_status_reason(reason.map(str::to_string))
                    .timestamp(DateTime::from_secs(1_800_000_000))
                    .build()
            })
            .collect();
    }

    pub fn live_resources(&self) -> usize {
        self.resources
            .iter()
            .filter(|r| {
                r.resource_status()
                    .is_some_and(|s| s.as_str() != "DELETE_COMPLETE")
            })
            .count()
    }
}

/// The in-memory CloudFormation.
#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<State>>);

impl Fake {
    /// A fake whose state `f` scripts.
    pub fn with(f: impl FnOnce(&mut State)) -> Self {
        let fake = Fake::default();
        f(&mut fake.0.lock().unwrap());
        fake
    }

    /// The calls logged so far.
    pub fn calls(&self) -> Vec<String> {
        self.0.lock().unwrap().calls.calls()
    }

    /// The `DeleteStack` calls, with the stack status and live resource count at the time.
    pub fn deletes(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.starts_with("DeleteStack"))
            .collect()
    }

    /// One rule per CloudFormation operation, answered from the state.
    pub fn rules(&self) -> Vec<Rule> {
        let s = self.0.clone();
        let describe = mock!(Client::describe_stacks).then_compute_response(move |req| {
            let mut st = s.lock().unwrap();
            st.calls.push("DescribeStacks");
            let target = format!("DescribeStacks {}", req.stack_name().unwrap_or_default());
            st.targets.push(target);
            if let Some(step) = st.script.pop_front() {
                st.status = Some(step.status.to_string());
                for (id, ty, status, reason) in step.events {
                    st.add_event(id, ty, status, reason);
                }
                if let Some(r) = step.resources {
                    st.set_resources(&r);
                }
                if let Some(outputs) = step.outputs {
                    st.outputs = outputs;
                }
            }
            match st.status.clone() {
                None => MockResponse::Error(DescribeStacksError::generic(
                    ErrorMetadata::builder()
                        .code("ValidationError")
                        .message(format!("Stack with id {} does not exist", st.stack_name))
                        .build(),
                )),
                Some(status) => MockResponse::Output(
                    DescribeStacksOutput::builder()
                        .stacks(
                            Stack::builder()
                                .stack_name(&st.stack_name)
                                .stack_id(&st.stack_id)
                                .creation_time(DateTime::from_secs(1_800_000_000))
                                .stack_status(StackStatus::from(status.as_str()))
                                .set_outputs(Some(
                                    st.outputs
                                        .iter()
                                        .map(|(k, v)| {
                                            Output::builder().output_key(k).output_value(v).build()
                                        })
                                        .collect(),
                                ))
                                .enable_termination_protection(false)
                                .build(),
                        )
                        .build(),
                ),
            }
        });
        let s = self.0.clone();
        let events = mock!(Client::describe_stack_events).then_compute_output(move |_| {
            let st = s.lock().unwrap();
            DescribeStackEventsOutput::builder()
                .set_stack_events(Some(st.events.iter().rev().cloned().collect()))
                .build()
        });
        let s = self.0.clone();
        let resources = mock!(Client::describe_stack_resources).then_compute_output(move |_| {
            let st = s.lock().unwrap();
            DescribeStackResourcesOutput::builder()
                .set_stack_resources(Some(st.resources.clone()))
                .build()
        });
        let s = self.0.clone();
        let template = mock!(Client::get_template).then_compute_output(move |_| {
            let st = s.lock().unwrap();
            st.calls.push("GetTemplate");
            GetTemplateOutput::builder()
                .set_template_body(st.template.clone())
                .build()
        });
        let s = self.0.clone();
        let create = mock!(Client::create_change_set).then_compute_output(move |req| {
            let mut st = s.lock().unwrap();
            st.calls.push(format!(
                "CreateChangeSet {} {:?}",
                req.change_set_type()
                    .map(|t| t.as_str())
                    .unwrap_or_default(),
                req.capabilities()
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
            ));
            if st.status.is_none() || st.status.as_deref() == Some("DELETE_COMPLETE") {
                st.status = Some("REVIEW_IN_PROGRESS".into());
            }
            CreateChangeSetOutput::builder()
                .id(CS_ID)
                .stack_id(&st.stack_id)
                .build()
        });
        let s = self.0.clone();
        let describe_cs = mock!(Client::describe_change_set).then_compute_output(move |_| {
            let mut st = s.lock().unwrap();
            let created = st.tick();
            let (status, reason, changes) = st.change_set.clone();
            DescribeChangeSetOutput::builder()
                .change_set_id(CS_ID)
                .stack_id(&st.stack_id)
                .creation_time(created)
                .status(ChangeSetStatus::from(status.as_str()))
                .set_status_reason(reason)
                .set_changes(Some(changes))
                .build()
        });
        let s = self.0.clone();
        let delete_cs = mock!(Client::delete_change_set).then_compute_output(move |_| {
            s.lock().unwrap().calls.push("DeleteChangeSet");
            DeleteChangeSetOutput::builder().build()
        });
        let s = self.0.clone();
        let execute = mock!(Client::execute_change_set).then_compute_output(move |_| {
            let mut st = s.lock().unwrap();
            st.calls.push("ExecuteChangeSet");
            let steps = st.on_execute.clone();
            st.script.extend(steps);
            ExecuteChangeSetOutput::builder().build()
        });
        let s = self.0.clone();
        let delete = mock!(Client::delete_stack).then_compute_output(move |req| {
            let mut st = s.lock().unwrap();
            let target = format!("DeleteStack {}", req.stack_name().unwrap_or_default());
            st.targets.push(target);
            let line = format!(
                "DeleteStack status={} live_resources={}",
                st.status.clone().unwrap_or_default(),
                st.live_resources()
            );
            st.calls.push(line);
            let steps = st.on_delete.clone();
            st.script.extend(steps);
            DeleteStackOutput::builder().build()
        });
        let s = self.0.clone();
        let protect = mock!(Client::update_termination_protection).then_compute_output(move |_| {
            s.lock().unwrap().calls.push("UpdateTerminationProtection");
            UpdateTerminationProtectionOutput::builder().build()
        });
        vec![
            describe,
            events,
            resources,
            template,
            create,
            describe_cs,
            delete_cs,
            execute,
            delete,
            protect,
        ]
    }

    /// A CloudFormation client answered by `extra` first, then by this fake
    /// (retries quick, so that throttling tests take no time).
    pub fn cloudformation(&self, extra: &[Rule]) -> Client {
        let mut rules: Vec<Rule> = extra.to_vec();
        rules.extend(self.rules());
        mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, &rules, |c| c
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(3)
                    .with_initial_backoff(Duration::from_millis(1))
            ))
    }

    /// [`Fake::cloudformation`], with an S3 client that must not be called.
    pub fn clients(&self, extra: &[Rule]) -> Clients {
        Clients::new(self.cloudformation(extra), unused_s3(), "us-east-1")
    }
}

/// An S3 client with no credentials (for tests that never reach S3).
pub fn unused_s3() -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("us-east-1"))
            .build(),
    )
}

/// A resource change of the change set.
pub fn change(action: &str, id: &str, ty: &str) -> Change {
    let mut rc = aws_sdk_cloudformation::types::ResourceChange::builder()
        .action(ChangeAction::from(action))
        .logical_resource_id(id)
        .resource_type(ty);
    if action == "Modify" {
        rc = rc.replacement(Replacement::False);
    }
    Change::builder().resource_change(rc.build()).build()
}
