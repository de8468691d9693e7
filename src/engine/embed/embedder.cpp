#include "engine/embed/embedder.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/error.h"
#include "engine/embed/http_embedder.h"

namespace omnigraph::engine::embed {

namespace {

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 1099511628211ull;  // wraps (unsigned)
  }
  return hash;
}

uint64_t xorshift64(uint64_t x) {
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

long env_long(const char* name, long fallback) {
  std::string text = env(name);
  if (text.empty()) return fallback;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0' || value < 0) {
    throw_bad_request(std::string("invalid ") + name + " '" + text + "': expected an integer");
  }
  return value;
}

}  // namespace

std::vector<float> mock_embedding(std::string_view text, uint32_t dim) {
  uint64_t seed = fnv1a64(text);
  std::vector<float> out;
  out.reserve(dim);
  for (uint32_t i = 0; i < dim; ++i) {
    seed = xorshift64(seed);
    // u64::MAX as f64 rounds to 2^64, exactly as the reference computes it.
    float ratio = static_cast<float>(static_cast<double>(seed) /
                                     static_cast<double>(std::numeric_limits<uint64_t>::max()));
    out.push_back(ratio * 2.0f - 1.0f);
  }
  double sum = 0;
  for (float v : out) sum += static_cast<double>(v) * static_cast<double>(v);
  float norm = static_cast<float>(std::sqrt(sum));
  if (norm > std::numeric_limits<float>::epsilon()) {
    for (float& v : out) v /= norm;
  }
  return out;
}

std::vector<std::vector<float>> MockEmbedder::embed(const std::vector<std::string>& texts,
                                                    uint32_t dim) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& text : texts) out.push_back(mock_embedding(text, dim));
  return out;
}

bool mock_requested() {
  std::string value = env("OMNIGRAPH_EMBEDDINGS_MOCK");
  size_t b = value.find_first_not_of(" \t\r\n");
  size_t e = value.find_last_not_of(" \t\r\n");
  value = b == std::string::npos ? std::string() : value.substr(b, e - b + 1);
  for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value == "1" || value == "true" || value == "yes" || value == "on";
}

std::shared_ptr<Embedder> embedder_from_env(std::string_view purpose) {
  if (mock_requested()) return std::make_shared<MockEmbedder>();
  HttpEmbedderConfig config;
  config.api_key = env("OMNIGRAPH_EMBEDDINGS_API_KEY");
  if (config.api_key.empty()) config.api_key = env("OPENAI_API_KEY");
  if (config.api_key.empty()) {
    throw_bad_request("OMNIGRAPH_EMBEDDINGS_API_KEY (or OPENAI_API_KEY) is required when " +
                      std::string(purpose) +
                      " (or set OMNIGRAPH_EMBEDDINGS_MOCK=1 for the mock embedder)");
  }
  if (std::string base = env("OMNIGRAPH_EMBEDDINGS_BASE_URL"); !base.empty()) {
    config.base_url = base;
  }
  if (std::string model = env("OMNIGRAPH_EMBEDDINGS_MODEL"); !model.empty()) {
    config.model = model;
  }
  config.timeout_ms = env_long("OMNIGRAPH_EMBEDDINGS_TIMEOUT_MS", config.timeout_ms);
  config.max_retries =
      static_cast<int>(env_long("OMNIGRAPH_EMBEDDINGS_MAX_RETRIES", config.max_retries));
  return std::make_shared<HttpEmbedder>(std::move(config));
}

}  // namespace omnigraph::engine::embed
