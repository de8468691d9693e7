#include "engine/loader.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/loader_state.h"
#include "engine/row_codec.h"
#include "prolly/tree.h"
#include "store/store.h"

namespace omnigraph::engine {
namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  mood: enum(happy, sad)?
  email: String? @unique
  score: F64?
  code: String?
  born: Date?
  @range(score, 0..100)
  @check(code, "^[A-Z]+$")
}
node Note {
  text: String
  rank: I64?
}
edge Knows: Person -> Person {
  since: I32?
}
edge Wrote: Person -> Note @card(0..2)
edge Owns: Person -> Note @card(2..)
edge Pair: Person -> Person {
  @unique(src)
}
)";

class LoaderTest : public ::testing::Test {
 protected:
  LoaderTest()
      : store_(store::open_memory_store()),
        nodes_(*store_.chunks),
        catalog_(std::make_shared<const compiler::Catalog>(compiler::compile_schema(kSchema))),
        person_(*catalog_->find_node_type("Person")),
        note_(*catalog_->find_node_type("Note")),
        knows_(*catalog_->find_edge_type("Knows")),
        wrote_(*catalog_->find_edge_type("Wrote")) {}

  // Loads `text` on top of `base` and returns the resulting root.
  GraphRoot load(const GraphRoot& base, const std::string& text, LoadMode mode,
                 LoadSummary* summary = nullptr) {
    GraphWriter writer(catalog_, base, nodes_);
    std::istringstream in(text);
    LoadSummary result = load_jsonl(writer, in, mode);
    if (summary != nullptr) *summary = result;
    return writer.finish("main");
  }
  GraphRoot load(const std::string& text, LoadMode mode = LoadMode::kOverwrite) {
    return load(GraphRoot{}, text, mode);
  }

  // The message of the Error(kBadRequest) the load throws ("" if none).
  std::string load_error(const GraphRoot& base, const std::string& text,
                         LoadMode mode = LoadMode::kOverwrite) {
    GraphWriter writer(catalog_, base, nodes_);
    std::istringstream in(text);
    try {
      load_jsonl(writer, in, mode);
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), ErrorCode::kBadRequest) << error.what();
      return error.what();
    }
    return "";
  }
  std::string load_error(const std::string& text, LoadMode mode = LoadMode::kOverwrite) {
    return load_error(GraphRoot{}, text, mode);
  }

  GraphView view(const GraphRoot& root) { return GraphView(catalog_, root, nodes_); }

  Value person_value(const GraphRoot& root, const std::string& id, const std::string& property) {
    auto row = view(root).node(person_, id);
    EXPECT_TRUE(row.has_value()) << id;
    if (!row) return Value::null();
    return row->get(person_.find_property(property)->id);
  }

  std::vector<std::string> node_ids(const GraphRoot& root, const compiler::NodeType& type) {
    std::vector<std::string> ids;
    view(root).scan_nodes(type, [&](std::string_view id, const Row&) {
      ids.emplace_back(id);
      return true;
    });
    return ids;
  }

  std::vector<std::pair<std::string, std::string>> edge_ends(const GraphRoot& root,
                                                             const compiler::EdgeType& type) {
    std::vector<std::pair<std::string, std::string>> ends;
    view(root).scan_edges(type, [&](std::string_view, const EdgeRecord& edge) {
      ends.emplace_back(edge.src, edge.dst);
      return true;
    });
    std::sort(ends.begin(), ends.end());
    return ends;
  }

  store::Store store_;
  prolly::NodeStore nodes_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  const compiler::NodeType& person_;
  const compiler::NodeType& note_;
  const compiler::EdgeType& knows_;
  const compiler::EdgeType& wrote_;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Makes the loader write its staged rows every `rows` rows.
class SmallBatches {
 public:
  explicit SmallBatches(size_t rows) : saved_(loader_detail::flush_rows) {
    loader_detail::flush_rows = rows;
  }
  ~SmallBatches() { loader_detail::flush_rows = saved_; }

 private:
  size_t saved_;
};

TEST(LoadModeTest, ParsesAndNamesModes) {
  EXPECT_EQ(parse_load_mode("overwrite"), LoadMode::kOverwrite);
  EXPECT_EQ(parse_load_mode("append"), LoadMode::kAppend);
  EXPECT_EQ(parse_load_mode("merge"), LoadMode::kMerge);
  EXPECT_EQ(load_mode_name(LoadMode::kOverwrite), "overwrite");
  EXPECT_EQ(load_mode_name(LoadMode::kAppend), "append");
  EXPECT_EQ(load_mode_name(LoadMode::kMerge), "merge");
  try {
    parse_load_mode("upsert");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kBadRequest);
    EXPECT_NE(std::string(error.what()).find("upsert"), std::string::npos);
  }
}

// ---- lines --------------------------------------------------------------------

