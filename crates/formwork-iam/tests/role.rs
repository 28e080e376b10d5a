//! Roles, policies, principals, conditions and managed policies: what they
//! render to, and the exact error of every invalid input.

use formwork_core::assertions::Assertions;
use formwork_core::{App, Expr, Pseudo, Template};
use formwork_iam::{
    ConditionOperator, Conditions, ManagedPolicy, ManagedPolicyAttachment, ManagedPolicyProps,
    PolicyDocument, Principal, Role, RoleProps, Statement,
};
use indexmap::IndexMap;
use serde_json::{json, Value};

/// Logical ID of `R/Resource`: "R" + md5("R/Resource")[..8].
const ROLE_ID: &str = "RC21A1702";

fn lambda() -> RoleProps {
    RoleProps {
        assumed_by: Some(Principal::service("lambda.amazonaws.com").into()),
        ..Default::default()
    }
}

/// The error of creating a role `R` with `props` in stack `S`.
#[track_caller]
fn role_error(props: RoleProps) -> String {
    let app = App::new();
    let stack = app.stack("S");
    Role::new(&stack, "R", props).unwrap_err().to_string()
}

/// The template of stack `S` holding role `R` made from `props`.
#[track_caller]
fn role_template(props: RoleProps) -> Template {
    let app = App::new();
    Role::new(&app.stack("S"), "R", props).unwrap();
    synth_one(&app)
}

#[track_caller]
fn synth_one(app: &App) -> Template {
    app.synth().unwrap().stacks.remove(0).template
}

fn properties(t: &Template, id: &str) -> Value {
    serde_json::to_value(&t.resources[id].properties).unwrap()
}

fn partition_arn(name: &str) -> Value {
    json!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, format!(":iam::aws:policy/{name}")]]})
}

#[test]
fn minimal_role_and_handles() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    stack.output("Name", role.role_name());
    stack.output("Arn", role.role_arn());
    stack.output("Id", role.role_id());
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, ROLE_ID),
        json!({
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole"
                }]
            }
        }),
        "a role carries no permissions but those attached"
    );
    let a = Assertions::new(&t);
    a.has_output("Name", json!({"Value": {"Ref": ROLE_ID}}));
    a.has_output("Arn", json!({"Value": {"Fn::GetAtt": [ROLE_ID, "Arn"]}}));
    a.has_output("Id", json!({"Value": {"Fn::GetAtt": [ROLE_ID, "RoleId"]}}));
    a.has_resource(
        "AWS::IAM::Role",
        json!({"Metadata": {"aws:cdk:path": "S/R/Resource"}}),
    );
}

#[test]
fn all_role_properties_in_cdk_order() {
    let mut inline = IndexMap::new();
    inline.insert(
        "Logs".to_owned(),
        PolicyDocument::new([Statement::allow()
            .actions(["logs:CreateLogStream", "logs:PutLogEvents"])
            .resources(["*"])]),
    );
    let t = role_template(RoleProps {
        role_name: Some("my-role_1+=,.@".into()),
        path: Some("/service/".into()),
        description: Some("Runs the worker".into()),
        max_session_duration: Some(7200),
        permissions_boundary: Some(ManagedPolicy::from_arn(
            "arn:aws:iam::123456789012:policy/Boundary",
        )),
        inline_policies: inline,
        managed_policies: vec![
            ManagedPolicy::aws_managed("ReadOnlyAccess"),
            ManagedPolicy::from_name("Mine"),
        ],
        ..lambda()
    });
    let props = properties(&t, ROLE_ID);
    let keys: Vec<&String> = props.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "AssumeRolePolicyDocument",
            "Description",
            "ManagedPolicyArns",
            "MaxSessionDuration",
            "Path",
            "PermissionsBoundary",
            "Policies",
            "RoleName"
        ]
    );
    assert_eq!(
        props["ManagedPolicyArns"],
        json!([
            partition_arn("ReadOnlyAccess"),
            {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":policy/Mine"]]}
        ])
    );
    assert_eq!(props["MaxSessionDuration"], json!(7200));
    assert_eq!(
        props["PermissionsBoundary"],
        json!("arn:aws:iam::123456789012:policy/Boundary")
    );
    assert_eq!(
        props["Policies"],
        json!([{
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": "*"
                }]
            },
            "PolicyName": "Logs"
        }])
    );
    assert_eq!(props["RoleName"], json!("my-role_1+=,.@"));
}

