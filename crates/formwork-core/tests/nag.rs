//! Rule packs at synthesis (feature `nag`): findings as annotations,
//! suppressions rendered as cdk-nag's metadata, unused suppressions, the
//! switch, and the reports in the cloud assembly.
#![cfg(feature = "nag")]

use formwork_core::nag::{AppliesTo, NagSuppressions, Suppression, RULE_PACKS_CONTEXT};
use formwork_core::{App, CfnResource, Context, Expr, Level, ResourceRef, Scope};
use serde_json::{json, Value};

const LEX: &str = "arn:aws:iam::aws:policy/AmazonLexRunBotsOnly";
const LEX_FINDING: &str = "Policy::arn:aws:iam::aws:policy/AmazonLexRunBotsOnly";

fn app() -> App {
    let app = App::with_context(Context::empty());
    // Placeholder trust policies: the schema is not what these tests are about.
    app.set_validation(false);
    // As formwork's command line does for every app.
    app.enable_rule_packs();
    app
}

/// A role with an AWS managed policy: AwsSolutions-IAM4, an error.
fn role(scope: &impl Scope, id: &str, arns: Vec<Expr>) -> ResourceRef {
    scope
        .add_resource(
            id,
            CfnResource::new("AWS::IAM::Role")
                .set("AssumeRolePolicyDocument", json!({"Statement": []}))
                .set("ManagedPolicyArns", Expr::List(arns)),
        )
        .unwrap()
}

fn lex() -> Vec<Expr> {
    vec![LEX.into()]
}

fn suppress_lex() -> Suppression {
    Suppression::new(
        "AwsSolutions-IAM4",
        "the bot runtime needs exactly this AWS managed policy",
    )
    .applies_to([AppliesTo::Exact(LEX_FINDING.into())])
}

#[test]
fn an_error_finding_fails_synth_naming_path_logical_id_rule_and_fix() {
    let app = app();
    let stack = app.stack("Demo");
    let group = stack.child("Bot").unwrap();
    role(&group, "Runner", lex());
    let error = app.synth().unwrap_err().to_string();
    assert!(
        error.starts_with(&format!(
            "Demo/Bot/Runner: AwsSolutions-IAM4[{LEX_FINDING}] on BotRunner"
        )),
        "{error}"
    );
    assert!(
        error.contains("uses AWS managed policies")
            && error.contains("Replace AWS managed policies")
            && error.contains("NagSuppressions::add"),
        "{error}"
    );
}

#[test]
fn a_suppression_on_a_scope_covers_every_resource_below_it_as_cdk_nag_metadata() {
    let app = app();
    let stack = app.stack("Demo");
    let group = stack.child("Bot").unwrap();
    role(&group, "Runner", lex());
    role(&group, "Other", lex());
    NagSuppressions::add(&group, [suppress_lex()]).unwrap();
    let assembly = app.synth().unwrap();
    let template = &assembly.stacks[0].template;
    for id in ["BotRunner8E2E5CC6", "BotOther86ABEBC8"] {
        let resource = template
            .resources
            .iter()
            .find(|(k, _)| k.starts_with(&id[..id.len() - 8]))
            .map(|(_, r)| r)
            .unwrap_or_else(|| panic!("{id}"));
        assert_eq!(
            resource.metadata["cdk_nag"],
            json!({"rules_to_suppress": [{
                "reason": "the bot runtime needs exactly this AWS managed policy",
                "id": "AwsSolutions-IAM4",
                "applies_to": [LEX_FINDING],
            }]})
        );
    }
    assert!(assembly.messages().is_empty(), "{:?}", assembly.messages());
}

