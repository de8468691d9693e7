#!/usr/bin/env bash
# Full-text search benchmark (part of `make bench`): BM25 top-10 queries on a
# generated corpus, Omnigraph against SQLite FTS5 (libsqlite3, Debian) on the
# same documents and queries, reported as a queries/s ratio. The setup line
# of og_search_text_bench describes the corpus.
#
# Usage: scripts/bench_fts.sh [documents [queries]]   (default 1000000 2000)
# Env: BUILD_DIR [build].
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
BIN="$REPO/$BUILD_DIR/bin/og_search_text_bench"
DOCS=${1:-1000000}
QUERIES=${2:-2000}

echo "== full-text search benchmark (Omnigraph bm25 vs SQLite FTS5 $(pkg-config --modversion sqlite3 2>/dev/null || echo '?'))"
echo "  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ ! -x $BIN ]]; then
  echo "  $BIN missing (needs libsqlite3-dev at configure time); skipped"
  exit 0
fi
"$BIN" --docs "$DOCS" --queries "$QUERIES"
