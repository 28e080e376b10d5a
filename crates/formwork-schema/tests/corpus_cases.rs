//! The cfn-lint cross-check corpus: deliberately broken resources (and a few
//! valid ones), one rule violation each.
//!
//! This file depends only on `serde_json` and `formwork_schema::Rule`, so that
//! other crates can include it (`#[path = ".../corpus_cases.rs"] mod cases;`)
//! and re-express each case through their own resource model.

#![allow(dead_code)]

use formwork_schema::Rule;
use serde_json::{json, Value};

/// One corpus entry.
pub struct Case {
    /// A short unique name, used for the file name.
    pub name: &'static str,
    /// The resource type of the `Broken` resource.
    pub type_name: &'static str,
    /// Its `Properties`.
    pub properties: Value,
    /// A second resource, `Target`, that `Broken` refers to with `Fn::GetAtt`
    /// (for attribute cases): its type and properties.
    pub target: Option<(&'static str, Value)>,
    /// `None` for a valid case; otherwise the property path (relative to
    /// `Properties`, as in `Violation::property_path`) and the rule.
    pub expected: Option<(&'static str, Rule)>,
}

fn case(
    name: &'static str,
    type_name: &'static str,
    properties: Value,
    path: &'static str,
    rule: Rule,
) -> Case {
    Case {
        name,
        type_name,
        properties,
        target: None,
        expected: Some((path, rule)),
    }
}

fn valid(name: &'static str, type_name: &'static str, properties: Value) -> Case {
    Case {
        name,
        type_name,
        properties,
        target: None,
        expected: None,
    }
}

fn trust() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
}

fn lambda(extra: Value) -> Value {
    let mut p = json!({
        "Role": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app"},
        "Runtime": "python3.12",
        "Handler": "index.handler",
        "Code": {"ZipFile": "def handler(event, context):\n    return None\n"}
    });
    if let (Some(p), Some(e)) = (p.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            p.insert(k.clone(), v.clone());
        }
    }
    p
}

fn unknown(s: Option<&str>) -> Rule {
    Rule::UnknownProperty {
        suggestion: s.map(str::to_owned),
    }
}

