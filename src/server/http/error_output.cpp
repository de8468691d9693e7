#include "server/http/error_output.h"

#include "server/http/json_writer.h"

namespace omnigraph::server::http {

unsigned status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return 400;
    case ErrorCode::kUnauthorized: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string error_output_json(const Error& error) {
  JsonWriter json;
  json.begin_object();
  json.field("error", std::string_view(error.what()));
  json.field("code", error_code_name(error.code()));
  if (!error.merge_conflicts().empty()) {
    json.key("merge_conflicts").begin_array();
    for (const auto& conflict : error.merge_conflicts()) {
      json.begin_object()
          .field("table_key", conflict.table_key)
          .field("row_id", conflict.row_id)
          .field("kind", conflict.kind)
          .field("message", conflict.message)
          .end_object();
    }
    json.end_array();
  }
  if (const auto& manifest = error.manifest_conflict()) {
    json.key("manifest_conflict")
        .begin_object()
        .field("table_key", manifest->table_key)
        .field("expected", manifest->expected)
        .field("actual", manifest->actual)
        .end_object();
  }
  json.end_object();
  return json.str();
}

Response error_response(const Error& error) {
  Response response = json_response(status_for(error.code()), error_output_json(error));
  if (error.code() == ErrorCode::kTooManyRequests)
    response.headers.emplace_back("Retry-After", "60");
  return response;
}

Response error_response(unsigned status, ErrorCode code, std::string message) {
  Response response = error_response(Error(code, std::move(message)));
  response.status = status;
  return response;
}

}  // namespace omnigraph::server::http
