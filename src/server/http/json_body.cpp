#include "server/http/json_body.h"

#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/json_surrogates.h"

namespace omnigraph::server::http {

namespace {

std::string qualified(std::string_view where, const char* field) {
  return where.empty() ? std::string(field) : std::string(where) + "." + field;
}

[[noreturn]] void throw_field(std::string_view where, const char* field, std::string_view problem) {
  throw_bad_request("invalid request body: field '" + qualified(where, field) + "' " +
                    std::string(problem));
}

}  // namespace

JsonBody JsonBody::parse(std::string_view text) {
  JsonBody body;
  body.doc_.Parse(text.data(), text.size());
  const auto [error, error_offset] =
      first_json_error(body.doc_.GetParseError(), body.doc_.GetErrorOffset(), text);
  if (error != rapidjson::kParseErrorNone) {
    throw_bad_request("malformed JSON body: " + std::string(rapidjson::GetParseError_En(error)) +
                      " (at byte " + std::to_string(error_offset) + ")");
  }
  if (!body.doc_.IsObject()) throw_bad_request("invalid request body: expected a JSON object");
  return body;
}

std::optional<std::string> JsonBody::string_member(const rapidjson::Value& object,
                                                   const char* field, std::string_view where,
                                                   bool required) {
  auto it = object.FindMember(field);
  if (it == object.MemberEnd() || it->value.IsNull()) {
    if (required) throw_field(where, field, "is required");
    return std::nullopt;
  }
  if (!it->value.IsString()) throw_field(where, field, "must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string JsonBody::required_string(const char* field) const {
  return *string_member(doc_, field, "", true);
}

std::optional<std::string> JsonBody::optional_string(const char* field) const {
  return string_member(doc_, field, "", false);
}

bool JsonBody::optional_bool(const char* field, bool fallback) const {
  auto it = doc_.FindMember(field);
  if (it == doc_.MemberEnd() || it->value.IsNull()) return fallback;
  if (!it->value.IsBool()) throw_field("", field, "must be a boolean");
  return it->value.GetBool();
}

std::vector<std::string> JsonBody::string_array(const char* field) const {
  std::vector<std::string> out;
  auto it = doc_.FindMember(field);
  if (it == doc_.MemberEnd() || it->value.IsNull()) return out;
  if (!it->value.IsArray()) throw_field("", field, "must be an array of strings");
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsString()) throw_field("", field, "must be an array of strings");
    out.emplace_back(item.GetString(), item.GetStringLength());
  }
  return out;
}

std::string JsonBody::params_json(const char* field) const {
  auto it = doc_.FindMember(field);
  if (it == doc_.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsObject()) throw_bad_request("params must be a JSON object");
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  it->value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const rapidjson::Value* JsonBody::optional_object(const char* field) const {
  auto it = doc_.FindMember(field);
  if (it == doc_.MemberEnd() || it->value.IsNull()) return nullptr;
  if (!it->value.IsObject()) throw_field("", field, "must be an object");
  return &it->value;
}

const rapidjson::Value* JsonBody::required_object(const char* field) const {
  const rapidjson::Value* value = optional_object(field);
  if (value == nullptr) throw_field("", field, "is required");
  return value;
}

bool is_json_content_type(std::string_view content_type) {
  std::string essence(content_type.substr(0, content_type.find(';')));
  essence.erase(std::remove_if(essence.begin(), essence.end(),
                               [](unsigned char c) { return std::isspace(c); }),
                essence.end());
  std::transform(essence.begin(), essence.end(), essence.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (essence == "application/json") return true;
  return essence.starts_with("application/") && essence.ends_with("+json");
}

}  // namespace omnigraph::server::http
