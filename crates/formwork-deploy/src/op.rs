//! [`Operation`]: a stream of typed events that ends in a typed result.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
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
/// waiting at once (calls in flight are abandoned); it does not cancel
/// anything that CloudFormation is doing.
#[must_use = "an operation does nothing unless polled"]
pub struct Operation<T> {
    events: mpsc::UnboundedReceiver<DeployEvent>,
    work: Option<BoxFuture<'static, Result<T, DeployError>>>,
    result: Option<Result<T, DeployError>>,
    doing: Doing,
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

/// What each stack of an operation is doing now, in words
/// (`"creating the change set (CreateChangeSet)"`), kept current by the work.
pub(crate) type Doing = Arc<Mutex<BTreeMap<String, String>>>;

/// The sending side handed to the work future.
#[derive(Clone, Debug)]
pub(crate) struct Emitter {
    tx: mpsc::UnboundedSender<DeployEvent>,
    doing: Doing,
}

impl Emitter {
    /// An emitter that sends to `tx`.
    #[cfg(test)]
    pub(crate) fn new(tx: mpsc::UnboundedSender<DeployEvent>) -> Self {
        Emitter {
            tx,
            doing: Doing::default(),
        }
    }

    /// Reports an event; a dropped receiver is not an error.
    pub(crate) fn emit(&self, event: DeployEvent) {
        tracing::debug!(?event, "deploy event");
        if let Some(now) = event.doing() {
            self.set_doing(event.stack(), now);
        }
        let _ = self.tx.unbounded_send(event);
    }

    /// Records what a stack is doing, for a timeout or an interruption to report.
    pub(crate) fn set_doing(&self, stack: &str, what: impl Into<String>) {
        if let Ok(mut map) = self.doing.lock() {
            map.insert(stack.to_string(), what.into());
        }
    }

    /// What a stack was last doing.
    pub(crate) fn doing(&self, stack: &str) -> String {
        self.doing
            .lock()
            .ok()
            .and_then(|m| m.get(stack).cloned())
            .unwrap_or_else(|| "not started".into())
    }
}

/// How [`Operation::run_until`] ended.
#[derive(Debug)]
pub enum Finished<T> {
    /// The operation ended with this result.
    Done(Result<T, DeployError>),
    /// The cancel future fired first: waiting stopped at once. Nothing was
    /// cancelled in CloudFormation.
    Interrupted {
        /// Per stack that had started, what it was doing (e.g. `"executing
        /// the change set: UPDATE_IN_PROGRESS"`), from the operation's own
        /// record: no AWS call is made after the interruption.
        doing: Vec<(String, String)>,
    },
}

impl<T: Send + 'static> Operation<T> {
    /// Builds an operation from the work to do, given an emitter.
    pub(crate) fn new<F, Fut>(work: F) -> Self
    where
        F: FnOnce(Emitter) -> Fut,
        Fut: std::future::Future<Output = Result<T, DeployError>> + Send + 'static,
    {
        let (tx, rx) = mpsc::unbounded();
        let doing = Doing::default();
        let emitter = Emitter {
            tx,
            doing: doing.clone(),
        };
        Operation {
            events: rx,
            work: Some(work(emitter).boxed()),
            result: None,
            doing,
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

    /// What each started stack is doing now, in words.
    pub fn doing(&self) -> Vec<(String, String)> {
        self.doing
            .lock()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// Runs the operation, passing each event to `on_event`, until it ends
    /// or `cancel` completes (Ctrl-C, SIGTERM, a deadline...). On
    /// cancellation the work is dropped at once, so the return is prompt
    /// even when a call is stalled.
    pub async fn run_until<C: Future>(
        mut self,
        cancel: C,
        mut on_event: impl FnMut(&DeployEvent),
    ) -> Finished<T> {
        tokio::pin!(cancel);
        loop {
            tokio::select! {
                event = self.next() => match event {
                    Some(event) => on_event(&event),
                    None => break,
                },
                _ = &mut cancel => {
                    let doing = self.doing();
                    drop(self);
                    return Finished::Interrupted { doing };
                }
            }
        }
        Finished::Done(self.output().await)
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
