// Text search in match and search-mode ordering through the executor
// (languages.md §4.5, §4.6): search / fuzzy / match_text, bm25 as filter and
// order, rrf fusion, the reference's quirks, and the derived index being
// brought forward by a diff after a write.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <sstream>

#include "engine/search/text/index_cache.h"
#include "executor_test_util.h"
#include "omnigraph/graph.h"

namespace omnigraph::engine::testing {
namespace {

using V = std::vector<std::string>;

constexpr const char* kSearchSchema = R"(
node Doc {
  slug: String @key
  title: String @index
  body: String?
  level: I32?
  emb: Vector(2)?
}
node Tag {
  name: String @key
}
edge Tagged: Doc -> Tag
)";

class SearchTest : public ExecTest {
 protected:
  SearchTest() : ExecTest(kSearchSchema) {}

  void doc(const std::string& slug, const std::string& title, const std::string& body = "",
           int level = 0) {
    Props props{{"title", Value::string(title)}};
    if (!body.empty()) props.emplace_back("body", Value::string(body));
    if (level) props.emplace_back("level", Value::integer(level));
    node("Doc", slug, props);
  }

  void library() {
    doc("d1", "Introduction to Graph Databases", "nodes edges and properties", 1);
    doc("d2", "Neural networks", "deep networks stack many layers", 2);
    doc("d3", "Cooking pasta", "boil water, add salt", 1);
    doc("d4", "Graph neural networks", "message passing over graph edges", 3);
    doc("d5", "The art of the database", "storage engines and indexes", 2);
    node("Tag", "ml");
    edge("Tagged", "t1", "d2", "ml");
    edge("Tagged", "t2", "d4", "ml");
  }

  // Slugs in result order.
  V slugs(const std::string& query, const ParamMap& params = {}) {
    return rows_of(run(query, params));
  }
};

// --- search / fuzzy / match_text in match (§4.5) ---------------------------

TEST_F(SearchTest, SearchMatchesAnyTokenInRelevanceOrder) {
  library();
  // "graph" is in d1 and d4 (three tokens each, so equal scores: id
  // order); "pasta" in d3 (rarer term, shorter title: first).
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "graph pasta") } return { $d.slug } })"),
      (V{"d3", "d1", "d4"}));
  // Length normalisation: the shorter of two titles with the term wins.
  EXPECT_EQ(
      slugs(R"(query q() { match { $d: Doc search($d.title, "neural") } return { $d.slug } })"),
      (V{"d2", "d4"}));
  EXPECT_EQ(
      slugs(R"(query q() { match { $d: Doc search($d.title, "zebra") } return { $d.slug } })"),
      V{});
}

TEST_F(SearchTest, SearchIsCaseInsensitiveAndStemmed) {
  library();
  EXPECT_EQ(
      slugs(R"(query q() { match { $d: Doc search($d.title, "DATABASE") } return { $d.slug } })"),
      (V{"d5", "d1"}));
  EXPECT_EQ(slugs(R"(query q() { match { $d: Doc search($d.body, "layer") } return { $d.slug } })"),
            (V{"d2"}));
}

TEST_F(SearchTest, StopWordsAloneMatchNothing) {
  library();
  EXPECT_EQ(
      slugs(R"(query q() { match { $d: Doc search($d.title, "the of to") } return { $d.slug } })"),
      V{});
}

TEST_F(SearchTest, QueryFromAParameter) {
  library();
  EXPECT_EQ(
      slugs(R"(query q($q: String) { match { $d: Doc search($d.title, $q) } return { $d.slug } })",
            {{"q", Value::string("pasta")}}),
      (V{"d3"}));
}

TEST_F(SearchTest, MissingQueryParameterSkipsTheSearch) {
  library();
  // The reference's scan leaves an unresolvable full-text query out.
  EXPECT_EQ(
      slugs(R"(query q($q: String) { match { $d: Doc search($d.title, $q) } return { $d.slug } })")
          .size(),
      5u);
}

