#!/usr/bin/env node
// Kuzu side of the social-graph peer comparison (driven by scripts/bench_peers.sh).
//
//   node bench/peers/kuzu_bench.js DIR
//
// DIR is the output of gen_social_graph. A fresh database is created in a temp
// dir, the four CSVs are loaded with COPY (timed), then for every id in
// starts.txt the number of distinct Person nodes reachable over Knows at
// distance 1..k (k = 1, 2, 4; directed; start excluded) is counted.
//
// Semantics. Omnigraph's traversal `$a knows{1,k} $b` emits each node whose
// SHORTEST distance from $a lies in [1, k], never the start (languages.md §4.3).
// Kuzu's default recursive semantics is WALK (repeated nodes and edges allowed),
// so a bare `-[:Knows*1..k]->` yields one row per walk. The query used here is
//   MATCH (a:Person {id: $id})-[:Knows* SHORTEST 1..k]->(b:Person)
//   WHERE b.id <> $id RETURN count(*)
// which runs one BFS and returns a single shortest path per reachable node,
// i.e. exactly the Omnigraph set. (`count(DISTINCT b)` over walks gives the same
// number, since any node reachable by a walk of length <= k has shortest
// distance <= k, but enumerates every walk.) KUZU_VERIFY=1 additionally runs
// that walk variant and fails if the two disagree.
//
// Output: JSON lines on stdout; one {"kind":"per_start",...} line per start and
// a final {"kind":"summary",...} line. Setup details go to stderr.
//
// Environment:
//   KUZU_THREADS         max threads per query (default: Kuzu's, = all cores)
//   KUZU_BUFFER_POOL_MB  buffer pool size (default: Kuzu's, 80% of RAM)
//   KUZU_DB_PARENT       where the temp database dir is created (default: os.tmpdir())
//   KUZU_KEEP_DB=1       keep the database dir afterwards (its path is printed)
//   KUZU_HOPS            comma list of hop bounds (default 1,2,4)
//   KUZU_VERIFY=1        cross-check SHORTEST counts against count(DISTINCT) over walks
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");
const kuzu = require("kuzu");

function fail(msg) {
  process.stderr.write(`kuzu_bench: ${msg}\n`);
  process.exit(1);
}

function nowSeconds() {
  return Number(process.hrtime.bigint()) / 1e9;
}