TEST_F(LoaderTest, LoadsNodesWithKeyAsIdAndEveryPropertyInTheRow) {
  LoadSummary summary;
  GraphRoot root = load(GraphRoot{},
                        R"({"type":"Person","data":{"name":"Alice","age":30,"born":"2024-01-02"}}
{"type":"Person","data":{"name":"Bob","unknown":1},"extra":true}
{"type":"Note","data":{"id":"n1","text":"hello"}}
)",
                        LoadMode::kOverwrite, &summary);
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"Alice", "Bob"}));
  EXPECT_EQ(person_value(root, "Alice", "name"), Value::string("Alice"));
  EXPECT_EQ(person_value(root, "Alice", "age"), Value::integer(30));
  EXPECT_EQ(person_value(root, "Alice", "born"), Value::date(Date{19724}));
  EXPECT_TRUE(person_value(root, "Bob", "age").is_null());
  // Unknown data keys are ignored, not stored.
  EXPECT_EQ(view(root).node(person_, "Bob")->fields.size(), 1u);
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"n1"}));
  EXPECT_EQ(summary.nodes_loaded, (std::map<std::string, uint64_t>{{"Note", 1}, {"Person", 2}}));
  EXPECT_TRUE(summary.edges_loaded.empty());
}

TEST_F(LoaderTest, TrimsLinesSkipsBlankOnesAndCountsThemInLineNumbers) {
  GraphRoot root =
      load("\n   \t\r\n  {\"type\":\"Note\",\"data\":{\"id\":\"a\",\"text\":\"x\"}}  \r\n\n");
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"a"}));
  EXPECT_EQ(load_error("\n\n{\"type\":\"Nope\"}\n"), "line 3: unknown node type 'Nope'");
  // The last line needs no newline.
  root = load(R"({"type":"Note","data":{"id":"b","text":"y"}})");
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"b"}));
}

TEST_F(LoaderTest, RejectsInvalidJsonNamingTheLine) {
  std::string message = load_error("{\"type\":\"Note\",\"data\":{\"text\":\"x\"}}\n{\"type\": }\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 2: ", 0), 0u) << message;
  // `//` comments are not JSON.
  message = load_error("// comment\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 1: ", 0), 0u) << message;
  // Trailing content after the object.
  message = load_error("{\"type\":\"Note\"} x\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 1: ", 0), 0u) << message;
  // Invalid UTF-8 inside a string.
  message = load_error("{\"type\":\"Note\",\"data\":{\"text\":\"\xff\"}}\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 1: ", 0), 0u) << message;
}

// All-ASCII input is parsed without encoding validation (it cannot be
// invalid UTF-8); escapes and multi-byte text must come out the same either
// way, and bad escapes are still errors.
TEST_F(LoaderTest, ParsesEscapesAndMultiByteTextWithOrWithoutNonAsciiBytes) {
  GraphRoot root = load(R"({"type":"Note","data":{"id":"a","text":"caf\u00e9 \ud83d\ude00"}})");
  EXPECT_EQ(view(root).node(note_, "a")->fields.size(), 1u);
  const std::string escaped = "caf\xc3\xa9 \xf0\x9f\x98\x80";
  EXPECT_EQ(view(root).node(note_, "a")->get(note_.find_property("text")->id),
            Value::string(escaped));
  root = load("{\"type\":\"Note\",\"data\":{\"id\":\"b\",\"text\":\"" + escaped + "\"}}\n");
  EXPECT_EQ(view(root).node(note_, "b")->get(note_.find_property("text")->id),
            Value::string(escaped));
  std::string message = load_error(R"({"type":"Note","data":{"id":"c","text":"\ud800 lone"}})"
                                   "\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 1: ", 0), 0u) << message;
  // A lone low half is refused too (RapidJSON 1.1.0 would decode it into
  // bytes that are not UTF-8), in either kind of line.
  EXPECT_EQ(load_error(R"({"type":"Note","data":{"id":"d","text":"x\udc00"}})"
                       "\n"),
            "invalid JSON on line 1: the surrogate pair in string is invalid at line 1 column "
            "42");
  EXPECT_EQ(
      load_error("{\"type\":\"Note\",\"data\":{\"id\":\"e\",\"text\":\"\xc3\xa9\\uDFFF\"}}\n"),
      "invalid JSON on line 1: the surrogate pair in string is invalid at line 1 column "
      "43");
  // An invalid byte after an all-ASCII line is still found.
  message = load_error(
      "{\"type\":\"Note\",\"data\":{\"text\":\"x\"}}\n"
      "{\"type\":\"Note\",\"data\":{\"text\":\"\xc3\"}}\n");
  EXPECT_EQ(message.rfind("invalid JSON on line 2: ", 0), 0u) << message;
}

