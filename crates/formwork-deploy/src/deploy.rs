//! Deploying one stack through a change set.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudformation::types::{
    Capability as CfnCapability, ChangeSetStatus, ChangeSetType, Tag, TemplateStage,
};
use serde::Serialize;
use serde_json::Value;
use tokio::time::Instant;

use crate::client::Clients;
use crate::deadline::bounded;
use crate::diff::{diff_templates, IamChange};
use crate::error::DeployError;
use crate::events::{ChangeSetKind, DeployEvent, ResourceChange, ResourceEvent};
use crate::op::{Emitter, Operation};
use crate::parameters;
use crate::reader::read_template;
use crate::stack::{self, Backoff, EventPoller, StackInfo};
use crate::template::parse_template;
use crate::template::{self, MAX_INLINE_TEMPLATE_BYTES, MAX_S3_TEMPLATE_BYTES};
use crate::StackSpec;

/// When a change set needs a person's approval before it is executed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Serialize)]
pub enum RequireApproval {
    /// Never ask.
    Never,
    /// Ask for any change.
    AnyChange,
    /// Ask when IAM resources, policies, trust policies or managed policy attachments change.
    #[default]
    Broadening,
}

/// What the approver sees.
#[derive(Debug, Clone, Serialize)]
pub struct ApprovalRequest {
    /// The stack.
    pub stack: String,
    /// Every resource change in the change set.
    pub changes: Vec<ResourceChange>,
    /// The IAM changes among them.
    pub iam_changes: Vec<IamChange>,
}

/// Asks a person to approve a change set; `true` approves. It runs on a
/// blocking thread, so it may read from a terminal.
pub type Approver = Arc<dyn Fn(&ApprovalRequest) -> bool + Send + Sync>;

/// Options of a deploy.
#[derive(Clone, Default)]
pub struct DeployOptions {
    /// When to ask for approval.
    pub require_approval: RequireApproval,
    /// Who to ask. Without one, a change that needs approval is refused
    /// with [`DeployError::ApprovalRequired`].
    pub approver: Option<Approver>,
    /// Stop after creating the change set.
    pub no_execute: bool,
    /// Deploy even when nothing changed.
    pub force: bool,
    /// Refuse instead of waiting for a stack that is busy.
    pub no_wait: bool,
    /// Give up after this long, counted from the start of the operation
    /// (for several stacks, of the whole run): every call and every wait is
    /// bounded by it. Nothing is cancelled in CloudFormation.
    pub timeout: Option<Duration>,
    /// A bucket for templates over 51,200 bytes.
    pub template_bucket: Option<String>,
    /// How long to wait for a CloudFront invalidation of a bucket
    /// deployment; `None`: [`DEFAULT_INVALIDATION_TIMEOUT`](crate::DEFAULT_INVALIDATION_TIMEOUT).
    pub invalidation_timeout: Option<Duration>,
}

impl std::fmt::Debug for DeployOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeployOptions")
            .field("require_approval", &self.require_approval)
            .field("approver", &self.approver.as_ref().map(|_| "..."))
            .field("no_execute", &self.no_execute)
            .field("force", &self.force)
            .field("no_wait", &self.no_wait)
            .field("timeout", &self.timeout)
            .field("template_bucket", &self.template_bucket)
            .field("invalidation_timeout", &self.invalidation_timeout)
            .finish()
    }
}

/// How a deploy ended, when it succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DeployOutcome {
    /// The change set was executed.
    Deployed,
    /// Nothing changed locally; no change set was created.
    Skipped,
    /// The change set had no changes and was deleted.
    NoChanges,
    /// `--no-execute`: the change set was created and left.
    ChangeSetCreated,
}

/// The result of a successful deploy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployOutput {
    /// The stack name.
    pub stack_name: String,
    /// The stack ARN.
    pub stack_id: String,
    /// The stack status at the end.
    pub status: String,
    /// What happened.
    pub outcome: DeployOutcome,
    /// The stack outputs.
    pub outputs: BTreeMap<String, String>,
    /// The change set, when one was created and kept.
    pub change_set_id: Option<String>,
    /// How long the deploy took.
    pub elapsed: Duration,
    /// What each bucket deployment of the stack did (after the stack was
    /// deployed, skipped or found unchanged; not with `--no-execute`).
    pub deployments: Vec<crate::BucketDeploymentOutput>,
}

