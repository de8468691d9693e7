// The omnigraph-server process: from resolved settings to a serving HTTP
// listener. Startup order follows the reference (http-contract §6.1): tokens,
// runtime state (may refuse to start), admission limits, graphs (parallel,
// fail-fast), config writer (multi mode), bind. run() serves until SIGINT or
// SIGTERM, lets in-flight requests finish, then closes the graphs.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "server/config/env.h"
#include "server/config/server_settings.h"

namespace omnigraph::server {

struct ServerTuning {
  std::size_t io_threads = 0;                 // 0: one per hardware thread
  std::size_t worker_threads = 0;             // 0: max(8, 2 x hardware threads)
  std::optional<std::string> source_version;  // reported by /healthz when set
};

class Server {
 public:
  // Throws omnigraph::Error when the server must not start.
  Server(config::ServerSettings settings, const config::EnvLookup& env, ServerTuning tuning = {});
  ~Server();

  std::string local_address() const;
  void run();   // blocks; handles SIGINT and SIGTERM
  void stop();  // graceful, from any thread

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnigraph::server
