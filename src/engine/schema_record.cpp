#include "engine/schema_record.h"

#include "common/error.h"
#include "common/varint.h"

namespace omnigraph::engine {
namespace {

constexpr std::string_view kMagic{"\0omnigraph-schema-ids\n", 22};

template <typename TypeT>
void apply_type_ids(std::vector<TypeT>& types, std::string_view kind, const IdOverrides& ids) {
  for (TypeT& type : types) {
    std::string key = std::string(kind) + ":" + type.name;
    if (auto it = ids.find(key); it != ids.end()) type.type_id = it->second;
    for (compiler::Property& property : type.properties) {
      if (auto it = ids.find(key + ":" + property.name); it != ids.end()) property.id = it->second;
    }
  }
}

template <typename TypeT>
void collect_overrides(const std::vector<TypeT>& types, std::string_view kind, IdOverrides& out) {
  for (const TypeT& type : types) {
    std::string key = std::string(kind) + ":" + type.name;
    if (type.type_id != compiler::stable_id_hash(key)) out[key] = type.type_id;
    for (const compiler::Property& property : type.properties) {
      std::string pkey = key + ":" + property.name;
      if (property.id != compiler::stable_id_hash(pkey)) out[pkey] = property.id;
    }
  }
}

}  // namespace

std::string encode_schema_record(const SchemaRecord& record) {
  if (record.ids.empty()) return record.source;
  std::string out(kMagic);
  put_varint(out, record.ids.size());
  for (const auto& [key, id] : record.ids) {
    put_length_prefixed(out, key);
    put_varint(out, id);
  }
  out += record.source;
  return out;
}

SchemaRecord decode_schema_record(std::string_view bytes) {
  SchemaRecord record;
  if (!bytes.starts_with(kMagic)) {
    record.source = std::string(bytes);
    return record;
  }
  ByteReader in(bytes.substr(kMagic.size()));
  uint64_t count = in.varint();
  for (uint64_t i = 0; i < count; ++i) {
    std::string key(in.length_prefixed());
    uint64_t id = in.varint();
    if (id == 0 || id > UINT32_MAX) throw_internal("corrupt schema record: id");
    record.ids.emplace(std::move(key), static_cast<uint32_t>(id));
  }
  record.source = std::string(in.bytes(in.remaining()));
  return record;
}

compiler::Catalog with_ids(const compiler::Catalog& catalog, const IdOverrides& ids) {
  if (ids.empty()) return catalog;
  std::vector<compiler::InterfaceType> interfaces = catalog.interfaces();
  std::vector<compiler::NodeType> nodes = catalog.node_types();
  std::vector<compiler::EdgeType> edges = catalog.edge_types();
  apply_type_ids(interfaces, "interface", ids);
  apply_type_ids(nodes, "node", ids);
  apply_type_ids(edges, "edge", ids);
  return compiler::Catalog(catalog.source(), std::move(interfaces), std::move(nodes),
                           std::move(edges));
}

compiler::Catalog compile_schema_record(const SchemaRecord& record) {
  return with_ids(compiler::compile_schema(record.source), record.ids);
}

IdOverrides id_overrides_of(const compiler::Catalog& catalog) {
  IdOverrides out;
  collect_overrides(catalog.interfaces(), "interface", out);
  collect_overrides(catalog.node_types(), "node", out);
  collect_overrides(catalog.edge_types(), "edge", out);
  return out;
}

}  // namespace omnigraph::engine
