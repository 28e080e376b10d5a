//! `formwork check TEMPLATE.json...`: the built binary over template files,
//! its lines, its exit status, and its messages about unreadable files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;

const LEX: &str = "arn:aws:iam::aws:policy/AmazonLexRunBotsOnly";

fn formwork(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_formwork"))
        .arg("check")
        .args(args)
        .output()
        .expect("the formwork binary runs")
}

fn write(dir: &Path, name: &str, template: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(template).unwrap()).unwrap();
    path
}

fn role(metadata: serde_json::Value) -> serde_json::Value {
    json!({"Resources": {"Runner": {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {"Statement": []},
            "ManagedPolicyArns": [LEX]
        },
        "Metadata": metadata
    }}})
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn an_unsuppressed_error_is_one_line_and_exit_status_1() {
    let dir = tempfile_dir("error");
    let path = write(&dir, "Bot.template.json", &role(json!({})));
    let output = formwork(&[&path]);
    assert_eq!(
        stdout(&output),
        format!("AwsSolutions-IAM4\tRunner\terror\tPolicy::{LEX}\n")
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn a_suppressed_finding_is_silent_and_exit_status_0() {
    let dir = tempfile_dir("suppressed");
    let suppressed = role(json!({"cdk_nag": {"rules_to_suppress": [{
        "reason": "the bot runtime needs this managed policy",
        "id": "AwsSolutions-IAM4",
        "applies_to": [format!("Policy::{LEX}")]
    }]}}));
    let path = write(&dir, "Bot.template.json", &suppressed);
    let output = formwork(&[&path]);
    assert_eq!(stdout(&output), "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn several_files_prefix_each_line_with_the_file() {
    let dir = tempfile_dir("several");
    let bad = write(&dir, "A.template.json", &role(json!({})));
    let clean = write(&dir, "B.template.json", &json!({"Resources": {}}));
    let output = formwork(&[&bad, &clean]);
    assert_eq!(
        stdout(&output),
        format!(
            "{}\tAwsSolutions-IAM4\tRunner\terror\tPolicy::{LEX}\n",
            bad.display()
        )
    );
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_unreadable_file_is_exit_status_2_naming_it() {
    let dir = tempfile_dir("unreadable");
    let missing = dir.join("Missing.template.json");
    let output = formwork(&[&missing]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(&format!("error: {}: cannot read", missing.display())),
        "{}",
        stderr(&output)
    );

    let yaml = dir.join("Bot.yaml");
    std::fs::write(&yaml, "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n").unwrap();
    let clean = write(&dir, "Clean.template.json", &json!({"Resources": {}}));
    let output = formwork(&[&yaml, &clean]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("YAML templates are not read"),
        "{}",
        stderr(&output)
    );

    // A suppression cdk-nag would refuse makes the template unreadable too.
    let short = write(
        &dir,
        "Short.template.json",
        &role(
            json!({"cdk_nag": {"rules_to_suppress": [{"reason": "ok", "id": "AwsSolutions-IAM4"}]}}),
        ),
    );
    let output = formwork(&[&short]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("10 characters"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn without_files_it_is_a_usage_error() {
    let output = formwork(&[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_library_function_writes_the_same_lines() {
    let dir = tempfile_dir("library");
    let path = write(&dir, "Bot.template.json", &role(json!({})));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = formwork_cli::check_files(&[&path], &mut out, &mut err).unwrap();
    assert_eq!(code, formwork_cli::CHECK_FOUND_ERRORS);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("AwsSolutions-IAM4\tRunner\terror\tPolicy::{LEX}\n")
    );
}

/// A fresh directory under the target's temp dir for one test.
fn tempfile_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("formwork-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
