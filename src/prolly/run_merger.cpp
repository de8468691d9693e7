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
  // Views into the reader's buffer, valid until the next advance().
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  // A whole record (key, then value) is in the buffer before it is
  // consumed, so both are read in place, not copied out.
  void advance() {
    size_t at = 0;  // from pos_, the record's start while it is read
    size_t offsets[2];
    size_t sizes[2];
    for (int field = 0; field < 2; ++field) {
      if (!fill(at + 1)) {
        valid_ = false;
        return;
      }
      fill(at + 10);
      ByteReader header(std::string_view(buffer_.data() + pos_ + at, end_ - pos_ - at));
      const uint64_t size = header.varint();
      at += (end_ - pos_ - at) - header.remaining();
      if (!fill(at + size)) throw_internal("truncated sort run file");
      offsets[field] = at;
      sizes[field] = size;
      at += size;
    }
    key_ = std::string_view(buffer_.data() + pos_ + offsets[0], sizes[0]);
    value_ = std::string_view(buffer_.data() + pos_ + offsets[1], sizes[1]);
    pos_ += at;
    valid_ = true;
  }

 private:
  // Makes `want` bytes from pos_ readable; false at the end of the file.
  bool fill(size_t want) {
    if (end_ - pos_ >= want) return true;
    std::memmove(buffer_.data(), buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
    if (buffer_.size() < want) buffer_.resize(want);
    end_ += std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
    return end_ - pos_ >= want;
  }

  std::FILE* file_;
  std::string buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  std::string_view key_;
  std::string_view value_;
  bool valid_ = false;
};

// Key bytes [offset, offset + 8) as a big-endian word, zero-padded past the
// end: comparing words compares those bytes.
uint64_t key_word(std::string_view key, size_t offset) {
  if (offset + 8 <= key.size()) {
    uint64_t word;
    std::memcpy(&word, key.data() + offset, 8);
    return __builtin_bswap64(word);
  }
  uint64_t word = 0;
  for (size_t i = offset; i < offset + 8; ++i) {
    word = (word << 8) | (i < key.size() ? static_cast<unsigned char>(key[i]) : 0);
  }
  return word;
}

// Bytewise order of two keys whose bytes before `offset`, zero-padded, are
// equal: the rest of each, then the shorter first (a shorter key that
// compared equal so far is a prefix of the other).
int compare_from(std::string_view a, std::string_view b, size_t offset) {
  const int c = a.substr(std::min(offset, a.size())).compare(b.substr(std::min(offset, b.size())));
  if (c != 0) return c;
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

// Length of the common prefix of a and b, at most `limit`.
size_t common_prefix(std::string_view a, std::string_view b, size_t limit) {
  limit = std::min({limit, a.size(), b.size()});
  size_t i = 0;
  for (; i + 8 <= limit; i += 8) {
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) return i + static_cast<size_t>(__builtin_ctzll(x ^ y) / 8);  // little-endian
  }
  while (i < limit && a[i] == b[i]) ++i;
  return i;
}

}  // namespace

