"""Checks, through the AWS API of the moto server, what a deploy created.

moto answers CREATE_COMPLETE even for resources it skips (Cognito types),
so this asserts on the resources themselves, not on the stack status:

    python .ci/check-deployed.py STACK present   # the IAM roles exist
    python .ci/check-deployed.py STACK absent    # the stack is gone
"""
import os
import sys

import boto3
from botocore.exceptions import ClientError

stack, expect = sys.argv[1], sys.argv[2]
# boto3 reads AWS_DEFAULT_REGION, the Rust SDK AWS_REGION: take either.
region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
cfn = boto3.client("cloudformation", region_name=region)
iam = boto3.client("iam", region_name=region)

if expect == "absent":
    try:
        status = cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    except ClientError as e:
        if "does not exist" in str(e):
            print(f"{stack}: gone")
            sys.exit(0)
        raise
    sys.exit(f"{stack}: still there ({status})")

resources = cfn.describe_stack_resources(StackName=stack)["StackResources"]
# moto lists the Cognito placeholders with few fields: look up keys gently.
roles = [r for r in resources if r.get("ResourceType") == "AWS::IAM::Role"]
if len(roles) != 2:
    sys.exit(f"{stack}: expected 2 IAM roles, found {[r.get('LogicalResourceId') for r in roles]}")
for r in roles:
    role = iam.get_role(RoleName=r["PhysicalResourceId"])["Role"]
    trust = role["AssumeRolePolicyDocument"]
    statement = trust["Statement"][0]
    condition = statement.get("Condition", {})
    # moto drops the `aud` key itself: its value is a Ref to the identity
    # pool, which moto skips. The synthesized template's aud condition is
    # pinned by the snapshot tests; here the condition blocks must survive.
    if (
        statement["Principal"] != {"Federated": "cognito-identity.amazonaws.com"}
        or "StringEquals" not in condition
        or "cognito-identity.amazonaws.com:amr" not in condition.get("ForAnyValue:StringLike", {})
    ):
        sys.exit(f"{r['LogicalResourceId']}: unexpected trust policy {trust}")
    print(f"{r['LogicalResourceId']}: {role['Arn']} trusts cognito-identity.amazonaws.com")
