//! A scripted S3 bucket: `ListObjectsV2` lists the objects it was given,
//! `HeadObject` returns their headers, and every `PutObject` is recorded
//! (key, body, headers) and logged.

use std::sync::{Arc, Mutex};

use aws_sdk_s3::operation::head_object::HeadObjectOutput;
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output;
use aws_sdk_s3::operation::put_object::PutObjectOutput;
use aws_sdk_s3::types::Object;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};

use super::{sha256_hex, CallLog};

/// An object in the bucket before the deploy.
#[derive(Clone, Debug)]
pub struct Existing {
    pub key: String,
    pub body: Vec<u8>,
    pub content_type: String,
    pub cache_control: Option<String>,
}

impl Existing {
    /// An object with `body`, written by a formwork deploy (its SHA-256 in
    /// the metadata) with these headers.
    pub fn new(key: &str, body: &[u8], content_type: &str, cache_control: Option<&str>) -> Self {
        Existing {
            key: key.into(),
            body: body.to_vec(),
            content_type: content_type.into(),
            cache_control: cache_control.map(str::to_owned),
        }
    }
}

/// One `PutObject` request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Put {
    pub bucket: String,
    pub key: String,
    /// The body (the deploy sends bodies from memory).
    pub body: Vec<u8>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    /// `x-amz-meta-formwork-sha256`.
    pub sha256: Option<String>,
}

/// What a second deploy finds after this put: the same object.
impl From<&Put> for Existing {
    fn from(put: &Put) -> Self {
        Existing {
            key: put.key.clone(),
            body: put.body.clone(),
            content_type: put.content_type.clone().unwrap_or_default(),
            cache_control: put.cache_control.clone(),
        }
    }
}

/// The client, its `PutObject` rule (for call counts) and the puts recorded.
pub struct ScriptedS3 {
    pub client: aws_sdk_s3::Client,
    pub put: Rule,
    puts: Arc<Mutex<Vec<Put>>>,
}

impl ScriptedS3 {
    /// The `PutObject` requests, in the order they were made.
    pub fn puts(&self) -> Vec<Put> {
        self.puts.lock().unwrap().clone()
    }
}

/// S3 whose bucket holds `existing`, logging its calls to `log`.
pub fn scripted(existing: Vec<Existing>, log: &CallLog) -> ScriptedS3 {
    let listed = existing.clone();
    let list_log = log.clone();
    let list = mock!(aws_sdk_s3::Client::list_objects_v2).then_compute_output(move |req| {
        list_log.push(format!(
            "ListObjectsV2 {}",
            req.bucket().unwrap_or_default()
        ));
        let mut out = ListObjectsV2Output::builder().is_truncated(false);
        for o in &listed {
            out = out.contents(
                Object::builder()
                    .key(&o.key)
                    .size(o.body.len() as i64)
                    .build(),
            );
        }
        out.build()
    });
    let heads: Vec<Rule> = existing
        .into_iter()
        .map(|o| {
            let key = o.key.clone();
            let head_log = log.clone();
            mock!(aws_sdk_s3::Client::head_object)
                .match_requests(move |r| r.key() == Some(key.as_str()))
                .then_output(move || {
                    head_log.push(format!("HeadObject {}", o.key));
                    HeadObjectOutput::builder()
                        .metadata(formwork_deploy::SHA256_METADATA, sha256_hex(&o.body))
                        .content_type(&o.content_type)
                        .set_cache_control(o.cache_control.clone())
                        .build()
                })
        })
        .collect();
    let puts = Arc::new(Mutex::new(Vec::new()));
    let recorded = puts.clone();
    let put_log = log.clone();
    let put = mock!(aws_sdk_s3::Client::put_object).then_compute_output(move |req| {
        let key = req.key().unwrap_or_default().to_owned();
        put_log.push(format!("PutObject {key}"));
        recorded.lock().unwrap().push(Put {
            bucket: req.bucket().unwrap_or_default().to_owned(),
            key,
            body: req.body().bytes().map(<[u8]>::to_vec).unwrap_or_default(),
            content_type: req.content_type().map(str::to_owned),
            cache_control: req.cache_control().map(str::to_owned),
            sha256: req
                .metadata()
                .and_then(|m| m.get(formwork_deploy::SHA256_METADATA))
                .cloned(),
        });
        PutObjectOutput::builder().build()
    });
    let mut rules: Vec<&Rule> = vec![&list, &put];
    rules.extend(heads.iter());
    let client = mock_client!(aws_sdk_s3, RuleMode::MatchAny, &rules);
    ScriptedS3 { client, put, puts }
}
