//! End-to-end tests against a real moto server.
//!
//! Skipped (with a message) only when `FORMWORK_MOTO_ENDPOINT` is unset; when
//! it is set, a server that cannot be reached fails the test. Start one with
//! `crates/formwork-deploy/tests/moto.sh`, which also runs this test, or by
//! hand:
//!
//! ```sh
//! MOTO_IAM_LOAD_MANAGED_POLICIES=true moto_server -H 127.0.0.1 -p 5055 &
//! FORMWORK_MOTO_ENDPOINT=http://127.0.0.1:5055 cargo test -p formwork-deploy --test moto
//! ```
//!
//! Everything runs in one test function, sequentially, after resetting moto
//! (`POST /moto-api/reset`), because the scenarios share the server.
//!
//! moto only runs the stack made of moto-supported types here (IAM Role with
//! an inline policy, `AWS::IAM::ManagedPolicy` attached to it, SSM
//! parameter); it emits no per-resource events, has no rollback, and shows no
//! outputs for stacks created through a change set. Those behaviours are
//! covered by `tests/scripted.rs`.

mod support;

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use aws_config::{BehaviorVersion, Region};
use aws_sdk_cloudformation::config::Credentials;
use formwork_deploy::cli::{run_deploy, run_destroy, run_diff, DeployArgs, DestroyArgs, DiffArgs};
use formwork_deploy::{
    deploy_stack, destroy_stack, diff_stack, Clients, DeployError, DeployEvent, DeployOptions,
    DeployOutcome, DeployOutput, DestroyOptions, StackSpec,
};
use serde_json::{json, Value};
use support::{collect, yes};

const STACK: &str = "FormworkMotoStack";
const PARAM: &str = "/formwork/moto/param";

/// `POST {endpoint}/moto-api/reset` over a plain TCP connection.
fn reset_moto(endpoint: &str) {
    let hostport = endpoint
        .strip_prefix("http://")
        .expect("FORMWORK_MOTO_ENDPOINT must be an http:// URL")
        .trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(hostport).unwrap_or_else(|e| {
        panic!("FORMWORK_MOTO_ENDPOINT={endpoint} is set but moto is not reachable: {e}")
    });
    write!(
        stream,
        "POST /moto-api/reset HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "moto reset failed: {response}"
    );
}

async fn sdk_config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .http_client(formwork_deploy::http_client())
        .load()
        .await
}

fn template(value: &str, padding: usize) -> Value {
    let mut t = json!({
        "Resources": {
            "AppRole": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "inline", "PolicyDocument": {"Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"}]}}]}},
            "AppPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]},
                "Roles": [{"Ref": "AppRole"}]}},
            "AppParam": {"Type": "AWS::SSM::Parameter", "Properties": {
                "Name": PARAM, "Type": "String", "Value": value}}
        },
        "Outputs": {"RoleName": {"Value": {"Ref": "AppRole"}}}
    });
    if padding > 0 {
        t["Description"] = Value::String("x".repeat(padding));
    }
    t
}

fn spec(t: &Value) -> StackSpec {
    StackSpec {
        stack_name: STACK.into(),
        template_body: serde_json::to_string_pretty(t).unwrap(),
        construct_paths: HashMap::from([
            ("AppRole".into(), format!("/{STACK}/AppRole/Resource")),
            ("AppPolicy".into(), format!("/{STACK}/AppPolicy/Resource")),
            ("AppParam".into(), format!("/{STACK}/AppParam/Resource")),
        ]),
        tags: [("project".to_string(), "formwork".to_string())].into(),
        ..Default::default()
    }
}

/// The physical IDs of the stack's resources.
async fn physical_ids(clients: &Clients) -> HashMap<String, String> {
    clients
        .cloudformation
        .describe_stack_resources()
        .stack_name(STACK)
        .send()
        .await
        .unwrap()
        .stack_resources()
        .iter()
        .map(|r| {
            (
                r.logical_resource_id().unwrap().to_string(),
                r.physical_resource_id().unwrap().to_string(),
            )
        })
        .collect()
}

async fn param_value(ssm: &aws_sdk_ssm::Client) -> Option<String> {
    match ssm.get_parameter().name(PARAM).send().await {
        Ok(out) => out.parameter().and_then(|p| p.value()).map(str::to_string),
        Err(e) => {
            assert_eq!(
                aws_sdk_ssm::error::ProvideErrorMetadata::code(&e),
                Some("ParameterNotFound"),
                "{e:?}"
            );
            None
        }
    }
}

