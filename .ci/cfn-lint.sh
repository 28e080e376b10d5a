#!/usr/bin/env bash
# Runs cfn-lint over every *.template.json in the given directories.
#
#   .ci/cfn-lint.sh DIR...
#
# Fails (exit 1) on any error or warning, and when the directories hold no
# template at all (a test run that wrote nothing must not pass silently).
# cfn-lint's exit code is a bitmask: 2 errors, 4 warnings, 8 informational;
# informational findings are printed but do not fail.
# Uses $CFN_LINT when set, else `cfn-lint` from PATH.
#
# The templates come from the tests and the example:
#   rm -rf target/cfn-lint
#   FORMWORK_LINT_DIR="$PWD/target/cfn-lint/tests" cargo test --workspace
#   cargo run --example lex-web-bot -- synth --quiet --output target/cfn-lint/example
#   .ci/cfn-lint.sh target/cfn-lint/tests target/cfn-lint/example
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 DIR..." >&2
    exit 2
fi

cfn_lint="${CFN_LINT:-cfn-lint}"
if ! command -v "$cfn_lint" >/dev/null 2>&1; then
    echo "cfn-lint: '$cfn_lint' not found (pip install cfn-lint, or set CFN_LINT)" >&2
    exit 2
fi

templates=()
for dir in "$@"; do
    if [ ! -d "$dir" ]; then
        echo "cfn-lint: $dir is not a directory" >&2
        exit 1
    fi
    while IFS= read -r -d '' f; do
        templates+=("$f")
    done < <(find "$dir" -type f -name '*.template.json' -print0 | sort -z)
done

if [ "${#templates[@]}" -eq 0 ]; then
    echo "cfn-lint: no *.template.json in $* (was FORMWORK_LINT_DIR set for the tests?)" >&2
    exit 1
fi

echo "cfn-lint $("$cfn_lint" --version 2>&1 | awk '{print $NF}') over ${#templates[@]} templates" >&2
status=0
"$cfn_lint" --format parseable -- "${templates[@]}" || status=$?

if [ $((status & ~8)) -ne 0 ]; then
    # Anything but informational: errors (2), warnings (4), or a failure of
    # cfn-lint itself (1, or bits it does not document).
    echo "cfn-lint: FAILED (exit $status: 2 = errors, 4 = warnings)" >&2
    exit 1
fi
for f in "${templates[@]}"; do
    echo "ok  $f" >&2
done
exit 0
