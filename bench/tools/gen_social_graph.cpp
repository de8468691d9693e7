// Synthetic social graph for the peer comparison (scripts/bench_peers.sh).
//
// Writes one graph in two encodings so both systems load exactly the same data:
//   schema.pg, graph.jsonl            -> Omnigraph (languages.md §1 and §5)
//   persons.csv, companies.csv,
//   knows.csv, works_at.csv           -> Kuzu COPY FROM
//   starts.txt                        -> 100 Person ids used as traversal sources
//
// The program is standalone (no project libraries) so the runner script can build it
// with a plain compiler call even when the benchmark targets are switched off.
// Every random choice comes from a hand-rolled xoshiro256** stream and a
// multiply-shift bounded draw: std::uniform_int_distribution is
// implementation-defined, and the output has to be identical on every toolchain
// for a given seed.
#include <sys/stat.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// ---------------------------------------------------------------- randomness

__extension__ typedef unsigned __int128 U128;  // GCC/Clang; silences -Wpedantic

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream) {
    uint64_t sm = seed ^ (stream * 0xD1342543DE82EF95ULL);
    for (auto& word : s_) word = splitmix64(sm);
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). The multiply-shift bias is below 2^-40 for the sizes used
  // here, far below anything a benchmark could notice.
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<U128>(next()) * n) >> 64);
  }

  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// Independent streams: changing one size (e.g. --knows) leaves the other parts of
// the graph, and the start ids, unchanged.
enum Stream : uint64_t {
  kPersonStream = 1,
  kCompanyStream,
  kKnowsStream,
  kWorksStream,
  kStartStream
};

// ---------------------------------------------------------------- output

