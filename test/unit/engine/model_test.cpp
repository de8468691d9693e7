// Model-based test of the write paths: thousands of random JSONL loads (all
// three modes) and mutations go to the engine through the public Graph API
// and to a plain in-memory model of the spec's semantics (languages.md §4.9
// mutations, §5.4 load modes, §4.10 constraints). Every few operations a
// fixed set of read queries runs on both and the results must agree; an
// operation one side refuses, the other must refuse too, and a refused
// operation must leave the engine exactly where it was.
//
// The model is deliberately naive (maps and loops); it encodes the spec,
// including its quirks: overwrite replaces only the tables present in the
// input and leaves edges to removed nodes behind, such dangling edges drop
// out of traversals but still count for the negation fast path (§4.12),
// BFS never reports the source and reports each node once at its shortest
// distance (§4.3), and null never matches a comparison (§4.4).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "common/error.h"
#include "omnigraph/graph.h"

namespace omnigraph {
namespace {

using engine::Value;
using Rows = std::vector<std::string>;
using OptInt = std::optional<int64_t>;
using OptStr = std::optional<std::string>;

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32?
  city: String? @index
}
node Company {
  name: String @key
  size: I32?
}
edge Knows: Person -> Person {
  since: I32?
}
edge WorksAt: Person -> Company @card(0..1)
)";

// --- the model ------------------------------------------------------------------

struct PersonRow {
  OptInt age;
  OptStr city;
};

struct EdgeRow {
  std::string src;
  std::string dst;
  OptInt since;  // Knows only
};

struct Model {
  std::map<std::string, PersonRow> people;
  std::map<std::string, OptInt> companies;  // name -> size
  std::map<std::string, EdgeRow> knows;     // edge id -> edge
  std::map<std::string, EdgeRow> works_at;
  uint64_t next_id = 0;  // model-only ids for edges the engine gives ULIDs

  std::string fresh_id() { return "gen" + std::to_string(next_id++); }
};

// Nodes reachable from `from` over Knows within [min, max] hops, BFS by
// shortest distance, the source excluded; the walk goes through ids whose
// node is gone (edges are kept by id), but only existing nodes are reported.
std::vector<std::string> knows_bfs(const Model& m, const std::string& from, uint32_t min,
                                   uint32_t max, bool reverse = false) {
  std::set<std::string> visited = {from};
  std::vector<std::string> frontier = {from}, out;
  for (uint32_t hop = 1; hop <= max && !frontier.empty(); ++hop) {
    std::vector<std::string> next;
    for (const std::string& u : frontier) {
      for (const auto& [_, e] : m.knows) {
        const std::string& a = reverse ? e.dst : e.src;
        const std::string& b = reverse ? e.src : e.dst;
        if (a != u || !visited.insert(b).second) continue;
        next.push_back(b);
        if (hop >= min && m.people.count(b)) out.push_back(b);
      }
    }
    frontier = std::move(next);
  }
  return out;
}

// Companies of a person (one hop, each at most once, existing only).
std::vector<std::string> jobs_of(const Model& m, const std::string& person) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& [_, e] : m.works_at) {
    if (e.src == person && m.companies.count(e.dst) && seen.insert(e.dst).second) {
      out.push_back(e.dst);
    }
  }
  return out;
}

std::vector<std::string> staff_of(const Model& m, const std::string& company) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& [_, e] : m.works_at) {
    if (e.dst == company && m.people.count(e.src) && seen.insert(e.src).second) {
      out.push_back(e.src);
    }
  }
  return out;
}

std::string show(const OptInt& v) {
  return v ? std::to_string(*v) : "null";
}
std::string show(const OptStr& v) {
  return v ? *v : "null";
}
std::string show_float(std::optional<double> v) {
  if (!v) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", *v);
  return buf;
}

std::string join(const std::vector<std::string>& cells, const char* sep = "|") {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? sep : "") + cells[i];
  return out;
}

// --- JSONL batches ----------------------------------------------------------------

struct Line {
  enum Kind { kPerson, kCompany, kKnows, kWorksAt } kind = kPerson;
  std::string key;  // node key
  OptInt num;       // age / size / since
  // How the number is written (§5.3): as text, with a fraction, or as a
  // whole float ("30.0") it is no integer and a nullable I32 column reads
  // null; beyond 32 bits it is cast with wrap-around.
  enum NumStyle { kPlain, kText, kFraction, kWholeFloat, kWrapped } num_style = kPlain;
  // An explicit data.id: the key itself is fine, anything else is refused.
  enum IdStyle { kNoId, kSameId, kOtherId } id_style = kNoId;
  bool extra_keys = false;  // unknown keys are ignored
  bool padded = false;      // surrounding blanks and a blank line are skipped
  bool omit_nulls = false;  // leave null fields out instead of writing null
  OptStr city;
  std::string src, dst;
  OptStr edge_id;
  bool lower_case_edge = false;  // edge names resolve case-insensitively
};

std::string jq(const std::string& s) {
  return "\"" + s + "\"";
}

std::string to_jsonl(const std::vector<Line>& lines) {
  std::string out;
  for (const Line& l : lines) {
    std::vector<std::string> data;
    auto num = [&](const char* field) {
      std::string v = show(l.num);
      if (l.num) {
        switch (l.num_style) {
          case Line::kPlain: break;
          case Line::kText: v = jq(v); break;
          case Line::kFraction: v += ".5"; break;
          case Line::kWholeFloat: v += ".0"; break;
          case Line::kWrapped: v = std::to_string(*l.num + (int64_t{1} << 32)); break;
        }
      }
      if (l.num || !l.omit_nulls) data.push_back(jq(field) + ":" + v);
    };
    if (l.padded) out += "  \n\t";
    if (l.extra_keys) data.push_back("\"nickname\":\"z\"");
    if (l.id_style != Line::kNoId) {
      data.push_back("\"id\":" + jq(l.id_style == Line::kSameId ? l.key : l.key + "x"));
    }
    switch (l.kind) {
      case Line::kPerson:
        data.push_back("\"name\":" + jq(l.key));
        num("age");
        if (l.city || !l.omit_nulls) data.push_back("\"city\":" + (l.city ? jq(*l.city) : "null"));
        out += "{\"type\":\"Person\"," + std::string(l.extra_keys ? "\"note\":1," : "") +
               "\"data\":{" + join(data, ",") + "}}";
        break;
      case Line::kCompany:
        data.push_back("\"name\":" + jq(l.key));
        num("size");
        out += "{\"type\":\"Company\",\"data\":{" + join(data, ",") + "}}";
        break;
      case Line::kKnows:
      case Line::kWorksAt: {
        if (l.edge_id) data.push_back("\"id\":" + jq(*l.edge_id));
        if (l.kind == Line::kKnows) num("since");
        std::string name = l.kind == Line::kKnows ? "Knows" : "WorksAt";
        if (l.lower_case_edge) std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        out += "{\"edge\":" + jq(name) + ",\"from\":" + jq(l.src) + ",\"to\":" + jq(l.dst) +
               ",\"data\":{" + join(data, ",") + "}}";
        break;
      }
    }
    out += l.padded ? "  \n" : "\n";
  }
  return out;
}

