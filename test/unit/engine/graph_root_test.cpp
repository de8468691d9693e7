#include "engine/graph_root.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace omnigraph::engine {

TEST(GraphRoot, RoundTripsAndIsDeterministic) {
  GraphRoot root;
  root.schema = Hash::of("node Person { name: String @key }");
  TableState people;
  people.rows = Hash::of("rows");
  people.indexes["key"] = Hash::of("key index");
  people.indexes["index:age"] = Hash::of("age index");
  people.row_count = 3;
  people.version = 7;
  people.last_branch = "main";
  root.tables["node:Person"] = people;
  TableState knows;
  knows.rows = Hash::of("edges");
  knows.out_adj = Hash::of("out");
  knows.in_adj = Hash::of("in");
  root.tables["edge:Knows"] = knows;

  std::string bytes = encode_graph_root(root);
  EXPECT_EQ(decode_graph_root(bytes), root);
  EXPECT_EQ(encode_graph_root(decode_graph_root(bytes)), bytes);
}

TEST(GraphRoot, RejectsCorruptBytes) {
  GraphRoot root;
  root.tables["node:A"].row_count = 1;
  std::string bytes = encode_graph_root(root);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_THROW(decode_graph_root(std::string_view(bytes).substr(0, cut)), Error);
  }
  std::string future = bytes;
  future[0] = 99;
  EXPECT_THROW(decode_graph_root(future), Error);
}

TEST(GraphRoot, SameContentIgnoresBookkeeping) {
  TableState a, b;
  a.rows = b.rows = Hash::of("x");
  a.version = 1;
  b.version = 2;
  b.last_branch = "feature";
  EXPECT_TRUE(a.same_content(b));
  b.indexes["key"] = Hash::of("k");
  EXPECT_FALSE(a.same_content(b));
}

}  // namespace omnigraph::engine
