#include "engine/value.h"

#include <cstdio>

#include "engine/temporal.h"

namespace omnigraph::engine {

std::string Value::debug_string() const {
  switch (kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return as_bool() ? "true" : "false";
    case Kind::kInt: return std::to_string(as_int());
    case Kind::kUInt: return std::to_string(as_uint()) + "u";
    case Kind::kFloat: {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", as_float());
      return buf;
    }
    case Kind::kString: return "\"" + as_string() + "\"";
    case Kind::kDate: return format_date(as_date());
    case Kind::kDateTime: return format_datetime(as_datetime());
    case Kind::kBlob:
      return as_blob().is_uri ? "blob<" + as_blob().data + ">"
                              : "blob[" + std::to_string(as_blob().data.size()) + "]";
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < as_list().size(); ++i) {
        if (i) out += ", ";
        out += as_list()[i].debug_string();
      }
      return out + "]";
    }
    case Kind::kVector: {
      std::string out = "vec[";
      const auto& v = as_vector().values;
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v[i]));
        out += buf;
      }
      return out + "]";
    }
  }
  return "?";
}

}  // namespace omnigraph::engine
