// Persists POST /graphs registrations into omnigraph.yaml (http-contract
// §6.5 step 8). Writers in this process and in other processes are
// serialised by an exclusive flock on `<config>.lock` (a sidecar: the config
// itself is replaced by rename, so its inode cannot carry the lock) plus an
// in-process mutex guarding the baseline. Under the lock the file is read
// and hashed; if it differs from the baseline (the bytes this server loaded
// or last wrote) someone edited it behind the server's back and nothing is
// written. Otherwise graphs.<id> is added, the result written to
// `<config>.tmp`, fsynced, renamed over the config, the directory fsynced,
// and the baseline advanced to the new bytes.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/hash.h"

namespace omnigraph::server::config {

// The 503 of §6.5 (body code `conflict`): the edge must answer 503, not 409.
class ConfigDriftError : public Error {
 public:
  ConfigDriftError();
};

inline constexpr std::string_view kConfigDriftMessage =
    "omnigraph.yaml drift detected: on-disk file does not match the server's startup baseline. "
    "Stop the server, reconcile the edits, then restart.";

// SHA-256 of a file's bytes; Error(kInternal) `hash omnigraph.yaml: <reason>`.
Hash hash_config_file(const std::filesystem::path& path);

class GraphConfigWriter {
 public:
  GraphConfigWriter(std::filesystem::path config_path, Hash baseline);

  // Adds graphs.<graph_id> = {uri, policy: {file}} (values verbatim).
  // Throws ConfigDriftError on drift; Error(kConflict)
  // `graph '<id>' is already registered` / `uri '<uri>' is already in use by
  // another graph` when the file already names the id or the exact uri;
  // Error(kInternal) on I/O failure (file left as it was). Thread-safe.
  void add_graph(const std::string& graph_id, const std::string& uri,
                 const std::optional<std::string>& policy_file);

  Hash baseline() const;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  mutable std::mutex mutex_;
  Hash baseline_;
};

}  // namespace omnigraph::server::config
