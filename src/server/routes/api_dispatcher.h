// The request pipeline in front of every handler: route match (404/405),
// query parsing, bearer authentication (401 first, before anything that
// depends on the request's content), graph resolution (multi mode: 400 bad
// id, 404 unknown), JSON body checks (415/400), then the handler; every
// failure becomes an ErrorOutput.
#pragma once

#include "server/http/http_server.h"
#include "server/http/route_table.h"
#include "server/routes/route_context.h"

namespace omnigraph::server {

class ApiDispatcher : public http::Dispatcher {
 public:
  explicit ApiDispatcher(AppState& app) : app_(app), router_(app.multi) {}

  std::size_t body_limit(std::string_view method, std::string_view path) const override;
  // Health, OpenAPI, route misses and authentication failures are answered on
  // the I/O thread; everything that reaches a graph goes to the workers.
  std::optional<http::Response> handle_inline(http::IncomingRequest& request) noexcept override;
  http::Response handle(http::IncomingRequest& request) noexcept override;

 private:
  http::Response route(http::IncomingRequest& request, const http::RouteMatch& match,
                       auth::Identity& identity);

  AppState& app_;
  http::Router router_;
};

}  // namespace omnigraph::server
