// Rows as stored in a table tree: (stable property id, value) pairs sorted
// by id, nulls omitted. Ids, not names or positions, so adding a property
// never rewrites old rows (an absent id reads as null) and renaming one
// keeps every row. Each value is self-describing (a kind tag), so a row can
// be decoded without the catalog.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/varint.h"
#include "engine/value.h"

namespace omnigraph::engine {

struct Row {
  // Sorted by property id, at most one entry per id, no null values.
  std::vector<std::pair<uint32_t, Value>> fields;

  // The value of property `id`, or null.
  const Value& get(uint32_t id) const;
  // Sets (or, with a null value, removes) property `id`, keeping the order.
  void set(uint32_t id, Value value);
  friend bool operator==(const Row&, const Row&) = default;
};

std::string encode_row(const Row& row);
Row decode_row(std::string_view bytes);  // throws Error(kInternal) when corrupt

// One value with its kind tag (used by rows and elsewhere).
void encode_value(std::string& out, const Value& value);
Value decode_value(ByteReader& in);

// An order-preserving byte encoding: for two values of the same kind,
// memcmp order of the encodings equals value order (numbers numerically,
// strings bytewise, null first). Index trees key on it.
std::string encode_sort_key(const Value& value);
void append_sort_key(std::string& out, const Value& value);

}  // namespace omnigraph::engine
