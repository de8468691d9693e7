// The graphs a server serves, by graph id: opened at startup (in parallel,
// four at a time, the first failure aborting startup) and added at runtime
// by POST /graphs. Readers take a shared_ptr to an entry, so a request keeps
// its graph alive even while the registry changes.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "omnigraph/graph.h"
#include "policy/policy.h"

namespace omnigraph::server {

struct GraphEntry {
  std::string graph_id;  // "default" in single mode (never on the wire)
  std::string uri;
  std::unique_ptr<Graph> graph;
  std::shared_ptr<const policy::Policy> policy;  // null: no per-graph policy
};

struct GraphOpenSpec {
  std::string graph_id;
  std::string uri;
  std::optional<std::filesystem::path> policy_file;
};

class GraphRegistry {
 public:
  // Opens every graph (and loads its policy) with at most `parallelism`
  // opens at once. The first failure stops further opens and is rethrown as
  // `open graph '<id>' at <uri>: <reason>` (same code). Duplicate ids or
  // URIs are refused before anything is opened.
  void open_all(const std::vector<GraphOpenSpec>& specs, std::size_t parallelism = 4);

  // Adds an opened graph; Error(kConflict) when the id or URI is taken.
  void insert(std::shared_ptr<GraphEntry> entry);

  // Reserves an id/uri for a create in progress so concurrent creates of the
  // same id or uri conflict early; release() undoes it.
  void reserve(const std::string& graph_id, const std::string& uri);
  void release(const std::string& graph_id, const std::string& uri);

  std::shared_ptr<GraphEntry> find(const std::string& graph_id) const;
  // Sorted by graph id.
  std::vector<std::shared_ptr<GraphEntry>> list() const;
  std::size_t size() const;
  bool any_policy() const;

  // Drops every handle (graphs close when their last request finishes).
  void clear();

 private:
  void check_free_locked(const std::string& graph_id, const std::string& uri) const;

  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<GraphEntry>> entries_;
  std::map<std::string, std::string> reserved_;  // graph id -> uri
};

}  // namespace omnigraph::server