#[test]
fn role_name_errors() {
    let long = "a".repeat(65);
    assert_eq!(
        role_error(RoleProps {
            role_name: Some(long.clone()),
            ..lambda()
        }),
        format!("S/R: RoleName: must be 1-64 characters long, got 65 ({long:?})")
    );
    assert_eq!(
        role_error(RoleProps {
            role_name: Some(String::new()),
            ..lambda()
        }),
        "S/R: RoleName: must be 1-64 characters long, got 0 (\"\")"
    );
    assert_eq!(
        role_error(RoleProps {
            role_name: Some("my role".into()),
            ..lambda()
        }),
        "S/R: RoleName: must match ^[\\w+=,.@-]+$; ' ' is not allowed in \"my role\""
    );
    assert_eq!(
        role_error(RoleProps {
            role_name: Some("rôle".into()),
            ..lambda()
        }),
        "S/R: RoleName: must match ^[\\w+=,.@-]+$; 'ô' is not allowed in \"rôle\""
    );
    // 64 characters is fine.
    role_template(RoleProps {
        role_name: Some("a".repeat(64)),
        ..lambda()
    });
}

#[test]
fn path_errors() {
    assert_eq!(
        role_error(RoleProps {
            path: Some("service".into()),
            ..lambda()
        }),
        "S/R: Path: must be \"/\" or start and end with '/', got \"service\""
    );
    assert_eq!(
        role_error(RoleProps {
            path: Some("/a b/".into()),
            ..lambda()
        }),
        "S/R: Path: must match ^(/|/[\\x21-\\x7E]+/)$; ' ' is not allowed in \"/a b/\""
    );
    let long = format!("/{}/", "a".repeat(511));
    assert_eq!(
        role_error(RoleProps {
            path: Some(long.clone()),
            ..lambda()
        }),
        format!("S/R: Path: must be 1-512 characters long, got 513 ({long:?})")
    );
    assert_eq!(
        role_error(RoleProps {
            path: Some(String::new()),
            ..lambda()
        }),
        "S/R: Path: must be 1-512 characters long, got 0 (\"\")"
    );
    for ok in ["/", "/a/b/"] {
        role_template(RoleProps {
            path: Some(ok.into()),
            ..lambda()
        });
    }
}

#[test]
fn max_session_duration_errors() {
    for bad in [0, 3599, 43201] {
        assert_eq!(
            role_error(RoleProps {
                max_session_duration: Some(bad),
                ..lambda()
            }),
            format!("S/R: MaxSessionDuration: must be an integer from 3600 to 43200, got {bad}")
        );
    }
    for ok in [3600, 43200] {
        role_template(RoleProps {
            max_session_duration: Some(ok),
            ..lambda()
        });
    }
}

#[test]
fn description_errors() {
    let long = "d".repeat(1001);
    assert_eq!(
        role_error(RoleProps {
            description: Some(long.clone()),
            ..lambda()
        }),
        format!("S/R: Description: must be 0-1000 characters long, got 1001 ({long:?})")
    );
    assert_eq!(
        role_error(RoleProps {
            description: Some("tab\tok but not \u{1}".into()),
            ..lambda()
        }),
        "S/R: Description: must match ^[\\t\\n\\r\\x20-\\x7E\\xA1-\\xFF]*$; '\\u{1}' is not allowed in \"tab\\tok but not \\u{1}\""
    );
}

#[test]
fn role_without_trust_policy_is_an_error() {
    assert_eq!(
        role_error(RoleProps::default()),
        "S/R: AssumeRolePolicyDocument: a role needs a trust policy: set assumed_by (or trust_policy) to say who may assume it"
    );
    assert_eq!(
        role_error(RoleProps {
            trust_policy: Some(PolicyDocument::default()),
            ..Default::default()
        }),
        "S/R: AssumeRolePolicyDocument: a role needs a trust policy: set assumed_by (or trust_policy) to say who may assume it"
    );
}

