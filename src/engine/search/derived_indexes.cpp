#include "engine/search/derived_indexes.h"

#include <map>
#include <mutex>

#include "engine/search/vector/vector_search.h"

namespace omnigraph::engine::search {

namespace {

std::mutex builders_mutex;

std::map<std::string, DerivedIndexBuilder>& builders() {
  // The vector builder is always there: it lives in this library, and a
  // static registrar in another object file of a static library could be
  // dropped by the linker.
  static std::map<std::string, DerivedIndexBuilder> map{
      {"vector", [](const GraphView& view) { return vector::prebuild_vector_indexes(view); }}};
  return map;
}

}  // namespace

void register_derived_index_builder(const std::string& name, DerivedIndexBuilder builder) {
  std::lock_guard lock(builders_mutex);
  builders()[name] = std::move(builder);
}

std::vector<DerivedIndexReport> build_derived_indexes(const GraphView& view) {
  std::map<std::string, DerivedIndexBuilder> copy;
  {
    std::lock_guard lock(builders_mutex);
    copy = builders();
  }
  std::vector<DerivedIndexReport> out;
  for (const auto& [name, builder] : copy) out.push_back({name, builder(view)});
  return out;
}

}  // namespace omnigraph::engine::search
