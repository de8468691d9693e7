#!/usr/bin/env bash
# A/B throughput of two omnigraph-server binaries on GET /healthz: runs them
# alternately under identical wrk load, so a busy machine's drift hits both,
# and prints the median req/s of each and their ratio per log level.
#   scripts/bench_http_ab.sh <server-A> <server-B>
# Env: AB_ROUNDS [6], AB_SECONDS [4], AB_CONNECTIONS [64], AB_WRK_THREADS [2],
#      AB_LEVELS ["warn info"] (OMNIGRAPH_LOG of the servers), BUILD_DIR [build]
#      (for the omnigraph CLI that creates the scratch graph).
set -euo pipefail
A=$(realpath "$1")
B=$(realpath "$2")
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLI="$REPO/${BUILD_DIR:-build}/bin/omnigraph"
ROUNDS=${AB_ROUNDS:-6}
SECONDS_PER_RUN=${AB_SECONDS:-4}
CONNS=${AB_CONNECTIONS:-64}
THREADS=${AB_WRK_THREADS:-2}
LEVELS=${AB_LEVELS:-warn info}
WORK=$(mktemp -d /tmp/og-http-ab-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
printf 'node Person {\n    name: String @key\n}\n' >"$WORK/s.pg"
"$CLI" init --schema "$WORK/s.pg" "$WORK/g.og" >/dev/null
echo "== A/B GET /healthz: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   wrk -t$THREADS -c$CONNS -d${SECONDS_PER_RUN}s, $ROUNDS alternating rounds per level"
echo "   A=$A"
echo "   B=$B"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run() {  # binary level -> req/s
  local port pid
  port=$(free_port)
  OMNIGRAPH_LOG=$2 "$1" "$WORK/g.og" --unauthenticated --bind "127.0.0.1:$port" \
    >"$WORK/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$port/healthz" |
    awk '/Requests\/sec/ {print $2}'
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}
for level in $LEVELS; do
  a=()
  b=()
  for _ in $(seq "$ROUNDS"); do
    a+=("$(run "$A" "$level")")
    b+=("$(run "$B" "$level")")
  done
  python3 - "$level" "${a[*]}" "${b[*]}" <<'PY'
import statistics, sys
level, a, b = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
ma, mb = statistics.median(a), statistics.median(b)
print(f"   log {level}: A median {ma:.0f} req/s, B median {mb:.0f} req/s, B/A {mb / ma:.2f}")
PY
done
