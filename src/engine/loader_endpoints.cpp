// Edge endpoint lookups of the JSONL loader, a chunk at a time.
//
// Each edge line looks up both endpoints among the ids loaded so far. On a
// big graph each lookup lands on a random slot of a table far larger than
// the caches, and in a virtual machine each also misses the TLB, which
// software prefetching did not hide (measured: no change at any distance).
// So a chunk's lookups are made together, ordered by the address of the
// slot they start at: neighbouring lookups then share pages and cache
// lines, and the hardware prefetcher sees an ascending stream.
//
// Only whether an endpoint was found is decided here, against the ids
// loaded before the chunk; a node later in the same chunk (or anywhere in
// the input) still counts, because finish() rechecks every endpoint not
// found (see JsonlLoad::add_edge).
#include <array>

#include "engine/loader_state.h"

namespace omnigraph::engine::loader_detail {

namespace {

// Stable LSD radix sort of `items` by their upper 32 bits (the sort key),
// using `scratch`; the lower 32 bits ride along.
void sort_by_upper_half(std::vector<uint64_t>& items, std::vector<uint64_t>& scratch) {
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  scratch.resize(items.size());
  for (int shift = 32; shift < 64; shift += kBits) {
    std::array<uint32_t, kBuckets> count{};
    for (uint64_t item : items) ++count[(item >> shift) & (kBuckets - 1)];
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (uint64_t item : items) scratch[count[(item >> shift) & (kBuckets - 1)]++] = item;
    items.swap(scratch);
  }
}

}  // namespace

void JsonlLoad::look_up_endpoints(const ParsedChunk& chunk) {
  const std::vector<ParsedLine>& lines = chunk.lines;
  found_.assign(lines.size(), 0);
  probes_.clear();
  // A probe: the slot's cache line number (truncated: only the order
  // matters, and only for speed), then the line and which endpoint.
  auto probe = [&](const IdTable& ids, size_t hash, size_t line, uint64_t side) {
    const uint64_t cache_line = static_cast<uint32_t>(ids.slot_address(hash) >> 6);
    probes_.push_back(cache_line << 32 | static_cast<uint64_t>(line) << 1 | side);
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const ParsedLine& line = lines[i];
    if (line.edge == nullptr) continue;
    const EdgeTable& table = edge_table(*line.edge);
    if (table.from->ids.size() > 0) probe(table.from->ids, line.from_hash, i, 0);
    if (table.to->ids.size() > 0) probe(table.to->ids, line.to_hash, i, 1);
  }
  sort_by_upper_half(probes_, sorted_probes_);
  for (uint64_t item : probes_) {
    const size_t i = static_cast<uint32_t>(item) >> 1;
    const bool to_side = item & 1;
    const ParsedLine& line = lines[i];
    const EdgeTable& table =
        *edges_[static_cast<size_t>(line.edge - catalog_->edge_types().data())];
    const bool found = to_side ? table.to->ids.contains(line.to, line.to_hash)
                               : table.from->ids.contains(line.from, line.from_hash);
    if (found) found_[i] |= to_side ? 2 : 1;
  }
}

}  // namespace omnigraph::engine::loader_detail
