#include "common/error.h"

namespace omnigraph {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return "bad_request";
    case ErrorCode::kUnauthorized: return "unauthorized";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooManyRequests: return "too_many_requests";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

void throw_bad_request(std::string message) { throw Error(ErrorCode::kBadRequest, std::move(message)); }
void throw_not_found(std::string message) { throw Error(ErrorCode::kNotFound, std::move(message)); }
void throw_conflict(std::string message) { throw Error(ErrorCode::kConflict, std::move(message)); }
void throw_internal(std::string message) { throw Error(ErrorCode::kInternal, std::move(message)); }

}  // namespace omnigraph
