// POST /schema/apply now that schema evolution is real (http-contract §1.9):
// the success shape with its exact step JSON, soft vs hard drops, the
// unsupported-plan 400, the empty diff, GET /schema afterwards, and our
// difference: an apply is allowed while other branches exist.
#include <string>

#include "http_test_util.h"

namespace omnigraph::http_test {
namespace {

// The fixture schema without Person.age.
std::string without_age() {
  std::string schema = kSchema;
  const std::string line = "    age: I32?\n";
  schema.erase(schema.find(line), line.size());
  return schema;
}

std::string with_nickname() {
  std::string schema = kSchema;
  std::string anchor = "    age: I32?\n";
  schema.insert(schema.find(anchor) + anchor.size(), "    nickname: String?\n");
  return schema;
}

std::string apply_body(const std::string& schema, bool allow_data_loss) {
  return "{\"schema_source\":" + jstr(schema) +
         ",\"allow_data_loss\":" + (allow_data_loss ? "true" : "false") + "}";
}

class SchemaApply : public ::testing::Test {
 protected:
  void SetUp() override {
    graph_ = make_fixture_graph(dir_.path());
    server_ = std::make_unique<ServerProcess>(
        std::vector<std::string>{graph_.string(), "--unauthenticated"},
        std::map<std::string, std::string>{}, dir_.path());
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
  }
  HttpResult get(const std::string& target) { return http_call(server_->port(), "GET", target); }
  HttpResult post(const std::string& target, const std::string& body) {
    return http_call(server_->port(), "POST", target, body);
  }
  uint64_t head_manifest_version() {
    auto r = get("/snapshot");
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.json()["manifest_version"].GetUint64();
  }

  TempDir dir_;
  fs::path graph_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(SchemaApply, DropWithoutFlagIsSoftWithTheExactShape) {
  uint64_t before = head_manifest_version();
  auto r = post("/schema/apply", apply_body(without_age(), false));
  ASSERT_EQ(r.status, 200u) << r.body;
  uint64_t after = head_manifest_version();
  EXPECT_GT(after, before);
  // The contract's fields in its order, plus our two additions (`branch`,
  // `graph_commit_id`; docs/compatibility.md): the commit the apply published.
  std::string commit_id = r.json()["graph_commit_id"].GetString();
  EXPECT_EQ(commit_id.size(), 26u);
  EXPECT_EQ(r.body, "{\"uri\":" + jstr(graph_.string()) +
                        ",\"branch\":\"main\",\"supported\":true,\"applied\":true,\"step_count\":1,"
                        "\"manifest_version\":" +
                        std::to_string(after) + ",\"graph_commit_id\":\"" + commit_id +
                        "\",\"steps\":[{\"kind\":\"drop_property\",\"type_kind\":\"node\","
                        "\"type_name\":\"Person\",\"property_name\":\"age\",\"mode\":\"soft\"}]}");
  // GET /schema serves the applied source.
  auto schema = get("/schema");
  ASSERT_EQ(schema.status, 200u);
  EXPECT_EQ(std::string(schema.json()["schema_source"].GetString()), without_age());
  // The property is gone from queries on the head.
  auto read =
      post("/read", read_body("query q() { match { $p: Person } return { $p.age } }", "", ""));
  EXPECT_EQ(read.status, 400u) << read.body;
}

TEST_F(SchemaApply, DropWithAllowDataLossIsHard) {
  auto r = post("/schema/apply", apply_body(without_age(), true));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = r.json();
  ASSERT_EQ(doc["steps"].Size(), 1u);
  EXPECT_STREQ(doc["steps"][0]["kind"].GetString(), "drop_property");
  EXPECT_STREQ(doc["steps"][0]["mode"].GetString(), "hard");
}

TEST_F(SchemaApply, AdditivePropertyKeepsRowsAndReportsThePropertyType) {
  auto r = post("/schema/apply", apply_body(with_nickname(), false));
  ASSERT_EQ(r.status, 200u) << r.body;
  auto doc = r.json();
  EXPECT_TRUE(doc["applied"].GetBool());
  EXPECT_EQ(doc["step_count"].GetUint64(), 1u);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc["steps"].Accept(writer);
  EXPECT_STREQ(buffer.GetString(),
               R"([{"kind":"add_property","type_kind":"node","type_name":"Person",)"
               R"("property_name":"nickname","property_type":{"scalar":"String","nullable":true,)"
               R"("list":false,"enum_values":null}}])");
  auto people = post("/read", read_body(kAllPeople, "", ""));
  ASSERT_EQ(people.status, 200u) << people.body;
  EXPECT_EQ(people.json()["row_count"].GetUint64(), 4u);
  EXPECT_EQ(std::string(get("/schema").json()["schema_source"].GetString()), with_nickname());
}

TEST_F(SchemaApply, EmptyDiffIsNotApplied) {
  uint64_t before = head_manifest_version();
  auto r = post("/schema/apply", apply_body(kSchema, false));
  ASSERT_EQ(r.status, 200u) << r.body;
  std::string commit_id = r.json()["graph_commit_id"].GetString();
  EXPECT_EQ(commit_id.size(), 26u);  // the unchanged head's commit
  EXPECT_EQ(r.body,
            "{\"uri\":" + jstr(graph_.string()) +
                ",\"branch\":\"main\",\"supported\":true,\"applied\":false,\"step_count\":0,"
                "\"manifest_version\":" +
                std::to_string(before) + ",\"graph_commit_id\":\"" + commit_id +
                "\",\"steps\":[]}");
  EXPECT_EQ(head_manifest_version(), before);
}

TEST_F(SchemaApply, UnsupportedPlanIs400WithTheLintCode) {
  std::string schema = kSchema;
  std::string from = "age: I32?";
  schema.replace(schema.find(from), from.size(), "age: I64?");
  uint64_t before = head_manifest_version();
  auto r = post("/schema/apply", apply_body(schema, false));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.body,
            R"({"error":"[OG-MF-106] changing property type for 'Person.age' is not supported in )"
            R"(schema migration v1","code":"bad_request"})");
  EXPECT_EQ(head_manifest_version(), before);
  EXPECT_EQ(std::string(get("/schema").json()["schema_source"].GetString()), kSchema);
}

// The reference answers 409 while any non-main branch exists; here the apply
// is one commit on main and the other branch keeps its own schema.
TEST_F(SchemaApply, AppliesWhileOtherBranchesExist) {
  ASSERT_EQ(post("/branches", R"({"name":"feature"})").status, 200u);
  auto r = post("/schema/apply", apply_body(with_nickname(), false));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json()["applied"].GetBool());
  // main sees nickname; feature still has the schema it was branched with.
  const char* nickname_query = "query q() { match { $p: Person } return { $p.nickname } }";
  EXPECT_EQ(post("/read", read_body(nickname_query, "", "")).status, 200u);
  auto on_feature = post("/read", read_body(nickname_query, "", "", R"(,"branch":"feature")"));
  EXPECT_EQ(on_feature.status, 400u) << on_feature.body;
  auto branches = get("/branches");
  EXPECT_EQ(branches.body, R"({"branches":["feature","main"]})");
}

}  // namespace
}  // namespace omnigraph::http_test
