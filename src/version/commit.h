// A commit: one published state of a graph on a branch. Stored as a chunk
// (content-addressed, so a commit's hash names it and everything it
// reaches); the encoding is deterministic, so equal commits hash equally.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "common/ulid.h"

namespace omnigraph::version {

struct Commit {
  Hash root;                  // graph root chunk
  std::vector<Hash> parents;  // 0 (genesis), 1, or 2 (merge: target head, then source head)
  std::optional<std::string> actor;
  int64_t time_us = 0;   // microseconds since the Unix epoch
  std::string branch;    // the branch it was published on
  Ulid graph_commit_id;  // the user-facing id
  uint64_t manifest_version = 0;
  // 1 for a commit without parents, else 1 + the largest parent generation.
  // An ancestor always has a smaller generation than its descendants, which
  // lets ancestry queries stop walking early. CommitStore::write sets it.
  uint64_t generation = 1;

  friend bool operator==(const Commit&, const Commit&) = default;
};

using CommitPtr = std::shared_ptr<const Commit>;

// Binary form (all integers LEB128 varints):
//   'C' 0x01 | root (32) | n_parents, parents (32 each) | has_actor (0/1)
//   [actor length + bytes] | zigzag time_us | branch length + bytes |
//   graph_commit_id (16) | manifest_version | generation
// Throws Error(kInternal) when the commit breaks an invariant (more than two
// parents, a repeated or zero parent, a generation that cannot be right).
std::string encode_commit(const Commit& commit);
// Throws Error(kInternal) on anything but a well-formed commit chunk.
Commit decode_commit(std::string_view data);

// Microseconds since the Unix epoch, now.
int64_t now_us();

}  // namespace omnigraph::version
