//! The scale example's apps at small sizes: stack splitting, resource and
//! output counts, and a full `synth --output DIR` through the CLI path.
//! (Timings live in `benches/synth.rs` and BENCHMARKS.md, never in tests.)

#![cfg(all(feature = "cli", feature = "cognito"))]

use formwork::limits;

#[path = "../examples/support/scale_app.rs"]
mod scale_app;

use scale_app::{Scale, POOLS_PER_STACK, ROLES_PER_STACK};

fn count_type(template: &formwork::Template, type_name: &str) -> usize {
    template
        .resources
        .values()
        .filter(|r| r.type_name == type_name)
        .count()
}

#[test]
fn pool_copies_are_split_and_complete() {
    let assembly = Scale::Pool(3).app().unwrap().synth().unwrap();
    assert_eq!(assembly.stacks.len(), 1);
    let t = &assembly.stacks[0].template;
    assert_eq!(t.resources.len(), 3 * 4);
    assert_eq!(count_type(t, "AWS::Cognito::IdentityPool"), 3);
    assert_eq!(count_type(t, "AWS::IAM::Role"), 6);
    assert_eq!(count_type(t, "AWS::Cognito::IdentityPoolRoleAttachment"), 3);
    assert_eq!(t.outputs.len(), 3);
    for role in t
        .resources
        .values()
        .filter(|r| r.type_name == "AWS::IAM::Role")
    {
        let arns = role.properties["ManagedPolicyArns"].as_array().unwrap();
        assert_eq!(arns.len(), 1);
        assert!(arns[0].to_string().contains("AmazonLexRunBotsOnly"));
    }

    // One stack more than a full one.
    let n = POOLS_PER_STACK + 1;
    let assembly = Scale::Pool(n).app().unwrap().synth().unwrap();
    assert_eq!(assembly.stacks.len(), Scale::Pool(n).stack_count());
    assert_eq!(assembly.stacks.len(), 2);
    assert_eq!(
        assembly.stacks[0].template.resources.len(),
        4 * POOLS_PER_STACK
    );
    assert_eq!(assembly.stacks[1].template.resources.len(), 4);
    for s in &assembly.stacks {
        assert!(s.template.resources.len() <= limits::MAX_RESOURCES);
        assert!(s.template.outputs.len() <= limits::MAX_OUTPUTS);
    }
}

#[test]
fn roles_are_split_within_quotas() {
    let n = 450;
    let assembly = Scale::Roles(n).app().unwrap().synth().unwrap();
    assert_eq!(assembly.stacks.len(), 2);
    let names: Vec<&str> = assembly.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ScaleRoles1", "ScaleRoles2"]);
    let roles: Vec<usize> = assembly
        .stacks
        .iter()
        .map(|s| count_type(&s.template, "AWS::IAM::Role"))
        .collect();
    assert_eq!(roles, [ROLES_PER_STACK, n - ROLES_PER_STACK]);
    for s in &assembly.stacks {
        let t = &s.template;
        assert_eq!(count_type(t, "AWS::Cognito::IdentityPool"), 1);
        assert!(t.resources.len() <= limits::MAX_RESOURCES);
        assert!(t.outputs.len() <= limits::MAX_OUTPUTS);
        assert!(s.dependencies.is_empty(), "no cross-stack references");
        // Every role trusts its own stack's pool only.
        let pool_id = t
            .resources
            .iter()
            .find(|(_, r)| r.type_name == "AWS::Cognito::IdentityPool")
            .map(|(id, _)| id.clone())
            .unwrap();
        for role in t
            .resources
            .values()
            .filter(|r| r.type_name == "AWS::IAM::Role")
        {
            let condition =
                &role.properties["AssumeRolePolicyDocument"]["Statement"][0]["Condition"];
            assert_eq!(
                condition["StringEquals"]["cognito-identity.amazonaws.com:aud"],
                serde_json::json!({ "Ref": pool_id })
            );
        }
    }
}

#[test]
fn scale_synth_writes_the_assembly_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("formwork-scale-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let app = Scale::Roles(450).app().unwrap();
    let args = [
        "scale",
        "synth",
        "--output",
        dir.to_str().unwrap(),
        "--quiet",
    ];
    formwork::cli::run_args(app, args).unwrap();

    let manifest = formwork::assembly::Manifest::read(&dir).unwrap();
    assert_eq!(manifest.artifacts.len(), 2);
    let expected = Scale::Roles(450).app().unwrap().synth().unwrap();
    for stack in &expected.stacks {
        let written = std::fs::read_to_string(dir.join(stack.template_file())).unwrap();
        assert_eq!(written, stack.template.to_json(), "{}", stack.name);
        let artifact = &manifest.artifacts[&stack.name];
        // Every element's logical ID (annotations, such as the rule packs'
        // warnings, may add entries of their own).
        let with_ids = artifact
            .metadata
            .values()
            .filter(|entries| entries.iter().any(|e| e.entry_type == "aws:cdk:logicalId"))
            .count();
        assert_eq!(with_ids, stack.logical_ids.len());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scale_arguments_parse() {
    assert_eq!(Scale::parse("roles", "5000"), Some(Scale::Roles(5000)));
    assert_eq!(Scale::parse("pool", "1_000"), Some(Scale::Pool(1000)));
    assert_eq!(Scale::parse("buckets", "3"), None);
    assert_eq!(Scale::parse("roles", "many"), None);
    assert_eq!(Scale::Roles(20_000).stack_count(), 50);
    assert_eq!(Scale::Pool(500).stack_count(), 5);
}
