// Per-actor admission control for write routes (http-contract §5): each
// actor may have at most `inflight_max` admitted requests and
// `bytes_max` estimated bytes in flight at once, process-wide (shared by
// all graphs). A request is admitted after authorization and holds an RAII
// Permit until its handler finishes. Lock-free on the hot path once an
// actor's bucket exists.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/config/env.h"

namespace omnigraph::server {

inline constexpr std::string_view kInflightMaxEnv = "OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX";
inline constexpr std::string_view kBytesMaxEnv = "OMNIGRAPH_PER_ACTOR_BYTES_MAX";
// The Retry-After header value (seconds) on every 429.
inline constexpr int kAdmissionRetryAfterSeconds = 60;
// Estimate for branch create / delete / merge.
inline constexpr std::uint64_t kBranchOpEstimateBytes = 256;

struct AdmissionLimits {
  std::uint32_t inflight_max = 16;
  std::uint64_t bytes_max = 4294967296ULL;  // 4 GiB

  // Reads the two variables once (plain decimal, no trimming, like the
  // reference's u32/u64 parse). An unparsable value keeps the default and
  // appends a warning line to `warnings` (if given).
  static AdmissionLimits from_env(const config::EnvLookup& env,
                                  std::vector<std::string>* warnings = nullptr);
};

// Byte estimate of a /change request: query source plus the params
// serialized as compact JSON ("" when absent).
inline std::uint64_t change_estimate(std::string_view query_source,
                                     std::string_view compact_params_json) {
  return query_source.size() + compact_params_json.size();
}

class AdmissionController {
  struct Bucket {
    std::atomic<std::uint32_t> inflight{0};
    std::atomic<std::uint64_t> bytes{0};
  };

 public:
  // Move-only. Releases the actor's slot and bytes when destroyed.
  class Permit {
   public:
    Permit() = default;
    Permit(Permit&& other) noexcept;
    Permit& operator=(Permit&& other) noexcept;
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;
    ~Permit();
    explicit operator bool() const { return bucket_ != nullptr; }

   private:
    friend class AdmissionController;
    Permit(std::shared_ptr<Bucket> bucket, std::uint64_t bytes)
        : bucket_(std::move(bucket)), bytes_(bytes) {}
    void release();
    std::shared_ptr<Bucket> bucket_;
    std::uint64_t bytes_ = 0;
  };

  explicit AdmissionController(AdmissionLimits limits = {}) : limits_(limits) {}

  // Takes one of the actor's slots, then adds `estimated_bytes` to its
  // in-flight bytes. Throws Error(kTooManyRequests) — the edge answers 429
  // with `Retry-After: 60` — with
  //   `actor in-flight count cap <cap> exceeded`, or
  //   `actor byte budget exceeded: would use <attempted> bytes against cap <cap>`
  // (a request larger than the cap on its own is always rejected). A
  // rejected request leaves the counters as they were.
  Permit admit(std::string_view actor, std::uint64_t estimated_bytes);

  const AdmissionLimits& limits() const { return limits_; }

  // Current in-flight count / bytes of an actor (0 if never seen).
  std::uint32_t inflight(std::string_view actor) const;
  std::uint64_t inflight_bytes(std::string_view actor) const;

 private:
  std::shared_ptr<Bucket> bucket_for(std::string_view actor);
  std::shared_ptr<Bucket> find_bucket(std::string_view actor) const;

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  AdmissionLimits limits_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Bucket>, StringHash, std::equal_to<>> buckets_;
};

}  // namespace omnigraph::server
