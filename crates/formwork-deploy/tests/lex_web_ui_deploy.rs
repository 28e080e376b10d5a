//! The deploy of the lex-web-ui example, end to end, with scripted AWS
//! responses (aws-smithy-mocks): moto cannot create Lex or CloudFront
//! resources through CloudFormation (docs/ARCHITECTURE.md §7).
//!
//! The example's stack (`examples/lex-web-ui.rs`, included as the snapshot
//! tests include it) is synthesized to a cloud assembly and read back with
//! [`stack_specs`], as `formwork deploy` does; then it is deployed
//! against a CloudFormation where it does not exist yet, an empty bucket,
//! and CloudFront. Asserted (ARCHITECTURE §6, step 8): the stack is
//! created, then every file of the site and the generated `config.json`
//! (made of the stack's outputs) are uploaded, then the distribution is
//! invalidated, in that order. A second deploy of the unchanged stack,
//! with the bucket holding what the first one wrote, uploads nothing and
//! invalidates nothing.
//!
//! Every output of the synthesized template gets a plausible value from
//! its expression (a `Ref` to an identity pool is a region-prefixed GUID,
//! ...), so the test knows no output names: it checks that `config.json`
//! holds the values of the right resources.
//!
//! It lives here rather than in the root package so that the root's
//! examples (the README's first command) do not compile the AWS SDK test
//! crates as dev-dependencies; the example takes its page's folder as an
//! argument.

#[path = "../../../examples/lex-web-ui.rs"]
mod example;
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use formwork::cli::stack_specs;
use formwork::App;
use formwork_deploy::{deploy_stack, Clients, DeployEvent, DeployOutcome, StackSpec};
use serde_json::{json, Value};
use support::cloudformation::{change, Fake, Row, Step};
use support::cloudfront::INVALIDATION_ID;
use support::s3::{Existing, Put};
use support::{cloudfront, collect, s3, sha256_hex, yes, CallLog};

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";
/// What `Ref` of each resource type returns, as AWS makes them.
const IDENTITY_POOL_ID: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const BOT_ID: &str = "BOTID7QX2K";
const BOT_ALIAS_ID: &str = "ALIAS4ZP9M";
const DISTRIBUTION_ID: &str = "E2QWRUHEXAMPLE";
/// The bot's locale (a literal in the template).
const LOCALE: &str = "en_US";

/// The page's files.
fn site_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lex-web-ui/site")
}

/// The example's stack, synthesized to a cloud assembly in `dir` and read
/// back as `formwork deploy` reads it.
fn synthesized(dir: &Path) -> StackSpec {
    let app = App::new();
    example::lex_web_ui(&app, &site_dir()).unwrap();
    app.synth().unwrap().write(dir).unwrap();
    let mut specs = stack_specs(dir).unwrap();
    assert_eq!(specs.len(), 1, "one stack");
    let spec = specs.remove(0);
    assert_eq!(spec.deployments.len(), 1, "one bucket deployment");
    let t = template(&spec);
    for ty in [
        "AWS::CloudFront::Distribution",
        "AWS::Cognito::IdentityPool",
        "AWS::Lex::Bot",
        "AWS::Lex::BotAlias",
    ] {
        only(&t, ty);
    }
    spec
}

fn template(spec: &StackSpec) -> Value {
    serde_json::from_str(&spec.template_body).unwrap()
}

/// Asserts that the template has one resource of type `ty`, so that the
/// value [`physical_id`] gives that type names it alone.
fn only(template: &Value, ty: &str) {
    let ids: Vec<&String> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == ty)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids.len(), 1, "one {ty}: {ids:?}");
}

/// The name of the bucket the distribution serves (its only origin).
fn site_bucket(stack: &str, template: &Value) -> String {
    let distribution = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::CloudFront::Distribution")
        .unwrap();
    let origins = distribution["Properties"]["DistributionConfig"]["Origins"]
        .as_array()
        .unwrap();
    assert_eq!(origins.len(), 1, "{origins:?}");
    let domain = &origins[0]["DomainName"]["Fn::GetAtt"];
    assert_eq!(domain[1], "RegionalDomainName", "{origins:?}");
    physical_id(stack, template, domain[0].as_str().unwrap())
}

