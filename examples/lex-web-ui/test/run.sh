#!/usr/bin/env bash
# The Lex web UI page's tests, for CI and by hand: bash examples/lex-web-ui/test/run.sh
#
# npm ci (playwright-core, pinned in package-lock.json), Debian's Chromium
# (installed with apt-get when missing and running as root), then the SigV4
# and client unit tests and the headless-browser test, each with a time
# bound. Everything listens on 127.0.0.1. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMIUM

echo "==> npm ci (examples/lex-web-ui/test)"
npm ci --no-audit --no-fund --silent || { echo "npm ci failed" >&2; echo "0 passed, 1 failed"; exit 1; }

if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> apt-get install chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -x "$CHROMIUM" ]; then
    echo "$CHROMIUM not found (install Debian's chromium: apt-get install chromium)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
"$CHROMIUM" --version 2>/dev/null || true

passed=0
failed=0
run() { # run SECONDS FILE: node --test with a time bound; adds its counts
  local limit=$1 file=$2 log
  log=$(mktemp)
  echo "==> node --test $file (at most ${limit}s)"
  timeout --kill-after=5 "$limit" node --test --test-reporter=spec "$file" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  p=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
  rm -f "$log"
  if [ -z "$p" ] || [ -z "$f" ]; then
    echo "$file: no test summary (exit $rc; 124 is the time bound)" >&2
    p=${p:-0} f=$(( ${f:-0} + 1 ))
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    echo "$file: exit $rc with no failed test" >&2
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
}

run 30 sigv4.test.mjs
run 30 client.test.mjs
run 90 browser.test.mjs

echo
echo "lex-web-ui: $passed passed, $failed failed"
[ "$failed" = 0 ]
