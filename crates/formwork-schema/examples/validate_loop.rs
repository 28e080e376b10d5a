//! Validates a representative `AWS::IAM::Role` properties object `N` times
//! (default 1000), for instruction counts:
//!
//! `valgrind --tool=callgrind target/release/examples/validate_loop 1001`
//! minus the same with `1` gives the cost of 1000 warm validations.

use std::hint::black_box;

use serde_json::Value;

const ROLE: &str = r#"{"AssumeRolePolicyDocument": {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":{"Ref":"Pool"}},"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]},"ManagedPolicyArns":[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonLexRunBotsOnly"]]}]}"#;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let props: Value = serde_json::from_str(ROLE).unwrap();
    let mut found = 0;
    let start = std::time::Instant::now();
    for _ in 0..n {
        found += formwork_schema::validate_properties(
            black_box("AWS::IAM::Role"),
            Some(black_box(&props)),
        )
        .len();
    }
    let took = start.elapsed();
    println!(
        "{n} validations, {found} violations, {:?} per validation",
        took / n.max(1) as u32
    );
}
