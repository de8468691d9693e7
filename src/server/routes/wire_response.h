// A 200 response whose body one of engine/wire_output.h's writers produces.
#pragma once

#include "engine/wire_output.h"
#include "server/http/json_writer.h"
#include "server/http/response.h"

namespace omnigraph::server::routes {

template <typename Body>
http::Response wire_response(Body&& body) {
  http::JsonWriter json;
  body(json.raw_writer());
  return http::json_response(200, json.str());
}

}  // namespace omnigraph::server::routes