TEST_F(SearchTest, FuzzyToleratesTyposUpToMaxEdits) {
  library();
  const char* q2 =
      R"(query q() { match { $d: Doc fuzzy($d.title, "Introductio") } return { $d.slug } })";
  EXPECT_EQ(slugs(q2), (V{"d1"}));  // default max_edits 2
  const char* q0 =
      R"(query q() { match { $d: Doc fuzzy($d.title, "Introductio", 0) } return { $d.slug } })";
  EXPECT_EQ(slugs(q0), V{});
  const char* qp =
      R"(query q($e: I64) { match { $d: Doc fuzzy($d.title, "pastx", $e) } return { $d.slug } })";
  EXPECT_EQ(slugs(qp, {{"e", Value::integer(1)}}), (V{"d3"}));
  EXPECT_EQ(slugs(qp, {{"e", Value::integer(0)}}), V{});
  EXPECT_EQ(slugs(qp), (V{"d3"}));  // missing parameter: 2
}

TEST_F(SearchTest, MatchTextIsTokenSearch) {
  library();
  // No phrase matching: both words anywhere, either word enough.
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc match_text($d.body, "networks layers") } return { $d.slug } })"),
      (V{"d2"}));
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc match_text($d.body, "layers water") } return { $d.slug } })")
          .size(),
      2u);
}

TEST_F(SearchTest, SearchEqualsFalseStillSearches) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "pasta") = false } return { $d.slug } })"),
      (V{"d3"}));
}

TEST_F(SearchTest, OnlyTheLastTextSearchOfAVariableCounts) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "pasta") search($d.title, "neural") } return { $d.slug } })"),
      (V{"d2", "d4"}));
}

TEST_F(SearchTest, InlineMatchesStillApply) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc { level: 3 } search($d.title, "graph") } return { $d.slug } })"),
      (V{"d4"}));
}

TEST_F(SearchTest, LaterFiltersAndTraversalsKeepRelevanceOrder) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "graph neural") $d tagged $t } return { $d.slug, $t.name } })"),
      (V{"d4|ml", "d2|ml"}));
}

TEST_F(SearchTest, TextSearchOnATraversalVariableIsIgnored) {
  library();
  EXPECT_EQ(
      sorted_rows(run(
          R"(query q() { match { $t: Tag $d: Doc $d tagged $t search($d.title, "zebra") } return { $d.slug } })")),
      (V{"d2", "d4"}));
}

TEST_F(SearchTest, LimitWithoutOrderKeepsTheMostRelevant) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "graph pasta") } return { $d.slug } limit 2 })"),
      (V{"d3", "d1"}));
}

TEST_F(SearchTest, ExplicitOrderResortsSearchResults) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "graph pasta") } return { $d.slug } order { $d.slug } })"),
      (V{"d1", "d3", "d4"}));
}

TEST_F(SearchTest, ProjectingOrComparingSearchCallsIsUnsupported) {
  library();
  EXPECT_EQ(error_of(R"(query q() { match { $d: Doc } return { search($d.title, "x") } })"),
            "unsupported projection expression");
  EXPECT_EQ(error_of(R"(query q() { match { $d: Doc } return { bm25($d.title, "x") } })"),
            "unsupported projection expression");
}

// --- bm25 ordering (§4.6) ------------------------------------------------------

TEST_F(SearchTest, Bm25FiltersAndOrdersByScore) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "graph networks") } limit 10 })"),
      (V{"d4", "d2", "d1"}));
}

TEST_F(SearchTest, Bm25IgnoresDirectionAndLaterOrderItems) {
  library();
  V expect{"d4", "d2", "d1"};
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "graph networks") asc, $d.slug desc } limit 10 })"),
      expect);
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "graph networks") desc } limit 10 })"),
      expect);
}

TEST_F(SearchTest, Bm25Limit) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "graph networks") } limit 2 })"),
      (V{"d4", "d2"}));
}