/// Deploys one stack. See [`Operation`] for how to consume it.
pub fn deploy_stack(
    clients: Clients,
    spec: StackSpec,
    options: DeployOptions,
) -> Operation<DeployOutput> {
    Operation::new(move |emitter| async move {
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let work = async {
            let clients = crate::multi::stack_clients(&clients, &spec).await?;
            deploy_inner(&clients, &spec, &options, &emitter, started, deadline)
                .await
                .map_err(|e| e.at_endpoint(&clients.endpoint))
        };
        bounded(deadline, started, &spec.stack_name, &emitter, work)
            .await
            .map_err(|e| e.at_endpoint(&clients.endpoint))
    })
}

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{nanos:x}")
}

fn is_no_change(reason: &str) -> bool {
    reason.contains("didn't contain changes") || reason.contains("No updates are to be performed")
}

/// The deployed template (stage Original), read as JSON or YAML; `None`
/// when it is neither (it is then shown as entirely different).
pub(crate) async fn deployed_template(
    clients: &Clients,
    stack: &str,
) -> Result<Option<Value>, DeployError> {
    let out = clients
        .cloudformation
        .get_template()
        .stack_name(stack)
        .template_stage(TemplateStage::Original)
        .send()
        .await
        .map_err(|e| DeployError::sdk("GetTemplate", e))?;
    Ok(out.template_body().and_then(|b| read_template(b).ok()))
}

fn unchanged(spec: &StackSpec, stack: &StackInfo, deployed: Option<&Value>, local: &Value) -> bool {
    deployed == Some(local)
        && stack.tags == spec.tags
        && stack.termination_protection == spec.termination_protection
        && spec
            .parameters
            .iter()
            .all(|(k, v)| stack.parameters.get(k) == Some(v))
}