async fn assert_resources_exist(
    clients: &Clients,
    iam: &aws_sdk_iam::Client,
    ssm: &aws_sdk_ssm::Client,
    value: &str,
) -> String {
    let ids = physical_ids(clients).await;
    let role = ids["AppRole"].clone();
    let got = iam
        .get_role()
        .role_name(&role)
        .send()
        .await
        .expect("the role exists");
    assert!(got.role().unwrap().arn().contains(&role));
    let inline = iam
        .list_role_policies()
        .role_name(&role)
        .send()
        .await
        .unwrap();
    assert_eq!(inline.policy_names(), ["inline"]);
    let attached = iam
        .list_attached_role_policies()
        .role_name(&role)
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = attached
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn())
        .collect();
    assert_eq!(
        arns,
        [ids["AppPolicy"].as_str()],
        "the managed policy is attached to the role"
    );
    assert_eq!(param_value(ssm).await.as_deref(), Some(value));
    role
}

fn deployed(result: Result<DeployOutput, DeployError>, outcome: DeployOutcome) -> DeployOutput {
    let out = result.unwrap_or_else(|e| panic!("deploy failed: {e}"));
    assert_eq!(out.outcome, outcome, "{out:?}");
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_against_moto() {
    let Ok(endpoint) = std::env::var("FORMWORK_MOTO_ENDPOINT") else {
        eprintln!("SKIPPED: FORMWORK_MOTO_ENDPOINT is not set; run crates/formwork-deploy/tests/moto.sh to run the moto tests");
        return;
    };
    reset_moto(&endpoint);
    // The CLI part reads the standard environment (docs/ARCHITECTURE.md). This is
    // the only test in this binary, so setting it here races with nothing.
    std::env::set_var("AWS_ENDPOINT_URL", &endpoint);
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let config = sdk_config(&endpoint).await;
    let clients = Clients::from_config(&config);
    let iam = aws_sdk_iam::Client::new(&config);
    let ssm = aws_sdk_ssm::Client::new(&config);

    // diff before anything exists: everything is added.
    let d = diff_stack(&clients, &spec(&template("v1", 0)))
        .await
        .unwrap();
    assert!(!d.exists);
    assert_eq!(d.diff.resources.len(), 3);
    assert_eq!(d.diff.iam_changes.len(), 2, "{:?}", d.diff.iam_changes);

    // 1. Create.
    let (events, result) = collect(deploy_stack(
        clients.clone(),
        spec(&template("v1", 0)),
        yes(),
    ))
    .await;
    let out = deployed(result, DeployOutcome::Deployed);
    assert_eq!(out.status, "CREATE_COMPLETE");
    assert!(
        out.stack_id
            .starts_with("arn:aws:cloudformation:us-east-1:"),
        "{}",
        out.stack_id
    );
    assert!(
        events.iter().any(
            |e| matches!(e, DeployEvent::ChangeSetCreated { capabilities, .. }
            if capabilities == &["CAPABILITY_IAM".to_string()])
        ),
        "{events:?}"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, DeployEvent::ChangesListed { changes, .. } if changes.len() == 3)));
    let role = assert_resources_exist(&clients, &iam, &ssm, "v1").await;

    // 2. Update a property.
    let (_, result) = collect(deploy_stack(
        clients.clone(),
        spec(&template("v2", 0)),
        yes(),
    ))
    .await;
    let out = deployed(result, DeployOutcome::Deployed);
    assert_eq!(out.status, "UPDATE_COMPLETE");
    assert_eq!(
        assert_resources_exist(&clients, &iam, &ssm, "v2").await,
        role,
        "the role was not replaced"
    );

    // 3. Same again: skipped without a change set.
    let (events, result) = collect(deploy_stack(
        clients.clone(),
        spec(&template("v2", 0)),
        yes(),
    ))
    .await;
    deployed(result, DeployOutcome::Skipped);
    assert!(!events
        .iter()
        .any(|e| matches!(e, DeployEvent::ChangeSetCreated { .. })));

    // --force goes through a change set, which moto finds empty.
    let force = DeployOptions {
        force: true,
        ..yes()
    };
    let (_, result) = collect(deploy_stack(
        clients.clone(),
        spec(&template("v2", 0)),
        force,
    ))
    .await;
    deployed(result, DeployOutcome::NoChanges);

    // IAM approval: the IAM resources are unchanged, so a property change needs none...
    let (_, result) = collect(deploy_stack(
        clients.clone(),
        spec(&template("v3", 0)),
        DeployOptions {
            no_execute: true,
            ..Default::default()
        },
    ))
    .await;
    let out = deployed(result, DeployOutcome::ChangeSetCreated);
    assert!(out.change_set_id.is_some());
    assert_eq!(
        param_value(&ssm).await.as_deref(),
        Some("v2"),
        "--no-execute changed nothing"
    );

    // 4. diff.
    let d = diff_stack(&clients, &spec(&template("v2", 0)))
        .await
        .unwrap();
    assert!(d.exists);
    assert!(d.diff.is_empty(), "{}", d.diff.render());
    let d = diff_stack(&clients, &spec(&template("v3", 0)))
        .await
        .unwrap();
    assert_eq!(d.diff.resources.len(), 1);
    assert_eq!(d.diff.resources[0].logical_id, "AppParam");
    assert_eq!(d.diff.resources[0].changes[0].path, "Properties.Value");
    assert!(d.diff.iam_changes.is_empty());

    // 5. Destroy: the resources are gone.
    //
    // moto gap (5.2.x): deleting a stack never deletes or detaches an
    // `AWS::IAM::ManagedPolicy`, so the role's deletion fails with
    // DeleteConflict ("must detach all policies first"), which CloudFormation
    // itself avoids by deleting the policy (and so its attachment) first.
    // Detach it here, as that policy deletion would; the managed policy
    // itself is left behind by moto.
    let policy_arn = physical_ids(&clients).await["AppPolicy"].clone();
    iam.detach_role_policy()
        .role_name(&role)
        .policy_arn(&policy_arn)
        .send()
        .await
        .unwrap();
    let (_, result) = collect(destroy_stack(
        clients.clone(),
        spec(&template("v2", 0)),
        DestroyOptions::default(),
    ))
    .await;
    assert!(result.expect("destroy succeeds").existed);
    assert!(
        iam.get_role().role_name(&role).send().await.is_err(),
        "the role is deleted"
    );
    assert_eq!(param_value(&ssm).await, None, "the parameter is deleted");
    let (_, result) = collect(destroy_stack(
        clients.clone(),
        spec(&template("v2", 0)),
        DestroyOptions::default(),
    ))
    .await;
    assert!(
        !result
            .expect("destroying a missing stack is a no-op")
            .existed
    );

    // The CLI entry points, as `app.run()` calls them (on their own thread:
    // they start their own runtime).
    let cli = |f: Box<dyn FnOnce() -> ExitCode + Send>| std::thread::spawn(f).join().unwrap();
    let outputs_file =
        std::env::temp_dir().join(format!("formwork-moto-outputs-{}.json", std::process::id()));
    if !std::io::stdin().is_terminal() {
        // IAM changes without a terminal and without --yes: refused, nothing created.
        let code = cli(Box::new(|| {
            run_deploy(vec![spec(&template("cli", 0))], &DeployArgs::default())
        }));
        assert_eq!(code, ExitCode::FAILURE);
        assert_eq!(param_value(&ssm).await, None);
        // The refused CREATE change set was left for review, so the stack
        // is in REVIEW_IN_PROGRESS without resources. formwork never
        // deletes such a stack; on AWS the next deploy adds a new CREATE
        // change set to it. moto gap (5.2.x): a CREATE change set on a
        // REVIEW_IN_PROGRESS stack makes a second stack of the same name
        // (which formwork detects and refuses as a concurrent deployment),
        // so the test removes the review stack by hand, as a person would.
        let review = clients
            .cloudformation
            .describe_stacks()
            .stack_name(STACK)
            .send()
            .await
            .unwrap();
        let review = &review.stacks()[0];
        assert_eq!(
            review.stack_status().unwrap().as_str(),
            "REVIEW_IN_PROGRESS"
        );
        clients
            .cloudformation
            .delete_stack()
            .stack_name(review.stack_id().unwrap())
            .send()
            .await
            .unwrap();
        let code = cli(Box::new(|| {
            run_destroy(vec![spec(&template("cli", 0))], &DestroyArgs::default())
        }));
        assert_eq!(
            code,
            ExitCode::FAILURE,
            "destroy without --yes off a terminal is refused"
        );
    }
    let args = DeployArgs {
        yes: true,
        outputs_file: Some(outputs_file.clone()),
        ..Default::default()
    };
    let code = cli(Box::new(move || {
        run_deploy(vec![spec(&template("cli", 0))], &args)
    }));
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(param_value(&ssm).await.as_deref(), Some("cli"));
    // moto shows no outputs for stacks created through a change set: the file has the stack, empty.
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs_file).unwrap()).unwrap();
    assert!(written[STACK].is_object(), "{written}");
    let _ = std::fs::remove_file(&outputs_file);
    let code = cli(Box::new(|| {
        run_diff(
            vec![spec(&template("cli2", 0))],
            &DiffArgs {
                fail: true,
                ..Default::default()
            },
        )
    }));
    assert_eq!(code, ExitCode::FAILURE, "diff --fail with differences");
    let code = cli(Box::new(|| {
        run_diff(
            vec![spec(&template("cli", 0))],
            &DiffArgs {
                fail: true,
                ..Default::default()
            },
        )
    }));
    assert_eq!(code, ExitCode::SUCCESS, "diff --fail without differences");
    let ids = physical_ids(&clients).await;
    iam.detach_role_policy()
        .role_name(&ids["AppRole"])
        .policy_arn(&ids["AppPolicy"])
        .send()
        .await
        .unwrap(); // the moto gap described above
    let code = cli(Box::new(|| {
        run_destroy(
            vec![spec(&template("cli", 0))],
            &DestroyArgs {
                yes: true,
                ..Default::default()
            },
        )
    }));
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(param_value(&ssm).await, None);

    // Large templates: refused without a bucket, uploaded to S3 with one.
    reset_moto(&endpoint);
    let big = spec(&template("big", 60_000));
    assert!(big.template_body.len() > 51_200);
    let (_, result) = collect(deploy_stack(clients.clone(), big.clone(), yes())).await;
    assert!(
        matches!(result, Err(DeployError::TemplateTooLarge { .. })),
        "{result:?}"
    );
    clients
        .s3
        .create_bucket()
        .bucket("formwork-templates")
        .send()
        .await
        .unwrap();
    let options = DeployOptions {
        template_bucket: Some("formwork-templates".into()),
        ..yes()
    };
    let (events, result) = collect(deploy_stack(clients.clone(), big.clone(), options)).await;
    deployed(result, DeployOutcome::Deployed);
    let url = events
        .iter()
        .find_map(|e| match e {
            DeployEvent::TemplateUploaded { url, .. } => Some(url.clone()),
            _ => None,
        })
        .expect("the template was uploaded");
    assert!(
        url.starts_with(
            "https://formwork-templates.s3.us-east-1.amazonaws.com/formwork/FormworkMotoStack/"
        ),
        "{url}"
    );
    let listed = clients
        .s3
        .list_objects_v2()
        .bucket("formwork-templates")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.contents().len(), 1);
    assert_resources_exist(&clients, &iam, &ssm, "big").await;
    let d = diff_stack(&clients, &big).await.unwrap();
    assert!(
        d.diff.is_empty(),
        "the deployed template is the uploaded one"
    );

    // Environments. A stack whose environment names eu-west-1 goes there,
    // from clients of us-east-1; one that names another account than the
    // credentials' (moto's 123456789012) is refused before anything changes.
    // Only the parameter: moto cannot delete an IAM role with an attached
    // managed policy outside us-east-1 (DeleteConflict).
    reset_moto(&endpoint);
    let param_only = |value: &str| {
        let mut t = template(value, 0);
        t["Resources"] = json!({"AppParam": t["Resources"]["AppParam"].take()});
        t.as_object_mut().unwrap().remove("Outputs");
        spec(&t)
    };
    let account = clients
        .sts
        .get_caller_identity()
        .send()
        .await
        .unwrap()
        .account
        .unwrap();
    let pinned = StackSpec {
        account: Some(account),
        region: Some("eu-west-1".into()),
        ..param_only("in-ireland")
    };
    let (_, result) = collect(deploy_stack(clients.clone(), pinned.clone(), yes())).await;
    let out = deployed(result, DeployOutcome::Deployed);
    assert!(
        out.stack_id
            .starts_with("arn:aws:cloudformation:eu-west-1:"),
        "{}",
        out.stack_id
    );
    let ireland = clients.in_region("eu-west-1").unwrap();
    assert_eq!(ireland.region, "eu-west-1");
    let ireland_ssm = aws_sdk_ssm::Client::from_conf(
        aws_sdk_ssm::config::Builder::from(&config)
            .region(Region::new("eu-west-1"))
            .build(),
    );
    assert_eq!(
        param_value(&ireland_ssm).await.as_deref(),
        Some("in-ireland")
    );
    assert_eq!(param_value(&ssm).await, None, "nothing in us-east-1");
    let d = diff_stack(&clients, &pinned).await.unwrap();
    assert!(d.exists && d.diff.is_empty(), "{:?}", d.diff);
    let elsewhere = StackSpec {
        account: Some("111111111111".into()),
        ..param_only("elsewhere")
    };
    let (_, result) = collect(deploy_stack(clients.clone(), elsewhere, yes())).await;
    let err = result.unwrap_err();
    assert!(matches!(err, DeployError::WrongAccount { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(
            "FormworkMotoStack is for account 111111111111 (its environment), \
             but the credentials are for account 123456789012"
        ),
        "{err}"
    );
    assert_eq!(param_value(&ssm).await, None, "nothing was deployed");
    let (_, result) = collect(destroy_stack(
        clients.clone(),
        pinned,
        DestroyOptions::default(),
    ))
    .await;
    result.unwrap();
    assert_eq!(param_value(&ireland_ssm).await, None);
    reset_moto(&endpoint);
}
