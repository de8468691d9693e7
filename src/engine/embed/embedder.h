// Text embeddings for `@embed` properties and string `nearest()` queries
// (languages.md §4.6). One interface, two implementations: a deterministic
// mock (the reference's bit-exact algorithm, for tests and offline use) and
// an OpenAI-compatible HTTP client. Which one runs is decided by the
// environment (see embedder_from_env).
//
// Environment:
//   OMNIGRAPH_EMBEDDINGS_MOCK       1|true|yes|on (case-insensitive) → mock
//   OMNIGRAPH_EMBEDDINGS_BASE_URL   default https://api.openai.com/v1
//   OMNIGRAPH_EMBEDDINGS_MODEL      default text-embedding-3-small
//   OMNIGRAPH_EMBEDDINGS_API_KEY    the bearer token; falls back to OPENAI_API_KEY
//   OMNIGRAPH_EMBEDDINGS_TIMEOUT_MS per request, default 30000
//   OMNIGRAPH_EMBEDDINGS_MAX_RETRIES retries on 429/5xx/transport errors, default 4
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine::embed {

class Embedder {
 public:
  virtual ~Embedder() = default;
  // One L2-normalised vector of `dim` floats per text, in order. Throws
  // Error(kBadRequest) when the service refuses or answers with another
  // dimension, Error(kInternal) on transport failures after the retries.
  virtual std::vector<std::vector<float>> embed(const std::vector<std::string>& texts,
                                                uint32_t dim) = 0;
  std::vector<float> embed_one(const std::string& text, uint32_t dim) {
    return std::move(embed({text}, dim).front());
  }
};

// The reference's deterministic embedding: seed = FNV-1a-64 of the UTF-8
// bytes; per component seed = xorshift64(seed) (<<13, >>7, <<17), value =
// 2·f32(seed / (2^64-1)) − 1; then L2-normalised (f64 sum, skipped when the
// norm is ≤ f32 epsilon). Bit-exact with the reference.
std::vector<float> mock_embedding(std::string_view text, uint32_t dim);

class MockEmbedder final : public Embedder {
 public:
  std::vector<std::vector<float>> embed(const std::vector<std::string>& texts,
                                        uint32_t dim) override;
};

// Whether OMNIGRAPH_EMBEDDINGS_MOCK selects the mock.
bool mock_requested();

// The embedder the environment selects: the mock, or the HTTP client when
// an API key is set; otherwise Error(kBadRequest) `<what> requires an
// embedding service: OMNIGRAPH_EMBEDDINGS_API_KEY (or OPENAI_API_KEY) is
// required when <purpose> (or set OMNIGRAPH_EMBEDDINGS_MOCK=1)`, where
// `purpose` says why an embedding is needed, e.g. "nearest() needs a string
// embedding". Read on every call (tests flip the environment).
std::shared_ptr<Embedder> embedder_from_env(std::string_view purpose);

}  // namespace omnigraph::engine::embed