// The number a line stores: null when §5.3 reads it as no integer.
OptInt stored_num(const Line& l) {
  return l.num_style == Line::kPlain || l.num_style == Line::kWrapped ? l.num : std::nullopt;
}

// §5.4 on the model. Returns false (model untouched) when the load must fail.
bool model_load(Model& m, const std::vector<Line>& lines, engine::LoadMode mode) {
  // Intra-batch duplicate keys are refused in every mode (§4.10), and so
  // is an explicit id that is not the key (§5.2).
  std::set<std::pair<int, std::string>> keys;
  for (const Line& l : lines) {
    if (l.id_style == Line::kOtherId) return false;
    if ((l.kind == Line::kPerson || l.kind == Line::kCompany) &&
        !keys.insert({l.kind, l.key}).second) {
      return false;
    }
  }
  Model s = m;
  bool overwrite = mode == engine::LoadMode::kOverwrite;
  auto present = [&](Line::Kind k) {
    return std::any_of(lines.begin(), lines.end(), [&](const Line& l) { return l.kind == k; });
  };
  // Overwrite replaces exactly the tables the input has rows for; edges
  // that pointed at removed nodes stay (quirk).
  if (overwrite && present(Line::kPerson)) s.people.clear();
  if (overwrite && present(Line::kCompany)) s.companies.clear();
  if (overwrite && present(Line::kKnows)) s.knows.clear();
  if (overwrite && present(Line::kWorksAt)) s.works_at.clear();
  // Keyed rows are upserts: the whole row is replaced.
  for (const Line& l : lines) {
    OptInt num = stored_num(l);
    if (l.kind == Line::kPerson) s.people[l.key] = {num, l.city};
    if (l.kind == Line::kCompany) s.companies[l.key] = num;
  }
  // Endpoints are checked against the staged nodes (same file included).
  for (const Line& l : lines) {
    if (l.kind != Line::kKnows && l.kind != Line::kWorksAt) continue;
    bool to_person = l.kind == Line::kKnows;
    if (!s.people.count(l.src)) return false;
    if (to_person ? !s.people.count(l.dst) : !s.companies.count(l.dst)) return false;
    auto& table = to_person ? s.knows : s.works_at;
    EdgeRow row{l.src, l.dst, to_person ? stored_num(l) : std::nullopt};
    table[l.edge_id ? *l.edge_id : s.fresh_id()] = row;
  }
  // @card(0..1) on WorksAt over committed + staged edges.
  if (present(Line::kWorksAt)) {
    std::map<std::string, int> per_src;
    for (const auto& [_, e] : s.works_at) {
      if (++per_src[e.src] > 1) return false;
    }
  }
  m = std::move(s);
  return true;
}

// --- mutations ----------------------------------------------------------------------

constexpr const char* kMutations = R"(
query add_person($n: String, $a: I32?, $c: String?) { insert Person { name: $n, age: $a, city: $c } }
query add_person_name($n: String) { insert Person { name: $n } }
query add_company($n: String, $s: I32?) { insert Company { name: $n, size: $s } }
query set_age($n: String, $a: I32?) { update Person set { age: $a } where name = $n }
query set_city_older($x: I32, $c: String?) { update Person set { city: $c } where age > $x }
query set_age_in_city($c: String, $a: I32) { update Person set { age: $a } where city = $c }
query rename($n: String, $m: String) { update Person set { name: $m } where name = $n }
query del_person($n: String) { delete Person where name = $n }
query del_young($x: I32) { delete Person where age < $x }
query del_city($c: String) { delete Person where city = $c }
query del_company($n: String) { delete Company where name = $n }
query del_small($x: I32) { delete Company where size <= $x }
query add_knows($a: String, $b: String, $s: I32?) { insert Knows { from: $a, to: $b, since: $s } }
query add_job($a: String, $b: String) { insert WorksAt { from: $a, to: $b } }
query del_knows_from($a: String) { delete Knows where from = $a }
query del_knows_to($b: String) { delete Knows where to = $b }
query del_knows_before($s: I32) { delete Knows where since < $s }
query del_job($a: String) { delete WorksAt where from = $a }
query pair($a: String, $b: String, $g: I32?) {
  insert Person { name: $a, age: $g }
  insert Person { name: $b }
  insert Knows { from: $a, to: $b }
}
query hire($p: String, $c: String) {
  insert Company { name: $c }
  insert WorksAt { from: $p, to: $c }
}
query insert_then_update($n: String, $a: I32, $c: String) {
  insert Person { name: $n, age: $a }
  update Person set { city: $c } where name = $n
}
query update_twice($n: String, $a: I32) {
  update Person set { age: $a } where name = $n
  update Person set { city: "Rome" } where age = $a
}
query mixed($n: String) {
  insert Person { name: $n }
  delete Person where name = $n
}
)";

struct Outcome {
  bool ok = false;
  uint64_t nodes = 0;
  uint64_t edges = 0;
};

// Statements run against a staged copy; any failure discards it (§4.9).
class ModelTxn {
 public:
  explicit ModelTxn(const Model& m) : s_(m) {}

