//! Destroying a stack, and diffing one.

use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::client::Clients;
use crate::deploy::{deployed_template, parse_template};
use crate::diff::{diff_templates, TemplateDiff};
use crate::error::DeployError;
use crate::events::DeployEvent;
use crate::op::{Emitter, Operation};
use crate::stack;
use crate::StackSpec;

/// Options of a destroy.
#[derive(Debug, Clone, Default)]
pub struct DestroyOptions {
    /// Refuse instead of waiting for a stack that is busy.
    pub no_wait: bool,
    /// Give up waiting after this long (per stack). Nothing is cancelled.
    pub timeout: Option<Duration>,
}

/// The result of a successful destroy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DestroyOutput {
    /// The stack name.
    pub stack_name: String,
    /// `false` when the stack did not exist (a no-op success).
    pub existed: bool,
    /// How long it took.
    pub elapsed: Duration,
}

/// Deletes one stack and waits until it is gone. A missing stack is a success.
pub fn destroy_stack(
    clients: Clients,
    spec: StackSpec,
    options: DestroyOptions,
) -> Operation<DestroyOutput> {
    Operation::new(move |emitter| async move {
        destroy_inner(&clients, &spec, &options, &emitter).await
    })
}

pub(crate) async fn destroy_inner(
    clients: &Clients,
    spec: &StackSpec,
    options: &DestroyOptions,
    emitter: &Emitter,
) -> Result<DestroyOutput, DeployError> {
    let cfn = &clients.cloudformation;
    let name = spec.stack_name.as_str();
    let started = Instant::now();
    let deadline = options.timeout.map(|t| started + t);
    let mut existing = stack::describe(cfn, name).await?;
    emitter.emit(DeployEvent::StackState {
        stack: name.into(),
        status: existing.as_ref().map(|s| s.status.clone()),
    });
    if let Some(s) = existing
        .as_ref()
        .filter(|s| stack::is_in_progress(&s.status) && s.status != "REVIEW_IN_PROGRESS")
    {
        if options.no_wait {
            return Err(DeployError::StackBusy {
                stack: name.into(),
                status: s.status.clone(),
            });
        }
        emitter.emit(DeployEvent::WaitingForStack {
            stack: name.into(),
            status: s.status.clone(),
        });
        existing = stack::wait_until_stable(cfn, name, deadline, started).await?;
    }
    let Some(s) = existing else {
        return Ok(DestroyOutput {
            stack_name: name.into(),
            existed: false,
            elapsed: started.elapsed(),
        });
    };
    stack::delete_and_wait(
        cfn,
        name,
        &s.stack_id,
        &spec.construct_paths,
        emitter,
        deadline,
        started,
    )
    .await?;
    emitter.emit(DeployEvent::StackDone {
        stack: name.into(),
        status: "DELETE_COMPLETE".into(),
        outputs: Default::default(),
        elapsed: started.elapsed(),
    });
    Ok(DestroyOutput {
        stack_name: name.into(),
        existed: true,
        elapsed: started.elapsed(),
    })
}

/// The diff of one stack.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackDiff {
    /// The stack name.
    pub stack_name: String,
    /// Whether the stack is deployed.
    pub exists: bool,
    /// The structural differences (everything added when the stack is missing).
    pub diff: TemplateDiff,
}

/// Compares the deployed template of a stack (GetTemplate, stage Original)
/// with the local one.
pub async fn diff_stack(clients: &Clients, spec: &StackSpec) -> Result<StackDiff, DeployError> {
    let local = parse_template(spec)?;
    let existing = stack::describe(&clients.cloudformation, &spec.stack_name).await?;
    let deployed = match &existing {
        Some(s) if s.status != "REVIEW_IN_PROGRESS" => {
            deployed_template(clients, &spec.stack_name).await?
        }
        _ => None,
    };
    Ok(StackDiff {
        stack_name: spec.stack_name.clone(),
        exists: deployed.is_some(),
        diff: diff_templates(deployed.as_ref(), &local, &spec.construct_paths),
    })
}
