#!/usr/bin/env bash
# Peer comparison against Kuzu on a synthetic social graph.
#
#   bash scripts/bench_peers.sh            # full size: 1M nodes, 5M edges
#   PEER_PERSONS=9000 PEER_COMPANIES=1000 PEER_KNOWS=40000 PEER_WORKS_AT=10000 \
#     bash scripts/bench_peers.sh          # smoke run
#
# Steps: build + run the generator (bench/tools/gen_social_graph.cpp), load the
# graph into Kuzu and time 1/2/4-hop neighbourhood counts (bench/peers/kuzu_bench.js),
# compute reference counts with a plain BFS (bench/peers/bfs_oracle.js), run the
# Omnigraph side when the CLI can init/load, and check every system's counts.
#
# Environment (defaults in brackets):
#   PEER_PERSONS [900000] PEER_COMPANIES [100000] PEER_KNOWS [4000000]
#   PEER_WORKS_AT [1000000] PEER_SEED [42] PEER_DIST [uniform|powerlaw]
#   PEER_DIR [/tmp/og-peers]   generated data, results and temp databases; never
#                              inside the repository (the full graph is ~0.6 GB)
#   PEER_CLEAN [0]             1 = delete the generated data at the end
#   PEER_VERIFY [1 if uniform] 1 = Kuzu also runs the walk+DISTINCT variant and
#                              must agree with its SHORTEST counts (off for
#                              powerlaw: enumerating 4-hop walks around hubs
#                              does not finish in useful time)
#   BUILD_DIR [build]          where bin/omnigraph (and og_gen_social_graph) live
#   KUZU_THREADS, KUZU_BUFFER_POOL_MB   passed through to kuzu_bench.js
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"

PERSONS=${PEER_PERSONS:-900000}
COMPANIES=${PEER_COMPANIES:-100000}
KNOWS=${PEER_KNOWS:-4000000}
WORKS_AT=${PEER_WORKS_AT:-1000000}
SEED=${PEER_SEED:-42}
DIST=${PEER_DIST:-uniform}
PEER_DIR=${PEER_DIR:-/tmp/og-peers}
BUILD_DIR=${BUILD_DIR:-build}
OG_BIN=${OG_BIN:-$REPO/$BUILD_DIR/bin/omnigraph}