  void upsert_person(const std::string& n, OptInt age, OptStr city) {
    s_.people[n] = {age, std::move(city)};
    ++out_.nodes;
  }
  void upsert_company(const std::string& n, OptInt size) {
    s_.companies[n] = size;
    ++out_.nodes;
  }
  bool insert_knows(const std::string& a, const std::string& b, OptInt since) {
    if (!s_.people.count(a) || !s_.people.count(b)) return false;
    s_.knows[s_.fresh_id()] = {a, b, since};
    ++out_.edges;
    return true;
  }
  bool insert_job(const std::string& a, const std::string& c) {
    if (!s_.people.count(a) || !s_.companies.count(c)) return false;
    s_.works_at[s_.fresh_id()] = {a, c, std::nullopt};
    ++out_.edges;
    int n = 0;
    for (const auto& [_, e] : s_.works_at) n += e.src == a;
    return n <= 1;  // @card(0..1), committed + pending
  }
  void update_people(const std::function<bool(const std::string&, const PersonRow&)>& pred,
                     const std::function<void(PersonRow&)>& set) {
    for (auto& [name, row] : s_.people) {
      if (pred(name, row)) {
        set(row);
        ++out_.nodes;
      }
    }
  }
  void delete_people(const std::function<bool(const std::string&, const PersonRow&)>& pred) {
    std::set<std::string> doomed;
    for (const auto& [name, row] : s_.people) {
      if (pred(name, row)) doomed.insert(name);
    }
    for (const auto& n : doomed) s_.people.erase(n);
    out_.nodes += doomed.size();
    // Cascade: Knows in both directions, WorksAt by source.
    erase_edges(s_.knows,
                [&](const EdgeRow& e) { return doomed.count(e.src) || doomed.count(e.dst); });
    erase_edges(s_.works_at, [&](const EdgeRow& e) { return doomed.count(e.src) > 0; });
  }
  void delete_companies(const std::function<bool(const std::string&, const OptInt&)>& pred) {
    std::set<std::string> doomed;
    for (const auto& [name, size] : s_.companies) {
      if (pred(name, size)) doomed.insert(name);
    }
    for (const auto& n : doomed) s_.companies.erase(n);
    out_.nodes += doomed.size();
    erase_edges(s_.works_at, [&](const EdgeRow& e) { return doomed.count(e.dst) > 0; });
  }
  void erase_edges(std::map<std::string, EdgeRow>& table,
                   const std::function<bool(const EdgeRow&)>& pred) {
    for (auto it = table.begin(); it != table.end();) {
      if (pred(it->second)) {
        it = table.erase(it);
        ++out_.edges;
      } else {
        ++it;
      }
    }
  }
  Model& state() { return s_; }

  Outcome commit(Model& m) {
    m = std::move(s_);
    out_.ok = true;
    return out_;
  }

 private:
  Model s_;
  Outcome out_;
};

// SQL-style comparison on a nullable int: null never matches.
bool lt(const OptInt& v, int64_t x) {
  return v && *v < x;
}
bool gt(const OptInt& v, int64_t x) {
  return v && *v > x;
}

// --- the operations ---------------------------------------------------------------

struct Op {
  std::string description;
  bool is_load = false;
  std::vector<Line> lines;
  engine::LoadMode mode = engine::LoadMode::kAppend;
  std::string query;
  std::string params;
  std::function<Outcome(const Model&, Model&)> apply;  // mutations: the model's side
};