// A large private buffer and raw fwrite: stdio's per-call locking and
// printf's format parsing dominate otherwise at ~6M lines.
class Writer {
 public:
  explicit Writer(const std::string& path) : path_(path) {
    f_ = std::fopen(path.c_str(), "wb");
    if (!f_) {
      std::fprintf(stderr, "gen_social_graph: cannot open %s: %s\n", path.c_str(),
                   std::strerror(errno));
      std::exit(1);
    }
    buf_.resize(kCapacity);
  }
  ~Writer() { close(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Writer& put(std::string_view s) {
    if (len_ + s.size() > buf_.size()) flush();
    if (s.size() > buf_.size()) {
      write_raw(s.data(), s.size());
      return *this;
    }
    std::memcpy(buf_.data() + len_, s.data(), s.size());
    len_ += s.size();
    return *this;
  }
  Writer& put(char c) {
    if (len_ == buf_.size()) flush();
    buf_[len_++] = c;
    return *this;
  }
  Writer& num(uint64_t v) {
    char tmp[24];
    auto res = std::to_chars(tmp, tmp + sizeof tmp, v);
    return put(std::string_view(tmp, static_cast<size_t>(res.ptr - tmp)));
  }
  // "p123" / "c45": the node id shared by every encoding.
  Writer& id(char prefix, uint64_t n) { return put(prefix).num(n); }

  void close() {
    if (!f_) return;
    flush();
    if (std::fclose(f_) != 0) fail();
    f_ = nullptr;
  }

 private:
  static constexpr size_t kCapacity = 1 << 20;

  void flush() {
    write_raw(buf_.data(), len_);
    len_ = 0;
  }
  void write_raw(const char* p, size_t n) {
    if (n && std::fwrite(p, 1, n, f_) != n) fail();
  }
  [[noreturn]] void fail() {
    std::fprintf(stderr, "gen_social_graph: write to %s failed: %s\n", path_.c_str(),
                 std::strerror(errno));
    std::exit(1);
  }

  std::string path_;
  std::FILE* f_ = nullptr;
  std::vector<char> buf_;
  size_t len_ = 0;
};

// ---------------------------------------------------------------- vocabulary
// Plain ASCII without quotes, commas or backslashes, so the same bytes are valid
// inside a JSON string and an unquoted CSV field.

constexpr const char* kFirstNames[] = {
    "Alice", "Bob",    "Carol",   "Dave",   "Erin",   "Frank", "Grace", "Heidi",  "Ivan",  "Judy",
    "Karl",  "Laura",  "Mallory", "Niaj",   "Olivia", "Peggy", "Quinn", "Rupert", "Sybil", "Trent",
    "Uma",   "Victor", "Wendy",   "Xavier", "Yvonne", "Zed",   "Amir",  "Bea",    "Chen",  "Dara",
    "Eitan", "Fatima", "Goran",   "Hana",   "Ines",   "Jonas", "Kenji", "Lena",   "Mateo", "Nora"};
constexpr const char* kLastNames[] = {
    "Smith",  "Jones",   "Garcia",   "Miller",   "Davis",   "Lopez",    "Wilson",
    "Moore",  "Taylor",  "Thomas",   "Lee",      "Walker",  "Hall",     "Young",
    "King",   "Wright",  "Scott",    "Green",    "Baker",   "Adams",    "Nelson",
    "Hill",   "Ramirez", "Campbell", "Mitchell", "Roberts", "Carter",   "Phillips",
    "Evans",  "Turner",  "Torres",   "Parker",   "Collins", "Edwards",  "Stewart",
    "Morris", "Murphy",  "Cook",     "Rogers",   "Morgan",  "Peterson", "Cooper"};
constexpr const char* kCities[] = {
    "Amsterdam", "Berlin",    "Boston",    "Chicago", "Copenhagen", "Dublin",
    "Helsinki",  "Lisbon",    "London",    "Madrid",  "Milan",      "Munich",
    "New York",  "Oslo",      "Paris",     "Prague",  "Rome",       "San Francisco",
    "Seattle",   "Singapore", "Stockholm", "Sydney",  "Tokyo",      "Toronto",
    "Vienna",    "Warsaw",    "Zurich",    "Austin",  "Bangalore",  "Seoul"};
constexpr const char* kIndustries[] = {"aerospace",      "agriculture", "biotech", "construction",
                                       "energy",         "finance",     "gaming",  "healthcare",
                                       "insurance",      "logistics",   "media",   "retail",
                                       "semiconductors", "software",    "telecom", "travel"};
constexpr const char* kCompanyWords[] = {
    "Acme",   "Apex",  "Blue",    "Bright",   "Cedar", "Delta",  "Echo",   "Falcon", "Granite",
    "Harbor", "Iron",  "Juniper", "Keystone", "Lumen", "Maple",  "Nova",   "Orbit",  "Pioneer",
    "Quartz", "River", "Summit",  "Titan",    "Union", "Vertex", "Willow", "Zenith"};
constexpr const char* kCompanySuffixes[] = {"Labs",     "Systems",  "Group",      "Works",
                                            "Holdings", "Partners", "Industries", "Networks"};

template <size_t N>
const char* pick(const char* const (&words)[N], Rng& rng) {
  return words[rng.below(N)];
}

// ---------------------------------------------------------------- options

struct Options {
  uint64_t persons = 900'000;
  uint64_t companies = 100'000;
  uint64_t knows = 4'000'000;
  uint64_t works_at = 1'000'000;
  uint64_t seed = 42;
  uint64_t starts = 100;
  std::string out;
  std::string key_name = "slug";
  bool power_law = false;
};

[[noreturn]] void usage(const char* msg) {
  if (msg) std::fprintf(stderr, "gen_social_graph: %s\n", msg);
  std::fprintf(stderr,
               "usage: gen_social_graph --out DIR [--persons N] [--companies M] [--knows K]\n"
               "                        [--works-at W] [--seed S] [--starts 100]\n"
               "                        [--dist uniform|powerlaw] [--key-name slug]\n"
               "defaults: 900000 persons, 100000 companies, 4000000 knows, 1000000 works-at,\n"
               "          seed 42, uniform Knows endpoints, key property 'slug'\n");
  std::exit(2);
}

uint64_t parse_count(const char* flag, const char* text) {
  uint64_t v = 0;
  const char* end = text + std::strlen(text);
  auto res = std::from_chars(text, end, v);
  if (res.ec != std::errc() || res.ptr != end) {
    std::string msg = std::string("bad number for ") + flag + ": '" + text + "'";
    usage(msg.c_str());
  }
  return v;
}

Options parse_args(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") usage(nullptr);
    if (i + 1 >= argc) usage(("missing value for " + std::string(flag)).c_str());
    const char* value = argv[++i];
    if (flag == "--persons")
      o.persons = parse_count(argv[i - 1], value);
    else if (flag == "--companies")
      o.companies = parse_count(argv[i - 1], value);
    else if (flag == "--knows")
      o.knows = parse_count(argv[i - 1], value);
    else if (flag == "--works-at")
      o.works_at = parse_count(argv[i - 1], value);
    else if (flag == "--seed")
      o.seed = parse_count(argv[i - 1], value);
    else if (flag == "--starts")
      o.starts = parse_count(argv[i - 1], value);
    else if (flag == "--out")
      o.out = value;
    else if (flag == "--key-name")
      o.key_name = value;
    else if (flag == "--dist") {
      std::string_view d = value;
      if (d == "uniform")
        o.power_law = false;
      else if (d == "powerlaw")
        o.power_law = true;
      else
        usage("--dist must be uniform or powerlaw");
    } else {
      usage(("unknown option " + std::string(flag)).c_str());
    }
  }
  if (o.out.empty()) usage("--out DIR is required");
  if (o.persons < 2 && o.knows > 0) usage("Knows edges need at least 2 persons");
  if ((o.companies == 0 || o.persons == 0) && o.works_at > 0)
    usage("WorksAt edges need at least 1 person and 1 company");
  // Knows pairs are distinct and loop-free, so K cannot exceed N*(N-1); stay well
  // below it so rejection sampling terminates quickly.
  if (o.persons >= 2) {
    const long double pairs = static_cast<long double>(o.persons) * (o.persons - 1);
    if (static_cast<long double>(o.knows) > pairs / 2)
      usage("--knows exceeds half of all Person pairs");
  }
  if (o.persons == 0 && o.starts > 0) usage("start ids need at least 1 person");
  return o;
}

// ---------------------------------------------------------------- graph parts

// Open-addressing set of (src, dst) pairs so Knows has no duplicate edges;
// a duplicate would be invisible to distinct-node counts but would make the
// edge totals of the two systems disagree with the requested K.
class PairSet {
 public:
  explicit PairSet(uint64_t expected) {
    uint64_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, kEmpty);
    mask_ = cap - 1;
  }
  // Returns false if already present.
  bool insert(uint64_t key) {
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    for (uint64_t i = (h ^ (h >> 29)) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == key) return false;
      if (slots_[i] == kEmpty) {
        slots_[i] = key;
        return true;
      }
    }
  }

 private:
  static constexpr uint64_t kEmpty = ~0ULL;
  std::vector<uint64_t> slots_;
  uint64_t mask_ = 0;
};

