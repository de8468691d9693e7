#!/usr/bin/env node
// LanceDB side of the vector-search comparison (driven by scripts/bench_vectors.sh).
//
//   node bench/peers/lancedb_bench.js DIR DIM K
//
// DIR holds what og_bench_vector_bench --out wrote: vectors.f32 (N×DIM),
// queries.f32 (Q×DIM), raw little-endian float32, and truth.i32 (Q×K row
// numbers of the exact L2 neighbours). A fresh LanceDB table (id Int32,
// vector FixedSizeList<Float32>[DIM]) is created in a temp dir (or reused
// from LANCE_DB_DIR), then:
//   flat   no index: exact brute-force k-NN (LanceDB's default without an index)
//   hnsw   an IVF_HNSW_SQ index (LanceDB's HNSW, L2, default build options),
//          queried at each (nprobes, ef) of LANCE_NPROBES x LANCE_EFS; for each
//          nprobes the ef sweep stops at the first ef reaching LANCE_STOP_RECALL
// Queries run one at a time (like Omnigraph's per-query latency), metric L2,
// after 5 untimed warm-up queries per mode.
// Output: JSON lines on stdout ({"kind":"setup"|"flat"|"hnsw",...}); progress on stderr.
//
// Environment:
//   LANCE_EFS        comma list of ef values for the hnsw mode (default 400,800,1600)
//   LANCE_NPROBES    comma list of IVF partitions probed (default 20, LanceDB's default)
//   LANCE_STOP_RECALL stop an ef sweep once recall reaches this (default: run all)
//   LANCE_SKIP_INDEX 1 = flat only
//   LANCE_SKIP_FLAT  1 = no flat run
//   LANCE_DB_DIR     keep the table and its index here (a cache keyed by the
//                    caller): a later run with the same DIR data reuses them
//                    and reports the load/index times of the run that built them
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const arrow = require("apache-arrow");
const lancedb = require("@lancedb/lancedb");

function readF32(file) {
  const buf = fs.readFileSync(file);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

function readI32(file) {
  const buf = fs.readFileSync(file);
  return new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

async function main() {
  const [dir, dimText, kText] = process.argv.slice(2);
  if (!dir || !dimText || !kText) {
    console.error("usage: node lancedb_bench.js DIR DIM K");
    process.exit(2);
  }
  const dim = Number(dimText);
  const k = Number(kText);
  const vectors = readF32(path.join(dir, "vectors.f32"));
  const queries = readF32(path.join(dir, "queries.f32"));
  const truth = readI32(path.join(dir, "truth.i32"));
  const n = vectors.length / dim;
  const q = queries.length / dim;
  console.log(JSON.stringify({ kind: "setup", n, dim, queries: q, k, lancedb: JSON.parse(fs.readFileSync(path.join(__dirname, "node_modules/@lancedb/lancedb/package.json"))).version }));

  const keep = process.env.LANCE_DB_DIR;
  const tmp = keep || fs.mkdtempSync(path.join(os.tmpdir(), "og-lancedb-"));
  const metaFile = path.join(tmp, "og-meta.json");
  try {
    fs.mkdirSync(tmp, { recursive: true });
    const db = await lancedb.connect(tmp);
    // A kept table is reused only when its metadata says it holds this data.
    let meta = null;
    if (keep && fs.existsSync(metaFile)) {
      meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
      if (meta.n !== n || meta.dim !== dim || !(await db.tableNames()).includes("v")) meta = null;
    }
    let t0 = process.hrtime.bigint();
    let tbl, loadS;
    if (meta) {
      tbl = await db.openTable("v");
      loadS = meta.load_s;
      console.error(`lancedb: reusing the table in ${tmp} (created in ${loadS.toFixed(2)} s by the run that built it)`);
    } else {
      const ids = arrow.makeVector(Int32Array.from({ length: n }, (_, i) => i));
      const listType = new arrow.FixedSizeList(dim, new arrow.Field("item", new arrow.Float32(), true));
      const child = arrow.makeData({ type: new arrow.Float32(), length: n * dim, data: vectors });
      const vecData = arrow.makeData({ type: listType, length: n, nullCount: 0, child });
      const table = new arrow.Table({ id: ids, vector: arrow.makeVector(vecData) });
      tbl = await db.createTable("v", table, { mode: "overwrite" });
      loadS = Number(process.hrtime.bigint() - t0) / 1e9;
      meta = { n, dim, load_s: loadS };
      if (keep) fs.writeFileSync(metaFile, JSON.stringify(meta));
      console.error(`lancedb: table of ${n} rows created in ${loadS.toFixed(2)} s`);
    }

    async function run(mode, configure) {
      // Warm-up (index and data pages, the query path), untimed.
      for (let i = 0; i < Math.min(5, q); i++) {
        const query = queries.subarray(i * dim, (i + 1) * dim);
        await configure(tbl.query().nearestTo(Array.from(query)).distanceType("l2").limit(k)).toArray();
      }
      let found = 0;
      t0 = process.hrtime.bigint();
      for (let i = 0; i < q; i++) {
        const query = queries.subarray(i * dim, (i + 1) * dim);
        let builder = tbl.query().nearestTo(Array.from(query)).distanceType("l2").limit(k).select(["id", "_distance"]);
        builder = configure(builder);
        const rows = await builder.toArray();
        const want = new Set(truth.subarray(i * k, (i + 1) * k));
        for (const r of rows) if (want.has(r.id)) found++;
      }
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      return { recall: found / (q * k), qps: q / secs, ms_per_query: (1000 * secs) / q };
    }

    if (process.env.LANCE_SKIP_FLAT !== "1") {
      const flat = await run("flat", (b) => b.bypassVectorIndex());
      console.log(JSON.stringify({ kind: "flat", load_s: loadS, ...flat }));
    }

    if (process.env.LANCE_SKIP_INDEX !== "1") {
      let indexS = meta.index_s;
      const indexed = (await tbl.listIndices()).some((i) => i.columns.includes("vector"));
      if (indexS !== undefined && indexed) {
        console.error(`lancedb: reusing the IVF_HNSW_SQ index (built in ${indexS.toFixed(1)} s by the run that built it)`);
      } else {
        t0 = process.hrtime.bigint();
        await tbl.createIndex("vector", { config: lancedb.Index.hnswSq({ distanceType: "l2" }), replace: true });
        indexS = Number(process.hrtime.bigint() - t0) / 1e9;
        meta.index_s = indexS;
        if (keep) fs.writeFileSync(metaFile, JSON.stringify(meta));
        console.error(`lancedb: IVF_HNSW_SQ index built in ${indexS.toFixed(1)} s`);
      }
      const efs = (process.env.LANCE_EFS || "400,800,1600").split(",").map(Number);
      const nprobes = (process.env.LANCE_NPROBES || "20").split(",").map(Number);
      const stop = Number(process.env.LANCE_STOP_RECALL || "2");
      for (const np of nprobes) {
        for (const ef of efs) {
          const r = await run("hnsw", (b) => b.nprobes(np).ef(ef));
          console.log(JSON.stringify({ kind: "hnsw", index_s: indexS, nprobes: np, ef, ...r }));
          if (r.recall >= stop) break;
        }
      }
    }
  } finally {
    if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