TEST_F(SearchTest, Bm25WithInlineMatchPostFilters) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc { level: 1 } } return { $d.slug } order { bm25($d.title, "graph networks") } limit 1 })"),
      (V{"d1"}));
}

TEST_F(SearchTest, Bm25ReplacesATextSearchOnTheSameVariable) {
  library();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "pasta") } return { $d.slug } order { bm25($d.title, "database") } limit 5 })"),
      (V{"d5", "d1"}));
}

TEST_F(SearchTest, Bm25OnATraversalVariableDoesNothing) {
  library();
  // No search, no ordering: pipeline order (storage order of the scan).
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $t: Tag $d: Doc $d tagged $t } return { $d.slug } order { bm25($d.title, "zebra") } limit 5 })"),
      (V{"d2", "d4"}));
}

TEST_F(SearchTest, Bm25QueryMustBeAString) {
  library();
  EXPECT_EQ(
      error_of(
          R"(query q($q: String) { match { $d: Doc } return { $d.slug } order { bm25($d.title, $q) } limit 5 })"),
      "bm25 query must resolve to a string");
}

TEST_F(SearchTest, Bm25InAFilterIsUnsupported) {
  library();
  EXPECT_EQ(
      error_of(
          R"(query q() { match { $d: Doc bm25($d.title, "graph") > 1.0 } return { $d.slug } })"),
      "unsupported expression in filter");
}

TEST_F(SearchTest, Bm25WithAggregates) {
  library();
  EXPECT_EQ(
      rows_of(run(
          R"(query q() { match { $d: Doc } return { count($d) as n } order { bm25($d.title, "graph networks") } limit 5 })")),
      (V{"3"}));
}

// --- rrf (§4.6) -----------------------------------------------------------------

// Expected rrf order computed from the two runs' orders with the formula.
V expected_rrf(const V& a, const V& b, double k, size_t limit) {
  std::map<std::string, size_t> ra, rb;
  for (size_t i = 0; i < a.size(); ++i) ra.emplace(a[i], i);
  for (size_t i = 0; i < b.size(); ++i) rb.emplace(b[i], i);
  V candidates = a;
  for (const auto& id : b) {
    if (!ra.count(id)) candidates.push_back(id);
  }
  auto score = [&](const std::string& id) {
    double s = 0;
    if (ra.count(id)) s += 1.0 / (k + static_cast<double>(ra[id]) + 1.0);
    if (rb.count(id)) s += 1.0 / (k + static_cast<double>(rb[id]) + 1.0);
    return s;
  };
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](const auto& x, const auto& y) { return score(x) > score(y); });
  if (candidates.size() > limit) candidates.resize(limit);
  return candidates;
}

class RrfTest : public SearchTest {
 protected:
  // Twelve documents whose title and body rankings disagree.
  void corpus() {
    const char* words[] = {"red", "green", "blue", "cyan"};
    for (int i = 0; i < 12; ++i) {
      std::string title, body;
      for (int j = 0; j <= i % 5; ++j) title += std::string(words[(i + j) % 4]) + " ";
      for (int j = 0; j <= (11 - i) % 4; ++j) body += std::string(words[(i * 3 + j) % 4]) + " ";
      char slug[8];
      std::snprintf(slug, sizeof slug, "s%02d", i);
      doc(slug, title + "filler", body + "padding");
    }
  }
  V bm25_order(const std::string& prop, const std::string& q) {
    return slugs("query q() { match { $d: Doc } return { $d.slug } order { bm25($d." + prop +
                 ", \"" + q + "\") } limit 100 }");
  }
};

TEST_F(RrfTest, FusesTwoRankingsWithTheFormula) {
  corpus();
  V a = bm25_order("title", "red");
  V b = bm25_order("body", "blue");
  ASSERT_GE(a.size(), 4u);
  ASSERT_GE(b.size(), 4u);
  const char* q =
      R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.title, "red"), bm25($d.body, "blue")) } limit 6 })";
  EXPECT_EQ(slugs(q), expected_rrf(a, b, 60, 6));
}

