#include "common/ulid.h"

#include <openssl/rand.h>

#include <chrono>

#include "common/error.h"

namespace omnigraph {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Base32 value of a character, or -1. Case-insensitive; the letters
// Crockford excludes (I, L, O, U) are rejected rather than aliased, so
// every accepted string has exactly one spelling once upper-cased.
int decode_char(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

std::string describe_error(std::string_view text) {
  if (text.size() != Ulid::kTextSize) {
    return "must be 26 characters, got " + std::to_string(text.size());
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (decode_char(text[i]) < 0) {
      return "invalid character '" + std::string(1, text[i]) + "' at position " + std::to_string(i);
    }
  }
  // 26 * 5 = 130 bits for 128: the first character carries only 3 bits.
  if (decode_char(text[0]) > 7) return "timestamp out of range (first character must be 0-7)";
  return {};
}

uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

UlidGenerator& global_generator() {
  static UlidGenerator generator;
  return generator;
}

}  // namespace

Ulid Ulid::generate() {
  return global_generator().next();
}

Ulid Ulid::reserve(uint64_t count) {
  return global_generator().reserve_at(now_ms(), count);
}

std::string new_ulid() {
  return Ulid::generate().str();
}

bool Ulid::is_valid(std::string_view text) {
  return describe_error(text).empty();
}

Ulid Ulid::parse(std::string_view text) {
  std::string problem = describe_error(text);
  if (!problem.empty()) throw_bad_request("invalid ULID '" + std::string(text) + "': " + problem);
  // Accumulate 130 bits big-endian; the top 2 are zero (checked above).
  Ulid out;
  unsigned __int128 value = 0;
  for (char c : text) value = (value << 5) | static_cast<unsigned>(decode_char(c));
  for (int i = 15; i >= 0; --i) {
    out.bytes[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
  return out;
}

Ulid Ulid::from_bytes(std::string_view raw) {
  if (raw.size() != 16) throw_internal("ULID must be 16 bytes, got " + std::to_string(raw.size()));
  Ulid out;
  for (size_t i = 0; i < 16; ++i) out.bytes[i] = static_cast<uint8_t>(raw[i]);
  return out;
}

uint64_t Ulid::timestamp_ms() const {
  uint64_t ms = 0;
  for (int i = 0; i < 6; ++i) ms = (ms << 8) | bytes[i];
  return ms;
}

Ulid Ulid::successor() const {
  Ulid out = *this;
  int i = 15;
  while (i >= 0 && ++out.bytes[i] == 0) --i;
  if (i < 0) throw_internal("ULID space exhausted");
  return out;
}

std::string Ulid::str() const {
  std::string out(kTextSize, '0');
  write(out.data());
  return out;
}

void Ulid::write(char* out) const {
  // Two 64-bit halves instead of one 128-bit value: cheaper shifts, and
  // loads write millions of these.
  uint64_t high = 0;
  uint64_t low = 0;
  for (int i = 0; i < 8; ++i) high = (high << 8) | bytes[i];
  for (int i = 8; i < 16; ++i) low = (low << 8) | bytes[i];
  // Characters 14..25 are the low 60 bits, character 13 straddles the
  // halves, characters 0..12 are the high half's top 63 bits.
  for (int i = 25; i >= 14; --i) {
    out[i] = kAlphabet[low & 31];
    low >>= 5;
  }
  out[13] = kAlphabet[(low & 15) | ((high & 1) << 4)];
  high >>= 1;
  for (int i = 12; i >= 0; --i) {
    out[i] = kAlphabet[high & 31];
    high >>= 5;
  }
}

Ulid UlidGenerator::next() {
  return next_at(now_ms());
}

Ulid UlidGenerator::next_at(uint64_t now) {
  std::lock_guard lock(mutex_);
  return next_locked(now);
}

Ulid UlidGenerator::reserve_at(uint64_t now, uint64_t count) {
  if (count == 0) throw_internal("reserving no ULIDs");
  std::lock_guard lock(mutex_);
  Ulid first = next_locked(now);
  // Skip the rest of the block: the last id handed out becomes
  // first + count - 1, and the next one continues after it.
  Ulid last = first;
  uint64_t add = count - 1;
  unsigned carry = 0;
  for (int i = 15; i >= 0 && (add != 0 || carry != 0); --i) {
    const unsigned sum = last.bytes[i] + static_cast<unsigned>(add & 0xff) + carry;
    last.bytes[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
    add >>= 8;
  }
  if (carry != 0 || last.timestamp_ms() > Ulid::kMaxTimestampMs) {
    throw_internal("ULID space exhausted");
  }
  last_ms_ = last.timestamp_ms();
  for (size_t i = 0; i < 10; ++i) last_random_[i] = last.bytes[6 + i];
  return first;
}

Ulid UlidGenerator::next_locked(uint64_t now) {
  if (!started_ || now > last_ms_) {
    if (now > Ulid::kMaxTimestampMs) throw_internal("clock is past the ULID range (year 10889)");
    if (RAND_bytes(last_random_.data(), static_cast<int>(last_random_.size())) != 1) {
      throw_internal("RAND_bytes failed: cannot generate a ULID");
    }
    last_ms_ = now;
    started_ = true;
  } else {
    // Same millisecond, or the clock stepped back: keep the last timestamp
    // and count up in the random part, carrying into the timestamp in the
    // (2^80 calls per millisecond) case that it overflows.
    int i = static_cast<int>(last_random_.size()) - 1;
    while (i >= 0 && ++last_random_[i] == 0) --i;
    if (i < 0) {
      if (last_ms_ == Ulid::kMaxTimestampMs) throw_internal("ULID space exhausted");
      ++last_ms_;
    }
  }
  Ulid out;
  for (int i = 0; i < 6; ++i) out.bytes[i] = static_cast<uint8_t>(last_ms_ >> (8 * (5 - i)));
  for (size_t i = 0; i < 10; ++i) out.bytes[6 + i] = last_random_[i];
  return out;
}

}  // namespace omnigraph
