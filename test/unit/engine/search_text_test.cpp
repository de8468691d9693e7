// The full-text building blocks (languages.md §4.5): the analyser, edit
// distance, the BM25 inverted index and its cache (DESIGN.md §4 derived
// indexes: diff updates instead of rebuilds).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/row_codec.h"
#include "engine/search/text/index_cache.h"
#include "engine/search/text/inverted_index.h"
#include "engine/search/text/levenshtein.h"
#include "engine/search/text/tokenizer.h"
#include "prolly/tree.h"
#include "store/store.h"

namespace omnigraph::engine::search::text {
namespace {

using Tokens = std::vector<std::string>;

TEST(Tokenizer, SplitsOnWhitespaceAndPunctuationAndLowerCases) {
  EXPECT_EQ(tokenize("Graph-DB, rocks!  Fast/SAFE"),
            (Tokens{"graph", "db", "rock", "fast", "safe"}));
  EXPECT_EQ(tokenize("a.b_c"), (Tokens{"b", "c"}));  // "a" is a stop word; _ splits
  EXPECT_EQ(tokenize(""), Tokens{});
  EXPECT_EQ(tokenize("  ...  "), Tokens{});
}

TEST(Tokenizer, StemsWithSnowballEnglish) {
  EXPECT_EQ(tokenize("running runs ran"), (Tokens{"run", "run", "ran"}));
  EXPECT_EQ(tokenize("Networks layers learning"), (Tokens{"network", "layer", "learn"}));
  EXPECT_EQ(stem("generously"), "generous");
}

TEST(Tokenizer, RemovesEnglishStopWords) {
  EXPECT_EQ(tokenize("The cat and the hat"), (Tokens{"cat", "hat"}));
  EXPECT_EQ(tokenize("THIS is NOT it"), Tokens{});
  EXPECT_TRUE(is_stop_word("ourselves"));
  EXPECT_FALSE(is_stop_word("graph"));
}

TEST(Tokenizer, FoldsToAscii) {
  EXPECT_EQ(tokenize("Café Ñandú"), (Tokens{"cafe", "nandu"}));
  EXPECT_EQ(tokenize("Straße"), (Tokens{"strass"}));  // ß -> ss, then stemmed
  EXPECT_EQ(tokenize("ÆON Øre"), (Tokens{"aeon", "ore"}));
}

TEST(Tokenizer, KeepsNonLatinLettersAndDigits) {
  EXPECT_EQ(tokenize("Москва 2024"), (Tokens{"москва", "2024"}));
  EXPECT_EQ(tokenize("日本"), (Tokens{"日本"}));
}

TEST(Tokenizer, DropsTokensLongerThan40Chars) {
  std::string forty(40, 'x');
  std::string forty_one(41, 'x');
  EXPECT_EQ(tokenize(forty + " " + forty_one + " ok"), (Tokens{forty, "ok"}));
}

TEST(Tokenizer, InvalidUtf8Separates) {
  EXPECT_EQ(tokenize(std::string("abc\xff"
                                 "def")),
            (Tokens{"abc", "def"}));
}

TEST(Levenshtein, CountsEditsOnCodePoints) {
  EXPECT_EQ(bounded_levenshtein("kitten", "sitting", 5), 3u);
  EXPECT_EQ(bounded_levenshtein("introduct", "introduc", 2), 1u);
  EXPECT_EQ(bounded_levenshtein("café", "cafe", 2), 1u);  // one code point, two bytes
  EXPECT_EQ(bounded_levenshtein("", "abc", 5), 3u);
  EXPECT_EQ(bounded_levenshtein("same", "same", 0), 0u);
}

TEST(Levenshtein, StopsAboveTheBound) {
  EXPECT_EQ(bounded_levenshtein("kitten", "sitting", 2), 3u);
  EXPECT_EQ(bounded_levenshtein("a", "abcdef", 2), 3u);
}

std::vector<std::string> ids_of(const std::vector<SearchHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.emplace_back(h.id);
  return out;
}

TEST(InvertedIndex, MatchesAnyQueryToken) {
  InvertedIndex index;
  index.add("d1", "graph databases");
  index.add("d2", "relational databases");
  index.add("d3", "cooking pasta");
  EXPECT_EQ(ids_of(index.search("graph")), (Tokens{"d1"}));
  EXPECT_EQ(ids_of(index.search("graph pasta")).size(), 2u);
  EXPECT_TRUE(index.search("the of and").empty());  // only stop words
  EXPECT_TRUE(index.search("zebra").empty());
  EXPECT_EQ(ids_of(index.search("DATABASE")).size(), 2u);  // case and stem
}

TEST(InvertedIndex, ScoresWithBm25) {
  InvertedIndex index;
  index.add("a", "apple apple banana");
  index.add("b", "apple cherry");
  index.add("c", "cherry durian");
  auto hits = index.search("apple");
  ASSERT_EQ(hits.size(), 2u);
  // N=3, df=2: idf = ln((3-2+0.5)/(2+0.5)+1); avgdl = 7/3.
  double idf = std::log(1.5 / 2.5 + 1.0);
  double avgdl = 7.0 / 3.0;
  auto bm25 = [&](double tf, double len) {
    return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / avgdl));
  };
  EXPECT_EQ(hits[0].id, "a");
  EXPECT_NEAR(hits[0].score, bm25(2, 3), 1e-12);
  EXPECT_EQ(hits[1].id, "b");
  EXPECT_NEAR(hits[1].score, bm25(1, 2), 1e-12);
}

