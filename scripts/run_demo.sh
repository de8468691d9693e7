#!/usr/bin/env bash
# `make run`: creates a demo graph from examples/demo (once) and serves it on
# 127.0.0.1:8080 WITHOUT authentication (loopback only; never expose this).
# Usage: scripts/run_demo.sh [build-dir]   (env: DEMO_DIR, DEMO_BIND)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
DEMO_DIR=${DEMO_DIR:-$BUILD_DIR/demo-graph}
BIND=${DEMO_BIND:-127.0.0.1:8080}
EXAMPLES="$ROOT/examples/demo"

for tool in omnigraph omnigraph-server; do
  if [ ! -x "$BIN/$tool" ]; then
    echo "run_demo: $BIN/$tool is missing; build first (make build)" >&2
    exit 1
  fi
done

if [ ! -d "$DEMO_DIR" ]; then
  echo "run_demo: creating the demo graph in $DEMO_DIR from $EXAMPLES"
  "$BIN/omnigraph" init --schema "$EXAMPLES/schema.pg" "$DEMO_DIR"
  "$BIN/omnigraph" load --data "$EXAMPLES/data.jsonl" "$DEMO_DIR"
fi

cat <<MSG

Serving $DEMO_DIR on http://$BIND -- UNAUTHENTICATED (demo only, loopback).
Try, from another terminal:

  curl -s http://$BIND/healthz
  curl -s -X POST http://$BIND/read -H 'Content-Type: application/json' \\
    -d '{"query_source":"query people() { match { \$p: Person } return { \$p.name, \$p.age } order { \$p.name asc } }"}'

Every route is described in docs/server.md. Stop with Ctrl-C.

MSG
exec "$BIN/omnigraph-server" "$DEMO_DIR" --bind "$BIND" --unauthenticated
