// Builds one large tree from entries that arrive in any order, in bounded
// memory: entries are buffered, each full buffer is sorted and written to an
// anonymous temporary file as a run, and finish() streams a k-way merge of
// the runs (and an optional base tree) into a TreeBuilder. Runs never touch
// the chunk store, so they cost a sequential write and read, no compaction. Loads use it instead of
// batch edits, whose cost on random keys grows with the tree they edit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cstdio>
#include <functional>
#include <future>
#include <memory>

#include "common/hash.h"
#include "prolly/node_store.h"
#include "prolly/tree_builder.h"

namespace omnigraph::prolly {

class RunMerger {
 public:
  static constexpr size_t kDefaultBufferBytes = size_t{64} << 20;
  // From this many bytes added, the finished tree's chunks skip the store's
  // log (ChunkStore::put_many_unlogged): writing them twice costs more than
  // the flush that makes them durable at publish time. Smaller merges keep
  // the logged path, where publishing costs no extra flush.
  static constexpr uint64_t kUnloggedMinBytes = uint64_t{16} << 20;

  explicit RunMerger(NodeStore& nodes, size_t buffer_bytes = kDefaultBufferBytes);
  ~RunMerger();
  RunMerger(const RunMerger&) = delete;
  RunMerger& operator=(const RunMerger&) = delete;

  // Adds an entry; a later entry with the same key replaces an earlier one.
  void add(std::string_view key, std::string_view value);

  uint64_t added() const { return added_; }
  // True while everything added is still in the buffer (no run written).
  bool unspilled() const { return !spilled_; }
  // The buffered entries in the order added (only meaningful while
  // unspilled()); the merger is empty afterwards.
  std::vector<std::pair<std::string, std::string>> take_buffer();

  // Sees every entry of the finished tree, in key order, as it is built.
  using EntryVisitor = std::function<void(std::string_view key, std::string_view value)>;

  // The tree holding `base`'s entries overridden by every entry added;
  // `visit`, when given, is called with each of its entries.
  Hash finish(const Hash& base = Hash{}, const EntryVisitor& visit = {});

  // Streams sorted input: while entries arrive in strictly increasing key
  // order (ids generated in order), each full buffer goes straight into the
  // tree on the background thread instead of into a run file, and `visit`
  // sees its entries then; nothing is read back at the end. The first
  // buffer out of order ends streaming: the tree streamed so far is
  // finished, `restart` is called (from the background thread), and
  // finish() merges that tree (older than any later entry) with the rest,
  // calling `visit` again with every entry of the final tree. Call before
  // the first add(); finish() must then get no base and no visitor.
  void stream_sorted(EntryVisitor visit, std::function<void()> restart);

 private:
  // One buffered entry: its bytes live in the arena (key then value). The
  // first 16 key bytes, big-endian and zero-padded, make most comparisons
  // integer compares. While a group of keys sharing their first 8 bytes is
  // sorted, `next` holds instead the 8 bytes after the group's common
  // prefix.
  struct Slot {
    uint64_t prefix;
    uint64_t next;
    uint32_t offset;
    uint32_t key_size;
    uint32_t value_size;
    uint32_t sequence;  // arrival order, so the last of equal keys wins
  };
  struct Buffer {
    std::string arena;
    std::vector<Slot> slots;
    std::string_view key(const Slot& slot) const {
      return {arena.data() + slot.offset, slot.key_size};
    }
    std::string_view value(const Slot& slot) const {
      return {arena.data() + slot.offset + slot.key_size, slot.value_size};
    }
    // Sorts the slots by key keeping only the last entry of each key.
    void sort();
    // Sorts slots [begin, end), whose keys share their first 8 bytes.
    void sort_group(size_t begin, size_t end);
  };
  struct Run {
    std::FILE* file;
    uint64_t entries;
  };
  // From this buffer size on, the rest up to the limit is allocated at once.
  static constexpr size_t kReserveFromBytes = size_t{1} << 20;
  void reserve_buffer();
  static Run write_run(Buffer& buffer);
  // The background thread's work on a full buffer: streamed into the tree
  // while the order holds (returns a run without a file), else written as
  // a run. `unlogged` is the streamed tree's chunk mode.
  Run spill_buffer(Buffer& buffer, bool unlogged);
  // Whether the buffer's entries, in arrival order, are strictly increasing
  // and all greater than what was streamed before.
  bool continues_stream(const Buffer& buffer) const;
  // Adds the buffer's entries, in arrival order, to the streamed tree.
  void stream_buffer(Buffer& buffer, bool unlogged);
  // Finishes the streamed tree as the merge's oldest source; see stream_sorted.
  void end_stream();
  // Hands the full buffer to a background thread that sorts it and writes
  // it as a run, so parsing the input overlaps with sorting it.
  void spill();
  void wait_for_spill();

  struct Stream {
    EntryVisitor visit;
    std::function<void()> restart;
    std::unique_ptr<TreeBuilder> builder;  // created by the first streamed entry
    bool active = true;                    // the order has held so far
    Hash ended_root;                       // the streamed tree, once streaming ended
  };

  NodeStore& nodes_;
  size_t buffer_limit_;
  uint64_t added_ = 0;
  uint64_t added_bytes_ = 0;
  Buffer buffer_;
  bool spilled_ = false;  // a full buffer went to the background thread
  std::future<Run> spilling_;
  std::unique_ptr<Stream> stream_;  // touched by the background thread while a spill runs
  std::vector<Run> runs_;           // oldest first; each file holds sorted records
};

}  // namespace omnigraph::prolly
