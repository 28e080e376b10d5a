//! Bucket deployments.
//!
//! `against_moto` (run only when `FORMWORK_MOTO_ENDPOINT` is set, like
//! `tests/moto.rs`): a stack with a bucket is deployed with a deployment of
//! a folder and a generated `config.json`; then one file is changed (exactly
//! it is uploaded), one removed (it is deleted), and a last deploy uploads
//! nothing. Asserted through the S3 API and the typed events.
//!
//! The CloudFront tests use scripted responses (aws-smithy-mocks), because
//! moto cannot create distributions through CloudFormation:
//! `CreateInvalidation` is called once when files changed, never when
//! nothing changed, and the wait for it is bounded.

use std::path::Path;
use std::time::Duration;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::Credentials;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use formwork_deploy::{
    deploy_stack, BucketDeploymentSpec, CacheControlRule, Clients, DeployError, DeployEvent,
    DeployOptions, DeployOutput, GeneratedFileSpec, GeneratedValue, ObjectChange, StackSpec,
};
use serde_json::json;
use support::s3::Existing;
use support::{cloudfront, collect, s3, yes, CallLog};

mod support;

fn uploaded(events: &[DeployEvent]) -> Vec<(String, ObjectChange)> {
    let mut keys: Vec<(String, ObjectChange)> = events
        .iter()
        .filter_map(|e| match e {
            DeployEvent::ObjectUploaded { key, change, .. } => Some((key.clone(), *change)),
            _ => None,
        })
        .collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys
}

fn deleted(events: &[DeployEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            DeployEvent::ObjectDeleted { key, .. } => Some(key.clone()),
            _ => None,
        })
        .collect()
}

fn deployment(source: &Path, distribution: bool) -> BucketDeploymentSpec {
    BucketDeploymentSpec {
        path: "SiteStack/Deploy".into(),
        sources: vec![source.to_path_buf()],
        destination_bucket_name_output: "DeployDestinationBucketName".into(),
        destination_key_prefix: "web".into(),
        prune: true,
        distribution_id_output: distribution.then(|| "DeployDistributionId".into()),
        distribution_paths: vec!["/*".into()],
        cache_control: vec![CacheControlRule {
            pattern: "*.html".into(),
            value: "no-cache".into(),
        }],
        default_cache_control: None,
        generated_files: vec![GeneratedFileSpec {
            key: "config.json".into(),
            json: vec![GeneratedValue {
                name: "bucketName".into(),
                output: "DeployFile0Value0".into(),
            }],
        }],
    }
}

fn write(dir: &Path, rel: &str, content: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, content).unwrap();
}

