// A parsed JSON request body with typed field access. Every failure is an
// Error(kBadRequest) naming the field, so clients get an ErrorOutput body
// instead of the reference's plain-text extractor rejections (DESIGN §9).
#pragma once

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::server::http {

class JsonBody {
 public:
  // Malformed JSON (including an empty body) and non-object bodies throw.
  static JsonBody parse(std::string_view text);

  std::string required_string(const char* field) const;
  // Absent or null -> nullopt.
  std::optional<std::string> optional_string(const char* field) const;
  bool optional_bool(const char* field, bool fallback) const;
  // Absent or null -> empty.
  std::vector<std::string> string_array(const char* field) const;
  // The field re-serialised compactly; "" when absent or null. Non-objects throw
  // `params must be a JSON object`.
  std::string params_json(const char* field) const;
  // A nested object (absent or null -> nullptr); anything else throws.
  const rapidjson::Value* optional_object(const char* field) const;
  const rapidjson::Value* required_object(const char* field) const;

  const rapidjson::Value& root() const { return doc_; }

  // Field helpers shared with nested objects: `where` prefixes the field name
  // in messages ("schema.source").
  static std::optional<std::string> string_member(const rapidjson::Value& object, const char* field,
                                                  std::string_view where, bool required);

 private:
  rapidjson::Document doc_;
};

// True for application/json and application/*+json, with or without parameters.
bool is_json_content_type(std::string_view content_type);

}  // namespace omnigraph::server::http