async fn deploy_change_set(
    clients: &Clients,
    spec: &StackSpec,
    options: &DeployOptions,
    emitter: &Emitter,
    started: Instant,
    deadline: Option<Instant>,
) -> Result<DeployOutput, DeployError> {
    let cfn = &clients.cloudformation;
    let name = spec.stack_name.as_str();
    let local = preflight(spec, options)?;

    // 1. The stack's state.
    emitter.set_doing(name, "checking the stack (DescribeStacks)");
    let mut existing = stack::describe(cfn, name).await?;
    emitter.emit(DeployEvent::StackState {
        stack: name.into(),
        status: existing.as_ref().map(|s| s.status.clone()),
    });
    while let Some(s) = &existing {
        match s.status.as_str() {
            // A failed creation, rolled back: it cannot be updated, only
            // deleted (guarded: see `stack::remove_failed_creation`).
            "ROLLBACK_COMPLETE" | "ROLLBACK_FAILED" => {
                stack::remove_failed_creation(
                    cfn,
                    name,
                    s,
                    &spec.construct_paths,
                    emitter,
                    deadline,
                    started,
                )
                .await?;
                existing = None;
            }
            "UPDATE_ROLLBACK_FAILED" => {
                return Err(DeployError::UpdateRollbackFailed { stack: name.into() })
            }
            // REVIEW_IN_PROGRESS is never deleted: anyone may execute a
            // change set on it at any moment, turning it (same stack ID)
            // into a stack with resources. A new CREATE change set is made
            // on it instead, as the AWS CDK CLI does.
            "REVIEW_IN_PROGRESS" => break,
            status if stack::is_in_progress(status) => {
                if options.no_wait {
                    return Err(DeployError::StackBusy {
                        stack: name.into(),
                        status: status.into(),
                    });
                }
                emitter.emit(DeployEvent::WaitingForStack {
                    stack: name.into(),
                    status: status.into(),
                });
                existing = stack::wait_until_stable(cfn, name, deadline, started).await?;
            }
            "CREATE_FAILED" | "DELETE_FAILED" | "UPDATE_FAILED" | "IMPORT_ROLLBACK_FAILED" => {
                return Err(DeployError::UnexpectedStatus {
                    stack: name.into(),
                    status: s.status.clone(),
                })
            }
            _ => break,
        }
    }
    // The stack to update; `None` for a CREATE change set (no stack, or one
    // in REVIEW_IN_PROGRESS, whose ID is `review_id`).
    let review_id = existing
        .as_ref()
        .filter(|s| s.status == "REVIEW_IN_PROGRESS")
        .map(|s| s.stack_id.clone());
    let updating = existing.filter(|s| s.status != "REVIEW_IN_PROGRESS");

    // 2. Skip when nothing changed.
    let deployed = match &updating {
        Some(_) => {
            emitter.set_doing(name, "reading the deployed template (GetTemplate)");
            deployed_template(clients, name).await?
        }
        None => None,
    };
    if let Some(s) = &updating {
        if !options.force && unchanged(spec, s, deployed.as_ref(), &local) {
            emitter.emit(DeployEvent::Skipped { stack: name.into() });
            return Ok(DeployOutput {
                stack_name: name.into(),
                stack_id: s.stack_id.clone(),
                status: s.status.clone(),
                outcome: DeployOutcome::Skipped,
                outputs: s.outputs.clone(),
                change_set_id: None,
                elapsed: started.elapsed(),
                deployments: Vec::new(),
            });
        }
    }
    // Parameters are settled before any change set exists, so that a
    // missing or bad value leaves nothing in REVIEW_IN_PROGRESS.
    let parameters = parameters::resolve(spec, &local, updating.as_ref().map(|s| &s.parameters))?;

    // 3. The change set.
    let kind = if updating.is_some() {
        ChangeSetKind::Update
    } else {
        ChangeSetKind::Create
    };
    emitter.emit(DeployEvent::CreatingChangeSet {
        stack: name.into(),
        kind,
    });
    let token = format!("formwork-{}", unique_suffix());
    let capabilities: Vec<String> = template::required_capabilities(&local)
        .map(|c| vec![c.as_str().to_string()])
        .unwrap_or_default();
    let mut req = cfn
        .create_change_set()
        .stack_name(name)
        .change_set_name(&token)
        .client_token(&token)
        .description("formwork deploy")
        .change_set_type(match kind {
            ChangeSetKind::Create => ChangeSetType::Create,
            ChangeSetKind::Update => ChangeSetType::Update,
        })
        .set_capabilities(Some(
            capabilities
                .iter()
                .map(|c| CfnCapability::from(c.as_str()))
                .collect(),
        ))
        .set_tags(Some(
            spec.tags
                .iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build())
                .collect(),
        ))
        .set_parameters(Some(parameters));
    let size = spec.template_body.len();
    if size > MAX_INLINE_TEMPLATE_BYTES {
        let bucket = options.template_bucket.as_deref().unwrap_or_default();
        let url = upload_template(clients, bucket, name, &token, &spec.template_body).await?;
        emitter.emit(DeployEvent::TemplateUploaded {
            stack: name.into(),
            url: url.clone(),
        });
        req = req.template_url(url);
    } else {
        req = req.template_body(&spec.template_body);
    }
    let created = match req.send().await {
        Ok(created) => created,
        Err(e) => {
            let err = DeployError::sdk("CreateChangeSet", e);
            // A CREATE change set for a stack that another deployment
            // created (and executed) since DescribeStacks.
            return Err(match &err {
                DeployError::Aws { code, message, .. }
                    if code == "AlreadyExistsException" || message.contains("already exists") =>
                {
                    DeployError::ConcurrentDeploy {
                        stack: name.into(),
                        detail: format!("CreateChangeSet: {message}"),
                    }
                }
                _ => err,
            });
        }
    };
    let change_set_id = created.id().unwrap_or(&token).to_string();
    let stack_id = created.stack_id().unwrap_or(name).to_string();
    if let Some(review_id) = &review_id {
        if review_id != &stack_id {
            // The REVIEW_IN_PROGRESS stack seen was replaced meanwhile.
            return Err(abandon(
                clients,
                name,
                &change_set_id,
                emitter,
                format!("the stack in REVIEW_IN_PROGRESS was {review_id}, the change set went to {stack_id}"),
            )
            .await);
        }
    }

    emitter.set_doing(
        name,
        "waiting for the change set to be ready (DescribeChangeSet); it is not executed",
    );
    let ready = wait_for_change_set(clients, name, &change_set_id, deadline, started).await?;
    if let Some(reason) = ready.failure {
        if is_no_change(&reason) {
            let _ = cfn
                .delete_change_set()
                .change_set_name(&change_set_id)
                .send()
                .await;
            emitter.emit(DeployEvent::NoChanges { stack: name.into() });
            let s = stack::describe(cfn, name).await?.unwrap_or_default();
            sync_termination_protection(clients, name, &s, spec.termination_protection).await?;
            return Ok(DeployOutput {
                stack_name: name.into(),
                stack_id: s.stack_id,
                status: s.status,
                outcome: DeployOutcome::NoChanges,
                outputs: s.outputs,
                change_set_id: None,
                elapsed: started.elapsed(),
                deployments: Vec::new(),
            });
        }
        return Err(DeployError::ChangeSetFailed {
            stack: name.into(),
            reason,
        });
    }
    emitter.emit(DeployEvent::ChangeSetCreated {
        stack: name.into(),
        change_set_id: change_set_id.clone(),
        kind,
        capabilities,
    });
    let changes: Vec<ResourceChange> = ready
        .changes
        .into_iter()
        .map(|mut c| {
            c.construct_path = spec.construct_paths.get(&c.logical_id).cloned();
            c
        })
        .collect();
    let iam_changes = diff_templates(deployed.as_ref(), &local, &spec.construct_paths).iam_changes;

    // 4. Approval.
    let needs_approval = match options.require_approval {
        RequireApproval::Never => false,
        RequireApproval::AnyChange => !changes.is_empty() || !iam_changes.is_empty(),
        RequireApproval::Broadening => !iam_changes.is_empty(),
    };
    emitter.emit(DeployEvent::ChangesListed {
        stack: name.into(),
        changes: changes.clone(),
        iam_changes: iam_changes.clone(),
        approval_required: needs_approval,
    });
    if needs_approval {
        let summary = if iam_changes.is_empty() {
            format!("{} resource changes", changes.len())
        } else {
            format!("IAM changes ({})", iam_changes.len())
        };
        let Some(approver) = options.approver.clone() else {
            return Err(DeployError::ApprovalRequired {
                stack: name.into(),
                summary,
                change_set: token,
            });
        };
        let request = ApprovalRequest {
            stack: name.into(),
            changes: changes.clone(),
            iam_changes,
        };
        let approved = tokio::task::spawn_blocking(move || approver(&request))
            .await
            .unwrap_or(false);
        if !approved {
            // A declined change set is deleted, so that nothing is left
            // that looks like an earlier failed attempt. (A CREATE change
            // set leaves its stack in REVIEW_IN_PROGRESS, without
            // resources; the next deploy makes a new change set on it.)
            delete_change_set(clients, name, &change_set_id, emitter).await?;
            return Err(DeployError::ApprovalDenied {
                stack: name.into(),
                change_set: token,
            });
        }
        emitter.emit(DeployEvent::Approved { stack: name.into() });
    }
    if options.no_execute {
        emitter.emit(DeployEvent::NotExecuted {
            stack: name.into(),
            change_set_id: change_set_id.clone(),
        });
        let s = stack::describe(cfn, name).await?.unwrap_or_default();
        return Ok(DeployOutput {
            stack_name: name.into(),
            stack_id,
            status: s.status,
            outcome: DeployOutcome::ChangeSetCreated,
            outputs: s.outputs,
            change_set_id: Some(change_set_id),
            elapsed: started.elapsed(),
            deployments: Vec::new(),
        });
    }

    // 5. Execute, after checking that the stack is still the one the change
    // set was made for (CloudFormation also marks the change set OBSOLETE
    // when another one is executed first; this check also holds against
    // emulators that do not).
    emitter.set_doing(name, "checking the stack before executing (DescribeStacks)");
    let now = stack::describe(cfn, name).await?;
    let conflict = match (&now, kind) {
        (None, _) => Some("the stack was deleted".to_string()),
        (Some(s), _) if s.stack_id != stack_id => Some(format!(
            "the stack is now {} ({}), not {stack_id}",
            s.stack_id, s.status
        )),
        (Some(s), ChangeSetKind::Create) if s.status != "REVIEW_IN_PROGRESS" => Some(format!(
            "the stack is {} instead of REVIEW_IN_PROGRESS: another change set was executed",
            s.status
        )),
        (Some(s), ChangeSetKind::Update) if stack::is_in_progress(&s.status) => {
            Some(format!("the stack is {}", s.status))
        }
        _ => None,
    };
    if let Some(detail) = conflict {
        return Err(abandon(clients, name, &change_set_id, emitter, detail).await);
    }
    if let Some(s) = &updating {
        sync_termination_protection(clients, name, s, spec.termination_protection).await?;
    }
    let mut poller = EventPoller::since(&stack_id, ready.creation_time, &spec.construct_paths);
    emitter.set_doing(
        name,
        "executing the change set (ExecuteChangeSet sent; CloudFormation may have started it)",
    );
    if let Err(e) = cfn
        .execute_change_set()
        .change_set_name(&change_set_id)
        .client_request_token(&token)
        .send()
        .await
    {
        let err = DeployError::sdk("ExecuteChangeSet", e);
        return Err(match &err {
            DeployError::Aws { code, message, .. } if code == "InvalidChangeSetStatus" => {
                DeployError::ConcurrentDeploy {
                    stack: name.into(),
                    detail: format!("ExecuteChangeSet: {message}"),
                }
            }
            _ => err,
        });
    }
    emitter.emit(DeployEvent::Executing {
        stack: name.into(),
        total: changes.len(),
    });
    let watched = stack::watch(
        cfn,
        name,
        &mut poller,
        changes.len(),
        emitter,
        deadline,
        started,
    )
    .await?;
    let root_cause = watched.root_cause();
    let final_stack = watched.stack.unwrap_or_default();
    match final_stack.status.as_str() {
        "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" => {}
        _ => {
            let first_failure = match root_cause {
                Some(e) => Some(e),
                None => failed_resource(clients, &stack_id, spec).await,
            }
            .map(Box::new);
            return Err(DeployError::StackFailed {
                stack: name.into(),
                status: if final_stack.status.is_empty() {
                    "DELETE_COMPLETE".into()
                } else {
                    final_stack.status
                },
                first_failure,
            });
        }
    }
    if updating.is_none() {
        sync_termination_protection(clients, name, &final_stack, spec.termination_protection)
            .await?;
    }
    emitter.emit(DeployEvent::StackDone {
        stack: name.into(),
        status: final_stack.status.clone(),
        outputs: final_stack.outputs.clone(),
        elapsed: started.elapsed(),
    });
    Ok(DeployOutput {
        stack_name: name.into(),
        stack_id: final_stack.stack_id,
        status: final_stack.status,
        outcome: DeployOutcome::Deployed,
        outputs: final_stack.outputs,
        change_set_id: Some(change_set_id),
        elapsed: started.elapsed(),
        deployments: Vec::new(),
    })
}