#[test]
fn a_stack_suppression_is_template_metadata_and_merges_with_existing_metadata() {
    let app = app();
    let stack = app.stack("Demo");
    let runner = role(&stack, "Runner", lex());
    // Metadata already there (as cdk-nag itself, or a hand-written L1, would write it).
    let existing = suppress_lex().to_metadata();
    runner.update(|r| {
        r.metadata.insert(
            "cdk_nag",
            json!({"rules_to_suppress": [existing.clone()]}).into(),
        );
    });
    NagSuppressions::add(&runner, [suppress_lex()]).unwrap();
    let wildcard = Suppression::new("AwsSolutions-IAM5", "no wildcards are used in this demo");
    NagSuppressions::add(&stack, [wildcard.clone()]).unwrap();
    NagSuppressions::add(&stack, [wildcard.clone()]).unwrap();
    let assembly = app.synth().unwrap();
    let template = &assembly.stacks[0].template;
    // Merged without a duplicate.
    assert_eq!(
        template.resources["Runner"].metadata["cdk_nag"],
        json!({"rules_to_suppress": [existing]})
    );
    assert_eq!(
        template.metadata["cdk_nag"],
        json!({"rules_to_suppress": [wildcard.to_metadata()]})
    );
    // The stack-wide IAM5 suppression suppressed nothing: a warning on the stack.
    let warnings: Vec<String> = assembly.warnings().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["[warning] Demo: the suppression of AwsSolutions-IAM5 suppresses nothing: remove it, or it will hide a future finding without review"]
    );
}

#[test]
fn a_bad_suppression_is_an_error_at_the_call_naming_the_construct() {
    let app = app();
    let stack = app.stack("Demo");
    let runner = role(&stack, "Runner", lex());
    let short = NagSuppressions::add(&runner, [Suppression::new("AwsSolutions-IAM4", "fine")]);
    let short = short.unwrap_err().to_string();
    assert!(
        short.starts_with("Demo/Runner: suppression of \"AwsSolutions-IAM4\": the reason must have 10 characters or more"),
        "{short}"
    );
    let finding_in_id = NagSuppressions::add(
        &runner,
        [Suppression::new(
            format!("AwsSolutions-IAM4[{LEX_FINDING}]"),
            "a long enough reason",
        )],
    );
    let finding_in_id = finding_in_id.unwrap_err().to_string();
    assert!(
        finding_in_id.contains("suppress a finding with applies_to"),
        "{finding_in_id}"
    );
    // Nothing was recorded: the finding still fails synth.
    assert!(app.synth().is_err());
}

#[test]
fn a_scope_suppression_used_by_one_resource_is_used() {
    let app = app();
    let stack = app.stack("Demo");
    let group = stack.child("Roles").unwrap();
    role(&group, "Runner", lex());
    role(&group, "Clean", vec![]);
    NagSuppressions::add(&group, [suppress_lex()]).unwrap();
    let assembly = app.synth().unwrap();
    assert!(assembly.messages().is_empty(), "{:?}", assembly.messages());
}

#[test]
fn an_unused_suppression_on_a_resource_is_a_warning_where_it_was_given() {
    let app = app();
    let stack = app.stack("Demo");
    let clean = role(&stack, "Clean", vec![]);
    NagSuppressions::add(&clean, [suppress_lex()]).unwrap();
    let assembly = app.synth().unwrap();
    let messages = assembly.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].path, "Demo/Clean");
    assert_eq!(messages[0].level, Level::Warning);
    assert!(messages[0]
        .text
        .contains(&format!("AwsSolutions-IAM4 (applies to {LEX_FINDING})")));
}

#[test]
fn a_value_a_rule_cannot_judge_is_a_warning() {
    let app = app();
    let stack = app.stack("Demo");
    let runner = role(&stack, "Runner", vec![]);
    runner.add_property_override("ManagedPolicyArns", json!({"Fn::Split": [",", "a,b"]}));
    let assembly = app.synth().unwrap();
    let warnings: Vec<_> = assembly.warnings().collect();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .text
            .starts_with("CdkNagValidationFailure[AwsSolutions-IAM4] on Runner: 'AwsSolutions-IAM4' could not check a value"),
        "{}",
        warnings[0].text
    );
    // Suppressed as cdk-nag reads it: the failure id, applying to the rule.
    NagSuppressions::add(
        &runner,
        [Suppression::new(
            "CdkNagValidationFailure",
            "the list is split from a literal, reviewed",
        )
        .applies_to([AppliesTo::Exact("AwsSolutions-IAM4".into())])],
    )
    .unwrap();
    assert!(app.synth().unwrap().messages().is_empty());
}

