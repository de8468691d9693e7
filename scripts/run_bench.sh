#!/usr/bin/env bash
# `make bench`: runs every Google Benchmark binary and prints its setup.
set -euo pipefail
BUILD_DIR=${1:-build}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), build: RelWithDebInfo (-O2 -g)"
shopt -s nullglob
for b in "$BUILD_DIR"/bin/og_bench_*; do
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2 ${BENCH_ARGS:-}
done

# End-to-end: the 1M-node / 5M-edge graph (generation, load, queries, export).
if [[ -z ${SKIP_ENGINE_BENCH:-} ]]; then
  BUILD_DIR="$BUILD_DIR" bash "$(dirname "$0")/bench_engine.sh"
fi

# HTTP server: /healthz, /read, 16-actor /change under wrk, nginx as ceiling.
if [[ -z ${SKIP_HTTP_BENCH:-} ]]; then
  BUILD_DIR="$BUILD_DIR" bash "$(dirname "$0")/bench_http.sh"
fi
# Vector search against LanceDB at 100k vectors (the 1M figures in
# docs/performance.md come from `OG_BENCH_CACHE=/var/tmp/og-vec bash
# scripts/bench_vectors.sh 1000000`; with the cache a re-run skips both builds).
if [[ -z ${SKIP_VECTOR_BENCH:-} ]]; then
  BUILD_DIR="$BUILD_DIR" bash "$(dirname "$0")/bench_vectors.sh"
fi

# Full-text search against SQLite FTS5 on a 1M-document corpus.
if [[ -z ${SKIP_FTS_BENCH:-} ]]; then
  BUILD_DIR="$BUILD_DIR" bash "$(dirname "$0")/bench_fts.sh" "${FTS_BENCH_DOCS:-1000000}"
fi
