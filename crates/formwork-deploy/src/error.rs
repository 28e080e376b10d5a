//! The typed errors of deploy, diff and destroy.

use std::time::Duration;

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::events::ResourceEvent;

/// Everything that can make a deploy, diff or destroy fail.
///
/// Each message is meant to be printed as-is to a person: it says what went
/// wrong and, where there is one, what to do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeployError {
    /// No AWS region could be found in the environment, the profile or the flags.
    #[error("no AWS region is configured: set AWS_REGION (or AWS_DEFAULT_REGION), pass --region, or set `region` in your AWS profile")]
    NoRegion,
    /// No credentials could be loaded.
    #[error("no AWS credentials were found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, pass --profile, or run `aws sso login` ({detail})")]
    NoCredentials {
        /// What the credential chain reported.
        detail: String,
    },
    /// The endpoint could not be reached (network error, connection refused, timeout).
    #[error("could not reach the AWS endpoint during {operation}: {message}")]
    Unreachable {
        /// The API operation that was attempted.
        operation: &'static str,
        /// The underlying transport error.
        message: String,
    },
    /// An AWS API call returned an error.
    #[error("{operation} failed: {code}: {message}")]
    Aws {
        /// The API operation that failed.
        operation: &'static str,
        /// The AWS error code (e.g. `ValidationError`, `Throttling`).
        code: String,
        /// The AWS error message.
        message: String,
    },
    /// The local template is not valid JSON.
    #[error("the template of stack {stack} is not valid JSON: {message}")]
    InvalidTemplate {
        /// The stack.
        stack: String,
        /// The parse error.
        message: String,
    },
    /// The template exceeds the inline `TemplateBody` limit and no bucket was given.
    #[error("the template of stack {stack} is {size} bytes, over CloudFormation's inline limit of 51,200 bytes: pass --template-bucket BUCKET to upload it to S3")]
    TemplateTooLarge {
        /// The stack.
        stack: String,
        /// The template size in bytes.
        size: usize,
    },
    /// The template exceeds the 1 MB limit for templates passed through S3.
    #[error("the template of stack {stack} is {size} bytes, over CloudFormation's limit of 1,000,000 bytes for templates in S3")]
    TemplateTooLargeForS3 {
        /// The stack.
        stack: String,
        /// The template size in bytes.
        size: usize,
    },
    /// The stack is in `UPDATE_ROLLBACK_FAILED` and cannot be updated.
    #[error("stack {stack} is in UPDATE_ROLLBACK_FAILED and cannot be updated. Fix the cause of the failed rollback, then run `aws cloudformation continue-update-rollback --stack-name {stack}` (optionally with --resources-to-skip) and deploy again")]
    UpdateRollbackFailed {
        /// The stack.
        stack: String,
    },
    /// The stack has an operation in progress and `--no-wait` was given.
    #[error("stack {stack} is busy ({status}); not waiting because of --no-wait")]
    StackBusy {
        /// The stack.
        stack: String,
        /// Its current status.
        status: String,
    },
    /// The stack is in a status this tool does not know how to deploy over.
    #[error("stack {stack} is in status {status}, which cannot be deployed over")]
    UnexpectedStatus {
        /// The stack.
        stack: String,
        /// Its current status.
        status: String,
    },
    /// The change set could not be created (for a reason other than "no changes").
    #[error("the change set for stack {stack} failed: {reason}")]
    ChangeSetFailed {
        /// The stack.
        stack: String,
        /// CloudFormation's status reason.
        reason: String,
    },
    /// The change needs approval, and there is nobody to ask.
    #[error("stack {stack}: the change set contains {summary}, which needs approval. Not on a terminal: re-run with --require-approval never (or --yes) to deploy anyway. The change set {change_set} was left for review")]
    ApprovalRequired {
        /// The stack.
        stack: String,
        /// What needs approval, e.g. "IAM changes (2)".
        summary: String,
        /// The name of the change set left in place.
        change_set: String,
    },
    /// The user declined the change.
    #[error("stack {stack}: deployment declined; the change set {change_set} was left for review")]
    ApprovalDenied {
        /// The stack.
        stack: String,
        /// The change set left in place.
        change_set: String,
    },
    /// The stack operation ended in a failed state.
    #[error("{}", failure_message(stack, status, first_failure.as_deref()))]
    StackFailed {
        /// The stack.
        stack: String,
        /// The final stack status, e.g. `ROLLBACK_COMPLETE`.
        status: String,
        /// The root cause: the first resource that failed.
        first_failure: Option<Box<ResourceEvent>>,
    },
    /// `DeleteStack` ended in `DELETE_FAILED`.
    #[error("{}", delete_failed_message(stack, resources))]
    DeleteFailed {
        /// The stack.
        stack: String,
        /// The resources that could not be deleted.
        resources: Vec<ResourceEvent>,
    },
    /// Waiting exceeded the deadline.
    #[error("timed out after {:?} waiting for stack {stack}; it is still {status}. Nothing was cancelled", elapsed)]
    Timeout {
        /// The stack.
        stack: String,
        /// The last status seen.
        status: String,
        /// How long was waited.
        elapsed: Duration,
    },
    /// A stack named on the command line is not in the app.
    #[error("no stack named {name} in this app (stacks: {available})")]
    UnknownStack {
        /// The requested name.
        name: String,
        /// The names that exist, comma-separated.
        available: String,
    },
    /// The stack dependencies form a cycle.
    #[error("the stack dependencies form a cycle through: {0}")]
    DependencyCycle(String),
    /// A stack was not deployed because a stack it depends on failed.
    #[error("stack {stack} was not deployed because {dependency} failed")]
    DependencyFailed {
        /// The stack that was skipped.
        stack: String,
        /// The dependency that failed.
        dependency: String,
    },
    /// Several stacks failed; each error is listed.
    #[error("{} stacks failed:\n{}", .0.len(), .0.iter().map(|e| format!("  - {e}")).collect::<Vec<_>>().join("\n"))]
    Multiple(Vec<DeployError>),
}

