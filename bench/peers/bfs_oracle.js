#!/usr/bin/env node
// Independent reference for the hop counts of the peer comparison: a plain BFS
// over DIR/knows.csv, so a disagreement between Kuzu and Omnigraph can be
// pinned on one of them. Semantics as languages.md §4.3: distinct Person nodes
// whose shortest directed Knows distance from the start is in 1..k, start
// excluded. Not timed against anything; runs in its own process so its memory
// does not show up in either system's peak RSS.
//
//   node bench/peers/bfs_oracle.js DIR      (KUZU_HOPS / BFS_HOPS: default 1,2,4)
//
// Output: per-start JSON lines and a final summary line, same field names as
// kuzu_bench.js (system "reference_bfs").
"use strict";

const fs = require("fs");
const path = require("path");

function fail(msg) {
  process.stderr.write(`bfs_oracle: ${msg}\n`);
  process.exit(1);
}

// Ids are "p<decimal>" by construction of gen_social_graph.
function personIndex(buf, start, end) {
  if (buf[start] !== 0x70 /* p */) fail(`unexpected id at byte ${start}`);
  let v = 0;
  for (let i = start + 1; i < end; ++i) v = v * 10 + (buf[i] - 48);
  return v;
}

function main() {
  const dir = process.argv[2];
  if (!dir) fail("usage: node bfs_oracle.js DIR");
  const hops = (process.env.BFS_HOPS || process.env.KUZU_HOPS || "1,2,4").split(",").map(Number);
  const buf = fs.readFileSync(path.join(dir, "knows.csv"));
  const starts = fs
    .readFileSync(path.join(dir, "starts.txt"), "utf8")
    .split("\n")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

  // Pass 1: edge list; skip the header line.
  let pos = buf.indexOf(0x0a) + 1;
  const src = [];
  const dst = [];
  let maxNode = 0;
  while (pos < buf.length) {
    const comma = buf.indexOf(0x2c, pos);
    let eol = buf.indexOf(0x0a, comma);
    if (comma < 0) break;
    if (eol < 0) eol = buf.length;
    const s = personIndex(buf, pos, comma);
    const d = personIndex(buf, comma + 1, eol);
    src.push(s);
    dst.push(d);
    if (s > maxNode) maxNode = s;
    if (d > maxNode) maxNode = d;
    pos = eol + 1;
  }
  for (const id of starts) maxNode = Math.max(maxNode, Number(id.slice(1)));
  const n = maxNode + 1;

  // CSR adjacency.
  const offsets = new Int32Array(n + 1);
  for (const s of src) offsets[s + 1]++;
  for (let i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const adj = new Int32Array(src.length);
  for (let e = 0; e < src.length; ++e) adj[fill[src[e]]++] = dst[e];

  const seen = new Int32Array(n); // epoch-stamped visited set
  let epoch = 0;
  const summary = { kind: "summary", system: "reference_bfs", knows: src.length, starts: starts.length };
  const perStart = starts.map((id) => ({ kind: "per_start", system: "reference_bfs", start: id }));
  for (const k of hops) {
    let sum = 0;
    starts.forEach((id, i) => {
      const s = Number(id.slice(1));
      ++epoch;
      seen[s] = epoch;
      let frontier = [s];
      let count = 0;
      for (let depth = 1; depth <= k && frontier.length; ++depth) {
        const next = [];
        for (const u of frontier) {
          for (let j = offsets[u]; j < offsets[u + 1]; ++j) {
            const v = adj[j];
            if (seen[v] !== epoch) {
              seen[v] = epoch;
              next.push(v);
            }
          }
        }
        count += next.length;
        frontier = next;
      }
      perStart[i][`hop${k}`] = count;
      sum += count;
    });
    summary[`hop${k}_counts_sum`] = sum;
  }
  for (const line of perStart) process.stdout.write(JSON.stringify(line) + "\n");
  process.stdout.write(JSON.stringify(summary) + "\n");
}

main();
