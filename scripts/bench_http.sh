#!/usr/bin/env bash
# HTTP server benchmark (part of `make bench`): wrk on loopback against the
# real omnigraph-server.
#   1. GET /healthz, 64 connections;
#   2. POST /read, a point lookup by key on the 1M-node social graph of
#      bench_engine.sh (900,000 Person + 100,000 Company), 64 connections,
#      bearer token + policy (the full auth path);
#   3. the same /healthz body served by nginx under the same load: the
#      ceiling for this machine, printed as ours/nginx;
#   4. 16 actors (one wrk thread and connection each) doing POST /change on
#      16 disjoint node types; afterwards the rows that landed are counted.
# Prints the setup, then one line per run with req/s, p50/p99 and the
# target. Needs wrk and nginx (scripts/bootstrap.sh installs them).
#
# Env: BUILD_DIR [build], HTTP_BENCH_DIR [/tmp/og-http-bench],
#      ENGINE_BENCH_DIR [/tmp/og-engine-bench] (shared generated data),
#      HTTP_BENCH_DURATION [10] seconds per run, HTTP_BENCH_CONNECTIONS [64],
#      HTTP_BENCH_WRK_THREADS [2], HTTP_BENCH_LOG [warn] (server log level),
#      ENGINE_PERSONS/COMPANIES/KNOWS/WORKS_AT as in bench_engine.sh.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
BIN="$REPO/$BUILD_DIR/bin"
WORK=${HTTP_BENCH_DIR:-/tmp/og-http-bench}
ENGINE_WORK=${ENGINE_BENCH_DIR:-/tmp/og-engine-bench}
PERSONS=${ENGINE_PERSONS:-900000}
COMPANIES=${ENGINE_COMPANIES:-100000}
KNOWS=${ENGINE_KNOWS:-4000000}
WORKS_AT=${ENGINE_WORKS_AT:-1000000}
DURATION=${HTTP_BENCH_DURATION:-10}
CONNS=${HTTP_BENCH_CONNECTIONS:-64}
WRK_THREADS=${HTTP_BENCH_WRK_THREADS:-2}
LOG_LEVEL=${HTTP_BENCH_LOG:-warn}
WRITERS=16
export OG_BENCH_LUA_DIR="$REPO/bench/http"

echo "== HTTP benchmark setup"
for tool in wrk nginx curl python3; do
  if ! command -v "$tool" >/dev/null && [[ ! -x /usr/sbin/$tool ]]; then
    echo "  skipped: $tool is not installed (run scripts/bootstrap.sh)"
    exit 0
  fi
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for exe in omnigraph-server omnigraph og_gen_social_graph; do
  if [[ ! -x $BIN/$exe ]]; then
    echo "  skipped: $BIN/$exe is not built"
    exit 0
  fi
done
echo "  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg); wrk and the server share the machine"
echo "  wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'): $WRK_THREADS threads, $CONNS connections, ${DURATION}s per run, loopback"
echo "  server: $BIN/omnigraph-server, log level $LOG_LEVEL, bearer tokens + policy (policy-enabled state)"

mkdir -p "$WORK"
DATA="$ENGINE_WORK/data-$PERSONS-$COMPANIES-$KNOWS-$WORKS_AT"
if [[ ! -s $DATA/graph.jsonl ]]; then
  mkdir -p "$DATA"
  "$BIN/og_gen_social_graph" --persons "$PERSONS" --companies "$COMPANIES" --knows "$KNOWS" \
    --works-at "$WORKS_AT" --seed 42 --out "$DATA" >/dev/null
fi
READ_GRAPH="$WORK/social-graph"
rm -rf "$READ_GRAPH"
"$BIN/omnigraph" init --schema "$DATA/schema.pg" "$READ_GRAPH" >/dev/null
"$BIN/omnigraph" load --data "$DATA/graph.jsonl" "$READ_GRAPH" >/dev/null
echo "  read graph: $PERSONS Person + $COMPANIES Company nodes, $KNOWS Knows + $WORKS_AT WorksAt edges (seed 42)"

# 16 node types for the writers, one per actor.
CHANGE_GRAPH="$WORK/change-graph"
rm -rf "$CHANGE_GRAPH"
: >"$WORK/change-schema.pg"
for ((i = 0; i < WRITERS; i++)); do
  printf 'node T%02d {\n    slug: String @key\n    v: I64\n}\n\n' "$i" >>"$WORK/change-schema.pg"
