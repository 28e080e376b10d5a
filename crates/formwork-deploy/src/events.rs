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

/// Whether an uploaded object is new or replaces a different one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ObjectChange {
    /// No object had the key.
    New,
    /// An object with the key had other content or headers.
    Changed,
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
    /// The stack's creation failed and was rolled back (`ROLLBACK_COMPLETE`,
    /// or `ROLLBACK_FAILED` with every resource deleted): it holds no
    /// resources and cannot be updated, so it is deleted (by stack ID) and
    /// created again.
    Recreating {
        /// The stack.
        stack: String,
        /// The status that makes it unusable (`ROLLBACK_COMPLETE`, ...).
        status: String,
    },
    /// `destroy`: the stack does not exist; there is nothing to delete.
    StackMissing {
        /// The stack.
        stack: String,
    },
    /// The change set is being created (CreateChangeSet, then waiting for it).
    CreatingChangeSet {
        /// The stack.
        stack: String,
        /// CREATE or UPDATE.
        kind: ChangeSetKind,
    },
    /// The change set was deleted without being executed (approval declined,
    /// or another deployment changed the stack first).
    ChangeSetDeleted {
        /// The stack.
        stack: String,
        /// The change set ARN.
        change_set_id: String,
    },
    /// `DeleteStack` was called; the deletion is being followed.
    Deleting {
        /// The stack.
        stack: String,
        /// How many resources the stack holds.
        total: usize,
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
    /// A bucket deployment of the stack starts: its files are compared
    /// with the bucket.
    BucketDeploymentStarted {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// The bucket.
        bucket: String,
        /// The key prefix (`""` or ending in `/`).
        prefix: String,
        /// How many objects the deployment holds (files and generated files).
        files: usize,
    },
    /// What a bucket deployment will do.
    BucketDeploymentPlanned {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// Objects to upload (new or changed).
        uploads: usize,
        /// Objects to delete (pruned).
        deletes: usize,
        /// Objects already up to date.
        unchanged: usize,
    },
    /// One object was uploaded.
    ObjectUploaded {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// The object key.
        key: String,
        /// Its size.
        bytes: u64,
        /// New, or replacing a different object.
        change: ObjectChange,
    },
    /// One object was deleted (pruned).
    ObjectDeleted {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// The object key.
        key: String,
    },
    /// A CloudFront invalidation was created because files changed.
    InvalidationCreated {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// The distribution.
        distribution_id: String,
        /// The invalidation.
        invalidation_id: String,
        /// The paths invalidated.
        paths: Vec<String>,
    },
    /// The invalidation completed.
    InvalidationCompleted {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// The invalidation.
        invalidation_id: String,
        /// How long it took to complete.
        elapsed: Duration,
    },
    /// A bucket deployment finished.
    BucketDeploymentDone {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// Objects uploaded.
        uploaded: usize,
        /// Objects deleted.
        deleted: usize,
        /// Objects left as they were.
        unchanged: usize,
        /// The invalidation made, if any.
        invalidation_id: Option<String>,
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
            | DeployEvent::StackMissing { stack }
            | DeployEvent::CreatingChangeSet { stack, .. }
            | DeployEvent::ChangeSetDeleted { stack, .. }
            | DeployEvent::Deleting { stack, .. }
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
            | DeployEvent::StackFailed { stack, .. }
            | DeployEvent::BucketDeploymentStarted { stack, .. }
            | DeployEvent::BucketDeploymentPlanned { stack, .. }
            | DeployEvent::ObjectUploaded { stack, .. }
            | DeployEvent::ObjectDeleted { stack, .. }
            | DeployEvent::InvalidationCreated { stack, .. }
            | DeployEvent::InvalidationCompleted { stack, .. }
            | DeployEvent::BucketDeploymentDone { stack, .. } => stack,
        }
    }

    /// What the stack is doing once this event happened, in words, for a
    /// timeout or an interruption to report; `None` when the event does not
    /// change it.
    pub fn doing(&self) -> Option<String> {
        let kind = |k: &ChangeSetKind| match k {
            ChangeSetKind::Create => "CREATE",
            ChangeSetKind::Update => "UPDATE",
        };
        Some(match self {
            DeployEvent::StackState { status: None, .. } => {
                "checked: the stack does not exist yet".into()
            }
            DeployEvent::StackState {
                status: Some(s), ..
            } => format!("checked: status {s}"),
            DeployEvent::WaitingForStack { status, .. } => {
                format!("waiting for the operation in progress to end ({status})")
            }
            DeployEvent::Recreating { status, .. } => {
                format!("deleting the {status} stack to create it again")
            }
            DeployEvent::StackMissing { .. } => "does not exist; nothing to do".into(),
            DeployEvent::CreatingChangeSet { kind: k, .. } => format!(
                "creating a change set ({}); it may exist, not executed",
                kind(k)
            ),
            DeployEvent::ChangeSetCreated { kind: k, .. } => {
                format!("change set ({}) created, not executed", kind(k))
            }
            DeployEvent::ChangesListed {
                approval_required: true,
                ..
            } => "waiting for approval; the change set is not executed".into(),
            DeployEvent::Approved { .. } => "approved; the change set is not executed yet".into(),
            DeployEvent::Executing { .. } => {
                "executing the change set; CloudFormation continues it".into()
            }
            DeployEvent::Deleting { .. } => {
                "deleting the stack; CloudFormation continues the deletion".into()
            }
            DeployEvent::Resource { event, .. } if event.is_stack_event(self.stack()) => {
                format!(
                    "{}; CloudFormation continues any operation in progress",
                    event.status
                )
            }
            DeployEvent::Skipped { .. } => "done (skipped: no changes)".into(),
            DeployEvent::NoChanges { .. } => "done (no changes)".into(),
            DeployEvent::NotExecuted { .. } => "done (change set created, not executed)".into(),
            DeployEvent::ChangeSetDeleted { .. } => "change set deleted; nothing changed".into(),
            DeployEvent::StackDone { status, .. } => format!("done ({status})"),
            DeployEvent::StackFailed { .. } => "failed".into(),
            DeployEvent::BucketDeploymentStarted { deployment, bucket, .. } => {
                format!("syncing {deployment} to bucket {bucket}")
            }
            DeployEvent::InvalidationCreated { invalidation_id, distribution_id, .. } => format!(
                "waiting for invalidation {invalidation_id} of {distribution_id}; CloudFront continues it"
            ),
            DeployEvent::BucketDeploymentDone { deployment, .. } => {
                format!("done ({deployment} synced)")
            }
            _ => return None,
        })
    }
}
