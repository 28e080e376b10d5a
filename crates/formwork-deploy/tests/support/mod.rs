//! Helpers shared by the deploy tests: the scripted-response ones
//! (aws-smithy-mocks: `scripted.rs`, `bucket.rs`, `lex_web_ui_deploy.rs`)
//! and, for [`collect`], `moto.rs`.
//!
//! - [`cloudformation::Fake`]: an in-memory CloudFormation answering every
//!   call from shared, scripted state;
//! - [`s3::scripted`]: S3 holding given objects and recording each `PutObject`;
//! - [`cloudfront::scripted`]: CloudFront whose invalidation completes after
//!   a given number of reads;
//! - [`CallLog`]: one log shared by the three, so a test can assert the
//!   order of calls across services.

// Each test crate uses a part of these helpers.
#![allow(dead_code)]

pub mod cloudformation;
pub mod cloudfront;
pub mod s3;

use std::sync::{Arc, Mutex};

use formwork_deploy::{DeployError, DeployEvent, DeployOptions, Operation, RequireApproval};
use futures::StreamExt;

/// The calls made to the scripted services, in order (`"PutObject index.html"`,
/// `"CreateInvalidation E123"`...). Clones share the log.
#[derive(Clone, Default, Debug)]
pub struct CallLog(Arc<Mutex<Vec<String>>>);

impl CallLog {
    /// Appends a call.
    pub fn push(&self, call: impl Into<String>) {
        self.0.lock().unwrap().push(call.into());
    }

    /// The calls so far.
    pub fn calls(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// The index of the first call starting with `prefix`.
    pub fn first(&self, prefix: &str) -> Option<usize> {
        self.calls().iter().position(|c| c.starts_with(prefix))
    }

    /// The index of the last call starting with `prefix`.
    pub fn last(&self, prefix: &str) -> Option<usize> {
        self.calls().iter().rposition(|c| c.starts_with(prefix))
    }
}

/// Runs an operation to its end: its events, then its output.
pub async fn collect<T: Send + 'static>(
    mut op: Operation<T>,
) -> (Vec<DeployEvent>, Result<T, DeployError>) {
    let mut events = Vec::new();
    while let Some(e) = op.next().await {
        events.push(e);
    }
    (events, op.output().await)
}

/// Deploy options that approve every change (no terminal in tests).
pub fn yes() -> DeployOptions {
    DeployOptions {
        require_approval: RequireApproval::Never,
        ..Default::default()
    }
}

/// The lowercase hex SHA-256 of `bytes`, as the deploy writes it to
/// `x-amz-meta-formwork-sha256`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