TEST(InvertedIndex, SumsOverQueryTermsAndRanksRarerTermsHigher) {
  InvertedIndex index;
  index.add("a", "common rare");
  index.add("b", "common");
  index.add("c", "common other");
  index.add("d", "rare");
  auto hits = index.search("common rare");
  EXPECT_EQ(ids_of(hits), (Tokens{"a", "d", "b", "c"}));
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST(InvertedIndex, TiesKeepIdOrderAndLimitKeepsTheBest) {
  InvertedIndex index;
  index.add("c", "word");
  index.add("a", "word");
  index.add("b", "word");
  index.add("z", "word word word");
  EXPECT_EQ(ids_of(index.search("word")), (Tokens{"z", "a", "b", "c"}));
  EXPECT_EQ(ids_of(index.search("word", std::nullopt, 2)), (Tokens{"z", "a"}));
}

TEST(InvertedIndex, FuzzyMatchesWithinMaxEdits) {
  InvertedIndex index;
  index.add("d1", "Introduction to graphs");
  index.add("d2", "Graph theory");
  index.add("d3", "Cooking");
  // "introductio" stems to "introductio": one edit from "introduct".
  EXPECT_TRUE(index.search("Introductio").empty());
  EXPECT_EQ(ids_of(index.search("Introductio", 2u)), (Tokens{"d1"}));
  EXPECT_EQ(ids_of(index.search("grapf", 1u)).size(), 2u);
  EXPECT_TRUE(index.search("grxxf", 2u).empty());  // 3 edits from "graph"
  EXPECT_EQ(ids_of(index.search("cookxxg", 3u)), (Tokens{"d3"}));
  EXPECT_TRUE(index.search("grapf", 0u).empty());  // 0 = exact
}

TEST(InvertedIndex, RemoveAndReAdd) {
  InvertedIndex index;
  index.add("a", "alpha beta");
  index.add("b", "beta gamma");
  index.remove("a", "alpha beta");
  EXPECT_EQ(index.doc_count(), 1u);
  EXPECT_FALSE(index.contains("a"));
  EXPECT_TRUE(index.search("alpha").empty());
  EXPECT_EQ(ids_of(index.search("beta")), (Tokens{"b"}));
  index.add("a", "delta");
  EXPECT_EQ(ids_of(index.search("delta")), (Tokens{"a"}));
  EXPECT_TRUE(index.search("alpha").empty());
  index.remove("missing", "whatever");  // no-op
  EXPECT_EQ(index.doc_count(), 2u);
}

TEST(InvertedIndex, ScoresAfterUpdatesEqualAFreshBuild) {
  InvertedIndex updated;
  for (int i = 0; i < 50; ++i) {
    updated.add("d" + std::to_string(100 + i), "term" + std::to_string(i % 7) + " shared");
  }
  for (int i = 0; i < 50; i += 3) {
    updated.remove("d" + std::to_string(100 + i), "term" + std::to_string(i % 7) + " shared");
  }
  InvertedIndex fresh;
  for (int i = 0; i < 50; ++i) {
    if (i % 3) fresh.add("d" + std::to_string(100 + i), "term" + std::to_string(i % 7) + " shared");
  }
  auto a = updated.search("term3 shared");
  auto b = fresh.search("term3 shared");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_NEAR(a[i].score, b[i].score, 1e-12);
  }
}

