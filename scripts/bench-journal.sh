#!/usr/bin/env bash
# The journal's cost: builds the load bench first (so the build does not overlap the measurement),
# then runs it (journal off vs on vs a bare handler, in alternating rounds; see benches/load.rs)
# with the load average before and after. Each run's "other CPU" column says how much the rest of
# the machine disturbed it.
# Usage: bash scripts/bench-journal.sh [filters for the bench, e.g. 001]
# Environment: BENCH_SECONDS, BENCH_WARMUP, BENCH_ROUNDS, BENCH_CONCURRENCY (see benches/load.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench load --no-run -q
echo "before: $(uptime)"
status=0
cargo bench -q --bench load -- "$@" || status=$?
echo "after:  $(uptime)"
exit "$status"
