#!/usr/bin/env bash
# Vector search benchmark: Omnigraph's nearest() (HNSW) against LanceDB on the
# same random vectors and queries (docs/performance.md "Vector search").
#
#   bash scripts/bench_vectors.sh [N]     # default N = 100000 (make bench)
#   bash scripts/bench_vectors.sh 1000000 # the recorded 1M run (HNSW build takes
#                                         # tens of minutes on 2 shared cores)
#
# Environment (defaults in brackets):
#   VEC_DIM [128] VEC_QUERIES [100] VEC_K [10]
#   VEC_EFS [200,400,800,1600]  ef_search values measured on both sides
#   VEC_DIR [/tmp/og-vectors-N] data files (never inside the repository)
#   BUILD_DIR [build]           where bin/og_bench_vector_bench lives
#   SKIP_LANCEDB=1              Omnigraph side only
#   OMNIGRAPH_HNSW_M / _EF_CONSTRUCTION / _EF_SEARCH   index parameters
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
N=${1:-100000}
DIM=${VEC_DIM:-128}
QUERIES=${VEC_QUERIES:-100}
K=${VEC_K:-10}
EFS=${VEC_EFS:-200,400,800,1600}
DIR=${VEC_DIR:-/tmp/og-vectors-$N}
BUILD_DIR=${BUILD_DIR:-build}
BIN="$BUILD_DIR/bin/og_bench_vector_bench"
[[ -x $BIN ]] || { echo "missing $BIN (build the og_bench_vector_bench target)" >&2; exit 1; }

echo "== vector search: n=$N dim=$DIM queries=$QUERIES k=$K ef=$EFS ($(nproc) cores)"
mkdir -p "$DIR"
"$BIN" --n "$N" --dim "$DIM" --queries "$QUERIES" --k "$K" --ef "$EFS" --out "$DIR" | tee "$DIR/omnigraph.txt"

if [[ -z ${SKIP_LANCEDB:-} ]]; then
  if [[ ! -d bench/peers/node_modules/@lancedb/lancedb ]]; then
    (cd bench/peers && npm install --no-audit --no-fund >/dev/null)
  fi
  echo "== LanceDB (same vectors and queries)"
  LANCE_EFS="$EFS" RUST_LOG=error node bench/peers/lancedb_bench.js "$DIR" "$DIM" "$K" \
    2> >(grep -v "Deprecation warning" >&2) | tee "$DIR/lancedb.txt"
  # Side by side: our QPS over LanceDB's at each ef, and over LanceDB flat (exact).
  node -e '
    const fs = require("fs");
    const dir = process.argv[1];
    const ours = {};
    for (const line of fs.readFileSync(dir + "/omnigraph.txt", "utf8").split("\n")) {
      const m = line.match(/^ef_search=(\d+): recall@\d+ ([\d.]+), qps .*?\) ([\d.]+) \(/);
      if (m) ours[m[1]] = { recall: +m[2], qps: +m[3] };
    }
    const lance = fs.readFileSync(dir + "/lancedb.txt", "utf8").split("\n").filter(Boolean).map(JSON.parse);
    const flat = lance.find((r) => r.kind === "flat");
    console.log("ef     omnigraph recall/qps      lancedb hnsw recall/qps   ratio   vs lancedb flat");
    for (const [ef, o] of Object.entries(ours)) {
      const l = lance.find((r) => r.kind === "hnsw" && String(r.ef) === ef);
      const ratio = l ? (o.qps / l.qps).toFixed(2) + "x" : "-";
      const lt = l ? `${l.recall.toFixed(3)} / ${l.qps.toFixed(0)}` : "-";
      console.log(`${ef.padEnd(6)} ${(o.recall.toFixed(3) + " / " + o.qps.toFixed(0)).padEnd(25)} ${lt.padEnd(25)} ${ratio.padEnd(7)} ${flat ? (o.qps / flat.qps).toFixed(1) + "x (flat " + flat.qps.toFixed(1) + " qps)" : "-"}`);
    }
  ' "$DIR"
fi