done
"$BIN/omnigraph" init --schema "$WORK/change-schema.pg" "$CHANGE_GRAPH" >/dev/null
echo "  change graph: $WRITERS node types T00..T$(printf %02d $((WRITERS - 1))), empty"

# Tokens and policy: act-NN (token tok-NN) may read and change; act-reader reads.
tokens='"act-reader":"tok-reader"'
actors=""
for ((i = 0; i < WRITERS; i++)); do
  tokens+=$(printf ',"act-%02d":"tok-%02d"' "$i" "$i")
  actors+=$(printf '%sact-%02d' "${actors:+, }" "$i")
done
export OMNIGRAPH_SERVER_BEARER_TOKENS_JSON="{$tokens}"
cat >"$WORK/policy.yaml" <<YAML
version: 1
groups:
  readers: [act-reader, $actors]
  writers: [$actors]
rules:
  - id: readers-read
    allow: { actors: { group: readers }, actions: [read], branch_scope: any }
  - id: writers-change
    allow: { actors: { group: writers }, actions: [change], branch_scope: any }
YAML
printf 'policy:\n  file: policy.yaml\n' >"$WORK/omnigraph.yaml"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

SERVER_PID=""
NGINX_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill -INT "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [[ -n $NGINX_PID ]]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

wait_healthy() {  # url pid log
  for ((i = 0; i < 600; i++)); do
    if curl -fsS -o /dev/null "$1/healthz" 2>/dev/null; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then
      echo "  server exited during startup:"; sed 's/^/    /' "$3"; exit 1
    fi
    sleep 0.1
  done
  echo "  server did not become healthy in 60 s"; exit 1
}

start_server() {  # graph
  PORT=$(free_port)
  URL="http://127.0.0.1:$PORT"
  (cd "$WORK" && OMNIGRAPH_LOG=$LOG_LEVEL exec "$BIN/omnigraph-server" "$1" --config "$WORK/omnigraph.yaml" \
    --bind "127.0.0.1:$PORT") >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  wait_healthy "$URL" "$SERVER_PID" "$WORK/server.log"
}

# wait_idle <pid>: returns once the process has used (almost) no CPU for
# two consecutive half-second samples. Opening a freshly bulk-loaded graph
# lets RocksDB finish the compactions the loading CLI left pending (about
# 5 CPU-seconds on the 1M-node graph); timing requests while that runs would
# measure the compaction, not the server. Prints what it waited for.
wait_idle() {
  local pid=$1 start_ticks ticks prev quiet=0 waited=0
  local hz
  hz=$(getconf CLK_TCK)
  start_ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  prev=$start_ticks
  while ((quiet < 2 && waited < 240)); do
    sleep 0.5
    waited=$((waited + 1))
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    if ((ticks - prev <= hz / 50)); then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$ticks
  done
  echo "  server idle after $(awk -v w="$waited" 'BEGIN {printf "%.1f", w / 2}') s" \
    "(background work after open: $(awk -v t="$((ticks - start_ticks))" -v hz="$hz" 'BEGIN {printf "%.1f", t / hz}') CPU-s)"
}

stop_server() {
  kill -INT "$SERVER_PID"
  wait "$SERVER_PID" || true
  SERVER_PID=""
}

# run_wrk <name> <wrk args...>: sets RPS P50 P99 NON2XX from the RESULT line.
run_wrk() {
  local name=$1
  shift
  local out
  out=$(wrk --latency -d "${DURATION}s" "$@")
  local line
  line=$(grep '^RESULT' <<<"$out" || true)
  if [[ -z $line ]]; then echo "$out"; echo "  $name: wrk printed no RESULT line"; exit 1; fi
  RPS=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
  P50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$line")
  P99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
  NON2XX=$(sed -E 's/.* non2xx=([0-9]+).*/\1/' <<<"$line")
  REQUESTS=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")
  SOCKET_ERRORS=$(sed -E 's/.* socket_errors=([0-9]+).*/\1/' <<<"$line")
}

verdict() {  # value op target
  if awk -v v="$1" -v t="$3" "BEGIN {exit !(v $2 t)}"; then echo "met"; else echo "NOT met"; fi
}

