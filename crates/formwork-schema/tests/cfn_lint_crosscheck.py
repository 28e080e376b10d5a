#!/usr/bin/env python3
"""Cross-check formwork's validator corpus against cfn-lint.

Usage: cfn_lint_crosscheck.py DIR

DIR is what `cargo test -p formwork-schema --test corpus` wrote (templates
plus manifest.json, with formwork's own verdicts). cfn-lint is taken from
$CFN_LINT, else from PATH. For every broken template cfn-lint must report an
error on the same property as formwork:
  * the same path, or
  * a path inside it (cfn-lint points into intrinsics: `Value.Fn::GetAtt.1`),
  * for `required`, the object that misses the property (cfn-lint's
    convention; formwork names the missing property itself).
Valid templates must get no error and no warning from cfn-lint.
Ends with a line "N passed, M failed"; exits 1 if anything failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PARENT_RULES = {"required", "dependentRequired", "requiredXor", "requiredOr"}


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = Path(sys.argv[1])
    manifest = json.loads((corpus / "manifest.json").read_text())
    cfn_lint = os.environ.get("CFN_LINT") or shutil.which("cfn-lint")
    if not cfn_lint:
        print("cfn-lint not found (set CFN_LINT or put it on PATH)", file=sys.stderr)
        return 2
    version = subprocess.run([cfn_lint, "--version"], capture_output=True, text=True).stdout.strip()
    files = [str(corpus / e["file"]) for e in manifest]
    proc = subprocess.run(
        [cfn_lint, "--format", "json", "--regions", "us-east-1", "--", *files],
        capture_output=True,
        text=True,
    )
    # cfn-lint's exit code is a bitmask (2 errors, 4 warnings, 8 info); 1 is a crash.
    if proc.returncode & 1 or not proc.stdout.strip():
        print(f"cfn-lint failed (exit {proc.returncode}):\n{proc.stderr}", file=sys.stderr)
        return 2
    by_file: dict[str, list[dict]] = defaultdict(list)
    for match in json.loads(proc.stdout):
        by_file[Path(match["Filename"]).name].append(match)

    passed, failed = 0, 0
    for entry in manifest:
        matches = by_file.get(entry["file"], [])
        shown = [
            f"{m['Level']} {m['Rule']['Id']} {'.'.join(map(str, m['Location']['Path']))}: {m['Message'][:100]}"
            for m in matches
        ]
        if entry["valid"]:
            bad = [m for m in matches if m["Level"] in ("Error", "Warning")]
            ok = not bad
            why = "clean" if ok else "cfn-lint flags a valid template"
        else:
            want = entry["path"]
            errors = [m for m in matches if m["Level"] == "Error"]
            how = None
            for m in errors:
                got = m["Location"]["Path"]
                if got == want:
                    how = f"{m['Rule']['Id']} same path"
                elif got[: len(want)] == want:
                    how = f"{m['Rule']['Id']} inside the property"
                elif entry["rule"] in PARENT_RULES and got == want[:-1]:
                    how = f"{m['Rule']['Id']} on the parent object"
                if how:
                    break
            ok = how is not None
            why = how if ok else (
                "cfn-lint reports no error" if not errors else "cfn-lint flags a different property"
            )
        label = "ok  " if ok else "FAIL"
        target = "valid" if entry["valid"] else f"{entry['rule']} at {entry['property_path'] or '(type)'}"
        print(f"{label} {entry['file']}: formwork {target}; cfn-lint: {why}")
        if not ok:
            for s in shown or ["(nothing)"]:
                print(f"       {s}")
        passed += ok
        failed += not ok
    print(f"cfn-lint cross-check with {version}: {len(manifest)} templates")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
