#!/usr/bin/env bash
# Installs (apt) and starts nats-server and mosquitto on 127.0.0.1 only, if they are not already
# listening, then runs the room fan-out (1 publisher, 100/1,000/5,000 subscribers, 100-byte
# payload) on GIM, the relay floor, nats-server and mosquitto, RUNS times each.
#
#   gim-bench/peers.sh [RUNS]         # e.g. RUNS=3; SUBSCRIBERS="100 1000 5000"
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
SUBSCRIBERS=${SUBSCRIBERS:-"100 1000 5000"}
TARGETS=${TARGETS:-"gim relay nats mqtt"}
started=(); pinned=()
cleanup() {
  for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
  for pm in "${pinned[@]}"; do taskset -p "${pm#*:}" "${pm%%:*}" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT INT TERM

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! command -v nats-server >/dev/null || ! command -v mosquitto >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server mosquitto
fi
if ! listening 4222; then
  nats-server -a 127.0.0.1 -p 4222 >/tmp/gim-bench-nats.log 2>&1 &
  started+=("$!")
fi
if ! listening 1883; then
  conf=$(mktemp /tmp/gim-bench-mosquitto.XXXX.conf)
  printf 'listener 1883 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000\n' >"$conf"
  mosquitto -c "$conf" >/tmp/gim-bench-mosquitto.log 2>&1 &
  started+=("$!")
fi
for _ in $(seq 50); do listening 4222 && listening 1883 && break; sleep 0.2; done

# The peers are system services not started by taskset: pin them to the server core for the run.
for name in nats-server mosquitto; do
  for pid in $(pgrep -x "$name"); do
    pinned+=("$pid:$(taskset -p "$pid" | awk '{print $NF}')")   # restored on exit
    taskset -pc "${SERVER_CORE:-1}" "$pid" >/dev/null || true
  done
done
for n in $SUBSCRIBERS; do
  for t in $TARGETS; do
    for ((r = 1; r <= RUNS; r++)); do
      gim-bench/run.sh room --target "$t" --subscribers "$n" --warmup 2 --seconds 6 "${@:2}"
    done
  done
done