fn failure_message(stack: &str, status: &str, first: Option<&ResourceEvent>) -> String {
    match first {
        Some(e) => format!(
            "stack {stack} failed: {} ({}{}) {}: {}. Final stack status: {status}",
            e.logical_id,
            e.resource_type,
            e.construct_path
                .as_deref()
                .map(|p| format!(", {p}"))
                .unwrap_or_default(),
            e.status,
            e.reason.as_deref().unwrap_or("no reason given"),
        ),
        None => format!("stack {stack} failed with status {status}"),
    }
}

fn delete_failed_message(stack: &str, resources: &[ResourceEvent]) -> String {
    if resources.is_empty() {
        return format!("stack {stack} could not be deleted (DELETE_FAILED)");
    }
    let list = resources
        .iter()
        .map(|e| {
            format!(
                "  - {} ({}{}): {}",
                e.logical_id,
                e.resource_type,
                e.construct_path
                    .as_deref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default(),
                e.reason.as_deref().unwrap_or("no reason given")
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!("stack {stack} could not be deleted (DELETE_FAILED); these resources remain:\n{list}")
}

/// The error and its sources, as one line: `a: b: c` (repeats skipped).
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let part = e.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = e.source();
    }
    text.lines().map(str::trim).collect::<Vec<_>>().join("; ")
}

impl DeployError {
    /// Converts an SDK error into a typed error, separating transport failures
    /// (endpoint down) from service errors.
    pub(crate) fn sdk<E, R>(operation: &'static str, err: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug + 'static,
    {
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => DeployError::Unreachable {
                operation,
                message: error_chain(&err),
            },
            _ => {
                let code = err.code().unwrap_or("Unknown").to_string();
                let message = err
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
                DeployError::Aws {
                    operation,
                    code,
                    message,
                }
            }
        }
    }

    /// True for the `ValidationError` CloudFormation returns for a stack that does not exist.
    pub(crate) fn is_stack_missing(&self) -> bool {
        matches!(self, DeployError::Aws { code, message, .. }
            if code == "ValidationError" && message.contains("does not exist"))
    }
}
