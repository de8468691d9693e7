#include "engine/graph_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "store/store.h"

namespace omnigraph::engine {
namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  city: String? @index
}
node Company {
  name: String
}
edge Knows: Person -> Person
edge WorksAt: Person -> Company {
  since: I32?
}
)";

class GraphWriterTest : public ::testing::Test {
 protected:
  GraphWriterTest()
      : store_(store::open_memory_store()),
        nodes_(*store_.chunks),
        catalog_(std::make_shared<const compiler::Catalog>(compiler::compile_schema(kSchema))),
        person_(*catalog_->find_node_type("Person")),
        company_(*catalog_->find_node_type("Company")),
        knows_(*catalog_->find_edge_type("Knows")),
        works_at_(*catalog_->find_edge_type("WorksAt")) {}

  Row person(const std::string& name, int64_t age, const std::string& city) {
    Row row;
    row.set(person_.find_property("name")->id, Value::string(name));
    row.set(person_.find_property("age")->id, Value::integer(age));
    if (!city.empty()) row.set(person_.find_property("city")->id, Value::string(city));
    return row;
  }

  std::vector<std::string> ids_in_city(const GraphView& view, const std::string& city) {
    std::vector<std::string> ids;
    view.index_equal(person_, *person_.find_property("city"), Value::string(city),
                     [&](std::string_view id) {
                       ids.emplace_back(id);
                       return true;
                     });
    return ids;
  }

  std::vector<std::string> out_of(const GraphView& view, const compiler::EdgeType& edge,
                                  const std::string& id, AdjacencyDirection dir) {
    std::vector<std::string> others;
    view.adjacent(edge, dir, id, [&](std::string_view, std::string_view other) {
      others.emplace_back(other);
      return true;
    });
    return others;
  }

  store::Store store_;
  prolly::NodeStore nodes_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  const compiler::NodeType& person_;
  const compiler::NodeType& company_;
  const compiler::EdgeType& knows_;
  const compiler::EdgeType& works_at_;
};

TEST_F(GraphWriterTest, NodesAreUpsertedByIdAndReadBack) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  writer.put_nodes(person_, {{"Alice", person("Alice", 30, "Paris")},
                             {"Bob", person("Bob", 25, "Oslo")},
                             {"Alice", person("Alice", 31, "Rome")}});  // later entry wins
  GraphView view = writer.view();
  EXPECT_EQ(view.row_count("node:Person"), 2u);
  ASSERT_TRUE(view.node(person_, "Alice").has_value());
  EXPECT_EQ(view.node(person_, "Alice")->get(person_.find_property("age")->id), Value::integer(31));
  EXPECT_FALSE(view.has_node(person_, "Carol"));

  std::vector<std::string> scanned;
  view.scan_nodes(person_, [&](std::string_view id, const Row&) {
    scanned.emplace_back(id);
    return true;
  });
  EXPECT_EQ(scanned, (std::vector<std::string>{"Alice", "Bob"}));
}

TEST_F(GraphWriterTest, IndexFollowsUpdatesAndDeletes) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  ASSERT_EQ(indexed_properties(person_).size(), 1u);  // city; the key is the id
  writer.put_nodes(person_, {{"Alice", person("Alice", 30, "Paris")},
                             {"Bob", person("Bob", 25, "Paris")},
                             {"Carol", person("Carol", 40, "")}});
  EXPECT_TRUE(writer.view().has_index(person_, *person_.find_property("city")));
  EXPECT_EQ(ids_in_city(writer.view(), "Paris"), (std::vector<std::string>{"Alice", "Bob"}));

  writer.put_nodes(person_, {{"Alice", person("Alice", 30, "Rome")}});
  EXPECT_EQ(ids_in_city(writer.view(), "Paris"), (std::vector<std::string>{"Bob"}));
  EXPECT_EQ(ids_in_city(writer.view(), "Rome"), (std::vector<std::string>{"Alice"}));

  writer.delete_nodes(person_, {"Bob", "Nobody"});
  EXPECT_TRUE(ids_in_city(writer.view(), "Paris").empty());
  EXPECT_EQ(writer.view().row_count("node:Person"), 2u);
}

