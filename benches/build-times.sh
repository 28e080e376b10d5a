#!/usr/bin/env bash
# Build times a user waits for (BENCHMARKS.md, "Build times"):
#   1. a fresh clone's first command, `cargo run --example lex-web-bot`, cold;
#   2. a new crate that depends on formwork with its default features plus
#      one service (`s3`), cold;
#   3. that crate rebuilt and run (synth) after a one-line change.
# Each cold build gets an empty target directory and an already-filled
# cargo registry cache (downloads are not counted). Run on a quiet machine:
#   bash benches/build-times.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
secs() { local start=$1; echo "$(( $(date +%s%N) - start ))" | awk '{printf "%.1f s", $1/1e9}'; }

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(rustc --version)"

git clone --quiet "$root" "$work/clone"
cargo fetch --quiet --manifest-path "$work/clone/Cargo.toml"
start=$(date +%s%N)
(cd "$work/clone" && CARGO_TARGET_DIR="$work/t1" cargo run --quiet --example lex-web-bot >/dev/null 2>&1)
echo "1. fresh clone, cargo run --example lex-web-bot (cold): $(secs "$start")"

mkdir -p "$work/app/src"
cat > "$work/app/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.1.0"
edition = "2021"

[dependencies]
formwork = { path = "$work/clone", features = ["s3"] }
TOML
cat > "$work/app/src/main.rs" <<'RS'
use formwork::nag::{NagSuppressions, Suppression};
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps};

fn main() -> formwork::Result<()> {
    let app = App::new();
    let stack = app.stack("Downstream");
    let site = Bucket::new(&stack, "Site", BucketProps::default())?;
    // The rule packs run at synth: a bucket without access logs is AwsSolutions-S1.
    let why = "a build-time benchmark: nothing is stored or read here";
    NagSuppressions::add(&site.construct(), [Suppression::new("AwsSolutions-S1", why)])?;
    stack.output("Note", "first");
    app.run()
}
RS
(cd "$work/app" && cargo fetch --quiet)
start=$(date +%s%N)
(cd "$work/app" && CARGO_TARGET_DIR="$work/t2" cargo build --quiet 2>/dev/null)
echo "2. new crate, formwork default features + s3 (cold): $(secs "$start")"
echo "   debug binary: $(du -h "$work/t2/debug/downstream" | cut -f1)"

sed -i 's/"first"/"second"/' "$work/app/src/main.rs"
start=$(date +%s%N)
(cd "$work/app" && CARGO_TARGET_DIR="$work/t2" cargo run --quiet -- synth -o "$work/out" -q 2>/dev/null)
echo "3. one-line change, rebuild and synth: $(secs "$start")"
grep -q second "$work/out/Downstream.template.json"
