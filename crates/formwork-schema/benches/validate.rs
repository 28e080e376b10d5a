//! Validation benchmarks (divan): `cargo bench -p formwork-schema --bench validate`.
//!
//! `role` validates the properties of a representative `AWS::IAM::Role` (a
//! Cognito trust policy and one managed policy ARN built with `Fn::Join`);
//! the schema is parsed and compiled before timing starts.

use std::hint::black_box;

use serde_json::Value;

fn main() {
    divan::main();
}

const ROLE: &str = r#"{"AssumeRolePolicyDocument": {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":{"Ref":"Pool"}},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]},"ManagedPolicyArns":[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonLexRunBotsOnly"]]}]}"#;

/// A valid `AWS::IAM::Role`.
#[divan::bench]
fn role(bencher: divan::Bencher) {
    let props: Value = serde_json::from_str(ROLE).unwrap();
    assert!(formwork_schema::validate_properties("AWS::IAM::Role", Some(&props)).is_empty());
    bencher.bench_local(|| {
        formwork_schema::validate_properties(black_box("AWS::IAM::Role"), Some(black_box(&props)))
    });
}

/// An `AWS::IAM::Role` with two violations (a bad `RoleName`, a missing
/// `AssumeRolePolicyDocument`): the cost of reporting.
#[divan::bench]
fn role_invalid(bencher: divan::Bencher) {
    let props: Value = serde_json::from_str(r#"{"RoleName": "bad name!"}"#).unwrap();
    assert_eq!(
        formwork_schema::validate_properties("AWS::IAM::Role", Some(&props)).len(),
        2
    );
    bencher.bench_local(|| {
        formwork_schema::validate_properties(black_box("AWS::IAM::Role"), Some(black_box(&props)))
    });
}
