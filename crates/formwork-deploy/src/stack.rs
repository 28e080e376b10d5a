//! Low-level CloudFormation helpers: describing a stack, streaming its
//! events, waiting for it, deleting it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use aws_sdk_cloudformation::primitives::DateTime;
use aws_sdk_cloudformation::Client;
use aws_smithy_types::date_time::Format;
use tokio::time::Instant;

use crate::error::DeployError;
use crate::events::{DeployEvent, Progress, ResourceEvent};
use crate::op::Emitter;

/// What deploy needs to know about a deployed stack.
#[derive(Debug, Clone, Default)]
pub(crate) struct StackInfo {
    pub stack_id: String,
    pub status: String,
    pub outputs: BTreeMap<String, String>,
    pub tags: BTreeMap<String, String>,
    pub parameters: BTreeMap<String, String>,
    pub termination_protection: bool,
}

/// The polling interval: about 1 s at first, backing off to 5 s.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    next: Duration,
}

impl Backoff {
    pub(crate) fn new() -> Self {
        Backoff {
            next: Duration::from_secs(1),
        }
    }

    /// Sleeps, honouring the deadline (returns `false` when it has passed).
    pub(crate) async fn wait(&mut self, deadline: Option<Instant>) -> bool {
        let now = Instant::now();
        if deadline.is_some_and(|d| now >= d) {
            return false;
        }
        let mut delay = self.next;
        if let Some(d) = deadline {
            delay = delay.min(d - now);
        }
        tokio::time::sleep(delay).await;
        self.next = (self.next.mul_f32(1.5)).min(Duration::from_secs(5));
        true
    }
}

