// Schema evolution entry points of the Graph handle (engine.md §4).
#include "common/error.h"
#include "engine/graph_impl.h"
#include "omnigraph/graph.h"

namespace omnigraph {

std::string Graph::schema_source(const GraphTarget& at) {
  State state = at.branch ? impl_->branch_state(*at.branch) : impl_->snapshot_state(*at.snapshot);
  auto chunk = impl_->store.chunks->get(state.root->schema);
  if (!chunk) throw_internal("schema chunk " + state.root->schema.hex() + " is missing");
  return *chunk;
}

SchemaPlan Graph::schema_plan(std::string_view, const std::string&, bool) {
  throw_bad_request("schema planning is not available in this build yet");
}

SchemaApplyResult Graph::schema_apply(const SchemaApplyRequest&) {
  throw_bad_request("schema apply is not available in this build yet");
}

std::string schema_steps_json(const std::vector<SchemaStep>&) {
  throw_internal("schema step encoding is not available in this build yet");
}

}  // namespace omnigraph
