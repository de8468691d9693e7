#include "common/hash.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace omnigraph {

TEST(Hash, Sha256OfKnownInput) {
  EXPECT_EQ(Hash::of("abc").hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, HexRoundTrip) {
  Hash h = Hash::of("hello");
  EXPECT_EQ(Hash::from_hex(h.hex()), h);
  EXPECT_EQ(Hash::from_bytes(h.raw()), h);
}

TEST(Hash, RejectsBadHex) {
  EXPECT_THROW(Hash::from_hex("abc"), Error);
  EXPECT_THROW(Hash::from_hex(std::string(64, 'z')), Error);
}

TEST(Hash, ZeroHash) {
  EXPECT_TRUE(Hash{}.is_zero());
  EXPECT_FALSE(Hash::of("").is_zero());
}

}  // namespace omnigraph