#[test]
fn explicit_trust_policy_with_assumed_by_added() {
    let t = role_template(RoleProps {
        trust_policy: Some(PolicyDocument::new([Statement::allow()
            .principal(Principal::account("123456789012"))
            .actions(["sts:AssumeRole", "sts:TagSession"])])),
        ..lambda()
    });
    assert_eq!(
        properties(&t, ROLE_ID)["AssumeRolePolicyDocument"]["Statement"],
        json!([
            {
                "Effect": "Allow",
                "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::123456789012:root"]]}},
                "Action": ["sts:AssumeRole", "sts:TagSession"]
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole"
            }
        ])
    );
}

#[test]
fn principals() {
    let web = Principal::web_identity(
        "accounts.google.com",
        Conditions::new().with(
            ConditionOperator::StringEquals,
            "accounts.google.com:aud",
            "client-id",
        ),
    );
    let statement = |p: Principal| Statement::allow().principal(p).to_expr();
    let app = App::new();
    let stack = app.stack("S");
    let cases: Vec<(Expr, Value)> = vec![
        (
            statement(Principal::service("ec2.amazonaws.com")),
            json!({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}),
        ),
        (
            statement(Principal::federated("arn:aws:iam::1:saml-provider/Corp")),
            json!({"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::1:saml-provider/Corp"}}),
        ),
        (
            statement(Principal::account("123456789012")),
            json!({"Effect": "Allow", "Principal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::123456789012:root"]]}}}),
        ),
        (
            statement(Principal::arn("arn:aws:iam::123456789012:role/Other")),
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:role/Other"}}),
        ),
        (
            statement(Principal::CanonicalUser("abc".into())),
            json!({"Effect": "Allow", "Principal": {"CanonicalUser": "abc"}}),
        ),
        (
            statement(Principal::Any),
            json!({"Effect": "Allow", "Principal": "*"}),
        ),
        (
            Statement::allow()
                .principal(Principal::service("a.amazonaws.com"))
                .principal(Principal::service("b.amazonaws.com"))
                .principal(Principal::arn("arn:aws:iam::1:root"))
                .principal(Principal::Any)
                .to_expr(),
            json!({"Effect": "Allow", "Principal": {
                "Service": ["a.amazonaws.com", "b.amazonaws.com"],
                "AWS": ["arn:aws:iam::1:root", "*"]
            }}),
        ),
        (
            web.to_statement().to_expr(),
            json!({
                "Effect": "Allow",
                "Principal": {"Federated": "accounts.google.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {"accounts.google.com:aud": "client-id"}}
            }),
        ),
    ];
    for (i, (expr, _)) in cases.iter().enumerate() {
        stack.output(&format!("O{i}"), expr);
    }
    let t = synth_one(&app);
    for (i, (_, expected)) in cases.iter().enumerate() {
        assert_eq!(t.outputs[&format!("O{i}")].value, *expected, "case {i}");
    }
}

