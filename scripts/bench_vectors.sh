#!/usr/bin/env bash
# Vector search benchmark: Omnigraph's nearest() (HNSW) against LanceDB on the
# same random vectors and queries (docs/performance.md "Vector search").
#
#   bash scripts/bench_vectors.sh [N]     # default N = 100000 (make bench)
#   OG_BENCH_CACHE=/var/tmp/og-vec bash scripts/bench_vectors.sh 1000000
#                                         # the recorded 1M run (both index builds
#                                         # take tens of minutes on 2 shared cores;
#                                         # with the cache, only the first run pays)
#
# Environment (defaults in brackets):
#   VEC_DIM [128] VEC_QUERIES [100] VEC_K [10]
#   VEC_EFS [100,200,400,800,1600]    ef_search values measured on our side
#   VEC_LANCE_EFS [200,...,12800]     ef values for LanceDB's IVF_HNSW_SQ
#   VEC_LANCE_NPROBES [20,40,80]      IVF partitions LanceDB probes (its default: 20)
#   VEC_TARGET_RECALL [0.95]          the recall the matched comparison is made at;
#                                     LanceDB's ef sweep (per nprobes) stops once there
#   VEC_DIR [/tmp/og-vectors-N]       data files (never inside the repository)
#   OG_BENCH_CACHE                    opt-in cache directory: keeps the data files
#                                     and ground truth, our graph store with its
#                                     persisted index, and LanceDB's table with its
#                                     index, keyed by N/dim/queries/k/seeds and the
#                                     index parameters. A re-run only re-times the
#                                     queries; build times come from the run that
#                                     built them. Remove the directory to rebuild.
#   BUILD_DIR [build]                 where bin/og_bench_vector_bench lives
#   SKIP_LANCEDB=1                    Omnigraph side only
#   LANCE_SKIP_FLAT=1                 no LanceDB brute-force run (192 s at 1M)
#   OMNIGRAPH_HNSW_M / _EF_CONSTRUCTION / _QUANTIZE   index parameters
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
N=${1:-100000}
DIM=${VEC_DIM:-128}
QUERIES=${VEC_QUERIES:-100}
K=${VEC_K:-10}
EFS=${VEC_EFS:-100,200,400,800,1600}
LANCE_EFS_LIST=${VEC_LANCE_EFS:-200,400,800,1600,3200,6400,12800}
LANCE_NPROBES_LIST=${VEC_LANCE_NPROBES:-20,40,80}
TARGET=${VEC_TARGET_RECALL:-0.95}
BUILD_DIR=${BUILD_DIR:-build}
BIN="$BUILD_DIR/bin/og_bench_vector_bench"
[[ -x $BIN ]] || { echo "missing $BIN (build the og_bench_vector_bench target)" >&2; exit 1; }

DATA_KEY="n$N-d$DIM-q$QUERIES-k$K-s42"
STORE_ARGS=()
LANCE_DIR=
if [[ -n ${OG_BENCH_CACHE:-} ]]; then
  DIR=${VEC_DIR:-$OG_BENCH_CACHE/data-$DATA_KEY}
  OURS_KEY="$DATA_KEY-m${OMNIGRAPH_HNSW_M:-auto}-efc${OMNIGRAPH_HNSW_EF_CONSTRUCTION:-200}-q${OMNIGRAPH_HNSW_QUANTIZE:-1}"
  STORE_ARGS=(--store "$OG_BENCH_CACHE/omnigraph-$OURS_KEY")
  LANCE_DIR="$OG_BENCH_CACHE/lancedb-$DATA_KEY-hnswsq-default"
else
  DIR=${VEC_DIR:-/tmp/og-vectors-$N}
fi

echo "== vector search: n=$N dim=$DIM queries=$QUERIES k=$K ef=$EFS ($(nproc) cores, $(uptime | sed 's/.*load average/load average/'))"
[[ -n ${OG_BENCH_CACHE:-} ]] && echo "   cache: $OG_BENCH_CACHE (data $DIR, store ${STORE_ARGS[1]}, lancedb $LANCE_DIR)"
mkdir -p "$DIR"
"$BIN" --n "$N" --dim "$DIM" --queries "$QUERIES" --k "$K" --ef "$EFS" --out "$DIR" "${STORE_ARGS[@]}" |
  tee "$DIR/omnigraph.txt"
