// HTTP/1.1 over Boost.Beast: an acceptor, one coroutine per connection
// (keep-alive), request bodies capped per route, handlers run on a worker
// pool so a slow query never blocks the I/O threads, NDJSON bodies streamed
// through a bounded buffer, access logs, and graceful shutdown (stop
// accepting, let in-flight requests finish, close idle connections).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/response.h"

namespace omnigraph::server::http {

struct IncomingRequest {
  std::string method;
  std::string target;                          // as sent: path and query
  std::string path;                            // target without the query string, not decoded
  std::string query;                           // after '?', not decoded
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string request_id;

  std::optional<std::string_view> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
  }
};

// What the server calls for each request.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  // On an I/O thread, after the header: the largest body this request may carry.
  virtual std::size_t body_limit(std::string_view method, std::string_view path) const = 0;
  // On an I/O thread, before any hand-off: answers requests that cost
  // microseconds (health, route misses, authentication failures) directly,
  // or returns nullopt to have handle() run on a worker. Never throws.
  virtual std::optional<Response> handle_inline(IncomingRequest&) noexcept { return std::nullopt; }
  // On a worker thread. Never throws: errors become ErrorOutput responses.
  virtual Response handle(IncomingRequest& request) noexcept = 0;
};

struct HttpServerOptions {
  std::string bind = "127.0.0.1:8080";  // host:port; port 0 picks a free port
  std::size_t io_threads = 2;
  std::size_t worker_threads = 8;
  std::size_t stream_chunk_bytes = 64 * 1024;  // export chunk size
  std::size_t stream_buffered_chunks = 4;      // bound between producer and socket
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Dispatcher& dispatcher);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; throws Error(kInternal) naming the address on failure.
  void listen();
  // The bound address ("127.0.0.1:41234"), valid after listen().
  std::string local_address() const;
  // Serves until SIGINT/SIGTERM (when install_signal_handlers) or stop();
  // returns once every connection is closed.
  void run(bool install_signal_handlers);
  // Graceful stop; safe from any thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnigraph::server::http
