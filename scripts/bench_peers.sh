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
# Omnigraph side: load $DATA/graph.jsonl into a fresh graph with the CLI
# (timed as a whole process, like Kuzu's COPY), then run hop1/hop2/hop4 of
# bench/peers/omnigraph_hops.gq from every start in one process (og_peer_hops),
# and write $RESULTS/omnigraph.jsonl in the shape kuzu_bench.js writes.
HOPS_BIN="$REPO/$BUILD_DIR/bin/og_peer_hops"
run_omnigraph_side() {
  local graph="$PEER_DIR/omnigraph-graph"
  rm -rf "$graph"
  "$OG_BIN" init --schema "$DATA/schema.pg" "$graph" >/dev/null
  timed omnigraph_load "$OG_BIN" load --data "$DATA/graph.jsonl" --mode overwrite "$graph" >/dev/null
  time_summary omnigraph_load
  "$HOPS_BIN" "$graph" "$DATA/starts.txt" "$PEERS/omnigraph_hops.gq" >"$RESULTS/omnigraph-hops.jsonl"
  local rows
  rows=$(grep -c . "$DATA/graph.jsonl")
  node - "$RESULTS/omnigraph_load.time" "$RESULTS/omnigraph-hops.jsonl" "$rows" >"$RESULTS/omnigraph.jsonl" <<'JS'
const fs = require("fs");
const [timeFile, hopsFile, rows] = process.argv.slice(2);
const time = fs.readFileSync(timeFile, "utf8");
const field = (name) => (time.match(new RegExp(name + ".*: (.*)")) || [])[1];
const wall = field("Elapsed \\(wall clock\\) time").split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
const cpu = Number(field("User time")) + Number(field("System time"));
const lines = fs.readFileSync(hopsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l));
const summary = lines.pop();
Object.assign(summary, {
  load_rows: Number(rows),
  load_seconds: wall,
  load_rows_per_second: Math.round(Number(rows) / wall),
  load_cpu_seconds: cpu,
  peak_rss_mb: Math.round(Number(field("Maximum resident set size")) / 1024),
});
for (const l of lines) console.log(JSON.stringify(l));
console.log(JSON.stringify(summary));
JS
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
