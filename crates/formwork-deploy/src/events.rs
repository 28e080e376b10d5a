//! The typed events an operation yields while it runs.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::diff::IamChange;

/// One resource event from `DescribeStackEvents`, enriched with the
/// construct path from the cloud assembly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceEvent {
    /// The event ID (unique per stack).
    pub event_id: String,
    /// When it happened, RFC 3339 (UTC).
    pub timestamp: String,
    /// The logical ID of the resource (the stack name for stack-level events).
    pub logical_id: String,
    /// The physical ID, when known.
    pub physical_id: Option<String>,
    /// The resource type, e.g. `AWS::IAM::Role`.
    pub resource_type: String,
    /// The resource status, e.g. `CREATE_FAILED`.
    pub status: String,
    /// The status reason, when given.
    pub reason: Option<String>,
    /// The construct path from the assembly metadata, e.g. `/LexWebBotStack/BotPool/Resource`.
    pub construct_path: Option<String>,
}

impl ResourceEvent {
    /// True for the stack's own events (type `AWS::CloudFormation::Stack`, logical ID = stack name).
    pub fn is_stack_event(&self, stack_name: &str) -> bool {
        self.resource_type == "AWS::CloudFormation::Stack" && self.logical_id == stack_name
    }
}

/// One row of a change set: what CloudFormation will do to a resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceChange {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    pub action: String,
    /// The logical ID.
    pub logical_id: String,
    /// The resource type.
    pub resource_type: String,
    /// `True`, `False` or `Conditional` for modifications; empty otherwise.
    pub replacement: Option<String>,
    /// The construct path, when the assembly knows it.
    pub construct_path: Option<String>,
}

/// Whether a change set creates a stack or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChangeSetKind {
    /// `CREATE`: the stack does not exist yet.
    Create,
    /// `UPDATE`: the stack exists.
    Update,
}

/// How many resources reached a final state, out of how many the change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Resources that reached a `*_COMPLETE` or `*_FAILED` status.
    pub done: usize,
    /// Resources the operation touches.
    pub total: usize,
}

/// What an operation reports while it runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum DeployEvent {
    /// The stack's state before deploying: `None` when it does not exist.
    StackState {
        /// The stack.
        stack: String,
        /// Its status, or `None` for a new stack.
        status: Option<String>,
    },
    /// The stack has an operation in progress; waiting for it to end.
    WaitingForStack {
        /// The stack.
        stack: String,
        /// Its current status.
        status: String,
    },
    /// The stack is left over from an earlier failed attempt: deleting it to create it again.
    Recreating {
        /// The stack.
        stack: String,
        /// The status that makes it unusable (`ROLLBACK_COMPLETE`, ...).
        status: String,
    },
    /// Nothing to do: the deployed template, tags, parameters and termination protection match.
    Skipped {
        /// The stack.
        stack: String,
    },
    /// The template was uploaded to S3 because it is too large to pass inline.
    TemplateUploaded {
        /// The stack.
        stack: String,
        /// The `TemplateURL` passed to CloudFormation.
        url: String,
    },
    /// The change set was created and is ready.
    ChangeSetCreated {
        /// The stack.
        stack: String,
        /// The change set ARN.
        change_set_id: String,
        /// CREATE or UPDATE.
        kind: ChangeSetKind,
        /// The capabilities passed.
        capabilities: Vec<String>,
    },
    /// The change set contains no changes; it was deleted.
    NoChanges {
        /// The stack.
        stack: String,
    },
    /// The changes the change set will make, and the IAM changes among them.
    ChangesListed {
        /// The stack.
        stack: String,
        /// One row per resource.
        changes: Vec<ResourceChange>,
        /// IAM and trust-policy changes (from the template diff).
        iam_changes: Vec<IamChange>,
        /// Whether execution waits for approval (the approver is shown the same changes).
        approval_required: bool,
    },
    /// The change set was approved (by policy or by the user).
    Approved {
        /// The stack.
        stack: String,
    },
    /// The change set was created and left unexecuted (`--no-execute`).
    NotExecuted {
        /// The stack.
        stack: String,
        /// The change set ARN.
        change_set_id: String,
    },
    /// Execution (or deletion) started.
    Executing {
        /// The stack.
        stack: String,
        /// How many resources are touched.
        total: usize,
    },
    /// A new event from `DescribeStackEvents`.
    Resource {
        /// The stack.
        stack: String,
        /// The event.
        event: ResourceEvent,
        /// Progress after this event.
        progress: Progress,
    },
    /// The stack operation finished successfully.
    StackDone {
        /// The stack.
        stack: String,
        /// The final status.
        status: String,
        /// The stack outputs.
        outputs: BTreeMap<String, String>,
        /// Time since the operation on this stack started.
        elapsed: Duration,
    },
    /// A stack in a multi-stack run failed (the error ends the run later).
    StackFailed {
        /// The stack.
        stack: String,
        /// The error message.
        message: String,
    },
}

impl DeployEvent {
    /// The stack the event is about.
    pub fn stack(&self) -> &str {
        match self {
            DeployEvent::StackState { stack, .. }
            | DeployEvent::WaitingForStack { stack, .. }
            | DeployEvent::Recreating { stack, .. }
            | DeployEvent::Skipped { stack }
            | DeployEvent::TemplateUploaded { stack, .. }
            | DeployEvent::ChangeSetCreated { stack, .. }
            | DeployEvent::NoChanges { stack }
            | DeployEvent::ChangesListed { stack, .. }
            | DeployEvent::Approved { stack }
            | DeployEvent::NotExecuted { stack, .. }
            | DeployEvent::Executing { stack, .. }
            | DeployEvent::Resource { stack, .. }
            | DeployEvent::StackDone { stack, .. }
            | DeployEvent::StackFailed { stack, .. } => stack,
        }
    }
}
