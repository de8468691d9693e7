// Model-based test of versioning (engine.md §1–§3): random sequences of
// branch create / write / merge / delete over several branches run against
// the engine and against a naive model that keeps a full copy of every
// commit's state (std::map per table) and merges by the truth table of
// §2.6 key by key. Every read, every merge outcome, every conflict set and
// every pinned read of an old commit must agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
}
node Tag {
  name: String @key
  n: I32?
}
)";

using Table = std::map<std::string, int64_t>;  // name -> value
using State = std::map<std::string, Table>;    // table key -> rows

struct ModelCommit {
  State state;
  std::vector<int> parents;
  std::string engine_id;  // the engine's commit id for the same commit
};

// (table_key, row_id, kind), as the engine reports a merge conflict.
using ConflictKey = std::tuple<std::string, std::string, std::string>;

class Model {
 public:
  Model(const std::string& genesis_id) {
    commits_.push_back({State{{"node:Person", {}}, {"node:Tag", {}}}, {}, genesis_id});
    branches_["main"] = 0;
  }

  std::map<std::string, int>& branches() { return branches_; }
  const ModelCommit& commit(int index) const { return commits_.at(index); }
  size_t commit_count() const { return commits_.size(); }
  const State& state(const std::string& branch) const {
    return commits_.at(branches_.at(branch)).state;
  }

  int add_commit(State state, std::vector<int> parents, std::string engine_id) {
    commits_.push_back({std::move(state), std::move(parents), std::move(engine_id)});
    return static_cast<int>(commits_.size()) - 1;
  }

  std::set<int> ancestors(int start) const {
    std::set<int> out;
    std::vector<int> stack{start};
    while (!stack.empty()) {
      int c = stack.back();
      stack.pop_back();
      if (!out.insert(c).second) continue;
      for (int p : commits_[c].parents) stack.push_back(p);
    }
    return out;
  }

  // Common ancestors that are no other common ancestor's ancestor.
  std::vector<int> best_common_ancestors(int a, int b) const {
    std::set<int> from_a = ancestors(a);
    std::set<int> common;
    for (int c : ancestors(b)) {
      if (from_a.contains(c)) common.insert(c);
    }
    std::vector<int> best;
    for (int c : common) {
      bool dominated = false;
      for (int d : common) {
        if (d != c && ancestors(d).contains(c)) dominated = true;
      }
      if (!dominated) best.push_back(c);
    }
    return best;
  }

 private:
  std::vector<ModelCommit> commits_;
  std::map<std::string, int> branches_;
};

// The §2.6 truth table, one key at a time.
State three_way(const State& base, const State& source, const State& target,
                std::set<ConflictKey>& conflicts) {
  State out;
  for (const auto& [key, target_rows] : target) {
    const Table& b = base.at(key);
    const Table& s = source.at(key);
    const Table& t = target_rows;
    std::set<std::string> ids;
    for (const Table* table : {&b, &s, &t}) {
      for (const auto& row : *table) ids.insert(row.first);
    }
    Table& merged = out[key];
    for (const std::string& id : ids) {
      auto find = [&](const Table& table) -> std::optional<int64_t> {
        auto it = table.find(id);
        if (it == table.end()) return std::nullopt;
        return it->second;
      };
      std::optional<int64_t> bv = find(b), sv = find(s), tv = find(t);
      std::optional<int64_t> result;
      if (sv == tv) {
        result = sv;
      } else if (bv == sv) {
        result = tv;
      } else if (bv == tv) {
        result = sv;
      } else {
        std::string kind = !bv            ? "divergent_insert"
                           : (!sv || !tv) ? "delete_vs_update"
                                          : "divergent_update";
        conflicts.insert({key, id, kind});
        continue;
      }
      if (result) merged[id] = *result;
    }
  }
  return out;
}

class VersioningModelTest : public ::testing::TestWithParam<unsigned> {
 protected:
  State read_state(const std::optional<std::string>& branch,
                   const std::optional<std::string>& snapshot = std::nullopt) {
    State out{{"node:Person", {}}, {"node:Tag", {}}};
    for (const auto& [key, query] :
         {std::pair<std::string, std::string>{
              "node:Person", "query q() { match { $p: Person } return { $p.name, $p.age } }"},
          {"node:Tag", "query q() { match { $t: Tag } return { $t.name, $t.n } }"}}) {
      ReadRequest request;
      request.query_source = query;
      if (branch) request.branch = *branch;
      request.snapshot = snapshot;
      for (const auto& row : graph_->read(request).rows) {
        out[key][row.at(0).as_string()] = row.at(1).as_int();
      }
    }
    return out;
  }

  std::unique_ptr<Graph> graph_;
};