#[test]
fn conditions_for_any_value_and_if_exists() {
    let c = Conditions::new()
        .with(ConditionOperator::StringEquals, "aws:SourceAccount", "1")
        .with(ConditionOperator::StringEquals, "aws:SourceAccount", "2")
        .with(ConditionOperator::StringEquals, "aws:SourceAccount", "3")
        .with(
            ConditionOperator::StringLike.for_any_value(),
            "cognito-identity.amazonaws.com:amr",
            "authenticated",
        )
        .with(
            ConditionOperator::StringEquals.for_all_values().if_exists(),
            "aws:TagKeys",
            "team",
        )
        .with(
            ConditionOperator::Bool.if_exists(),
            "aws:MultiFactorAuthPresent",
            "true",
        )
        .with(ConditionOperator::IpAddress, "aws:SourceIp", "10.0.0.0/8")
        .with(ConditionOperator::Null, "aws:TokenIssueTime", "false")
        .with(
            ConditionOperator::ArnLike,
            "aws:SourceArn",
            Expr::join(
                "",
                ["arn:".into(), Pseudo::Partition.into(), ":s3:::b".into()],
            ),
        );
    assert_eq!(c.len(), 7);
    let app = App::new();
    app.stack("S").output(
        "C",
        Statement::allow()
            .actions(["s3:GetObject"])
            .resources(["*"])
            .sid("Read")
            .to_expr_with(c),
    );
    let t = synth_one(&app);
    assert_eq!(
        t.outputs["C"].value,
        json!({
            "Sid": "Read",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ["1", "2", "3"]},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                "ForAllValues:StringEqualsIfExists": {"aws:TagKeys": "team"},
                "BoolIfExists": {"aws:MultiFactorAuthPresent": "true"},
                "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "Null": {"aws:TokenIssueTime": "false"},
                "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b"]]}}
            }
        })
    );
    assert_eq!(
        ConditionOperator::NumericLessThanEquals
            .for_any_value()
            .if_exists()
            .name(),
        "ForAnyValue:NumericLessThanEqualsIfExists"
    );
    assert_eq!(ConditionOperator::DateGreaterThan.name(), "DateGreaterThan");
}

/// `Statement` with conditions, built the way users do.
trait WithConditions {
    fn to_expr_with(self, c: Conditions) -> Expr;
}

impl WithConditions for Statement {
    fn to_expr_with(mut self, c: Conditions) -> Expr {
        self.conditions = c;
        self.to_expr()
    }
}

#[test]
fn deny_statement_with_not_fields() {
    let s = Statement {
        not_actions: vec!["iam:*".into()],
        not_resources: vec!["arn:aws:s3:::b".into()],
        not_principals: vec![Principal::account("1")],
        ..Statement::deny()
    };
    let app = App::new();
    app.stack("S").output("D", s.to_expr());
    assert_eq!(
        synth_one(&app).outputs["D"].value,
        json!({
            "Effect": "Deny",
            "NotPrincipal": {"AWS": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::1:root"]]}},
            "NotAction": "iam:*",
            "NotResource": "arn:aws:s3:::b"
        })
    );
}

#[test]
fn inline_policies_added_later() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    let doc = PolicyDocument::new([Statement::allow()
        .actions(["sqs:SendMessage"])
        .resources(["*"])]);
    role.add_inline_policy("Send", doc.clone()).unwrap();
    assert_eq!(
        role.add_inline_policy("Send", doc.clone())
            .unwrap_err()
            .to_string(),
        "S/R/Resource: Policies: an inline policy named \"Send\" exists already"
    );
    assert_eq!(
        role.add_inline_policy("bad name", doc)
            .unwrap_err()
            .to_string(),
        "S/R/Resource: Policies.PolicyName: must match ^[\\w+=,.@-]+$; ' ' is not allowed in \"bad name\""
    );
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, ROLE_ID)["Policies"],
        json!([{
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]
            },
            "PolicyName": "Send"
        }])
    );
}

#[test]
fn aws_managed_arn_uses_the_partition() {
    let p = ManagedPolicy::aws_managed("service-role/AWSLambdaBasicExecutionRole");
    assert_eq!(p.name(), Some("service-role/AWSLambdaBasicExecutionRole"));
    let app = App::new();
    app.stack("S").output("Arn", p.arn());
    assert_eq!(
        synth_one(&app).outputs["Arn"].value,
        partition_arn("service-role/AWSLambdaBasicExecutionRole")
    );
    assert!(ManagedPolicy::from_arn("arn:aws:iam::1:policy/x")
        .name()
        .is_none());
}

