#!/usr/bin/env bash
# Synthesis, whole process, formwork against the AWS CDK in one run, for the
# "Speed floor" section of BENCHMARKS.md (issue 9).
#
#   bash benches/compare-cdk.sh                  # 3 rounds
#   ROUNDS=5 OUT=/tmp/cmp bash benches/compare-cdk.sh
#   CASES="lex roles5000" bash benches/compare-cdk.sh   # leave out pool500
#
# Needs: cargo, node >= 20 and npm, hyperfine, GNU time (/usr/bin/time),
# valgrind (optional: instruction counts). On Debian/Ubuntu:
#   apt-get install -y hyperfine time valgrind
#
# Each case is the same stack in both (benches/cdk/*.js mirror
# examples/lex-web-bot.rs and examples/support/scale_app.rs); the templates
# are checked to be equal first. The CDK runs twice: `app.synth()` and
# `app.synth({ skipValidation: true })` (SKIP_VALIDATION=1). Every command
# writes its assembly into the directory of its previous run.
#
# The machine may be shared: the rounds interleave the three commands of a
# case, and each ratio is taken between medians of the same round; the load
# average is printed with each measurement.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-3}
OUT=${OUT:-/tmp/formwork-vs-cdk}
CASES=${CASES:-lex roles5000 pool500}
B=$ROOT/target/release/examples
CDK=$ROOT/benches/cdk

for tool in cargo node npm hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

echo "== build"
cargo build --release --example lex-web-bot --example scale
(cd "$CDK" && npm ci --no-audit --no-fund --loglevel=error)

rm -rf "$OUT"
mkdir -p "$OUT/json"

# case -> formwork args | CDK app and args | runs per round (formwork, CDK)
fw_cmd() {
  case $1 in
    lex) echo "$B/lex-web-bot synth -o $OUT/fw-$1 -q" ;;
    roles5000) echo "$B/scale roles 5000 synth -o $OUT/fw-$1 -q" ;;
    pool500) echo "$B/scale pool 500 synth -o $OUT/fw-$1 -q" ;;
  esac
}
cdk_cmd() { # case skip(0|1)
  local dir=$OUT/cdk-$1-$2
  case $1 in
    lex) echo "env SKIP_VALIDATION=$2 node $CDK/lex-web-bot.js $dir" ;;
    roles5000) echo "env SKIP_VALIDATION=$2 node $CDK/roles.js 5000 $dir" ;;
    pool500) echo "env SKIP_VALIDATION=$2 node $CDK/pool.js 500 $dir" ;;
  esac
}
fw_runs() { case $1 in lex) echo 30 ;; *) echo 10 ;; esac; }
cdk_runs() { case $1 in lex) echo 3 ;; *) echo 2 ;; esac; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== the same templates (also the warm-up of every command)"
for c in $CASES; do
  $(fw_cmd "$c") 2>/dev/null
  $(cdk_cmd "$c" 0)
  $(cdk_cmd "$c" 1)
  node "$CDK/same-templates.js" "$OUT/fw-$c" "$OUT/cdk-$c-0"
  node "$CDK/same-templates.js" "$OUT/fw-$c" "$OUT/cdk-$c-1" >/dev/null
done

echo "== wall time: $ROUNDS rounds"
for r in $(seq 1 "$ROUNDS"); do
  for c in $CASES; do
    for who in fw cdk0 cdk1; do
      case $who in
        fw) cmd=$(fw_cmd "$c"); n=$(fw_runs "$c"); w=2 ;;
        cdk0) cmd=$(cdk_cmd "$c" 0); n=$(cdk_runs "$c"); w=0 ;;
        cdk1) cmd=$(cdk_cmd "$c" 1); n=$(cdk_runs "$c"); w=0 ;;
      esac
      l=$(load)
      echo "round $r $c $who (load $l)"
      hyperfine -N --style none -w "$w" -r "$n" \
        --export-json "$OUT/json/$r-$c-$who.json" "$cmd" >"$OUT/json/$r-$c-$who.log" 2>&1 ||
        { cat "$OUT/json/$r-$c-$who.log" >&2; exit 1; }
      echo "$r $c $who $l" >>"$OUT/loads"
    done
  done
done

echo "== summary"
node - "$OUT" "$ROUNDS" $CASES <<'JS'
const fs = require('fs');
const [out, rounds, ...cases] = process.argv.slice(2);
const ms = (s) => (s * 1000 < 10 ? (s * 1000).toFixed(2) : (s * 1000).toFixed(0));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const times = (r, c, who) => JSON.parse(fs.readFileSync(`${out}/json/${r}-${c}-${who}.json`)).results[0].times;
const loads = fs.readFileSync(`${out}/loads`, 'utf8').trim().split('\n').map((l) => l.split(' '));
const ones = loads.map((l) => Number(l[3]));
console.log(`load average (1 min) during the rounds: ${Math.min(...ones)}-${Math.max(...ones)}, median ${med(ones)}`);
const names = { fw: 'formwork', cdk0: 'CDK app.synth()', cdk1: 'CDK skipValidation' };
for (const c of cases) {
  console.log(`\n${c}: wall ms, min / median / max over all rounds (runs)`);
  const all = {};
  for (const who of ['fw', 'cdk0', 'cdk1']) {
    all[who] = [];
    for (let r = 1; r <= rounds; r++) all[who].push(...times(r, c, who));
    const t = all[who];
    console.log(`  ${names[who].padEnd(20)} ${ms(Math.min(...t))} / ${ms(med(t))} / ${ms(Math.max(...t))}  (${t.length})`);
  }
  for (const who of ['cdk0', 'cdk1']) {
    const per = [];
    for (let r = 1; r <= rounds; r++) per.push(med(times(r, c, who)) / med(times(r, c, 'fw')));
    console.log(`  ${names[who]} / formwork, per round (median/median): ${per.map((x) => x.toFixed(0)).join(', ')};` +
      ` min ${Math.min(...per).toFixed(0)}x, median ${med(per).toFixed(0)}x; of the minima ${(Math.min(...all[who]) / Math.min(...all.fw)).toFixed(0)}x`);
  }
}
JS

echo
echo "== peak RSS (GNU time -v, maximum resident set size, 3 runs each)"
rss() { for _ in 1 2 3; do /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ { printf "%.1f MB  ", $6 / 1024 }'; done; echo; }
for c in $CASES; do
  echo "$c (load $(load))"
  echo -n "  formwork             "; rss $(fw_cmd "$c")
  echo -n "  CDK app.synth()      "; rss $(cdk_cmd "$c" 0)
  echo -n "  CDK skipValidation   "; rss $(cdk_cmd "$c" 1)
done

if command -v valgrind >/dev/null; then
  echo
  echo "== formwork instructions (valgrind --tool=callgrind; independent of load)"
  for c in $CASES; do
    echo -n "$c: "
    valgrind --tool=callgrind --callgrind-out-file=/dev/null $(fw_cmd "$c") 2>&1 | awk '/refs:/ { print $NF }'
  done
fi

echo
echo "== versions"
rustc --version
echo "node $(node --version); aws-cdk-lib $(node -p "require('$CDK/node_modules/aws-cdk-lib/package.json').version"); constructs $(node -p "require('$CDK/node_modules/constructs/package.json').version")"
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr); $(date -u '+%Y-%m-%d %H:%M UTC')"
