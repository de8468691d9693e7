// Row building and staging for the JSONL loader (see loader_state.h).
#include <algorithm>
#include <cstring>
#include <functional>

#include "common/huge_pages.h"
#include "engine/embed/embed_property.h"
#include "engine/jsonl_value.h"
#include "engine/loader_state.h"

namespace omnigraph::engine::loader_detail {

using compiler::EdgeType;
using compiler::NodeType;
using compiler::Property;

// ---- IdTable ----------------------------------------------------------------

namespace {

constexpr size_t kIdChunkBytes = size_t{1} << 20;

}  // namespace

size_t IdTable::hash(std::string_view id) {
  return std::hash<std::string_view>{}(id);
}

size_t IdTable::find_slot(std::string_view id, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  const auto length = static_cast<uint32_t>(id.size());
  if (length <= kInline) {
    uint64_t words[2] = {0, 0};
    std::memcpy(words, id.data(), length);
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (!slot.used()) return i;
      uint64_t text[2];
      std::memcpy(text, slot.text, kInline);
      if (slot.length == length && text[0] == words[0] && text[1] == words[1]) return i;
    }
  }
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.used()) return i;
    if (slot.length == length && slot.out.hash == hash &&
        std::memcmp(slot.out.data, id.data(), length) == 0) {
      return i;
    }
  }
}

bool IdTable::contains(std::string_view id, size_t hash) const {
  if (size_ == 0) return false;
  return slots_[find_slot(id, hash)].used();
}

bool IdTable::insert(std::string_view id, size_t hash, uint32_t value) {
  if ((size_ + 1) * 10 > slots_.size() * 7) grow();
  Slot& slot = slots_[find_slot(id, hash)];
  if (slot.used()) return false;
  if (id.size() <= kInline) {
    std::memset(slot.text, 0, kInline);
    std::memcpy(slot.text, id.data(), id.size());
  } else {
    slot.out.data = store(id);
    slot.out.hash = hash;
  }
  slot.length = static_cast<uint32_t>(id.size());
  slot.value = value;
  ++size_;
  return true;
}

void IdTable::grow() {
  std::vector<Slot> old = std::move(slots_);
  const size_t size = old.empty() ? 64 : old.size() * 2;
  slots_.reserve(size);  // allocated, not touched yet
  advise_huge_pages(slots_.data(), size * sizeof(Slot));
  slots_.assign(size, Slot{});
  mask_ = size - 1;
  for (const Slot& slot : old) {
    if (!slot.used()) continue;
    const size_t hash = slot.length <= kInline ? IdTable::hash(slot.id()) : slot.out.hash;
    slots_[find_slot(slot.id(), hash)] = slot;
  }
}

const char* IdTable::store(std::string_view id) {
  if (chunks_.empty() || chunk_used_ + id.size() > chunk_size_) {
    // An id longer than a chunk gets a chunk of its own.
    chunk_size_ = std::max(kIdChunkBytes, id.size());
    chunks_.push_back(std::make_unique<char[]>(chunk_size_));
    chunk_used_ = 0;
  }
  char* out = chunks_.back().get() + chunk_used_;
  std::memcpy(out, id.data(), id.size());
  chunk_used_ += id.size();
  return out;
}

void IdTable::clear() {
  slots_.clear();
  mask_ = 0;
  size_ = 0;
  chunks_.clear();
  chunk_used_ = 0;
  chunk_size_ = 0;
}

// ---- PropertyLayout ---------------------------------------------------------

PropertyLayout::PropertyLayout(const std::vector<Property>& properties) {
  by_id_.reserve(properties.size());
  for (const Property& property : properties) by_id_.push_back(&property);
  std::sort(by_id_.begin(), by_id_.end(),
            [](const Property* a, const Property* b) { return a->id < b->id; });
}

size_t PropertyLayout::position_of(const Property& property) const {
  for (size_t i = 0; i < by_id_.size(); ++i) {
    if (by_id_[i] == &property) return i;
  }
  throw_internal("property '" + property.name + "' is not in its type's layout");
}