#[test]
fn managed_policy_attachment_is_deduplicated() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(
        &stack,
        "R",
        RoleProps {
            managed_policies: vec![
                ManagedPolicy::aws_managed("ReadOnlyAccess"),
                ManagedPolicy::aws_managed("ReadOnlyAccess"),
            ],
            ..lambda()
        },
    )
    .unwrap();
    let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
    ManagedPolicyAttachment::new(&role, &lex).unwrap();
    ManagedPolicyAttachment::new(&role, &lex).unwrap();
    assert!(!role
        .add_managed_policy(&ManagedPolicy::aws_managed("ReadOnlyAccess"))
        .unwrap());
    assert!(role
        .add_managed_policy(&ManagedPolicy::from_arn(
            "arn:aws:iam::123456789012:policy/P"
        ))
        .unwrap());
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, ROLE_ID)["ManagedPolicyArns"],
        json!([
            partition_arn("ReadOnlyAccess"),
            partition_arn("AmazonLexRunBotsOnly"),
            "arn:aws:iam::123456789012:policy/P"
        ])
    );
    Assertions::new(&t).resource_count_is("AWS::IAM::Role", 1);
}

#[test]
fn invalid_aws_managed_policy_name() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    let err =
        ManagedPolicyAttachment::new(&role, ManagedPolicy::aws_managed("Read Only")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "S/R/Resource: ManagedPolicyArns: must match ^[\\w+=,.@/-]+$; ' ' is not allowed in \"Read Only\""
    );
    assert_eq!(
        role_error(RoleProps {
            managed_policies: vec![ManagedPolicy::aws_managed("")],
            ..lambda()
        }),
        "S/R: ManagedPolicyArns: must be 1-640 characters long, got 0 (\"\")"
    );
    assert_eq!(
        role_error(RoleProps {
            permissions_boundary: Some(ManagedPolicy::aws_managed("Power User")),
            ..lambda()
        }),
        "S/R: PermissionsBoundary: must match ^[\\w+=,.@/-]+$; ' ' is not allowed in \"Power User\""
    );
}

fn eleven_policies(app: &App) {
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    for i in 0..11 {
        role.add_managed_policy(&ManagedPolicy::aws_managed(format!("P{i}")))
            .unwrap();
    }
}

#[test]
fn more_than_10_managed_policies_is_a_synth_error() {
    let app = App::new();
    eleven_policies(&app);
    assert_eq!(
        app.synth().unwrap_err().to_string(),
        "S/R/Resource: ManagedPolicyArns: 11 managed policies attached; IAM allows at most 10 per role by default (combine policies, or raise the quota in Service Quotas and call App::set_validation(false))"
    );

    let app = App::new();
    eleven_policies(&app);
    app.set_validation(false);
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, ROLE_ID)["ManagedPolicyArns"]
            .as_array()
            .unwrap()
            .len(),
        11
    );

    // Ten is fine.
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    for i in 0..10 {
        role.add_managed_policy(&ManagedPolicy::aws_managed(format!("P{i}")))
            .unwrap();
    }
    assert!(app.synth().is_ok());
}

/// A role trusting one service principal whose name is padded so that the
/// trust policy is exactly `chars` characters long (whitespace excluded).
fn trust_policy_of_length(chars: usize) -> App {
    // {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"X"},"Action":"sts:AssumeRole"}]}
    let base = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":""},"Action":"sts:AssumeRole"}]}"#.len();
    let app = App::new();
    Role::new(
        &app.stack("S"),
        "R",
        RoleProps {
            assumed_by: Some(Principal::service("s".repeat(chars - base)).into()),
            ..Default::default()
        },
    )
    .unwrap();
    app
}

#[test]
fn trust_policy_over_2048_characters_is_a_synth_error() {
    assert!(trust_policy_of_length(2048).synth().is_ok());
    assert_eq!(
        trust_policy_of_length(2049).synth().unwrap_err().to_string(),
        "S/R/Resource: AssumeRolePolicyDocument: the trust policy is 2049 characters (whitespace excluded); IAM allows at most 2048"
    );
    let app = trust_policy_of_length(3000);
    app.set_validation(false);
    assert!(app.synth().is_ok());
}