std::string json_str(const OptStr& s) {
  return s ? jq(*s) : "null";
}
std::string json_int(const OptInt& v) {
  return show(v);
}

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  Op next(const Model& m) { return chance(0.35) ? load_op(m) : mutation_op(m); }

 private:
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }

  std::string any_person() {
    char buf[8];
    std::snprintf(buf, sizeof buf, "p%02d", uniform(0, 24));
    return buf;
  }
  std::string any_company() { return "c" + std::to_string(uniform(0, 5)); }
  // Mostly an existing one, so edges usually land; sometimes any name.
  std::string person(const Model& m) {
    if (m.people.empty() || chance(0.15)) return any_person();
    auto it = m.people.begin();
    std::advance(it, uniform(0, static_cast<int>(m.people.size()) - 1));
    return it->first;
  }
  std::string company(const Model& m) {
    if (m.companies.empty() || chance(0.15)) return any_company();
    auto it = m.companies.begin();
    std::advance(it, uniform(0, static_cast<int>(m.companies.size()) - 1));
    return it->first;
  }
  std::string one_of(const std::set<std::string>& names) {
    auto it = names.begin();
    std::advance(it, uniform(0, static_cast<int>(names.size()) - 1));
    return *it;
  }
  // Usually someone without a job yet, so WorksAt (@card 0..1) mostly lands.
  std::string job_seeker(const Model& m) {
    std::set<std::string> free;
    for (const auto& [n, _] : m.people) free.insert(n);
    for (const auto& [_, e] : m.works_at) free.erase(e.src);
    return free.empty() || chance(0.25) ? person(m) : one_of(free);
  }
  OptInt age() { return chance(0.2) ? OptInt() : OptInt(uniform(18, 70)); }
  OptStr city() {
    static const std::vector<std::string> cities = {"Oslo", "Paris", "Rome"};
    return chance(0.25) ? OptStr() : OptStr(pick(cities));
  }

  Op load_op(const Model& m) {
    Op op;
    op.is_load = true;
    int r = uniform(0, 99);
    op.mode = r < 8    ? engine::LoadMode::kOverwrite
              : r < 54 ? engine::LoadMode::kAppend
                       : engine::LoadMode::kMerge;
    int n = op.mode == engine::LoadMode::kOverwrite ? uniform(3, 14) : uniform(1, 6);
    std::set<std::string> batch_people, used_ids;
    for (int i = 0; i < n; ++i) {
      Line l;
      l.omit_nulls = chance(0.5);
      if (chance(0.08)) l.num_style = static_cast<Line::NumStyle>(uniform(1, 4));
      l.extra_keys = chance(0.05);
      l.padded = chance(0.05);
      int kind = uniform(0, 99);
      if (kind < 40) {
        l.kind = Line::kPerson;
        int id = uniform(0, 99);
        l.id_style = id < 10 ? Line::kSameId : id < 12 ? Line::kOtherId : Line::kNoId;
        // Rarely a key twice in one batch: must be refused.
        if (chance(0.03) && !batch_people.empty()) {
          l.key = *batch_people.begin();
        } else {
          do {
            l.key = any_person();
          } while (batch_people.count(l.key));
        }
        batch_people.insert(l.key);
        l.num = age();
        l.city = city();
      } else if (kind < 55) {
        l.kind = Line::kCompany;
        if (chance(0.1)) l.id_style = Line::kSameId;
        l.key = any_company();
        l.num = chance(0.3) ? OptInt() : OptInt(uniform(1, 500));
        // Companies are rarely duplicated by chance; make it a valid batch.
        bool dup = false;
        for (const Line& o : op.lines) dup |= o.kind == Line::kCompany && o.key == l.key;
        if (dup) continue;
      } else {
        bool knows = kind < 85;
        l.kind = knows ? Line::kKnows : Line::kWorksAt;
        l.lower_case_edge = chance(0.2);
        // Endpoints from the graph or from this batch's people (an
        // overwrite of Person leaves only those).
        double from_batch = op.mode == engine::LoadMode::kOverwrite ? 0.85 : 0.3;
        auto endpoint = [&](std::string fallback) {
          return !batch_people.empty() && chance(from_batch) ? one_of(batch_people) : fallback;
        };
        l.src = endpoint(knows ? person(m) : job_seeker(m));
        l.dst = knows ? (chance(0.05) ? l.src : endpoint(person(m))) : company(m);
        l.num = knows ? age() : OptInt();
        if (chance(0.3)) {
          // Explicit ids from a small pool: merge/append replace by id.
          std::string id;
          do {
            id = (knows ? "k" : "w") + std::to_string(uniform(0, 29));
          } while (used_ids.count(id));
          used_ids.insert(id);
          l.edge_id = id;
        }
      }
      op.lines.push_back(l);
    }
    if (op.lines.empty()) return load_op(m);
    op.description = std::string("load ") + std::string(engine::load_mode_name(op.mode)) + "\n" +
                     to_jsonl(op.lines);
    return op;
  }

  Op mutation_op(const Model& m) {
    Op op;
    int r = uniform(0, 99);
    if (r < 14) {
      std::string n = chance(0.5) ? person(m) : any_person();
      OptInt a = age();
      OptStr c = city();
      op.query = "add_person";
      op.params = "{\"n\":" + jq(n) + ",\"a\":" + json_int(a) + ",\"c\":" + json_str(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_person(n, a, c);
        return t.commit(out);
      };
    } else if (r < 18) {
      std::string n = person(m);
      op.query = "add_person_name";
      op.params = "{\"n\":" + jq(n) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_person(n, std::nullopt, std::nullopt);  // whole row replaced
        return t.commit(out);
      };
    } else if (r < 24) {
      std::string n = any_company();
      OptInt s = chance(0.3) ? OptInt() : OptInt(uniform(1, 500));
      op.query = "add_company";
      op.params = "{\"n\":" + jq(n) + ",\"s\":" + json_int(s) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_company(n, s);
        return t.commit(out);
      };
    } else if (r < 30) {
      std::string n = person(m);
      OptInt a = age();
      op.query = "set_age";
      op.params = "{\"n\":" + jq(n) + ",\"a\":" + json_int(a) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.update_people([&](const std::string& name, const PersonRow&) { return name == n; },
                        [&](PersonRow& row) { row.age = a; });
        return t.commit(out);
      };
      if (chance(0.05)) {
        // An I32 parameter must fit (§6.1: `value 3000000000 exceeds I32`).
        op.params = "{\"n\":" + jq(n) + ",\"a\":3000000000}";
        op.apply = [](const Model&, Model&) { return Outcome{}; };
      }
    } else if (r < 33) {
      int x = uniform(30, 65);
      OptStr c = city();
      op.query = "set_city_older";
      op.params = "{\"x\":" + std::to_string(x) + ",\"c\":" + json_str(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.update_people([&](const std::string&, const PersonRow& row) { return gt(row.age, x); },
                        [&](PersonRow& row) { row.city = c; });
        return t.commit(out);
      };
    } else if (r < 35) {
      std::string c = city().value_or("Oslo");
      int a = uniform(18, 70);
      op.query = "set_age_in_city";
      op.params = "{\"c\":" + jq(c) + ",\"a\":" + std::to_string(a) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.update_people([&](const std::string&, const PersonRow& row) { return row.city == c; },
                        [&](PersonRow& row) { row.age = a; });
        return t.commit(out);
      };
    } else if (r < 36) {
      // Assigning the key is refused at run time (§4.9).
      op.query = "rename";
      op.params = "{\"n\":" + jq(person(m)) + ",\"m\":" + jq(any_person()) + "}";
      op.apply = [](const Model&, Model&) { return Outcome{}; };
    } else if (r < 41) {
      std::string n = person(m);
      op.query = "del_person";
      op.params = "{\"n\":" + jq(n) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.delete_people([&](const std::string& name, const PersonRow&) { return name == n; });
        return t.commit(out);
      };
    } else if (r < 43) {
      int x = uniform(18, 30);
      op.query = "del_young";
      op.params = "{\"x\":" + std::to_string(x) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.delete_people([&](const std::string&, const PersonRow& row) { return lt(row.age, x); });
        return t.commit(out);
      };
    } else if (r < 44) {
      std::string c = city().value_or("Paris");
      op.query = "del_city";
      op.params = "{\"c\":" + jq(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.delete_people([&](const std::string&, const PersonRow& row) { return row.city == c; });
        return t.commit(out);
      };
    } else if (r < 47) {
      std::string n = company(m);
      op.query = "del_company";
      op.params = "{\"n\":" + jq(n) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.delete_companies([&](const std::string& name, const OptInt&) { return name == n; });
        return t.commit(out);
      };
    } else if (r < 48) {
      int x = uniform(1, 150);
      op.query = "del_small";
      op.params = "{\"x\":" + std::to_string(x) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.delete_companies([&](const std::string&, const OptInt& s) { return s && *s <= x; });
        return t.commit(out);
      };
    } else if (r < 66) {
      std::string a = person(m), b = chance(0.05) ? a : person(m);
      OptInt s = age();
      op.query = "add_knows";
      op.params = "{\"a\":" + jq(a) + ",\"b\":" + jq(b) + ",\"s\":" + json_int(s) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        if (!t.insert_knows(a, b, s)) return Outcome{};
        return t.commit(out);
      };
    } else if (r < 76) {
      std::string a = job_seeker(m), c = company(m);
      op.query = "add_job";
      op.params = "{\"a\":" + jq(a) + ",\"b\":" + jq(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        if (!t.insert_job(a, c)) return Outcome{};
        return t.commit(out);
      };
    } else if (r < 79) {
      std::string a = person(m);
      op.query = "del_knows_from";
      op.params = "{\"a\":" + jq(a) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.erase_edges(t.state().knows, [&](const EdgeRow& e) { return e.src == a; });
        return t.commit(out);
      };
    } else if (r < 81) {
      std::string b = person(m);
      op.query = "del_knows_to";
      op.params = "{\"b\":" + jq(b) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.erase_edges(t.state().knows, [&](const EdgeRow& e) { return e.dst == b; });
        return t.commit(out);
      };
    } else if (r < 82) {
      int x = uniform(18, 40);
      op.query = "del_knows_before";
      op.params = "{\"s\":" + std::to_string(x) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.erase_edges(t.state().knows, [&](const EdgeRow& e) { return lt(e.since, x); });
        return t.commit(out);
      };
    } else if (r < 85) {
      std::string a = person(m);
      op.query = "del_job";
      op.params = "{\"a\":" + jq(a) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.erase_edges(t.state().works_at, [&](const EdgeRow& e) { return e.src == a; });
        return t.commit(out);
      };
    } else if (r < 90) {
      std::string a = any_person(), b = chance(0.1) ? a : any_person();
      OptInt g = age();
      op.query = "pair";
      op.params = "{\"a\":" + jq(a) + ",\"b\":" + jq(b) + ",\"g\":" + json_int(g) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_person(a, g, std::nullopt);
        t.upsert_person(b, std::nullopt, std::nullopt);
        if (!t.insert_knows(a, b, std::nullopt)) return Outcome{};
        return t.commit(out);
      };
    } else if (r < 93) {
      std::string p = job_seeker(m), c = any_company();
      op.query = "hire";
      op.params = "{\"p\":" + jq(p) + ",\"c\":" + jq(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_company(c, std::nullopt);
        if (!t.insert_job(p, c)) return Outcome{};
        return t.commit(out);
      };
    } else if (r < 96) {
      std::string n = any_person();
      int a = uniform(18, 70);
      std::string c = city().value_or("Oslo");
      op.query = "insert_then_update";
      op.params = "{\"n\":" + jq(n) + ",\"a\":" + std::to_string(a) + ",\"c\":" + jq(c) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.upsert_person(n, a, std::nullopt);
        // The update sees the insert (read-your-writes).
        t.update_people([&](const std::string& name, const PersonRow&) { return name == n; },
                        [&](PersonRow& row) { row.city = c; });
        return t.commit(out);
      };
    } else if (r < 99) {
      std::string n = person(m);
      int a = uniform(18, 70);
      op.query = "update_twice";
      op.params = "{\"n\":" + jq(n) + ",\"a\":" + std::to_string(a) + "}";
      op.apply = [=](const Model& base, Model& out) {
        ModelTxn t(base);
        t.update_people([&](const std::string& name, const PersonRow&) { return name == n; },
                        [&](PersonRow& row) { row.age = a; });
        t.update_people(
            [&](const std::string&, const PersonRow& row) { return row.age == OptInt(a); },
            [&](PersonRow& row) { row.city = "Rome"; });
        return t.commit(out);
      };
    } else {
      // Inserts and deletes in one query are refused before any write (D2).
      op.query = "mixed";
      op.params = "{\"n\":" + jq(person(m)) + "}";
      op.apply = [](const Model&, Model&) { return Outcome{}; };
    }
    op.description = "change " + op.query + " " + op.params;
    return op;
  }

  std::mt19937 rng_;
};

