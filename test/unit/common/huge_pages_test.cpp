#include "common/huge_pages.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

namespace omnigraph {
namespace {

// The hint must leave any buffer usable as before: small ones untouched,
// unaligned and large ones readable and writable throughout.
TEST(HugePages, HintedBuffersKeepTheirContents) {
  for (size_t bytes :
       {size_t{100}, kHugePageHintMinBytes - 1, kHugePageHintMinBytes + 12345, size_t{9} << 20}) {
    std::unique_ptr<unsigned char[]> buffer(new unsigned char[bytes + 3]);
    unsigned char* data = buffer.get() + 3;  // unaligned on purpose
    advise_huge_pages(data, bytes);
    for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<unsigned char>(i * 31);
    size_t mismatches = 0;
    for (size_t i = 0; i < bytes; ++i) mismatches += data[i] != static_cast<unsigned char>(i * 31);
    EXPECT_EQ(mismatches, 0u) << bytes;
  }
  advise_huge_pages(nullptr, 0);  // nothing to do
}

}  // namespace
}  // namespace omnigraph