const rapidjson::Value* PropertyLayout::bind(const rapidjson::Value* data,
                                             std::vector<const rapidjson::Value*>& slots) const {
  slots.assign(by_id_.size(), nullptr);
  if (data == nullptr || !data->IsObject()) return nullptr;
  const rapidjson::Value* id = nullptr;
  for (const auto& member : data->GetObject()) {
    std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (name == "id") id = &member.value;
    // Types have few properties; a scan beats hashing every member name.
    for (size_t i = 0; i < by_id_.size(); ++i) {
      if (by_id_[i]->name == name) {
        slots[i] = &member.value;
        break;
      }
    }
  }
  return id;
}

namespace {

// An absent `@embed` target whose String source is present is filled with
// the source's embedding (null when the source is absent too).
Value embedded_value(const Property& target, const std::vector<const Property*>& by_id,
                     const std::vector<const rapidjson::Value*>& slots) {
  for (size_t i = 0; i < by_id.size(); ++i) {
    if (by_id[i]->name != *target.embed_source) continue;
    Value source = value_from_jsonl(slots[i], by_id[i]->type, by_id[i]->name);
    if (source.kind() != Value::Kind::kString) return Value::null();
    return embed::embed_property("", target, source.as_string());
  }
  return Value::null();
}

}  // namespace

void PropertyLayout::build(const std::vector<const rapidjson::Value*>& slots, Row& row) const {
  row.fields.clear();
  row.fields.reserve(by_id_.size());
  for (size_t i = 0; i < by_id_.size(); ++i) {
    const Property& property = *by_id_[i];
    Value value;
    if (property.embed_source && (slots[i] == nullptr || slots[i]->IsNull())) {
      value = embedded_value(property, by_id_, slots);
    }
    if (value.is_null()) value = value_from_jsonl(slots[i], property.type, property.name);
    if (value.is_null()) {
      if (!property.type.nullable) {
        throw_bad_request("non-nullable property '" + property.name +
                          "' has null or invalid values");
      }
      continue;
    }
    row.fields.emplace_back(property.id, std::move(value));
  }
}

// ---- tables -----------------------------------------------------------------

NodeTable::NodeTable(const NodeType& node_type, bool is_endpoint)
    : type(&node_type), track_ids(is_endpoint) {}

EdgeTable::EdgeTable(const EdgeType& edge_type, NodeTable* from_table, NodeTable* to_table)
    : type(&edge_type), from(from_table), to(to_table) {}

// ---- JsonlLoad --------------------------------------------------------------

JsonlLoad::JsonlLoad(GraphWriter& writer, LoadMode mode)
    : writer_(writer),
      store_(writer.view().nodes()),
      mode_(mode),
      catalog_(writer.view().catalog_ptr()) {
  const auto& node_types = catalog_->node_types();
  nodes_.resize(node_types.size());
  edges_.resize(catalog_->edge_types().size());
  is_endpoint_.assign(node_types.size(), false);
  for (size_t i = 0; i < node_types.size(); ++i) {
    is_endpoint_[i] = !catalog_->edges_from(node_types[i].name).empty() ||
                      !catalog_->edges_to(node_types[i].name).empty();
  }
}

NodeTable& JsonlLoad::node_table(const NodeType& type) {
  size_t position = static_cast<size_t>(&type - catalog_->node_types().data());
  auto& table = nodes_[position];
  if (!table) {
    table = std::make_unique<NodeTable>(type, is_endpoint_[position]);
    auto committed = writer_.base().tables.find(type.table_key());
    if (committed != writer_.base().tables.end()) table->committed_rows = committed->second.rows;
  }
  return *table;
}

EdgeTable& JsonlLoad::edge_table(const EdgeType& type) {
  size_t position = static_cast<size_t>(&type - catalog_->edge_types().data());
  auto& table = edges_[position];
  if (!table) {
    const NodeType* from = catalog_->find_node_type(type.from_type);
    const NodeType* to = catalog_->find_node_type(type.to_type);
    if (from == nullptr || to == nullptr) {
      throw_internal("edge " + type.name + " names an unknown endpoint type");
    }
    table = std::make_unique<EdgeTable>(type, &node_table(*from), &node_table(*to));
    table->track_sources = !type.cardinality.is_default() && mode_ != LoadMode::kOverwrite;
    edge_order_.push_back(table.get());
  }
  return *table;
}

void JsonlLoad::mark_present(bool& present, const std::string& table_key) {
  present = true;
  // Overwrite replaces each table the input names; the writer is only
  // committed after the whole load succeeded, so clearing up front is safe.
  if (mode_ == LoadMode::kOverwrite) writer_.clear_table(table_key);
}

