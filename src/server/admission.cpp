#include "server/admission.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"

namespace omnigraph::server {
namespace {

// Plain decimal, whole string, no sign or blanks (Rust's u32/u64 FromStr
// also accepts a leading '+', which we accept too).
template <typename T>
std::optional<T> parse_unsigned(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

template <typename T>
void read_limit(const config::EnvLookup& env, std::string_view name, T& target,
                std::vector<std::string>* warnings) {
  std::optional<std::string> raw = env(name);
  if (!raw) return;
  if (auto value = parse_unsigned<T>(*raw)) {
    target = *value;
  } else if (warnings != nullptr) {
    warnings->push_back(fmt::format("ignoring {}='{}': not an unsigned integer; using default {}",
                                    name, *raw, target));
  }
}

}  // namespace

AdmissionLimits AdmissionLimits::from_env(const config::EnvLookup& env,
                                          std::vector<std::string>* warnings) {
  AdmissionLimits limits;
  read_limit(env, kInflightMaxEnv, limits.inflight_max, warnings);
  read_limit(env, kBytesMaxEnv, limits.bytes_max, warnings);
  return limits;
}

AdmissionController::Permit::Permit(Permit&& other) noexcept
    : bucket_(std::move(other.bucket_)), bytes_(other.bytes_) {
  other.bytes_ = 0;
}

AdmissionController::Permit& AdmissionController::Permit::operator=(Permit&& other) noexcept {
  if (this != &other) {
    release();
    bucket_ = std::move(other.bucket_);
    bytes_ = other.bytes_;
    other.bytes_ = 0;
  }
  return *this;
}

AdmissionController::Permit::~Permit() {
  release();
}

void AdmissionController::Permit::release() {
  if (!bucket_) return;
  bucket_->bytes.fetch_sub(bytes_, std::memory_order_acq_rel);
  bucket_->inflight.fetch_sub(1, std::memory_order_acq_rel);
  bucket_.reset();
  bytes_ = 0;
}

std::shared_ptr<AdmissionController::Bucket> AdmissionController::find_bucket(
    std::string_view actor) const {
  std::shared_lock lock(mutex_);
  auto it = buckets_.find(actor);
  return it == buckets_.end() ? nullptr : it->second;
}

std::shared_ptr<AdmissionController::Bucket> AdmissionController::bucket_for(
    std::string_view actor) {
  if (auto bucket = find_bucket(actor)) return bucket;
  std::unique_lock lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(std::string(actor), nullptr);
  if (inserted) it->second = std::make_shared<Bucket>();
  return it->second;
}

AdmissionController::Permit AdmissionController::admit(std::string_view actor,
                                                       std::uint64_t estimated_bytes) {
  std::shared_ptr<Bucket> bucket = bucket_for(actor);

  std::uint32_t count = bucket->inflight.load(std::memory_order_relaxed);
  do {
    if (count >= limits_.inflight_max) {
      throw Error(ErrorCode::kTooManyRequests,
                  fmt::format("actor in-flight count cap {} exceeded", limits_.inflight_max));
    }
  } while (!bucket->inflight.compare_exchange_weak(count, count + 1, std::memory_order_acq_rel,
                                                   std::memory_order_relaxed));

  // Add first, then check, like the reference: concurrent requests see each
  // other's bytes, and a rejected one takes its bytes back.
  std::uint64_t before = bucket->bytes.fetch_add(estimated_bytes, std::memory_order_acq_rel);
  std::uint64_t attempted = before + estimated_bytes;
  if (attempted > limits_.bytes_max || attempted < before) {
    bucket->bytes.fetch_sub(estimated_bytes, std::memory_order_acq_rel);
    bucket->inflight.fetch_sub(1, std::memory_order_acq_rel);
    throw Error(ErrorCode::kTooManyRequests,
                fmt::format("actor byte budget exceeded: would use {} bytes against cap {}",
                            attempted, limits_.bytes_max));
  }
  return Permit(std::move(bucket), estimated_bytes);
}

std::uint32_t AdmissionController::inflight(std::string_view actor) const {
  auto bucket = find_bucket(actor);
  return bucket ? bucket->inflight.load(std::memory_order_acquire) : 0;
}

std::uint64_t AdmissionController::inflight_bytes(std::string_view actor) const {
  auto bucket = find_bucket(actor);
  return bucket ? bucket->bytes.load(std::memory_order_acquire) : 0;
}

}  // namespace omnigraph::server