/// Deploys the stack, then, unless the change set was left unexecuted,
/// syncs its bucket deployments (also when the stack was unchanged).
pub(crate) async fn deploy_inner(
    clients: &Clients,
    spec: &StackSpec,
    options: &DeployOptions,
    emitter: &Emitter,
    started: Instant,
    deadline: Option<Instant>,
) -> Result<DeployOutput, DeployError> {
    let mut output = deploy_change_set(clients, spec, options, emitter, started, deadline).await?;
    if output.outcome == DeployOutcome::ChangeSetCreated || spec.deployments.is_empty() {
        return Ok(output);
    }
    let template = parse_template(spec)?;
    let mut values = crate::bucket::OutputValues::new(
        clients,
        &spec.stack_name,
        &output.stack_id,
        &output.outputs,
        &template,
    );
    let timeout = options
        .invalidation_timeout
        .unwrap_or(crate::DEFAULT_INVALIDATION_TIMEOUT);
    let mut done = Vec::with_capacity(spec.deployments.len());
    for deployment in &spec.deployments {
        done.push(
            crate::bucket::deploy_bucket(
                clients,
                &spec.stack_name,
                deployment,
                &mut values,
                emitter,
                deadline,
                timeout,
            )
            .await?,
        );
    }
    output.deployments = done;
    Ok(output)
}