#[tokio::test]
async fn against_moto() {
    let Ok(endpoint) = std::env::var("FORMWORK_MOTO_ENDPOINT") else {
        eprintln!("skipped: FORMWORK_MOTO_ENDPOINT is not set (see tests/moto.rs)");
        return;
    };
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .http_client(formwork_deploy::http_client())
        .load()
        .await;
    let clients = Clients::from_config(&config);
    let s3 = clients.s3.clone();
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "index.html", "<h1>one</h1>");
    write(site.path(), "app.js", "console.log(1)");
    write(site.path(), "css/site.css", "h1{}");
    let stack_name = format!("FormworkBucketDeploy{}", std::process::id());
    let template = json!({
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {
            "DeployDestinationBucketName": {"Value": {"Ref": "Bucket"}},
            "DeployFile0Value0": {"Value": {"Ref": "Bucket"}}
        }
    });
    let spec = StackSpec {
        stack_name: stack_name.clone(),
        template_body: serde_json::to_string_pretty(&template).unwrap(),
        deployments: vec![deployment(site.path(), false)],
        ..Default::default()
    };

    // 1. The stack is created; every file is new.
    let (events, result) = collect(deploy_stack(clients.clone(), spec.clone(), yes())).await;
    let out: DeployOutput = result.unwrap();
    let bucket = out.deployments[0].bucket.clone();
    let new = |k: &str| (k.to_string(), ObjectChange::New);
    assert_eq!(
        uploaded(&events),
        [
            new("web/app.js"),
            new("web/config.json"),
            new("web/css/site.css"),
            new("web/index.html")
        ]
    );
    let listed = list(&s3, &bucket).await;
    assert_eq!(
        listed,
        [
            "web/app.js",
            "web/config.json",
            "web/css/site.css",
            "web/index.html"
        ]
    );
    let config_json = get(&s3, &bucket, "web/config.json").await;
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&config_json).unwrap(),
        json!({"bucketName": bucket})
    );
    let head = s3
        .head_object()
        .bucket(&bucket)
        .key("web/index.html")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("text/html; charset=utf-8"));
    assert_eq!(head.cache_control(), Some("no-cache"));
    assert_eq!(get(&s3, &bucket, "web/index.html").await, b"<h1>one</h1>");

    // 2. One file changed: exactly it is uploaded (the stack is unchanged).
    write(site.path(), "index.html", "<h1>two</h1>");
    let (events, result) = collect(deploy_stack(clients.clone(), spec.clone(), yes())).await;
    result.unwrap();
    assert!(events
        .iter()
        .any(|e| matches!(e, DeployEvent::Skipped { .. })));
    assert_eq!(
        uploaded(&events),
        [("web/index.html".to_string(), ObjectChange::Changed)]
    );
    assert!(deleted(&events).is_empty());
    assert_eq!(get(&s3, &bucket, "web/index.html").await, b"<h1>two</h1>");

    // 3. One file removed: it is deleted, nothing uploaded.
    std::fs::remove_file(site.path().join("app.js")).unwrap();
    let (events, result) = collect(deploy_stack(clients.clone(), spec.clone(), yes())).await;
    result.unwrap();
    assert!(uploaded(&events).is_empty());
    assert_eq!(deleted(&events), ["web/app.js"]);
    assert_eq!(
        list(&s3, &bucket).await,
        ["web/config.json", "web/css/site.css", "web/index.html"]
    );

    // 4. Nothing changed: nothing uploaded, nothing deleted.
    let (events, result) = collect(deploy_stack(clients.clone(), spec.clone(), yes())).await;
    let out = result.unwrap();
    assert!(uploaded(&events).is_empty());
    assert!(deleted(&events).is_empty());
    assert_eq!(out.deployments[0].unchanged, 3);

    // An object outside the prefix is never pruned.
    s3.put_object()
        .bucket(&bucket)
        .key("other/keep.txt")
        .body(Vec::from(&b"x"[..]).into())
        .send()
        .await
        .unwrap();
    let (events, result) = collect(deploy_stack(clients.clone(), spec, yes())).await;
    result.unwrap();
    assert!(deleted(&events).is_empty());
    assert!(list(&s3, &bucket)
        .await
        .contains(&"other/keep.txt".to_string()));
}

async fn list(s3: &aws_sdk_s3::Client, bucket: &str) -> Vec<String> {
    let out = s3.list_objects_v2().bucket(bucket).send().await.unwrap();
    let mut keys: Vec<String> = out
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect();
    keys.sort();
    keys
}

