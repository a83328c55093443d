#!/usr/bin/env bash
# How long a full conformance run takes against our own server: every industry, every API
# (release build, both on this machine). Usage: bash scripts/bench-check.sh [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
cargo build --release -q
BIN=target/release/mydata-testbed
PORT=18393
MYDATA_LOG=warn "$BIN" serve --bind 127.0.0.1:$PORT &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.1; done
times=()
for i in $(seq "$RUNS"); do
  start=$(date +%s%N)
  "$BIN" check --target http://127.0.0.1:$PORT --login testbed --concurrency 8 --quiet --report-json target/bench-check.json
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms"
done
python3 - "${times[@]}" <<'PY'
import json, statistics, sys
ms = sorted(int(x) for x in sys.argv[1:])
report = json.load(open("target/bench-check.json"))
t = report["totals"]
print(f"{t['cases']} cases ({t['pass']} pass, {t['fail']} fail, {t['warn']} warn, {t['skip']} skip) in "
      f"median {statistics.median(ms):.0f} ms, min {ms[0]} ms, max {ms[-1]} ms over {len(ms)} runs")
PY