TEST(InvertedIndex, ParallelBulkAddEqualsOneByOne) {
  std::vector<InvertedIndex::Document> docs;
  for (int i = 0; i < 5000; ++i) {
    docs.push_back({"d" + std::to_string(10000 + i),
                    "word" + std::to_string(i % 13) + " other" + std::to_string(i % 7) + " words"});
  }
  InvertedIndex bulk, single;
  bulk.add_all(docs, 3);
  for (const auto& d : docs) single.add(d.id, d.text);
  EXPECT_EQ(bulk.doc_count(), single.doc_count());
  EXPECT_EQ(bulk.term_count(), single.term_count());
  auto a = bulk.search("word3 other5", std::nullopt, 50);
  auto b = single.search("word3 other5", std::nullopt, 50);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].score, b[i].score);
  }
}

TEST(InvertedIndex, CopyIsIndependent) {
  InvertedIndex a;
  a.add("x", "one");
  InvertedIndex b(a);
  b.remove("x", "one");
  b.add("y", "one");
  EXPECT_EQ(ids_of(a.search("one")), (Tokens{"x"}));
  EXPECT_EQ(ids_of(b.search("one")), (Tokens{"y"}));
}

TEST(InvertedIndex, ImageRoundTripSearchesAlike) {
  InvertedIndex a;
  a.add("d1", "graph databases store graphs");
  a.add("d2", "cooking pasta at home");
  a.add("d3", "graph theory and pasta");
  a.remove("d2", "cooking pasta at home");  // a dead posting travels too
  a.add("d4", "");
  auto b = InvertedIndex::deserialize(a.serialize());
  EXPECT_EQ(b->doc_count(), a.doc_count());
  EXPECT_EQ(b->term_count(), a.term_count());
  EXPECT_FALSE(b->contains("d2"));
  for (const char* q : {"graph", "pasta", "grapf", "home"}) {
    auto x = a.search(q, 1u);
    auto y = b->search(q, 1u);
    ASSERT_EQ(x.size(), y.size()) << q;
    for (size_t i = 0; i < x.size(); ++i) {
      EXPECT_EQ(x[i].id, y[i].id);
      EXPECT_EQ(x[i].score, y[i].score);
    }
  }
  // It keeps working as an index after the round trip.
  b->add("d5", "pasta");
  EXPECT_EQ(ids_of(b->search("pasta")).size(), 2u);
  std::string image = a.serialize();
  image.resize(image.size() - 3);
  EXPECT_THROW(InvertedIndex::deserialize(image), Error);
}

// --- cache over real rows trees ---

class IndexCacheTest : public ::testing::Test {
 protected:
  static constexpr uint32_t kProp = 7;

  IndexCacheTest() : store_(store::open_memory_store()), nodes_(*store_.chunks) {}

  static std::string row_bytes(const std::string& text) {
    Row row;
    row.set(kProp, Value::string(text));
    return encode_row(row);
  }
  prolly::Tree build(int n) {
    std::vector<prolly::Entry> entries;
    for (int i = 0; i < n; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "id%06d", i);
      entries.emplace_back(id, row_bytes("doc number " + std::to_string(i) + " common"));
    }
    return prolly::Tree::build(nodes_, entries);
  }

  store::Store store_;
  prolly::NodeStore nodes_;
};

TEST_F(IndexCacheTest, SameRootIsAHit) {
  IndexCache cache;
  prolly::Tree t = build(10);
  auto a = cache.get(nodes_, "node:Doc", t.root(), 10, kProp);
  auto b = cache.get(nodes_, "node:Doc", t.root(), 10, kProp);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_EQ(cache.stats().full_builds, 1u);
  EXPECT_EQ(cache.stats().hits, 1u);
  EXPECT_EQ(a->doc_count(), 10u);
}