# --- read server: /healthz and /read ---
start_server "$READ_GRAPH"
probe=$(curl -fsS -H 'Content-Type: application/json' -H 'Authorization: Bearer tok-reader' \
  -d '{"query_source":"query q($s: String) { match { $p: Person { slug: $s } } return { $p.name, $p.age } }","params":{"s":"p42"}}' \
  "$URL/read")
if ! grep -q '"row_count":1' <<<"$probe"; then echo "  /read probe did not return one row: $probe"; exit 1; fi
wait_idle "$SERVER_PID"

run_wrk healthz -t "$WRK_THREADS" -c "$CONNS" -s "$OG_BENCH_LUA_DIR/get.lua" "$URL/healthz"
OURS_HEALTHZ=$RPS
echo "== GET /healthz: $RPS req/s, p50 $P50 ms, p99 $P99 ms ($REQUESTS requests, non-2xx $NON2XX, socket errors $SOCKET_ERRORS); target >= 50,000 req/s: $(verdict "$RPS" '>=' 50000)"

OG_BENCH_PERSONS=$PERSONS OG_BENCH_TOKEN=tok-reader \
  run_wrk read -t "$WRK_THREADS" -c "$CONNS" -s "$OG_BENCH_LUA_DIR/read.lua" "$URL"
echo "== POST /read (point lookup by key, 1M nodes): $RPS req/s, p50 $P50 ms, p99 $P99 ms ($REQUESTS requests, non-2xx $NON2XX); target >= 10,000 req/s: $(verdict "$RPS" '>=' 10000), p99 <= 20 ms: $(verdict "$P99" '<=' 20)"
stop_server

# --- nginx ceiling ---
NGINX_PORT=$(free_port)
NGINX_DIR="$WORK/nginx"
mkdir -p "$NGINX_DIR"
sed -e "s|@PORT@|$NGINX_PORT|" -e "s|@PREFIX@|$NGINX_DIR|g" -e "s|@WORKERS@|$(nproc)|" \
  "$REPO/bench/http/nginx.conf.in" >"$NGINX_DIR/nginx.conf"
"$NGINX" -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/nginx-error.log" &
NGINX_PID=$!
wait_healthy "http://127.0.0.1:$NGINX_PORT" "$NGINX_PID" "$NGINX_DIR/nginx-error.log"
run_wrk nginx -t "$WRK_THREADS" -c "$CONNS" -s "$OG_BENCH_LUA_DIR/get.lua" "http://127.0.0.1:$NGINX_PORT/healthz"
echo "== nginx $("$NGINX" -v 2>&1 | sed 's|.*/||') GET /healthz ($(nproc) workers): $RPS req/s, p50 $P50 ms, p99 $P99 ms"
RATIO=$(awk -v o="$OURS_HEALTHZ" -v n="$RPS" 'BEGIN {printf "%.2f", o / n}')
echo "== ours/nginx (/healthz req/s): $RATIO; target >= 0.8: $(verdict "$RATIO" '>=' 0.8)"
kill -QUIT "$NGINX_PID"
wait "$NGINX_PID" || true
NGINX_PID=""

# --- 16 writers on disjoint types ---
start_server "$CHANGE_GRAPH"
run_wrk change -t "$WRITERS" -c "$WRITERS" -s "$OG_BENCH_LUA_DIR/change.lua" "$URL"
OK_WRITES=$((REQUESTS - NON2XX))
landed=0
for ((i = 0; i < WRITERS; i++)); do
  n=$(curl -fsS -H 'Content-Type: application/json' -H 'Authorization: Bearer tok-reader' \
    -d "$(printf '{"query_source":"query c() { match { $t: T%02d } return { count($t) as n } }"}' "$i")" \
    "$URL/read" | sed -E 's/.*"n":([0-9]+).*/\1/')
  landed=$((landed + n))
done
echo "== POST /change, $WRITERS actors on $WRITERS disjoint types: $RPS writes/s, p50 $P50 ms, p99 $P99 ms ($REQUESTS responses, non-2xx $NON2XX; rows landed $landed >= 2xx $OK_WRITES); target >= 3,000 writes/s: $(verdict "$RPS" '>=' 3000)"
if ((landed < OK_WRITES)); then echo "  ERROR: fewer rows landed than 200 responses"; exit 1; fi
stop_server
