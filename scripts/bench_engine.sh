#!/usr/bin/env bash
# End-to-end engine benchmark (part of `make bench`): generates the
# Person/Knows/Company/WorksAt graph (default 900,000 Person + 100,000
# Company nodes, 4,000,000 Knows + 1,000,000 WorksAt edges), loads it with
# `omnigraph load` (whole-process wall time, CPU time and peak RSS from
# /usr/bin/time -v), runs og_bench_engine_bench against the loaded graph, and
# exports it to /dev/null to measure the export's peak RSS.
#
# Env: BUILD_DIR [build], ENGINE_BENCH_DIR [/tmp/og-engine-bench],
#      ENGINE_PERSONS/COMPANIES/KNOWS/WORKS_AT to change the size.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-build}
BIN="$REPO/$BUILD_DIR/bin"
WORK=${ENGINE_BENCH_DIR:-/tmp/og-engine-bench}
PERSONS=${ENGINE_PERSONS:-900000}
COMPANIES=${ENGINE_COMPANIES:-100000}
KNOWS=${ENGINE_KNOWS:-4000000}
WORKS_AT=${ENGINE_WORKS_AT:-1000000}
DATA="$WORK/data-$PERSONS-$COMPANIES-$KNOWS-$WORKS_AT"
GRAPH="$WORK/graph"

echo "== engine benchmark setup"
echo "  machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  graph: $PERSONS Person + $COMPANIES Company nodes, $KNOWS Knows + $WORKS_AT WorksAt edges (seed 42)"
if [[ ! -s $DATA/graph.jsonl ]]; then
  mkdir -p "$DATA"
  "$BIN/og_gen_social_graph" --persons "$PERSONS" --companies "$COMPANIES" --knows "$KNOWS" \
    --works-at "$WORKS_AT" --seed 42 --out "$DATA" >/dev/null
fi
ROWS=$(grep -c . "$DATA/graph.jsonl")
echo "  data: $DATA/graph.jsonl ($ROWS lines, $(du -h "$DATA/graph.jsonl" | cut -f1))"

# time -v fields -> "wall_s cpu_s rss_mb"
time_fields() {
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); w=0; for(i=1;i<=n;i++) w=w*60+p[i]}
              /User time/ {u=$2} /System time/ {s=$2} /Maximum resident set size/ {r=$2}
              END {printf "%.2f %.2f %.0f\n", w, u+s, r/1024}' "$1"
}

rm -rf "$GRAPH"
"$BIN/omnigraph" init --schema "$DATA/schema.pg" "$GRAPH" >/dev/null
/usr/bin/time -v -o "$WORK/load.time" "$BIN/omnigraph" load --data "$DATA/graph.jsonl" "$GRAPH" >/dev/null
read -r wall cpu rss < <(time_fields "$WORK/load.time")
echo "== load: $ROWS rows in $wall s wall ($(awk -v r="$ROWS" -v w="$wall" 'BEGIN {printf "%.0f", r/w}') rows/s), $cpu s CPU ($(awk -v r="$ROWS" -v c="$cpu" 'BEGIN {printf "%.0f", r/c}') rows per CPU-second), peak RSS $rss MB"

echo "== queries and mutations (og_bench_engine_bench)"
OG_ENGINE_BENCH_GRAPH="$GRAPH" OG_ENGINE_BENCH_PERSONS="$PERSONS" "$BIN/og_bench_engine_bench" --benchmark_min_time=0.5 ${BENCH_ARGS:-}

/usr/bin/time -v -o "$WORK/export.time" "$BIN/omnigraph" export "$GRAPH" >"$WORK/export.jsonl"
read -r wall cpu rss < <(time_fields "$WORK/export.time")
echo "== export: $(grep -c . "$WORK/export.jsonl") lines in $wall s wall, $cpu s CPU, peak RSS $rss MB"
rm -f "$WORK/export.jsonl"
