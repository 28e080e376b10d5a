#!/usr/bin/env python3
"""Refresh the vendored CloudFormation resource schemas from a pinned cfn-lint.

Usage (from anywhere; needs a Python that has exactly the pinned cfn-lint):

    python -m venv /tmp/cfnlint-venv
    /tmp/cfnlint-venv/bin/pip install "cfn-lint==$(cat crates/formwork-schema/data/CFN_LINT_VERSION)"
    /tmp/cfnlint-venv/bin/python crates/formwork-schema/scripts/refresh.py

It reads `cfnlint/data/schemas/providers/*.json` (type name -> schema hash, per
region) and `cfnlint/data/schemas/resources/<hash>.json` (the registry schemas,
with cfn-lint's patches already applied), and writes:

* `data/types/<Type_Name>.json`  minified validator data for one type: the
  schema with documentation and provisioning-only keys stripped, plus
  `x-getAtts` (and `x-getAttPatterns`): the `Fn::GetAtt` names as cfn-lint
  derives them (readOnlyProperties, with cfn-lint's known exceptions). `$ref`s are
  kept as `#/definitions/...` JSON pointers (the validator resolves them
  within the same document), so recursive definitions stay finite.
* `data/docs/<Vendor_Service>.json`  the stripped documentation (`description`,
  `default`, `examples`, `title`, deprecation notes ...) as a tree parallel to
  the schema, keyed by type name, for the L1 code generator. The validator
  never loads these.
* `src/generated_index.rs`  a table sorted by type name, one `include_str!` per
  type, so that a type is only parsed when it is first validated.
* `data/SOURCE.json`  cfn-lint version, schema date, counts and sizes.

The output is deterministic (sorted keys in the index, source key order in
the JSON), so a refresh with the same cfn-lint gives no diff.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

CRATE = Path(__file__).resolve().parent.parent
DATA = CRATE / "data"

# Keys that only matter to documentation: moved to the docs tree.
DOC_KEYS = {"description", "default", "examples", "title", "$comment", "lifecycle", "status", "date"}
# Keys that only matter to provisioning (the registry handlers) or to tooling we
# do not use: dropped from the validator data altogether.
TOP_DROP = {"handlers", "sourceUrl", "documentationUrl", "$schema", "permissions", "$id", "typeConfiguration"}
NODE_DROP = {"relationshipRef", "resourceLink", "propertyTransform", "replacementStrategy", "handlerSchema", "mappings", "templateUri"}
# Keywords whose value is a map from a name to a schema.
SCHEMA_MAPS = {"properties", "patternProperties", "definitions"}
# Keywords whose value is a schema.
SCHEMA_ONE = {"items", "additionalProperties", "not", "if", "then", "else", "contains", "additionalItems", "propertyNames"}
# Keywords whose value is a list of schemas.
SCHEMA_LIST = {"oneOf", "anyOf", "allOf", "prefixItems"}


CfnLintSchema = None


def strip(node, top=False):
    """Return (validator_node, docs_node) for a schema node."""
    if not isinstance(node, dict):
        return node, None
    out, docs = {}, {}
    for key, value in node.items():
        if top and key in TOP_DROP:
            continue
        if key in NODE_DROP:
            continue
        if key in DOC_KEYS and not (top and key in ("status",)):
            if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
                docs[key] = value
            continue
        if key == "tagging" and top and isinstance(value, dict):
            out[key] = {k: v for k, v in value.items() if k != "permissions"}
            continue
        if key in SCHEMA_MAPS and isinstance(value, dict):
            m, dm = {}, {}
            for name, sub in value.items():
                m[name], d = strip(sub)
                if d:
                    dm[name] = d
            out[key] = m
            if dm:
                docs[key] = dm
        elif key in SCHEMA_ONE and isinstance(value, dict):
            out[key], d = strip(value)
            if d:
                docs[key] = d
        elif key in SCHEMA_LIST and isinstance(value, list):
            lst, dl, any_doc = [], [], False
            for sub in value:
                s, d = strip(sub)
                lst.append(s)
                dl.append(d or {})
                any_doc = any_doc or bool(d)
            out[key] = lst
            if any_doc:
                docs[key] = dl
        elif key == "dependencies" and isinstance(value, dict):
            out[key] = {k: (strip(v)[0] if isinstance(v, dict) else v) for k, v in value.items()}
        else:
            out[key] = value
    return out, docs


def file_stem(type_name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", type_name)


def main() -> int:
    import cfnlint  # noqa: F401  (the pinned one)
    from cfnlint.version import __version__ as version
    global CfnLintSchema
    from cfnlint.schema._schema import Schema as CfnLintSchema

    pinned = (DATA / "CFN_LINT_VERSION").read_text().strip()
    if version != pinned:
        print(f"cfn-lint {version} found, {pinned} pinned in data/CFN_LINT_VERSION", file=sys.stderr)
        return 1
    base = Path(cfnlint.__file__).parent / "data" / "schemas"
    schema_date = json.loads((base / "version.json").read_text()).get("schema_date")

    types: dict[str, str] = {}
    regions: dict[str, int] = {}
    for prov in sorted((base / "providers").glob("*.json")):
        for type_name, digest in json.loads(prov.read_text()).items():
            if types.setdefault(type_name, digest) != digest:
                print(f"note: {type_name} differs between regions; keeping the first", file=sys.stderr)
            regions[type_name] = regions.get(type_name, 0) + 1
    us_east_1 = set(json.loads((base / "providers" / "us-east-1.json").read_text()))

    types_dir = DATA / "types"
    docs_dir = DATA / "docs"
    for d in (types_dir, docs_dir):
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.json"):
            old.unlink()

    raw_size = 0
    out_size = 0
    docs_by_service: dict[str, dict] = {}
    index = []
    bad_refs = 0
    for type_name in sorted(types):
        src = base / "resources" / f"{types[type_name]}.json"
        raw_text = src.read_text(encoding="utf-8")
        raw_size += len(raw_text.encode())
        schema = json.loads(raw_text)
        data, docs = strip(schema, top=True)
        # The Fn::GetAtt attribute names, as cfn-lint computes them: the
        # readOnlyProperties, plus cfn-lint's list of types whose every
        # (scalar) property can be read, and its per-type exceptions. Names
        # that are regular expressions (`Outputs\..*`) go to a second list.
        names, patterns = [], []
        for key in CfnLintSchema(json.loads(raw_text)).get_atts.keys():
            (patterns if ("\\" in key or "*" in key) else names).append(key)
        data["x-getAtts"] = names
        if patterns:
            data["x-getAttPatterns"] = patterns
        for ref in re.findall(r'"\$ref":\s*"([^"]*)"', json.dumps(data)):
            if not ref.startswith("#/"):
                bad_refs += 1
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        stem = file_stem(type_name)
        (types_dir / f"{stem}.json").write_text(text, encoding="utf-8")
        out_size += len(text.encode())
        service = "_".join(type_name.split("::")[:2])
        docs_by_service.setdefault(service, {})[type_name] = docs
        index.append((type_name, stem))

    docs_size = 0
    for service, docs in sorted(docs_by_service.items()):
        text = json.dumps(docs, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
        (docs_dir / f"{service}.json").write_text(text, encoding="utf-8")
        docs_size += len(text.encode())

    lines = [
        "// @generated by scripts/refresh.py from cfn-lint's schemas. Do not edit.",
        "",
        "/// (type name, minified schema JSON, available in us-east-1), sorted by type name.",
        "pub(crate) static TYPES: &[(&str, &str, bool)] = &[",
    ]
    for type_name, stem in index:
        lines.append(
            f'    ("{type_name}", include_str!("../data/types/{stem}.json"), {str(type_name in us_east_1).lower()}),'
        )
    lines.append("];")
    (CRATE / "src" / "generated_index.rs").write_text("\n".join(lines) + "\n", encoding="utf-8")

    source = {
        "cfn_lint_version": version,
        "schema_date": schema_date,
        "types": len(index),
        "types_in_us_east_1": len(us_east_1 & set(types)),
        "services": len(docs_by_service),
        "raw_bytes": raw_size,
        "validator_bytes": out_size,
        "docs_bytes": docs_size,
        "non_local_refs": bad_refs,
    }
    (DATA / "SOURCE.json").write_text(json.dumps(source, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(source, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
