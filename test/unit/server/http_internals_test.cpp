// The HTTP layer's internals, which the black-box suite only sees through
// responses: route matching (flat and /graphs/{id} paths, 404 vs 405,
// trailing slashes, percent-decoded parameters), JSON body errors naming
// their field, the content-type check, and the ErrorCode -> status/code
// mapping (http-contract §3.2/§3.3) — including a manifest conflict produced
// deterministically by two writers racing through the engine.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

#include "common/error.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"
#include "server/http/error_output.h"
#include "server/http/json_body.h"
#include "server/http/route_table.h"

namespace omnigraph::server::http {
namespace {

using Kind = RouteMatch::Kind;

TEST(Router, FlatPathsInSingleMode) {
  Router router(false);
  auto read = router.match("POST", "/read");
  ASSERT_EQ(read.kind, Kind::kFound);
  EXPECT_EQ(read.route->id, RouteId::kRead);
  EXPECT_FALSE(read.graph_id);
  EXPECT_EQ(router.match("GET", "/healthz").route->id, RouteId::kHealth);
  EXPECT_EQ(router.match("POST", "/schema/apply").route->id, RouteId::kSchemaApply);
  EXPECT_EQ(router.match("GET", "/graphs").route->id, RouteId::kGraphList);
  // Graph routes are not nested in single mode.
  EXPECT_EQ(router.match("POST", "/graphs/g/read").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/nope").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "healthz").kind, Kind::kNotFound);
}

TEST(Router, NestedPathsInMultiMode) {
  Router router(true);
  auto read = router.match("POST", "/graphs/people/read");
  ASSERT_EQ(read.kind, Kind::kFound);
  EXPECT_EQ(read.route->id, RouteId::kRead);
  EXPECT_EQ(read.graph_id, "people");
  auto show = router.match("GET", "/graphs/people/commits/01ARZ3NDEKTSV4RRFFQ69G5FAV");
  ASSERT_EQ(show.kind, Kind::kFound);
  EXPECT_EQ(show.route->id, RouteId::kCommitShow);
  EXPECT_EQ(show.params.at("commit_id"), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  // Flat graph routes do not exist in multi mode; global and management
  // routes are not nested.
  EXPECT_EQ(router.match("POST", "/read").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/graphs/people/healthz").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/healthz").route->id, RouteId::kHealth);
  EXPECT_EQ(router.match("POST", "/graphs").route->id, RouteId::kGraphCreate);
  // The graph id is passed raw (validated later, like the reference).
  EXPECT_EQ(router.match("GET", "/graphs/Bad%20Id/schema").graph_id, "Bad%20Id");
}

TEST(Router, WrongMethodIs405WithTheAllowedMethods) {
  Router router(false);
  auto branches = router.match("PUT", "/branches");
  EXPECT_EQ(branches.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(branches.allow, "GET, POST");
  EXPECT_EQ(router.match("DELETE", "/read").allow, "POST");
  EXPECT_EQ(router.match("POST", "/healthz").allow, "GET");
  auto commit = router.match("POST", "/commits/abc");
  EXPECT_EQ(commit.kind, Kind::kMethodNotAllowed);
  EXPECT_EQ(commit.allow, "GET");
  // A static path of another method still reaches a parameterised route.
  auto merge_branch = router.match("DELETE", "/branches/merge");
  ASSERT_EQ(merge_branch.kind, Kind::kFound);
  EXPECT_EQ(merge_branch.route->id, RouteId::kBranchDelete);
  EXPECT_EQ(merge_branch.params.at("branch"), "merge");
  EXPECT_EQ(router.match("POST", "/branches/merge").route->id, RouteId::kBranchMerge);
}

TEST(Router, TrailingSlashesAndEmptySegmentsDoNotMatch) {
  Router router(false);
  EXPECT_EQ(router.match("GET", "/healthz/").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("POST", "/read/").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "//healthz").kind, Kind::kNotFound);
  // An empty parameter is no parameter.
  EXPECT_EQ(router.match("DELETE", "/branches/").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("DELETE", "/branches/feature/").kind, Kind::kNotFound);
  Router multi(true);
  EXPECT_EQ(multi.match("POST", "/graphs//read").kind, Kind::kNotFound);
}

TEST(Router, BranchNamesArePercentDecoded) {
  Router router(false);
  auto slash = router.match("DELETE", "/branches/feature%2Fx");
  ASSERT_EQ(slash.kind, Kind::kFound);
  EXPECT_EQ(slash.params.at("branch"), "feature/x");
  EXPECT_EQ(router.match("DELETE", "/branches/caf%C3%A9").params.at("branch"), "café");
  // '+' is a literal in a path segment.
  EXPECT_EQ(router.match("DELETE", "/branches/a+b").params.at("branch"), "a+b");
  // A bad escape or non-UTF-8 result matches nothing.
  EXPECT_EQ(router.match("DELETE", "/branches/bad%zz").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("DELETE", "/branches/bad%2").kind, Kind::kNotFound);
  EXPECT_EQ(router.match("DELETE", "/branches/%FF").kind, Kind::kNotFound);
}

TEST(PercentDecoding, QueryStrings) {
  auto query = parse_query("branch=feature%2Fx&a=b+c&&branch=second&flag");
  EXPECT_EQ(query.at("branch"), "feature/x");  // first occurrence wins
  EXPECT_EQ(query.at("a"), "b c");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.size(), 3u);
  try {
    parse_query("branch=%G1");
    FAIL() << "expected a bad request";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_STREQ(e.what(), "invalid query string: bad percent-encoding or non-UTF-8 text");
  }
}

// The message of the Error that `fn` throws (fails when it throws none).
template <typename Fn>
std::string bad_request_message(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.what();
  }
  ADD_FAILURE() << "nothing thrown";
  return "";
}

TEST(JsonBodyErrors, MalformedAndNonObjectBodies) {
  EXPECT_EQ(bad_request_message([] { JsonBody::parse(""); }).rfind("malformed JSON body: ", 0), 0u);
  EXPECT_NE(bad_request_message([] { JsonBody::parse("{\"a\": }"); }).find("(at byte 6)"),
            std::string::npos);
  EXPECT_EQ(bad_request_message([] { JsonBody::parse("[1]"); }),
            "invalid request body: expected a JSON object");
  EXPECT_EQ(bad_request_message([] { JsonBody::parse(R"({"query_source": "\udc00"})"); }),
            "malformed JSON body: The surrogate pair in string is invalid. (at byte 18)");
  EXPECT_EQ(bad_request_message([] { JsonBody::parse("\"x\""); }),
            "invalid request body: expected a JSON object");
}

TEST(JsonBodyErrors, EveryProblemNamesItsField) {
  JsonBody body = JsonBody::parse(
      R"({"query_source": 42, "flag": "yes", "names": ["a", 1], "params": [1], "obj": 3,
          "schema": {"source": 7}, "nothing": null, "ok": "fine", "yes": true})");
  EXPECT_EQ(bad_request_message([&] { body.required_string("query_source"); }),
            "invalid request body: field 'query_source' must be a string");
  EXPECT_EQ(bad_request_message([&] { body.required_string("missing"); }),
            "invalid request body: field 'missing' is required");
  EXPECT_EQ(bad_request_message([&] { body.required_string("nothing"); }),
            "invalid request body: field 'nothing' is required");
  EXPECT_EQ(bad_request_message([&] { body.optional_bool("flag", false); }),
            "invalid request body: field 'flag' must be a boolean");
  EXPECT_EQ(bad_request_message([&] { body.string_array("names"); }),
            "invalid request body: field 'names' must be an array of strings");
  EXPECT_EQ(bad_request_message([&] { body.params_json("params"); }),
            "params must be a JSON object");
  EXPECT_EQ(bad_request_message([&] { body.optional_object("obj"); }),
            "invalid request body: field 'obj' must be an object");
  EXPECT_EQ(bad_request_message([&] { body.required_object("absent"); }),
            "invalid request body: field 'absent' is required");
  EXPECT_EQ(bad_request_message([&] {
              JsonBody::string_member(*body.required_object("schema"), "source", "schema", true);
            }),
            "invalid request body: field 'schema.source' must be a string");
  // What is well-typed comes through; absent and null are defaults.
  EXPECT_EQ(body.required_string("ok"), "fine");
  EXPECT_TRUE(body.optional_bool("yes", false));
  EXPECT_TRUE(body.optional_bool("missing", true));
  EXPECT_EQ(body.optional_string("nothing"), std::nullopt);
  EXPECT_TRUE(body.string_array("nothing").empty());
  EXPECT_EQ(body.params_json("nothing"), "");
  EXPECT_EQ(body.optional_object("nothing"), nullptr);
}

