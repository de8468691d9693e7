// Quotes a string for the compiler's printed forms (catalog summary, IR):
// double quotes with the escapes the languages accept, so printed text reads
// like source.
#pragma once

#include <string>

namespace omnigraph::compiler {

inline std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

}  // namespace omnigraph::compiler
