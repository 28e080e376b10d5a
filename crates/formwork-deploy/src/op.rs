//! [`Operation`]: a stream of typed events that ends in a typed result.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::mpsc;
use futures::future::BoxFuture;
use futures::{FutureExt, Stream, StreamExt};

use crate::error::DeployError;
use crate::events::DeployEvent;

/// A running deploy or destroy, in the style of `cloudformatious`.
///
/// Poll it as a [`Stream`] of [`DeployEvent`]s to watch progress; the stream
/// ends when the operation is finished. Then (or at any point) call
/// [`Operation::output`] for the typed result. Dropping the operation stops
/// waiting; it does not cancel anything that CloudFormation is doing.
#[must_use = "an operation does nothing unless polled"]
pub struct Operation<T> {
    events: mpsc::UnboundedReceiver<DeployEvent>,
    work: Option<BoxFuture<'static, Result<T, DeployError>>>,
    result: Option<Result<T, DeployError>>,
}

impl<T> std::fmt::Debug for Operation<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operation")
            .field("finished", &self.work.is_none())
            .finish()
    }
}

// The work future is boxed and `T` is only ever moved, never pinned.
impl<T> Unpin for Operation<T> {}

/// The sending side handed to the work future.
#[derive(Clone, Debug)]
pub(crate) struct Emitter(pub(crate) mpsc::UnboundedSender<DeployEvent>);

impl Emitter {
    /// Reports an event; a dropped receiver is not an error.
    pub(crate) fn emit(&self, event: DeployEvent) {
        tracing::debug!(?event, "deploy event");
        let _ = self.0.unbounded_send(event);
    }
}

impl<T: Send + 'static> Operation<T> {
    /// Builds an operation from the work to do, given an emitter.
    pub(crate) fn new<F, Fut>(work: F) -> Self
    where
        F: FnOnce(Emitter) -> Fut,
        Fut: std::future::Future<Output = Result<T, DeployError>> + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded();
        Operation {
            events: rx,
            work: Some(work(Emitter(tx)).boxed()),
            result: None,
        }
    }

    /// Runs the operation to the end, discarding the events not yet read,
    /// and returns its result.
    pub async fn output(mut self) -> Result<T, DeployError> {
        while self.next().await.is_some() {}
        match self.result.take() {
            Some(result) => result,
            None => unreachable!("the stream ends only after the work finished"),
        }
    }
}

impl<T> Stream for Operation<T> {
    type Item = DeployEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<DeployEvent>> {
        let this = self.get_mut();
        // Drive the work first so that it makes progress while events are read.
        if let Some(work) = this.work.as_mut() {
            if let Poll::Ready(result) = work.poll_unpin(cx) {
                this.result = Some(result);
                this.work = None; // drops the sender: the channel ends once drained
            }
        }
        match this.events.poll_next_unpin(cx) {
            Poll::Ready(Some(event)) => Poll::Ready(Some(event)),
            // The work is pending and was polled above, so it will wake us.
            _ if this.work.is_some() => Poll::Pending,
            // The work is done and every event it sent was read.
            _ => Poll::Ready(None),
        }
    }
}
