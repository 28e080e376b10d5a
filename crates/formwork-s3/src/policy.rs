//! The bucket policy: an `AWS::S3::BucketPolicy` at `<Bucket>/Policy/Resource`
//! (as the CDK), created with the first statement and rendered from the
//! bucket's typed state at synthesis; and the statements the bucket itself
//! adds to policies (TLS only, log delivery).

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_storage::s3::{CfnBucketPolicy, CfnBucketPolicyProps};
use formwork_core::{CfnResource, Construct, Expr, Result, Scope};
use formwork_iam::{ConditionOperator, PolicyDocument, PolicyKind, Principal, Statement};

/// The service principal of S3 server access logging.
pub const LOG_DELIVERY_PRINCIPAL: &str = "logging.s3.amazonaws.com";

/// A bucket policy's statements, and whether its resource exists yet.
#[derive(Debug, Default)]
pub(crate) struct PolicyState {
    created: bool,
    statements: Vec<Statement>,
}

impl PolicyState {
    pub(crate) fn statements(&self) -> Vec<Statement> {
        self.statements.clone()
    }
}

/// Adds `statement` to the policy `state` of the bucket `construct` named
/// `bucket_name`, creating the policy resource with the first statement.
pub(crate) fn add_statement(
    construct: &Construct,
    bucket_name: Expr,
    state: &Rc<RefCell<PolicyState>>,
    statement: Statement,
) -> Result<()> {
    PolicyDocument::new([statement.clone()]).check(
        PolicyKind::Resource,
        &construct.child_path("Policy"),
        "PolicyDocument",
    )?;
    if !state.borrow().created {
        let resource = construct
            .child("Policy")?
            .add_resource("Resource", CfnResource::new(CfnBucketPolicy::TYPE_NAME))?;
        // The state holds no handle (only values and element ids), so the
        // tree may keep it alive through this renderer without a cycle; a
        // bucket whose handles were dropped keeps its statements.
        let rendered = state.clone();
        resource.set_lazy_properties(move || {
            let statements = rendered.borrow().statements();
            let props = CfnBucketPolicyProps::builder()
                .bucket(bucket_name.clone())
                .policy_document(PolicyDocument::new(statements).into_expr())
                .build();
            CfnResource::from(props).properties
        });
        state.borrow_mut().created = true;
    }
    let policy = &mut state.borrow_mut();
    if !policy.statements.contains(&statement) {
        policy.statements.push(statement);
    }
    Ok(())
}

/// Denies every request not made over TLS, on the bucket (`bucket_arn`)
/// and its objects (`objects_arn`): the CDK's `enforceSSL` statement.
pub(crate) fn enforce_ssl_statement(bucket_arn: Expr, objects_arn: Expr) -> Statement {
    Statement::deny()
        .principal(Principal::Any)
        .actions(["s3:*"])
        .resources([bucket_arn, objects_arn])
        .condition(ConditionOperator::Bool, "aws:SecureTransport", "false")
}

/// Lets S3 put server access logs into the objects `logs_arn` (the target
/// bucket's `<arn>/<prefix>*`): the statement of the CDK's
/// `allowLogDelivery` (with `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`,
/// which the CDK recommends). `source` (the logging bucket's ARN and its
/// account) adds the source conditions: the caller gives it only when both
/// buckets are in one stack, as the CDK does, since across stacks they
/// would make the log bucket's stack depend on the source's, which already
/// depends on it.
pub(crate) fn log_delivery_statement(logs_arn: Expr, source: Option<(Expr, Expr)>) -> Statement {
    let statement = Statement::allow()
        .principal(Principal::service(LOG_DELIVERY_PRINCIPAL))
        .actions(["s3:PutObject"])
        .resources([logs_arn]);
    match source {
        Some((arn, account)) => statement
            .condition(ConditionOperator::ArnLike, "aws:SourceArn", arn)
            .condition(
                ConditionOperator::StringEquals,
                "aws:SourceAccount",
                account,
            ),
        None => statement,
    }
}