TEST_F(RrfTest, KParameterChangesTheFusion) {
  corpus();
  V a = bm25_order("title", "red");
  V b = bm25_order("body", "blue");
  const char* q =
      R"(query q($k: I64) { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.title, "red"), bm25($d.body, "blue"), $k) } limit 8 })";
  EXPECT_EQ(slugs(q, {{"k", Value::integer(1)}}), expected_rrf(a, b, 1, 8));
  EXPECT_EQ(slugs(q, {{"k", Value::integer(60)}}), expected_rrf(a, b, 60, 8));
  EXPECT_NE(expected_rrf(a, b, 1, 8), expected_rrf(a, b, 60, 8));  // the data tells k apart
  EXPECT_EQ(slugs(q), expected_rrf(a, b, 60, 8));                  // missing k: 60
  const char* lit =
      R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.title, "red"), bm25($d.body, "blue"), 1) } limit 8 })";
  EXPECT_EQ(slugs(lit), expected_rrf(a, b, 1, 8));
}

TEST_F(SearchTest, RrfTiesKeepCandidateOrder) {
  doc("x", "alpha alpha", "beta");
  doc("y", "alpha", "beta beta");
  // Run A ranks x, y; run B ranks y, x: equal scores, A's order wins.
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.title, "alpha"), bm25($d.body, "beta")) } limit 5 })"),
      (V{"x", "y"}));
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.body, "beta"), bm25($d.title, "alpha")) } limit 5 })"),
      (V{"y", "x"}));
}

TEST_F(SearchTest, RrfIncludesIdsFoundByOnlyOneRun) {
  library();
  // title "pasta" finds d3 only; body "graph" finds d4 only: equal scores,
  // A's id first.
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug, $d.title } order { rrf(bm25($d.title, "pasta"), bm25($d.body, "graph")) } limit 5 })"),
      (V{"d3|Cooking pasta", "d4|Graph neural networks"}));
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(bm25($d.title, "pasta"), bm25($d.body, "graph")) } limit 1 })"),
      (V{"d3"}));
}

// --- nearest ordering and hybrid rrf (§4.6) -----------------------------------

class NearestTest : public SearchTest {
 protected:
  void points() {
    // Distances from (0, 0): p1 1, p2 2, p3 3, p4 4, p5 5.
    point("p3", "gamma red", 0, 3, 1);
    point("p1", "alpha blue", 1, 0, 2);
    point("p5", "epsilon red", -5, 0, 1);
    point("p2", "beta red", 0, -2, 2);
    point("p4", "delta blue", 4, 0, 1);
  }
  void point(const std::string& slug, const std::string& title, double x, double y, int level) {
    node("Doc", slug,
         {{"title", Value::string(title)},
          {"level", Value::integer(level)},
          {"emb", Value::vector(FloatVector{{static_cast<float>(x), static_cast<float>(y)}})}});
  }
};

TEST_F(NearestTest, NearestOrdersByDistanceWithKEqualToLimit) {
  points();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { nearest($d.emb, [0.0, 0.0]) } limit 3 })"),
      (V{"p1", "p2", "p3"}));
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { nearest($d.emb, [4.0, 0.1]) } limit 1 })"),
      (V{"p4"}));
}

TEST_F(NearestTest, InlineMatchesPostFilterTheNeighbours) {
  points();
  // The 3 nearest are p1, p2, p3; only p3 has level 1: fewer than k rows.
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc { level: 1 } } return { $d.slug } order { nearest($d.emb, [0.0, 0.0]) } limit 3 })"),
      (V{"p3"}));
}

TEST_F(NearestTest, TextSearchPostFiltersTheNeighbours) {
  points();
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc search($d.title, "red") } return { $d.slug } order { nearest($d.emb, [0.0, 0.0]) } limit 3 })"),
      (V{"p2", "p3"}));
}