/// Deletes a change set this deploy made and will not execute.
async fn delete_change_set(
    clients: &Clients,
    name: &str,
    change_set_id: &str,
    emitter: &Emitter,
) -> Result<(), DeployError> {
    clients
        .cloudformation
        .delete_change_set()
        .change_set_name(change_set_id)
        .send()
        .await
        .map_err(|e| DeployError::sdk("DeleteChangeSet", e))?;
    emitter.emit(DeployEvent::ChangeSetDeleted {
        stack: name.into(),
        change_set_id: change_set_id.into(),
    });
    Ok(())
}

/// Another deployment got to the stack first: this deploy's own change set
/// is deleted (best effort; it is ours, not theirs), the stack is left
/// alone, and the error says what was seen.
async fn abandon(
    clients: &Clients,
    name: &str,
    change_set_id: &str,
    emitter: &Emitter,
    detail: String,
) -> DeployError {
    let _ = delete_change_set(clients, name, change_set_id, emitter).await;
    DeployError::ConcurrentDeploy {
        stack: name.into(),
        detail,
    }
}

/// Everything about one stack that can be checked without AWS: the
/// template reads, its size fits (or a bucket is given), and the given
/// parameter values are declared and meet the template's constraints.
/// Returns the parsed template.
pub(crate) fn preflight(spec: &StackSpec, options: &DeployOptions) -> Result<Value, DeployError> {
    let name = spec.stack_name.as_str();
    let local = parse_template(spec)?;
    let size = spec.template_body.len();
    if size > MAX_S3_TEMPLATE_BYTES {
        return Err(DeployError::TemplateTooLargeForS3 {
            stack: name.into(),
            size,
        });
    }
    if size > MAX_INLINE_TEMPLATE_BYTES && options.template_bucket.is_none() {
        return Err(DeployError::TemplateTooLarge {
            stack: name.into(),
            size,
        });
    }
    parameters::check_values(spec, &local)?;
    Ok(local)
}