#[test]
fn the_switch_turns_a_pack_off_by_api_or_context() {
    let off_by_api = app();
    role(&off_by_api.stack("Demo"), "Runner", lex());
    off_by_api.disable_rule_pack("AwsSolutions");
    let assembly = off_by_api.synth().unwrap();
    assert!(assembly.stacks[0].reports.is_empty());

    for value in [json!("none"), json!([]), json!("")] {
        let app = app();
        role(&app.stack("Demo"), "Runner", lex());
        app.set_context(RULE_PACKS_CONTEXT, value.clone());
        assert!(app.synth().is_ok(), "{value}");
    }
    let chosen = app();
    role(&chosen.stack("Demo"), "Runner", lex());
    chosen.set_context(RULE_PACKS_CONTEXT, json!(["AwsSolutions"]));
    assert!(chosen.synth().is_err());

    let typo = app();
    typo.stack("Demo");
    typo.set_context(RULE_PACKS_CONTEXT, "AwsSolution");
    assert_eq!(
        typo.synth().unwrap_err().to_string(),
        "App: formwork:rulePacks: unknown rule pack \"AwsSolution\"; the packs are AwsSolutions"
    );
    let typo = app();
    typo.stack("Demo");
    typo.disable_rule_pack("HIPAA");
    assert!(typo
        .synth()
        .unwrap_err()
        .to_string()
        .contains("unknown rule pack \"HIPAA\""));
}

#[test]
fn the_reports_are_written_into_the_assembly_in_cdk_nag_formats() {
    let app = app();
    let stack = app.stack("Demo");
    let group = stack.child("Bot").unwrap();
    role(&group, "Runner", lex());
    NagSuppressions::add(&group, [suppress_lex()]).unwrap();
    // A stack without resources has no report, as with cdk-nag.
    app.stack("Empty").output("Nothing", "none");
    let assembly = app.synth().unwrap();
    let names: Vec<&str> = assembly
        .stacks
        .iter()
        .flat_map(|s| s.reports.iter().map(|r| r.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            "AwsSolutions-Demo-NagReport.csv",
            "AwsSolutions-Demo-NagReport.json"
        ]
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cdk.out");
    assembly.write(&out).unwrap();
    let csv = std::fs::read_to_string(out.join("AwsSolutions-Demo-NagReport.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info")
    );
    assert!(
        csv.contains("\"AwsSolutions-IAM4\",\"Demo/Bot/Runner\",\"Suppressed\",\"[Policy::arn:aws:iam::aws:policy/AmazonLexRunBotsOnly] the bot runtime needs exactly this AWS managed policy\",\"Error\""),
        "{csv}"
    );
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("AwsSolutions-Demo-NagReport.json")).unwrap(),
    )
    .unwrap();
    assert!(json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["ruleId"] == "AwsSolutions-IAM5"
            && l["compliance"] == "Compliant"
            && l["resourceId"] == "Demo/Bot/Runner"));
    // A second write with the pack off leaves no stale report behind.
    app.disable_rule_pack("AwsSolutions");
    NagSuppressions::add(
        &stack,
        [Suppression::new(
            "AwsSolutions-IAM5",
            "keeps the metadata only",
        )],
    )
    .unwrap();
    app.synth().unwrap().write(&out).unwrap();
    assert!(!out.join("AwsSolutions-Demo-NagReport.csv").exists());
}