TEST_F(LoaderTest, RejectsUnknownTypesAndMalformedEdgeLines) {
  EXPECT_EQ(load_error("{\"type\":\"Ghost\",\"data\":{}}"), "line 1: unknown node type 'Ghost'");
  // Node type names are exact.
  EXPECT_EQ(load_error("{\"type\":\"person\",\"data\":{}}"), "line 1: unknown node type 'person'");
  EXPECT_EQ(load_error("{\"edge\":\"Ghost\",\"from\":\"a\",\"to\":\"b\"}"),
            "line 1: unknown edge type 'Ghost'");
  EXPECT_EQ(load_error("{\"edge\":\"Knows\",\"to\":\"b\"}"), "line 1: edge missing 'from'");
  EXPECT_EQ(load_error("{\"edge\":\"Knows\",\"from\":1,\"to\":\"b\"}"),
            "line 1: edge missing 'from'");
  EXPECT_EQ(load_error("{\"edge\":\"Knows\",\"from\":\"a\"}"), "line 1: edge missing 'to'");
  EXPECT_EQ(load_error("{\"edge\":\"Knows\",\"from\":\"a\",\"to\":null}"),
            "line 1: edge missing 'to'");
  EXPECT_EQ(load_error("{\"data\":{}}"), "line 1: expected 'type' or 'edge' field");
  EXPECT_EQ(load_error("[1, 2]"), "line 1: expected 'type' or 'edge' field");
  EXPECT_EQ(load_error("{\"type\":5}"), "line 1: expected 'type' or 'edge' field");
}

TEST_F(LoaderTest, ResolvesEdgeNamesCaseInsensitively) {
  LoadSummary summary;
  GraphRoot root = load(GraphRoot{}, R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}}
{"edge":"knows","from":"A","to":"B","data":{"since":2020}}
{"edge":"KNOWS","from":"B","to":"A"}
)",
                        LoadMode::kOverwrite, &summary);
  EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "B"}, {"B", "A"}}));
  EXPECT_EQ(summary.edges_loaded, (std::map<std::string, uint64_t>{{"Knows", 2}}));
}

TEST_F(LoaderTest, ALineWithTypeAndEdgeIsANode) {
  GraphRoot root = load(R"({"type":"Note","edge":"Knows","data":{"id":"n","text":"t"}})");
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"n"}));
  EXPECT_EQ(view(root).row_count("edge:Knows"), 0u);
}

TEST_F(LoaderTest, LaterDuplicateMembersWin) {
  GraphRoot root = load(R"({"type":"Ghost","type":"Person","data":{"name":"A","age":1,"age":2}})");
  EXPECT_EQ(person_value(root, "A", "age"), Value::integer(2));
}

TEST_F(LoaderTest, HandlesLinesLongerThanTheReadBuffer) {
  std::string text(3 << 20, 'x');
  std::string input = "{\"type\":\"Note\",\"data\":{\"id\":\"big\",\"text\":\"" + text + "\"}}\n" +
                      "{\"type\":\"Note\",\"data\":{\"id\":\"small\",\"text\":\"s\"}}\n";
  std::vector<uint64_t> reports;
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  std::istringstream in(input);
  load_jsonl(writer, in, LoadMode::kOverwrite, [&](uint64_t bytes) { reports.push_back(bytes); });
  auto row = writer.view().node(note_, "big");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->get(note_.find_property("text")->id), Value::string(text));
  EXPECT_TRUE(writer.view().has_node(note_, "small"));
  // Progress comes now and then while reading, and once at the end with the total.
  ASSERT_GE(reports.size(), 2u);
  EXPECT_EQ(reports.back(), input.size());
  EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
}

// ---- identity -----------------------------------------------------------------

TEST_F(LoaderTest, KeyedNodeIdentityRules) {
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"age":1}})"),
            "node Person missing @key property 'name'");
  // The key must be a JSON string.
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":5}})"),
            "node Person missing @key property 'name'");
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"id":"X","name":"Y"}})"),
            "node Person has explicit id 'X' that does not match @key property 'name' value 'Y'");
  GraphRoot root = load(R"({"type":"Person","data":{"id":"Y","name":"Y"}})");
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"Y"}));
  // A non-string id is ignored.
  root = load(R"({"type":"Person","data":{"id":7,"name":"Z"}})");
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"Z"}));
}

TEST_F(LoaderTest, UnkeyedNodesAndEdgesUseExplicitIdOrAFreshUlid) {
  GraphRoot root = load(R"({"type":"Note","data":{"id":"given","text":"a"}}
{"type":"Note","data":{"text":"b"}}
{"type":"Person","data":{"name":"A"}}
{"edge":"Wrote","from":"A","to":"given","data":{"id":"e1"}}
{"edge":"Wrote","from":"A","to":"given"}
)");
  std::vector<std::string> ids = node_ids(root, note_);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_TRUE(Ulid::is_valid(ids[0])) << ids[0];
  EXPECT_EQ(ids[1], "given");
  std::vector<std::string> edge_ids;
  view(root).scan_edges(wrote_, [&](std::string_view id, const EdgeRecord&) {
    edge_ids.emplace_back(id);
    return true;
  });
  ASSERT_EQ(edge_ids.size(), 2u);
  EXPECT_TRUE(Ulid::is_valid(edge_ids[0])) << edge_ids[0];
  EXPECT_EQ(edge_ids[1], "e1");
}

