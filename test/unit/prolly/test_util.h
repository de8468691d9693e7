// Shared helpers for the prolly tests: seeds, scale, random keys and values,
// and the naive std::map models the trees are checked against.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "prolly/diff.h"
#include "prolly/tree.h"

namespace omnigraph::prolly::testing {

using Model = std::map<std::string, std::string>;

// OG_TEST_SCALE=small (sanitizer runs) shrinks iteration counts.
inline bool small_scale() {
  const char* s = std::getenv("OG_TEST_SCALE");
  return s && std::string(s) == "small";
}
inline int scaled(int normal, int small) {
  return small_scale() ? small : normal;
}

// OG_PROLLY_SEED=<n> replays a run; otherwise a fresh seed each run.
inline uint64_t test_seed() {
  if (const char* s = std::getenv("OG_PROLLY_SEED")) return std::strtoull(s, nullptr, 10);
  return std::random_device{}();
}

inline std::string seed_note(uint64_t seed) {
  return "seed " + std::to_string(seed) + " (rerun with OG_PROLLY_SEED=" + std::to_string(seed) +
         ")";
}

// Keys mixing readable zero-padded numbers with short binary strings over a
// tiny alphabet (zero bytes, 0xff, prefixes of one another all occur).
inline std::string random_key(std::mt19937_64& rng, int key_space) {
  if (rng() % 8 != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "k%07d", static_cast<int>(rng() % key_space));
    return buf;
  }
  static const char kAlphabet[] = {'\0', '\x01', 'a', '\xff'};
  std::string k(rng() % 6, '\0');
  for (char& c : k) c = kAlphabet[rng() % 4];
  return k;
}

inline std::string random_value(std::mt19937_64& rng, size_t max_len) {
  std::string v(rng() % (max_len + 1), '\0');
  for (char& c : v) c = static_cast<char>('a' + rng() % 26);
  return v;
}

inline std::vector<Entry> to_entries(const Model& m) {
  return {m.begin(), m.end()};
}

inline Model to_model(const Tree& t) {
  Model m;
  for (Entry& e : t.entries()) m.emplace(std::move(e.first), std::move(e.second));
  return m;
}

inline std::vector<DiffEntry> naive_diff(const Model& a, const Model& b) {
  std::vector<DiffEntry> out;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() || j != b.end()) {
    if (j == b.end() || (i != a.end() && i->first < j->first)) {
      out.push_back({i->first, i->second, std::nullopt});
      ++i;
    } else if (i == a.end() || j->first < i->first) {
      out.push_back({j->first, std::nullopt, j->second});
      ++j;
    } else {
      if (i->second != j->second) out.push_back({i->first, i->second, j->second});
      ++i;
      ++j;
    }
  }
  return out;
}

// Applies edits to a model the way Tree::apply does.
inline void apply_to_model(Model& m, const std::vector<Edit>& edits) {
  for (const Edit& e : edits) {
    if (e.value) {
      m[e.key] = *e.value;
    } else {
      m.erase(e.key);
    }
  }
}

}  // namespace omnigraph::prolly::testing
