#include "server/graph_registry.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "common/error.h"

namespace omnigraph::server {

namespace {

std::shared_ptr<GraphEntry> open_entry(const GraphOpenSpec& spec) {
  auto entry = std::make_shared<GraphEntry>();
  entry->graph_id = spec.graph_id;
  entry->uri = spec.uri;
  if (spec.policy_file) {
    entry->policy = std::make_shared<const policy::Policy>(policy::Policy::load(*spec.policy_file));
  }
  entry->graph = Graph::open(spec.uri);
  if (entry->policy) entry->graph->set_policy(entry->policy);
  return entry;
}

}  // namespace

void GraphRegistry::open_all(const std::vector<GraphOpenSpec>& specs, std::size_t parallelism) {
  {
    std::set<std::string> ids, uris;
    for (const auto& spec : specs) {
      if (!ids.insert(spec.graph_id).second) {
        throw_bad_request("multi-graph registry: graph '" + spec.graph_id +
                          "' is already registered");
      }
      if (!uris.insert(spec.uri).second) {
        throw_bad_request("multi-graph registry: URI '" + spec.uri +
                          "' is already registered as another graph");
      }
    }
  }
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::optional<Error> first_error;
  std::vector<std::shared_ptr<GraphEntry>> opened(specs.size());

  auto work = [&] {
    while (!failed) {
      std::size_t i = next++;
      if (i >= specs.size()) return;
      const auto& spec = specs[i];
      try {
        opened[i] = open_entry(spec);
        spdlog::info("opened graph '{}' at {}{}", spec.graph_id, spec.uri,
                     spec.policy_file ? " (policy " + spec.policy_file->string() + ")" : "");
      } catch (const std::exception& e) {
        ErrorCode code = ErrorCode::kInternal;
        if (const auto* error = dynamic_cast<const Error*>(&e)) code = error->code();
        std::lock_guard lock(mutex);
        if (!first_error) {
          first_error.emplace(
              code, "open graph '" + spec.graph_id + "' at " + spec.uri + ": " + e.what());
        }
        failed = true;
      }
    }
  };
  std::vector<std::thread> threads;
  std::size_t count = std::min(std::max<std::size_t>(1, parallelism), specs.size());
  for (std::size_t t = 0; t < count; ++t) threads.emplace_back(work);
  for (auto& thread : threads) thread.join();
  if (first_error) throw *first_error;

  std::unique_lock lock(mutex_);
  for (auto& entry : opened) entries_[entry->graph_id] = std::move(entry);
}

void GraphRegistry::check_free_locked(const std::string& graph_id, const std::string& uri) const {
  if (entries_.count(graph_id) || reserved_.count(graph_id)) {
    throw_conflict("graph '" + graph_id + "' is already registered");
  }
  for (const auto& [id, entry] : entries_) {
    if (entry->uri == uri) throw_conflict("uri '" + uri + "' is already in use by another graph");
  }
  for (const auto& [id, reserved_uri] : reserved_) {
    if (reserved_uri == uri) throw_conflict("uri '" + uri + "' is already in use by another graph");
  }
}

void GraphRegistry::insert(std::shared_ptr<GraphEntry> entry) {
  std::unique_lock lock(mutex_);
  auto reservation = reserved_.find(entry->graph_id);
  if (reservation != reserved_.end() && reservation->second == entry->uri)
    reserved_.erase(reservation);
  check_free_locked(entry->graph_id, entry->uri);
  entries_[entry->graph_id] = std::move(entry);
}

void GraphRegistry::reserve(const std::string& graph_id, const std::string& uri) {
  std::unique_lock lock(mutex_);
  check_free_locked(graph_id, uri);
  reserved_[graph_id] = uri;
}

void GraphRegistry::release(const std::string& graph_id, const std::string& uri) {
  std::unique_lock lock(mutex_);
  auto it = reserved_.find(graph_id);
  if (it != reserved_.end() && it->second == uri) reserved_.erase(it);
}

std::shared_ptr<GraphEntry> GraphRegistry::find(const std::string& graph_id) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(graph_id);
  return it == entries_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<GraphEntry>> GraphRegistry::list() const {
  std::shared_lock lock(mutex_);
  std::vector<std::shared_ptr<GraphEntry>> out;
  for (const auto& [id, entry] : entries_) out.push_back(entry);
  return out;
}

std::size_t GraphRegistry::size() const {
  std::shared_lock lock(mutex_);
  return entries_.size();
}

bool GraphRegistry::any_policy() const {
  std::shared_lock lock(mutex_);
  for (const auto& [id, entry] : entries_) {
    if (entry->policy) return true;
  }
  return false;
}

void GraphRegistry::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
}

}  // namespace omnigraph::server