// Process CPU seconds (user + system, all Kuzu worker threads included). On a
// shared machine wall time mostly measures the neighbours; CPU time does not.
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs, p) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// Kuzu string literal: single quotes, backslash-escaped.
function quote(s) {
  return "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

async function run(conn, statement) {
  const result = await conn.query(statement);
  const rows = await result.getAll();
  result.close();
  return rows;
}

async function runPrepared(conn, prepared, params) {
  const result = await conn.execute(prepared, params);
  const rows = await result.getAll();
  result.close();
  return rows;
}

// COPY reports "N tuples have been copied to the T table."; the count queried
// afterwards is authoritative, this is only for the per-table log line.
function copiedTuples(rows) {
  const text = rows.length ? String(Object.values(rows[0])[0]) : "";
  const m = /(\d+) tuples/.exec(text);
  return m ? Number(m[1]) : null;
}

async function main() {
  const dir = process.argv[2];
  if (!dir) fail("usage: node kuzu_bench.js DIR");
  const files = {
    persons: path.resolve(dir, "persons.csv"),
    companies: path.resolve(dir, "companies.csv"),
    knows: path.resolve(dir, "knows.csv"),
    worksAt: path.resolve(dir, "works_at.csv"),
    starts: path.resolve(dir, "starts.txt"),
  };
  for (const f of Object.values(files)) if (!fs.existsSync(f)) fail(`missing ${f}`);
  const starts = fs
    .readFileSync(files.starts, "utf8")
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const hops = (process.env.KUZU_HOPS || "1,2,4").split(",").map((s) => {
    const k = Number(s);
    if (!Number.isInteger(k) || k < 1) fail(`bad KUZU_HOPS entry '${s}'`);
    return k;
  });
  const threads = process.env.KUZU_THREADS ? Number(process.env.KUZU_THREADS) : undefined;
  const poolBytes = process.env.KUZU_BUFFER_POOL_MB
    ? Number(process.env.KUZU_BUFFER_POOL_MB) * 1024 * 1024
    : 0; // 0 = Kuzu default
  const verify = process.env.KUZU_VERIFY === "1";

  const parent = process.env.KUZU_DB_PARENT || os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, "og-kuzu-"));
  const dbPath = path.join(tmp, "db"); // Kuzu 0.11 creates the database file itself
  const db = new kuzu.Database(dbPath, poolBytes);
  const conn = new kuzu.Connection(db, threads);

  const threadSetting = await run(conn, "CALL current_setting('threads') RETURN *");
  const effectiveThreads = Object.values(threadSetting[0] || {})[0];
  process.stderr.write(
    [
      `kuzu_bench setup: kuzu ${kuzu.VERSION} (storage v${kuzu.STORAGE_VERSION}), node ${process.version},`,
      `  ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, threads/query ${effectiveThreads},`,
      `  buffer pool ${poolBytes ? poolBytes / 2 ** 20 + " MiB" : "default"}, db ${dbPath}`,
      `  data ${path.resolve(dir)}, ${starts.length} start ids, hops ${hops.join(",")}${verify ? ", verify=walk" : ""}`,
      "",
    ].join("\n"),
  );

  // Same shape as schema.pg; the key column is called `id` here because Kuzu
  // has no implicit id column to collide with. Kuzu builds a hash index on the
  // primary key; @index (full-text) has no counterpart loaded, and no query
  // below needs it.
  await run(conn, "CREATE NODE TABLE Person(id STRING PRIMARY KEY, name STRING, age INT32, city STRING)");
  await run(conn, "CREATE NODE TABLE Company(id STRING PRIMARY KEY, name STRING, industry STRING)");
  await run(conn, "CREATE REL TABLE Knows(FROM Person TO Person)");
  await run(conn, "CREATE REL TABLE WorksAt(FROM Person TO Company)");

  const copies = [
    ["Person", files.persons],
    ["Company", files.companies],
    ["Knows", files.knows],
    ["WorksAt", files.worksAt],
  ];
  const tableSeconds = {};
  const loadStart = nowSeconds();
  const loadCpuStart = cpuSeconds();
  for (const [table, file] of copies) {
    const t0 = nowSeconds();
    const rows = await run(conn, `COPY ${table} FROM ${quote(file)} (header=true)`);
    tableSeconds[table] = nowSeconds() - t0;
    process.stderr.write(
      `  COPY ${table}: ${copiedTuples(rows)} rows in ${tableSeconds[table].toFixed(3)} s\n`,
    );
  }
  const loadSeconds = nowSeconds() - loadStart;
  const loadCpuSeconds = cpuSeconds() - loadCpuStart;

  const tableRows = {};
  for (const [table] of copies) {
    const isRel = table === "Knows" || table === "WorksAt";
    const q = isRel
      ? `MATCH ()-[r:${table}]->() RETURN count(*) AS n`
      : `MATCH (n:${table}) RETURN count(*) AS n`;
    tableRows[table] = Number((await run(conn, q))[0].n);
  }
  const loadRows = Object.values(tableRows).reduce((a, b) => a + b, 0);
  process.stderr.write(
    `  load: ${loadRows} rows in ${loadSeconds.toFixed(3)} s = ${Math.round(loadRows / loadSeconds)} rows/s` +
      ` (cpu ${loadCpuSeconds.toFixed(3)} s)\n`,
  );

  const summary = {
    kind: "summary",
    system: "kuzu",
    kuzu_version: kuzu.VERSION,
    node_version: process.version,
    threads: Number(effectiveThreads),
    persons: tableRows.Person,
    companies: tableRows.Company,
    knows: tableRows.Knows,
    works_at: tableRows.WorksAt,
    starts: starts.length,
    load_rows: loadRows,
    load_seconds: round(loadSeconds, 4),
    load_rows_per_second: Math.round(loadRows / loadSeconds),
    load_cpu_seconds: round(loadCpuSeconds, 3),
    load_table_seconds: Object.fromEntries(
      Object.entries(tableSeconds).map(([t, s]) => [t, round(s, 4)]),
    ),
    semantics: "SHORTEST 1..k (distinct nodes at shortest distance 1..k, start excluded)",
  };

  const perStart = starts.map((id) => ({ kind: "per_start", system: "kuzu", start: id }));
  for (const k of hops) {
    const stmt = await conn.prepare(
      `MATCH (a:Person {id: $id})-[:Knows* SHORTEST 1..${k}]->(b:Person) ` +
        "WHERE b.id <> $id RETURN count(*) AS n",
    );
    if (!stmt.isSuccess()) fail(`prepare hop${k}: ${stmt.getErrorMessage()}`);
    // One untimed run so the first timed query does not pay for plan caches
    // and buffer-pool faults the others do not.
    await runPrepared(conn, stmt, { id: starts[0] });
    const times = [];
    let sum = 0;
    const cpu0 = cpuSeconds();
    for (let i = 0; i < starts.length; ++i) {
      const t0 = nowSeconds();
      const rows = await runPrepared(conn, stmt, { id: starts[i] });
      times.push(nowSeconds() - t0);
      const n = Number(rows[0].n);
      perStart[i][`hop${k}`] = n;
      perStart[i][`hop${k}_ms`] = round(times[i] * 1000, 3);
      sum += n;
    }
    const total = times.reduce((a, b) => a + b, 0);
    const cpu = cpuSeconds() - cpu0;
    summary[`hop${k}_total_seconds`] = round(total, 4);
    summary[`hop${k}_median_ms`] = round(median(times) * 1000, 3);
    summary[`hop${k}_p95_ms`] = round(percentile(times, 95) * 1000, 3);
    summary[`hop${k}_cpu_seconds`] = round(cpu, 3);
    summary[`hop${k}_counts_sum`] = sum;
    process.stderr.write(
      `  hop${k}: total ${total.toFixed(3)} s (cpu ${cpu.toFixed(3)} s), median ${(median(times) * 1000).toFixed(2)} ms, ` +
        `p95 ${(percentile(times, 95) * 1000).toFixed(2)} ms, counts sum ${sum}\n`,
    );
  }

  if (verify) {
    let mismatches = 0;
    for (const k of hops) {
      const stmt = await conn.prepare(
        `MATCH (a:Person {id: $id})-[:Knows*1..${k}]->(b:Person) ` +
          "WHERE b.id <> $id RETURN count(DISTINCT b) AS n",
      );
      if (!stmt.isSuccess()) fail(`prepare walk hop${k}: ${stmt.getErrorMessage()}`);
      const t0 = nowSeconds();
      for (let i = 0; i < starts.length; ++i) {
        const n = Number((await runPrepared(conn, stmt, { id: starts[i] }))[0].n);
        if (n !== perStart[i][`hop${k}`]) {
          ++mismatches;
          process.stderr.write(
            `  MISMATCH hop${k} ${starts[i]}: shortest ${perStart[i][`hop${k}`]} vs walk-distinct ${n}\n`,
          );
        }
      }
      summary[`verify_walk_hop${k}_total_seconds`] = round(nowSeconds() - t0, 4);
    }
    summary.verify_walk_ok = mismatches === 0;
    process.stderr.write(`  verify (walk + DISTINCT): ${mismatches === 0 ? "ok" : mismatches + " mismatches"}\n`);
  }

  // maxRSS is in KiB; it covers node itself plus Kuzu's buffer pool pages in use.
  summary.peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024);

  for (const line of perStart) process.stdout.write(JSON.stringify(line) + "\n");
  process.stdout.write(JSON.stringify(summary) + "\n");

  conn.closeSync();
  db.closeSync();
  if (process.env.KUZU_KEEP_DB === "1") {
    process.stderr.write(`  kept database at ${dbPath}\n`);
  } else {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (verify && !summary.verify_walk_ok) process.exit(3);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
