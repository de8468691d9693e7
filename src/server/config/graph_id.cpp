#include "server/config/graph_id.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "common/error.h"

namespace omnigraph::server::config {
namespace {

constexpr std::size_t kMaxGraphIdBytes = 64;

// Names the engine keeps for itself (`policies`) or routes already use.
constexpr std::array<std::string_view, 5> kReserved = {"policies", "healthz", "openapi",
                                                       "openapi.json", "graphs"};

bool allowed_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

std::optional<std::string> graph_id_error(std::string_view id) {
  if (id.empty()) return std::string("graph_id must not be empty");
  if (id.size() > kMaxGraphIdBytes) {
    return fmt::format("graph_id '{}' is {} chars; max {}", id, id.size(), kMaxGraphIdBytes);
  }
  if (!std::all_of(id.begin(), id.end(), allowed_char)) {
    return fmt::format(
        "graph_id '{}' must match ^[a-zA-Z0-9-]{{1,64}}$ — no underscores (engine reserves "
        "them), no path separators, no unicode",
        id);
  }
  if (std::find(kReserved.begin(), kReserved.end(), id) != kReserved.end()) {
    return fmt::format(
        "graph_id '{}' is reserved (would collide with engine-managed names or future cluster "
        "routes)",
        id);
  }
  return std::nullopt;
}

void validate_graph_id(std::string_view id) {
  if (auto error = graph_id_error(id)) throw_bad_request(std::move(*error));
}

}  // namespace omnigraph::server::config
