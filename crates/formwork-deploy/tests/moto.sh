#!/usr/bin/env bash
# Runs the formwork-deploy tests that need a moto server: starts moto on
# 127.0.0.1:${MOTO_PORT:-5055} (with MOTO_IAM_LOAD_MANAGED_POLICIES=true), runs
# `cargo test -p formwork-deploy --test moto --test faults` with the client environment of
# docs/ARCHITECTURE.md, and stops moto again.
#
# moto_server is taken from $MOTO_SERVER, else from .venv/bin at the
# workspace root, else from PATH (`pip install 'moto[server]'`).
# If FORMWORK_MOTO_ENDPOINT is already set, that server is used instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
port=${MOTO_PORT:-5055}
pid=

cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; true; }
trap cleanup EXIT

if [ -z "${FORMWORK_MOTO_ENDPOINT:-}" ]; then
  server=${MOTO_SERVER:-}
  [ -z "$server" ] && [ -x "$root/.venv/bin/moto_server" ] && server="$root/.venv/bin/moto_server"
  [ -z "$server" ] && server=$(command -v moto_server || true)
  if [ -z "$server" ]; then
    echo "moto_server not found: pip install 'moto[server]' (or set MOTO_SERVER)" >&2
    exit 2
  fi
  log=$(mktemp -t moto.XXXXXX.log)
  MOTO_IAM_LOAD_MANAGED_POLICIES=true "$server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  pid=$!
  export FORMWORK_MOTO_ENDPOINT="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -fsS -X POST "$FORMWORK_MOTO_ENDPOINT/moto-api/reset" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { echo "moto exited; log:" >&2; cat "$log" >&2; exit 2; }
    sleep 0.2
  done
fi

export AWS_ENDPOINT_URL="$FORMWORK_MOTO_ENDPOINT"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
cd "$root"
cargo test -p formwork-deploy --test moto --test faults -- --nocapture "$@"
