#!/usr/bin/env bash
# HTTP /export streaming: throughput with a fast reader and the server's peak
# memory (VmHWM) with a fast and a rate-limited reader, for a graph whose
# export is far larger than the stream buffer (4 x 64 KiB). Flat peak memory
# across readers shows the bounded buffer at work.
# Usage: scripts/bench_http_export.sh   (env: BUILD_DIR, PEOPLE=300000, RATE=20M)
set -euo pipefail
BUILD_DIR=${BUILD_DIR:-build}
BIN="$BUILD_DIR/bin"
PEOPLE=${PEOPLE:-300000}
RATE=${RATE:-20M}
WORK=$(mktemp -d)
trap 'kill "${PID:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

printf 'node Person {\n    name: String @key\n    age: I32?\n    bio: String?\n}\n' > "$WORK/schema.pg"
awk -v n="$PEOPLE" 'BEGIN { for (i = 0; i < n; i++) printf "{\"type\":\"Person\",\"data\":{\"name\":\"person-%07d\",\"age\":%d,\"bio\":\"lorem ipsum dolor sit amet %d\"}}\n", i, i % 90, i }' > "$WORK/data.jsonl"
"$BIN/omnigraph" init --schema "$WORK/schema.pg" "$WORK/g.og" > /dev/null
"$BIN/omnigraph" load --data "$WORK/data.jsonl" "$WORK/g.og" > /dev/null

"$BIN/omnigraph-server" "$WORK/g.og" --unauthenticated --bind 127.0.0.1:0 2> "$WORK/server.log" &
PID=$!
for _ in $(seq 200); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.05; done
URL=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$WORK/server.log")
hwm() { awk '/VmHWM/ {print $2}' "/proc/$PID/status"; }

echo "setup: $(nproc) cores; $PEOPLE Person rows; export via POST /export; server $URL"
curl -s "$URL/healthz" > /dev/null
echo "server peak RSS after startup: $(hwm) KiB"
read -r bytes secs < <(curl -s -X POST "$URL/export" -H 'Content-Type: application/json' -d '{}' \
  -o /dev/null -w '%{size_download} %{time_total}\n')
echo "fast reader: $bytes bytes in ${secs}s ($(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.1f", b / s / 1048576 }') MiB/s); server peak RSS $(hwm) KiB"
read -r bytes secs < <(curl -s --limit-rate "$RATE" -X POST "$URL/export" -H 'Content-Type: application/json' -d '{}' \
  -o /dev/null -w '%{size_download} %{time_total}\n')
echo "reader limited to $RATE/s: $bytes bytes in ${secs}s; server peak RSS $(hwm) KiB"