/// What `Ref` of the resource `logical` returns.
fn physical_id(stack: &str, template: &Value, logical: &str) -> String {
    let ty = template["Resources"][logical]["Type"]
        .as_str()
        .unwrap_or_else(|| panic!("no resource {logical}"));
    match ty {
        "AWS::Cognito::IdentityPool" => IDENTITY_POOL_ID.into(),
        "AWS::Lex::Bot" => BOT_ID.into(),
        "AWS::CloudFront::Distribution" => DISTRIBUTION_ID.into(),
        // As CloudFormation names them: <stack>-<logical id>-<random>, lowercase.
        "AWS::S3::Bucket" => format!("{stack}-{logical}-1q2w3e4r5t6y").to_lowercase(),
        // Any other resource: a name-like ID.
        _ => format!("{stack}-{logical}-1A2B3C4D5E6F"),
    }
}

/// What `Fn::GetAtt` of the resource `logical` returns.
fn attribute(stack: &str, template: &Value, logical: &str, attr: &str) -> String {
    let ty = template["Resources"][logical]["Type"]
        .as_str()
        .unwrap_or_default();
    match (ty, attr) {
        ("AWS::Lex::BotAlias", "BotAliasId") => BOT_ALIAS_ID.into(),
        ("AWS::Lex::BotVersion", "BotVersion") => "1".into(),
        ("AWS::CloudFront::Distribution", "DomainName") => "d111111abcdef8.cloudfront.net".into(),
        (_, "Arn") => {
            let service = ty.split("::").nth(1).unwrap_or_default().to_lowercase();
            format!("arn:aws:{service}:{REGION}:{ACCOUNT}:{logical}")
        }
        _ => format!("{}.{attr}", physical_id(stack, template, logical)),
    }
}

/// The value CloudFormation would show for an output whose `Value` is `expr`.
fn plausible(stack: &str, template: &Value, expr: &Value) -> String {
    match expr {
        Value::String(s) => s.clone(),
        Value::Object(o) if o.len() == 1 => {
            let (function, arg) = o.iter().next().unwrap();
            match (function.as_str(), arg) {
                ("Ref", Value::String(name)) => match name.as_str() {
                    "AWS::Region" => REGION.into(),
                    "AWS::AccountId" => ACCOUNT.into(),
                    "AWS::Partition" => "aws".into(),
                    "AWS::URLSuffix" => "amazonaws.com".into(),
                    "AWS::StackName" => stack.into(),
                    logical => physical_id(stack, template, logical),
                },
                ("Fn::GetAtt", Value::Array(a)) => attribute(
                    stack,
                    template,
                    a[0].as_str().unwrap(),
                    a[1].as_str().unwrap(),
                ),
                ("Fn::Join", Value::Array(a)) => a[1]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|part| plausible(stack, template, part))
                    .collect::<Vec<_>>()
                    .join(a[0].as_str().unwrap()),
                _ => panic!("output value {expr}: plausible() does not know this form"),
            }
        }
        _ => panic!("output value {expr}: plausible() does not know this form"),
    }
}

/// Every output of the template, with a plausible value.
fn outputs(spec: &StackSpec) -> Vec<(String, String)> {
    let t = template(spec);
    t["Outputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, o)| (name.clone(), plausible(&spec.stack_name, &t, &o["Value"])))
        .collect()
}

/// A leaked copy: the fake's event rows hold `&'static str`s, and the
/// logical IDs come from the synthesized template (a few short strings per test).
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// A CloudFormation where the stack does not exist: the change set adds
/// every resource, and executing it creates them all, then the stack is
/// `CREATE_COMPLETE` with its outputs.
fn new_stack(spec: &StackSpec, log: &CallLog) -> Fake {
    let t = template(spec);
    let resources: Vec<(&'static str, &'static str)> = t["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, r)| (leak(id), leak(r["Type"].as_str().unwrap())))
        .collect();
    let rows = |status: &'static str| -> Vec<Row> {
        resources
            .iter()
            .map(|(id, ty)| (*id, *ty, status, None))
            .collect()
    };
    let stack = leak(&spec.stack_name);
    let stack_row = |status: &'static str| (stack, "AWS::CloudFormation::Stack", status, None);
    let outputs = outputs(spec);
    Fake::with(|st| {
        st.set_stack(&spec.stack_name);
        st.calls = log.clone();
        st.change_set = (
            "CREATE_COMPLETE".into(),
            None,
            resources
                .iter()
                .map(|(id, ty)| change("Add", id, ty))
                .collect(),
        );
        let mut in_progress = vec![stack_row("CREATE_IN_PROGRESS")];
        in_progress.extend(rows("CREATE_IN_PROGRESS"));
        let mut complete = rows("CREATE_COMPLETE");
        complete.push(stack_row("CREATE_COMPLETE"));
        st.on_execute = vec![
            Step {
                status: "CREATE_IN_PROGRESS",
                events: in_progress,
                ..Default::default()
            },
            Step {
                status: "CREATE_COMPLETE",
                events: complete,
                resources: Some(rows("CREATE_COMPLETE")),
                outputs: Some(outputs),
            },
        ];
    })
}

/// A CloudFormation where the stack is deployed with this very template.
fn deployed_stack(spec: &StackSpec, log: &CallLog) -> Fake {
    let outputs = outputs(spec);
    Fake::with(|st| {
        st.set_stack(&spec.stack_name);
        st.calls = log.clone();
        st.status = Some("CREATE_COMPLETE".into());
        st.template = Some(spec.template_body.clone());
        st.outputs = outputs;
    })
}

/// The Content-Type a browser needs for each kind of file the page has.
fn expected_content_type(key: &str) -> &'static str {
    match key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        _ => panic!("{key}: no expected Content-Type; add its extension here"),
    }
}

