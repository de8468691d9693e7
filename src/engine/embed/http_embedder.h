// An OpenAI-compatible embeddings client: POST {base_url}/embeddings with
// {"model", "input": [texts], "dimensions"} and a bearer key; reads
// data[i].embedding (placed by data[i].index). Retries 429, 5xx and
// transport errors with exponential backoff (honouring Retry-After seconds
// when the server sends it, capped by max_backoff_ms).
#pragma once

#include <cstdint>
#include <string>

#include "engine/embed/embedder.h"

namespace omnigraph::engine::embed {

struct HttpEmbedderConfig {
  std::string base_url = "https://api.openai.com/v1";
  std::string model = "text-embedding-3-small";
  std::string api_key;
  long timeout_ms = 30000;
  long connect_timeout_ms = 10000;
  int max_retries = 4;
  long initial_backoff_ms = 250;
  long max_backoff_ms = 8000;
  // Texts per request (services cap the input array).
  size_t batch_size = 128;
};

class HttpEmbedder final : public Embedder {
 public:
  explicit HttpEmbedder(HttpEmbedderConfig config);
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts,
                                        uint32_t dim) override;
  // Requests sent, counting retries (for tests).
  uint64_t requests_sent() const { return requests_; }

 private:
  std::vector<std::vector<float>> embed_batch(const std::vector<std::string>& texts, size_t begin,
                                              size_t end, uint32_t dim);

  HttpEmbedderConfig config_;
  uint64_t requests_ = 0;
};

}  // namespace omnigraph::engine::embed