TEST_F(GraphWriterTest, IndexRangeHonoursBounds) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  writer.put_nodes(person_, {{"A", person("A", 1, "a")},
                             {"B", person("B", 1, "b")},
                             {"BB", person("BB", 1, "bb")},
                             {"C", person("C", 1, "c")},
                             {"N", person("N", 1, "")}});
  const auto& city = *person_.find_property("city");
  auto range = [&](std::optional<IndexBound> lo, std::optional<IndexBound> hi) {
    std::vector<std::string> ids;
    writer.view().index_range(person_, city, lo, hi, [&](std::string_view id) {
      ids.emplace_back(id);
      return true;
    });
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(range(IndexBound{Value::string("b"), true}, std::nullopt), (V{"B", "BB", "C"}));
  EXPECT_EQ(range(IndexBound{Value::string("b"), false}, std::nullopt), (V{"BB", "C"}));
  EXPECT_EQ(range(std::nullopt, IndexBound{Value::string("b"), true}), (V{"A", "B"}));
  EXPECT_EQ(range(std::nullopt, IndexBound{Value::string("b"), false}), (V{"A"}));
  EXPECT_EQ(range(std::nullopt, std::nullopt), (V{"A", "B", "BB", "C"}));  // nulls never match
}

TEST_F(GraphWriterTest, EdgesKeepAdjacencyBothWays) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  writer.put_nodes(person_, {{"Alice", person("Alice", 30, "")}, {"Bob", person("Bob", 25, "")}});
  writer.put_nodes(company_, {{"c1", Row{}}});
  writer.put_edges(
      knows_, {{"e1", EdgeRecord{"Alice", "Bob", {}}}, {"e2", EdgeRecord{"Alice", "Alice", {}}}});
  Row since;
  since.set(works_at_.find_property("since")->id, Value::integer(2020));
  writer.put_edges(works_at_, {{"w1", EdgeRecord{"Bob", "c1", since}}});

  GraphView view = writer.view();
  using V = std::vector<std::string>;
  EXPECT_EQ(out_of(view, knows_, "Alice", AdjacencyDirection::kOut), (V{"Bob", "Alice"}));
  EXPECT_EQ(out_of(view, knows_, "Bob", AdjacencyDirection::kIn), (V{"Alice"}));
  EXPECT_EQ(out_of(view, works_at_, "c1", AdjacencyDirection::kIn), (V{"Bob"}));
  EXPECT_TRUE(view.has_adjacent(works_at_, AdjacencyDirection::kOut, "Bob"));
  EXPECT_FALSE(view.has_adjacent(works_at_, AdjacencyDirection::kOut, "Alice"));
  ASSERT_TRUE(view.edge(works_at_, "w1").has_value());
  EXPECT_EQ(*view.edge(works_at_, "w1"), (EdgeRecord{"Bob", "c1", since}));

  // Moving an edge re-keys its adjacency; deleting removes it everywhere.
  writer.put_edges(knows_, {{"e1", EdgeRecord{"Bob", "Alice", {}}}});
  EXPECT_EQ(out_of(writer.view(), knows_, "Alice", AdjacencyDirection::kOut), (V{"Alice"}));
  EXPECT_EQ(out_of(writer.view(), knows_, "Bob", AdjacencyDirection::kOut), (V{"Alice"}));
  writer.delete_edges(knows_, {"e2"});
  EXPECT_TRUE(out_of(writer.view(), knows_, "Alice", AdjacencyDirection::kOut).empty());
  EXPECT_EQ(writer.view().row_count("edge:Knows"), 1u);
}

TEST_F(GraphWriterTest, NodeIdsThatPrefixEachOtherStayApartInAdjacency) {
  GraphWriter writer(catalog_, GraphRoot{}, nodes_);
  writer.put_edges(knows_, {{"e1", EdgeRecord{"a", "x", {}}}, {"e2", EdgeRecord{"ab", "y", {}}}});
  EXPECT_EQ(out_of(writer.view(), knows_, "a", AdjacencyDirection::kOut),
            (std::vector<std::string>{"x"}));
}

