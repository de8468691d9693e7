// A small synchronous HTTP client (libcurl) for the CLI's remote targets.
// It speaks the server contract of http-contract.md: JSON bodies, an
// optional bearer token, and ErrorOutput documents on failure.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace omnigraph::cli {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;  // empty when the body was streamed to a sink
};

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE
  std::string url;
  std::optional<std::string> json_body;     // sent with Content-Type: application/json
  std::optional<std::string> bearer_token;  // sent as Authorization: Bearer <token>
  // When set, a 2xx body is passed here piece by piece instead of being
  // collected (exports); error bodies are always collected.
  std::function<void(std::string_view)> stream_sink;
};

// Performs the request. Transport failures (refused connection, DNS, TLS)
// are Error(kBadRequest) "cannot reach <url>: <reason>"; HTTP error
// statuses are returned, not thrown.
HttpResponse http_perform(const HttpRequest& request);

// Throws the error a non-2xx response stands for: the ErrorOutput's `error`
// text with its `code` mapped back to an ErrorCode (merge and manifest
// conflict details kept), or "server returned <status>: <body>" when the
// body is not an ErrorOutput (axum's plain-text rejections, proxies).
[[noreturn]] void throw_http_error(const HttpResponse& response);

// `<base><path>` with the base's trailing slashes dropped, like the
// reference's remote_url.
std::string join_url(std::string_view base, std::string_view path);

// One URL path segment percent-encoded (branch names may hold `/`).
std::string percent_encode_segment(std::string_view segment);

bool is_remote_uri(std::string_view uri);

}  // namespace omnigraph::cli
