#include "engine/search/optimize.h"

#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "engine/graph_root.h"
#include "engine/graph_view.h"
#include "engine/schema_record.h"
#include "prolly/node_store.h"
#include "store/store.h"
#include "version/commit_store.h"

namespace omnigraph::engine::search {

std::vector<OptimizedBranch> optimize_graph(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) throw_not_found("no graph at " + dir.string());
  store::RocksDbOptions options;
  options.create_if_missing = false;
  store::Store store = store::open_rocksdb_store(dir, options);
  prolly::NodeStore nodes(*store.chunks);
  version::CommitStore commits(store);
  std::vector<OptimizedBranch> out;
  for (const auto& [branch, head] : commits.branches()) {
    auto commit = commits.read(head);
    auto root_chunk = store.chunks->get(commit->root);
    if (!root_chunk) throw_internal("graph root " + commit->root.hex() + " is missing");
    GraphRoot root = decode_graph_root(*root_chunk);
    auto schema = store.chunks->get(root.schema);
    if (!schema) throw_internal("schema chunk " + root.schema.hex() + " is missing");
    // The schema chunk is a schema record: after a rename it carries id
    // overrides, and rows are keyed by those ids.
    auto catalog = std::make_shared<const compiler::Catalog>(
        compile_schema_record(decode_schema_record(*schema)));
    GraphView view(catalog, root, nodes, store.refs.get());
    out.push_back({branch, commit->graph_commit_id.str(), build_derived_indexes(view)});
  }
  return out;
}

}  // namespace omnigraph::engine::search
