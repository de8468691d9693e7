#include "cli/http_client.h"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <memory>
#include <mutex>

#include "common/error.h"

namespace omnigraph::cli {
namespace {

struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* request = nullptr;
  std::string body;
  bool checked_status = false;
  bool streaming = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (!t->checked_status) {
    // The status is known once the body starts: only a success streams.
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    t->streaming = t->request->stream_sink && status >= 200 && status < 300;
    t->checked_status = true;
  }
  if (t->streaming) {
    t->request->stream_sink(std::string_view(data, n));
  } else {
    t->body.append(data, n);
  }
  return n;
}

ErrorCode code_from_name(std::string_view name) {
  if (name == "unauthorized") return ErrorCode::kUnauthorized;
  if (name == "forbidden") return ErrorCode::kForbidden;
  if (name == "not_found") return ErrorCode::kNotFound;
  if (name == "conflict") return ErrorCode::kConflict;
  if (name == "too_many_requests") return ErrorCode::kTooManyRequests;
  if (name == "internal") return ErrorCode::kInternal;
  return ErrorCode::kBadRequest;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string string_member(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return it->value.GetString();
}

}  // namespace

bool is_remote_uri(std::string_view uri) {
  return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

std::string percent_encode_segment(std::string_view segment) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpResponse http_perform(const HttpRequest& request) {
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw_internal("cannot start an HTTP client");
  Transfer transfer;
  transfer.curl = curl.get();
  transfer.request = &request;

  curl_slist* headers = nullptr;
  // No `Expect: 100-continue` round trip for large bodies.
  headers = curl_slist_append(headers, "Expect:");
  headers = curl_slist_append(headers, "Accept: application/json, application/x-ndjson");
  if (request.json_body) headers = curl_slist_append(headers, "Content-Type: application/json");
  std::string auth;
  if (request.bearer_token) {
    auth = "Authorization: Bearer " + *request.bearer_token;
    headers = curl_slist_append(headers, auth.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_guard(headers,
                                                                           curl_slist_free_all);

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "omnigraph-cli");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
  // Loopback servers never go through a proxy, whatever the environment says.
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  // libcurl reads the body during perform, so it must outlive this block.
  static const std::string kEmptyBody;
  const std::string& body = request.json_body ? *request.json_body : kEmptyBody;
  if (request.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  char error_text[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_text);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string reason = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
    // A server that fails mid-stream (an export hitting an error after its
    // 200 was sent) just closes the connection: say so rather than blame
    // the network.
    if (transfer.streaming)
      throw_internal("response from " + request.url + " was cut off: " + reason);
    throw_bad_request("cannot reach " + request.url + ": " + reason);
  }
  HttpResponse response;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  char* content_type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) response.content_type = content_type;
  response.body = std::move(transfer.body);
  return response;
}

void throw_http_error(const HttpResponse& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.c_str(), response.body.size());
  if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("error") && doc["error"].IsString()) {
    Error error(code_from_name(string_member(doc, "code")), doc["error"].GetString());
    if (auto it = doc.FindMember("merge_conflicts"); it != doc.MemberEnd() && it->value.IsArray()) {
      std::vector<MergeConflict> conflicts;
      for (const auto& item : it->value.GetArray()) {
        if (!item.IsObject()) continue;
        MergeConflict conflict;
        conflict.table_key = string_member(item, "table_key");
        if (item.HasMember("row_id") && item["row_id"].IsString()) {
          conflict.row_id = item["row_id"].GetString();
        }
        conflict.kind = string_member(item, "kind");
        conflict.message = string_member(item, "message");
        conflicts.push_back(std::move(conflict));
      }
      error.with_merge_conflicts(std::move(conflicts));
    }
    if (auto it = doc.FindMember("manifest_conflict");
        it != doc.MemberEnd() && it->value.IsObject()) {
      ManifestConflict conflict;
      conflict.table_key = string_member(it->value, "table_key");
      if (it->value.HasMember("expected") && it->value["expected"].IsUint64()) {
        conflict.expected = it->value["expected"].GetUint64();
      }
      if (it->value.HasMember("actual") && it->value["actual"].IsUint64()) {
        conflict.actual = it->value["actual"].GetUint64();
      }
      error.with_manifest_conflict(std::move(conflict));
    }
    throw error;
  }
  std::string body = response.body;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  throw Error(ErrorCode::kBadRequest, "server returned " + std::to_string(response.status) +
                                          (body.empty() ? std::string() : ": " + body));
}

}  // namespace omnigraph::cli
