#!/usr/bin/env bash
# 1:1 chat latency at fixed rates against the relay floor (issue 11, goal 4), via run.sh:
#   1. the saturating maximum of GIM and of the relay, RUNS times each, alternating targets;
#   2. at 50% and 80% of GIM's median maximum, GIM and the relay alternating back to back, RUNS
#      times each: p50/p99/p99.9 of ack and delivery, measured from each send's intended time.
# Every line shows the server and load processes' busy share: a run whose load is at least as
# busy as its server is marked LOAD-BOUND (its figures are lower bounds). "steal" is the share of
# each pinned core that the hypervisor gave to other guests: the tail grows with it.
#
# GIM's in-memory store keeps messages 2 s (--inbox-retention 2), as a server on an external
# store holds none: kept for the whole run, every young collection copied the run's messages and
# paused the server for 60-130 ms. The servers' heaps are pre-touched, and a run warms up for 20 s
# (with 3 s, C2 was still compiling on the server's one core). Both servers run G1 with a 5 ms
# pause goal: at 88 k/s GIM's delivery p99 was 18 ms with it, 43 ms with ParallelGC (10-20 ms
# young pauses) and 104 ms with ZGC (its concurrent threads share the server's one core).
# At a fixed rate the load ticks every 1 ms (run.sh's default there; --tick-us to change it).
#
#   gim-bench/latency.sh [RUNS]          # default 3; RATE50=... RATE80=... skip step 1
#   RATES="5000 10000 20000" gim-bench/latency.sh 2   # these fixed rates only
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
common=(--pairs 50 --warmup 20 --seconds 10)
export SERVER_JVM=${SERVER_JVM:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=5 -XX:+AlwaysPreTouch"}

# One run; prints "target rate msgs/s server load ackP50 ackP99 ackP999 delP50 delP99 delP999 ok".
one() {
  local target=$1 rate=$2 out
  # A failed run (a port taken, an incomplete drain) is printed as such, not fatal.
  local store=()
  [[ $target == gim ]] && store=(--inbox-retention 2)
  out=$(gim-bench/run.sh chat --target "$target" "${common[@]}" "${store[@]}" ${rate:+--rate "$rate"} 2>/dev/null) || true
  [[ $out == *messagesPerSec* ]] || { echo "$target ${rate:-max}: run failed"; return; }
  awk -v t="$target" -v r="${rate:-max}" -v la="$(cut -d' ' -f1 /proc/loadavg)" '
    { x = $2; gsub(",", "", x); v[$1] = x + 0 }  # numbers, not strings, for the comparisons
    END {
      bound = v["loadCoreBusy"] >= v["serverCoreBusy"] ? " LOAD-BOUND" : ""
      if (v["sendsBehindAtEnd"] > 0.01 * v["messages"]) bound = bound " RATE-NOT-HELD(" v["sendsBehindAtEnd"] " behind)"
      printf "%-5s %-6s %8.0f msg/s  server %.2f load %.2f (cores %.2f/%.2f, steal %.3f/%.3f)  ack p50/p99/p99.9 %.2f/%.2f/%.2f ms  delivery %.2f/%.2f/%.2f ms  %s/%s loadavg %s%s\n",
        t, r, v["messagesPerSec"], v["serverCoreBusy"], v["loadCoreBusy"],
        v["serverCoreTotalBusy"], v["loadCoreTotalBusy"], v["serverCoreSteal"], v["loadCoreSteal"],
        v["ackP50us"] / 1000, v["ackP99us"] / 1000, v["ackP999us"] / 1000,
        v["deliveryP50us"] / 1000, v["deliveryP99us"] / 1000, v["deliveryP999us"] / 1000,
        v["delivered"], v["expected"], la, bound
    }' <<<"$out"
}

if [[ -n ${RATES:-} ]]; then
  for rate in $RATES; do
    for ((i = 0; i < runs; i++)); do
      one gim "$rate"
      one relay "$rate"
    done
  done
  exit 0
fi
if [[ -z ${RATE50:-} || -z ${RATE80:-} ]]; then
  maxes=()
  for ((i = 0; i < runs; i++)); do
    line=$(one gim ""); echo "$line"; maxes+=("$(awk '{print $3}' <<<"$line")")
    one relay ""
  done
  median=$(printf '%s\n' "${maxes[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  RATE50=$((median / 2)); RATE80=$((median * 8 / 10))
  echo "GIM's median maximum $median msgs/s: rates $RATE50 (50%) and $RATE80 (80%)"
fi
for rate in "$RATE50" "$RATE80"; do
  for ((i = 0; i < runs; i++)); do
    one gim "$rate"
    one relay "$rate"
  done
done
