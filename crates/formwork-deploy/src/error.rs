//! The typed errors of deploy, diff and destroy.

use std::time::Duration;

use aws_sdk_cloudformation::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::humane::humane;

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
    /// A stack's environment names an account other than the credentials'
    /// (the CDK CLI refuses the same way). Nothing was touched.
    #[error("{stack} is for account {wanted} (its environment), but the credentials are for account {actual}: use credentials of {wanted} (AWS_PROFILE or --profile), or give the stack the environment of {actual}")]
    WrongAccount {
        /// The stack.
        stack: String,
        /// The account its environment names.
        wanted: String,
        /// The credentials' account (STS `GetCallerIdentity`).
        actual: String,
    },
    /// A stack's environment names a region that clients wrapped by
    /// [`Clients::new`](crate::Clients::new) cannot move to.
    #[error("{stack} is for region {wanted} (its environment), but these clients are fixed to {actual}: build them with Clients::connect or Clients::from_config, which follow each stack's region")]
    RegionUnavailable {
        /// The stack.
        stack: String,
        /// The region its environment names.
        wanted: String,
        /// The region of the clients.
        actual: String,
    },
    /// A bucket deployment of a deployed stack failed: an output it needs
    /// is missing, a file cannot be read, or CloudFront's invalidation did
    /// not complete in time. The stack itself is deployed.
    #[error(
        "{stack}: bucket deployment {deployment} failed (the stack itself is deployed): {message}"
    )]
    BucketDeployment {
        /// The stack.
        stack: String,
        /// The deployment's construct path.
        deployment: String,
        /// What went wrong.
        message: String,
    },
    /// The endpoint could not be reached, or did not answer in time
    /// (connection refused or reset, a stalled connection, every attempt
    /// timed out).
    #[error("could not reach the AWS endpoint {endpoint} during {operation}: {message}")]
    Unreachable {
        /// The API operation that was attempted.
        operation: &'static str,
        /// The endpoint URL.
        endpoint: String,
        /// The underlying transport error.
        message: String,
    },
    /// The endpoint answered with something that is not an AWS response
    /// (e.g. an HTML error page from a proxy).
    #[error("{operation} failed: the endpoint {endpoint} answered HTTP {status} with a response that is not from AWS: {excerpt}")]
    BadResponse {
        /// The API operation that was attempted.
        operation: &'static str,
        /// The endpoint URL.
        endpoint: String,
        /// The HTTP status code.
        status: u16,
        /// The start of the body, as one line of text.
        excerpt: String,
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
    /// The local template cannot be read (neither JSON nor YAML).
    #[error("the template of stack {stack} cannot be read: {message}")]
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
    /// The user declined the change; its change set was deleted.
    #[error("stack {stack}: deployment declined; the change set {change_set} was deleted and nothing was changed")]
    ApprovalDenied {
        /// The stack.
        stack: String,
        /// The change set, now deleted.
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
    /// The operation exceeded `--timeout`.
    #[error("timed out after {} on stack {stack}; last known state: {status}. Nothing was cancelled: CloudFormation continues any operation in progress", humane(*elapsed))]
    Timeout {
        /// The stack.
        stack: String,
        /// The last status seen, or what was being done.
        status: String,
        /// How long was waited.
        elapsed: Duration,
    },
    /// A stack that holds resources would have to be deleted to go on; it
    /// never is.
    #[error("stack {stack} is in {status} and still holds resources ({resources}); it is not deleted automatically. Inspect it, delete it yourself (aws cloudformation delete-stack --stack-name {stack}) and deploy again")]
    StackHoldsResources {
        /// The stack.
        stack: String,
        /// Its status.
        status: String,
        /// The live resources, comma-separated logical IDs.
        resources: String,
    },
    /// Another deployment changed the stack while this one was deploying it.
    #[error("stack {stack} was changed by another deployment while this one ran ({detail}); nothing of the other deployment was touched. Check the stack and deploy again")]
    ConcurrentDeploy {
        /// The stack.
        stack: String,
        /// What was seen.
        detail: String,
    },
    /// A stack parameter fails a check of the template, or is missing or unknown.
    #[error("stack {stack}: parameter {parameter}: {rule}")]
    InvalidParameter {
        /// The stack.
        stack: String,
        /// The parameter key.
        parameter: String,
        /// The rule it breaks, e.g. `required (no Default) but not given`.
        rule: String,
    },
    /// A `--parameters` entry names a stack that is not selected, or a key
    /// that no selected stack declares.
    #[error("--parameters {entry}: {reason}")]
    UnusedParameter {
        /// The entry as given.
        entry: String,
        /// Why it applies to no stack.
        reason: String,
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
    /// A run over several stacks stopped: what failed, what was done, and
    /// what was never started.
    #[error("{}", run_summary(failed, done, not_started))]
    RunStopped {
        /// The errors of the stacks that failed.
        failed: Vec<DeployError>,
        /// The stacks that were completed before the run stopped.
        done: Vec<String>,
        /// The stacks that were not started.
        not_started: Vec<String>,
    },
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

fn run_summary(failed: &[DeployError], done: &[String], not_started: &[String]) -> String {
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut out = match failed {
        [one] => format!("{one}"),
        many => format!(
            "{} stacks failed:\n{}",
            many.len(),
            many.iter()
                .map(|e| format!("  - {e}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    };
    out.push_str(&format!(
        "\nSummary: done: {}; failed: {}; not started: {}",
        list(done),
        failed.len(),
        list(not_started)
    ));
    out
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
    /// (endpoint down or silent) and answers that are not from AWS from
    /// service errors. The endpoint is filled in by [`DeployError::at_endpoint`].
    pub(crate) fn sdk<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        match &err {
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => DeployError::Unreachable {
                operation,
                endpoint: String::new(),
                message: error_chain(&err),
            },
            _ => {
                if err.code().is_none() {
                    if let Some(raw) = err.raw_response() {
                        return DeployError::BadResponse {
                            operation,
                            endpoint: String::new(),
                            status: raw.status().as_u16(),
                            excerpt: excerpt(raw.body().bytes().unwrap_or_default()),
                        };
                    }
                }
                let code = err.code().unwrap_or("Unknown").to_string();
                let mut message = err
                    .message()
                    .map(str::to_string)
                    .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
                // The SDK retried it already, as often as configured.
                if matches!(
                    code.as_str(),
                    "Throttling"
                        | "ThrottlingException"
                        | "RequestLimitExceeded"
                        | "TooManyRequestsException"
                ) {
                    message.push_str(" (still throttled after every retry: try again later, or raise --max-retries)");
                }
                DeployError::Aws {
                    operation,
                    code,
                    message,
                }
            }
        }
    }

    /// Names `endpoint` in transport errors (recursively in summaries).
    pub(crate) fn at_endpoint(self, url: &str) -> Self {
        match self {
            DeployError::Unreachable {
                operation,
                endpoint,
                message,
            } if endpoint.is_empty() => DeployError::Unreachable {
                operation,
                endpoint: url.to_string(),
                message,
            },
            DeployError::BadResponse {
                operation,
                endpoint,
                status,
                excerpt,
            } if endpoint.is_empty() => DeployError::BadResponse {
                operation,
                endpoint: url.to_string(),
                status,
                excerpt,
            },
            DeployError::Multiple(v) => {
                DeployError::Multiple(v.into_iter().map(|e| e.at_endpoint(url)).collect())
            }
            DeployError::RunStopped {
                failed,
                done,
                not_started,
            } => DeployError::RunStopped {
                failed: failed.into_iter().map(|e| e.at_endpoint(url)).collect(),
                done,
                not_started,
            },
            other => other,
        }
    }

    /// The stack an error is about, when it is about one.
    pub fn stack(&self) -> Option<&str> {
        match self {
            DeployError::InvalidTemplate { stack, .. }
            | DeployError::TemplateTooLarge { stack, .. }
            | DeployError::TemplateTooLargeForS3 { stack, .. }
            | DeployError::UpdateRollbackFailed { stack }
            | DeployError::StackBusy { stack, .. }
            | DeployError::UnexpectedStatus { stack, .. }
            | DeployError::ChangeSetFailed { stack, .. }
            | DeployError::ApprovalRequired { stack, .. }
            | DeployError::ApprovalDenied { stack, .. }
            | DeployError::StackFailed { stack, .. }
            | DeployError::DeleteFailed { stack, .. }
            | DeployError::Timeout { stack, .. }
            | DeployError::StackHoldsResources { stack, .. }
            | DeployError::ConcurrentDeploy { stack, .. }
            | DeployError::InvalidParameter { stack, .. }
            | DeployError::DependencyFailed { stack, .. }
            | DeployError::BucketDeployment { stack, .. }
            | DeployError::WrongAccount { stack, .. }
            | DeployError::RegionUnavailable { stack, .. } => Some(stack),
            _ => None,
        }
    }

    /// True for the `ValidationError` CloudFormation returns for a stack that does not exist.
    pub(crate) fn is_stack_missing(&self) -> bool {
        matches!(self, DeployError::Aws { code, message, .. }
            if code == "ValidationError" && message.contains("does not exist"))
    }
}

/// At most 120 characters of a response body as one line: markup removed,
/// whitespace collapsed, the HTML title preferred when there is one.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let source = match (lower.find("<title>"), lower.find("</title>")) {
        (Some(a), Some(b)) if a + 7 <= b => &text[a + 7..b],
        _ => &text[..],
    };
    let mut plain = String::new();
    let mut in_tag = false;
    for c in source.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                plain.push(' ');
            }
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let words = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.is_empty() {
        return "(empty body)".into();
    }
    let mut cut: String = words.chars().take(120).collect();
    if cut.len() < words.len() {
        cut.push_str("...");
    }
    format!("\"{cut}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_one_short_line() {
        let page = format!(
            "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>{}</body></html>",
            "<p>oops</p>\n".repeat(200)
        );
        assert_eq!(excerpt(page.as_bytes()), "\"500 Internal Server Error\"");
        let long = "word ".repeat(100);
        let e = excerpt(long.as_bytes());
        assert!(e.len() < 130 && e.ends_with("...\""), "{e}");
        assert_eq!(excerpt(b""), "(empty body)");
        assert_eq!(excerpt(b"<b>bad\n  gateway</b>"), "\"bad gateway\"");
    }

    #[test]
    fn timeouts_read_as_seconds() {
        let e = DeployError::Timeout {
            stack: "S".into(),
            status: "CREATE_IN_PROGRESS".into(),
            elapsed: Duration::from_secs_f64(8.015_624_634),
        };
        assert_eq!(
            e.to_string(),
            "timed out after 8 s on stack S; last known state: CREATE_IN_PROGRESS. Nothing was cancelled: CloudFormation continues any operation in progress"
        );
    }
}