mkdir -p "$PEER_DIR"
PEER_DIR=$(cd "$PEER_DIR" && pwd -P)
case "$PEER_DIR/" in
  "$(pwd -P)"/*) echo "bench_peers: PEER_DIR ($PEER_DIR) must be outside the repository" >&2; exit 2 ;;
esac

DATA="$PEER_DIR/data-p$PERSONS-c$COMPANIES-k$KNOWS-w$WORKS_AT-s$SEED-$DIST"
RESULTS="$DATA/results"

# GNU time gives wall time and peak RSS per step; fall back to running bare.
TIME_BIN=""
if /usr/bin/time -v true >/dev/null 2>&1; then TIME_BIN=/usr/bin/time; fi
timed() {  # timed <label> <cmd...>: runs cmd, writes $RESULTS/<label>.time
  local label=$1; shift
  if [[ -n $TIME_BIN ]]; then
    "$TIME_BIN" -v -o "$RESULTS/$label.time" "$@"
  else
    "$@"
  fi
}
time_summary() {  # one line: wall time and peak RSS of a timed step
  local f="$RESULTS/$1.time"
  [[ -f $f ]] || return 0
  awk -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident set size/ {r=$2}
              END {printf "  %s: wall %s, peak RSS %.0f MB\n", label, w, r/1024}' label="$1" "$f"
}

echo "== setup"
echo "  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "  graph: $PERSONS Person, $COMPANIES Company, $KNOWS Knows ($DIST), $WORKS_AT WorksAt, seed $SEED"
echo "  data: $DATA"

# ---------------------------------------------------------------- generator
# Prefer a CMake-built generator; otherwise compile the standalone source
# directly (it uses nothing but the standard library).
GEN="$REPO/$BUILD_DIR/bin/og_gen_social_graph"
if [[ ! -x $GEN ]]; then
  GEN="$PEER_DIR/bin/gen_social_graph"
  SRC="$REPO/bench/tools/gen_social_graph.cpp"
  if [[ ! -x $GEN || $SRC -nt $GEN ]]; then
    mkdir -p "$PEER_DIR/bin"
    echo "== compiling $SRC"
    "${CXX:-c++}" -std=c++20 -O2 -o "$GEN" "$SRC"
  fi
fi

mkdir -p "$DATA" "$RESULTS"
echo "== generating"
timed gen "$GEN" --persons "$PERSONS" --companies "$COMPANIES" --knows "$KNOWS" \
  --works-at "$WORKS_AT" --seed "$SEED" --dist "$DIST" --out "$DATA"
time_summary gen
echo "  files: $(du -sh --exclude=results "$DATA" | cut -f1) ($(ls "$DATA" | grep -v results | tr '\n' ' '))"

# ---------------------------------------------------------------- Kuzu
PEERS="$REPO/bench/peers"
if [[ ! -d $PEERS/node_modules/kuzu ]]; then
  echo "== installing kuzu (npm, pinned in bench/peers/package.json)"
  (cd "$PEERS" && if [[ -f package-lock.json ]]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi)
fi
echo "== kuzu"
VERIFY_DEFAULT=$([[ $DIST == uniform ]] && echo 1 || echo 0)
KUZU_VERIFY=$([[ ${PEER_VERIFY:-$VERIFY_DEFAULT} == 1 ]] && echo 1 || echo 0) KUZU_DB_PARENT="$PEER_DIR" \
  timed kuzu node "$PEERS/kuzu_bench.js" "$DATA" >"$RESULTS/kuzu.jsonl"
time_summary kuzu

echo "== reference BFS"
node "$PEERS/bfs_oracle.js" "$DATA" >"$RESULTS/reference.jsonl"

# ---------------------------------------------------------------- Omnigraph
# >>> run_omnigraph_side: TO BE WIRED BY THE LEAD <<<
# Contract: load $DATA/schema.pg + $DATA/graph.jsonl into a fresh graph under
# $PEER_DIR, time the load (rows = all nodes + edges), run hop1/hop2/hop4 from
# bench/peers/omnigraph_hops.gq for every id in $DATA/starts.txt (param
# {"id": "<start>"}), and write $RESULTS/omnigraph.jsonl with the same lines
# as kuzu.jsonl: per_start {"kind":"per_start","system":"omnigraph","start":..,
# "hop1":..,"hop2":..,"hop4":..} and a final {"kind":"summary","system":"omnigraph",
# "load_rows":..,"load_seconds":..,"load_rows_per_second":..,"load_cpu_seconds":..,
# "hop<k>_total_seconds":..,"hop<k>_cpu_seconds":..,
# "hop<k>_median_ms":..,"hop<k>_counts_sum":..,"peak_rss_mb":..}.
# Reference CLI shape: omnigraph init --schema S URI; omnigraph load --data F
# --mode overwrite URI; omnigraph read --uri URI --query Q --name hopK --params '{"id":"p1"}'.
# Per-query CLI processes would time process start-up too; prefer one process
# that runs all starts. Until then this must not produce any numbers.
run_omnigraph_side() {
  echo "  omnigraph side not yet wired"
  return 0
}

echo "== omnigraph"
if [[ -x $OG_BIN ]] && "$OG_BIN" --help 2>/dev/null | grep -qw init &&
   "$OG_BIN" --help 2>/dev/null | grep -qw load; then
  run_omnigraph_side
else
  echo "  skipped: $OG_BIN missing or has no init/load subcommands yet"
fi

# ---------------------------------------------------------------- report
echo "== results ($RESULTS)"
systems=("$RESULTS/kuzu.jsonl")
[[ -s $RESULTS/omnigraph.jsonl ]] && systems+=("$RESULTS/omnigraph.jsonl")
status=0
node "$PEERS/compare_results.js" "$RESULTS/reference.jsonl" "${systems[@]}" || status=$?

if [[ ${PEER_CLEAN:-0} == 1 ]]; then
  find "$DATA" -maxdepth 1 -type f -delete
  echo "  removed generated data (results kept in $RESULTS)"
fi
exit $status