// ---- values -------------------------------------------------------------------

TEST_F(LoaderTest, NonNullablePropertiesRejectMissingAndWrongTypedValues) {
  EXPECT_EQ(load_error(R"({"type":"Note","data":{"id":"a"}})"),
            "non-nullable property 'text' has null or invalid values");
  EXPECT_EQ(load_error(R"({"type":"Note","data":{"id":"a","text":5}})"),
            "non-nullable property 'text' has null or invalid values");
  EXPECT_EQ(load_error(R"({"type":"Note","data":{"id":"a","text":null}})"),
            "non-nullable property 'text' has null or invalid values");
  // Node data may be absent or not an object: every property is then missing.
  EXPECT_EQ(load_error(R"({"type":"Note"})"),
            "non-nullable property 'text' has null or invalid values");
  EXPECT_EQ(load_error(R"({"type":"Note","data":[1]})"),
            "non-nullable property 'text' has null or invalid values");
}

TEST_F(LoaderTest, WrongTypedValuesInNullableColumnsBecomeNull) {
  GraphRoot root = load(R"({"type":"Person","data":{"name":"A","age":"old","score":true}})");
  EXPECT_TRUE(person_value(root, "A", "age").is_null());
  EXPECT_TRUE(person_value(root, "A", "score").is_null());
  // 30.0 is not an integer.
  root = load(R"({"type":"Person","data":{"name":"A","age":30.0}})");
  EXPECT_TRUE(person_value(root, "A", "age").is_null());
}

TEST_F(LoaderTest, ValueMappingErrorsPassThrough) {
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A","born":"yesterday"}})"),
            "invalid Date literal 'yesterday'");
}

TEST_F(LoaderTest, RunsValueConstraintsAndIntraBatchUniqueness) {
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A","mood":"angry"}})"),
            "invalid enum value 'angry' for Person.mood (expected: happy, sad)");
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A","score":300}})"),
            "@range violation on Person.score: value 300 > max 100");
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A","code":"abc"}})"),
            "@check violation on Person.code: value 'abc' does not match pattern '^[A-Z]+$'");
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A","email":"x@y"}}
{"type":"Note","data":{"text":"n"}}
{"type":"Person","data":{"name":"B","email":"x@y"}})"),
            "@unique violation on Person.email: value 'x@y' appears in rows 0 and 1");
}

TEST_F(LoaderTest, DuplicateKeysInOneInputAreRejectedInEveryMode) {
  const std::string input = R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"A"}})";
  for (LoadMode mode : {LoadMode::kOverwrite, LoadMode::kAppend, LoadMode::kMerge}) {
    EXPECT_EQ(load_error(input, mode),
              "@unique violation on Person.name: value 'A' appears in rows 0 and 1");
  }
}

TEST_F(LoaderTest, UniquenessSpansStagedBatches) {
  SmallBatches small(1);
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}}
{"type":"Person","data":{"name":"A"}})",
                       LoadMode::kAppend),
            "@unique violation on Person.name: value 'A' appears in rows 0 and 2");
}

TEST_F(LoaderTest, EdgeUniquenessSeesEndpoints) {
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}}
{"edge":"Pair","from":"A","to":"B"}
{"edge":"Pair","from":"A","to":"A"})"),
            "@unique violation on Pair.src: value 'A' appears in rows 0 and 1");
}

// ---- endpoints ----------------------------------------------------------------

TEST_F(LoaderTest, EdgeEndpointsMustExistAndRowsCountPerEdgeType) {
  const std::string people = R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}}
)";
  EXPECT_EQ(load_error(people + R"({"type":"Note","data":{"id":"n1","text":"x"}}
{"edge":"Wrote","from":"A","to":"n1"}
{"edge":"Knows","from":"A","to":"B"}
{"edge":"Knows","from":"A","to":"B"}
{"edge":"Knows","from":"Z","to":"B"}
)"),
            "edge Knows row 3: src 'Z' not found in Person");
  EXPECT_EQ(load_error(people + R"({"edge":"Knows","from":"A","to":"B"}
{"edge":"Knows","from":"A","to":"Y"}
)"),
            "edge Knows row 2: dst 'Y' not found in Person");
  EXPECT_EQ(load_error(people + R"({"edge":"Wrote","from":"A","to":"ghost"})"),
            "edge Wrote row 1: dst 'ghost' not found in Note");
  // Both ends missing on the first failing row: src is reported.
  EXPECT_EQ(load_error(people + R"({"edge":"Knows","from":"A","to":"B"}
{"edge":"Knows","from":"P","to":"Q"}
{"edge":"Knows","from":"R","to":"B"}
)"),
            "edge Knows row 2: src 'P' not found in Person");
  // An earlier row with only a missing dst beats a later missing src.
  EXPECT_EQ(load_error(people + R"({"edge":"Knows","from":"A","to":"Q"}
{"edge":"Knows","from":"P","to":"B"}
)"),
            "edge Knows row 1: dst 'Q' not found in Person");
  // The first row naming a missing id is the one reported, even when the
  // id repeats.
  EXPECT_EQ(load_error(people + R"({"edge":"Knows","from":"A","to":"B"}
{"edge":"Knows","from":"Q","to":"B"}
{"edge":"Knows","from":"Q","to":"A"}
)"),
            "edge Knows row 2: src 'Q' not found in Person");
}

