// The HNSW index's building blocks: runtime-dispatched L2 kernels against
// the portable ones, M chosen by table size, the quantised graph's recall
// and re-rank, and the versioned image format (an image of another version
// is refused, and nearest() rebuilds instead of trusting it).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "common/error.h"
#include "compiler/catalog/catalog.h"
#include "engine/graph_view.h"
#include "engine/graph_writer.h"
#include "engine/search/derived_store.h"
#include "engine/search/vector/distance.h"
#include "engine/search/vector/hnsw_index.h"
#include "engine/search/vector/vector_search.h"
#include "store/store.h"

namespace omnigraph::engine::search::vector {
namespace {

std::vector<float> random_floats(std::mt19937& rng, size_t n, float lo = -1, float hi = 1) {
  std::uniform_real_distribution<float> u(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

TEST(L2Kernels, EverySupportedKernelAgreesWithThePortableOne) {
  const L2Kernels* all[4];
  const size_t count = supported_l2_kernels(all, 4);
  ASSERT_GE(count, 1u);
  EXPECT_EQ(all[0]->name, "portable");
  EXPECT_EQ(&l2_kernels(), all[count - 1]);  // the widest one is chosen
  const L2Kernels& ref = portable_l2_kernels();
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t dim = 1; dim <= 300; ++dim) {
    // Offsets of one element make the loads unaligned too.
    std::vector<float> a = random_floats(rng, dim + 1, -3, 3),
                       b = random_floats(rng, dim + 1, -3, 3);
    std::vector<uint8_t> ca(dim + 1), cb(dim + 1);
    for (auto& c : ca) c = static_cast<uint8_t>(byte(rng));
    for (auto& c : cb) c = static_cast<uint8_t>(byte(rng));
    // Extremes: the largest per-element difference, for the integer sums.
    if (dim % 7 == 0) std::fill(ca.begin(), ca.end(), 255), std::fill(cb.begin(), cb.end(), 0);
    const float want = ref.floats(a.data() + 1, b.data() + 1, dim);
    double exact = 0;
    for (size_t i = 1; i <= dim; ++i) exact += double(a[i] - b[i]) * double(a[i] - b[i]);
    EXPECT_NEAR(want, exact, 1e-5 * exact + 1e-6) << dim;
    const uint32_t want_codes = ref.codes(ca.data() + 1, cb.data() + 1, dim);
    uint32_t exact_codes = 0;
    for (size_t i = 1; i <= dim; ++i) {
      int d = int{ca[i]} - int{cb[i]};
      exact_codes += static_cast<uint32_t>(d * d);
    }
    EXPECT_EQ(want_codes, exact_codes) << dim;
    for (size_t k = 1; k < count; ++k) {
      EXPECT_NEAR(all[k]->floats(a.data() + 1, b.data() + 1, dim), want, 1e-5 * want + 1e-6)
          << all[k]->name << " dim " << dim;
      EXPECT_EQ(all[k]->codes(ca.data() + 1, cb.data() + 1, dim), want_codes)
          << all[k]->name << " dim " << dim;
    }
  }
}

TEST(HnswParams, MAndEfGrowWithTheTable) {
  EXPECT_EQ(hnsw_m_for(0), 16u);
  EXPECT_EQ(hnsw_m_for(19'999), 16u);
  EXPECT_EQ(hnsw_m_for(20'000), 32u);
  EXPECT_EQ(hnsw_m_for(1'000'000), 32u);
  HnswParams automatic;  // m = 0: from the capacity
  EXPECT_EQ(HnswIndex(4, automatic, 1000).m(), 16u);
  EXPECT_EQ(HnswIndex(4, automatic, 200'000).m(), 32u);
  HnswParams fixed;
  fixed.m = 24;
  EXPECT_EQ(HnswIndex(4, fixed, 200'000).m(), 24u);
  EXPECT_EQ(default_ef_search(20'000), 400u);
  EXPECT_EQ(default_ef_search(100'000), 500u);
  EXPECT_EQ(default_ef_search(500'000), 2500u);
  EXPECT_EQ(default_ef_search(1'000'000), 4096u);
}

// recall@10 of `index` at `ef` over `queries`, against a brute-force scan.
double recall_at_10(const HnswIndex& index, const std::vector<float>& data,
                    const std::vector<float>& queries, size_t dim, size_t ef) {
  const size_t n = data.size() / dim, q = queries.size() / dim, k = 10;
  size_t found = 0;
  for (size_t i = 0; i < q; ++i) {
    const float* query = &queries[i * dim];
    std::vector<std::pair<float, size_t>> all(n);
    for (size_t j = 0; j < n; ++j) {
      all[j] = {portable_l2_kernels().floats(query, &data[j * dim], dim), j};
    }
    std::partial_sort(all.begin(), all.begin() + k, all.end());
    std::set<std::string> want;
    for (size_t j = 0; j < k; ++j) want.insert("v" + std::to_string(all[j].second));
    for (const auto& [d, id] : index.search(query, k, ef)) found += want.count(id);
  }
  return static_cast<double>(found) / static_cast<double>(q * k);
}

TEST(HnswIndex, QuantisedGraphKeepsRecallAndReturnsExactDistances) {
  const size_t n = 3000, dim = 32;
  std::mt19937 rng(7);
  std::vector<float> data = random_floats(rng, n * dim), queries = random_floats(rng, 50 * dim);
  std::vector<std::string> ids;
  for (size_t i = 0; i < n; ++i) ids.push_back("v" + std::to_string(i));
  for (bool quantize : {true, false}) {
    HnswParams params;
    params.m = 16;
    params.quantize = quantize;
    // Room for 8n: the base layer passes 2 MiB, so a reload moves it to
    // huge-page memory (rehome_base_layer), which must keep it intact.
    HnswIndex index(dim, params, 8 * n);
    index.add_all(ids, data, 1);
    EXPECT_EQ(index.quantized(), quantize);
    EXPECT_GE(recall_at_10(index, data, queries, dim, 200), 0.95) << quantize;
    auto copy = HnswIndex::deserialize(index.serialize(), params);
    for (size_t q = 0; q < 50; ++q) {
      EXPECT_EQ(copy->search(&queries[q * dim], 10, 200), index.search(&queries[q * dim], 10, 200));
    }
    // The reported distances are the float ones, not the codes'.
    auto hits = index.search(&queries[0], 3, 100);
    ASSERT_EQ(hits.size(), 3u);
    for (const auto& [d, id] : hits) {
      size_t row = std::stoul(id.substr(1));
      EXPECT_FLOAT_EQ(d, l2_kernels().floats(&queries[0], &data[row * dim], dim));
    }
  }
}

TEST(HnswIndex, VectorsOutsideTheFittedRangeAreStillFoundExactly) {
  HnswParams params;
  params.delta_limit = 2;
  HnswIndex index(2, params, 16);
  index.add_all({"a", "b", "c"}, {0, 0, 1, 1, 0.5f, 0.5f}, 1);
  // Far outside [0, 1]: their codes clamp, the re-rank uses the floats.
  index.upsert_all({"far", "farther"}, {50, 50, 80, 80}, 1);
  EXPECT_EQ(index.pending(), 0u);  // folded into the graph
  auto hits = index.search(std::vector<float>{79, 79}.data(), 2, 16);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].second, "farther");
  EXPECT_FLOAT_EQ(hits[0].first, 2.0f);
  EXPECT_EQ(hits[1].second, "far");
}

TEST(HnswIndex, ImagesCarryTheirVersionAndQuantisation) {
  for (bool quantize : {true, false}) {
    HnswParams params;
    params.quantize = quantize;
    params.m = 8;
    HnswIndex index(3, params, 16);
    index.add_all({"a", "b", "c"}, {0, 0, 0, 1, 1, 1, 2, 2, 2}, 1);
    index.upsert_all({"d"}, {3, 3, 3}, 1);
    std::string image = index.serialize();
    EXPECT_EQ(image.substr(0, 8), "OGHNSW03");
    HnswParams other;  // the image decides M and quantisation
    other.quantize = !quantize;
    auto copy = HnswIndex::deserialize(image, other);
    EXPECT_EQ(copy->quantized(), quantize);
    EXPECT_EQ(copy->m(), 8u);
    EXPECT_EQ(copy->size(), 4u);
    EXPECT_EQ(copy->search(std::vector<float>{1.9f, 1.9f, 1.9f}.data(), 4, 16),
              index.search(std::vector<float>{1.9f, 1.9f, 1.9f}.data(), 4, 16));
    // Another version (the float-only version 2 images) is refused.
    std::string old = image;
    old.replace(6, 2, "02");
    try {
      HnswIndex::deserialize(old, params);
      ADD_FAILURE() << "a version 2 image was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("format version (02, expected 03)"), std::string::npos)
          << e.what();
    }
  }
}

TEST(VectorPersistence, AnImageOfAnotherVersionIsRebuiltNotTrusted) {
  auto catalog = std::make_shared<const compiler::Catalog>(
      compiler::compile_schema("node Doc {\n  slug: String @key\n  emb: Vector(4)\n}\n"));
  const auto& type = *catalog->find_node_type("Doc");
  const auto& emb = *type.find_property("emb");
  const VectorSearchOptions saved = vector_search_options();
  VectorSearchOptions options = saved;
  options.exact_threshold = 50;
  set_vector_search_options(options);
  clear_vector_index_cache();

  store::Store store = store::open_memory_store();
  prolly::NodeStore nodes(*store.chunks);
  GraphWriter writer(catalog, GraphRoot{}, nodes);
  std::mt19937 rng(3);
  for (int i = 0; i < 300; ++i) {
    Row row;
    row.set(type.key_property()->id, Value::string("d" + std::to_string(i)));
    row.set(emb.id, Value::vector(FloatVector{random_floats(rng, 4)}));
    writer.put_nodes(type, {{"d" + std::to_string(i), std::move(row)}});
  }
  GraphRoot root = writer.finish("main");
  const std::vector<float> q = random_floats(rng, 4);
  GraphView view(catalog, root, nodes, store.refs.get());
  auto first = nearest(view, type, emb, q, 5);

  // Replace the persisted image by one claiming version 2.
  const DerivedSlot slot{"vector", type.table_key(), emb.id};
  const Hash rows = root.tables.at(type.table_key()).rows;
  auto image = load_derived_image(*store.chunks, *store.refs, slot, rows);
  ASSERT_TRUE(image.has_value());
  image->replace(6, 2, "02");
  store_derived_image(*store.chunks, *store.refs, slot, rows, *image);
  clear_vector_index_cache();  // a restart

  auto before = vector_index_stats();
  auto again = nearest(view, type, emb, q, 5);
  auto after = vector_index_stats();
  EXPECT_EQ(after.loads - before.loads, 0u);
  EXPECT_EQ(after.builds - before.builds, 1u);
  EXPECT_EQ(after.persists - before.persists, 1u);  // the current version replaces it
  ASSERT_EQ(again.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(again[i].id, first[i].id);
  auto rewritten = load_derived_image(*store.chunks, *store.refs, slot, rows);
  ASSERT_TRUE(rewritten.has_value());
  EXPECT_EQ(rewritten->substr(0, 8), "OGHNSW03");

  set_vector_search_options(saved);
  clear_vector_index_cache();
}

}  // namespace
}  // namespace omnigraph::engine::search::vector
