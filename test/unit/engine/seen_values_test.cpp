// SeenValues: the per-column table behind UniqueTracker.
#include "engine/seen_values.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

namespace omnigraph::engine {
namespace {

TEST(SeenValues, KeepsTheFirstRowOfEachValue) {
  SeenValues seen;
  EXPECT_EQ(seen.find("a"), std::nullopt);
  EXPECT_EQ(seen.insert("a", 3), std::nullopt);
  EXPECT_EQ(seen.insert("a", 7), std::optional<size_t>(3));
  EXPECT_EQ(seen.find("a"), std::optional<size_t>(3));
  // Empty, prefix-related and embedded-zero values are distinct values.
  EXPECT_EQ(seen.insert("", 8), std::nullopt);
  EXPECT_EQ(seen.insert(std::string("a\0", 2), 9), std::nullopt);
  EXPECT_EQ(seen.insert("ab", 10), std::nullopt);
  EXPECT_EQ(seen.find(""), std::optional<size_t>(8));
  EXPECT_EQ(seen.find(std::string("a\0", 2)), std::optional<size_t>(9));
  EXPECT_EQ(seen.find("b"), std::nullopt);
  EXPECT_EQ(seen.size(), 4u);
}

TEST(SeenValues, MatchesAMapThroughManyGrowths) {
  SeenValues seen;
  std::map<std::string, size_t> model;
  std::mt19937 rng(5);
  for (size_t row = 0; row < 200000; ++row) {
    std::string text = "value-" + std::to_string(rng() % 100000);
    if (row % 7 == 0) text += std::string(40, 'x');  // longer than any inline buffer
    auto first = seen.insert(text, row);
    auto [it, inserted] = model.try_emplace(text, row);
    if (inserted) {
      ASSERT_EQ(first, std::nullopt) << text;
    } else {
      ASSERT_EQ(first, std::optional<size_t>(it->second)) << text;
    }
  }
  EXPECT_EQ(seen.size(), model.size());
  for (const auto& [text, row] : model) ASSERT_EQ(seen.find(text), std::optional<size_t>(row));
  EXPECT_EQ(seen.find("value-100000"), std::nullopt);
}

}  // namespace
}  // namespace omnigraph::engine