/// The index of the first event matching `f`.
fn position(events: &[DeployEvent], f: impl Fn(&DeployEvent) -> bool) -> usize {
    events
        .iter()
        .position(f)
        .unwrap_or_else(|| panic!("no such event in {events:#?}"))
}

/// Creates the stack into an empty bucket; returns what was put.
async fn first_deploy(spec: &StackSpec) -> Vec<Put> {
    let log = CallLog::default();
    let fake = new_stack(spec, &log);
    let s3 = s3::scripted(Vec::new(), &log);
    let cf = cloudfront::scripted(1, &log);
    let clients = Clients::new(fake.cloudformation(&[]), s3.client.clone(), REGION)
        .with_cloudfront(cf.client.clone());
    let (events, result) = collect(deploy_stack(clients, spec.clone(), yes())).await;
    let out = result.unwrap();
    assert_eq!(out.outcome, DeployOutcome::Deployed);
    assert_eq!(out.status, "CREATE_COMPLETE");
    // A new stack: a CREATE change set, with the IAM capability its roles need.
    assert!(
        log.calls()
            .contains(&r#"CreateChangeSet CREATE ["CAPABILITY_IAM"]"#.to_string()),
        "{:?}",
        log.calls()
    );

    // Every file of the site, with its Content-Type, in the bucket the
    // stack created; nothing else but config.json.
    let puts = s3.puts();
    let site: Vec<(String, Vec<u8>)> = std::fs::read_dir(site_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    assert!(site.len() >= 2, "the site has its files: {site:?}");
    let bucket = site_bucket(&spec.stack_name, &template(spec));
    assert!(
        puts.iter().all(|p| p.bucket == bucket),
        "{bucket}: {puts:#?}"
    );
    let mut keys: Vec<&str> = puts.iter().map(|p| p.key.as_str()).collect();
    keys.sort();
    let mut wanted: Vec<&str> = site.iter().map(|(k, _)| k.as_str()).collect();
    wanted.push("config.json");
    wanted.sort();
    assert_eq!(keys, wanted, "each file put once");
    for (key, body) in &site {
        let put = puts.iter().find(|p| &p.key == key).unwrap();
        assert_eq!(&put.body, body, "{key}");
        assert_eq!(
            put.content_type.as_deref(),
            Some(expected_content_type(key)),
            "{key}"
        );
        assert_eq!(
            put.sha256.as_deref(),
            Some(sha256_hex(body).as_str()),
            "{key}"
        );
    }

    // Cache-Control: each key's, as the deployment's rules say (first match).
    let rules = &spec.deployments[0].cache_control;
    assert!(!rules.is_empty(), "the example sets Cache-Control rules");
    for put in &puts {
        let wanted = rules
            .iter()
            .find(|r| formwork_deploy::glob_match(&r.pattern, &put.key))
            .map(|r| r.value.clone())
            .or_else(|| spec.deployments[0].default_cache_control.clone());
        assert_eq!(put.cache_control, wanted, "{}", put.key);
    }

    // config.json: the values of the stack's resources, from its outputs.
    let config = puts.iter().find(|p| p.key == "config.json").unwrap();
    assert_eq!(
        config.content_type.as_deref(),
        Some(expected_content_type("config.json"))
    );
    let config_json: Value = serde_json::from_slice(&config.body).unwrap();
    assert_eq!(
        config_json,
        json!({
            "region": REGION,
            "identityPoolId": IDENTITY_POOL_ID,
            "botId": BOT_ID,
            "botAliasId": BOT_ALIAS_ID,
            "localeId": LOCALE,
        })
    );
    // The same values as the stack reported.
    let reported: BTreeMap<String, String> = outputs(spec).into_iter().collect();
    assert_eq!(out.outputs, reported);

    // One invalidation, of the stack's distribution, of everything; waited
    // for until it completed.
    assert_eq!(
        cf.invalidations(),
        [(DISTRIBUTION_ID.to_string(), vec!["/*".to_string()])]
    );
    assert_eq!(cf.get.num_calls(), 2, "{:?}", log.calls());
    assert_eq!(
        out.deployments[0].invalidation_id.as_deref(),
        Some(INVALIDATION_ID)
    );

    // The order: the stack is complete, then the files are put, then the
    // distribution is invalidated (typed events)...
    let stack_done = position(
        &events,
        |e| matches!(e, DeployEvent::StackDone { status, .. } if status == "CREATE_COMPLETE"),
    );
    let first_upload = position(&events, |e| matches!(e, DeployEvent::ObjectUploaded { .. }));
    let last_upload = events
        .iter()
        .rposition(|e| matches!(e, DeployEvent::ObjectUploaded { .. }))
        .unwrap();
    let invalidated = position(&events, |e| {
        matches!(e, DeployEvent::InvalidationCreated { distribution_id, .. }
            if distribution_id == DISTRIBUTION_ID)
    });
    let completed = position(&events, |e| {
        matches!(e, DeployEvent::InvalidationCompleted { .. })
    });
    assert!(
        stack_done < first_upload && last_upload < invalidated && invalidated < completed,
        "{events:#?}"
    );
    // ...and so are the calls made: nothing is put before the change set
    // was executed and the stack was seen complete, the invalidation
    // follows the last put, and is read until it is Completed.
    let calls = log.calls();
    let at = |prefix: &str| {
        log.first(prefix)
            .unwrap_or_else(|| panic!("no {prefix} in {calls:?}"))
    };
    let executed = at("ExecuteChangeSet");
    let first_s3 = at("ListObjectsV2");
    // The fake answers the two steps of its script (CREATE_IN_PROGRESS,
    // then CREATE_COMPLETE) to the first two DescribeStacks after the
    // execution: S3 is touched only after both.
    let described = calls[executed..first_s3]
        .iter()
        .filter(|c| *c == "DescribeStacks")
        .count();
    assert!(described >= 2, "{calls:?}");
    assert!(first_s3 < at("PutObject"), "{calls:?}");
    assert!(
        log.last("PutObject").unwrap() < at("CreateInvalidation"),
        "{calls:?}"
    );
    assert_eq!(
        calls.last().map(String::as_str),
        Some(format!("GetInvalidation {DISTRIBUTION_ID} {INVALIDATION_ID} Completed").as_str()),
        "{calls:?}"
    );
    puts
}

#[tokio::test(start_paused = true)]
async fn a_new_stack_is_created_then_its_page_uploaded_then_its_distribution_invalidated() {
    let dir = tempfile::tempdir().unwrap();
    let spec = synthesized(&dir.path().join("cdk.out"));
    first_deploy(&spec).await;
}

#[tokio::test(start_paused = true)]
async fn an_unchanged_stack_and_bucket_upload_nothing_and_invalidate_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = synthesized(&dir.path().join("cdk.out"));
    // The bucket holds what the first deploy wrote.
    let existing: Vec<Existing> = first_deploy(&spec)
        .await
        .iter()
        .map(Existing::from)
        .collect();

    let log = CallLog::default();
    let fake = deployed_stack(&spec, &log);
    let s3 = s3::scripted(existing.clone(), &log);
    let cf = cloudfront::scripted(0, &log);
    let clients = Clients::new(fake.cloudformation(&[]), s3.client.clone(), REGION)
        .with_cloudfront(cf.client.clone());
    let (events, result) = collect(deploy_stack(clients, spec.clone(), yes())).await;
    let out = result.unwrap();
    assert_eq!(out.outcome, DeployOutcome::Skipped);
    assert!(
        !log.calls().iter().any(|c| c.starts_with("CreateChangeSet")),
        "{:?}",
        log.calls()
    );
    // Every object was compared, none put, no invalidation.
    assert_eq!(out.deployments[0].unchanged, existing.len());
    assert!(out.deployments[0].uploaded.is_empty());
    assert_eq!(s3.put.num_calls(), 0);
    assert_eq!(cf.create.num_calls(), 0);
    assert_eq!(cf.get.num_calls(), 0);
    assert_eq!(out.deployments[0].invalidation_id, None);
    assert!(!events.iter().any(|e| matches!(
        e,
        DeployEvent::ObjectUploaded { .. } | DeployEvent::InvalidationCreated { .. }
    )));
}
