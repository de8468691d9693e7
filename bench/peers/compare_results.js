#!/usr/bin/env node
// Prints the peer-comparison table and checks every system's per-start hop
// counts against the reference BFS (bfs_oracle.js).
//
//   node bench/peers/compare_results.js reference.jsonl system1.jsonl [system2.jsonl ...]
//
// Each system file holds per_start lines and one summary line, as written by
// kuzu_bench.js; an Omnigraph runner must use the same field names
// (system, start, hop<k>, and in the summary load_rows, load_seconds,
// load_cpu_seconds, hop<k>_total_seconds, hop<k>_median_ms, hop<k>_cpu_seconds,
// peak_rss_mb; missing fields print as "-"). Exit status 1 if any
// count differs from the reference.
"use strict";

const fs = require("fs");

function readJsonl(file) {
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l));
  return {
    perStart: lines.filter((l) => l.kind === "per_start"),
    summary: lines.find((l) => l.kind === "summary") || {},
  };
}

function fmt(x, digits) {
  if (x === undefined || x === null) return "-";
  return typeof x === "number" ? x.toFixed(digits) : String(x);
}

function main() {
  const [refFile, ...systemFiles] = process.argv.slice(2);
  if (!refFile || systemFiles.length === 0) {
    process.stderr.write("usage: compare_results.js reference.jsonl system.jsonl...\n");
    process.exit(2);
  }
  const ref = readJsonl(refFile);
  const hopKeys = Object.keys(ref.summary)
    .map((k) => /^hop(\d+)_counts_sum$/.exec(k))
    .filter(Boolean)
    .map((m) => Number(m[1]));
  const refByStart = new Map(ref.perStart.map((r) => [r.start, r]));

  let bad = 0;
  const rows = [];
  for (const file of systemFiles) {
    const sys = readJsonl(file);
    const s = sys.summary;
    let mismatches = 0;
    for (const r of sys.perStart) {
      const want = refByStart.get(r.start);
      for (const k of hopKeys) {
        if (!want || r[`hop${k}`] !== want[`hop${k}`]) {
          if (mismatches < 5) {
            process.stderr.write(
              `MISMATCH ${s.system || file} ${r.start} hop${k}: got ${r[`hop${k}`]}, reference ${want ? want[`hop${k}`] : "none"}\n`,
            );
          }
          ++mismatches;
        }
      }
    }
    if (sys.perStart.length !== ref.perStart.length) {
      process.stderr.write(
        `MISMATCH ${s.system || file}: ${sys.perStart.length} start rows, reference has ${ref.perStart.length}\n`,
      );
      ++mismatches;
    }
    bad += mismatches;
    rows.push({ s, mismatches });
  }

  const header = ["system", "load rows", "load s", "rows/s", "load cpu s", "peak RSS MB"];
  for (const k of hopKeys) header.push(`hop${k} total s`, `hop${k} median ms`, `hop${k} cpu s`);
  header.push("counts");
  const table = [header];
  for (const { s, mismatches } of rows) {
    const line = [
      s.system,
      fmt(s.load_rows, 0),
      fmt(s.load_seconds, 3),
      fmt(s.load_rows_per_second, 0),
      fmt(s.load_cpu_seconds, 2),
      fmt(s.peak_rss_mb, 0),
    ];
    for (const k of hopKeys) {
      line.push(
        fmt(s[`hop${k}_total_seconds`], 3),
        fmt(s[`hop${k}_median_ms`], 2),
        fmt(s[`hop${k}_cpu_seconds`], 2),
      );
    }
    line.push(mismatches === 0 ? "match" : `${mismatches} mismatches`);
    table.push(line);
  }
  const widths = header.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  for (const r of table) {
    process.stdout.write(r.map((c, i) => String(c).padStart(widths[i])).join("  ") + "\n");
  }
  process.stdout.write(
    "reference hop count sums: " +
      hopKeys.map((k) => `hop${k}=${ref.summary[`hop${k}_counts_sum`]}`).join(" ") +
      "\n",
  );
  process.exit(bad === 0 ? 0 : 1);
}

main();
