#include "prolly/run_merger.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "common/huge_pages.h"
#include "common/varint.h"
#include "prolly/cursor.h"
#include "prolly/tree_builder.h"

namespace omnigraph::prolly {

RunMerger::RunMerger(NodeStore& nodes, size_t buffer_bytes)
    : nodes_(nodes), buffer_limit_(std::min<size_t>(buffer_bytes, UINT32_MAX / 2)) {}

namespace {

constexpr size_t kFileBufferBytes = size_t{1} << 20;

// Reads the records of one run file back in order.
class RunReader {
 public:
  explicit RunReader(std::FILE* file) : file_(file), buffer_(kFileBufferBytes, '\0') {
    std::rewind(file_);
    advance();
  }
  bool valid() const { return valid_; }
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  void advance() { valid_ = read_field(key_) && read_field(value_); }

 private:
  bool fill(size_t want) {
    if (end_ - pos_ >= want) return true;
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (buffer_.size() < want) buffer_.resize(want);
    end_ += std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    return end_ - pos_ >= want;
  }
  bool read_field(std::string& out) {
    if (!fill(1)) return false;
    fill(10);
    ByteReader header(std::string_view(buffer_.data() + pos_, end_ - pos_));
    uint64_t size = header.varint();
    pos_ += (end_ - pos_) - header.remaining();
    if (!fill(size)) throw_internal("truncated sort run file");
    out.assign(buffer_.data() + pos_, size);
    pos_ += size;
    return true;
  }

  std::FILE* file_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  std::string key_;
  std::string value_;
  bool valid_ = false;
};

uint64_t key_prefix(std::string_view key) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i) {
    prefix = (prefix << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
  }
  return prefix;
}

}  // namespace

void RunMerger::add(std::string_view key, std::string_view value) {
  const size_t bytes = key.size() + value.size();
  if (buffer_.arena.size() + bytes > buffer_limit_ && !buffer_.slots.empty()) spill();
  if (buffer_.arena.size() + bytes > buffer_.arena.capacity() &&
      buffer_.arena.capacity() >= kReserveFromBytes && buffer_.arena.capacity() < buffer_limit_) {
    reserve_buffer();
  }
  buffer_.slots.push_back(Slot{key_prefix(key), static_cast<uint32_t>(buffer_.arena.size()),
                               static_cast<uint32_t>(key.size()),
                               static_cast<uint32_t>(value.size()),
                               static_cast<uint32_t>(buffer_.slots.size())});
  buffer_.arena.append(key);
  buffer_.arena.append(value);
  ++added_;
  added_bytes_ += key.size() + value.size();
}

void RunMerger::reserve_buffer() {
  // A buffer this large will likely fill: allocate all of it once (no
  // copies as it doubles), with huge pages for the sort's random accesses.
  std::string arena;
  arena.reserve(buffer_limit_);
  advise_huge_pages(arena.data(), arena.capacity());
  arena.append(buffer_.arena);
  buffer_.arena = std::move(arena);
  std::vector<Slot> slots;
  const size_t expected = buffer_.slots.size() * (buffer_limit_ / buffer_.arena.size() + 1);
  slots.reserve(expected);
  advise_huge_pages(slots.data(), expected * sizeof(Slot));
  slots.insert(slots.end(), buffer_.slots.begin(), buffer_.slots.end());
  buffer_.slots = std::move(slots);
}

std::vector<std::pair<std::string, std::string>> RunMerger::take_buffer() {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(buffer_.slots.size());
  for (const Slot& slot : buffer_.slots) out.emplace_back(buffer_.key(slot), buffer_.value(slot));
  buffer_ = {};
  return out;
}

