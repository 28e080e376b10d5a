//! Without the `deploy` feature, an app hands `deploy`, `diff` and
//! `destroy` to the `formwork` command with the assembly it just wrote
//! (`cargo test -p formwork-cli --no-default-features --test forward`; CI
//! runs it so). With the feature, these verbs run in the app itself.
#![cfg(not(feature = "deploy"))]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use formwork_cli::{run_to, Cli, OUTDIR_ENV};
use formwork_core::{App, CfnResource, Context, Scope};

fn app() -> App {
    let app = App::with_context(Context::empty());
    app.stack("Only")
        .add_resource("Topic", CfnResource::new("AWS::SNS::Topic"))
        .unwrap();
    app
}

/// One test, because it sets process-wide environment variables.
#[test]
fn deploy_verbs_go_to_the_formwork_command_with_the_assembly() {
    let base = std::env::temp_dir().join(format!("formwork-forward-{}", std::process::id()));
    std::fs::create_dir_all(&base).unwrap();
    let out = base.join("assembly");
    let record = base.join("args.txt");
    // A stand-in for the `formwork` command: records its arguments and
    // exits with 3, which the app must pass on.
    let tool = base.join("fake-formwork");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit 3\n",
            record.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::env::set_var(OUTDIR_ENV, &out);
    std::env::set_var("FORMWORK_DEPLOY_TOOL", &tool);

    let mut stdout = Vec::new();
    let cli = Cli::parse_from(["app", "deploy", "--require-approval", "never", "Only"]);
    let code = run_to(app(), cli, &mut stdout).unwrap();
    assert_eq!(code, ExitCode::from(3));
    let args = std::fs::read_to_string(&record).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "deploy",
            "--app",
            out.to_str().unwrap(),
            "--require-approval",
            "never",
            "Only"
        ]
    );
    assert!(
        out.join("Only.template.json").exists(),
        "the assembly is written first"
    );

    // Not installed: an error that says how to get it.
    std::env::set_var("FORMWORK_DEPLOY_TOOL", base.join("missing"));
    let cli = Cli::parse_from(["app", "diff"]);
    let error = run_to(app(), cli, &mut stdout).unwrap_err().to_string();
    assert!(
        error.starts_with("diff: diff needs the `formwork` command")
            && error.contains("cargo install formwork-cli"),
        "{error}"
    );
    // An unknown verb is refused, not forwarded.
    let cli = Cli::parse_from(["app", "deplyo"]);
    let error = run_to(app(), cli, &mut stdout).unwrap_err().to_string();
    assert_eq!(
        error,
        "deplyo: unknown command; the verbs are synth, list, deploy, diff and destroy"
    );
    std::env::remove_var("FORMWORK_DEPLOY_TOOL");
    std::env::remove_var(OUTDIR_ENV);
    let _ = std::fs::remove_dir_all(PathBuf::from(&base));
}