TEST_F(LoaderTest, NodesLaterInTheInputAreVisibleToEarlierEdges) {
  GraphRoot root = load(R"({"edge":"Knows","from":"A","to":"B"}
{"type":"Person","data":{"name":"B"}}
{"type":"Person","data":{"name":"A"}}
)");
  EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "B"}}));
}

TEST_F(LoaderTest, AppendAndMergeSeeCommittedNodes) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}})");
  for (LoadMode mode : {LoadMode::kAppend, LoadMode::kMerge}) {
    GraphRoot root = load(base, R"({"edge":"Knows","from":"A","to":"C"}
{"type":"Person","data":{"name":"C"}})",
                          mode);
    EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "C"}}));
    EXPECT_EQ(load_error(base, R"({"edge":"Knows","from":"A","to":"D"})", mode),
              "edge Knows row 1: dst 'D' not found in Person");
  }
}

TEST_F(LoaderTest, OverwriteCountsCommittedNodesOnlyForTablesItDoesNotReplace) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}})");
  // Person is not in the input: its committed rows stay and count.
  GraphRoot root = load(base, R"({"edge":"Knows","from":"A","to":"B"})", LoadMode::kOverwrite);
  EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "B"}}));
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"A", "B"}));
  // Person is in the input: only its new rows exist afterwards.
  EXPECT_EQ(load_error(base, R"({"edge":"Knows","from":"A","to":"B"}
{"type":"Person","data":{"name":"A"}})",
                       LoadMode::kOverwrite),
            "edge Knows row 1: dst 'B' not found in Person");
}

// ---- modes --------------------------------------------------------------------

TEST_F(LoaderTest, OverwriteReplacesOnlyTablesInTheInput) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A","age":1}}
{"type":"Person","data":{"name":"B"}}
{"type":"Note","data":{"id":"n1","text":"x"}}
{"edge":"Knows","from":"A","to":"B"})");
  GraphRoot root = load(base, R"({"type":"Person","data":{"name":"C"}})", LoadMode::kOverwrite);
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"C"}));
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"n1"}));
  EXPECT_EQ(root.tables.at("node:Note"), base.tables.at("node:Note"));
  // Edges pointing at removed nodes are left alone (reference quirk).
  EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "B"}}));
}

TEST_F(LoaderTest, AppendAddsRowsAndADuplicateKeyReplacesTheRow) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A","age":1}}
{"type":"Note","data":{"id":"n1","text":"x"}})");
  GraphRoot root = load(base, R"({"type":"Person","data":{"name":"B"}}
{"type":"Person","data":{"name":"A","age":2}}
{"type":"Note","data":{"text":"y"}})",
                        LoadMode::kAppend);
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"A", "B"}));
  // The id is the key, so the appended row replaces the committed one.
  EXPECT_EQ(person_value(root, "A", "age"), Value::integer(2));
  EXPECT_EQ(node_ids(root, note_).size(), 2u);
}

TEST_F(LoaderTest, MergeUpsertsWholeRowsById) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A","age":1,"mood":"happy"}}
{"type":"Person","data":{"name":"B","age":5}})");
  LoadSummary summary;
  GraphRoot root = load(base, R"({"type":"Person","data":{"name":"A","age":2}}
{"type":"Person","data":{"name":"C"}})",
                        LoadMode::kMerge, &summary);
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(person_value(root, "A", "age"), Value::integer(2));
  // Whole row replaced: the missing optional field is null now.
  EXPECT_TRUE(person_value(root, "A", "mood").is_null());
  EXPECT_EQ(person_value(root, "B", "age"), Value::integer(5));
  EXPECT_EQ(summary.nodes_loaded, (std::map<std::string, uint64_t>{{"Person", 2}}));
}

// ---- @card --------------------------------------------------------------------

