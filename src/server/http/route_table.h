// The one route table: the router matches requests against it and the
// OpenAPI document is generated from it, so the two cannot drift apart.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::server::http {

enum class RouteId {
  kHealth,
  kOpenApi,
  kSnapshot,
  kRead,
  kExport,
  kChange,
  kSchemaGet,
  kSchemaApply,
  kIngest,
  kBranchList,
  kBranchCreate,
  kBranchDelete,
  kBranchMerge,
  kCommitList,
  kCommitShow,
  kGraphList,
  kGraphCreate,
};

// Where a route lives: global routes are never authenticated nor nested;
// graph routes are flat in single mode and under /graphs/{graph_id} in
// multi mode; management routes are /graphs in both modes.
enum class RouteScope { kGlobal, kGraph, kManagement };

inline constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;     // 1 MiB
inline constexpr std::size_t kLargeBodyLimit = 32 * 1024 * 1024;  // 32 MiB

struct RouteSpec {
  RouteId id;
  std::string_view method;  // GET, POST, DELETE
  std::string_view path;    // relative to the graph prefix, e.g. /branches/{branch}
  RouteScope scope;
  std::string_view operation_id;
  std::string_view tag;
  std::string_view summary;
  std::string_view request_schema;   // OpenAPI component of the JSON body; empty = no body
  std::string_view response_schema;  // OpenAPI component of the success body
  unsigned success_status = 200;
  std::size_t body_limit = kDefaultBodyLimit;
  std::string_view query_param;  // the optional `branch` query parameter, if any
  bool streams = false;          // NDJSON body
};

const std::vector<RouteSpec>& route_specs();

// The full path a route is served at in a mode.
std::string served_path(const RouteSpec& route, bool multi);

struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
  const RouteSpec* route = nullptr;
  std::map<std::string, std::string> params;  // percent-decoded path parameters
  std::optional<std::string> graph_id;        // raw {graph_id} segment (multi mode)
  std::string allow;                          // 405: the methods the path supports
};

class Router {
 public:
  // Splits every route's served path once, so matching allocates only for
  // the request's own parameters.
  explicit Router(bool multi);
  // `path` is the request target without its query string, not decoded.
  RouteMatch match(std::string_view method, std::string_view path) const;
  bool multi() const { return multi_; }

 private:
  struct Pattern {
    const RouteSpec* route;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    std::string full_path;              // as served
    bool is_static = false;             // no parameter segment
  };
  bool multi_;
  std::vector<Pattern> patterns_;
};

// Percent-decodes a path segment or query value; nullopt on a bad escape or
// a result that is not valid UTF-8.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Splits a query string into decoded key/value pairs (first occurrence wins).
// Throws Error(kBadRequest) on a malformed escape.
std::map<std::string, std::string> parse_query(std::string_view query);

}  // namespace omnigraph::server::http
