//! The command line: `synth` (default), `synth --output DIR`, `synth STACK`,
//! unknown stacks, `list`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use formwork_cli::{run_to, Cli, Command};
use formwork_core::{Annotations, App, CfnResource, Scope, Template};

/// Two stacks: `Web` imports from `Data`.
fn app() -> App {
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    let web = app.stack("Web");
    let bucket = app
        .stack("Data")
        .add_resource("Bucket", CfnResource::new("AWS::S3::Bucket"))
        .unwrap();
    web.output("BucketName", bucket.to_ref());
    app
}

fn single() -> App {
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    app.stack("Only")
        .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
        .unwrap();
    app
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("formwork-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `args` against `app`; returns the exit code and what went to stdout.
fn run(app: App, args: &[&str]) -> (Result<ExitCode, formwork_core::Error>, String) {
    let cli = Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied())).unwrap();
    let mut out = Vec::new();
    let result = run_to(app, cli, &mut out);
    (result, String::from_utf8(out).unwrap())
}

#[test]
fn no_arguments_means_synth_to_cdk_out() {
    let cli = Cli::try_parse_from(["app"]).unwrap();
    assert!(cli.command.is_none());
    let cli = Cli::try_parse_from(["app", "synth"]).unwrap();
    match cli.command {
        Some(Command::Synth(args)) => {
            // Resolved when it runs: `CDK_OUTDIR`, else `cdk.out` (tests/outdir_env.rs).
            assert_eq!(args.output, None);
            assert_eq!(formwork_cli::DEFAULT_OUTPUT, "cdk.out");
            assert!(args.stacks.is_empty() && !args.quiet && !args.strict);
        }
        other => panic!("expected synth, got {other:?}"),
    }
}