TEST_F(GraphWriterTest, FinishBumpsVersionsOfChangedTablesOnly) {
  GraphWriter first(catalog_, GraphRoot{}, nodes_);
  first.put_nodes(person_, {{"Alice", person("Alice", 30, "")}});
  GraphRoot root1 = first.finish("main");
  EXPECT_EQ(root1.tables.size(), 4u);  // every table of the catalog is present
  EXPECT_EQ(root1.tables.at("node:Person").version, 1u);
  EXPECT_EQ(root1.tables.at("node:Person").last_branch, "main");
  EXPECT_EQ(root1.tables.at("node:Company").version, 0u);

  GraphWriter second(catalog_, root1, nodes_);
  second.put_nodes(person_, {{"Alice", person("Alice", 30, "")}});  // same content
  second.put_nodes(company_, {{"c1", Row{}}});
  GraphRoot root2 = second.finish("feature");
  EXPECT_EQ(root2.tables.at("node:Person").version, 1u);
  EXPECT_EQ(root2.tables.at("node:Company").version, 1u);
  EXPECT_EQ(root2.tables.at("node:Company").last_branch, "feature");

  GraphWriter third(catalog_, root2, nodes_);
  third.clear_table("node:Person");
  GraphRoot root3 = third.finish("main");
  EXPECT_EQ(root3.tables.at("node:Person").row_count, 0u);
  EXPECT_EQ(root3.tables.at("node:Person").version, 2u);
  // The base stays readable: writers never modify what they started from.
  EXPECT_TRUE(GraphView(catalog_, root2, nodes_).has_node(person_, "Alice"));
}

// Entries already in their stored encoding (what loads hand over) make the
// same tables as rows given as values, in bulk mode or not, later entries
// with the same id winning.
TEST_F(GraphWriterTest, EncodedEntriesMatchRowsGivenAsValues) {
  const std::vector<std::pair<std::string, Row>> people = {{"Alice", person("Alice", 30, "Paris")},
                                                           {"Bob", person("Bob", 25, "Oslo")},
                                                           {"Alice", person("Alice", 31, "Rome")}};
  Row since;
  since.set(works_at_.find_property("since")->id, Value::integer(2020));
  const std::vector<std::pair<std::string, EdgeRecord>> edges = {
      {"e1", EdgeRecord{"Alice", "Bob", Row{}}},
      {"e2", EdgeRecord{"Bob", "Alice", Row{}}},
      {"e1", EdgeRecord{"Bob", "Bob", Row{}}}};
  const std::vector<std::pair<std::string, EdgeRecord>> jobs = {
      {"w1", EdgeRecord{"Alice", "Acme", since}}};
  Row acme;
  acme.set(company_.find_property("name")->id, Value::string("Acme"));
  const std::vector<std::pair<std::string, Row>> companies = {{"Acme", acme}};

  GraphWriter by_value(catalog_, GraphRoot{}, nodes_);
  by_value.put_nodes(person_, people);
  by_value.put_nodes(company_, companies);
  by_value.put_edges(knows_, edges);
  by_value.put_edges(works_at_, jobs);
  const GraphRoot expected = by_value.finish("main");

  std::vector<std::string> bytes;  // owns what the entries view (with `items`)
  auto encoded_rows = [&](const auto& items, auto encode) {
    std::vector<GraphWriter::EncodedEntry> out;
    for (const auto& [id, item] : items) bytes.push_back(encode(item));
    size_t first = bytes.size() - items.size();
    for (size_t i = 0; i < items.size(); ++i) out.push_back({items[i].first, bytes[first + i]});
    return out;
  };
  bytes.reserve(16);
  auto people_bytes = encoded_rows(people, [](const Row& row) { return encode_row(row); });
  auto acme_bytes = encoded_rows(companies, [](const Row& row) { return encode_row(row); });
  auto edge_bytes =
      encoded_rows(edges, [](const EdgeRecord& edge) { return encode_edge_record(edge); });
  auto job_bytes =
      encoded_rows(jobs, [](const EdgeRecord& edge) { return encode_edge_record(edge); });
  for (bool bulk : {false, true}) {
    GraphWriter writer(catalog_, GraphRoot{}, nodes_);
    writer.set_bulk(bulk);
    writer.put_encoded_nodes(person_, people_bytes);
    writer.put_encoded_nodes(company_, acme_bytes);
    writer.put_encoded_edges(knows_, edge_bytes);
    writer.put_encoded_edges(works_at_, job_bytes);
    writer.set_bulk(false);
    const GraphRoot root = writer.finish("main");
    for (const char* table : {"node:Person", "node:Company", "edge:Knows", "edge:WorksAt"}) {
      EXPECT_EQ(root.tables.at(table), expected.tables.at(table)) << table << " bulk " << bulk;
    }
    EXPECT_EQ(out_of(GraphView(catalog_, root, nodes_), knows_, "Bob", AdjacencyDirection::kIn),
              (std::vector<std::string>{"Bob"}));
  }
}

