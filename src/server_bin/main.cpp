// omnigraph-server [URI] [--target <name>] [--config <path>] [--bind <addr>]
// [--unauthenticated]: serves one graph (flat routes) or every graph of an
// omnigraph.yaml (/graphs/<id>/...) over HTTP until SIGINT or SIGTERM.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "common/error.h"
#include "server/config/env.h"
#include "server/config/server_settings.h"
#include "server/server.h"

namespace {

// OMNIGRAPH_LOG (or RUST_LOG, for compatibility) picks the level; default info.
void setup_logging() {
  auto logger = spdlog::stderr_color_mt("omnigraph-server");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  const char* level = std::getenv("OMNIGRAPH_LOG");
  if (level == nullptr) level = std::getenv("RUST_LOG");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::info);
  if (level && spdlog::get_level() == spdlog::level::off && std::string(level) != "off") {
    spdlog::set_level(spdlog::level::info);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace omnigraph;
  CLI::App app{"omnigraph-server: the Omnigraph HTTP API"};
  server::config::ServerCliArgs args;
  std::string uri, target, config_path, bind;
  app.add_option("uri", uri, "graph directory to serve (single-graph mode)");
  app.add_option("--target", target, "serve graphs.<name> of omnigraph.yaml (single-graph mode)");
  app.add_option("--config", config_path,
                 "omnigraph.yaml to read (multi-graph mode when it has graphs:)");
  app.add_option("--bind", bind, "listen address host:port (default 127.0.0.1:8080)");
  app.add_flag("--unauthenticated", args.unauthenticated,
               "allow serving with no tokens and no policy");
  CLI11_PARSE(app, argc, argv);
  if (!uri.empty()) args.uri = uri;
  if (!target.empty()) args.target = target;
  if (!config_path.empty()) args.config = config_path;
  if (!bind.empty()) args.bind = bind;

  setup_logging();
  try {
    auto env = server::config::process_env();
    auto settings =
        server::config::load_server_settings(args, env, std::filesystem::current_path());
    spdlog::info("omnigraph-server {} (engine {}) starting", "0.7.0", OG_VERSION);
    server::ServerTuning tuning;
#ifdef OG_SOURCE_VERSION
    tuning.source_version = OG_SOURCE_VERSION;
#endif
    server::Server srv(std::move(settings), env, tuning);
    srv.run();
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    return 1;
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return 1;
  }
  return 0;
}