/// Every case, broken ones first.
pub fn cases() -> Vec<Case> {
    let mut v = vec![
        // required
        case(
            "iam_role_required",
            "AWS::IAM::Role",
            json!({"RoleName": "app"}),
            "AssumeRolePolicyDocument",
            Rule::Required,
        ),
        case(
            "ssm_parameter_required",
            "AWS::SSM::Parameter",
            json!({"Type": "String"}),
            "Value",
            Rule::Required,
        ),
        case(
            "cognito_pool_required",
            "AWS::Cognito::IdentityPool",
            json!({"IdentityPoolName": "Pool"}),
            "AllowUnauthenticatedIdentities",
            Rule::Required,
        ),
        case(
            "s3_versioning_required",
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": {}}),
            "VersioningConfiguration.Status",
            Rule::Required,
        ),
        case(
            "lambda_required",
            "AWS::Lambda::Function",
            json!({"Runtime": "python3.12", "Handler": "index.handler", "Code": {"ZipFile": "x = 1\n"}}),
            "Role",
            Rule::Required,
        ),
        case(
            "sns_subscription_required",
            "AWS::SNS::Subscription",
            json!({"Protocol": "email", "Endpoint": "ops@example.com"}),
            "TopicArn",
            Rule::Required,
        ),
        // type
        case(
            "sqs_type",
            "AWS::SQS::Queue",
            json!({"DelaySeconds": "soon"}),
            "DelaySeconds",
            Rule::Type,
        ),
        case(
            "sns_topic_type",
            "AWS::SNS::Topic",
            json!({"DisplayName": ["alerts"]}),
            "DisplayName",
            Rule::Type,
        ),
        case(
            "cognito_pool_type",
            "AWS::Cognito::IdentityPool",
            json!({"AllowUnauthenticatedIdentities": "maybe"}),
            "AllowUnauthenticatedIdentities",
            Rule::Type,
        ),
        case(
            "s3_versioning_type",
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": "Enabled"}),
            "VersioningConfiguration",
            Rule::Type,
        ),
        case(
            "logs_group_type",
            "AWS::Logs::LogGroup",
            json!({"LogGroupName": {"Name": "x"}}),
            "LogGroupName",
            Rule::Type,
        ),
        // enum
        case(
            "lambda_runtime_enum",
            "AWS::Lambda::Function",
            lambda(json!({"Runtime": "python2.9"})),
            "Runtime",
            Rule::Enum,
        ),
        case(
            "logs_retention_enum",
            "AWS::Logs::LogGroup",
            json!({"RetentionInDays": 8}),
            "RetentionInDays",
            Rule::Enum,
        ),
        case(
            "s3_versioning_enum",
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": {"Status": "On"}}),
            "VersioningConfiguration.Status",
            Rule::Enum,
        ),
        case(
            "kms_keyspec_enum",
            "AWS::KMS::Key",
            json!({"KeySpec": "AES_256"}),
            "KeySpec",
            Rule::Enum,
        ),
        case(
            "events_state_enum",
            "AWS::Events::Rule",
            json!({"ScheduleExpression": "rate(1 day)", "State": "ON"}),
            "State",
            Rule::Enum,
        ),
        case(
            "ec2_vpc_tenancy_enum",
            "AWS::EC2::VPC",
            json!({"CidrBlock": "10.0.0.0/16", "InstanceTenancy": "shared"}),
            "InstanceTenancy",
            Rule::Enum,
        ),
        case(
            "ssm_parameter_type_enum",
            "AWS::SSM::Parameter",
            json!({"Type": "SecureString", "Value": "x"}),
            "Type",
            Rule::Enum,
        ),
        // pattern
        case(
            "iam_role_name_pattern",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(), "RoleName": "bad name!"}),
            "RoleName",
            Rule::Pattern,
        ),
        case(
            "s3_bucket_name_pattern",
            "AWS::S3::Bucket",
            json!({"BucketName": "-my-bucket"}),
            "BucketName",
            Rule::Pattern,
        ),
        case(
            "cognito_pool_name_pattern",
            "AWS::Cognito::IdentityPool",
            json!({"IdentityPoolName": "pool!", "AllowUnauthenticatedIdentities": false}),
            "IdentityPoolName",
            Rule::Pattern,
        ),
        case(
            "events_rule_name_pattern",
            "AWS::Events::Rule",
            json!({"Name": "my rule", "ScheduleExpression": "rate(1 day)"}),
            "Name",
            Rule::Pattern,
        ),
        case(
            "lambda_handler_pattern",
            "AWS::Lambda::Function",
            lambda(json!({"Handler": "index handler"})),
            "Handler",
            Rule::Pattern,
        ),
        case(
            "iam_managed_policy_path_pattern",
            "AWS::IAM::ManagedPolicy",
            json!({"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, "Path": "no-slashes"}),
            "Path",
            Rule::Pattern,
        ),
        case(
            "events_schedule_pattern",
            "AWS::Events::Rule",
            json!({"ScheduleExpression": "every day"}),
            "ScheduleExpression",
            Rule::Pattern,
        ),
        // minLength / maxLength
        case(
            "ssm_parameter_name_min_length",
            "AWS::SSM::Parameter",
            json!({"Type": "String", "Value": "x", "Name": ""}),
            "Name",
            Rule::MinLength,
        ),
        case(
            "cognito_user_pool_name_min_length",
            "AWS::Cognito::UserPool",
            json!({"UserPoolName": ""}),
            "UserPoolName",
            Rule::MinLength,
        ),
        case(
            "sns_topic_name_max_length",
            "AWS::SNS::Topic",
            json!({"TopicName": "t".repeat(257)}),
            "TopicName",
            Rule::MaxLength,
        ),
        case(
            "iam_role_name_max_length",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(), "RoleName": "r".repeat(65)}),
            "RoleName",
            Rule::MaxLength,
        ),
        case(
            "cognito_user_pool_name_max_length",
            "AWS::Cognito::UserPool",
            json!({"UserPoolName": "u".repeat(129)}),
            "UserPoolName",
            Rule::MaxLength,
        ),
        case(
            "kms_description_max_length",
            "AWS::KMS::Key",
            json!({"Description": "d".repeat(8193)}),
            "Description",
            Rule::MaxLength,
        ),
        // minimum / maximum
        case(
            "sqs_retention_minimum",
            "AWS::SQS::Queue",
            json!({"MessageRetentionPeriod": 30}),
            "MessageRetentionPeriod",
            Rule::Minimum,
        ),
        case(
            "lambda_memory_minimum",
            "AWS::Lambda::Function",
            lambda(json!({"MemorySize": 64})),
            "MemorySize",
            Rule::Minimum,
        ),
        case(
            "kms_pending_window_minimum",
            "AWS::KMS::Key",
            json!({"PendingWindowInDays": 3}),
            "PendingWindowInDays",
            Rule::Minimum,
        ),
        case(
            "sqs_delay_maximum",
            "AWS::SQS::Queue",
            json!({"DelaySeconds": 901}),
            "DelaySeconds",
            Rule::Maximum,
        ),
        case(
            "iam_role_session_maximum",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(), "MaxSessionDuration": 50000}),
            "MaxSessionDuration",
            Rule::Maximum,
        ),
        case(
            "lambda_timeout_maximum",
            "AWS::Lambda::Function",
            lambda(json!({"Timeout": 9000})),
            "Timeout",
            Rule::Maximum,
        ),
        case(
            "sqs_string_number_maximum",
            "AWS::SQS::Queue",
            json!({"VisibilityTimeout": "43201"}),
            "VisibilityTimeout",
            Rule::Maximum,
        ),
        // minItems / maxItems
        case(
            "lambda_architectures_min_items",
            "AWS::Lambda::Function",
            lambda(json!({"Architectures": []})),
            "Architectures",
            Rule::MinItems,
        ),
        case(
            "logs_metric_filter_min_items",
            "AWS::Logs::MetricFilter",
            json!({"FilterPattern": "ERROR", "LogGroupName": "/app/logs", "MetricTransformations": []}),
            "MetricTransformations",
            Rule::MinItems,
        ),
        case(
            "lambda_architectures_max_items",
            "AWS::Lambda::Function",
            lambda(json!({"Architectures": ["x86_64", "arm64"]})),
            "Architectures",
            Rule::MaxItems,
        ),
        case(
            "cognito_client_flows_max_items",
            "AWS::Cognito::UserPoolClient",
            json!({"UserPoolId": "us-east-1_abcdefghi", "AllowedOAuthFlows": ["code", "implicit", "client_credentials", "code"]}),
            "AllowedOAuthFlows",
            Rule::MaxItems,
        ),
        // uniqueItems
        case(
            "iam_role_managed_policies_unique",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(), "ManagedPolicyArns": [
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"},
            {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}]}),
            "ManagedPolicyArns",
            Rule::UniqueItems,
        ),
        case(
            "apigw_binary_media_unique",
            "AWS::ApiGateway::RestApi",
            json!({"Name": "api", "BinaryMediaTypes": ["image/png", "image/png"]}),
            "BinaryMediaTypes",
            Rule::UniqueItems,
        ),
        case(
            "ecr_tag_keys_unique",
            "AWS::ECR::Repository",
            json!({"Tags": [{"Key": "team", "Value": "a"}, {"Key": "team", "Value": "b"}]}),
            "Tags",
            Rule::UniqueItems,
        ),
        case(
            "sqs_tag_reserved_prefix",
            "AWS::SQS::Queue",
            json!({"Tags": [{"Key": "aws:owner", "Value": "me"}]}),
            "Tags[0].Key",
            Rule::Pattern,
        ),
        // unknown properties
        case(
            "s3_unknown_property",
            "AWS::S3::Bucket",
            json!({"BucketNmae": "my-bucket"}),
            "BucketNmae",
            unknown(Some("BucketName")),
        ),
        case(
            "sqs_unknown_property",
            "AWS::SQS::Queue",
            json!({"QueueNam": "jobs"}),
            "QueueNam",
            unknown(Some("QueueName")),
        ),
        case(
            "iam_role_unknown_property",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(), "Descripton": "x"}),
            "Descripton",
            unknown(Some("Description")),
        ),
        case(
            "s3_nested_unknown_property",
            "AWS::S3::Bucket",
            json!({"VersioningConfiguration": {"Status": "Enabled", "MfaDelete": "Enabled"}}),
            "VersioningConfiguration.MfaDelete",
            unknown(None),
        ),
        case(
            "dynamodb_unknown_property",
            "AWS::DynamoDB::Table",
            json!({
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "TimeToLiveSpecification": {"AttributeName": "ttl", "Enabled": true, "Enable": true}}),
            "TimeToLiveSpecification.Enable",
            unknown(Some("Enabled")),
        ),
        // a rule broken in one branch of an Fn::If (the template gets an
        // `IsProd` condition when a case uses Fn::If)
        case(
            "iam_role_if_branch_pattern",
            "AWS::IAM::Role",
            json!({"AssumeRolePolicyDocument": trust(),
            "RoleName": {"Fn::If": ["IsProd", "good-name", "bad name!"]}}),
            "RoleName.Fn::If[2]",
            Rule::Pattern,
        ),
        case(
            "sqs_if_branch_maximum",
            "AWS::SQS::Queue",
            json!({
            "DelaySeconds": {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, 1000]}}),
            "DelaySeconds.Fn::If[2]",
            Rule::Maximum,
        ),
        // intrinsic shape
        case(
            "sqs_join_shape",
            "AWS::SQS::Queue",
            json!({"QueueName": {"Fn::Join": ["-"]}}),
            "QueueName",
            Rule::IntrinsicShape,
        ),
        // unknown types
        Case {
            name: "unknown_type_s3",
            type_name: "AWS::S3::Buckett",
            properties: json!({}),
            target: None,
            expected: Some((
                "",
                Rule::UnknownType {
                    suggestion: Some("AWS::S3::Bucket".into()),
                },
            )),
        },
        Case {
            name: "unknown_type_lambda",
            type_name: "AWS::Lambda::Functions",
            properties: json!({}),
            target: None,
            expected: Some((
                "",
                Rule::UnknownType {
                    suggestion: Some("AWS::Lambda::Function".into()),
                },
            )),
        },
        // GetAtt of an unknown attribute
        Case {
            name: "getatt_role_unknown_attribute",
            type_name: "AWS::SSM::Parameter",
            properties: json!({"Type": "String", "Value": {"Fn::GetAtt": ["Target", "Arnn"]}}),
            target: Some((
                "AWS::IAM::Role",
                json!({"AssumeRolePolicyDocument": trust()}),
            )),
            expected: Some((
                "Value",
                Rule::UnknownAttribute {
                    suggestion: Some("Arn".into()),
                },
            )),
        },
        Case {
            name: "getatt_queue_unknown_attribute",
            type_name: "AWS::SSM::Parameter",
            properties: json!({"Type": "String", "Value": {"Fn::GetAtt": ["Target", "QueueArn"]}}),
            target: Some(("AWS::SQS::Queue", json!({}))),
            expected: Some((
                "Value",
                Rule::UnknownAttribute {
                    suggestion: Some("QueueUrl".into()),
                },
            )),
        },
    ];
    // Valid ones: nothing to report, from formwork or cfn-lint.
    v.extend([
        valid("valid_s3_bucket", "AWS::S3::Bucket", json!({
            "BucketName": "formwork-corpus-bucket",
            "VersioningConfiguration": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": "true",
                "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}})),
        valid("valid_iam_role", "AWS::IAM::Role", json!({
            "AssumeRolePolicyDocument": trust(),
            "RoleName": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "app"]]},
            "MaxSessionDuration": "3600",
            "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"}],
            "Description": {"Ref": "AWS::NoValue"},
            "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}]}}]})),
        valid("valid_sqs_queue", "AWS::SQS::Queue", json!({"QueueName": "jobs.fifo", "FifoQueue": "true", "DelaySeconds": 5, "VisibilityTimeout": "30"})),
        valid("valid_cognito_identity_pool", "AWS::Cognito::IdentityPool", json!({"IdentityPoolName": "BotPool", "AllowUnauthenticatedIdentities": true})),
        valid("valid_logs_group", "AWS::Logs::LogGroup", json!({"RetentionInDays": 14, "LogGroupName": {"Fn::Sub": "/app/${AWS::StackName}"}})),
        valid("valid_ssm_parameter", "AWS::SSM::Parameter", json!({"Type": "String", "Name": "/app/region",
            "Value": {"Fn::Join": ["", ["region-", {"Ref": "AWS::Region"}]]}})),
        valid("valid_if_and_novalue", "AWS::IAM::Role", json!({
            "AssumeRolePolicyDocument": trust(),
            "RoleName": {"Fn::If": ["IsProd", "prod-role", {"Ref": "AWS::NoValue"}]},
            "MaxSessionDuration": {"Fn::If": ["IsProd", 7200, "3600"]},
            "Tags": [{"Key": "team", "Value": "bots"},
                     {"Fn::If": ["IsProd", {"Key": "env", "Value": "prod"}, {"Ref": "AWS::NoValue"}]}]})),
        valid("valid_lambda_function", "AWS::Lambda::Function", lambda(json!({"MemorySize": "256", "Timeout": 30, "Architectures": ["arm64"]}))),
        Case {
            name: "valid_getatt",
            type_name: "AWS::SSM::Parameter",
            properties: json!({"Type": "String", "Value": {"Fn::GetAtt": ["Target", "Arn"]}}),
            target: Some(("AWS::SQS::Queue", json!({}))),
            expected: None,
        },
    ]);
    v
}