TEST(JsonBodyErrors, ContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("Application/JSON"));
  EXPECT_TRUE(is_json_content_type("application/vnd.api+json"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
  EXPECT_FALSE(is_json_content_type(""));
}

TEST(ErrorMapping, EveryCodeHasTheContractStatusAndName) {
  struct Row {
    ErrorCode code;
    unsigned status;
    const char* name;
  };
  const Row rows[] = {
      {ErrorCode::kBadRequest, 400, "bad_request"},
      {ErrorCode::kUnauthorized, 401, "unauthorized"},
      {ErrorCode::kForbidden, 403, "forbidden"},
      {ErrorCode::kNotFound, 404, "not_found"},
      {ErrorCode::kConflict, 409, "conflict"},
      {ErrorCode::kTooManyRequests, 429, "too_many_requests"},
      {ErrorCode::kInternal, 500, "internal"},
  };
  for (const Row& row : rows) {
    Response response = error_response(Error(row.code, "boom \"quoted\""));
    EXPECT_EQ(response.status, row.status) << row.name;
    EXPECT_EQ(response.content_type, "application/json");
    EXPECT_EQ(response.body,
              std::string(R"({"error":"boom \"quoted\"","code":")") + row.name + "\"}");
    bool retry_after = false;
    for (const auto& [name, value] : response.headers) {
      if (name == "Retry-After") {
        retry_after = true;
        EXPECT_EQ(value, "60");
      }
    }
    EXPECT_EQ(retry_after, row.code == ErrorCode::kTooManyRequests) << row.name;
  }
  // Statuses no code implies keep the closest code in the body (§3.2).
  Response drift = error_response(503, ErrorCode::kConflict, "drift");
  EXPECT_EQ(drift.status, 503u);
  EXPECT_EQ(drift.body, R"({"error":"drift","code":"conflict"})");
  Response not_allowed = error_response(405, ErrorCode::kBadRequest, "no");
  EXPECT_EQ(not_allowed.status, 405u);
  EXPECT_EQ(not_allowed.body, R"({"error":"no","code":"bad_request"})");
}

TEST(ErrorMapping, MergeConflictsAreListedInOrder) {
  Error error(ErrorCode::kConflict, "merge conflicts: node:Person:Alice (divergent_update)");
  error.with_merge_conflicts({{"node:Person", "Alice", "divergent_update", "both changed"},
                              {"edge:Knows", std::nullopt, "orphan_edge", "gone"}});
  EXPECT_EQ(
      error_output_json(error),
      R"x({"error":"merge conflicts: node:Person:Alice (divergent_update)","code":"conflict",)x"
      R"x("merge_conflicts":[{"table_key":"node:Person","row_id":"Alice",)x"
      R"x("kind":"divergent_update","message":"both changed"},)x"
      R"x({"table_key":"edge:Knows","row_id":null,"kind":"orphan_edge","message":"gone"}]})x");
}

constexpr const char* kSchema = R"(node Person {
    name: String @key
    age: I32?
}
)";

