#include "server/http/route_table.h"

#include <algorithm>
#include <set>

#include "common/error.h"

namespace omnigraph::server::http {

const std::vector<RouteSpec>& route_specs() {
  using S = RouteScope;
  static const std::vector<RouteSpec> specs = {
      {RouteId::kHealth, "GET", "/healthz", S::kGlobal, "health", "health",
       "Liveness probe; never authenticated", "", "HealthOutput"},
      {RouteId::kGraphList, "GET", "/graphs", S::kManagement, "listGraphs", "management",
       "List the graphs served (multi-graph mode)", "", "GraphListResponse"},
      {RouteId::kGraphCreate, "POST", "/graphs", S::kManagement, "createGraph", "management",
       "Create a graph at runtime and register it in omnigraph.yaml (multi-graph mode)",
       "GraphCreateRequest", "GraphCreateResponse", 201, kLargeBodyLimit},
      {RouteId::kSnapshot, "GET", "/snapshot", S::kGraph, "getSnapshot", "snapshots",
       "Tables and versions of a branch head", "", "SnapshotOutput", 200, kDefaultBodyLimit,
       "branch"},
      {RouteId::kRead, "POST", "/read", S::kGraph, "read", "queries",
       "Run a read query on a branch or a commit", "ReadRequest", "ReadOutput"},
      {RouteId::kExport, "POST", "/export", S::kGraph, "export", "queries",
       "Stream a branch as NDJSON", "ExportRequest", "", 200, kDefaultBodyLimit, "", true},
      {RouteId::kChange, "POST", "/change", S::kGraph, "change", "mutations",
       "Run a mutation query as one commit", "ChangeRequest", "ChangeOutput"},
      {RouteId::kSchemaGet, "GET", "/schema", S::kGraph, "getSchema", "schema",
       "The schema source in force on main", "", "SchemaOutput"},
      {RouteId::kSchemaApply, "POST", "/schema/apply", S::kGraph, "applySchema", "mutations",
       "Migrate main to a new schema", "SchemaApplyRequest", "SchemaApplyOutput"},
      {RouteId::kIngest, "POST", "/ingest", S::kGraph, "ingest", "mutations",
       "Load NDJSON into a branch, creating it when missing", "IngestRequest", "IngestOutput", 200,
       kLargeBodyLimit},
      {RouteId::kBranchList, "GET", "/branches", S::kGraph, "listBranches", "branches",
       "List branches", "", "BranchListOutput"},
      {RouteId::kBranchCreate, "POST", "/branches", S::kGraph, "createBranch", "branches",
       "Create a branch", "BranchCreateRequest", "BranchCreateOutput"},
      {RouteId::kBranchMerge, "POST", "/branches/merge", S::kGraph, "mergeBranches", "branches",
       "Merge a branch into another", "BranchMergeRequest", "BranchMergeOutput"},
      {RouteId::kBranchDelete, "DELETE", "/branches/{branch}", S::kGraph, "deleteBranch",
       "branches", "Delete a branch", "", "BranchDeleteOutput"},
      {RouteId::kCommitList, "GET", "/commits", S::kGraph, "listCommits", "commits",
       "Commits reachable from a branch head, oldest first", "", "CommitListOutput", 200,
       kDefaultBodyLimit, "branch"},
      {RouteId::kCommitShow, "GET", "/commits/{commit_id}", S::kGraph, "getCommit", "commits",
       "One commit", "", "CommitOutput"},
      {RouteId::kOpenApi, "GET", "/openapi.json", S::kGlobal, "openapi", "health", "This document",
       "", ""},
  };
  return specs;
}

std::string served_path(const RouteSpec& route, bool multi) {
  if (multi && route.scope == RouteScope::kGraph)
    return "/graphs/{graph_id}" + std::string(route.path);
  return std::string(route.path);
}

namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    if (c < 0x80) {
      extra = 0;
    } else if ((c >> 5) == 0x6) {
      extra = 1;
    } else if ((c >> 4) == 0xE) {
      extra = 2;
    } else if ((c >> 3) == 0x1E) {
      extra = 3;
    } else {
      return false;
    }
    if (extra > 0 && i + extra > s.size() - 1) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = hex_value(text[i + 1]);
      int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value)
      throw_bad_request("invalid query string: bad percent-encoding or non-UTF-8 text");
    out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

Router::Router(bool multi) : multi_(multi) {
  for (const RouteSpec& route : route_specs()) {
    std::string full_path = served_path(route, multi_);
    Pattern pattern{&route, {}, full_path, true};
    for (std::string_view segment : split_segments(full_path)) {
      pattern.segments.emplace_back(segment);
      if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}')
        pattern.is_static = false;
    }
    patterns_.push_back(std::move(pattern));
  }
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  // A parameter-free route whose path and method match exactly is always the
  // best candidate (all its segments are static), so the common case skips
  // the allocating general search below.
  for (const Pattern& entry : patterns_) {
    if (entry.is_static && entry.full_path == path && entry.route->method == method) {
      result.kind = RouteMatch::Kind::kFound;
      result.route = entry.route;
      return result;
    }
  }
  std::vector<std::string_view> segments = split_segments(path);
  if (segments.empty()) return result;

  // Candidates whose path shape matches, best (most static segments) first.
  struct Candidate {
    const RouteSpec* route;
    int static_segments;
    std::map<std::string, std::string> params;
    std::optional<std::string> graph_id;
  };
  std::vector<Candidate> candidates;
  for (const Pattern& entry : patterns_) {
    const std::vector<std::string>& pattern = entry.segments;
    if (pattern.size() != segments.size()) continue;
    Candidate candidate{entry.route, 0, {}, std::nullopt};
    bool ok = true;
    for (std::size_t i = 0; i < pattern.size() && ok; ++i) {
      std::string_view p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        std::string name(p.substr(1, p.size() - 2));
        if (segments[i].empty()) {
          ok = false;
        } else if (name == "graph_id") {
          candidate.graph_id = std::string(segments[i]);  // validated raw, like the reference
        } else {
          auto decoded = percent_decode(segments[i], false);
          if (!decoded) {
            ok = false;
          } else {
            candidate.params[name] = std::move(*decoded);
          }
        }
      } else if (p == segments[i]) {
        ++candidate.static_segments;
      } else {
        ok = false;
      }
    }
    if (ok) candidates.push_back(std::move(candidate));
  }
  if (candidates.empty()) return result;

  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const Candidate& a, const Candidate& b) { return a.static_segments > b.static_segments; });
  // A path whose static form exists only for other methods still reaches a
  // parameterised route with this method: DELETE /branches/merge deletes the
  // branch named `merge` instead of answering 405.
  for (Candidate& candidate : candidates) {
    if (candidate.route->method == method) {
      result.kind = RouteMatch::Kind::kFound;
      result.route = candidate.route;
      result.params = std::move(candidate.params);
      result.graph_id = std::move(candidate.graph_id);
      return result;
    }
  }
  std::set<std::string_view> methods;
  for (const Candidate& candidate : candidates) methods.insert(candidate.route->method);
  result.kind = RouteMatch::Kind::kMethodNotAllowed;
  for (std::string_view m : methods) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += m;
  }
  return result;
}

}  // namespace omnigraph::server::http
