// The injectable environment used by server startup.
#include "server/config/env.h"

#include <gtest/gtest.h>

namespace omnigraph::server::config {
namespace {

TEST(Env, MapEnvReturnsOnlyItsVariables) {
  EnvLookup env = map_env({{"A", "1"}, {"EMPTY", ""}});
  EXPECT_EQ(env("A"), "1");
  EXPECT_EQ(env("EMPTY"), "");
  EXPECT_EQ(env("B"), std::nullopt);
}

TEST(Env, NonBlankTrimsAndTreatsBlankAsUnset) {
  EnvLookup env = map_env({{"A", " \t v \n"}, {"BLANK", " \t\r\n"}, {"EMPTY", ""}});
  EXPECT_EQ(non_blank(env, "A"), "v");
  EXPECT_EQ(non_blank(env, "BLANK"), std::nullopt);
  EXPECT_EQ(non_blank(env, "EMPTY"), std::nullopt);
  EXPECT_EQ(non_blank(env, "UNSET"), std::nullopt);
}

TEST(Env, ProcessEnvReadsTheRealEnvironment) {
  // Read-only: the test process always has PATH and never this name.
  EnvLookup env = process_env();
  ASSERT_NE(std::getenv("PATH"), nullptr);
  EXPECT_EQ(env("PATH"), std::string(std::getenv("PATH")));
  EXPECT_EQ(env("OMNIGRAPH_TEST_SURELY_UNSET_VARIABLE_7f3a"), std::nullopt);
}

}  // namespace
}  // namespace omnigraph::server::config
