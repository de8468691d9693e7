// Bearer token sources (http-contract §4.1) and verification (§4.2).
#include "server/auth/token_store.h"

#include <gtest/gtest.h>

#include "server_test_support.h"

namespace omnigraph::server::auth {
namespace {

using config::map_env;
using testing::ScratchDir;
using testing::thrown;

std::optional<std::string> header(std::string_view token) {
  return "Bearer " + std::string(token);
}

TEST(TokenStore, EmptyEnvironmentHasNoTokens) {
  TokenStore store = TokenStore::from_env(map_env({}));
  EXPECT_TRUE(store.empty());
  EXPECT_EQ(store.source(), "none");
  EXPECT_EQ(store.check(header("x")), TokenCheck::kInvalid);
}

TEST(TokenStore, SingleTokenIsActorDefaultAndTrimmed) {
  TokenStore store =
      TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "  s3cret \n"}}));
  EXPECT_EQ(store.actors(), std::vector<std::string>{"default"});
  EXPECT_EQ(store.source(), "env");
  EXPECT_EQ(store.actor_for(header("s3cret")), "default");
  // The request's token is not trimmed.
  EXPECT_EQ(store.actor_for(header(" s3cret")), std::nullopt);
}

TEST(TokenStore, BlankSingleTokenCountsAsUnset) {
  TokenStore store = TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "   "}}));
  EXPECT_TRUE(store.empty());
}

TEST(TokenStore, InlineJsonTokens) {
  TokenStore store = TokenStore::from_env(
      map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"team-02":"b"," team-01 ":" a "})"}}));
  EXPECT_EQ(store.actors(), (std::vector<std::string>{"team-01", "team-02"}));
  EXPECT_EQ(store.source(), "json");
  EXPECT_EQ(store.actor_for(header("a")), "team-01");
  EXPECT_EQ(store.actor_for(header("b")), "team-02");
}

TEST(TokenStore, SingleTokenIsUnitedWithJsonSortedByActor) {
  TokenStore store = TokenStore::from_env(
      map_env({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "legacy"},
               {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"team-02":"b","team-01":"a"})"}}));
  EXPECT_EQ(store.actors(), (std::vector<std::string>{"default", "team-01", "team-02"}));
  EXPECT_EQ(store.source(), "env+json");
  EXPECT_EQ(store.actor_for(header("legacy")), "default");
  EXPECT_EQ(store.actor_for(header("a")), "team-01");
}

TEST(TokenStore, FileWinsOverJsonAndUnitesWithSingleToken) {
  ScratchDir dir;
  auto file = dir.write("tokens.json", R"({"team-01":"from-file"})");
  TokenStore store = TokenStore::from_env(
      map_env({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "legacy"},
               {"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", file.string()},
               {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"team-09":"from-json"})"}}));
  EXPECT_EQ(store.actors(), (std::vector<std::string>{"default", "team-01"}));
  EXPECT_EQ(store.source(), "env+file:" + file.string());
  EXPECT_EQ(store.actor_for(header("from-file")), "team-01");
  EXPECT_EQ(store.actor_for(header("from-json")), std::nullopt);
}

TEST(TokenStore, BlankFileVariableFallsBackToJson) {
  TokenStore store =
      TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", " "},
                                    {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", R"({"a":"t"})"}}));
  EXPECT_EQ(store.actors(), std::vector<std::string>{"a"});
}

TEST(TokenStore, ValidationMessages) {
  auto load = [](std::string json) {
    return thrown([&] {
      TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKEN", "legacy"},
                                    {"OMNIGRAPH_SERVER_BEARER_TOKENS_JSON", json}}));
    });
  };
  auto blank_actor = load(R"({"  ":"t"})");
  ASSERT_TRUE(blank_actor);
  EXPECT_EQ(blank_actor->code, ErrorCode::kBadRequest);
  EXPECT_EQ(blank_actor->message, "bearer token actor names must not be blank");
  EXPECT_EQ(load(R"({"ops":"  "})")->message, "bearer token for actor 'ops' must not be blank");
  EXPECT_EQ(load(R"({"default":"other"})")->message, "duplicate bearer token actor 'default'");
  EXPECT_EQ(load(R"({"ops":"x"," ops":"y"})")->message, "duplicate bearer token actor 'ops'");
  EXPECT_EQ(load(R"({"ops":"legacy"})")->message, "duplicate bearer token value configured");
  EXPECT_EQ(load(R"({"ops":" legacy "})")->message, "duplicate bearer token value configured");
  const std::string shape =
      "OMNIGRAPH_SERVER_BEARER_TOKENS_JSON must be a JSON object of actor->token";
  EXPECT_EQ(load("not json")->message, shape);
  EXPECT_EQ(load(R"(["a","b"])")->message, shape);
  EXPECT_EQ(load(R"({"ops":7})")->message, shape);
}

