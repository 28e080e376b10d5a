//! The `formwork` command reads cloud assemblies written by the AWS CDK
//! itself: `tests/fixtures/cdk-assembly` was made by `aws-cdk-lib`
//! (`benches/cdk/make-cli-fixture.js`). `.ci/run` also deploys it to moto.
#![cfg(feature = "deploy")]

use std::path::Path;

#[test]
fn a_cdk_assembly_reads_as_stacks_with_paths_dependencies_and_tags() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cdk-assembly");
    let stacks = formwork_cli::stack_specs(&dir).unwrap();
    let names: Vec<&str> = stacks.iter().map(|s| s.stack_name.as_str()).collect();
    assert_eq!(names, ["CdkShared", "CdkConsumer"]);
    let consumer = &stacks[1];
    // The asset manifests the CDK lists as dependencies order nothing.
    assert_eq!(consumer.dependencies, ["CdkShared"]);
    assert_eq!(
        consumer.tags.get("made-by").map(String::as_str),
        Some("aws-cdk")
    );
    assert!(consumer.template_body.contains("AWS::SQS::Queue"));
    let shared = &stacks[0];
    // From the CDK's additionalMetadataFile.
    assert_eq!(
        shared
            .construct_paths
            .get("Worker11F36D0F")
            .map(String::as_str),
        Some("CdkShared/Worker/Resource")
    );
    assert!(!shared.termination_protection);
    // aws://unknown-account/unknown-region: the credentials decide.
    assert_eq!((&shared.account, &shared.region), (&None, &None));
}

#[test]
fn the_environment_a_stack_names_is_where_it_deploys() {
    use formwork_core::{App, Environment, StackProps};
    let app = App::new();
    let stack = |name: &str, env: Environment| {
        app.stack_with(
            name,
            StackProps {
                env,
                ..Default::default()
            },
        )
        .output("Region", "here");
    };
    stack("Pinned", Environment::new("123456789012", "eu-west-1"));
    stack(
        "RegionOnly",
        Environment {
            account: None,
            region: Some("ap-south-1".into()),
        },
    );
    stack("Agnostic", Environment::default());
    let dir = std::env::temp_dir().join(format!("formwork-cli-env-{}", std::process::id()));
    app.synth().unwrap().write(&dir).unwrap();
    let stacks = formwork_cli::stack_specs(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let envs: Vec<(&str, Option<&str>, Option<&str>)> = stacks
        .iter()
        .map(|s| {
            (
                s.stack_name.as_str(),
                s.account.as_deref(),
                s.region.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        envs,
        [
            ("Pinned", Some("123456789012"), Some("eu-west-1")),
            ("RegionOnly", None, Some("ap-south-1")),
            ("Agnostic", None, None),
        ]
    );
}

#[test]
fn a_directory_that_is_not_an_assembly_is_an_error_naming_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let error = formwork_cli::stack_specs(&dir).unwrap_err().to_string();
    assert!(
        error.starts_with("cannot read ") && error.contains("manifest.json"),
        "{error}"
    );
}
