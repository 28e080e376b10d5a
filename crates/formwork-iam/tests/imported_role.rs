//! Roles imported by ARN: names, grants to a mutable import, none to an
//! immutable one, and the exact error of every malformed ARN.

use formwork_core::template::Parameter;
use formwork_core::{App, Environment, StackProps, Template};
use formwork_iam::{Grant, ImportOptions, Role, Statement};
use serde_json::{json, Value};

const ARN: &str = "arn:aws:iam::111122223333:role/service/ops/Deployer";

fn synth_one(app: &App) -> Template {
    app.synth().unwrap().stacks.remove(0).template
}

fn properties(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id].properties).unwrap()
}

#[track_caller]
fn arn_error(arn: &str) -> String {
    let app = App::new();
    Role::from_role_arn(&app.stack("S"), "R", arn, ImportOptions::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn a_mutable_import_takes_grants_through_a_policy_of_its_own() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::from_role_arn(&stack, "Ops", ARN, ImportOptions::default()).unwrap();
    assert!(role.is_mutable());
    assert_eq!(role.role_arn().as_str(), Some(ARN));
    assert_eq!(role.role_name().as_str(), Some("Deployer"));
    // Nothing until the first grant.
    assert!(synth_one(&app).resources.is_empty());

    let first = Grant::add_to_principal(
        &role,
        ["sqs:SendMessage"],
        ["arn:aws:sqs:us-east-1:111122223333:jobs"],
    )
    .unwrap();
    assert_eq!(
        first.statements(),
        [Statement::allow()
            .actions(["sqs:SendMessage"])
            .resources(["arn:aws:sqs:us-east-1:111122223333:jobs"])]
    );
    Grant::add_to_principal(&role, ["s3:GetObject"], ["arn:aws:s3:::site/*"]).unwrap();
    // The same statement again is not repeated.
    Grant::add_to_principal(&role, ["s3:GetObject"], ["arn:aws:s3:::site/*"]).unwrap();
    let t = synth_one(&app);
    assert_eq!(t.resources.len(), 1);
    assert_eq!(
        t.resources["OpsPolicy3BEE04E9"].metadata["aws:cdk:path"],
        "S/Ops/Policy/Resource"
    );
    assert_eq!(
        properties(&t, "OpsPolicy3BEE04E9"),
        json!({
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}
            ]},
            // The stack's name is part of it: another stack importing the
            // same role at the same path does not replace this policy.
            "PolicyName": "SOpsPolicy078CE36D",
            "Roles": ["Deployer"]
        })
    );
}

#[test]
fn an_immutable_import_takes_nothing() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::from_role_arn(&stack, "Ops", ARN, ImportOptions { mutable: false }).unwrap();
    assert!(!role.is_mutable());
    let grant = Grant::add_to_principal(&role, ["sqs:SendMessage"], ["*"]).unwrap();
    assert!(!grant.success());
    assert!(grant.statements().is_empty());
    assert!(synth_one(&app).resources.is_empty());
}

#[test]
fn a_role_of_another_account_is_imported_immutable() {
    let app = App::new();
    let other = app.stack_with(
        "Other",
        StackProps {
            env: Environment::new("999999999999", "us-east-1"),
            ..Default::default()
        },
    );
    let role = Role::from_role_arn(&other, "Ops", ARN, ImportOptions::default()).unwrap();
    assert!(!role.is_mutable());
    let same = app.stack_with(
        "Same",
        StackProps {
            env: Environment::new("111122223333", "us-east-1"),
            ..Default::default()
        },
    );
    assert!(
        Role::from_role_arn(&same, "Ops", ARN, ImportOptions::default())
            .unwrap()
            .is_mutable()
    );
}

#[test]
fn an_arn_known_at_deploy_time_gives_the_name_by_split() {
    let app = App::new();
    let stack = app.stack("S");
    let arn = stack.parameter(
        "RoleArn",
        Parameter {
            type_name: "String".into(),
            ..Default::default()
        },
    );
    let role = Role::from_role_arn(&stack, "Ops", arn.value(), ImportOptions::default()).unwrap();
    assert!(role.is_mutable());
    Grant::add_to_principal(&role, ["sqs:SendMessage"], ["*"]).unwrap();
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, "OpsPolicy3BEE04E9")["Roles"],
        json!([{"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::Select": [5, {"Fn::Split": [":", {"Ref": "RoleArn"}]}]}]}]}])
    );
}

#[test]
fn malformed_arns_name_the_path_the_property_and_the_rule() {
    let rule =
        "S/R: RoleArn: must be arn:<partition>:iam::<12-digit account>:role/<optional path/>name";
    assert_eq!(
        arn_error("Deployer"),
        format!("{rule}: it needs six ':'-separated fields, got \"Deployer\"")
    );
    assert_eq!(
        arn_error("arn:aws:iam::111122223333:user/Deployer"),
        format!("{rule}: the resource must be role/<name>, got \"arn:aws:iam::111122223333:user/Deployer\"")
    );
    assert_eq!(
        arn_error("arn:aws:iam::1111:role/Deployer"),
        format!("{rule}: the account must be 12 digits, got \"arn:aws:iam::1111:role/Deployer\"")
    );
    assert_eq!(
        arn_error("arn:aws:iam:us-east-1:111122223333:role/Deployer"),
        format!("{rule}: IAM is global: the region field must be empty, got \"arn:aws:iam:us-east-1:111122223333:role/Deployer\"")
    );
    assert_eq!(
        arn_error("arn:aws:s3::111122223333:role/Deployer"),
        format!("{rule}: the service must be iam, got \"arn:aws:s3::111122223333:role/Deployer\"")
    );
    assert_eq!(
        arn_error("arn:AWS:iam::111122223333:role/Deployer"),
        format!("{rule}: the partition must be aws or aws-<name>, got \"arn:AWS:iam::111122223333:role/Deployer\"")
    );
    assert_eq!(
        arn_error("arn:aws:iam::111122223333:role/"),
        "S/R: RoleArn (role name): must be 1-64 characters long, got 0 (\"\")"
    );
    assert_eq!(
        arn_error("arn:aws:iam::111122223333:role/a b"),
        "S/R: RoleArn (role name): must match ^[\\w+=,.@-]+$; ' ' is not allowed in \"a b\""
    );
    // Other partitions are fine.
    let app = App::new();
    let role = Role::from_role_arn(
        &app.stack("S"),
        "R",
        "arn:aws-us-gov:iam::111122223333:role/Gov",
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(role.role_name().as_str(), Some("Gov"));
}