// Makes each table's bulk buffer spill every `bytes` bytes.
class SmallBulkBuffers {
 public:
  explicit SmallBulkBuffers(size_t bytes) : saved_(bulk_buffer_bytes) { bulk_buffer_bytes = bytes; }
  ~SmallBulkBuffers() { bulk_buffer_bytes = saved_; }

 private:
  size_t saved_;
};

// Bulk mode builds the same trees (same root hashes) as editing them row by
// row, whether a table's rows streamed into their tree (ids in order), were
// merged from runs (ids out of order), or streamed until an id out of
// order, some of which replace rows already streamed.
TEST_F(GraphWriterTest, BulkTreesMatchEditedTreesWhetherRowsStreamOrNot) {
  SmallBulkBuffers small(2048);
  std::mt19937 rng(5);
  const std::vector<std::string> cities = {"Oslo", "Paris", "Rome", ""};
  std::vector<std::pair<std::string, Row>> persons;
  for (int i = 0; i < 500; ++i) {
    const std::string name = "person" + std::to_string(i);
    persons.emplace_back(name, person(name, i % 90, cities[i % cities.size()]));
  }
  std::shuffle(persons.begin(), persons.end(), rng);   // keys out of order: runs
  std::vector<std::pair<std::string, Row>> companies;  // keys in order: streamed
  for (int i = 0; i < 300; ++i) {
    Row row;
    row.set(company_.find_property("name")->id, Value::string("c" + std::to_string(i)));
    companies.emplace_back("c" + std::to_string(1000 + i), row);
  }
  auto edge_id = [](int i) { return "e" + std::to_string(100000 + i); };
  auto endpoint = [&](int i) { return "person" + std::to_string(i % 500); };
  std::vector<std::pair<std::string, EdgeRecord>> knows;  // ids in order throughout
  for (int i = 0; i < 2000; ++i) {
    knows.emplace_back(edge_id(i), EdgeRecord{endpoint(i * 7), endpoint(i * 13 + 1), Row{}});
  }
  std::vector<std::pair<std::string, EdgeRecord>> works;  // in order, then not
  for (int i = 0; i < 1500; ++i) {
    const int n = i < 900 ? i : static_cast<int>(rng() % 1200);
    Row row;
    row.set(works_at_.find_property("since")->id, Value::integer(i));
    works.emplace_back(edge_id(n),
                       EdgeRecord{endpoint(i), "c" + std::to_string(1000 + i % 300), row});
  }
  auto write = [&](GraphWriter& writer) {
    writer.put_nodes(person_, persons);
    writer.put_nodes(company_, companies);
    for (size_t begin = 0; begin < knows.size(); begin += 250) {
      writer.put_edges(knows_, {knows.begin() + begin, knows.begin() + begin + 250});
    }
    for (size_t begin = 0; begin < works.size(); begin += 250) {
      writer.put_edges(works_at_, {works.begin() + begin, works.begin() + begin + 250});
    }
    return writer.finish("main");
  };
  GraphWriter bulk(catalog_, GraphRoot{}, nodes_);
  bulk.set_bulk(true);
  GraphRoot bulk_root = write(bulk);
  GraphWriter edited(catalog_, GraphRoot{}, nodes_);
  GraphRoot edited_root = write(edited);
  ASSERT_EQ(bulk_root.tables.size(), edited_root.tables.size());
  for (const auto& [key, table] : edited_root.tables) {
    const TableState& other = bulk_root.tables.at(key);
    EXPECT_EQ(other.rows, table.rows) << key;
    EXPECT_EQ(other.out_adj, table.out_adj) << key;
    EXPECT_EQ(other.in_adj, table.in_adj) << key;
    EXPECT_EQ(other.indexes, table.indexes) << key;
    EXPECT_EQ(other.row_count, table.row_count) << key;
  }
  EXPECT_EQ(bulk_root.tables.at("edge:Knows").row_count, 2000u);
  // The 900 streamed ids plus those of the rest that were new.
  EXPECT_GT(bulk_root.tables.at("edge:WorksAt").row_count, 900u);
}

}  // namespace
}  // namespace omnigraph::engine
