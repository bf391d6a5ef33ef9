#!/usr/bin/env bash
# Starts N GIM nodes (separate JVMs of the quickstart jar) on this machine as one cluster:
# messages, groups and devices in MariaDB, presence and rooms in Redis, gRPC node links between
# the nodes. Node i listens for clients on TCP 9000+10i, WebSocket 9000+10i+1, and for the other
# nodes on 9000+10i+2. Logs and PIDs go to examples/cluster/run/.
#
#   examples/cluster/start.sh [N]        (default 3; stop with examples/cluster/stop.sh)
#
# Settings from the environment: GIM_JDBC_URL (default jdbc:mariadb://127.0.0.1:3306/test),
# GIM_JDBC_USER (root), GIM_JDBC_PASSWORD (empty), GIM_REDIS (redis://127.0.0.1:6379), GIM_SECRET
# (unset: the quickstart's development secret, loopback only; every node must share it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/examples/quickstart/target/gim-quickstart.jar"
nodes="${1:-3}"
run="$here/run"

if [[ ! -f "$jar" ]]; then
  echo "no $jar: build it first with ./mvnw -q package -DskipTests" >&2
  exit 1
fi
mkdir -p "$run"
for i in $(seq 1 "$nodes"); do
  if [[ -f "$run/node-$i.pid" ]] && kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null; then
    echo "node $i is running already (PID $(cat "$run/node-$i.pid")); stop.sh first" >&2
    exit 1
  fi
done

for i in $(seq 1 "$nodes"); do
  base=$((9000 + 10 * i))
  args=(server --tcp-port "$base" --ws-port "$((base + 1))" --link-port "$((base + 2))"
    --jdbc "${GIM_JDBC_URL:-jdbc:mariadb://127.0.0.1:3306/test}"
    --jdbc-user "${GIM_JDBC_USER:-root}" --jdbc-password "${GIM_JDBC_PASSWORD:-}"
    --redis "${GIM_REDIS:-redis://127.0.0.1:6379}")
  nohup java -jar "$jar" "${args[@]}" >"$run/node-$i.log" 2>&1 &
  echo $! >"$run/node-$i.pid"
done

for i in $(seq 1 "$nodes"); do
  for _ in $(seq 1 60); do
    if grep -q "GIM quickstart listening" "$run/node-$i.log"; then
      echo "node $i (PID $(cat "$run/node-$i.pid")): $(grep "GIM quickstart listening" "$run/node-$i.log")"
      continue 2
    fi
    if ! kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null; then
      echo "node $i exited; its log:" >&2
      cat "$run/node-$i.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "node $i did not start in 30 s; see $run/node-$i.log" >&2
  exit 1
done
