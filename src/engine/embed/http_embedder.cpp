#include "engine/embed/http_embedder.h"

#include <curl/curl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "common/error.h"

namespace omnigraph::engine::embed {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct Response {
  long status = 0;
  std::string body;
  long retry_after_s = -1;  // from the Retry-After header, when numeric
  std::string transport_error;
};

size_t read_header(char* data, size_t size, size_t count, void* user) {
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower(line.substr(0, kName.size()));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kName) {
      std::string value(line.substr(kName.size()));
      char* end = nullptr;
      long seconds = std::strtol(value.c_str(), &end, 10);
      if (end != value.c_str()) static_cast<Response*>(user)->retry_after_s = seconds;
    }
  }
  return size * count;
}

Response post_json(const HttpEmbedderConfig& config, const std::string& url,
                   const std::string& body) {
  global_init();
  Response response;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw_internal("embeddings: curl_easy_init failed");
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, "Content-Type: application/json");
  std::string auth = "Authorization: Bearer " + config.api_key;
  headers = curl_slist_append(headers, auth.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, config.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, config.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    response.transport_error = curl_easy_strerror(code);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

// The service's own message (`{"error": {"message": ...}}`), else the body.
std::string error_message(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str(), body.size());
  if (!doc.HasParseError() && doc.IsObject() && doc.HasMember("error")) {
    const auto& error = doc["error"];
    if (error.IsObject() && error.HasMember("message") && error["message"].IsString()) {
      return error["message"].GetString();
    }
    if (error.IsString()) return error.GetString();
  }
  return body.size() > 300 ? body.substr(0, 300) + "..." : body;
}

std::vector<float> normalised(std::vector<float> values) {
  double sum = 0;
  for (float v : values) sum += static_cast<double>(v) * static_cast<double>(v);
  float norm = static_cast<float>(std::sqrt(sum));
  if (norm > std::numeric_limits<float>::epsilon()) {
    for (float& v : values) v /= norm;
  }
  return values;
}

}  // namespace

HttpEmbedder::HttpEmbedder(HttpEmbedderConfig config) : config_(std::move(config)) {
  while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
}

std::vector<std::vector<float>> HttpEmbedder::embed(const std::vector<std::string>& texts,
                                                    uint32_t dim) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  size_t batch = std::max<size_t>(1, config_.batch_size);
  for (size_t begin = 0; begin < texts.size(); begin += batch) {
    auto part = embed_batch(texts, begin, std::min(texts.size(), begin + batch), dim);
    for (auto& v : part) out.push_back(std::move(v));
  }
  return out;
}

std::vector<std::vector<float>> HttpEmbedder::embed_batch(const std::vector<std::string>& texts,
                                                          size_t begin, size_t end, uint32_t dim) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("model");
  writer.String(config_.model.c_str(), static_cast<rapidjson::SizeType>(config_.model.size()));
  writer.Key("input");
  writer.StartArray();
  for (size_t i = begin; i < end; ++i) {
    writer.String(texts[i].c_str(), static_cast<rapidjson::SizeType>(texts[i].size()));
  }
  writer.EndArray();
  writer.Key("dimensions");
  writer.Uint(dim);
  writer.EndObject();
  const std::string body(buffer.GetString(), buffer.GetSize());
  const std::string url = config_.base_url + "/embeddings";

  long backoff_ms = config_.initial_backoff_ms;
  for (int attempt = 0;; ++attempt) {
    ++requests_;
    Response response = post_json(config_, url, body);
    const bool retryable =
        !response.transport_error.empty() || response.status == 429 || response.status >= 500;
    if (retryable && attempt < config_.max_retries) {
      long wait = backoff_ms;
      if (response.retry_after_s >= 0) wait = std::max(wait, response.retry_after_s * 1000);
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(wait, config_.max_backoff_ms)));
      backoff_ms = std::min(backoff_ms * 2, config_.max_backoff_ms);
      continue;
    }
    if (!response.transport_error.empty()) {
      throw_internal("embeddings request to " + url + " failed: " + response.transport_error);
    }
    if (response.status < 200 || response.status >= 300) {
      throw_bad_request("embeddings request failed with HTTP " + std::to_string(response.status) +
                        ": " + error_message(response.body));
    }
    rapidjson::Document doc;
    doc.Parse(response.body.c_str(), response.body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data") ||
        !doc["data"].IsArray()) {
      throw_bad_request("embeddings response is not an OpenAI embeddings object");
    }
    const auto& data = doc["data"];
    const size_t n = end - begin;
    if (data.Size() != n) {
      throw_bad_request("embeddings response has " + std::to_string(data.Size()) + " vectors for " +
                        std::to_string(n) + " inputs");
    }
    std::vector<std::vector<float>> out(n);
    for (rapidjson::SizeType i = 0; i < data.Size(); ++i) {
      const auto& item = data[i];
      if (!item.IsObject() || !item.HasMember("embedding") || !item["embedding"].IsArray()) {
        throw_bad_request("embeddings response item " + std::to_string(i) + " has no embedding");
      }
      size_t slot = i;
      if (item.HasMember("index") && item["index"].IsUint()) slot = item["index"].GetUint();
      if (slot >= n || !out[slot].empty()) {
        throw_bad_request("embeddings response has a bad index " + std::to_string(slot));
      }
      const auto& values = item["embedding"];
      if (values.Size() != dim) {
        throw_bad_request("embedding has " + std::to_string(values.Size()) +
                          " dimensions, expected " + std::to_string(dim));
      }
      std::vector<float> v;
      v.reserve(dim);
      for (const auto& x : values.GetArray()) {
        if (!x.IsNumber()) throw_bad_request("embedding value is not a number");
        v.push_back(static_cast<float>(x.GetDouble()));
      }
      out[slot] = normalised(std::move(v));
    }
    return out;
  }
}

}  // namespace omnigraph::engine::embed