void JsonlLoad::add_chunk(ParsedChunk& chunk) {
  const std::vector<ParsedLine>& lines = chunk.lines;
  if (chunk.generated_ids > 0) next_id_ = Ulid::reserve(chunk.generated_ids);
  look_up_endpoints(chunk);
  // Id inserts miss the cache on big tables: ask for the slots a few lines
  // ahead.
  constexpr size_t kLookahead = 16;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i + kLookahead < lines.size()) prefetch(lines[i + kLookahead]);
    if (lines[i].node != nullptr) {
      add_node(chunk, lines[i]);
    } else {
      add_edge(chunk, lines[i], found_[i]);
    }
  }
  flush_all();
}

void JsonlLoad::prefetch(const ParsedLine& line) const {
  if (line.node == nullptr) return;  // edges' lookups are done by then
  const auto& table = nodes_[static_cast<size_t>(line.node - catalog_->node_types().data())];
  if (table && line.has_id_hash) table->ids.prefetch(line.id_hash);
}

std::string_view JsonlLoad::take_id(ParsedChunk& chunk, const ParsedLine& line) {
  if (line.generated_id) {
    next_id_.write(chunk.encoded.data() + line.id_offset);
    next_id_ = next_id_.successor();
  }
  return chunk.id(line);
}

void JsonlLoad::add_node(ParsedChunk& chunk, const ParsedLine& line) {
  NodeTable& table = node_table(*line.node);
  ++table.rows;
  if (!table.present) mark_present(table.present, line.node->table_key());
  if (node_error_) return;  // the load fails anyway; only line errors can still win
  if (line.error) {
    node_error_.emplace(*line.error);
    drop_staged_nodes();
    drop_staged_edges();
    return;
  }
  const std::string_view id = take_id(chunk, line);
  if (table.track_ids) {
    if (line.has_id_hash) {
      table.ids.insert(id, line.id_hash, 0);
    } else {
      table.ids.insert(id, 0);
    }
  }
  table.batch.push_back({id, chunk.record(line)});
  staged();
}

void JsonlLoad::add_edge(ParsedChunk& chunk, const ParsedLine& line, uint8_t found) {
  EdgeTable& table = edge_table(*line.edge);
  const uint64_t row_number = ++table.rows;  // 1-based, as endpoint errors report it
  if (!table.present) mark_present(table.present, line.edge->table_key());
  if (node_error_) return;

  // Nodes of the same input count wherever their line is, so an endpoint
  // not loaded yet (here: before this chunk) is only noted here and decided
  // in finish().
  const uint32_t row_tag = static_cast<uint32_t>(std::min<uint64_t>(row_number, UINT32_MAX));
  if (!(found & 1)) table.unresolved_src.insert(line.from, row_tag);
  if (!(found & 2)) table.unresolved_dst.insert(line.to, row_tag);
  if (edge_error_) return;
  if (line.error) {
    edge_error_.emplace(*line.error);
    drop_staged_edges();
    return;
  }
  if (line.explicit_id) table.explicit_ids = true;
  if (table.track_sources) table.sources.insert(line.from, 0);
  table.batch.push_back({take_id(chunk, line), chunk.record(line)});
  staged();
}

void JsonlLoad::staged() {
  if (++staged_rows_ >= flush_rows) flush_all();
}

void JsonlLoad::flush_all() {
  for (auto& table : nodes_) {
    if (table) flush(*table);
  }
  for (EdgeTable* table : edge_order_) flush(*table);
  staged_rows_ = 0;
}

void JsonlLoad::flush(NodeTable& table) {
  if (table.batch.empty()) return;
  writer_.put_encoded_nodes(*table.type, table.batch);
  table.batch.clear();
}

void JsonlLoad::flush(EdgeTable& table) {
  if (table.batch.empty()) return;
  writer_.put_encoded_edges(*table.type, table.batch);
  table.batch.clear();
}

void JsonlLoad::drop_staged_nodes() {
  for (auto& table : nodes_) {
    if (table) table->batch.clear();
  }
}

void JsonlLoad::drop_staged_edges() {
  for (auto& table : edges_) {
    if (table) table->batch.clear();
  }
}

}  // namespace omnigraph::engine::loader_detail