/// When no failure event was seen (some emulators emit none), ask the stack
/// for a failed resource.
async fn failed_resource(
    clients: &Clients,
    stack_id: &str,
    spec: &StackSpec,
) -> Option<ResourceEvent> {
    stack::resources(&clients.cloudformation, stack_id, &spec.construct_paths)
        .await
        .ok()?
        .into_iter()
        .find(|r| r.status.ends_with("_FAILED"))
}

async fn sync_termination_protection(
    clients: &Clients,
    name: &str,
    stack: &StackInfo,
    wanted: bool,
) -> Result<(), DeployError> {
    if stack.termination_protection == wanted || stack.stack_id.is_empty() {
        return Ok(());
    }
    clients
        .cloudformation
        .update_termination_protection()
        .stack_name(name)
        .enable_termination_protection(wanted)
        .send()
        .await
        .map_err(|e| DeployError::sdk("UpdateTerminationProtection", e))?;
    Ok(())
}

/// A change set once it is ready (or failed).
struct ReadyChangeSet {
    failure: Option<String>,
    changes: Vec<ResourceChange>,
    creation_time: Option<aws_sdk_cloudformation::primitives::DateTime>,
}

async fn wait_for_change_set(
    clients: &Clients,
    stack: &str,
    change_set_id: &str,
    deadline: Option<Instant>,
    started: Instant,
) -> Result<ReadyChangeSet, DeployError> {
    let mut backoff = Backoff::new();
    loop {
        let mut token = None;
        let mut changes = Vec::new();
        let (status, reason, creation_time) = loop {
            let out = clients
                .cloudformation
                .describe_change_set()
                .change_set_name(change_set_id)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| DeployError::sdk("DescribeChangeSet", e))?;
            changes.extend(out.changes().iter().filter_map(|c| {
                let rc = c.resource_change()?;
                Some(ResourceChange {
                    action: rc
                        .action()
                        .map(|a| a.as_str().to_string())
                        .unwrap_or_default(),
                    logical_id: rc.logical_resource_id().unwrap_or_default().to_string(),
                    resource_type: rc.resource_type().unwrap_or_default().to_string(),
                    replacement: rc.replacement().map(|r| r.as_str().to_string()),
                    construct_path: None,
                })
            }));
            match out.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => {
                    break (
                        out.status().cloned(),
                        out.status_reason().map(str::to_string),
                        out.creation_time().copied(),
                    )
                }
            }
        };
        match status {
            Some(ChangeSetStatus::CreateComplete) => {
                return Ok(ReadyChangeSet {
                    failure: None,
                    changes,
                    creation_time,
                })
            }
            Some(ChangeSetStatus::Failed) => {
                return Ok(ReadyChangeSet {
                    failure: Some(reason.unwrap_or_else(|| "no reason given".into())),
                    changes,
                    creation_time,
                })
            }
            other => {
                if !backoff.wait(deadline).await {
                    return Err(DeployError::Timeout {
                        stack: stack.into(),
                        status: format!(
                            "waiting for change set ({})",
                            other.map(|s| s.as_str().to_string()).unwrap_or_default()
                        ),
                        elapsed: started.elapsed(),
                    });
                }
            }
        }
    }
}

/// The S3 URL CloudFormation reads a template from.
pub fn template_url(bucket: &str, region: &str, key: &str) -> String {
    let domain = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("https://{bucket}.s3.{region}.{domain}/{key}")
}

async fn upload_template(
    clients: &Clients,
    bucket: &str,
    stack: &str,
    token: &str,
    body: &str,
) -> Result<String, DeployError> {
    let key = format!("formwork/{stack}/{token}.template.json");
    clients
        .s3
        .put_object()
        .bucket(bucket)
        .key(&key)
        .content_type("application/json")
        .body(aws_sdk_s3::primitives::ByteStream::from(
            body.as_bytes().to_vec(),
        ))
        .send()
        .await
        .map_err(|e| DeployError::sdk("PutObject", e))?;
    Ok(template_url(bucket, &clients.region, &key))
}
