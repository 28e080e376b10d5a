#!/usr/bin/env bash
# cfn-lint over every *.template.json below the given directories.
# Fails on any error or warning (exit bitmask 2 = error, 4 = warning;
# 8 = informational is allowed), and when there is no template at all.
set -euo pipefail
mapfile -t templates < <(find "$@" -name '*.template.json' -type f | sort)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "cfn-lint: no templates found in $*" >&2
  exit 1
fi
set +e
cfn-lint --format parseable -- "${templates[@]}"
status=$?
set -e
if [ $((status & 6)) -ne 0 ]; then
  echo "cfn-lint found errors or warnings (exit $status) in ${#templates[@]} templates" >&2
  exit 1
fi
echo "cfn-lint: ${#templates[@]} templates clean"
