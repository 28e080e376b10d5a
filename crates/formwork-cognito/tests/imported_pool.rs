//! Identity pools imported by id: the id, the ARN, and the exact error of
//! every malformed id.

use formwork_cognito::IdentityPool;
use formwork_core::{App, Environment, StackProps};
use serde_json::json;

const ID: &str = "eu-west-1:0123abcd-0123-4567-89ab-0123456789ab";

#[track_caller]
fn id_error(pool_id: &str) -> String {
    let app = App::new();
    IdentityPool::from_identity_pool_id(&app.stack("S"), "Pool", pool_id)
        .unwrap_err()
        .to_string()
}

#[test]
fn the_id_and_the_arn_in_the_pool_region() {
    let app = App::new();
    let stack = app.stack("S");
    let pool = IdentityPool::from_identity_pool_id(&stack, "Pool", ID).unwrap();
    stack.output("Id", pool.identity_pool_id());
    stack.output("Arn", pool.identity_pool_arn());
    let t = app.synth().unwrap().stacks.remove(0).template;
    assert!(t.resources.is_empty());
    assert_eq!(
        serde_json::to_value(&t.outputs["Id"].value).unwrap(),
        json!(ID)
    );
    assert_eq!(
        serde_json::to_value(&t.outputs["Arn"].value).unwrap(),
        json!({"Fn::Join": ["", [
            "arn:", {"Ref": "AWS::Partition"}, ":cognito-identity:eu-west-1:",
            {"Ref": "AWS::AccountId"}, format!(":identitypool/{ID}")
        ]]})
    );
    // A stack with a known account names it.
    let known = app.stack_with(
        "Known",
        StackProps {
            env: Environment::new("111122223333", "us-east-1"),
            ..Default::default()
        },
    );
    let pool = IdentityPool::from_identity_pool_id(&known, "Pool", ID).unwrap();
    let formwork_core::Expr::Join { parts, .. } = pool.identity_pool_arn() else {
        panic!("a join");
    };
    assert_eq!(parts[3].as_str(), Some("111122223333"));
}

#[test]
fn malformed_ids_name_the_path_the_property_and_the_rule() {
    let rule = "S/Pool: IdentityPoolId: must be <region>:<uuid>, e.g. us-east-1:0123abcd-0123-4567-89ab-0123456789ab";
    assert_eq!(
        id_error("0123abcd-0123-4567-89ab-0123456789ab"),
        format!("{rule}: it needs a ':' between region and uuid, got \"0123abcd-0123-4567-89ab-0123456789ab\"")
    );
    assert_eq!(
        id_error("EU-west-1:0123abcd-0123-4567-89ab-0123456789ab"),
        format!("{rule}: the region must look like us-east-1, got \"EU-west-1:0123abcd-0123-4567-89ab-0123456789ab\"")
    );
    assert_eq!(
        id_error("eu-west:0123abcd-0123-4567-89ab-0123456789ab"),
        format!("{rule}: the region must look like us-east-1, got \"eu-west:0123abcd-0123-4567-89ab-0123456789ab\"")
    );
    assert_eq!(
        id_error("eu-west-1:0123ABCD-0123-4567-89ab-0123456789ab"),
        format!("{rule}: the uuid must be 8-4-4-4-12 lower-case hex digits, got \"eu-west-1:0123ABCD-0123-4567-89ab-0123456789ab\"")
    );
    assert_eq!(
        id_error("eu-west-1:0123abcd"),
        format!(
            "{rule}: the uuid must be 8-4-4-4-12 lower-case hex digits, got \"eu-west-1:0123abcd\""
        )
    );
    let long = format!("ap-southeast-2222222222:{}", &ID[10..]);
    assert_eq!(
        id_error(&long),
        format!("{rule}: at most 55 characters, got {long:?}")
    );
    // GovCloud and China regions are regions too.
    let app = App::new();
    let stack = app.stack("S");
    for id in [
        "us-gov-west-1:0123abcd-0123-4567-89ab-0123456789ab",
        "cn-north-1:0123abcd-0123-4567-89ab-0123456789ab",
    ] {
        assert!(
            IdentityPool::from_identity_pool_id(&stack, id.split(':').next().unwrap(), id).is_ok()
        );
    }
}
