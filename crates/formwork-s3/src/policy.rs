//! The bucket policy: an `AWS::S3::BucketPolicy` at `<Bucket>/Policy/Resource`
//! (as the CDK), created with the first statement and rendered from the
//! bucket's typed state at synthesis; and the statements the bucket itself
//! adds to policies (TLS only, log delivery).

use std::cell::RefCell;
use std::rc::Rc;

use formwork_cfn_storage::s3::{CfnBucketPolicy, CfnBucketPolicyProps};
use formwork_core::{CfnResource, Result, Scope};
use formwork_iam::{ConditionOperator, PolicyDocument, PolicyKind, Principal, Statement};

use crate::bucket::{Bucket, BucketState};

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

/// Adds `statement` to the policy of `bucket` (whose state is `state`),
/// creating the policy resource with the first statement.
pub(crate) fn add_statement(
    bucket: &Bucket,
    state: &Rc<RefCell<BucketState>>,
    statement: Statement,
) -> Result<()> {
    let construct = bucket.construct();
    PolicyDocument::new([statement.clone()]).check(
        PolicyKind::Resource,
        &construct.child_path("Policy"),
        "PolicyDocument",
    )?;
    if !state.borrow().policy.created {
        let resource = construct
            .child("Policy")?
            .add_resource("Resource", CfnResource::new(CfnBucketPolicy::TYPE_NAME))?;
        // The state holds no handle (only values and element ids), so the
        // tree may keep it alive through this renderer without a cycle; a
        // bucket whose handles were dropped keeps its statements.
        let rendered = state.clone();
        let bucket_name = bucket.bucket_name();
        resource.set_lazy_properties(move || {
            let statements = rendered.borrow().policy.statements();
            let props = CfnBucketPolicyProps::builder()
                .bucket(bucket_name.clone())
                .policy_document(PolicyDocument::new(statements).into_expr())
                .build();
            CfnResource::from(props).properties
        });
        state.borrow_mut().policy.created = true;
    }
    let policy = &mut state.borrow_mut().policy;
    if !policy.statements.contains(&statement) {
        policy.statements.push(statement);
    }
    Ok(())
}

/// Denies every request not made over TLS, on the bucket and its objects:
/// the CDK's `enforceSSL` statement.
pub(crate) fn enforce_ssl_statement(bucket: &Bucket) -> Statement {
    Statement::deny()
        .principal(Principal::Any)
        .actions(["s3:*"])
        .resources([bucket.bucket_arn(), bucket.arn_for_objects("*")])
        .condition(ConditionOperator::Bool, "aws:SecureTransport", "false")
}

/// Lets S3 put the server access logs of `source` into `target` under
/// `prefix`: the statement of the CDK's `allowLogDelivery` (with
/// `@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy`, which the CDK
/// recommends). The source conditions are added only when both buckets are
/// in one stack, as the CDK does: across stacks they would make the log
/// bucket's stack depend on the source's, which already depends on it.
pub(crate) fn log_delivery_statement(
    target: &Bucket,
    source: &Bucket,
    prefix: Option<&str>,
) -> Statement {
    let pattern = format!("{}*", prefix.unwrap_or_default());
    let statement = Statement::allow()
        .principal(Principal::service(LOG_DELIVERY_PRINCIPAL))
        .actions(["s3:PutObject"])
        .resources([target.arn_for_objects(&pattern)]);
    let source_stack = source.construct().stack();
    let same_stack = !source.is_imported()
        && source_stack.is_some()
        && source_stack.as_ref().map(|s| s.construct().element())
            == target.construct().stack().map(|s| s.construct().element());
    match source_stack {
        Some(stack) if same_stack => statement
            .condition(
                ConditionOperator::ArnLike,
                "aws:SourceArn",
                source.bucket_arn(),
            )
            .condition(
                ConditionOperator::StringEquals,
                "aws:SourceAccount",
                stack.account(),
            ),
        _ => statement,
    }
}
