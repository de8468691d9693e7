#include "engine/graph_root.h"

#include "common/error.h"
#include "common/varint.h"

namespace omnigraph::engine {
namespace {

// Bumped when the encoding changes; decode refuses versions it does not know.
constexpr uint8_t kFormatVersion = 1;

void put_hash(std::string& out, const Hash& hash) {
  out.append(hash.raw());
}
Hash get_hash(ByteReader& in) {
  return Hash::from_bytes(in.bytes(Hash::kSize));
}

}  // namespace

std::string encode_graph_root(const GraphRoot& root) {
  std::string out;
  out.push_back(static_cast<char>(kFormatVersion));
  put_hash(out, root.schema);
  put_varint(out, root.tables.size());
  for (const auto& [key, table] : root.tables) {
    put_length_prefixed(out, key);
    put_hash(out, table.rows);
    put_hash(out, table.out_adj);
    put_hash(out, table.in_adj);
    put_varint(out, table.indexes.size());
    for (const auto& [name, hash] : table.indexes) {
      put_length_prefixed(out, name);
      put_hash(out, hash);
    }
    put_varint(out, table.row_count);
    put_varint(out, table.version);
    put_length_prefixed(out, table.last_branch);
  }
  return out;
}

GraphRoot decode_graph_root(std::string_view bytes) {
  ByteReader in(bytes);
  uint8_t version = in.byte();
  if (version != kFormatVersion) {
    throw_internal("graph root format " + std::to_string(version) +
                   " is not supported by this binary (upgrade omnigraph)");
  }
  GraphRoot root;
  root.schema = get_hash(in);
  uint64_t table_count = in.varint();
  for (uint64_t i = 0; i < table_count; ++i) {
    std::string key(in.length_prefixed());
    TableState table;
    table.rows = get_hash(in);
    table.out_adj = get_hash(in);
    table.in_adj = get_hash(in);
    uint64_t index_count = in.varint();
    for (uint64_t j = 0; j < index_count; ++j) {
      std::string name(in.length_prefixed());
      table.indexes.emplace(std::move(name), get_hash(in));
    }
    table.row_count = in.varint();
    table.version = in.varint();
    table.last_branch = std::string(in.length_prefixed());
    root.tables.emplace(std::move(key), std::move(table));
  }
  if (!in.done()) throw_internal("corrupt graph root: trailing bytes");
  return root;
}

}  // namespace omnigraph::engine
