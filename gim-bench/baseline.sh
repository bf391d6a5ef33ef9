#!/usr/bin/env bash
# Takes every reading of docs/benchmarks.md: RUNS runs of each configuration, results as JSON
# under docs/bench-results, then the report step (tables + PNG charts). About 25 minutes.
#   gim-bench/baseline.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
export OUT=${OUT:-docs/bench-results}
run() { for ((r = 1; r <= RUNS; r++)); do gim-bench/run.sh "$@" || echo "run failed: $*" >&2; done; }

for n in 5000 10000 18000; do run idle --conns "$n" --procs 2; done
for t in relay gim; do
  run chat --target "$t" --pairs 50 --warmup 3 --seconds 8                 # throughput (windows of 32)
  run chat --target "$t" --pairs 50 --rate 5000 --warmup 3 --seconds 8     # latency at a fixed rate
done
for n in 10 100 1000; do run group --size "$n" --warmup 3 --seconds 8; done
run sync --backlog 10000 --limit 500
run sync --backlog 10000 --limit 50
SUBSCRIBERS="100 1000 5000" gim-bench/peers.sh "$RUNS"
java -jar gim-bench/target/gim-bench.jar report --in "$OUT" --docs docs