// Two writers read the same head; the hook in the second one's publish
// commits the first, so the second is rebased onto a head where its row
// changed: a deterministic manifest conflict, mapped to the contract's 409.
TEST(ErrorMapping, RacingWritersOfOneRowGetTheContract409) {
  auto graph = Graph::init_in_memory(kSchema);
  auto change = [&](const std::string& query) {
    ChangeRequest request;
    request.query_source = query;
    return graph->change(request);
  };
  change(R"(query q() { insert Person { name: "Alice", age: 30 } })");
  Graph::Impl& impl = GraphInternals::impl(*graph);
  bool fired = false;
  {
    std::lock_guard lock(impl.mutex);
    impl.before_publish_hook = [&] {
      if (fired) return;
      fired = true;
      change(R"(query q() { update Person set { age: 31 } where name = "Alice" })");
    };
  }
  std::optional<Error> error;
  try {
    change(R"(query q() { update Person set { age: 32 } where name = "Alice" })");
  } catch (const Error& e) {
    error = e;
  }
  {
    std::lock_guard lock(impl.mutex);
    impl.before_publish_hook = nullptr;
  }
  ASSERT_TRUE(fired);
  ASSERT_TRUE(error);
  ASSERT_TRUE(error->manifest_conflict());
  uint64_t expected = error->manifest_conflict()->expected;
  uint64_t actual = error->manifest_conflict()->actual;
  EXPECT_GT(actual, expected);
  Response response = error_response(*error);
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body,
            "{\"error\":\"stale view of 'node:Person': expected manifest table "
            "version " +
                std::to_string(expected) + " but current is " + std::to_string(actual) +
                " — refresh and retry\",\"code\":\"conflict\","
                "\"manifest_conflict\":{\"table_key\":\"node:Person\",\"expected\":" +
                std::to_string(expected) + ",\"actual\":" + std::to_string(actual) + "}}");
}

}  // namespace
}  // namespace omnigraph::server::http
