#!/usr/bin/env python3
"""Differential check of formwork's validator against cfn-lint (a dev tool).

For a set of resource types, sets each top-level property, one at a time, to
values from a fixed list (strings, numeric and boolean strings, numbers,
lists, objects, intrinsics), writes them all into one template, runs both
validators, and lists the properties where exactly one of them reports an
error. Requires-at-root errors are ignored (the properties are set alone).

Usage: differential.py OUT_DIR [TYPE ...]
  CFN_LINT (default: cfn-lint on PATH) and FORMWORK_VALIDATE (default:
  target/release/examples/validate_template) name the two tools.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT_TYPES = [
    "AWS::S3::Bucket", "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::SQS::Queue", "AWS::SNS::Topic",
    "AWS::DynamoDB::Table", "AWS::Logs::LogGroup", "AWS::KMS::Key", "AWS::Events::Rule", "AWS::EC2::VPC",
    "AWS::EC2::SecurityGroup", "AWS::Cognito::IdentityPool", "AWS::Cognito::UserPool",
    "AWS::Cognito::UserPoolClient", "AWS::Cognito::IdentityPoolRoleAttachment", "AWS::Lex::Bot",
    "AWS::Lex::BotAlias", "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl",
    "AWS::ApiGateway::RestApi", "AWS::ECR::Repository", "AWS::SSM::Parameter",
    "AWS::StepFunctions::StateMachine", "AWS::SecretsManager::Secret", "AWS::CloudWatch::Alarm",
    "AWS::ECS::Service", "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::S3::BucketPolicy",
]

VALUES = [
    "", "x", "my-name", "true", "False", "yes", "5", "5.5", " 7 ", "-1", "1e3", "a" * 300,
    0, 1, -1, 7, 60, 1.5, 100000, True, False,
    [], ["a"], ["a", "a"], [1, 2], [{"Key": "k", "Value": "v"}], {}, {"Key": "k"},
    {"Ref": "AWS::Region"}, {"Fn::Sub": "${AWS::StackName}-x"}, {"Fn::Join": ["", ["a", "b"]]},
    {"Fn::GetAZs": ""}, {"Ref": "AWS::NoValue"},
]


def main() -> int:
    out = Path(sys.argv[1])
    types = sys.argv[2:] or DEFAULT_TYPES
    out.mkdir(parents=True, exist_ok=True)
    data = Path(__file__).resolve().parent.parent / "data" / "types"
    rnd = random.Random(42)
    resources, meta = {}, {}
    for t in types:
        schema = json.loads((data / (t.replace("::", "_") + ".json")).read_text())
        for prop in schema.get("properties", {}):
            if "/properties/" + prop in schema.get("readOnlyProperties", []):
                continue
            for value in rnd.sample(VALUES, 8):
                rid = f"R{len(resources)}"
                resources[rid] = {"Type": t, "Properties": {prop: value}}
                meta[rid] = (t, prop, value)
            # One level down: {prop: {nested: value}} for object properties.
            sub = schema["properties"][prop]
            if "$ref" in sub:
                sub = schema.get("definitions", {}).get(sub["$ref"].split("/")[-1], {})
            for nested in list(sub.get("properties", {}))[:12]:
                for value in rnd.sample(VALUES, 3):
                    rid = f"R{len(resources)}"
                    resources[rid] = {"Type": t, "Properties": {prop: {nested: value}}}
                    meta[rid] = (t, f"{prop}.{nested}", value)
    template = out / "differential.json"
    template.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}))
    cfn_lint = os.environ.get("CFN_LINT") or shutil.which("cfn-lint") or "cfn-lint"
    fw = os.environ.get("FORMWORK_VALIDATE", "target/release/examples/validate_template")
    cached = out / "cfn-lint.json"
    if os.environ.get("REUSE_CFN_LINT") and cached.exists():
        cl_out = cached.read_text()
    else:
        cl_out = subprocess.run([cfn_lint, "--format", "json", str(template)], capture_output=True, text=True).stdout
        cached.write_text(cl_out)
    fr = subprocess.run([fw, str(template)], capture_output=True, text=True)
    flagged_cl, flagged_fw = defaultdict(list), defaultdict(list)
    for m in json.loads(cl_out or "[]"):
        p = m["Location"].get("Path") or []
        # E3019 (unique primary identifiers) is about the many copies here.
        if m["Rule"]["Id"] == "E3019":
            continue
        if m["Level"] == "Error" and len(p) > 3 and p[0] == "Resources" and p[2] == "Properties":
            flagged_cl[p[1]].append(f"{m['Rule']['Id']}: {m['Message'][:100]}")
    for line in fr.stdout.splitlines():
        d = json.loads(line)
        v = d["violation"]
        if len(v["path"]) > 1 or (v["path"] and v["rule"]["rule"] != "required"):
            flagged_fw[d["resource"]].append(f"{v['rule']['rule']}: {v['message'][:100]}")
    disagree = 0
    for rid, (t, prop, value) in meta.items():
        a, b = bool(flagged_fw.get(rid)), bool(flagged_cl.get(rid))
        if a != b:
            disagree += 1
            print(f"{t}.{prop} = {json.dumps(value)[:60]}: formwork {flagged_fw.get(rid, ['ok'])} / cfn-lint {flagged_cl.get(rid, ['ok'])}")
    print(f"{len(meta)} property values, {disagree} disagreements")
    return 0


if __name__ == "__main__":
    sys.exit(main())