// Power-law-ish endpoint: index = floor(N * u^3) puts heavy mass on low indices
// (density ~ x^(-2/3)); a fixed odd multiplier modulo N would not be a bijection
// for every N, so the skew is scattered over ids with a seeded permutation instead.
uint64_t skewed(Rng& rng, uint64_t n, const std::vector<uint32_t>& perm) {
  const double u = rng.unit();
  uint64_t idx = static_cast<uint64_t>(static_cast<double>(n) * u * u * u);
  if (idx >= n) idx = n - 1;
  return perm[idx];
}

struct Counts {
  uint64_t knows = 0;
  uint64_t works_at = 0;
};

void write_schema(const Options& o) {
  Writer w(o.out + "/schema.pg");
  w.put(
      "// Synthetic social graph for the Kuzu peer comparison (bench/tools/gen_social_graph.cpp).\n"
      "// Node ids are the key values: Person \"p<n>\", Company \"c<n>\".\n\n");
  w.put("node Person {\n    ")
      .put(o.key_name)
      .put(": String @key\n    name: String @index\n    age: I32\n    city: String\n}\n\n");
  w.put("node Company {\n    ")
      .put(o.key_name)
      .put(": String @key\n    name: String\n    industry: String @index\n}\n\n");
  w.put("edge Knows: Person -> Person\n");
  w.put("edge WorksAt: Person -> Company\n");
}

void write_nodes(const Options& o, Writer& jsonl) {
  Writer csv(o.out + "/persons.csv");
  csv.put("id,name,age,city\n");
  Rng rng(o.seed, kPersonStream);
  std::string key_prefix = "{\"type\":\"Person\",\"data\":{\"" + o.key_name + "\":\"";
  for (uint64_t i = 0; i < o.persons; ++i) {
    const char* first = pick(kFirstNames, rng);
    const char* last = pick(kLastNames, rng);
    const uint64_t age = 18 + rng.below(63);
    const char* city = pick(kCities, rng);
    jsonl.put(key_prefix).id('p', i).put("\",\"name\":\"").put(first).put(' ').put(last);
    jsonl.put("\",\"age\":").num(age).put(",\"city\":\"").put(city).put("\"}}\n");
    csv.id('p', i).put(',').put(first).put(' ').put(last).put(',').num(age).put(',');
    csv.put(city).put('\n');
  }
  csv.close();

  Writer ccsv(o.out + "/companies.csv");
  ccsv.put("id,name,industry\n");
  Rng crng(o.seed, kCompanyStream);
  key_prefix = "{\"type\":\"Company\",\"data\":{\"" + o.key_name + "\":\"";
  for (uint64_t i = 0; i < o.companies; ++i) {
    const char* word = pick(kCompanyWords, crng);
    const char* suffix = pick(kCompanySuffixes, crng);
    const char* industry = pick(kIndustries, crng);
    // The ordinal keeps names distinct, which makes name lookups selective.
    jsonl.put(key_prefix).id('c', i).put("\",\"name\":\"").put(word).put(' ').put(suffix);
    jsonl.put(' ').num(i).put("\",\"industry\":\"").put(industry).put("\"}}\n");
    ccsv.id('c', i).put(',').put(word).put(' ').put(suffix).put(' ').num(i).put(',');
    ccsv.put(industry).put('\n');
  }
}