namespace {

// From this many slots a buffer is radix-sorted by prefix first.
constexpr size_t kRadixMinSlots = 4096;

// Stable LSD radix sort of the slots by their 8-byte prefix, one pass per
// byte that is not the same in every slot. Comparing slots only by prefix
// costs no access to the arena (a cache miss per key for a comparison sort).
template <typename Slot>
void radix_sort_by_prefix(std::vector<Slot>& slots) {
  const size_t n = slots.size();
  std::array<std::array<uint32_t, 256>, 8> counts{};
  for (const Slot& slot : slots) {
    for (size_t b = 0; b < 8; ++b) ++counts[b][(slot.prefix >> (8 * b)) & 0xff];
  }
  std::vector<Slot> scratch;
  scratch.reserve(n);
  advise_huge_pages(scratch.data(), n * sizeof(Slot));
  scratch.resize(n);
  Slot* from = slots.data();
  Slot* to = scratch.data();
  for (size_t b = 0; b < 8; ++b) {
    std::array<uint32_t, 256>& count = counts[b];
    if (count[(from[0].prefix >> (8 * b)) & 0xff] == n) continue;  // one value: order kept
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) to[count[(from[i].prefix >> (8 * b)) & 0xff]++] = from[i];
    std::swap(from, to);
  }
  if (from != slots.data()) std::copy(from, from + n, slots.data());
}

}  // namespace

void RunMerger::Buffer::sort() {
  auto less = [&](const Slot& a, const Slot& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    int c = key(a).compare(key(b));
    if (c != 0) return c < 0;
    return a.sequence < b.sequence;
  };
  // Generated ids (ULIDs) arrive in order: then there is nothing to sort.
  if (!std::is_sorted(slots.begin(), slots.end(), less)) {
    if (slots.size() < kRadixMinSlots) {
      std::sort(slots.begin(), slots.end(), less);
    } else {
      // By prefix, then each group of equal prefixes by the whole order
      // (the same total order as sorting with `less` alone).
      radix_sort_by_prefix(slots);
      for (size_t begin = 0; begin < slots.size();) {
        size_t end = begin + 1;
        while (end < slots.size() && slots[end].prefix == slots[begin].prefix) ++end;
        if (end - begin > 1) std::sort(slots.begin() + begin, slots.begin() + end, less);
        begin = end;
      }
    }
  }
  size_t out = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (i + 1 < slots.size() && slots[i + 1].prefix == slots[i].prefix &&
        key(slots[i + 1]) == key(slots[i])) {
      continue;
    }
    slots[out++] = slots[i];
  }
  slots.resize(out);
}

RunMerger::~RunMerger() {
  if (spilling_.valid()) {
    try {
      runs_.push_back(spilling_.get());
    } catch (...) {
      // The merger is being discarded; the failed run has nothing to close.
    }
  }
  for (const Run& run : runs_) std::fclose(run.file);
}

RunMerger::Run RunMerger::write_run(Buffer& buffer) {
  buffer.sort();
  std::FILE* file = std::tmpfile();
  if (file == nullptr) throw_internal("cannot create a temporary file for sorting a load");
  std::string out;
  out.reserve(kFileBufferBytes + 64);
  auto flush = [&] {
    if (std::fwrite(out.data(), 1, out.size(), file) != out.size()) {
      std::fclose(file);
      throw_internal("cannot write a temporary sort run (disk full?)");
    }
    out.clear();
  };
  for (const Slot& slot : buffer.slots) {
    put_length_prefixed(out, buffer.key(slot));
    put_length_prefixed(out, buffer.value(slot));
    if (out.size() >= kFileBufferBytes) flush();
  }
  flush();
  return Run{file, buffer.slots.size()};
}

void RunMerger::wait_for_spill() {
  if (spilling_.valid()) runs_.push_back(spilling_.get());
}

void RunMerger::spill() {
  if (buffer_.slots.empty()) return;
  wait_for_spill();  // at most one run in flight: memory stays two buffers
  spilling_ = std::async(std::launch::async,
                         [full = std::move(buffer_)]() mutable { return write_run(full); });
  buffer_ = {};
}

