// Value constraints checked on every write path (languages.md §4.10): enum
// membership, @range and @check per row (RowValidator), and intra-batch
// @unique / @key uniqueness (UniqueTracker). Pure: nothing here reads
// storage, so uniqueness against committed rows is not checked (the
// reference does not check it either).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog/catalog.h"
#include "engine/row_codec.h"
#include "engine/seen_values.h"

namespace re2 {
class RE2;
}

namespace omnigraph::engine {

// Checks single rows against their type's value constraints. Built once per
// catalog: the @check patterns are compiled here, not per row. An invalid
// pattern only fails when a row of that type is checked (the reference
// reports it at write time, not at schema time).
class RowValidator {
 public:
  explicit RowValidator(const compiler::Catalog& catalog);

  // @range (null skipped, NaN rejected), then @check (null skipped), then
  // enum values. Throws Error(kBadRequest) with the reference's message.
  void check_node(const compiler::NodeType& type, const Row& row) const;
  // Edges only have enum constraints (@range/@check are node-only).
  void check_edge(const compiler::EdgeType& type, const Row& row) const;

 private:
  struct CompiledCheck {
    std::string property;
    std::string pattern;
    bool has_column = false;  // false: no such property, nothing to check
    uint32_t property_id = 0;
    std::shared_ptr<const re2::RE2> regex;  // immutable, so copies share it
    std::string regex_error;                // non-empty when the pattern is invalid
  };

  // By node type name, in declaration order of the @check constraints.
  std::map<std::string, std::vector<CompiledCheck>, std::less<>> checks_;
};

// Intra-batch uniqueness for one node or edge type. Every column named by
// any @unique is checked on its own (composite @unique(a, b) means a is
// unique and b is unique); a node's @key columns are unique too; an edge
// may name its `src` / `dst`. Nulls, lists, vectors and blobs are exempt.
class UniqueTracker {
 public:
  explicit UniqueTracker(const compiler::NodeType& type);
  explicit UniqueTracker(const compiler::EdgeType& type);

  // Records row `row_index` (0-based, as reported) or throws Error(kBadRequest)
  // `@unique violation on T.p: value 'v' appears in rows i and j` on the first
  // column (in name order) that repeats an earlier row's value. A rejected
  // row is not recorded. (The reference scanned a whole batch column by
  // column, so when a batch has several violations it may name another.)
  void add(const Row& row, size_t row_index);
  // For edges: also the endpoint ids, for @unique(src) / @unique(dst).
  void add(const Row& row, std::string_view src, std::string_view dst, size_t row_index);

 private:
  struct Column {
    enum class Source { kProperty, kSrc, kDst };
    std::string name;
    Source source = Source::kProperty;
    uint32_t property_id = 0;
    bool is_f32 = false;
    SeenValues seen;  // value text -> first row
  };

  void add_column(std::string name, const compiler::Property* property, bool is_edge);
  void check(const Row& row, const std::string_view* src, const std::string_view* dst,
             size_t row_index);

  std::string type_name_;
  std::vector<Column> columns_;
};

}  // namespace omnigraph::engine