void write_knows(const Options& o, Writer& jsonl, Counts& counts) {
  if (o.knows == 0) {
    Writer(o.out + "/knows.csv").put("from,to\n");
    return;
  }
  Writer csv(o.out + "/knows.csv");
  csv.put("from,to\n");
  Rng rng(o.seed, kKnowsStream);
  std::vector<uint32_t> perm;
  if (o.power_law) {
    perm.resize(o.persons);
    for (uint64_t i = 0; i < o.persons; ++i) perm[i] = static_cast<uint32_t>(i);
    for (uint64_t i = o.persons - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
  }
  PairSet seen(o.knows);
  while (counts.knows < o.knows) {
    uint64_t src, dst;
    if (o.power_law) {
      src = skewed(rng, o.persons, perm);
      dst = skewed(rng, o.persons, perm);
      if (src == dst) continue;
    } else {
      // Draw dst from the N-1 other persons: no self-loops without rejection.
      src = rng.below(o.persons);
      dst = rng.below(o.persons - 1);
      if (dst >= src) ++dst;
    }
    if (!seen.insert(src * o.persons + dst)) continue;
    jsonl.put("{\"edge\":\"Knows\",\"from\":\"").id('p', src).put("\",\"to\":\"").id('p', dst);
    jsonl.put("\",\"data\":{}}\n");
    csv.id('p', src).put(',').id('p', dst).put('\n');
    ++counts.knows;
  }
}

void write_works_at(const Options& o, Writer& jsonl, Counts& counts) {
  Writer csv(o.out + "/works_at.csv");
  csv.put("from,to\n");
  Rng rng(o.seed, kWorksStream);
  // Person i takes job number i; past the last person it wraps, giving a second
  // job (at a different company when there is more than one) and so on.
  std::vector<uint32_t> last_company;
  if (o.works_at > o.persons) last_company.assign(o.persons, UINT32_MAX);
  for (uint64_t j = 0; j < o.works_at; ++j) {
    const uint64_t person = j % o.persons;
    uint64_t company = rng.below(o.companies);
    if (!last_company.empty()) {
      if (company == last_company[person] && o.companies > 1) company = (company + 1) % o.companies;
      last_company[person] = static_cast<uint32_t>(company);
    }
    jsonl.put("{\"edge\":\"WorksAt\",\"from\":\"")
        .id('p', person)
        .put("\",\"to\":\"")
        .id('c', company);
    jsonl.put("\",\"data\":{}}\n");
    csv.id('p', person).put(',').id('c', company).put('\n');
    ++counts.works_at;
  }
}

void write_starts(const Options& o) {
  Writer w(o.out + "/starts.txt");
  Rng rng(o.seed, kStartStream);
  // Distinct when possible (Floyd's sampling keeps it O(starts)); order is the
  // draw order so the runner's per-start timings are reproducible.
  const uint64_t k = std::min(o.starts, o.persons);
  std::vector<uint64_t> chosen;
  chosen.reserve(o.starts);
  for (uint64_t j = o.persons - k; j < o.persons; ++j) {
    uint64_t t = rng.below(j + 1);
    if (std::find(chosen.begin(), chosen.end(), t) != chosen.end()) t = j;
    chosen.push_back(t);
  }
  // Fewer persons than requested starts: repeat ids rather than emit fewer lines.
  for (uint64_t j = k; j < o.starts; ++j) chosen.push_back(chosen[j % k]);
  for (uint64_t p : chosen) w.id('p', p).put('\n');
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_args(argc, argv);
  if (o.persons > UINT32_MAX || o.companies > UINT32_MAX) usage("at most 2^32-1 nodes per type");
  if (::mkdir(o.out.c_str(), 0755) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "gen_social_graph: cannot create %s: %s\n", o.out.c_str(),
                 std::strerror(errno));
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  write_schema(o);
  Counts counts;
  {
    Writer jsonl(o.out + "/graph.jsonl");
    write_nodes(o, jsonl);
    write_knows(o, jsonl, counts);
    write_works_at(o, jsonl, counts);
  }
  write_starts(o);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr,
               "gen_social_graph: %llu persons, %llu companies, %llu knows (%s), %llu works_at, "
               "seed %llu -> %s in %.2f s\n",
               static_cast<unsigned long long>(o.persons),
               static_cast<unsigned long long>(o.companies),
               static_cast<unsigned long long>(counts.knows), o.power_law ? "powerlaw" : "uniform",
               static_cast<unsigned long long>(counts.works_at),
               static_cast<unsigned long long>(o.seed), o.out.c_str(), secs);
  return 0;
}
