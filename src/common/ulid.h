// ULIDs: 128-bit ids that sort by creation time. 48 bits of Unix time in
// milliseconds, then 80 random bits, written as 26 Crockford base32
// characters. Used for graph_commit_id and generated row/edge ids.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace omnigraph {

class Ulid {
 public:
  static constexpr size_t kTextSize = 26;
  static constexpr uint64_t kMaxTimestampMs = (uint64_t{1} << 48) - 1;

  // Big-endian: 6 timestamp bytes, then 10 random bytes, so byte order,
  // text order and creation order agree.
  std::array<uint8_t, 16> bytes{};

  // A fresh ULID from the process-wide generator (thread-safe, monotonic).
  static Ulid generate();
  // Reserves `count` (>= 1) consecutive ids of the process-wide generator
  // with one clock read: the first is returned, the others are its
  // successors, and no other caller gets any of them. For callers that
  // generate ids in bulk without the lock and clock read per id.
  static Ulid reserve(uint64_t count);
  // Parses 26 base32 characters (case-insensitive); throws Error(kBadRequest)
  // naming the problem otherwise.
  static Ulid parse(std::string_view text);
  static bool is_valid(std::string_view text);
  // Takes exactly 16 raw bytes; throws Error(kInternal) otherwise.
  static Ulid from_bytes(std::string_view raw);

  uint64_t timestamp_ms() const;
  // 26 uppercase characters.
  std::string str() const;
  // The same 26 characters written to out[0, 26), allocating nothing.
  void write(char* out) const;
  // The next id: the 128-bit value plus one (the random part counts up,
  // carrying into the timestamp), as the generator steps within a
  // millisecond.
  Ulid successor() const;
  std::string_view raw() const { return {reinterpret_cast<const char*>(bytes.data()), 16}; }

  friend bool operator==(const Ulid&, const Ulid&) = default;
  friend auto operator<=>(const Ulid&, const Ulid&) = default;
};

// Generates strictly increasing ULIDs. Within one millisecond (or when the
// clock steps back) the previous random part is incremented instead of
// drawing a new one, so ids from one generator never repeat or go backwards.
class UlidGenerator {
 public:
  Ulid next();
  // With an explicit clock reading, for tests.
  Ulid next_at(uint64_t now_ms);
  // next_at, then `count - 1` more ids skipped (Ulid::reserve).
  Ulid reserve_at(uint64_t now_ms, uint64_t count);

 private:
  Ulid next_locked(uint64_t now_ms);

  std::mutex mutex_;
  uint64_t last_ms_ = 0;
  std::array<uint8_t, 10> last_random_{};
  bool started_ = false;
};

// Shorthand: Ulid::generate().str().
std::string new_ulid();

}  // namespace omnigraph