echo "   after our side: $(uptime | sed 's/.*load average/load average/')"

if [[ -z ${SKIP_LANCEDB:-} ]]; then
  if [[ ! -d bench/peers/node_modules/@lancedb/lancedb ]]; then
    (cd bench/peers && npm install --no-audit --no-fund >/dev/null)
  fi
  echo "== LanceDB (same vectors and queries; nprobes $LANCE_NPROBES_LIST, ef $LANCE_EFS_LIST, each ef sweep stops at recall $TARGET)"
  LANCE_DB_DIR="$LANCE_DIR" LANCE_EFS="$LANCE_EFS_LIST" LANCE_NPROBES="$LANCE_NPROBES_LIST" \
    LANCE_STOP_RECALL="$TARGET" RUST_LOG=error node bench/peers/lancedb_bench.js "$DIR" "$DIM" "$K" \
    2> >(grep -v "Deprecation warning" >&2) | tee "$DIR/lancedb.txt"
  echo "   after LanceDB: $(uptime | sed 's/.*load average/load average/')"
  # Side by side at the same ef, then at matched recall: the fastest setting
  # of each side whose recall reaches the target.
  node -e '
    const fs = require("fs");
    const [dir, target] = [process.argv[1], Number(process.argv[2])];
    const ours = [];
    for (const line of fs.readFileSync(dir + "/omnigraph.txt", "utf8").split("\n")) {
      const m = line.match(/^ef_search=(\d+): recall@\d+ ([\d.]+), qps .*?\) ([\d.]+) \(/);
      if (m) ours.push({ ef: +m[1], recall: +m[2], qps: +m[3] });
    }
    const lance = fs.readFileSync(dir + "/lancedb.txt", "utf8").split("\n").filter(Boolean).map(JSON.parse);
    const flat = lance.find((r) => r.kind === "flat");
    const hnsw = lance.filter((r) => r.kind === "hnsw");
    const np0 = hnsw.length ? hnsw[0].nprobes : undefined;
    console.log(`ef     omnigraph recall/qps      lancedb (nprobes ${np0}) recall/qps  ratio   vs lancedb flat`);
    for (const o of ours) {
      const l = hnsw.find((r) => r.nprobes === np0 && r.ef === o.ef);
      const ratio = l ? (o.qps / l.qps).toFixed(2) + "x" : "-";
      const lt = l ? `${l.recall.toFixed(3)} / ${l.qps.toFixed(0)}` : "-";
      console.log(`${String(o.ef).padEnd(6)} ${(o.recall.toFixed(3) + " / " + o.qps.toFixed(0)).padEnd(25)} ${lt.padEnd(30)} ${ratio.padEnd(7)} ${flat ? (o.qps / flat.qps).toFixed(1) + "x (flat " + flat.qps.toFixed(1) + " qps)" : "-"}`);
    }
    console.log("lancedb settings: " + hnsw.map((r) => `nprobes ${r.nprobes} ef ${r.ef}: ${r.recall.toFixed(3)} / ${r.qps.toFixed(1)}`).join("; "));
    const best = (rows) => rows.filter((r) => r.recall >= target).sort((a, b) => b.qps - a.qps)[0];
    const o = best(ours), l = best(hnsw);
    if (o && l) {
      console.log(`matched recall >= ${target}: omnigraph ef ${o.ef} ${o.recall.toFixed(3)} / ${o.qps.toFixed(1)} qps; lancedb nprobes ${l.nprobes} ef ${l.ef} ${l.recall.toFixed(3)} / ${l.qps.toFixed(1)} qps; ratio ${(o.qps / l.qps).toFixed(2)}x`);
    } else {
      console.log(`matched recall >= ${target}: not reached by ${o ? "lancedb" : l ? "omnigraph" : "either side"} in the sweep`);
    }
  ' "$DIR" "$TARGET"
fi
