// Builds commit DAGs by hand in a memory store, for ancestry tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"
#include "version/commit_store.h"

namespace omnigraph::version::testing {

struct DagBuilder {
  store::Store store = store::open_memory_store();
  CommitStore commits{store};
  int64_t clock = 1'000'000;
  uint64_t counter = 0;

  // A commit with these parents; time defaults to "one tick after the last".
  Hash add(std::vector<Hash> parents, std::optional<int64_t> time_us = std::nullopt) {
    Commit c;
    c.root = Hash::of("root-" + std::to_string(counter));
    c.parents = std::move(parents);
    c.time_us = time_us ? *time_us : ++clock;
    c.branch = "main";
    c.graph_commit_id = Ulid::generate();
    c.manifest_version = ++counter;
    return commits.write(c);
  }
};

}  // namespace omnigraph::version::testing