async fn get(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> Vec<u8> {
    let out = s3
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .unwrap();
    out.body.collect().await.unwrap().into_bytes().to_vec()
}

// ---------------------------------------------------------------------------
// CloudFront, with scripted responses.

const STACK: &str = "SiteStack";
const STACK_ID: &str = "arn:aws:cloudformation:us-east-1:123456789012:stack/SiteStack/1111";

fn template() -> serde_json::Value {
    json!({
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {
            "DeployDestinationBucketName": {"Value": {"Ref": "Bucket"}},
            "DeployDistributionId": {"Value": "E123"},
            "DeployFile0Value0": {"Value": {"Ref": "Bucket"}}
        }
    })
}

/// A deployed stack whose template equals the local one: the deploy skips
/// it and goes on to its bucket deployment.
fn cloudformation() -> aws_sdk_cloudformation::Client {
    use aws_sdk_cloudformation::operation::describe_stacks::DescribeStacksOutput;
    use aws_sdk_cloudformation::operation::get_template::GetTemplateOutput;
    use aws_sdk_cloudformation::primitives::DateTime;
    use aws_sdk_cloudformation::types::{Output, Stack, StackStatus};
    let describe = mock!(aws_sdk_cloudformation::Client::describe_stacks).then_output(|| {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name(STACK)
                    .stack_id(STACK_ID)
                    .creation_time(DateTime::from_secs(1_800_000_000))
                    .stack_status(StackStatus::CreateComplete)
                    .outputs(
                        Output::builder()
                            .output_key("DeployDestinationBucketName")
                            .output_value("site-bucket")
                            .build(),
                    )
                    .outputs(
                        Output::builder()
                            .output_key("DeployDistributionId")
                            .output_value("E123")
                            .build(),
                    )
                    .outputs(
                        Output::builder()
                            .output_key("DeployFile0Value0")
                            .output_value("site-bucket")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let get_template = mock!(aws_sdk_cloudformation::Client::get_template).then_output(|| {
        GetTemplateOutput::builder()
            .template_body(serde_json::to_string(&template()).unwrap())
            .build()
    });
    mock_client!(
        aws_sdk_cloudformation,
        RuleMode::MatchAny,
        &[&describe, &get_template]
    )
}

fn spec(site: &Path) -> StackSpec {
    StackSpec {
        stack_name: STACK.into(),
        template_body: serde_json::to_string_pretty(&template()).unwrap(),
        deployments: vec![deployment(site, true)],
        ..Default::default()
    }
}

#[tokio::test(start_paused = true)]
async fn changed_files_invalidate_the_distribution_once() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "index.html", "<h1>hi</h1>");
    let log = CallLog::default();
    let s3 = s3::scripted(Vec::new(), &log);
    let cf = cloudfront::scripted(2, &log);
    let clients = Clients::new(cloudformation(), s3.client.clone(), "us-east-1")
        .with_cloudfront(cf.client.clone());
    let (events, result) = collect(deploy_stack(clients, spec(site.path()), yes())).await;
    let out = result.unwrap();
    assert_eq!(s3.put.num_calls(), 2); // index.html and config.json
    assert_eq!(
        cf.invalidations(),
        [("E123".to_string(), vec!["/*".to_string()])]
    );
    assert_eq!(cf.get.num_calls(), 3);
    // The files are in the bucket before the invalidation is made.
    assert!(
        log.last("PutObject") < log.first("CreateInvalidation"),
        "{:?}",
        log.calls()
    );
    assert_eq!(out.deployments[0].invalidation_id.as_deref(), Some("I2J3"));
    assert!(events.iter().any(|e| matches!(
        e,
        DeployEvent::InvalidationCreated { distribution_id, paths, .. }
            if distribution_id == "E123" && paths == &["/*"]
    )));
    assert!(events
        .iter()
        .any(|e| matches!(e, DeployEvent::InvalidationCompleted { .. })));
}

#[tokio::test(start_paused = true)]
async fn nothing_changed_means_no_upload_and_no_invalidation() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "index.html", "<h1>hi</h1>");
    let config = b"{\n  \"bucketName\": \"site-bucket\"\n}\n";
    let log = CallLog::default();
    let s3 = s3::scripted(
        vec![
            Existing::new(
                "web/index.html",
                b"<h1>hi</h1>",
                "text/html; charset=utf-8",
                Some("no-cache"),
            ),
            Existing::new(
                "web/config.json",
                config,
                "application/json; charset=utf-8",
                None,
            ),
        ],
        &log,
    );
    let cf = cloudfront::scripted(0, &log);
    let clients = Clients::new(cloudformation(), s3.client.clone(), "us-east-1")
        .with_cloudfront(cf.client.clone());
    let (events, result) = collect(deploy_stack(clients, spec(site.path()), yes())).await;
    let out = result.unwrap();
    assert_eq!(s3.put.num_calls(), 0);
    assert_eq!(cf.create.num_calls(), 0);
    assert_eq!(cf.get.num_calls(), 0);
    assert_eq!(out.deployments[0].unchanged, 2);
    assert_eq!(out.deployments[0].invalidation_id, None);
    assert!(uploaded(&events).is_empty());
}

#[tokio::test(start_paused = true)]
async fn the_wait_for_an_invalidation_is_bounded() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "index.html", "<h1>hi</h1>");
    let log = CallLog::default();
    let s3 = s3::scripted(Vec::new(), &log);
    let cf = cloudfront::scripted(usize::MAX, &log);
    let clients = Clients::new(cloudformation(), s3.client.clone(), "us-east-1")
        .with_cloudfront(cf.client.clone());
    let options = DeployOptions {
        invalidation_timeout: Some(Duration::from_secs(60)),
        ..yes()
    };
    let (_, result) = collect(deploy_stack(clients, spec(site.path()), options)).await;
    let err = result.unwrap_err();
    assert!(
        matches!(&err, DeployError::BucketDeployment { stack, deployment, message }
            if stack == STACK && deployment == "SiteStack/Deploy"
                && message.contains("invalidation I2J3 of distribution E123 is still InProgress")),
        "{err}"
    );
    assert_eq!(cf.create.num_calls(), 1);
    // Polled every 1-5 s for a minute, then given up.
    assert!(
        (5..=60).contains(&cf.get.num_calls()),
        "{}",
        cf.get.num_calls()
    );
}
