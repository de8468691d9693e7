#include "compiler/catalog/catalog.h"

#include <algorithm>

namespace omnigraph::compiler {

std::optional<std::string> Annotation::value() const {
  for (const auto& a : args) {
    if (a.key.empty()) return a.value;
  }
  return std::nullopt;
}

std::optional<std::string> Annotation::keyword(std::string_view key) const {
  for (const auto& a : args) {
    if (a.key == key) return a.value;
  }
  return std::nullopt;
}

const Annotation* find_annotation(const std::vector<Annotation>& annotations,
                                  std::string_view name) {
  for (const auto& a : annotations) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

namespace {

const Property* find_in(const std::vector<Property>& props, std::string_view name) {
  for (const auto& p : props) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

template <typename Index>
const typename Index::mapped_type* lookup(const Index& index, std::string_view key) {
  auto it = index.find(key);
  return it == index.end() ? nullptr : &it->second;
}

}  // namespace

const Property* InterfaceType::find_property(std::string_view n) const {
  return find_in(properties, n);
}
const Property* NodeType::find_property(std::string_view n) const {
  return find_in(properties, n);
}
const Property* EdgeType::find_property(std::string_view n) const {
  return find_in(properties, n);
}

const Property* NodeType::key_property() const {
  if (key.empty()) return nullptr;
  // The reference derives node ids from its canonical schema IR, where key
  // columns are sorted, so the id column is the alphabetically first one.
  return find_property(*std::min_element(key.begin(), key.end()));
}

bool NodeType::implements_interface(std::string_view interface_name) const {
  return std::find(implements.begin(), implements.end(), interface_name) != implements.end();
}

uint32_t stable_id_hash(std::string_view text) {
  uint32_t h = 2166136261u;
  for (unsigned char c : text) {
    h ^= c;
    h *= 16777619u;
  }
  return h == 0 ? 1 : h;
}

std::string fold_edge_name(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Catalog::Catalog(std::string source, std::vector<InterfaceType> interfaces,
                 std::vector<NodeType> node_types, std::vector<EdgeType> edge_types)
    : source_(std::move(source)),
      interfaces_(std::move(interfaces)),
      node_types_(std::move(node_types)),
      edge_types_(std::move(edge_types)) {
  for (size_t i = 0; i < interfaces_.size(); ++i) interface_index_.emplace(interfaces_[i].name, i);
  for (size_t i = 0; i < node_types_.size(); ++i) node_index_.emplace(node_types_[i].name, i);
  for (size_t i = 0; i < edge_types_.size(); ++i) {
    edge_index_.emplace(edge_types_[i].name, i);
    edge_folded_index_.emplace(fold_edge_name(edge_types_[i].name), i);
  }
}

const NodeType* Catalog::find_node_type(std::string_view name) const {
  const size_t* i = lookup(node_index_, name);
  return i ? &node_types_[*i] : nullptr;
}

const EdgeType* Catalog::find_edge_type(std::string_view name) const {
  const size_t* i = lookup(edge_index_, name);
  return i ? &edge_types_[*i] : nullptr;
}

const InterfaceType* Catalog::find_interface(std::string_view name) const {
  const size_t* i = lookup(interface_index_, name);
  return i ? &interfaces_[*i] : nullptr;
}

const EdgeType* Catalog::lookup_edge(std::string_view name) const {
  if (const EdgeType* e = find_edge_type(name)) return e;
  const size_t* i = lookup(edge_folded_index_, fold_edge_name(name));
  return i ? &edge_types_[*i] : nullptr;
}

const NodeType* Catalog::node_for_table_key(std::string_view table_key) const {
  if (!table_key.starts_with("node:")) return nullptr;
  return find_node_type(table_key.substr(5));
}

const EdgeType* Catalog::edge_for_table_key(std::string_view table_key) const {
  if (!table_key.starts_with("edge:")) return nullptr;
  return find_edge_type(table_key.substr(5));
}

std::vector<std::string> Catalog::table_keys() const {
  std::vector<std::string> out;
  for (const auto& n : node_types_) out.push_back(n.table_key());
  for (const auto& e : edge_types_) out.push_back(e.table_key());
  return out;
}

std::vector<const EdgeType*> Catalog::edges_from(std::string_view node_type) const {
  std::vector<const EdgeType*> out;
  for (const auto& e : edge_types_) {
    if (e.from_type == node_type) out.push_back(&e);
  }
  return out;
}

std::vector<const EdgeType*> Catalog::edges_to(std::string_view node_type) const {
  std::vector<const EdgeType*> out;
  for (const auto& e : edge_types_) {
    if (e.to_type == node_type) out.push_back(&e);
  }
  return out;
}

}  // namespace omnigraph::compiler