// --- the read queries, on the engine and on the model ---------------------------------

struct Check {
  std::string name;
  std::string source;
  bool ordered = false;
  std::function<Rows(const Model&)> model;
};

std::vector<Check> checks() {
  std::vector<Check> out;
  auto people_rows =
      [](const Model& m, const std::function<bool(const PersonRow&)>& keep,
         const std::function<std::string(const std::string&, const PersonRow&)>& render) {
        Rows rows;
        for (const auto& [n, p] : m.people) {
          if (keep(p)) rows.push_back(render(n, p));
        }
        return rows;
      };
  out.push_back({"count_people", "query q() { match { $p: Person } return { count($p) as n } }",
                 false, [](const Model& m) { return Rows{std::to_string(m.people.size())}; }});
  out.push_back({"people", "query q() { match { $p: Person } return { $p.name, $p.age, $p.city } }",
                 false, [=](const Model& m) {
                   return people_rows(
                       m, [](const PersonRow&) { return true; },
                       [](const std::string& n, const PersonRow& p) {
                         return join({n, show(p.age), show(p.city)});
                       });
                 }});
  out.push_back({"companies", "query q() { match { $c: Company } return { $c.name, $c.size } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, s] : m.companies) rows.push_back(join({n, show(s)}));
                   return rows;
                 }});
  for (std::string city : {"Oslo", "Paris", "Rome"}) {
    // The indexed property, matched inline.
    out.push_back(
        {"in_" + city,
         "query q() { match { $p: Person { city: \"" + city + "\" } } return { $p.name } }", false,
         [=](const Model& m) {
           return people_rows(
               m, [&](const PersonRow& p) { return p.city == city; },
               [](const std::string& n, const PersonRow&) { return n; });
         }});
  }
  out.push_back({"older_than_40",
                 "query q() { match { $p: Person $p.age > 40 } return { $p.name, $p.age } }", false,
                 [=](const Model& m) {
                   return people_rows(
                       m, [](const PersonRow& p) { return gt(p.age, 40); },
                       [](const std::string& n, const PersonRow& p) {
                         return join({n, show(p.age)});
                       });
                 }});
  out.push_back({"age_not_30", "query q() { match { $p: Person $p.age != 30 } return { $p.name } }",
                 false, [=](const Model& m) {
                   return people_rows(
                       m, [](const PersonRow& p) { return p.age && *p.age != 30; },
                       [](const std::string& n, const PersonRow&) { return n; });
                 }});
  out.push_back({"city_not_oslo",
                 "query q() { match { $p: Person $p.city != \"Oslo\" } return { $p.name } }", false,
                 [=](const Model& m) {
                   return people_rows(
                       m, [](const PersonRow& p) { return p.city && *p.city != "Oslo"; },
                       [](const std::string& n, const PersonRow&) { return n; });
                 }});
  auto hops = [](uint32_t lo, uint32_t hi) {
    return [=](const Model& m) {
      Rows rows;
      for (const auto& [n, _] : m.people) {
        for (const auto& f : knows_bfs(m, n, lo, hi)) rows.push_back(join({n, f}));
      }
      return rows;
    };
  };
  out.push_back({"knows",
                 "query q() { match { $p: Person $p knows $f } return { $p.name, $f.name } }",
                 false, hops(1, 1)});
  out.push_back({"knows_2_2",
                 "query q() { match { $p: Person $p knows{2,2} $f } return { $p.name, $f.name } }",
                 false, hops(2, 2)});
  out.push_back({"knows_1_3",
                 "query q() { match { $p: Person $p knows{1,3} $f } return { $p.name, $f.name } }",
                 false, hops(1, 3)});
  out.push_back({"known_by_oslo",
                 "query q() { match { $f: Person { city: \"Oslo\" } $p knows $f } "
                 "return { $f.name, $p.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, p] : m.people) {
                     if (p.city != "Oslo") continue;
                     for (const auto& s : knows_bfs(m, n, 1, 1, true)) rows.push_back(join({n, s}));
                   }
                   return rows;
                 }});
  out.push_back({"paris_knows_rome",
                 "query q() { match { $p: Person { city: \"Paris\" } $p knows $f "
                 "$f: Person { city: \"Rome\" } } return { $p.name, $f.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, p] : m.people) {
                     if (p.city != "Paris") continue;
                     for (const auto& f : knows_bfs(m, n, 1, 1)) {
                       if (m.people.at(f).city == "Rome") rows.push_back(join({n, f}));
                     }
                   }
                   return rows;
                 }});
  out.push_back({"works_at",
                 "query q() { match { $p: Person $p worksAt $c } return { $p.name, $c.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, _] : m.people) {
                     for (const auto& c : jobs_of(m, n)) rows.push_back(join({n, c}));
                   }
                   return rows;
                 }});
  out.push_back({"staff",
                 "query q() { match { $c: Company $p worksAt $c } return { $c.name, $p.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [c, _] : m.companies) {
                     for (const auto& p : staff_of(m, c)) rows.push_back(join({c, p}));
                   }
                   return rows;
                 }});
  out.push_back({"friends_employers",
                 "query q() { match { $p: Person $p knows $f $f worksAt $c } "
                 "return { $p.name, $f.name, $c.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, _] : m.people) {
                     for (const auto& f : knows_bfs(m, n, 1, 1)) {
                       for (const auto& c : jobs_of(m, f)) rows.push_back(join({n, f, c}));
                     }
                   }
                   return rows;
                 }});
  out.push_back({"coworkers",
                 "query q() { match { $c: Company $a worksAt $c $b worksAt $c $a.name < $b.name } "
                 "return { $c.name, $a.name, $b.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [c, _] : m.companies) {
                     auto staff = staff_of(m, c);
                     for (const auto& a : staff) {
                       for (const auto& b : staff) {
                         if (a < b) rows.push_back(join({c, a, b}));
                       }
                     }
                   }
                   return rows;
                 }});
  // §4.12 fast path: any WorksAt edge counts, even one to a removed company.
  out.push_back({"jobless",
                 "query q() { match { $p: Person not { $p worksAt $_ } } return { $p.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, _] : m.people) {
                     bool has = std::any_of(m.works_at.begin(), m.works_at.end(),
                                            [&](const auto& e) { return e.second.src == n; });
                     if (!has) rows.push_back(n);
                   }
                   return rows;
                 }});
  // Slow path: the inner traversal joins real nodes.
  out.push_back({"no_oslo_friend",
                 "query q() { match { $p: Person not { $p knows $f  $f.city = \"Oslo\" } } "
                 "return { $p.name } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [n, _] : m.people) {
                     auto fs = knows_bfs(m, n, 1, 1);
                     bool has = std::any_of(fs.begin(), fs.end(), [&](const std::string& f) {
                       return m.people.at(f).city == "Oslo";
                     });
                     if (!has) rows.push_back(n);
                   }
                   return rows;
                 }});
  out.push_back({"per_company",
                 "query q() { match { $p: Person $p worksAt $c } return { $c.name, count($p) as n, "
                 "sum($p.age) as s, avg($p.age) as a, min($p.age) as lo, max($p.age) as hi } }",
                 false, [](const Model& m) {
                   std::map<std::string, std::vector<OptInt>> groups;
                   for (const auto& [n, p] : m.people) {
                     for (const auto& c : jobs_of(m, n)) groups[c].push_back(p.age);
                   }
                   Rows rows;
                   for (const auto& [c, ages] : groups) {
                     double sum = 0;
                     int64_t k = 0;
                     OptInt lo, hi;
                     for (const auto& a : ages) {
                       if (!a) continue;
                       sum += static_cast<double>(*a);
                       ++k;
                       lo = lo ? std::min(*lo, *a) : *a;
                       hi = hi ? std::max(*hi, *a) : *a;
                     }
                     std::optional<double> s = k ? std::optional<double>(sum) : std::nullopt;
                     std::optional<double> avg = k ? std::optional<double>(sum / k) : std::nullopt;
                     rows.push_back(join({c, std::to_string(ages.size()), show_float(s),
                                          show_float(avg), show(lo), show(hi)}));
                   }
                   return rows;
                 }});
  out.push_back({"per_city",
                 "query q() { match { $p: Person } return { $p.city, count($p) as n, "
                 "max($p.age) as oldest } }",
                 false, [](const Model& m) {
                   std::map<OptStr, std::pair<int64_t, OptInt>> groups;
                   for (const auto& [_, p] : m.people) {
                     auto& g = groups[p.city];
                     ++g.first;
                     if (p.age) g.second = g.second ? std::max(*g.second, *p.age) : *p.age;
                   }
                   Rows rows;
                   for (const auto& [c, g] : groups) {
                     rows.push_back(join({show(c), std::to_string(g.first), show(g.second)}));
                   }
                   return rows;
                 }});
  // No rows and no group key: one row, count 0 and null aggregates (§4.8).
  out.push_back({"empty_aggregate",
                 "query q() { match { $p: Person { city: \"Nowhere\" } } "
                 "return { count($p) as n, sum($p.age) as s, max($p.age) as m } }",
                 false, [](const Model&) { return Rows{"0|null|null"}; }});
  out.push_back({"most_friends",
                 "query q() { match { $p: Person $p knows $f } return { $p.name, count($f) as n } "
                 "order { n desc, $p.name } limit 4 }",
                 true, [](const Model& m) {
                   std::vector<std::pair<int64_t, std::string>> counts;
                   for (const auto& [n, _] : m.people) {
                     auto fs = knows_bfs(m, n, 1, 1);
                     if (!fs.empty()) counts.push_back({-static_cast<int64_t>(fs.size()), n});
                   }
                   std::sort(counts.begin(), counts.end());
                   Rows rows;
                   for (size_t i = 0; i < counts.size() && i < 4; ++i) {
                     rows.push_back(join({counts[i].second, std::to_string(-counts[i].first)}));
                   }
                   return rows;
                 }});
  // desc puts nulls last, asc puts them first (§4.7); names break ties.
  out.push_back({"oldest",
                 "query q() { match { $p: Person } return { $p.name, $p.age } "
                 "order { $p.age desc, $p.name } limit 5 }",
                 true, [](const Model& m) {
                   std::vector<std::tuple<int, int64_t, std::string>> v;
                   for (const auto& [n, p] : m.people) {
                     v.emplace_back(p.age ? 0 : 1, p.age ? -*p.age : 0, n);
                   }
                   std::sort(v.begin(), v.end());
                   Rows rows;
                   for (size_t i = 0; i < v.size() && i < 5; ++i) {
                     const auto& n = std::get<2>(v[i]);
                     rows.push_back(join({n, show(m.people.at(n).age)}));
                   }
                   return rows;
                 }});
  out.push_back({"youngest",
                 "query q() { match { $p: Person } return { $p.name, $p.age } "
                 "order { $p.age, $p.name desc } limit 3 }",
                 true, [](const Model& m) {
                   std::vector<std::tuple<int, int64_t, std::string>> v;
                   for (const auto& [n, p] : m.people)
                     v.emplace_back(p.age ? 1 : 0, p.age.value_or(0), n);
                   std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
                     if (std::get<0>(a) != std::get<0>(b)) return std::get<0>(a) < std::get<0>(b);
                     if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b);
                     return std::get<2>(a) > std::get<2>(b);
                   });
                   Rows rows;
                   for (size_t i = 0; i < v.size() && i < 3; ++i) {
                     const auto& n = std::get<2>(v[i]);
                     rows.push_back(join({n, show(m.people.at(n).age)}));
                   }
                   return rows;
                 }});
  // Edge variables (our extension, docs/compatibility.md): one row per edge,
  // so parallel edges and edge properties show; self-loops stay invisible
  // on a same-type edge.
  out.push_back({"knows_edges",
                 "query q() { match { $p: Person $p $e:knows $f } "
                 "return { $p.name, $f.name, $e.since } }",
                 false, [](const Model& m) {
                   Rows rows;
                   for (const auto& [_, e] : m.knows) {
                     if (e.src != e.dst && m.people.count(e.src) && m.people.count(e.dst)) {
                       rows.push_back(join({e.src, e.dst, show(e.since)}));
                     }
                   }
                   return rows;
                 }});
  return out;
}

