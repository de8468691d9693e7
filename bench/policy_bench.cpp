// Policy decisions per second (issue target: >= 2,000,000/s on one core).
// Setup: a generated policy of 100 rules over 20 groups of 50 actors each
// (1,000 actors), 5 protected branches; 1,000,000 requests drawn up front
// from a fixed seed mixing actors (including unknown ones), actions and
// branch scopes, evaluated in a loop on one thread.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace {

using omnigraph::policy::Action;

std::string generated_policy() {
  std::string yaml = "version: 1\ngroups:\n";
  for (int g = 0; g < 20; ++g) {
    yaml += "  group" + std::to_string(g) + ": [";
    for (int a = 0; a < 50; ++a) {
      yaml += (a ? ", " : "") + std::string("act-") + std::to_string(g * 50 + a);
    }
    yaml += "]\n";
  }
  yaml += "protected_branches: [main, release, prod, stable, audit]\nrules:\n";
  const char* actions[] = {"read",          "export",        "change",      "schema_apply",
                           "branch_create", "branch_delete", "branch_merge"};
  const char* scopes[] = {"any", "protected", "unprotected"};
  for (int r = 0; r < 100; ++r) {
    std::string action = actions[r % 7];
    bool target = action == "branch_create" || action == "branch_delete" ||
                  action == "branch_merge" || action == "schema_apply";
    yaml += "  - id: rule-" + std::to_string(r) + "\n    allow:\n      actors: { group: group" +
            std::to_string(r % 20) + " }\n      actions: [" + action + "]\n";
    yaml += std::string("      ") + (target ? "target_branch_scope: " : "branch_scope: ") +
            scopes[(r / 7) % 3] + "\n";
  }
  return yaml;
}

struct Request {
  std::string actor;
  Action action;
  std::string branch;
  bool with_target;
};

void BM_PolicyDecisions(benchmark::State& state) {
  omnigraph::policy::Policy policy = omnigraph::policy::Policy::from_yaml(generated_policy());
  std::mt19937 rng(42);
  const Action actions[] = {Action::kRead,         Action::kExport,       Action::kChange,
                            Action::kBranchCreate, Action::kBranchDelete, Action::kBranchMerge};
  const char* branches[] = {"main", "feature-1", "release", "agent/42", "prod"};
  std::vector<Request> requests(1'000'000);
  for (auto& request : requests) {
    request.actor = "act-" + std::to_string(rng() % 1100);  // ~9% unknown actors
    request.action = actions[rng() % 6];
    request.branch = branches[rng() % 5];
    request.with_target = request.action == Action::kBranchCreate ||
                          request.action == Action::kBranchDelete ||
                          request.action == Action::kBranchMerge;
  }
  uint64_t allowed = 0;
  for (auto _ : state) {
    for (const Request& r : requests) {
      bool ok = r.with_target ? policy.allows(r.actor, r.action, "main", r.branch)
                              : policy.allows(r.actor, r.action, r.branch);
      allowed += ok;
    }
  }
  benchmark::DoNotOptimize(allowed);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * requests.size()));
  state.counters["allowed_share"] =
      static_cast<double>(allowed) / static_cast<double>(state.iterations() * requests.size());
}

BENCHMARK(BM_PolicyDecisions)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