#[test]
fn customer_managed_policy_creation_and_attachment() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    let policy = ManagedPolicy::create(
        &stack,
        "Policy",
        ManagedPolicyProps {
            document: PolicyDocument::new([Statement::allow()
                .actions(["s3:ListBucket"])
                .resources(["arn:aws:s3:::b"])]),
            description: Some("List b".into()),
            path: Some("/app/".into()),
            roles: vec![role.clone()],
            ..Default::default()
        },
    )
    .unwrap();
    let other = Role::new(&stack, "Other", lambda()).unwrap();
    ManagedPolicyAttachment::new(&other, &policy).unwrap();
    stack.output("PolicyArn", policy.policy_arn());
    let t = synth_one(&app);
    let a = Assertions::new(&t);
    a.resource_count_is("AWS::IAM::ManagedPolicy", 1);
    assert_eq!(
        properties(&t, "Policy23B91518"),
        json!({
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]
            },
            "Description": "List b",
            "Path": "/app/"
        })
    );
    assert_eq!(
        properties(&t, ROLE_ID)["ManagedPolicyArns"],
        json!([{"Ref": "Policy23B91518"}])
    );
    assert_eq!(
        properties(&t, "Other34654A52")["ManagedPolicyArns"],
        json!([{"Ref": "Policy23B91518"}])
    );
    a.has_output("PolicyArn", json!({"Value": {"Ref": "Policy23B91518"}}));
    assert_eq!(policy.resource().to_ref(), policy.policy_arn());
}

#[test]
fn customer_managed_policy_errors() {
    let app = App::new();
    let stack = app.stack("S");
    let err = |props: ManagedPolicyProps, stack: &formwork_core::Stack| {
        ManagedPolicy::create(stack, "Policy", props)
            .unwrap_err()
            .to_string()
    };
    let doc = PolicyDocument::new([Statement::allow().actions(["s3:*"]).resources(["*"])]);
    assert_eq!(
        err(ManagedPolicyProps::default(), &stack),
        "S/Policy: PolicyDocument: a managed policy needs at least one statement"
    );
    assert_eq!(
        err(
            ManagedPolicyProps {
                document: doc.clone(),
                managed_policy_name: Some("a b".into()),
                ..Default::default()
            },
            &stack
        ),
        "S/Policy: ManagedPolicyName: must match ^[\\w+=,.@-]+$; ' ' is not allowed in \"a b\""
    );
    assert_eq!(
        err(
            ManagedPolicyProps {
                document: doc,
                path: Some("app".into()),
                ..Default::default()
            },
            &stack
        ),
        "S/Policy: Path: must be \"/\" or start and end with '/', got \"app\""
    );
}

/// The old API took the stack as an argument and refused a stack that did
/// not hold the role ("the resource handle belongs to another stack or
/// app"). The role handle now knows its stack: changes made while another
/// stack is held land in the role's own stack, and nowhere else.
#[test]
fn changes_through_a_role_land_in_its_own_stack() {
    let app = App::new();
    let a = app.stack("A");
    let role = Role::new(&a, "R", lambda()).unwrap();
    let b = app.stack("B");
    let lex = ManagedPolicy::aws_managed("AmazonLexRunBotsOnly");
    ManagedPolicyAttachment::new(&role, &lex).unwrap();
    let doc = PolicyDocument::new([Statement::allow().actions(["s3:*"]).resources(["*"])]);
    role.add_inline_policy("P", doc).unwrap();
    b.output("RoleArn", role.role_arn());
    let assembly = app.synth().unwrap();
    let a = &assembly.stack("A").unwrap().template;
    assert_eq!(
        properties(a, ROLE_ID)["ManagedPolicyArns"],
        json!([partition_arn("AmazonLexRunBotsOnly")])
    );
    assert_eq!(properties(a, ROLE_ID)["Policies"][0]["PolicyName"], "P");
    assert!(assembly.stack("B").unwrap().template.resources.is_empty());
}

#[test]
fn role_of_another_stack_can_be_referenced() {
    let app = App::new();
    let role = Role::new(&app.stack("A"), "R", lambda()).unwrap();
    app.stack("B").output("RoleArn", role.role_arn());
    let assembly = app.synth().unwrap();
    Assertions::new(&assembly.stack("B").unwrap().template).has_output(
        "RoleArn",
        json!({"Value": {"Fn::ImportValue": "A:ExportsOutputFnGetAttRC21A1702Arn0EF94806"}}),
    );
}

/// Logical ID of `R/DefaultPolicy/Resource`.
const DEFAULT_POLICY_ID: &str = "RDefaultPolicy0707467B";

