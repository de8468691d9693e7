// graph_id rules (http-contract §6.6).
#include "server/config/graph_id.h"

#include <gtest/gtest.h>

#include <vector>

#include "server_test_support.h"

namespace omnigraph::server::config {
namespace {

TEST(GraphId, AcceptsLettersDigitsAndHyphens) {
  for (std::string id : std::vector<std::string>{"alpha", "tenant-001", "A", "X-9-z",
                                                 std::string(64, 'a'), "-", "0"}) {
    EXPECT_EQ(graph_id_error(id), std::nullopt) << id;
    EXPECT_NO_THROW(validate_graph_id(id));
  }
}

TEST(GraphId, Empty) {
  EXPECT_EQ(graph_id_error(""), "graph_id must not be empty");
  auto error = testing::thrown([] { validate_graph_id(""); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(error->message, "graph_id must not be empty");
}

TEST(GraphId, TooLongCountsBytes) {
  std::string id(65, 'a');
  EXPECT_EQ(graph_id_error(id), "graph_id '" + id + "' is 65 chars; max 64");
  // Length is checked before the character set.
  std::string unicode =
      std::string(32, 'a') + std::string(11, 'x') +
      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  EXPECT_EQ(graph_id_error(unicode), "graph_id '" + unicode + "' is 65 chars; max 64");
}

TEST(GraphId, RejectsOtherCharacters) {
  for (std::string id : {"a_b", "a.b", "a/b", "a\\b", "a b", " a", "a\t", "caf\xc3\xa9", "a:b"}) {
    EXPECT_EQ(graph_id_error(id),
              "graph_id '" + id +
                  "' must match ^[a-zA-Z0-9-]{1,64}$ — no underscores (engine reserves them), no "
                  "path separators, no unicode")
        << id;
  }
}

TEST(GraphId, ReservedNamesAreExactAndCaseSensitive) {
  for (std::string id : {"policies", "healthz", "openapi", "graphs"}) {
    EXPECT_EQ(graph_id_error(id),
              "graph_id '" + id +
                  "' is reserved (would collide with engine-managed names or future cluster "
                  "routes)")
        << id;
  }
  // `openapi.json` fails the character rule first (the dot).
  EXPECT_NE(graph_id_error("openapi.json")->find("must match"), std::string::npos);
  for (std::string id : {"Policies", "GRAPHS", "healthz-1", "graph"}) {
    EXPECT_EQ(graph_id_error(id), std::nullopt) << id;
  }
}

}  // namespace
}  // namespace omnigraph::server::config