TEST_F(IndexCacheTest, SmallWriteIsAppliedAsADiff) {
  IndexCache cache;
  prolly::Tree t = build(2000);
  auto before = cache.get(nodes_, "node:Doc", t.root(), 2000, kProp);
  // 100 rows changed: 40 updated, 30 deleted, 30 inserted.
  std::vector<prolly::Edit> edits;
  for (int i = 0; i < 40; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "id%06d", i * 10);
    edits.push_back(prolly::Edit::put(id, row_bytes("rewritten zebra")));
  }
  for (int i = 0; i < 30; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "id%06d", 1001 + i * 10);
    edits.push_back(prolly::Edit::remove(id));
  }
  for (int i = 0; i < 30; ++i) {
    edits.push_back(prolly::Edit::put("new" + std::to_string(100 + i), row_bytes("fresh zebra")));
  }
  prolly::normalize_edits(edits);
  prolly::Tree t2 = t.apply(edits);
  auto after = cache.get(nodes_, "node:Doc", t2.root(), 2000, kProp);
  EXPECT_EQ(cache.stats().full_builds, 1u);
  EXPECT_EQ(cache.stats().diff_updates, 1u);

  EXPECT_EQ(after->doc_count(), 2000u);
  EXPECT_EQ(after->search("zebra").size(), 70u);
  EXPECT_EQ(after->search("rewritten").size(), 40u);
  // Same scores as a fresh build of the new root.
  auto fresh = build_index(nodes_, t2.root(), kProp);
  auto x = after->search("zebra common 1001");
  auto y = fresh->search("zebra common 1001");
  ASSERT_EQ(x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(x[i].id, y[i].id);
    ASSERT_NEAR(x[i].score, y[i].score, 1e-9);
  }
  // The old root's index, still held, is unchanged (copied, not mutated).
  EXPECT_TRUE(before->search("zebra").empty());
  EXPECT_EQ(before->doc_count(), 2000u);
}

TEST_F(IndexCacheTest, LargeDiffRebuilds) {
  IndexCache cache;
  prolly::Tree t = build(100);
  cache.get(nodes_, "node:Doc", t.root(), 100, kProp);
  prolly::Tree t2 = build(400);  // 300 new rows > half of the table
  auto idx = cache.get(nodes_, "node:Doc", t2.root(), 400, kProp);
  EXPECT_EQ(cache.stats().full_builds, 2u);
  EXPECT_EQ(cache.stats().diff_updates, 0u);
  EXPECT_EQ(idx->doc_count(), 400u);
}

TEST_F(IndexCacheTest, OtherPropertyOrTableIsNotAnAncestor) {
  IndexCache cache;
  prolly::Tree t = build(10);
  cache.get(nodes_, "node:Doc", t.root(), 10, kProp);
  cache.get(nodes_, "node:Doc", t.root(), 10, kProp + 1);
  prolly::Tree t2 = build(11);
  cache.get(nodes_, "node:Other", t2.root(), 11, kProp);
  EXPECT_EQ(cache.stats().full_builds, 3u);
}

TEST_F(IndexCacheTest, EvictsLeastRecentlyUsed) {
  IndexCache::Limits limits;
  limits.max_entries = 2;
  IndexCache cache(limits);
  prolly::Tree a = build(3), b = build(4), c = build(5);
  cache.get(nodes_, "node:A", a.root(), 3, kProp);
  cache.get(nodes_, "node:B", b.root(), 4, kProp);
  cache.get(nodes_, "node:A", a.root(), 3, kProp);  // A is now most recent
  cache.get(nodes_, "node:C", c.root(), 5, kProp);  // evicts B
  EXPECT_EQ(cache.stats().hits, 1u);
  cache.get(nodes_, "node:A", a.root(), 3, kProp);
  EXPECT_EQ(cache.stats().hits, 2u);
  cache.get(nodes_, "node:B", b.root(), 4, kProp);
  EXPECT_EQ(cache.stats().full_builds, 4u);
}

}  // namespace
}  // namespace omnigraph::engine::search::text
