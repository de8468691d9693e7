#include "engine/exporter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "common/error.h"
#include "engine/loader.h"
#include "store/store.h"

namespace omnigraph::engine {
namespace {

constexpr const char* kSchema = R"(
node Thing {
  name: String @key
  flag: Bool?
  small: I32?
  big: I64?
  u: U32?
  ul: U64?
  f: F32?
  d: F64?
  day: Date?
  at: DateTime?
  data: Blob?
  tags: [String]?
  nums: [I32]?
  days: [Date]?
  emb: Vector(2)?
  mood: enum(happy, sad)?
}
node Plain {
  text: String @index
}
edge Link: Thing -> Thing {
  weight: F64?
}
edge Ref: Plain -> Thing
)";

class ExporterTest : public ::testing::Test {
 protected:
  ExporterTest()
      : store_(store::open_memory_store()),
        nodes_(*store_.chunks),
        catalog_(std::make_shared<const compiler::Catalog>(compiler::compile_schema(kSchema))),
        thing_(*catalog_->find_node_type("Thing")) {}

  GraphRoot load(const GraphRoot& base, const std::string& text,
                 LoadMode mode = LoadMode::kOverwrite) {
    GraphWriter writer(catalog_, base, nodes_);
    std::istringstream in(text);
    load_jsonl(writer, in, mode);
    return writer.finish("main");
  }
  GraphRoot load(const std::string& text) { return load(GraphRoot{}, text); }

  std::string export_text(const GraphRoot& root, const ExportFilter& filter = {},
                          uint64_t* lines = nullptr) {
    std::ostringstream out;
    uint64_t written = export_jsonl(GraphView(catalog_, root, nodes_), out, filter);
    if (lines != nullptr) *lines = written;
    return out.str();
  }

  // The Error export throws (with the output it wrote before that).
  Error export_error(const GraphRoot& root, const ExportFilter& filter, std::string* written) {
    std::ostringstream out;
    try {
      export_jsonl(GraphView(catalog_, root, nodes_), out, filter);
    } catch (const Error& error) {
      *written = out.str();
      return error;
    }
    ADD_FAILURE() << "export did not fail";
    return Error(ErrorCode::kInternal, "");
  }

  store::Store store_;
  prolly::NodeStore nodes_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  const compiler::NodeType& thing_;
};

constexpr const char* kGraph = R"({"type":"Thing","data":{"name":"b"}}
{"type":"Thing","data":{"name":"a","flag":true,"small":3,"big":-5,"u":7,"ul":18446744073709551615,"f":0.5,"d":1.25,"day":"2024-01-02","at":"2024-01-15T10:30:00.500Z","data":"base64:SGVsbG8=","tags":["x","y"],"nums":[1,null,3],"days":["1970-01-02"],"emb":[0.5,1],"mood":"sad"}}
{"type":"Plain","data":{"id":"p1","text":"hello"}}
{"edge":"Link","from":"a","to":"b","data":{"id":"L2","weight":0.25}}
{"edge":"Link","from":"b","to":"a","data":{"id":"L1"}}
{"edge":"Ref","from":"p1","to":"a","data":{"id":"R1"}}
)";

TEST_F(ExporterTest, WritesEdgeTablesFirstRowsByIdAndEveryPropertyByName) {
  uint64_t lines = 0;
  std::string text = export_text(load(kGraph), {}, &lines);
  EXPECT_EQ(text,
            R"({"edge":"Link","from":"b","to":"a","data":{"id":"L1","weight":null}}
{"edge":"Link","from":"a","to":"b","data":{"id":"L2","weight":0.25}}
{"edge":"Ref","from":"p1","to":"a","data":{"id":"R1"}}
{"type":"Plain","data":{"id":"p1","text":"hello"}}
{"type":"Thing","data":{"id":"a","at":"2024-01-15T10:30:00.500","big":-5,"d":1.25,"data":"base64:SGVsbG8=","day":19724,"days":[1],"emb":[0.5,1.0],"f":0.5,"flag":true,"mood":"sad","name":"a","nums":[1,null,3],"small":3,"tags":["x","y"],"u":7,"ul":18446744073709551615}}
{"type":"Thing","data":{"id":"b","at":null,"big":null,"d":null,"data":null,"day":null,"days":null,"emb":null,"f":null,"flag":null,"mood":null,"name":"b","nums":null,"small":null,"tags":null,"u":null,"ul":null}}
)");
  EXPECT_EQ(lines, 6u);
}

