//! Destroying a stack, and diffing one.

use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::client::Clients;
use crate::deadline::bounded;
use crate::deploy::deployed_template;
use crate::diff::{diff_templates, TemplateDiff};
use crate::error::DeployError;
use crate::events::DeployEvent;
use crate::op::{Emitter, Operation};
use crate::stack;
use crate::template::parse_template;
use crate::StackSpec;

/// Options of a destroy.
#[derive(Debug, Clone, Default)]
pub struct DestroyOptions {
    /// Refuse instead of waiting for a stack that is busy.
    pub no_wait: bool,
    /// Give up after this long, counted from the start of the operation
    /// (for several stacks, of the whole run). Nothing is cancelled.
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
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let work = async {
            let clients = crate::multi::stack_clients(&clients, &spec).await?;
            destroy_inner(&clients, &spec, &options, &emitter, started, deadline)
                .await
                .map_err(|e| e.at_endpoint(&clients.endpoint))
        };
        bounded(deadline, started, &spec.stack_name, &emitter, work)
            .await
            .map_err(|e| e.at_endpoint(&clients.endpoint))
    })
}

pub(crate) async fn destroy_inner(
    clients: &Clients,
    spec: &StackSpec,
    options: &DestroyOptions,
    emitter: &Emitter,
    started: Instant,
    deadline: Option<Instant>,
) -> Result<DestroyOutput, DeployError> {
    let cfn = &clients.cloudformation;
    let name = spec.stack_name.as_str();
    emitter.set_doing(name, "checking the stack (DescribeStacks)");
    let mut existing = stack::describe(cfn, name).await?;
    match &existing {
        Some(s) => emitter.emit(DeployEvent::StackState {
            stack: name.into(),
            status: Some(s.status.clone()),
        }),
        None => emitter.emit(DeployEvent::StackMissing { stack: name.into() }),
    }
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

/// Compares the deployed template of a stack (GetTemplate, stage Original,
/// JSON or YAML) with the local one. A stack in `REVIEW_IN_PROGRESS` has no
/// deployed template: it counts as not deployed.
pub async fn diff_stack(clients: &Clients, spec: &StackSpec) -> Result<StackDiff, DeployError> {
    let work = async {
        let clients = crate::multi::stack_clients(clients, spec).await?;
        diff_inner(&clients, spec)
            .await
            .map_err(|e| e.at_endpoint(&clients.endpoint))
    };
    work.await.map_err(|e| e.at_endpoint(&clients.endpoint))
}

pub(crate) async fn diff_inner(
    clients: &Clients,
    spec: &StackSpec,
) -> Result<StackDiff, DeployError> {
    let local = parse_template(spec)?;
    let existing = stack::describe(&clients.cloudformation, &spec.stack_name).await?;
    let exists = existing
        .as_ref()
        .is_some_and(|s| s.status != "REVIEW_IN_PROGRESS");
    let deployed = match exists {
        true => deployed_template(clients, &spec.stack_name).await?,
        false => None,
    };
    Ok(StackDiff {
        stack_name: spec.stack_name.clone(),
        exists,
        diff: diff_templates(deployed.as_ref(), &local, &spec.construct_paths),
    })
}