#[test]
fn synth_output_dir_writes_the_assembly_and_prints_the_only_template() {
    let dir = temp_dir("single");
    let (result, stdout) = run(single(), &["synth", "--output", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let file = std::fs::read_to_string(dir.join("Only.template.json")).unwrap();
    assert!(dir.join("manifest.json").is_file());
    assert_eq!(stdout, format!("{file}\n"));
    let t = Template::from_json(&file).unwrap();
    assert_eq!(t.resources["Topic"].type_name, "AWS::SNS::Topic");
}

#[test]
fn synth_short_output_and_quiet() {
    let dir = temp_dir("quiet");
    let (result, stdout) = run(single(), &["synth", "-o", dir.to_str().unwrap(), "-q"]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    assert_eq!(stdout, "");
    assert!(dir.join("Only.template.json").is_file());
}

#[test]
fn synth_stack_prints_that_template_and_writes_all() {
    let dir = temp_dir("stack");
    let (result, stdout) = run(app(), &["synth", "Web", "--output", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let web = std::fs::read_to_string(dir.join("Web.template.json")).unwrap();
    assert_eq!(stdout, format!("{web}\n"));
    assert!(web.contains("Fn::ImportValue"));
    assert!(dir.join("Data.template.json").is_file());

    let (result, stdout) = run(
        app(),
        &["synth", "Data", "Web", "--output", dir.to_str().unwrap()],
    );
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let data = std::fs::read_to_string(dir.join("Data.template.json")).unwrap();
    // Printed in deploy order.
    assert_eq!(stdout, format!("{data}\n{web}\n"));
}

#[test]
fn synth_of_several_stacks_without_a_name_prints_nothing() {
    let dir = temp_dir("several");
    let (result, stdout) = run(app(), &["synth", "-o", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    assert_eq!(stdout, "");
    assert!(dir.join("Web.template.json").is_file());
    assert!(dir.join("Data.template.json").is_file());
}

#[test]
fn unknown_stack_is_an_error_and_writes_nothing() {
    let dir = temp_dir("unknown");
    let (result, stdout) = run(app(), &["synth", "Nope", "-o", dir.to_str().unwrap()]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "Nope: no such stack; the app has Web, Data"
    );
    assert_eq!(stdout, "");
    assert!(!dir.exists());
}

#[test]
fn synth_errors_are_returned() {
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    app.stack("1bad");
    let dir = temp_dir("invalid");
    let (result, _) = run(app, &["synth", "-o", dir.to_str().unwrap()]);
    assert!(result
        .unwrap_err()
        .to_string()
        .starts_with("1bad: StackName: \"1bad\" does not start with a letter"));
    assert!(!dir.exists());
}

#[test]
fn list_prints_stacks_in_deploy_order() {
    let (result, stdout) = run(app(), &["list"]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    assert_eq!(stdout, "Data\nWeb\n");
    let (_, stdout) = run(app(), &["ls", "--long"]);
    assert_eq!(
        stdout,
        "Data\t1 resources\tdepends on: -\nWeb\t0 resources\tdepends on: Data\n"
    );
}

#[test]
#[cfg(feature = "deploy")]
fn unknown_verbs_are_refused_by_the_parser() {
    let err = Cli::try_parse_from(["app", "frobnicate"]).unwrap_err();
    assert_eq!(err.kind(), clap::error::ErrorKind::InvalidSubcommand);
}

/// Without the `deploy` feature (`cargo test -p formwork-cli
/// --no-default-features`), the parser takes any other verb so that
/// deploy, diff and destroy can go to the `formwork` command (tests/forward.rs);
/// unknown verbs are refused when run.
#[test]
#[cfg(not(feature = "deploy"))]
fn unknown_verbs_are_refused() {
    let cli = Cli::try_parse_from(["app", "frobnicate"]).unwrap();
    assert!(matches!(&cli.command, Some(Command::Other(args)) if args == &["frobnicate"]));
    let (result, stdout) = run(app(), &["frobnicate"]);
    assert_eq!(
        result.unwrap_err().to_string(),
        "frobnicate: unknown command; the verbs are synth, list, deploy, diff and destroy"
    );
    assert_eq!(stdout, "");
}

#[test]
fn run_with_uses_the_same_verbs() {
    let dir = temp_dir("run-with");
    let cli = Cli::try_parse_from(["app", "synth", "--quiet", "--output", dir.to_str().unwrap()])
        .unwrap();
    assert_eq!(
        formwork_cli::run_with(app(), cli).unwrap(),
        ExitCode::SUCCESS
    );
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let artifacts: Vec<&String> = manifest["artifacts"].as_object().unwrap().keys().collect();
    assert_eq!(artifacts, ["Data", "Web"]);
    assert_eq!(
        manifest["artifacts"]["Web"]["dependencies"],
        serde_json::json!(["Data"])
    );
}

/// One stack with a warning annotation on a resource.
fn warned() -> App {
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    let stack = app.stack("Only");
    let topic = stack
        .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
        .unwrap();
    Annotations::of(&topic).add_warning("the topic is not encrypted");
    Annotations::of(&stack).add_info("for information only");
    app
}

#[test]
fn strict_fails_on_warnings() {
    let cli = Cli::try_parse_from(["app", "synth", "--strict"]).unwrap();
    assert!(matches!(cli.command, Some(Command::Synth(args)) if args.strict));

    // Without --strict, a warning is reported (on stderr) and synth succeeds.
    let dir = temp_dir("warned");
    let (result, stdout) = run(warned(), &["synth", "-o", dir.to_str().unwrap()]);
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let file = std::fs::read_to_string(dir.join("Only.template.json")).unwrap();
    assert_eq!(stdout, format!("{file}\n"));

    // With it, the warning is the error, and no template is printed.
    let dir = temp_dir("strict");
    let (result, stdout) = run(
        warned(),
        &["synth", "--strict", "-o", dir.to_str().unwrap()],
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "Only/Topic: the topic is not encrypted"
    );
    assert_eq!(stdout, "");
}

#[test]
fn strict_passes_without_warnings() {
    // Info messages and acknowledged warnings do not count.
    let app = App::new();
    // About what is rendered: the command line runs the rule packs, which
    // would report these placeholders.
    app.set_context(formwork_core::RULE_PACKS_CONTEXT, "none");
    let stack = app.stack("Only");
    Annotations::of(&stack).add_info("for information only");
    Annotations::of(&stack).add_warning_v2("demo:open", "open to the world");
    Annotations::of(&stack).acknowledge_warning("demo:open", "on purpose");
    let dir = temp_dir("strict-ok");
    let (result, _) = run(
        app,
        &["synth", "--strict", "--quiet", "-o", dir.to_str().unwrap()],
    );
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
    let (result, _) = run(
        single(),
        &["synth", "--strict", "-o", dir.to_str().unwrap()],
    );
    assert_eq!(result.unwrap(), ExitCode::SUCCESS);
}

#[test]
fn context_arguments_are_accepted_by_the_parser() {
    // Before the verb, after it, without a verb, repeated, in every spelling.
    let cli = Cli::try_parse_from(["app", "-c", "stage=prod", "synth", "-o", "out"]).unwrap();
    assert_eq!(cli.context, ["stage=prod"]);
    match cli.command {
        Some(Command::Synth(args)) => assert_eq!(args.output, Some(PathBuf::from("out"))),
        other => panic!("expected synth, got {other:?}"),
    }
    let cli = Cli::try_parse_from([
        "app",
        "synth",
        "--context",
        "count=3",
        "--context=flag=true",
    ])
    .unwrap();
    assert_eq!(cli.context, ["count=3", "flag=true"]);
    let cli = Cli::try_parse_from(["app", "-c", "k=v"]).unwrap();
    assert!(cli.command.is_none());
    assert_eq!(cli.context, ["k=v"]);
    let cli = Cli::try_parse_from(["app", "list", "-c", "k=v"]).unwrap();
    assert_eq!(cli.context, ["k=v"]);
    // App::new reads the process arguments with context_arguments, which
    // takes them wherever they are. (clap's global arguments keep only the
    // values given after the verb when both positions are used, so
    // `cli.context` is not where the app gets its context from.)
    let args: Vec<String> = ["-c", "a=1", "synth", "-c", "b=2", "--context=c=true"]
        .map(String::from)
        .to_vec();
    assert_eq!(
        formwork_core::context_arguments(&args),
        ["a=1", "b=2", "c=true"]
    );
    let app = App::with_context(formwork_core::Context::from_pairs(["count=3"]));
    assert_eq!(app.context("count"), Some(serde_json::json!(3)));
}
