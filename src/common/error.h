// The one error type of the project: a code (what kind of failure, which
// decides the HTTP status and CLI exit code at the edges), a human message,
// and optional structured details (merge conflicts, manifest conflict).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph {

// Mirrors the reference's wire ErrorCode; the edges map it to statuses.
enum class ErrorCode {
  kBadRequest,       // invalid input: parse/type errors, bad names, bad params
  kUnauthorized,     // missing or invalid credentials
  kForbidden,        // a policy denied the action
  kNotFound,         // unknown branch, commit, graph, type ...
  kConflict,         // CAS lost, merge conflicts, duplicate names
  kTooManyRequests,  // admission control
  kInternal,         // I/O, corruption, bugs
};

std::string_view error_code_name(ErrorCode code);

struct MergeConflict {
  std::string table_key;
  std::optional<std::string> row_id;
  std::string kind;  // divergent_insert, divergent_update, delete_vs_update, ...
  std::string message;
};

struct ManifestConflict {
  std::string table_key;
  uint64_t expected = 0;
  uint64_t actual = 0;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message)
      : std::runtime_error(std::move(message)), code_(code) {}

  ErrorCode code() const { return code_; }
  const std::vector<MergeConflict>& merge_conflicts() const { return merge_conflicts_; }
  const std::optional<ManifestConflict>& manifest_conflict() const { return manifest_conflict_; }

  Error& with_merge_conflicts(std::vector<MergeConflict> conflicts) {
    merge_conflicts_ = std::move(conflicts);
    return *this;
  }
  Error& with_manifest_conflict(ManifestConflict conflict) {
    manifest_conflict_ = std::move(conflict);
    return *this;
  }

 private:
  ErrorCode code_;
  std::vector<MergeConflict> merge_conflicts_;
  std::optional<ManifestConflict> manifest_conflict_;
};

// Shorthands for the common cases.
[[noreturn]] void throw_bad_request(std::string message);
[[noreturn]] void throw_not_found(std::string message);
[[noreturn]] void throw_conflict(std::string message);
[[noreturn]] void throw_internal(std::string message);

}  // namespace omnigraph