void RunMerger::add(std::string_view key, std::string_view value) {
  const size_t bytes = key.size() + value.size();
  if (buffer_.arena.size() + bytes > buffer_limit_ && !buffer_.slots.empty()) spill();
  if (buffer_.arena.size() + bytes > buffer_.arena.capacity() &&
      buffer_.arena.capacity() >= kReserveFromBytes && buffer_.arena.capacity() < buffer_limit_) {
    reserve_buffer();
  }
  buffer_.slots.push_back(
      Slot{key_word(key, 0), key_word(key, 8), static_cast<uint32_t>(buffer_.arena.size()),
           static_cast<uint32_t>(key.size()), static_cast<uint32_t>(value.size()),
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
  // Bytewise key order, then arrival; `next` holds key bytes 8 to 16 here.
  auto less = [&](const Slot& a, const Slot& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.next != b.next) return a.next < b.next;
    int c = compare_from(key(a), key(b), 16);
    if (c != 0) return c < 0;
    return a.sequence < b.sequence;
  };
  // Generated ids (ULIDs) arrive in order: then there is nothing to sort.
  if (!std::is_sorted(slots.begin(), slots.end(), less)) {
    if (slots.size() < kRadixMinSlots) {
      std::sort(slots.begin(), slots.end(), less);
    } else {
      // By prefix, then each group of equal prefixes by the rest of the
      // key and arrival (the same total order as sorting with `less`).
      radix_sort_by_prefix(slots);
      for (size_t begin = 0; begin < slots.size();) {
        size_t end = begin + 1;
        while (end < slots.size() && slots[end].prefix == slots[begin].prefix) ++end;
        if (end - begin > 1) sort_group(begin, end);
        begin = end;
      }
    }
  }
  // Equal keys are neighbours with equal words (in one group, `next` was
  // taken at the same offset): only then are the keys compared.
  size_t out = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    if (i + 1 < slots.size() && slots[i + 1].prefix == slots[i].prefix &&
        slots[i + 1].next == slots[i].next && key(slots[i + 1]) == key(slots[i])) {
      continue;
    }
    slots[out++] = slots[i];
  }
  slots.resize(out);
}

// Keys sharing their first 8 bytes often share more (an adjacency key's
// source id, a ULID's timestamp): the group is sorted by the 8 bytes after
// its common prefix, so most comparisons stay integer compares.
void RunMerger::Buffer::sort_group(size_t begin, size_t end) {
  const std::string_view first = key(slots[begin]);
  size_t common = first.size();
  for (size_t i = begin + 1; i < end && common > 0; ++i) {
    common = common_prefix(first, key(slots[i]), common);
  }
  for (size_t i = begin; i < end; ++i) slots[i].next = key_word(key(slots[i]), common);
  const size_t rest = common + 8;
  std::sort(slots.begin() + static_cast<std::ptrdiff_t>(begin),
            slots.begin() + static_cast<std::ptrdiff_t>(end), [&](const Slot& a, const Slot& b) {
              if (a.next != b.next) return a.next < b.next;
              int c = compare_from(key(a), key(b), rest);
              if (c != 0) return c < 0;
              return a.sequence < b.sequence;
            });
}

RunMerger::~RunMerger() {
  if (spilling_.valid()) {
    try {
      Run run = spilling_.get();
      if (run.file != nullptr) runs_.push_back(run);
    } catch (...) {
      // The merger is being discarded; the failed run has nothing to close.
    }
  }
  for (const Run& run : runs_) std::fclose(run.file);
}

void RunMerger::stream_sorted(EntryVisitor visit, std::function<void()> restart) {
  if (added_ > 0) throw_internal("RunMerger::stream_sorted after entries were added");
  stream_ = std::make_unique<Stream>();
  stream_->visit = std::move(visit);
  stream_->restart = std::move(restart);
}

bool RunMerger::continues_stream(const Buffer& buffer) const {
  if (!stream_ || !stream_->active) return false;
  std::string_view last;
  bool have_last = stream_->builder && stream_->builder->entries_added() > 0;
  if (have_last) last = stream_->builder->last_key();
  for (const Slot& slot : buffer.slots) {
    const std::string_view key = buffer.key(slot);
    if (have_last && !(last < key)) return false;
    last = key;
    have_last = true;
  }
  return true;
}

void RunMerger::stream_buffer(Buffer& buffer, bool unlogged) {
  if (!stream_->builder) stream_->builder = std::make_unique<TreeBuilder>(nodes_, 0, unlogged);
  for (const Slot& slot : buffer.slots) {
    stream_->builder->add(buffer.key(slot), buffer.value(slot));
    if (stream_->visit) stream_->visit(buffer.key(slot), buffer.value(slot));
  }
}

void RunMerger::end_stream() {
  if (stream_->builder) stream_->ended_root = stream_->builder->finish();
  stream_->builder.reset();
  stream_->active = false;
  if (stream_->restart) stream_->restart();
}