/// `DescribeStacks`; `Ok(None)` when the stack does not exist (or was deleted).
pub(crate) async fn describe(cfn: &Client, stack: &str) -> Result<Option<StackInfo>, DeployError> {
    let out = match cfn.describe_stacks().stack_name(stack).send().await {
        Ok(out) => out,
        Err(e) => {
            let err = DeployError::sdk("DescribeStacks", e);
            return if err.is_stack_missing() {
                Ok(None)
            } else {
                Err(err)
            };
        }
    };
    let Some(s) = out.stacks().first() else {
        return Ok(None);
    };
    let status = s
        .stack_status()
        .map(|s| s.as_str().to_string())
        .unwrap_or_default();
    if status == "DELETE_COMPLETE" {
        return Ok(None);
    }
    Ok(Some(StackInfo {
        stack_id: s.stack_id().unwrap_or(stack).to_string(),
        status,
        outputs: s
            .outputs()
            .iter()
            .filter_map(|o| {
                Some((
                    o.output_key()?.to_string(),
                    o.output_value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        tags: s
            .tags()
            .iter()
            .filter_map(|t| {
                Some((
                    t.key()?.to_string(),
                    t.value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        parameters: s
            .parameters()
            .iter()
            .filter_map(|p| {
                Some((
                    p.parameter_key()?.to_string(),
                    p.parameter_value().unwrap_or_default().to_string(),
                ))
            })
            .collect(),
        termination_protection: s.enable_termination_protection().unwrap_or(false),
    }))
}

/// True for statuses in which an operation is still running.
pub(crate) fn is_in_progress(status: &str) -> bool {
    status.ends_with("_IN_PROGRESS")
}

/// The stack's resources (`DescribeStackResources`), as rows shaped like
/// events: logical ID, type, status, reason and construct path.
pub(crate) async fn resources(
    cfn: &Client,
    stack_id: &str,
    construct_paths: &HashMap<String, String>,
) -> Result<Vec<ResourceEvent>, DeployError> {
    let out = cfn
        .describe_stack_resources()
        .stack_name(stack_id)
        .send()
        .await
        .map_err(|e| DeployError::sdk("DescribeStackResources", e))?;
    Ok(out
        .stack_resources()
        .iter()
        .map(|r| {
            let id = r.logical_resource_id().unwrap_or_default();
            ResourceEvent {
                event_id: String::new(),
                timestamp: r
                    .timestamp()
                    .and_then(|t| t.fmt(Format::DateTime).ok())
                    .unwrap_or_default(),
                logical_id: id.to_string(),
                physical_id: r.physical_resource_id().map(str::to_string),
                resource_type: r.resource_type().unwrap_or_default().to_string(),
                status: r
                    .resource_status()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reason: r.resource_status_reason().map(str::to_string),
                construct_path: construct_paths.get(id).cloned(),
            }
        })
        .collect())
}

/// Reads `DescribeStackEvents` incrementally: each call returns the events
/// not seen before, oldest first.
#[derive(Debug)]
pub(crate) struct EventPoller {
    stack_id: String,
    since: Option<DateTime>,
    seen: HashSet<String>,
    construct_paths: HashMap<String, String>,
}

impl EventPoller {
    /// Events at or after `since` (server time), e.g. a change set's creation time.
    pub(crate) fn since(
        stack_id: &str,
        since: Option<DateTime>,
        construct_paths: &HashMap<String, String>,
    ) -> Self {
        EventPoller {
            stack_id: stack_id.to_string(),
            since,
            seen: HashSet::new(),
            construct_paths: construct_paths.clone(),
        }
    }

    /// Events after the ones that exist now (no clock comparison needed).
    pub(crate) async fn after_existing(
        cfn: &Client,
        stack_id: &str,
        construct_paths: &HashMap<String, String>,
    ) -> Result<Self, DeployError> {
        let mut poller = Self::since(stack_id, None, construct_paths);
        let existing = poller.poll(cfn).await?;
        poller.seen.extend(existing.into_iter().map(|e| e.event_id));
        Ok(poller)
    }

    /// The new events, oldest first.
    pub(crate) async fn poll(&mut self, cfn: &Client) -> Result<Vec<ResourceEvent>, DeployError> {
        let mut fresh = Vec::new();
        let mut token: Option<String> = None;
        'pages: loop {
            let out = cfn
                .describe_stack_events()
                .stack_name(&self.stack_id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| DeployError::sdk("DescribeStackEvents", e))?;
            for e in out.stack_events() {
                let Some(id) = e.event_id() else { continue };
                // Newest first: everything after a seen or too old event is old.
                if self.seen.contains(id) {
                    break 'pages;
                }
                if let (Some(since), Some(ts)) = (&self.since, e.timestamp()) {
                    if ts < since {
                        break 'pages;
                    }
                }
                let logical_id = e.logical_resource_id().unwrap_or_default().to_string();
                fresh.push(ResourceEvent {
                    event_id: id.to_string(),
                    timestamp: e
                        .timestamp()
                        .and_then(|t| t.fmt(Format::DateTime).ok())
                        .unwrap_or_default(),
                    construct_path: self.construct_paths.get(&logical_id).cloned(),
                    logical_id,
                    physical_id: e.physical_resource_id().map(str::to_string),
                    resource_type: e.resource_type().unwrap_or_default().to_string(),
                    status: e
                        .resource_status()
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    reason: e.resource_status_reason().map(str::to_string),
                });
            }
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        for e in &fresh {
            self.seen.insert(e.event_id.clone());
        }
        fresh.reverse();
        Ok(fresh)
    }
}

/// True for a status reason that only reports a cascade from another failure.
fn is_cascade(reason: Option<&str>) -> bool {
    reason.is_some_and(|r| {
        let r = r.to_ascii_lowercase();
        r.contains("cancelled") || r.contains("canceled")
    })
}

/// The result of [`watch`].
#[derive(Debug)]
pub(crate) struct Watched {
    /// The final stack state; `None` when the stack is gone.
    pub stack: Option<StackInfo>,
    /// Every `*_FAILED` resource event, oldest first.
    pub failures: Vec<ResourceEvent>,
}

impl Watched {
    /// The root cause: the first failure that is not a cancellation cascade.
    pub(crate) fn root_cause(&self) -> Option<ResourceEvent> {
        self.failures
            .iter()
            .find(|e| !is_cascade(e.reason.as_deref()))
            .or_else(|| self.failures.first())
            .cloned()
    }
}

/// Streams events and polls the stack until its status is no longer
/// `*_IN_PROGRESS`, or until the deadline.
pub(crate) async fn watch(
    cfn: &Client,
    stack_name: &str,
    poller: &mut EventPoller,
    total: usize,
    emitter: &Emitter,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<Watched, DeployError> {
    let mut done: HashSet<String> = HashSet::new();
    let mut failures = Vec::new();
    let mut backoff = Backoff::new();
    loop {
        let stack = describe(cfn, &poller.stack_id).await?;
        // Read events after the status, so that the final events are not missed.
        for event in poller.poll(cfn).await? {
            if !event.is_stack_event(stack_name) {
                if event.status.ends_with("_COMPLETE") || event.status.ends_with("_FAILED") {
                    done.insert(event.logical_id.clone());
                }
                if event.status.ends_with("_FAILED") {
                    failures.push(event.clone());
                }
            }
            emitter.emit(DeployEvent::Resource {
                stack: stack_name.to_string(),
                progress: Progress {
                    done: done.len(),
                    total: total.max(done.len()),
                },
                event,
            });
        }
        let status = stack.as_ref().map(|s| s.status.clone());
        match status {
            Some(s) if is_in_progress(&s) => {
                if !backoff.wait(deadline).await {
                    return Err(DeployError::Timeout {
                        stack: stack_name.to_string(),
                        status: s,
                        elapsed: started.elapsed(),
                    });
                }
            }
            _ => return Ok(Watched { stack, failures }),
        }
    }
}

/// Waits, without streaming events, until the stack is not `*_IN_PROGRESS`.
pub(crate) async fn wait_until_stable(
    cfn: &Client,
    stack_name: &str,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<Option<StackInfo>, DeployError> {
    let mut backoff = Backoff::new();
    loop {
        let stack = describe(cfn, stack_name).await?;
        match &stack {
            Some(s) if is_in_progress(&s.status) => {
                if !backoff.wait(deadline).await {
                    return Err(DeployError::Timeout {
                        stack: stack_name.to_string(),
                        status: s.status.clone(),
                        elapsed: started.elapsed(),
                    });
                }
            }
            _ => return Ok(stack),
        }
    }
}

/// Deletes a stack whose creation failed and was rolled back, so that it can
/// be created again: only after proving, right before `DeleteStack`, that it
/// holds no resources.
///
/// Why this cannot delete another deployment's stack:
///
/// - Everything goes by stack ID, never by name. An ID names one stack for
///   ever: if another deployment deletes this stack and creates a new one of
///   the same name, the new one has a new ID, so `DeleteStack(id)` cannot
///   reach it (on a deleted ID it is a no-op).
/// - `ROLLBACK_COMPLETE` and `ROLLBACK_FAILED` are final for that ID: a
///   stack whose creation failed can be neither updated nor given a change
///   set to execute; deletion is the only way out. So once the re-check by
///   ID sees no live resource, none can appear before `DeleteStack`.
/// - `ROLLBACK_FAILED` may keep resources that the rollback could not
///   delete: then it is refused ([`DeployError::StackHoldsResources`]).
/// - `REVIEW_IN_PROGRESS` is never passed here: a change set on it may be
///   executed by anyone at any moment, under the same ID, so no check can
///   close that race.
pub(crate) async fn remove_failed_creation(
    cfn: &Client,
    stack_name: &str,
    seen: &StackInfo,
    construct_paths: &HashMap<String, String>,
    emitter: &Emitter,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<(), DeployError> {
    emitter.set_doing(
        stack_name,
        "re-checking the failed stack before deleting it",
    );
    let Some(now) = describe(cfn, &seen.stack_id).await? else {
        return Ok(()); // someone else deleted it already
    };
    match now.status.as_str() {
        "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" => {}
        "DELETE_IN_PROGRESS" => {
            // Another deployment is deleting it: wait for that, by ID.
            wait_until_stable(cfn, &seen.stack_id, deadline, started).await?;
            return Ok(());
        }
        other => {
            return Err(DeployError::ConcurrentDeploy {
                stack: stack_name.to_string(),
                detail: format!(
                    "stack {} went from {} to {other}",
                    seen.stack_id, seen.status
                ),
            })
        }
    }
    let live: Vec<String> = resources(cfn, &seen.stack_id, construct_paths)
        .await?
        .into_iter()
        .filter(|r| r.status != "DELETE_COMPLETE")
        .map(|r| r.logical_id)
        .collect();
    if !live.is_empty() {
        return Err(DeployError::StackHoldsResources {
            stack: stack_name.to_string(),
            status: now.status,
            resources: live.join(", "),
        });
    }
    emitter.emit(DeployEvent::Recreating {
        stack: stack_name.to_string(),
        status: now.status.clone(),
    });
    delete_and_wait(
        cfn,
        stack_name,
        &seen.stack_id,
        construct_paths,
        emitter,
        deadline,
        started,
    )
    .await
}

/// Deletes a stack (by ID) and streams its events until it is gone.
///
/// Returns the resources that could not be deleted as an error.
pub(crate) async fn delete_and_wait(
    cfn: &Client,
    stack_name: &str,
    stack_id: &str,
    construct_paths: &HashMap<String, String>,
    emitter: &Emitter,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<(), DeployError> {
    let mut poller = EventPoller::after_existing(cfn, stack_id, construct_paths).await?;
    let total = resources(cfn, stack_id, construct_paths).await?.len();
    cfn.delete_stack()
        .stack_name(stack_id)
        .send()
        .await
        .map_err(|e| DeployError::sdk("DeleteStack", e))?;
    emitter.emit(DeployEvent::Deleting {
        stack: stack_name.to_string(),
        total,
    });
    let watched = watch(
        cfn,
        stack_name,
        &mut poller,
        total,
        emitter,
        deadline,
        started,
    )
    .await?;
    match watched.stack {
        None => Ok(()),
        Some(s) if s.status == "DELETE_FAILED" => {
            let mut failed: Vec<ResourceEvent> = watched
                .failures
                .iter()
                .filter(|e| e.status == "DELETE_FAILED")
                .cloned()
                .collect();
            // Also ask the stack which resources remain failed (events may be missing).
            if let Ok(rows) = resources(cfn, stack_id, construct_paths).await {
                for r in rows {
                    if r.status == "DELETE_FAILED"
                        && !failed.iter().any(|e| e.logical_id == r.logical_id)
                    {
                        failed.push(r);
                    }
                }
            }
            Err(DeployError::DeleteFailed {
                stack: stack_name.to_string(),
                resources: failed,
            })
        }
        Some(s) => Err(DeployError::UnexpectedStatus {
            stack: stack_name.to_string(),
            status: s.status,
        }),
    }
}
