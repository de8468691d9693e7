// Graph::diff: resolves both targets to states and streams the change feed
// between their graph roots (engine.md §5).
#include "engine/change_feed.h"
#include "engine/graph_impl.h"

namespace omnigraph {
namespace {

State resolve_target(Graph::Impl& impl, const GraphTarget& target) {
  if (target.branch.has_value() == target.snapshot.has_value()) {
    throw_bad_request("a diff target needs exactly one of branch or snapshot");
  }
  return target.branch ? impl.branch_state(*target.branch) : impl.snapshot_state(*target.snapshot);
}

}  // namespace

ChangeStats Graph::diff(const GraphTarget& from, const GraphTarget& to, const ChangeFilter& filter,
                        const std::function<void(const EntityChange&)>& sink) {
  State from_state = resolve_target(*impl_, from);
  State to_state = resolve_target(*impl_, to);
  return engine::diff_graph_roots(impl_->nodes, *from_state.root, *to_state.root,
                                  to_state.commit->manifest_version, filter, sink);
}

}  // namespace omnigraph