TEST_P(VersioningModelTest, EngineAgreesWithANaiveModel) {
  const unsigned seed = GetParam();
  std::mt19937 rng(seed);
  const int steps = std::getenv("OG_TEST_SCALE") ? 120 : 400;
  graph_ = Graph::init_in_memory(kSchema);
  Model model(graph_->snapshot().commit_id);

  const std::vector<std::string> pool = {"b1", "b2", "b3", "b4"};
  const std::vector<std::string> names = {"Ann", "Ben", "Cy", "Di", "Ed"};
  auto pick = [&](const auto& items) { return items[rng() % items.size()]; };
  auto existing = [&] {
    std::vector<std::string> out;
    for (const auto& entry : model.branches()) out.push_back(entry.first);
    return out;
  };
  int merges = 0, merge_conflicts = 0, fast_forwards = 0;

  for (int step = 0; step < steps; ++step) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " step " + std::to_string(step));
    unsigned dice = rng() % 100;
    if (dice < 12) {
      std::vector<std::string> free;
      for (const std::string& name : pool) {
        if (!model.branches().contains(name)) free.push_back(name);
      }
      if (free.empty()) continue;
      std::string name = pick(free);
      std::string from = pick(existing());
      graph_->branch_create(name, GraphTarget::at_branch(from));
      model.branches()[name] = model.branches().at(from);
    } else if (dice < 20) {
      std::vector<std::string> deletable = existing();
      deletable.erase(std::find(deletable.begin(), deletable.end(), "main"));
      if (deletable.empty()) continue;
      std::string name = pick(deletable);
      graph_->branch_delete(name);
      model.branches().erase(name);
    } else if (dice < 72) {
      std::string branch = pick(existing());
      bool person = rng() % 3 != 0;
      std::string type = person ? "Person" : "Tag";
      std::string column = person ? "age" : "n";
      std::string key = "node:" + type;
      std::string name = pick(names);
      int64_t value = rng() % 3;
      State next = model.state(branch);
      Table& rows = next[key];
      std::string query;
      switch (rng() % 3) {
        case 0:  // insert (an upsert of the whole row when the id exists)
          query = "query q($n: String, $v: I32) { insert " + type + " { name: $n, " + column +
                  ": $v } }";
          rows[name] = value;
          break;
        case 1:
          query = "query q($n: String, $v: I32) { update " + type + " set { " + column +
                  ": $v } where name = $n }";
          if (rows.contains(name)) rows[name] = value;
          break;
        default:
          query = "query q($n: String, $v: I32) { delete " + type + " where name = $n }";
          rows.erase(name);
          break;
      }
      ChangeRequest request;
      request.query_source = query;
      request.params_json = R"({"n": ")" + name + R"(", "v": )" + std::to_string(value) + "}";
      request.branch = branch;
      std::string before = graph_->snapshot(branch).commit_id;
      ChangeResult result = graph_->change(request);
      int head = model.branches().at(branch);
      if (next == model.state(branch)) {
        EXPECT_EQ(result.commit_id, before) << "a write that changed nothing made a commit";
      } else {
        EXPECT_NE(result.commit_id, before);
        model.branches()[branch] = model.add_commit(next, {head}, result.commit_id);
      }
    } else {
      std::vector<std::string> all = existing();
      if (all.size() < 2) continue;
      std::string source = pick(all);
      std::string target = pick(all);
      if (source == target) continue;
      int s = model.branches().at(source);
      int t = model.branches().at(target);
      std::vector<int> bases = model.best_common_ancestors(s, t);
      ASSERT_FALSE(bases.empty());
      if (bases.size() > 1) continue;  // criss-cross: the tie-break is not modelled
      int base = bases.front();
      ++merges;
      std::optional<MergeOutcome> expected;
      std::set<ConflictKey> conflicts;
      State merged;
      if (s == t || base == s) {
        expected = MergeOutcome::kAlreadyUpToDate;
      } else if (base == t) {
        expected = MergeOutcome::kFastForward;
        merged = model.commit(s).state;
      } else {
        merged = three_way(model.commit(base).state, model.commit(s).state, model.commit(t).state,
                           conflicts);
        if (conflicts.empty()) expected = MergeOutcome::kMerged;
      }
      std::string before = graph_->snapshot(target).commit_id;
      try {
        MergeResult result = graph_->branch_merge(source, target);
        ASSERT_TRUE(expected.has_value()) << "the model expected conflicts";
        EXPECT_EQ(result.outcome, *expected);
        if (*expected == MergeOutcome::kAlreadyUpToDate) {
          EXPECT_EQ(result.commit_id, std::nullopt);
        } else {
          ASSERT_TRUE(result.commit_id.has_value());
          if (*expected == MergeOutcome::kFastForward) ++fast_forwards;
          model.branches()[target] = model.add_commit(merged, {t, s}, *result.commit_id);
        }
      } catch (const Error& e) {
        ASSERT_FALSE(expected.has_value()) << "unexpected refusal: " << e.what();
        EXPECT_EQ(e.code(), ErrorCode::kConflict);
        std::set<ConflictKey> reported;
        for (const MergeConflict& c : e.merge_conflicts()) {
          reported.insert({c.table_key, c.row_id.value_or(""), c.kind});
        }
        EXPECT_EQ(reported, conflicts);
        EXPECT_EQ(graph_->snapshot(target).commit_id, before) << "a refused merge moved the target";
        ++merge_conflicts;
      }
    }
    // One branch read after every step; every branch every 25 steps.
    std::vector<std::string> all = existing();
    std::vector<std::string> check = step % 25 == 0 ? all : std::vector<std::string>{pick(all)};
    for (const std::string& branch : check) {
      ASSERT_EQ(read_state(branch), model.state(branch)) << "branch " << branch;
    }
    std::vector<std::string> listed = graph_->branch_list();
    ASSERT_EQ(listed, all);
  }

  // Time travel: every commit the model knows reads back as it was.
  for (size_t i = 0; i < model.commit_count(); ++i) {
    const ModelCommit& commit = model.commit(static_cast<int>(i));
    ASSERT_EQ(read_state(std::nullopt, commit.engine_id), commit.state) << "commit " << i;
  }
  // The run must have exercised the interesting paths.
  EXPECT_GT(merges, 10);
  EXPECT_GT(merge_conflicts + fast_forwards, 0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, VersioningModelTest, ::testing::Values(1u, 2u, 3u, 4u));

}  // namespace
}  // namespace omnigraph
