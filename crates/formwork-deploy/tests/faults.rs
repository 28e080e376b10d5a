//! deploy, diff and destroy under faults, through a fault-injecting proxy
//! (`tests/fault_proxy`) on 127.0.0.1.
//!
//! The tests that need a working CloudFormation behind the proxy use moto
//! and are skipped (with a message) when `FORMWORK_MOTO_ENDPOINT` is unset,
//! like `tests/moto.rs`; the others (stalls and failures of the first call,
//! local checks, signals) need nothing and always run. They never reset
//! moto: each uses its own stack and parameter names, so they can run in
//! parallel with each other.
//!
//! Bounds such as "finished within 60 s" only prove that a hang is gone;
//! the timeouts they bound are of a few seconds.

mod fault_proxy;

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::Credentials;
use fault_proxy::{Fault, FaultProxy};
use formwork_deploy::{
    deploy_stack, deploy_stacks, destroy_stack, diff_stack, ClientTuning, Clients, DeployError,
    DeployOptions, DeployOutcome, DestroyOptions, Finished, RequireApproval, StackSpec,
};
use futures::FutureExt;
use serde_json::{json, Value};

/// Nothing listens here: a proxy in front of it can only fail or stall.
const NOWHERE: &str = "http://127.0.0.1:9";

fn moto() -> Option<String> {
    let endpoint = std::env::var("FORMWORK_MOTO_ENDPOINT").ok();
    if endpoint.is_none() {
        eprintln!("SKIPPED: FORMWORK_MOTO_ENDPOINT is not set; run crates/formwork-deploy/tests/moto.sh to run the moto tests");
    }
    endpoint
}

/// A stack name (and SSM parameter suffix) no other test uses.
fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{nanos:x}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// Short SDK timeouts and backoffs, so that each scenario takes seconds.
fn quick() -> ClientTuning {
    ClientTuning {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(2),
        attempt_timeout: Duration::from_secs(2),
        call_timeout: Duration::from_secs(5),
    }
}

/// Short backoffs, but timeouts long enough for a busy moto: for the
/// scenarios whose faults are not timeouts.
fn steady() -> ClientTuning {
    ClientTuning {
        attempt_timeout: Duration::from_secs(20),
        read_timeout: Duration::from_secs(20),
        call_timeout: Duration::from_secs(40),
        ..quick()
    }
}

/// SDK timeouts too long to matter: only `--timeout` can end a stall.
fn patient() -> ClientTuning {
    ClientTuning {
        attempt_timeout: Duration::from_secs(600),
        read_timeout: Duration::from_secs(600),
        call_timeout: Duration::from_secs(600),
        ..quick()
    }
}

async fn clients(endpoint: &str, tuning: ClientTuning) -> Clients {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .http_client(formwork_deploy::http_client())
        .load()
        .await;
    Clients::from_config_tuned(&config, &tuning)
}

/// A stack with one SSM parameter (which moto creates), named after the stack.
fn spec(name: &str) -> StackSpec {
    let t = json!({"Resources": {"Param": {"Type": "AWS::SSM::Parameter", "Properties": {
        "Name": format!("/formwork/faults/{name}"), "Type": "String", "Value": "v1"}}}});
    StackSpec {
        stack_name: name.into(),
        template_body: t.to_string(),
        construct_paths: HashMap::from([("Param".into(), format!("/{name}/Param/Resource"))]),
        ..Default::default()
    }
}

fn yes(timeout: Option<Duration>) -> DeployOptions {
    DeployOptions {
        require_approval: RequireApproval::Never,
        timeout,
        ..Default::default()
    }
}

/// Fails the test instead of hanging it: the bound is far above the
/// timeouts under test.
async fn within_a_minute<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: still running after 60 s: it hangs"))
}

async fn stack_status(endpoint: &str, name: &str) -> Option<String> {
    let c = clients(endpoint, quick()).await;
    match c
        .cloudformation
        .describe_stacks()
        .stack_name(name)
        .send()
        .await
    {
        Ok(out) => out.stacks()[0]
            .stack_status()
            .map(|s| s.as_str().to_string()),
        Err(e) => {
            let text = format!("{e:?}");
            assert!(text.contains("does not exist"), "{text}");
            None
        }
    }
}

