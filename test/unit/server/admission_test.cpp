// Per-actor admission control (http-contract §5).
#include "server/admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <latch>
#include <thread>

#include "server_test_support.h"

namespace omnigraph::server {
namespace {

using config::map_env;
using testing::thrown;

TEST(AdmissionLimits, Defaults) {
  AdmissionLimits limits = AdmissionLimits::from_env(map_env({}));
  EXPECT_EQ(limits.inflight_max, 16u);
  EXPECT_EQ(limits.bytes_max, 4294967296ULL);
}

TEST(AdmissionLimits, ReadsBothVariables) {
  std::vector<std::string> warnings;
  AdmissionLimits limits =
      AdmissionLimits::from_env(map_env({{"OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX", "3"},
                                         {"OMNIGRAPH_PER_ACTOR_BYTES_MAX", "1000"}}),
                                &warnings);
  EXPECT_EQ(limits.inflight_max, 3u);
  EXPECT_EQ(limits.bytes_max, 1000u);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(
      AdmissionLimits::from_env(map_env({{"OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX", "0"}})).inflight_max,
      0u);
}

TEST(AdmissionLimits, InvalidValuesKeepDefaultsWithAWarning) {
  for (std::string bad : {"", " 3", "3 ", "-1", "abc", "4294967296", "1.5"}) {
    std::vector<std::string> warnings;
    AdmissionLimits limits =
        AdmissionLimits::from_env(map_env({{"OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX", bad}}), &warnings);
    EXPECT_EQ(limits.inflight_max, 16u) << "'" << bad << "'";
    ASSERT_EQ(warnings.size(), 1u) << "'" << bad << "'";
    EXPECT_NE(warnings[0].find("OMNIGRAPH_PER_ACTOR_INFLIGHT_MAX"), std::string::npos);
  }
  std::vector<std::string> warnings;
  AdmissionLimits limits = AdmissionLimits::from_env(
      map_env({{"OMNIGRAPH_PER_ACTOR_BYTES_MAX", "18446744073709551616"}}), &warnings);
  EXPECT_EQ(limits.bytes_max, 4294967296ULL);
  EXPECT_EQ(warnings.size(), 1u);
}

TEST(Admission, Estimates) {
  EXPECT_EQ(change_estimate("query q() {}", ""), 12u);
  EXPECT_EQ(change_estimate("é", R"({"a":1})"), 2u + 7u);  // UTF-8 bytes
  EXPECT_EQ(kBranchOpEstimateBytes, 256u);
  EXPECT_EQ(kAdmissionRetryAfterSeconds, 60);
}

TEST(Admission, CountCapRejectsAndReleases) {
  AdmissionController admission({2, 1000});
  auto a = admission.admit("ops", 1);
  auto b = admission.admit("ops", 1);
  EXPECT_EQ(admission.inflight("ops"), 2u);
  auto error = thrown([&] { admission.admit("ops", 1); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(error->message, "actor in-flight count cap 2 exceeded");
  EXPECT_EQ(admission.inflight("ops"), 2u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 2u);
  { auto released = std::move(a); }
  EXPECT_EQ(admission.inflight("ops"), 1u);
  auto c = admission.admit("ops", 1);
  EXPECT_TRUE(c);
}

TEST(Admission, ZeroCapRejectsEverything) {
  AdmissionController admission({0, 1000});
  auto error = thrown([&] { admission.admit("anonymous", 0); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "actor in-flight count cap 0 exceeded");
}

TEST(Admission, ByteCapRollsBack) {
  AdmissionController admission({16, 1000});
  auto held = admission.admit("ops", 600);
  auto error = thrown([&] { admission.admit("ops", 600); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(error->message, "actor byte budget exceeded: would use 1200 bytes against cap 1000");
  // The rejected request took nothing.
  EXPECT_EQ(admission.inflight("ops"), 1u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 600u);
  auto fits = admission.admit("ops", 400);  // exactly at the cap is allowed
  EXPECT_EQ(admission.inflight_bytes("ops"), 1000u);
}

TEST(Admission, OversizedRequestIsAlwaysRejected) {
  AdmissionController admission({16, 1000});
  auto error = thrown([&] { admission.admit("ops", 1001); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "actor byte budget exceeded: would use 1001 bytes against cap 1000");
  EXPECT_EQ(admission.inflight("ops"), 0u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 0u);
}

TEST(Admission, ActorsAreIndependent) {
  AdmissionController admission({1, 1000});
  auto a = admission.admit("act-a", 1000);
  auto b = admission.admit("act-b", 1000);
  auto anon = admission.admit("anonymous", 1000);
  EXPECT_TRUE(thrown([&] { admission.admit("act-a", 0); }));
  EXPECT_EQ(admission.inflight("act-b"), 1u);
  EXPECT_EQ(admission.inflight("never-seen"), 0u);
}

TEST(Admission, PermitMovesReleaseOnce) {
  AdmissionController admission({4, 1000});
  AdmissionController::Permit outer;
  EXPECT_FALSE(outer);
  {
    auto p = admission.admit("ops", 10);
    outer = std::move(p);
    EXPECT_FALSE(p);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  }
  EXPECT_EQ(admission.inflight("ops"), 1u);
  outer = admission.admit("ops", 20);  // assigning releases the old permit
  EXPECT_EQ(admission.inflight("ops"), 1u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 20u);
  outer = AdmissionController::Permit();
  EXPECT_EQ(admission.inflight("ops"), 0u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 0u);
}

TEST(Admission, ConcurrentRaceAdmitsExactlyTheCap) {
  constexpr int kThreads = 32;
  AdmissionController admission({16, 1ULL << 40});
  std::latch tried(kThreads);
  std::latch release(1);
  std::atomic<int> admitted{0};
  std::atomic<int> rejected{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      AdmissionController::Permit permit;
      try {
        permit = admission.admit("ops", 100);
        admitted.fetch_add(1);
      } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kTooManyRequests);
        rejected.fetch_add(1);
      }
      tried.count_down();
      release.wait();  // hold the permit until every thread has tried
    });
  }
  tried.wait();
  EXPECT_EQ(admitted.load(), 16);
  EXPECT_EQ(rejected.load(), 16);
  EXPECT_EQ(admission.inflight("ops"), 16u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 1600u);
  release.count_down();
  for (auto& t : threads) t.join();
  EXPECT_EQ(admission.inflight("ops"), 0u);
  EXPECT_EQ(admission.inflight_bytes("ops"), 0u);
}

TEST(Admission, ConcurrentAdmittedBytesNeverExceedTheCap) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 2000;
  AdmissionController admission({1000, 1000});
  // Bytes held by admitted requests, per actor, counted after admission and
  // uncounted before release: a subset of what the controller holds, so it
  // must never pass the cap.
  std::atomic<std::uint64_t> held[2] = {0, 0};
  std::atomic<std::uint64_t> max_held{0};
  std::atomic<int> admitted{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const char* actor = t % 2 == 0 ? "even" : "odd";
      start.arrive_and_wait();
      for (int i = 0; i < kRounds; ++i) {
        try {
          auto permit = admission.admit(actor, 300);
          admitted.fetch_add(1);
          std::uint64_t now = held[t % 2].fetch_add(300) + 300;
          std::uint64_t prev = max_held.load();
          while (now > prev && !max_held.compare_exchange_weak(prev, now)) {
          }
          held[t % 2].fetch_sub(300);
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kTooManyRequests);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(max_held.load(), 900u);  // at most three 300-byte requests fit in 1000
  EXPECT_GT(admitted.load(), 0);
  for (const char* actor : {"even", "odd"}) {
    EXPECT_EQ(admission.inflight(actor), 0u);
    EXPECT_EQ(admission.inflight_bytes(actor), 0u);
  }
}

}  // namespace
}  // namespace omnigraph::server