std::string render(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kInt: return std::to_string(v.as_int());
    case Value::Kind::kUInt: return std::to_string(v.as_uint());
    case Value::Kind::kFloat: return show_float(v.as_float());
    case Value::Kind::kString: return v.as_string();
    default: return v.debug_string();
  }
}

Rows engine_rows(Graph& graph, const Check& check) {
  ReadRequest request;
  request.query_source = check.source;
  ReadResult r = graph.read(request);
  Rows rows;
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (const auto& v : row) cells.push_back(render(v));
    rows.push_back(join(cells));
  }
  return rows;
}

// The whole state as export_jsonl writes it (dangling edges included):
// "Person|name|age|city", "Company|name|size", "Knows|src|dst|since|id",
// "WorksAt|src|dst|id"; an engine-generated edge id shows as "*".
Rows engine_export(Graph& graph) {
  std::ostringstream out;
  graph.export_jsonl(out);
  std::istringstream in(out.str());
  Rows rows;
  std::string line;
  auto text = [](const rapidjson::Value& v) -> std::string {
    if (v.IsNull()) return "null";
    if (v.IsString()) return v.GetString();
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    return "?";
  };
  while (std::getline(in, line)) {
    rapidjson::Document doc;
    doc.Parse(line.c_str());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data")) {
      rows.push_back("unreadable: " + line);
      continue;
    }
    const rapidjson::Value& d = doc["data"];
    if (doc.HasMember("type")) {
      std::string type = doc["type"].GetString();
      if (type == "Person") {
        rows.push_back(join({type, text(d["name"]), text(d["age"]), text(d["city"])}));
      } else {
        rows.push_back(join({type, text(d["name"]), text(d["size"])}));
      }
    } else {
      std::string type = doc["edge"].GetString();
      std::string id = text(d["id"]);
      if (id.size() > 4) id = "*";
      std::vector<std::string> cells = {type, doc["from"].GetString(), doc["to"].GetString()};
      if (type == "Knows") cells.push_back(text(d["since"]));
      cells.push_back(id);
      rows.push_back(join(cells));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

Rows model_export(const Model& m) {
  Rows rows;
  for (const auto& [n, p] : m.people)
    rows.push_back(join({"Person", n, show(p.age), show(p.city)}));
  for (const auto& [n, s] : m.companies) rows.push_back(join({"Company", n, show(s)}));
  auto id_of = [](const std::string& id) { return id.rfind("gen", 0) == 0 ? "*" : id; };
  for (const auto& [id, e] : m.knows) {
    rows.push_back(join({"Knows", e.src, e.dst, show(e.since), id_of(id)}));
  }
  for (const auto& [id, e] : m.works_at) rows.push_back(join({"WorksAt", e.src, e.dst, id_of(id)}));
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::map<std::string, uint64_t> engine_table_rows(Graph& graph) {
  std::map<std::string, uint64_t> out;
  for (const TableInfo& t : graph.snapshot().tables) out[t.table_key] = t.row_count;
  return out;
}

std::map<std::string, uint64_t> model_table_rows(const Model& m) {
  return {{"edge:Knows", m.knows.size()},
          {"edge:WorksAt", m.works_at.size()},
          {"node:Company", m.companies.size()},
          {"node:Person", m.people.size()}};
}

size_t op_count() {
  const char* scale = std::getenv("OG_TEST_SCALE");
  return scale != nullptr && std::string(scale) == "small" ? 600 : 6000;
}

// One run of `ops` random operations from `seed`; returns counts for the report.
struct RunStats {
  size_t loads = 0, mutations = 0, refused_loads = 0, refused_mutations = 0, checkpoints = 0;
  size_t dangling_checkpoints = 0;  // checkpoints where some edge pointed at a removed node
};

size_t dangling_edges(const Model& m) {
  size_t n = 0;
  for (const auto& [_, e] : m.knows) n += !m.people.count(e.src) || !m.people.count(e.dst);
  for (const auto& [_, e] : m.works_at) n += !m.people.count(e.src) || !m.companies.count(e.dst);
  return n;
}

void run_model(uint32_t seed, size_t ops, RunStats& stats) {
  auto graph = Graph::init_in_memory(kSchema);
  Model model;
  Generator gen(seed);
  const std::vector<Check> all_checks = checks();
  const size_t every = 20;

  auto compare_all = [&](size_t step) {
    ++stats.checkpoints;
    if (dangling_edges(model) > 0) ++stats.dangling_checkpoints;
    ASSERT_EQ(engine_table_rows(*graph), model_table_rows(model)) << "after op " << step;
    ASSERT_EQ(engine_export(*graph), model_export(model)) << "export after op " << step;
    for (const Check& c : all_checks) {
      SCOPED_TRACE("query " + c.name + " after op " + std::to_string(step));
      Rows got = engine_rows(*graph, c);
      Rows want = c.model(model);
      if (!c.ordered) {
        std::sort(got.begin(), got.end());
        std::sort(want.begin(), want.end());
      }
      ASSERT_EQ(got, want) << c.source;
    }
  };

  for (size_t i = 0; i < ops; ++i) {
    Op op = gen.next(model);
    SCOPED_TRACE("seed " + std::to_string(seed) + " op " + std::to_string(i) + ": " +
                 op.description);
    std::string head = graph->snapshot().commit_id;
    bool engine_ok = true;
    std::string engine_error;
    Model next = model;
    bool model_ok;
    if (op.is_load) {
      ++stats.loads;
      model_ok = model_load(next, op.lines, op.mode);
      std::istringstream in(to_jsonl(op.lines));
      try {
        LoadRequest request;
        request.mode = op.mode;
        LoadResult r = graph->load(in, request);
        // Rows per type in this input.
        std::map<std::string, uint64_t> nodes, edges;
        for (const Line& l : op.lines) {
          if (l.kind == Line::kPerson) ++nodes["Person"];
          if (l.kind == Line::kCompany) ++nodes["Company"];
          if (l.kind == Line::kKnows) ++edges["Knows"];
          if (l.kind == Line::kWorksAt) ++edges["WorksAt"];
        }
        EXPECT_EQ(r.summary.nodes_loaded, nodes);
        EXPECT_EQ(r.summary.edges_loaded, edges);
      } catch (const Error& e) {
        engine_ok = false;
        engine_error = e.what();
      }
    } else {
      ++stats.mutations;
      Outcome want = op.apply(model, next);
      model_ok = want.ok;
      try {
        ChangeRequest request;
        request.query_source = kMutations;
        request.query_name = op.query;
        request.params_json = op.params;
        ChangeResult r = graph->change(request);
        if (model_ok) {
          EXPECT_EQ(r.affected_nodes, want.nodes);
          EXPECT_EQ(r.affected_edges, want.edges);
        }
      } catch (const Error& e) {
        engine_ok = false;
        engine_error = e.what();
      }
    }
    ASSERT_EQ(engine_ok, model_ok) << (engine_ok ? "engine accepted what the spec refuses"
                                                 : "engine refused: " + engine_error);
    if (!engine_ok) {
      ++(op.is_load ? stats.refused_loads : stats.refused_mutations);
      // A refused operation publishes nothing.
      ASSERT_EQ(graph->snapshot().commit_id, head);
      ASSERT_EQ(engine_table_rows(*graph), model_table_rows(model));
    } else {
      model = std::move(next);
    }
    if ((i + 1) % every == 0) {
      compare_all(i);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  compare_all(ops);
}

TEST(EngineModel, RandomLoadsAndMutationsMatchTheModel) {
  RunStats stats;
  size_t ops = op_count();
  // Three seeds: different graph shapes and interleavings.
  const std::vector<uint32_t> seeds = {20240611u, 7u, 99991u};
  for (uint32_t seed : seeds) {
    run_model(seed, ops / seeds.size(), stats);
    if (HasFatalFailure()) return;
  }
  size_t run = stats.loads + stats.mutations;
  std::cout << "[model] " << stats.loads << " loads (" << stats.refused_loads << " refused), "
            << stats.mutations << " mutations (" << stats.refused_mutations << " refused), "
            << stats.checkpoints << " checkpoints of " << checks().size() << " queries, "
            << stats.dangling_checkpoints << " with dangling edges\n";
  EXPECT_EQ(run, ops / seeds.size() * seeds.size());
  // The generator must exercise both outcomes of both kinds of write, and
  // the overwrite quirk (edges left pointing at removed nodes).
  EXPECT_GT(stats.refused_loads, stats.loads / 50);
  EXPECT_LT(stats.refused_loads, stats.loads / 2);
  EXPECT_GT(stats.refused_mutations, stats.mutations / 50);
  EXPECT_LT(stats.refused_mutations, stats.mutations / 2);
  EXPECT_GT(stats.dangling_checkpoints, 0u);
}

}  // namespace
}  // namespace omnigraph