async fn ssm_value(endpoint: &str, name: &str) -> Option<String> {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "test"))
        .http_client(formwork_deploy::http_client())
        .load()
        .await;
    aws_sdk_ssm::Client::new(&config)
        .get_parameter()
        .name(format!("/formwork/faults/{name}"))
        .send()
        .await
        .ok()
        .and_then(|o| o.parameter().and_then(|p| p.value()).map(str::to_string))
}

// ---------------------------------------------------------------- stalls

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stall_at_each_call_of_a_deploy_is_bounded_by_the_timeout() {
    let Some(moto) = moto() else { return };
    // (action, how many of them go through first, what the deploy was doing)
    let cases: &[(&str, usize, &str)] = &[
        ("DescribeStacks", 0, "checking the stack (DescribeStacks)"),
        ("CreateChangeSet", 0, "creating a change set (CREATE)"),
        (
            "DescribeChangeSet",
            0,
            "waiting for the change set to be ready",
        ),
        (
            "ExecuteChangeSet",
            0,
            "executing the change set (ExecuteChangeSet sent",
        ),
        // The third DescribeStacks is the first poll after ExecuteChangeSet.
        ("DescribeStacks", 2, "executing the change set"),
        ("DescribeStackEvents", 0, "executing the change set"),
    ];
    let runs = cases.iter().map(|(action, skip, doing)| {
        let moto = moto.clone();
        async move {
            let proxy = FaultProxy::start(&moto).await;
            proxy.add(&[action], *skip, usize::MAX, Fault::Stall);
            let c = clients(&proxy.url, patient()).await;
            let started = Instant::now();
            let op = deploy_stack(c, spec(&unique("Stall")), yes(Some(Duration::from_secs(3))));
            let result = within_a_minute(action, op.output()).await;
            let elapsed = started.elapsed();
            let err = result.expect_err(action);
            assert!(
                matches!(err, DeployError::Timeout { .. }),
                "{action}: {err:?}"
            );
            let msg = err.to_string();
            assert!(
                msg.starts_with("timed out after 3 s on stack Stall-"),
                "{msg}"
            );
            assert!(msg.contains(doing), "{action} (skip {skip}): {msg}");
            assert!(elapsed < Duration::from_secs(20), "{action}: {elapsed:?}");
            assert!(proxy.count(action) > *skip, "{action}: {:?}", proxy.log());
        }
    });
    futures::future::join_all(runs).await;
}

#[tokio::test]
async fn a_stalled_endpoint_is_bounded_by_the_call_timeouts_without_a_deadline() {
    let proxy = FaultProxy::start(NOWHERE).await;
    proxy.add(&[], 0, usize::MAX, Fault::Stall);
    let tuning = ClientTuning {
        attempt_timeout: Duration::from_secs(1),
        call_timeout: Duration::from_secs(3),
        ..quick()
    };
    let c = clients(&proxy.url, tuning).await;
    let s = spec(&unique("Silent"));

    let err = within_a_minute(
        "deploy",
        deploy_stack(c.clone(), s.clone(), yes(None)).output(),
    )
    .await
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!(
            "could not reach the AWS endpoint {} during DescribeStacks: ",
            proxy.url
        )),
        "{msg}"
    );
    assert!(msg.contains("timeout"), "{msg}");

    let err = within_a_minute("diff", diff_stack(&c, &s))
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().contains(&proxy.url), "{err}");

    let err = within_a_minute(
        "destroy",
        destroy_stack(c, s, DestroyOptions::default()).output(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DeployError::Unreachable { .. }), "{err:?}");
    // Each attempt was abandoned and retried: at least two per call.
    assert!(proxy.count("DescribeStacks") >= 6, "{:?}", proxy.log());
}