TEST_F(LoaderTest, CardinalityMaximumAndMinimum) {
  const std::string base_text = R"({"type":"Person","data":{"name":"A"}}
{"type":"Person","data":{"name":"B"}}
{"type":"Note","data":{"id":"n1","text":"x"}}
{"type":"Note","data":{"id":"n2","text":"x"}}
{"type":"Note","data":{"id":"n3","text":"x"}}
)";
  EXPECT_EQ(load_error(base_text + R"({"edge":"Wrote","from":"A","to":"n1"}
{"edge":"Wrote","from":"A","to":"n2"}
{"edge":"Wrote","from":"A","to":"n3"})"),
            "@card violation on edge Wrote: source 'A' has 3 edges (max 2)");
  EXPECT_EQ(load_error(base_text + R"({"edge":"Owns","from":"A","to":"n1"}
{"edge":"Owns","from":"A","to":"n2"}
{"edge":"Owns","from":"B","to":"n3"})"),
            "@card violation on edge Owns: source 'B' has 1 edges (min 2)");
  // Sources without edges never violate a minimum.
  GraphRoot root = load(base_text + R"({"edge":"Owns","from":"A","to":"n1"}
{"edge":"Owns","from":"A","to":"n2"})");
  EXPECT_EQ(view(root).row_count("edge:Owns"), 2u);
}

TEST_F(LoaderTest, CardinalityCountsCommittedAndPendingEdges) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A"}}
{"type":"Note","data":{"id":"n1","text":"x"}}
{"type":"Note","data":{"id":"n2","text":"x"}}
{"type":"Note","data":{"id":"n3","text":"x"}}
{"edge":"Wrote","from":"A","to":"n1","data":{"id":"w1"}}
{"edge":"Wrote","from":"A","to":"n2","data":{"id":"w2"}})");
  EXPECT_EQ(load_error(base, R"({"edge":"Wrote","from":"A","to":"n3"})", LoadMode::kAppend),
            "@card violation on edge Wrote: source 'A' has 3 edges (max 2)");
  // Merge dedupes by edge id: replacing w2 keeps A at two edges.
  GraphRoot root =
      load(base, R"({"edge":"Wrote","from":"A","to":"n3","data":{"id":"w2"}})", LoadMode::kMerge);
  EXPECT_EQ(edge_ends(root, wrote_), (Pairs{{"A", "n1"}, {"A", "n3"}}));
  // Overwrite counts only the rewritten table.
  root = load(base, R"({"edge":"Wrote","from":"A","to":"n3"})", LoadMode::kOverwrite);
  EXPECT_EQ(edge_ends(root, wrote_), (Pairs{{"A", "n3"}}));
}

TEST_F(LoaderTest, CardinalityOfASmallAppendIntoALargeTable) {
  // Many committed sources, one touched: only the touched one is counted.
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += "{\"type\":\"Person\",\"data\":{\"name\":\"p" + std::to_string(i) + "\"}}\n";
    text += "{\"edge\":\"Wrote\",\"from\":\"p" + std::to_string(i) + "\",\"to\":\"n\"}\n";
  }
  text += R"({"type":"Note","data":{"id":"n","text":"x"}})";
  GraphRoot base = load(text);
  GraphRoot root = load(base, R"({"edge":"Wrote","from":"p1","to":"n"})", LoadMode::kAppend);
  EXPECT_EQ(view(root).row_count("edge:Wrote"), 41u);
  EXPECT_EQ(load_error(root, R"({"edge":"Wrote","from":"p1","to":"n"})", LoadMode::kAppend),
            "@card violation on edge Wrote: source 'p1' has 3 edges (max 2)");
}

// ---- error order and atomicity ------------------------------------------------

TEST_F(LoaderTest, ErrorsAreReportedInTheReferencePhaseOrder) {
  // A line error beats an earlier row error (the reference parses every line first).
  EXPECT_EQ(load_error(R"({"type":"Note","data":{}}
{"type":"Ghost"})"),
            "line 2: unknown node type 'Ghost'");
  // A node row error beats an earlier endpoint error.
  EXPECT_EQ(load_error(R"({"edge":"Knows","from":"X","to":"Y"}
{"type":"Note","data":{}})"),
            "non-nullable property 'text' has null or invalid values");
  // An endpoint error beats an earlier edge row error.
  EXPECT_EQ(load_error(R"({"type":"Person","data":{"name":"A"}}
{"edge":"Pair","from":"A","to":"A"}
{"edge":"Pair","from":"A","to":"A"}
{"edge":"Knows","from":"A","to":"Nobody"})"),
            "edge Knows row 1: dst 'Nobody' not found in Person");
}

TEST_F(LoaderTest, AFailedLoadLeavesTheBaseUntouched) {
  GraphRoot base = load(R"({"type":"Person","data":{"name":"A","age":1}}
{"type":"Note","data":{"id":"n1","text":"x"}})");
  SmallBatches small(1);  // the failing line comes after rows were written into the writer
  GraphWriter writer(catalog_, base, nodes_);
  std::istringstream in(R"({"type":"Person","data":{"name":"B"}}
{"type":"Note","data":{"id":"n2","text":"y"}}
{"type":"Person","data":{"name":"C","mood":"angry"}})");
  EXPECT_THROW(load_jsonl(writer, in, LoadMode::kOverwrite), Error);
  EXPECT_EQ(writer.base(), base);
  // A new load from the same base sees none of the failed load's rows.
  GraphRoot root = load(base, R"({"type":"Person","data":{"name":"D"}})", LoadMode::kAppend);
  EXPECT_EQ(node_ids(root, person_), (std::vector<std::string>{"A", "D"}));
  EXPECT_EQ(node_ids(root, note_), (std::vector<std::string>{"n1"}));
  EXPECT_EQ(root.tables.at("node:Note"), base.tables.at("node:Note"));
}

