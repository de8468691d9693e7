// A small graph over an in-memory store plus helpers to run .gq read
// queries against it through the executor.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "compiler/ir/ir.h"
#include "compiler/query/parser.h"
#include "engine/executor.h"
#include "engine/graph_writer.h"
#include "store/store.h"

namespace omnigraph::engine::testing {

inline constexpr const char* kExecSchema = R"(
node Person {
  name: String @key
  age: I32?
  score: F64?
  ratio: F32?
  big: U64?
  rank: I64? @index
  city: String? @index
  tags: [String]?
  nums: [I32]?
  born: Date?
  seen: DateTime?
  active: Bool?
  photo: Blob?
  emb: Vector(2)?
}
node Company {
  name: String @key
  founded: I32?
}
node Note {
  text: String
}
edge Knows: Person -> Person {
  since: I32?
}
edge WorksAt: Person -> Company {
  role: String?
}
edge About: Note -> Person
)";

using Props = std::vector<std::pair<std::string, Value>>;

// Cell text: strings bare, everything else as Value::debug_string.
inline std::string cell(const Value& v) {
  return v.kind() == Value::Kind::kString ? v.as_string() : v.debug_string();
}

// Rows as "a|b|c" strings, in result order.
inline std::vector<std::string> rows_of(const ResultSet& rs) {
  std::vector<std::string> out;
  for (const auto& row : rs.rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line += "|";
      line += cell(row[i]);
    }
    out.push_back(line);
  }
  return out;
}

// The same, sorted: for results whose order the spec leaves open.
inline std::vector<std::string> sorted_rows(const ResultSet& rs) {
  std::vector<std::string> out = rows_of(rs);
  std::sort(out.begin(), out.end());
  return out;
}

class ExecTest : public ::testing::Test {
 protected:
  explicit ExecTest(const char* schema = kExecSchema)
      : store_(store::open_memory_store()),
        nodes_(*store_.chunks),
        catalog_(std::make_shared<const compiler::Catalog>(compiler::compile_schema(schema))),
        writer_(catalog_, GraphRoot{}, nodes_) {}

  // A node; keyed types get their key property set from `id` as well.
  void node(const std::string& type_name, const std::string& id, const Props& props = {}) {
    const compiler::NodeType& type = *catalog_->find_node_type(type_name);
    Row row;
    if (const compiler::Property* key = type.key_property()) row.set(key->id, Value::string(id));
    for (const auto& [name, value] : props) {
      const compiler::Property* p = type.find_property(name);
      ASSERT_NE(p, nullptr) << name;
      row.set(p->id, value);
    }
    writer_.put_nodes(type, {{id, std::move(row)}});
  }

  void person(const std::string& name, const Props& props = {}) { node("Person", name, props); }

  void edge(const std::string& type_name, const std::string& id, const std::string& src,
            const std::string& dst, const Props& props = {}) {
    const compiler::EdgeType& type = *catalog_->find_edge_type(type_name);
    EdgeRecord record{src, dst, {}};
    for (const auto& [name, value] : props) {
      const compiler::Property* p = type.find_property(name);
      ASSERT_NE(p, nullptr) << name;
      record.row.set(p->id, value);
    }
    writer_.put_edges(type, {{id, std::move(record)}});
  }

  compiler::ir::ReadPlan plan_of(const std::string& source) {
    compiler::query::QueryFile file = compiler::query::parse_query_file(source);
    compiler::ir::Plan plan = compiler::ir::compile_query(*catalog_, file.queries.at(0));
    return plan.read;
  }

  ResultSet run(const std::string& source, const ParamMap& params = {}) {
    compiler::ir::ReadPlan plan = plan_of(source);
    return execute_read(writer_.view(), plan, params);
  }

  // The message of the Error the query raises ("" if none).
  std::string error_of(const std::string& source, const ParamMap& params = {}) {
    compiler::ir::ReadPlan plan = plan_of(source);
    try {
      execute_read(writer_.view(), plan, params);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest) << e.what();
      return e.what();
    }
    return "";
  }

  store::Store store_;
  prolly::NodeStore nodes_;
  std::shared_ptr<const compiler::Catalog> catalog_;
  GraphWriter writer_;
};

}  // namespace omnigraph::engine::testing