TEST_F(NearestTest, HybridRrfOfNearestAndBm25) {
  points();
  V a = slugs(
      R"(query q() { match { $d: Doc } return { $d.slug } order { nearest($d.emb, [0.0, 0.0]) } limit 3 })");
  V b = slugs(
      R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "red") } limit 100 })");
  ASSERT_EQ(b.size(), 3u);
  V want = expected_rrf(a, b, 60, 3);
  EXPECT_EQ(
      slugs(
          R"(query q() { match { $d: Doc } return { $d.slug } order { rrf(nearest($d.emb, [0.0, 0.0]), bm25($d.title, "red")) } limit 3 })"),
      want);
  // p2 is in both runs: it wins.
  EXPECT_EQ(want.front(), "p2");
}

// --- the derived index follows writes by diff (DESIGN.md §4) ------------------

TEST_F(SearchTest, SmallWriteToABigTableUpdatesTheIndexByDiff) {
  for (int i = 0; i < 3000; ++i) {
    char slug[16];
    std::snprintf(slug, sizeof slug, "doc%05d", i);
    doc(slug, "title number " + std::to_string(i) + (i % 100 == 0 ? " rare" : ""));
  }
  const char* q =
      R"(query q() { match { $d: Doc } return { $d.slug } order { bm25($d.title, "rare") } limit 100 })";
  EXPECT_EQ(slugs(q).size(), 30u);
  auto& cache = search::text::IndexCache::global();
  uint64_t builds = cache.stats().full_builds;
  uint64_t diffs = cache.stats().diff_updates;

  // 100 rows written: 50 new, 50 rewritten.
  for (int i = 0; i < 50; ++i) {
    char slug[16];
    std::snprintf(slug, sizeof slug, "new%05d", i);
    doc(slug, "rare newcomer");
    std::snprintf(slug, sizeof slug, "doc%05d", i * 2 + 1);
    doc(slug, "rewritten rare");
  }
  EXPECT_EQ(slugs(q).size(), 100u);  // 30 + 50 + 50 = 130, limited
  EXPECT_EQ(
      slugs(R"(query q() { match { $d: Doc search($d.title, "newcomer") } return { $d.slug } })")
          .size(),
      50u);
  EXPECT_EQ(cache.stats().full_builds, builds);
  EXPECT_EQ(cache.stats().diff_updates, diffs + 1);
}

TEST(SearchGraph, CommittedHundredRowWriteIsAppliedByDiff) {
  // Through the public API: a load commit of 100 rows after a query on a
  // 3,000-row table; the next text query reuses the cached index.
  auto graph = Graph::init_in_memory("node Doc {\n  slug: String @key\n  body: String\n}\n");
  std::ostringstream seed;
  for (int i = 0; i < 3000; ++i) {
    seed << R"({"type":"Doc","data":{"slug":"s)" << i << R"(","body":"text )" << i
         << (i % 10 == 0 ? " marker" : "") << "\"}}\n";
  }
  std::istringstream seed_in(seed.str());
  graph->load(seed_in, {});
  ReadRequest read;
  read.query_source =
      "query q() { match { $d: Doc search($d.body, \"marker\") } return { $d.slug } }";
  EXPECT_EQ(graph->read(read).rows.size(), 300u);

  auto& cache = search::text::IndexCache::global();
  uint64_t builds = cache.stats().full_builds;
  uint64_t diffs = cache.stats().diff_updates;
  std::ostringstream more;
  for (int i = 0; i < 100; ++i) {
    more << R"({"type":"Doc","data":{"slug":"n)" << i << R"(","body":"new marker"}})"
         << "\n";
  }
  std::istringstream more_in(more.str());
  LoadRequest append;
  append.mode = LoadMode::kAppend;
  graph->load(more_in, append);
  EXPECT_EQ(graph->read(read).rows.size(), 400u);
  EXPECT_EQ(cache.stats().full_builds, builds);
  EXPECT_EQ(cache.stats().diff_updates, diffs + 1);
}

}  // namespace
}  // namespace omnigraph::engine::testing