RunMerger::Run RunMerger::spill_buffer(Buffer& buffer, bool unlogged) {
  if (stream_ && stream_->active) {
    if (continues_stream(buffer)) {
      stream_buffer(buffer, unlogged);
      return Run{nullptr, buffer.slots.size()};
    }
    end_stream();
  }
  return write_run(buffer);
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
  if (!spilling_.valid()) return;
  Run run = spilling_.get();
  if (run.file != nullptr) runs_.push_back(run);  // no file: the buffer was streamed
}

void RunMerger::spill() {
  if (buffer_.slots.empty()) return;
  wait_for_spill();  // at most one run in flight: memory stays two buffers
  spilled_ = true;
  const bool unlogged = added_bytes_ >= kUnloggedMinBytes;
  spilling_ = std::async(std::launch::async, [this, unlogged, full = std::move(buffer_)]() mutable {
    return spill_buffer(full, unlogged);
  });
  buffer_ = {};
}

Hash RunMerger::finish(const Hash& base_tree, const EntryVisitor& visitor) {
  wait_for_spill();
  Hash base = base_tree;
  const EntryVisitor* visit_ptr = &visitor;
  if (stream_) {
    if (!base.is_zero() || visitor) {
      throw_internal("RunMerger::finish of a streamed merger takes no base or visitor");
    }
    const bool unlogged = added_bytes_ >= kUnloggedMinBytes;
    if (stream_->active && continues_stream(buffer_)) {
      stream_buffer(buffer_, unlogged);
      buffer_ = {};
      Hash root = stream_->builder ? stream_->builder->finish() : Hash{};
      stream_->builder.reset();
      return root;
    }
    if (stream_->active) end_stream();
    base = stream_->ended_root;  // the oldest entries: streamed before any run
    visit_ptr = &stream_->visit;
  }
  const EntryVisitor& visit = *visit_ptr;
  buffer_.sort();
  // Sources by priority: base lowest, then runs oldest to newest, then the
  // in-memory buffer highest. On equal keys the highest priority wins.
  struct Source {
    std::unique_ptr<Cursor> cursor;  // the base tree
    std::unique_ptr<RunReader> run;  // a run file
    size_t index = 0;                // buffer source position
    bool is_buffer = false;
    int priority = 0;
    uint64_t head[2] = {0, 0};  // the current key's first 16 bytes (key_word)
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
  auto load_head = [&](Source& s) {
    if (exhausted(s)) return;
    if (s.is_buffer) {
      const Slot& slot = buffer_.slots[s.index];
      s.head[0] = slot.prefix;
      s.head[1] = key_word(buffer_.key(slot), 8);  // `next` may hold other bytes after sort()
    } else {
      const std::string_view key = key_of(s);
      s.head[0] = key_word(key, 0);
      s.head[1] = key_word(key, 8);
    }
  };
  auto advance = [&](Source& s) {
    if (s.is_buffer) {
      ++s.index;
    } else if (s.run) {
      s.run->advance();
    } else {
      s.cursor->next();
    }
    load_head(s);
  };
  // Min-heap by key, then by priority descending (the winner comes first).
  // Keys from different sources mostly differ in their first 16 bytes.
  auto later = [&](size_t a, size_t b) {
    const Source& x = sources[a];
    const Source& y = sources[b];
    if (x.head[0] != y.head[0]) return x.head[0] > y.head[0];
    if (x.head[1] != y.head[1]) return x.head[1] > y.head[1];
    int c = compare_from(key_of(x), key_of(y), 16);
    if (c != 0) return c > 0;
    return x.priority < y.priority;
  };
  std::vector<size_t> heap;
  for (size_t i = 0; i < sources.size(); ++i) {
    load_head(sources[i]);
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
  uint64_t last_head[2] = {0, 0};
  while (!heap.empty()) {
    Source& source = sources[heap.front()];
    std::string_view key = key_of(source);
    // Equal keys come out winner first: later ones are skipped.
    if (builder.entries_added() == 0 || source.head[0] != last_head[0] ||
        source.head[1] != last_head[1] || key != builder.last_key()) {
      builder.add(key, value_of(source));
      if (visit) visit(key, value_of(source));
      last_head[0] = source.head[0];
      last_head[1] = source.head[1];
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