#[test]
fn add_to_policy_creates_the_default_policy() {
    assert_eq!(
        formwork_core::logical_id::logical_id(&["R", "DefaultPolicy", "Resource"]).unwrap(),
        DEFAULT_POLICY_ID
    );
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    // No statement, no policy.
    Assertions::new(&synth_one(&app)).resource_count_is("AWS::IAM::Policy", 0);

    let send = Statement::allow()
        .actions(["sqs:SendMessage"])
        .resources(["*"]);
    assert_eq!(role.add_to_policy(send.clone()).unwrap(), send);
    // An identical statement is kept once.
    role.add_to_policy(send.clone()).unwrap();
    role.add_to_policy(
        Statement::allow()
            .actions(["s3:GetObject"])
            .resources(["arn:aws:s3:::b/*"]),
    )
    .unwrap();
    let t = synth_one(&app);
    let ids: Vec<&String> = t.resources.keys().collect();
    assert_eq!(ids, [ROLE_ID, DEFAULT_POLICY_ID]);
    assert_eq!(
        serde_json::to_value(&t.resources[DEFAULT_POLICY_ID]).unwrap(),
        json!({
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
                        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
                    ]
                },
                "PolicyName": DEFAULT_POLICY_ID,
                "Roles": [{"Ref": ROLE_ID}]
            },
            "Metadata": {"aws:cdk:path": "S/R/DefaultPolicy/Resource"}
        })
    );
    // The role itself is unchanged: the statements live in the policy.
    assert!(properties(&t, ROLE_ID).get("Policies").is_none());
}

#[test]
fn add_to_policy_after_other_changes_and_after_synthesis() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    stack.output("Arn", role.role_arn());
    role.add_managed_policy(&ManagedPolicy::aws_managed("ReadOnlyAccess"))
        .unwrap();
    role.add_inline_policy(
        "Logs",
        PolicyDocument::new([Statement::allow()
            .actions(["logs:PutLogEvents"])
            .resources(["*"])]),
    )
    .unwrap();
    role.add_to_policy(
        Statement::allow()
            .actions(["sqs:SendMessage"])
            .resources(["*"]),
    )
    .unwrap();
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, DEFAULT_POLICY_ID)["PolicyDocument"]["Statement"],
        json!([{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}])
    );
    assert_eq!(
        properties(&t, ROLE_ID)["ManagedPolicyArns"],
        json!([partition_arn("ReadOnlyAccess")])
    );
    assert_eq!(properties(&t, ROLE_ID)["Policies"][0]["PolicyName"], "Logs");

    // Statements added after a synthesis show in the next one; the policy
    // is not created twice.
    role.add_to_policy(
        Statement::deny()
            .actions(["sqs:DeleteQueue"])
            .resources(["*"]),
    )
    .unwrap();
    let t = synth_one(&app);
    Assertions::new(&t).resource_count_is("AWS::IAM::Policy", 1);
    assert_eq!(
        properties(&t, DEFAULT_POLICY_ID)["PolicyDocument"]["Statement"],
        json!([
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
            {"Effect": "Deny", "Action": "sqs:DeleteQueue", "Resource": "*"}
        ])
    );
}