TEST_F(LoaderTest, LoadsMoreRowsThanOneBatch) {
  // Many staged batches, with edges before their nodes.
  SmallBatches small(1000);
  constexpr int kRows = 5000;
  std::string text;
  text.reserve(kRows * 110);
  for (int i = 0; i < kRows; ++i) {
    text += "{\"edge\":\"Knows\",\"from\":\"p" + std::to_string(i) + "\",\"to\":\"p" +
            std::to_string((i + 1) % kRows) + "\"}\n";
  }
  for (int i = 0; i < kRows; ++i) {
    text += "{\"type\":\"Person\",\"data\":{\"name\":\"p" + std::to_string(i) +
            "\",\"age\":" + std::to_string(i % 90) + "}}\n";
  }
  LoadSummary summary;
  GraphRoot root = load(GraphRoot{}, text, LoadMode::kOverwrite, &summary);
  EXPECT_EQ(view(root).row_count("node:Person"), uint64_t{kRows});
  EXPECT_EQ(view(root).row_count("edge:Knows"), uint64_t{kRows});
  EXPECT_EQ(person_value(root, "p1234", "age"), Value::integer(1234 % 90));
  EXPECT_EQ(summary.nodes_loaded.at("Person"), uint64_t{kRows});
  EXPECT_EQ(summary.edges_loaded.at("Knows"), uint64_t{kRows});
  // The same input with one node missing fails on that edge's row.
  std::string broken = text;
  broken.erase(broken.find("{\"type\":\"Person\",\"data\":{\"name\":\"p7\","),
               broken.find('\n', broken.find("\"name\":\"p7\",")) -
                   broken.find("{\"type\":\"Person\",\"data\":{\"name\":\"p7\",") + 1);
  EXPECT_EQ(load_error(broken), "edge Knows row 7: dst 'p7' not found in Person");
}

// The parser thread hands over chunks of about 1 MiB of whole lines: an
// input of several chunks loads completely, and errors keep their line
// numbers and the reference's precedence across chunk boundaries.
TEST_F(LoaderTest, InputsOfManyParserChunksKeepLineNumbersAndErrorOrder) {
  constexpr int kRows = 40000;  // ~2.4 MB of lines: at least three chunks
  std::string text;
  for (int i = 0; i < kRows; ++i) {
    text += "{\"type\":\"Person\",\"data\":{\"name\":\"p" + std::to_string(i) +
            "\",\"code\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ\"}}\n";
  }
  for (int i = 0; i < kRows; ++i) {
    text += "{\"edge\":\"Knows\",\"from\":\"p" + std::to_string(i) + "\",\"to\":\"p" +
            std::to_string((i * 7) % kRows) + "\"}\n";
  }
  ASSERT_GT(text.size(), size_t{3} << 20);
  LoadSummary summary;
  GraphRoot root = load(GraphRoot{}, text, LoadMode::kOverwrite, &summary);
  EXPECT_EQ(view(root).row_count("node:Person"), uint64_t{kRows});
  EXPECT_EQ(view(root).row_count("edge:Knows"), uint64_t{kRows});
  EXPECT_EQ(summary.edges_loaded.at("Knows"), uint64_t{kRows});

  // A line error on the last line names it, and beats a row error on line 2.
  std::string bad = text;
  const size_t second = bad.find('\n') + 1;
  bad.replace(second, bad.find('\n', second) - second, "{\"type\":\"Person\",\"data\":{}}");
  EXPECT_EQ(load_error(bad + "{\"type\": }\n")
                .rfind("invalid JSON on line " + std::to_string(2 * kRows + 1) + ": ", 0),
            0u);
  // Without it, the row error on line 2 is reported.
  EXPECT_EQ(load_error(bad), "node Person missing @key property 'name'");
  // An endpoint missing deep in the input names its edge row.
  std::string missing = text;
  const size_t at = missing.find("\"to\":\"p" + std::to_string((30000 * 7) % kRows) + "\"");
  missing.replace(at, missing.find('}', at) - at, "\"to\":\"nobody\"");
  EXPECT_EQ(load_error(missing), "edge Knows row 30001: dst 'nobody' not found in Person");
}

