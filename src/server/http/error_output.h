// Maps omnigraph::Error onto HTTP: status by code (http-contract §3.2/§3.3)
// and the ErrorOutput body {error, code, merge_conflicts?, manifest_conflict?}.
// Every error response of the server goes through here.
#pragma once

#include <string>

#include "common/error.h"
#include "server/http/response.h"

namespace omnigraph::server::http {

unsigned status_for(ErrorCode code);

// The ErrorOutput JSON for an error (merge_conflicts omitted when empty,
// manifest_conflict omitted when absent).
std::string error_output_json(const Error& error);

// Status from the error code; 429 carries `Retry-After: 60`.
Response error_response(const Error& error);

// For statuses no ErrorCode implies (405, 413, 415, 503): the body's `code`
// still names the closest ErrorCode, as the reference does.
Response error_response(unsigned status, ErrorCode code, std::string message);

}  // namespace omnigraph::server::http
