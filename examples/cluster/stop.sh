#!/usr/bin/env bash
# Stops the nodes start.sh started, by PID: SIGTERM (the servers close cleanly), then SIGKILL
# after 15 s. `stop.sh --kill I` sends SIGKILL to node I alone, as a crash would.
set -euo pipefail
run="$(cd "$(dirname "$0")" && pwd)/run"
if [[ "${1:-}" == "--kill" ]]; then
  pid="$(cat "$run/node-${2:?node number}.pid")"
  kill -9 "$pid" && echo "node $2 (PID $pid) killed"
  rm -f "$run/node-$2.pid"
  exit 0
fi
shopt -s nullglob
for pidfile in "$run"/node-*.pid; do
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
done
echo "stopped"