Hash RunMerger::finish(const Hash& base, const EntryVisitor& visit) {
  wait_for_spill();
  buffer_.sort();
  // Sources by priority: base lowest, then runs oldest to newest, then the
  // in-memory buffer highest. On equal keys the highest priority wins.
  struct Source {
    std::unique_ptr<Cursor> cursor;  // the base tree
    std::unique_ptr<RunReader> run;  // a run file
    size_t index = 0;                // buffer source position
    bool is_buffer = false;
    int priority = 0;
  };
  std::vector<Source> sources;
  int priority = 0;
  if (!base.is_zero()) {
    sources.push_back({std::make_unique<Cursor>(nodes_, base), nullptr, 0, false, priority});
  }
  for (const Run& run : runs_) {
    ++priority;
    sources.push_back({nullptr, std::make_unique<RunReader>(run.file), 0, false, priority});
  }
  ++priority;
  if (!buffer_.slots.empty()) sources.push_back({nullptr, nullptr, 0, true, priority});

  auto key_of = [&](const Source& s) -> std::string_view {
    return s.is_buffer ? buffer_.key(buffer_.slots[s.index])
           : s.run     ? s.run->key()
                       : s.cursor->key();
  };
  auto value_of = [&](const Source& s) -> std::string_view {
    return s.is_buffer ? buffer_.value(buffer_.slots[s.index])
           : s.run     ? s.run->value()
                       : s.cursor->value();
  };
  auto exhausted = [&](const Source& s) {
    return s.is_buffer ? s.index >= buffer_.slots.size()
           : s.run     ? !s.run->valid()
                       : !s.cursor->valid();
  };
  auto advance = [&](Source& s) {
    if (s.is_buffer) {
      ++s.index;
    } else if (s.run) {
      s.run->advance();
    } else {
      s.cursor->next();
    }
  };
  // Min-heap by key, then by priority descending (the winner comes first).
  auto later = [&](size_t a, size_t b) {
    int c = key_of(sources[a]).compare(key_of(sources[b]));
    if (c != 0) return c > 0;
    return sources[a].priority < sources[b].priority;
  };
  std::vector<size_t> heap;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (!exhausted(sources[i])) heap.push_back(i);
  }
  // Restores the heap after heap[0] changed. The top source usually stays
  // on top for a while (runs of generated ids barely overlap), and then this
  // costs one or two comparisons instead of a pop and a push.
  auto sift_down = [&] {
    size_t i = 0;
    for (;;) {
      size_t child = 2 * i + 1;
      if (child >= heap.size()) return;
      if (child + 1 < heap.size() && later(heap[child], heap[child + 1])) ++child;
      if (!later(heap[i], heap[child])) return;
      std::swap(heap[i], heap[child]);
      i = child;
    }
  };
  auto greater = [&](size_t a, size_t b) { return later(a, b); };
  std::make_heap(heap.begin(), heap.end(), greater);
  // Bulk output: the trees are only reachable once a commit publishes
  // them, and publishing persists unlogged chunks first (ChunkStore).
  TreeBuilder builder(nodes_, 0, /*unlogged=*/added_bytes_ >= kUnloggedMinBytes);
  if (sources.size() == 1 && sources.front().is_buffer) {
    // Only the sorted buffer: its keys are already unique and ascending.
    for (const Slot& slot : buffer_.slots) {
      builder.add(buffer_.key(slot), buffer_.value(slot));
      if (visit) visit(buffer_.key(slot), buffer_.value(slot));
    }
    buffer_ = {};
    return builder.finish();
  }
  while (!heap.empty()) {
    Source& source = sources[heap.front()];
    std::string_view key = key_of(source);
    // Equal keys come out winner first: later ones are skipped.
    if (builder.entries_added() == 0 || key != builder.last_key()) {
      builder.add(key, value_of(source));
      if (visit) visit(key, value_of(source));
    }
    advance(source);
    if (exhausted(source)) {
      heap.front() = heap.back();
      heap.pop_back();
    }
    sift_down();
  }
  buffer_ = {};
  for (const Run& run : runs_) std::fclose(run.file);
  runs_.clear();
  return builder.finish();
}

}  // namespace omnigraph::prolly