#[tokio::test]
async fn a_stalled_destroy_is_bounded_by_the_timeout() {
    let proxy = FaultProxy::start(NOWHERE).await;
    proxy.add(&[], 0, usize::MAX, Fault::Stall);
    let c = clients(&proxy.url, patient()).await;
    let started = Instant::now();
    let options = DestroyOptions {
        timeout: Some(Duration::from_secs(2)),
        ..Default::default()
    };
    let err = within_a_minute(
        "destroy",
        destroy_stack(c, spec(&unique("Silent")), options).output(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DeployError::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("checking the stack (DescribeStacks)"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ------------------------------------------------------------ throttling

#[tokio::test]
async fn a_throttling_storm_is_ridden_out() {
    let Some(moto) = moto() else { return };
    let proxy = FaultProxy::start(&moto).await;
    // Ten throttled answers in a row, more than the 6 attempts formwork
    // used to give up after; the default number of attempts rides them out.
    proxy.add(&[], 0, 10, Fault::Throttle);
    let tuning = ClientTuning {
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
        ..ClientTuning::default()
    };
    let c = clients(&proxy.url, tuning).await;
    let name = unique("Storm");
    let out = within_a_minute("deploy", deploy_stack(c, spec(&name), yes(None)).output())
        .await
        .expect("the storm is ridden out");
    assert_eq!(out.outcome, DeployOutcome::Deployed);
    assert_eq!(ssm_value(&moto, &name).await.as_deref(), Some("v1"));
    assert!(proxy.count("DescribeStacks") >= 11, "{:?}", proxy.log());
}

#[tokio::test]
async fn throttling_beyond_the_retries_is_a_clear_error() {
    let proxy = FaultProxy::start(NOWHERE).await;
    proxy.add(&[], 0, usize::MAX, Fault::Throttle);
    let c = clients(&proxy.url, quick()).await;
    let err = within_a_minute(
        "deploy",
        deploy_stack(c, spec(&unique("Throttled")), yes(None)).output(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "DescribeStacks failed: Throttling: Rate exceeded (still throttled after every retry: try again later, or raise --max-retries)"
    );
    assert_eq!(proxy.count("DescribeStacks"), 3);
}

#[tokio::test]
async fn throttling_beyond_the_timeout_stops_at_the_timeout() {
    let proxy = FaultProxy::start(NOWHERE).await;
    proxy.add(&[], 0, usize::MAX, Fault::Throttle);
    let tuning = ClientTuning {
        max_attempts: 1000,
        ..quick()
    };
    let c = clients(&proxy.url, tuning).await;
    let started = Instant::now();
    let err = within_a_minute(
        "deploy",
        deploy_stack(
            c,
            spec(&unique("Throttled")),
            yes(Some(Duration::from_secs(2))),
        )
        .output(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DeployError::Timeout { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(proxy.count("DescribeStacks") > 3, "it kept retrying");
}

// ----------------------------------------------- broken and dead endpoints

#[tokio::test]
async fn an_html_error_page_is_reported_in_one_line() {
    let proxy = FaultProxy::start(NOWHERE).await;
    proxy.add(&[], 0, usize::MAX, Fault::Html500);
    let c = clients(&proxy.url, quick()).await;
    let err = within_a_minute(
        "deploy",
        deploy_stack(c, spec(&unique("Html")), yes(None)).output(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "DescribeStacks failed: the endpoint {} answered HTTP 500 with a response that is not from AWS: \"500 Internal Server Error\"",
            proxy.url
        )
    );
    assert_eq!(proxy.count("DescribeStacks"), 3, "5xx answers are retried");
}

#[tokio::test]
async fn an_endpoint_that_dies_and_comes_back_is_ridden_out() {
    let Some(moto) = moto() else { return };
    let proxy = FaultProxy::start(&moto).await;
    // Dropped connections, then an error page, then the endpoint is back.
    proxy.add(&[], 0, 3, Fault::Drop);
    proxy.add(&[], 0, 2, Fault::Html500);
    let tuning = ClientTuning {
        max_attempts: 10,
        ..quick()
    };
    let c = clients(&proxy.url, tuning).await;
    let name = unique("Flaky");
    let out = within_a_minute("deploy", deploy_stack(c, spec(&name), yes(None)).output())
        .await
        .expect("the endpoint came back");
    assert_eq!(out.outcome, DeployOutcome::Deployed);
    assert_eq!(ssm_value(&moto, &name).await.as_deref(), Some("v1"));
    assert!(proxy.count("DescribeStacks") >= 6, "{:?}", proxy.log());
}

// --------------------------------------------------- concurrent deployers

/// A one-shot signal between a hook and the test.
#[derive(Clone, Default)]
struct Signal(Arc<tokio::sync::Notify>, Arc<std::sync::atomic::AtomicBool>);

impl Signal {
    fn set(&self) {
        self.1.store(true, Ordering::SeqCst);
        self.0.notify_waiters();
    }

    async fn wait(&self) {
        loop {
            let notified = self.0.notified();
            if self.1.load(Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }
}

fn hook(f: impl Fn() -> futures::future::BoxFuture<'static, ()> + Send + Sync + 'static) -> Fault {
    Fault::Hook(Arc::new(f))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_deploys_of_a_new_stack_never_delete_each_others_stack() {
    let Some(moto) = moto() else { return };
    let name = unique("Race");
    // A creates its change set (the stack is now REVIEW_IN_PROGRESS); B
    // then finds the stack in REVIEW_IN_PROGRESS and, right after B's
    // checks, A executes and finishes. (formwork used to check that the
    // review stack was empty with DescribeStackResources, then read its
    // events and DeleteStack it: A's execution in between made it delete
    // A's stack with its resources; the hook sits on the first call after
    // the checks, in either version.) B must neither delete A's stack nor
    // report success.
    let (a_created, b_checked, a_done) = (Signal::default(), Signal::default(), Signal::default());
    let proxy_a = FaultProxy::start(&moto).await;
    let (ac, bc) = (a_created.clone(), b_checked.clone());
    proxy_a.add(
        &["DescribeChangeSet"],
        0,
        1,
        hook(move || {
            let (ac, bc) = (ac.clone(), bc.clone());
            async move {
                ac.set();
                bc.wait().await;
            }
            .boxed()
        }),
    );
    let proxy_b = FaultProxy::start(&moto).await;
    let (bc, ad) = (b_checked.clone(), a_done.clone());
    proxy_b.add(
        &["DescribeStackEvents", "DeleteStack", "CreateChangeSet"],
        0,
        1,
        hook(move || {
            let (bc, ad) = (bc.clone(), ad.clone());
            async move {
                bc.set();
                ad.wait().await;
            }
            .boxed()
        }),
    );
    let ca = clients(&proxy_a.url, steady()).await;
    let cb = clients(&proxy_b.url, steady()).await;
    let a = {
        let (s, done) = (spec(&name), a_done.clone());
        tokio::spawn(async move {
            let r = deploy_stack(ca, s, yes(None)).output().await;
            done.set();
            r
        })
    };
    within_a_minute("A creates its change set", a_created.wait()).await;
    let b = tokio::spawn(deploy_stack(cb, spec(&name), yes(None)).output());
    let a = within_a_minute("A", a).await.unwrap();
    let b = within_a_minute("B", b).await.unwrap();

    let a = a.expect("A deploys");
    assert_eq!(a.outcome, DeployOutcome::Deployed);
    let err = b.expect_err("B must fail loudly");
    assert!(
        matches!(err, DeployError::ConcurrentDeploy { .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("changed by another deployment"),
        "{err}"
    );
    assert_eq!(proxy_b.count("DeleteStack"), 0, "{:?}", proxy_b.log());
    assert_eq!(proxy_b.count("ExecuteChangeSet"), 0, "{:?}", proxy_b.log());
    assert_eq!(
        stack_status(&moto, &name).await.as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(ssm_value(&moto, &name).await.as_deref(), Some("v1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_deploys_that_both_see_no_stack_leave_one_winner() {
    let Some(moto) = moto() else { return };
    let name = unique("Race2");
    // Both describe the stack as missing and both create a CREATE change
    // set before either executes.
    let both = Arc::new(tokio::sync::Barrier::new(2));
    let make = |both: Arc<tokio::sync::Barrier>| {
        hook(move || {
            let both = both.clone();
            async move {
                both.wait().await;
            }
            .boxed()
        })
    };
    let pa = FaultProxy::start(&moto).await;
    pa.add(&["CreateChangeSet"], 0, 1, make(both.clone()));
    let pb = FaultProxy::start(&moto).await;
    pb.add(&["CreateChangeSet"], 0, 1, make(both));
    let a = tokio::spawn(
        deploy_stack(clients(&pa.url, steady()).await, spec(&name), yes(None)).output(),
    );
    let b = tokio::spawn(
        deploy_stack(clients(&pb.url, steady()).await, spec(&name), yes(None)).output(),
    );
    let (a, b) = (
        within_a_minute("A", a).await.unwrap(),
        within_a_minute("B", b).await.unwrap(),
    );
    let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert!(wins <= 1, "both reported success: {a:?} {b:?}");
    for r in [&a, &b] {
        if let Err(e) = r {
            assert!(matches!(e, DeployError::ConcurrentDeploy { .. }), "{e:?}");
        }
    }
    assert_eq!(pa.count("DeleteStack") + pb.count("DeleteStack"), 0);
    assert_eq!(
        stack_status(&moto, &name).await.as_deref(),
        if wins == 1 {
            Some("CREATE_COMPLETE")
        } else {
            Some("REVIEW_IN_PROGRESS")
        }
    );
}

// ------------------------------------------------------- checks up front

fn big(name: &str) -> StackSpec {
    let mut s = spec(name);
    let mut t: Value = serde_json::from_str(&s.template_body).unwrap();
    t["Description"] = Value::String("x".repeat(60_000));
    s.template_body = t.to_string();
    s
}

#[tokio::test]
async fn deploy_all_with_one_bad_stack_touches_nothing() {
    let proxy = FaultProxy::start(NOWHERE).await;
    let c = clients(&proxy.url, steady()).await;
    let mut good = spec(&unique("Good"));
    let bad = big(&unique("Big"));
    good.dependencies = vec![];
    let (first, second) = (good.stack_name.clone(), bad.stack_name.clone());
    let err = within_a_minute(
        "deploy --all",
        deploy_stacks(c, vec![good, bad], yes(None), 1).output(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DeployError::RunStopped { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("--template-bucket"), "{msg}");
    assert!(
        msg.ends_with(&format!(
            "Summary: done: none; failed: 1; not started: {first}, {second}"
        )),
        "{msg}"
    );
    assert!(proxy.log().is_empty(), "no AWS call: {:?}", proxy.log());
}

#[tokio::test]
async fn a_failure_mid_run_stops_the_run_with_a_summary() {
    let Some(moto) = moto() else { return };
    let proxy = FaultProxy::start(&moto).await;
    let c = clients(&proxy.url, steady()).await;
    let a = spec(&unique("First"));
    let b = spec(&unique("Second"));
    // The second stack's CreateChangeSet fails (an error page, every attempt).
    proxy.add(&["CreateChangeSet"], 1, usize::MAX, Fault::Html500);
    let c3 = spec(&unique("Third"));
    let names = [
        a.stack_name.clone(),
        b.stack_name.clone(),
        c3.stack_name.clone(),
    ];
    let mut options = yes(None);
    options.timeout = Some(Duration::from_secs(20));
    let err = within_a_minute(
        "deploy",
        deploy_stacks(c, vec![a, b, c3], options, 1).output(),
    )
    .await
    .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.ends_with(&format!(
            "Summary: done: {}; failed: 1; not started: {}",
            names[0], names[2]
        )),
        "{msg}"
    );
    assert_eq!(
        stack_status(&moto, &names[0]).await.as_deref(),
        Some("CREATE_COMPLETE")
    );
    assert_eq!(stack_status(&moto, &names[2]).await, None, "not started");
}

fn with_required_parameter(name: &str) -> StackSpec {
    let t = json!({
        "Parameters": {
            "Env": {"Type": "String", "AllowedValues": ["dev", "prod"]},
            "Tier": {"Type": "String", "Default": "Standard"}
        },
        "Resources": {"Param": {"Type": "AWS::SSM::Parameter", "Properties": {
            "Name": format!("/formwork/faults/{name}"), "Type": "String",
            "Value": {"Ref": "Env"}}}}
    });
    StackSpec {
        stack_name: name.into(),
        template_body: t.to_string(),
        ..Default::default()
    }
}

#[tokio::test]
async fn parameters_are_checked_before_any_change_set() {
    let Some(moto) = moto() else { return };
    let proxy = FaultProxy::start(&moto).await;
    let c = clients(&proxy.url, steady()).await;
    let name = unique("Params");
    let s = with_required_parameter(&name);

    // Missing: refused before any change set; nothing exists.
    let err = deploy_stack(c.clone(), s.clone(), yes(None))
        .output()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("stack {name}: parameter Env: required (it has no Default) but not given: pass --parameters KEY=VALUE")
    );
    // Not allowed: the same.
    let mut wrong = s.clone();
    formwork_deploy::parameters::apply_parameter_args(
        std::slice::from_mut(&mut wrong),
        &["Env=test".parse().unwrap()],
    )
    .unwrap();
    let err = deploy_stack(c.clone(), wrong, yes(None))
        .output()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("stack {name}: parameter Env: \"test\" is not one of AllowedValues [dev, prod]")
    );
    assert_eq!(proxy.count("CreateChangeSet"), 0, "{:?}", proxy.log());
    assert_eq!(
        stack_status(&moto, &name).await,
        None,
        "nothing in REVIEW_IN_PROGRESS"
    );
    // (moto's ListChangeSets ignores StackName: filter by hand.)
    let listed = clients(&moto, steady())
        .await
        .cloudformation
        .list_change_sets()
        .stack_name(&name)
        .send()
        .await;
    assert!(
        listed.as_ref().map_or(true, |l| !l
            .summaries()
            .iter()
            .any(|c| c.stack_name() == Some(name.as_str()))),
        "{listed:?}"
    );

    // Given: deployed with the value.
    let mut given = s.clone();
    formwork_deploy::parameters::apply_parameter_args(
        std::slice::from_mut(&mut given),
        &[format!("{name}:Env=prod").parse().unwrap()],
    )
    .unwrap();
    let out = deploy_stack(c.clone(), given, yes(None))
        .output()
        .await
        .unwrap();
    assert_eq!(out.outcome, DeployOutcome::Deployed);
    assert_eq!(ssm_value(&moto, &name).await.as_deref(), Some("prod"));

    // An update without it keeps the deployed value (UsePreviousValue).
    let mut update = s.clone();
    update.template_body = update
        .template_body
        .replace("\"Default\":\"Standard\"", "\"Default\":\"Advanced\"");
    assert_ne!(update.template_body, s.template_body);
    let out = deploy_stack(c, update, yes(None)).output().await.unwrap();
    assert_ne!(out.outcome, DeployOutcome::Skipped);
    assert_eq!(ssm_value(&moto, &name).await.as_deref(), Some("prod"));
}

// ------------------------------------------------------------ signals

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interruption_at_each_phase_is_prompt_and_says_what_was_running() {
    let Some(moto) = moto() else { return };
    let cases: &[(&str, usize, &str)] = &[
        ("DescribeStacks", 0, "checking the stack (DescribeStacks)"),
        (
            "CreateChangeSet",
            0,
            "creating a change set (CREATE); it may exist, not executed",
        ),
        (
            "DescribeChangeSet",
            0,
            "waiting for the change set to be ready",
        ),
        (
            "ExecuteChangeSet",
            0,
            "executing the change set (ExecuteChangeSet sent",
        ),
        ("DescribeStacks", 2, "executing the change set"),
    ];
    let runs = cases.iter().map(|(action, skip, doing)| {
        let moto = moto.clone();
        async move {
            let proxy = FaultProxy::start(&moto).await;
            proxy.add(&[action], *skip, usize::MAX, Fault::Stall);
            let c = clients(&proxy.url, patient()).await;
            let name = unique("Signal");
            // The "signal": fires once the stalled call has been sent.
            let p = proxy.clone();
            let cancel = async move {
                while p.count(action) <= *skip {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            };
            let started = Instant::now();
            let finished = within_a_minute(
                action,
                deploy_stack(c, spec(&name), yes(None)).run_until(cancel, |_| {}),
            )
            .await;
            let Finished::Interrupted { doing: now } = finished else {
                panic!("{action}: not interrupted: {finished:?}")
            };
            assert_eq!(now.len(), 1, "{now:?}");
            assert_eq!(now[0].0, name);
            assert!(now[0].1.contains(doing), "{action}: {now:?}");
            assert!(!now[0].1.contains("does not exist"), "{now:?}");
            assert!(started.elapsed() < Duration::from_secs(20));
            let message = formwork_deploy::cli::interrupted_message(
                formwork_deploy::cli::StopSignal::Terminate,
                &now,
            );
            assert!(message.contains("Interrupted by SIGTERM"), "{message}");
        }
    });
    futures::future::join_all(runs).await;
}

/// Run by `the_cli_stops_promptly_on_sigint_and_sigterm` in a child process:
/// a CLI deploy against the stalling proxy named in `FORMWORK_SIGNAL_CHILD`.
#[test]
#[ignore = "a helper run in a child process by the_cli_stops_promptly_on_sigint_and_sigterm"]
fn signal_child() {
    let endpoint = std::env::var("FORMWORK_SIGNAL_CHILD").expect("run by the parent test");
    std::env::set_var("AWS_ENDPOINT_URL", endpoint);
    let args = formwork_deploy::cli::DeployArgs {
        yes: true,
        ..Default::default()
    };
    let code = formwork_deploy::cli::run_deploy(vec![spec("SignalChild")], &args);
    let code = [0u8, 1, 130, 143]
        .into_iter()
        .find(|c| std::process::ExitCode::from(*c) == code)
        .unwrap_or(2);
    std::process::exit(i32::from(code));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_stops_promptly_on_sigint_and_sigterm() {
    for (signal, code, name) in [("TERM", 143, "SIGTERM"), ("INT", 130, "SIGINT (Ctrl-C)")] {
        let proxy = FaultProxy::start(NOWHERE).await;
        proxy.add(&[], 0, usize::MAX, Fault::Stall);
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["signal_child", "--exact", "--ignored", "--nocapture"])
            .env("FORMWORK_SIGNAL_CHILD", &proxy.url)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the child's first call is stalled.
        within_a_minute("the child's first call", async {
            while proxy.count("DescribeStacks") == 0 {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await;
        let started = Instant::now();
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap());
        let out = within_a_minute(name, out).await.unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("Interrupted by {name}: stopped waiting")),
            "{stderr}"
        );
        assert!(
            stderr.contains("SignalChild: checking the stack (DescribeStacks)"),
            "{stderr}"
        );
        assert!(started.elapsed() < Duration::from_secs(20), "{name}");
    }
}

#[tokio::test]
async fn declined_approval_deletes_its_change_set_and_says_so() {
    let Some(moto) = moto() else { return };
    let c = clients(&moto, steady()).await;
    let name = unique("Declined");
    let options = DeployOptions {
        require_approval: RequireApproval::AnyChange,
        approver: Some(Arc::new(|_: &formwork_deploy::ApprovalRequest| false)),
        ..Default::default()
    };
    let err = deploy_stack(c.clone(), spec(&name), options)
        .output()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("was deleted and nothing was changed"),
        "{err}"
    );
    let listed = c
        .cloudformation
        .list_change_sets()
        .stack_name(&name)
        .send()
        .await
        .unwrap();
    // (moto's ListChangeSets ignores StackName: filter by hand.)
    assert!(
        !listed
            .summaries()
            .iter()
            .any(|c| c.stack_name() == Some(name.as_str())),
        "{listed:?}"
    );
}
