#!/usr/bin/env bash
# Runs one benchmark scenario with the server and the load in separate JVMs pinned to
# different cores (server: core 1, load: core 0), records the server's CPU from
# /proc/PID/stat before and after, and stops every process it started, by PID, on exit.
#
#   gim-bench/run.sh <scenario> [--target gim|relay|nats|mqtt] [scenario options...]
#   gim-bench/run.sh idle --conns 18000 --procs 2      # idle load spread over 2 processes
#   gim-bench/run.sh chat --jdbc jdbc:mariadb://127.0.0.1:3306/test --jdbc-user root
#                                                      # GIM on a database (persisted sends)
#
# --jdbc URL, --jdbc-user, --jdbc-password, --jdbc-pool, --store-in-flight and
# --store-sends-in-flight and --inbox-retention go to the server;
# with --jdbc the load also reads the database server's CPU (mariadbd, mysqld or postgres
# processes) over the measured phase. The server empties GIM's message tables in that database
# before it serves (--jdbc-empty), so that every run starts alike: the tables grow by hundreds of
# thousands of rows a run, and past the buffer pool the same run's p99 grew several times over.
# --jdbc-keep keeps them (a run against a database that already holds a history).
#
# nats and mqtt start a fresh nats-server / mosquitto of their own on a free port, pinned to the
# server core like GIM's server, and stop it afterwards (the machine's services are not used).
#
# Scenarios and options: see io.gim.bench.Bench. Results go to $OUT (default gim-bench/results).
# Every chat/group/room run reports serverCoreBusy and loadCoreBusy (each process's CPU over the
# measured phase), serverCoreTotalBusy/loadCoreTotalBusy (the whole pinned cores, other work
# included), serverCoreSteal/loadCoreSteal (the share of each pinned core the hypervisor gave to
# other guests) and "bottleneck": a run whose load is at least as busy as its server is load-bound.
# Fixed-rate latency against the relay floor: gim-bench/latency.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-gim-bench/target/gim-bench.jar}
OUT=${OUT:-gim-bench/results}
SERVER_CORE=${SERVER_CORE:-1}
LOAD_CORE=${LOAD_CORE:-0}
SERVER_JVM=${SERVER_JVM:-"-Xms1g -Xmx1g -XX:+UseParallelGC"}
LOAD_JVM=${LOAD_JVM:-"-Xms512m -Xmx1g -XX:+UseParallelGC"}
[[ -f $JAR ]] || { echo "build first: ./mvnw -q -pl gim-bench -am package -DskipTests" >&2; exit 1; }
scenario=${1:?usage: run.sh <idle|chat|group|room|sync> [options]}; shift

target=gim; procs=1; conns=0; args=(); server_args=(); jdbc=; keep=
while (($#)); do
  case $1 in
    --jdbc) jdbc=$2; server_args+=("$1" "$2"); shift 2 ;;
    --jdbc-user|--jdbc-password|--jdbc-pool|--store-in-flight|--store-sends-in-flight|--inbox-retention) server_args+=("$1" "$2"); shift 2 ;;
    --jdbc-keep) keep=1; shift ;;
    --target) target=$2; args+=("$1" "$2"); shift 2 ;;
    --procs) procs=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

[[ -n $jdbc && -z $keep ]] && server_args+=(--jdbc-empty)

pids=(); conf=
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  [[ -z $conf ]] || rm -f "$conf"
}
trap cleanup EXIT INT TERM

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

case $target in
  gim|relay)
    port=$((7000 + RANDOM % 1000 * 2)); kind=server; [[ $target == relay ]] && kind=relay
    log=$(mktemp /tmp/gim-bench-$kind.XXXX.log)
    taskset -c "$SERVER_CORE" java $SERVER_JVM -jar "$JAR" "$kind" --port "$port" "${server_args[@]}" >"$log" 2>&1 &
    server_pid=$!; pids+=("$server_pid")
    for _ in $(seq 300); do grep -q "ready on" "$log" && break; sleep 0.2; done
    grep -q "ready on" "$log" || { cat "$log"; exit 1; }
    grep "ready on" "$log" >&2
    ;;
  nats|mqtt)
    # A fresh peer of our own on a free port, pinned like GIM's server (not the machine's service).
    port=$((9000 + RANDOM % 1000 * 2)); log=$(mktemp /tmp/gim-bench-$target.XXXX.log)
    if [[ $target == nats ]]; then
      taskset -c "$SERVER_CORE" nats-server -a 127.0.0.1 -p "$port" >"$log" 2>&1 &
      args+=(--nats "127.0.0.1:$port")
    else
      conf=$(mktemp /tmp/gim-bench-mosquitto.XXXX.conf)
      printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" >"$conf"
      taskset -c "$SERVER_CORE" mosquitto -c "$conf" >"$log" 2>&1 &
      args+=(--mqtt "127.0.0.1:$port")
    fi
    server_pid=$!; pids+=("$server_pid")
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    ;;
  *) echo "target: $target (expected: gim, relay, nats, mqtt)" >&2; exit 64 ;;
esac
echo "server pid $server_pid on core $SERVER_CORE, load on core $LOAD_CORE; server JVM: $SERVER_JVM" >&2
case $jdbc in
  *mariadb*|*mysql*) db_pids=$(pgrep -d, -x 'mariadbd|mysqld' || true) ;;
  *postgresql*) db_pids=$(pgrep -d, -x postgres || true) ;;
  *) db_pids= ;;
esac
[[ -n $jdbc ]] && args+=(--store "$jdbc")
[[ -n $db_pids ]] && args+=(--db-pids "$db_pids")
before=$(cpu_ticks "$server_pid")
start=$(date +%s.%N)

# `exec` so that a background load's $! is the JVM itself, which the trap can stop.
load() { exec taskset -c "$LOAD_CORE" java $LOAD_JVM -jar "$JAR" "$scenario" --port "$port" --server-pid "$server_pid" --server-core "$SERVER_CORE" --load-core "$LOAD_CORE" --out "$OUT" "$@"; }
if [[ $scenario == idle ]]; then
  # Each load process stays under the 20,000 open files of a process; every process past the
  # first binds its own source address so ephemeral ports never run out.
  # Warm the server's connection path up, then let it take its memory baseline.
  (load --conns 200 --first-user 5000000 --mark) >/dev/null
  per=$((conns / procs))
  for ((i = 1; i < procs; i++)); do
    load --conns "$per" --first-user $((i * per + 1)) --source-ips "127.0.0.$((i + 1))" --hold 600 "${args[@]}" >/dev/null &
    pids+=("$!")
  done
  (load --conns "$((conns - per * (procs - 1)))" --first-user 1 --measure --expect "$conns" "${args[@]}")
else
  (load "${args[@]}")
fi
after=$(cpu_ticks "$server_pid")
echo "server CPU over the whole run (set-up included): $(echo "($after - $before) / 100" | bc -l | cut -c1-6) s in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-6) s wall" >&2
