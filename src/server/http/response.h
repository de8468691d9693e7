// What a route handler hands back to the connection: a status, headers and
// either a complete body or a producer that streams the body from a worker
// thread (used by /export so memory stays flat whatever the graph size).
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace omnigraph::server::http {

// Writes the body to `out` on a worker thread. Throwing before the first
// byte turns into an ErrorOutput response; throwing later aborts the stream.
using BodyProducer = std::function<void(std::ostream& out)>;

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  BodyProducer stream;  // when set, `body` is ignored and the body is chunked
  std::string actor;    // for the access log only
};

inline Response json_response(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

}  // namespace omnigraph::server::http
