#include "common/ulid.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "common/error.h"

namespace omnigraph {
namespace {

bool is_crockford(char c) {
  return std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(c) != std::string_view::npos;
}

TEST(Ulid, FormatIs26CrockfordCharacters) {
  for (int i = 0; i < 100; ++i) {
    std::string s = new_ulid();
    ASSERT_EQ(s.size(), 26u);
    for (char c : s) EXPECT_TRUE(is_crockford(c)) << s;
    EXPECT_LE(s[0], '7');
    EXPECT_TRUE(Ulid::is_valid(s));
  }
}

TEST(Ulid, KnownEncoding) {
  // Timestamp 1469918176385 ms with an all-zero random part encodes to the
  // first ten characters "01ARYZ6S41" (the example of the ULID spec).
  UlidGenerator gen;
  Ulid u = gen.next_at(1469918176385);
  EXPECT_EQ(u.str().substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(u.timestamp_ms(), 1469918176385u);
  Ulid zero = Ulid::parse("00000000000000000000000000");
  EXPECT_EQ(zero, Ulid{});
  Ulid max = Ulid::parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
  for (uint8_t b : max.bytes) EXPECT_EQ(b, 0xff);
}

TEST(Ulid, TimestampIsCurrentTime) {
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  Ulid u = Ulid::generate();
  EXPECT_NEAR(static_cast<double>(u.timestamp_ms()), static_cast<double>(now), 5000.0);
}

TEST(Ulid, ParseRoundTripAndCaseInsensitive) {
  for (int i = 0; i < 50; ++i) {
    Ulid u = Ulid::generate();
    std::string s = u.str();
    EXPECT_EQ(Ulid::parse(s), u);
    std::string lower = s;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(Ulid::parse(lower), u);
    EXPECT_EQ(Ulid::from_bytes(u.raw()), u);
  }
}

TEST(Ulid, RejectsMalformed) {
  auto message = [](std::string_view s) {
    try {
      Ulid::parse(s);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
      return std::string(e.what());
    }
    ADD_FAILURE() << "accepted " << s;
    return std::string();
  };
  EXPECT_NE(message("").find("26 characters"), std::string::npos);
  EXPECT_NE(message("01ARYZ6S41").find("26 characters"), std::string::npos);
  EXPECT_NE(message("01ARYZ6S41000000000000000U").find("'U' at position 25"), std::string::npos);
  EXPECT_NE(message("01ARYZ6S41I00000000000000A").find("'I'"), std::string::npos);
  EXPECT_NE(message("8ZZZZZZZZZZZZZZZZZZZZZZZZZ").find("out of range"), std::string::npos);
  EXPECT_FALSE(Ulid::is_valid("01ARYZ6S41-0000000000000AB"));
  EXPECT_FALSE(Ulid::is_valid("01ARYZ6S4100000000000000000"));
  EXPECT_THROW(Ulid::from_bytes("short"), Error);
}

TEST(Ulid, MonotonicWithinAMillisecond) {
  UlidGenerator gen;
  Ulid prev = gen.next_at(1000);
  for (int i = 0; i < 1000; ++i) {
    Ulid next = gen.next_at(1000);
    EXPECT_LT(prev, next);
    EXPECT_LT(prev.str(), next.str());  // text order agrees with byte order
    EXPECT_EQ(next.timestamp_ms(), 1000u);
    prev = next;
  }
  // The clock stepping back does not make ids go backwards.
  Ulid after_step_back = gen.next_at(900);
  EXPECT_LT(prev, after_step_back);
  EXPECT_EQ(after_step_back.timestamp_ms(), 1000u);
  // A later millisecond starts a fresh random part with the new timestamp.
  Ulid later = gen.next_at(2000);
  EXPECT_LT(after_step_back, later);
  EXPECT_EQ(later.timestamp_ms(), 2000u);
}

TEST(Ulid, IncrementCarriesAcrossBytes) {
  UlidGenerator gen;
  Ulid first = gen.next_at(5);
  // Compare consecutive ids as 80-bit integers: each must be one more.
  auto random_part = [](const Ulid& u) {
    unsigned __int128 v = 0;
    for (int i = 6; i < 16; ++i) v = (v << 8) | u.bytes[i];
    return v;
  };
  unsigned __int128 prev = random_part(first);
  for (int i = 0; i < 300; ++i) {
    Ulid u = gen.next_at(5);
    unsigned __int128 cur = random_part(u);
    if (u.timestamp_ms() == 5) {
      EXPECT_EQ(cur, prev + 1);
    } else {
      // Only possible if the random part was within 300 of 2^80.
      EXPECT_EQ(u.timestamp_ms(), 6u);
    }
    prev = cur;
  }
}

TEST(Ulid, UniqueAndIncreasingAcrossThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 2000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) ids[t].push_back(new_ulid());
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (auto& v : ids) {
    for (size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
}

// Bulk generation reserves a block of ids under one lock and clock read:
// the block's ids are successive, and ids generated afterwards, in this or
// any generator call, come after the whole block.
TEST(Ulid, ReservedBlocksAreSuccessiveAndNeverHandedOutAgain) {
  Ulid before = Ulid::generate();
  Ulid first = Ulid::reserve(1000);
  EXPECT_LT(before, first);
  Ulid id = first;
  for (int i = 1; i < 1000; ++i) {
    Ulid next = id.successor();
    EXPECT_LT(id, next);
    EXPECT_LT(id.str(), next.str());
    id = next;
  }
  EXPECT_LT(id, Ulid::generate());  // after the block's last id
  EXPECT_LT(first, Ulid::reserve(1));
}

TEST(Ulid, ReservingCarriesAcrossBytesAndIntoTheTimestamp) {
  UlidGenerator gen;
  Ulid first = gen.next_at(5000);
  // A block of 2^16 + 3 ids ends 2^16 + 3 after its first id.
  Ulid block = gen.reserve_at(5000, (uint64_t{1} << 16) + 3);
  EXPECT_EQ(block, first.successor());
  Ulid after = gen.next_at(5000);
  Ulid expected = block;
  for (uint64_t i = 0; i < (uint64_t{1} << 16) + 3; ++i) expected = expected.successor();
  EXPECT_EQ(after, expected);
  // The successor of an all-ones random part moves to the next millisecond.
  Ulid top = Ulid::parse("01ARYZ6S41ZZZZZZZZZZZZZZZZ");
  Ulid next = top.successor();
  EXPECT_EQ(next.timestamp_ms(), top.timestamp_ms() + 1);
  EXPECT_EQ(next.str().substr(10), std::string(16, '0'));
}

// write() renders two 64-bit halves; parse (an independent decoder) must
// read every rendering back, at the extremes too.
TEST(Ulid, WriteRendersTextThatParsesBack) {
  std::vector<Ulid> ids = {Ulid{}, Ulid::parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
                           Ulid::parse("01ARYZ6S41ZZZZZZZZZZZZZZZZ")};
  for (int i = 0; i < 200; ++i) ids.push_back(Ulid::generate());
  for (int bit = 0; bit < 128; ++bit) {
    Ulid one;
    one.bytes[15 - bit / 8] = static_cast<uint8_t>(1u << (bit % 8));
    ids.push_back(one);
  }
  for (const Ulid& u : ids) {
    std::string text(Ulid::kTextSize + 2, '#');
    u.write(text.data() + 1);
    EXPECT_EQ(text.front(), '#');
    EXPECT_EQ(text.back(), '#');
    EXPECT_EQ(Ulid::parse(text.substr(1, Ulid::kTextSize)), u) << text;
    EXPECT_EQ(u.str(), text.substr(1, Ulid::kTextSize));
  }
}

}  // namespace
}  // namespace omnigraph