TEST_F(ExporterTest, EncodesDateTimesLikeTheReference) {
  GraphRoot root = load(R"({"type":"Thing","data":{"name":"a","at":"2024-01-15T10:30:00Z"}}
{"type":"Thing","data":{"name":"b","at":-1}}
{"type":"Thing","data":{"name":"c","at":"2024-02-29T23:59:59.001+01:00"}}
{"type":"Thing","data":{"name":"d","data":"s3://bucket/key"}}
)");
  std::string text = export_text(root);
  EXPECT_NE(text.find(R"("id":"a","at":"2024-01-15T10:30:00",)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("id":"b","at":"1969-12-31T23:59:59.999",)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("id":"c","at":"2024-02-29T22:59:59.001",)"), std::string::npos) << text;
  // A URI blob is written as the URI itself.
  EXPECT_NE(text.find(R"("data":"s3://bucket/key")"), std::string::npos) << text;
}

TEST_F(ExporterTest, NonFiniteFloatsAreAnError) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  Row row;
  row.set(thing_.find_property("name")->id, Value::string("a"));
  row.set(thing_.find_property("d")->id, Value::floating(std::nan("")));
  writer.put_nodes(thing_, {{"a", row}});
  std::string written;
  Error error = export_error(writer.finish("main"), {}, &written);
  EXPECT_EQ(std::string(error.what()), "cannot encode f64 value 'NaN' as JSON");

  GraphWriter writer2(catalog_, GraphRoot{}, nodes_);
  Row row2;
  row2.set(thing_.find_property("name")->id, Value::string("a"));
  row2.set(thing_.find_property("f")->id, Value::floating(std::numeric_limits<double>::infinity()));
  writer2.put_nodes(thing_, {{"a", row2}});
  error = export_error(writer2.finish("main"), {}, &written);
  EXPECT_EQ(std::string(error.what()), "cannot encode f32 value 'inf' as JSON");
}

TEST_F(ExporterTest, FiltersByTypeAndTable) {
  GraphRoot root = load(kGraph);
  auto keys_of = [](const std::string& text) {
    std::vector<std::string> keys;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      keys.push_back(line.substr(0, line.find(',')));
    }
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
  };
  EXPECT_EQ(keys_of(export_text(root, {{"Thing"}, {}})),
            (std::vector<std::string>{R"({"type":"Thing")"}));
  EXPECT_EQ(keys_of(export_text(root, {{"Link"}, {}})),
            (std::vector<std::string>{R"({"edge":"Link")"}));
  EXPECT_EQ(keys_of(export_text(root, {{}, {"node:Plain"}})),
            (std::vector<std::string>{R"({"type":"Plain")"}));
  // The union of both filters, still in table-key order.
  EXPECT_EQ(keys_of(export_text(root, {{"Thing"}, {"edge:Ref", "node:Thing"}})),
            (std::vector<std::string>{R"({"edge":"Ref")", R"({"type":"Thing")"}));
}

TEST_F(ExporterTest, UnknownFiltersFailBeforeWritingAnything) {
  GraphRoot root = load(kGraph);
  std::string written = "untouched";
  Error error = export_error(root, {{"Thing", "Nope"}, {}}, &written);
  EXPECT_EQ(error.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(std::string(error.what()), "unknown export type 'Nope'");
  EXPECT_EQ(written, "");
  error = export_error(root, {{}, {"node:Thing", "node:Nope"}}, &written);
  EXPECT_EQ(error.code(), ErrorCode::kBadRequest);
  EXPECT_EQ(std::string(error.what()), "unknown export table 'node:Nope'");
  EXPECT_EQ(written, "");
  // Table keys are exact.
  error = export_error(root, {{}, {"Thing"}}, &written);
  EXPECT_EQ(std::string(error.what()), "unknown export table 'Thing'");
}

TEST_F(ExporterTest, EmptyGraphExportsNothing) {
  uint64_t lines = 7;
  EXPECT_EQ(export_text(load(""), {}, &lines), "");
  EXPECT_EQ(lines, 0u);
}

TEST_F(ExporterTest, RoundTripsThroughAnOverwriteLoad) {
  // Generated ids (unkeyed nodes, edges without data.id) and enough rows to
  // span several output chunks.
  std::string text = kGraph;
  for (int i = 0; i < 3000; ++i) {
    std::string n = std::to_string(i);
    text += R"({"type":"Thing","data":{"name":"t)" + n + R"(","small":)" + n + R"(,"f":0.1,"d":)" +
            n + R"(.5,"at":)" + std::to_string(i * 1000003LL) +
            R"(,"emb":[0.1,0.2],"tags":["a\"b\\c\u00e9"]}})" + "\n";
    text += R"({"type":"Plain","data":{"text":"plain )" + n + R"("}})" + "\n";
    text += R"({"edge":"Link","from":"t)" + n + R"(","to":"a","data":{"weight":)" + n + "}}\n";
  }
  GraphRoot original = load(text);
  std::string exported = export_text(original);

  GraphRoot reloaded = load(exported);
  for (const std::string& key : catalog_->table_keys()) {
    EXPECT_TRUE(original.tables.at(key).same_content(reloaded.tables.at(key))) << key;
  }
  EXPECT_EQ(export_text(reloaded), exported);

  // Loading the export over a changed graph restores it as well.
  GraphRoot changed = load(original, R"({"type":"Thing","data":{"name":"a","small":99}}
{"type":"Plain","data":{"id":"extra","text":"x"}}
{"edge":"Ref","from":"extra","to":"b"})",
                           LoadMode::kMerge);
  GraphRoot restored = load(changed, exported);
  for (const std::string& key : catalog_->table_keys()) {
    EXPECT_TRUE(original.tables.at(key).same_content(restored.tables.at(key))) << key;
  }
}

}  // namespace
}  // namespace omnigraph::engine
