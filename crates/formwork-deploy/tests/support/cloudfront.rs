//! A scripted CloudFront: `CreateInvalidation` records the distribution and
//! paths and answers `InProgress`; `GetInvalidation` answers `InProgress`
//! for a given number of reads, then `Completed`. Both are logged.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_sdk_cloudfront::operation::create_invalidation::CreateInvalidationOutput;
use aws_sdk_cloudfront::operation::get_invalidation::GetInvalidationOutput;
use aws_sdk_cloudfront::primitives::DateTime;
use aws_sdk_cloudfront::types::{Invalidation, InvalidationBatch, Paths};
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};

use super::CallLog;

/// The ID of every invalidation.
pub const INVALIDATION_ID: &str = "I2J3";

/// `(distribution id, paths)` of one `CreateInvalidation`.
pub type InvalidationRequest = (String, Vec<String>);

/// The client, its rules (for call counts) and the invalidations requested.
pub struct ScriptedCloudFront {
    pub client: aws_sdk_cloudfront::Client,
    pub create: Rule,
    pub get: Rule,
    created: Arc<Mutex<Vec<InvalidationRequest>>>,
}

impl ScriptedCloudFront {
    /// `(distribution id, paths)` of each `CreateInvalidation`.
    pub fn invalidations(&self) -> Vec<InvalidationRequest> {
        self.created.lock().unwrap().clone()
    }
}

fn invalidation(status: &str, paths: Vec<String>) -> Invalidation {
    Invalidation::builder()
        .id(INVALIDATION_ID)
        .status(status)
        .create_time(DateTime::from_secs(1_800_000_000))
        .invalidation_batch(
            InvalidationBatch::builder()
                .caller_reference("r")
                .paths(
                    Paths::builder()
                        .quantity(paths.len() as i32)
                        .set_items(Some(paths))
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// CloudFront whose invalidation is `InProgress` for `in_progress` reads,
/// then `Completed`, logging its calls to `log`.
pub fn scripted(in_progress: usize, log: &CallLog) -> ScriptedCloudFront {
    let created = Arc::new(Mutex::new(Vec::new()));
    let recorded = created.clone();
    let create_log = log.clone();
    let create =
        mock!(aws_sdk_cloudfront::Client::create_invalidation).then_compute_output(move |r| {
            let distribution = r.distribution_id().unwrap_or_default().to_owned();
            let paths: Vec<String> = r
                .invalidation_batch()
                .and_then(|b| b.paths())
                .map(|p| p.items().to_vec())
                .unwrap_or_default();
            create_log.push(format!("CreateInvalidation {distribution}"));
            recorded.lock().unwrap().push((distribution, paths.clone()));
            CreateInvalidationOutput::builder()
                .invalidation(invalidation("InProgress", paths))
                .build()
        });
    let reads = AtomicUsize::new(0);
    let get_log = log.clone();
    let get = mock!(aws_sdk_cloudfront::Client::get_invalidation).then_compute_output(move |r| {
        let n = reads.fetch_add(1, Ordering::SeqCst);
        let status = if n < in_progress {
            "InProgress"
        } else {
            "Completed"
        };
        get_log.push(format!(
            "GetInvalidation {} {} {status}",
            r.distribution_id().unwrap_or_default(),
            r.id().unwrap_or_default()
        ));
        GetInvalidationOutput::builder()
            .invalidation(invalidation(status, vec!["/*".into()]))
            .build()
    });
    let client = mock_client!(aws_sdk_cloudfront, RuleMode::MatchAny, &[&create, &get]);
    ScriptedCloudFront {
        client,
        create,
        get,
        created,
    }
}
