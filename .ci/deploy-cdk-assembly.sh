#!/usr/bin/env bash
# The `formwork` command deploys a cloud assembly made by the AWS CDK
# (crates/formwork-cli/tests/fixtures/cdk-assembly, from aws-cdk-lib), then
# checks through the service APIs what moto created, diffs, and destroys.
# Needs: target/debug/formwork built, AWS_ENDPOINT_URL at a moto server, and
# the Python of .venv (boto3 comes with moto).
set -euo pipefail
cd "$(dirname "$0")/.."
assembly=crates/formwork-cli/tests/fixtures/cdk-assembly
formwork=target/debug/formwork
python=.venv/bin/python

"$formwork" list --app "$assembly"
"$formwork" deploy --app "$assembly" --all --require-approval never
"$python" - <<'PY'
import boto3, os
kw = dict(endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name=os.environ["AWS_REGION"])
cfn = boto3.client("cloudformation", **kw)
names = {s["StackName"]: s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"}
assert names.get("CdkShared") == "CREATE_COMPLETE" and names.get("CdkConsumer") == "CREATE_COMPLETE", names
role = next(r for r in cfn.describe_stack_resources(StackName="CdkShared")["StackResources"] if r["LogicalResourceId"] == "Worker11F36D0F")
iam = boto3.client("iam", **kw)
arn = iam.get_role(RoleName=role["PhysicalResourceId"])["Role"]["Arn"]
queue = next(r for r in cfn.describe_stack_resources(StackName="CdkConsumer")["StackResources"] if r["ResourceType"] == "AWS::SQS::Queue")
url = queue["PhysicalResourceId"]
attributes = boto3.client("sqs", **kw).get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
print(f"CDK assembly deployed: role {arn}, queue {attributes['QueueArn']}")
PY
"$formwork" diff --app "$assembly" --all --fail
"$formwork" destroy --app "$assembly" --all --yes
