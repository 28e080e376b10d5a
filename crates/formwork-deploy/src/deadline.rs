//! `--timeout`: one deadline for a whole operation.
//!
//! The deadline is taken once, when the operation starts, and bounds
//! everything after it: every AWS call, every wait between polls, every
//! stack of a multi-stack run. The SDK's own timeouts (see
//! [`crate::ClientTuning`]) bound each call even without a deadline.

use std::future::Future;

use tokio::time::Instant;

use crate::error::DeployError;
use crate::op::Emitter;

/// Runs `work` for `stack` until `deadline`; past it, the work is dropped
/// (calls in flight are abandoned) and the error says what the stack was
/// doing. Nothing is cancelled in CloudFormation.
pub(crate) async fn bounded<T>(
    deadline: Option<Instant>,
    started: Instant,
    stack: &str,
    emitter: &Emitter,
    work: impl Future<Output = Result<T, DeployError>>,
) -> Result<T, DeployError> {
    let Some(deadline) = deadline else {
        return work.await;
    };
    match tokio::time::timeout_at(deadline, work).await {
        Ok(result) => result,
        Err(_) => Err(DeployError::Timeout {
            stack: stack.to_string(),
            status: emitter.doing(stack),
            elapsed: started.elapsed(),
        }),
    }
}
