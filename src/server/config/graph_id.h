// Graph ids name graphs in multi-graph mode (`/graphs/<id>/...`, keys of
// the `graphs:` map). The rules keep ids safe as URL segments and clear of
// names the engine or future routes reserve (http-contract §6.6).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnigraph::server::config {

// The problem with `id`, or nullopt when it is valid. Checked in order:
//   `graph_id must not be empty`
//   `graph_id '<v>' is <n> chars; max 64`              (byte length)
//   `graph_id '<v>' must match ^[a-zA-Z0-9-]{1,64}$ — no underscores (engine
//    reserves them), no path separators, no unicode`
//   `graph_id '<v>' is reserved (would collide with engine-managed names or
//    future cluster routes)`   (policies, healthz, openapi, openapi.json, graphs)
std::optional<std::string> graph_id_error(std::string_view id);

// Throws Error(kBadRequest, graph_id_error(id)) when invalid.
void validate_graph_id(std::string_view id);

}  // namespace omnigraph::server::config