TEST(TokenStore, FileErrorsNameThePath) {
  ScratchDir dir;
  auto missing = (dir.path() / "absent.json").string();
  auto read_error = thrown([&] {
    TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", missing}}));
  });
  ASSERT_TRUE(read_error);
  EXPECT_EQ(read_error->code, ErrorCode::kBadRequest);
  EXPECT_EQ(read_error->message.rfind("failed to read bearer tokens file at " + missing, 0), 0u);

  auto bad = dir.write("bad.json", "[1]");
  auto parse_error = thrown([&] {
    TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_FILE", bad.string()}}));
  });
  ASSERT_TRUE(parse_error);
  EXPECT_EQ(parse_error->message,
            "failed to parse bearer tokens file at " + bad.string() +
                ": OMNIGRAPH_SERVER_BEARER_TOKENS_JSON must be a JSON object of actor->token");
}

TEST(TokenStore, AwsSecretIsRefusedInThisBuild) {
  auto error = thrown([] {
    TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET", "prod/tokens"},
                                  {"OMNIGRAPH_SERVER_BEARER_TOKEN", "ignored"}}));
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kBadRequest);
  EXPECT_NE(error->message.find("OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET"), std::string::npos);
  EXPECT_NE(error->message.find("--features aws"), std::string::npos);
  // Blank is unset.
  TokenStore store =
      TokenStore::from_env(map_env({{"OMNIGRAPH_SERVER_BEARER_TOKENS_AWS_SECRET", "  "},
                                    {"OMNIGRAPH_SERVER_BEARER_TOKEN", "t"}}));
  EXPECT_EQ(store.size(), 1u);
}

TEST(TokenStore, HeaderMustCarryTheExactBearerPrefix) {
  TokenStore store = TokenStore::from_pairs({{"ops", "tok"}});
  std::string actor;
  EXPECT_EQ(store.check(std::nullopt), TokenCheck::kMissing);
  EXPECT_EQ(store.check("tok"), TokenCheck::kMissing);
  EXPECT_EQ(store.check("bearer tok"), TokenCheck::kMissing);
  EXPECT_EQ(store.check("BEARER tok"), TokenCheck::kMissing);
  EXPECT_EQ(store.check("Bearer"), TokenCheck::kMissing);
  EXPECT_EQ(store.check("Basic dG9rOg=="), TokenCheck::kMissing);
  EXPECT_EQ(store.check("Bearer t\xc3\xa9"), TokenCheck::kMissing);  // not visible ASCII
  EXPECT_EQ(store.check("Bearer tok\x01"), TokenCheck::kMissing);
  EXPECT_EQ(store.check("Bearer "), TokenCheck::kInvalid);
  EXPECT_EQ(store.check("Bearer  tok"), TokenCheck::kInvalid);  // remainder not trimmed
  EXPECT_EQ(store.check("Bearer tok "), TokenCheck::kInvalid);
  EXPECT_EQ(store.check("Bearer TOK"), TokenCheck::kInvalid);
  EXPECT_EQ(store.check("Bearer tok", &actor), TokenCheck::kValid);
  EXPECT_EQ(actor, "ops");
}

TEST(TokenStore, EveryConfiguredTokenResolvesToItsActor) {
  TokenStore store = TokenStore::from_pairs({{"b", "tok-b"}, {"a", "tok-a"}, {"c", "tok-c"}});
  EXPECT_EQ(store.actor_for(header("tok-a")), "a");
  EXPECT_EQ(store.actor_for(header("tok-b")), "b");
  EXPECT_EQ(store.actor_for(header("tok-c")), "c");
  EXPECT_EQ(store.actor_for(header("tok-d")), std::nullopt);
}

}  // namespace
}  // namespace omnigraph::server::auth
