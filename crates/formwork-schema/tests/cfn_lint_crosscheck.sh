#!/bin/sh
# Cross-check the corpus written by `cargo test -p formwork-schema --test corpus`
# against cfn-lint (from $CFN_LINT or PATH). See cfn_lint_crosscheck.py.
#   FORMWORK_SCHEMA_CORPUS_DIR=/tmp/corpus cargo test -p formwork-schema --test corpus
#   crates/formwork-schema/tests/cfn_lint_crosscheck.sh /tmp/corpus
set -eu
dir="${1:?usage: cfn_lint_crosscheck.sh CORPUS_DIR}"
here="$(cd "$(dirname "$0")" && pwd)"
py="${PYTHON:-python3}"
exec "$py" "$here/cfn_lint_crosscheck.py" "$dir"