#[test]
fn managed_policy_added_after_creation_is_rendered_lazily() {
    let app = App::new();
    let stack = app.stack("S");
    let role = Role::new(&stack, "R", lambda()).unwrap();
    // The role is referenced (and its handle cloned) before the policy is
    // attached: the template still shows it, as properties render at synth.
    stack.output("Arn", role.role_arn());
    let copy = role.clone();
    assert_eq!(copy, role);
    assert!(copy
        .add_managed_policy(&ManagedPolicy::aws_managed("ReadOnlyAccess"))
        .unwrap());
    let t = synth_one(&app);
    assert_eq!(
        properties(&t, ROLE_ID)["ManagedPolicyArns"],
        json!([partition_arn("ReadOnlyAccess")])
    );
    Assertions::new(&t).has_output("Arn", json!({"Value": {"Fn::GetAtt": [ROLE_ID, "Arn"]}}));
    // A second attachment after a synthesis shows in the next one.
    role.add_managed_policy(&ManagedPolicy::from_name("Mine"))
        .unwrap();
    assert_eq!(
        properties(&synth_one(&app), ROLE_ID)["ManagedPolicyArns"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn managed_policies_are_deduplicated_by_arn() {
    let app = App::new();
    let stack = app.stack("S");
    let read = ManagedPolicy::aws_managed("ReadOnlyAccess");
    let role = Role::new(
        &stack,
        "R",
        RoleProps {
            managed_policies: vec![read.clone(), ManagedPolicy::aws_managed("ReadOnlyAccess")],
            ..lambda()
        },
    )
    .unwrap();
    assert_eq!(role.managed_policies(), std::slice::from_ref(&read));
    assert!(!role.add_managed_policy(&read).unwrap());
    // The same ARN given another way is the same policy.
    assert!(!role
        .add_managed_policy(&ManagedPolicy::from_arn(read.arn().clone()))
        .unwrap());
    let mine = ManagedPolicy::from_arn("arn:aws:iam::123456789012:policy/P");
    assert!(role.add_managed_policy(&mine).unwrap());
    // Attaching it again is accepted and changes nothing.
    let attachment = ManagedPolicyAttachment::new(&role, &mine).unwrap();
    assert_eq!((&attachment.role, &attachment.policy), (&role, &mine));
    assert_eq!(role.managed_policies(), [read, mine]);
    assert_eq!(
        properties(&synth_one(&app), ROLE_ID)["ManagedPolicyArns"],
        json!([
            partition_arn("ReadOnlyAccess"),
            "arn:aws:iam::123456789012:policy/P"
        ])
    );
}

/// IAM's policy grammar, checked where a document enters a construct
/// (docs/ARCHITECTURE.md §5): the error names the construct path, the
/// property, the statement and the rule.
#[test]
fn malformed_statements_are_refused_with_path_statement_and_rule() {
    use formwork_iam::{PolicyDocument, Statement};
    let app = App::new();
    let stack = app.stack("S");
    let lambda = || Some(Principal::service("lambda.amazonaws.com").into());

    let no_principal = Role::new(
        &stack,
        "Trust",
        RoleProps {
            trust_policy: Some(PolicyDocument::new([
                Statement::allow().actions(["sts:AssumeRole"])
            ])),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        no_principal.to_string(),
        "S/Trust: AssumeRolePolicyDocument: statement 1: needs a Principal in a trust policy"
    );

    let mut inline = IndexMap::new();
    inline.insert(
        "Read".to_owned(),
        PolicyDocument::new([Statement::allow().sid("NoAction").resources(["*"])]),
    );
    let no_action = Role::new(
        &stack,
        "Inline",
        RoleProps {
            assumed_by: lambda(),
            inline_policies: inline,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        no_action.to_string(),
        "S/Inline: Policies.Read: statement \"NoAction\": needs Action or NotAction"
    );

    let role = Role::new(
        &stack,
        "Ok",
        RoleProps {
            assumed_by: lambda(),
            ..Default::default()
        },
    )
    .unwrap();
    let with_principal = role
        .add_to_policy(
            Statement::allow()
                .actions(["s3:GetObject"])
                .resources(["*"])
                .principal(Principal::service("s3.amazonaws.com")),
        )
        .unwrap_err();
    assert_eq!(
        with_principal.to_string(),
        "S/Ok/Resource: DefaultPolicy: statement 1: must not name a Principal in a policy attached to an identity (the identity is the principal)"
    );
    let no_resource = role
        .add_inline_policy(
            "X",
            PolicyDocument::new([Statement::allow().actions(["s3:GetObject"])]),
        )
        .unwrap_err();
    assert_eq!(
        no_resource.to_string(),
        "S/Ok/Resource: Policies.X: statement 1: needs Resource or NotResource in a policy attached to an identity"
    );
    // Nothing half-added: the role synthesizes without a default policy.
    let template = &app.synth().unwrap().stacks[0].template;
    assert_eq!(template.resources.len(), 1);
}
