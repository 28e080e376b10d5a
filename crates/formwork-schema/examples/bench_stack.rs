//! Times validating the four resources of the lex-web-bot stack
//! (`AWS::Cognito::IdentityPool`, 2x `AWS::IAM::Role`,
//! `AWS::Cognito::IdentityPoolRoleAttachment`): the first pass in a fresh
//! process pays the lazy schema parse and regex compilation; later passes
//! are warm.
//!
//! `cargo run --release -p formwork-schema --example bench_stack [-- -v | --once]`

use std::time::Instant;

use serde_json::{json, Value};

fn stack() -> Vec<(&'static str, Value)> {
    let trust = |amr: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": {"Ref": "BotPool952BDFC5"}},
                          "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}}]})
    };
    let lex = json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonLexRunBotsOnly"]]});
    vec![
        (
            "AWS::Cognito::IdentityPool",
            json!({"IdentityPoolName": "BotPool", "AllowUnauthenticatedIdentities": true}),
        ),
        (
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust("authenticated"), "ManagedPolicyArns": [lex.clone()]}),
        ),
        (
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust("unauthenticated"), "ManagedPolicyArns": [lex]}),
        ),
        (
            "AWS::Cognito::IdentityPoolRoleAttachment",
            json!({"IdentityPoolId": {"Ref": "BotPool952BDFC5"},
            "Roles": {"authenticated": {"Fn::GetAtt": ["BotPoolAuthenticatedRoleA72E555F", "Arn"]},
                      "unauthenticated": {"Fn::GetAtt": ["BotPoolUnauthenticatedRole06643A7A", "Arn"]}}}),
        ),
    ]
}

fn pass(resources: &[(&'static str, Value)]) -> usize {
    let mut n = 0;
    for (t, p) in resources {
        n += formwork_schema::validate_properties(t, Some(p)).len();
        n += usize::from(formwork_schema::check_attribute(t, "Arn").is_some());
    }
    n
}

fn main() {
    let resources = stack();
    if std::env::args().any(|a| a == "-v") {
        for (t, p) in &resources {
            let s = Instant::now();
            let _ = formwork_schema::resource_schema(t);
            let parsed = s.elapsed();
            formwork_schema::validate_properties(t, Some(p));
            println!(
                "{t}: parse {parsed:?}, first validation {:?}",
                s.elapsed() - parsed
            );
        }
    }
    let t0 = Instant::now();
    let found = pass(&resources);
    let cold = t0.elapsed();
    assert_eq!(
        found, 2,
        "only the GetAtt Arn checks on the two Cognito types should fail"
    );
    if std::env::args().any(|a| a == "--once") {
        println!("cold (first pass, lazy load): {cold:?}");
        return;
    }
    let runs = 1000;
    let t1 = Instant::now();
    for _ in 0..runs {
        pass(&resources);
    }
    let warm = t1.elapsed() / runs;
    println!("cold (first pass, lazy load): {cold:?}; warm: {warm:?} per pass of 4 resources");
}
