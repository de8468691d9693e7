#include "server/server.h"

#include <spdlog/spdlog.h>

#include <thread>

#include "common/error.h"
#include "server/admission.h"
#include "server/auth/authorizer.h"
#include "server/auth/token_store.h"
#include "server/config/graph_config_writer.h"
#include "server/http/http_server.h"
#include "server/routes/api_dispatcher.h"
#include "server/routes/route_context.h"

namespace omnigraph::server {

struct Server::Impl {
  config::ServerSettings settings;
  std::unique_ptr<auth::Authorizer> authorizer;
  std::unique_ptr<AdmissionController> admission;
  std::unique_ptr<config::GraphConfigWriter> config_writer;
  AppState app;
  std::unique_ptr<ApiDispatcher> dispatcher;
  std::unique_ptr<http::HttpServer> http;
};

Server::Server(config::ServerSettings settings, const config::EnvLookup& env, ServerTuning tuning)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.settings = std::move(settings);
  bool multi = s.settings.mode == config::ServeMode::kMulti;

  auth::TokenStore tokens = auth::TokenStore::from_env(env);
  spdlog::info("bearer tokens: {} actor(s) from source '{}'", tokens.size(), tokens.source());

  auth::AuthorizerOptions auth_options;
  auth_options.tokens = std::move(tokens);
  auth_options.has_policy = s.settings.has_policy();
  auth_options.allow_unauthenticated = s.settings.allow_unauthenticated;
  auth_options.multi_graph = multi;
  if (multi && s.settings.server_policy_file) {
    auth_options.server_policy = std::make_shared<const policy::Policy>(
        policy::Policy::load(*s.settings.server_policy_file));
    spdlog::info("server policy: {}", s.settings.server_policy_file->string());
  }
  s.authorizer = std::make_unique<auth::Authorizer>(std::move(auth_options));
  spdlog::info("auth: {}", s.authorizer->describe());

  std::vector<std::string> warnings;
  s.admission = std::make_unique<AdmissionController>(AdmissionLimits::from_env(env, &warnings));
  for (const auto& warning : warnings) spdlog::warn("{}", warning);
  spdlog::info("admission: {} in-flight request(s) and {} bytes per actor",
               s.admission->limits().inflight_max, s.admission->limits().bytes_max);

  std::vector<GraphOpenSpec> specs;
  if (multi) {
    for (const auto& graph : s.settings.graphs)
      specs.push_back({graph.graph_id, graph.uri, graph.policy_file});
  } else {
    specs.push_back({kSingleGraphKey, s.settings.uri, s.settings.policy_file});
  }
  s.app.registry.open_all(specs, 4);
  if (multi) {
    // The drift baseline is the file as it is now, after the graphs opened.
    s.config_writer = std::make_unique<config::GraphConfigWriter>(
        s.settings.config.path, config::hash_config_file(s.settings.config.path));
    spdlog::info("multi-graph mode: {} graph(s) from {}", specs.size(),
                 s.settings.config.path.string());
  } else {
    spdlog::info("single-graph mode: serving {}", s.settings.uri);
  }

  s.app.multi = multi;
  s.app.authorizer = s.authorizer.get();
  s.app.admission = s.admission.get();
  s.app.config_writer = s.config_writer.get();
  s.app.base_dir = s.settings.config.base_dir;
  s.app.source_version = tuning.source_version;
  s.dispatcher = std::make_unique<ApiDispatcher>(s.app);

  http::HttpServerOptions http_options;
  http_options.bind = s.settings.bind;
  std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
  http_options.io_threads = tuning.io_threads ? tuning.io_threads : hardware;
  http_options.worker_threads =
      tuning.worker_threads ? tuning.worker_threads : std::max<std::size_t>(8, 2 * hardware);
  s.http = std::make_unique<http::HttpServer>(http_options, *s.dispatcher);
  s.http->listen();
  spdlog::info("listening on http://{}", s.http->local_address());
}

Server::~Server() = default;

std::string Server::local_address() const {
  return impl_->http->local_address();
}

void Server::run() {
  impl_->http->run(true);
  impl_->app.registry.clear();
  spdlog::info("stopped; graphs closed");
}

void Server::stop() {
  impl_->http->stop();
}

}  // namespace omnigraph::server