// The parser thread encodes rows itself: stored rows and edge records must
// be exactly what the row codec writes.
TEST_F(LoaderTest, StoredRowsAreTheRowCodecsBytes) {
  GraphRoot root = load(
      R"({"type":"Person","data":{"name":"A","age":-3,"mood":"sad","score":1.5,"born":"2024-01-02","email":"a@x"}}
{"type":"Person","data":{"name":"B"}}
{"type":"Note","data":{"id":"n","text":"caf\u00e9","rank":9007199254740993}}
{"edge":"Knows","from":"A","to":"B","data":{"since":2001}}
{"edge":"Knows","from":"B","to":"A"}
{"edge":"Wrote","from":"A","to":"n"})");
  size_t rows = 0;
  for (const char* table : {"node:Person", "node:Note"}) {
    for (auto& [id, bytes] : prolly::Tree(nodes_, root.tables.at(table).rows).entries()) {
      EXPECT_EQ(encode_row(decode_row(bytes)), bytes) << id;
      ++rows;
    }
  }
  for (const char* table : {"edge:Knows", "edge:Wrote"}) {
    for (auto& [id, bytes] : prolly::Tree(nodes_, root.tables.at(table).rows).entries()) {
      EXPECT_EQ(encode_edge_record(decode_edge_record(bytes)), bytes) << id;
      ++rows;
    }
  }
  EXPECT_EQ(rows, 6u);
  EXPECT_EQ(edge_ends(root, knows_), (Pairs{{"A", "B"}, {"B", "A"}}));
  EXPECT_EQ(view(root).node(note_, "n")->get(note_.find_property("rank")->id),
            Value::integer(9007199254740993));
}

// Generated ids are written by the calling thread in input order, with one
// clock reading per parser chunk: across many chunks they stay valid,
// distinct and increasing with the input line.
TEST_F(LoaderTest, GeneratedIdsIncreaseInInputOrderAcrossChunks) {
  constexpr int kEdges = 30000;  // ~2 MB of lines: several parser chunks
  std::string text = "{\"type\":\"Person\",\"data\":{\"name\":\"A\"}}\n";
  for (int i = 0; i < kEdges; ++i) {
    text +=
        "{\"edge\":\"Knows\",\"from\":\"A\",\"to\":\"A\",\"data\":{\"since\":" + std::to_string(i) +
        "},\"padding\":\"" + std::string(20, 'x') + "\"}\n";
  }
  ASSERT_GT(text.size(), size_t{2} << 20);
  GraphRoot root = load(text);
  const uint32_t since = knows_.find_property("since")->id;
  std::vector<int64_t> order;  // `since` of each edge, in id order
  std::string previous;
  view(root).scan_edges(knows_, [&](std::string_view id, const EdgeRecord& edge) {
    EXPECT_TRUE(Ulid::is_valid(id)) << id;
    EXPECT_LT(previous, id);
    previous = std::string(id);
    order.push_back(edge.row.get(since).as_int());
    return true;
  });
  ASSERT_EQ(order.size(), size_t{kEdges});
  for (int i = 0; i < kEdges; ++i) ASSERT_EQ(order[i], i);
}

TEST(IdTableTest, FindsEveryIdAndOnlyThoseAcrossGrowth) {
  loader_detail::IdTable table;
  EXPECT_FALSE(table.contains("x"));
  table.prefetch(loader_detail::IdTable::hash("x"));  // empty table: harmless
  std::vector<std::string> ids = {"",
                                  "a",
                                  std::string("a\0", 2),
                                  std::string(16, 'k'),
                                  std::string(17, 'k'),
                                  std::string(15, 'k') + '\0'};
  for (int i = 0; i < 5000; ++i) {
    // Short ids sharing prefixes, ids around the 16-byte inline limit, long ones.
    ids.push_back("p" + std::to_string(i));
    ids.push_back(std::string(14 + i % 6, 'q') + std::to_string(i));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_TRUE(table.insert(ids[i], static_cast<uint32_t>(i))) << i;
  }
  EXPECT_EQ(table.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const size_t hash = loader_detail::IdTable::hash(ids[i]);
    table.prefetch(hash);
    EXPECT_TRUE(table.contains(ids[i], hash)) << i;
    EXPECT_FALSE(table.insert(ids[i], hash, 0)) << i;  // present: the old value stays
  }
  for (const std::string& absent :
       {std::string("b"), std::string("a\0\0", 3), std::string(18, 'k'), std::string("p5000"),
        std::string(15, 'k'), std::string("p12") + '\0'}) {
    EXPECT_FALSE(table.contains(absent)) << absent;
  }
  size_t seen = 0;
  table.for_each([&](std::string_view id, uint32_t value) {
    ASSERT_LT(value, ids.size());
    EXPECT_EQ(id, ids[value]);
    ++seen;
  });
  EXPECT_EQ(seen, ids.size());
  table.clear();
  EXPECT_FALSE(table.contains("a"));
  EXPECT_TRUE(table.insert("a", 1));
}

}  // namespace
}  // namespace omnigraph::engine
