#!/usr/bin/env bash
# `make run`: serves a demo graph once omnigraph-server exists; until then it
# says what it will do and shows the CLI that is already built.
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
if [ -x "$BIN/omnigraph-server" ]; then
  DEMO_DIR=${DEMO_DIR:-$BUILD_DIR/demo-graph}
  COOKBOOK=../shared/workloads/cookbooks/industry-intel
  if [ ! -d "$DEMO_DIR" ]; then
    "$BIN/omnigraph" init --schema "$COOKBOOK/schema.pg" "$DEMO_DIR"
    "$BIN/omnigraph" load --data "$COOKBOOK/seed.jsonl" "$DEMO_DIR"
  fi
  exec "$BIN/omnigraph-server" "$DEMO_DIR" --bind 127.0.0.1:8080 --unauthenticated
fi
cat <<MSG
omnigraph-server is not built yet. When it is, 'make run' will:
  1. create a demo graph from the industry-intel cookbook (schema + seed data)
     in $BUILD_DIR/demo-graph,
  2. serve it on http://127.0.0.1:8080 (unauthenticated, loopback only).
What exists today:
MSG
"$BIN/omnigraph" --version
"$BIN/omnigraph" --help
